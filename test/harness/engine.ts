import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The Docker client the tests drive (Debian's docker.io ships /usr/bin/docker). */
export const DOCKER =
  process.env.HARDEN_DOCKER_BIN ?? (fs.existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker');
/** Debian's busybox-static: the one program the test images are made of. */
export const BUSYBOX = '/bin/busybox';

/**
 * Whether a Docker engine answers. In CI (`CI=true`) a missing engine fails the suite; elsewhere
 * the tests that need it say they were skipped, and why.
 */
export function engineAvailable(what: string): boolean {
  const info = spawnSync(DOCKER, ['info', '--format', '{{.ServerVersion}}'], { encoding: 'utf8' });
  const ok = info.status === 0 && fs.existsSync(BUSYBOX) && isStatic(BUSYBOX);
  if (!ok) {
    const why =
      info.status !== 0
        ? `no Docker engine answers (${(info.stderr || info.error?.message || '').trim().split('\n')[0]})`
        : `${BUSYBOX} is missing or not static (Debian's busybox-static)`;
    if (process.env.CI === 'true')
      throw new Error(`${what} needs the Docker engine: ${why}; .ci/run starts it`);
    console.warn(`${what} skipped: ${why}`);
  }
  return ok;
}

function isStatic(file: string): boolean {
  const out = spawnSync('ldd', [file], { encoding: 'utf8' });
  return /not a dynamic executable|statically linked/.test(`${out.stdout}${out.stderr}`);
}

export function docker(
  args: readonly string[],
  opts: { input?: string; env?: NodeJS.ProcessEnv } = {},
): string {
  return execFileSync(DOCKER, args, {
    encoding: 'utf8',
    input: opts.input,
    env: { ...process.env, ...opts.env },
    stdio: ['pipe', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** Builds an image FROM scratch with the static busybox in its context; nothing is pulled. */
export function buildImage(tag: string, dockerfile: string, opts: { buildkit?: boolean } = {}): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harden-build-'));
  fs.copyFileSync(BUSYBOX, path.join(dir, 'busybox'));
  fs.writeFileSync(path.join(dir, 'Dockerfile'), dockerfile);
  try {
    docker(['build', '-q', '-t', tag, dir], { env: { DOCKER_BUILDKIT: opts.buildkit ? '1' : '0' } });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Whether this engine builds with BuildKit without a separate buildx plugin. */
export function buildkitWorks(): boolean {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harden-bk-'));
  fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\nENV A=1\n');
  const r = spawnSync(DOCKER, ['build', '-q', '-t', 'harden-test/buildkit-probe:1', dir], {
    env: { ...process.env, DOCKER_BUILDKIT: '1' },
    encoding: 'utf8',
  });
  fs.rmSync(dir, { recursive: true, force: true });
  return r.status === 0;
}
