import { reportRepeats } from '../src/core/stage-groups';
import { defineRule } from '../src/engine/define-rule';

export const rule = defineRule({
  id: 'single-healthcheck',
  aliases: ['DL3012'],
  severity: 'error',
  description: 'One HEALTHCHECK per stage.',
  docs: 'Only the last HEALTHCHECK of a stage takes effect; the earlier ones mislead the reader.',
  messages: { again: 'a second HEALTHCHECK in this stage: only the last one counts.' },
  fix: 'none',
  check(model, ctx) {
    reportRepeats(
      model,
      (ins) => ins.kind === 'other' && ins.keyword.toUpperCase() === 'HEALTHCHECK',
      (ins) => ctx.report({ messageId: 'again', range: ins.keywordRange }),
    );
  },
});
