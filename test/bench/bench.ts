/**
 * npm run bench: every figure comes from this one run on this machine.
 *  - lint over the corpus, as a ratio to dockerfile-ast parse-only time (target ≤ 2×)
 *  - fix --offline over the corpus, and a peer linter (dockerfile-utils) on the same files
 *  - cost against input size (one growing Dockerfile)
 *  - a one-file `lint` cold start as a ratio to `node -e 0` (target ≤ 2×), measured first while
 *    this process is idle
 */
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { rules } from '../../rules';
import { parseDockerfile } from '../../src/core/parse-dockerfile';
import { loadShellParser } from '../../src/effects/shell';
import { DEFAULT_CONFIG } from '../../src/engine/config';
import { harden } from '../../src/engine/harden';
import { runRules } from '../../src/engine/run-rules';
import { buildResolver } from '../../src/cli/resolvers';
import { contextReader, FILES_IN_FLIGHT, inOrder } from '../../src/cli/run';
import { nodeFileSystem } from '../../src/effects/fs';
import { fixOptions } from '../harness/fix-options';
import { startCorpusServer } from './corpus-servers';

const root = path.resolve(__dirname, '../../..');
const corpusDir = process.env.HARDEN_CORPUS_DIR ?? path.resolve(root, '../shared/corpus');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median over `rounds` of the time one call of `fn` takes, after a warm-up call. */
async function time(rounds: number, fn: () => unknown | Promise<unknown>): Promise<number> {
  await fn();
  const out: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return median(out);
}

interface Timing {
  readonly median: number;
  readonly min: number;
  /** Median over the rounds of this contender's time divided by the first contender's in the same round. */
  readonly ratio: number;
}

/**
 * Runs the contenders in turn, `rounds` times after a warm-up, and times each run. The ratio to the
 * first contender is taken round by round, so a slow spell of the machine that spans a round cancels
 * out rather than landing on one contender.
 */
async function interleaved(rounds: number, fns: (() => unknown | Promise<unknown>)[]): Promise<Timing[]> {
  for (const fn of fns) await fn();
  const runs: number[][] = fns.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (const [i, fn] of fns.entries()) {
      const t = performance.now();
      await fn();
      runs[i].push(performance.now() - t);
    }
  }
  return runs.map((xs) => ({
    median: median(xs),
    min: Math.min(...xs),
    ratio: median(xs.map((t, r) => t / runs[0][r])),
  }));
}

/** Runs `node <args>` once, timed; fails the bench on an exit code other than 0 or 1. */
function spawnOnce(args: readonly string[], env?: NodeJS.ProcessEnv): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
    env: env && { ...process.env, ...env },
  });
  const ms = performance.now() - t;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

/** A process to run: `node` arguments, and environment variables to add. */
type Spawn = readonly string[] | { readonly args: readonly string[]; readonly env: NodeJS.ProcessEnv };

/** New processes, interleaved like the in-process contenders: medians, and per-round ratios to the first. */
async function interleavedSpawns(rounds: number, commands: readonly Spawn[]): Promise<Timing[]> {
  return interleaved(
    rounds,
    commands.map((c) => () => ('args' in c ? spawnOnce(c.args, c.env) : spawnOnce(c))),
  );
}

const f = (ms: number) => `${ms.toFixed(1)} ms`;

