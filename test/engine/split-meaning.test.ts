import { fixer } from '../../fixers/prefer-slim-base';
import { rule } from '../../rules/prefer-slim-base';
import type { ShellParser } from '../../src/core/parse-shell';
import { DEFAULT_CONFIG } from '../../src/engine/config';
import { loadContextFiles } from '../../src/engine/context-files';
import { isSkip, type TextEdit } from '../../src/engine/define-fixer';
import { applyEdits } from '../../src/engine/apply-edits';
import { runRules } from '../../src/engine/run-rules';
import { verifyRewrite } from '../../src/engine/verify';
import { verifyMeaning } from '../../src/engine/verify-meaning';
import { resolutionsOf } from '../../src/resolve/types';
import { contextOf, fixtureResolver, parse, testShell } from '../harness/rule-tester';

/**
 * The meaning check of a build split: the builder stage, the moved RUNs and the runtime lines are
 * accepted exactly as the split declares them, and refused when they do anything else.
 */
let shell: ShellParser;
beforeAll(async () => {
  shell = await testShell();
});

const TEXT = [
  'FROM python:3.11',
  'WORKDIR /app',
  'RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev && rm -rf /var/lib/apt/lists/*',
  'COPY requirements.txt .',
  'RUN pip install --no-cache-dir -r requirements.txt',
  'COPY . .',
  'CMD ["python", "app.py"]',
  '',
].join('\n');

/** The split's edits for TEXT, as the fixer makes them. */
async function splitEdits(text = TEXT): Promise<TextEdit[]> {
  const model = parse(text, shell);
  const files = await loadContextFiles(model, contextOf({ 'requirements.txt': 'psycopg2==2.9.9\n' }));
  const [finding] = runRules(model, [rule], DEFAULT_CONFIG, { read: (p) => files.get(p) });
  const answers = await fixtureResolver({
    'oci-digest:docker.io/library/python:3.11-slim': `sha256:${'7'.repeat(64)}`,
    'pip-wheel:psycopg2:==2.9.9:3.11:gnu': 'sdist 2.9.9',
  }).resolve(finding.needs);
  const edits = fixer.fix(finding, {
    model,
    resolutions: resolutionsOf(answers),
    files: { read: (p) => files.get(p) },
    pinPolicy: DEFAULT_CONFIG.pinPolicy,
    newUser: DEFAULT_CONFIG.newUser,
  });
  if (isSkip(edits)) throw new Error(edits.skipped);
  return [...edits];
}

function check(edits: readonly TextEdit[], text = TEXT): { reason?: string; output: string } {
  const out = applyEdits(text, [{ edits, tag: 0 }]);
  const before = parse(text, shell);
  const after = parse(out.text, shell);
  return {
    reason: verifyRewrite(before, after) ?? verifyMeaning(before, after, out.placed, shell),
    output: out.text,
  };
}

const kind = (e: TextEdit) => e.intent?.kind;

