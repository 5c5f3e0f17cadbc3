import type { Config } from '../../src/engine/config';
import type { HardenResult } from '../../src/engine/harden';
import { runCli } from '../harness/cli';
import { fixWithAll } from '../harness/rule-tester';

const fix = (text: string, files: Record<string, string> = {}, config: Partial<Config> = {}) =>
  fixWithAll(text, {}, files, config);

const userSkip = (r: HardenResult) => r.skipped.find((s) => s.ruleId === 'run-as-non-root')?.reason;

describe('an image that drops privileges itself gets no USER', () => {
  it('nginx: its master starts as root and runs its workers as the user of nginx.conf', async () => {
    const r = await fix('FROM nginx:1.27\nCOPY site/ /usr/share/nginx/html/\n');
    expect(r.output).not.toMatch(/^USER/m);
    expect(userSkip(r)).toMatch(/drops privileges itself: nginx .* to nginx/);
  });

  it('an nginx.conf from the build context names the worker user', async () => {
    const r = await fix(
      'FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends nginx && rm -rf /var/lib/apt/lists/*\nCOPY nginx.conf /etc/nginx/nginx.conf\nCMD ["nginx", "-g", "daemon off;"]\n',
      { 'nginx.conf': 'user www-data;\nevents {}\n' },
    );
    expect(r.output).not.toMatch(/^USER/m);
    expect(userSkip(r)).toMatch(/nginx in the CMD, to www-data/);
  });

  it('an entrypoint script from the build context that ends in gosu', async () => {
    const script =
      '#!/bin/sh\nset -e\nmkdir -p /srv/data\nchown svc /srv/data\n# gosu root would be wrong\nexec gosu svc "$@"\n';
    const r = await fix(
      'FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends gosu && rm -rf /var/lib/apt/lists/* && useradd svc\nCOPY docker/entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\nCMD ["server"]\n',
      { 'docker/entrypoint.sh': script },
    );
    expect(r.output).not.toMatch(/^USER/m);
    expect(userSkip(r)).toMatch(/gosu in \/entrypoint.sh, to svc/);
    // Read to learn how the image starts, never written back.
    expect(r.contextChanges).toEqual([]);
  });

  it('a step down to root is said to be one', async () => {
    const r = await fix('FROM debian:12-slim\nENTRYPOINT ["su-exec", "root", "/app"]\n');
    expect(userSkip(r)).toMatch(/runs as root/);
  });

  it('the official database images keep their gosu entrypoint under a CMD of the Dockerfile', async () => {
    const r = await fix('FROM postgres:16\nCMD ["postgres", "-c", "max_connections=200"]\n');
    expect(userSkip(r)).toMatch(/gosu in docker-entrypoint.sh .*to postgres/);
  });

  it('an image that starts another program gets its USER', async () => {
    const r = await fix('FROM nginx:1.27\nCMD ["python3", "-m", "http.server"]\n');
    expect(r.output).toMatch(/^USER app$/m);
  });
});

describe('the user the fix creates', () => {
  it('has a home, and a VOLUME folder it owns, made before the VOLUME', async () => {
    const r = await fix(
      'FROM python:3.12-slim\nVOLUME /data\nRUN pip install --no-cache-dir flask==3.0.3\nCMD ["python3", "app.py"]\n',
    );
    expect(r.output).toBe(
      'FROM python:3.12-slim\nRUN groupadd --system app && useradd --system --gid app --create-home app && mkdir -p /data && chown app:app /data\nVOLUME /data\nRUN pip install --no-cache-dir flask==3.0.3\nUSER app\nCMD ["python3", "app.py"]\n',
    );
  });

  it('a VOLUME after the last RUN: its folder is made with the user', async () => {
    const r = await fix(
      'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.3\nVOLUME ["/data", "/cache"]\n',
    );
    expect(r.output).toContain(
      'RUN groupadd --system app && useradd --system --gid app --create-home app && mkdir -p /data /cache && chown app:app /data /cache\nUSER app\nVOLUME ["/data", "/cache"]\n',
    );
  });

  it('takes the name and uid the configuration gives it', async () => {
    const r = await fix(
      'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.3\n',
      {},
      {
        newUser: { name: 'user', uid: 1000 },
      },
    );
    expect(r.output).toContain(
      'RUN groupadd --system --gid 1000 user && useradd --system --uid 1000 --gid user --create-home user\nUSER user\n',
    );
    const alpine = await fix('FROM alpine:3.20\nRUN echo hi\n', {}, { newUser: { name: 'user', uid: 1000 } });
    expect(alpine.output).toContain(
      'RUN addgroup -S -g 1000 user && adduser -S -u 1000 -G user user\nUSER user\n',
    );
  });

  it('--user-name and --uid on the command line, checked', async () => {
    const ok = await runCli(['fix', '--offline', '--user-name', 'hf', '--uid', '1000', '-'], {
      stdin: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.3\n',
    });
    expect(ok.stdout).toContain('useradd --system --uid 1000 --gid hf --create-home hf\nUSER hf\n');
    const bad = await runCli(['fix', '--offline', '--user-name', 'Bad Name', '-'], {
      stdin: 'FROM python:3.12-slim\n',
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/user.name/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('start-up scripts the review found unread', () => {
  it('a script named by its bare name, copied onto PATH, that steps down with setpriv', async () => {
    const r = await fix(
      'FROM debian:12-slim\nRUN useradd --create-home app\nCOPY docker-entrypoint.sh /usr/local/bin/\nENTRYPOINT ["docker-entrypoint.sh"]\n',
      { 'docker-entrypoint.sh': '#!/bin/sh\nexec setpriv --reuid=app --regid=app --init-groups "$@"\n' },
    );
    expect(r.output).not.toMatch(/^USER/m);
    expect(userSkip(r)).toMatch(/setpriv in \/usr\/local\/bin\/docker-entrypoint.sh, to app/);
  });

  it.each([
    'su - app -c "node /srv/server.js"',
    'su -s /bin/sh app -c "node /srv/server.js"',
    'su --login app --command "x"',
  ])('%s', async (line) => {
    const r = await fix('FROM debian:12-slim\nCOPY run.sh /run.sh\nENTRYPOINT ["/run.sh"]\n', {
      'run.sh': `#!/bin/sh\nexec ${line}\n`,
    });
    expect(userSkip(r)).toMatch(/su -c in \/run.sh, to app/);
  });
});

describe('a uid the image already has', () => {
  it('ubuntu:24.04 has ubuntu as 1000: asked for uid 1000, that user runs it', async () => {
    const r = await fix('FROM ubuntu:24.04\nRUN echo hi\n', {}, { newUser: { name: 'app', uid: 1000 } });
    expect(r.output).toContain('USER ubuntu\n');
    expect(r.output).not.toContain('groupadd');
    const old = await fix('FROM ubuntu:22.04\nRUN echo hi\n', {}, { newUser: { name: 'app', uid: 1000 } });
    expect(old.output).toContain('useradd --system --uid 1000 --gid app --create-home app');
  });
});

describe('a large uid', () => {
  it('the created user gets -l, so useradd does not grow lastlog, and no later fix is needed', async () => {
    const r = await fix('FROM debian:12-slim\nRUN echo hi\n', {}, { newUser: { name: 'app', uid: 1000000 } });
    expect(r.output).toContain('useradd --system -l --uid 1000000 --gid app --create-home app');
    expect(r.applied.filter((a) => a.ruleId === 'useradd-no-log-init')).toEqual([]);
  });
});
