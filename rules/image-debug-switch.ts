import { defineImageRule } from '../src/engine/define-image-rule';
import { productionValue } from './no-debug-flags';

export const rule = defineImageRule({
  id: 'image-debug-switch',
  aliases: [],
  severity: 'warning',
  description: 'The image should not ship debug or development mode.',
  docs:
    '`DEBUG=True`, `FLASK_DEBUG=1`, `NODE_ENV=development` or `APP_ENV=dev` in the image config turn on ' +
    'interactive debuggers, verbose errors with stack traces and unoptimised code paths in every ' +
    'container started from it. Override them at run time (`-e NODE_ENV=production`) or rebuild.',
  messages: { debug: '{{name}}={{value}} ships development mode.' },
  check(image, ctx) {
    for (const v of image.env) {
      if (productionValue(v.name, v.value) === undefined) continue;
      ctx.report({
        messageId: 'debug',
        data: { name: v.name, value: v.value },
        where: `config.Env[${v.index}]`,
      });
    }
  },
});
