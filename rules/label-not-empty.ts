import { labelInstrs } from '../src/core/labels';
import { defineRule } from '../src/engine/define-rule';

export const rule = defineRule({
  id: 'label-not-empty',
  aliases: ['DL3051'],
  severity: 'warning',
  description: 'Labels of the label schema need a value.',
  docs: 'A label the schema asks for, set to the empty string, satisfies the letter of the schema only.',
  messages: { empty: 'label {{label}} is empty.' },
  fix: 'none',
  check(model, ctx) {
    for (const l of labelInstrs(model))
      for (const p of l.pairs)
        if (p.name in ctx.settings.labelSchema && !p.value)
          ctx.report({ messageId: 'empty', data: { label: p.name }, range: p.nameRange });
  },
});
