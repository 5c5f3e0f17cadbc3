import type { ImageRef } from '../core/image-ref';
import { baseImageOfStage, pythonOfStage, type Release } from '../core/release';
import type { Stage } from '../core/model';
import { request, type ResolveRequest } from './types';
import { withoutCredentials } from '../core/pip-installs';

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
  | (Release & { readonly image?: ImageRef })
  | { readonly image: ImageRef; readonly distro: 'debian' | 'ubuntu' | 'alpine' };

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
    const image = (source as { image?: ImageRef }).image;
    // The image rides along (not in the key: the answer is the release's) so the backend can read
    // the image's own apt sources when no archive is configured.
    const params: Record<string, string> = image
      ? {
          distro,
          release,
          name,
          arch,
          registry: image.registry,
          repository: image.repository,
          tag: image.tag ?? image.digest ?? 'latest',
        }
      : { distro, release, name, arch };
    return { kind, key: `${kind}:${distro}:${release}:${pkg}`, params };
  }
  const { registry, repository } = source.image;
  // A digest pin keeps the tag beside it; the release is the same either way.
  const tag = source.image.tag ?? source.image.digest ?? 'latest';
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

export function pipVersionRequest(
  name: string,
  specifier: string,
  python: string,
  index?: string,
): ResolveRequest {
  // The index the command names, when it names one: the answer must come from there.
  // The key (kept in the cache on disk) names the index without its credentials.
  if (index !== undefined)
    return request('pip-version', { name, specifier, python, index }, [
      name,
      specifier,
      python,
      withoutCredentials(index),
    ]);
  return request('pip-version', { name, specifier, python }, [name, specifier, python]);
}

/**
 * Whether pip installs the release a requirement names (or the newest that fits) from a wheel for
 * the image's Python and C library, or has to build it: `wheel` or `sdist VERSION`. From the index
 * the command names, when it names one (as pipVersionRequest).
 */
export function pipWheelRequest(
  name: string,
  specifier: string,
  python: string,
  libc: 'gnu' | 'musl',
  index?: string,
): ResolveRequest {
  if (index !== undefined)
    return request('pip-wheel', { name, specifier, python, libc, index }, [
      name,
      specifier,
      python,
      libc,
      withoutCredentials(index),
    ]);
  return request('pip-wheel', { name, specifier, python, libc }, [name, specifier, python, libc]);
}

/** sha256 hashes of every file of one release, for pip's hash-checking mode. */
export function pipHashesRequest(name: string, version: string): ResolveRequest {
  return request('pip-hashes', { name, version }, [name, version]);
}

/** The snapshot-archive source line for a release, stamped with the date its pins were looked up. */
export function aptSnapshotRequest(distro: string, release: string): ResolveRequest {
  return request('apt-snapshot', { distro, release }, [distro, release]);
}

/** What an image is (OS, users, user tools, Python), read from its registry. */
export function imageFactsRequest(ref: ImageRef, arch = ''): ResolveRequest {
  const reference = ref.digest ?? ref.tag ?? 'latest';
  return request('image-facts', { registry: ref.registry, repository: ref.repository, reference, arch }, [
    `${ref.registry}/${ref.repository}`,
    reference,
    arch,
  ]);
}

/**
 * The Python of an image whose tag does not say it, as a pip look-up's `python`: the pip backend asks
 * the image's facts (`image:registry/repository|reference|arch`) before it chooses a version.
 */
export function imagePython(ref: ImageRef, arch = ''): string {
  return `image:${ref.registry}/${ref.repository}|${ref.digest ?? ref.tag ?? 'latest'}|${arch}`;
}

export function parseImagePython(
  python: string,
): { registry: string; repository: string; reference: string; arch: string } | undefined {
  const m = /^image:([^/|]+)\/([^|]+)\|([^|]+)\|(.*)$/.exec(python);
  return m ? { registry: m[1], repository: m[2], reference: m[3], arch: m[4] } : undefined;
}

/** The Python a stage's pip installs for: from the tag when it says, else asked of the image itself. */
export function stagePython(stages: readonly Stage[], stage: Stage): string | undefined {
  const known = pythonOfStage(stages, stage);
  if (known) return known;
  const base = baseImageOfStage(stages, stage);
  return base ? imagePython(base.ref, base.arch) : undefined;
}

/** The newest release of a package on a language registry (npm, RubyGems, the Go module proxy). */
export function languagePackageRequest(
  kind: 'npm-version' | 'gem-version' | 'go-version' | 'cargo-version',
  name: string,
): ResolveRequest {
  return request(kind, { name }, [name]);
}
