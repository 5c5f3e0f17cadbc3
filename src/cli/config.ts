import * as path from 'node:path';
import { DEFAULT_CONFIG, LABEL_TYPES, type Config, type LabelType } from '../engine/config';
import { SEVERITIES, type Severity } from '../engine/define-rule';
import type { FileSystem } from '../effects/fs';

export const CONFIG_NAMES = ['.harden-dockerfile.yaml', '.harden-dockerfile.yml', '.harden-dockerfile.json'];
export const HADOLINT_NAMES = ['.hadolint.yaml', '.hadolint.yml'];

export class ConfigError extends Error {}

type Raw = Record<string, unknown>;

async function parseText(file: string, text: string): Promise<Raw> {
  try {
    // Lazy: only runs that find a YAML config pay for the parser.
    const value = file.endsWith('.json') ? JSON.parse(text) : (await import('yaml')).parse(text);
    if (value === null || value === undefined) return {};
    if (typeof value !== 'object' || Array.isArray(value))
      throw new Error('expected a mapping at the top level');
    return value as Raw;
  } catch (err) {
    const line = (err as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    throw new ConfigError(
      `${file}${line ? `:${line}` : ''}: invalid configuration: ${(err as Error).message.split('\n')[0]}`,
    );
  }
}

function strings(file: string, key: string, v: unknown): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) {
    throw new ConfigError(`${file}: "${key}" must be a list of strings`);
  }
  return v;
}

function severity(file: string, key: string, v: unknown): Severity | 'off' {
  if (v === 'off' || v === 'none' || (typeof v === 'string' && (SEVERITIES as string[]).includes(v))) {
    return v === 'none' ? 'off' : (v as Severity | 'off');
  }
  throw new ConfigError(`${file}: "${key}" must be one of error, warning, info, style, off`);
}

/** A failure threshold: a severity, or `none` (never fail); `off` is accepted as `none`. */
function threshold(file: string, key: string, v: unknown): Severity | 'none' {
  const level = severity(file, key, v);
  return level === 'off' ? 'none' : level;
}

function pinPolicyOf(file: string, raw: unknown, base: Config): Config['pinPolicy'] {
  if (raw === undefined) return base.pinPolicy;
  const { apk, apt } = (raw ?? {}) as { apk?: unknown; apt?: unknown };
  if (apk !== undefined && apk !== 'exact' && apk !== 'fuzzy') {
    throw new ConfigError(`${file}: "pinPolicy.apk" must be exact or fuzzy`);
  }
  if (apt !== undefined && apt !== 'exact' && apt !== 'snapshot') {
    throw new ConfigError(`${file}: "pinPolicy.apt" must be exact or snapshot`);
  }
  return { ...base.pinPolicy, ...(apk ? { apk } : {}), ...(apt ? { apt } : {}) };
}

/** Our own file: ignored, severity, failureThreshold, trustedRegistries, safeOnly. */
function fromOwn(file: string, raw: Raw, base: Config): Config {
  const sev: Record<string, Severity | 'off'> = { ...base.severity };
  const rawSev = raw.severity ?? {};
  if (typeof rawSev !== 'object' || Array.isArray(rawSev))
    throw new ConfigError(`${file}: "severity" must be a mapping`);
  for (const [k, v] of Object.entries(rawSev as Raw)) sev[k] = severity(file, `severity.${k}`, v);
  const wanted = raw.failureThreshold ?? raw['failure-threshold'];
  return {
    ignored: [...base.ignored, ...strings(file, 'ignored', raw.ignored)],
    severity: sev,
    failureThreshold:
      wanted === undefined ? base.failureThreshold : threshold(file, 'failureThreshold', wanted),
    trustedRegistries: [
      ...base.trustedRegistries,
      ...strings(file, 'trustedRegistries', raw.trustedRegistries),
    ],
    safeOnly: raw.safeOnly === undefined ? base.safeOnly : raw.safeOnly === true,
    pinPolicy: pinPolicyOf(file, raw.pinPolicy, base),
    requireHashes: raw.requireHashes === undefined ? base.requireHashes : raw.requireHashes === true,
    labelSchema: labelSchemaOf(file, 'labelSchema', raw.labelSchema, base),
    strictLabels: raw.strictLabels === undefined ? base.strictLabels : raw.strictLabels === true,
    newUser: newUserOf(file, raw.user, base),
  };
}

