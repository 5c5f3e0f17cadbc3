import { defineRule } from '../src/engine/define-rule';

export const rule = defineRule({
  id: 'stage-name-reserved',
  aliases: ['DL3063'],
  severity: 'warning',
  description: 'Do not name a stage scratch or context.',
  docs:
    '`scratch` is the empty image and `context` is how BuildKit names build contexts: a stage with one ' +
    'of those names makes `FROM` and `COPY --from` mean something else than they read.',
  messages: { reserved: 'stage name {{name}} is reserved.' },
  fix: 'none',
  check(model, ctx) {
    for (const s of model.stages) {
      if (s.name && ['scratch', 'context'].includes(s.name.toLowerCase()))
        ctx.report({ messageId: 'reserved', data: { name: s.name }, range: s.from.range });
    }
  },
});
