import { HttpError, type HttpClient, type HttpResponse, type HttpStreamResponse } from '../effects/http';

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

/** Docker treats these as plain-HTTP registries; so do we. */
export function isLoopbackRegistry(registry: string): boolean {
  const host = registry.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return host === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1';
}

function bearerChallenge(header: string | undefined): Record<string, string> | undefined {
  if (!header || !/^bearer\s/i.test(header)) return undefined;
  const params: Record<string, string> = {};
  for (const m of header.slice(7).matchAll(/(\w+)="([^"]*)"/g)) params[m[1].toLowerCase()] = m[2];
  return params.realm ? params : undefined;
}

/**
 * Speaks to OCI registries the way Docker does: the endpoint for a registry name, anonymous or
 * credentialed bearer tokens from the registry's challenge (one per repository scope per run), or
 * Basic credentials. Tokens live in memory only and never reach a message.
 */
export class RegistryClient {
  private readonly tokens = new Map<string, string>();
  /** Manifests fetched in this run: pins and the image reader ask for the same ones. */
  private readonly manifests = new Map<string, Promise<HttpResponse>>();

  constructor(
    private readonly http: HttpClient,
    private readonly settings: RegistrySettings,
  ) {}

  /** Base URL for a registry name: configured, Docker Hub's, or the name itself (http for loopback). */
  base(registry: string): string {
    const configured = this.settings.endpoints[registry];
    if (configured) return configured.replace(/\/+$/, '');
    if (registry === 'docker.io') return this.settings.dockerHub.replace(/\/+$/, '');
    return `${isLoopbackRegistry(registry) ? 'http' : 'https'}://${registry}`;
  }

  get(
    registry: string,
    repository: string,
    url: string,
    accept: string,
    method: 'GET' | 'HEAD' = 'GET',
  ): Promise<HttpResponse> {
    if (method !== 'GET' || !url.includes('/manifests/'))
      return this.fetch(registry, repository, url, accept, method);
    const key = `${url}\n${accept}`;
    let pending = this.manifests.get(key);
    if (!pending) {
      pending = this.fetch(registry, repository, url, accept, method);
      this.manifests.set(key, pending);
      // A failure may pass: only answers are kept.
      pending.catch(() => this.manifests.delete(key));
    }
    return pending;
  }

  private async fetch(
    registry: string,
    repository: string,
    url: string,
    accept: string,
    method: 'GET' | 'HEAD',
  ): Promise<HttpResponse> {
    const headers: Record<string, string> = { accept };
    const token = this.tokens.get(this.scopeKey(registry, repository));
    if (token) headers.authorization = token;
    const res = await this.http.request({ url, method, headers });
    if (res.status !== 401) return res;
    const auth = await this.authenticate(registry, repository, res.headers['www-authenticate']);
    if (!auth) return res;
    return this.http.request({ url, method, headers: { accept, authorization: auth } });
  }

  /** A blob (a layer) streamed to `consume`, with the same authentication as `get`. */
  async stream<T>(
    registry: string,
    repository: string,
    url: string,
    consume: (res: HttpStreamResponse) => Promise<T>,
  ): Promise<T> {
    const stream = this.http.stream?.bind(this.http);
    if (!stream) throw new HttpError('unavailable', 'this HTTP client cannot stream');
    const headers = (): Record<string, string> => {
      const token = this.tokens.get(this.scopeKey(registry, repository));
      return token ? { authorization: token } : {};
    };
    let challenge: string | undefined;
    let unauthorized = false;
    const first = await stream(
      { url, headers: headers() },
      async (res): Promise<{ value: T } | undefined> => {
        if (res.status !== 401) return { value: await consume(res) };
        unauthorized = true;
        challenge = res.headers['www-authenticate'];
        return undefined;
      },
    );
    if (first && !unauthorized) return first.value;
    const auth = await this.authenticate(registry, repository, challenge);
    if (!auth) throw new HttpError('unauthorized', 'access denied (401)');
    return stream({ url, headers: headers() }, consume);
  }

  private scopeKey(registry: string, repository: string): string {
    return `${registry} repository:${repository}:pull`;
  }

  /** Gets a token (or Basic credentials) for the challenge; undefined when there is nothing to try. */
  private async authenticate(
    registry: string,
    repository: string,
    header: string | undefined,
  ): Promise<string | undefined> {
    const key = this.scopeKey(registry, repository);
    const challenge = bearerChallenge(header);
    const basic = await this.settings.credentials(registry);
    if (challenge) {
      const tokenUrl = new URL(challenge.realm);
      if (challenge.service) tokenUrl.searchParams.set('service', challenge.service);
      tokenUrl.searchParams.set('scope', `repository:${repository}:pull`);
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
      this.tokens.set(key, `Bearer ${value}`);
    } else if (basic) {
      this.tokens.set(key, `Basic ${basic}`);
    } else {
      return undefined;
    }
    return this.tokens.get(key);
  }
}
