import type { ServerResponse } from 'node:http';
import { sparseIndexPath } from '../../src/resolve/language-registries';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli, testCacheDir } from '../harness/cli';
import { serve, type LocalServer } from '../harness/http-server';

const json = (body: unknown) => (_req: unknown, res: ServerResponse) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
};
const text = (body: string) => (_req: unknown, res: ServerResponse) => {
  res.setHeader('content-type', 'text/plain; charset=utf-8');
  res.end(body);
};

/** npm's registry document, RubyGems' versions API and Go's module proxy, with fixture data in their formats. */
async function registries(): Promise<LocalServer> {
  return serve({
    '/typescript': json({
      name: 'typescript',
      'dist-tags': { latest: '5.6.3', next: '5.7.0-dev.20241101' },
      versions: { '5.5.4': {}, '5.6.3': {}, '5.7.0-dev.20241101': {} },
    }),
    '/@angular%2Fcli': json({
      name: '@angular/cli',
      'dist-tags': { latest: '18.2.11' },
      versions: { '18.2.11': {} },
    }),
    '/gems/api/v1/versions/bundler.json': json([
      { number: '2.6.0.pre', prerelease: true, platform: 'ruby' },
      { number: '2.5.23', prerelease: false, platform: 'ruby' },
      { number: '2.5.9', prerelease: false, platform: 'ruby' },
    ]),
    '/gems/api/v1/versions/nokogiri.json': json([
      { number: '1.16.7', prerelease: false, platform: 'x86_64-linux' },
      { number: '1.16.7', prerelease: false, platform: 'ruby' },
      { number: '1.17.0.rc1', prerelease: true, platform: 'ruby' },
    ]),
    '/crates/ri/pg/ripgrep': text(
      [
        { name: 'ripgrep', vers: '13.0.0', yanked: false },
        { name: 'ripgrep', vers: '14.1.1', yanked: false },
        { name: 'ripgrep', vers: '14.1.2', yanked: true },
        { name: 'ripgrep', vers: '15.0.0-alpha.1', yanked: false },
      ]
        .map((v) => JSON.stringify({ ...v, deps: [], cksum: '0'.repeat(64), features: {} }))
        .join('\n'),
    ),
    '/go/golang.org/x/tools/gopls/@latest': json({ Version: 'v0.16.2', Time: '2024-09-01T00:00:00Z' }),
    '/go/github.com/!burnt!sushi/toml/@v/list': text('v1.3.2\nv1.4.0\nv1.4.1-0.20240526\nv1.10.0\n'),
  });
}

describe('npm, RubyGems, the Go module proxy and the cargo index served on 127.0.0.1', () => {
  let srv: LocalServer;
  beforeAll(async () => {
    srv = await registries();
  });
  afterAll(() => srv.close());

  const envOf = (cache: string): NodeJS.ProcessEnv => ({
    HARDEN_LOOPBACK_ONLY: '1',
    HARDEN_CACHE_DIR: cache,
    HARDEN_APT_SOURCES: 'none',
    HARDEN_NPM_REGISTRY: srv.url,
    HARDEN_RUBYGEMS_URL: `${srv.url}/gems`,
    GOPROXY: `${srv.url}/go,direct`,
    HARDEN_CARGO_INDEX: `${srv.url}/crates`,
  });

  it('pins npm, gem, go and cargo installs to the newest release, and a second fix changes nothing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harden-lang-'));
    const df = path.join(dir, 'Dockerfile');
    fs.writeFileSync(
      df,
      'FROM node:20.18.0-bookworm-slim\n' +
        'RUN npm install -g typescript @angular/cli@latest "left-pad@^1.3.0"\n' +
        'RUN gem install bundler nokogiri -N\n' +
        'RUN go install golang.org/x/tools/gopls@latest\n' +
        'RUN go install github.com/BurntSushi/toml/cmd/tomlv@latest\n' +
        'RUN cargo install --locked ripgrep\n',
    );
    const env = envOf(testCacheDir());
    const first = await runCli(['fix', '--write', '--no-digest', '--safe-only', df], { env });
    expect(first.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(fs.readFileSync(df, 'utf8')).toBe(
      'FROM node:20.18.0-bookworm-slim\n' +
        'RUN npm install -g typescript@5.6.3 @angular/cli@18.2.11 "left-pad@^1.3.0"\n' +
        'RUN gem install bundler:2.5.23 nokogiri:1.16.7 -N\n' +
        'RUN go install golang.org/x/tools/gopls@v0.16.2\n' +
        'RUN go install github.com/BurntSushi/toml/cmd/tomlv@v1.10.0\n' +
        'RUN cargo install --locked ripgrep@14.1.1\n',
    );
    // The range stays, with the reason.
    const lint = await runCli(['fix', '--no-digest', '--safe-only', '--format', 'json', df], { env });
    expect(lint.stdout).toContain('left-pad');
    const again = await runCli(['fix', '--diff', '--no-digest', '--safe-only', df], { env });
    expect(again.stdout).toBe('');
  });

  it('leaves the finding with a reason when npm has no registry configured or a package does not exist', async () => {
    const env = {
      ...envOf(testCacheDir()),
      HARDEN_NPM_REGISTRY: '',
      HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'home-')),
    };
    const r = await runCli(['fix', '--no-digest', '--safe-only', '-'], {
      stdin: 'FROM node:20.18.0\nRUN npm i -g typescript && gem install no-such-gem\n',
      env,
    });
    expect(r.stdout).toBe('FROM node:20.18.0\nRUN npm i -g typescript && gem install no-such-gem\n');
    expect(r.stderr).toMatch(/no npm registry configured/);
    expect(r.stderr).toMatch(/no release of no-such-gem/);
  });

  it('explains where each registry comes from', async () => {
    const r = await runCli(['fix', '--explain-endpoints'], { env: envOf(testCacheDir()) });
    expect(r.stdout).toMatch(/^npm\s+http:\/\/127\.0\.0\.1:\d+\/?\s+\(HARDEN_NPM_REGISTRY\)$/m);
    expect(r.stdout).toMatch(/^go \(module proxy\)\s+http:\/\/127\.0\.0\.1:\d+\/go\/?\s+\(GOPROXY/m);
  });
});

it('finds a crate in the sparse index the way cargo does, by the length of its name', () => {
  expect(['a', 'xz', 'syn', 'Serde', 'ripgrep'].map(sparseIndexPath)).toEqual([
    '1/a',
    '2/xz',
    '3/s/syn',
    'se/rd/serde',
    'ri/pg/ripgrep',
  ]);
});
