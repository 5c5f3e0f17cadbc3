import { activeShell, instrAt, isPosixShell } from '../src/core/shell-commands';
import type { Dockerfile } from '../src/core/model';
import { joinedText } from '../src/core/segments';
import { defineFixer, skip, type Skip, type TextEdit } from '../src/engine/define-fixer';
import { replace } from '../src/engine/edits';
import { isShellBuiltin } from '../src/core/shell-builtins';
import { execInstrs } from '../rules/exec-form-cmd';

/** Strings as the JSON array of an exec form: `["a", "b"]`. */
const jsonArray = (values: readonly string[]) => `[${values.map((v) => JSON.stringify(v)).join(', ')}]`;

/**
 * A shell-form probe as exec form: one command of plain words, with a trailing `|| exit 1` dropped
 * (Docker counts any non-zero status as a failed probe, so it only renames the status).
 */
function probeExecForm(model: Dockerfile, offset: number): readonly TextEdit[] | Skip {
  const top = instrAt(model, offset);
  const ins = top?.kind === 'onbuild' ? top.trigger : top;
  const probe = ins?.kind === 'other' ? ins.healthcheck : undefined;
  const script = probe?.script;
  if (!probe || !script) return skip('the instruction could not be found');
  const keep = 'left in shell form, and the image needs /bin/sh for it';
  // A probe in shell form runs under the stage's SHELL: only a POSIX shell reads it as these words.
  const shell = top ? activeShell(model, top) : [];
  const stage = top && top.stage >= 0 ? model.stages[top.stage] : undefined;
  if (model.escapeChar === '`' || stage?.family === 'windows' || !isPosixShell(shell[0] ?? ''))
    return skip(`the probe runs under ${shell.join(' ')}, not a POSIX shell: convert it by hand`);
  const [cmd, after] = script.commands;
  const orExit =
    after !== undefined &&
    script.commands.length === 2 &&
    after.name.value === 'exit' &&
    after.args.length === 1 &&
    after.args[0].value === '1' &&
    after.range.end === script.range.end &&
    joinedText(model.source.text, cmd.range.end, after.range.start, model.escapeChar).trim() === '||';
  if (
    script.hasError ||
    script.statements.length !== 1 ||
    script.pipelines.length > 0 ||
    (script.commands.length > 1 && !orExit)
  )
    return skip(`the probe is a chain of several commands (operators or pipes): ${keep}`);
  if (cmd.nested || cmd.assignments.length > 0 || cmd.range.start !== script.range.start)
    return skip(`the probe is a compound command or sets variables: ${keep}`);
  const words = [cmd.name, ...cmd.args];
  const end = words[words.length - 1].range.end;
  const redirected = cmd.range.end !== end || (!orExit && cmd.range.end !== script.range.end);
  if (redirected || words.some((w) => !w.literal || w.value.startsWith('~')))
    return skip(`the probe uses variables, globs or redirections: ${keep}`);
  if (isShellBuiltin(words[0].value)) return skip(`${words[0].value} is a shell builtin: ${keep}`);
  return [replace(probe.range, jsonArray(words.map((w) => w.value)), { kind: 'exec-form' })];
}

export const fixer = defineFixer({
  ruleId: 'exec-form-cmd',
  fix(finding, { model }) {
    if (finding.messageId === 'healthcheck') return probeExecForm(model, finding.range.start);
    const top = instrAt(model, finding.range.start);
    const ins = top ? execInstrs([top])[0] : undefined;
    if (!ins || ins.form !== 'shell' || !ins.script) return skip('the instruction could not be found');
    const stage = ins.stage >= 0 ? model.stages[ins.stage] : undefined;
    if (stage?.family === 'windows') return skip('Windows shell form runs through cmd; convert by hand');
    if (ins.kind === 'entrypoint' && stage?.instructions.some((i) => i.kind === 'cmd')) {
      return skip('the stage has a CMD, which exec form would append to this ENTRYPOINT');
    }
    const { commands, pipelines, range } = ins.script;
    const [cmd] = commands;
    if (ins.script.hasError || commands.length !== 1 || pipelines.length > 0) {
      return skip('the command is a chain of several commands (operators or pipes): left in shell form');
    }
    if (cmd.assignments.length > 0) return skip('the command sets variables for itself: left in shell form');
    // One simple command that starts the script: not a subshell, group, loop or `! cmd` around it.
    if (cmd.nested || cmd.range.start !== range.start || ins.script.statements.length !== 1)
      return skip('the command is a compound command: left in shell form');
    let words = [cmd.name, ...cmd.args];
    // `exec X …` in shell form runs X as the shell's replacement: exec form runs X directly.
    const execWord = words[0].value === 'exec' && words.length > 1 && !words[1].value.startsWith('-');
    if (execWord) words = words.slice(1);
    if (words[0].literal && isShellBuiltin(words[0].value))
      return skip(`${words[0].value} is a shell builtin, which exec form cannot run: left in shell form`);
    const plain =
      cmd.range.start === range.start &&
      cmd.range.end === range.end &&
      !words.some((w) => !w.literal || w.value.startsWith('~'));
    if (plain) {
      return [
        replace(ins.argsRange, jsonArray(words.map((w) => w.value)), {
          kind: 'exec-form',
        }),
      ];
    }
    // Variables, globs or redirections need the shell: it runs the one command with exec, so the
    // command still becomes PID 1 and gets the signals.
    const body = model.source.text.slice(range.start, range.end);
    if (/[\r\n]/.test(body)) return skip('the command spans several lines: left in shell form');
    const shell = activeShell(model, ins);
    const script = execWord ? body : `exec ${body}`;
    return [
      replace(ins.argsRange, jsonArray([...shell, script]), {
        kind: 'exec-form',
      }),
    ];
  },
});
