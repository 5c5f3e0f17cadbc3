import { createHash } from 'node:crypto';
import { parseImageRef } from '../core/image-ref';
import { HttpError } from '../effects/http';
import { MANIFEST_TYPES, type RegistryClient } from '../resolve/registry-client';

/** An OS/architecture pair as image indexes name them. */
export interface Platform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
}

export interface LayerRef {
  readonly digest: string;
  /** Compressed size, as the manifest gives it. */
  readonly size: number;
  readonly mediaType: string;
}

/** The parts of an image config's `config` object that `docker inspect` shows. */
export interface ImageConfig {
  readonly User?: string;
  readonly Env?: readonly string[];
  readonly Entrypoint?: readonly string[] | null;
  readonly Cmd?: readonly string[] | null;
  readonly ExposedPorts?: Readonly<Record<string, unknown>>;
  readonly Volumes?: Readonly<Record<string, unknown>>;
  readonly WorkingDir?: string;
  readonly Labels?: Readonly<Record<string, string>> | null;
  readonly Healthcheck?: { readonly Test?: readonly string[] } | null;
  readonly StopSignal?: string;
  readonly Shell?: readonly string[];
}

export interface HistoryEntry {
  readonly created?: string;
  readonly created_by?: string;
  readonly author?: string;
  readonly comment?: string;
  readonly empty_layer?: boolean;
}

/** What the registry says of one image for one platform: manifest, config and layer list. */
export interface RegistryImage {
  /** The reference as the user wrote it. */
  readonly reference: string;
  readonly registry: string;
  readonly repository: string;
  readonly tag?: string;
  /** Digest of what the reference points to: the index for a multi-platform image. */
  readonly digest: string;
  /** Digest of the platform's manifest (equal to `digest` for a single-platform image). */
  readonly manifestDigest: string;
  readonly platform: Platform;
  /** Every platform the index offers (empty for a single-platform image). */
  readonly platforms: readonly Platform[];
  readonly configDigest: string;
  readonly created?: string;
  readonly author?: string;
  readonly config: ImageConfig;
  readonly history: readonly HistoryEntry[];
  readonly layers: readonly LayerRef[];
}

/** Why an image could not be read: a clear sentence with its place, never a stack trace. */
export class ImageError extends Error {
  constructor(
    readonly reason: 'not-found' | 'unauthorized' | 'unavailable' | 'invalid',
    message: string,
  ) {
    super(message);
  }
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const MAX_CONFIG_BYTES = 8 * 1024 * 1024;
const MAX_LAYERS = 1000;
const INDEX_TYPES = new Set(MANIFEST_TYPES.slice(0, 2));

export function platformName(p: Platform): string {
  return `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`;
}

export function parsePlatform(text: string): Platform {
  const [os, architecture, variant] = text.split('/');
  if (!os || !architecture) throw new ImageError('invalid', `--platform "${text}" is not os/arch[/variant]`);
  return { os, architecture, ...(variant ? { variant } : {}) };
}

const sha256 = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function strings(v: unknown): string[] | undefined {
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : undefined;
}

/** Keeps only well-typed fields of a config: hostile input cannot smuggle other shapes through. */
function cleanConfig(raw: unknown): ImageConfig {
  if (!isObject(raw)) return {};
  const str = (k: string) => (typeof raw[k] === 'string' ? (raw[k] as string) : undefined);
  const record = (k: string) => (isObject(raw[k]) ? (raw[k] as Record<string, unknown>) : undefined);
  const labels = record('Labels');
  const health = record('Healthcheck');
  return {
    User: str('User'),
    Env: strings(raw.Env),
    Entrypoint: strings(raw.Entrypoint) ?? null,
    Cmd: strings(raw.Cmd) ?? null,
    ExposedPorts: record('ExposedPorts'),
    Volumes: record('Volumes'),
    WorkingDir: str('WorkingDir'),
    Labels: labels
      ? Object.fromEntries(
          Object.entries(labels).filter((e): e is [string, string] => typeof e[1] === 'string'),
        )
      : null,
    Healthcheck: health ? { Test: strings(health.Test) } : null,
    StopSignal: str('StopSignal'),
    Shell: strings(raw.Shell),
  };
}

function cleanHistory(raw: unknown): HistoryEntry[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(isObject).map((h) => ({
    ...(typeof h.created === 'string' ? { created: h.created } : {}),
    ...(typeof h.created_by === 'string' ? { created_by: h.created_by } : {}),
    ...(typeof h.author === 'string' ? { author: h.author } : {}),
    ...(typeof h.comment === 'string' ? { comment: h.comment } : {}),
    ...(h.empty_layer === true ? { empty_layer: true } : {}),
  }));
}

/**
 * Reads an image from its registry without pulling it: the manifest (an index is resolved to the
 * wanted platform), then the config blob. Every document is checked against its digest, so a
 * reference pinned by digest gets exactly that image.
 */
export class ImageReader {
  constructor(private readonly client: RegistryClient) {}

