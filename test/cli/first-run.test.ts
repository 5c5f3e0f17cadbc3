import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseImageRef } from '../../src/core/image-ref';
import { dockerCredentials } from '../../src/effects/docker-credentials';
import { HttpError, type HttpClient, type HttpRequest } from '../../src/effects/http';
import { buildResolver } from '../../src/cli/resolvers';
import { endpointsOf, explainEndpoints, PUBLIC_DEFAULTS } from '../../src/cli/endpoints';
import { aptSourcesOf } from '../../src/cli/apt-sources';
import { isRepositorySlug } from '../../src/cli/discover';
import { Limiter } from '../../src/resolve/limiter';
import { CachingResolver } from '../../src/resolve/resolver';
import {
  apkVersionRequest,
  aptVersionRequest,
  ociDigestRequest,
  ociTagRequest,
  pipVersionRequest,
} from '../../src/resolve/requests';
import { MemoryCache } from '../../src/effects/cache';
import { runCli, testCacheDir } from '../harness/cli';

/** Records every URL asked for and answers none: no request leaves this process. */
class RecordingHttp implements HttpClient {
  readonly urls: string[] = [];
  get sent() {
    return this.urls.length;
  }
  async request(req: HttpRequest): Promise<never> {
    this.urls.push(req.url);
    throw new HttpError('unavailable', 'recorded only');
  }
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'harden-first-'));
}

