import { isPlaceholder, isSecretName, SECRET_WORD } from '../src/core/secrets';
import { defineRule } from '../src/engine/define-rule';

export const rule = defineRule({
  id: 'no-secret-in-env',
  aliases: [],
  severity: 'error',
  description: 'Do not put secrets in ENV or ARG.',
  docs:
    'ENV values are stored in the image config and ARG values in its history: anyone who can pull the ' +
    'image can read them. Pass secrets at run time (environment, mounted files) or at build time with ' +
    '`RUN --mount=type=secret`. A variable counts as a secret when its name says so (PASSWORD, SECRET, ' +
    'TOKEN, API_KEY …) and it has a literal value; the value is never printed.',
  messages: { secret: '{{keyword}} {{name}} holds a literal secret.' },
  fix: 'none',
  check(model, ctx) {
    for (const ins of model.instructions) {
      const i = ins.kind === 'onbuild' ? ins.trigger : ins;
      if (!i || (i.kind !== 'env' && i.kind !== 'arg') || !SECRET_WORD.test(i.plainText)) continue;
      for (const p of i.pairs) {
        if (!isSecretName(p.name)) continue;
        if (p.value === undefined || isPlaceholder(p.value)) continue;
        ctx.report({
          messageId: 'secret',
          data: { keyword: i.keyword.toUpperCase(), name: p.name },
          range: p.nameRange,
        });
      }
    }
  },
});