  async read(
    reference: string,
    wanted: Platform = { os: 'linux', architecture: 'amd64' },
  ): Promise<RegistryImage> {
    const ref = parseImageRef(reference);
    if (!ref || reference === 'scratch')
      throw new ImageError('invalid', `"${reference}" is not an image reference`);
    const { registry, repository } = ref;
    const what = ref.digest ?? ref.tag ?? 'latest';
    const top = await this.manifest(registry, repository, what);
    if (ref.digest && top.digest !== ref.digest)
      throw new ImageError('invalid', `the registry served ${top.digest} for ${ref.digest}`);
    let manifest = top;
    let platforms: Platform[] = [];
    if (INDEX_TYPES.has(top.type)) {
      const entries = Array.isArray(top.json.manifests) ? top.json.manifests.filter(isObject) : [];
      const described = entries.flatMap((m) => {
        const p = isObject(m.platform) ? m.platform : undefined;
        if (!p || typeof p.os !== 'string' || typeof p.architecture !== 'string') return [];
        if (typeof m.digest !== 'string' || !DIGEST.test(m.digest)) return [];
        const platform: Platform = {
          os: p.os,
          architecture: p.architecture,
          ...(typeof p.variant === 'string' ? { variant: p.variant } : {}),
        };
        return [{ platform, digest: m.digest }];
      });
      // Attestation manifests (unknown/unknown) are not platforms.
      platforms = described.map((d) => d.platform).filter((p) => p.os !== 'unknown');
      const match =
        described.find((d) => platformName(d.platform) === platformName(wanted)) ??
        described.find(
          (d) =>
            d.platform.os === wanted.os &&
            d.platform.architecture === wanted.architecture &&
            (!wanted.variant || d.platform.variant === wanted.variant),
        );
      if (!match)
        throw new ImageError(
          'not-found',
          `${ref.name}@${top.digest} has no ${platformName(wanted)} image (it has ${
            platforms.map(platformName).join(', ') || 'none'
          })`,
        );
      manifest = await this.manifest(registry, repository, match.digest);
      if (manifest.digest !== match.digest)
        throw new ImageError('invalid', `the registry served ${manifest.digest} for ${match.digest}`);
      if (INDEX_TYPES.has(manifest.type)) throw new ImageError('invalid', 'an index inside an index');
    }
    const config = isObject(manifest.json.config) ? manifest.json.config : undefined;
    const configDigest = typeof config?.digest === 'string' ? config.digest : '';
    if (!DIGEST.test(configDigest)) throw new ImageError('invalid', 'the manifest names no config blob');
    const rawLayers = Array.isArray(manifest.json.layers) ? manifest.json.layers.filter(isObject) : [];
    if (rawLayers.length > MAX_LAYERS)
      throw new ImageError(
        'invalid',
        `the manifest lists ${rawLayers.length} layers (at most ${MAX_LAYERS} read)`,
      );
    const layers: LayerRef[] = rawLayers.map((l, i) => {
      if (typeof l.digest !== 'string' || !DIGEST.test(l.digest))
        throw new ImageError('invalid', `layer[${i}] has no valid digest`);
      const size = typeof l.size === 'number' && Number.isSafeInteger(l.size) && l.size >= 0 ? l.size : 0;
      return { digest: l.digest, size, mediaType: typeof l.mediaType === 'string' ? l.mediaType : '' };
    });
    const blob = await this.blob(registry, repository, configDigest, MAX_CONFIG_BYTES);
    let parsed: unknown;
    try {
      parsed = JSON.parse(blob.toString('utf8'));
    } catch {
      throw new ImageError('invalid', `config blob ${configDigest} is not JSON`);
    }
    if (!isObject(parsed)) throw new ImageError('invalid', `config blob ${configDigest} is not an object`);
    const platform: Platform = {
      os: typeof parsed.os === 'string' ? parsed.os : wanted.os,
      architecture: typeof parsed.architecture === 'string' ? parsed.architecture : wanted.architecture,
      ...(typeof parsed.variant === 'string' ? { variant: parsed.variant } : {}),
    };
    return {
      reference,
      registry,
      repository,
      ...(ref.tag ? { tag: ref.tag } : {}),
      digest: top.digest,
      manifestDigest: manifest.digest,
      platform,
      platforms,
      configDigest,
      ...(typeof parsed.created === 'string' ? { created: parsed.created } : {}),
      ...(typeof parsed.author === 'string' ? { author: parsed.author } : {}),
      config: cleanConfig(parsed.config),
      history: cleanHistory(parsed.history),
      layers,
    };
  }

