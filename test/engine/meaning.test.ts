import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fixersByRule } from '../../fixers';
import { rules } from '../../rules';
import type { ShellParser } from '../../src/core/parse-shell';
import { DEFAULT_CONFIG } from '../../src/engine/config';
import { harden, type HardenResult } from '../../src/engine/harden';
import { applyEdits } from '../../src/engine/apply-edits';
import { insertAt } from '../../src/engine/edits';
import { verifyMeaning } from '../../src/engine/verify-meaning';
import { compareShapes } from '../../src/engine/verify-shell';
import { runCli } from '../harness/cli';
import { startIndexServers } from '../harness/index-servers';
import { fixtureResolver, fixWithAll, parse, testShell } from '../harness/rule-tester';

let shell: ShellParser;
beforeAll(async () => {
  shell = await testShell();
});

async function fix(text: string, answers: Record<string, string> = {}): Promise<HardenResult> {
  return harden(
    { path: 'Dockerfile', text },
    {
      rules,
      fixers: fixersByRule,
      config: DEFAULT_CONFIG,
      resolver: fixtureResolver(answers),
      shell,
      fix: true,
    },
  );
}

const CLEAN = ' && rm -rf /var/lib/apt/lists/*';

describe('the defects the meaning check was built for', () => {
  it('a clean-up goes after a redirection, which keeps writing what it wrote', async () => {
    const r = await fix(
      'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends sudo && echo "ftuser ALL=(ALL) NOPASSWD: /bin/chown" >> /etc/sudoers\n',
    );
    expect(r.output).toContain(`>> /etc/sudoers${CLEAN}\n`);
    expect(r.dropped).toEqual([]);
  });

  it('a clean-up goes after a redirection to a file in /tmp and after 2>&1', async () => {
    const r = await fix(
      'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends gcc > /tmp/build-deps.txt 2>&1\n',
    );
    expect(r.output).toContain(`> /tmp/build-deps.txt 2>&1${CLEAN}\n`);
  });

  it('a tool clean-up is not put in the branch of a conditional that runs another tool', async () => {
    const text = 'FROM node:20\nRUN (if [ -f yarn.lock ]; then yarn install; else CI=1 pnpm install; fi)\n';
    const r = await fix(text);
    expect(r.output).not.toContain('yarn cache clean');
    expect(r.skipped.find((s) => s.ruleId === 'yarn-cache-clean')?.reason).toMatch(/branch/);
  });

  it('a tool clean-up runs the tool by the name the RUN runs it by', async () => {
    const r = await fix('FROM node:20\nRUN bin/yarn install\n');
    expect(r.output).toContain('RUN bin/yarn install && bin/yarn cache clean\n');
  });

  it('inserted instructions end a continuation that only comments follow', async () => {
    const text =
      'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl \\\n    && rm -rf /var/lib/apt/lists/* \\\n# the end\n';
    const r = await fix(text);
    expect(r.output).toContain('rm -rf /var/lib/apt/lists/* \n# the end\nRUN groupadd');
    expect(r.output).toMatch(/\nUSER app\n$/);
    const after = parse(r.output, shell);
    expect(after.instructions.map((i) => i.keyword)).toEqual(['FROM', 'RUN', 'RUN', 'USER']);
  });

  it('CMD exec X becomes exec form of X, and a builtin stays in shell form', async () => {
    const a = await fix('FROM python:3.12-slim\nUSER app\nCMD exec gunicorn --bind 0.0.0.0:8080 app:app\n');
    expect(a.output).toContain('CMD ["gunicorn", "--bind", "0.0.0.0:8080", "app:app"]');
    const b = await fix('FROM python:3.12-slim\nUSER app\nCMD cd /srv\n');
    expect(b.output).toContain('CMD cd /srv\n');
    expect(b.skipped.find((s) => s.ruleId === 'exec-form-cmd')?.reason).toMatch(/builtin/);
  });

  it('a version and a clean-up at the same place: the version goes on the package, once', async () => {
    const r = await fix('FROM debian:bookworm\nRUN apt-get update && apt-get install -y curl\n', {
      'apt-version:debian:bookworm:curl': '7.88.1-10+deb12u15',
    });
    expect(r.output).toContain(`curl=7.88.1-10+deb12u15${CLEAN}\n`);
    expect(r.output.match(/7\.88\.1/g)).toHaveLength(1);
  });

  it('an ARG shared by two FROMs is not given a value that is wrong for one of them', async () => {
    const text =
      'ARG GO_VERSION=1.26\nARG ALPINE_VERSION=3.23\nFROM golang:${GO_VERSION}-alpine${ALPINE_VERSION} AS build\nFROM alpine:${ALPINE_VERSION}\nCOPY --from=build /out /out\n';
    const r = await fix(text, { 'oci-tags:docker.io/library/alpine:3.23': '3.23.10' });
    expect(r.output).toContain('ARG ALPINE_VERSION=3.23\n');
    expect(r.skipped.map((s) => s.reason)).toContainEqual(
      expect.stringMatching(/ARG ALPINE_VERSION also sets the base image of stage build/),
    );
  });

  it('an ARG a stage reads again keeps its default', async () => {
    const text = 'ARG PY=3.12\nFROM python:${PY}-slim\nARG PY\nRUN ln -s /usr/lib/python${PY} /py\n';
    const r = await fix(text, { 'oci-tags:docker.io/library/python:3.12-slim': '3.12.7-slim' });
    expect(r.output).toContain('ARG PY=3.12\n');
  });
});

