import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../harness/cli';
import { startIndexServers, type IndexServers } from '../harness/index-servers';

function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harden-idx-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const PY = [
  'FROM python:3.12-slim-bookworm',
  'RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates libpq5 git=1:2.39.2-1.1 \\',
  ' && rm -rf /var/lib/apt/lists/*',
  'COPY requirements.txt .',
  'RUN pip install --no-cache-dir flask -r requirements.txt',
  'USER 1000',
  '',
].join('\n');

describe('package indexes served on 127.0.0.1', () => {
  let idx: IndexServers;
  beforeAll(async () => {
    idx = await startIndexServers();
  });
  afterAll(() => idx.server.close());

  it('pins apt, pip and requirements to versions the indexes serve, and a second fix changes nothing', async () => {
    const dir = project({ Dockerfile: PY, 'requirements.txt': '# app\ngunicorn>=21  # server\n' });
    const env = { ...idx.env, HARDEN_CACHE_DIR: path.join(dir, '.cache') };
    const first = await runCli(['fix', '--write', '--no-digest', '--safe-only', 'Dockerfile'], {
      cwd: dir,
      env,
    });
    const df = fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
    // security wins over the release, updates over the release, `all` packages count, existing pins stay
    expect(df).toContain(
      'curl=7.88.1-10+deb12u8 ca-certificates=20230311 libpq5=15.8-0+deb12u1 git=1:2.39.2-1.1',
    );
    // newest final, non-yanked release for Python 3.12
    expect(df).toContain('pip install --no-cache-dir flask==3.1.0 -r requirements.txt');
    // HTML (PEP 503) fallback; yanked 23.0.0 skipped; comment kept
    expect(fs.readFileSync(path.join(dir, 'requirements.txt'), 'utf8')).toBe(
      '# app\ngunicorn==22.0.0  # server\n',
    );
    expect(first.stdout).toMatch(
      /fixed apt-pin-versions: apt package curl has no version\. \(from debian bookworm-security\/main amd64 Packages\)/,
    );
    const again = await runCli(['fix', '--diff', '--no-digest', '--safe-only', 'Dockerfile'], {
      cwd: dir,
      env,
    });
    expect(again.stdout).toBe('');
  });

  it('--hashes adds the sha256 of the pinned release to requirements files', async () => {
    const dir = project({ Dockerfile: PY, 'requirements.txt': 'gunicorn>=21\n' });
    await runCli(['fix', '--write', '--hashes', '--no-digest', '--safe-only', 'Dockerfile'], {
      cwd: dir,
      env: idx.env,
    });
    expect(fs.readFileSync(path.join(dir, 'requirements.txt'), 'utf8')).toBe(
      'gunicorn==22.0.0 \\\n    --hash=sha256:350679f91b24062c86e386e198a15438d53a7a8207235a78ba1b53df4c4378d9\n',
    );
  });

  it('looks packages up for the architecture FROM --platform names', async () => {
    const r = await runCli(['fix', '--no-digest', '--safe-only', '-'], {
      stdin:
        'FROM --platform=linux/arm64 debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl \\\n && rm -rf /var/lib/apt/lists/*\nUSER 1\n',
      env: idx.env,
    });
    expect(r.stdout).toContain('curl=7.88.1-10+deb12u7');
    expect(r.stderr).toContain('(from debian bookworm/main arm64 Packages)');
  });

  it("respects the image's Python: 3.8 cannot take flask 3.1", async () => {
    const r = await runCli(['fix', '--no-digest', '--safe-only', '-'], {
      stdin: 'FROM python:3.8.18-slim\nRUN pip install --no-cache-dir flask\nUSER 1\n',
      env: idx.env,
    });
    expect(r.stdout).toContain('flask==3.0.3');
  });

  it('says why a virtual or unknown package stays unpinned', async () => {
    const r = await runCli(['fix', '--no-digest', '--safe-only', '-'], {
      stdin:
        'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends mail-transport-agent nosuch \\\n && rm -rf /var/lib/apt/lists/*\nUSER 1\n',
      env: idx.env,
    });
    expect(r.stderr).toContain(
      'skipped apt-pin-versions: not-found: mail-transport-agent is a virtual package provided by exim4-daemon-light',
    );
    expect(r.stderr).toContain(
      'skipped apt-pin-versions: not-found: no package nosuch for amd64 in debian bookworm',
    );
  });

  it('pins apk packages from main and community, exactly or by release line', async () => {
    const df = 'FROM alpine:3.19\nRUN apk add --no-cache curl tini\nUSER 1\n';
    const exact = await runCli(['fix', '--no-digest', '-'], { stdin: df, env: idx.env });
    expect(exact.stdout).toContain('apk add --no-cache curl=8.5.0-r0 tini=0.19.0-r2');
    const fuzzy = await runCli(['fix', '--no-digest', '--pin-policy', 'apk=fuzzy', '-'], {
      stdin: df,
      env: idx.env,
    });
    expect(fuzzy.stdout).toContain('apk add --no-cache curl~8.5 tini~0.19');
  });

  it('offline answers from the cache only; a warm cache sends no request', async () => {
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'harden-idx-cache-'));
    const stdin =
      'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl \\\n && rm -rf /var/lib/apt/lists/*\nUSER 1\n';
    const cold = await runCli(['fix', '--offline', '--no-digest', '-'], {
      stdin,
      env: { ...idx.env, HARDEN_CACHE_DIR: cache },
    });
    expect(cold.stdout).toBe(stdin);
    await runCli(['fix', '--no-digest', '-'], { stdin, env: { ...idx.env, HARDEN_CACHE_DIR: cache } });
    const before = idx.server.total();
    const warm = await runCli(['fix', '--offline', '--no-digest', '-'], {
      stdin,
      env: { ...idx.env, HARDEN_CACHE_DIR: cache },
    });
    expect(warm.stdout).toContain('curl=7.88.1-10+deb12u8');
    const online = await runCli(['fix', '--no-digest', '-'], {
      stdin,
      env: { ...idx.env, HARDEN_CACHE_DIR: cache },
    });
    expect(online.stdout).toContain('curl=7.88.1-10+deb12u8');
    expect(idx.server.total()).toBe(before);
  });
});
