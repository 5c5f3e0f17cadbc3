import type {
  Copy,
  Heredoc,
  Instruction,
  JSONInstruction,
  Onbuild,
  PropertyInstruction,
} from 'dockerfile-ast';
import type { Range as LspRange } from 'vscode-languageserver-types';
import type {
  CopyInstr,
  ExecInstr,
  Flag,
  Instr,
  KeyValue,
  PairsInstr,
  RunInstr,
  ShellScript,
  Word,
} from './model';
import { SegmentMap, type Segment, type ShellParser } from './parse-shell';
import { toolCall } from './shell-commands';
import type { LineIndex, Range } from './source';

/** What converting one dockerfile-ast instruction needs to know about its file. */
export interface InstrContext {
  readonly text: string;
  readonly lines: LineIndex;
  readonly escapeChar: string;
  readonly shell: ShellParser;
}

export function toRange(lines: LineIndex, r: LspRange): Range {
  return {
    start: lines.offsetAt(r.start.line, r.start.character),
    end: lines.offsetAt(r.end.line, r.end.character),
  };
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

/** Common fields; `stage` is filled in by the caller. */
export function commonFields(ins: Instruction, ctx: InstrContext, stage: number, onbuild: boolean) {
  const range = toRange(ctx.lines, ins.getRange());
  const keywordRange = toRange(ctx.lines, ins.getInstructionRange());
  let end = range.end;
  while (end > keywordRange.end && /\s/.test(ctx.text[end - 1])) end--;
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
  const map = shellSegments(ctx.text, args.start, args.end, ctx.escapeChar);
  const joined = joinSegments(ctx.text, map);
  const flags: Flag[] = [];
  const words: Word[] = [];
  for (const m of joined.matchAll(/\S+/g)) {
    const raw = m[0];
    const start = m.index ?? 0;
    const range = map.range(start, start + raw.length);
    if (words.length === 0 && raw.startsWith('--') && raw.length > 2) {
      const eq = raw.indexOf('=');
      flags.push({
        name: raw.slice(2, eq < 0 ? undefined : eq),
        value: eq < 0 ? undefined : raw.slice(eq + 1),
        range,
        valueRange: eq < 0 ? undefined : map.range(start + eq + 1, start + raw.length),
      });
      continue;
    }
    const quoted = raw.length >= 2 && (raw[0] === '"' || raw[0] === "'") && raw[raw.length - 1] === raw[0];
    words.push({ value: quoted ? raw.slice(1, -1) : raw, raw, range, literal: !raw.includes('$') });
  }
  return { flags, words };
}

function jsonWords(ins: JSONInstruction, ctx: InstrContext): Word[] | undefined {
  if (!ins.getOpeningBracket() || !ins.getClosingBracket()) return undefined;
  return ins.getJSONStrings().map((s) => {
    const range = toRange(ctx.lines, s.getJSONRange());
    return {
      value: s.getJSONValue(),
      raw: ctx.text.slice(range.start, range.end),
      range,
      literal: true,
      json: true,
    };
  });
}

/**
 * Splits a shell-form body into the pieces Docker joins: a line ending in the escape character
 * continues on the next, and comment or blank lines inside a continuation are dropped.
 */
export function shellSegments(text: string, start: number, end: number, escapeChar: string): SegmentMap {
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

function joinSegments(text: string, map: SegmentMap): string {
  return map.segments.map((s) => text.slice(s.fileStart, s.fileStart + s.length)).join('');
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
function heredocScript(heredocs: Heredoc[], ctx: InstrContext, head: Range): ShellScript {
  const firstLine = parseShellBody(ctx, head);
  const lead = firstLine.commands[0];
  const bare =
    firstLine.commands.length === 0 || ctx.text.slice(head.start, head.end).trimStart().startsWith('<<');
  const content = heredocs[0].getContentRange();
  if (content && (bare || (lead && SHELLS.has(lead.name.value)))) {
    const r = toRange(ctx.lines, content);
    const script = ctx.shell.parse(
      ctx.text.slice(r.start, r.end),
      SegmentMap.identity(r.start, r.end - r.start),
      true,
    );
    return bare ? script : { ...script, commands: [...firstLine.commands, ...script.commands] };
  }
  return firstLine;
}

function toRun(ins: Instruction, ctx: InstrContext, stage: number, onbuild: boolean): RunInstr {
  const b = commonFields(ins, ctx, stage, onbuild);
  const run = ins as JSONInstruction & { getHeredocs(): Heredoc[] };
  const flags = ctx.text.startsWith('--', b.argsRange.start) ? splitArgs(ctx, b.argsRange).flags : [];
  const json = jsonWords(run, ctx);
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
        },
      ],
      pipelines: [],
      exports: [],
      range: b.argsRange,
      hasError: false,
      heredoc: false,
    };
    return { ...b, kind: 'run', form: 'json', flags, script };
  }
  const bodyStart = flags.length > 0 ? flags[flags.length - 1].range.end : b.argsRange.start;
  const body = { start: bodyStart, end: b.argsRange.end };
  const heredocs = ctx.text.slice(body.start, body.end).includes('<<') ? run.getHeredocs() : [];
  if (heredocs.length > 0) {
    const headEnd = ctx.text.indexOf('\n', bodyStart);
    const head = { start: bodyStart, end: headEnd < 0 || headEnd > body.end ? body.end : headEnd };
    return { ...b, kind: 'run', form: 'shell', flags, script: heredocScript(heredocs, ctx, head) };
  }
  return { ...b, kind: 'run', form: 'shell', flags, script: parseShellBody(ctx, body) };
}