describe('pins come from the index the command installs from', () => {
  const pypi = { 'pip-version:mitmproxy::3.12': '11.0.0', 'pip-version:torch::3.12': '2.5.1' };

  it('a local wheel house is never pinned from the index', async () => {
    for (const run of [
      'pip install --no-index --find-links=/wheels mitmproxy',
      'pip install --find-links /wheels mitmproxy',
      'PIP_NO_INDEX=1 pip install mitmproxy',
    ]) {
      const r = await fix(`FROM python:3.12-slim\nUSER app\nRUN ${run}\n`, pypi);
      expect(r.output).not.toContain('11.0.0');
      expect(r.skipped.find((s) => s.ruleId === 'pip-pin-versions')?.reason).toMatch(
        /--no-index|--find-links|PIP_NO_INDEX/,
      );
    }
  });

  it('another index: the look-up names it, and the default index does not answer for it', async () => {
    const run = 'pip install --index-url https://download.pytorch.org/whl/cpu torch';
    const r = await fix(`FROM python:3.12-slim\nUSER app\nRUN ${run}\n`, pypi);
    expect(r.output).not.toContain('2.5.1');
    const named = await fix(`FROM python:3.12-slim\nUSER app\nRUN ${run}\n`, {
      'pip-version:torch::3.12:https://download.pytorch.org/whl/cpu': '2.5.1+cpu',
    });
    expect(named.output).toContain('torch==2.5.1+cpu');
    const extra = await fix(
      `FROM python:3.12-slim\nUSER app\nRUN pip install --extra-index-url https://x.test/simple torch\n`,
      pypi,
    );
    expect(extra.output).not.toContain('2.5.1');
    expect(extra.skipped.find((s) => s.ruleId === 'pip-pin-versions')?.reason).toMatch(/--extra-index-url/);
  });
});

