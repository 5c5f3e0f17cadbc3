import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../harness/cli';
import { startFakeGitHub } from '../harness/github-server';
import { DOCKER, docker } from '../harness/engine';
import { build, mirrorEnv, standinsAvailable } from '../harness/standins';

/**
 * fix --prove on a real engine: the original and the hardened Dockerfile are built from the
 * stand-ins for official images (served by the registry the engine takes as its mirror), run the
 * same way and compared; fixes that break the image are dropped with their evidence.
 */
const ready = standinsAvailable('the --prove engine tests');
const describeEngine = ready ? describe : describe.skip;

const LABEL = 'io.harden-dockerfile.prove';

/** A small HTTP server on 8000 that answers `GET /` with 200. */
const SERVER = `import http.server
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"ok\\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
http.server.HTTPServer(("0.0.0.0", 8000), H).serve_forever()
`;

function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harden-prove-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const env = () => ({
  ...mirrorEnv(),
  HARDEN_DOCKER: DOCKER,
  PATH: process.env.PATH ?? '',
  HOME: os.homedir(),
});

/** What prove leaves behind: its labelled containers, networks and images. */
function leftovers(): string[] {
  const list = (args: string[]) => docker(args).split('\n').filter(Boolean);
  return [
    ...list(['ps', '-aq', '--filter', `label=${LABEL}`]).map((c) => `container ${c}`),
    ...list(['network', 'ls', '-q', '--filter', `label=${LABEL}`]).map((n) => `network ${n}`),
    ...list(['images', '-q', '--filter', `label=${LABEL}`]).map((i) => `image ${i}`),
  ];
}

/**
 * Images named as prove names them. Other test files run beside this one and tag images of their
 * own, so the engine's whole image list is not compared.
 */
const proveImages = () =>
  docker(['images', '--format', '{{.Repository}}:{{.Tag}}'])
    .split('\n')
    .filter((i) => i.startsWith('harden-prove-'))
    .sort();

interface Observed {
  built: boolean;
  state: string;
  exitCode?: number;
  uid?: number;
  ports: { port: string; status?: number }[];
  logTail: string[];
}

interface JsonProof {
  proven: boolean;
  builds: number;
  bisected: boolean;
  dropped: { rule: string; evidence: string }[];
  reason?: string;
  original: Observed;
  hardened?: Observed;
}

async function proveJson(dir: string, extra: string[] = []) {
  const r = await runCli(
    ['fix', '--offline', '--prove', '--format', 'json', ...extra, path.join(dir, 'Dockerfile')],
    { env: env() },
  );
  const report = JSON.parse(r.stderr) as {
    files: {
      proof?: JsonProof;
      fixed: { ruleId: string }[];
      skipped: { ruleId: string; reason: string }[];
    }[];
  };
  return { ...r, file: report.files[0] };
}

