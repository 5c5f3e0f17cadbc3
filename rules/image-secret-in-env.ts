import { isPlaceholder, isSecretName, maskSecret, secretShape } from '../src/core/secrets';
import { defineImageRule } from '../src/engine/define-image-rule';

export const rule = defineImageRule({
  id: 'image-secret-in-env',
  aliases: ['CIS-DI-0010'],
  severity: 'error',
  description: 'The image config should hold no secrets.',
  docs:
    'Env values are stored in the image config: anyone who can pull the image reads them. A variable ' +
    'counts as a secret when its name says so (PASSWORD, SECRET, TOKEN, API_KEY …, not GPG_KEY or a ' +
    '*_FILE path) and it has a literal value, or when its value has the shape of a known credential ' +
    '(AWS access key, GitHub/GitLab/Slack token, private key, JWT). The value is never printed: rotate ' +
    'the secret, it is public.',
  messages: {
    named: '{{name}} holds a literal secret ({{masked}}).',
    shaped: '{{name}} holds {{kind}} ({{masked}}).',
  },
  check(image, ctx) {
    for (const v of image.env) {
      const where = `config.Env[${v.index}]`;
      const kind = secretShape(v.value);
      if (kind)
        ctx.report({ messageId: 'shaped', data: { name: v.name, kind, masked: maskSecret(v.value) }, where });
      else if (isSecretName(v.name) && !isPlaceholder(v.value))
        ctx.report({ messageId: 'named', data: { name: v.name, masked: maskSecret(v.value) }, where });
    }
  },
});