describe('pins out of the box: the public defaults', () => {
  const bare = { HARDEN_APT_SOURCES: 'none', HARDEN_CACHE_DIR: testCacheDir() };

  it('asks Docker Hub, PyPI, Alpine and Ubuntu with no configuration at all', async () => {
    const http = new RecordingHttp();
    const { resolver } = buildResolver({ offline: false, refresh: false }, bare, http);
    const python = parseImageRef('python:3.11')!;
    await resolver.resolve([
      ociTagRequest(python),
      ociDigestRequest(python),
      pipVersionRequest('Flask', '', '3.11'),
      apkVersionRequest({ distro: 'alpine', release: '3.19' }, 'curl'),
      aptVersionRequest({ distro: 'ubuntu', release: 'jammy' }, 'curl'),
      aptVersionRequest({ distro: 'ubuntu', release: 'noble' }, 'curl', 'arm64'),
    ]);
    expect(http.urls).toEqual(
      expect.arrayContaining([
        'https://registry-1.docker.io/v2/library/python/tags/list?n=1000',
        'https://registry-1.docker.io/v2/library/python/manifests/3.11',
        'https://pypi.org/simple/flask/',
        'https://dl-cdn.alpinelinux.org/alpine/v3.19/main/x86_64/APKINDEX.tar.gz',
        'https://dl-cdn.alpinelinux.org/alpine/v3.19/community/x86_64/APKINDEX.tar.gz',
        'http://archive.ubuntu.com/ubuntu/dists/jammy/main/binary-amd64/Packages.gz',
        'http://archive.ubuntu.com/ubuntu/dists/jammy-security/universe/binary-amd64/Packages.gz',
        'http://ports.ubuntu.com/ubuntu-ports/dists/noble/main/binary-arm64/Packages.gz',
      ]),
    );
    // Debian's archive has no built-in default: with no apt sources, nothing is asked.
    const debian = aptVersionRequest({ distro: 'debian', release: 'bookworm' }, 'curl');
    const answer = (await resolver.resolve([debian])).get(debian.key);
    expect(answer).toMatchObject({ ok: false, reason: 'unavailable' });
    expect(JSON.stringify(answer)).toContain('HARDEN_DEBIAN_MIRROR');
  });

  it('lets flags and the environment override every endpoint', async () => {
    const http = new RecordingHttp();
    const env = {
      ...bare,
      HARDEN_REGISTRY_MIRROR: 'http://127.0.0.1:1/hub',
      PIP_INDEX_URL: 'http://127.0.0.1:1/pypi/simple',
      HARDEN_ALPINE_MIRROR: 'http://127.0.0.1:1/alpine',
      HARDEN_UBUNTU_MIRROR: 'http://127.0.0.1:1/ubuntu',
    };
    const { resolver } = buildResolver(
      { offline: false, refresh: false, registryMirror: 'http://127.0.0.1:2/flag' },
      env,
      http,
    );
    await resolver.resolve([
      ociDigestRequest(parseImageRef('node:20')!),
      pipVersionRequest('requests', '', '3.12'),
      apkVersionRequest({ distro: 'alpine', release: '3.20' }, 'git'),
      aptVersionRequest({ distro: 'ubuntu', release: 'jammy' }, 'git', 'arm64'),
    ]);
    for (const url of http.urls) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:[12]\//);
    expect(http.urls).toContain('http://127.0.0.1:2/flag/v2/library/node/manifests/20');
    expect(http.urls).toContain('http://127.0.0.1:1/ubuntu/dists/jammy/main/binary-arm64/Packages.gz');
  });

  it('reads Debian from the machine apt sources, one-line and deb822, and explains every choice', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'sources.list.d'));
    fs.writeFileSync(
      path.join(dir, 'sources.list.d', 'debian.sources'),
      'Types: deb\nURIs: http://mirror.example/debian\nSuites: bookworm bookworm-updates\nComponents: main\n\n' +
        'Types: deb\nURIs: http://mirror.example/debian-security\nSuites: bookworm-security\nComponents: main\n',
    );
    expect(aptSourcesOf(dir)).toEqual({
      debian: 'http://mirror.example/debian',
      debianSecurity: 'http://mirror.example/debian-security',
    });
    const text = explainEndpoints(endpointsOf({}, { HARDEN_APT_SOURCES: dir }));
    expect(text).toContain(`${PUBLIC_DEFAULTS.dockerHub}/  (Docker Hub (default)`);
    expect(text).toContain(`http://mirror.example/debian  (this machine's apt sources (${dir}))`);
    expect(text).toContain(PUBLIC_DEFAULTS.ubuntuPorts);
    const secret = explainEndpoints(
      endpointsOf(
        {},
        { HARDEN_APT_SOURCES: 'none', PIP_INDEX_URL: 'https://me:hunter2@pypi.example/simple' },
      ),
    );
    expect(secret).not.toContain('hunter2');
    expect(secret).toContain('not configured here: set HARDEN_DEBIAN_MIRROR');
  });

  it('fix --explain-endpoints prints the table and exits 0', async () => {
    const r = await runCli(['fix', '--explain-endpoints'], {
      env: { HARDEN_UBUNTU_MIRROR: 'http://127.0.0.1:9/u' },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('apt (Ubuntu, amd64/i386)');
    expect(r.stdout).toContain('http://127.0.0.1:9/u  (HARDEN_UBUNTU_MIRROR)');
  });
});

