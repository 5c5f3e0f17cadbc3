/**
 * Loopback servers that answer every look-up a fix of the corpus makes, in the real formats:
 * OCI tag lists and manifests, Debian/Ubuntu Packages.gz, Alpine APKINDEX.tar.gz, PEP 691 JSON.
 * Versions are synthetic; the point is to count requests and time the resolve path.
 */
import { createHash } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { apkIndexArchive } from '../harness/index-servers';

export interface CorpusServer {
  readonly url: string;
  readonly env: Record<string, string>;
  /** Requests per URL. */
  readonly hits: Map<string, number>;
  close(): Promise<void>;
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

function moreSpecific(tag: string): string[] {
  const m = /^v?(\d+(?:\.\d+)*)(.*)$/.exec(tag);
  if (!m) return [];
  const parts = m[1].split('.');
  const out: string[] = [];
  for (let n = parts.length; n < 3; n++) parts.push('1');
  out.push(`${parts.join('.')}${m[2]}`);
  return out;
}

export async function startCorpusServer(opts: {
  images: Map<string, Set<string>>;
  aptNames: Set<string>;
  apkNames: Set<string>;
  /** Added before every reply, to stand for a network's round trip. */
  latencyMs?: number;
}): Promise<CorpusServer> {
  const packages = [...opts.aptNames]
    .map((n) => `Package: ${n}\nVersion: 1.0-1\nArchitecture: amd64\n`)
    .join('\n');
  const packagesGz = gzipSync(packages);
  const apk = await apkIndexArchive(
    [...opts.apkNames].map((n) => `P:${n}\nV:1.0.0-r0\nA:x86_64\n`).join('\n'),
  );
  const hits = new Map<string, number>();
  const server = http.createServer((req, res) => {
    if (opts.latencyMs) setTimeout(() => answer(req, res), opts.latencyMs);
    else answer(req, res);
  });
  function answer(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = req.url ?? '/';
    hits.set(`${req.method} ${url}`, (hits.get(`${req.method} ${url}`) ?? 0) + 1);
    const path = url.split('?')[0];
    let m: RegExpExecArray | null;
    if ((m = /^\/v2\/(.+)\/tags\/list$/.exec(path))) {
      const known = opts.images.get(m[1]) ?? new Set<string>();
      const tags = new Set(['1.0.0', '1.2.3', 'latest', ...known, ...[...known].flatMap(moreSpecific)]);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ name: m[1], tags: [...tags] }));
    } else if ((m = /^\/v2\/(.+)\/manifests\/(.+)$/.exec(path))) {
      res.setHeader('content-type', 'application/vnd.oci.image.index.v1+json');
      res.setHeader('docker-content-digest', `sha256:${sha(`${m[1]}:${m[2]}`)}`);
      res.end(req.method === 'HEAD' ? undefined : '{}');
    } else if (/^\/(debian|ubuntu)\/dists\/[a-z]+\/(main|universe)\/binary-amd64\/Packages\.gz$/.test(path)) {
      res.end(packagesGz);
    } else if (/^\/alpine\/v[\d.]+\/main\/x86_64\/APKINDEX\.tar\.gz$/.test(path)) {
      res.end(apk);
    } else if ((m = /^\/simple\/([^/]+)\/$/.exec(path))) {
      res.setHeader('content-type', 'application/vnd.pypi.simple.v1+json');
      const files = ['1.0.0', '2.0.0'].map((v) => ({
        filename: `${m![1].replace(/-/g, '_')}-${v}-py3-none-any.whl`,
        url: `/files/${v}`,
        hashes: { sha256: sha(m![1] + v) },
        'requires-python': '>=3.6',
      }));
      res.end(
        JSON.stringify({ meta: { 'api-version': '1.1' }, name: m[1], files, versions: ['1.0.0', '2.0.0'] }),
      );
    } else {
      res.statusCode = 404;
      res.end();
    }
  }
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const registries = [
    'ghcr.io',
    'gcr.io',
    'quay.io',
    'mcr.microsoft.com',
    'public.ecr.aws',
    'registry.gitlab.com',
    'nvcr.io',
    'cgr.dev',
    'registry.access.redhat.com',
    'registry.k8s.io',
    'docker.elastic.co',
    'registry.fedoraproject.org',
    'quay.io',
  ];
  return {
    url,
    hits,
    env: {
      HARDEN_REGISTRY_MIRROR: url,
      HARDEN_REGISTRY_ENDPOINTS: registries.map((r) => `${r}=${url}`).join(','),
      HARDEN_DEBIAN_MIRROR: `${url}/debian`,
      HARDEN_DEBIAN_SECURITY_MIRROR: `${url}/debian`,
      HARDEN_UBUNTU_MIRROR: `${url}/ubuntu`,
      HARDEN_ALPINE_MIRROR: `${url}/alpine`,
      PIP_INDEX_URL: `${url}/simple`,
      HARDEN_APT_SOURCES: 'none',
      HARDEN_LOOPBACK_ONLY: '1',
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}
