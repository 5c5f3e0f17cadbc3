import type { Node as TsNode, Parser as TsParser } from 'web-tree-sitter';
import type { Assignment, Command, Pipeline, ShellScript, Word } from './model';
import type { Range } from './source';

/**
 * RUN, CMD and ENTRYPOINT bodies are parsed by tree-sitter-bash (compiled to WebAssembly): a real,
 * error-tolerant shell grammar that reports a position for every word. Loading it is async and done
 * once per process; parsing is synchronous.
 */
export interface ShellParser {
  parse(text: string, segments: SegmentMap, heredoc?: boolean): ShellScript;
}

/** One piece of shell text that stands verbatim in the file. */
export interface Segment {
  readonly shellStart: number;
  readonly fileStart: number;
  readonly length: number;
}

/** Maps offsets in joined shell text back to offsets in the file. */
export class SegmentMap {
  constructor(readonly segments: readonly Segment[]) {}

  static identity(fileStart: number, length: number): SegmentMap {
    return new SegmentMap([{ shellStart: 0, fileStart, length }]);
  }

  private find(offset: number): Segment {
    const segs = this.segments;
    let lo = 0;
    let hi = segs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (segs[mid].shellStart <= offset) lo = mid;
      else hi = mid - 1;
    }
    return segs[lo];
  }

  /** File offset of the character at a shell offset. */
  start(offset: number): number {
    const seg = this.find(offset);
    return seg.fileStart + Math.min(offset - seg.shellStart, seg.length);
  }

  /** File offset just past the character before a shell offset (for range ends). */
  end(offset: number): number {
    if (offset === 0) return this.start(0);
    return this.start(offset - 1) + 1;
  }

  range(start: number, end: number): Range {
    return { start: this.start(start), end: end > start ? this.end(end) : this.start(start) };
  }
}

/** Builds the parser from the bash grammar's WebAssembly bytes (read at the edge, see effects/shell.ts). */
export async function createShellParser(grammar: Uint8Array): Promise<ShellParser> {
  // Loaded lazily: commands that never parse a shell body do not pay for tree-sitter.
  const ts = await import('web-tree-sitter');
  await ts.Parser.init();
  const language = await ts.Language.load(grammar);
  const parser = new ts.Parser();
  parser.setLanguage(language);
  return new TreeSitterShell(parser);
}

const EXPANDING = new Set([
  'simple_expansion',
  'expansion',
  'command_substitution',
  'process_substitution',
  'arithmetic_expansion',
  'brace_expression',
]);

class TreeSitterShell implements ShellParser {
  constructor(private readonly parser: TsParser) {}

  parse(text: string, map: SegmentMap, heredoc = false): ShellScript {
    const tree = this.parser.parse(text);
    if (!tree) throw new Error('shell parser returned no tree');
    try {
      const root = tree.rootNode;
      const pipelines: Pipeline[] = [];
      const pipelineIds = new Map<number, number>();
      for (const node of root.descendantsOfType('pipeline')) {
        if (!node) continue;
        pipelineIds.set(node.id, pipelines.length);
        pipelines.push({ range: map.range(node.startIndex, node.endIndex), size: pipelineSize(node) });
      }
      const commands: Command[] = [];
      for (const node of root.descendantsOfType('command')) {
        if (node) {
          const command = toCommand(node, text, map, pipelineIds);
          if (command) commands.push(command);
        }
      }
      const exports: Assignment[] = [];
      for (const node of root.descendantsOfType('declaration_command')) {
        if (node?.child(0)?.type !== 'export') continue;
        for (const child of node.namedChildren)
          if (child?.type === 'variable_assignment') exports.push(assignment(child));
      }
      const trimmedStart = text.length - text.trimStart().length;
      const trimmedEnd = text.trimEnd().length;
      return {
        commands,
        pipelines,
        exports,
        range: map.range(trimmedStart, Math.max(trimmedStart, trimmedEnd)),
        hasError: root.hasError,
        heredoc,
      };
    } finally {
      tree.delete();
    }
  }
}

function pipelineSize(node: TsNode): number {
  let n = 0;
  for (const child of node.namedChildren) if (child && child.type !== 'comment') n++;
  return n;
}

function toCommand(
  node: TsNode,
  text: string,
  map: SegmentMap,
  pipelineIds: Map<number, number>,
): Command | undefined {
  const nameNode = node.childForFieldName('name');
  if (!nameNode) return undefined;
  const nameWord = nameNode.namedChildCount === 1 ? nameNode.namedChild(0) : nameNode;
  const args: Word[] = [];
  for (const arg of node.childrenForFieldName('argument')) {
    if (arg) args.push(toWord(arg, text, map));
  }
  let pipeline: number | undefined;
  let pipelineIndex: number | undefined;
  let member: TsNode = node;
  if (member.parent?.type === 'redirected_statement') member = member.parent;
  const parent = member.parent;
  if (parent?.type === 'pipeline') {
    pipeline = pipelineIds.get(parent.id);
    let i = 0;
    for (const child of parent.namedChildren) {
      if (!child || child.type === 'comment') continue;
      if (child.id === member.id) break;
      i++;
    }
    pipelineIndex = i;
  }
  const assignments: Assignment[] = [];
  for (const child of node.namedChildren)
    if (child?.type === 'variable_assignment') assignments.push(assignment(child));
  return {
    name: toWord(nameWord ?? nameNode, text, map),
    args,
    assignments,
    range: map.range(node.startIndex, node.endIndex),
    pipeline,
    pipelineIndex,
  };
}

function assignment(node: TsNode): Assignment {
  const name = node.childForFieldName('name')?.text ?? '';
  const value = node.childForFieldName('value');
  return { name, value: value ? wordValue(value, value.text) : '' };
}

function toWord(node: TsNode, text: string, map: SegmentMap): Word {
  const raw = text.slice(node.startIndex, node.endIndex);
  return {
    value: wordValue(node, raw),
    raw,
    range: map.range(node.startIndex, node.endIndex),
    literal: isLiteral(node),
  };
}

function isLiteral(node: TsNode): boolean {
  if (EXPANDING.has(node.type)) return false;
  if (node.type === 'word' && /[*?[]/.test(node.text)) return false;
  for (const child of node.namedChildren) if (child && !isLiteral(child)) return false;
  return true;
}

function wordValue(node: TsNode, raw: string): string {
  switch (node.type) {
    case 'word':
    case 'number':
      return raw.replace(/\\(.)/gs, '$1');
    case 'raw_string':
      return raw.slice(1, -1);
    case 'ansi_c_string':
      return raw.slice(2, -1);
    case 'string':
      return raw.slice(1, -1).replace(/\\([$`"\\\n])/g, '$1');
    case 'concatenation': {
      let out = '';
      for (const child of node.children) if (child) out += wordValue(child, child.text);
      return out;
    }
    default:
      return raw;
  }
}