/** Fixes the whole corpus against loopback servers: requests vs look-ups, then a warm-cache rerun. */
async function networkBench(texts: string[], dirs: string[]): Promise<void> {
  const shell = await loadShellParser();
  const images = new Map<string, Set<string>>();
  const aptNames = new Set<string>();
  const apkNames = new Set<string>();
  for (const text of texts) {
    const model = parseDockerfile({ path: 'D', text }, shell);
    for (const stage of model.stages) {
      const ref = stage.from.image.ref;
      if (ref && stage.from.baseStage === undefined) {
        const tags = images.get(ref.repository) ?? new Set<string>();
        if (ref.tag) tags.add(ref.tag);
        images.set(ref.repository, tags);
      }
    }
    for (const c of model.calls) {
      const sub = c.sub?.value;
      if ((c.tool === 'apt-get' && sub === 'install') || (c.tool === 'apk' && sub === 'add')) {
        const names = c.tool === 'apk' ? apkNames : aptNames;
        for (let i = c.subIndex + 1; i < c.args.length; i++) {
          const v = c.args[i].value;
          if (!v.startsWith('-')) names.add(v.split(/[=~:]/)[0]);
        }
      }
    }
  }
  const server = await startCorpusServer({ images, aptNames, apkNames });
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'harden-bench-cache-'));
  const env = { ...server.env, HARDEN_CACHE_DIR: cacheDir };
  // Files go through as the CLI sends them: FILES_IN_FLIGHT at once, or one after another.
  const fixAll = async (flags: { offline: boolean }, envOf: NodeJS.ProcessEnv, window = FILES_IN_FLIGHT) => {
    const built = buildResolver({ offline: flags.offline, refresh: false }, envOf);
    const opts = fixOptions(shell, built.resolver);
    const start = performance.now();
    let pinned = 0;
    await inOrder(
      texts.map((text, i) => ({ text, dir: dirs[i] })),
      window,
      ({ text, dir }) =>
        harden({ path: 'D', text }, { ...opts, context: contextReader(nodeFileSystem, dir) }),
      (r) => {
        pinned += r.applied.filter((a) => a.from).length;
      },
    );
    await built.cache.flush();
    return {
      ms: performance.now() - start,
      requests: built.http.sent,
      stats: built.resolver.stats(),
      pinned,
    };
  };
  const offline = await fixAll(
    { offline: true },
    { ...env, HARDEN_CACHE_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'harden-bench-empty-')) },
  );
  const cold = await fixAll({ offline: false }, env);
  const repeated = [...server.hits.values()].filter((n) => n > 1).length;
  const warm = await fixAll({ offline: false }, env);
  await server.close();
  // Files in flight against one after another, on empty caches, after the runs above warmed the code,
  // against the same servers with a round trip added to every reply (loopback has none).
  const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 10);
  const slow = await startCorpusServer({ images, aptNames, apkNames, latencyMs });
  const fresh = () => ({
    ...slow.env,
    HARDEN_CACHE_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'harden-bench-cold-')),
  });
  const flight = await fixAll({ offline: false }, fresh());
  const serial = await fixAll({ offline: false }, fresh(), 1);
  await slow.close();
  console.log('\nFix of the corpus against loopback servers (registry, Packages, APKINDEX, PEP 691):');
  console.log(
    `  cold cache: ${cold.requests} requests for ${cold.stats.distinct} distinct look-ups, ${repeated} URLs fetched twice, ${cold.pinned} fixes pinned from look-ups, ${f(cold.ms)}`,
  );
  console.log(
    `    with ${latencyMs} ms added to every reply, empty cache: ${FILES_IN_FLIGHT} files in flight ${f(flight.ms)}, one file after another ${f(serial.ms)} (${flight.requests} and ${serial.requests} requests)`,
  );
  console.log(
    '    (requests ≤ look-ups: one Packages/APKINDEX download answers every package of its release)',
  );
  console.log(`  warm cache rerun: ${warm.requests} requests (target 0), ${f(warm.ms)}`);
  console.log(
    `  offline fix (no look-ups answered): ${f(offline.ms)}; warm rerun ${x(warm.ms, offline.ms)} of it (target ≤ 1.5×)`,
  );
}

const x = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

/** The corpus copied `k` times into a temporary folder (never into the repository). */
function corpusCopies(k: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `harden-bench-${k}x-`));
  for (let i = 0; i < k; i++) fs.cpSync(corpusDir, path.join(dir, String(i)), { recursive: true });
  return dir;
}

/**
 * Whole processes over the corpus folder, as users run them: the parse-only floor, the peer, lint and
 * fix, interleaved round by round; then lint over 1×, 3× and 10× the corpus for how cost grows.
 */
