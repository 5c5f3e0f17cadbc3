import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * The hooks as users get them: Debian's pre-commit clones this repository (here, a git clone of the
 * checkout with its uncommitted changes committed), installs it with `language: node` (npm install,
 * npm pack, npm install -g of the tarball) and runs the entries of `.pre-commit-hooks.yaml`.
 */
const PRE_COMMIT = '/usr/bin/pre-commit';
const present = fs.existsSync(PRE_COMMIT);
if (!present && process.env.CI === 'true')
  throw new Error(`${PRE_COMMIT} is missing: .ci/run installs Debian's pre-commit`);
const describeHook = present ? describe : describe.skip;
if (!present) console.warn(`pre-commit hook tests skipped: ${PRE_COMMIT} is not installed`);

const root = path.resolve(__dirname, '../..');

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** A clone of the checkout as it is now: committed history plus the working tree's changes. */
function hookRepository(): { dir: string; rev: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harden-hooks-'));
  git(os.tmpdir(), 'clone', '-q', '--no-local', root, dir);
  const tracked = git(root, 'ls-files', '-z', '--cached', '--others', '--exclude-standard')
    .split('\0')
    .filter(Boolean);
  for (const file of tracked) {
    const from = path.join(root, file);
    const to = path.join(dir, file);
    if (!fs.existsSync(from)) {
      fs.rmSync(to, { force: true });
      continue;
    }
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(from, to);
  }
  git(dir, 'add', '-A');
  if (git(dir, 'status', '--porcelain').trim() !== '') git(dir, 'commit', '-q', '-m', 'working tree');
  return { dir, rev: git(dir, 'rev-parse', 'HEAD').trim() };
}

function project(hooks: { dir: string; rev: string }, dockerfile: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harden-pc-'));
  git(dir, 'init', '-q');
  fs.writeFileSync(
    path.join(dir, '.pre-commit-config.yaml'),
    [
      'repos:',
      `  - repo: ${hooks.dir}`,
      `    rev: ${hooks.rev}`,
      '    hooks:',
      '      - id: harden-dockerfile',
      '      - id: harden-dockerfile-fix',
      '',
    ].join('\n'),
  );
  fs.mkdirSync(path.join(dir, 'svc'));
  fs.writeFileSync(path.join(dir, 'svc', 'Dockerfile'), dockerfile);
  fs.writeFileSync(path.join(dir, 'notes.md'), 'not a Dockerfile\n');
  git(dir, 'add', '.');
  return dir;
}

describeHook('the shipped hooks, installed by pre-commit from a git clone', () => {
  let hooks: { dir: string; rev: string };
  const env = {
    ...process.env,
    PRE_COMMIT_HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'harden-pc-home-')),
    HARDEN_LOOPBACK_ONLY: '1',
    HARDEN_APT_SOURCES: 'none',
    HARDEN_CACHE_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'harden-pc-cache-')),
  };
  const run = (cwd: string, hook: string) =>
    spawnSync(PRE_COMMIT, ['run', hook, '--all-files'], { cwd, env, encoding: 'utf8' });

  beforeAll(() => {
    hooks = hookRepository();
    // The first run installs the hook environment (npm install, npm pack, npm install -g).
    const dir = project(hooks, 'FROM scratch\n');
    const install = spawnSync(PRE_COMMIT, ['install-hooks'], { cwd: dir, env, encoding: 'utf8' });
    if (install.status !== 0) {
      const log = path.join(env.PRE_COMMIT_HOME, 'pre-commit.log');
      throw new Error(
        `pre-commit could not install the hooks:\n${install.stdout}${install.stderr}\n${
          fs.existsSync(log) ? fs.readFileSync(log, 'utf8').slice(-3000) : ''
        }`,
      );
    }
  }, 300_000);

  it('lint fails the commit on findings and passes a hardened file', () => {
    const bad = project(hooks, 'FROM debian:12\nRUN apt-get install curl\n');
    const failed = run(bad, 'harden-dockerfile');
    expect(failed.stdout).toContain('svc/Dockerfile:2:13 warning apt-assume-yes');
    expect(failed.status).toBe(1);
    const digest = `sha256:${'a'.repeat(64)}`;
    const good = project(hooks, `FROM debian:12.6-slim@${digest}\nUSER 10001\nCMD ["true"]\n`);
    const ok = run(good, 'harden-dockerfile');
    expect(ok.stdout).toMatch(/harden-dockerfile \(lint\)\.+Passed/);
    expect(ok.status).toBe(0);
  });

  it('the fix hook rewrites the file in place without the network, and a second run passes', () => {
    const dir = project(
      hooks,
      'FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10\nUSER 1\n',
    );
    const first = run(dir, 'harden-dockerfile-fix');
    expect(first.stdout).toContain('files were modified by this hook');
    expect(first.stdout + first.stderr).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
    expect(first.status).toBe(1);
    expect(fs.readFileSync(path.join(dir, 'svc', 'Dockerfile'), 'utf8')).toContain(
      '&& rm -rf /var/lib/apt/lists/*',
    );
    const again = run(dir, 'harden-dockerfile-fix');
    expect(again.status).toBe(0);
  });

  it('a file that does not parse gets a clear message, not a stack trace', () => {
    const dir = project(hooks, 'FROM debian:12-slim\nRUN apt-get install -y \\\n');
    const r = run(dir, 'harden-dockerfile');
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
    expect(r.stdout).toContain('svc/Dockerfile');
  });
});
