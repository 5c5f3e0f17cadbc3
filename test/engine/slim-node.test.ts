import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../harness/cli';
import { DOCKER } from '../harness/engine';
import {
  buildWhileServing,
  compilersIn,
  runAndAsk,
  runOffline,
  standinsAvailable,
} from '../harness/standins';

/**
 * A node stage whose install compiles, on a real engine: the stand-ins node:18 (with a compiler) and
 * node:18-slim (without) from the registry mirror. The app depends on a package whose install
 * script compiles a Node-API addon with cc, vendored as a tarball; its lock file is npm's own, made
 * here in the full stand-in with no network. The original builds, starts and answers over HTTP with
 * what the addon returns, and the same Dockerfile on node:18-slim does not build; the fixed
 * Dockerfile builds npm's install in a stage on node:18, runs on node:18-slim, answers the same, and
 * its image has no compiler.
 */
const ready = standinsAvailable('the node slim split engine test');
const describeEngine = ready ? describe : describe.skip;
const id = `${process.pid}-${Date.now() % 100000}`;
const LABEL = `io.harden-dockerfile.slim-node=${id}`;

// A package named as one of the addons known to link to nothing the slim image lacks; its own
// install script builds it, so npm marks it `hasInstallScript` in the lock file.
const ADDON_NAME = 'bufferutil';
const ADDON: Record<string, string> = {
  'package.json': JSON.stringify({
    name: ADDON_NAME,
    version: '4.0.8',
    main: 'index.js',
    scripts: {
      install:
        'mkdir -p build && cc -shared -fPIC -DNODE_GYP_MODULE_NAME=addon -I/usr/include/node addon.c -o build/addon.node',
    },
  }),
  'index.js': "module.exports = require('./build/addon.node');\n",
  'addon.c': [
    '#include <node_api.h>',
    'static napi_value answer(napi_env env, napi_callback_info info) {',
    '  napi_value s;',
    '  napi_create_string_utf8(env, "built-natively", NAPI_AUTO_LENGTH, &s);',
    '  return s;',
    '}',
    'static napi_value init(napi_env env, napi_value exports) {',
    '  napi_value fn;',
    '  napi_create_function(env, "answer", NAPI_AUTO_LENGTH, answer, NULL, &fn);',
    '  napi_set_named_property(env, exports, "answer", fn);',
    '  return exports;',
    '}',
    'NAPI_MODULE(NODE_GYP_MODULE_NAME, init)',
    '',
  ].join('\n'),
};

const SERVER = [
  "const http = require('http');",
  `const addon = require('${ADDON_NAME}');`,
  'http.createServer((req, res) => res.end(addon.answer())).listen(8000);',
  '',
].join('\n');

const DOCKERFILE = [
  'FROM node:18',
  'WORKDIR /app',
  'COPY package.json package-lock.json ./',
  'COPY vendor ./vendor',
  'RUN npm ci --omit=dev',
  'COPY server.js ./',
  'CMD ["node", "server.js"]',
  '',
].join('\n');

/** The app's build context: the vendored addon, its package.json, npm's lock file and the server. */
function makeContext(dir: string): void {
  const pkg = path.join(dir, 'addon', 'package');
  fs.mkdirSync(pkg, { recursive: true });
  for (const [file, text] of Object.entries(ADDON)) fs.writeFileSync(path.join(pkg, file), text);
  fs.mkdirSync(path.join(dir, 'vendor'));
  const tgz = `vendor/${ADDON_NAME}-4.0.8.tgz`;
  const tar = spawnSync('tar', ['-czf', path.join(dir, tgz), '-C', path.join(dir, 'addon'), 'package']);
  if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr}`);
  fs.rmSync(path.join(dir, 'addon'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: 'app', version: '1.0.0', dependencies: { [ADDON_NAME]: `file:${tgz}` } }),
  );
  fs.writeFileSync(path.join(dir, 'server.js'), SERVER);
  fs.writeFileSync(path.join(dir, '.dockerignore'), '**/node_modules\n');
  // npm's own lock file, written in the full stand-in with no network (the addon is local).
  runOffline(
    'node:18',
    dir,
    '/w',
    ['npm', 'install', '--package-lock-only', '--ignore-scripts', '--offline', '--no-audit', '--no-fund'],
    LABEL,
  );
}

describeEngine('a node stage whose install compiles, built on the full image and run on slim', () => {
  jest.setTimeout(600_000);
  let work = '';
  const tags = [`hd-node-orig-${id}`, `hd-node-fixed-${id}`];

  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'harden-node-'));
    makeContext(work);
  });

  afterAll(() => {
    spawnSync(DOCKER, ['rmi', '-f', ...tags], { stdio: 'ignore' });
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('the lock file marks the addon as one with an install script', () => {
    const lock = JSON.parse(fs.readFileSync(path.join(work, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { hasInstallScript?: boolean }>;
    };
    expect(lock.packages[`node_modules/${ADDON_NAME}`]?.hasInstallScript).toBe(true);
  });

  it('the original and the split image answer the same; the runtime has no compiler', async () => {
    fs.writeFileSync(path.join(work, 'Dockerfile'), DOCKERFILE);
    const original = await buildWhileServing(tags[0], work, ['--label', LABEL]);
    expect({ ok: original.ok, log: original.ok ? '' : original.log }).toEqual({ ok: true, log: '' });
    const before = await runAndAsk(tags[0], ['--label', LABEL]);
    expect(before.body).toBe('built-natively');

    // The swap alone breaks the build: the slim image cannot compile the addon.
    fs.writeFileSync(path.join(work, 'Dockerfile'), DOCKERFILE.replace('FROM node:18', 'FROM node:18-slim'));
    const swapped = await buildWhileServing(`${tags[1]}-swapped`, work, ['--label', LABEL]);
    expect(swapped.ok).toBe(false);
    expect(swapped.log).toMatch(/cc: (command )?not found/);

    const fixed = await runCli(['fix', '--offline', '--context', work, '-'], { stdin: DOCKERFILE });
    expect(fixed.stderr).toMatch(/fixed prefer-slim-base/);
    expect(fixed.stdout).toMatch(/^FROM node:18 AS build\n/);
    expect(fixed.stdout).toMatch(/^FROM node:18-slim$/m);
    expect(fixed.stdout).toContain('COPY --from=build /app/node_modules /app/node_modules\n');
    fs.writeFileSync(path.join(work, 'Dockerfile'), fixed.stdout);
    const built = await buildWhileServing(tags[1], work, ['--label', LABEL]);
    expect({ ok: built.ok, log: built.ok ? '' : built.log }).toEqual({ ok: true, log: '' });
    const after = await runAndAsk(tags[1], ['--label', LABEL]);
    expect(after).toEqual(before);
    expect(compilersIn(tags[1], LABEL)).toBe('');
  });
});
