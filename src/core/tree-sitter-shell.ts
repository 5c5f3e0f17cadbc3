// tree-sitter-bash (WebAssembly) as the shell parser: a body's commands and statements from one walk
// over its tree (shell-walker.ts), and the same tree gives a script's shape; recent trees are kept.
import type { Parser as TsParser, Tree } from 'web-tree-sitter';
import type { ShellScript } from './model';
import type { ShellParser } from './parse-shell';
import { scriptRange, SegmentMap } from './segments';
import type { Shape } from './shell-shape';
import { grammarTable, topStatements, Walker, type GrammarTable } from './shell-walker';
import { treeShape } from './tree-shape';

/**
 * Builds the parser from the bash grammar's WebAssembly bytes and, when given, tree-sitter's own
 * (both read at the edge, see effects/shell.ts; without them tree-sitter finds its file beside its
 * script).
 */
export async function createShellParser(grammar: Uint8Array, runtime?: Uint8Array): Promise<ShellParser> {
  // Loaded lazily: commands that never parse a shell body do not pay for tree-sitter.
  const ts = await import('web-tree-sitter');
  await ts.Parser.init(runtime ? { wasmBinary: runtime } : undefined);
  const language = await ts.Language.load(grammar);
  const parser = new ts.Parser();
  parser.setLanguage(language);
  return new TreeSitterShell(parser, grammarTable(language));
}

/** How many recent trees are kept: a body a fix checks is read by parse and by shape, in turn. */
const KEPT_TREES = 8;

class TreeSitterShell implements ShellParser {
  /** The last trees, by text, oldest first; a tree leaves (and is freed) as a new one comes. */
  private readonly trees = new Map<string, Tree>();

  constructor(
    private readonly parser: TsParser,
    private readonly table: GrammarTable,
  ) {}

  private tree(text: string): Tree {
    const kept = this.trees.get(text);
    if (kept) return kept;
    const tree = this.parser.parse(text);
    if (!tree) throw new Error('shell parser returned no tree');
    this.trees.set(text, tree);
    if (this.trees.size > KEPT_TREES) {
      const [oldest, old] = this.trees.entries().next().value as [string, Tree];
      this.trees.delete(oldest);
      old.delete();
    }
    return tree;
  }

  parse(text: string, map: SegmentMap, heredoc = false): ShellScript {
    const tree = this.tree(text);
    const cursor = tree.walk();
    try {
      const walker = new Walker(text, map, cursor, this.table);
      walker.walk(cursor.nodeTypeId);
      return {
        commands: walker.commands,
        pipelines: walker.pipelines,
        exports: walker.exports,
        range: scriptRange(text, map),
        statements: topStatements(cursor, map, this.table),
        hasError: walker.truncated || tree.rootNode.hasError,
        heredoc,
      };
    } finally {
      cursor.delete();
    }
  }

  shape(text: string): Shape {
    const tree = this.tree(text);
    const cursor = tree.walk();
    try {
      // The words of each simple command are read as parse reads them.
      const walker = new Walker(text, SegmentMap.identity(0, text.length), cursor, this.table);
      walker.walk(cursor.nodeTypeId);
      return treeShape(tree.rootNode, text, new Map(walker.commands.map((c) => [c.range.start, c])));
    } finally {
      cursor.delete();
    }
  }
}
