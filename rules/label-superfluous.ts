import { labelInstrs } from '../src/core/labels';
import { defineRule } from '../src/engine/define-rule';

export const rule = defineRule({
  id: 'label-superfluous',
  aliases: ['DL3050'],
  severity: 'info',
  description: 'With strict labels, set only the labels of the schema.',
  docs:
    "With `strictLabels: true` (hadolint's `strict-labels`), a label that the label schema does not " +
    'name is reported: the schema is then the whole list of labels the images may carry.',
  messages: { extra: 'label {{label}} is not in the label schema.' },
  fix: 'none',
  check(model, ctx) {
    if (!ctx.settings.strictLabels) return;
    for (const l of labelInstrs(model))
      for (const p of l.pairs)
        if (!(p.name in ctx.settings.labelSchema))
          ctx.report({ messageId: 'extra', data: { label: p.name }, range: p.nameRange });
  },
});
