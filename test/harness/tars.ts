import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';

export interface TarEntry {
  readonly name: string;
  readonly type?: 'file' | 'directory' | 'symlink' | 'link';
  readonly mode?: number;
  readonly content?: string;
  readonly linkname?: string;
}

/** A tar built in memory, as a layer holds it; with `mtime`, the same entries give the same bytes. */
export async function tarOf(entries: readonly TarEntry[], mtime?: Date): Promise<Buffer> {
  const p = pack();
  for (const e of entries) {
    const type = e.type ?? 'file';
    const header = {
      name: e.name,
      type,
      mode: e.mode ?? (type === 'directory' ? 0o755 : 0o644),
      ...(mtime ? { mtime } : {}),
      ...(e.linkname ? { linkname: e.linkname } : {}),
    };
    if (type === 'file') p.entry(header, e.content ?? '');
    else p.entry(header);
  }
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const c of p) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export async function gzipTar(entries: readonly TarEntry[]): Promise<Buffer> {
  return gzipSync(await tarOf(entries));
}
