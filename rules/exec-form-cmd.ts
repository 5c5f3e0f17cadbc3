import type { Dockerfile, ExecInstr, Instr, Stage } from '../src/core/model';
import { stageChain } from '../src/core/users';
import { defineRule } from '../src/engine/define-rule';

export function execInstrs(instrs: readonly Instr[]): ExecInstr[] {
  const out: ExecInstr[] = [];
  for (const ins of instrs) {
    const i = ins.kind === 'onbuild' ? ins.trigger : ins;
    if (i && (i.kind === 'cmd' || i.kind === 'entrypoint')) out.push(i);
  }
  return out;
}

/** Families whose images ship /bin/sh. */
const SHELL_FAMILIES = new Set(['debian', 'ubuntu', 'alpine', 'rhel', 'windows']);

/**
 * Whether the stage's image is known to have a shell: its OS ships one, a shell-form RUN of the
 * stage or of a stage it builds on ran one in it, or a SHELL instruction names it.
 */
export function knownShell(model: Dockerfile, stage: Stage): boolean {
  if (SHELL_FAMILIES.has(stage.family)) return true;
  // A SHELL instruction names the shell the probe runs under: the author says the image has it.
  return stageChain(model, stage).some((s) =>
    s.instructions.some(
      (i) => (i.kind === 'run' && i.form === 'shell') || (i.kind === 'shell' && i.form === 'json'),
    ),
  );
}

export const rule = defineRule({
  id: 'exec-form-cmd',
  aliases: ['DL3025'],
  severity: 'warning',
  description: 'Use the JSON (exec) form for CMD and ENTRYPOINT.',
  docs:
    'In shell form the command runs under `/bin/sh -c`, which becomes PID 1 and does not pass on SIGTERM: ' +
    '`docker stop` waits ten seconds and kills the app mid-request. Exec form runs the program directly. ' +
    'The fix converts a single command: plain words to their JSON array (`CMD exec X` runs X), and a ' +
    "command with variables, globs or redirections to the stage's shell running it with exec " +
    '(`["/bin/sh", "-c", "exec gunicorn --bind 0.0.0.0:$PORT app:app"]`), so that it is still PID 1. ' +
    'Chains (`&&`, `|`, `;`) and shell builtins stay in shell form, with the reason; the fix is marked ' +
    'for review. An ENTRYPOINT is not ' +
    'converted when the stage also has a CMD, since exec form would then append the CMD to it. ' +
    '`HEALTHCHECK CMD` in shell form is reported where the image is not known to have a shell ' +
    '(distroless, scratch, or an image no shell-form RUN ran in and no SHELL names a shell for): the probe ' +
    'runs under `/bin/sh -c` and ' +
    'fails without one, so the container never turns healthy. Where the image has a shell, shell form is ' +
    'what Docker documents for a probe, and nothing signals it, so it is not reported. The fix writes a ' +
    'single command of plain words in exec form, dropping a trailing `|| exit 1` (Docker counts every ' +
    'non-zero status as a failed probe), under a POSIX shell only; a probe that needs the shell stays, with ' +
    'the reason.',
  messages: {
    shellForm: '{{keyword}} uses shell form: the process will not receive signals.',
    healthcheck: 'HEALTHCHECK CMD uses shell form: it needs /bin/sh, which this image is not known to have.',
  },
  fix: 'review',
  check(model, ctx) {
    for (const ins of execInstrs(model.instructions)) {
      if (ins.form !== 'shell' || ins.argsRange.start === ins.argsRange.end) continue;
      ctx.report({
        messageId: 'shellForm',
        data: { keyword: ins.keyword.toUpperCase() },
        range: ins.keywordRange,
      });
    }
    for (const ins of model.instructions) {
      const i = ins.kind === 'onbuild' ? ins.trigger : ins;
      if (i?.kind !== 'other' || i.healthcheck?.form !== 'shell') continue;
      // An ONBUILD trigger's probe runs in images built on this one: they have its shell.
      const stage = model.stages[ins.stage] as Stage | undefined;
      if (stage && knownShell(model, stage)) continue;
      ctx.report({ messageId: 'healthcheck', range: i.keywordRange });
    }
  },
});