describe('defects a review found', () => {
  it('failureThreshold: none in the config file gives exit 0, as the flag does', async () => {
    for (const [name, body] of [
      ['.harden-dockerfile.yaml', 'failureThreshold: none\n'],
      ['.hadolint.yaml', 'failure-threshold: none\n'],
    ]) {
      const dir = tempDir();
      fs.writeFileSync(path.join(dir, name), body);
      fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM debian\nRUN apt-get install curl\n');
      const r = await runCli(['lint', 'Dockerfile'], { cwd: dir });
      expect(r.stdout).toContain('apt-pin-versions');
      expect(r.code).toBe(0);
    }
  });

  it('fix reports name lines of the original file, not of a later pass', async () => {
    const stdin =
      'FROM debian:12-slim\nRUN curl -s http://x | tar x\nUSER 1\n' +
      'RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n';
    const r = await runCli(['fix', '--offline', '-f', 'json', '-'], { stdin });
    const report = JSON.parse(r.stderr).files[0];
    // The pipefail SHELL line goes in above line 2; the apt pin stays where the user sees it.
    expect(r.stdout).toContain('SHELL ["/bin/bash", "-o", "pipefail", "-c"]');
    expect(report.fixed).toEqual([expect.objectContaining({ ruleId: 'require-pipefail', line: 2 })]);
    expect(report.skipped).toEqual(
      expect.arrayContaining([expect.objectContaining({ ruleId: 'apt-pin-versions', line: 4 })]),
    );
    const finding = report.findings.find((f: { rule: string }) => f.rule === 'apt-pin-versions');
    expect(finding.line).toBe(4);
  });

  it('the limiter never runs more than its bound, also when a slot is released as a caller arrives', async () => {
    const limiter = new Limiter(2);
    let running = 0;
    let peak = 0;
    const task = async (ms: number) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, ms));
      running--;
    };
    const all: Promise<void>[] = [];
    for (let i = 0; i < 40; i++) {
      all.push(limiter.run(() => task(i % 3)));
      // New callers arrive in the same turn as releases: the old semaphore let them in twice.
      if (i % 5 === 0) await Promise.resolve();
    }
    await Promise.all(all);
    expect(peak).toBe(2);
    expect(limiter.running).toBe(0);

    // The resolver's look-ups go through the same limiter.
    let inFlight = 0;
    let most = 0;
    const backend = {
      kind: 'pip-version' as const,
      ttlMs: 0,
      lookup: async () => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((r) => setImmediate(r));
        inFlight--;
        return { ok: true as const, value: '1' };
      },
    };
    const resolver = new CachingResolver([backend], {
      cache: new MemoryCache(),
      now: () => 0,
      mode: 'normal',
      concurrency: 3,
    });
    const waves = [];
    for (let w = 0; w < 5; w++) {
      waves.push(
        resolver.resolve(Array.from({ length: 8 }, (_, i) => pipVersionRequest(`p${w}-${i}`, '', '3'))),
      );
      await Promise.resolve();
    }
    await Promise.all(waves);
    expect(most).toBe(3);
  });

  it('a mistyped local path is a missing file, not a GitHub repository', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'app'));
    const exists = (p: string) => fs.existsSync(path.join(dir, p));
    expect(isRepositorySlug('app/Dockerfile', exists)).toBe(false);
    expect(isRepositorySlug('app/missing', exists)).toBe(false);
    expect(isRepositorySlug('owner/Dockerfile.prod', exists)).toBe(false);
    expect(isRepositorySlug('owner/build.dockerfile', exists)).toBe(false);
    expect(isRepositorySlug('owner/repo', exists)).toBe(true);
    const r = await runCli(['app/Dockerfile'], { cwd: dir, env: { GITHUB_API_URL: 'http://127.0.0.1:1' } });
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toContain('app/Dockerfile');
    expect(r.stdout + r.stderr).toContain('no such file or directory');
  });

  it('Docker credentials come from credHelpers and credsStore through docker-credential-*, as Docker does', async () => {
    const bin = tempDir();
    const log = path.join(bin, 'asked');
    // A credential helper speaks JSON on stdout for the server URL it reads on stdin.
    const helper = (name: string, user: string) =>
      fs.writeFileSync(
        path.join(bin, `docker-credential-${name}`),
        `#!/bin/sh\nread server\necho "${name} $1 $server" >> ${log}\n` +
          `printf '{"ServerURL":"%s","Username":"${user}","Secret":"s3cret"}' "$server"\n`,
        { mode: 0o755 },
      );
    helper('ecr', 'AWS');
    helper('desktop', 'hubuser');
    const config = tempDir();
    fs.writeFileSync(
      path.join(config, 'config.json'),
      JSON.stringify({
        credHelpers: { '123.dkr.ecr.example.com': 'ecr' },
        credsStore: 'desktop',
        auths: { 'https://index.docker.io/v1/': {}, 'plain.example': { auth: 'cGxhaW46cHc=' } },
      }),
    );
    const env = { DOCKER_CONFIG: config, PATH: `${bin}:${process.env.PATH}` };
    {
      const creds = dockerCredentials(env);
      expect(await creds('123.dkr.ecr.example.com')).toBe(Buffer.from('AWS:s3cret').toString('base64'));
      expect(await creds('docker.io')).toBe(Buffer.from('hubuser:s3cret').toString('base64'));
      // The store has this one too (it answers for anything here); a failing store falls back to auths.
      fs.writeFileSync(path.join(bin, 'docker-credential-desktop'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
      expect(await dockerCredentials(env)('plain.example')).toBe('cGxhaW46cHc=');
      expect(await dockerCredentials(env)('nowhere.example')).toBeUndefined();
    }
    expect(fs.readFileSync(log, 'utf8').split('\n')).toEqual(
      expect.arrayContaining(['ecr get 123.dkr.ecr.example.com', 'desktop get https://index.docker.io/v1/']),
    );
  });
});

