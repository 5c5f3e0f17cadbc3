import type { Parser as TsParser, TreeCursor } from 'web-tree-sitter';
import type { Assignment, Command, Pipeline, ShellScript, Word } from './model';
import { toolCall } from './shell-commands';
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
  const fields = {
    name: language.fieldIdForName('name') ?? -1,
    argument: language.fieldIdForName('argument') ?? -1,
    value: language.fieldIdForName('value') ?? -1,
  };
  return new TreeSitterShell(parser, fields);
}

/** How deep the walker follows nested syntax (subshells, substitutions, concatenations). */
const MAX_DEPTH = 200;

/** Node types that cannot contain a command. */
const LEAVES = new Set([
  'word',
  'raw_string',
  'number',
  'comment',
  'string_content',
  'variable_name',
  'file_descriptor',
  'heredoc_start',
  'heredoc_body',
  'regex',
  'test_operator',
  'special_variable_name',
  'ansi_c_string',
]);

const EXPANDING = new Set([
  'simple_expansion',
  'expansion',
  'command_substitution',
  'process_substitution',
  'arithmetic_expansion',
  'brace_expression',
]);

/** Numeric ids of the grammar fields the walker reads (comparing ids avoids building strings). */
interface FieldIds {
  readonly name: number;
  readonly argument: number;
  readonly value: number;
}

class TreeSitterShell implements ShellParser {
  constructor(
    private readonly parser: TsParser,
    private readonly fields: FieldIds,
  ) {}

  parse(text: string, map: SegmentMap, heredoc = false): ShellScript {
    const tree = this.parser.parse(text);
    if (!tree) throw new Error('shell parser returned no tree');
    try {
      const walker = new Walker(text, map, tree.walk(), this.fields);
      walker.walk();
      const trimmedStart = text.length - text.trimStart().length;
      const trimmedEnd = text.trimEnd().length;
      return {
        commands: walker.commands,
        pipelines: walker.pipelines,
        exports: walker.exports,
        range: map.range(trimmedStart, Math.max(trimmedStart, trimmedEnd)),
        hasError: tree.rootNode.hasError || walker.truncated,
        heredoc,
      };
    } finally {
      tree.delete();
    }
  }
}

interface PipelineSlot {
  readonly id: number;
  index: number;
}

/**
 * One depth-first pass over the syntax tree with a cursor (no node objects), collecting commands,
 * pipelines and exports with their positions.
 */
class Walker {
  readonly commands: Command[] = [];
  readonly pipelines: Pipeline[] = [];
  readonly exports: Assignment[] = [];
  /** The script nests deeper than the walker follows. */
  truncated = false;
  private depth = 0;

  constructor(
    private readonly text: string,
    private readonly map: SegmentMap,
    private readonly cursor: TreeCursor,
    private readonly fields: FieldIds,
  ) {}

  walk(slot?: PipelineSlot): void {
    // Untrusted input can nest thousands deep; past this depth the rest is not looked into.
    if (this.depth >= MAX_DEPTH) {
      this.truncated = true;
      return;
    }
    this.depth++;
    try {
      this.visit(slot);
    } finally {
      this.depth--;
    }
  }

  private visit(slot?: PipelineSlot): void {
    const c = this.cursor;
    const type = c.nodeType;
    if (type === 'pipeline') return this.pipeline();
    if (type === 'command') return this.command(slot);
    if (type === 'declaration_command') this.declaration();
    if (LEAVES.has(type) || !c.gotoFirstChild()) return;
    // A redirected statement passes its pipeline slot on to the command it wraps.
    const passOn = type === 'redirected_statement' ? slot : undefined;
    do if (c.nodeIsNamed) this.walk(passOn);
    while (c.gotoNextSibling());
    c.gotoParent();
  }

  private pipeline(): void {
    const c = this.cursor;
    const pipeline = { range: this.map.range(c.startIndex, c.endIndex), size: 0 };
    const slot: PipelineSlot = { id: this.pipelines.length, index: 0 };
    this.pipelines.push(pipeline);
    if (c.gotoFirstChild()) {
      do {
        if (!c.nodeIsNamed || c.nodeType === 'comment') continue;
        this.walk(slot);
        slot.index++;
      } while (c.gotoNextSibling());
      c.gotoParent();
    }
    pipeline.size = slot.index;
  }

