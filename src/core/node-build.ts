// What a node stage's package install needs that the slim image lacks: dependencies that build
// native code (install scripts, node-gyp) or come from git, told from the npm lock file.
import { copiedFiles } from './lock-files';
import type { Dockerfile, Stage } from './model';
import { npmInstallSpecs } from './npm-specs';
import { stageChain } from './users';

/** The files that say what npm installs: the lock files, then the manifest. */
const NPM_FILES = ['package-lock.json', 'npm-shrinkwrap.json', 'package.json'] as const;
const LOCKS = new Set<string>(['package-lock.json', 'npm-shrinkwrap.json']);
const MENTIONS = /(?:^|[\s;&|/])(?:npm|yarn|pnpm)(?:\s|$)/;
const INSTALLS: Readonly<Record<string, ReadonlySet<string>>> = {
  npm: new Set(['ci', 'install', 'i', 'add', 'isntall', 'rebuild']),
  yarn: new Set(['install', 'add', '']),
  pnpm: new Set(['install', 'i', 'add']),
};

/**
 * Packages whose install script only downloads or prints, never compiles: an install script of
 * theirs needs nothing the slim image lacks.
 */
const SCRIPT_NEEDS_NO_COMPILER = new Set([
  'core-js',
  'core-js-pure',
  'esbuild',
  'es5-ext',
  'protobufjs',
  'nodemon',
  'husky',
  'prisma',
  '@prisma/client',
  '@prisma/engines',
  'msw',
  'puppeteer',
  'cypress',
  'electron',
  'spawn-sync',
  'styled-components',
]);

/**
 * Context paths worth reading to learn what npm installs: the npm files of what COPY brings in (into
 * the `stages` given, or any).
 */
export function npmFileCandidates(
  model: Dockerfile,
  stages?: ReadonlySet<number>,
  before?: number,
): string[] {
  if (!model.runs.some((r) => MENTIONS.test(r.instr.plainText))) return [];
  return copiedFiles(model, NPM_FILES, stages, before).slice(0, 24);
}

/** The context files beside an app's package.json that change what npm does at install. */
export const NPM_SIDE_FILES = ['binding.gyp', '.npmrc'] as const;

interface NpmLockFacts {
  /** Packages with an install script that may compile. */
  readonly scripts: string[];
  /** Packages with an install script of any kind. */
  readonly scripted: string[];
  /** Packages fetched from git. */
  readonly git: string[];
  /** The lock says nothing of install scripts (lockfileVersion 1). */
  readonly blind: boolean;
}

