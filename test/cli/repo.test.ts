import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { outPath } from '../../src/cli/repo';
import { parseRepoTarget } from '../../src/cli/repo-target';
import { runCli } from '../harness/cli';
import { startFakeGitHub, type FakeGitHub, type FakeGitHubOptions } from '../harness/github-server';

const FILES = {
  'README.md': '# demo\n',
  Dockerfile:
    'FROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCMD python app.py\n',
  'requirements.txt': 'flask\n',
  'worker/Dockerfile.worker': 'FROM alpine:3.19\nRUN apk add curl\n',
  'node_modules/x/Dockerfile': 'FROM scratch\n',
};

describe('repository targets', () => {
  it('reads owner/repo, @ref and GitHub URLs, one folder or file too', () => {
    expect(parseRepoTarget('acme/demo')).toEqual({ owner: 'acme', repo: 'demo' });
    expect(parseRepoTarget('acme/demo@v1.2')).toEqual({ owner: 'acme', repo: 'demo', ref: 'v1.2' });
    expect(parseRepoTarget('https://github.com/acme/demo.git')).toEqual({ owner: 'acme', repo: 'demo' });
    expect(parseRepoTarget('https://github.com/acme/demo/tree/dev/services/api')).toEqual({
      owner: 'acme',
      repo: 'demo',
      ref: 'dev',
      path: 'services/api',
    });
    expect(parseRepoTarget('https://github.com/acme/demo/blob/main/worker/Dockerfile.worker')).toMatchObject({
      ref: 'main',
      path: 'worker/Dockerfile.worker',
    });
    expect(parseRepoTarget('https://github.com/acme/demo/tree/main/../../etc')).toBeUndefined();
    expect(parseRepoTarget('acme/demo@$(rm -rf /)')).toBeUndefined();
  });

  it('--out refuses paths that would leave the folder, and links already in it', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'harden-out-'));
    expect(await outPath(out, 'a/Dockerfile')).toBe(path.join(out, 'a/Dockerfile'));
    expect(await outPath(out, '../escape/Dockerfile')).toBeUndefined();
    expect(await outPath(out, 'a/../../x')).toBeUndefined();
    expect(await outPath(out, '/etc/passwd')).toBeUndefined();
    fs.symlinkSync(os.tmpdir(), path.join(out, 'link'));
    expect(await outPath(out, 'link/Dockerfile')).toBeUndefined();
  });
});