async function wholeProcessBench(cli: string): Promise<void> {
  const helper = path.join(root, 'dist/test/bench/whole-process.js');
  const rounds = Number(process.env.BENCH_PROCESS_ROUNDS ?? 7);
  const [floor, peer, lint, fix] = await interleavedSpawns(rounds, [
    [helper, 'parse', corpusDir],
    [helper, 'peer', corpusDir],
    [cli, 'lint', '--offline', '--format', 'json', corpusDir],
    [cli, 'fix', '--offline', '--diff', corpusDir],
  ]);
  console.log(`
Whole processes over the corpus folder (${rounds} interleaved rounds; ratio to the parse-only process):`);
  console.log(`  node + dockerfile-ast parse only  ${f(floor.median).padStart(10)}  1.00×`);
  console.log(
    `  peer: dockerfile-utils validate   ${f(peer.median).padStart(10)}  ${peer.ratio.toFixed(2)}×`,
  );
  console.log(
    `  harden-dockerfile lint            ${f(lint.median).padStart(10)}  ${lint.ratio.toFixed(2)}×   target ≤ 1.5×`,
  );
  console.log(
    `  harden-dockerfile fix --diff      ${f(fix.median).padStart(10)}  ${fix.ratio.toFixed(2)}×   target ≤ 2.5×`,
  );
  const copies = [1, 3, 10].map((k) => ({ k, dir: k === 1 ? corpusDir : corpusCopies(k) }));
  try {
    const scale = await interleavedSpawns(
      Math.max(3, Math.floor(rounds / 2)),
      copies.map((c) => [cli, 'lint', '--offline', '--format', 'json', c.dir]),
    );
    console.log(
      `  lint over 1×, 3×, 10× the corpus: ${scale.map((s) => f(s.median)).join(', ')}  (${scale
        .map((s) => `${s.ratio.toFixed(2)}×`)
        .join(', ')} of 1×; linear would be 1, 3, 10)`,
    );
    const helperRun = (dir: string) => memoryOf([helper, 'parse', dir]);
    const lintRun = (dir: string) => memoryOf([cli, 'lint', '--offline', '--format', 'json', dir]);
    const mem = copies.map((c) => ({ floor: helperRun(c.dir), lint: lintRun(c.dir) }));
    const mb = (n: number) => `${n.toFixed(0)} MB`;
    console.log(
      `  peak RSS over 1×, 3×, 10×: lint ${mem.map((m) => mb(m.lint.maxRssMb)).join(', ')}; parse-only ${mem
        .map((m) => mb(m.floor.maxRssMb))
        .join(', ')}`,
    );
    console.log(
      `  heap still held at exit (after a full GC): lint ${mem.map((m) => mb(m.lint.heapHeldMb)).join(', ')}` +
        ' (reports are written file by file; nothing per file is kept)',
    );
  } finally {
    for (const c of copies) if (c.k !== 1) fs.rmSync(c.dir, { recursive: true, force: true });
  }
}

/** Peak RSS and the heap held after a full GC at exit, of one run of `args` under node. */
function memoryOf(args: readonly string[]): { maxRssMb: number; heapHeldMb: number } {
  const probe = path.join(root, 'dist/test/bench/memory-probe.js');
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'harden-mem-')), 'probe.json');
  spawnSync(process.execPath, ['--expose-gc', '-r', probe, ...args], {
    stdio: 'ignore',
    env: { ...process.env, HARDEN_MEMORY_PROBE: out },
  });
  const record = JSON.parse(fs.readFileSync(out, 'utf8')) as { maxRssMb: number; heapHeldMb: number };
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  return record;
}