function toExec(ins: Instruction, ctx: InstrContext, stage: number, onbuild: boolean): ExecInstr {
  const b = commonFields(ins, ctx, stage, onbuild);
  const kind = ins.getKeyword().toLowerCase() as ExecInstr['kind'];
  const json = jsonWords(ins as JSONInstruction, ctx);
  if (json) return { ...b, kind, form: 'json', json };
  return { ...b, kind, form: 'shell', json: [], script: parseShellBody(ctx, b.argsRange) };
}

function toPairs(ins: Instruction, ctx: InstrContext, stage: number, onbuild: boolean): PairsInstr {
  const b = commonFields(ins, ctx, stage, onbuild);
  const pairs: KeyValue[] = (ins as PropertyInstruction).getProperties().map((p) => {
    const valueRange = p.getValueRange();
    let vr = valueRange ? toRange(ctx.lines, valueRange) : undefined;
    if (vr && vr.end - vr.start >= 2) {
      const q = ctx.text[vr.start];
      if ((q === '"' || q === "'") && ctx.text[vr.end - 1] === q)
        vr = { start: vr.start + 1, end: vr.end - 1 };
    }
    return {
      name: p.getName(),
      value: p.getValue() ?? undefined,
      nameRange: toRange(ctx.lines, p.getNameRange()),
      valueRange: vr,
    };
  });
  return { ...b, kind: ins.getKeyword().toLowerCase() as PairsInstr['kind'], pairs };
}

function toCopy(ins: Instruction, ctx: InstrContext, stage: number, onbuild: boolean): CopyInstr {
  const b = commonFields(ins, ctx, stage, onbuild);
  const copy = ins as Copy;
  const split = splitArgs(ctx, b.argsRange);
  const { flags } = split;
  const words = jsonWords(copy, ctx) ?? split.words;
  const heredoc =
    ctx.text.slice(b.argsRange.start, b.argsRange.end).includes('<<') && copy.getHeredocs().length > 0;
  const kind = ins.getKeyword().toLowerCase() as CopyInstr['kind'];
  return { ...b, kind, flags, sources: words.slice(0, -1), dest: words[words.length - 1], heredoc };
}

/** Converts one dockerfile-ast instruction into the model. */
export function toInstr(ins: Instruction, ctx: InstrContext, stage: number, onbuild = false): Instr {
  const keyword = ins.getKeyword().toUpperCase();
  switch (keyword) {
    case 'RUN':
      return toRun(ins, ctx, stage, onbuild);
    case 'CMD':
    case 'ENTRYPOINT':
    case 'SHELL':
      return toExec(ins, ctx, stage, onbuild);
    case 'ENV':
    case 'ARG':
    case 'LABEL':
      return toPairs(ins, ctx, stage, onbuild);
    case 'COPY':
    case 'ADD':
      return toCopy(ins, ctx, stage, onbuild);
    case 'ONBUILD': {
      const trigger = (ins as Onbuild).getTriggerInstruction();
      const b = commonFields(ins, ctx, stage, onbuild);
      return { ...b, kind: 'onbuild', trigger: trigger ? toInstr(trigger, ctx, stage, true) : undefined };
    }
    default: {
      const b = commonFields(ins, ctx, stage, onbuild);
      const kinds: Record<string, 'user' | 'expose' | 'workdir' | 'maintainer'> = {
        USER: 'user',
        EXPOSE: 'expose',
        WORKDIR: 'workdir',
        MAINTAINER: 'maintainer',
      };
      return { ...b, kind: kinds[keyword] ?? 'other', words: splitArgs(ctx, b.argsRange).words };
    }
  }
}
