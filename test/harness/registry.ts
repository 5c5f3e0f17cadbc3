import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

/** Debian's docker-registry, run on 127.0.0.1 for the tests; images are pushed over its HTTP API. */
export const REGISTRY_BIN = process.env.HARDEN_REGISTRY_BIN ?? '/usr/bin/docker-registry';

export function registryAvailable(): boolean {
  const present = fs.existsSync(REGISTRY_BIN);
  if (!present && process.env.CI === 'true') {
    throw new Error(`${REGISTRY_BIN} is missing: .ci/run installs Debian's docker-registry`);
  }
  return present;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface Registry {
  readonly host: string;
  readonly url: string;
  stop(): Promise<void>;
}

export async function startRegistry(): Promise<Registry> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harden-registry-'));
  const port = await freePort();
  const config = path.join(dir, 'config.yml');
  fs.writeFileSync(
    config,
    [
      'version: 0.1',
      'log:',
      '  level: error',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${path.join(dir, 'data')}`,
      '  delete:',
      '    enabled: true',
      'http:',
      `  addr: 127.0.0.1:${port}`,
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(REGISTRY_BIN, ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15000;
  for (;;) {
    try {
      const res = await fetch(`${url}/v2/`);
      if (res.status === 200) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill();
      throw new Error(`docker-registry did not start: ${stderr.slice(0, 500)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    host: `127.0.0.1:${port}`,
    url,
    async stop() {
      child.kill();
      await new Promise((r) => child.once('exit', r));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const sha256 = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

async function pushBlob(url: string, name: string, body: Buffer): Promise<string> {
  const digest = sha256(body);
  const start = await fetch(`${url}/v2/${name}/blobs/uploads/`, { method: 'POST' });
  if (start.status !== 202) throw new Error(`blob upload start: ${start.status}`);
  const location = new URL(start.headers.get('location') as string, url);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, {
    method: 'PUT',
    body,
    headers: { 'content-type': 'application/octet-stream' },
  });
  if (put.status !== 201) throw new Error(`blob upload: ${put.status}`);
  return digest;
}

async function putManifest(
  url: string,
  name: string,
  ref: string,
  type: string,
  body: string,
): Promise<string> {
  const res = await fetch(`${url}/v2/${name}/manifests/${ref}`, {
    method: 'PUT',
    body,
    headers: { 'content-type': type },
  });
  if (res.status !== 201) throw new Error(`manifest ${name}:${ref}: ${res.status} ${await res.text()}`);
  return sha256(body);
}

/** Pushes a small single-platform image; returns its manifest digest. */
export async function pushImage(url: string, name: string, tag: string, arch = 'amd64'): Promise<string> {
  const configBody = Buffer.from(
    JSON.stringify({
      architecture: arch,
      os: 'linux',
      config: { User: '' },
      rootfs: { type: 'layers', diff_ids: [] },
    }),
  );
  const layer = Buffer.from(`layer of ${name}:${tag} ${arch}`);
  const config = await pushBlob(url, name, configBody);
  const layerDigest = await pushBlob(url, name, layer);
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: {
      mediaType: 'application/vnd.docker.container.image.v1+json',
      size: configBody.length,
      digest: config,
    },
    layers: [
      {
        mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
        size: layer.length,
        digest: layerDigest,
      },
    ],
  });
  return putManifest(url, name, tag, 'application/vnd.docker.distribution.manifest.v2+json', manifest);
}

/** Pushes a multi-platform image (an OCI index over amd64 and arm64); returns the index digest. */
export async function pushMultiArch(url: string, name: string, tag: string): Promise<string> {
  const platforms: { architecture: string; digest: string }[] = [];
  for (const arch of ['amd64', 'arm64']) {
    const digest = await pushImage(url, name, `${tag}-${arch}`, arch);
    platforms.push({ architecture: arch, digest });
  }
  const manifests = await Promise.all(
    platforms.map(async (p) => {
      const res = await fetch(`${url}/v2/${name}/manifests/${p.digest}`, {
        headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json' },
      });
      const size = (await res.arrayBuffer()).byteLength;
      return {
        mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
        size,
        digest: p.digest,
        platform: { architecture: p.architecture, os: 'linux' },
      };
    }),
  );
  const index = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests,
  });
  return putManifest(url, name, tag, 'application/vnd.oci.image.index.v1+json', index);
}

/** Gives an existing manifest another tag (the same bytes, so the same digest). */
export async function tagImage(url: string, name: string, from: string, to: string): Promise<string> {
  const accept =
    'application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.v2+json';
  const res = await fetch(`${url}/v2/${name}/manifests/${from}`, { headers: { accept } });
  const type = res.headers.get('content-type') as string;
  return putManifest(url, name, to, type, await res.text());
}

export interface CraftedImage {
  /** The image config blob (`config`, `history`, `created` …). */
  readonly config: Record<string, unknown>;
  /** Layer blobs as the registry stores them (gzip tars, or anything hostile). */
  readonly layers: readonly Buffer[];
  readonly layerMediaType?: string;
}

/** Pushes an image whose config and layer blobs the test wrote by hand; returns its manifest digest. */
export async function pushCrafted(
  url: string,
  name: string,
  tag: string,
  image: CraftedImage,
): Promise<string> {
  const configBody = Buffer.from(JSON.stringify(image.config));
  const config = await pushBlob(url, name, configBody);
  const layers = [];
  for (const layer of image.layers) {
    layers.push({
      mediaType: image.layerMediaType ?? 'application/vnd.oci.image.layer.v1.tar+gzip',
      size: layer.length,
      digest: await pushBlob(url, name, layer),
    });
  }
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: {
      mediaType: 'application/vnd.oci.image.config.v1+json',
      size: configBody.length,
      digest: config,
    },
    layers,
  });
  return putManifest(url, name, tag, 'application/vnd.oci.image.manifest.v1+json', manifest);
}

/** Pushes an OCI index over manifests already in the repository. */
export async function pushIndex(
  url: string,
  name: string,
  tag: string,
  platforms: readonly { digest: string; os: string; architecture: string; variant?: string }[],
): Promise<string> {
  const manifests = await Promise.all(
    platforms.map(async (p) => {
      const res = await fetch(`${url}/v2/${name}/manifests/${p.digest}`, {
        headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
      });
      const size = (await res.arrayBuffer()).byteLength;
      return {
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        size,
        digest: p.digest,
        platform: { os: p.os, architecture: p.architecture, ...(p.variant ? { variant: p.variant } : {}) },
      };
    }),
  );
  const index = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests,
  });
  return putManifest(url, name, tag, 'application/vnd.oci.image.index.v1+json', index);
}
