import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { createShellParser, type ShellParser } from '../core/parse-shell';

let loading: Promise<ShellParser> | undefined;

/**
 * V8 settings for a run over a handful of files: compile the grammar's WebAssembly lazily with the
 * baseline compiler only and on this thread. By default V8 also optimises the whole 1.3 MB module in
 * background threads, and a process cannot exit before they finish: about half a second that a
 * one-file run (a pre-commit hook) never gets back. Long runs keep the default, whose optimised
 * code parses faster.
 */
const ONE_SHOT_FLAGS = [
  '--wasm-lazy-compilation',
  '--liftoff-only',
  '--no-wasm-tier-up',
  '--wasm-num-compilation-tasks=0',
];

/** Loads tree-sitter and the bash grammar once per process; later calls share the parser. */
export function loadShellParser(opts: { oneShot?: boolean } = {}): Promise<ShellParser> {
  if (!loading && opts.oneShot) ONE_SHOT_FLAGS.forEach((f) => setFlagsFromString(f));
  loading ??= createShellParser(readFileSync(require.resolve('tree-sitter-bash/tree-sitter-bash.wasm')));
  return loading;
}
