import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';

const PRE_COMMIT = '/usr/bin/pre-commit';
const present = fs.existsSync(PRE_COMMIT);
if (!present && process.env.CI === 'true')
  throw new Error(`${PRE_COMMIT} is missing: .ci/run installs Debian's pre-commit`);
const describeHook = present ? describe : describe.skip;

const root = path.resolve(__dirname, '../..');
const bin = path.join(root, 'dist/harden-dockerfile.js');
const hooks = parseYaml(fs.readFileSync(path.join(root, '.pre-commit-hooks.yaml'), 'utf8')) as {
  id: string;
  entry: string;
  files: string;
  exclude: string;
}[];

function git(cwd: string, ...args: string[]) {
  execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], {
    cwd,
    stdio: 'pipe',
  });
}

/** A repository whose pre-commit config runs our hooks' entries against the built binary. */
function repoWith(dockerfile: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harden-pc-'));
  git(dir, 'init', '-q');
  const local = hooks.map((h) => ({
    id: h.id,
    name: h.id,
    entry: h.entry.replace(/^harden-dockerfile/, `${process.execPath} ${bin}`),
    language: 'system',
    files: h.files,
    exclude: h.exclude,
  }));
  fs.writeFileSync(
    path.join(dir, '.pre-commit-config.yaml'),
    JSON.stringify({ repos: [{ repo: 'local', hooks: local }] }),
  );
  fs.mkdirSync(path.join(dir, 'svc'));
  fs.writeFileSync(path.join(dir, 'svc', 'Dockerfile'), dockerfile);
  fs.writeFileSync(path.join(dir, 'notes.md'), 'not a Dockerfile\n');
  git(dir, 'add', '.');
  return dir;
}

describeHook('pre-commit runs the hooks for real', () => {
  const env = {
    ...process.env,
    PRE_COMMIT_HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'harden-pc-home-')),
    HARDEN_LOOPBACK_ONLY: '1',
  };

  it('lint fails the commit on findings and passes a hardened file', () => {
    const bad = repoWith('FROM debian:12\nRUN apt-get install curl\n');
    const run = spawnSync(PRE_COMMIT, ['run', 'harden-dockerfile', '--all-files'], {
      cwd: bad,
      env,
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('svc/Dockerfile:2:13 warning apt-assume-yes');
    const digest = `sha256:${'a'.repeat(64)}`;
    const good = repoWith(`FROM debian:12.6-slim@${digest}\nUSER 10001\nCMD ["true"]\n`);
    const ok = spawnSync(PRE_COMMIT, ['run', 'harden-dockerfile', '--all-files'], {
      cwd: good,
      env,
      encoding: 'utf8',
    });
    expect(ok.stdout).toMatch(/harden-dockerfile\.+Passed/);
    expect(ok.status).toBe(0);
  });

  it('the fix hook rewrites the file in place, and pre-commit reports the change', () => {
    const dir = repoWith(
      'FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10\nUSER 1\n',
    );
    const run = spawnSync(PRE_COMMIT, ['run', 'harden-dockerfile-fix', '--all-files'], {
      cwd: dir,
      env,
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('files were modified by this hook');
    expect(fs.readFileSync(path.join(dir, 'svc', 'Dockerfile'), 'utf8')).toContain(
      '&& rm -rf /var/lib/apt/lists/*',
    );
    const again = spawnSync(PRE_COMMIT, ['run', 'harden-dockerfile-fix', '--all-files'], {
      cwd: dir,
      env,
      encoding: 'utf8',
    });
    expect(again.status).toBe(0);
  });
});
