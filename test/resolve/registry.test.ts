import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseImageRef } from '../../src/core/image-ref';
import { MemoryCache } from '../../src/effects/cache';
import { DEFAULT_HTTP_OPTIONS, FetchHttpClient } from '../../src/effects/http';
import { OciRegistryBackend } from '../../src/resolve/oci-registry';
import { ociDigestRequest, ociTagRequest } from '../../src/resolve/requests';
import { CachingResolver } from '../../src/resolve/resolver';
import { runCli } from '../harness/cli';
import { serve, type LocalServer } from '../harness/http-server';
import { startIndexServers, type IndexServers } from '../harness/index-servers';
import {
  pushImage,
  pushMultiArch,
  registryAvailable,
  startRegistry,
  tagImage,
  type Registry,
} from '../harness/registry';

const describeRegistry = registryAvailable() ? describe : describe.skip;

function client() {
  return new FetchHttpClient({
    ...DEFAULT_HTTP_OPTIONS,
    timeoutMs: 5000,
    userAgent: 'test',
    sleep: async () => {},
  });
}

describeRegistry('OCI registry (Debian docker-registry on 127.0.0.1)', () => {
  let registry: Registry;
  const digests: Record<string, string> = {};

  beforeAll(async () => {
    registry = await startRegistry();
    digests['3.11.9-slim'] = await pushMultiArch(registry.url, 'library/python', '3.11.9-slim');
    await pushImage(registry.url, 'library/python', '3.11.8-slim');
    await pushImage(registry.url, 'library/python', '3.11-slim');
    digests['3.12.4'] = await pushImage(registry.url, 'library/python', '3.12.4');
    await pushImage(registry.url, 'library/python', '3.12');
    await pushImage(registry.url, 'library/python', 'latest');
    digests['team/app:1.2.3'] = await pushImage(registry.url, 'team/app', '1.2.3');
  }, 60000);

  afterAll(async () => {
    await registry?.stop();
  });

  it('chooses the most specific tag and the index digest the registry serves', async () => {
    const oci = new OciRegistryBackend(client(), {
      dockerHub: 'https://registry-1.docker.io',
      endpoints: {},
      credentials: () => undefined,
    });
    const resolver = new CachingResolver([oci.tagsBackend(1000), oci.digestBackend(1000)], {
      cache: new MemoryCache(),
      now: () => 0,
      mode: 'normal',
      concurrency: 4,
    });
    const tag = ociTagRequest(parseImageRef(`${registry.host}/library/python:3.11-slim`)!);
    const answers = await resolver.resolve([tag, tag]);
    expect(answers.get(tag.key)).toMatchObject({ ok: true, value: '3.11.9-slim' });
    const digest = ociDigestRequest(parseImageRef(`${registry.host}/library/python:3.11.9-slim`)!);
    expect((await resolver.resolve([digest])).get(digest.key)).toMatchObject({
      ok: true,
      value: digests['3.11.9-slim'],
    });
    const missing = ociDigestRequest(parseImageRef(`${registry.host}/library/python:2.7`)!);
    expect((await resolver.resolve([missing])).get(missing.key)).toMatchObject({
      ok: false,
      reason: 'not-found',
    });
  });

  it('fix pins FROM through the Docker Hub mirror, and a second fix changes nothing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harden-oci-'));
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'harden-oci-cache-'));
    fs.writeFileSync(
      path.join(dir, 'Dockerfile'),
      `ARG BASE=python:3.11-slim\nFROM \${BASE} AS build\nRUN echo build\nFROM ${registry.host}/team/app:1.2.3\nUSER 1000\n`,
    );
    const env = { HARDEN_REGISTRY_MIRROR: registry.url, HARDEN_CACHE_DIR: cache };
    const first = await runCli(['fix', '--write', 'Dockerfile'], { cwd: dir, env });
    const fixed = fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
    expect(fixed).toBe(
      `ARG BASE=python:3.11.9-slim@${digests['3.11.9-slim']}\nFROM \${BASE} AS build\nRUN echo build\n` +
        `FROM ${registry.host}/team/app:1.2.3@${digests['team/app:1.2.3']}\nUSER 1000\n`,
    );
    expect(first.stdout).toContain('fixed base-image-specific-tag');
    expect(first.stdout).toMatch(
      /fixed pin-base-image-digest: .*\(from manifest of docker\.io\/library\/python:3\.11\.9-slim\)/,
    );
    const second = await runCli(['fix', '--diff', 'Dockerfile'], { cwd: dir, env });
    expect(second.stdout).toBe('');
    // --no-digest pins the tag alone.
    fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM python:3.12\nUSER 1000\n');
    const tagOnly = await runCli(['fix', '--no-digest', '--safe-only', 'Dockerfile'], { cwd: dir, env });
    expect(tagOnly.stdout).toBe('FROM python:3.12.4\nUSER 1000\n');
  });

  it('pins a version chosen through an ARG in its default, with no digest, and a second fix changes nothing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harden-oci-arg-'));
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'harden-oci-cache-'));
    const text = 'ARG PYTHON_VERSION=3.11\nFROM python:${PYTHON_VERSION}-slim\nUSER 1000\n';
    fs.writeFileSync(path.join(dir, 'Dockerfile'), text);
    const env = { HARDEN_REGISTRY_MIRROR: registry.url, HARDEN_CACHE_DIR: cache };
    const first = await runCli(['fix', '--write', 'Dockerfile'], { cwd: dir, env });
    expect(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8')).toBe(
      'ARG PYTHON_VERSION=3.11.9\nFROM python:${PYTHON_VERSION}-slim\nUSER 1000\n',
    );
    expect(first.stdout).toContain('fixed base-image-specific-tag');
    expect(first.stdout).not.toContain('pin-base-image-digest');
    const second = await runCli(['fix', '--diff', 'Dockerfile'], { cwd: dir, env });
    expect(second.stdout).toBe('');
  });

  it('gives latest and untagged images the newest version tag', async () => {
    const env = { HARDEN_REGISTRY_MIRROR: registry.url };
    const r = await runCli(['fix', '--no-digest', '--safe-only', '-'], {
      stdin: 'FROM python\nUSER 1\n',
      env,
    });
    expect(r.stdout).toBe('FROM python:3.12.4\nUSER 1\n');
  });

  describe('release read from the registry', () => {
    let idx: IndexServers;
    beforeAll(async () => {
      idx = await startIndexServers();
      await pushImage(registry.url, 'library/python', '3.12-slim-bookworm');
      await tagImage(registry.url, 'library/python', '3.12-slim-bookworm', '3.12-slim');
      await pushImage(registry.url, 'library/python', '3.12-slim-trixie');
      await pushImage(registry.url, 'library/python', '3.13-slim');
    });
    afterAll(() => idx.server.close());

    const run = (image: string) =>
      runCli(['fix', '--no-digest', '--safe-only', '-'], {
        stdin: `FROM ${image}\nRUN apt-get update && apt-get install -y --no-install-recommends curl \\\n && rm -rf /var/lib/apt/lists/*\nUSER 1\n`,
        env: { ...idx.env, HARDEN_REGISTRY_MIRROR: registry.url },
      });

    it('pins apt packages for a tag that does not name its release, from the tag with the same digest', async () => {
      const r = await run('python:3.12-slim');
      expect(r.stdout).toContain('curl=7.88.1-10+deb12u8');
    });

    it('leaves the pin alone when no release-named tag serves the same digest', async () => {
      const r = await run('python:3.13-slim');
      expect(r.stdout).toContain('--no-install-recommends curl \\');
      expect(r.stderr).toMatch(
        /skipped apt-pin-versions: unknown-release: release of docker\.io\/library\/python:3\.13-slim/,
      );
    });
  });

  describe('behind token auth', () => {
    let auth: LocalServer;
    let proxy: http.Server;
    let proxyUrl: string;
    const TOKEN = 'secret-token-value';

    beforeAll(async () => {
      auth = await serve({
        '/token': (req, res) => {
          const url = new URL(req.url ?? '/', 'http://x');
          res.setHeader('content-type', 'application/json');
          res.end(
            JSON.stringify({ token: url.searchParams.get('scope')?.endsWith(':pull') ? TOKEN : 'wrong' }),
          );
        },
      });
      proxy = http.createServer((req, res) => {
        if (req.headers.authorization !== `Bearer ${TOKEN}`) {
          res.statusCode = 401;
          res.setHeader('www-authenticate', `Bearer realm="${auth.url}/token",service="test-registry"`);
          res.end();
          return;
        }
        const upstream = http.request(
          `${registry.url}${req.url}`,
          { method: req.method, headers: { ...req.headers, host: registry.host } },
          (up) => {
            res.writeHead(up.statusCode ?? 502, up.headers);
            up.pipe(res);
          },
        );
        req.pipe(upstream);
      });
      await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
      proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    });

    afterAll(async () => {
      await auth.close();
      await new Promise((r) => proxy.close(r));
    });

    it('gets a pull token, pins, and never prints the token', async () => {
      const env = { HARDEN_REGISTRY_MIRROR: proxyUrl };
      const r = await runCli(['fix', '--diff', '-'], {
        stdin: 'FROM python:3.12.4 AS b\nFROM scratch\nUSER 1\n',
        env,
      });
      expect(r.stdout).toContain(`+FROM python:3.12.4@${digests['3.12.4']} AS b`);
      expect(r.stdout + r.stderr).not.toContain(TOKEN);
      expect(auth.hits.get('/token')).toBe(1);
    });
  });
});