describe('repository mode (GitHub REST API on 127.0.0.1)', () => {
  let gh: FakeGitHub;
  const start = async (opts: FakeGitHubOptions = {}, files: Record<string, string> = FILES) => {
    gh = await startFakeGitHub('acme', 'demo', files, opts);
    return { GITHUB_API_URL: gh.url };
  };
  afterEach(() => gh?.close());

  it('fetches the Dockerfiles and the requirements they install, and prints their hardening diffs', async () => {
    await start();
    const env = { GITHUB_API_URL: gh.url, GITHUB_TOKEN: 'ghp_secret_value' };
    const r = await runCli(['acme/demo', '--offline'], { env });
    expect(r.stdout).toContain('--- a/Dockerfile\n+++ b/Dockerfile\n');
    expect(r.stdout).toContain('+RUN pip install --no-cache-dir -r requirements.txt');
    expect(r.stdout).toContain('--- a/worker/Dockerfile.worker\n');
    expect(r.stdout).not.toContain('node_modules');
    expect(r.stderr).toContain(
      'requirements.txt:1:1 warning pip-requirements-pinned flask in requirements.txt',
    );
    expect(gh.calls).toContain('GET /repos/acme/demo/contents/requirements.txt');
    expect(gh.authorization.every((a) => a === 'token ghp_secret_value')).toBe(true);
    expect(r.stdout + r.stderr).not.toContain('ghp_secret_value');
    expect(gh.calls.filter((c) => !c.startsWith('GET'))).toEqual([]);
  });

  it('--github-api-url, a URL target with a folder, a truncated tree and files over 1 MB', async () => {
    const big = `FROM alpine:3.19\n${'# padding\n'.repeat(200)}RUN apk add git\n`;
    await start({ truncatedTree: true, blobOver: 1000 }, { ...FILES, 'services/api/Dockerfile': big });
    const r = await runCli(
      ['https://github.com/acme/demo/tree/main/services', '--offline', '--github-api-url', gh.url],
      { env: {} },
    );
    expect(r.stdout).toContain('--- a/services/api/Dockerfile');
    expect(r.stdout).not.toContain('--- a/Dockerfile');
    expect(gh.calls).toContain('GET /repos/acme/demo/git/blobs/blob:c0:services/api/Dockerfile');
    expect(r.code).not.toBe(2);
  });

  it('--out writes every hardened file at its repository path; --max-dockerfiles caps with a message', async () => {
    await start();
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'harden-out-'));
    const r = await runCli(['acme/demo', '--offline', '--out', out, '--max-dockerfiles', '1'], {
      env: { GITHUB_API_URL: gh.url },
    });
    expect(fs.readFileSync(path.join(out, 'Dockerfile'), 'utf8')).toContain(
      'pip install --no-cache-dir -r requirements.txt',
    );
    expect(fs.existsSync(path.join(out, 'worker/Dockerfile.worker'))).toBe(false);
    expect(r.stderr).toContain(
      '2 Dockerfiles in acme/demo@main; the first 1 were hardened (--max-dockerfiles)',
    );
    expect(r.stderr).toContain(`1 hardened file(s) written under ${out}`);
  });

  it('--out writes nothing outside the folder for a tree with ../ and absolute paths', async () => {
    await start(
      {},
      {
        Dockerfile: 'FROM alpine:3.19\nRUN apk add curl\n',
        '../escape/Dockerfile': 'FROM alpine:3.19\nRUN apk add git\n',
        '/abs/Dockerfile': 'FROM alpine:3.19\nRUN apk add vim\n',
      },
    );
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'harden-out-'));
    const out = path.join(parent, 'out');
    const r = await runCli(['acme/demo', '--offline', '--out', out], { env: { GITHUB_API_URL: gh.url } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('../escape/Dockerfile: not written, its path would leave');
    expect(r.stderr).toContain('/abs/Dockerfile: not written, its path would leave');
    expect(fs.readdirSync(parent)).toEqual(['out']);
    expect(fs.readdirSync(out)).toEqual(['Dockerfile']);
  });

  it('--pr is idempotent: one branch, one commit on the base, one pull request, updated when the base moves', async () => {
    await start();
    const env = { GITHUB_API_URL: gh.url };
    const first = await runCli(['repo', 'acme/demo', '--offline', '--pr'], { env });
    expect(first.stderr).toContain('pull request: https://example.invalid/acme/demo/pull/1');
    const branch = gh.branch('acme/demo', 'harden-dockerfile/main');
    expect(branch?.parent).toBe('c0');
    expect(branch?.files['worker/Dockerfile.worker']).toContain('apk add --no-cache curl');
    const body = gh.pulls('acme/demo')[0].body;
    expect(body).toContain('`run-as-non-root` **(needs review)**');
    expect(body).toContain('| severity | rule | count |');
    expect(body).toContain('npx harden-dockerfile repo acme/demo --ref main');

    const writes = () => gh.calls.filter((c) => !c.startsWith('GET')).length;
    const before = writes();
    const second = await runCli(['repo', 'acme/demo', '--offline', '--pr'], { env });
    expect(second.stderr).toContain('nothing new: pull request #1 is current');
    expect(writes()).toBe(before);

    // The base moves and a new finding appears: the same branch is rebuilt on it, the same PR updated.
    gh.push('acme/demo', 'main', { 'worker/Dockerfile.worker': 'FROM alpine:3.19\nRUN apk add curl git\n' });
    const third = await runCli(['repo', 'acme/demo', '--offline', '--pr'], { env });
    expect(third.stderr).toContain('pull request #1 updated');
    expect(gh.pulls('acme/demo')).toHaveLength(1);
    const moved = gh.branch('acme/demo', 'harden-dockerfile/main');
    expect(moved?.parent).toBe(gh.branch('acme/demo', 'main')?.sha);
    expect(moved?.files['worker/Dockerfile.worker']).toContain('apk add --no-cache curl git');
  });

  it('--pr from a fork when the token cannot push; nothing to change opens nothing', async () => {
    await start({ canPush: false, forkOwner: 'me' });
    const r = await runCli(['repo', 'acme/demo', '--offline', '--pr'], { env: { GITHUB_API_URL: gh.url } });
    expect(r.stderr).toContain('pull request: https://example.invalid/acme/demo/pull/1');
    expect(gh.branch('me/demo', 'harden-dockerfile/main')?.parent).toBe('c0');
    expect(gh.branch('acme/demo', 'harden-dockerfile/main')).toBeUndefined();
    expect(gh.pulls('acme/demo')[0].head).toBe('me:harden-dockerfile/main');
    await gh.close();

    const clean = 'FROM scratch\nUSER 65532:65532\nCOPY app /app\nENTRYPOINT ["/app"]\n';
    await start({}, { Dockerfile: clean });
    const none = await runCli(['repo', 'acme/demo', '--offline', '--pr'], {
      env: { GITHUB_API_URL: gh.url },
    });
    expect(none.stderr).toContain('nothing to change: no branch, no pull request');
    expect(gh.calls.filter((c) => !c.startsWith('GET'))).toEqual([]);
  });

  it('a missing repository, bad target or unknown ref is one clear line, exit 2, no partial output', async () => {
    await start();
    const r = await runCli(['acme/nothing', '--offline'], { env: { GITHUB_API_URL: gh.url } });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('harden-dockerfile: GitHub repository acme/nothing: not found (or no access)\n');
    const ref = await runCli(['acme/demo@nope', '--offline'], { env: { GITHUB_API_URL: gh.url } });
    expect(ref.code).toBe(2);
    expect(ref.stdout).toBe('');
    expect(ref.stderr).toMatch(/^harden-dockerfile: GitHub tree of acme\/demo@nope: not found/);
  });
});
