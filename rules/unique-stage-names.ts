import { defineRule } from '../src/engine/define-rule';

export const rule = defineRule({
  id: 'unique-stage-names',
  aliases: ['DL3024'],
  severity: 'error',
  description: 'Stage names must be unique.',
  docs: 'Two stages with one name make `COPY --from` and `--target` ambiguous; the builder refuses it.',
  messages: { duplicate: 'stage name {{name}} is already used.' },
  fix: 'none',
  check(model, ctx) {
    const seen = new Set<string>();
    for (const s of model.stages) {
      if (s.name === undefined) continue;
      const key = s.name.toLowerCase();
      if (seen.has(key)) ctx.report({ messageId: 'duplicate', data: { name: s.name }, range: s.from.range });
      seen.add(key);
    }
  },
});
