import type { Command, Dockerfile, RunInstr, Stage, Word } from './model';
import { mentions } from './shell-commands';

/**
 * The option names among a command's words, read the way most tools read them: `--name` and
 * `--name=value` give `name`; `-abc` gives `a`, `b` and `c`. Words after `--` are operands.
 */
export function flagNames(args: readonly Word[]): Set<string> {
  const names = new Set<string>();
  for (const w of args) {
    const v = w.value;
    if (v === '--') break;
    if (v.startsWith('--')) names.add(v.slice(2).split('=')[0]);
    else if (v.startsWith('-') && v.length > 1) for (const c of v.slice(1)) names.add(c);
  }
  return names;
}

export function hasAnyFlag(args: readonly Word[], names: readonly string[]): boolean {
  const present = flagNames(args);
  return names.some((n) => present.has(n));
}

/** The value of `-u 1234`, `-u1234`, `--uid 1234` or `--uid=1234`. */
export function flagValue(args: readonly Word[], short: string, long: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const v = args[i].value;
    if (v === `-${short}` || v === `--${long}`) return args[i + 1]?.value;
    if (v.startsWith(`--${long}=`)) return v.slice(long.length + 3);
    if (v.startsWith(`-${short}`) && !v.startsWith('--')) return v.slice(short.length + 1);
  }
  return undefined;
}

/** Words that are not options (do not start with `-`). */
export function plainArgs(args: readonly Word[]): Word[] {
  return args.filter((w) => !w.value.startsWith('-'));
}

/** A command of a RUN read through `sudo`/`env`: its tool name and the words after it. */
export interface CommandOf {
  readonly run: RunInstr;
  readonly stage?: Stage;
  readonly command: Command;
  readonly name: string;
  readonly args: readonly Word[];
}

/**
 * Every command named one of `names` in the file's RUNs (ONBUILD triggers included), in order.
 * `needs`, when given, is a pattern the plain text of a RUN must match to be parsed at all (what the
 * caller looks for besides the name: `ln … /bin/sh`, `go install`).
 */
export function commandsNamed(model: Dockerfile, names: readonly string[], needs?: RegExp): CommandOf[] {
  const out: CommandOf[] = [];
  for (const { stage, instr } of model.runs) {
    if (!mentions(instr, names) || !namesCommand(instr, names)) continue;
    if (needs && !needs.test(instr.plainText)) continue;
    for (const command of instr.script?.commands ?? []) {
      const name = command.call?.tool ?? command.name.value;
      if (names.includes(name))
        out.push({ run: instr, stage, command, name, args: command.call?.args ?? command.args });
    }
  }
  return out;
}

const COMMAND_WORD = new Map<string, RegExp>();

/**
 * Whether a RUN's plain text holds one of the names as a whole word (`ps` but not `https`), told
 * without parsing its body: false means no command of the body has one of those names.
 */
function namesCommand(run: RunInstr, names: readonly string[]): boolean {
  const key = names.join('|');
  let re = COMMAND_WORD.get(key);
  if (!re) {
    const alt = names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
    re = new RegExp(`(?:^|[\\s;&|(\`/=])(?:${alt})(?=$|[\\s;&|)\`])`);
    COMMAND_WORD.set(key, re);
  }
  return re.test(run.plainText);
}

/** Whether a command's plain arguments hold any of these words (hadolint's `cmdHasArgs`). */
export function hasArg(args: readonly Word[], words: readonly string[]): boolean {
  return args.some((w) => words.includes(w.value));
}
