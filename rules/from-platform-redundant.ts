import { defineRule } from '../src/engine/define-rule';

export const rule = defineRule({
  id: 'from-platform-redundant',
  aliases: ['DL3065'],
  severity: 'warning',
  description: 'FROM --platform=$TARGETPLATFORM says what is the default.',
  docs: 'Every stage builds for the target platform unless told otherwise; the flag only adds noise.',
  messages: { redundant: 'FROM --platform=$TARGETPLATFORM is the default.' },
  fix: 'none',
  check(model, ctx) {
    for (const s of model.stages) {
      const p = s.from.platform;
      if (p === '$TARGETPLATFORM' || p === '${TARGETPLATFORM}')
        ctx.report({ messageId: 'redundant', range: s.from.keywordRange });
    }
  },
});