describe('the meaning check of a build split', () => {
  it('accepts the split as the fix declares it', async () => {
    const edits = await splitEdits();
    expect(edits.map(kind)).toEqual(['builder', 'image', 'runtime', 'moved', 'moved']);
    const { reason, output } = check(edits);
    expect(reason).toBeUndefined();
    expect(output).toMatch(/^FROM python:3\.11 AS build\n/);
  });

  it('refuses a builder stage that runs what the stage does not', async () => {
    const edits = (await splitEdits()).map((e) =>
      kind(e) === 'builder'
        ? { ...e, text: e.text.replace('WORKDIR /app\n', 'WORKDIR /app\nRUN curl x | sh\n') }
        : e,
    );
    expect(check(edits).reason).toMatch(/the builder stage runs `RUN curl x \| sh`, which stage 0 does not/);
  });

  it('refuses runtime lines that copy a virtual env from a builder that declares none', async () => {
    const edits = (await splitEdits()).map((e) =>
      kind(e) === 'builder' && e.intent?.kind === 'builder'
        ? {
            ...e,
            text: e.text.replace(/RUN python -m venv[^\n]*\nENV PATH[^\n]*\n/, ''),
            intent: { ...e.intent, venv: false },
          }
        : e,
    );
    expect(check(edits).reason).toMatch(/copy a virtual env from build, which makes none/);
  });

  it('refuses a builder stage on another base image, or without its virtual env first', async () => {
    const other = (await splitEdits()).map((e) =>
      kind(e) === 'builder' ? { ...e, text: e.text.replace('FROM python:3.11 ', 'FROM python:3.12 ') } : e,
    );
    expect(check(other).reason).toMatch(
      /the builder stage is not build on the base image and platform of stage 0/,
    );
    const noVenv = (await splitEdits()).map((e) =>
      kind(e) === 'builder' ? { ...e, text: e.text.replace('RUN python -m venv /opt/venv\n', '') } : e,
    );
    expect(check(noVenv).reason).toMatch(/does not make its virtual env first/);
  });

  it('refuses a RUN taken out of its stage that the builder does not run', async () => {
    const edits = (await splitEdits()).map((e) =>
      kind(e) === 'builder' ? { ...e, text: e.text.replace(/RUN pip install[^\n]*\n/, ''), copies: [] } : e,
    );
    expect(check(edits).reason).toMatch(
      /the RUN on line 5 leaves its stage, but the builder does not run it/,
    );
  });

  it('refuses a move to a builder no fix inserts', async () => {
    const edits = (await splitEdits()).filter((e) => kind(e) === 'moved' || kind(e) === 'image');
    expect(check(edits).reason).toMatch(/the RUN on line 3 moves to build, a stage no fix inserts/);
  });

  it('refuses a move that takes more than one instruction, or one that is no move', async () => {
    const text = TEXT;
    const edits = await splitEdits();
    const moved = edits.filter((e) => kind(e) === 'moved');
    const wide = edits.map((e) =>
      e === moved[1] ? { ...e, range: { start: e.range.start, end: text.indexOf('CMD') } } : e,
    );
    expect(check(wide).reason).toMatch(/moves other than one instruction/);
    const undeclared = edits.map((e) => (e === moved[1] ? { range: e.range, text: '' } : e));
    expect(check(undeclared).reason).toMatch(/declares no intent/);
  });

  it('refuses runtime lines other than the declared ones, or for a builder no fix inserted', async () => {
    const extra = (await splitEdits()).map((e) =>
      kind(e) === 'runtime' ? { ...e, text: `${e.text}RUN curl x | sh\n` } : e,
    );
    expect(check(extra).reason).toMatch(/the runtime lines are not the ones the split declares/);
    const evil = (await splitEdits()).map((e) =>
      kind(e) === 'runtime'
        ? {
            ...e,
            text: e.text.replace('libpq5', 'libpq5;curl'),
            intent: { kind: 'runtime' as const, builder: 'build', packages: ['libpq5;curl'] },
          }
        : e,
    );
    expect(check(evil).reason).toMatch(/which is no package name/);
    const orphan = (await splitEdits()).filter((e) => kind(e) !== 'builder' && kind(e) !== 'moved');
    expect(check(orphan).reason).toMatch(/copy from build, a stage no fix inserted/);
  });

  it('refuses a new stage that no edit declares', () => {
    const text = 'FROM python:3.11\nCMD ["python"]\n';
    const edit: TextEdit = {
      range: { start: 0, end: 0 },
      text: 'FROM python:3.11 AS x\nRUN true\n',
      intent: { kind: 'lines', count: 2 },
    };
    expect(check([edit], text).reason).toMatch(/the number of stages changed from 1 to 2/);
  });
});

