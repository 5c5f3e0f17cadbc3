import { DockerfileParser, type Instruction, type Onbuild } from 'dockerfile-ast';
import type { Range as LspRange } from 'vscode-languageserver-types';
import { scanDockerfile, type HeredocWords } from './scan-dockerfile';
import type { LineIndex, Range } from './source';

/** dockerfile-ast's view of one instruction, and how its line/character positions map to file offsets. */
export interface AstView {
  readonly ins: Instruction;
  readonly toRange: (r: LspRange) => Range;
}

/** One instruction of a file: where it stands, and dockerfile-ast's view of it when asked for. */
export interface SourceInstr {
  /** Upper-cased, escaped line breaks removed (dockerfile-ast's getKeyword). */
  readonly keyword: string;
  readonly range: Range;
  readonly keywordRange: Range;
  /** The content of its heredoc, when the scan could tell (see ScannedInstr); else ask ast(). */
  readonly heredocContent?: Range;
  ast(): AstView;
}

export interface SourceInstrs {
  readonly escapeChar: string;
  readonly instructions: readonly SourceInstr[];
  /**
   * Whether plain ENV/ARG/LABEL pairs, JSON forms and heredoc contents are read without
   * dockerfile-ast (see parse-instruction.ts). False only for the reference reading the tests
   * compare against.
   */
  readonly readsPlain: boolean;
}

export function toRange(lines: LineIndex, r: LspRange): Range {
  return {
    start: lines.offsetAt(r.start.line, r.start.character),
    end: lines.offsetAt(r.end.line, r.end.character),
  };
}

/** An instruction dockerfile-ast has parsed, in a document whose lines map to the file's. */
export function astSource(ins: Instruction, toFileRange: (r: LspRange) => Range): SourceInstr {
  const view: AstView = { ins, toRange: toFileRange };
  return {
    keyword: ins.getKeyword(),
    range: toFileRange(ins.getRange()),
    keywordRange: toFileRange(ins.getInstructionRange()),
    ast: () => view,
  };
}

/** An instruction the scan found: dockerfile-ast parses it alone, from its line, on first ask. */
class ScannedSource implements SourceInstr {
  #view?: AstView;

  constructor(
    readonly keyword: string,
    readonly range: Range,
    readonly keywordRange: Range,
    private readonly lines: LineIndex,
    private readonly escapeChar: string,
    readonly heredocContent?: Range,
  ) {}

  ast(): AstView {
    return (this.#view ??= isolate(this.lines, this.escapeChar, this.range));
  }
}

/**
 * dockerfile-ast's first instruction of a text read alone. The last few hundred are kept: the passes
 * of a fix read the same instructions again, and dockerfile-ast's objects never change.
 */
function parseAlone(text: string): Instruction | undefined {
  if (parsedAlone.has(text)) return parsedAlone.get(text);
  const ins = DockerfileParser.parse(text).getInstructions()[0];
  if (parsedAlone.size >= PARSED_ALONE_MAX) parsedAlone.delete(parsedAlone.keys().next().value as string);
  parsedAlone.set(text, ins);
  return ins;
}

const parsedAlone = new Map<string, Instruction | undefined>();
const PARSED_ALONE_MAX = 256;

/** The parser directive a text read alone needs to keep the file's escape character. */
function escapeDirective(escapeChar: string): string {
  return escapeChar === '\\' ? '' : `# escape=${escapeChar}\n`;
}

/**
 * Parses the text from the start of the instruction's first line to its end, behind an escape
 * directive when the file sets one: line N of that document is line N + delta of the file, at the
 * same character.
 */
function isolate(lines: LineIndex, escapeChar: string, range: Range): AstView {
  const line = lines.lineOf(range.start);
  const prefix = escapeDirective(escapeChar);
  const ins = parseAlone(prefix + lines.text.slice(lines.lineStart(line), range.end));
  const delta = line - (prefix ? 1 : 0);
  const toFileRange = (r: LspRange): Range => ({
    start: lines.offsetAt(r.start.line + delta, r.start.character),
    end: lines.offsetAt(r.end.line + delta, r.end.character),
  });
  if (ins && toFileRange(ins.getRange()).start === range.start) return { ins, toRange: toFileRange };
  // Not expected: the instruction read differently on its own. The whole file answers instead.
  const whole = DockerfileParser.parse(lines.text).getInstructions();
  const same = whole.find((i) => toRange(lines, i.getRange()).start === range.start);
  if (!same) throw new Error(`no instruction starts at offset ${range.start}`);
  return { ins: same, toRange: (r) => toRange(lines, r) };
}

/** The instructions of a file, found by the scan. */
export function sourceInstrs(lines: LineIndex): SourceInstrs {
  const { escapeChar, instructions } = scanDockerfile(lines.text, heredocWords);
  return {
    escapeChar,
    readsPlain: true,
    instructions: instructions.map(
      (s) =>
        new ScannedSource(
          s.word.toUpperCase(),
          { start: s.start, end: s.end },
          { start: s.start, end: s.keywordEnd },
          lines,
          escapeChar,
          s.heredocContent,
        ),
    ),
  };
}

/** The argument words of one RUN, COPY, ADD or ONBUILD line, split by dockerfile-ast (see HeredocWords). */
export const heredocWords: HeredocWords = (text, escapeChar) => {
  let ins: Instruction | null | undefined = parseAlone(escapeDirective(escapeChar) + text);
  if (ins?.getKeyword() === 'ONBUILD') ins = (ins as Onbuild).getTriggerInstruction();
  // Only these open heredocs (for ONBUILD, as its trigger).
  if (!ins || !['RUN', 'COPY', 'ADD'].includes(ins.getKeyword())) return [];
  return ins.getArguments().map((a) => a.getValue());
};

/**
 * The reference reading the tests compare the scan with: the instructions as dockerfile-ast's parse
 * of the whole file gives them, every pair, JSON form and heredoc read by dockerfile-ast too.
 */
export function parsedInstrs(lines: LineIndex): SourceInstrs {
  const ast = DockerfileParser.parse(lines.text);
  const toFileRange = (r: LspRange) => toRange(lines, r);
  return {
    escapeChar: ast.getEscapeCharacter(),
    readsPlain: false,
    instructions: ast.getInstructions().map((i) => astSource(i, toFileRange)),
  };
}
