import { fixer } from '../../fixers/prefer-slim-base';
import { rule } from '../../rules/prefer-slim-base';
import { runtimePackages } from '../../src/core/runtime-libraries';
import { DEFAULT_CONFIG } from '../../src/engine/config';
import { harden, type HardenResult } from '../../src/engine/harden';
import { offlineResolver } from '../../src/resolve/types';
import { contextOf, fixtureResolver, testShell } from '../harness/rule-tester';

/**
 * The slim swap when pip has to build: the reasons the final stage keeps its full base when the
 * build cannot move to a builder stage safely, one case each.
 */
const DIGEST = `sha256:${'5'.repeat(64)}`;
const ANSWERS = {
  'oci-digest:docker.io/library/python:3.11-slim': DIGEST,
  'oci-digest:docker.io/library/python:3.11-slim-bullseye': DIGEST,
  'oci-digest:docker.io/library/debian:bookworm-slim': DIGEST,
  'pip-wheel:psycopg2:==2.9.9:3.11:gnu': 'sdist 2.9.9',
  'pip-wheel:dlib:==19.24.4:3.11:gnu': 'sdist 19.24.4',
  'pip-wheel:pillow:==10.4.0:3.11:gnu': 'sdist 10.4.0',
  'pip-wheel:flask:==3.0.3:3.11:gnu': 'wheel',
};
const PSYCOPG = { 'requirements.txt': 'psycopg2==2.9.9\n' };

async function fix(text: string, files: Record<string, string> = PSYCOPG): Promise<HardenResult> {
  return harden(
    { path: 'Dockerfile', text },
    {
      rules: [rule],
      fixers: new Map([[rule.id, fixer]]),
      config: DEFAULT_CONFIG,
      resolver: fixtureResolver(ANSWERS),
      shell: await testShell(),
      fix: true,
      context: contextOf(files),
    },
  );
}

const REQS = 'COPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n';

interface Kept {
  readonly 0: string;
  readonly 1: string;
  readonly 2: RegExp;
  readonly 3?: Record<string, string>;
}

