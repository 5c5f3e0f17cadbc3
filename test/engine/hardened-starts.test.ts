import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../harness/cli';
import { DOCKER, docker } from '../harness/engine';
import { freePort } from '../harness/registry';
import { answer, build, mirrorEnv, processes, standinsAvailable } from '../harness/standins';

/**
 * The hardened image starts and does its job: each case builds the original on a real engine, runs
 * it and asks it over HTTP; runs `fix --write` with the network on against the registry mirror that
 * serves the stand-ins for the official images; then builds the hardened Dockerfile, runs it, asks
 * it the same, and checks that its service runs with a uid other than 0.
 */
const ready = standinsAvailable('the hardened-image engine tests');
const describeEngine = ready ? describe : describe.skip;

interface Case {
  readonly name: string;
  readonly files: Readonly<Record<string, string>>;
  readonly port: number;
  readonly body: RegExp;
  /** Picks the service's processes out of the container's. */
  readonly service: RegExp;
  readonly hardened: (text: string, report: string) => void;
}

const id = `${process.pid}-${Date.now() % 100000}`;

async function runAndAsk(tag: string, c: Case): Promise<{ uids: number[]; body: string; status: number }> {
  const name = `hd-start-${id}-${Math.random().toString(36).slice(2, 8)}`;
  const port = await freePort();
  docker(['run', '-d', '--name', name, '-p', `127.0.0.1:${port}:${c.port}`, tag]);
  try {
    const got = await answer(port);
    const logs = spawnSync(DOCKER, ['logs', name], { encoding: 'utf8' });
    if (!got) throw new Error(`${tag} did not answer:\n${logs.stdout}${logs.stderr}`);
    const uids = processes(name)
      .filter((p) => c.service.test(p.args))
      .map((p) => p.uid);
    return { ...got, uids };
  } finally {
    spawnSync(DOCKER, ['rm', '-f', name], { stdio: 'ignore' });
  }
}

async function prove(c: Case): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harden-starts-'));
  for (const [file, text] of Object.entries(c.files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text, { mode: file.endsWith('.sh') ? 0o755 : 0o644 });
  }
  // The slim variants have no stand-ins: the slim swap is proven elsewhere.
  fs.writeFileSync(path.join(dir, '.harden-dockerfile.yaml'), 'severity:\n  prefer-slim-base: "off"\n');
  const tags = [`hd-orig-${id}`, `hd-hard-${id}`].map((t) => `${t}:${c.name.replace(/\W+/g, '-')}`);
  try {
    const original = build(tags[0], dir);
    expect({ built: original.ok, log: original.ok ? '' : original.log }).toEqual({ built: true, log: '' });
    const before = await runAndAsk(tags[0], c);
    expect(before.status).toBe(200);
    expect(before.body).toMatch(c.body);

    const fixed = await runCli(['fix', '--write', 'Dockerfile'], { cwd: dir, env: mirrorEnv() });
    expect(fixed.stderr).not.toMatch(/internal error|\n\s+at /);
    const text = fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
    // Pinned to what the mirror serves: the tag and digest pins went through.
    expect(text).toMatch(/^FROM [a-z]+:[\d.]+@sha256:[0-9a-f]{64}/m);
    c.hardened(text, `${fixed.stdout}${fixed.stderr}`);

    const hardened = build(tags[1], dir);
    expect({ built: hardened.ok, log: hardened.ok ? '' : hardened.log, text }).toEqual({
      built: true,
      log: '',
      text,
    });
    const after = await runAndAsk(tags[1], c);
    expect(after.status).toBe(before.status);
    expect(after.body).toBe(before.body);
    expect(after.uids.length).toBeGreaterThan(0);
    expect(after.uids.filter((u) => u === 0)).toEqual([]);
  } finally {
    for (const t of tags) spawnSync(DOCKER, ['rmi', '-f', t], { stdio: 'ignore' });
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const SERVE_PY = [
  'import http.server, pathlib',
  "cache = pathlib.Path.home() / '.cache' / 'model'",
  'cache.mkdir(parents=True, exist_ok=True)',
  "(cache / 'weights').write_text('w')",
  "pathlib.Path('/data/state').write_text('s')",
  'class Handler(http.server.BaseHTTPRequestHandler):',
  '    def do_GET(self):',
  '        self.send_response(200)',
  '        self.end_headers()',
  "        self.wfile.write(b'cache-and-volume-ok')",
  "http.server.HTTPServer(('0.0.0.0', 8000), Handler).serve_forever()",
  '',
].join('\n');

describeEngine('hardened images start and do their job, on a real engine', () => {
  it('nginx with a site: no USER (its master steps down); the workers run as nginx', async () => {
    await prove({
      name: 'nginx',
      files: {
        Dockerfile: 'FROM nginx:1.22\nCOPY site/ /usr/share/nginx/html/\n',
        'site/index.html': 'hello from the site\n',
      },
      port: 80,
      body: /hello from the site/,
      service: /nginx: worker/,
      hardened: (text, report) => {
        expect(text).not.toMatch(/^USER/m);
        expect(report).toMatch(/skipped run-as-non-root: the image drops privileges itself: nginx/);
      },
    });
  }, 300_000);

  it('an entrypoint that steps down with gosu: no USER; the service runs as svc', async () => {
    await prove({
      name: 'gosu',
      files: {
        Dockerfile: [
          'FROM python:3.11',
          'RUN useradd --system svc',
          'COPY entrypoint.sh /entrypoint.sh',
          'ENTRYPOINT ["/entrypoint.sh"]',
          'CMD ["python3", "-m", "http.server", "8000", "--directory", "/srv/data"]',
          '',
        ].join('\n'),
        'entrypoint.sh':
          '#!/bin/sh\nset -e\nmkdir -p /srv/data\necho served-by-svc > /srv/data/index.html\nchown -R svc /srv/data\nexec gosu svc "$@"\n',
      },
      port: 8000,
      body: /served-by-svc/,
      service: /http\.server/,
      hardened: (text, report) => {
        expect(text).not.toMatch(/^USER/m);
        expect(report).toMatch(/drops privileges itself: gosu in \/entrypoint.sh, to svc/);
      },
    });
  }, 300_000);

  it('an app that writes to $HOME/.cache and to its VOLUME: a user with a home that owns the volume', async () => {
    await prove({
      name: 'cache',
      files: {
        Dockerfile:
          'FROM python:3.11\nCOPY app.py /app/app.py\nVOLUME /data\nCMD ["python3", "/app/app.py"]\n',
        'app.py': SERVE_PY,
      },
      port: 8000,
      body: /cache-and-volume-ok/,
      service: /app\.py/,
      hardened: (text) => {
        expect(text).toMatch(
          /useradd --system --gid app --create-home app && mkdir -p \/data && chown app:app \/data/,
        );
        expect(text).toMatch(/^USER app$/m);
      },
    });
  }, 300_000);

  it('a plain Python web app: USER app, and the shell-form CMD in exec form', async () => {
    await prove({
      name: 'web',
      files: {
        Dockerfile: 'FROM python:3.11\nWORKDIR /srv\nCOPY index.html .\nCMD python3 -m http.server 8000\n',
        'index.html': 'plain web app\n',
      },
      port: 8000,
      body: /plain web app/,
      service: /http\.server/,
      hardened: (text) => {
        expect(text).toMatch(/^USER app$/m);
        expect(text).toContain('CMD ["python3", "-m", "http.server", "8000"]');
      },
    });
  }, 300_000);
});
