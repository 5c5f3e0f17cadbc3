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

function releaseParams(source: ReleaseSource): { params: Record<string, string>; key: string[] } {
  if ('release' in source) {
    return {
      params: { distro: source.distro, release: source.release },
      key: [source.distro, source.release],
    };
  }
  const { image } = source;
  const tag = image.tag ?? 'latest';
  return {
    params: { distro: source.distro, registry: image.registry, repository: image.repository, tag },
    key: ['image', `${image.registry}/${image.repository}:${tag}`],
  };
}

export function aptVersionRequest(source: ReleaseSource, name: string, arch = ''): ResolveRequest {
  const { params, key } = releaseParams(source);
  return request('apt-version', { ...params, name, arch }, [...key, arch ? `${name}:${arch}` : name]);
}

export function apkVersionRequest(source: ReleaseSource, name: string, arch = ''): ResolveRequest {
  const { params, key } = releaseParams(source);
  return request('apk-version', { ...params, name, arch }, [...key, arch ? `${name}:${arch}` : name]);
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
