import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import { body, serve, type Handler, type LocalServer } from './http-server';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/indexes');
const fixtureDir = fs.existsSync(FIXTURES) ? FIXTURES : path.resolve(__dirname, '../fixtures/indexes');

export function fixture(name: string): string {
  return fs.readFileSync(path.join(fixtureDir, name), 'utf8');
}

async function tarOf(files: Record<string, string>): Promise<Buffer> {
  const p = pack();
  for (const [name, content] of Object.entries(files)) p.entry({ name }, content);
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const c of p) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** An APKINDEX.tar.gz as Alpine serves it: a gzip stream with the signature, then one with the index. */
export async function apkIndexArchive(index: string): Promise<Buffer> {
  const signature = gzipSync(
    await tarOf({ '.SIGN.RSA.alpine-devel@lists.alpinelinux.org-6165ee59.rsa.pub': 'signature' }),
  );
  const content = gzipSync(await tarOf({ DESCRIPTION: 'v3.19.1', APKINDEX: index }));
  return Buffer.concat([signature, content]);
}

export interface IndexServers {
  readonly server: LocalServer;
  readonly env: Record<string, string>;
}

/** Debian, Alpine and package-index fixtures on one loopback server; `extra` adds or replaces routes. */
export async function startIndexServers(extra: Record<string, Handler> = {}): Promise<IndexServers> {
  const deb = (f: string) => body(gzipSync(fixture(f)), 'application/x-gzip');
  const routes: Record<string, Handler> = {
    '/debian/dists/bookworm/main/binary-arm64/Packages.gz': body(
      gzipSync('Package: curl\nVersion: 7.88.1-10+deb12u7\nArchitecture: arm64\n'),
      'application/x-gzip',
    ),
    '/debian/dists/bookworm/main/binary-amd64/Packages.gz': deb('debian-bookworm-main-amd64.Packages'),
    '/debian/dists/bookworm-updates/main/binary-amd64/Packages.gz': deb(
      'debian-bookworm-updates-main-amd64.Packages',
    ),
    '/debian-security/dists/bookworm-security/main/binary-amd64/Packages.gz': deb(
      'debian-bookworm-security-main-amd64.Packages',
    ),
    '/alpine/v3.19/main/x86_64/APKINDEX.tar.gz': body(
      await apkIndexArchive(fixture('alpine-v3.19-main-x86_64.APKINDEX')),
    ),
    '/alpine/v3.19/community/x86_64/APKINDEX.tar.gz': body(
      await apkIndexArchive(fixture('alpine-v3.19-community-x86_64.APKINDEX')),
    ),
    '/simple/flask/': body(fixture('pypi-flask.json'), 'application/vnd.pypi.simple.v1+json'),
    '/simple/gunicorn/': body(fixture('pypi-gunicorn.html'), 'text/html'),
    ...extra,
  };
  const server = await serve(routes);
  return {
    server,
    env: {
      HARDEN_DEBIAN_MIRROR: `${server.url}/debian`,
      HARDEN_DEBIAN_SECURITY_MIRROR: `${server.url}/debian-security`,
      HARDEN_ALPINE_MIRROR: `${server.url}/alpine`,
      PIP_INDEX_URL: `${server.url}/simple`,
    },
  };
}
