import type { Copy, JSONInstruction, Onbuild, PropertyInstruction, Run } from 'dockerfile-ast';
import { astSource, type SourceInstr } from './instr-source';
import type {
  BaseImage,
  CopyInstr,
  ExecInstr,
  Flag,
  FromInstr,
  Instr,
  InstrBase,
  KeyValue,
  OnbuildInstr,
  PairsInstr,
  RunInstr,
  ShellScript,
  Word,
  WordsInstr,
} from './model';
import { SegmentMap, type Segment, type ShellParser } from './parse-shell';
import { toolCall } from './shell-commands';
import { isWhiteSpace, type LineIndex, type Range } from './source';

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
function argsStart(ctx: InstrContext, from: number, end: number): number {
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
function addArg(
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
 * Whether arguments may be a JSON form for dockerfile-ast: a `[` opens them, after any comment lines
 * (an escape there is left to dockerfile-ast to decide). `flagged`: the arguments may still begin with
 * flags dockerfile-ast splits its own way (see argsPastFlags), so a `[` anywhere will do.
 */
function mayBeJson(ctx: InstrContext, args: Range, flagged: boolean): boolean {
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

/** After a backslash at `i`: the offset of the line break that blanks lead to, or -1. */
function escapedBreak(text: string, i: number, end: number): number {
  let j = i + 1;
  while (j < end && (text[j] === ' ' || text[j] === '\t')) j++;
  if (text[j] === '\r' && text[j + 1] === '\n') j++;
  return j < end && (text[j] === '\n' || text[j] === '\r') ? j : -1;
}

/**
 * A JSON form read as dockerfile-ast reads one: `[`, strings separated by commas, `]`, with
 * backslash-escaped line breaks between them; anything else, and it is no JSON form (undefined).
 * Null where its reading takes more than this (a line break or an escaped blank inside a string, an
 * escape JSON does not know): dockerfile-ast reads those.
 */
function plainJson(text: string, args: Range): Word[] | undefined | null {
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
function jsonWords(source: SourceInstr, ctx: InstrContext, args: Range, flagged = false): Word[] | undefined {
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
function jsonValue(raw: string): string | undefined {
  if (!raw.includes('\\')) return /[\r\n]/.test(raw) ? undefined : raw;
  try {
    const value: unknown = JSON.parse(`"${raw}"`);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Splits a shell-form body into the pieces Docker joins: a line ending in the escape character
 * continues on the next, and comment or blank lines inside a continuation are dropped.
 */
export function shellSegments(text: string, start: number, end: number, escapeChar: string): SegmentMap {
  const firstBreak = text.indexOf('\n', start);
  if (firstBreak < 0 || firstBreak >= end) {
    let contentEnd = end;
    if (contentEnd > start && text.charCodeAt(contentEnd - 1) === 13) contentEnd--;
    return SegmentMap.identity(start, contentEnd - start);
  }
  const segments: Segment[] = [];
  let shellLength = 0;
  let pos = start;
  while (pos < end) {
    let lineEnd = text.indexOf('\n', pos);
    if (lineEnd < 0 || lineEnd > end) lineEnd = end;
    let contentEnd = lineEnd;
    if (contentEnd > pos && text.charCodeAt(contentEnd - 1) === 13) contentEnd--;
    const line = text.slice(pos, contentEnd).trimStart();
    if (segments.length > 0 && (line === '' || line.startsWith('#'))) {
      pos = lineEnd + 1;
      continue;
    }
    let e = contentEnd;
    while (e > pos && (text[e - 1] === ' ' || text[e - 1] === '\t')) e--;
    const continued = e > pos && text[e - 1] === escapeChar && lineEnd < end;
    const segEnd = continued ? e - 1 : contentEnd;
    segments.push({ shellStart: shellLength, fileStart: pos, length: segEnd - pos });
    shellLength += segEnd - pos;
    pos = lineEnd + 1;
  }
  if (segments.length === 0) segments.push({ shellStart: 0, fileStart: start, length: 0 });
  return new SegmentMap(segments);
}

export function joinSegments(text: string, map: SegmentMap): string {
  const segs = map.segments;
  if (segs.length === 1) return text.slice(segs[0].fileStart, segs[0].fileStart + segs[0].length);
  let joined = '';
  for (const s of segs) joined += text.slice(s.fileStart, s.fileStart + s.length);
  return joined;
}

function parseShellBody(ctx: InstrContext, body: Range): ShellScript {
  const map = shellSegments(ctx.text, body.start, body.end, ctx.escapeChar);
  return ctx.shell.parse(joinSegments(ctx.text, map), map);
}

const SHELLS = new Set([
  'sh',
  'bash',
  'ash',
  'dash',
  'zsh',
  '/bin/sh',
  '/bin/bash',
  '/bin/ash',
  '/usr/bin/env',
]);

/** `RUN <<EOF` (or `RUN bash <<EOF`) runs the heredoc as a script; otherwise the heredoc is data. */
function heredocScript(content: Range | undefined, ctx: InstrContext, head: Range): ShellScript {
  const firstLine = parseShellBody(ctx, head);
  const lead = firstLine.commands[0];
  const bare =
    firstLine.commands.length === 0 || ctx.text.slice(head.start, head.end).trimStart().startsWith('<<');
  if (content && (bare || (lead && SHELLS.has(lead.name.value)))) {
    const script = ctx.shell.parse(
      ctx.text.slice(content.start, content.end),
      SegmentMap.identity(content.start, content.end - content.start),
      true,
    );
    return bare ? script : { ...script, commands: [...firstLine.commands, ...script.commands] };
  }
  return firstLine;
}

/** Whether `<<` occurs in the range (a heredoc is possible). */
function mentionsHeredoc(text: string, r: Range): boolean {
  const at = text.indexOf('<<', r.start);
  return at >= 0 && at + 2 <= r.end;
}

/**
 * Instructions are built as instances of one class per kind on a common base that copies the
 * common fields in one place: they are made for every instruction of every file, and this builds
 * them about three times faster than spreading the common fields into a literal.
 */
class InstrNode {
  declare readonly keyword: string;
  declare readonly range: Range;
  declare readonly keywordRange: Range;
  declare readonly argsRange: Range;
  declare readonly line: number;
  declare readonly stage: number;
  declare readonly onbuild: boolean;

  constructor(b: CommonFields) {
    this.keyword = b.keyword;
    this.range = b.range;
    this.keywordRange = b.keywordRange;
    this.argsRange = b.argsRange;
    this.line = b.line;
    this.stage = b.stage;
    this.onbuild = b.onbuild;
  }
}

/**
 * The parsed body of a RUN, CMD, ENTRYPOINT or SHELL, worked out on first read and kept: a shell
 * body is parsed only when a rule or fixer looks at it. `toJSON` prints it like a data field.
 */
class ShellNode extends InstrNode {
  // Private fields, not properties: a frozen instruction can still parse its body on first read.
  #parsed?: ShellScript;
  /** The body still to parse; undefined once parsed. */
  #body?: ShellBody;

  constructor(b: CommonFields, body: ShellBody) {
    super(b);
    this.#body = body;
  }

  get script(): ShellScript | undefined {
    const body = this.#body;
    if (body) {
      this.#parsed = typeof body === 'function' ? body() : body.shell.parse(body.text, body.map);
      this.#body = undefined;
    }
    return this.#parsed;
  }

  toJSON(): object {
    return { ...this, script: this.script };
  }
}

/**
 * A shell body to parse when first read: its text and segment map (the usual case, without a
 * closure to allocate), or a function (heredocs, JSON form, CMD and ENTRYPOINT).
 */
type ShellBody =
  | { readonly shell: ShellParser; readonly text: string; readonly map: SegmentMap }
  | (() => ShellScript | undefined);

class RunNode extends ShellNode implements RunInstr {
  declare readonly kind: 'run';
  declare readonly form: RunInstr['form'];
  declare readonly flags: readonly Flag[];
  declare readonly plainText: string;

  constructor(
    b: CommonFields,
    form: RunInstr['form'],
    flags: readonly Flag[],
    plainText: string,
    body: ShellBody,
  ) {
    super(b, body);
    this.kind = 'run';
    this.form = form;
    this.flags = flags;
    this.plainText = plainText;
  }
}

class ExecNode extends ShellNode implements ExecInstr {
  declare readonly kind: ExecInstr['kind'];
  declare readonly form: ExecInstr['form'];
  declare readonly json: readonly Word[];

  constructor(
    b: CommonFields,
    kind: ExecInstr['kind'],
    form: ExecInstr['form'],
    json: readonly Word[],
    script: () => ShellScript | undefined,
  ) {
    super(b, script);
    this.kind = kind;
    this.form = form;
    this.json = json;
  }
}

/** ENV, ARG and LABEL: the pairs are read from dockerfile-ast on first use. */
class PairsNode extends InstrNode implements PairsInstr {
  declare readonly kind: PairsInstr['kind'];
  declare readonly plainText: string;
  #pairs?: readonly KeyValue[];
  #read?: () => readonly KeyValue[];

  constructor(b: CommonFields, kind: PairsInstr['kind'], plainText: string, read: () => readonly KeyValue[]) {
    super(b);
    this.kind = kind;
    this.plainText = plainText;
    this.#read = read;
  }

  get pairs(): readonly KeyValue[] {
    if (this.#read) {
      this.#pairs = this.#read();
      this.#read = undefined;
    }
    return this.#pairs as readonly KeyValue[];
  }

  toJSON(): object {
    return { ...this, pairs: this.pairs };
  }
}

class CopyNode extends InstrNode implements CopyInstr {
  declare readonly kind: CopyInstr['kind'];
  declare readonly flags: readonly Flag[];
  declare readonly sources: readonly Word[];
  declare readonly dest: Word | undefined;
  declare readonly heredoc: boolean;

  constructor(
    b: CommonFields,
    kind: CopyInstr['kind'],
    flags: readonly Flag[],
    sources: readonly Word[],
    dest: Word | undefined,
    heredoc: boolean,
  ) {
    super(b);
    this.kind = kind;
    this.flags = flags;
    this.sources = sources;
    this.dest = dest;
    this.heredoc = heredoc;
  }
}

class WordsNode extends InstrNode implements WordsInstr {
  declare readonly kind: WordsInstr['kind'];
  declare readonly words: readonly Word[];

  constructor(b: CommonFields, kind: WordsInstr['kind'], words: readonly Word[]) {
    super(b);
    this.kind = kind;
    this.words = words;
  }
}

class OnbuildNode extends InstrNode implements OnbuildInstr {
  declare readonly kind: 'onbuild';
  declare readonly trigger: Instr | undefined;

  constructor(b: CommonFields, trigger: Instr | undefined) {
    super(b);
    this.kind = 'onbuild';
    this.trigger = trigger;
  }
}

export class FromNode extends InstrNode implements FromInstr {
  declare readonly kind: 'from';
  declare readonly image: BaseImage;
  declare readonly platform: string | undefined;
  declare readonly stageName: string | undefined;
  declare readonly baseStage: number | undefined;
  declare readonly isScratch: boolean;

  constructor(
    b: CommonFields,
    image: BaseImage,
    platform: string | undefined,
    stageName: string | undefined,
    baseStage: number | undefined,
    isScratch: boolean,
  ) {
    super(b);
    this.kind = 'from';
    this.image = image;
    this.platform = platform;
    this.stageName = stageName;
    this.baseStage = baseStage;
    this.isScratch = isScratch;
  }
}

/** Text with quotes and backslashes removed: every word a shell reads from it is a substring. */
function plain(text: string): string {
  return text.replace(/[\\'"]/g, '');
}

/**
 * Where dockerfile-ast's arguments of a RUN, COPY or ADD start past its flags, when that is certain:
 * the flags hold no quote or comment and no escape but before a line break (so its words are
 * ours), and the first word after them has no `--` in it (where dockerfile-ast stops looking for
 * flags). Undefined otherwise.
 */
function argsPastFlags(ctx: InstrContext, args: Range, flags: readonly Flag[]): Range | undefined {
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

/**
 * The first heredoc a RUN, COPY or ADD opens in `args`, if any, with the range of its content
 * (undefined when dockerfile-ast places none): from the scan when it could tell, else from
 * dockerfile-ast.
 */
function firstHeredoc(ins: SourceInstr, ctx: InstrContext, args: Range): { content?: Range } | undefined {
  if (ctx.readsPlain && ins.heredocContent) return { content: ins.heredocContent };
  if (!mentionsHeredoc(ctx.text, args)) return undefined;
  const view = ins.ast();
  const first = (view.ins as Run | Copy).getHeredocs()[0];
  if (!first) return undefined;
  const content = first.getContentRange();
  return { content: content ? view.toRange(content) : undefined };
}

function toRun(ins: SourceInstr, ctx: InstrContext, b: CommonFields): RunInstr {
  const flags = ctx.text.startsWith('--', b.argsRange.start) ? splitArgs(ctx, b.argsRange).flags : [];
  const past = argsPastFlags(ctx, b.argsRange, flags);
  const json = jsonWords(ins, ctx, past ?? b.argsRange, past === undefined);
  if (json && json.length > 0) {
    const [name, ...args] = json;
    const script: ShellScript = {
      commands: [
        {
          call: toolCall(name, args),
          name,
          args,
          assignments: [],
          range: { start: name.range.start - 1, end: json[json.length - 1].range.end + 1 },
          nested: false,
        },
      ],
      pipelines: [],
      exports: [],
      range: b.argsRange,
      statements: [],
      hasError: false,
      heredoc: false,
    };
    return new RunNode(b, 'json', flags, json.map((w) => w.value).join(' '), () => script);
  }
  const bodyStart = flags.length > 0 ? flags[flags.length - 1].range.end : b.argsRange.start;
  const body = { start: bodyStart, end: b.argsRange.end };
  const heredoc = firstHeredoc(ins, ctx, body);
  if (heredoc) {
    const headEnd = ctx.text.indexOf('\n', bodyStart);
    const head = { start: bodyStart, end: headEnd < 0 || headEnd > body.end ? body.end : headEnd };
    const text = plain(ctx.text.slice(b.range.start, b.range.end));
    return new RunNode(b, 'shell', flags, text, () => heredocScript(heredoc.content, ctx, head));
  }
  const map = shellSegments(ctx.text, body.start, body.end, ctx.escapeChar);
  const joined = joinSegments(ctx.text, map);
  return new RunNode(b, 'shell', flags, plain(joined), { shell: ctx.shell, text: joined, map });
}

function toExec(ins: SourceInstr, ctx: InstrContext, b: CommonFields, kind: ExecInstr['kind']): ExecInstr {
  const json = jsonWords(ins, ctx, b.argsRange);
  if (json) return new ExecNode(b, kind, 'json', json, () => undefined);
  return new ExecNode(b, kind, 'shell', [], () => parseShellBody(ctx, b.argsRange));
}

function toPairs(ins: SourceInstr, ctx: InstrContext, b: CommonFields, kind: PairsInstr['kind']): PairsInstr {
  const { argsRange } = b;
  const map = shellSegments(ctx.text, argsRange.start, argsRange.end, ctx.escapeChar);
  const joined = joinSegments(ctx.text, map);
  let text = plain(joined);
  if (ctx.escapeChar !== '\\') text = text.split(ctx.escapeChar).join('');
  return new PairsNode(
    b,
    kind,
    text,
    () => (ctx.readsPlain && plainPairs(ctx, b, map, joined)) || readPairs(ins, ctx),
  );
}

/**
 * Characters after which a body is not plain: backslashes, line breaks and anything else outside
 * printable ASCII (dockerfile-ast reads a no-break space in a value as a blank, for one).
 */
const NOT_PLAIN = /[^\t\x20-\x7e]|\\/;

/**
 * The blank-separated words of a text, as offsets into it; a quoted string (`"a b"`, `'a b'`)
 * holds its blanks. Undefined when a quote is not closed.
 */
function plainWords(text: string): Range[] | undefined {
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
function plainValue(text: string, start: number, end: number): Range | undefined {
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
function plainPairs(
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

function readPairs(ins: SourceInstr, ctx: InstrContext): KeyValue[] {
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

function toCopy(ins: SourceInstr, ctx: InstrContext, b: CommonFields, kind: CopyInstr['kind']): CopyInstr {
  const split = splitArgs(ctx, b.argsRange);
  const past = argsPastFlags(ctx, b.argsRange, split.flags);
  const words = jsonWords(ins, ctx, past ?? b.argsRange, past === undefined) ?? split.words;
  const heredoc = firstHeredoc(ins, ctx, b.argsRange) !== undefined;
  return new CopyNode(b, kind, split.flags, words.slice(0, -1), words[words.length - 1], heredoc);
}

const WORDS_KINDS: Readonly<Record<string, WordsInstr['kind']>> = {
  USER: 'user',
  EXPOSE: 'expose',
  WORKDIR: 'workdir',
  MAINTAINER: 'maintainer',
};

/** Converts one instruction into the model. */
export function toInstr(ins: SourceInstr, ctx: InstrContext, stage: number, onbuild = false): Instr {
  const b = commonFields(ins, ctx, stage, onbuild);
  // Upper-cased, as dockerfile-ast's getKeyword: an escaped line break inside the keyword is gone.
  const { keyword } = ins;
  switch (keyword) {
    case 'RUN':
      return toRun(ins, ctx, b);
    case 'CMD':
      return toExec(ins, ctx, b, 'cmd');
    case 'ENTRYPOINT':
      return toExec(ins, ctx, b, 'entrypoint');
    case 'SHELL':
      return toExec(ins, ctx, b, 'shell');
    case 'ENV':
      return toPairs(ins, ctx, b, 'env');
    case 'ARG':
      return toPairs(ins, ctx, b, 'arg');
    case 'LABEL':
      return toPairs(ins, ctx, b, 'label');
    case 'COPY':
      return toCopy(ins, ctx, b, 'copy');
    case 'ADD':
      return toCopy(ins, ctx, b, 'add');
    case 'ONBUILD': {
      const view = ins.ast();
      const trigger = (view.ins as Onbuild).getTriggerInstruction();
      return new OnbuildNode(
        b,
        trigger ? toInstr(astSource(trigger, view.toRange), ctx, stage, true) : undefined,
      );
    }
    default:
      return new WordsNode(b, WORDS_KINDS[keyword] ?? 'other', splitArgs(ctx, b.argsRange).words);
  }
}
