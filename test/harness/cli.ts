import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/cli/main';

/** A fresh cache directory, so no run answers from another test's look-ups. */
export function testCacheDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'harden-cache-'));
}

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process; the environment is empty unless given, so nothing reaches a network. */
export async function runCli(
  args: readonly string[],
  opts: { stdin?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
    readStdin: async () => opts.stdin ?? '',
    cwd: opts.cwd ?? process.cwd(),
    env: {
      HARDEN_CACHE_DIR: testCacheDir(),
      HARDEN_APT_SOURCES: 'none',
      HARDEN_LOOPBACK_ONLY: '1',
      ...opts.env,
    },
  });
  return { code, stdout, stderr };
}
