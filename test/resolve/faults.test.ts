import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { runCli } from '../harness/cli';
import { body, serve, type Handler } from '../harness/http-server';
import { fixture, startIndexServers } from '../harness/index-servers';

const DF = [
  'FROM python:3.12-slim-bookworm',
  'RUN apt-get update && apt-get install -y --no-install-recommends curl \\',
  ' && rm -rf /var/lib/apt/lists/*',
  'RUN pip install --no-cache-dir flask',
  'USER 1000',
  '',
].join('\n');

const MAIN = '/debian/dists/bookworm/main/binary-amd64/Packages.gz';

async function fixWith(extra: Record<string, Handler>, env: Record<string, string> = {}) {
  const idx = await startIndexServers(extra);
  try {
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'harden-fault-'));
    const r = await runCli(['fix', '--no-digest', '--safe-only', '-'], {
      stdin: DF,
      env: { ...idx.env, HARDEN_CACHE_DIR: cache, ...env },
    });
    return { ...r, hits: idx.server.hits };
  } finally {
    await idx.server.close();
  }
}

describe('network faults leave findings unresolved, never crash, never pin wrong', () => {
  it('a server that never answers times out; the other pins still happen', async () => {
    const r = await fixWith({ '/simple/flask/': () => undefined }, { HARDEN_HTTP_TIMEOUT_MS: '300' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('pip install --no-cache-dir flask\n');
    expect(r.stdout).toContain('curl=7.88.1-10+deb12u8');
    expect(r.stderr).toMatch(/skipped pip-pin-versions: unavailable: timed out/);
  }, 20000);

  it('a 429 storm gives up after a bounded number of tries', async () => {
    const storm: Handler = (_req, res) => {
      res.statusCode = 429;
      res.setHeader('retry-after', '0');
      res.end();
    };
    const r = await fixWith({ [MAIN]: storm });
    expect(r.hits.get(MAIN)).toBe(3);
    expect(r.stdout).toContain('apt-get install -y --no-install-recommends curl \\');
    expect(r.stderr).toMatch(/skipped apt-pin-versions: rate-limited/);
    expect(r.stdout).toContain('flask==3.1.0');
  });

  it('a Retry-After longer than it will wait gives up at once', async () => {
    const r = await fixWith({
      [MAIN]: (_req, res) => {
        res.statusCode = 503;
        res.setHeader('retry-after', '3600');
        res.end();
      },
    });
    expect(r.hits.get(MAIN)).toBe(1);
    expect(r.stderr).toMatch(/skipped apt-pin-versions: unavailable/);
  });

  it('a passing 5xx is retried', async () => {
    let n = 0;
    const flaky: Handler = (req, res) => {
      if (n++ === 0) {
        res.statusCode = 503;
        res.end();
      } else body(gzipSync(fixture('debian-bookworm-main-amd64.Packages')))(req, res);
    };
    const r = await fixWith({ [MAIN]: flaky });
    expect(r.stdout).toContain('curl=7.88.1-10+deb12u8');
  });

  it('truncated gzip, malformed JSON and unexpected media types are reported', async () => {
    const gz = gzipSync(fixture('debian-bookworm-main-amd64.Packages'));
    const truncated = await fixWith({ [MAIN]: body(gz.subarray(0, gz.length / 2)) });
    expect(truncated.stderr).toMatch(/skipped apt-pin-versions: unavailable: corrupt Packages\.gz/);
    const json = await fixWith({
      '/simple/flask/': body('{"files": [', 'application/vnd.pypi.simple.v1+json'),
    });
    expect(json.stderr).toMatch(/skipped pip-pin-versions: unavailable: malformed index page/);
    const type = await fixWith({ '/simple/flask/': body('flask', 'text/plain') });
    expect(type.stderr).toMatch(/skipped pip-pin-versions: unavailable: unexpected media type "text\/plain"/);
  });

  it('a registry that answers nonsense leaves FROM as it is', async () => {
    const registry = await serve({
      '/v2/team/app/tags/list': body('not json', 'application/json'),
      '/v2/team/app/manifests/1.2': body('<html>', 'text/html'),
    });
    try {
      const host = registry.url.replace('http://', '');
      const stdin = `FROM ${host}/team/app:1.2\nUSER 1\n`;
      const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'harden-fault-'));
      const r = await runCli(['fix', '-'], { stdin, env: { HARDEN_CACHE_DIR: cache } });
      expect(r.stdout).toBe(stdin);
      expect(r.stderr).toMatch(/skipped base-image-specific-tag: unavailable: malformed tag list/);
      expect(r.stderr).toMatch(
        /skipped pin-base-image-digest: unavailable: unexpected media type "text\/html"/,
      );
    } finally {
      await registry.close();
    }
  });

  it('follows tag-list pages and uses Basic credentials from the Docker config', async () => {
    const auth = `Basic ${Buffer.from('user:pass').toString('base64')}`;
    const guarded =
      (handler: Handler): Handler =>
      (req, res) => {
        if (req.headers.authorization !== auth) {
          res.statusCode = 401;
          res.setHeader('www-authenticate', 'Basic realm="test"');
          res.end();
        } else handler(req, res);
      };
    const registry = await serve({
      '/v2/team/app/tags/list': guarded((req, res) => {
        const last = new URL(req.url ?? '/', 'http://x').searchParams.get('last');
        res.setHeader('content-type', 'application/json');
        if (!last) res.setHeader('link', '</v2/team/app/tags/list?n=2&last=1.2.0>; rel="next"');
        res.end(JSON.stringify({ name: 'team/app', tags: last ? ['1.2.7', '1.3.0'] : ['1.2.0', '1.2.3'] }));
      }),
    });
    try {
      const host = registry.url.replace('http://', '');
      const dockerConfig = fs.mkdtempSync(path.join(os.tmpdir(), 'harden-docker-'));
      fs.writeFileSync(
        path.join(dockerConfig, 'config.json'),
        JSON.stringify({ auths: { [host]: { auth: Buffer.from('user:pass').toString('base64') } } }),
      );
      const r = await runCli(['fix', '--no-digest', '-'], {
        stdin: `FROM ${host}/team/app:1.2\nUSER 1\n`,
        env: {
          DOCKER_CONFIG: dockerConfig,
          HARDEN_CACHE_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'harden-fault-')),
        },
      });
      expect(r.stdout).toBe(`FROM ${host}/team/app:1.2.7\nUSER 1\n`);
      expect(r.stdout + r.stderr).not.toContain('dXNlcjpwYXNz');
    } finally {
      await registry.close();
    }
  });
});
