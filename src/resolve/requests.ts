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

export function aptVersionRequest(release: Release, name: string, arch = ''): ResolveRequest {
  const params = { distro: release.distro, release: release.release, name, arch };
  return request('apt-version', params, [release.distro, release.release, arch ? `${name}:${arch}` : name]);
}

export function apkVersionRequest(release: Release, name: string): ResolveRequest {
  return request('apk-version', { distro: 'alpine', release: release.release, name }, [
    'alpine',
    release.release,
    name,
  ]);
}

export function pipVersionRequest(name: string, specifier: string, python: string): ResolveRequest {
  return request('pip-version', { name, specifier, python }, [name, specifier, python]);
}
