import type { Cache } from '../effects/cache';
import { Limiter } from './limiter';
import type { ResolveKind, ResolveRequest, Resolver, Result } from './types';

/** Answers one kind of request from its source of truth (a registry, an index). */
export interface Backend {
  readonly kind: ResolveKind;
  /** How long an answer stays fresh in the cache. */
  readonly ttlMs: number;
  lookup(request: ResolveRequest): Promise<Result<string>>;
}

export type CacheMode = 'normal' | 'offline' | 'refresh';

export interface ResolverOptions {
  readonly cache: Cache;
  readonly now: () => number;
  readonly mode: CacheMode;
  /** Look-ups in flight at once. */
  readonly concurrency: number;
}

export interface ResolverStats {
  /** Distinct look-ups asked for in this run. */
  readonly distinct: number;
  readonly cacheHits: number;
  readonly staleServed: number;
}

/** A cached answer: a value, or a stable "not found" (failures that may pass are never stored). */
interface Stored {
  readonly value?: string;
  readonly source?: string;
  readonly notFound?: string;
  readonly reason?: 'not-found' | 'unknown-release';
}

/**
 * The resolver the engine talks to: one look-up per distinct key per run (shared across files),
 * answers from the cache while fresh, stale answers when the source fails, and only the cache when
 * offline. A backend that throws is a bug, not a crash: it becomes an `unavailable` result.
 */
export class CachingResolver implements Resolver {
  private readonly memo = new Map<string, Promise<Result<string>>>();
  private readonly backends: ReadonlyMap<ResolveKind, Backend>;
  private hits = 0;
  private stale = 0;
  private readonly limiter: Limiter;

  constructor(
    backends: readonly Backend[],
    private readonly opts: ResolverOptions,
  ) {
    this.backends = new Map(backends.map((b) => [b.kind, b]));
    this.limiter = new Limiter(opts.concurrency);
  }

  stats(): ResolverStats {
    return { distinct: this.memo.size, cacheHits: this.hits, staleServed: this.stale };
  }

  async resolve(requests: readonly ResolveRequest[]): Promise<ReadonlyMap<string, Result<string>>> {
    const unique = new Map(requests.map((r) => [r.key, r]));
    const entries = await Promise.all(
      [...unique.values()].map(async (r): Promise<[string, Result<string>]> => [r.key, await this.one(r)]),
    );
    return new Map(entries);
  }

  private one(request: ResolveRequest): Promise<Result<string>> {
    let pending = this.memo.get(request.key);
    if (!pending) {
      pending = this.lookup(request);
      this.memo.set(request.key, pending);
    }
    return pending;
  }

  private cached(request: ResolveRequest): { stored: Stored; fresh: boolean } | undefined {
    const entry = this.opts.cache.get(request.kind, request.key);
    if (!entry) return undefined;
    try {
      const stored = JSON.parse(entry.value) as Stored;
      if (typeof stored.value !== 'string' && typeof stored.notFound !== 'string') return undefined;
      const ttl = this.backends.get(request.kind)?.ttlMs ?? 0;
      return { stored, fresh: this.opts.now() - entry.storedAt < ttl };
    } catch {
      return undefined;
    }
  }

  private async lookup(request: ResolveRequest): Promise<Result<string>> {
    const hit = this.opts.mode === 'refresh' ? undefined : this.cached(request);
    const fromCache = (stored: Stored, note: string): Result<string> =>
      stored.value === undefined
        ? { ok: false, reason: stored.reason ?? 'not-found', detail: `${stored.notFound}${note}` }
        : { ok: true, value: stored.value, source: `${stored.source ?? request.kind}${note}` };
    if (hit && (hit.fresh || this.opts.mode === 'offline')) {
      this.hits++;
      return fromCache(hit.stored, hit.fresh ? ' (cached)' : ' (cached, stale: offline)');
    }
    if (this.opts.mode === 'offline') return { ok: false, reason: 'offline', detail: 'not in the cache' };
    const backend = this.backends.get(request.kind);
    if (!backend)
      return { ok: false, reason: 'unavailable', detail: `nothing answers ${request.kind} look-ups` };
    const result = await this.limiter
      .run(() => backend.lookup(request))
      .catch((err: unknown): Result<string> => ({
        ok: false,
        reason: 'unavailable',
        detail: String((err as Error).message ?? err),
      }));
    // Answers and stable refusals are kept; failures that may pass (down, rate-limited) are not.
    if (result.ok || result.reason === 'not-found' || result.reason === 'unknown-release') {
      const stored: Stored = result.ok
        ? { value: result.value, source: result.source }
        : {
            notFound: result.detail ?? 'not found',
            reason: result.reason as 'not-found' | 'unknown-release',
          };
      this.opts.cache.set(request.kind, request.key, JSON.stringify(stored), this.opts.now());
      return result;
    }
    if (
      hit &&
      hit.stored.value !== undefined &&
      (result.reason === 'unavailable' || result.reason === 'rate-limited')
    ) {
      this.stale++;
      return fromCache(hit.stored, ` (cached, stale: ${result.reason})`);
    }
    return result;
  }
}
