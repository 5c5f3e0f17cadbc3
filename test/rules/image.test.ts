import { DEFAULT_CONFIG } from '../../src/engine/config';
import { runImageRules, type ImageRule } from '../../src/engine/define-image-rule';
import { imageFacts } from '../../src/image/facts';
import { historyLayers, readHistory } from '../../src/image/history';
import { analyseLayers } from '../../src/image/layer-analysis';
import type { LayerEntry, LayerScan } from '../../src/image/layers';
import { envOf, scanForMarkers, type ImageModel } from '../../src/image/model';
import type { HistoryEntry, ImageConfig } from '../../src/image/reader';
import { rule as imageDebugSwitch } from '../../rules/image-debug-switch';
import { rule as imageEolRelease } from '../../rules/image-eol-release';
import { rule as imageExecInTemp } from '../../rules/image-exec-in-temp';
import { rule as imageHostileLayer } from '../../rules/image-hostile-layer';
import { rule as imageLayerUnread } from '../../rules/image-layer-unread';
import { rule as imageMiner } from '../../rules/image-miner';
import { rule as imageRemoteAdminPort } from '../../rules/image-remote-admin-port';
import { rule as imageRunsAsRoot } from '../../rules/image-runs-as-root';
import { rule as imageSecretFile } from '../../rules/image-secret-file';
import { rule as imageSecretInEnv } from '../../rules/image-secret-in-env';
import { rule as imageSecretInHistory } from '../../rules/image-secret-in-history';
import { rule as imageSetuidFile } from '../../rules/image-setuid-file';
import { rule as imageStale } from '../../rules/image-stale';
import { rule as imageWorldWritable } from '../../rules/image-world-writable';

const NOW = Date.parse('2026-11-30T12:00:00Z');
const DIGEST = `sha256:${'a'.repeat(64)}`;

type File = Partial<LayerEntry> & { path: string; text?: string };

interface ImageCase {
  config?: ImageConfig;
  history?: HistoryEntry[];
  created?: string;
  /** Files per layer; a path starting with `.wh.` in its last part deletes. */
  layers?: File[][];
  incomplete?: string[];
  hostile?: { path: string; problem: string }[][];
}

function model(c: ImageCase): ImageModel {
  const scans: LayerScan[] | undefined = c.layers?.map((files, index) => ({
    index,
    digest: `sha256:${String(index).repeat(64)}`,
    compressedSize: 100,
    bytesRead: 100,
    hostile: c.hostile?.[index] ?? [],
    ...(c.incomplete?.[index] ? { incomplete: c.incomplete[index] } : {}),
    entries: files.map((f) => {
      const content = f.text === undefined ? undefined : Buffer.from(f.text);
      const markers = content ? scanForMarkers(f.path, content) : undefined;
      return {
        type: 'file',
        size: content?.length ?? 10,
        mode: 0o644,
        uid: 0,
        gid: 0,
        ...f,
        ...(content ? { content } : {}),
        ...(markers ? { markers } : {}),
      } as LayerEntry;
    }),
  }));
  const analysis = scans ? analyseLayers(scans) : undefined;
  const history = c.history ?? [];
  const config = c.config ?? { User: 'app' };
  return {
    image: {
      reference: 'example.test/app:1',
      registry: 'example.test',
      repository: 'app',
      digest: DIGEST,
      manifestDigest: DIGEST,
      platform: { os: 'linux', architecture: 'amd64' },
      platforms: [],
      configDigest: DIGEST,
      created: c.created ?? '2026-11-01T00:00:00Z',
      config,
      history,
      layers: (scans ?? []).map((s) => ({ digest: s.digest, size: 100, mediaType: '' })),
    },
    env: envOf(config.Env),
    steps: readHistory(history, scans?.length ?? 0),
    historyLayers: historyLayers(history, scans?.length ?? 0),
    facts: imageFacts(DIGEST, config, analysis?.visible ?? new Map()),
    ...(scans && analysis ? { layers: { scans, analysis } } : {}),
    now: NOW,
    maxAgeMs: 365 * 86_400_000,
  };
}

