import { createHash } from 'node:crypto';
import { HttpError, redactUrl, type HttpClient, type HttpResponse } from '../effects/http';
import { once } from './memo';
import type { Backend } from './resolver';
import { chooseTag } from './tag-choice';
import type { ResolveRequest, Result } from './types';

export const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];

export interface RegistrySettings {
  /** Base URL that answers for Docker Hub (`docker.io`): its registry, or a mirror like dockerd's registry-mirrors. */
  readonly dockerHub: string;
  /** Base URLs for other registries, by registry name. */
  readonly endpoints: Readonly<Record<string, string>>;
  /** `auth` value (base64 user:password) for a registry, as Docker's config and helpers give it. */
  readonly credentials: (registry: string) => Promise<string | undefined> | string | undefined;
}

const MAX_TAG_PAGES = 50;
const MAX_RELEASE_CANDIDATES = 8;
/** Release names in tags, per distro: Debian and Ubuntu codenames, Alpine `alpine3.19` or `3.19`. */
const RELEASE_TOKENS: Record<string, RegExp> = {
  debian: /\b(buster|bullseye|bookworm|trixie|forky)\b/,
  ubuntu: /\b(focal|jammy|noble|oracular|plucky)\b/,
  alpine: /alpine\d+\.\d+|^\d+\.\d+$/,
};
/** Moving names that stand for a release: `latest`, `stable`, `stable-slim` … */
const ALIASES = /\b(latest|stable|rolling|lts)\b/;

/** Docker treats these as plain-HTTP registries; so do we. */
export function isLoopbackRegistry(registry: string): boolean {
  const host = registry.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return host === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1';
}

function fail(reason: 'not-found' | 'unauthorized' | 'unavailable', detail: string): Result<string> {
  return { ok: false, reason, detail };
}

function bearerChallenge(header: string | undefined): Record<string, string> | undefined {
  if (!header || !/^bearer\s/i.test(header)) return undefined;
  const params: Record<string, string> = {};
  for (const m of header.slice(7).matchAll(/(\w+)="([^"]*)"/g)) params[m[1].toLowerCase()] = m[2];
  return params.realm ? params : undefined;
}

/** Tags and digests from registries that speak the OCI distribution API. */
export class OciRegistryBackend {
  private readonly tokens = new Map<string, string>();
  /** One tag listing per repository per run, whatever tag each look-up starts from. */
  private readonly tagLists = new Map<string, Promise<string[] | Result<string>>>();
  private readonly releases = new Map<string, Promise<Result<string>>>();
  /** One manifest look-up per image per run, shared by digest pins and release detection. */
  private readonly digests = new Map<string, Promise<Result<string>>>();

  constructor(
    private readonly http: HttpClient,
    private readonly settings: RegistrySettings,
  ) {}

  tagsBackend(ttlMs: number): Backend {
    return { kind: 'oci-tags', ttlMs, lookup: (r) => this.chooseTag(r) };
  }

  digestBackend(ttlMs: number): Backend {
    return { kind: 'oci-digest', ttlMs, lookup: (r) => this.digest(r) };
  }

  base(registry: string): string {
    const configured = this.settings.endpoints[registry];
    if (configured) return configured.replace(/\/+$/, '');
    if (registry === 'docker.io') return this.settings.dockerHub.replace(/\/+$/, '');
    return `${isLoopbackRegistry(registry) ? 'http' : 'https'}://${registry}`;
  }

  private async get(
    registry: string,
    repository: string,
    url: string,
    accept: string,
    method: 'GET' | 'HEAD' = 'GET',
  ): Promise<HttpResponse> {
    const scope = `repository:${repository}:pull`;
    const tokenKey = `${registry} ${scope}`;
    const headers: Record<string, string> = { accept };
    const token = this.tokens.get(tokenKey);
    if (token) headers.authorization = token;
    let res = await this.http.request({ url, method, headers });
    if (res.status !== 401) return res;
    const challenge = bearerChallenge(res.headers['www-authenticate']);
    const basic = await this.settings.credentials(registry);
    if (challenge) {
      const tokenUrl = new URL(challenge.realm);
      if (challenge.service) tokenUrl.searchParams.set('service', challenge.service);
      tokenUrl.searchParams.set('scope', scope);
      const tokenRes = await this.http.request({
        url: tokenUrl.toString(),
        headers: basic ? { authorization: `Basic ${basic}` } : {},
      });
      if (tokenRes.status !== 200)
        throw new HttpError('unauthorized', `token request refused (${tokenRes.status})`);
      let parsed: { token?: string; access_token?: string };
      try {
        parsed = JSON.parse(tokenRes.body.toString('utf8'));
      } catch {
        throw new HttpError('unavailable', 'malformed token reply');
      }
      const value = parsed.token ?? parsed.access_token;
      if (typeof value !== 'string' || value === '')
        throw new HttpError('unauthorized', 'no token in the reply');
      this.tokens.set(tokenKey, `Bearer ${value}`);
    } else if (basic) {
      this.tokens.set(tokenKey, `Basic ${basic}`);
    } else {
      return res;
    }
    res = await this.http.request({
      url,
      method,
      headers: { accept, authorization: this.tokens.get(tokenKey) as string },
    });
    return res;
  }

  private async guard(fn: () => Promise<Result<string>>): Promise<Result<string>> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof HttpError) return { ok: false, reason: err.reason, detail: err.message };
      throw err;
    }
  }

  private status(res: HttpResponse, what: string): Result<string> | undefined {
    if (res.status === 404) return fail('not-found', `${what} not found`);
    if (res.status === 401 || res.status === 403)
      return fail('unauthorized', `${what}: access denied (${res.status})`);
    if (res.status !== 200) return fail('unavailable', `${what}: status ${res.status}`);
    return undefined;
  }

  async listTags(registry: string, repository: string): Promise<string[] | Result<string>> {
    const base = this.base(registry);
    const tags: string[] = [];
    let url: string | undefined = `${base}/v2/${repository}/tags/list?n=1000`;
    for (let page = 0; url && page < MAX_TAG_PAGES; page++) {
      const res = await this.get(registry, repository, url, 'application/json');
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
    const token = RELEASE_TOKENS[distro];
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
      const base = this.base(registry);
      const url = `${base}/v2/${repository}/manifests/${encodeURIComponent(tag)}`;
      const accept = MANIFEST_TYPES.join(', ');
      let res = await this.get(registry, repository, url, accept, 'HEAD');
      const what = `${registry}/${repository}:${tag}`;
      let digest = res.status === 200 ? res.headers['docker-content-digest'] : undefined;
      if (!digest || !/^sha256:[a-f0-9]{64}$/.test(digest)) {
        res = await this.get(registry, repository, url, accept);
        const bad = this.status(res, what);
        if (bad) return bad;
        const type = (res.headers['content-type'] ?? '').split(';')[0].trim();
        if (!MANIFEST_TYPES.includes(type))
          return fail('unavailable', `unexpected media type "${type}" for ${what}`);
        const header = res.headers['docker-content-digest'];
        digest = `sha256:${createHash('sha256').update(res.body).digest('hex')}`;
        if (header && header !== digest)
          return fail('unavailable', `digest header does not match the manifest of ${what}`);
      }
      return { ok: true, value: digest, source: `manifest of ${what}` };
    });
  }
}