describe('the package', () => {
  const root = path.resolve(__dirname, '../..');

  it('packs the CLI and the library, without tests, and its entry loads', async () => {
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
        cwd: root,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }),
    ) as { files: { path: string }[] }[];
    const files = packed[0].files.map((f) => f.path);
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    expect(files).toContain(manifest.main);
    expect(files).toContain(manifest.types);
    expect(files).toContain(manifest.bin['harden-dockerfile']);
    // The entry runs the bundled program beside it.
    expect(files).toContain('dist/harden-dockerfile-main.js');
    expect(files).toContain('LICENSE');
    expect(files.filter((f) => f.startsWith('dist/test/') || f.startsWith('test/'))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    // Runtime dependencies are what the shipped code imports; type packages are for development.
    expect(Object.keys(manifest.dependencies).filter((d) => d.startsWith('@types/'))).toEqual([]);
    expect(manifest.allowScripts['tree-sitter-bash']).toBe(false);
  });

  it('is a library: lint and fix as functions with typed results, no process changes', async () => {
    const exit = jest.spyOn(process, 'exit');
    const lib = await import(path.join(root, 'dist/src/index.js'));
    const linted = await lib.lint('FROM debian:12\nRUN apt-get install curl\n');
    expect(linted.failed).toBe(true);
    expect(linted.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ rule: 'apt-assume-yes', hadolint: 'DL3014', line: 2 }),
      ]),
    );
    const fixed = await lib.fix('FROM debian:12-slim\nADD app.py /app/\nUSER 1\n', {
      env: { HARDEN_CACHE_DIR: testCacheDir(), HARDEN_APT_SOURCES: 'none', HARDEN_LOOPBACK_ONLY: '1' },
    });
    expect(fixed.output).toBe('FROM debian:12-slim\nCOPY app.py /app/\nUSER 1\n');
    expect(fixed.diff).toContain('+COPY app.py /app/');
    expect(fixed.applied).toEqual([expect.objectContaining({ ruleId: 'no-add-for-local-files', line: 2 })]);
    expect(exit).not.toHaveBeenCalled();
    exit.mockRestore();
    // Process-wide V8 flags belong to the command-line entry, never to a library import.
    const probe = execFileSync(
      process.execPath,
      [
        '-e',
        `const v8 = require('node:v8'); let n = 0; const set = v8.setFlagsFromString;
         v8.setFlagsFromString = (f) => { n++; set(f); };
         require(${JSON.stringify(path.join(root, 'dist/src/index.js'))})
           .lint('FROM a' + String.fromCharCode(10) + 'RUN x').then(() => console.log('flags set: ' + n));`,
      ],
      { encoding: 'utf8' },
    );
    expect(probe.trim()).toBe('flags set: 0');
  });
});
