import { defineImageRule } from '../src/engine/define-image-rule';

const DAY = 86_400_000;

export const rule = defineImageRule({
  id: 'image-stale',
  aliases: [],
  severity: 'warning',
  description: 'The image should have been built recently.',
  docs:
    'An image built long ago carries every vulnerability fixed since in its base and packages. The ' +
    'limit is `--max-age` (default 12 months). A created date in the future, or none, is reported too: ' +
    'reproducible builds set it to 1970 on purpose, so check the base instead.',
  messages: {
    old: 'the image was built {{days}} days ago ({{created}}), more than {{max}} days.',
    unknown: 'the image has no valid creation date ({{created}}).',
  },
  check(image, ctx) {
    const created = image.image.created;
    const at = created ? Date.parse(created) : NaN;
    if (!Number.isFinite(at) || at > image.now + DAY || at <= 0) {
      ctx.report({ messageId: 'unknown', data: { created: created ?? 'none' }, where: 'created' });
      return;
    }
    if (image.now - at > image.maxAgeMs)
      ctx.report({
        messageId: 'old',
        data: {
          days: String(Math.floor((image.now - at) / DAY)),
          created: created as string,
          max: String(Math.round(image.maxAgeMs / DAY)),
        },
        where: 'created',
      });
  },
});
