import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../harness/cli';
import { DOCKER } from '../harness/engine';
import { serve, type Handler, type LocalServer } from '../harness/http-server';
import {
  bridgeGateway,
  buildWhileServing,
  compilersIn,
  MIRROR,
  mirrorEnv,
  runAndAsk as askImage,
  runOffline,
  standinsAvailable,
} from '../harness/standins';

/**
 * A slim runtime that does not break the build, on a real engine: the stand-ins python:3.11 (with a
 * compiler, headers and git) and python:3.11-slim (without) from the registry mirror, and a package
 * index in the PyPI formats (PEP 691 JSON and PEP 503 HTML) on the Docker bridge's gateway, which
 * serves a C extension as an sdist only and a pure-Python wheel, both built here from tiny source
 * trees. Each case builds the original, runs it and asks it over HTTP; runs `fix --write` with the
 * network on (the registry mirror and this index); then builds the hardened Dockerfile, runs it and
 * asks it the same.
 */
const ready = standinsAvailable('the slim split engine tests');
const describeEngine = ready ? describe : describe.skip;

const id = `${process.pid}-${Date.now() % 100000}`;
/** On the images and containers made here. */
const LABEL = `io.harden-dockerfile.slim-split=${id}`;

// The C extension: its own PEP 517 backend (the standard library only), so pip needs nothing from
// the index to build it but a compiler and Python's headers.
const BACKEND = `import base64, hashlib, io, os, subprocess, sys, sysconfig, tarfile, tempfile, zipfile

NAME, VERSION = 'hdspeedups', '1.0'
META = f'Metadata-Version: 2.1\\nName: {NAME}\\nVersion: {VERSION}\\n'
FILES = ['pyproject.toml', 'backend.py', 'src/speed.c', f'{NAME}/__init__.py']


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def build_sdist(sdist_directory, config_settings=None):
    name = f'{NAME}-{VERSION}.tar.gz'
    with tarfile.open(os.path.join(sdist_directory, name), 'w:gz') as tar:
        for f in FILES:
            tar.add(f, arcname=f'{NAME}-{VERSION}/{f}')
        info = tarfile.TarInfo(f'{NAME}-{VERSION}/PKG-INFO')
        info.size = len(META)
        tar.addfile(info, io.BytesIO(META.encode()))
    return name


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    tag = f'cp{sys.version_info[0]}{sys.version_info[1]}'
    plat = sysconfig.get_platform().replace('-', '_').replace('.', '_')
    name = f'{NAME}-{VERSION}-{tag}-{tag}-{plat}.whl'
    so = os.path.join(tempfile.mkdtemp(), '_speed' + sysconfig.get_config_var('EXT_SUFFIX'))
    include = sysconfig.get_paths()['include']
    subprocess.check_call([os.environ.get('CC', 'cc'), '-shared', '-fPIC', '-I', include, 'src/speed.c', '-o', so])
    info = f'{NAME}-{VERSION}.dist-info'
    entries = {
        f'{NAME}/__init__.py': open(f'{NAME}/__init__.py', 'rb').read(),
        f'{NAME}/{os.path.basename(so)}': open(so, 'rb').read(),
        f'{info}/METADATA': META.encode(),
        f'{info}/WHEEL': f'Wheel-Version: 1.0\\nGenerator: hdspeedups\\nRoot-Is-Purelib: false\\nTag: {tag}-{tag}-{plat}\\n'.encode(),
    }
    record = ''
    for path, data in entries.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()
        record += f'{path},sha256={digest},{len(data)}\\n'
    entries[f'{info}/RECORD'] = (record + f'{info}/RECORD,,\\n').encode()
    with zipfile.ZipFile(os.path.join(wheel_directory, name), 'w') as whl:
        for path, data in entries.items():
            whl.writestr(path, data)
    return name
`;

