import * as path from 'node:path';
import { externalFindings, sortFindings } from '../engine/run-rules';
import { fixersByRule } from '../../fixers';
import { rules } from '../../rules';
import type { Config } from '../engine/config';
import { atOrAbove, type Finding } from '../engine/define-rule';
import { harden, type HardenResult } from '../engine/harden';
import type { ContextReader } from '../engine/context-files';
import { LineIndex } from '../core/source';
import { FileError, nodeFileSystem, type FileSystem } from '../effects/fs';
import { lazyShellParser } from '../effects/shell';
import { ShellNotLoaded } from '../core/plain-shell';
import type { Resolver } from '../resolve/types';
import {
  perFile,
  type FileReport,
  type Formatter,
  type ReportMeta,
  type StreamingFormatter,
} from '../report/types';
import { ConfigError, ConfigLoader, newUserOf } from './config';
import { discover } from './discover';
import type { Io, OutputFormat, RunOptions } from './options';
import { VERSION } from './version';
import type { Proof } from '../prove/prove';
import type { Fixer } from '../engine/define-fixer';
import type { Engine } from '../effects/docker-engine';

/** Runs over this many files show a progress line on a terminal. */
const PROGRESS_FROM = 20;

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

export async function formatter(format: OutputFormat): Promise<Formatter> {
  // Each reporter is loaded only when asked for.
  switch (format) {
    case 'json':
      return (await import('../report/json')).formatJson;
    case 'sarif':
      return (await import('../report/sarif')).formatSarif;
    case 'github':
      return (await import('../report/github')).formatGithub;
    default:
      return (await import('../report/text')).formatText;
  }
}

/** The formats a lint writes file by file as it goes (SARIF is one document with one run). */
async function streamingFormatter(format: OutputFormat): Promise<StreamingFormatter | undefined> {
  switch (format) {
    case 'json':
      return (await import('../report/json')).streamJson;
    case 'github':
      return perFile((await import('../report/github')).formatGithub);
    case 'text':
      return perFile((await import('../report/text')).formatText);
    default:
      return undefined;
  }
}

/** Files a fix works on at once. */
export const FILES_IN_FLIGHT = 8;

interface Examined {
  readonly display: string;
  readonly reports: FileReport[];
  readonly outputs: string[];
  /** Lines for standard error, written when the file's turn comes. */
  readonly notes: string[];
  failed: boolean;
  over: boolean;
  proof?: Proof;
}

/**
 * Runs `work` over `items` with at most `window` in flight, and hands each result to `take` in the
 * items' order, as soon as it and every one before it are done.
 */
export async function inOrder<T, R>(
  items: readonly T[],
  window: number,
  work: (item: T) => Promise<R>,
  take: (result: R, index: number) => void,
): Promise<void> {
  const pending = new Map<number, Promise<R>>();
  let next = 0;
  const launch = (): void => {
    if (next < items.length) pending.set(next, work(items[next++]));
  };
  for (let k = 0; k < Math.max(1, window); k++) launch();
  for (let i = 0; i < items.length; i++) {
    const result = await (pending.get(i) as Promise<R>);
    pending.delete(i);
    launch();
    take(result, i);
  }
}

interface Deps {
  readonly fs: FileSystem;
  readonly resolver?: Resolver;
}

