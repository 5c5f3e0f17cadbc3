import { readFileSync } from 'node:fs';
import { createShellParser, type ShellParser } from '../core/parse-shell';

let loading: Promise<ShellParser> | undefined;

/** Loads tree-sitter and the bash grammar once per process; later calls share the parser. */
export function loadShellParser(): Promise<ShellParser> {
  loading ??= createShellParser(readFileSync(require.resolve('tree-sitter-bash/tree-sitter-bash.wasm')));
  return loading;
}
