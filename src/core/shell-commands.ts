import type { Dockerfile, Instr, Invocation, RunInstr, Stage, ToolCall, Word } from './model';

export type { Invocation };

const WRAPPERS = new Set(['sudo', 'env', 'nice', 'nohup', 'time', 'exec', 'command', 'stdbuf', 'eatmydata']);
const PYTHON = /^(?:.*\/)?python(?:\d+(?:\.\d+)?|\$\{?\w+\}?)?$/;
const PIP = /^(?:.*\/)?pip(?:\d+(?:\.\d+)?)?$/;

/** yum's options that take a value; dnf has them all and `--repo`. */
const YUM_VALUE_OPTIONS: ReadonlySet<string> = new Set([
  '-c',
  '--config',
  '--installroot',
  '--enablerepo',
  '--disablerepo',
  '-x',
  '--exclude',
  '--releasever',
  '--setopt',
]);

/** Options that take the next word as their value, per tool. */
const VALUE_OPTIONS: Record<string, ReadonlySet<string>> = {
  'apt-get': new Set([
    '-o',
    '-t',
    '-c',
    '--option',
    '--target-release',
    '--config-file',
    '--default-release',
  ]),
  apt: new Set(['-o', '-t', '-c', '--option', '--target-release', '--config-file']),
  apk: new Set([
    '-X',
    '--repository',
    '-t',
    '--virtual',
    '-p',
    '--root',
    '--arch',
    '--keys-dir',
    '--repositories-file',
    '--cache-dir',
  ]),
  pip: new Set([
    '-r',
    '--requirement',
    '-c',
    '--constraint',
    '-e',
    '--editable',
    '-i',
    '--index-url',
    '--extra-index-url',
    '-f',
    '--find-links',
    '-t',
    '--target',
    '--prefix',
    '--root',
    '--trusted-host',
    '--upgrade-strategy',
    '--platform',
    '--python-version',
    '--implementation',
    '--abi',
    '--src',
    '--progress-bar',
    '--log',
    '--cache-dir',
    '--timeout',
    '--retries',
    '--proxy',
    '--cert',
    '--client-cert',
    '--global-option',
    '--install-option',
    '-C',
    '--config-settings',
    '--no-binary',
    '--only-binary',
    '--python',
    '--report',
    '--root-user-action',
    '--exists-action',
    '--use-feature',
    '--use-deprecated',
    '--group',
  ]),
  // `uv pip install`: pip's options, its plural `--requirements`, and uv's own.
  uv: new Set([
    '-r',
    '--requirement',
    '--requirements',
    '-c',
    '--constraint',
    '--constraints',
    '--override',
    '--overrides',
    '--build-constraint',
    '--build-constraints',
    '-e',
    '--editable',
    '-i',
    '--index-url',
    '--extra-index-url',
    '--index',
    '--default-index',
    '--index-strategy',
    '--keyring-provider',
    '-f',
    '--find-links',
    '-t',
    '--target',
    '--prefix',
    '-p',
    '--python',
    '--python-version',
    '--python-platform',
    '--python-preference',
    '--resolution',
    '--prerelease',
    '--exclude-newer',
    '--link-mode',
    '--config-file',
    '--config-setting',
    '-C',
    '--cache-dir',
    '--directory',
    '--project',
    '--color',
    '--group',
    '--extra',
    '-P',
    '--upgrade-package',
    '--reinstall-package',
    '--no-binary',
    '--only-binary',
    '--no-build-package',
    '--torch-backend',
    '--allow-insecure-host',
  ]),
  yum: YUM_VALUE_OPTIONS,
  dnf: new Set([...YUM_VALUE_OPTIONS, '--repo']),
  microdnf: new Set([
    '--config',
    '--installroot',
    '--enablerepo',
    '--disablerepo',
    '--releasever',
    '--setopt',
  ]),
};

export function takesValue(tool: string, option: string): boolean {
  return !option.includes('=') && (VALUE_OPTIONS[tool]?.has(option) ?? false);
}

function normalise(name: string): string {
  if (PIP.test(name)) return 'pip';
  return name.includes('/') ? name.replace(/^.*\//, '') : name;
}

/** Reads one command as a tool call, looking through `sudo`/`env` and `python -m pip`. */
export function toolCall(name: Word, commandArgs: readonly Word[]): ToolCall | undefined {
  // Most commands name their tool directly: no copies of the arguments then.
  if (!WRAPPERS.has(name.value) && !PYTHON.test(name.value)) return callOf(name, commandArgs);
  let words = [name, ...commandArgs];
  while (words.length > 1 && WRAPPERS.has(words[0].value)) {
    words = words.slice(1);
    while (
      words.length > 1 &&
      (words[0].value.startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0].value))
    ) {
      words = words.slice(1);
    }
  }
  let toolWord = words[0];
  let args = words.slice(1);
  if (PYTHON.test(toolWord.value)) {
    const m = args.findIndex((w) => w.value === '-m');
    if (m < 0 || !args[m + 1]) return undefined;
    toolWord = args[m + 1];
    args = args.slice(m + 2);
  }
  return callOf(toolWord, args);
}

