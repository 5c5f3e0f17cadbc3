import { defineImageRule } from '../src/engine/define-image-rule';
import { deletionNote, layerPlace, MAX_LAYER_FINDINGS } from '../src/image/model';

const TEMP = /^(tmp|var\/tmp|dev\/shm)\//;
/** Hidden folders that hold tools' own programs by design. */
const KNOWN_HIDDEN = new Set([
  '.git',
  '.venv',
  '.cargo',
  '.rustup',
  '.local',
  '.npm',
  '.nvm',
  '.pyenv',
  '.rbenv',
  '.gem',
  '.bundle',
  '.yarn',
  '.pnpm',
  '.deno',
  '.bun',
  '.dotnet',
  '.sdkman',
  '.m2',
  '.gradle',
  '.conda',
  '.cache',
  '.bin',
]);

function hiddenFolder(path: string): string | undefined {
  const parts = path.split('/').slice(0, -1);
  return parts.find((p) => p.startsWith('.') && p.length > 1 && !KNOWN_HIDDEN.has(p));
}

export const rule = defineImageRule({
  id: 'image-exec-in-temp',
  aliases: [],
  severity: 'warning',
  description: 'The image should have no programs in temporary or hidden folders.',
  docs:
    'Programs in /tmp, /var/tmp, /dev/shm or a hidden folder (`/root/.x/`, `/usr/lib/.cache2/`) are how ' +
    'droppers and miners hide: build tools do not leave executables there. Folders that tools use by ' +
    'design (.git, .venv, .cargo, .local, .npm …) are not reported.',
  messages: {
    exec: 'executable {{path}} sits in {{where}}{{note}}.',
    more: '{{count}} more executables in temporary or hidden folders not listed.',
  },
  needsLayers: true,
  check(image, ctx) {
    let n = 0;
    for (const rec of image.layers?.analysis.records ?? []) {
      const { entry } = rec;
      if (entry.type !== 'file' || (entry.mode & 0o111) === 0) continue;
      const temp = TEMP.exec(entry.path)?.[1];
      const hidden = temp ? undefined : hiddenFolder(entry.path);
      if (!temp && !hidden) continue;
      if (++n > MAX_LAYER_FINDINGS) continue;
      ctx.report({
        messageId: 'exec',
        data: {
          path: `/${entry.path}`,
          where: temp ? `/${temp}` : `the hidden folder ${hidden}`,
          note: deletionNote(rec),
        },
        where: layerPlace(rec.layer, entry.path),
      });
    }
    if (n > MAX_LAYER_FINDINGS)
      ctx.report({ messageId: 'more', data: { count: String(n - MAX_LAYER_FINDINGS) }, where: 'layers' });
  },
});
