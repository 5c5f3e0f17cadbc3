// The options lint, fix and the repository mode share, and how their parsed values become the
// RunOptions that run.ts and repo.ts take.
import type { Argv } from 'yargs';
import { FORMATS, type OutputFormat, type ProveFlags, type RunOptions } from '../options';
import { fromStdinArg } from './context';

export const THRESHOLDS = ['error', 'warning', 'info', 'style', 'none'] as const;

/** Options of every command that reads Dockerfiles. */
export function common<T>(y: Argv<T>) {
  return y
    .option('format', {
      alias: 'f',
      choices: FORMATS,
      default: 'text' as OutputFormat,
      describe: 'report format',
    })
    .option('config', { alias: 'c', type: 'string', describe: 'configuration file (else found upward)' })
    .option('offline', {
      type: 'boolean',
      default: false,
      describe: 'no network: answer look-ups from the cache only',
    })
    .option('failure-threshold', {
      alias: 't',
      choices: THRESHOLDS,
      describe: 'lowest severity that makes the exit code 1',
    })
    .option('color', {
      type: 'boolean',
      describe: 'colour the text report (off with --no-color or NO_COLOR)',
    })
    .option('context', {
      type: 'string',
      describe: "build context directory (default: each Dockerfile's directory)",
    });
}

/** Options of the commands that rewrite: fix and the repository mode. */
export function fixOptions<T>(y: Argv<T>) {
  const fix = common(y)
    .option('write', {
      alias: 'w',
      type: 'boolean',
      default: false,
      describe: 'rewrite files in place (atomically)',
    })
    .option('diff', { alias: 'd', type: 'boolean', default: false, describe: 'print a unified diff instead' })
    .option('safe-only', {
      type: 'boolean',
      default: false,
      describe: 'skip fixes that need a human review',
    })
    .option('user-name', {
      type: 'string',
      describe: 'name of the user the non-root fix creates (default app)',
    })
    .option('uid', {
      type: 'number',
      describe: 'uid (and gid) of the user the non-root fix creates (e.g. 1000 for Hugging Face Spaces)',
    })
    .option('refresh', {
      type: 'boolean',
      default: false,
      describe: 'ignore cached answers and look everything up again',
    })
    .option('registry-mirror', {
      type: 'string',
      describe: 'registry that stands in for Docker Hub (or HARDEN_REGISTRY_MIRROR)',
    })
    .option('pin-policy', {
      type: 'string',
      describe: 'how pins are written, comma-separated: apk=exact|fuzzy',
    })
    .option('hashes', {
      type: 'boolean',
      default: false,
      describe: 'add --hash=sha256 options to pinned requirements (pip hash-checking mode)',
    })
    .option('digest', {
      type: 'boolean',
      default: true,
      describe: 'pin base images by digest too (--no-digest: tag only)',
    })
    .option('explain-endpoints', {
      type: 'boolean',
      default: false,
      describe: 'print where each kind of look-up would go, and why, then exit',
    });
  return proveOptions(fix);
}

/** The --prove options: fix, the repository mode and review. */
export function proveOptions<T>(y: Argv<T>) {
  return y
    .option('prove', {
      type: 'boolean',
      default: false,
      describe: 'build and run the original and the hardened image on your engine; keep only fixes that pass',
    })
    .option('prove-env', {
      type: 'string',
      array: true,
      default: [] as string[],
      describe: 'KEY=VAL for both containers of --prove (repeatable)',
    })
    .option('prove-timeout', {
      type: 'number',
      default: 20,
      describe: 'seconds --prove waits for a container to answer or settle',
    })
    .option('prove-path', { type: 'string', default: '/', describe: 'path --prove asks over HTTP' })
    .option('prove-max-builds', {
      type: 'number',
      default: 12,
      describe: 'hardened builds --prove makes at most, bisection included',
    })
    .option('prove-tag', { type: 'string', describe: 'keep the proven hardened image under this name' });
}

/** The parsed --prove options, or undefined without --prove. */
export function proveFlagsOf(a: ProveArgs): ProveFlags | undefined {
  return a.prove
    ? {
        env: a['prove-env'] ?? [],
        timeoutMs: (a['prove-timeout'] ?? 20) * 1000,
        path: a['prove-path'] ?? '/',
        maxBuilds: a['prove-max-builds'] ?? 12,
        tag: a['prove-tag'],
      }
    : undefined;
}

export interface ProveArgs {
  prove?: boolean;
  'prove-env'?: string[];
  'prove-timeout'?: number;
  'prove-path'?: string;
  'prove-max-builds'?: number;
  'prove-tag'?: string;
}

/** Options of the repository mode. */
export function repoOptions<T>(y: Argv<T>) {
  return y
    .option('out', { type: 'string', describe: 'repository mode: write the hardened files under DIR' })
    .option('github-api-url', { type: 'string', describe: 'repository mode: GitHub API (or GITHUB_API_URL)' })
    .option('max-dockerfiles', {
      type: 'number',
      default: 50,
      describe: 'repository mode: Dockerfiles hardened at most',
    })
    .option('ref', {
      type: 'string',
      describe: 'repository mode: branch, tag or commit (default: the default branch)',
    })
    .option('pr', {
      type: 'boolean',
      default: false,
      describe: 'repository mode: open a pull request with the changes',
    });
}

/** The parsed options of lint, fix and the repository mode. */
export interface Parsed extends ProveArgs {
  paths?: string[];
  path?: string;
  format: OutputFormat;
  config?: string;
  context?: string;
  offline: boolean;
  refresh?: boolean;
  'registry-mirror'?: string;
  digest?: boolean;
  hashes?: boolean;
  'pin-policy'?: string;
  ref?: string;
  pr?: boolean;
  out?: string;
  'github-api-url'?: string;
  'max-dockerfiles'?: number;
  'failure-threshold'?: RunOptions['failureThreshold'];
  color?: boolean;
  write?: boolean;
  diff?: boolean;
  'safe-only'?: boolean;
  'user-name'?: string;
  uid?: number;
  'explain-endpoints'?: boolean;
  shellcheck?: boolean;
}

/** Colour when asked, else on a terminal unless NO_COLOR is set. */
export const colorOf = (flag: boolean | undefined, env: NodeJS.ProcessEnv): boolean =>
  flag ?? (!env.NO_COLOR && process.stdout.isTTY === true);

export function toRunOptions(mode: RunOptions['mode'], a: Parsed, env: NodeJS.ProcessEnv): RunOptions {
  return {
    mode,
    paths: (a.paths ?? (a.path ? [a.path] : [])).map(fromStdinArg),
    format: a.format,
    write: a.write ?? false,
    diff: a.diff ?? false,
    offline: a.offline,
    refresh: a.refresh ?? false,
    registryMirror: a['registry-mirror'],
    noDigest: a.digest === false,
    hashes: a.hashes ?? false,
    pinPolicy: (a['pin-policy'] ?? '').split(',').filter(Boolean),
    safeOnly: a['safe-only'] ?? false,
    userName: a['user-name'],
    uid: a.uid,
    config: a.config,
    context: a.context,
    color: colorOf(a.color, env),
    failureThreshold: a['failure-threshold'],
    shellcheck: a.shellcheck ?? false,
    ...(a.prove ? { prove: proveFlagsOf(a) } : {}),
  };
}