describe('the meaning check of a node build split', () => {
  const NODE = 'FROM node:20\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nCMD ["node", "."]\n';
  const lock = JSON.stringify({
    lockfileVersion: 3,
    packages: { '': { name: 'app' }, 'node_modules/bcrypt': { version: '5.1.1', hasInstallScript: true } },
  });

  async function nodeEdits(): Promise<TextEdit[]> {
    const model = parse(NODE, shell);
    const files = await loadContextFiles(
      model,
      contextOf({ 'package.json': '{"name":"app"}', 'package-lock.json': lock }),
    );
    const [finding] = runRules(model, [rule], DEFAULT_CONFIG, { read: (p) => files.get(p) });
    const edits = fixer.fix(finding, {
      model,
      resolutions: resolutionsOf(
        await fixtureResolver({
          'oci-digest:docker.io/library/node:20-slim': `sha256:${'6'.repeat(64)}`,
        }).resolve(finding.needs),
      ),
      files: { read: (p) => files.get(p) },
      pinPolicy: DEFAULT_CONFIG.pinPolicy,
      newUser: DEFAULT_CONFIG.newUser,
    });
    if (isSkip(edits)) throw new Error(edits.skipped);
    return [...edits];
  }

  it('accepts the split as the fix declares it', async () => {
    const edits = await nodeEdits();
    expect(edits.map(kind)).toEqual(['builder', 'image', 'moved']);
    const { reason, output } = check(edits, NODE);
    expect(reason).toBeUndefined();
    expect(output).toContain('COPY --from=build /app/node_modules /app/node_modules\nCOPY . .\n');
  });

  it("refuses node_modules copied to another folder, or anything else in the install's place", async () => {
    const moved = (f: (e: TextEdit) => TextEdit) =>
      nodeEdits().then((edits) => edits.map((e) => (kind(e) === 'moved' ? f(e) : e)));
    const elsewhere = await moved((e) => ({
      ...e,
      text: 'COPY --from=build /srv/node_modules /srv/node_modules\n',
      intent: { kind: 'moved', builder: 'build', modules: '/srv' },
    }));
    expect(check(elsewhere, NODE).reason).toMatch(/copies node_modules to another folder/);
    const more = await moved((e) => ({ ...e, text: `${e.text}RUN curl x | sh\n` }));
    expect(check(more, NODE).reason).toMatch(/moves other than one instruction/);
    const bare = await moved((e) => ({ ...e, intent: { kind: 'moved', builder: 'build' } }));
    expect(check(bare, NODE).reason).toMatch(/moves other than one instruction/);
  });

  it('refuses a node builder that leaves out what the stage ran before the install', async () => {
    const edits = (await nodeEdits()).map((e) =>
      kind(e) === 'builder' ? { ...e, text: e.text.replace('WORKDIR /app\n', ''), copies: [] } : e,
    );
    expect(check(edits, NODE).reason).toMatch(
      /leaves out the WORKDIR on line 2, which runs before what it builds/,
    );
  });

  it('refuses node_modules in the place of other than the install, or from a builder with a virtual env', async () => {
    const edits = await nodeEdits();
    const at = NODE.indexOf('COPY package');
    const wrong = edits.map((e) =>
      kind(e) === 'moved'
        ? { ...e, range: { start: at, end: NODE.indexOf('RUN npm ci') } }
        : kind(e) === 'builder'
          ? { ...e, text: e.text.replace('RUN npm ci\n', '') }
          : e,
    );
    expect(check(wrong, NODE).reason).toMatch(/in the place of other than an npm install/);
    const venv = edits.map((e) =>
      kind(e) === 'builder' && e.intent?.kind === 'builder'
        ? { ...e, intent: { ...e.intent, venv: true } }
        : e,
    );
    expect(check(venv, NODE).reason).toMatch(/./);
  });

  it('refuses a node builder that runs what the stage does not', async () => {
    const edits = (await nodeEdits()).map((e) =>
      kind(e) === 'builder'
        ? { ...e, text: e.text.replace('RUN npm ci\n', 'RUN npm ci\nRUN curl x | sh\n') }
        : e,
    );
    expect(check(edits, NODE).reason).toMatch(/the builder stage runs `RUN curl x \| sh`/);
  });
});
