// ENV, ARG and LABEL pairs: read directly when plain (bare or one-quoted-string values), else by
// dockerfile-ast.
import type { PropertyInstruction } from 'dockerfile-ast';
import { type SourceInstr } from './instr-source';
import type { KeyValue } from './model';
import type { SegmentMap } from './parse-shell';
import { type Range } from './source';
import { type InstrContext, type CommonFields } from './instr-args';

/**
 * Characters after which a body is not plain: backslashes, line breaks and anything else outside
 * printable ASCII (dockerfile-ast reads a no-break space in a value as a blank, for one).
 */
export const NOT_PLAIN = /[^\t\x20-\x7e]|\\/;

/**
 * The blank-separated words of a text, as offsets into it; a quoted string (`"a b"`, `'a b'`)
 * holds its blanks. Undefined when a quote is not closed.
 */
export function plainWords(text: string): Range[] | undefined {
  const words: Range[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
    if (i >= text.length) break;
    const start = i;
    while (i < text.length && text[i] !== ' ' && text[i] !== '\t') {
      const c = text[i];
      if (c === '"' || c === "'") {
        const close = text.indexOf(c, i + 1);
        if (close < 0) return undefined;
        i = close;
      }
      i++;
    }
    words.push({ start, end: i });
  }
  return words;
}

/** A value that is bare or one quoted string, without quotes inside: its content's offsets. */
export function plainValue(text: string, start: number, end: number): Range | undefined {
  const q = text[start];
  if (q !== '"' && q !== "'") return /["']/.test(text.slice(start, end)) ? undefined : { start, end };
  const content = text.slice(start + 1, end - 1);
  if (end - start < 2 || text[end - 1] !== q || /["']/.test(content)) return undefined;
  return { start: start + 1, end: end - 1 };
}

/**
 * The pairs of a plain ENV, ARG or LABEL, read as dockerfile-ast reads them: `NAME=value` words, or
 * the old `NAME value with spaces` form when the first word has no `=` (on one line, no quotes).
 * Plain is without escapes (but the ones that continue a line), comment or blank lines, anything
 * outside printable ASCII, and quotes but around a whole value (`NAME="a b"`). Undefined for any
 * other body, which dockerfile-ast reads.
 */
export function plainPairs(
  ctx: InstrContext,
  b: CommonFields,
  map: SegmentMap,
  joined: string,
): KeyValue[] | undefined {
  const { text, escapeChar } = ctx;
  const { argsRange: args } = b;
  // To the end of the instruction: the blanks trimmed from the arguments count too.
  const body = text.slice(args.start, b.range.end);
  // A comment line may open arguments that start below the keyword.
  if (body.startsWith('#')) return undefined;
  // Every line is a segment of the joined text: no comment or blank line was dropped.
  if (
    body.includes('\n') &&
    (body.includes('#') || body.includes('\r') || map.segments.length !== body.split('\n').length)
  )
    return undefined;
  const trimmed = text.slice(args.end, b.range.end);
  if (NOT_PLAIN.test(joined) || NOT_PLAIN.test(trimmed) || joined.includes(escapeChar)) return undefined;
  const words = plainWords(joined);
  if (!words) return undefined;
  const quoted = /["']/.test(joined);
  if (words.length >= 2 && !joined.slice(words[0].start, words[0].end).includes('=')) {
    // The old form: the rest of the line, or one quoted string.
    const rest = { start: words[1].start, end: words[words.length - 1].end };
    const value = !quoted ? rest : words.length === 2 ? plainValue(joined, rest.start, rest.end) : undefined;
    if (map.segments.length > 1 || !value || /["']/.test(joined.slice(words[0].start, words[0].end)))
      return undefined;
    return [
      {
        name: joined.slice(words[0].start, words[0].end),
        value: joined.slice(value.start, value.end),
        nameRange: map.range(words[0].start, words[0].end),
        valueRange: map.range(value.start, value.end),
      },
    ];
  }
  const pairs: KeyValue[] = [];
  for (const w of words) {
    const eq = joined.indexOf('=', w.start);
    if (eq < 0 || eq >= w.end) {
      if (quoted) return undefined;
      pairs.push({
        name: joined.slice(w.start, w.end),
        value: undefined,
        nameRange: map.range(w.start, w.end),
      });
      continue;
    }
    const value = plainValue(joined, eq + 1, w.end);
    if (!value || /["']/.test(joined.slice(w.start, eq))) return undefined;
    pairs.push({
      name: joined.slice(w.start, eq),
      value: joined.slice(value.start, value.end),
      nameRange: map.range(w.start, eq),
      valueRange: map.range(value.start, value.end),
    });
  }
  return pairs;
}

export function readPairs(ins: SourceInstr, ctx: InstrContext): KeyValue[] {
  const view = ins.ast();
  return (view.ins as PropertyInstruction).getProperties().map((p) => {
    const valueRange = p.getValueRange();
    let vr = valueRange ? view.toRange(valueRange) : undefined;
    if (vr && vr.end - vr.start >= 2) {
      const q = ctx.text[vr.start];
      if ((q === '"' || q === "'") && ctx.text[vr.end - 1] === q)
        vr = { start: vr.start + 1, end: vr.end - 1 };
    }
    return {
      name: p.getName(),
      value: p.getValue() ?? undefined,
      nameRange: view.toRange(p.getNameRange()),
      valueRange: vr,
    };
  });
}
