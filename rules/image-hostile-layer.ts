import { defineImageRule } from '../src/engine/define-image-rule';
import { layerPlace } from '../src/image/model';

export const rule = defineImageRule({
  id: 'image-hostile-layer',
  aliases: [],
  severity: 'error',
  description: "The image's layers should be well-formed tars.",
  docs:
    'Tar entries whose names climb out of the root (`../`), absolute names, hard links out of the ' +
    'image, symlinks that climb above the root and impossible sizes are never made by a build: they are ' +
    'attempts to write outside the image when it is unpacked (path traversal). harden-dockerfile never ' +
    'unpacks anything; an engine unpacking this image is what they aim at.',
  messages: { entry: '{{path}}: {{problem}}.' },
  needsLayers: true,
  check(image, ctx) {
    for (const scan of image.layers?.scans ?? [])
      for (const h of scan.hostile.slice(0, 25))
        ctx.report({
          messageId: 'entry',
          data: { path: h.path, problem: h.problem },
          where: layerPlace(scan.index, h.path),
        });
  },
});
