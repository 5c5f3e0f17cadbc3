import type { ImageFacts } from './facts';
import type { EnvVar } from './env';
export { envOf, type EnvVar } from './env';
import type { HistoryStep } from './history';
import type { LayerAnalysis } from './layer-analysis';
import type { LayerScan } from './layers';
import type { RegistryImage } from './reader';

/** Everything triage knows of an image: what the image rules check. Built once, never changed. */
export interface ImageModel {
  readonly image: RegistryImage;
  readonly env: readonly EnvVar[];
  readonly steps: readonly HistoryStep[];
  /** The layer each history entry made, by history index. */
  readonly historyLayers: readonly (number | undefined)[];
  readonly facts: ImageFacts;
  /** Present when the layers were read (`--layers`). */
  readonly layers?: { readonly scans: readonly LayerScan[]; readonly analysis: LayerAnalysis };
  /** Now, and the age past which an image is stale, in milliseconds. */
  readonly now: number;
  readonly maxAgeMs: number;
}

/** `layer[3]:/usr/bin/x (made by history[7])`-style place of a layer file. */
export function layerPlace(layer: number, path: string): string {
  return `layer[${layer}]:/${path}`;
}

/** Findings one layer rule reports at most; past that, one more says how many were left out. */
export const MAX_LAYER_FINDINGS = 25;

/** ` (deleted by layer 4, still inside the image)` for a file a later layer removed. */
export function deletionNote(rec: { readonly deletedIn?: number; readonly replacedIn?: number }): string {
  if (rec.deletedIn !== undefined) return ` (deleted by layer[${rec.deletedIn}], but still inside the image)`;
  if (rec.replacedIn !== undefined)
    return ` (replaced by layer[${rec.replacedIn}], but still inside the image)`;
  return '';
}

/** What `scanContent` marks in small files, for the layer rules. */
export const MARKERS = {
  stratum: 'stratum',
  privateKey: 'private-key',
  authToken: 'auth-token',
} as const;

/** Marks small files while a layer streams past: nothing but these markers is kept. */
export function scanForMarkers(_path: string, content: Buffer): readonly string[] | undefined {
  const found: string[] = [];
  if (
    content.includes('stratum+tcp://') ||
    content.includes('stratum+ssl://') ||
    content.includes('stratum2+tcp://')
  )
    found.push(MARKERS.stratum);
  if (/-----BEGIN ([A-Z]+ )?PRIVATE KEY-----/.test(content.toString('latin1')))
    found.push(MARKERS.privateKey);
  if (content.includes('_authToken=') || content.includes('aws_secret_access_key'))
    found.push(MARKERS.authToken);
  return found.length > 0 ? found : undefined;
}
