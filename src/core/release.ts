import type { ImageRef } from './image-ref';
import type { Stage } from './model';
import { codenamesOf, OS_RELEASES } from './os-releases';

/** The exact distro release a stage's packages come from, when the image's tag says. */
export interface Release {
  readonly distro: 'debian' | 'ubuntu' | 'alpine';
  /** Codename (bookworm, jammy) or branch (3.19). */
  readonly release: string;
}

const DEBIAN = codenamesOf('debian');
const UBUNTU = codenamesOf('ubuntu');
const versionsOf = (distro: 'debian' | 'ubuntu') =>
  Object.fromEntries(OS_RELEASES.filter((r) => r.distro === distro).map((r) => [r.version, r.release]));
const DEBIAN_VERSIONS: Record<string, string> = versionsOf('debian');
const UBUNTU_VERSIONS: Record<string, string> = versionsOf('ubuntu');

/** The stage a stage is built on in the end (`FROM builder` followed back to a real image). */
function rootStage(stages: readonly Stage[], stage: Stage): Stage {
  let root = stage;
  for (let i = 0; root.from.baseStage !== undefined && i < stages.length; i++)
    root = stages[root.from.baseStage];
  return root;
}

export function releaseOfStage(stages: readonly Stage[], stage: Stage): Release | undefined {
  const ref = rootStage(stages, stage).from.image.ref;
  if (!ref) return undefined;
  const tag = (ref.tag ?? '').toLowerCase();
  const parts = tag.split(/[-_]/);
  for (const p of parts) {
    if (DEBIAN.includes(p)) return { distro: 'debian', release: p };
    if (UBUNTU.includes(p)) return { distro: 'ubuntu', release: p };
    const alpine = /^alpine(\d+\.\d+)/.exec(p);
    if (alpine) return { distro: 'alpine', release: alpine[1] };
    // `nvidia/cuda:12.1.0-devel-ubuntu22.04`: the Ubuntu version in the tag.
    const ubuntu = /^ubuntu(\d+\.\d+)$/.exec(p);
    if (ubuntu && UBUNTU_VERSIONS[ubuntu[1]])
      return { distro: 'ubuntu', release: UBUNTU_VERSIONS[ubuntu[1]] };
  }
  if (ref.name === 'debian') {
    const major = /^(\d+)/.exec(tag)?.[1];
    if (major && DEBIAN_VERSIONS[major]) return { distro: 'debian', release: DEBIAN_VERSIONS[major] };
  }
  if (ref.name === 'ubuntu') {
    const v = /^(\d+\.\d+)/.exec(tag)?.[1];
    if (v && UBUNTU_VERSIONS[v]) return { distro: 'ubuntu', release: UBUNTU_VERSIONS[v] };
  }
  if (ref.name === 'alpine') {
    const v = /^(\d+\.\d+)/.exec(tag)?.[1];
    if (v) return { distro: 'alpine', release: v };
  }
  return undefined;
}

/** The python3 each distro release ships. */
const DISTRO_PYTHON: Record<string, string> = Object.fromEntries(
  OS_RELEASES.flatMap((r) => (r.python3 ? [[r.release, r.python3]] : [])),
);

/**
 * Python version (`3.11`) a stage's pip installs for: the official python image's tag says it;
 * distro bases carry their release's python3.
 */
export function pythonOfStage(stages: readonly Stage[], stage: Stage): string | undefined {
  const ref = rootStage(stages, stage).from.image.ref;
  if (!ref) return undefined;
  if (ref.name === 'python') return /^(\d+\.\d+)/.exec(ref.tag ?? '')?.[1];
  const release = releaseOfStage(stages, stage);
  return release && ['debian', 'ubuntu', 'alpine'].includes(ref.name)
    ? DISTRO_PYTHON[release.release]
    : undefined;
}

/**
 * Where a stage's packages come from: the release when its tag says, else the base image itself so
 * the release can be read from the registry; undefined when the base is not a Debian, Ubuntu or
 * Alpine image (or is assembled from variables).
 */
export function releaseSourceOfStage(
  stages: readonly Stage[],
  stage: Stage,
  distros: readonly ('debian' | 'ubuntu' | 'alpine')[],
):
  (Release & { image?: ImageRef }) | { image: ImageRef; distro: 'debian' | 'ubuntu' | 'alpine' } | undefined {
  const known = releaseOfStage(stages, stage);
  const root = rootStage(stages, stage);
  const image = root.from.image.ref;
  if (known) return distros.includes(known.distro) ? (image ? { ...known, image } : known) : undefined;
  // An image no name table knows, that the stage runs apt-get or apk on: its registry says which.
  const family = root.family === 'unknown' ? distros[0] : root.family;
  if (!image || !(distros as readonly string[]).includes(family)) return undefined;
  return { image, distro: family as 'debian' | 'ubuntu' | 'alpine' };
}

const DEBIAN_ARCH: Record<string, string> = {
  amd64: 'amd64',
  arm64: 'arm64',
  arm: 'armhf',
  '386': 'i386',
  ppc64le: 'ppc64el',
  s390x: 's390x',
};
const ALPINE_ARCH: Record<string, string> = {
  amd64: 'x86_64',
  arm64: 'aarch64',
  arm: 'armv7',
  '386': 'x86',
  ppc64le: 'ppc64le',
  s390x: 's390x',
};

/**
 * The package architecture a stage installs for, from `FROM --platform=linux/arm64` (a literal one);
 * empty when the platform is not given, so the index's default (amd64 / x86_64) applies.
 */
export function packageArchOfStage(
  stages: readonly Stage[],
  stage: Stage,
  distro: 'debian' | 'alpine',
): string {
  const arch = platformArchOfStage(stages, stage);
  return arch ? ((distro === 'alpine' ? ALPINE_ARCH : DEBIAN_ARCH)[arch] ?? '') : '';
}

/** The OCI architecture (`arm64`) of the first literal `FROM --platform` up a stage's chain; empty if none. */
function platformArchOfStage(stages: readonly Stage[], stage: Stage): string {
  let s: Stage | undefined = stage;
  for (let i = 0; s && i <= stages.length; i++) {
    const platform = s.from.platform;
    if (platform && !platform.includes('$')) return platform.split('/')[1] ?? '';
    s = s.from.baseStage !== undefined ? stages[s.from.baseStage] : undefined;
  }
  return '';
}

/**
 * The image a stage is built on in the end, and the OCI architecture its FROM names: what the
 * registry is asked about when a tag does not say enough. Undefined for scratch and for references
 * assembled from variables.
 */
export function baseImageOfStage(
  stages: readonly Stage[],
  stage: Stage,
): { readonly ref: ImageRef; readonly arch: string } | undefined {
  const root = rootStage(stages, stage);
  const ref = root.from.image.ref;
  if (!ref || root.family === 'scratch') return undefined;
  return { ref, arch: platformArchOfStage(stages, stage) };
}
