import type { ImageRef } from '../core/image-ref';
import type { Release } from '../core/release';
import { request, type ResolveRequest } from './types';

/** The most specific version tag of the same line and variant as `ref`'s tag (or the newest stable one). */
export function ociTagRequest(ref: ImageRef): ResolveRequest {
  const params = { registry: ref.registry, repository: ref.repository, tag: ref.tag ?? '' };
  return request('oci-tags', params, [`${ref.registry}/${ref.repository}`, ref.tag ?? '']);
}

/** The digest the registry serves for `ref`'s tag. */
export function ociDigestRequest(ref: ImageRef): ResolveRequest {
  const tag = ref.tag ?? 'latest';
  return request('oci-digest', { registry: ref.registry, repository: ref.repository, tag }, [
    `${ref.registry}/${ref.repository}`,
    tag,
  ]);
}

/**
 * The release packages come from: known from the tag, or to be read from the registry (the
 * codename-suffixed tag that serves the same digest) when the tag does not say.
 */
export type ReleaseSource =
  Release | { readonly image: ImageRef; readonly distro: 'debian' | 'ubuntu' | 'alpine' };

/**
 * A package version look-up in a release's index. Written out (no intermediate arrays or spreads):
 * the rules build one for every unpinned package of every file.
 */
function packageRequest(
  kind: 'apt-version' | 'apk-version',
  source: ReleaseSource,
  name: string,
  arch: string,
): ResolveRequest {
  const pkg = arch ? `${name}:${arch}` : name;
  if ('release' in source) {
    const { distro, release } = source;
    return { kind, key: `${kind}:${distro}:${release}:${pkg}`, params: { distro, release, name, arch } };
  }
  const { registry, repository } = source.image;
  const tag = source.image.tag ?? 'latest';
  return {
    kind,
    key: `${kind}:image:${registry}/${repository}:${tag}:${pkg}`,
    params: { distro: source.distro, registry, repository, tag, name, arch },
  };
}

export function aptVersionRequest(source: ReleaseSource, name: string, arch = ''): ResolveRequest {
  return packageRequest('apt-version', source, name, arch);
}

export function apkVersionRequest(source: ReleaseSource, name: string, arch = ''): ResolveRequest {
  return packageRequest('apk-version', source, name, arch);
}

export function pipVersionRequest(name: string, specifier: string, python: string): ResolveRequest {
  return request('pip-version', { name, specifier, python }, [name, specifier, python]);
}

/** sha256 hashes of every file of one release, for pip's hash-checking mode. */
export function pipHashesRequest(name: string, version: string): ResolveRequest {
  return request('pip-hashes', { name, version }, [name, version]);
}

/** The snapshot-archive source line for a release, stamped with the date its pins were looked up. */
export function aptSnapshotRequest(distro: string, release: string): ResolveRequest {
  return request('apt-snapshot', { distro, release }, [distro, release]);
}
