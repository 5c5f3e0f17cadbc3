import { codenameAlternation } from '../core/os-releases';
import { HttpError, redactUrl, type HttpClient } from '../effects/http';
import { MANIFEST_TYPES, RegistryClient, type RegistrySettings } from './registry-client';

export { isLoopbackRegistry, MANIFEST_TYPES, type RegistrySettings } from './registry-client';
import { once } from './memo';
import type { Backend } from './resolver';
import { chooseTag } from './tag-choice';
import type { ResolveRequest, Result } from './types';

const MAX_TAG_PAGES = 50;
const MAX_RELEASE_CANDIDATES = 8;
/** Release names in tags, per distro: Debian and Ubuntu codenames, Alpine `alpine3.19` or `3.19`. */
const RELEASE_TOKENS: Record<string, RegExp> = {
  debian: new RegExp(`\\b(${codenameAlternation('debian')})\\b`),
  ubuntu: new RegExp(`\\b(${codenameAlternation('ubuntu')})\\b`),
  alpine: /alpine\d+\.\d+|^\d+\.\d+$/,
};
const ALPINE_SUFFIX = /alpine\d+\.\d+/;
/** Moving names that stand for a release: `latest`, `stable`, `stable-slim` … */
const ALIASES = /\b(latest|stable|rolling|lts)\b/;

function fail(reason: 'not-found' | 'unauthorized' | 'unavailable', detail: string): Result<string> {
  return { ok: false, reason, detail };
}

/** Tags and digests from registries that speak the OCI distribution API. */
export class OciRegistryBackend {
  /** One tag listing per repository per run, whatever tag each look-up starts from. */
  private readonly tagLists = new Map<string, Promise<string[] | Result<string>>>();
  private readonly releases = new Map<string, Promise<Result<string>>>();
  /** One manifest look-up per image per run, shared by digest pins and release detection. */
  private readonly digests = new Map<string, Promise<Result<string>>>();

  private readonly client: RegistryClient;

  constructor(http: HttpClient, settings: RegistrySettings) {
    this.client = new RegistryClient(http, settings);
  }

  /** The authenticated registry client, shared with the image reader. */
  get registry(): RegistryClient {
    return this.client;
  }

  tagsBackend(ttlMs: number): Backend {
    return { kind: 'oci-tags', ttlMs, lookup: (r) => this.chooseTag(r) };
  }

  digestBackend(ttlMs: number): Backend {
    return { kind: 'oci-digest', ttlMs, lookup: (r) => this.digest(r) };
  }

