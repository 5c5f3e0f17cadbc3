import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DOCKER, docker, engineAvailable } from './engine';
import { freePort } from './registry';

/**
 * The stand-ins for official images (debian:bookworm and -slim; python:3.11 and node:18 with a
 * compiler, headers and git, python:3.11-slim and node:18-slim without them; nginx:1.22) that
 * .ci/standins makes from Debian's packages and
 * pushes to the registry the engine takes as its Docker Hub mirror. Test Dockerfiles name them as
 * users do; pins by digest pull them from the mirror.
 */
export const MIRROR = process.env.HARDEN_MIRROR_URL ?? 'http://127.0.0.1:5555';

const STANDINS = [
  'debian:bookworm',
  'debian:bookworm-slim',
  'python:3.11',
  'python:3.11-slim',
  'python:3.11.2-slim',
  'node:18',
  'node:18-slim',
  'nginx:1.22',
];

/** Whether the engine, its mirror and the stand-ins are there; in CI their absence fails the suite. */
export function standinsAvailable(what: string): boolean {
  if (!engineAvailable(what)) return false;
  const mirrors = spawnSync(DOCKER, ['info', '--format', '{{json .RegistryConfig.Mirrors}}'], {
    encoding: 'utf8',
  }).stdout;
  const missing = STANDINS.filter(
    (image) => spawnSync(DOCKER, ['image', 'inspect', image], { stdio: 'ignore' }).status !== 0,
  );
  const why = !mirrors.includes(MIRROR.replace(/\/+$/, ''))
    ? `the engine does not take ${MIRROR} as its registry mirror (dockerd --registry-mirror)`
    : missing.length > 0
      ? `the stand-in images ${missing.join(', ')} are missing (.ci/standins ${MIRROR})`
      : undefined;
  if (!why) return true;
  if (process.env.CI === 'true')
    throw new Error(`${what} needs the stand-in images: ${why}; .ci/run makes them`);
  console.warn(`${what} skipped: ${why}`);
  return false;
}

/** The environment that points the tool at the mirror, with a cache of its own. */
export function mirrorEnv(): Record<string, string> {
  return {
    HARDEN_REGISTRY_MIRROR: MIRROR,
    HARDEN_CACHE_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'harden-standin-cache-')),
    HARDEN_APT_SOURCES: 'none',
    HARDEN_LOOPBACK_ONLY: '1',
  };
}

/** Builds a folder with the classic builder; the error output when it fails. */
export function build(tag: string, dir: string): { ok: boolean; log: string } {
  const r = spawnSync(DOCKER, ['build', '-q', '-t', tag, dir], {
    encoding: 'utf8',
    env: { ...process.env, DOCKER_BUILDKIT: '0' },
    timeout: 300_000,
  });
  return { ok: r.status === 0, log: `${r.stdout}${r.stderr}` };
}

/** The uid and command line of each process of a running container. */
export function processes(container: string): { uid: number; args: string }[] {
  return docker(['top', container, '-eo', 'pid,uid,args'])
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .map((l) => {
      const [, uid, ...args] = l.trim().split(/\s+/);
      return { uid: Number(uid), args: args.join(' ') };
    });
}

/** Waits for an HTTP answer on a published port: its status and body, or undefined in time. */
export async function answer(
  port: number,
  ms = 20_000,
): Promise<{ status: number; body: string } | undefined> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) });
      return { status: res.status, body: await res.text() };
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return undefined;
}

/**
 * Builds a folder with the classic builder without blocking this process, for builds that fetch from
 * a server the test itself serves (a package index, an apt repository). `args` go before the folder.
 */
export function buildWhileServing(
  tag: string,
  dir: string,
  args: readonly string[] = [],
): Promise<{ ok: boolean; log: string }> {
  return new Promise((resolve) => {
    const child = spawn(DOCKER, ['build', '--force-rm', ...args, '-t', tag, dir], {
      env: { ...process.env, DOCKER_BUILDKIT: '0' },
      timeout: 300_000,
    });
    let log = '';
    child.stdout.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr.on('data', (d: Buffer) => (log += d.toString()));
    child.on('close', (code) => resolve({ ok: code === 0, log }));
  });
}

/**
 * Starts an image with its port 8000 published on loopback, asks it GET / and removes it: the answer,
 * or an error with the container's output when none came. `args` go to `docker run`.
 */
export async function runAndAsk(
  tag: string,
  args: readonly string[] = [],
): Promise<{ status: number; body: string }> {
  const name = `hd-ask-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const port = await freePort();
  docker(['run', '-d', ...args, '--name', name, '-p', `127.0.0.1:${port}:8000`, tag]);
  try {
    const got = await answer(port);
    const logs = spawnSync(DOCKER, ['logs', name], { encoding: 'utf8' });
    if (!got) throw new Error(`${tag} did not answer:\n${logs.stdout}${logs.stderr}`);
    return got;
  } finally {
    spawnSync(DOCKER, ['rm', '-f', name], { stdio: 'ignore' });
  }
}

/** The address of the Docker bridge's gateway: where a server of the test is reached from a build. */
export const bridgeGateway = (): string =>
  docker(['network', 'inspect', 'bridge', '--format', '{{(index .IPAM.Config 0).Gateway}}']).trim();

/** Runs a command in a stand-in with no network, the folder `dir` mounted at /w, in `workdir`. */
export function runOffline(
  image: string,
  dir: string,
  workdir: string,
  command: readonly string[],
  label: string,
): string {
  return docker([
    'run',
    '--rm',
    '--network',
    'none',
    '--label',
    label,
    '-v',
    `${dir}:/w`,
    '-w',
    workdir,
    image,
    ...command,
  ]);
}

/** What `command -v` finds of the C compilers in an image: empty when it has none. */
export const compilersIn = (tag: string, label: string): string =>
  docker([
    'run',
    '--rm',
    '--label',
    label,
    '--entrypoint',
    'sh',
    tag,
    '-c',
    'command -v gcc; command -v cc; true',
  ]).trim();
