import { Readable, Transform } from 'node:stream';
import * as zlib from 'node:zlib';
import { extract as tarExtract } from 'tar-stream';
import { HttpError } from '../effects/http';

/** One tar entry of a layer: metadata only, with the content of the few small files asked for. */
export interface LayerEntry {
  /** Path inside the image, without a leading `/` or `./`. */
  readonly path: string;
  readonly type: 'file' | 'directory' | 'symlink' | 'link' | 'other';
  readonly size: number;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly linkname?: string;
  readonly content?: Buffer;
  /** What `scanContent` found in the file (a miner's pool address, a private key), content not kept. */
  readonly markers?: readonly string[];
}

/** An entry a well-formed layer never has: a name that climbs out, a link out of the image, a bad size. */
export interface HostileEntry {
  readonly path: string;
  readonly problem: string;
}

export interface LayerScan {
  readonly index: number;
  readonly digest: string;
  readonly compressedSize: number;
  /** Bytes read from the registry. */
  readonly bytesRead: number;
  readonly entries: readonly LayerEntry[];
  readonly hostile: readonly HostileEntry[];
  /** Set when the layer was not read to its end: over budget, cut off, not a tar, unsupported. */
  readonly incomplete?: string;
}

export interface ScanLimits {
  /** Compressed bytes read per layer, at most. */
  readonly maxLayerBytes: number;
  /** Uncompressed bytes per layer, at most (a decompression bomb stops here). */
  readonly maxExpandedBytes: number;
  /** Entries kept per layer, at most. */
  readonly maxEntries: number;
  /** Which files' contents to keep (small text files: os-release, passwd, scripts). */
  readonly wantContent: (path: string, size: number) => boolean;
  /** Largest content kept for one file. */
  readonly maxContentBytes: number;
  /** Looks through every file up to `maxContentBytes` as it streams past; only its answer is kept. */
  readonly scanContent?: (path: string, content: Buffer) => readonly string[] | undefined;
}

export const DEFAULT_SCAN_LIMITS: Omit<ScanLimits, 'wantContent'> = {
  maxLayerBytes: 512 * 1024 * 1024,
  maxExpandedBytes: 2 * 1024 * 1024 * 1024,
  maxEntries: 500_000,
  maxContentBytes: 64 * 1024,
};

class BudgetExceeded extends Error {}

/** Counts bytes through a stream and stops it past a budget. */
function counter(limit: number, what: string, seen: (n: number) => void): Transform {
  let total = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      total += chunk.length;
      seen(total);
      if (total > limit) done(new BudgetExceeded(`${what} over the budget of ${limit} bytes`));
      else done(null, chunk);
    },
  });
}

/** A decompressor chosen by the blob's first bytes, whatever its media type says. */
function decompressorFor(head: Buffer): Transform | undefined | 'zstd-unsupported' {
  if (head[0] === 0x1f && head[1] === 0x8b) return zlib.createGunzip();
  if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) {
    const zstd = (zlib as unknown as { createZstdDecompress?: () => Transform }).createZstdDecompress;
    return zstd ? zstd() : 'zstd-unsupported';
  }
  return undefined;
}

/** `./usr/bin/x`, `/usr/bin/x` → `usr/bin/x`; undefined for a name that climbs out of the root. */
export function normalisePath(name: string): { path: string; absolute: boolean } | undefined {
  const absolute = name.startsWith('/');
  const parts: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') return undefined;
    parts.push(part);
  }
  return { path: parts.join('/'), absolute };
}

/** Whether a link target, relative to the link's folder, climbs above the image's root. */
function escapesRoot(linkPath: string, target: string, hard: boolean): boolean {
  if (target.startsWith('/')) return false;
  const base = hard ? [] : linkPath.split('/').slice(0, -1);
  for (const part of target.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (base.length === 0) return true;
      base.pop();
    } else base.push(part);
  }
  return false;
}

const TYPES: Record<string, LayerEntry['type']> = {
  file: 'file',
  'contiguous-file': 'file',
  directory: 'directory',
  symlink: 'symlink',
  link: 'link',
};

/**
 * Reads one layer blob as it streams: decompressed in memory, its tar entries listed, only the
 * wanted small files kept, nothing written to disk and nothing executed. Hostile tars end in a
 * recorded problem, never a crash; what was read before the problem is kept.
 */
