import type { ExecInstr, Instr } from '../src/core/model';
import { defineRule } from '../src/engine/define-rule';

export function execInstrs(instrs: readonly Instr[]): ExecInstr[] {
  const out: ExecInstr[] = [];
  for (const ins of instrs) {
    const i = ins.kind === 'onbuild' ? ins.trigger : ins;
    if (i && (i.kind === 'cmd' || i.kind === 'entrypoint')) out.push(i);
  }
  return out;
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
    '`HEALTHCHECK CMD` in shell form is reported too (as in hadolint): it needs a shell in the image, ' +
    'which distroless and scratch images lack.',
  messages: {
    shellForm: '{{keyword}} uses shell form: the process will not receive signals.',
    healthcheck: 'HEALTHCHECK CMD uses shell form: it needs /bin/sh in the image.',
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
      if (i?.kind !== 'other' || i.keyword.toUpperCase() !== 'HEALTHCHECK') continue;
      const words = i.words.filter((w) => !w.value.startsWith('--'));
      if (words[0]?.value.toUpperCase() === 'CMD' && words[1] && !words[1].raw.startsWith('['))
        ctx.report({ messageId: 'healthcheck', range: i.keywordRange });
    }
  },
});
