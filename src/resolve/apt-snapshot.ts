import type { Backend } from './resolver';
import type { ResolveRequest, Result } from './types';

/** `20240110T120000Z`: the timestamp form snapshot archives use. */
export function snapshotStamp(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/(T\d{2})\d{4}Z$/, '$10000Z');
}

/**
 * Answers `apt-snapshot` with the apt source lines of a snapshot archive as of now (to the hour).
 * Cached like any answer, so the stamp stays what it was when the pins were taken.
 */
export class AptSnapshotBackend implements Backend {
  readonly kind = 'apt-snapshot' as const;

  constructor(
    private readonly mirror: string | undefined,
    private readonly now: () => number,
    readonly ttlMs: number,
  ) {}

  async lookup(req: ResolveRequest): Promise<Result<string>> {
    if (!this.mirror) {
      return {
        ok: false,
        reason: 'unavailable',
        detail: 'no snapshot mirror configured: set HARDEN_DEBIAN_SNAPSHOT_MIRROR',
      };
    }
    const { distro, release } = req.params;
    if (distro !== 'debian')
      return { ok: false, reason: 'not-found', detail: `no snapshot archive is known for ${distro}` };
    const base = this.mirror.replace(/\/+$/, '');
    const stamp = snapshotStamp(this.now());
    const lines = [
      `deb [check-valid-until=no] ${base}/debian/${stamp} ${release} main`,
      `deb [check-valid-until=no] ${base}/debian/${stamp} ${release}-updates main`,
      `deb [check-valid-until=no] ${base}/debian-security/${stamp} ${release}-security main`,
    ];
    return { ok: true, value: lines.join('\n'), source: `snapshot archive as of ${stamp}` };
  }
}