/** Runs lint, fix or the default harden mode over the given paths; returns the exit code. */
export async function run(opts: RunOptions, io: Io, deps: Deps = { fs: nodeFileSystem }): Promise<number> {
  // Discovery and the configuration look-up list the same folders: each is listed once per run.
  const fs = sharedListings(deps.fs);
  const inputs = (opts.paths.length > 0 ? opts.paths : ['.']).map((p) =>
    p === '-' ? p : path.resolve(io.cwd, p),
  );
  const { files, missing } = await discover(fs, inputs);
  const shown = (file: string) => (file === '-' ? '<stdin>' : path.relative(io.cwd, file) || file);
  const reports: FileReport[] = [];
  const meta: ReportMeta = { rules, version: VERSION, color: opts.color };
  // A lint writes each file's report as soon as it has it, so memory stays flat in the number of files;
  // so does a fix that prints the rewrites, its report going to standard error beside them.
  const fix = opts.mode !== 'lint';
  const reportTo = !fix ? io.stdout : !opts.write && !opts.prove ? io.stderr : undefined;
  const streaming = reportTo ? await streamingFormatter(opts.format) : undefined;
  let written = 0;
  const emit = (r: FileReport): void => {
    if (!streaming || !reportTo) reports.push(r);
    else reportTo(streaming.file(r, meta, written++));
  };
  const missingReports: FileReport[] = missing.map((p) => ({
    path: shown(p),
    findings: [],
    error: 'no such file or directory',
  }));
  if (files.length === 0 && missing.length === 0) {
    io.stderr('harden-dockerfile: no Dockerfile found\n');
    return EXIT_ERROR;
  }
  const loader = new ConfigLoader(fs, opts.config);
  io.shortRun?.();
  // tree-sitter loads when a body is not plain (see LazyShellParser): a run over plain files never loads it.
  const shell = lazyShellParser();
  const badPolicy = opts.pinPolicy.find((p) => !/^(apk=(exact|fuzzy)|apt=(exact|snapshot))$/.test(p));
  if (badPolicy) {
    io.stderr(
      `harden-dockerfile: unknown pin policy "${badPolicy}" (known: apk=exact, apk=fuzzy, apt=exact, apt=snapshot)\n`,
    );
    return EXIT_ERROR;
  }
  const shellcheck = opts.shellcheck && !fix ? await import('../effects/shellcheck') : undefined;
  if (shellcheck && !(await shellcheck.shellcheckInstalled(io.env))) {
    io.stderr(
      'harden-dockerfile: --shellcheck: shellcheck is not installed (Debian and Ubuntu: apt-get install shellcheck)\n',
    );
    return EXIT_ERROR;
  }
  // Look-ups only happen when fixing; the resolver module (and fetch) loads only then.
  const built = fix && !deps.resolver ? (await import('./resolvers')).buildResolver(opts, io.env) : undefined;
  const resolver: Resolver = deps.resolver ?? built?.resolver ?? { resolve: async () => new Map() };
  const engine = opts.prove && fix ? await proveEngine(io) : undefined;
  if (engine === null) return EXIT_ERROR;
  const diffMode = opts.mode === 'harden' || opts.diff || (fix && !opts.write && files.length > 1);
  let failed = missing.length > 0;
  let findingsOver = false;
  const outputs: string[] = [];
  // A report streamed to standard error shows the progress itself.
  const showProgress = io.progress === true && files.length >= PROGRESS_FROM && reportTo !== io.stderr;
  if (streaming && reportTo) reportTo(streaming.head(meta));
  missingReports.forEach(emit);
  /** One file, start to end; a failure becomes its report, never an exception. */
  const examine = async (file: string): Promise<Examined> => {
    const display = shown(file);
    const done: Examined = { display, reports: [], outputs: [], notes: [], failed: false, over: false };
    try {
      const text = file === '-' ? await io.readStdin() : await fs.readText(file);
      const dir = file === '-' ? io.cwd : path.dirname(file);
      const base = await loader.forDirectory(dir);
      const config = opts.safeOnly ? { ...base, safeOnly: true } : base;
      const threshold = opts.failureThreshold ?? config.failureThreshold;
      const effective = withFlags(config, opts);
      const contextDir = opts.context ? path.resolve(io.cwd, opts.context) : dir;
      const context = contextReader(fs, contextDir);
      // Everything that reads the model's shell bodies is done again once tree-sitter is loaded.
      const hardenWith = (fixers: ReadonlyMap<string, Fixer>) =>
        harden({ path: display, text }, { rules, fixers, config: effective, resolver, shell, fix, context });
      const examineText = async () => {
        const result = await hardenWith(fixersByRule);
        if (!shellcheck) return result;
        const external = await shellcheck.shellcheckFindings(result.model, io.env);
        const kept = externalFindings(result.model, effective, external);
        return kept.length ? { ...result, findings: sortFindings([...result.findings, ...kept]) } : result;
      };
      let result = await examineText().catch(async (err: unknown) => {
        if (!(err instanceof ShellNotLoaded)) throw err;
        await shell.load();
        return examineText();
      });
      if (engine && opts.prove) {
        // The shell grammar may be needed by the subsets' rewrites: it is loaded before.
        await shell.load();
        const { proveFile } = await import('./prove-file');
        const proved = await proveFile(engine, { text, contextDir, result, hardenWith }, opts.prove);
        result = proved.result;
        done.proof = proved.proof;
        if (proved.baselineBroken) done.failed = true;
      }
      const shownContext = (p: string) => shown(path.join(contextDir, p));
      done.reports.push(...toReports(display, result, fix, shownContext));
      if (done.proof) done.reports[0] = { ...done.reports[0], proof: done.proof };
      done.over = atOrAbove(fix ? result.remaining : result.findings, threshold);
      if (!fix) return done;
      if (opts.write) {
        if (result.output !== text && file !== '-') await fs.writeTextAtomic(file, result.output);
        else if (file === '-') done.outputs.push(result.output);
        for (const c of result.contextChanges)
          await fs.writeTextAtomic(path.join(contextDir, c.path), c.after);
      } else if (diffMode) {
        const { unifiedDiff } = await import('../report/diff');
        done.outputs.push(unifiedDiff(display, text, result.output));
        for (const c of result.contextChanges)
          done.outputs.push(unifiedDiff(shownContext(c.path), c.before, c.after));
      } else {
        done.outputs.push(result.output);
        for (const c of result.contextChanges) {
          done.notes.push(
            `${shownContext(c.path)}: would be pinned too; use --diff to see or --write to apply\n`,
          );
        }
      }
    } catch (err) {
      // One file that cannot be read, or that trips the engine, never stops the others.
      done.failed = true;
      const known = err instanceof FileError || err instanceof ConfigError;
      const message = err instanceof Error ? err.message : String(err);
      done.reports.push({
        path: display,
        findings: [],
        error: known
          ? message.replace(`${file}: `, '')
          : `could not be examined (internal error: ${message})`,
      });
    }
    return done;
  };
  // A fix with look-ups keeps a few files in flight, so one file's parsing overlaps another's waiting
  // on the network (the resolver shares and bounds the look-ups); results still come out in order.
  // Offline nothing waits: files in flight would only hold more in memory (the corpus fix --diff
  // took 1550 ms one at a time against 1650 ms eight at a time, medians of 6 interleaved runs).
  const window = fix && !engine && !opts.offline ? FILES_IN_FLIGHT : 1;
  await inOrder(files, window, examine, (done, n) => {
    if (showProgress) io.stderr(`\r\u001b[K[${n + 1}/${files.length}] ${done.display}`);
    done.reports.forEach(emit);
    if (streaming) done.outputs.forEach((o) => io.stdout(o));
    else outputs.push(...done.outputs);
    done.notes.forEach((note) => io.stderr(note));
    if (done.failed) failed = true;
    if (done.over) findingsOver = true;
  });
  if (showProgress) io.stderr('\r\u001b[K');
  await built?.cache.flush().catch(() => io.stderr('harden-dockerfile: could not write the cache\n'));
  if (streaming && reportTo) {
    reportTo(streaming.tail(meta, written));
    return failed ? EXIT_ERROR : findingsOver ? EXIT_FINDINGS : EXIT_OK;
  }
  const report = (await formatter(opts.format))(reports, meta);
  if (!fix || opts.write) {
    io.stdout(report);
    outputs.forEach((o) => io.stdout(o));
  } else {
    outputs.forEach((o) => io.stdout(o));
    io.stderr(report);
  }
  if (engine && opts.prove && opts.format === 'text') {
    const { proofTableText } = await import('../report/proof-table');
    for (const r of reports) if (r.proof) io.stderr(proofTableText(r.path, r.proof, opts.prove.path));
  }
  if (failed) return EXIT_ERROR;
  return findingsOver ? EXIT_FINDINGS : EXIT_OK;
}

