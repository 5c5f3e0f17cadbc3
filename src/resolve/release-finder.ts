import type { ResolveRequest, Result } from './types';

/** Reads an image's distro release from its registry: `debian:bookworm`, `alpine:3.20`. */
export type ReleaseFinder = (
  registry: string,
  repository: string,
  tag: string,
  distro: string,
) => Promise<Result<string>>;

/**
 * The distro and release a package look-up is for: from the request when the tag said, else asked
 * of the registry through `find`.
 */
export async function releaseOfRequest(
  req: ResolveRequest,
  find: ReleaseFinder | undefined,
): Promise<Result<{ distro: string; release: string }>> {
  const { distro, release, registry, repository, tag } = req.params;
  if (release) return { ok: true, value: { distro, release } };
  const image = `${registry}/${repository}:${tag}`;
  if (!find || !registry)
    return { ok: false, reason: 'unknown-release', detail: `the release of ${image} is not known` };
  const found = await find(registry, repository, tag, distro);
  if (!found.ok) {
    return {
      ok: false,
      reason: found.reason === 'not-found' ? 'unknown-release' : found.reason,
      detail: `release of ${image}: ${found.detail ?? found.reason}`,
    };
  }
  const [d, r] = found.value.split(':');
  return { ok: true, value: { distro: d, release: r } };
}
