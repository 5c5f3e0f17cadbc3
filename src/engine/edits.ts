import type { Dockerfile, Instr, Word } from '../core/model';
import type { Range } from '../core/source';
import type { TextEdit } from './define-fixer';

export function replace(range: Range, text: string): TextEdit {
  return { range, text };
}

export function insertAt(offset: number, text: string): TextEdit {
  return { range: { start: offset, end: offset }, text };
}

export function insertAfter(range: Range, text: string): TextEdit {
  return insertAt(range.end, text);
}

/** Adds an argument after a word, as a JSON string in exec form, else as a shell word. */
export function insertArgAfter(word: Word, arg: string): TextEdit {
  return word.json
    ? insertAt(word.range.end + 1, `, ${JSON.stringify(arg)}`)
    : insertAfter(word.range, ` ${arg}`);
}

/** Writes a keyword in the case the file uses. */
export function keyword(model: Dockerfile, upper: string): string {
  return model.lowercaseKeywords ? upper.toLowerCase() : upper;
}

/** Offset just past the line break that ends an instruction (or the end of the text). */
export function endOfInstructionLine(model: Dockerfile, ins: Instr): number {
  const line = model.lines.lineOf(ins.range.end);
  return line + 1 < model.lines.lineCount ? model.lines.lineStart(line + 1) : model.source.text.length;
}

/** Inserts whole lines after an instruction, with the file's line endings and the instruction's indent. */
export function insertLinesAfter(model: Dockerfile, ins: Instr, lines: readonly string[]): TextEdit {
  const at = endOfInstructionLine(model, ins);
  const { text } = model.source;
  const indent = /^[ \t]*/.exec(text.slice(model.lines.lineStart(ins.line)))?.[0] ?? '';
  const body = lines.map((l) => indent + l).join(model.eol);
  const atEnd = at === text.length && !/[\r\n]$/.test(text);
  return insertAt(at, atEnd ? model.eol + body : body + model.eol);
}

/** Inserts whole lines before an instruction (before the comments directly above it). */
export function insertLinesBefore(model: Dockerfile, ins: Instr, lines: readonly string[]): TextEdit {
  let line = ins.line;
  const commentLines = new Set(model.comments.map((c) => c.line));
  while (line > 0 && commentLines.has(line - 1)) line--;
  const indent = /^[ \t]*/.exec(model.source.text.slice(model.lines.lineStart(ins.line)))?.[0] ?? '';
  return insertAt(model.lines.lineStart(line), lines.map((l) => indent + l + model.eol).join(''));
}