/** Command-line switches that act like configuration. */
export function withFlags(config: Config, opts: RunOptions): Config {
  let out = config;
  if (opts.hashes) out = { ...out, requireHashes: true };
  if (opts.userName !== undefined || opts.uid !== undefined)
    out = {
      ...out,
      newUser: newUserOf('the command line', { name: opts.userName, uid: opts.uid }, out),
    };
  if (opts.noDigest) out = { ...out, severity: { ...out.severity, 'pin-base-image-digest': 'off' } };
  for (const p of opts.pinPolicy) {
    const [manager, policy] = p.split('=');
    out = { ...out, pinPolicy: { ...out.pinPolicy, [manager]: policy } };
  }
  return out;
}

/** The Dockerfile's report, then one for each build-context file the rules read. */
export function toReports(
  display: string,
  result: HardenResult,
  fix: boolean,
  shownContext: (p: string) => string,
): FileReport[] {
  const own = (f: Finding) => f.file === undefined;
  const reports: FileReport[] = [
    {
      path: display,
      lines: result.model.lines,
      findings: result.findings.filter(own),
      ...(fix
        ? {
            applied: result.applied.filter((r) => r.file === undefined),
            skipped: result.skipped.filter((r) => r.file === undefined),
            dropped: result.dropped.filter((r) => r.file === undefined),
          }
        : {}),
    },
  ];
  for (const [file, text] of result.contextFiles) {
    const mine = <T extends { file?: string }>(xs: readonly T[]) => xs.filter((x) => x.file === file);
    reports.push({
      path: shownContext(file),
      lines: new LineIndex(text),
      findings: mine(result.findings),
      ...(fix
        ? { applied: mine(result.applied), skipped: mine(result.skipped), dropped: mine(result.dropped) }
        : {}),
    });
  }
  return reports;
}

