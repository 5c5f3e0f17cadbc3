import { promises as fsp, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface CacheEntry {
  readonly value: string;
  readonly storedAt: number;
}

export interface Cache {
  get(namespace: string, key: string): CacheEntry | undefined;
  set(namespace: string, key: string, value: string, storedAt: number): void;
  /** Writes what changed. */
  flush(): Promise<void>;
}

/** `HARDEN_CACHE_DIR`, else `$XDG_CACHE_HOME/harden-dockerfile`, else `~/.cache/harden-dockerfile`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv): string {
  if (env.HARDEN_CACHE_DIR) return env.HARDEN_CACHE_DIR;
  const base = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'harden-dockerfile');
}

/** One JSON file per namespace, read on first use and written atomically on flush. */
export class FileCache implements Cache {
  private readonly spaces = new Map<string, Map<string, CacheEntry>>();
  private readonly dirty = new Set<string>();

  constructor(private readonly dir: string) {}

  private space(namespace: string): Map<string, CacheEntry> {
    let space = this.spaces.get(namespace);
    if (!space) {
      space = new Map();
      try {
        const raw = JSON.parse(readFileSync(this.file(namespace), 'utf8')) as Record<string, CacheEntry>;
        for (const [k, v] of Object.entries(raw)) {
          if (typeof v?.value === 'string' && typeof v.storedAt === 'number') space.set(k, v);
        }
      } catch {
        // missing or unreadable: start empty
      }
      this.spaces.set(namespace, space);
    }
    return space;
  }

  private file(namespace: string): string {
    return path.join(this.dir, `${namespace.replace(/[^a-z0-9-]/gi, '_')}.json`);
  }

  get(namespace: string, key: string): CacheEntry | undefined {
    return this.space(namespace).get(key);
  }

  set(namespace: string, key: string, value: string, storedAt: number): void {
    this.space(namespace).set(key, { value, storedAt });
    this.dirty.add(namespace);
  }

  async flush(): Promise<void> {
    if (this.dirty.size === 0) return;
    await fsp.mkdir(this.dir, { recursive: true });
    for (const namespace of this.dirty) {
      const file = this.file(namespace);
      const tmp = `${file}.${process.pid}.tmp`;
      await fsp.writeFile(tmp, JSON.stringify(Object.fromEntries(this.space(namespace))));
      await fsp.rename(tmp, file);
    }
    this.dirty.clear();
  }
}

/** A cache that keeps nothing between runs. */
export class MemoryCache implements Cache {
  private readonly entries = new Map<string, CacheEntry>();
  get(namespace: string, key: string): CacheEntry | undefined {
    return this.entries.get(`${namespace}\u0000${key}`);
  }
  set(namespace: string, key: string, value: string, storedAt: number): void {
    this.entries.set(`${namespace}\u0000${key}`, { value, storedAt });
  }
  async flush(): Promise<void> {}
}
