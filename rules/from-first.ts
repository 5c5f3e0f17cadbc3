import { defineRule } from '../src/engine/define-rule';

export const rule = defineRule({
  id: 'from-first',
  aliases: ['DL3061'],
  severity: 'error',
  description: 'A Dockerfile begins with FROM (ARG and comments may come before it).',
  docs:
    'Only ARG (for the FROM lines) and comments or parser directives may come before the first FROM; ' +
    'anything else has no image to apply to, and the build fails.',
  messages: { order: '{{keyword}} before the first FROM.' },
  fix: 'none',
  check(model, ctx) {
    for (const ins of model.instructions) {
      if (ins.kind === 'from') return;
      if (ins.kind === 'arg') continue;
      ctx.report({
        messageId: 'order',
        data: { keyword: ins.keyword.toUpperCase() },
        range: ins.keywordRange,
      });
    }
  },
});
