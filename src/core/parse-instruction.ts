import type {
  Argument,
  Copy,
  Heredoc,
  Instruction,
  JSONInstruction,
  ModifiableInstruction,
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

/** Common fields; `stage` is filled in by the caller. */
function base(ins: Instruction, ctx: InstrContext, stage: number, onbuild: boolean) {
  const range = toRange(ctx.lines, ins.getRange());
  const keywordRange = toRange(ctx.lines, ins.getInstructionRange());
  const argsLsp = ins.getArgumentsRange();
  const argsRange = argsLsp
    ? toRange(ctx.lines, argsLsp)
    : { start: keywordRange.end, end: keywordRange.end };
  return {
    keyword: ctx.text.slice(keywordRange.start, keywordRange.end),
    range,
    keywordRange,
    argsRange,
    line: ctx.lines.lineOf(range.start),
    stage,
    onbuild,
  };
}

function argWord(ctx: InstrContext, arg: Argument): Word {
  const range = toRange(ctx.lines, arg.getRange());
  const raw = ctx.text.slice(range.start, range.end);
  let value = arg.getValue();
  if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value[value.length - 1] === value[0]) {
    value = value.slice(1, -1);
  }
  return { value, raw, range, literal: !raw.includes('$') };
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

function flagsOf(ins: ModifiableInstruction, ctx: InstrContext): Flag[] {
  return ins.getFlags().map((f) => {
    const valueRange = f.getValueRange();
    return {
      name: f.getName(),
      value: f.getValue() ?? undefined,
      range: toRange(ctx.lines, f.getRange()),
      valueRange: valueRange ? toRange(ctx.lines, valueRange) : undefined,
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
function heredocScript(ins: Instruction, heredocs: Heredoc[], ctx: InstrContext, head: Range): ShellScript {
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
  void ins;
  return firstLine;
}

function toRun(ins: Instruction, ctx: InstrContext, stage: number, onbuild: boolean): RunInstr {
  const b = base(ins, ctx, stage, onbuild);
  const run = ins as JSONInstruction & { getHeredocs(): Heredoc[] };
  const flags = flagsOf(run, ctx);
  const json = jsonWords(run, ctx);
  if (json && json.length > 0) {
    const [name, ...args] = json;
    const script: ShellScript = {
      commands: [
        {
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
  const heredocs = run.getHeredocs();
  if (heredocs.length > 0) {
    const headEnd = ctx.text.indexOf('\n', bodyStart);
    const head = { start: bodyStart, end: headEnd < 0 || headEnd > body.end ? body.end : headEnd };
    return { ...b, kind: 'run', form: 'shell', flags, script: heredocScript(ins, heredocs, ctx, head) };
  }
  return { ...b, kind: 'run', form: 'shell', flags, script: parseShellBody(ctx, body) };
}

function toExec(ins: Instruction, ctx: InstrContext, stage: number, onbuild: boolean): ExecInstr {
  const b = base(ins, ctx, stage, onbuild);
  const kind = ins.getKeyword().toLowerCase() as ExecInstr['kind'];
  const json = jsonWords(ins as JSONInstruction, ctx);
  if (json) return { ...b, kind, form: 'json', json };
  return { ...b, kind, form: 'shell', json: [], script: parseShellBody(ctx, b.argsRange) };
}

function toPairs(ins: Instruction, ctx: InstrContext, stage: number, onbuild: boolean): PairsInstr {
  const b = base(ins, ctx, stage, onbuild);
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
  const b = base(ins, ctx, stage, onbuild);
  const copy = ins as Copy;
  const flags = flagsOf(copy, ctx);
  const words = jsonWords(copy, ctx) ?? copy.getArguments().map((a) => argWord(ctx, a));
  const heredoc = copy.getHeredocs().length > 0;
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
      const b = base(ins, ctx, stage, onbuild);
      return { ...b, kind: 'onbuild', trigger: trigger ? toInstr(trigger, ctx, stage, true) : undefined };
    }
    default: {
      const b = base(ins, ctx, stage, onbuild);
      const kinds: Record<string, 'user' | 'expose' | 'workdir' | 'maintainer'> = {
        USER: 'user',
        EXPOSE: 'expose',
        WORKDIR: 'workdir',
        MAINTAINER: 'maintainer',
      };
      const words = ins.getArguments().map((a) => argWord(ctx, a));
      return { ...b, kind: kinds[keyword] ?? 'other', words };
    }
  }
}