const KEPT: readonly Kept[] = [
  ['pip runs as a user', `FROM python:3.11\nUSER app\n${REQS}`, /pip runs as app \(line 2\)/],
  [
    'pip install --user',
    'FROM python:3.11\nCOPY requirements.txt .\nRUN pip install --user -r requirements.txt\n',
    /pip install --user on line 3 puts packages outside the virtual env/,
  ],
  [
    'pip install --target',
    'FROM python:3.11\nCOPY requirements.txt .\nRUN pip install -t /deps -r requirements.txt\n',
    /pip install --target on line 3 puts packages outside the virtual env/,
  ],
  [
    'PIP_PREFIX',
    `FROM python:3.11\nENV PIP_PREFIX=/install\n${REQS}`,
    /PIP_PREFIX on line 4 puts packages outside the virtual env/,
  ],
  [
    'pip by its path',
    'FROM python:3.11\nCOPY requirements.txt .\nRUN /usr/local/bin/pip install -r requirements.txt\n',
    /\/usr\/local\/bin\/pip is called by its path on line 3/,
  ],
  [
    'the pip RUN also makes something the runtime needs',
    'FROM python:3.11\nCOPY . .\nRUN pip install -r requirements.txt && python manage.py collectstatic\n',
    /the RUN on line 3 also runs python, whose result the runtime would lose/,
  ],
  [
    'the pip RUN also installs a runtime package',
    'FROM python:3.11\nCOPY . .\nRUN apt-get update && apt-get install -y ffmpeg && pip install -r requirements.txt\n',
    /the RUN on line 3 also installs ffmpeg, which the runtime may need/,
  ],
  [
    'the compiler is needed at run time',
    `FROM python:3.11\n${REQS}CMD ["sh", "-c", "make run"]\n`,
    /the CMD runs make, which the slim image does not have/,
  ],
  [
    'the stage builds more after the install',
    `FROM python:3.11\n${REQS}RUN gcc -o /usr/local/bin/tool tool.c\n`,
    /the stage runs gcc, which the slim image does not have/,
  ],
  [
    'Python run by its path',
    `FROM python:3.11\n${REQS}CMD ["/usr/local/bin/python", "app.py"]\n`,
    /line 4 runs \/usr\/local\/bin\/python by its path, which does not see the virtual env/,
  ],
  [
    'PATH set without the virtual env',
    `FROM python:3.11\n${REQS}ENV PATH=/usr/local/bin:/usr/bin:/bin\n`,
    /the ENV on line 4 sets PATH without the virtual env/,
  ],
  [
    'a virtual env of its own',
    `FROM python:3.11\nRUN python -m venv /venv\n${REQS}`,
    /makes a virtual env of its own \(line 2\)/,
  ],
  [
    'another installer',
    `FROM python:3.11\n${REQS}RUN pip install poetry && poetry install\n`,
    /installs with poetry too/,
  ],
  [
    'Python packages from apt',
    `FROM python:3.11\nRUN apt-get update && apt-get install -y python3-numpy\n${REQS}`,
    /installs python3-numpy with apt \(line 2\), which the virtual env does not see/,
  ],
  [
    'a later apt-get install reads the lists a moved RUN updated',
    `FROM python:3.11\nCOPY requirements.txt .\nRUN apt-get update && apt-get install -y gcc && pip install -r requirements.txt\nRUN apt-get install -y ffmpeg\n`,
    /the apt-get install on line 4 relies on the lists the RUN on line 3 updates/,
  ],
  [
    'a -dev package whose runtime library is not known',
    `FROM python:3.11\nCOPY requirements.txt .\nRUN apt-get update && apt-get install -y gcc libfoo-dev && pip install -r requirements.txt\n`,
    /the stage installs libfoo-dev, whose runtime library is not known here/,
  ],
  [
    'a package that links to what it finds',
    `FROM python:3.11\n${REQS}`,
    /dlib 19\.24\.4 has no wheel .*: dlib links to libraries of the full image that are not known here/,
    { 'requirements.txt': 'dlib==19.24.4\n' },
  ],
  [
    'a runtime library whose name depends on the release the tag does not say',
    `FROM python:3.11\n${REQS}`,
    /pillow .* the runtime library \(libtiff5 or libtiff6\) depends on the Debian release/i,
    { 'requirements.txt': 'pillow==10.4.0\n' },
  ],
  [
    'the base image from an ARG',
    `ARG PY=3.11\nFROM python:\${PY}\n${REQS}`,
    /the base image comes from ARG PY, which the builder stage would read too/,
  ],
  [
    'an editable install',
    'FROM python:3.11\nCOPY . .\nRUN pip install -r requirements.txt && pip install -e .\n',
    /pip install -e on line 3 leaves files in the builder's source tree/,
  ],
  [
    'an editable install in a requirements file',
    `FROM python:3.11\n${REQS}`,
    /requirements\.txt installs a package in editable mode/,
    { 'requirements.txt': 'psycopg2==2.9.9\n-e .\n' },
  ],
  ['not the official python image', `FROM debian:bookworm\n${REQS}`, /only the official python images/],
];

