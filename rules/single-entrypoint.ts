import { stageGroups } from '../src/core/command-flags';
import { defineRule } from '../src/engine/define-rule';

export const rule = defineRule({
  id: 'single-entrypoint',
  aliases: ['DL4004'],
  severity: 'error',
  description: 'One ENTRYPOINT per stage.',
  docs: 'Only the last ENTRYPOINT of a stage takes effect; the earlier ones mislead the reader.',
  messages: { again: 'a second ENTRYPOINT in this stage: only the last one counts.' },
  fix: 'none',
  check(model, ctx) {
    for (const stage of stageGroups(model)) {
      let seen = false;
      for (const ins of stage.instructions) {
        if (ins.kind !== 'entrypoint') continue;
        if (seen) ctx.report({ messageId: 'again', range: ins.keywordRange });
        seen = true;
      }
    }
  },
});
