import type { LayerEntry, LayerScan } from './layers';

/** A file as one layer put it there, and what later layers did to it. */
export interface FileRecord {
  readonly layer: number;
  readonly entry: LayerEntry;
  /** The later layer that deleted it (a whiteout): it is still inside the image. */
  deletedIn?: number;
  /** The later layer that wrote the same path again. */
  replacedIn?: number;
}

/** What `dive` shows per layer, without an engine. */
export interface LayerStats {
  readonly index: number;
  readonly digest: string;
  readonly compressedSize: number;
  readonly bytesRead: number;
  readonly added: number;
  readonly changed: number;
  readonly removed: number;
  /** Uncompressed bytes of the files this layer adds or changes. */
  readonly bytes: number;
  /** Bytes of this layer's files that a later layer replaces or deletes. */
  readonly wastedBytes: number;
  readonly biggest: readonly { readonly path: string; readonly size: number }[];
  readonly incomplete?: string;
}

export interface LayerAnalysis {
  readonly layers: readonly LayerStats[];
  /** Every entry of every layer read, in layer order. */
  readonly records: readonly FileRecord[];
  /** The image's file system as a container sees it: the last record of each path not deleted. */
  readonly visible: ReadonlyMap<string, FileRecord>;
  readonly totalBytes: number;
  readonly wastedBytes: number;
}

const WHITEOUT = '.wh.';
const OPAQUE = '.wh..wh..opq';
const BIGGEST = 5;
/** Whiteouts honoured per image; a hostile layer with millions of them stops costing time here. */
const MAX_WHITEOUTS = 20_000;

function under(path: string, dir: string): boolean {
  return dir === '' || path === dir || path.startsWith(`${dir}/`);
}

/** Merges the layers in order, as an overlay file system does, and counts what each one wastes. */
export function analyseLayers(scans: readonly LayerScan[]): LayerAnalysis {
  const current = new Map<string, FileRecord>();
  const records: FileRecord[] = [];
  const wasted = new Map<number, number>();
  let whiteouts = 0;
  const drop = (rec: FileRecord, by: number, how: 'deletedIn' | 'replacedIn') => {
    rec[how] = by;
    if (rec.entry.type === 'file') wasted.set(rec.layer, (wasted.get(rec.layer) ?? 0) + rec.entry.size);
  };
  const removeUnder = (dir: string, layer: number, keepDir: boolean) => {
    for (const [path, rec] of current) {
      if (rec.layer >= layer || !under(path, dir) || (keepDir && path === dir)) continue;
      drop(rec, layer, 'deletedIn');
      current.delete(path);
    }
  };
  const stats: LayerStats[] = [];
  for (const scan of scans) {
    let added = 0;
    let changed = 0;
    let removed = 0;
    let bytes = 0;
    const files: { path: string; size: number }[] = [];
    for (const entry of scan.entries) {
      const slash = entry.path.lastIndexOf('/');
      const base = entry.path.slice(slash + 1);
      const dir = slash < 0 ? '' : entry.path.slice(0, slash);
      if (base.startsWith(WHITEOUT)) {
        if (++whiteouts > MAX_WHITEOUTS) continue;
        removed++;
        if (base === OPAQUE) removeUnder(dir, scan.index, true);
        else
          removeUnder(
            dir ? `${dir}/${base.slice(WHITEOUT.length)}` : base.slice(WHITEOUT.length),
            scan.index,
            false,
          );
        continue;
      }
      const rec: FileRecord = { layer: scan.index, entry };
      records.push(rec);
      const before = current.get(entry.path);
      if (before && before.layer < scan.index) {
        if (entry.type !== 'directory') {
          changed++;
          drop(before, scan.index, 'replacedIn');
        }
      } else if (!before) added++;
      current.set(entry.path, rec);
      if (entry.type === 'file') {
        bytes += entry.size;
        files.push({ path: entry.path, size: entry.size });
      }
    }
    files.sort((a, b) => b.size - a.size || (a.path < b.path ? -1 : 1));
    stats.push({
      index: scan.index,
      digest: scan.digest,
      compressedSize: scan.compressedSize,
      bytesRead: scan.bytesRead,
      added,
      changed,
      removed,
      bytes,
      wastedBytes: 0,
      biggest: files.slice(0, BIGGEST),
      ...(scan.incomplete ? { incomplete: scan.incomplete } : {}),
    });
  }
  const layers = stats.map((s) => ({ ...s, wastedBytes: wasted.get(s.index) ?? 0 }));
  return {
    layers,
    records,
    visible: current,
    totalBytes: layers.reduce((n, l) => n + l.bytes, 0),
    wastedBytes: layers.reduce((n, l) => n + l.wastedBytes, 0),
  };
}
