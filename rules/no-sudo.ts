import { defineRule } from '../src/engine/define-rule';
import { mentions } from '../src/core/shell-commands';

export const rule = defineRule({
  id: 'no-sudo',
  aliases: ['DL3004'],
  severity: 'error',
  description: 'Do not use sudo.',
  docs:
    'sudo has unpredictable TTY and signal behaviour, and an image that ships it lets the app become ' +
    'root again. RUN steps that need root should run before USER switches away; use gosu or su-exec ' +
    'in an entrypoint if the app must drop privileges itself.',
  messages: { sudo: 'sudo is used in a RUN.' },
  fix: 'none',
  check(model, ctx) {
    for (const { instr } of model.runs) {
      if (!mentions(instr, ['sudo'])) continue;
      for (const c of instr.script?.commands ?? []) {
        if (c.name.value === 'sudo') ctx.report({ messageId: 'sudo', range: c.name.range });
      }
    }
  },
});
