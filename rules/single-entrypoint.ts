import { reportRepeats } from '../src/core/stage-groups';
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
    reportRepeats(
      model,
      (ins) => ins.kind === 'entrypoint',
      (ins) => ctx.report({ messageId: 'again', range: ins.keywordRange }),
    );
  },
});
