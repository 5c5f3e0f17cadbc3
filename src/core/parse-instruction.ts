// Converts one instruction of the scan into the model's node of its kind; each reading (arguments,
// exec form, shell bodies, pairs) has its own module.
import type { Onbuild } from 'dockerfile-ast';
import { astSource, type SourceInstr } from './instr-source';
import type { CopyInstr, ExecInstr, Instr, PairsInstr, RunInstr, ShellScript, WordsInstr } from './model';
import { toolCall } from './shell-commands';
import { type InstrContext, type CommonFields, commonFields, splitArgs, argsPastFlags } from './instr-args';
import { jsonWords, plainJson } from './exec-form';
import { parseShellBody, heredocScript, plain, firstHeredoc } from './shell-body';
import {
  RunNode,
  ExecNode,
  PairsNode,
  CopyNode,
  WordsNode,
  OnbuildNode,
  HealthcheckNode,
} from './instr-nodes';
import { plainPairs, readPairs } from './pairs';
import { shellSegments, joinSegments, joinedText } from './segments';

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

function toCopy(ins: SourceInstr, ctx: InstrContext, b: CommonFields, kind: CopyInstr['kind']): CopyInstr {
  const split = splitArgs(ctx, b.argsRange);
  const past = argsPastFlags(ctx, b.argsRange, split.flags);
  const words = jsonWords(ins, ctx, past ?? b.argsRange, past === undefined) ?? split.words;
  const heredoc = firstHeredoc(ins, ctx, b.argsRange) !== undefined;
  return new CopyNode(b, kind, split.flags, words.slice(0, -1), words[words.length - 1], heredoc);
}

function isJsonArray(text: string): boolean {
  const t = text.trim();
  if (!t.startsWith('[')) return false;
  try {
    const value: unknown = JSON.parse(t);
    return Array.isArray(value) && value.every((v) => typeof v === 'string');
  } catch {
    return false;
  }
}

/** `HEALTHCHECK [options] CMD …`: its words, and the command after CMD in the form it is written. */
function toHealthcheck(ctx: InstrContext, b: CommonFields): WordsInstr {
  const { words } = splitArgs(ctx, b.argsRange);
  const [cmd, first] = words;
  if (cmd?.value.toUpperCase() !== 'CMD' || !first) return new WordsNode(b, 'other', words);
  const range = { start: first.range.start, end: b.argsRange.end };
  // Docker reads the command as exec form when the whole of it is a JSON array of strings, else it
  // runs it in the shell. dockerfile-ast reads no JSON form for HEALTHCHECK: the strings are read
  // plainly, or left out where they do not read plainly.
  const json = isJsonArray(joinedText(ctx.text, range.start, range.end, ctx.escapeChar))
    ? (plainJson(ctx.text, range) ?? [])
    : undefined;
  const command =
    json === undefined
      ? new HealthcheckNode(range, 'shell', [], () => parseShellBody(ctx, range))
      : new HealthcheckNode(range, 'json', json);
  return new WordsNode(b, 'other', words, command);
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
    case 'HEALTHCHECK':
      return toHealthcheck(ctx, b);
    default:
      return new WordsNode(b, WORDS_KINDS[keyword] ?? 'other', splitArgs(ctx, b.argsRange).words);
  }
}