  /** A blob's URL, for streaming a layer. */
  blobUrl(registry: string, repository: string, digest: string): string {
    if (!DIGEST.test(digest)) throw new ImageError('invalid', `"${digest}" is not a sha256 digest`);
    return `${this.client.base(registry)}/v2/${repository}/blobs/${digest}`;
  }

  private async manifest(
    registry: string,
    repository: string,
    reference: string,
  ): Promise<{ digest: string; type: string; json: Record<string, unknown> }> {
    const url = `${this.client.base(registry)}/v2/${repository}/manifests/${encodeURIComponent(reference)}`;
    const res = await this.guard(() => this.client.get(registry, repository, url, MANIFEST_TYPES.join(', ')));
    const what = `${registry}/${repository}:${reference}`;
    this.status(res.status, `manifest of ${what}`);
    if (res.body.length > MAX_MANIFEST_BYTES)
      throw new ImageError('invalid', `manifest of ${what} is too large`);
    let json: unknown;
    try {
      json = JSON.parse(res.body.toString('utf8'));
    } catch {
      throw new ImageError('invalid', `manifest of ${what} is not JSON`);
    }
    if (!isObject(json)) throw new ImageError('invalid', `manifest of ${what} is not an object`);
    const header = (res.headers['content-type'] ?? '').split(';')[0].trim();
    const type = MANIFEST_TYPES.includes(header)
      ? header
      : typeof json.mediaType === 'string'
        ? json.mediaType
        : Array.isArray(json.manifests)
          ? MANIFEST_TYPES[0]
          : MANIFEST_TYPES[2];
    return { digest: sha256(res.body), type, json };
  }

  private async blob(registry: string, repository: string, digest: string, max: number): Promise<Buffer> {
    const url = this.blobUrl(registry, repository, digest);
    const res = await this.guard(() => this.client.get(registry, repository, url, '*/*'));
    this.status(res.status, `blob ${digest}`);
    if (res.body.length > max) throw new ImageError('invalid', `blob ${digest} is larger than ${max} bytes`);
    if (sha256(res.body) !== digest)
      throw new ImageError('invalid', `blob ${digest} does not match its digest`);
    return res.body;
  }

  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof HttpError)
        throw new ImageError(err.reason === 'unauthorized' ? 'unauthorized' : 'unavailable', err.message);
      throw err;
    }
  }

  private status(status: number, what: string): void {
    if (status === 200) return;
    if (status === 404) throw new ImageError('not-found', `${what}: not found`);
    if (status === 401 || status === 403)
      throw new ImageError('unauthorized', `${what}: access denied (${status})`);
    throw new ImageError('unavailable', `${what}: status ${status}`);
  }
}