describe('prefer-slim-base keeps the full base when the build cannot move to a builder stage', () => {
  for (const [name, text, reason, files] of KEPT.map((k) => [k[0], k[1], k[2], k[3]] as const))
    it(name, async () => {
      const r = await fix(text, files);
      expect(r.output).toBe(text);
      const skipped = r.skipped.find((s) => s.ruleId === 'prefer-slim-base')?.reason ?? '';
      expect(skipped).toMatch(reason);
      expect(skipped).toMatch(/: pip would compile it|needs git|to build what pip installs/);
      expect(skipped).toMatch(/cannot move to a builder stage: .*; keep the full base$/);
    });

  it('a stage that installs its own build packages, when the build cannot move, goes slim as before', async () => {
    const text =
      'FROM python:3.11\nRUN apt-get update && apt-get install -y gcc ffmpeg && pip install -r requirements.txt\n';
    const r = await fix(text, { 'requirements.txt': 'flask==3.0.3\n' });
    expect(r.output).toBe(text.replace('python:3.11', 'python:3.11-slim'));
  });

  it('a pip RUN with flags (a cache mount) moves to the builder as written', async () => {
    const run = 'RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt';
    const r = await fix(`FROM python:3.11\nCOPY requirements.txt .\n${run}\nCMD ["python"]\n`);
    expect(r.output).toBe(
      [
        'FROM python:3.11 AS build',
        'RUN python -m venv /opt/venv',
        'ENV PATH=/opt/venv/bin:$PATH',
        'COPY requirements.txt .',
        run,
        '',
        'FROM python:3.11-slim',
        'COPY --from=build /opt/venv /opt/venv',
        'ENV PATH=/opt/venv/bin:$PATH',
        'RUN apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*',
        'COPY requirements.txt .',
        'CMD ["python"]',
        '',
      ].join('\n'),
    );
  });

  it('parser directives, a header comment and a byte order mark stay at the top', async () => {
    const head = '\ufeff# syntax=docker/dockerfile:1\n# escape=\\\n# the app\n';
    const r = await fix(`${head}FROM python:3.11\n${REQS}`);
    expect(r.output.startsWith(`${head}FROM python:3.11 AS build\n`)).toBe(true);
    expect(r.output).toContain('\n\nFROM python:3.11-slim\nCOPY --from=build /opt/venv /opt/venv\n');
  });

  it('a command that names its index is asked about its wheels from that index', async () => {
    const index = 'http://10.0.0.1:8080/simple/';
    const text = `FROM python:3.11\nENV PIP_INDEX_URL=${index}\n${REQS}`;
    const r = await harden(
      { path: 'Dockerfile', text },
      {
        rules: [rule],
        fixers: new Map([[rule.id, fixer]]),
        config: DEFAULT_CONFIG,
        // Only the look-up that names the index knows the answer.
        resolver: fixtureResolver({
          'oci-digest:docker.io/library/python:3.11-slim': DIGEST,
          [`pip-wheel:psycopg2:==2.9.9:3.11:gnu:${index}`]: 'sdist 2.9.9',
        }),
        shell: await testShell(),
        fix: true,
        context: contextOf(PSYCOPG),
      },
    );
    expect(r.output).toMatch(/^FROM python:3\.11 AS build\n/);
    expect(r.output).toContain('\nFROM python:3.11-slim\nCOPY --from=build /opt/venv /opt/venv\n');
  });
});

describe('the runtime libraries of what pip builds', () => {
  it('come from the table, by release where a release renamed them, less what slim images have', () => {
    expect(runtimePackages(['psycopg2', 'LXML'], ['gcc', 'libpq-dev', 'zlib1g-dev'], undefined)).toEqual({
      packages: ['libpq5', 'libxml2', 'libxslt1.1'],
    });
    expect(runtimePackages(['Pillow'], [], 'bookworm')).toEqual({
      packages: expect.arrayContaining(['libjpeg62-turbo', 'libtiff6', 'libwebp7']),
    });
    expect(runtimePackages(['Pillow'], [], 'bullseye')).toEqual({
      packages: expect.arrayContaining(['libtiff5', 'libwebp6']),
    });
    expect(runtimePackages(['psycopg2'], [], 'buster')).toEqual({
      why: 'the runtime library names of Debian buster are not known here',
    });
    // A package built from source that is in no table links only to the C library and Python.
    expect(runtimePackages(['hdspeedups'], [], 'buster')).toEqual({ packages: [] });
  });
});

describe('a base pinned by digest', () => {
  const PINNED = `FROM python:3.11@sha256:${'a'.repeat(64)}\nCOPY app.py .\nCMD ["python", "app.py"]\n`;
  const reason = (r: HardenResult) => r.skipped.find((s) => s.ruleId === 'prefer-slim-base')?.reason;

  it('moves to the slim tag pinned by its own digest, never the full image’s digest under a slim tag', async () => {
    const r = await fix(PINNED, {});
    expect(r.output).toBe(PINNED.replace(/python:3\.11@sha256:a+/, `python:3.11-slim@${DIGEST}`));
  });

  it('offline, or where the stage needs what slim lacks, keeps it, with the reason', async () => {
    const offline = await harden(
      { path: 'Dockerfile', text: PINNED },
      {
        rules: [rule],
        fixers: new Map([[rule.id, fixer]]),
        config: DEFAULT_CONFIG,
        resolver: offlineResolver,
        shell: await testShell(),
        fix: true,
      },
    );
    expect(offline.output).toBe(PINNED);
    expect(reason(offline)).toMatch(/pinned by digest.*network on/);
    const curl = await fix(
      PINNED.replace('COPY app.py .', 'RUN curl -fsSLo app.py https://example.com/app.py'),
      {},
    );
    expect(curl.output).toMatch(/^FROM python:3\.11@sha256:a+$/m);
    expect(reason(curl)).toMatch(/runs curl/);
  });
});
