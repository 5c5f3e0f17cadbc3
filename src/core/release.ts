import type { Stage } from './model';

/** The exact distro release a stage's packages come from, when the image's tag says. */
export interface Release {
  readonly distro: 'debian' | 'ubuntu' | 'alpine';
  /** Codename (bookworm, jammy) or branch (3.19). */
  readonly release: string;
}

const DEBIAN = ['buster', 'bullseye', 'bookworm', 'trixie', 'forky'];
const DEBIAN_VERSIONS: Record<string, string> = {
  '10': 'buster',
  '11': 'bullseye',
  '12': 'bookworm',
  '13': 'trixie',
};
const UBUNTU = ['bionic', 'focal', 'jammy', 'noble'];
const UBUNTU_VERSIONS: Record<string, string> = {
  '18.04': 'bionic',
  '20.04': 'focal',
  '22.04': 'jammy',
  '24.04': 'noble',
};

export function releaseOfStage(stages: readonly Stage[], stage: Stage): Release | undefined {
  if (stage.from.baseStage !== undefined) return releaseOfStage(stages, stages[stage.from.baseStage]);
  const ref = stage.from.image.ref;
  if (!ref) return undefined;
  const tag = (ref.tag ?? '').toLowerCase();
  const parts = tag.split(/[-_]/);
  for (const p of parts) {
    if (DEBIAN.includes(p)) return { distro: 'debian', release: p };
    if (UBUNTU.includes(p)) return { distro: 'ubuntu', release: p };
    const alpine = /^alpine(\d+\.\d+)/.exec(p);
    if (alpine) return { distro: 'alpine', release: alpine[1] };
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

/** Python version (`3.11`) of an official python image stage, from its tag. */
export function pythonOfStage(stages: readonly Stage[], stage: Stage): string | undefined {
  if (stage.from.baseStage !== undefined) return pythonOfStage(stages, stages[stage.from.baseStage]);
  const ref = stage.from.image.ref;
  if (!ref || ref.name !== 'python') return undefined;
  return /^(\d+\.\d+)/.exec(ref.tag ?? '')?.[1];
}
