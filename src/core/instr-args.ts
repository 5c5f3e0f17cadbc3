// The common fields of an instruction, and its plain arguments and leading --flags: what every
// reading of an instruction starts from.
import { type SourceInstr } from './instr-source';
import type { Flag, InstrBase, Word } from './model';
import { type ShellParser } from './parse-shell';
import { isWhiteSpace, type LineIndex, type Range } from './source';
import { shellSegments, joinSegments } from './segments';

/** What converting one instruction into the model needs to know about its file. */
export interface InstrContext {
  readonly text: string;
  readonly lines: LineIndex;
  readonly escapeChar: string;
  readonly shell: ShellParser;
  /** Plain pairs and JSON forms are read here rather than by dockerfile-ast (see plainPairs). */
  readonly readsPlain: boolean;
}

/**
 * Start of an instruction's arguments: past the blanks (and escaped line breaks) after the keyword.
 * Computed here because dockerfile-ast re-tokenises the whole instruction on every argument query.
 */
export function argsStart(ctx: InstrContext, from: number, end: number): number {
  const { text, escapeChar } = ctx;
  let i = from;
  for (;;) {
    while (i < end && (text[i] === ' ' || text[i] === '\t')) i++;
    if (text[i] !== escapeChar) return i;
    let j = i + 1;
    while (j < end && (text[j] === ' ' || text[j] === '\t')) j++;
    if (text[j] === '\r') j++;
    if (text[j] !== '\n') return i;
    i = j + 1;
  }
}

/** Fields every instruction has. */
export type CommonFields = InstrBase;

/** Common fields; `stage` is filled in by the caller. */
export function commonFields(
  ins: SourceInstr,
  ctx: InstrContext,
  stage: number,
  onbuild: boolean,
): CommonFields {
  const { range, keywordRange } = ins;
  let end = range.end;
  while (end > keywordRange.end && isWhiteSpace(ctx.text.charCodeAt(end - 1))) end--;
  const start = Math.min(argsStart(ctx, keywordRange.end, end), end);
  return {
    keyword: ctx.text.slice(keywordRange.start, keywordRange.end),
    range,
    keywordRange,
    argsRange: { start, end },
    line: ctx.lines.lineOf(range.start),
    stage,
    onbuild,
  };
}

/** The words of an instruction that takes plain arguments, and the `--flags` that lead them. */
export interface SplitArgs {
  readonly flags: Flag[];
  readonly words: Word[];
}

/**
 * Splits arguments the way Docker does for FROM, COPY, ADD, USER, EXPOSE, WORKDIR: on whitespace,
 * across continuation lines, with no quote processing (surrounding quotes are dropped from the value).
 * Leading `--name[=value]` words are flags. dockerfile-ast can do this too, but re-tokenises the
 * whole instruction on every query.
 */
export function splitArgs(ctx: InstrContext, args: Range): SplitArgs {
  const { text } = ctx;
  const lineEnd = text.indexOf('\n', args.start);
  // One line: the words stand verbatim in the file, no segment map needed.
  if (lineEnd < 0 || lineEnd >= args.end) {
    const flags: Flag[] = [];
    const words: Word[] = [];
    let i = args.start;
    for (;;) {
      while (i < args.end && isWhiteSpace(text.charCodeAt(i))) i++;
      if (i >= args.end) break;
      const start = i;
      while (i < args.end && !isWhiteSpace(text.charCodeAt(i))) i++;
      addArg(text.slice(start, i), start, (a, b) => ({ start: a, end: b }), flags, words);
    }
    return { flags, words };
  }
  const map = shellSegments(text, args.start, args.end, ctx.escapeChar);
  const joined = joinSegments(text, map);
  const flags: Flag[] = [];
  const words: Word[] = [];
  for (const m of joined.matchAll(/\S+/g))
    addArg(m[0], m.index ?? 0, (a, b) => map.range(a, b), flags, words);
  return { flags, words };
}

/** Files one whitespace-separated word as a leading `--flag[=value]` or as a word. */
export function addArg(
  raw: string,
  start: number,
  range: (start: number, end: number) => Range,
  flags: Flag[],
  words: Word[],
): void {
  if (words.length === 0 && raw.length > 2 && raw.charCodeAt(0) === 45 && raw.charCodeAt(1) === 45) {
    const eq = raw.indexOf('=');
    flags.push({
      name: raw.slice(2, eq < 0 ? undefined : eq),
      value: eq < 0 ? undefined : raw.slice(eq + 1),
      range: range(start, start + raw.length),
      valueRange: eq < 0 ? undefined : range(start + eq + 1, start + raw.length),
    });
    return;
  }
  const quoted = raw.length >= 2 && (raw[0] === '"' || raw[0] === "'") && raw[raw.length - 1] === raw[0];
  words.push({
    value: quoted ? raw.slice(1, -1) : raw,
    raw,
    range: range(start, start + raw.length),
    literal: !raw.includes('$'),
  });
}

/**
 * Where dockerfile-ast's arguments of a RUN, COPY or ADD start past its flags, when that is certain:
 * the flags hold no quote or comment and no escape but before a line break (so its words are
 * ours), and the first word after them has no `--` in it (where dockerfile-ast stops looking for
 * flags). Undefined otherwise.
 */
export function argsPastFlags(ctx: InstrContext, args: Range, flags: readonly Flag[]): Range | undefined {
  if (flags.length === 0) return args;
  const { text, escapeChar } = ctx;
  const flagsEnd = flags[flags.length - 1].range.end;
  for (let i = args.start; i < flagsEnd; i++) {
    const c = text[i];
    if (c === '"' || c === "'" || c === '#') return undefined;
    if (c === escapeChar && escapedBreak(text, i, flagsEnd + 1) < 0) return undefined;
  }
  const start = Math.min(argsStart(ctx, flagsEnd, args.end), args.end);
  let end = start;
  while (end < args.end && !isWhiteSpace(text.charCodeAt(end))) end++;
  return text.slice(start, end).includes('--') ? undefined : { start, end: args.end };
}

/** After a backslash at `i`: the offset of the line break that blanks lead to, or -1. */
export function escapedBreak(text: string, i: number, end: number): number {
  let j = i + 1;
  while (j < end && (text[j] === ' ' || text[j] === '\t')) j++;
  if (text[j] === '\r' && text[j + 1] === '\n') j++;
  return j < end && (text[j] === '\n' || text[j] === '\r') ? j : -1;
}
