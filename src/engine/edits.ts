import type { Dockerfile, Instr, Word } from '../core/model';
import type { Range } from '../core/source';
import type { EditIntent, TextEdit } from './define-fixer';

export function replace(range: Range, text: string, intent?: EditIntent): TextEdit {
  return intent ? { range, text, intent } : { range, text };
}

export function insertAt(offset: number, text: string, intent?: EditIntent): TextEdit {
  return replace({ start: offset, end: offset }, text, intent);
}

export function insertAfter(range: Range, text: string, intent?: EditIntent): TextEdit {
  return insertAt(range.end, text, intent);
}

/** Adds an argument after a word, as a JSON string in exec form, else as a shell word. */
export function insertArgAfter(word: Word, arg: string): TextEdit {
  const intent: EditIntent = { kind: 'option', word: arg };
  return word.json
    ? insertAt(word.range.end + 1, `, ${JSON.stringify(arg)}`, intent)
    : insertAfter(word.range, ` ${arg}`, intent);
}

/** The word of a RUN command (its name or an argument) that stands exactly at `range`. */
export function wordAt(model: Dockerfile, range: Range): Word | undefined {
  for (const { instr } of model.runs) {
    if (range.start < instr.range.start || range.end > instr.range.end) continue;
    for (const c of instr.script?.commands ?? []) {
      for (const w of [c.name, ...c.args]) {
        if (w.range.start === range.start && w.range.end === range.end) return w;
      }
    }
  }
  return undefined;
}

/** A word of a RUN rewritten to `to` (as the shell reads it), with its intent. */
export function rewriteWord(
  model: Dockerfile,
  range: Range,
  text: string,
  to: (from: string) => string,
): TextEdit {
  const from = wordAt(model, range)?.value ?? model.source.text.slice(range.start, range.end);
  return replace(range, text, { kind: 'word', from, to: to(from) });
}

/** A suffix (a version) appended to the word of a RUN at `range`. */
export function appendToWord(model: Dockerfile, range: Range, suffix: string): TextEdit {
  const from = wordAt(model, range)?.value ?? model.source.text.slice(range.start, range.end);
  return insertAfter(range, suffix, { kind: 'word', from, to: from + suffix });
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

/**
 * Inserts whole lines after an instruction, with the file's line endings and the instruction's
 * indent. When the instruction's last line ends in the escape character with only comment or blank
 * lines after it, Docker would read the new lines as more of it: that dangling escape goes.
 */
export function insertLinesAfter(model: Dockerfile, ins: Instr, lines: readonly string[]): TextEdit[] {
  const at = endOfInstructionLine(model, ins);
  const { text } = model.source;
  const indent = /^[ \t]*/.exec(text.slice(model.lines.lineStart(ins.line)))?.[0] ?? '';
  const body = lines.map((l) => indent + l).join(model.eol);
  const atEnd = at === text.length && !/[\r\n]$/.test(text);
  const edits = [
    insertAt(at, atEnd ? model.eol + body : body + model.eol, {
      kind: 'lines',
      count: lines.length,
      after: true,
    }),
  ];
  const dangling = danglingEscape(model, ins);
  if (dangling !== undefined)
    edits.unshift(replace({ start: dangling, end: dangling + 1 }, '', { kind: 'lines', count: 0 }));
  return edits;
}

/** The offset of an escape character that continues an instruction's last line into nothing. */
function danglingEscape(model: Dockerfile, ins: Instr): number | undefined {
  const { text } = model.source;
  const last = model.lines.lineOf(Math.max(ins.range.start, ins.range.end - 1));
  for (let line = last; line >= ins.line; line--) {
    const start = model.lines.lineStart(line);
    const end = line + 1 < model.lines.lineCount ? model.lines.lineStart(line + 1) : text.length;
    const content = text.slice(start, end).replace(/[\r\n]+$/, '');
    const trimmed = content.trim();
    if (trimmed === '' || (line > ins.line && trimmed.startsWith('#'))) continue;
    const stripped = content.replace(/[ \t]+$/, '');
    return stripped.endsWith(model.escapeChar) ? start + stripped.length - 1 : undefined;
  }
  return undefined;
}

/** Inserts whole lines before an instruction (before the comments directly above it). */
export function insertLinesBefore(model: Dockerfile, ins: Instr, lines: readonly string[]): TextEdit {
  let line = ins.line;
  const commentLines = new Set(model.comments.map((c) => c.line));
  while (line > 0 && commentLines.has(line - 1)) line--;
  const indent = /^[ \t]*/.exec(model.source.text.slice(model.lines.lineStart(ins.line)))?.[0] ?? '';
  return insertAt(model.lines.lineStart(line), lines.map((l) => indent + l + model.eol).join(''), {
    kind: 'lines',
    count: lines.length,
  });
}
