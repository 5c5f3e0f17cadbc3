/**
 * A counting semaphore. A released slot passes straight to the longest waiter, so a caller that
 * arrives between the release and the waiter's wake-up cannot take it too: never more than
 * `limit` tasks run at once.
 */
export class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {
    if (!(limit >= 1)) throw new RangeError('a limiter needs at least one slot');
  }

  /** Tasks holding a slot now. */
  get running(): number {
    return this.active;
  }

  acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    // The slot changes hands without ever being free.
    if (next) next();
    else this.active--;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await task();
    } finally {
      this.release();
    }
  }
}

/** One limiter per key (per host, say), each with the same number of slots. */
export class KeyedLimiter {
  private readonly limiters = new Map<string, Limiter>();

  constructor(private readonly limit: number) {}

  of(key: string): Limiter {
    let limiter = this.limiters.get(key);
    if (!limiter) this.limiters.set(key, (limiter = new Limiter(this.limit)));
    return limiter;
  }
}
