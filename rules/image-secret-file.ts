import { defineImageRule } from '../src/engine/define-image-rule';
import { deletionNote, layerPlace, MARKERS, MAX_LAYER_FINDINGS } from '../src/image/model';

const KEY_NAMES = /^id_(rsa|dsa|ecdsa|ed25519)$/;
const ENV_FILE = /^\.env(\.(?!example$|sample$|template$|dist$|defaults?$)[\w.-]+)?$/;
const CREDENTIAL_FILES =
  /(^|\/)(\.aws\/credentials|\.docker\/config\.json|\.netrc|\.git-credentials|\.pypirc|\.kube\/config|\.npmrc)$/;
/** Folders of test fixtures and vendored packages: their sample keys are not the image's secrets. */
const FIXTURES =
  /(^|\/)(tests?|testdata|test_data|fixtures|site-packages|dist-packages|node_modules|vendor)\//;

function kindOf(path: string, markers: readonly string[] | undefined): string | undefined {
  const base = path.slice(path.lastIndexOf('/') + 1);
  if (KEY_NAMES.test(base)) return 'an SSH private key';
  if (markers?.includes(MARKERS.privateKey)) return 'a private key';
  if (ENV_FILE.test(base)) return 'an environment file';
  const cred = CREDENTIAL_FILES.exec(path);
  if (cred && (base !== '.npmrc' || markers?.includes(MARKERS.authToken))) return 'a credentials file';
  if (markers?.includes(MARKERS.authToken)) return 'an access token';
  return undefined;
}

export const rule = defineImageRule({
  id: 'image-secret-file',
  aliases: ['CIS-DI-0010'],
  severity: 'error',
  description: 'The image should carry no private keys, .env or credential files.',
  docs:
    'Private keys (id_rsa, PEM files holding a PRIVATE KEY), `.env` files and credential files ' +
    '(.aws/credentials, .docker/config.json, .netrc, .git-credentials, .pypirc, an .npmrc with a token) ' +
    'copied into an image are readable by anyone who pulls it: also when a later layer deletes them, ' +
    'since every layer ships. Test fixtures and vendored packages are not reported. Rotate what leaked.',
  messages: {
    file: '{{path}} is {{kind}}{{note}}.',
    more: '{{count}} more secret files not listed.',
  },
  needsLayers: true,
  check(image, ctx) {
    let n = 0;
    for (const rec of image.layers?.analysis.records ?? []) {
      const { entry } = rec;
      if (entry.type !== 'file' || FIXTURES.test(entry.path)) continue;
      const kind = kindOf(entry.path, entry.markers);
      if (!kind) continue;
      if (++n > MAX_LAYER_FINDINGS) continue;
      ctx.report({
        messageId: 'file',
        data: { path: `/${entry.path}`, kind, note: deletionNote(rec) },
        where: layerPlace(rec.layer, entry.path),
      });
    }
    if (n > MAX_LAYER_FINDINGS)
      ctx.report({ messageId: 'more', data: { count: String(n - MAX_LAYER_FINDINGS) }, where: 'layers' });
  },
});
