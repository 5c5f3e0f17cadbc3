import { KeyedLimiter } from '../resolve/limiter';
import type { FailReason } from '../resolve/types';

export interface HttpRequest {
  readonly url: string;
  readonly method?: 'GET' | 'HEAD';
  readonly headers?: Readonly<Record<string, string>>;
}

export interface HttpResponse {
  readonly url: string;
  readonly status: number;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/** A request that got no usable answer: the reason says which kind of failure it was. */
export class HttpError extends Error {
  constructor(
    readonly reason: FailReason,
    message: string,
  ) {
    super(message);
  }
}

/** A reply whose body is read as it arrives (a layer blob): never held whole in memory. */
export interface HttpStreamResponse {
  readonly url: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: AsyncIterable<Uint8Array>;
}

export interface HttpClient {
  request(req: HttpRequest): Promise<HttpResponse>;
  /**
   * Sends a GET and hands the reply to `consume` while it streams; the connection is released when
   * `consume` settles (an unread rest is cancelled). Clients that cannot stream leave it out.
   */
  stream?<T>(req: HttpRequest, consume: (res: HttpStreamResponse) => Promise<T>): Promise<T>;
  /** Requests sent so far (retries included). */
  readonly sent: number;
}

export interface FetchClientOptions {
  readonly userAgent: string;
  readonly timeoutMs: number;
  /** Further tries after a 429, a 5xx or a network error. */
  readonly retries: number;
  /** Requests in flight at once per host. */
  readonly perHost: number;
  /** Largest body read; more is an error, not a crash. */
  readonly maxBytes: number;
  /** Longest Retry-After honoured; a longer one gives up at once. */
  readonly maxRetryAfterMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Hosts requests may go to (all when absent): tests allow only loopback. */
  readonly allowHost?: (host: string) => boolean;
}

export const DEFAULT_HTTP_OPTIONS: Omit<FetchClientOptions, 'userAgent' | 'sleep' | 'allowHost'> = {
  timeoutMs: 15_000,
  retries: 2,
  perHost: 4,
  maxBytes: 256 * 1024 * 1024,
  maxRetryAfterMs: 10_000,
};

function retryAfterMs(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Removes credentials from a URL before it goes into a message. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    for (const key of [...u.searchParams.keys()])
      if (/token|key|secret|password|auth/i.test(key)) u.searchParams.set(key, '***');
    return u.toString();
  } catch {
    return '<invalid url>';
  }
}

/**
 * The one network path: Node's fetch with a user agent, a timeout, a per-host limit, a body size cap,
 * and retries with backoff on 429/5xx and network errors that honour Retry-After.
 */
export class FetchHttpClient implements HttpClient {
  private count = 0;
  private readonly limiter: KeyedLimiter;

  constructor(private readonly opts: FetchClientOptions) {
    this.limiter = new KeyedLimiter(opts.perHost);
  }

  get sent(): number {
    return this.count;
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    const host = this.check(req.url).host;
    let lastError: HttpError | undefined;
    for (let attempt = 0; attempt <= this.opts.retries; attempt++) {
      let res: HttpResponse | undefined;
      try {
        res = await this.limiter.of(host).run(() => this.once(req));
      } catch (err) {
        lastError = err instanceof HttpError ? err : new HttpError('unavailable', String(err));
      }
      if (res && res.status !== 429 && res.status < 500) return res;
      if (res)
        lastError = new HttpError(
          res.status === 429 ? 'rate-limited' : 'unavailable',
          `${res.status} from ${redactUrl(req.url)}`,
        );
      if (attempt === this.opts.retries) break;
      const after = res ? retryAfterMs(res.headers['retry-after'], Date.now()) : undefined;
      if (after !== undefined && after > this.opts.maxRetryAfterMs) break;
      await this.opts.sleep(after ?? 200 * 2 ** attempt);
    }
    throw lastError ?? new HttpError('unavailable', `no answer from ${redactUrl(req.url)}`);
  }

  async stream<T>(req: HttpRequest, consume: (res: HttpStreamResponse) => Promise<T>): Promise<T> {
    const parsed = this.check(req.url);
    return this.limiter.of(parsed.host).run(async () => {
      this.count++;
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), this.opts.timeoutMs);
      let response: Response;
      try {
        response = await fetch(req.url, {
          headers: { 'user-agent': this.opts.userAgent, ...req.headers },
          signal: controller.signal,
          redirect: 'follow',
        });
      } catch {
        clearTimeout(timer);
        throw new HttpError('unavailable', `could not connect: ${redactUrl(req.url)}`);
      }
      // The timeout covers the wait for headers; a body is bounded by its reader's budget instead.
      clearTimeout(timer);
      const headers: Record<string, string> = {};
      response.headers.forEach((v, k) => (headers[k.toLowerCase()] = v));
      const body = response.body;
      const chunks: AsyncIterable<Uint8Array> = {
        async *[Symbol.asyncIterator]() {
          if (!body) return;
          try {
            for await (const chunk of body) yield chunk;
          } catch (err) {
            if (err instanceof HttpError) throw err;
            throw new HttpError('unavailable', `reply cut off from ${redactUrl(req.url)}`);
          }
        },
      };
      try {
        return await consume({
          url: response.url || req.url,
          status: response.status,
          headers,
          body: chunks,
        });
      } finally {
        controller.abort();
      }
    });
  }

  /** The URL, parsed, if requests may go there. */
  private check(url: string): URL {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new HttpError('unavailable', 'invalid URL');
    }
    if (this.opts.allowHost && !this.opts.allowHost(parsed.hostname)) {
      throw new HttpError('unavailable', `requests to ${parsed.hostname} are not allowed here`);
    }
    return parsed;
  }

  private async once(req: HttpRequest): Promise<HttpResponse> {
    this.count++;
    let response: Response;
    try {
      response = await fetch(req.url, {
        method: req.method ?? 'GET',
        headers: { 'user-agent': this.opts.userAgent, ...req.headers },
        signal: AbortSignal.timeout(this.opts.timeoutMs),
        redirect: 'follow',
      });
    } catch (err) {
      const timeout = (err as Error).name === 'TimeoutError';
      throw new HttpError(
        'unavailable',
        `${timeout ? 'timed out' : 'could not connect'}: ${redactUrl(req.url)}`,
      );
    }
    const headers: Record<string, string> = {};
    response.headers.forEach((v, k) => (headers[k.toLowerCase()] = v));
    const body = req.method === 'HEAD' ? Buffer.alloc(0) : await this.readBody(response, req.url);
    return { url: response.url || req.url, status: response.status, headers, body };
  }

  private async readBody(response: Response, url: string): Promise<Buffer> {
    const declared = Number(response.headers.get('content-length') ?? '0');
    if (declared > this.opts.maxBytes)
      throw new HttpError('unavailable', `reply too large from ${redactUrl(url)}`);
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of response.body ?? []) {
        size += chunk.length;
        if (size > this.opts.maxBytes)
          throw new HttpError('unavailable', `reply too large from ${redactUrl(url)}`);
        chunks.push(Buffer.from(chunk));
      }
    } catch (err) {
      if (err instanceof HttpError) throw err;
      throw new HttpError('unavailable', `reply cut off from ${redactUrl(url)}`);
    }
    return Buffer.concat(chunks);
  }
}
