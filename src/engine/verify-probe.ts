// The meaning check of a HEALTHCHECK: its options and its probe, which the exec-form fix may turn
// from shell form into exec form.
import type { Dockerfile, Word, WordsInstr } from '../core/model';
import { joinedText } from '../core/segments';
import { isShellBuiltin } from '../core/shell-builtins';
import { activeShell, isPosixShell } from '../core/shell-commands';
import type { TextEdit } from './define-fixer';

/**
 * A HEALTHCHECK keeps its options and its probe; the probe may turn from one command of plain words
 * in shell form (with or without a trailing `|| exit 1`, a failed probe either way) to those words in
 * exec form.
 */
export function compareProbe(
  before: Dockerfile,
  after: Dockerfile,
  b: WordsInstr,
  a: WordsInstr,
  edits: readonly TextEdit[],
): string | undefined {
  const [pb, pa] = [b.healthcheck, a.healthcheck];
  if (!pb || !pa) return 'the HEALTHCHECK no longer has a command';
  const flat = (model: Dockerfile, start: number, end: number) =>
    joinedText(model.source.text, start, end, model.escapeChar).replace(/\s+/g, ' ').trim();
  if (flat(before, b.argsRange.start, pb.range.start) !== flat(after, a.argsRange.start, pa.range.start))
    return 'the HEALTHCHECK options changed';
  if (pb.form === pa.form)
    return flat(before, pb.range.start, pb.range.end) === flat(after, pa.range.start, pa.range.end)
      ? undefined
      : 'the HEALTHCHECK command changed, which no fix declared';
  if (pb.form !== 'shell' || !edits.some((e) => e.intent?.kind === 'exec-form'))
    return 'the HEALTHCHECK command changed form, which no fix declared';
  // Read as POSIX shell words only where a POSIX shell runs it.
  const shell = activeShell(before, b)[0] ?? '';
  if (before.escapeChar === '`' || !isPosixShell(shell))
    return `exec form for a probe that ${shell} runs, not a POSIX shell`;
  const script = pb.script;
  const [cmd, exit, ...more] = script?.commands ?? [];
  if (
    !script ||
    !cmd ||
    more.length > 0 ||
    script.hasError ||
    script.pipelines.length > 0 ||
    script.statements.length !== 1
  )
    return 'exec form for a probe with pipes or several commands';
  if (exit) {
    const between = flat(before, cmd.range.end, exit.range.start);
    const code = exit.args.map((w) => w.value).join(' ');
    if (between !== '||' || exit.name.value !== 'exit' || code !== '1' || exit.range.end !== script.range.end)
      return 'exec form for a probe with several commands';
  } else if (cmd.range.end !== script.range.end) return 'exec form for a probe with redirections';
  const words = [cmd.name, ...cmd.args];
  if (cmd.nested || cmd.assignments.length > 0 || cmd.range.start !== script.range.start)
    return 'exec form for a compound probe';
  if (cmd.range.end !== words[words.length - 1].range.end) return 'exec form for a probe with redirections';
  if (words.some((w) => !w.literal) || isShellBuiltin(words[0].value))
    return 'exec form for words that need a shell';
  return sameExecWords(words, pa.json);
}

/** Whether an exec form runs the very words its shell form ran: why not, when it does not. */
export function sameExecWords(words: readonly Word[], json: readonly Word[]): string | undefined {
  const was = words.map((w) => w.value).join('\u0000');
  const now = json.map((w) => w.value).join('\u0000');
  return was === now ? undefined : 'the exec form runs other words than the shell form did';
}