/** The file system with each folder's listing read once (a run is short; its folders do not change). */
function sharedListings(fs: FileSystem): FileSystem {
  const listings = new Map<string, ReturnType<FileSystem['readDir']>>();
  return {
    readText: (file) => fs.readText(file),
    writeTextAtomic: (file, text) => fs.writeTextAtomic(file, text),
    exists: (file) => fs.exists(file),
    isDirectory: (file) => fs.isDirectory(file),
    readDir(dir) {
      let listing = listings.get(dir);
      if (!listing) listings.set(dir, (listing = fs.readDir(dir)));
      return listing;
    },
  };
}

/** Reads build-context files under `root`, refusing anything that would leave it. */
export function contextReader(fs: FileSystem, root: string): ContextReader {
  return {
    async read(rel) {
      const full = path.resolve(root, rel);
      if (full !== root && !full.startsWith(root + path.sep)) return undefined;
      try {
        return await fs.readText(full);
      } catch {
        return undefined;
      }
    },
  };
}

/** The user's engine for --prove, or null (after saying what was tried) when none answers. */
export async function proveEngine(io: Io): Promise<Engine | null> {
  const { dockerEngine, EngineMissing } = await import('../effects/docker-engine');
  const engine = dockerEngine(io.env);
  const where = io.env.DOCKER_HOST
    ? `DOCKER_HOST=${io.env.DOCKER_HOST}`
    : io.env.DOCKER_CONTEXT
      ? `docker context ${io.env.DOCKER_CONTEXT}`
      : "docker's current context (the default socket unless one is set)";
  try {
    const r = await engine.call(['version', '--format', '{{.Server.Version}}'], { timeoutMs: 20_000 });
    if (r.code === 0 && r.stdout.trim()) return engine;
    const why = r.stderr.trim().split('\n').pop() ?? '';
    io.stderr(`harden-dockerfile: --prove: no container engine answers (tried ${where}): ${why}\n`);
  } catch (err) {
    const why = err instanceof EngineMissing ? err.message : String(err);
    io.stderr(`harden-dockerfile: --prove: no container engine answers (tried ${where}): ${why}\n`);
  }
  return null;
}