describeEngine('fix --prove', () => {
  jest.setTimeout(600_000);
  // The slim variants have no stand-ins: each case turns the slim swap off, but for the one that
  // shows a fix breaking the build.
  const noSlim = { '.harden-dockerfile.yaml': 'severity:\n  prefer-slim-base: "off"\n' };

  afterAll(() => expect(leftovers()).toEqual([]));

  it('proves a web app: both answer GET / with 200, the hardened one as a non-root uid', async () => {
    const dir = project({
      ...noSlim,
      'app.py': SERVER,
      Dockerfile: 'FROM python:3.11\nWORKDIR /app\nCOPY app.py .\nEXPOSE 8000\nCMD ["python3", "app.py"]\n',
    });
    const { code, stdout, file } = await proveJson(dir);
    expect(code).not.toBe(2);
    const proof = file.proof as JsonProof;
    expect(proof.proven).toBe(true);
    expect(proof.bisected).toBe(false);
    expect(proof.builds).toBe(1);
    expect(proof.original.ports).toEqual([{ port: '8000/tcp', accepted: true, status: 200 }]);
    expect(proof.hardened?.ports).toEqual([{ port: '8000/tcp', accepted: true, status: 200 }]);
    expect(proof.original.uid).toBe(0);
    expect(proof.hardened?.uid).toBeGreaterThan(0);
    expect(file.fixed.map((f) => f.ruleId)).toContain('run-as-non-root');
    expect(stdout).toMatch(/^USER app$/m);
    // The text report ends with the table; --prove-tag keeps the proven image, and only it.
    const kept = `hd-prove-tag-${process.pid}:proven`;
    const text = await runCli(
      ['fix', '--offline', '--prove', '--prove-tag', kept, path.join(dir, 'Dockerfile')],
      {
        env: env(),
      },
    );
    expect(text.stderr).toMatch(/proven: built and started, answered GET \/ 200 on 8000\/tcp as uid \d+/);
    expect(text.stderr).toMatch(/^ {2}GET \/ on 8000\/tcp +200 +200$/m);
    expect(text.stderr).toMatch(/^ {2}user +uid 0 +uid [1-9]\d*$/m);
    try {
      expect(docker(['image', 'inspect', '--format', '{{.Config.User}}', kept]).trim()).toBe('app');
    } finally {
      docker(['rmi', kept]);
    }
  });

  it('drops the non-root fix when the start needs root in a way no rule sees, and keeps the others', async () => {
    const dir = project({
      ...noSlim,
      'app.py': SERVER,
      // The entrypoint writes to a root-owned folder that only an environment variable names.
      Dockerfile: [
        'FROM python:3.11',
        'ENV STATE_DIR=/var/lib/app-state',
        'RUN mkdir -p /var/lib/app-state',
        'WORKDIR /app',
        'ADD app.py .',
        'EXPOSE 8000',
        'CMD ["sh", "-c", "date > \\"$STATE_DIR/started\\" && exec python3 app.py"]',
        '',
      ].join('\n'),
    });
    const { stdout, file } = await proveJson(dir);
    const proof = file.proof as JsonProof;
    expect(proof.proven).toBe(true);
    expect(proof.bisected).toBe(true);
    expect(proof.dropped.map((d) => d.rule)).toEqual(['run-as-non-root']);
    expect(proof.dropped[0].evidence).toMatch(/exits with code|stopped answering/);
    const skipped = file.skipped.find((s) => s.ruleId === 'run-as-non-root');
    expect(skipped?.reason).toMatch(/^breaks the image: /);
    expect(file.fixed.map((f) => f.ruleId)).toContain('no-add-for-local-files');
    expect(stdout).toMatch(/^COPY app\.py \.$/m);
    expect(stdout).not.toMatch(/^USER /m);
    // What is written builds and answers.
    fs.writeFileSync(path.join(dir, 'Dockerfile'), stdout);
    const tag = `hd-prove-kept-${process.pid}`;
    const built = build(tag, dir);
    docker(['rmi', tag]);
    expect(built.ok).toBe(true);
  });

  it('drops a fix that breaks the build and keeps the rest', async () => {
    // A C extension in the build context, installed from its source folder: pip compiles it, and
    // no rule tells. The full python:3.11 has a compiler; its slim variant has none.
    const dir = project({
      'app.py': SERVER,
      Dockerfile: [
        'FROM python:3.11',
        'WORKDIR /app',
        'COPY cext /src/cext',
        'RUN pip install --no-build-isolation /src/cext',
        'COPY app.py .',
        'EXPOSE 8000',
        'CMD ["python3", "app.py"]',
        '',
      ].join('\n'),
    });
    fs.mkdirSync(path.join(dir, 'cext'));
    fs.writeFileSync(
      path.join(dir, 'cext/setup.py'),
      'from setuptools import setup, Extension\nsetup(name="cext", version="1.0", ext_modules=[Extension("cext", ["cext.c"])])\n',
    );
    fs.writeFileSync(
      path.join(dir, 'cext/cext.c'),
      [
        '#include <Python.h>',
        'static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "cext", NULL, -1, NULL};',
        'PyMODINIT_FUNC PyInit_cext(void) { return PyModule_Create(&mod); }',
        '',
      ].join('\n'),
    );
    const { stdout, file } = await proveJson(dir);
    const proof = file.proof as JsonProof;
    expect(proof.proven).toBe(true);
    expect(proof.bisected).toBe(true);
    expect(proof.dropped.map((d) => d.rule)).toEqual(['prefer-slim-base']);
    expect(proof.dropped[0].evidence).toMatch(/^the build fails: /);
    const fixed = file.fixed.map((f) => f.ruleId);
    expect(fixed).toEqual(expect.arrayContaining(['run-as-non-root', 'pip-no-cache-dir']));
    expect(fixed).not.toContain('prefer-slim-base');
    expect(stdout).toMatch(/^FROM python:3\.11$/m);
    expect(proof.hardened?.uid).toBeGreaterThan(0);
    // The failed build's step container is removed too.
    const steps = docker(['ps', '-a', '--no-trunc', '--format', '{{.Command}}']).split('\n');
    expect(steps.filter((c) => c.includes('/src/cext'))).toEqual([]);
  });

  it('proves a one-shot image by its exit code and output', async () => {
    const dir = project({
      ...noSlim,
      Dockerfile: 'FROM debian:bookworm\nCMD ["echo", "hello from the image"]\n',
    });
    const { file } = await proveJson(dir);
    const proof = file.proof as JsonProof;
    expect(proof.proven).toBe(true);
    expect(proof.original).toMatchObject({ state: 'exited', exitCode: 0, logTail: ['hello from the image'] });
    expect(proof.hardened).toMatchObject({ state: 'exited', exitCode: 0, logTail: ['hello from the image'] });
    expect(file.fixed.map((f) => f.ruleId)).toContain('run-as-non-root');
  });

  it('stops with exit 2 and the build error when the original does not build', async () => {
    const dir = project({
      ...noSlim,
      Dockerfile: 'FROM debian:bookworm\nRUN echo broken-step && exit 3\nCMD ["true"]\n',
    });
    const r = await runCli(['fix', '--offline', '--prove', path.join(dir, 'Dockerfile')], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not proven: the original does not build: .*(exit|returned a non-zero code).*3/);
    expect(r.stdout).toBe(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8'));
    // The failed step's container is removed too.
    const steps = docker(['ps', '-a', '--no-trunc', '--format', '{{.Command}}']).split('\n');
    expect(steps.filter((c) => c.includes('broken-step'))).toEqual([]);
  });

  it('repo mode: proves the Dockerfiles in the repository archive, and the pull request body carries the table', async () => {
    const gh = await startFakeGitHub('acme', 'web', {
      'app.py': SERVER,
      'start.sh': '#!/bin/sh\nexec python3 /app/app.py\n',
      Dockerfile:
        'FROM python:3.11\nWORKDIR /app\nCOPY app.py start.sh ./\nEXPOSE 8000\nCMD ["./start.sh"]\n',
    });
    try {
      const r = await runCli(['repo', 'acme/web', '--offline', '--prove', '--pr'], {
        env: { ...env(), GITHUB_API_URL: gh.url },
      });
      expect(r.stderr).toContain('pull request: https://example.invalid/acme/web/pull/1');
      expect(gh.calls).toContain('GET /repos/acme/web/tarball/main');
      const body = gh.pulls('acme/web')[0].body;
      expect(body).toMatch(/\*\*proven: built and started, answered GET \/ 200 on 8000\/tcp as uid [1-9]\d*/);
      expect(body).toContain('| | original | hardened |');
      expect(body).toContain('| GET / on 8000/tcp | 200 | 200 |');
      expect(body).toMatch(/\| user \| uid 0 \| uid [1-9]\d* \|/);
      // The branch holds the proven rewrite: the start script, executable in the archive, still runs.
      expect(gh.branch('acme/web', 'harden-dockerfile/main')?.files.Dockerfile).toMatch(/^USER app$/m);
      expect(r.stderr).toMatch(/^Dockerfile: proven: /m);
    } finally {
      await gh.close();
    }
  });

  it('review --prove: the review suggests the proven rewrite and carries the table', async () => {
    const web = 'FROM python:3.11\nWORKDIR /app\nCOPY app.py .\nEXPOSE 8000\nCMD ["python3", "app.py"]\n';
    const lines = web.trimEnd().split('\n');
    const gh = await startFakeGitHub(
      'acme',
      'demo',
      { 'README.md': '# demo\n' },
      {
        pull: {
          number: 7,
          files: { 'web/Dockerfile': web, 'web/app.py': SERVER },
          patches: {
            'web/Dockerfile': [`@@ -0,0 +1,${lines.length} @@`, ...lines.map((l) => `+${l}`)].join('\n'),
          },
        },
      },
    );
    try {
      const event = path.resolve(__dirname, '../fixtures/github/pull_request.json');
      const r = await runCli(['review', '--prove', '-t', 'none'], {
        cwd: fs.mkdtempSync(path.join(os.tmpdir(), 'harden-review-prove-')),
        env: { ...env(), GITHUB_API_URL: gh.url, GITHUB_EVENT_PATH: event },
      });
      expect(r.stderr).toMatch(/review posted/);
      expect(gh.calls).toContain('GET /repos/acme/demo/tarball/head1');
      const [review] = gh.reviews(7);
      expect(review.body).toContain('**web/Dockerfile**');
      expect(review.body).toMatch(
        /\*\*proven: built and started, answered GET \/ 200 on 8000\/tcp as uid [1-9]\d*/,
      );
      expect(review.body).toContain('| GET / on 8000/tcp | 200 | 200 |');
      expect(review.comments.map((c) => c.body).join('\n')).toMatch(/^USER app$/m);
    } finally {
      await gh.close();
    }
  });

  // In the middle of a build: a RUN that sleeps. In the middle of a run: a container whose exposed
  // port never answers, so the prove waits out its --prove-timeout.
  const phases = {
    build: { dockerfile: 'FROM debian:bookworm\nRUN sleep 30\nCMD ["true"]\n', under: 'network', extra: [] },
    run: {
      dockerfile: 'FROM debian:bookworm\nEXPOSE 8000\nCMD ["sleep", "300"]\n',
      under: 'container',
      extra: ['--prove-timeout', '120'],
    },
  } as const;
  it.each([
    ['SIGTERM', 'build'],
    ['SIGINT', 'build'],
    ['SIGTERM', 'run'],
    ['SIGINT', 'run'],
  ] as const)('leaves nothing behind when stopped by %s in the middle of a %s', async (signal, phase) => {
    const { dockerfile, under, extra } = phases[phase];
    const dir = project({ ...noSlim, Dockerfile: dockerfile });
    const images = proveImages();
    const cli = path.resolve(__dirname, '../../dist/harden-dockerfile.js');
    const child = spawn(
      process.execPath,
      [cli, 'fix', '--offline', '--prove', ...extra, path.join(dir, 'Dockerfile')],
      {
        env: { ...process.env, ...env() },
        stdio: 'ignore',
      },
    );
    // Wait until the phase is under way: the prove's network exists, or its container runs.
    const listing = under === 'network' ? ['network', 'ls', '-q'] : ['ps', '-q'];
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline && !docker([...listing, '--filter', `label=${LABEL}`]).trim())
      await new Promise((r) => setTimeout(r, 200));
    expect(docker([...listing, '--filter', `label=${LABEL}`]).trim()).not.toBe('');
    await new Promise((r) => setTimeout(r, 1500));
    child.kill(signal);
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(signal === 'SIGINT' ? 130 : 143);
    expect(leftovers()).toEqual([]);
    expect(proveImages()).toEqual(images);
  });
});

describe('fix --prove without an engine', () => {
  it('exits 2 and names what it tried', async () => {
    const dir = project({ Dockerfile: 'FROM debian:bookworm\nCMD ["true"]\n' });
    const r = await runCli(['fix', '--offline', '--prove', path.join(dir, 'Dockerfile')], {
      env: {
        HARDEN_DOCKER: DOCKER,
        PATH: process.env.PATH ?? '',
        DOCKER_HOST: 'unix:///nonexistent/docker.sock',
      },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /--prove: no container engine answers \(tried DOCKER_HOST=unix:\/\/\/nonexistent\/docker\.sock\)/,
    );
    expect(r.stdout).toBe('');
  });
});