/** Image rules in tables, like the Dockerfile rules: each case names the places it expects. */
function check(
  rule: ImageRule,
  cases: { valid: ImageCase[]; invalid: { image: ImageCase; where: string[] }[] },
) {
  describe(rule.id, () => {
    it.each(cases.valid.map((c, i) => [i, c]))('valid %i', (_i, c) => {
      expect(runImageRules(model(c as ImageCase), [rule], DEFAULT_CONFIG)).toEqual([]);
    });
    it.each(cases.invalid.map((c, i) => [i, c]))('invalid %i', (_i, c) => {
      const { image, where } = c as { image: ImageCase; where: string[] };
      const findings = runImageRules(model(image), [rule], DEFAULT_CONFIG);
      expect(findings.map((f) => f.where)).toEqual(where);
      for (const f of findings) expect(f.message).not.toMatch(/\{\{/);
    });
  });
}

check(imageRunsAsRoot, {
  valid: [{ config: { User: 'app' } }, { config: { User: '1000:1000' } }, { config: { User: '65532' } }],
  invalid: [
    { image: { config: {} }, where: ['config.User'] },
    { image: { config: { User: '0' } }, where: ['config.User'] },
    { image: { config: { User: '0:0' } }, where: ['config.User'] },
    { image: { config: { User: 'root:staff' } }, where: ['config.User'] },
  ],
});

check(imageDebugSwitch, {
  valid: [{ config: { User: 'a', Env: ['DEBUG=False', 'NODE_ENV=production', 'FLASK_DEBUG=0'] } }],
  invalid: [
    {
      image: {
        config: { User: 'a', Env: ['PATH=/bin', 'FLASK_DEBUG=1', 'NODE_ENV=development', 'APP_ENV=dev'] },
      },
      where: ['config.Env[1]', 'config.Env[2]', 'config.Env[3]'],
    },
  ],
});

check(imageSecretInEnv, {
  valid: [
    {
      config: {
        User: 'a',
        Env: [
          'GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D',
          'DB_PASSWORD_FILE=/run/secrets/db',
          'API_TOKEN=',
          'SECRET_KEY=changeme',
        ],
      },
    },
  ],
  invalid: [
    {
      image: {
        config: {
          User: 'a',
          Env: [
            'DB_PASSWORD=hunter2',
            'SOME_VAR=AKIAIOSFODNN7EXAMPLE',
            'X=eyJhbGciOiJIUzI1.eyJzdWIiOiIxMjM0.SflKxwRJSMeKKF2QT4',
          ],
        },
      },
      where: ['config.Env[0]', 'config.Env[1]', 'config.Env[2]'],
    },
  ],
});

check(imageSecretInHistory, {
  valid: [
    { history: [{ created_by: '|1 VERSION=1.2 /bin/sh -c make' }, { created_by: 'ENV TOKEN_FILE=/run/t' }] },
  ],
  invalid: [
    {
      image: {
        history: [
          { created_by: '/bin/sh -c #(nop) ADD file:x in /' },
          { created_by: '|2 NPM_TOKEN=abc123 V=1 /bin/sh -c npm ci' },
          { created_by: 'RUN /bin/sh -c echo xoxb-1234567890-abcdef > /x # buildkit' },
        ],
      },
      where: ['history[1]', 'history[2]'],
    },
  ],
});

check(imageRemoteAdminPort, {
  valid: [{ config: { User: 'a', ExposedPorts: { '8080/tcp': {}, '443/tcp': {} } } }],
  invalid: [
    {
      image: { config: { User: 'a', ExposedPorts: { '22/tcp': {}, '5900/tcp': {}, '80/tcp': {} } } },
      where: ['config.ExposedPorts["22/tcp"]', 'config.ExposedPorts["5900/tcp"]'],
    },
  ],
});

check(imageStale, {
  valid: [{ created: '2026-06-01T00:00:00Z' }],
  invalid: [
    { image: { created: '2024-01-01T00:00:00Z' }, where: ['created'] },
    { image: { created: '1970-01-01T00:00:00Z' }, where: ['created'] },
  ],
});

check(imageEolRelease, {
  valid: [
    {
      layers: [[{ path: 'etc/os-release', text: 'ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n' }]],
    },
    { config: { User: 'a' } },
  ],
  invalid: [
    {
      image: {
        layers: [
          [{ path: 'etc/os-release', text: 'ID=ubuntu\nVERSION_ID="20.04"\nVERSION_CODENAME=focal\n' }],
        ],
      },
      where: ['layer:/etc/os-release'],
    },
    {
      image: { layers: [[{ path: 'usr/lib/os-release', text: 'ID=alpine\nVERSION_ID=3.18.4\n' }]] },
      where: ['layer:/etc/os-release'],
    },
  ],
});

check(imageSetuidFile, {
  valid: [
    {
      layers: [
        [
          { path: 'usr/bin/passwd', mode: 0o4755 },
          { path: 'bin/su', mode: 0o4755 },
          { path: 'usr/bin/x', mode: 0o755 },
        ],
      ],
    },
  ],
  invalid: [
    {
      image: {
        layers: [
          [
            { path: 'opt/app/helper', mode: 0o4755 },
            { path: 'tmp/passwd', mode: 0o2755 },
          ],
        ],
      },
      where: ['layer[0]:/opt/app/helper', 'layer[0]:/tmp/passwd'],
    },
  ],
});

check(imageWorldWritable, {
  valid: [
    {
      layers: [
        [
          { path: 'tmp', type: 'directory', mode: 0o1777 },
          { path: 'srv/x', mode: 0o664 },
        ],
      ],
    },
  ],
  invalid: [
    {
      image: {
        layers: [
          [
            { path: 'srv/open', type: 'directory', mode: 0o777 },
            { path: 'srv/f', mode: 0o666 },
          ],
        ],
      },
      where: ['layer[0]:/srv/open', 'layer[0]:/srv/f'],
    },
  ],
});

check(imageExecInTemp, {
  valid: [
    {
      layers: [
        [
          { path: 'usr/bin/app', mode: 0o755 },
          { path: 'app/.venv/bin/python', mode: 0o755 },
          { path: 'tmp/notes', mode: 0o644 },
        ],
      ],
    },
  ],
  invalid: [
    {
      image: {
        layers: [
          [
            { path: 'tmp/x', mode: 0o755 },
            { path: 'dev/shm/y', mode: 0o700 },
            { path: 'root/.x/kworker', mode: 0o755 },
          ],
        ],
      },
      where: ['layer[0]:/tmp/x', 'layer[0]:/dev/shm/y', 'layer[0]:/root/.x/kworker'],
    },
  ],
});

check(imageMiner, {
  valid: [
    {
      layers: [
        [{ path: 'etc/app.conf', text: 'url=https://example.test\n' }, { path: 'usr/bin/miner-docs' }],
      ],
    },
  ],
  invalid: [
    {
      image: {
        layers: [
          [
            { path: 'opt/xmrig', mode: 0o755 },
            { path: 'etc/pool.json', text: '{"url":"stratum+tcp://pool:3333"}' },
          ],
        ],
      },
      where: ['layer[0]:/opt/xmrig', 'layer[0]:/etc/pool.json'],
    },
  ],
});

check(imageSecretFile, {
  valid: [
    {
      layers: [
        [
          { path: 'app/.env.example', text: 'KEY=' },
          { path: 'root/.ssh/id_rsa.pub', text: 'ssh-rsa AAAA' },
          { path: 'usr/lib/python3/site-packages/x/tests/key.pem', text: '-----BEGIN PRIVATE KEY-----' },
          { path: 'root/.npmrc', text: 'registry=https://r.example\n' },
        ],
      ],
    },
  ],
  invalid: [
    {
      image: {
        layers: [
          [
            { path: 'app/.env', text: 'DB=1' },
            { path: 'certs/server.pem', text: '-----BEGIN RSA PRIVATE KEY-----\nx' },
            { path: 'root/.aws/credentials', text: '[default]' },
          ],
          [{ path: 'app/.wh..env' }],
        ],
      },
      where: ['layer[0]:/app/.env', 'layer[0]:/certs/server.pem', 'layer[0]:/root/.aws/credentials'],
    },
  ],
});

check(imageHostileLayer, {
  valid: [{ layers: [[{ path: 'a' }]] }],
  invalid: [
    {
      image: {
        layers: [[]],
        hostile: [[{ path: '../../etc/passwd', problem: 'its name climbs out of the image root (..)' }]],
      },
      where: ['layer[0]:/../../etc/passwd'],
    },
  ],
});

check(imageLayerUnread, {
  valid: [{ layers: [[{ path: 'a' }]] }],
  invalid: [{ image: { layers: [[], []], incomplete: ['', 'not read: over budget'] }, where: ['layer[1]'] }],
});

describe('layer analysis', () => {
  it('counts added, changed, removed and wasted bytes as an overlay merges them, opaque folders too', () => {
    const m = model({
      layers: [
        [
          { path: 'a', size: 100 },
          { path: 'd/x', size: 50 },
          { path: 'd/y', size: 5 },
        ],
        [{ path: 'a', size: 20 }, { path: 'd/.wh.x' }],
        [{ path: 'd/.wh..wh..opq' }, { path: 'd/z', size: 1 }],
      ],
    });
    const layers = m.layers?.analysis.layers ?? [];
    expect(layers.map((l) => [l.added, l.changed, l.removed, l.wastedBytes])).toEqual([
      [3, 0, 0, 155],
      [0, 1, 1, 0],
      [1, 0, 1, 0],
    ]);
    expect([...(m.layers?.analysis.visible.keys() ?? [])].sort()).toEqual(['a', 'd/z']);
  });
});