/** `user: { name: app, uid: 1000 }`: the user the non-root fix creates. */
export function newUserOf(file: string, raw: unknown, base: Config): Config['newUser'] {
  if (raw === undefined) return base.newUser;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new ConfigError(`${file}: "user" must be a mapping with name and uid`);
  const { name, uid } = raw as { name?: unknown; uid?: unknown };
  if (name !== undefined && (typeof name !== 'string' || !USER_NAME.test(name)))
    throw new ConfigError(`${file}: "user.name" must be a user name (lower-case letters, digits, _ and -)`);
  if (uid !== undefined && (typeof uid !== 'number' || !Number.isInteger(uid) || uid < 1 || uid > 2147483647))
    throw new ConfigError(`${file}: "user.uid" must be a whole number above 0`);
  return {
    name: (name as string | undefined) ?? base.newUser.name,
    ...(uid !== undefined
      ? { uid: uid as number }
      : base.newUser.uid !== undefined
        ? { uid: base.newUser.uid }
        : {}),
  };
}

/** A name useradd and busybox adduser both accept. */
export const USER_NAME = /^[a-z_][a-z0-9_-]{0,31}$/;

/** `label-schema`: label name to the form of its value (text, url, spdx, hash, rfc3339, semver, email). */
function labelSchemaOf(file: string, key: string, raw: unknown, base: Config): Config['labelSchema'] {
  if (raw === undefined) return base.labelSchema;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new ConfigError(`${file}: "${key}" must be a mapping of label names to types`);
  const schema: Record<string, LabelType> = { ...base.labelSchema };
  for (const [name, type] of Object.entries(raw as Raw)) {
    if (!(LABEL_TYPES as readonly unknown[]).includes(type))
      throw new ConfigError(`${file}: "${key}.${name}" must be one of ${LABEL_TYPES.join(', ')}`);
    schema[name] = type as LabelType;
  }
  return schema;
}

/** hadolint's file: ignored, trustedRegistries, failure-threshold, override.{error,warning,info,style}. */
function fromHadolint(file: string, raw: Raw, base: Config): Config {
  const sev: Record<string, Severity | 'off'> = { ...base.severity };
  const override = (raw.override ?? {}) as Raw;
  for (const level of SEVERITIES)
    for (const code of strings(file, `override.${level}`, override[level])) sev[code] = level;
  const wanted = raw['failure-threshold'];
  return {
    ...base,
    ignored: [...base.ignored, ...strings(file, 'ignored', raw.ignored)],
    severity: sev,
    failureThreshold:
      wanted === undefined ? base.failureThreshold : threshold(file, 'failure-threshold', wanted),
    trustedRegistries: [
      ...base.trustedRegistries,
      ...strings(file, 'trustedRegistries', raw.trustedRegistries),
    ],
    labelSchema: labelSchemaOf(file, 'label-schema', raw['label-schema'], base),
    strictLabels: raw['strict-labels'] === undefined ? base.strictLabels : raw['strict-labels'] === true,
  };
}

/**
 * The nearest of `names` in `start` or a folder above it, stopping at a repository root (`.git`).
 * Each folder is listed once per run, whatever the files and names asked about: a run over a tree
 * of Dockerfiles asks about the same parents again and again.
 */
async function findUp(
  listing: (dir: string) => Promise<ReadonlySet<string>>,
  start: string,
  names: readonly string[],
): Promise<string | undefined> {
  let dir = path.resolve(start);
  for (;;) {
    const here = await listing(dir);
    const name = names.find((n) => here.has(n));
    if (name) return path.join(dir, name);
    if (here.has('.git')) return undefined;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Loads configuration for files in `dir`: .hadolint.yaml first, then ours (or --config) on top. */
export class ConfigLoader {
  private readonly byDir = new Map<string, Promise<Config>>();
  private readonly listings = new Map<string, Promise<ReadonlySet<string>>>();
  private readonly listing = (dir: string): Promise<ReadonlySet<string>> => {
    let found = this.listings.get(dir);
    if (!found) {
      found = this.fs.readDir(dir).then(
        (entries) => new Set(entries.map((e) => e.name)),
        () => new Set<string>(),
      );
      this.listings.set(dir, found);
    }
    return found;
  };

  constructor(
    private readonly fs: FileSystem,
    private readonly explicit?: string,
  ) {}

  forDirectory(dir: string): Promise<Config> {
    const key = path.resolve(dir);
    let found = this.byDir.get(key);
    if (!found) {
      found = this.load(key);
      this.byDir.set(key, found);
    }
    return found;
  }

  private async load(dir: string): Promise<Config> {
    let config = DEFAULT_CONFIG;
    const hadolint = await findUp(this.listing, dir, HADOLINT_NAMES);
    if (hadolint)
      config = fromHadolint(hadolint, await parseText(hadolint, await this.fs.readText(hadolint)), config);
    const own = this.explicit ?? (await findUp(this.listing, dir, CONFIG_NAMES));
    if (own) config = fromOwn(own, await parseText(own, await this.read(own)), config);
    return config;
  }

  private async read(file: string): Promise<string> {
    try {
      return await this.fs.readText(file);
    } catch (err) {
      throw new ConfigError((err as Error).message);
    }
  }
}
