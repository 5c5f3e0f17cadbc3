import { fixer } from '../../fixers/prefer-slim-base';
import { rule } from '../../rules/prefer-slim-base';
import { DEFAULT_CONFIG } from '../../src/engine/config';
import { harden, type HardenResult } from '../../src/engine/harden';
import { contextOf, fixtureResolver, testShell } from '../harness/rule-tester';

/**
 * The slim swap of a node stage that installs its packages: node:*-slim has no git, python3, make
 * or C++ compiler, so the lock file decides whether the install still runs there.
 */
async function fix(text: string, files: Record<string, string>): Promise<HardenResult> {
  return harden(
    { path: 'Dockerfile', text },
    {
      rules: [rule],
      fixers: new Map([[rule.id, fixer]]),
      config: DEFAULT_CONFIG,
      resolver: fixtureResolver({ 'oci-digest:docker.io/library/node:20-slim': `sha256:${'6'.repeat(64)}` }),
      shell: await testShell(),
      fix: true,
      context: contextOf(files),
    },
  );
}

const lock = (packages: Record<string, object>) =>
  JSON.stringify({ name: 'app', lockfileVersion: 3, packages: { '': { name: 'app' }, ...packages } });
const MANIFEST = JSON.stringify({ name: 'app', dependencies: { express: '^4.19.2' } });
const APP =
  'FROM node:20\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nCMD ["node", "server.js"]\n';
const reason = (r: HardenResult) => r.skipped.find((s) => s.ruleId === 'prefer-slim-base')?.reason;