function callOf(toolWord: Word, args: readonly Word[]): ToolCall {
  const tool = normalise(toolWord.value);
  let subIndex = -1;
  for (let i = 0; i < args.length; i++) {
    const v = args[i].value;
    if (v.startsWith('-')) {
      if (takesValue(tool, v)) i++;
      continue;
    }
    subIndex = i;
    break;
  }
  return { tool, toolWord, args, sub: subIndex >= 0 ? args[subIndex] : undefined, subIndex };
}

/** A RUN (ONBUILD triggers included) with its stage. */
export interface RunEntry {
  readonly stage?: Stage;
  readonly instr: RunInstr;
}

/** Collects the RUNs of a model's instructions, once, at parse time. */
export function collectRuns(instructions: readonly Instr[], stages: readonly Stage[]): RunEntry[] {
  const runs: RunEntry[] = [];
  for (const ins of instructions) {
    const run =
      ins.kind === 'run'
        ? ins
        : ins.kind === 'onbuild' && ins.trigger?.kind === 'run'
          ? ins.trigger
          : undefined;
    if (run) runs.push({ stage: ins.stage >= 0 ? stages[ins.stage] : undefined, instr: run });
  }
  return runs;
}

/** The commands of one RUN that read as tool calls, in order (parses its body). */
export function callsOfRun({ stage, instr }: RunEntry): Invocation[] {
  const calls: Invocation[] = [];
  for (const command of instr.script?.commands ?? []) {
    const c = command.call;
    if (!c) continue;
    // Written out rather than spread: this runs for every command of every file.
    calls.push({
      tool: c.tool,
      toolWord: c.toolWord,
      args: c.args,
      sub: c.sub,
      subIndex: c.subIndex,
      stage,
      instr,
      command,
    });
  }
  return calls;
}

/**
 * Whether a RUN's body can hold any of the words (command names, tools, operators such as `|`),
 * told from its plain text without parsing it: false means it holds none.
 */
export function mentions(run: RunInstr, words: readonly string[]): boolean {
  for (const w of words) if (run.plainText.includes(w)) return true;
  return false;
}

/** Whether a RUN's body can hold a pipeline: a `|` that is not part of `||`. */
export function mentionsPipe(run: RunInstr): boolean {
  return PIPE.test(run.plainText);
}

const PIPE = /(?:^|[^|])\|(?!\|)/;

/** Invocations of the given tools (and subcommands, when given) across the file, in document order. */
export function invocations(
  model: Dockerfile,
  tools: readonly string[],
  subs?: readonly string[],
): Invocation[] {
  return model.callsOf(tools).filter((c) => !subs || (c.sub !== undefined && subs.includes(c.sub.value)));
}

/** Words after the subcommand that are not options or option values: the packages of an install. */
export function operands(inv: Invocation): Word[] {
  return operandsFrom(inv.args, inv.subIndex + 1, VALUE_OPTIONS[inv.tool] ?? NO_OPTIONS);
}

const NO_OPTIONS: ReadonlySet<string> = new Set();

/** The words from `start` on that are neither options nor the values of `valueOptions` (`--x=v` carries its own). */
export function operandsFrom(
  args: readonly Word[],
  start: number,
  valueOptions: ReadonlySet<string>,
): Word[] {
  const out: Word[] = [];
  for (let i = start; i < args.length; i++) {
    const v = args[i].value;
    if (v.startsWith('-')) {
      if (valueOptions.has(v)) i++;
      continue;
    }
    out.push(args[i]);
  }
  return out;
}

/** True when any argument of the invocation is one of the given options (short flags may be bundled). */
export function hasOption(inv: Invocation, long: readonly string[], short = ''): boolean {
  return inv.args.some((w) => {
    const v = w.value;
    if (long.some((l) => v === l || v.startsWith(`${l}=`))) return true;
    return short !== '' && /^-[A-Za-z]+$/.test(v) && [...short].some((c) => v.includes(c));
  });
}

/** The instruction (top-level) that contains an offset. */
export function instrAt(model: Dockerfile, offset: number): Instr | undefined {
  const list = model.instructions;
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = list[mid].range;
    if (offset < r.start) hi = mid - 1;
    else if (offset > r.end) lo = mid + 1;
    else return list[mid];
  }
  return undefined;
}

/** Whether a shell program (`/bin/sh`, `bash` …) reads a script as a POSIX shell does. */
export function isPosixShell(program: string): boolean {
  return /^(?:.*\/)?(sh|bash|ash|dash|zsh|ksh|mksh)$/.test(program);
}

/**
 * The shell a shell-form instruction runs under: the last SHELL before it in its stage (or a stage
 * it builds on), else Docker's default `/bin/sh -c`.
 */
export function activeShell(model: Dockerfile, ins: Instr): readonly string[] {
  let shell: readonly string[] = ['/bin/sh', '-c'];
  const stage = ins.stage >= 0 ? model.stages[ins.stage] : undefined;
  if (!stage) return shell;
  const chain: Stage[] = [];
  for (let s: Stage | undefined = stage; s && chain.length <= model.stages.length;) {
    chain.unshift(s);
    s = s.from.baseStage !== undefined ? model.stages[s.from.baseStage] : undefined;
  }
  for (const s of chain) {
    for (const i of s.instructions) {
      if (i.range.start >= ins.range.start) break;
      if (i.kind === 'shell' && i.form === 'json' && i.json.length > 0) shell = i.json.map((w) => w.value);
    }
  }
  return shell;
}
