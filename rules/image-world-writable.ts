import { defineImageRule } from '../src/engine/define-image-rule';
import { deletionNote, layerPlace, MAX_LAYER_FINDINGS } from '../src/image/model';

export const rule = defineImageRule({
  id: 'image-world-writable',
  aliases: [],
  severity: 'warning',
  description:
    'The image should have no world-writable files, nor world-writable folders without the sticky bit.',
  docs:
    'Any process in the container, whatever its user, can rewrite a world-writable file (a script, a ' +
    'config, a binary) or swap files in a world-writable folder that lacks the sticky bit (/tmp has it: ' +
    'mode 1777). Give paths to the user that needs them instead of `chmod 777`.',
  messages: {
    file: '{{path}} is world-writable (mode {{mode}}){{note}}.',
    dir: 'folder {{path}} is world-writable without the sticky bit (mode {{mode}}){{note}}.',
    more: '{{count}} more world-writable paths not listed.',
  },
  needsLayers: true,
  check(image, ctx) {
    let n = 0;
    for (const rec of image.layers?.analysis.records ?? []) {
      const { entry } = rec;
      if ((entry.mode & 0o002) === 0) continue;
      const dir = entry.type === 'directory';
      if (dir ? (entry.mode & 0o1000) !== 0 : entry.type !== 'file') continue;
      if (++n > MAX_LAYER_FINDINGS) continue;
      ctx.report({
        messageId: dir ? 'dir' : 'file',
        data: {
          path: `/${entry.path}`,
          mode: (entry.mode & 0o7777).toString(8).padStart(4, '0'),
          note: deletionNote(rec),
        },
        where: layerPlace(rec.layer, entry.path),
      });
    }
    if (n > MAX_LAYER_FINDINGS)
      ctx.report({ messageId: 'more', data: { count: String(n - MAX_LAYER_FINDINGS) }, where: 'layers' });
  },
});
