import { defineImageRule } from '../src/engine/define-image-rule';
import { deletionNote, layerPlace, MARKERS, MAX_LAYER_FINDINGS } from '../src/image/model';

/** Names cryptocurrency miners and the malware that installs them go by. */
const MINER_NAMES =
  /^(xmrig|xmr-stak|xmr-stak-cpu|minerd|cpuminer|cpuminer-multi|cgminer|bfgminer|ethminer|nbminer|t-rex|lolminer|phoenixminer|nanominer|srbminer|srbminer-multi|teamredminer|gminer|kdevtmpfsi|kinsing|sysupdate|networkservice)([-_.].*)?$/i;

export const rule = defineImageRule({
  id: 'image-miner',
  aliases: [],
  severity: 'error',
  description: 'The image should carry no cryptocurrency miner.',
  docs:
    'Files named like known miners (xmrig, minerd, cpuminer, kinsing …) and small text files holding a ' +
    'mining pool address (`stratum+tcp://`) are the marks of a cryptojacking image. Do not run it.',
  messages: {
    name: '{{path}} is named like a cryptocurrency miner{{note}}.',
    pool: '{{path}} names a mining pool (stratum+tcp://){{note}}.',
    more: '{{count}} more miner traces not listed.',
  },
  needsLayers: true,
  check(image, ctx) {
    let n = 0;
    for (const rec of image.layers?.analysis.records ?? []) {
      const { entry } = rec;
      if (entry.type !== 'file' && entry.type !== 'symlink') continue;
      const base = entry.path.slice(entry.path.lastIndexOf('/') + 1);
      const pool = entry.markers?.includes(MARKERS.stratum) === true;
      if (!pool && !MINER_NAMES.test(base)) continue;
      if (++n > MAX_LAYER_FINDINGS) continue;
      ctx.report({
        messageId: pool ? 'pool' : 'name',
        data: { path: `/${entry.path}`, note: deletionNote(rec) },
        where: layerPlace(rec.layer, entry.path),
      });
    }
    if (n > MAX_LAYER_FINDINGS)
      ctx.report({ messageId: 'more', data: { count: String(n - MAX_LAYER_FINDINGS) }, where: 'layers' });
  },
});