  private async guard(fn: () => Promise<Result<string>>): Promise<Result<string>> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof HttpError) return { ok: false, reason: err.reason, detail: err.message };
      throw err;
    }
  }

  private status(res: { readonly status: number }, what: string): Result<string> | undefined {
    if (res.status === 404) return fail('not-found', `${what} not found`);
    if (res.status === 401 || res.status === 403)
      return fail('unauthorized', `${what}: access denied (${res.status})`);
    if (res.status !== 200) return fail('unavailable', `${what}: status ${res.status}`);
    return undefined;
  }

  async listTags(registry: string, repository: string): Promise<string[] | Result<string>> {
    const base = this.client.base(registry);
    const tags: string[] = [];
    let url: string | undefined = `${base}/v2/${repository}/tags/list?n=1000`;
    for (let page = 0; url && page < MAX_TAG_PAGES; page++) {
      const res = await this.client.get(registry, repository, url, 'application/json');
      const bad = this.status(res, `tags of ${registry}/${repository}`);
      if (bad) return bad;
      let body: { tags?: unknown };
      try {
        body = JSON.parse(res.body.toString('utf8'));
      } catch {
        return fail('unavailable', `malformed tag list from ${redactUrl(url)}`);
      }
      if (body.tags !== null && body.tags !== undefined && !Array.isArray(body.tags)) {
        return fail('unavailable', 'malformed tag list');
      }
      for (const t of (body.tags as unknown[] | null) ?? []) if (typeof t === 'string') tags.push(t);
      const next = /<([^>]+)>\s*;\s*rel="?next"?/.exec(res.headers.link ?? '');
      url = next ? new URL(next[1], base).toString() : undefined;
    }
    return tags;
  }

  private tagList(registry: string, repository: string): Promise<string[] | Result<string>> {
    return once(this.tagLists, `${registry}/${repository}`, () => this.listTags(registry, repository));
  }

  /**
   * The distro release of an image whose tag does not name it: the codename-suffixed tag
   * (`3.12-slim-bookworm`, `20-bookworm-slim`, `3.12-alpine3.20`, `bookworm` for `debian:latest`)
   * that serves the same digest. `debian:bookworm`, `alpine:3.20`.
   */
  releaseOf(registry: string, repository: string, tag: string, distro: string): Promise<Result<string>> {
    const key = `${registry}/${repository}:${tag}:${distro}`;
    return once(this.releases, key, () =>
      this.guard(() => this.findRelease(registry, repository, tag, distro)),
    );
  }

  private async findRelease(
    registry: string,
    repository: string,
    tag: string,
    distro: string,
  ): Promise<Result<string>> {
    const tags = await this.tagList(registry, repository);
    if (!Array.isArray(tags)) return tags;
    // A bare `3.20` names an Alpine branch only in the alpine image's own tags (n8n's `1.5` does not).
    const token =
      distro === 'alpine' && repository !== 'library/alpine' ? ALPINE_SUFFIX : RELEASE_TOKENS[distro];
    if (!token) return fail('not-found', `no release names known for ${distro}`);
    const plain = (t: string) =>
      t
        .replace(ALIASES, '')
        .replace(token, (m) => (m.startsWith('alpine') ? 'alpine' : ''))
        .replace(/--+/g, '-')
        .replace(/^-|-$/g, '');
    const wanted = plain(tag);
    const candidates = tags
      .filter((t) => t !== tag && token.test(t) && plain(t) === wanted)
      .slice(0, MAX_RELEASE_CANDIDATES);
    if (candidates.length === 0)
      return fail('not-found', `no release-named tag of ${registry}/${repository} matches ${tag}`);
    const digestOf = (t: string) =>
      this.digest({ kind: 'oci-digest', key: '', params: { registry, repository, tag: t } });
    const own = await digestOf(tag);
    if (!own.ok) return own;
    for (const candidate of candidates) {
      const other = await digestOf(candidate);
      if (!other.ok || other.value !== own.value) continue;
      const m = (candidate.match(token) ?? [])[0] ?? '';
      const release = m.replace(/^alpine/, '');
      return { ok: true, value: `${distro}:${release}`, source: `tag ${candidate} has the same digest` };
    }
    return fail('not-found', `no release-named tag of ${registry}/${repository} serves the digest of ${tag}`);
  }

  private chooseTag(req: ResolveRequest): Promise<Result<string>> {
    return this.guard(async () => {
      const { registry, repository, tag } = req.params;
      const tags = await this.tagList(registry, repository);
      if (!Array.isArray(tags)) return tags;
      const chosen = chooseTag(tag, tags);
      if (!chosen)
        return fail(
          'not-found',
          `no more specific version tag than "${tag || 'latest'}" among ${tags.length} tags`,
        );
      return { ok: true, value: chosen, source: `tag list of ${registry}/${repository}` };
    });
  }

  private digest(req: ResolveRequest): Promise<Result<string>> {
    const { registry, repository, tag } = req.params;
    return once(this.digests, `${registry}/${repository}:${tag}`, () => this.fetchDigest(req));
  }

  private fetchDigest(req: ResolveRequest): Promise<Result<string>> {
    return this.guard(async () => {
      const { registry, repository, tag } = req.params;
      const base = this.client.base(registry);
      const url = `${base}/v2/${repository}/manifests/${encodeURIComponent(tag)}`;
      const accept = MANIFEST_TYPES.join(', ');
      let res = await this.client.get(registry, repository, url, accept, 'HEAD');
      const what = `${registry}/${repository}:${tag}`;
      let digest = res.status === 200 ? res.headers['docker-content-digest'] : undefined;
      if (!digest || !/^sha256:[a-f0-9]{64}$/.test(digest)) {
        res = await this.client.get(registry, repository, url, accept);
        const bad = this.status(res, what);
        if (bad) return bad;
        const type = (res.headers['content-type'] ?? '').split(';')[0].trim();
        if (!MANIFEST_TYPES.includes(type))
          return fail('unavailable', `unexpected media type "${type}" for ${what}`);
        const header = res.headers['docker-content-digest'];
        // crypto is loaded when a registry first answers without a digest header.
        const { createHash } = await import('node:crypto');
        digest = `sha256:${createHash('sha256').update(res.body).digest('hex')}`;
        if (header && header !== digest)
          return fail('unavailable', `digest header does not match the manifest of ${what}`);
      }
      return { ok: true, value: digest, source: `manifest of ${what}` };
    });
  }
}
