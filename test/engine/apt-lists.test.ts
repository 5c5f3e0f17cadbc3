import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../harness/cli';
import { DOCKER, docker } from '../harness/engine';
import { body, serve, type Handler, type LocalServer } from '../harness/http-server';
import { bridgeGateway, buildWhileServing, runAndAsk, standinsAvailable } from '../harness/standins';

/**
 * apt-clean-lists on a real engine, where a later RUN installs from the lists an earlier RUN left: the
 * fix removes the lists in both and gives the later RUN an update of its own. The stand-in
 * debian:bookworm installs two packages built here (dpkg-deb) from an apt repository in Debian's
 * format (Packages and Release) served on the Docker bridge's gateway. The original and the fixed
 * image both build, start and serve the packages' files over HTTP; only the fixed one ships no lists.
 */
const ready = standinsAvailable('the apt lists engine test');
const describeEngine = ready ? describe : describe.skip;
const id = `${process.pid}-${Date.now() % 100000}`;

interface Deb {
  readonly control: string;
  readonly filename: string;
  readonly body: Buffer;
}

/** A package that installs one file, /srv/hd/NAME.txt, holding its name. */
function buildDeb(dir: string, name: string): Deb {
  const root = path.join(dir, name);
  fs.mkdirSync(path.join(root, 'DEBIAN'), { recursive: true });
  fs.mkdirSync(path.join(root, 'srv/hd'), { recursive: true });
  fs.writeFileSync(path.join(root, 'srv/hd', `${name}.txt`), `${name}\n`);
  const control = [
    `Package: ${name}`,
    'Version: 1.0-1',
    'Architecture: all',
    'Maintainer: Test <test@example.org>',
    `Description: ${name} test package`,
    '',
  ].join('\n');
  fs.writeFileSync(path.join(root, 'DEBIAN/control'), control);
  const deb = path.join(dir, `${name}_1.0-1_all.deb`);
  const r = spawnSync('dpkg-deb', ['--root-owner-group', '--build', root, deb], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`dpkg-deb failed: ${r.stderr}`);
  return { control, filename: path.basename(deb), body: fs.readFileSync(deb) };
}

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** A flat repository (`deb [trusted=yes] URL ./`): Packages, a Release that lists it, the .debs. */
function repository(debs: readonly Deb[]): Record<string, Handler> {
  const packages = debs
    .map(
      (d) =>
        `${d.control.trimEnd()}\nFilename: ./${d.filename}\nSize: ${d.body.length}\nSHA256: ${sha256(d.body)}\n`,
    )
    .join('\n');
  const release = [
    'Origin: harden-test',
    'Label: harden-test',
    'Date: Mon, 07 Dec 2026 00:00:00 UTC',
    'Architectures: all amd64 arm64',
    'SHA256:',
    ` ${sha256(packages)} ${Buffer.byteLength(packages)} Packages`,
    '',
  ].join('\n');
  const routes: Record<string, Handler> = {
    '/Packages': body(packages, 'text/plain'),
    '/Release': body(release, 'text/plain'),
  };
  for (const d of debs) routes[`/${d.filename}`] = body(d.body);
  // apt asks for the flat repository's files under its directory, `./`, as written.
  return Object.fromEntries(Object.entries(routes).map(([p, h]) => [`/.${p}`, h]));
}

describeEngine('apt lists removed where a later RUN installs from them, on a real engine', () => {
  jest.setTimeout(300_000);
  let repo: LocalServer;
  let work = '';
  const tags = [`hd-apt-orig-${id}`, `hd-apt-fixed-${id}`];

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'harden-apt-'));
    const debs = ['hd-alpha', 'hd-beta'].map((n) => buildDeb(work, n));
    repo = await serve(repository(debs), bridgeGateway());
  });

  afterAll(async () => {
    await repo?.close();
    spawnSync(DOCKER, ['rmi', '-f', ...tags], { stdio: 'ignore' });
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  const lists = (tag: string) =>
    docker([
      'run',
      '--rm',
      '--entrypoint',
      'sh',
      tag,
      '-c',
      'ls /var/lib/apt/lists | grep -v -e "^partial$" -e "^lock$" || true',
    ]).trim();

  it('the later RUN updates for itself; both images serve the files, only the original keeps lists', async () => {
    const original = [
      'FROM debian:bookworm',
      // Only the test's repository: the stand-in's own sources name an archive tests do not reach.
      `RUN rm -rf /etc/apt/sources.list /etc/apt/sources.list.d/* && echo "deb [trusted=yes] ${repo.url}/ ./" > /etc/apt/sources.list`,
      'RUN apt-get update && apt-get install -y hd-alpha',
      '',
      '# the second package, from the same lists',
      'RUN apt-get install -y hd-beta',
      'WORKDIR /srv/hd',
      'CMD ["python3", "-m", "http.server", "8000"]',
      '',
    ].join('\n');
    const fixed = await runCli(['fix', '--offline', '-'], { stdin: original });
    expect(fixed.stderr).toMatch(/:3 fixed apt-clean-lists/);
    expect(fixed.stdout).toContain('RUN apt-get update && apt-get install');
    expect(fixed.stdout).toMatch(
      /# the second package, from the same lists\nRUN apt-get update && apt-get install [^\n]*hd-beta && rm -rf \/var\/lib\/apt\/lists\/\*\n/,
    );
    for (const [tag, text] of [
      [tags[0], original],
      [tags[1], fixed.stdout],
    ]) {
      const dir = fs.mkdtempSync(path.join(work, 'ctx-'));
      fs.writeFileSync(path.join(dir, 'Dockerfile'), text);
      const built = await buildWhileServing(tag, dir);
      expect({ tag, ok: built.ok, log: built.ok ? '' : built.log }).toEqual({ tag, ok: true, log: '' });
    }
    for (const tag of tags) {
      const listing = (await runAndAsk(tag)).body;
      expect(listing).toContain('hd-alpha.txt');
      expect(listing).toContain('hd-beta.txt');
    }
    expect(lists(tags[0])).not.toBe('');
    expect(lists(tags[1])).toBe('');
  });
});