/** RUN bodies of every shape a shell offers, each with an apt-get install in it. */
const SHAPES: readonly { name: string; run: string; expected: string }[] = [
  { name: 'plain', run: 'apt-get install -y curl', expected: `apt-get install -y curl${CLEAN}` },
  {
    name: '> at the end',
    run: 'apt-get install -y curl > /log',
    expected: `apt-get install -y curl > /log${CLEAN}`,
  },
  {
    name: '>> at the end',
    run: 'apt-get install -y curl && echo x >> /f',
    expected: `apt-get install -y curl && echo x >> /f${CLEAN}`,
  },
  { name: '2>&1', run: 'apt-get install -y curl 2>&1', expected: `apt-get install -y curl 2>&1${CLEAN}` },
  {
    name: 'here-string',
    run: 'apt-get install -y curl && cat <<< hi',
    expected: `apt-get install -y curl && cat <<< hi${CLEAN}`,
  },
  {
    name: 'pipeline',
    run: 'apt-get install -y curl | tee /log',
    expected: `apt-get install -y curl | tee /log${CLEAN}`,
  },
  {
    name: '|| fallback',
    run: 'apt-get install -y curl || true',
    expected: `apt-get install -y curl || true${CLEAN}`,
  },
  {
    name: '; sequence',
    run: 'apt-get install -y curl; echo done',
    expected: `apt-get install -y curl; echo done${CLEAN}`,
  },
  { name: 'trailing ;', run: 'apt-get install -y curl;', expected: `apt-get install -y curl${CLEAN};` },
  {
    name: 'if',
    run: 'if true; then apt-get install -y curl; fi',
    expected: `if true; then apt-get install -y curl; fi${CLEAN}`,
  },
  {
    name: 'case',
    run: 'case x in x) apt-get install -y curl;; esac',
    expected: `case x in x) apt-get install -y curl;; esac${CLEAN}`,
  },
  {
    name: 'for',
    run: 'for p in a; do apt-get install -y curl; done',
    expected: `for p in a; do apt-get install -y curl; done${CLEAN}`,
  },
  {
    name: 'while',
    run: 'while false; do :; done && apt-get install -y curl',
    expected: `while false; do :; done && apt-get install -y curl${CLEAN}`,
  },
  { name: 'subshell', run: '(apt-get install -y curl)', expected: `(apt-get install -y curl)${CLEAN}` },
  { name: 'group', run: '{ apt-get install -y curl; }', expected: `{ apt-get install -y curl; }${CLEAN}` },
  {
    name: 'set -e',
    run: 'set -eux; apt-get install -y curl',
    expected: `set -eux; apt-get install -y curl${CLEAN}`,
  },
  {
    name: 'substitution',
    run: 'apt-get install -y curl && echo $(date) > /built',
    expected: `apt-get install -y curl && echo $(date) > /built${CLEAN}`,
  },
  {
    name: 'comment in a continuation',
    run: 'apt-get install -y curl \\\n# why\n    && echo ok',
    expected: `apt-get install -y curl \\\n# why\n    && echo ok${CLEAN}`,
  },
  {
    name: 'trailing escape before a comment',
    run: 'apt-get install -y curl \\\n# the end',
    // The non-root fix inserts lines after this RUN: the dangling escape goes.
    expected: `apt-get install -y curl${CLEAN} \n# the end`,
  },
];

describe('hostile RUN shapes: the clean-up closes the top-level list, and nothing moves', () => {
  it.each(SHAPES)('$name', async ({ run, expected }) => {
    const text = `FROM debian:12\nRUN apt-get update && ${run}\n`;
    const r = await fix(text);
    expect(r.dropped).toEqual([]);
    expect(r.output).toContain(
      `RUN apt-get update && ${expected}\n`.replace(
        /install -y curl/g,
        'install --no-install-recommends -y curl',
      ),
    );
  });

  it('a background job at the end is not extended', async () => {
    const r = await fix(
      'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl &\n',
    );
    expect(r.output).not.toContain('rm -rf');
    expect(r.skipped.find((s) => s.ruleId === 'apt-clean-lists')?.reason).toMatch(/background/);
  });

  it('a heredoc at the end is not extended', async () => {
    for (const text of [
      'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl && cat <<EOF > /etc/x\nhello\nEOF\n',
      'FROM debian:12\nRUN <<EOT\napt-get update && apt-get install -y --no-install-recommends curl\ncat <<EOF > /etc/x\nhello\nEOF\nEOT\n',
    ]) {
      const r = await fix(text);
      expect(r.output).not.toContain('rm -rf');
      expect(r.dropped).toEqual([]);
      expect(r.skipped.find((x) => x.ruleId === 'apt-clean-lists')?.reason).toMatch(/heredoc/);
    }
  });

  it.each(SHAPES.filter((s) => !s.name.startsWith('trailing escape')))(
    'every rewrite of "$name" only adds text the fixes declare',
    async ({ run }) => {
      const text = `FROM debian:12\nRUN apt-get update && ${run.replace(/apt-get install -y curl/g, 'apt-get install curl python3')} && pip install flask\n`;
      const r = await fix(text, {
        'apt-version:debian:bookworm:curl': '7.88.1-10',
        'apt-version:debian:bookworm:python3': '3.11.2-1+b1',
      });
      expect(r.dropped).toEqual([]);
      // Taking out exactly the declared additions gives back the original, byte for byte.
      const declared =
        / --no-install-recommends| -y|=7\.88\.1-10|=3\.11\.2-1\+b1| --no-cache-dir| && rm -rf \/var\/lib\/apt\/lists\/\*|-slim|\nRUN groupadd.*|\nUSER app|SHELL \["\/bin\/bash", "-o", "pipefail", "-c"\]\n/g;
      expect(r.output.replace(declared, '')).toBe(text);
    },
  );
});

