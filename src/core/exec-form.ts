// The JSON (exec) form of RUN, CMD, ENTRYPOINT, SHELL, COPY and ADD: read directly when it is plain,
// else by dockerfile-ast, with JSON's own escapes.
import type { JSONInstruction } from 'dockerfile-ast';
import { type SourceInstr } from './instr-source';
import type { Word } from './model';
import { isWhiteSpace, type Range } from './source';
import { escapedBreak, type InstrContext } from './instr-args';

/**
 * Whether arguments may be a JSON form for dockerfile-ast: a `[` opens them, after any comment lines
 * (an escape there is left to dockerfile-ast to decide). `flagged`: the arguments may still begin with
 * flags dockerfile-ast splits its own way (see argsPastFlags), so a `[` anywhere will do.
 */
export function mayBeJson(ctx: InstrContext, args: Range, flagged: boolean): boolean {
  const { text } = ctx;
  const bracket = text.indexOf('[', args.start);
  if (bracket < 0 || bracket >= args.end) return false;
  let at = args.start;
  // Comment lines inside the continuation (`RUN \` then `# …`) stand before the first argument.
  while (text[at] === '#') {
    while (at < args.end && text[at] !== '\n') at++;
    while (at < args.end && isWhiteSpace(text.charCodeAt(at))) at++;
  }
  const first = text[at];
  return first === '[' || first === ctx.escapeChar || (flagged && first === '-');
}

/**
 * A JSON form read as dockerfile-ast reads one: `[`, strings separated by commas, `]`, with
 * backslash-escaped line breaks between them; anything else, and it is no JSON form (undefined).
 * Null where its reading takes more than this (a line break or an escaped blank inside a string, an
 * escape JSON does not know): dockerfile-ast reads those.
 */
export function plainJson(text: string, args: Range): Word[] | undefined | null {
  if (text[args.start] !== '[') return null;
  const words: Word[] = [];
  let last = '[';
  for (let i = args.start + 1; i < args.end; i++) {
    const c = text[i];
    if (c === ' ' || c === '\t') continue;
    if (c === ']') return words;
    if (c === ',' && last === '"') last = ',';
    else if (c === '\\') {
      const lineBreak = escapedBreak(text, i, args.end);
      if (lineBreak < 0) return undefined;
      i = lineBreak;
    } else if (c === '"' && last !== '"') {
      let close = i + 1;
      for (; close < args.end && text[close] !== '"'; close++) {
        const d = text[close];
        if (d === '\r' || d === '\n') return null;
        if (d === '\\') {
          const next = text[close + 1];
          if (next === ' ' || next === '\t' || next === '\r' || next === '\n' || next === undefined)
            return null;
          close++;
        }
      }
      if (close >= args.end) return undefined;
      const raw = text.slice(i + 1, close);
      const value = jsonValue(raw);
      if (value === undefined) return null;
      words.push({ value, raw, range: { start: i + 1, end: close }, literal: true, json: true });
      last = '"';
      i = close;
    } else return undefined;
  }
  return undefined;
}

/** The strings of a JSON form, `["a", "b"]` (see mayBeJson and plainJson). */
export function jsonWords(
  source: SourceInstr,
  ctx: InstrContext,
  args: Range,
  flagged = false,
): Word[] | undefined {
  if (!mayBeJson(ctx, args, flagged)) return undefined;
  const plain = ctx.readsPlain ? plainJson(ctx.text, args) : null;
  if (plain !== null) return plain;
  const view = source.ast();
  const ins = view.ins as JSONInstruction;
  if (!ins.getOpeningBracket() || !ins.getClosingBracket()) return undefined;
  return ins.getJSONStrings().map((s) => {
    const range = view.toRange(s.getJSONRange());
    const raw = ctx.text.slice(range.start, range.end);
    return { value: jsonValue(raw) ?? s.getJSONValue(), raw, range, literal: true, json: true };
  });
}

/**
 * The value of a JSON string from its text between the quotes, or undefined when that text is not
 * a JSON string's (a line break inside, a stray escape). dockerfile-ast's own value drops the blanks
 * inside the string (`"a b"` reads `ab`), so it is used only then.
 */
export function jsonValue(raw: string): string | undefined {
  if (!raw.includes('\\')) return /[\r\n]/.test(raw) ? undefined : raw;
  try {
    const value: unknown = JSON.parse(`"${raw}"`);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}
