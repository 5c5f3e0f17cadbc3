import type { Cache } from '../effects/cache';
import { HttpError } from '../effects/http';
import type { RegistryClient } from '../resolve/registry-client';
import { once } from '../resolve/memo';
import type { Backend } from '../resolve/resolver';
import type { ResolveRequest, Result } from '../resolve/types';
import { imageStartupPaths } from '../core/startup';
import { imageFacts, isFactFile, type ImageFacts } from './facts';
import type { ImageReader } from './reader';

/** Facts of one digest never change: they are kept for a month. */
const FACTS_TTL_MS = 30 * 24 * 3_600_000;
/** Bytes read to learn an image's facts, at most (the base layers of a typical image are far less). */
const FACTS_MAX_BYTES = 1024 * 1024 * 1024;

/**
 * `ImageFacts` per image, read from the registry once per run and kept on disk by digest: the
 * config, then the few small files of the layers (os-release, passwd, group) and which tools exist.
 */
export class ImageFactsSource {
  private readonly pending = new Map<string, Promise<Result<ImageFacts>>>();
  private reader?: ImageReader;

  constructor(
    private readonly client: RegistryClient,
    private readonly cache: Cache | undefined,
    private readonly now: () => number,
  ) {}

  /** Facts of `registry/repository:tag` (or `@digest`) for one architecture. */
  factsOf(
    registry: string,
    repository: string,
    reference: string,
    arch: string,
  ): Promise<Result<ImageFacts>> {
    const key = `${registry}/${repository}${reference.startsWith('sha256:') ? '@' : ':'}${reference} ${arch}`;
    return once(this.pending, key, () => this.read(registry, repository, reference, arch));
  }

  private async read(
    registry: string,
    repository: string,
    reference: string,
    arch: string,
  ): Promise<Result<ImageFacts>> {
    const text = `${registry}/${repository}${reference.startsWith('sha256:') ? '@' : ':'}${reference}`;
    // The image reader (and the hashing and gzip it needs) loads with the first image asked about.
    const [{ ImageError, ImageReader }, { readLayers }, { analyseLayers }] = await Promise.all([
      import('./reader'),
      import('./read-layers'),
      import('./layer-analysis'),
    ]);
    const reader = (this.reader ??= new ImageReader(this.client));
    try {
      const image = await reader.read(text, { os: 'linux', architecture: arch || 'amd64' });
      const cached = this.cache?.get('image-facts-by-digest-2', image.manifestDigest);
      if (cached && this.now() - cached.storedAt < FACTS_TTL_MS) {
        try {
          return {
            ok: true,
            value: JSON.parse(cached.value) as ImageFacts,
            source: `facts of ${text} (cached)`,
          };
        } catch {
          // a damaged entry: read the image again
        }
      }
      const startup = new Set(
        imageStartupPaths(image.config.Entrypoint ?? undefined, image.config.Cmd ?? undefined),
      );
      const scans = await readLayers(this.client, reader, image, {
        maxImageBytes: FACTS_MAX_BYTES,
        // The scripts and server configs the image's own start-up names, for whether it steps down.
        wantContent: (p) => isFactFile(p) || startup.has(p),
        markers: false,
      });
      const unread = scans.find((s) => s.incomplete);
      if (unread)
        return {
          ok: false,
          reason: 'unavailable',
          detail: `layer[${unread.index}] of ${text}: ${unread.incomplete}`,
        };
      const facts = imageFacts(image.manifestDigest, image.config, analyseLayers(scans).visible);
      this.cache?.set('image-facts-by-digest-2', image.manifestDigest, JSON.stringify(facts), this.now());
      return { ok: true, value: facts, source: `the layers of ${text}` };
    } catch (err) {
      if (err instanceof ImageError)
        return {
          ok: false,
          // Documents that are not what they claim stay so: a stable answer, like not found.
          reason: err.reason === 'invalid' ? 'not-found' : err.reason,
          detail: err.message,
        };
      if (err instanceof HttpError) return { ok: false, reason: err.reason, detail: err.message };
      throw err;
    }
  }

  /** Answers `image-facts` look-ups: the facts as JSON. */
  backend(ttlMs: number): Backend {
    return {
      kind: 'image-facts',
      ttlMs,
      lookup: async (req: ResolveRequest) => {
        const { registry, repository, reference, arch } = req.params;
        const found = await this.factsOf(registry, repository, reference, arch);
        return found.ok ? { ok: true, value: JSON.stringify(found.value), source: found.source } : found;
      },
    };
  }
}
