/** Why a look-up gave no answer. */
export type FailReason =
  'not-found' | 'unauthorized' | 'unavailable' | 'rate-limited' | 'offline' | 'unknown-release';

export type Result<T> =
  | { readonly ok: true; readonly value: T; readonly source?: string }
  | { readonly ok: false; readonly reason: FailReason; readonly detail?: string };

export type ResolveKind =
  | 'oci-tags'
  | 'oci-digest'
  | 'apt-version'
  | 'apk-version'
  | 'rpm-version'
  | 'pip-version'
  | 'pip-hashes'
  | 'pip-wheel'
  | 'apt-snapshot'
  | 'image-facts'
  | 'npm-version'
  | 'gem-version'
  | 'go-version'
  | 'cargo-version';

/** A question a finding needs answered before it can be fixed; `key` holds all that changes the answer. */
export interface ResolveRequest {
  readonly kind: ResolveKind;
  readonly key: string;
  readonly params: Readonly<Record<string, string>>;
}

export interface Resolutions {
  get(request: ResolveRequest): Result<string>;
}

/** Answers a batch of distinct requests (deduplicated by key). */
export interface Resolver {
  resolve(requests: readonly ResolveRequest[]): Promise<ReadonlyMap<string, Result<string>>>;
}

export function request(
  kind: ResolveKind,
  params: Record<string, string>,
  keyParts: readonly string[],
): ResolveRequest {
  return { kind, key: `${kind}:${keyParts.join(':')}`, params };
}

/** Answers every request with `offline`: the resolver for `--offline` with an empty cache. */
export const offlineResolver: Resolver = {
  async resolve(requests) {
    return new Map(requests.map((r) => [r.key, { ok: false, reason: 'offline' } as const]));
  },
};

export function resolutionsOf(map: ReadonlyMap<string, Result<string>>): Resolutions {
  return {
    get(req) {
      return map.get(req.key) ?? { ok: false, reason: 'unavailable', detail: 'not looked up' };
    },
  };
}
