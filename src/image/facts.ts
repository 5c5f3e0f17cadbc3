import { parseAptSources } from '../core/apt-sources';
import { findRelease } from '../core/os-releases';
import { imageStartup } from '../core/startup';
import type { FileRecord } from './layer-analysis';
import { envOf } from './env';
import type { ImageConfig } from './reader';

/** How a RUN in a stage built on the image can create a user, if at all. */
export type UserTool = 'useradd' | 'busybox-adduser' | 'none';

export interface ImageUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  readonly shell: string;
}

/** What an image is, read from its config and the few small files of its layers that say. */
export interface ImageFacts {
  readonly digest: string;
  /** os-release `ID` (`debian`, `ubuntu`, `alpine`, `rhel` …), when the image has one. */
  readonly osId?: string;
  readonly osVersion?: string;
  readonly osCodename?: string;
  readonly osName?: string;
  /** The family the fixers speak of: debian, ubuntu, alpine, rhel, distroless, scratch, busybox. */
  readonly family?: string;
  /** The release apt/apk pins come from (`bookworm`, `3.19`). */
  readonly release?: { readonly distro: 'debian' | 'ubuntu' | 'alpine'; readonly release: string };
  readonly packageManager?: 'apt' | 'apk' | 'dnf' | 'microdnf' | 'yum' | 'zypper';
  readonly shells: readonly string[];
  readonly users: readonly ImageUser[];
  readonly groups: readonly { readonly name: string; readonly gid: number }[];
  /** The config's User, as written (empty: root). */
  readonly defaultUser: string;
  readonly userTool: UserTool;
  /** `3.11`: the Python a pip in this image installs for. */
  readonly python?: string;
  /** Where the Python version came from. */
  readonly pythonFrom?: string;
  /** How the image's own start-up drops privileges, when it does (read from its layers). */
  readonly startup?: {
    readonly how: string;
    readonly to?: string;
    readonly where: string;
    readonly from: 'entrypoint' | 'cmd';
  };
  /** The Debian archive and security archive the image's own apt sources name. */
  readonly aptSources?: { readonly debian?: string; readonly debianSecurity?: string };
}

/** Files whose contents facts are read from; everything else is known by its presence alone. */
export const FACT_FILES = new Set([
  'etc/os-release',
  'usr/lib/os-release',
  'etc/passwd',
  'etc/group',
  'etc/apt/sources.list',
]);

export function isFactFile(path: string): boolean {
  return (
    FACT_FILES.has(path) || (path.startsWith('etc/apt/sources.list.d/') && /\.(list|sources)$/.test(path))
  );
}

const SHELLS = ['bin/sh', 'bin/bash', 'bin/ash', 'bin/dash', 'bin/zsh', 'usr/bin/bash', 'usr/bin/sh'];
const MANAGERS: readonly [NonNullable<ImageFacts['packageManager']>, readonly string[]][] = [
  ['apt', ['usr/bin/apt-get']],
  ['apk', ['sbin/apk', 'usr/bin/apk']],
  ['microdnf', ['usr/bin/microdnf']],
  ['dnf', ['usr/bin/dnf', 'usr/bin/dnf5']],
  ['yum', ['usr/bin/yum']],
  ['zypper', ['usr/bin/zypper']],
];

function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) out[m[1]] = m[2].replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1');
  }
  return out;
}

function parsePasswd(text: string): ImageUser[] {
  return text.split('\n').flatMap((line) => {
    const f = line.split(':');
    if (f.length < 7 || !f[0]) return [];
    const uid = Number(f[2]);
    const gid = Number(f[3]);
    return Number.isInteger(uid) && Number.isInteger(gid)
      ? [{ name: f[0], uid, gid, shell: f[6].trim() }]
      : [];
  });
}

function parseGroup(text: string): { name: string; gid: number }[] {
  return text.split('\n').flatMap((line) => {
    const f = line.split(':');
    const gid = Number(f[2]);
    return f.length >= 3 && f[0] && Number.isInteger(gid) ? [{ name: f[0], gid }] : [];
  });
}

/** The file at a path as a container sees it, following symlinks inside the image (bounded). */
function lookup(visible: ReadonlyMap<string, FileRecord>, path: string): FileRecord | undefined {
  let current = path;
  for (let hops = 0; hops < 16; hops++) {
    // A symlinked folder on the way (`bin` → `usr/bin` on merged-/usr images).
    const parts = current.split('/');
    let resolved: string | undefined;
    for (let i = 1; i < parts.length && !resolved; i++) {
      const dir = visible.get(parts.slice(0, i).join('/'));
      if (dir?.entry.type === 'symlink' && dir.entry.linkname)
        resolved = joinLink(parts.slice(0, i).join('/'), dir.entry.linkname, parts.slice(i).join('/'));
    }
    if (resolved) {
      current = resolved;
      continue;
    }
    const rec = visible.get(current);
    if (rec?.entry.type !== 'symlink' || !rec.entry.linkname) return rec;
    current = joinLink(current, rec.entry.linkname, '');
  }
  return undefined;
}

function joinLink(linkPath: string, target: string, rest: string): string {
  const base = target.startsWith('/') ? [] : linkPath.split('/').slice(0, -1);
  for (const part of `${target}/${rest}`.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') base.pop();
    else base.push(part);
  }
  return base.join('/');
}

