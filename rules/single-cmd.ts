import { reportRepeats } from '../src/core/stage-groups';
import { defineRule } from '../src/engine/define-rule';

export const rule = defineRule({
  id: 'single-cmd',
  aliases: ['DL4003'],
  severity: 'warning',
  description: 'One CMD per stage.',
  docs: 'Only the last CMD of a stage takes effect; the earlier ones mislead the reader.',
  messages: { again: 'a second CMD in this stage: only the last one counts.' },
  fix: 'none',
  check(model, ctx) {
    reportRepeats(
      model,
      (ins) => ins.kind === 'cmd',
      (ins) => ctx.report({ messageId: 'again', range: ins.keywordRange }),
    );
  },
});