const SOURCES: Record<string, string> = {
  'speedups/pyproject.toml':
    '[build-system]\nrequires = []\nbuild-backend = "backend"\nbackend-path = ["."]\n',
  'speedups/backend.py': BACKEND,
  'speedups/hdspeedups/__init__.py': 'from ._speed import answer\n',
  'speedups/src/speed.c': [
    '#include <Python.h>',
    'static PyObject *answer(PyObject *self, PyObject *args) { return PyUnicode_FromString("built-from-source"); }',
    'static PyMethodDef methods[] = {{"answer", answer, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};',
    'static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_speed", NULL, -1, methods};',
    'PyMODINIT_FUNC PyInit__speed(void) { return PyModule_Create(&module); }',
    '',
  ].join('\n'),
  'greeting/setup.py':
    "from setuptools import setup\nsetup(name='hdgreeting', version='1.0', py_modules=['hdgreeting'])\n",
  'greeting/hdgreeting.py': "def greet():\n    return 'hello-from-a-wheel'\n",
};

/** The app: answers GET / with what each package it imports says. */
const APP = (modules: readonly string[]) =>
  [
    'import http.server',
    ...modules.map((m) => `import ${m}`),
    'class Handler(http.server.BaseHTTPRequestHandler):',
    '    def do_GET(self):',
    '        self.send_response(200)',
    '        self.end_headers()',
    `        self.wfile.write(' '.join([${modules.map((m) => `${m}.${m === 'hdspeedups' ? 'answer' : 'greet'}()`).join(', ')}]).encode())`,
    "http.server.HTTPServer(('0.0.0.0', 8000), Handler).serve_forever()",
    '',
  ].join('\n');

interface Dist {
  readonly project: string;
  readonly filename: string;
  readonly body: Buffer;
  readonly sha256: string;
}