describe('the meaning check refuses what no fix declared', () => {
  const check = (text: string, edits: Parameters<typeof applyEdits>[1]) => {
    const before = parse(text, shell);
    const out = applyEdits(text, edits);
    return verifyMeaning(before, parse(out.text, shell), out.placed, shell);
  };
  const at = (text: string, s: string) => text.indexOf(s) + s.length;

  it('an appended command inside a redirection', () => {
    const text = 'FROM debian:12\nRUN echo x >> /etc/sudoers\n';
    const edit = insertAt(at(text, 'echo x'), CLEAN, {
      kind: 'append',
      command: 'rm -rf /var/lib/apt/lists/*',
    });
    expect(check(text, [{ edits: [edit], tag: 0 }])).toMatch(/changes where `echo x/);
  });

  it('an appended command inside a branch, a pipeline or a substitution', () => {
    for (const [body, after] of [
      ['if a; then b; fi', 'then b'],
      ['a | b', 'a'],
      ['echo $(a)', '$(a'],
    ] as const) {
      const text = `FROM debian:12\nRUN ${body}\n`;
      const edit = insertAt(at(text, after), ' && c', { kind: 'append', command: 'c' });
      expect({ body, reason: check(text, [{ edits: [edit], tag: 0 }]) }).toEqual({
        body,
        reason: expect.stringMatching(/./),
      });
    }
  });

  it('a prepended command only at a step of a top-level list that stops at its first failure', () => {
    const prepend = (text: string, before: string) => {
      const edit = insertAt(text.indexOf(before), 'apt-get update && ', {
        kind: 'prepend',
        command: 'apt-get update',
      });
      return check(text, [{ edits: [edit], tag: 0 }]);
    };
    for (const [body, before] of [
      ['a || b', 'a'],
      ['a && b || c', 'b'],
      ['a; b', 'a'],
      ['if x; then a; fi', 'a;'],
      ['echo $(a)', 'a)'],
    ] as const)
      expect({ body, reason: prepend(`FROM debian:12\nRUN ${body}\n`, before) }).toEqual({
        body,
        reason: expect.stringMatching(/./),
      });
    for (const [body, before] of [
      ['apt-get install -y a', 'apt-get'],
      ['cd /x && apt-get install -y a', 'cd'],
      ['cd /x && apt-get install -y a', 'apt-get'],
    ] as const)
      expect({ body, reason: prepend(`FROM debian:12\nRUN ${body}\n`, before) }).toEqual({
        body,
        reason: undefined,
      });
  });

  it('an appended tool clean-up where the tool does not run directly', () => {
    const text = 'FROM debian:12\nRUN if a; then yarn install; fi\n';
    const edit = insertAt(at(text, 'fi'), ' && yarn cache clean', {
      kind: 'append',
      command: 'yarn cache clean',
      tool: 'yarn',
    });
    expect(check(text, [{ edits: [edit], tag: 0 }])).toMatch(/yarn cache clean/);
  });

  it('an undeclared edit, an option where none was declared, a version on another word', () => {
    const text = 'FROM debian:12\nRUN apt-get install curl wget\n';
    expect(check(text, [{ edits: [insertAt(at(text, 'install'), ' -y')], tag: 0 }])).toMatch(
      /declares no intent/,
    );
    expect(
      check(text, [{ edits: [insertAt(at(text, 'curl'), ' -q', { kind: 'option', word: '-y' })], tag: 0 }]),
    ).toMatch(/words of/);
    expect(
      check(text, [
        { edits: [insertAt(at(text, 'wget'), '=1', { kind: 'word', from: 'curl', to: 'curl=1' })], tag: 0 },
      ]),
    ).toMatch(/words of/);
  });

  it('an inserted instruction that a continuation swallows', () => {
    const text = 'FROM debian:12\nRUN a \\\n# c\n';
    const edit = insertAt(text.length, 'USER app\n', { kind: 'lines', count: 1 });
    expect(check(text, [{ edits: [edit], tag: 0 }])).toMatch(/./);
  });

  it('exec form for a builtin, and ADD of an archive turned into COPY', () => {
    const text = 'FROM debian:12\nCMD cd /srv\nADD app.tar.gz /srv/\n';
    const cmd = text.indexOf('cd /srv');
    expect(
      check(text, [
        {
          edits: [
            { range: { start: cmd, end: cmd + 7 }, text: '["cd", "/srv"]', intent: { kind: 'exec-form' } },
          ],
          tag: 0,
        },
      ]),
    ).toMatch(/builtin cd/);
    const add = text.indexOf('ADD');
    expect(
      check(text, [
        {
          edits: [
            { range: { start: add, end: add + 3 }, text: 'COPY', intent: { kind: 'keyword', to: 'COPY' } },
          ],
          tag: 0,
        },
      ]),
    ).toMatch(/fetched or unpacked/);
  });

  it('two RUNs joined: only lists that stop at a failure, after a RUN that leaves the shell as it was', () => {
    const join = (first: string, next: string) => {
      const text = `FROM debian:12\nRUN ${first}\nRUN ${next}\n`;
      const start = text.indexOf(first) + first.length;
      const end = text.indexOf(next, start);
      return check(text, [
        { edits: [{ range: { start, end }, text: ' \\\n    && ', intent: { kind: 'merge-run' } }], tag: 0 },
      ]);
    };
    expect(join('apt-get update', 'apt-get install -y curl')).toBeUndefined();
    expect(join('cd /src && apt-get update', 'apt-get install -y ./x.deb')).toMatch(/changes the shell/);
    expect(join('export X=1', 'make')).toMatch(/changes the shell/);
    expect(join('apt-get update', 'apt-get install -y a || true')).toMatch(/after a failure/);
    expect(join('apt-get update; true', 'make')).toMatch(/after a failure/);
    // A comment that ends the first list would swallow the second.
    expect(join('apt-get update # refresh', 'apt-get install -y curl')).toMatch(/./);
    // A join that leaves the second keyword where it was is no join.
    const text = 'FROM debian:12\nRUN apt-get update\nRUN make\n';
    const at2 = text.indexOf('update') + 6;
    expect(
      check(text, [
        { edits: [{ range: { start: at2, end: at2 }, text: ' ', intent: { kind: 'merge-run' } }], tag: 0 },
      ]),
    ).toMatch(/does not take the next RUN's keyword/);
  });

  it('a probe in exec form: only plain words, and only a trailing `|| exit 1` dropped', () => {
    const probe = (body: string, json: string, intent = true) => {
      const text = `FROM scratch\nHEALTHCHECK --interval=5s CMD ${body}\n`;
      const start = text.indexOf(body);
      const range = { start, end: start + body.length };
      return check(text, [
        {
          edits: [{ range, text: json, ...(intent ? { intent: { kind: 'exec-form' as const } } : {}) }],
          tag: 0,
        },
      ]);
    };
    expect(probe('/probe --quick || exit 1', '["/probe", "--quick"]')).toBeUndefined();
    expect(probe('/probe || exit 2', '["/probe"]')).toMatch(/several commands/);
    expect(probe('/probe && exit 1', '["/probe"]')).toMatch(/several commands/);
    expect(probe('/probe | grep ok', '["/probe"]')).toMatch(/pipes/);
    expect(probe('/probe > /dev/null', '["/probe"]')).toMatch(/redirections/);
    expect(probe('/probe --port $PORT', '["/probe", "--port", "$PORT"]')).toMatch(/need a shell/);
    expect(probe('/probe --quick', '["/probe", "--slow"]')).toMatch(/other words/);
    expect(probe('/probe', '["/probe"]', false)).toMatch(/declares no intent/);
    // A probe the stage's SHELL runs is not read as sh words.
    const pwsh = 'FROM scratch\nSHELL ["pwsh", "-Command"]\nHEALTHCHECK CMD /probe\n';
    const at = pwsh.indexOf('/probe');
    expect(
      check(pwsh, [
        {
          edits: [{ range: { start: at, end: at + 6 }, text: '["/probe"]', intent: { kind: 'exec-form' } }],
          tag: 0,
        },
      ]),
    ).toMatch(/not a POSIX shell/);
    // The options stay as they were.
    const text = 'FROM scratch\nHEALTHCHECK --interval=5s CMD ["/probe"]\n';
    const at5 = text.indexOf('5s');
    expect(
      check(text, [
        {
          edits: [{ range: { start: at5, end: at5 + 1 }, text: '9', intent: { kind: 'exec-form' } }],
          tag: 0,
        },
      ]),
    ).toMatch(/options changed/);
  });

  it('a base image changed through an ARG for a stage no edit declared', () => {
    const text = 'ARG V=3.23\nFROM alpine:${V}\nFROM golang:1.26-alpine${V}\n';
    const v = text.indexOf('3.23');
    expect(
      check(text, [
        {
          edits: [
            { range: { start: v, end: v + 4 }, text: '3.23.10', intent: { kind: 'image', stages: [0] } },
          ],
          tag: 0,
        },
      ]),
    ).toMatch(/stage 1/);
  });

  it('shapes: && and || keep their order', () => {
    const s = (t: string) => shell.shape(t);
    const none = { appended: [], prepended: [], options: new Set<string>(), words: new Map() };
    expect(compareShapes(s('a || b'), s('a || b'), none)).toBeUndefined();
    expect(compareShapes(s('a || b'), s('a && b'), none)).toMatch(/./);
    const c = { ...none, appended: [{ command: 'c' }] };
    expect(compareShapes(s('a || b'), s('a || b && c'), c)).toBeUndefined();
    expect(compareShapes(s('a || b'), s('a && c || b'), c)).toMatch(/./);
  });
});

describe('pins from a named index, with the network on', () => {
  it('the configured index answers for itself; another index is not fetched, and its token is not shown', async () => {
    const idx = await startIndexServers({});
    try {
      const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'harden-index-'));
      const run = async (index: string) =>
        runCli(['fix', '--no-digest', '--safe-only', '-'], {
          stdin: `FROM python:3.12-slim-bookworm\nUSER 1000\nRUN pip install --no-cache-dir --index-url ${index} flask\n`,
          env: { ...idx.env, HARDEN_CACHE_DIR: cache },
        });
      const own = await run(idx.env.PIP_INDEX_URL);
      expect(own.stdout).toContain('flask==3.1.0');
      const other = await run('https://ci:s3cret-token@pypi.internal.test/simple');
      expect(other.stdout).toContain(' flask\n');
      expect(other.stderr).toMatch(/skipped pip-pin-versions: .*not the configured index/);
      expect(other.stderr).not.toContain('s3cret-token');
      expect([...idx.server.hits.keys()].some((k) => k.includes('internal'))).toBe(false);
    } finally {
      await idx.server.close();
    }
  });
});

describe('every fixable finding ends in one outcome', () => {
  const D1 = `sha256:${'1'.repeat(64)}`;
  const D2 = `sha256:${'2'.repeat(64)}`;

  it('the slim swap composes with the tag and digest pins: the slim tag is pinned by its own digest', async () => {
    const r = await fix('FROM python:3.11\nUSER app\nCOPY app.py /app/\nCMD ["python3", "/app/app.py"]\n', {
      'oci-digest:docker.io/library/python:3.11-slim': D1,
      'oci-tags:docker.io/library/python:3.11': '3.11.9',
      'oci-tags:docker.io/library/python:3.11-slim': '3.11.9-slim',
      'oci-digest:docker.io/library/python:3.11.9-slim': D2,
    });
    expect(r.output).toContain(`FROM python:3.11.9-slim@${D2}\n`);
    for (const rule of ['prefer-slim-base', 'base-image-specific-tag', 'pin-base-image-digest'])
      expect({ rule, applied: r.applied.filter((a) => a.ruleId === rule).length }).toEqual({
        rule,
        applied: 1,
      });
  });

  it('two stages whose FROMs read one ARG: the one edit of its default fixes both findings', async () => {
    const r = await fix(
      'ARG BASE=example.com/base:1\nFROM $BASE AS a\nRUN true\nFROM $BASE\nCOPY --from=a /x /x\nUSER 1000\n',
      { 'oci-digest:example.com/base:1': D1 },
    );
    expect(r.output).toContain(`ARG BASE=example.com/base:1@${D1}\n`);
    const digest = (xs: readonly { ruleId: string }[]) =>
      xs.filter((x) => x.ruleId === 'pin-base-image-digest').length;
    expect(digest(r.findings)).toBe(2);
    expect({ applied: digest(r.applied), skipped: digest(r.skipped) }).toEqual({ applied: 2, skipped: 0 });
  });

  it('a finding another fix settles is reported as fixed by it, not lost', async () => {
    const r = await fix('FROM debian:12\nRUN curl -s x | sh\nRUN wget -qO- y | sh\n');
    const pipefail = r.findings.filter((f) => f.ruleId === 'require-pipefail');
    expect(pipefail.length).toBe(2);
    const outcomes = [...r.applied, ...r.skipped, ...r.dropped].filter(
      (a) => a.ruleId === 'require-pipefail',
    );
    expect(outcomes.map((o) => o.line).sort()).toEqual([2, 3]);
  });
});

describe('what the review found', () => {
  it('a clean-up is not appended to a RUN whose last statement runs in the background past a comment', async () => {
    const r = await fix(
      'FROM debian:bookworm\nRUN apt-get update && apt-get install -y curl \\\n# wait for it\n  &\n',
    );
    expect(r.output).not.toContain('rm -rf');
  });

  it('an append after a statement other than the last is refused', () => {
    const text = 'FROM debian:12\nRUN <<EOF\napt-get install -y curl\nexit 1\nEOF\n';
    const before = parse(text, shell);
    const at = text.indexOf('curl') + 4;
    const out = applyEdits(text, [
      { edits: [insertAt(at, CLEAN, { kind: 'append', command: 'rm -rf /var/lib/apt/lists/*' })], tag: 0 },
    ]);
    expect(verifyMeaning(before, parse(out.text, shell), out.placed, shell)).toMatch(/./);
  });

  it('an edit inside heredoc data, or a later line of a heredoc RUN, is refused', () => {
    const text =
      'FROM debian:12\nRUN cat <<EOF > /etc/sudoers.d/app\napp ALL=(ALL) NOPASSWD: /usr/bin/apt-get\nEOF\n';
    const before = parse(text, shell);
    const at = text.indexOf('NOPASSWD: ') + 'NOPASSWD:'.length;
    const out = applyEdits(text, [
      { edits: [insertAt(at, ' ALL', { kind: 'option', word: 'ALL' })], tag: 0 },
    ]);
    expect(verifyMeaning(before, parse(out.text, shell), out.placed, shell)).toMatch(/heredoc data/);
  });

  it('a token in an index URL named by a variable is not shown', async () => {
    const r = await fix(
      'FROM python:3.12-slim\nUSER app\nRUN pip install --index-url https://__token__:glpat-SECRET123@gitlab.example/api/v4/projects/${PROJECT_ID}/packages/pypi/simple flask\n',
    );
    const reasons = r.skipped.map((s) => s.reason).join('\n');
    expect(reasons).toMatch(/named by a variable/);
    expect(reasons).not.toContain('SECRET123');
  });
});

describe('pins from elsewhere, as the review found them', () => {
  const pypi = { 'pip-version:flask::3.12': '3.1.0', 'pip-version:acme-utils::3.12': '9.9.9' };

  it('a requirements file that names --no-index or --find-links is not pinned from the index', async () => {
    const r = await fixWithAll(
      'FROM python:3.12-slim\nUSER app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n',
      pypi,
      { 'requirements.txt': '--no-index\n--find-links /wheels\nflask\n' },
    );
    expect(r.contextChanges).toEqual([]);
    expect(r.skipped.map((s) => s.reason).join('\n')).toMatch(/--no-index \(in requirements.txt\)/);
  });

  it('a build argument naming another index leaves the pin to a person', async () => {
    for (const arg of ['PIP_EXTRA_INDEX_URL', 'PIP_INDEX_URL', 'UV_INDEX']) {
      const r = await fix(
        `FROM python:3.12-slim\nUSER app\nARG ${arg}\nRUN pip install --no-cache-dir acme-utils\n`,
        pypi,
      );
      expect({ arg, pinned: r.output.includes('9.9.9') }).toEqual({ arg, pinned: false });
    }
  });
});