export async function scanLayerStream(
  body: AsyncIterable<Uint8Array>,
  layer: { index: number; digest: string; compressedSize: number },
  limits: ScanLimits,
): Promise<LayerScan> {
  const entries: LayerEntry[] = [];
  const hostile: HostileEntry[] = [];
  let bytesRead = 0;
  let incomplete: string | undefined;
  const iterator = body[Symbol.asyncIterator]();
  const first = await iterator.next();
  const head = first.done ? Buffer.alloc(0) : Buffer.from(first.value);
  const rest = async function* () {
    if (head.length) yield head;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield Buffer.from(next.value);
    }
  };
  const result = (): LayerScan => ({
    ...layer,
    bytesRead,
    entries,
    hostile,
    ...(incomplete ? { incomplete } : {}),
  });
  if (head.length === 0) return { ...result(), incomplete: 'the layer is empty' };
  const decompressor = decompressorFor(head);
  if (decompressor === 'zstd-unsupported') {
    await iterator.return?.();
    return { ...result(), incomplete: 'zstd-compressed, and this Node.js has no zstd (22.15 or later has)' };
  }
  const source = Readable.from(rest());
  const stages: NodeJS.ReadWriteStream[] = [
    counter(limits.maxLayerBytes, 'compressed size', (n) => (bytesRead = n)),
  ];
  if (decompressor) stages.push(decompressor);
  stages.push(counter(limits.maxExpandedBytes, 'uncompressed size', () => undefined));
  const extract = tarExtract();
  let stream: NodeJS.ReadableStream = source;
  for (const stage of stages) stream = stream.pipe(stage);
  const fail = (err: Error) => extract.destroy(err);
  source.on('error', fail);
  for (const stage of stages) stage.on('error', fail);
  stream.pipe(extract);
  try {
    for await (const entry of extract) {
      const h = entry.header;
      const norm = normalisePath(h.name);
      const size = typeof h.size === 'number' ? h.size : 0;
      const small = norm !== undefined && h.type === 'file' && size >= 0 && size <= limits.maxContentBytes;
      const keep = small && limits.wantContent(norm.path, size);
      let content: Buffer | undefined;
      let markers: readonly string[] | undefined;
      if (small && (keep || limits.scanContent)) {
        const chunks: Buffer[] = [];
        for await (const chunk of entry) chunks.push(chunk as Buffer);
        const body = Buffer.concat(chunks);
        if (keep) content = body;
        const found = limits.scanContent?.(norm.path, body);
        if (found && found.length > 0) markers = found;
      } else entry.resume();
      if (!norm) {
        hostile.push({ path: h.name, problem: 'its name climbs out of the image root (..)' });
        continue;
      }
      if (!Number.isSafeInteger(size) || size < 0) {
        hostile.push({ path: norm.path, problem: `its size (${size}) is not a valid size` });
        continue;
      }
      if (norm.absolute) hostile.push({ path: norm.path, problem: 'its name is absolute (/…)' });
      const type = TYPES[h.type ?? ''] ?? 'other';
      const linkname = h.linkname ?? undefined;
      if ((type === 'symlink' || type === 'link') && linkname) {
        if (type === 'link' && normalisePath(linkname) === undefined)
          hostile.push({ path: norm.path, problem: `it hard-links outside the image (${linkname})` });
        else if (type === 'symlink' && escapesRoot(norm.path, linkname, false))
          hostile.push({ path: norm.path, problem: `its link climbs above the image root (${linkname})` });
      }
      if (entries.length >= limits.maxEntries) {
        incomplete = `more than ${limits.maxEntries} entries; the rest were not listed`;
        continue;
      }
      entries.push({
        path: norm.path,
        type,
        size,
        mode: typeof h.mode === 'number' ? h.mode : 0,
        uid: typeof h.uid === 'number' ? h.uid : 0,
        gid: typeof h.gid === 'number' ? h.gid : 0,
        ...(linkname ? { linkname } : {}),
        ...(content ? { content } : {}),
        ...(markers ? { markers } : {}),
      });
    }
  } catch (err) {
    incomplete =
      err instanceof BudgetExceeded
        ? `not read to the end: ${err.message}`
        : err instanceof HttpError
          ? `not read to the end: ${err.message}`
          : `not a readable layer: ${(err as Error).message || 'broken tar'}`;
  } finally {
    source.destroy();
    await iterator.return?.().catch(() => undefined);
  }
  return result();
}