describe('the slim swap of a node stage that installs packages', () => {
  it('swaps when the lock file shows no install script and nothing from git', async () => {
    const r = await fix(APP, {
      'package.json': MANIFEST,
      'package-lock.json': lock({ 'node_modules/express': { version: '4.19.2' } }),
    });
    expect(r.output).toMatch(/^FROM node:20-slim$/m);
  });

  it('swaps when the only install scripts are known not to compile, or are not run', async () => {
    const coreJs = lock({ 'node_modules/core-js': { version: '3.37.1', hasInstallScript: true } });
    expect((await fix(APP, { 'package-lock.json': coreJs })).output).toMatch(/^FROM node:20-slim$/m);
    const bcrypt = lock({ 'node_modules/bcrypt': { version: '5.1.1', hasInstallScript: true } });
    const ignored = APP.replace('npm ci', 'npm ci --ignore-scripts');
    expect((await fix(ignored, { 'package-lock.json': bcrypt })).output).toMatch(/^FROM node:20-slim$/m);
    // A development dependency is not installed with --omit=dev.
    const devOnly = lock({ 'node_modules/bcrypt': { version: '5.1.1', hasInstallScript: true, dev: true } });
    const omit = APP.replace('npm ci', 'npm ci --omit=dev');
    expect((await fix(omit, { 'package-lock.json': devOnly })).output).toMatch(/^FROM node:20-slim$/m);
  });

  const KEPT: [string, string, Record<string, string>, RegExp][] = [
    [
      'a dependency whose install script may compile',
      APP,
      {
        'package-lock.json': lock({
          'node_modules/bcrypt': { version: '5.1.1', hasInstallScript: true },
          'node_modules/core-js': { version: '3.37.1', hasInstallScript: true },
        }),
      },
      /^bcrypt runs an install script that may compile native code \(node-gyp\)/,
    ],
    [
      'a dependency from git, whose package.json was not read (the split needs it)',
      APP,
      {
        'package-lock.json': lock({
          'node_modules/lib': { version: '1.0.0', resolved: 'git+ssh://git@github.com/acme/lib.git#abc' },
        }),
      },
      /^lib comes from git, which the slim image lacks, and the install cannot move to a builder stage: the package.json npm installs from was not read; keep the full base$/,
    ],
    [
      'no lock file in the build context',
      APP,
      { 'package.json': MANIFEST },
      /no package-lock\.json of version 2 or later/,
    ],
    [
      'a lock file of version 1, which does not say',
      APP,
      {
        'package-lock.json': JSON.stringify({
          lockfileVersion: 1,
          dependencies: { x: { version: '1.0.0' } },
        }),
      },
      /no package-lock\.json of version 2 or later/,
    ],
    [
      'packages npm installs by name',
      'FROM node:20\nRUN npm install -g pm2@5.4.2\nCMD ["pm2-runtime", "app.js"]\n',
      {},
      /whether pm2@5\.4\.2 builds native code is not known/,
    ],
    [
      'yarn',
      'FROM node:20\nCOPY . .\nRUN yarn install --frozen-lockfile\nCMD ["node", "."]\n',
      { 'yarn.lock': '' },
      /yarn installs builds native code is not known/,
    ],
  ];
  it.each(KEPT)('keeps the full base, with the reason: %s', async (_name, text, files, why) => {
    const r = await fix(text, files);
    expect(r.output).toBe(text);
    expect(reason(r)).toMatch(why);
  });

  it("reads the lock file the stage copies in, not another stage's", async () => {
    const text =
      'FROM node:20 AS web\nWORKDIR /web\nCOPY web/package.json web/package-lock.json ./\nRUN npm ci\n' +
      'FROM node:20\nWORKDIR /api\nCOPY api/package.json api/package-lock.json ./\nRUN npm ci --omit=dev\nCMD ["node", "."]\n';
    const r = await fix(text, {
      'web/package-lock.json': lock({ 'node_modules/express': { version: '4.19.2' } }),
      'api/package-lock.json': lock({ 'node_modules/bcrypt': { version: '5.1.1', hasInstallScript: true } }),
    });
    expect(r.output).toBe(text);
    expect(reason(r)).toMatch(/^bcrypt runs an install script/);
  });

  it('a COPY source with a stray bracket is a name, not a broken pattern', async () => {
    const r = await fix(
      'FROM node:20\nCOPY package[*.json ./\nRUN npm ci\nCOPY uv[*.lock ./\nRUN uv sync\n',
      {
        'package[-lock.json': lock({}),
      },
    );
    expect(reason(r)).toMatch(/no package-lock\.json of version 2/);
  });

  it('a final stage that only copies node_modules from a stage on the full image is swapped', async () => {
    const text =
      'FROM node:20 AS deps\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\n' +
      'FROM node:20\nWORKDIR /app\nCOPY --from=deps /app/node_modules ./node_modules\nCOPY . .\nCMD ["node", "server.js"]\n';
    const r = await fix(text, {});
    expect(r.output).toContain('FROM node:20 AS deps\n');
    expect(r.output).toMatch(/^FROM node:20-slim$/m);
  });
});

