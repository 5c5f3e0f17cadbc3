/**
 * harden-dockerfile as a library: `lint` and `fix` a Dockerfile's text, `triage` a published image.
 * Nothing here changes the process (no exit, no V8 flags, no output): results come back as values.
 */
import * as path from 'node:path';
import { fixersByRule } from '../fixers';
import { rules } from '../rules';
import { DEFAULT_CONFIG, type Config } from './engine/config';
import { atOrAbove } from './engine/define-rule';
import { harden, type ContextChange, type FixRecord } from './engine/harden';
import { nodeFileSystem } from './effects/fs';
import { contextReader } from './cli/run';
import { loadShellParser } from './effects/shell';
import { plainFinding, type PlainFinding } from './report/json';
import type { FileReport } from './report/types';
import type { Resolver } from './resolve/types';
import { maskText } from './core/secrets';
import { parsePlatform } from './image/reader';
import type { TriageFinding } from './image/triage';
import { imageSummary } from './report/triage';

export type { Config, PinPolicy } from './engine/config';
export type { Severity } from './engine/define-rule';
export type { ContextChange, FixRecord } from './engine/harden';
export type { PlainFinding as Finding } from './report/json';
export type { Resolver, ResolveRequest, Result } from './resolve/types';
export type { TriageFinding } from './image/triage';
export { ImageError } from './image/reader';

export interface LintOptions {
  /** Shown in results (default `Dockerfile`). */
  readonly path?: string;
  /** Settings over the defaults: ignored rules, severities, trusted registries, pin policies. */
  readonly config?: Partial<Config>;
  /** Build context directory, for the requirements files the Dockerfile installs (none read without it). */
  readonly context?: string;
}

export interface LintResult {
  readonly path: string;
  readonly findings: readonly PlainFinding[];
  /** Whether a finding is at or above `failureThreshold`. */
  readonly failed: boolean;
}

export interface FixOptions extends LintOptions {
  /**
   * Look pins up on the network (registries and package indexes, endpoints from `env` as on the
   * command line). Default false: offline, answers from the cache only.
   */
  readonly network?: boolean;
  /** Environment for endpoints, mirrors and the cache (default: this process's). */
  readonly env?: NodeJS.ProcessEnv;
  /** Answers look-ups instead of the registries and indexes (tests, custom sources). */
  readonly resolver?: Resolver;
}

export interface FixResult extends LintResult {
  readonly output: string;
  /** Unified diff from the input to the output (empty when nothing changed). */
  readonly diff: string;
  readonly applied: readonly FixRecord[];
  readonly skipped: readonly FixRecord[];
  readonly dropped: readonly FixRecord[];
  /** Requirements files the fix rewrote, relative to `context`. */
  readonly contextChanges: readonly ContextChange[];
}

function configOf(options: LintOptions): Config {
  return { ...DEFAULT_CONFIG, ...options.config };
}

function contextOf(options: LintOptions) {
  return options.context ? contextReader(nodeFileSystem, path.resolve(options.context)) : undefined;
}

async function run(text: string, options: FixOptions, fix: boolean, resolver: Resolver) {
  const config = configOf(options);
  const shown = options.path ?? 'Dockerfile';
  const result = await harden(
    { path: shown, text },
    {
      rules,
      fixers: fixersByRule,
      config,
      resolver,
      shell: await loadShellParser(),
      fix,
      context: contextOf(options),
    },
  );
  const report: FileReport = { path: shown, lines: result.model.lines, findings: result.findings };
  const byId = new Map(rules.map((r) => [r.id, r]));
  const findings = result.findings
    .filter((f) => f.file === undefined)
    .map((f) => plainFinding(report, f, byId));
  return { config, shown, result, findings };
}

const NO_LOOKUPS: Resolver = { resolve: async () => new Map() };

/** The findings for a Dockerfile's text. */
export async function lint(text: string, options: LintOptions = {}): Promise<LintResult> {
  const { config, shown, findings } = await run(text, options, false, NO_LOOKUPS);
  return { path: shown, findings, failed: atOrAbove(findings, config.failureThreshold) };
}

/** The hardened Dockerfile: every fix that verifies, pins looked up only with `network: true`. */
export async function fix(text: string, options: FixOptions = {}): Promise<FixResult> {
  let resolver = options.resolver;
  let flush: (() => Promise<void>) | undefined;
  if (!resolver) {
    const { buildResolver } = await import('./cli/resolvers');
    const built = buildResolver(
      { offline: options.network !== true, refresh: false },
      options.env ?? process.env,
    );
    resolver = built.resolver;
    flush = () => built.cache.flush();
  }
  const { config, shown, result, findings } = await run(text, options, true, resolver);
  await flush?.().catch(() => undefined);
  const { unifiedDiff } = await import('./report/diff');
  return {
    path: shown,
    findings,
    failed: atOrAbove(
      result.remaining.filter((f) => f.file === undefined),
      config.failureThreshold,
    ),
    output: result.output,
    diff: result.output === text ? '' : unifiedDiff(shown, text, result.output),
    applied: result.applied,
    skipped: result.skipped,
    dropped: result.dropped,
    contextChanges: result.contextChanges,
  };
}

export interface TriageOptions {
  /** `os/arch[/variant]` of a multi-platform image (default linux/amd64). */
  readonly platform?: string;
  /** Read the layers too (streamed and bounded, never written to disk). */
  readonly layers?: boolean;
  /** Bytes read for the whole image, and per layer, at most. */
  readonly maxBytes?: number;
  readonly maxLayerBytes?: number;
  /** An image built longer ago than this many days is stale (default 365). */
  readonly maxAgeDays?: number;
  readonly config?: Partial<Config>;
  /** Environment for registry endpoints and credentials (default: this process's). */
  readonly env?: NodeJS.ProcessEnv;
}

export interface TriageResult {
  /** What the JSON report's `image` holds: inspect and history fields, secrets masked. */
  readonly image: ReturnType<typeof imageSummary>;
  readonly findings: readonly TriageFinding[];
  /** The history read back as a Dockerfile (secrets masked). */
  readonly dockerfile: string;
  readonly failed: boolean;
}

/** Reads a published image from its registry (no engine) and checks it; throws ImageError when it cannot. */
export async function triage(reference: string, options: TriageOptions = {}): Promise<TriageResult> {
  const env = options.env ?? process.env;
  const [{ registryClientFor }, { triageImage }] = await Promise.all([
    import('./cli/resolvers'),
    import('./image/triage'),
  ]);
  const client = registryClientFor(env);
  const config = configOf(options);
  const result = await triageImage(client, reference, {
    ...(options.platform ? { platform: parsePlatform(options.platform) } : {}),
    layers: options.layers === true,
    maxImageBytes: options.maxBytes,
    maxLayerBytes: options.maxLayerBytes,
    maxAgeMs: (options.maxAgeDays ?? 365) * 86_400_000,
    config,
    shell: await loadShellParser(),
    now: Date.now(),
  });
  return {
    image: imageSummary(result.model),
    findings: result.findings,
    dockerfile: maskText(result.dockerfile.text),
    failed: atOrAbove(result.findings, config.failureThreshold),
  };
}
