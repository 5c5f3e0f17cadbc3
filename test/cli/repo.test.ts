import { runCli } from '../harness/cli';
import { startFakeGitHub, type FakeGitHub } from '../harness/github-server';

const FILES = {
  'README.md': '# demo\n',
  Dockerfile:
    'FROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCMD python app.py\n',
  'requirements.txt': 'flask\n',
  'worker/Dockerfile.worker': 'FROM alpine:3.19\nRUN apk add curl\n',
  'node_modules/x/Dockerfile': 'FROM scratch\n',
};

describe('repository mode (GitHub REST API on 127.0.0.1)', () => {
  let gh: FakeGitHub;
  beforeEach(async () => {
    gh = await startFakeGitHub('acme', 'demo', FILES);
  });
  afterEach(() => gh.close());

  it('fetches the Dockerfiles and the requirements they install, and prints their hardening diffs', async () => {
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
    expect(gh.calls.filter((c) => c.startsWith('POST'))).toEqual([]);
  });

  it('--pr commits the changes on a branch and opens a pull request that marks review fixes', async () => {
    const r = await runCli(['repo', 'acme/demo', '--offline', '--pr'], { env: { GITHUB_API_URL: gh.url } });
    expect(r.stderr).toContain('pull request: https://example.invalid/acme/demo/pull/1');
    const tree = gh.bodies.get('POST /repos/acme/demo/git/trees') as {
      base_tree: string;
      tree: { path: string }[];
    };
    expect(tree.base_tree).toBe('base-tree');
    expect(tree.tree.map((t) => t.path).sort()).toEqual(['Dockerfile', 'worker/Dockerfile.worker']);
    const pr = gh.bodies.get('POST /repos/acme/demo/pulls') as { base: string; head: string; body: string };
    expect(pr.base).toBe('main');
    expect(pr.head).toMatch(/^harden-dockerfile\/main-/);
    expect(pr.body).toContain('`run-as-non-root` **(needs review)**');
  });

  it('a missing repository or bad credentials is a clear error, exit 2', async () => {
    const r = await runCli(['acme/nothing', '--offline'], { env: { GITHUB_API_URL: gh.url } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('GitHub repository acme/nothing: not found (or no access)');
  });
});
