// Builds one Dockerfile on the engine and starts it the way every prove runs an image, then records
// what a reviewer would check: built, size, running or exited, each exposed port's answer, the uid.
import * as net from 'node:net';
import type { Engine } from '../effects/docker-engine';

/** What answered on one exposed port. */
export interface PortAnswer {
  /** The container's port, `8000/tcp`. */
  readonly port: string;
  /** A connection was accepted. */
  readonly accepted: boolean;
  /** The HTTP status of `GET <path>`, when the port spoke HTTP. */
  readonly status?: number;
}

/** One image, built and run. */
export interface Observation {
  readonly built: boolean;
  /** The last lines of a failed build. */
  readonly buildError?: string;
  readonly buildMs: number;
  readonly sizeBytes?: number;
  /** After the settle time: still running, or exited by itself. */
  readonly state?: 'running' | 'exited' | 'not started';
  readonly exitCode?: number;
  readonly ports: readonly PortAnswer[];
  /** The uid of the container's main process. */
  readonly uid?: number;
  /** The last lines of its output (standard output and error). */
  readonly logTail: readonly string[];
  /** Why it could not be started, when `docker run` failed. */
  readonly runError?: string;
}

/** How every image of a prove is run: the same for the original and the hardened one. */
export interface RunSpec {
  readonly env: readonly string[];
  readonly timeoutMs: number;
  readonly path: string;
  readonly memory: string;
  readonly pids: number;
  readonly network: string;
  readonly label: string;
}

export interface BuildSpec {
  readonly tag: string;
  readonly contextDir: string;
  readonly dockerfile: string;
  readonly label: string;
}

const LOG_LINES = 12;
const lastLines = (text: string, n: number) => text.trimEnd().split('\n').slice(-n);

/** Builds the image: ok, or the end of the build log. */
async function buildImage(
  engine: Engine,
  spec: BuildSpec,
): Promise<{ ok: boolean; log: string; ms: number }> {
  const started = Date.now();
  const r = await engine.call(
    ['build', '-q', '--force-rm', '--label', spec.label, '-t', spec.tag, '-f', '-', spec.contextDir],
    { input: spec.dockerfile, timeoutMs: 30 * 60_000 },
  );
  return { ok: r.code === 0, log: `${r.stdout}${r.stderr}`, ms: Date.now() - started };
}

/** Builds and runs one Dockerfile; the container is removed before this returns. */
export async function observe(engine: Engine, build: BuildSpec, run: RunSpec): Promise<Observation> {
  const b = await buildImage(engine, build);
  if (!b.ok)
    return {
      built: false,
      buildError: lastLines(b.log.replace(/^DEPRECATED:[\s\S]*?\n\n/, ''), LOG_LINES).join('\n'),
      buildMs: b.ms,
      ports: [],
      logTail: [],
    };
  const inspected = await engine.call([
    'image',
    'inspect',
    '--format',
    '{{.Size}} {{json .Config.ExposedPorts}}',
    build.tag,
  ]);
  const [size, ...exposedJson] = inspected.stdout.trim().split(' ');
  const exposed = Object.keys(
    (JSON.parse(exposedJson.join(' ') || 'null') as Record<string, unknown> | null) ?? {},
  );
  const args = ['run', '-d', '--label', run.label, '--network', run.network, '--memory', run.memory];
  args.push('--pids-limit', String(run.pids));
  for (const e of run.env) args.push('-e', e);
  for (const p of exposed) args.push('-p', `127.0.0.1::${p}`);
  const started = await engine.call([...args, build.tag], { timeoutMs: 120_000 });
  const base = { built: true, buildMs: b.ms, sizeBytes: Number(size) || undefined };
  if (started.code !== 0)
    return {
      ...base,
      state: 'not started',
      ports: [],
      logTail: [],
      runError: lastLines(started.stderr, 3).join('\n'),
    };
  const id = started.stdout.trim();
  try {
    return { ...base, ...(await watch(engine, id, exposed, run)) };
  } finally {
    await engine.call(['rm', '-f', '-v', id]);
  }
}

