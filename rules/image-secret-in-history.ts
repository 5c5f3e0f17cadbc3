import { isPlaceholder, isSecretName, secretShape } from '../src/core/secrets';
import { defineImageRule } from '../src/engine/define-image-rule';

/** `NAME=value` pairs in a history line: build arguments (`|2 TOKEN=x /bin/sh -c …`), ENV, exports. */
const PAIR = /(?:^|[\s|;&])(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|[^\s;&|]*)/g;

export const rule = defineImageRule({
  id: 'image-secret-in-history',
  aliases: [],
  severity: 'error',
  description: 'The build history should hold no secrets.',
  docs:
    'Every build step is stored in the image history, build arguments included (`ARG TOKEN` then ' +
    '`RUN …` records `|1 TOKEN=… /bin/sh -c …`). A secret passed as a build argument, written into an ' +
    'ENV or typed into a RUN is public to anyone who can pull the image. Use `RUN --mount=type=secret`. ' +
    'The value is never printed.',
  messages: {
    named: 'the step sets {{name}} to a literal secret.',
    shaped: 'the step holds {{kind}}.',
  },
  check(image, ctx) {
    image.image.history.forEach((h, index) => {
      const text = h.created_by ?? '';
      if (!text) return;
      const where = `history[${index}]`;
      const kind = secretShape(text);
      if (kind) {
        ctx.report({ messageId: 'shaped', data: { kind }, where });
        return;
      }
      for (const m of text.matchAll(PAIR)) {
        const value = m[2].replace(/^["']|["']$/g, '');
        if (isSecretName(m[1]) && !isPlaceholder(value)) {
          ctx.report({ messageId: 'named', data: { name: m[1] }, where });
          return;
        }
      }
    });
  },
});
