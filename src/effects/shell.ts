import { readFileSync } from 'node:fs';
import type { ShellParser } from '../core/parse-shell';
import { createShellParser } from '../core/tree-sitter-shell';
import { LazyShellParser, plainFirst } from '../core/plain-shell';

let loading: Promise<ShellParser> | undefined;

/** tree-sitter and the bash grammar, loaded once per process; later calls share the parser. */
export function loadTreeSitterShell(): Promise<ShellParser> {
  loading ??= createShellParser(
    readFileSync(require.resolve('tree-sitter-bash/tree-sitter-bash.wasm')),
    // Given, not looked for: the command line bundles tree-sitter's script away from this file.
    readFileSync(require.resolve('web-tree-sitter/tree-sitter.wasm')),
  );
  return loading;
}

/** The shell parser: plain bodies read directly (see plain-shell.ts), the others by tree-sitter. */
export async function loadShellParser(): Promise<ShellParser> {
  return plainFirst(await loadTreeSitterShell());
}

/** A parser that loads tree-sitter only when a body is not plain (see LazyShellParser). */
export function lazyShellParser(): LazyShellParser {
  return new LazyShellParser(loadTreeSitterShell);
}