describe('a node stage whose install needs the full image: built there, run on slim', () => {
  const BCRYPT = lock({ 'node_modules/bcrypt': { version: '5.1.1', hasInstallScript: true } });
  const FILES = { 'package.json': MANIFEST, 'package-lock.json': BCRYPT };
  const SPLIT =
    'FROM node:20 AS build\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\n\n' +
    'FROM node:20-slim\nWORKDIR /app\nCOPY package*.json ./\nCOPY --from=build /app/node_modules /app/node_modules\n' +
    'COPY . .\nCMD ["node", "server.js"]\n';

  it('an addon that compiles: npm ci runs in a builder on the full image, node_modules is copied in its place', async () => {
    const r = await fix(APP, FILES);
    expect(r.output).toBe(SPLIT);
    expect(r.applied.map((a) => a.ruleId)).toEqual(['prefer-slim-base']);
  });

  it('a dependency from git (the slim image has no git)', async () => {
    const git = JSON.stringify({ name: 'app', dependencies: { lib: 'github:acme/lib#v1' } });
    const r = await fix(APP, { 'package.json': git, 'package-lock.json': lock({}) });
    expect(r.output).toBe(SPLIT);
  });

  it('the folder npm installs in: the WORKDIR, or / without one; the RUN keeps its other lines', async () => {
    const text =
      'FROM node:20\n# deps\nCOPY package.json package-lock.json ./\nRUN npm ci --omit=dev \\\n && npm cache clean --force\nCOPY . .\nCMD ["node", "."]\n';
    const r = await fix(text, FILES);
    expect(r.output).toBe(
      'FROM node:20 AS build\nCOPY package.json package-lock.json ./\nRUN npm ci --omit=dev \\\n && npm cache clean --force\n\n' +
        'FROM node:20-slim\n# deps\nCOPY package.json package-lock.json ./\nCOPY --from=build /node_modules /node_modules\nCOPY . .\nCMD ["node", "."]\n',
    );
  });

  it('a whole-context COPY before the install, where .dockerignore leaves node_modules out', async () => {
    const text = 'FROM node:20\nWORKDIR /srv\nCOPY . .\nRUN npm ci\nCMD ["node", "."]\n';
    const r = await fix(text, { ...FILES, '.dockerignore': '.git\nnode_modules\n' });
    expect(r.output).toContain('COPY --from=build /srv/node_modules /srv/node_modules\nCMD');
    const kept = await fix(text, FILES);
    expect(kept.output).toBe(text);
    expect(reason(kept)).toMatch(/COPY on line 3 copies \. before npm installs/);
  });

  it('a RUN before the install that only installs build tools goes to the builder alone', async () => {
    const tools =
      'RUN apt-get update && apt-get install -y --no-install-recommends g++ make && rm -rf /var/lib/apt/lists/*\n';
    const text = APP.replace('COPY package*.json', `${tools}COPY package*.json`);
    const r = await fix(text, FILES);
    expect(r.output).toBe(
      `FROM node:20 AS build\nWORKDIR /app\n${tools}COPY package*.json ./\nRUN npm ci\n\n` +
        'FROM node:20-slim\nWORKDIR /app\nCOPY package*.json ./\nCOPY --from=build /app/node_modules /app/node_modules\n' +
        'COPY . .\nCMD ["node", "server.js"]\n',
    );
  });

  it('a folder copied before the install, where .dockerignore leaves out node_modules at any depth', async () => {
    const text = 'FROM node:20\nWORKDIR /srv\nCOPY app/ ./\nRUN npm ci\nCMD ["node", "."]\n';
    const files = { 'app/package.json': MANIFEST, 'app/package-lock.json': BCRYPT };
    const r = await fix(text, { ...files, '.dockerignore': '**/node_modules\n' });
    expect(r.output).toContain('COPY --from=build /srv/node_modules /srv/node_modules\n');
    // `node_modules` alone leaves out only the context's own: app/node_modules would come along.
    const kept = await fix(text, { ...files, '.dockerignore': 'node_modules\n' });
    expect(kept.output).toBe(text);
    expect(reason(kept)).toMatch(/copies app\/ before npm installs/);
  });

  const NOT_SPLIT: [string, string, Record<string, string>, RegExp][] = [
    [
      'a WORKDIR that is not a plain path',
      APP.replace('WORKDIR /app', 'WORKDIR "/my app"'),
      FILES,
      /the WORKDIR on line 2 is not a plain path/,
    ],
    [
      'node_modules copied from another stage before the install',
      'FROM node:20 AS deps\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --ignore-scripts\n' +
        'FROM node:20\nWORKDIR /app\nCOPY --from=deps /app/node_modules ./node_modules\nCOPY package*.json ./\nRUN npm ci --omit=dev\nCMD ["node", "."]\n',
      { ...FILES, '.dockerignore': '**/node_modules\n' },
      /the COPY on line 7 copies from another image/,
    ],
    [
      'an archive added before the install',
      APP.replace('COPY package*.json ./', 'ADD vendor.tar.gz ./\nCOPY package*.json ./'),
      { ...FILES, '.dockerignore': '**/node_modules\n' },
      /the ADD on line 3 adds vendor\.tar\.gz before npm installs/,
    ],
    [
      'node_modules let back in by .dockerignore',
      'FROM node:20\nWORKDIR /srv\nCOPY . .\nRUN npm ci\nCMD ["node", "."]\n',
      { ...FILES, '.dockerignore': 'node_modules\n!node_modules/patched\n' },
      /copies \. before npm installs/,
    ],
    [
      "the app's own binding.gyp, built at install",
      APP,
      { ...FILES, 'binding.gyp': '{"targets": []}' },
      /the app's binding\.gyp is built at install/,
    ],
    [
      'npm told by a variable to install globally',
      APP.replace('WORKDIR /app', 'WORKDIR /app\nENV NPM_CONFIG_LOCATION=global'),
      FILES,
      /the ENV on line 3 tells npm to install elsewhere/,
    ],
    [
      'npm told by an ARG to install globally',
      APP.replace('WORKDIR /app', 'WORKDIR /app\nARG npm_config_global=true'),
      FILES,
      /the ARG on line 3 tells npm to install elsewhere/,
    ],
    [
      'npm told by .npmrc to install elsewhere',
      APP,
      { ...FILES, '.npmrc': 'prefix=/usr/local\n' },
      /\.npmrc tells npm/,
    ],
    [
      '--global=true',
      APP.replace('npm ci', 'npm ci --global=true'),
      FILES,
      /npm --global=true installs elsewhere/,
    ],
    [
      'the lock file copied only after the install',
      'FROM node:20\nWORKDIR /app\nCOPY package.json ./\nRUN npm install\nCOPY package-lock.json ./\nCMD ["node", "."]\n',
      FILES,
      /no package-lock\.json of version 2 or later was read/,
    ],
    [
      'an addon that links to libraries the slim image may lack',
      APP,
      {
        'package.json': MANIFEST,
        'package-lock.json': lock({ 'node_modules/canvas': { version: '2.11.2', hasInstallScript: true } }),
      },
      /what canvas links to at run time is not known/,
    ],
    [
      'an install script that downloads to the home folder',
      APP,
      {
        'package.json': MANIFEST,
        'package-lock.json': lock({
          'node_modules/bcrypt': { version: '5.1.1', hasInstallScript: true },
          'node_modules/puppeteer': { version: '22.0.0', hasInstallScript: true },
        }),
      },
      /puppeteer's install script downloads outside node_modules/,
    ],
    [
      "the app's own postinstall script",
      APP,
      {
        'package.json': JSON.stringify({ scripts: { postinstall: 'node build.js' } }),
        'package-lock.json': BCRYPT,
      },
      /package\.json's postinstall script runs at install/,
    ],
    [
      'workspaces',
      APP,
      { 'package.json': JSON.stringify({ workspaces: ['a'] }), 'package-lock.json': BCRYPT },
      /workspaces/,
    ],
    [
      'npm runs as another user',
      'FROM node:20\nWORKDIR /app\nCOPY package*.json ./\nUSER node\nRUN npm ci\nCMD ["node", "."]\n',
      FILES,
      /npm runs as node \(line 4\)/,
    ],
    [
      'the install RUN does more than install',
      APP.replace('npm ci', 'npm ci && npm run build'),
      FILES,
      /runs more than npm's install/,
    ],
    ['a global install', APP.replace('npm ci', 'npm ci && npm install -g .'), FILES, /./],
    ['a base pinned by digest', APP.replace('node:20', `node:20@sha256:${'a'.repeat(64)}`), FILES, /./],
  ];
  it.each(NOT_SPLIT)('keeps the full base, with the reason: %s', async (_name, text, files, why) => {
    const r = await fix(text, files);
    expect(r.output).toBe(text);
    expect(reason(r)).toMatch(why);
  });
});
