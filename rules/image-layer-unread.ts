import { defineImageRule } from '../src/engine/define-image-rule';

export const rule = defineImageRule({
  id: 'image-layer-unread',
  aliases: [],
  severity: 'info',
  description: 'Every layer should be read to its end.',
  docs:
    'A layer over the byte budget (`--max-bytes`), cut off, compressed in a way this Node.js cannot ' +
    'read, or not a tar, was read only in part or not at all: the layer checks could not see what it ' +
    'holds. Raise the budget or read the image elsewhere.',
  messages: { unread: 'layer[{{index}}] ({{digest}}) was not read whole: {{why}}.' },
  needsLayers: true,
  check(image, ctx) {
    for (const scan of image.layers?.scans ?? [])
      if (scan.incomplete)
        ctx.report({
          messageId: 'unread',
          data: { index: String(scan.index), digest: scan.digest.slice(0, 19), why: scan.incomplete },
          where: `layer[${scan.index}]`,
        });
  },
});