const GIT = /^(git\+|git:|github:|gitlab:|bitbucket:)|^[\w.-]+\/[\w.-]+(#.*)?$/;

function readLock(text: string, omitDev: boolean): NpmLockFacts | undefined {
  let lock: unknown;
  try {
    lock = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof lock !== 'object' || lock === null) return undefined;
  const packages = (lock as { packages?: unknown }).packages;
  const scripts: string[] = [];
  const scripted: string[] = [];
  const git: string[] = [];
  if (typeof packages !== 'object' || packages === null)
    return { scripts, scripted, git, blind: (lock as { dependencies?: unknown }).dependencies !== undefined };
  for (const [key, value] of Object.entries(packages as Record<string, unknown>)) {
    if (key === '' || typeof value !== 'object' || value === null) continue;
    const name = key.replace(/^.*node_modules\//, '');
    const entry = value as { hasInstallScript?: unknown; resolved?: unknown; dev?: unknown };
    if (omitDev && entry.dev === true) continue;
    if (entry.hasInstallScript === true) scripted.push(name);
    if (entry.hasInstallScript === true && !SCRIPT_NEEDS_NO_COMPILER.has(name)) scripts.push(name);
    if (typeof entry.resolved === 'string' && /^git(\+|:)/.test(entry.resolved)) git.push(name);
  }
  const sorted = (names: string[]) => [...new Set(names)].sort();
  return { scripts: sorted(scripts), scripted: sorted(scripted), git: sorted(git), blind: false };
}

function gitDependencies(manifest: string): string[] {
  let json: unknown;
  try {
    json = JSON.parse(manifest);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const field of ['dependencies', 'optionalDependencies']) {
    const deps = (json as Record<string, unknown> | null)?.[field];
    if (typeof deps !== 'object' || deps === null) continue;
    for (const [name, spec] of Object.entries(deps as Record<string, unknown>))
      if (typeof spec === 'string' && GIT.test(spec) && !/^(npm|file|link|workspace):/.test(spec))
        out.push(name);
  }
  return out.sort();
}

const list = (names: string[]) =>
  names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');

/** What a stage's npm install needs that the slim node image lacks, and what a build split needs to know. */
export interface NodeBuildNeed {
  readonly why: string;
  /**
   * Set when npm alone installs from a lock file read here (version 2 or later), so that what it
   * installs is known: the packages whose install scripts may compile, those from git, and the
   * text of the package.json the stage copies in.
   */
  readonly known?: {
    readonly compiled: readonly string[];
    /** Every package with an install script, those that only download included. */
    readonly scripted: readonly string[];
    readonly git: readonly string[];
    readonly manifest?: string;
    /** The app has a binding.gyp beside its package.json: npm builds it at install (node-gyp). */
    readonly gyp: boolean;
    /** The text of the .npmrc beside it (or at the context's root). */
    readonly npmrc?: string;
  };
}

/**
 * Why a stage's package install cannot run on the slim node image, or undefined when it can (or the
 * stage installs nothing): a dependency from git (the slim image has no git), a dependency whose
 * install script may compile (no python3, make or C++ compiler there), or an install whose
 * dependencies no lock file read here names (yarn, pnpm, an npm install without a lock).
 */
export function nodeBuildNeed(
  model: Dockerfile,
  stage: Stage,
  read: (contextPath: string) => string | undefined,
): NodeBuildNeed | undefined {
  const installs = model.calls.filter(
    (c) => c.stage === stage && INSTALLS[c.tool]?.has(c.sub?.value ?? '') === true,
  );
  if (installs.length === 0) return undefined;
  const tools = new Set(installs.map((c) => c.tool));
  const has = (c: (typeof installs)[number], re: RegExp) => c.args.some((w) => re.test(w.value));
  const ignoreScripts = installs.every((c) => has(c, /^--ignore-scripts$/));
  const omitDev = installs.every((c) => has(c, /^(--omit=dev|--production|--only=prod(uction)?)$/));
  // Packages named on the command line are not in the lock file.
  const named = installs.flatMap((c) => (c.tool === 'npm' ? (npmInstallSpecs(c.args) ?? []) : []));
  if (named.length > 0 && !ignoreScripts)
    return {
      why: `whether ${list(named.map((w) => w.value))} ${named.length > 1 ? 'build' : 'builds'} native code is not known (npm installs ${named.length > 1 ? 'them' : 'it'} by name, outside any lock file)`,
    };
  // The files the stage itself (or a stage it builds on) copies in before npm runs: another app's
  // lock, or one copied only afterwards, says nothing of what it installed.
  const first = Math.min(...installs.map((c) => c.instr.range.start));
  const paths = npmFileCandidates(model, new Set(stageChain(model, stage).map((s) => s.index)), first);
  const manifestPath = paths.filter((p) => p.endsWith('package.json')).find((p) => read(p) !== undefined);
  const manifest = manifestPath !== undefined ? read(manifestPath) : undefined;
  const beside = (name: string) =>
    read(manifestPath?.includes('/') ? manifestPath.replace(/[^/]+$/, name) : name);
  const lockText = paths
    .filter((p) => LOCKS.has(p.replace(/^.*\//, '')))
    .map(read)
    .find((t) => t !== undefined);
  const lock = lockText !== undefined ? readLock(lockText, omitDev) : undefined;
  const npmOnly = tools.size === 1 && tools.has('npm') && named.length === 0;
  const known = (compiled: string[], git: string[]) =>
    npmOnly && lock && !lock.blind
      ? {
          known: {
            compiled,
            scripted: ignoreScripts ? [] : lock.scripted,
            git,
            manifest,
            gyp: beside('binding.gyp') !== undefined,
            npmrc: beside('.npmrc') ?? read('.npmrc'),
          },
        }
      : {};
  const git = [...new Set([...(manifest ? gitDependencies(manifest) : []), ...(lock?.git ?? [])])].sort();
  const compiled = ignoreScripts ? [] : (lock?.scripts ?? []);
  if (git.length > 0)
    return {
      why: `${list(git)} ${git.length > 1 ? 'come' : 'comes'} from git, which the slim image lacks`,
      ...known(compiled, git),
    };
  if (ignoreScripts) return undefined;
  if (tools.has('yarn') || tools.has('pnpm'))
    return {
      why: `whether a dependency ${[...tools].join(' or ')} installs builds native code is not known (its lock file does not say)`,
    };
  if (!lock || lock.blind)
    return {
      why: 'whether a dependency npm installs builds native code is not known (no package-lock.json of version 2 or later was read)',
    };
  if (compiled.length > 0)
    return {
      why: `${list(compiled)} ${compiled.length > 1 ? 'run install scripts' : 'runs an install script'} that may compile native code (node-gyp), and the slim image has no python3, make or C++ compiler`,
      ...known(compiled, git),
    };
  return undefined;
}