const FAMILIES: Record<string, string> = {
  debian: 'debian',
  ubuntu: 'ubuntu',
  alpine: 'alpine',
  rhel: 'rhel',
  centos: 'rhel',
  fedora: 'rhel',
  rocky: 'rhel',
  almalinux: 'rhel',
  ol: 'rhel',
  amzn: 'rhel',
};

/**
 * Facts from the config and the merged file system of the layers read. `visible` may be empty
 * (layers not read): then only what the config says is known.
 */
export function imageFacts(
  digest: string,
  config: ImageConfig,
  visible: ReadonlyMap<string, FileRecord>,
): ImageFacts {
  const text = (path: string) => lookup(visible, path)?.entry.content?.toString('utf8');
  const has = (path: string) => {
    const rec = lookup(visible, path);
    return rec !== undefined && rec.entry.type !== 'directory';
  };
  const os = parseOsRelease(text('etc/os-release') ?? text('usr/lib/os-release') ?? '');
  const osId = os.ID?.toLowerCase();
  const users = parsePasswd(text('etc/passwd') ?? '');
  const groups = parseGroup(text('etc/group') ?? '');
  const shells = SHELLS.filter(has).map((s) => `/${s}`);
  const packageManager = MANAGERS.find(([, paths]) => paths.some(has))?.[0];
  const busybox = has('bin/busybox') || has('usr/bin/busybox');
  const userTool: UserTool =
    has('usr/sbin/useradd') || has('sbin/useradd')
      ? 'useradd'
      : (has('usr/sbin/adduser') || has('sbin/adduser') || has('bin/adduser') || busybox) && shells.length > 0
        ? 'busybox-adduser'
        : 'none';
  let family = osId
    ? (FAMILIES[osId] ??
      os.ID_LIKE?.split(/\s+/)
        .map((i) => FAMILIES[i])
        .find(Boolean))
    : undefined;
  // Nothing can run in a RUN on an image without a shell, whatever its os-release says.
  if (visible.size > 0 && shells.length === 0) family = 'distroless';
  else if (!family && busybox) family = 'busybox';
  const osVersion = os.VERSION_ID;
  const codename = os.VERSION_CODENAME;
  const distro: 'debian' | 'ubuntu' | 'alpine' | undefined =
    osId === 'debian' || osId === 'ubuntu' || osId === 'alpine' ? osId : undefined;
  const known = distro
    ? ((codename ? findRelease(distro, codename) : undefined) ??
      (osVersion ? findRelease(distro, osVersion) : undefined))
    : undefined;
  const release = distro
    ? distro === 'alpine'
      ? osVersion
        ? { distro, release: osVersion.split('.').slice(0, 2).join('.') }
        : undefined
      : codename || known
        ? { distro, release: codename || (known?.release as string) }
        : undefined
    : undefined;
  const env = new Map(envOf(config.Env).map((v) => [v.name, v.value]));
  let python: string | undefined;
  let pythonFrom: string | undefined;
  const fromEnv = /^(\d+)\.(\d+)/.exec(env.get('PYTHON_VERSION') ?? '');
  if (fromEnv) {
    python = `${fromEnv[1]}.${fromEnv[2]}`;
    pythonFrom = 'config Env PYTHON_VERSION';
  } else {
    const binaries = [...visible.keys()]
      .map((p) => /^(?:usr\/(?:local\/)?bin|opt\/conda\/bin)\/python(3\.\d+)$/.exec(p)?.[1])
      .filter((v): v is string => v !== undefined)
      .sort((a, b) => Number(b.split('.')[1]) - Number(a.split('.')[1]));
    if (binaries[0]) {
      python = binaries[0];
      pythonFrom = `the image's python${binaries[0]}`;
    } else if (known?.python3 && packageManager) {
      python = known.python3;
      pythonFrom = `${distro} ${known.release}'s python3`;
    }
  }
  const listDir = [...visible.keys()].filter((p) => p.startsWith('etc/apt/sources.list.d/')).sort();
  const apt = parseAptSources(
    [
      text('etc/apt/sources.list') ?? '',
      ...listDir.filter((p) => p.endsWith('.list')).map((p) => text(p) ?? ''),
    ].join('\n'),
    listDir.filter((p) => p.endsWith('.sources')).map((p) => text(p) ?? ''),
  );
  const startup = imageStartup(config.Entrypoint ?? undefined, config.Cmd ?? undefined, text);
  return {
    digest,
    ...(apt.debian || apt.debianSecurity ? { aptSources: apt } : {}),
    ...(osId ? { osId } : {}),
    ...(osVersion ? { osVersion } : {}),
    ...(codename ? { osCodename: codename } : {}),
    ...(os.PRETTY_NAME ? { osName: os.PRETTY_NAME } : {}),
    ...(family ? { family } : {}),
    ...(release ? { release } : {}),
    ...(packageManager ? { packageManager } : {}),
    shells,
    users,
    groups,
    defaultUser: config.User ?? '',
    userTool: visible.size === 0 ? 'none' : userTool,
    ...(python ? { python, pythonFrom } : {}),
    ...(startup ? { startup } : {}),
  };
}