  private command(slot?: PipelineSlot): void {
    const c = this.cursor;
    const start = c.startIndex;
    const end = c.endIndex;
    let name: Word | undefined;
    const args: Word[] = [];
    const assignments: Assignment[] = [];
    const at = this.commands.length;
    if (c.gotoFirstChild()) {
      do {
        const field = c.currentFieldId;
        let word: Word | undefined;
        if (field === this.fields.name) {
          // command_name wraps the word that names the command
          if (c.gotoFirstChild()) {
            word = name = this.word();
            c.gotoParent();
          } else word = name = this.word();
        } else if (field === this.fields.argument) args.push((word = this.word()));
        else if (c.nodeType === 'variable_assignment') assignments.push(this.assignment());
        else if (c.nodeIsNamed && !LEAVES.has(c.nodeType)) this.walk();
        // Commands inside substitutions (`$(curl …)`) are commands too.
        if (word && !word.literal) this.walk();
      } while (c.gotoNextSibling());
      c.gotoParent();
    }
    if (!name) return;
    const command: Command = {
      call: toolCall(name, args),
      name,
      args,
      assignments,
      range: this.map.range(start, end),
      pipeline: slot?.id,
      pipelineIndex: slot?.index,
    };
    // Document order: a command comes before the ones nested in its arguments.
    this.commands.splice(at, 0, command);
  }

  private declaration(): void {
    const c = this.cursor;
    if (!c.gotoFirstChild()) return;
    const isExport = c.nodeType === 'export';
    while (isExport && c.gotoNextSibling()) {
      const type: string = c.nodeType;
      if (type === 'variable_assignment') this.exports.push(this.assignment());
    }
    c.gotoParent();
  }

  private assignment(): Assignment {
    const c = this.cursor;
    let name = '';
    let value = '';
    if (c.gotoFirstChild()) {
      do {
        const field = c.currentFieldId;
        if (field === this.fields.name) name = this.text.slice(c.startIndex, c.endIndex);
        else if (field === this.fields.value) value = this.value().value;
      } while (c.gotoNextSibling());
      c.gotoParent();
    }
    return { name, value };
  }

  private word(): Word {
    const c = this.cursor;
    const start = c.startIndex;
    const end = c.endIndex;
    const { value, literal } = this.value();
    return { value, raw: this.text.slice(start, end), range: this.map.range(start, end), literal };
  }

  /** The word after quote removal, and whether it needs no expansion. */
  private value(): { value: string; literal: boolean } {
    const c = this.cursor;
    const type = c.nodeType;
    const raw = this.text.slice(c.startIndex, c.endIndex);
    switch (type) {
      case 'word':
      case 'number':
        return {
          value: raw.includes('\\') ? raw.replace(/\\(.)/gs, '$1') : raw,
          literal: !/[*?[]/.test(raw),
        };
      case 'raw_string':
        return { value: raw.slice(1, -1), literal: true };
      case 'ansi_c_string':
        return { value: raw.slice(2, -1), literal: true };
      case 'string':
        return { value: raw.slice(1, -1).replace(/\\([$`"\\\n])/g, '$1'), literal: this.childrenLiteral() };
      case 'concatenation': {
        let value = '';
        let literal = true;
        if (c.gotoFirstChild()) {
          do {
            const part = this.value();
            value += part.value;
            literal &&= part.literal;
          } while (c.gotoNextSibling());
          c.gotoParent();
        }
        return { value, literal };
      }
      default:
        return { value: raw, literal: !EXPANDING.has(type) && this.childrenLiteral() };
    }
  }

  private childrenLiteral(depth = 0): boolean {
    const c = this.cursor;
    if (depth > MAX_DEPTH) return false;
    if (!c.gotoFirstChild()) return true;
    let literal = true;
    do {
      if (EXPANDING.has(c.nodeType) || !this.childrenLiteral(depth + 1)) literal = false;
    } while (literal && c.gotoNextSibling());
    c.gotoParent();
    return literal;
  }
}
