import { familyOfImage, familyOfPackageManager, PACKAGE_MANAGER_FAMILIES } from './distro';
import { parseImageRef } from './image-ref';
import type {
  BaseImage,
  Comment,
  Dockerfile,
  DistroFamily,
  FromInstr,
  Instr,
  Invocation,
  PairsInstr,
  RunInstr,
  Stage,
} from './model';
import { sourceInstrs, type SourceInstr, type SourceInstrs } from './instr-source';
import { commonFields, splitArgs, type InstrContext } from './instr-args';
import { FromNode } from './instr-nodes';
import { toInstr } from './parse-instruction';
import { callsOfRun, collectRuns, mentions, type RunEntry } from './shell-commands';
import type { ShellParser } from './parse-shell';
import { detectEol, LineIndex, type Range, type SourceFile } from './source';

/** A Dockerfile that cannot be read as one: carries the 1-based line it failed at. */
export class DockerfileSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

interface ArgDefault {
  readonly value: string;
  readonly range?: Range;
}

const VAR_REF = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))$/;
const ANY_VAR = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-+]([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/** `FROM $BASE` and `FROM python:${PY}` take the defaults of global ARGs declared before the first FROM. */
function baseImage(word: string, wordRange: Range, argsOf: () => Map<string, ArgDefault>): BaseImage {
  if (!word.includes('$')) return { text: word, ref: parseImageRef(word), range: wordRange };
  const args = argsOf();
  const whole = VAR_REF.exec(word);
  if (whole) {
    const name = whole[1] ?? whole[2];
    const def = args.get(name);
    if (def) return { text: def.value, ref: parseImageRef(def.value), range: def.range, viaArg: name };
  }
  let viaArg: string | undefined;
  const text = word.replace(ANY_VAR, (m, braced: string, fallback: string | undefined, plain: string) => {
    const name = braced ?? plain;
    viaArg ??= name;
    const def = args.get(name);
    return def ? def.value : (fallback ?? m);
  });
  return { text, ref: parseImageRef(text), viaArg, template: templateOf(word, args) };
}

/** The template of a reference holding exactly one variable, plain `$NAME` or `${NAME}`, whose ARG
 * default stands in the file. */
function templateOf(word: string, args: Map<string, ArgDefault>): BaseImage['template'] {
  const refs = [...word.matchAll(ANY_VAR)];
  if (refs.length !== 1 || refs[0][2] !== undefined) return undefined;
  const m = refs[0];
  const arg = m[1] ?? m[3];
  const def = args.get(arg);
  if (!def?.range || def.value === '') return undefined;
  const at = m.index ?? 0;
  return { arg, argRange: def.range, before: word.slice(0, at), after: word.slice(at + m[0].length) };
}

function toFrom(
  ins: SourceInstr,
  ctx: InstrContext,
  stage: number,
  argsOf: () => Map<string, ArgDefault>,
  stageNames: Map<string, number>,
): FromInstr {
  const b = commonFields(ins, ctx, stage, false);
  const { words, flags } = splitArgs(ctx, b.argsRange);
  const imageWord = words[0];
  const image = imageWord
    ? baseImage(imageWord.value, imageWord.range, argsOf)
    : { text: '', range: undefined, ref: undefined };
  const lowerText = image.text.toLowerCase();
  const stageName = words.length >= 3 && words[1].value.toLowerCase() === 'as' ? words[2].value : undefined;
  const baseStage = stageNames.get(lowerText);
  let platform: string | undefined;
  for (const f of flags) {
    if (f.name !== 'platform') continue;
    platform = f.value;
    break;
  }
  const fromImage = baseStage === undefined ? image : { ...image, ref: undefined };
  return new FromNode(b, fromImage, platform, stageName, baseStage, lowerText === 'scratch');
}

const PACKAGE_MANAGERS = Object.keys(PACKAGE_MANAGER_FAMILIES);

/** Names of the commands a stage runs, in order, from the RUNs that can call a package manager. */
function commandNames(instrs: readonly Instr[]): string[] {
  const names: string[] = [];
  for (const ins of instrs) {
    if (ins.kind !== 'run' || !mentions(ins, PACKAGE_MANAGERS)) continue;
    for (const c of ins.script?.commands ?? []) names.push(c.name.value);
  }
  return names;
}

function stageFamily(from: FromInstr, instrs: readonly Instr[], stages: readonly Stage[]): DistroFamily {
  if (from.baseStage !== undefined) return stages[from.baseStage].family;
  const family = familyOfImage(from.image.ref, from.image.text.toLowerCase());
  if (family !== 'unknown') return family;
  for (const name of commandNames(instrs)) {
    const guess = familyOfPackageManager(name);
    if (guess) return guess;
  }
  return 'unknown';
}

function stageRefs(instrs: readonly Instr[]): string[] {
  const refs: string[] = [];
  for (const ins of instrs) {
    if (ins.kind === 'copy' || ins.kind === 'add' || ins.kind === 'run') {
      for (const f of ins.flags) {
        if (f.name === 'from' && f.value) refs.push(f.value.toLowerCase());
        if (f.name === 'mount' && f.value) {
          const m = /(?:^|,)from=([^,]+)/.exec(f.value);
          if (m) refs.push(m[1].toLowerCase());
        }
      }
    }
  }
  return refs;
}

/**
 * The comment lines between instructions (and parser directives above them): `#` as the first
 * non-blank character of a line outside any instruction. Found by scanning the gaps, which is far
 * cheaper than dockerfile-ast's own comment list and gives what rules need (the comments above an
 * instruction).
 */
function commentsBetween(lines: LineIndex, instructions: readonly Instr[]): Comment[] {
  const comments: Comment[] = [];
  const { text } = lines;
  let line = 0;
  const scanTo = (end: number) => {
    for (; line < end; line++) {
      const start = lines.lineStart(line);
      const contentEnd = lines.lineContentEnd(line);
      let i = start;
      while (i < contentEnd && (text[i] === ' ' || text[i] === '\t' || text[i] === '\ufeff')) i++;
      if (text[i] !== '#') continue;
      comments.push({
        line,
        range: { start: i, end: contentEnd },
        text: text.slice(i + 1, contentEnd).trim(),
      });
    }
  };
  for (const ins of instructions) {
    scanTo(ins.line);
    line = Math.max(line, lines.lineOf(ins.range.end) + 1);
  }
  scanTo(lines.lineCount);
  return comments;
}

/**
 * Parses a Dockerfile into the immutable model that rules read. Never executes anything.
 * `instrsOf` finds the instructions: the scan, unless told otherwise (the tests' reference reading).
 */
export function parseDockerfile(
  source: SourceFile,
  shell: ShellParser,
  instrsOf: (lines: LineIndex) => SourceInstrs = sourceInstrs,
): Dockerfile {
  const { text } = source;
  const lines = new LineIndex(text);
  const { escapeChar, instructions: found, readsPlain } = instrsOf(lines);
  const ctx: InstrContext = { text, lines, escapeChar, shell, readsPlain };
  // Global ARG defaults, read only when a FROM names a variable (every global ARG comes before it).
  let args: Map<string, ArgDefault> | undefined;
  const argsOf = () => {
    if (!args) {
      args = new Map();
      for (const arg of globalArgs)
        for (const p of arg.pairs)
          if (p.value !== undefined) args.set(p.name, { value: p.value, range: p.valueRange });
    }
    return args;
  };
  const stageNames = new Map<string, number>();
  const instructions: Instr[] = [];
  const globalArgs: PairsInstr[] = [];
  const pending: { from: FromInstr; instrs: Instr[] }[] = [];
  for (const ins of found) {
    const stage = pending.length - 1;
    if (ins.keyword === 'FROM') {
      const from = toFrom(ins, ctx, stage + 1, argsOf, stageNames);
      if (from.stageName) stageNames.set(from.stageName.toLowerCase(), stage + 1);
      pending.push({ from, instrs: [] });
      instructions.push(from);
      continue;
    }
    const instr = toInstr(ins, ctx, stage);
    instructions.push(instr);
    if (stage >= 0) pending[stage].instrs.push(instr);
    else if (instr.kind === 'arg') globalArgs.push(instr);
  }
  const stages: Stage[] = [];
  pending.forEach(({ from, instrs }, index) => {
    stages.push({
      index,
      from,
      name: from.stageName,
      instructions: instrs,
      family: stageFamily(from, instrs, stages),
      isFinal: index === pending.length - 1,
      usedBy: [],
    });
  });
  for (const stage of stages) {
    const refs = stageRefs(stage.instructions);
    for (const other of stages) {
      if (other.index >= stage.index) break;
      const used =
        stage.from.baseStage === other.index ||
        refs.includes(String(other.index)) ||
        (other.name !== undefined && refs.includes(other.name.toLowerCase()));
      if (used) (other.usedBy as number[]).push(stage.index);
    }
  }
  const comments = commentsBetween(lines, instructions);
  let lowercase = 0;
  for (const i of instructions) if (i.keyword === i.keyword.toLowerCase()) lowercase++;
  return new DockerfileModel(
    source,
    lines,
    escapeChar,
    lowercase > instructions.length / 2,
    instructions,
    globalArgs,
    stages,
    comments,
    collectRuns(instructions, stages),
  );
}

/**
 * The model of one Dockerfile. Its tool calls are worked out on demand: a RUN's body is parsed only
 * when a look-up needs it (private fields hold what was worked out, so a frozen model still can).
 */
class DockerfileModel implements Dockerfile {
  declare readonly eol: '\n' | '\r\n';
  #calls?: readonly Invocation[];
  #byRun?: Map<RunInstr, readonly Invocation[]>;
  #byTools?: Map<string, readonly Invocation[]>;

  constructor(
    readonly source: SourceFile,
    readonly lines: LineIndex,
    readonly escapeChar: string,
    readonly lowercaseKeywords: boolean,
    readonly instructions: readonly Instr[],
    readonly globalArgs: readonly PairsInstr[],
    readonly stages: readonly Stage[],
    readonly comments: readonly Comment[],
    readonly runs: readonly RunEntry[],
  ) {
    this.eol = detectEol(source.text);
  }

  get calls(): readonly Invocation[] {
    return (this.#calls ??= this.runs.flatMap((run) => this.callsIn(run)));
  }

  callsIn(run: RunEntry): readonly Invocation[] {
    this.#byRun ??= new Map();
    let calls = this.#byRun.get(run.instr);
    if (!calls) this.#byRun.set(run.instr, (calls = callsOfRun(run)));
    return calls;
  }

  callsOf(tools: readonly string[]): readonly Invocation[] {
    this.#byTools ??= new Map();
    const key = tools.join('\n');
    let calls = this.#byTools.get(key);
    if (!calls) {
      const found: Invocation[] = [];
      for (const run of this.runs) {
        // A tool's name is in the text of any RUN that calls it: the others are not parsed for it.
        if (!mentions(run.instr, tools)) continue;
        for (const c of this.callsIn(run)) if (tools.includes(c.tool)) found.push(c);
      }
      this.#byTools.set(key, (calls = found));
    }
    return calls;
  }

  toJSON(): object {
    return { ...this, calls: this.calls };
  }
}