/** Builds the sdist (by its backend) and the wheel (by pip) in the full stand-in, with no network. */
function buildDists(): Dist[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harden-split-dists-'));
  try {
    for (const [file, text] of Object.entries(SOURCES)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    }
    fs.mkdirSync(path.join(dir, 'dist'));
    runOffline(
      'python:3.11',
      dir,
      '/w/speedups',
      [
        'sh',
        '-c',
        'python3 -c "import backend; backend.build_sdist(\'/w/dist\')" && ' +
          'pip wheel -q --no-deps --no-build-isolation --no-index -w /w/dist /w/greeting',
      ],
      LABEL,
    );
    return fs.readdirSync(path.join(dir, 'dist')).map((filename) => {
      const body = fs.readFileSync(path.join(dir, 'dist', filename));
      return {
        project: filename.split('-')[0],
        filename,
        body,
        sha256: createHash('sha256').update(body).digest('hex'),
      };
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const JSON_TYPE = 'application/vnd.pypi.simple.v1+json';

/** A project page: PEP 691 JSON when asked for it, else PEP 503 HTML. */
function projectPage(project: string, files: readonly Dist[]): Handler {
  return (req, res) => {
    res.statusCode = 200;
    if ((req.headers.accept ?? '').includes(JSON_TYPE)) {
      res.setHeader('content-type', JSON_TYPE);
      res.end(
        JSON.stringify({
          meta: { 'api-version': '1.1' },
          name: project,
          versions: ['1.0'],
          files: files.map((f) => ({
            filename: f.filename,
            url: `../../files/${f.filename}`,
            hashes: { sha256: f.sha256 },
            'requires-python': '>=3.8',
          })),
        }),
      );
      return;
    }
    res.setHeader('content-type', 'text/html');
    res.end(
      `<!DOCTYPE html><html><body>${files
        .map(
          (f) =>
            `<a href="../../files/${f.filename}#sha256=${f.sha256}" data-requires-python="&gt;=3.8">${f.filename}</a><br/>`,
        )
        .join('')}</body></html>`,
    );
  };
}

function startIndex(host: string, dists: readonly Dist[]): Promise<LocalServer> {
  const routes: Record<string, Handler> = {};
  for (const d of dists) {
    routes[`/simple/${d.project}/`] = projectPage(
      d.project,
      dists.filter((x) => x.project === d.project),
    );
    routes[`/files/${d.filename}`] = (_req, res) => {
      res.setHeader('content-type', 'application/octet-stream');
      res.end(d.body);
    };
  }
  return serve(routes, host);
}

/** Every image a build here made (each step's), so that its untagged ones can be removed. */
const made: string[] = [];

/** Builds a folder, not blocking: the index the build's pip asks is served by this process. */
async function build(tag: string, dir: string): Promise<{ ok: boolean; log: string }> {
  const r = await buildWhileServing(tag, dir, ['--label', LABEL]);
  made.push(...[...r.log.matchAll(/^ ---> ([0-9a-f]{12})$/gm)].map((m) => m[1]));
  return r;
}

/** Removes the images the builds made that no tag names (a builder stage's, a failed build's steps). */
function removeUntagged(): void {
  for (const image of [...made].reverse()) {
    const tags = spawnSync(DOCKER, ['image', 'inspect', '--format', '{{len .RepoTags}}', image], {
      encoding: 'utf8',
    });
    if (tags.status === 0 && tags.stdout.trim() === '0')
      spawnSync(DOCKER, ['rmi', image], { stdio: 'ignore' });
  }
}

const runAndAsk = (tag: string) => askImage(tag, ['--label', LABEL]);

const compilers = (tag: string) => compilersIn(tag, LABEL);

/** The digest the mirror serves for a tag of the python stand-in. */
async function mirrorDigest(tag: string): Promise<string> {
  const res = await fetch(`${MIRROR.replace(/\/+$/, '')}/v2/library/python/manifests/${tag}`, {
    method: 'HEAD',
    headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json' },
  });
  return res.headers.get('docker-content-digest') ?? '';
}

describeEngine('a slim runtime that never breaks the build, on a real engine', () => {
  jest.setTimeout(600_000);
  let index: LocalServer;
  let indexUrl = '';
  let gateway = '';
  const tags: string[] = [];

  beforeAll(async () => {
    gateway = bridgeGateway();
    index = await startIndex(gateway, buildDists());
    indexUrl = `${index.url}/simple/`;
  });

  afterAll(async () => {
    await index?.close();
    for (const t of tags) spawnSync(DOCKER, ['rmi', '-f', t], { stdio: 'ignore' });
    removeUntagged();
  });

  /** A project whose pip installs from the index; the original built, run and asked. */
  async function project(requirements: string, modules: readonly string[]) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harden-split-'));
    fs.writeFileSync(
      path.join(dir, 'Dockerfile'),
      [
        'FROM python:3.11',
        `ENV PIP_INDEX_URL=${indexUrl} PIP_TRUSTED_HOST=${gateway}`,
        'WORKDIR /app',
        'COPY requirements.txt .',
        'RUN pip install --no-cache-dir -r requirements.txt',
        'COPY app.py .',
        'EXPOSE 8000',
        'CMD ["python3", "app.py"]',
        '',
      ].join('\n'),
    );
    fs.writeFileSync(path.join(dir, 'requirements.txt'), requirements);
    fs.writeFileSync(path.join(dir, 'app.py'), APP(modules));
    const name = `hd-split-${id}:${modules.join('-')}`;
    tags.push(`${name}-original`, `${name}-hardened`);
    const original = await build(`${name}-original`, dir);
    expect({ built: original.ok, log: original.ok ? '' : original.log }).toEqual({ built: true, log: '' });
    const before = await runAndAsk(`${name}-original`);
    expect(before.status).toBe(200);
    return { dir, name, before };
  }

  /** `fix --write` with the network on: the registry mirror, and this index for pip. */
  async function harden(dir: string): Promise<{ text: string; report: string }> {
    // The index stands on the bridge's gateway, where the containers reach it: the tool's look-ups
    // go there too, so they are not held to loopback.
    const env = { ...mirrorEnv(), HARDEN_PIP_INDEX_URL: indexUrl, HARDEN_LOOPBACK_ONLY: '' };
    const fixed = await runCli(['fix', '--write', 'Dockerfile'], { cwd: dir, env });
    expect(fixed.stderr).not.toMatch(/internal error|\n\s+at /);
    return {
      text: fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8'),
      report: `${fixed.stdout}${fixed.stderr}`,
    };
  }

  async function buildAndAsk(dir: string, tag: string, text: string) {
    const hardened = await build(tag, dir);
    expect({ built: hardened.ok, log: hardened.ok ? '' : hardened.log, text }).toEqual({
      built: true,
      log: '',
      text,
    });
    return runAndAsk(tag);
  }

  it('serves both formats: PEP 691 JSON to whoever asks for it, PEP 503 HTML otherwise', async () => {
    const json = await fetch(`${indexUrl}hdspeedups/`, { headers: { accept: JSON_TYPE } });
    expect(json.headers.get('content-type')).toBe(JSON_TYPE);
    expect(((await json.json()) as { files: { filename: string }[] }).files.map((f) => f.filename)).toEqual([
      'hdspeedups-1.0.tar.gz',
    ]);
    const html = await (await fetch(`${indexUrl}hdgreeting/`)).text();
    expect(html).toMatch(
      /<a href="\.\.\/\.\.\/files\/hdgreeting-1\.0-py3-none-any\.whl#sha256=[0-9a-f]{64}"/,
    );
  });

  it('an sdist pip compiles: built in a builder stage, run on slim, with no compiler in the runtime', async () => {
    const { dir, name, before } = await project('hdspeedups==1.0\nhdgreeting==1.0\n', [
      'hdspeedups',
      'hdgreeting',
    ]);
    expect(before.body).toBe('built-from-source hello-from-a-wheel');
    const { text, report } = await harden(dir);
    expect(text).toMatch(/^FROM python:3\.11\.2@sha256:[0-9a-f]{64} AS build$/m);
    expect(text).toMatch(
      /^FROM python:3\.11\.2-slim@sha256:[0-9a-f]{64}\nCOPY --from=build \/opt\/venv \/opt\/venv\nENV PATH=\/opt\/venv\/bin:\$PATH\n/m,
    );
    expect(report).toMatch(/fixed prefer-slim-base \(needs review\)/);
    const after = await buildAndAsk(dir, `${name}-hardened`, text);
    expect(after).toEqual(before);
    expect(compilers(`${name}-original`)).not.toBe('');
    expect(compilers(`${name}-hardened`)).toBe('');
  });

  it('only a pure wheel: the final stage is the slim image itself, with no builder stage', async () => {
    const { dir, name, before } = await project('hdgreeting==1.0\n', ['hdgreeting']);
    const { text } = await harden(dir);
    expect(text.match(/^FROM /gm)).toHaveLength(1);
    expect(text).toMatch(/^FROM python:3\.11\.2-slim@sha256:[0-9a-f]{64}$/m);
    expect(text).not.toContain('/opt/venv');
    expect(await buildAndAsk(dir, `${name}-hardened`, text)).toEqual(before);
  });

  it('with the network on, the slim swap is pinned by the slim variant’s own tag and digest', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harden-split-pins-'));
    fs.writeFileSync(
      path.join(dir, 'Dockerfile'),
      `FROM python:3.11\nENV PIP_INDEX_URL=${indexUrl}\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n`,
    );
    for (const [requirements, builder] of [
      ['hdspeedups==1.0\n', true],
      ['hdgreeting==1.0\n', false],
    ] as const) {
      fs.writeFileSync(path.join(dir, 'requirements.txt'), requirements);
      const original = fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
      const { text } = await harden(dir);
      fs.writeFileSync(path.join(dir, 'Dockerfile'), original);
      const froms = [...text.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
      const slim = `python:3.11.2-slim@${await mirrorDigest('3.11.2-slim')}`;
      const full = `python:3.11.2@${await mirrorDigest('3.11.2')}`;
      expect(slim).not.toBe(full);
      expect(froms).toEqual(builder ? [full, slim] : [slim]);
    }
  });
});