/** Watches a started container until its ports answer, it exits, or the settle time is over. */
async function watch(
  engine: Engine,
  id: string,
  exposed: readonly string[],
  run: RunSpec,
): Promise<Pick<Observation, 'state' | 'exitCode' | 'ports' | 'uid' | 'logTail'>> {
  const deadline = Date.now() + run.timeoutMs;
  const answers = new Map<string, PortAnswer>();
  let state: { running: boolean; exitCode: number; pid: number } = { running: true, exitCode: 0, pid: 0 };
  let uid: number | undefined;
  // A server with no port to ask is given a short while to fail on its own.
  const quiet = Math.min(run.timeoutMs, 3000);
  const since = Date.now();
  for (;;) {
    state = await stateOf(engine, id);
    if (state.running && uid === undefined) uid = await uidOf(engine, id, state.pid);
    if (!state.running) break;
    for (const port of exposed) {
      if (answers.get(port)?.accepted) continue;
      answers.set(port, await ask(engine, id, port, run.path));
    }
    const allAnswered = exposed.every((p) => answers.get(p)?.accepted);
    if (exposed.length > 0 ? allAnswered : Date.now() - since >= quiet) break;
    if (Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, 300));
  }
  const logs = await engine.call(['logs', '--tail', String(LOG_LINES), id]);
  return {
    state: state.running ? 'running' : 'exited',
    exitCode: state.running ? undefined : state.exitCode,
    ports: exposed.map((p) => answers.get(p) ?? { port: p, accepted: false }),
    uid,
    logTail: lastLines(`${logs.stdout}${logs.stderr}`, LOG_LINES).filter((l) => l !== ''),
  };
}

async function stateOf(
  engine: Engine,
  id: string,
): Promise<{ running: boolean; exitCode: number; pid: number }> {
  const r = await engine.call([
    'inspect',
    '--format',
    '{{.State.Running}} {{.State.ExitCode}} {{.State.Pid}}',
    id,
  ]);
  const [running, code, pid] = r.stdout.trim().split(' ');
  return { running: running === 'true', exitCode: Number(code) || 0, pid: Number(pid) || 0 };
}

/** The uid of the container's main process, as the engine's host sees it: no shell in the image needed. */
async function uidOf(engine: Engine, id: string, pid: number): Promise<number | undefined> {
  const r = await engine.call(['top', id, '-eo', 'pid,uid']);
  const rows = r.stdout
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.trim().split(/\s+/).map(Number));
  const main = rows.find(([p]) => p === pid) ?? rows[0];
  return main && Number.isInteger(main[1]) ? main[1] : undefined;
}

/** Connects to the port's loopback binding, then asks it `GET path` over HTTP. */
async function ask(engine: Engine, id: string, port: string, path: string): Promise<PortAnswer> {
  const r = await engine.call(['port', id, port]);
  const bound = /127\.0\.0\.1:(\d+)/.exec(r.stdout);
  if (!bound) return { port, accepted: false };
  const hostPort = Number(bound[1]);
  if (!(await accepts(hostPort))) return { port, accepted: false };
  try {
    const res = await fetch(`http://127.0.0.1:${hostPort}${path}`, {
      signal: AbortSignal.timeout(3000),
      redirect: 'manual',
    });
    await res.arrayBuffer().catch(() => undefined);
    return { port, accepted: true, status: res.status };
  } catch {
    // Accepted but not HTTP (or no answer in time): a port that listens.
    return { port, accepted: true };
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => {
      // docker-proxy accepts before the container does; a closed connection right after means no one listens.
      socket.once('close', () => resolve(false));
      socket.once('data', () => done(true));
      setTimeout(() => done(!socket.destroyed), 150);
    });
    socket.once('error', () => done(false));
  });
}
