// The user's container engine, through the `docker` command line (its context, DOCKER_HOST, its
// credentials and builder): each call runs docker with arguments, never a shell, bounded in time.
import { spawn } from 'node:child_process';

export interface EngineResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface EngineCallOptions {
  /** Written to docker's standard input (a Dockerfile for `build -f -`). */
  readonly input?: string;
  readonly timeoutMs?: number;
  /** Runs even after `interrupt` (the clean-up); other calls then never finish. */
  readonly force?: boolean;
}

export interface Engine {
  /** One docker command: its arguments; the result, also when it fails. */
  call(args: readonly string[], opts?: EngineCallOptions): Promise<EngineResult>;
  /** Stops every docker command still running (on Ctrl-C or SIGTERM, before cleaning up). */
  interrupt(): void;
}

/** Output kept per stream, at most: a build log is read for its last lines only. */
const MAX_OUTPUT = 1024 * 1024;

/** Thrown when the docker command itself cannot be started. */
export class EngineMissing extends Error {}

/**
 * The engine behind the `docker` on the PATH (HARDEN_DOCKER names another), with the user's
 * environment: DOCKER_HOST, DOCKER_CONTEXT and DOCKER_CONFIG apply as they do to docker itself.
 */
export function dockerEngine(env: NodeJS.ProcessEnv): Engine {
  const command = env.HARDEN_DOCKER || 'docker';
  const live = new Set<ReturnType<typeof spawn>>();
  let interrupted = false;
  const call = (args: readonly string[], opts: EngineCallOptions = {}) =>
    new Promise<EngineResult>((resolve, reject) => {
      // Once interrupted, the work in flight stops where it is: only the clean-up goes on.
      if (interrupted && !opts.force) return;
      const child = spawn(command, [...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
      live.add(child);
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let outBytes = 0;
      let errBytes = 0;
      const keep = (into: Buffer[], c: Buffer, size: number) => {
        into.push(c);
        let total = size + c.length;
        // Keep the tail: the end of a log says why it failed.
        while (total > MAX_OUTPUT && into.length > 1) total -= (into.shift() as Buffer).length;
        return total;
      };
      child.stdout.on('data', (c: Buffer) => (outBytes = keep(out, c, outBytes)));
      child.stderr.on('data', (c: Buffer) => (errBytes = keep(err, c, errBytes)));
      const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGTERM'), opts.timeoutMs) : undefined;
      child.on('error', (e: NodeJS.ErrnoException) => {
        live.delete(child);
        if (timer) clearTimeout(timer);
        reject(e.code === 'ENOENT' ? new EngineMissing(`${command} is not on the PATH`) : e);
      });
      child.on('close', (code) => {
        live.delete(child);
        if (timer) clearTimeout(timer);
        if (interrupted && !opts.force) return;
        resolve({
          code: code ?? 1,
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
        });
      });
      child.stdin.on('error', () => undefined);
      child.stdin.end(opts.input ?? '');
    });
  return {
    call,
    interrupt() {
      interrupted = true;
      for (const child of live) child.kill('SIGTERM');
    },
  };
}