async function main(): Promise<void> {
  const manifest = JSON.parse(fs.readFileSync(path.join(corpusDir, 'manifest.json'), 'utf8')) as {
    id: string;
  }[];
  const texts = manifest.map((e) => fs.readFileSync(path.join(corpusDir, e.id, 'Dockerfile'), 'utf8'));
  const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 21);

  console.log(
    `harden-dockerfile bench — node ${process.version}, ${texts.length} corpus files, ${(bytes / 1024).toFixed(0)} KiB`,
  );
  // First, while this process is idle: its own background work (compiling the grammar) would slow
  // the children down.
  const cli = path.join(root, 'dist/harden-dockerfile.js');
  const example = 'examples/python-flask/Dockerfile';
  const cold = Number(process.env.BENCH_COLD_ROUNDS ?? 15);
  // The entry keeps V8's compiled code of the bundle in the cache folder (written by the first run):
  // measured with it, as every run after the first, and without it, as the very first run.
  const [nodeOnly, lintCold, fixCold, lintNoCache] = await interleavedSpawns(cold, [
    ['-e', '0'],
    [cli, 'lint', '--offline', example],
    [cli, 'fix', '--offline', '--diff', example],
    { args: [cli, 'lint', '--offline', example], env: { HARDEN_COMPILE_CACHE: '0' } },
  ]);
  console.log(
    '\nCold start, one file, a new process each time (median time; ratio: median of the per-round ratios):',
  );
  console.log(`  node -e 0                         ${f(nodeOnly.median)}  1.00×`);
  console.log(
    `  harden-dockerfile lint            ${f(lintCold.median)}  ${lintCold.ratio.toFixed(2)}×   target ≤ 2×`,
  );
  console.log(`  harden-dockerfile fix --diff      ${f(fixCold.median)}  ${fixCold.ratio.toFixed(2)}×`);
  console.log(
    `  lint, no compile cache (1st run)  ${f(lintNoCache.median)}  ${lintNoCache.ratio.toFixed(2)}×`,
  );

  await wholeProcessBench(cli);

  const shell = await loadShellParser();
  const opts = fixOptions(shell);
  const { validate } = await import('dockerfile-utils');
  // Each round runs every contender once, in turn, so machine noise falls on all of them alike.
  // The lint runs right after the parse it is measured against, in every round.
  const [parseOnly, lint, model, modelParsed, fix, peer] = await interleaved(rounds, [
    () => texts.forEach((t) => DockerfileParser.parse(t).getInstructions()),
    () =>
      texts.forEach((t) => runRules(parseDockerfile({ path: 'D', text: t }, shell), rules, DEFAULT_CONFIG)),
    () => texts.forEach((t) => parseDockerfile({ path: 'D', text: t }, shell)),
    () => texts.forEach((t) => parseDockerfile({ path: 'D', text: t }, shell).calls),
    async () => {
      for (const t of texts) await harden({ path: 'D', text: t }, opts);
    },
    () => texts.forEach((t) => validate(t)),
  ]);

  console.log(
    `\nCorpus, in process (${rounds} interleaved rounds: median time; ratio to parse-only, median of the per-round ratios; fastest rounds' ratio in brackets):`,
  );
  const row = (label: string, m: Timing) =>
    console.log(
      `  ${label.padEnd(34)}${f(m.median).padStart(10)}  ${m.ratio.toFixed(2)}×   [${x(m.min, parseOnly.min)}]`,
    );
  row('dockerfile-ast parse only', parseOnly);
  row('parse into our model', model);
  row('  … and parse every RUN body', modelParsed);
  row(`lint (model + ${rules.length} rules)   target ≤ 2×`, lint);
  row('fix --offline (passes + verify)', fix);
  row('peer: dockerfile-utils validate', peer);
  console.log(`  lint per file                     ${((lint.median / texts.length) * 1000).toFixed(0)} µs`);

  console.log('\nCost against input size (one Dockerfile, its body repeated k times):');
  const biggest = texts.reduce((a, b) => (a.length > b.length ? a : b));
  const body = biggest.replace(/^FROM .*$/m, '');
  let base = 0;
  for (const k of [1, 4, 16, 64]) {
    const text = `FROM debian:12\n${body.repeat(k)}`;
    const parse = await time(Math.max(3, rounds - 2), () => DockerfileParser.parse(text).getInstructions());
    const ms = await time(Math.max(3, rounds - 2), () =>
      runRules(parseDockerfile({ path: 'D', text }, shell), rules, DEFAULT_CONFIG),
    );
    if (k === 1) base = ms;
    console.log(
      `  ${String(k).padStart(3)}× (${(text.length / 1024).toFixed(0).padStart(5)} KiB)  lint ${f(ms).padStart(10)}  ${x(ms, base)} of 1×   dockerfile-ast parse ${f(parse).padStart(10)}  lint/parse ${x(ms, parse)}`,
    );
  }

  await networkBench(
    texts,
    manifest.map((e) => path.join(corpusDir, e.id)),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
