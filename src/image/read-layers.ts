import { HttpError } from '../effects/http';
import type { RegistryClient } from '../resolve/registry-client';
import { isFactFile } from './facts';
import { DEFAULT_SCAN_LIMITS, scanLayerStream, type LayerScan } from './layers';
import { scanForMarkers } from './model';
import type { ImageReader, RegistryImage } from './reader';

const DEFAULT_IMAGE_BYTES = 2 * 1024 * 1024 * 1024;

/** Streams every layer in order, within the per-layer and per-image budgets. */
export async function readLayers(
  client: RegistryClient,
  reader: ImageReader,
  image: RegistryImage,
  opts: {
    maxLayerBytes?: number;
    maxImageBytes?: number;
    wantContent?: (path: string) => boolean;
    /** Look through small files for miners and keys (triage); facts need only their own files. */
    markers?: boolean;
  },
): Promise<LayerScan[]> {
  const scans: LayerScan[] = [];
  let budget = opts.maxImageBytes ?? DEFAULT_IMAGE_BYTES;
  for (const [index, layer] of image.layers.entries()) {
    const base = { index, digest: layer.digest, compressedSize: layer.size };
    const empty = { ...base, bytesRead: 0, entries: [], hostile: [] };
    if (budget <= 0) {
      scans.push({ ...empty, incomplete: 'not read: the image byte budget is spent' });
      continue;
    }
    const limit = Math.min(opts.maxLayerBytes ?? DEFAULT_SCAN_LIMITS.maxLayerBytes, budget);
    try {
      const url = reader.blobUrl(image.registry, image.repository, layer.digest);
      const scan = await client.stream(image.registry, image.repository, url, async (res) => {
        if (res.status !== 200)
          return { ...empty, incomplete: `not read: the registry answered ${res.status}` };
        return scanLayerStream(res.body, base, {
          ...DEFAULT_SCAN_LIMITS,
          maxLayerBytes: limit,
          wantContent: (path) => opts.wantContent?.(path) ?? isFactFile(path),
          ...(opts.markers === false ? {} : { scanContent: scanForMarkers }),
        });
      });
      budget -= scan.bytesRead;
      scans.push(scan);
    } catch (err) {
      const why = err instanceof HttpError || err instanceof Error ? err.message : String(err);
      scans.push({ ...empty, incomplete: `not read: ${why}` });
    }
  }
  return scans;
}
