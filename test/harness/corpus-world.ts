/**
 * A loopback "world" that answers every look-up a fix of the corpus makes, in the real wire formats:
 *  - an OCI distribution API per registry (Docker Hub with its bearer-token challenge): tag lists
 *    (paginated with Link headers), OCI indexes and Docker manifest lists over linux/amd64 and
 *    linux/arm64 image manifests, config blobs and gzip tar layers holding os-release, passwd, group,
 *    shells, the package manager, useradd or busybox, and Python where the image has one;
 *  - Debian's archive (bookworm, bookworm-updates and bookworm-security from this machine's real apt
 *    lists, other releases synthetic), Ubuntu's archive and Alpine's APKINDEX.tar.gz, synthetic;
 *  - PEP 691 JSON and PEP 503 HTML simple pages, npm registry documents, RubyGems' versions API,
 *    Go's module proxy and crates.io's sparse index.
 * Tags are canonicalised into image identities (version of the line, variant words, slim, OS), so a
 * more specific tag and the tag it refines serve the same bytes and so the same digest. Every request
 * is logged with what the world made of it, so a test can tell answers from gaps.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { tarOf } from './tars';
import { apkIndexArchive } from './index-servers';

export interface WorldInput {
  /** `registry/repository` → the tags the corpus names ('' for a FROM without one). */
  readonly images: ReadonlyMap<string, ReadonlySet<string>>;
  /** Digests the corpus pins by hand: no world can serve bytes for them. */
  readonly pinnedDigests: ReadonlySet<string>;
  readonly apt: ReadonlySet<string>;
  readonly apk: ReadonlySet<string>;
  /** PEP 503-normalised project names → the versions the corpus's specifiers for them name. */
  readonly pip: ReadonlyMap<string, readonly string[]>;
  readonly npm: ReadonlySet<string>;
  readonly gems: ReadonlySet<string>;
  /** Go package paths as the corpus writes them (the module is found by walking up). */
  readonly go: ReadonlySet<string>;
  readonly crates: ReadonlySet<string>;
}

/** What the world made of a request. */
export type RequestNote =
  | 'answered'
  /** A 404 the protocol expects: a Go package path that is not a module, a suite a release lacks. */
  | 'protocol-404'
  /** A manifest asked for by a digest the corpus pinned by hand. */
  | 'corpus-digest'
  /** The Docker Hub token challenge. */
  | 'challenge'
  /** A 404 for something of a kind the world serves (a tag, a package index, a project) that it lacks. */
  | 'missing'
  /** A path of no kind the world serves. */
  | 'unknown';

export interface WorldRequest {
  readonly service: string;
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly note: RequestNote;
}

export type WorldOs =
  | { readonly family: 'debian' | 'ubuntu'; readonly codename: string }
  | { readonly family: 'alpine'; readonly branch: string; readonly patch: number }
  | { readonly family: 'rhel'; readonly id: string; readonly version: string; readonly manager?: string }
  | { readonly family: 'distroless'; readonly codename: string }
  | { readonly family: 'busybox' | 'scratch' | 'windows' };

/** One image identity: every tag that canonicalises to it serves the same bytes. */
export interface WorldImage {
  readonly key: string;
  readonly repo: string;
  readonly version?: readonly number[];
  readonly core: readonly string[];
  readonly slim: boolean;
  readonly os: WorldOs;
  /** `3.11`: the Python a pip in this image installs for, as the image shows it (binary or env). */
  readonly python?: string;
  /** `3.11.9`, when the image carries a Python of its own. */
  readonly ownPython?: string;
  readonly user: string;
  readonly arches: readonly string[];
}

export interface PypiFile {
  readonly filename: string;
  readonly requiresPython?: string;
  readonly yanked: boolean;
  readonly sha256: string;
}

export interface PypiRelease {
  readonly version: string;
  readonly files: readonly PypiFile[];
}

export interface ServedIndex {
  readonly suite: string;
  readonly component: string;
  readonly text: string;
}

export interface CorpusWorld {
  /** What points the tool at the world: registry endpoints, mirrors, indexes. */
  readonly env: Record<string, string>;
  readonly ports: ReadonlySet<number>;
  readonly log: readonly WorldRequest[];
  /** The identity a tag of a repository serves; undefined when the world lists no such tag. */
  imageOf(registry: string, repository: string, tag: string): WorldImage | undefined;
  /** The digest the world serves for a tag (of the index, or of the manifest for one platform). */
  digestOf(registry: string, repository: string, tag: string): Promise<string | undefined>;
  /** The Packages texts served for a Debian or Ubuntu release (release, -updates, -security). */
  aptIndexes(distro: 'debian' | 'ubuntu', release: string, arch: string): ServedIndex[];
  /** The APKINDEX texts served for an Alpine branch (main, community). */
  apkIndexes(branch: string, arch: string): ServedIndex[];
  pypi(project: string): readonly PypiRelease[] | undefined;
  /** The newest release a language registry serves (npm dist-tag latest, newest final gem/module/crate). */
  latest(kind: 'npm' | 'gem' | 'go' | 'cargo', name: string): string | undefined;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Releases, as this world knows them (its own table: the product's is what is under test)

interface DistroRelease {
  readonly version?: string;
  readonly python: string;
}

export const DEBIAN_RELEASES: Readonly<Record<string, DistroRelease>> = {
  stretch: { version: '9', python: '3.5' },
  buster: { version: '10', python: '3.7' },
  bullseye: { version: '11', python: '3.9' },
  bookworm: { version: '12', python: '3.11' },
  trixie: { version: '13', python: '3.13' },
  forky: { version: '14', python: '3.13' },
  sid: { python: '3.13' },
};

export const UBUNTU_RELEASES: Readonly<Record<string, DistroRelease>> = {
  xenial: { version: '16.04', python: '3.5' },
  bionic: { version: '18.04', python: '3.6' },
  focal: { version: '20.04', python: '3.8' },
  jammy: { version: '22.04', python: '3.10' },
  kinetic: { version: '22.10', python: '3.10' },
  lunar: { version: '23.04', python: '3.11' },
  mantic: { version: '23.10', python: '3.11' },
  noble: { version: '24.04', python: '3.12' },
  oracular: { version: '24.10', python: '3.12' },
  plucky: { version: '25.04', python: '3.13' },
  questing: { version: '25.10', python: '3.13' },
  resolute: { version: '26.04', python: '3.13' },
};

/** The python3 package of each Alpine branch. */
export const ALPINE_PYTHON: Readonly<Record<string, string>> = {
  '3.2': '3.4',
  '3.6': '3.6',
  '3.13': '3.8',
  '3.14': '3.9',
  '3.15': '3.9',
  '3.16': '3.10',
  '3.17': '3.10',
  '3.18': '3.11',
  '3.19': '3.11',
  '3.20': '3.12',
  '3.21': '3.12',
  '3.22': '3.12',
  '3.23': '3.12',
  '3.24': '3.12',
};

/** The branch an `alpine` word without a number means in this world. */
const DEFAULT_ALPINE = '3.22';
/** The release a Debian-based image's tag means when it names none. */
const DEFAULT_DEBIAN = 'bookworm';
const EPOCH = '2025-06-01T00:00:00Z';

/** The Python a pip on a distro image installs for: the release's python3. */
export function distroPython(os: WorldOs): string | undefined {
  if (os.family === 'debian' || os.family === 'distroless') return DEBIAN_RELEASES[os.codename]?.python;
  if (os.family === 'ubuntu') return UBUNTU_RELEASES[os.codename]?.python;
  if (os.family === 'alpine') return ALPINE_PYTHON[os.branch];
  return undefined;
}

const sha256hex = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const digestOfBytes = (b: Buffer) => `sha256:${sha256hex(b)}`;

/** A stable small number from a text: the world's arbitrary choices are the same on every run. */
export function pick(text: string, n: number): number {
  return parseInt(sha256hex(text).slice(0, 8), 16) % n;
}

// ---------------------------------------------------------------------------------------------
// Tags → image identities

interface ParsedTag {
  readonly v: string;
  readonly nums?: readonly number[];
  readonly tokens: readonly string[];
}

/** `3.11.9-slim-bookworm` → v '', [3, 11, 9], [slim, bookworm]; `alpine` → no version, [alpine]. */
function parseTag(tag: string): ParsedTag {
  const m = /^(v?)(\d+(?:\.\d+)*)(.*)$/.exec(tag);
  if (m && !/^\d{8,}/.test(tag) && (m[3] === '' || /^[-_]/.test(m[3]))) {
    return { v: m[1], nums: m[2].split('.').map(Number), tokens: tokensOf(m[3]) };
  }
  return { v: '', tokens: tokensOf(tag) };
}

function tokensOf(rest: string): string[] {
  return rest
    .replace(/^-/, '')
    .split('-')
    .filter((t) => t !== '');
}

type RepoKind = 'debian' | 'ubuntu' | 'alpine' | 'generic';

interface Repo {
  readonly key: string;
  readonly registry: string;
  readonly repository: string;
  readonly name: string;
  readonly kind: RepoKind;
  readonly fullLength: number;
  readonly mentioned: readonly (readonly number[])[];
  readonly baseOs: WorldOs;
  readonly slimStyle?: 'before-codename' | 'after-codename';
  readonly codenameStyle?: 'end' | 'before-slim';
  /** Served tag → identity key. */
  readonly tags: Map<string, string>;
  readonly identities: Map<string, WorldImage>;
  readonly built: Map<string, Promise<BuiltImage>>;
  /** Manifests and blobs by digest, as they are built. */
  readonly manifests: Map<string, { type: string; body: Buffer }>;
  readonly blobs: Map<string, Buffer>;
}

function formatNums(repo: Repo, nums: readonly number[]): string {
  if (repo.kind === 'ubuntu' && nums.length === 2) return `${nums[0]}.${String(nums[1]).padStart(2, '0')}`;
  return nums.join('.');
}

/** The full version a loose one stands for: the newest the world has of that line. */
function fullVersion(repo: Repo, nums: readonly number[]): number[] {
  const out = [...nums];
  for (let guard = 0; guard < 8; guard++) {
    const longer = repo.mentioned.filter((m) => m.length > out.length && out.every((n, i) => m[i] === n));
    if (out.length >= repo.fullLength && longer.length === 0) break;
    out.push(
      longer.length > 0
        ? Math.max(...longer.map((m) => m[out.length]))
        : out.length === 0
          ? 1
          : 1 + pick(`${repo.key}:${out.join('.')}`, out.length === 1 ? 9 : 19),
    );
  }
  return out;
}

function debianByVersion(major: string): string | undefined {
  return Object.entries(DEBIAN_RELEASES).find(([, r]) => r.version === major)?.[0];
}

function ubuntuByVersion(version: string): string | undefined {
  return Object.entries(UBUNTU_RELEASES).find(([, r]) => r.version === version)?.[0];
}

const OFFICIAL = (repo: string) => repo.startsWith('docker.io/library/');

function baseOsOf(registry: string, repository: string): WorldOs {
  const r = `${registry}/${repository}`.toLowerCase();
  const last = repository.split('/').pop() ?? '';
  if (/(^|\/)windows\/|servercore|nanoserver|dotnet\/framework|microsoft\/aspnet/.test(r))
    return { family: 'windows' };
  if (/distroless\/|chainguard\/static/.test(r))
    return { family: 'distroless', codename: /debian13/.test(r) ? 'trixie' : 'bookworm' };
  if (
    /^(moby-bin|buildx-bin|compose-bin|cli-bin|xx|undock|php-extension-installer|addlicense|dottie|uv|osxcross)$/.test(
      last,
    )
  )
    return { family: 'scratch' };
  if (/busybox/.test(r)) return { family: 'busybox' };
  if (/opensuse/.test(r)) return { family: 'rhel', id: 'opensuse-leap', version: '15.6', manager: 'zypper' };
  if (/ubi-micro|minio\//.test(r)) return { family: 'rhel', id: 'rhel', version: '9.6' };
  if (/ubi-minimal/.test(r)) return { family: 'rhel', id: 'rhel', version: '8.10', manager: 'microdnf' };
  if (/ubi9|rhel|s2i-base-c9s|projectquay/.test(r))
    return { family: 'rhel', id: 'rhel', version: '9.6', manager: 'dnf' };
  if (/centos/.test(r)) return { family: 'rhel', id: 'centos', version: '7', manager: 'yum' };
  if (/fedora/.test(r)) return { family: 'rhel', id: 'fedora', version: '42', manager: 'dnf' };
  if (/manylinux/.test(r)) return { family: 'rhel', id: 'almalinux', version: '8.10', manager: 'dnf' };
  if (/lambda\//.test(r)) return { family: 'rhel', id: 'amzn', version: '2023', manager: 'dnf' };
  if (/alpine|buildkit|openzipkin|n8nio\/n8n/.test(r))
    return { family: 'alpine', branch: DEFAULT_ALPINE, patch: 2 };
  if (/eclipse-temurin|powershell|pytorch|jupyterhub/.test(r)) return { family: 'ubuntu', codename: 'noble' };
  if (/rocm\/dev-ubuntu-22\.04|tensorflow/.test(r)) return { family: 'ubuntu', codename: 'jammy' };
  return { family: 'debian', codename: DEFAULT_DEBIAN };
}

function makeRepo(key: string, tags: ReadonlySet<string>): Repo {
  const slash = key.indexOf('/');
  const registry = key.slice(0, slash);
  const repository = key.slice(slash + 1);
  const name = repository.split('/').pop() as string;
  const kind: RepoKind =
    registry === 'docker.io' && ['library/debian', 'library/ubuntu', 'library/alpine'].includes(repository)
      ? (name as RepoKind)
      : 'generic';
  const official = OFFICIAL(key);
  const mentioned = [...tags].flatMap((t) => {
    const p = parseTag(t);
    return p.nums ? [p.nums] : [];
  });
  const slimStyle = !official
    ? undefined
    : ['python', 'ruby', 'perl'].includes(name)
      ? 'before-codename'
      : ['node', 'debian'].includes(name)
        ? 'after-codename'
        : undefined;
  const codenameStyle = !official
    ? undefined
    : name === 'node'
      ? 'before-slim'
      : ['python', 'ruby', 'perl', 'golang', 'rust', 'php', 'buildpack-deps', 'httpd'].includes(name)
        ? 'end'
        : undefined;
  return {
    key,
    registry,
    repository,
    name,
    kind,
    fullLength: kind === 'debian' || kind === 'ubuntu' ? 2 : 3,
    mentioned,
    baseOs: baseOsOf(registry, repository),
    slimStyle,
    codenameStyle,
    tags: new Map(),
    identities: new Map(),
    built: new Map(),
    manifests: new Map(),
    blobs: new Map(),
  };
}

function osKey(os: WorldOs): string {
  switch (os.family) {
    case 'debian':
    case 'ubuntu':
    case 'distroless':
      return `${os.family}:${os.codename}`;
    case 'alpine':
      return `alpine:${os.branch}`;
    case 'rhel':
      return `rhel:${os.id}:${os.version}`;
    default:
      return os.family;
  }
}

/** `python3.10`, `py3.12`; a bare `3.10` only in a repository named for Python. */
function pythonToken(repo: Repo, token: string): RegExpExecArray | null {
  return /python/.test(repo.repository)
    ? /^(?:python|py)?(\d)\.(\d+)$/.exec(token)
    : /^(?:python|py)(\d)\.(\d+)$/.exec(token);
}

/** The identity a tag stands for in a repository: a pure function of the two. */
function identityOf(repo: Repo, tag: string): WorldImage {
  const parsed = parseTag(tag === '' ? 'latest' : tag);
  let slim = false;
  let named: WorldOs | undefined;
  const core: string[] = [];
  for (const t of parsed.tokens) {
    const low = t.toLowerCase();
    let m: RegExpExecArray | null;
    if (low === 'slim') slim = true;
    else if (['latest', 'stable', 'lts'].includes(low)) continue;
    else if (DEBIAN_RELEASES[low]) named = { family: 'debian', codename: low };
    else if (UBUNTU_RELEASES[low]) named = { family: 'ubuntu', codename: low };
    else if ((m = /^alpine(\d+\.\d+)?$/.exec(low)))
      named = { family: 'alpine', branch: m[1] ?? DEFAULT_ALPINE, patch: 1 + pick(low, 4) };
    else if ((m = /^ubuntu(\d+\.\d+)$/.exec(low)) && ubuntuByVersion(m[1]))
      named = { family: 'ubuntu', codename: ubuntuByVersion(m[1]) as string };
    else if ((m = /^debian(\d+)$/.exec(low)) && debianByVersion(m[1]))
      named = { family: 'debian', codename: debianByVersion(m[1]) as string };
    else core.push(t);
  }
  let version: number[] | undefined;
  let os: WorldOs;
  if (repo.kind === 'debian') {
    if (parsed.nums) version = fullVersion(repo, parsed.nums);
    else if (named?.family === 'debian')
      version = DEBIAN_RELEASES[named.codename].version
        ? fullVersion(repo, [Number(DEBIAN_RELEASES[named.codename].version)])
        : undefined;
    else version = fullVersion(repo, []);
    const codename = version ? debianByVersion(String(version[0])) : undefined;
    os = { family: 'debian', codename: codename ?? (named?.family === 'debian' ? named.codename : 'sid') };
  } else if (repo.kind === 'ubuntu') {
    if (parsed.nums) version = fullVersion(repo, parsed.nums);
    else if (named?.family === 'ubuntu')
      version = (UBUNTU_RELEASES[named.codename].version as string).split('.').map(Number);
    else version = fullVersion(repo, []);
    const codename = ubuntuByVersion(formatNums(repo, version.slice(0, 2)));
    os = { family: 'ubuntu', codename: codename ?? 'noble' };
  } else if (repo.kind === 'alpine') {
    version = fullVersion(repo, parsed.nums ?? []);
    os = { family: 'alpine', branch: `${version[0]}.${version[1]}`, patch: version[2] ?? 0 };
  } else {
    version = fullVersion(repo, parsed.nums ?? []);
    os = repo.baseOs;
    if (named && !(os.family === 'scratch' && !core.some((c) => pythonToken(repo, c))))
      os =
        os.family === 'distroless' && named.family === 'debian' ? { ...os, codename: named.codename } : named;
  }
  // The Python the image carries itself, then the one its distro's python3 package gives.
  let ownPython: string | undefined;
  const token = core.map((c) => pythonToken(repo, c)).find((m) => m !== null);
  if (token) ownPython = `${token[1]}.${token[2]}.${1 + pick(repo.key + token[0], 9)}`;
  else if (repo.name === 'python' && version && version.length >= 2 && version[0] <= 3)
    ownPython = `${version[0]}.${version[1]}.${version[2] ?? 1 + pick(repo.key, 9)}`;
  else if (/continuumio\//.test(repo.repository)) ownPython = '3.12.7';
  else if (os.family === 'distroless' && /python3/.test(repo.repository))
    ownPython = `${DEBIAN_RELEASES[os.codename].python}.2`;
  const python = ownPython
    ? ownPython.split('.').slice(0, 2).join('.')
    : os.family === 'distroless' || os.family === 'scratch'
      ? undefined
      : distroPython(os);
  const key = `${version ? version.join('.') : '-'}|${core.join('-')}|${slim ? 'slim' : ''}|${osKey(os)}`;
  const low = `${repo.key}:${tag}`.toLowerCase();
  const arches =
    os.family === 'windows'
      ? ['amd64']
      : /aarch64|arm64v8/.test(low)
        ? ['arm64']
        : /amd64/.test(low)
          ? ['amd64']
          : ['amd64', 'arm64'];
  return {
    key,
    repo: repo.key,
    ...(version ? { version } : {}),
    core,
    slim,
    os,
    ...(python ? { python } : {}),
    ...(ownPython ? { ownPython } : {}),
    user: defaultUser(repo, core),
    arches,
  };
}

function defaultUser(repo: Repo, core: readonly string[]): string {
  if (core.includes('nonroot') || /chainguard\/static/.test(repo.key)) return '65532';
  if (/nginx-unprivileged/.test(repo.key)) return '101';
  if (/micromamba/.test(repo.key)) return 'mambauser';
  if (/n8nio\/n8n/.test(repo.key)) return 'node';
  return '';
}

function joinTag(
  v: string,
  nums: readonly number[] | undefined,
  tokens: readonly string[],
  repo: Repo,
): string {
  let s = nums ? v + formatNums(repo, nums) : '';
  for (const t of tokens) s += (s === '' ? '' : t.startsWith('_') ? '' : '-') + t;
  return s;
}

const NOT_SLIMMABLE = /slim|alpine|windowsservercore|nanoserver|onbuild|wheezy|jessie|stretch/;

/** The tags the world lists beside a tag: its full version, the lines it refines, older patches, codename and slim forms. */
function relatedTags(repo: Repo, tag: string): { tag: string; expand: boolean }[] {
  const p = parseTag(tag);
  const out: { tag: string; expand: boolean }[] = [];
  const id = identityOf(repo, tag);
  const plain = p.tokens.filter((t) => !['latest', 'stable', 'lts'].includes(t.toLowerCase()));
  const isLatest = !p.nums && plain.length === 0;
  const full = id.version;
  if (full && (p.nums || isLatest) && repo.kind !== 'ubuntu') {
    const fullTag = joinTag(p.v, full, plain, repo);
    out.push({ tag: fullTag, expand: true });
    for (let k = 1; k < full.length; k++)
      out.push({ tag: joinTag(p.v, full.slice(0, k), plain, repo), expand: true });
    const last = full[full.length - 1];
    if (last > 0)
      out.push({ tag: joinTag(p.v, [...full.slice(0, -1), last - 1], plain, repo), expand: false });
  }
  if (repo.kind === 'ubuntu' && isLatest && full) out.push({ tag: formatNums(repo, full), expand: true });
  const os = id.os;
  const namesOs = p.tokens.some(
    (t) => DEBIAN_RELEASES[t.toLowerCase()] || UBUNTU_RELEASES[t.toLowerCase()] || /^alpine/i.test(t),
  );
  if ((os.family === 'debian' || os.family === 'ubuntu') && !namesOs) {
    if (repo.kind === 'debian' || repo.kind === 'ubuntu') {
      out.push({ tag: joinTag('', undefined, [os.codename, ...plain], repo), expand: true });
    } else if (repo.codenameStyle) {
      const tokens = [...p.tokens.filter((t) => !['latest', 'stable', 'lts'].includes(t))];
      const at =
        repo.codenameStyle === 'before-slim' && tokens.includes('slim')
          ? tokens.indexOf('slim')
          : tokens.length;
      tokens.splice(at, 0, os.codename);
      out.push({ tag: joinTag(p.v, p.nums, tokens, repo), expand: true });
    }
  }
  if (repo.kind === 'debian' && !p.nums && id.version && namesOs)
    out.push({
      tag: joinTag(
        '',
        id.version.slice(0, 1),
        plain.filter((t) => !DEBIAN_RELEASES[t]),
        repo,
      ),
      expand: true,
    });
  if (repo.kind === 'ubuntu' && !p.nums && id.version && namesOs && plain.length === 1)
    out.push({ tag: formatNums(repo, id.version), expand: true });
  if (repo.slimStyle && !id.slim && !NOT_SLIMMABLE.test(tag) && os.family !== 'alpine') {
    if (isLatest) out.push({ tag: repo.name === 'debian' ? 'stable-slim' : 'slim', expand: true });
    else {
      const tokens = [...p.tokens];
      const codename = tokens.findIndex((t) => DEBIAN_RELEASES[t.toLowerCase()] !== undefined);
      if (repo.slimStyle === 'before-codename' && codename >= 0) tokens.splice(codename, 0, 'slim');
      else tokens.push('slim');
      out.push({ tag: joinTag(p.v, p.nums, tokens, repo), expand: true });
    }
  }
  return out.filter((o) => o.tag !== tag && /^[\w][\w.-]{0,127}$/.test(o.tag));
}

function addTags(repo: Repo, corpusTags: ReadonlySet<string>): void {
  const queue: { tag: string; depth: number }[] = [...corpusTags].map((t) => ({
    tag: t === '' ? 'latest' : t,
    depth: 0,
  }));
  while (queue.length > 0) {
    const { tag, depth } = queue.shift() as { tag: string; depth: number };
    if (repo.tags.has(tag)) continue;
    const id = identityOf(repo, tag);
    repo.tags.set(tag, id.key);
    if (!repo.identities.has(id.key)) repo.identities.set(id.key, id);
    if (depth >= 4) continue;
    for (const r of relatedTags(repo, tag)) {
      if (repo.tags.has(r.tag)) continue;
      if (r.expand) queue.push({ tag: r.tag, depth: depth + 1 });
      else {
        const older = identityOf(repo, r.tag);
        repo.tags.set(r.tag, older.key);
        if (!repo.identities.has(older.key)) repo.identities.set(older.key, older);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Image bytes

interface Entry {
  readonly name: string;
  readonly type?: 'file' | 'directory' | 'symlink';
  readonly content?: string;
  readonly linkname?: string;
  readonly mode?: number;
}

interface BuiltImage {
  readonly digest: string;
  readonly type: string;
}

const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

const BIN = (name: string) => ({ name, content: `#!binary ${name}\n`, mode: 0o755 });

function passwdOf(id: WorldImage, repo: Repo): { passwd: string; group: string } {
  const users: [string, number, number, string, string][] = [['root', 0, 0, '/root', '/bin/bash']];
  const groups: [string, number][] = [['root', 0]];
  const f = id.os.family;
  if (f === 'debian' || f === 'ubuntu') {
    users.push(
      ['daemon', 1, 1, '/usr/sbin', '/usr/sbin/nologin'],
      ['bin', 2, 2, '/bin', '/usr/sbin/nologin'],
      ['sys', 3, 3, '/dev', '/usr/sbin/nologin'],
      ['www-data', 33, 33, '/var/www', '/usr/sbin/nologin'],
      ['nobody', 65534, 65534, '/nonexistent', '/usr/sbin/nologin'],
      ['_apt', 42, 65534, '/nonexistent', '/usr/sbin/nologin'],
    );
    groups.push(['daemon', 1], ['bin', 2], ['sys', 3], ['www-data', 33], ['users', 100], ['nogroup', 65534]);
    if (f === 'ubuntu' && /noble|oracular|plucky|questing|resolute/.test(id.os.codename)) {
      users.push(['ubuntu', 1000, 1000, '/home/ubuntu', '/bin/bash']);
      groups.push(['ubuntu', 1000]);
    }
  } else if (f === 'alpine' || f === 'busybox') {
    users[0][4] = '/bin/sh';
    users.push(
      ['bin', 1, 1, '/bin', '/sbin/nologin'],
      ['daemon', 2, 2, '/sbin', '/sbin/nologin'],
      ['nobody', 65534, 65534, '/', '/sbin/nologin'],
    );
    groups.push(['bin', 1], ['daemon', 2], ['nogroup', 65533], ['nobody', 65534]);
  } else if (f === 'rhel') {
    users.push(['bin', 1, 1, '/bin', '/sbin/nologin'], ['nobody', 65534, 65534, '/', '/sbin/nologin']);
    groups.push(['bin', 1], ['nobody', 65534]);
  } else if (f === 'distroless') {
    users[0][4] = '/sbin/nologin';
    users.push(
      ['nobody', 65534, 65534, '/nonexistent', '/sbin/nologin'],
      ['nonroot', 65532, 65532, '/home/nonroot', '/sbin/nologin'],
    );
    groups.push(['nonroot', 65532], ['nobody', 65534]);
  }
  if (repo.name === 'node' || /n8n/.test(repo.key)) {
    users.push(['node', 1000, 1000, '/home/node', '/bin/sh']);
    groups.push(['node', 1000]);
  }
  if (/nginx/.test(repo.key)) {
    users.push(['nginx', 101, 101, '/nonexistent', '/bin/false']);
    groups.push(['nginx', 101]);
  }
  if (/micromamba/.test(repo.key)) {
    users.push(['mambauser', 57439, 57439, '/home/mambauser', '/bin/bash']);
    groups.push(['mambauser', 57439]);
  }
  return {
    passwd: users.map(([n, u, g, h, s]) => `${n}:x:${u}:${g}:${n}:${h}:${s}\n`).join(''),
    group: groups.map(([n, g]) => `${n}:x:${g}:\n`).join(''),
  };
}

function osRelease(os: WorldOs): string | undefined {
  switch (os.family) {
    case 'debian':
    case 'distroless': {
      const r = DEBIAN_RELEASES[os.codename];
      const pretty = r.version
        ? `Debian GNU/Linux ${r.version} (${os.codename})`
        : `Debian GNU/Linux ${os.codename === 'sid' ? 'forky/sid' : os.codename}`;
      return [
        `PRETTY_NAME="${pretty}"`,
        'NAME="Debian GNU/Linux"',
        ...(r.version ? [`VERSION_ID="${r.version}"`, `VERSION="${r.version} (${os.codename})"`] : []),
        `VERSION_CODENAME=${os.codename}`,
        'ID=debian',
        'HOME_URL="https://debian.test/"',
        '',
      ].join('\n');
    }
    case 'ubuntu': {
      const r = UBUNTU_RELEASES[os.codename];
      return [
        `PRETTY_NAME="Ubuntu ${r.version} LTS"`,
        'NAME="Ubuntu"',
        `VERSION_ID="${r.version}"`,
        `VERSION="${r.version} LTS (${os.codename})"`,
        `VERSION_CODENAME=${os.codename}`,
        'ID=ubuntu',
        'ID_LIKE=debian',
        `UBUNTU_CODENAME=${os.codename}`,
        '',
      ].join('\n');
    }
    case 'alpine':
      return [
        'NAME="Alpine Linux"',
        'ID=alpine',
        `VERSION_ID=${os.branch}.${os.patch}`,
        `PRETTY_NAME="Alpine Linux v${os.branch}"`,
        'HOME_URL="https://alpinelinux.org/"',
        '',
      ].join('\n');
    case 'rhel':
      return [
        `NAME="${os.id}"`,
        `VERSION="${os.version}"`,
        `ID="${os.id}"`,
        'ID_LIKE="rhel centos fedora"',
        `VERSION_ID="${os.version}"`,
        `PRETTY_NAME="${os.id} ${os.version}"`,
        '',
      ].join('\n');
    default:
      return undefined;
  }
}

/** The base layer's files: what an image of this OS has where facts look. */
function rootfs(id: WorldImage, repo: Repo): Entry[] {
  const os = id.os;
  const dir = (name: string): Entry => ({ name, type: 'directory' });
  const link = (name: string, linkname: string): Entry => ({ name, type: 'symlink', linkname });
  const { passwd, group } = passwdOf(id, repo);
  const ids: Entry[] = [
    { name: 'etc/passwd', content: passwd },
    { name: 'etc/group', content: group },
  ];
  const release = osRelease(os);
  switch (os.family) {
    case 'debian':
    case 'ubuntu': {
      const merged =
        os.family === 'debian'
          ? !['stretch', 'buster', 'bullseye'].includes(os.codename)
          : !['xenial', 'bionic'].includes(os.codename);
      const bin = merged ? 'usr/bin' : 'bin';
      const entries: Entry[] = [dir('etc'), dir('usr'), dir('usr/bin'), dir('usr/sbin'), dir('usr/lib')];
      if (merged) entries.push(link('bin', 'usr/bin'), link('sbin', 'usr/sbin'), link('lib', 'usr/lib'));
      else entries.push(dir('bin'), dir('sbin'));
      entries.push(
        BIN(`${bin}/dash`),
        BIN(`${bin}/bash`),
        link(`${bin}/sh`, 'dash'),
        BIN('usr/bin/apt-get'),
        BIN('usr/bin/dpkg'),
        BIN('usr/sbin/useradd'),
        BIN('usr/sbin/groupadd'),
        { name: 'usr/lib/os-release', content: release },
        link('etc/os-release', '../usr/lib/os-release'),
        ...ids,
      );
      if (os.family === 'debian') {
        entries.push(dir('etc/apt'), dir('etc/apt/sources.list.d'), {
          name: 'etc/apt/sources.list.d/debian.sources',
          content: [
            'Types: deb',
            'URIs: http://debian-archive.test/debian',
            `Suites: ${os.codename} ${os.codename}-updates`,
            'Components: main',
            '',
            'Types: deb',
            'URIs: http://debian-archive.test/debian-security',
            `Suites: ${os.codename}-security`,
            'Components: main',
            '',
          ].join('\n'),
        });
      } else {
        entries.push(dir('etc/apt'), {
          name: 'etc/apt/sources.list',
          content: `deb http://archive.ubuntu.com/ubuntu/ ${os.codename} main universe\n`,
        });
      }
      return entries;
    }
    case 'alpine':
      return [
        dir('bin'),
        dir('sbin'),
        dir('etc'),
        { ...BIN('bin/busybox') },
        link('bin/sh', '/bin/busybox'),
        // Alpine links each applet it installs, ash among them.
        link('bin/ash', '/bin/busybox'),
        BIN('sbin/apk'),
        { name: 'etc/os-release', content: release },
        { name: 'etc/alpine-release', content: `${os.branch}.${os.patch}\n` },
        ...ids,
      ];
    case 'rhel':
      return [
        dir('usr'),
        dir('usr/bin'),
        dir('usr/sbin'),
        link('bin', 'usr/bin'),
        BIN('usr/bin/bash'),
        link('usr/bin/sh', 'bash'),
        ...(os.manager ? [BIN(`usr/bin/${os.manager}`), BIN('usr/sbin/useradd')] : []),
        { name: 'etc/os-release', content: release },
        ...ids,
      ];
    case 'busybox':
      return [dir('bin'), BIN('bin/busybox'), link('bin/sh', 'busybox'), link('bin/ash', 'busybox'), ...ids];
    case 'distroless':
      return [dir('etc'), { name: 'etc/os-release', content: release }, ...ids, BIN('usr/bin/tini-static')];
    case 'windows':
      return [dir('Files'), BIN('Files/Windows/System32/cmd.exe'), { name: 'Hives/Software_Delta' }];
    default:
      return [BIN(`usr/local/bin/${repo.name}`)];
  }
}

/** The second layer: the image's own Python, where it has one. */
function pythonLayer(id: WorldImage): Entry[] | undefined {
  if (!id.ownPython) return undefined;
  const [major, minor] = id.ownPython.split('.');
  const where = /continuumio/.test(id.repo)
    ? 'opt/conda/bin'
    : id.os.family === 'distroless'
      ? 'usr/bin'
      : 'usr/local/bin';
  return [
    { name: where.split('/')[0], type: 'directory' },
    BIN(`${where}/python${major}.${minor}`),
    { name: `${where}/python${major}`, type: 'symlink', linkname: `python${major}.${minor}` },
  ];
}

async function buildImage(repo: Repo, id: WorldImage): Promise<BuiltImage> {
  const platformManifests: { arch: string; digest: string; size: number; type: string }[] = [];
  const multi = id.arches.length > 1;
  // Official images come as OCI indexes; others as Docker manifest lists or single manifests.
  const oci = OFFICIAL(repo.key) || pick(repo.key, 2) === 0;
  for (const arch of id.arches) {
    const layers: Buffer[] = [];
    const diffIds: string[] = [];
    for (const entries of [rootfs(id, repo), pythonLayer(id)]) {
      if (!entries) continue;
      const tar = await tarOf(entries, new Date(EPOCH));
      diffIds.push(digestOfBytes(tar));
      layers.push(gzipSync(tar));
    }
    const env = [
      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      ...(id.ownPython && repo.name === 'python' ? [`PYTHON_VERSION=${id.ownPython}`, 'LANG=C.UTF-8'] : []),
      ...(repo.name === 'node' ? [`NODE_VERSION=${(id.version ?? [22]).join('.')}`] : []),
    ];
    const config = {
      architecture: arch,
      ...(arch === 'arm64' ? { variant: 'v8' } : {}),
      os: id.os.family === 'windows' ? 'windows' : 'linux',
      ...(id.os.family === 'windows' ? { 'os.version': '10.0.20348.3207' } : {}),
      created: EPOCH,
      config: {
        ...(id.user ? { User: id.user } : {}),
        Env: env,
        Cmd: id.os.family === 'scratch' || id.os.family === 'distroless' ? null : ['/bin/sh'],
        Entrypoint: id.os.family === 'scratch' ? [`/usr/local/bin/${repo.name}`] : null,
        Labels: { 'org.opencontainers.image.version': `${repo.key} ${id.key}` },
      },
      rootfs: { type: 'layers', diff_ids: diffIds },
      history: [
        { created: EPOCH, created_by: `# world image ${repo.key} ${id.key} ${arch}` },
        ...(layers.length > 1
          ? [{ created: EPOCH, created_by: 'RUN /bin/sh -c install python # buildkit' }]
          : []),
        { created: EPOCH, created_by: 'CMD ["/bin/sh"]', empty_layer: true },
      ],
    };
    const configBytes = Buffer.from(JSON.stringify(config));
    const configDigest = digestOfBytes(configBytes);
    repo.blobs.set(configDigest, configBytes);
    for (const l of layers) repo.blobs.set(digestOfBytes(l), l);
    const manifestType = oci ? OCI_MANIFEST : DOCKER_MANIFEST;
    const manifest = Buffer.from(
      JSON.stringify(
        {
          schemaVersion: 2,
          mediaType: manifestType,
          config: {
            mediaType: oci
              ? 'application/vnd.oci.image.config.v1+json'
              : 'application/vnd.docker.container.image.v1+json',
            digest: configDigest,
            size: configBytes.length,
          },
          layers: layers.map((l) => ({
            mediaType: oci
              ? 'application/vnd.oci.image.layer.v1.tar+gzip'
              : 'application/vnd.docker.image.rootfs.diff.tar.gzip',
            digest: digestOfBytes(l),
            size: l.length,
          })),
        },
        null,
        3,
      ),
    );
    const digest = digestOfBytes(manifest);
    repo.manifests.set(digest, { type: manifestType, body: manifest });
    platformManifests.push({ arch, digest, size: manifest.length, type: manifestType });
  }
  if (!multi && (!OFFICIAL(repo.key) || id.os.family === 'windows')) {
    const only = platformManifests[0];
    return { digest: only.digest, type: only.type };
  }
  const type = oci ? OCI_INDEX : DOCKER_LIST;
  const entries: Record<string, unknown>[] = platformManifests.map((m) => ({
    mediaType: m.type,
    digest: m.digest,
    size: m.size,
    platform: {
      architecture: m.arch,
      os: id.os.family === 'windows' ? 'windows' : 'linux',
      ...(m.arch === 'arm64' ? { variant: 'v8' } : {}),
      ...(id.os.family === 'windows' ? { 'os.version': '10.0.20348.3207' } : {}),
    },
  }));
  if (oci && OFFICIAL(repo.key)) {
    // Docker Hub's official images carry build attestations as unknown/unknown manifests.
    const attestation = Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: {}, layers: [], note: id.key }),
    );
    const digest = digestOfBytes(attestation);
    repo.manifests.set(digest, { type: OCI_MANIFEST, body: attestation });
    entries.push({
      mediaType: OCI_MANIFEST,
      digest,
      size: attestation.length,
      annotations: { 'vnd.docker.reference.type': 'attestation-manifest' },
      platform: { architecture: 'unknown', os: 'unknown' },
    });
  }
  const index = Buffer.from(
    JSON.stringify({ schemaVersion: 2, mediaType: type, manifests: entries }, null, 3),
  );
  const digest = digestOfBytes(index);
  repo.manifests.set(digest, { type, body: index });
  return { digest, type };
}

function built(repo: Repo, key: string): Promise<BuiltImage> {
  let pending = repo.built.get(key);
  if (!pending) {
    pending = buildImage(repo, repo.identities.get(key) as WorldImage);
    repo.built.set(key, pending);
  }
  return pending;
}

// ---------------------------------------------------------------------------------------------
// Debian, Ubuntu and Alpine indexes

const APT_LISTS = '/var/lib/apt/lists';

/** This machine's real bookworm Packages lists, decompressed by apt itself. */
function realBookwormLists(): Map<string, string> {
  const files = fs.existsSync(APT_LISTS) ? fs.readdirSync(APT_LISTS) : [];
  const out = new Map<string, string>();
  for (const suite of ['bookworm', 'bookworm-updates', 'bookworm-security']) {
    const file = files.find((f) =>
      new RegExp(`_dists_${suite}_main_binary-amd64_Packages(\\.(lz4|gz|xz|zst))?$`).test(f),
    );
    if (!file)
      throw new Error(
        `no ${suite} Packages list in ${APT_LISTS}: run apt-get update with Debian bookworm sources (.ci/run does)`,
      );
    out.set(
      suite,
      execFileSync('/usr/lib/apt/apt-helper', ['cat-file', `${APT_LISTS}/${file}`], {
        maxBuffer: 512 * 1024 * 1024,
      }).toString('utf8'),
    );
  }
  return out;
}

/** A synthetic version of a package in a release: a few shapes, spread over the three suites. */
function aptVersions(distro: 'debian' | 'ubuntu', release: string, name: string): Map<string, string> {
  const h = (s: string) => pick(`${distro}:${release}:${name}:${s}`, 1000);
  const upstream = `${1 + (h('a') % 4)}.${h('b') % 12}.${h('c') % 9}`;
  const rev = `${1 + (h('d') % 3)}`;
  const tag =
    distro === 'debian'
      ? `+deb${DEBIAN_RELEASES[release]?.version ?? '14'}u`
      : `ubuntu0.${UBUNTU_RELEASES[release]?.version ?? '26.04'}.`;
  const base = `${upstream}-${rev}`;
  const out = new Map<string, string>();
  switch (h('shape') % 7) {
    case 0:
      out.set(release, base);
      break;
    case 1:
      out.set(release, base).set(`${release}-updates`, `${base}${tag}1`);
      break;
    case 2:
      out.set(release, base).set(`${release}-security`, `${base}${tag}2`);
      break;
    case 3:
      out
        .set(release, base)
        .set(`${release}-updates`, `${base}${tag}1`)
        .set(`${release}-security`, `${base}${tag}3`);
      break;
    case 4:
      out
        .set(release, base)
        .set(`${release}-updates`, `${base}${tag}4`)
        .set(`${release}-security`, `${base}${tag}2`);
      break;
    case 5:
      out.set(release, `1:${base}`).set(`${release}-security`, `1:${base}${tag}1`);
      break;
    default:
      // A backport-style tilde sorts before the release's version: the release stays newest.
      out
        .set(release, `${upstream}-${Number(rev) + 1}`)
        .set(`${release}-updates`, `${upstream}-${Number(rev) + 1}~${tag.replace(/^\+/, '')}1`);
  }
  return out;
}

function packagesStanza(name: string, version: string, arch: string, component: string): string {
  const file = `pool/${component}/${name[0]}/${name}/${name}_${version.replace(/^\d+:/, '')}_${arch}.deb`;
  return [
    `Package: ${name}`,
    `Source: ${name}`,
    `Version: ${version}`,
    `Installed-Size: ${100 + pick(name, 900)}`,
    'Maintainer: World Maintainers <world@example.invalid>',
    `Architecture: ${arch}`,
    'Depends: libc6 (>= 2.17)',
    `Description: ${name} (synthetic, for the corpus world)`,
    `Section: ${component === 'universe' ? 'universe/misc' : 'misc'}`,
    'Priority: optional',
    `Filename: ${file}`,
    `Size: ${1000 + pick(version, 90000)}`,
    `SHA256: ${sha256hex(file)}`,
    '',
  ].join('\n');
}

/** Alpine's versions of a package in a branch, in main and community. */
function apkVersions(branch: string, name: string): { repo: string; version: string }[] {
  const h = (s: string) => pick(`${branch}:${name}:${s}`, 1000);
  const v = `${1 + (h('a') % 9)}.${h('b') % 20}.${h('c') % 12}`;
  switch (h('shape') % 5) {
    case 0:
      return [{ repo: 'main', version: `${v}-r${h('r') % 4}` }];
    case 1:
      return [
        { repo: 'main', version: `${v}-r1` },
        { repo: 'community', version: `${v}-r10` },
      ];
    case 2:
      return [{ repo: 'community', version: `${v}_p${1 + (h('p') % 3)}-r0` }];
    case 3:
      return [
        { repo: 'main', version: `${v}a-r3` },
        { repo: 'community', version: `${v}b-r0` },
      ];
    default:
      return [
        { repo: 'main', version: `${v.replace(/\.\d+$/, '.10')}-r0` },
        { repo: 'community', version: `${v.replace(/\.\d+$/, '.9')}-r5` },
      ];
  }
}

// ---------------------------------------------------------------------------------------------
// Language registries

/**
 * Releases of a PyPI project: a fixed ladder, plus releases around every version the corpus's
 * specifiers name (so ranges have something inside them). requires-python climbs with the version,
 * so the newest releases need a newer Python than many images have; one release is yanked, and a
 * release candidate sits above them all.
 */
function pypiReleases(project: string, mentioned: readonly string[]): PypiRelease[] {
  const under = project.replace(/-/g, '_');
  const file = (
    version: string,
    kind: 'whl' | 'sdist',
    requiresPython?: string,
    yanked = false,
  ): PypiFile => {
    const filename = kind === 'whl' ? `${under}-${version}-py3-none-any.whl` : `${under}-${version}.tar.gz`;
    return { filename, ...(requiresPython ? { requiresPython } : {}), yanked, sha256: sha256hex(filename) };
  };
  const versions = new Set(['0.9.0', '1.0.0', '1.4.2', '1.5.0', '2.0.0', '2.1.0']);
  if (pick(project, 2) === 0) versions.add('3.0.0');
  for (const m of mentioned) {
    const nums = m.split('.').map(Number);
    if (nums.some(Number.isNaN) || nums.length > 4) continue;
    while (nums.length < 3) nums.push(0);
    const [a, b, c] = nums;
    for (const v of [
      [a, b, c],
      [a, b, c + 1],
      [a, b + 1, 0],
      [a + 1, 0, 0],
      ...(b > 0 ? [[a, b - 1, 3]] : []),
    ])
      versions.add(v.join('.'));
  }
  const sorted = [...versions].sort(compareDotted);
  const ladder = [undefined, '>=3.6', '>= 3.8', '>=3.9', '>=3.10', '>=3.12', '>=3.13,<4'];
  const yank = sorted[Math.floor(sorted.length / 2)];
  const releases: PypiRelease[] = sorted.map((version, i) => {
    const requires =
      i === 0
        ? undefined
        : ladder[
            Math.min(ladder.length - 1, 1 + Math.floor(((i - 1) * (ladder.length - 1)) / sorted.length))
          ];
    const yanked = version === yank && !mentioned.includes(version);
    return {
      version,
      files: [
        file(version, 'whl', requires, yanked),
        ...(i % 2 === 0 ? [file(version, 'sdist', requires, yanked)] : []),
      ],
    };
  });
  const top = sorted[sorted.length - 1].split('.').map(Number);
  const rc = `${top[0]}.${top[1] + 1}.0rc1`;
  releases.push({ version: rc, files: [file(rc, 'whl', '>=3.8')] });
  return releases;
}

function pypiJson(project: string, releases: readonly PypiRelease[], base: string): string {
  return JSON.stringify({
    meta: { 'api-version': '1.1', _last_serial: 1 },
    name: project,
    files: releases.flatMap((r) =>
      r.files.map((f) => ({
        filename: f.filename,
        url: `${base}/packages/${f.filename}`,
        hashes: { sha256: f.sha256 },
        'requires-python': f.requiresPython ?? null,
        yanked: f.yanked ? 'broken release' : false,
        size: 1000,
        'upload-time': EPOCH,
      })),
    ),
    versions: releases.map((r) => r.version),
  });
}

function pypiHtml(project: string, releases: readonly PypiRelease[], base: string): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const links = releases.flatMap((r) =>
    r.files.map(
      (f) =>
        `    <a href="${base}/packages/${f.filename}#sha256=${f.sha256}"${
          f.requiresPython ? ` data-requires-python="${esc(f.requiresPython)}"` : ''
        }${f.yanked ? ' data-yanked="broken release"' : ''}>${f.filename}</a><br />`,
    ),
  );
  return `<!DOCTYPE html>\n<html>\n  <head><meta name="pypi:repository-version" content="1.1"><title>Links for ${project}</title></head>\n  <body>\n    <h1>Links for ${project}</h1>\n${links.join('\n')}\n  </body>\n</html>\n`;
}

/** The media type a PEP 691 client gets, by its Accept header's q-values. */
function negotiatePypi(accept: string | undefined): 'json' | 'html' {
  let best: { kind: 'json' | 'html'; q: number } = { kind: 'html', q: 0 };
  for (const part of (accept ?? 'text/html').split(',')) {
    const [type, ...params] = part.trim().split(';');
    const q = Number(params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find(Boolean) ?? 1);
    const kind =
      type === 'application/vnd.pypi.simple.v1+json' || type === 'application/vnd.pypi.simple.latest+json'
        ? 'json'
        : type === 'text/html' || type.startsWith('application/vnd.pypi.simple.v1+html') || type === '*/*'
          ? 'html'
          : undefined;
    if (kind && q > best.q) best = { kind, q };
  }
  return best.kind;
}

function npmVersions(name: string): { versions: string[]; latest: string } {
  const major = 1 + pick(name, 9);
  const versions = [
    `${major - 1}.9.3`,
    `${major}.0.0`,
    `${major}.2.${pick(name + 'p', 9)}`,
    `${major + 1}.0.0-beta.1`,
  ];
  return { versions, latest: versions[2] };
}

function gemVersions(name: string): { number: string; prerelease: boolean; platform: string }[] {
  const major = 1 + pick(name, 7);
  return [
    { number: `${major + 1}.0.0.rc1`, prerelease: true, platform: 'ruby' },
    { number: `${major}.4.${pick(name + 'p', 9)}`, prerelease: false, platform: 'java' },
    { number: `${major}.3.${pick(name + 'q', 9)}`, prerelease: false, platform: 'ruby' },
    { number: `${major}.3.${pick(name + 'q', 9)}`, prerelease: false, platform: 'x86_64-linux' },
    { number: `${major}.10.0`, prerelease: false, platform: 'ruby' },
    { number: `${major}.2.0`, prerelease: false, platform: 'ruby' },
  ];
}

/** The module a Go package path belongs to in this world: its repository root (with a /vN suffix). */
export function goModuleOf(pkg: string): string {
  const parts = pkg.split('/');
  const hosted = /^(github\.com|gitlab\.com|bitbucket\.org|golang\.org|go\.googlesource\.com)$/.test(
    parts[0],
  );
  let n = hosted ? 3 : Math.min(parts.length, 2);
  if (/^v\d+$/.test(parts[n] ?? '')) n++;
  return parts.slice(0, Math.min(n, parts.length)).join('/');
}

function goVersions(mod: string): string[] {
  const major = /\/v(\d+)$/.exec(mod)?.[1] ?? String(pick(mod, 2));
  return [`v${major}.1.0`, `v${major}.${2 + pick(mod, 20)}.${pick(mod + 'p', 9)}`, `v${major}.2.0`];
}

function crateVersions(name: string): { vers: string; yanked: boolean }[] {
  const major = pick(name, 15);
  return [
    { vers: `${major}.1.0`, yanked: false },
    { vers: `${major}.3.${pick(name + 'p', 9)}`, yanked: false },
    { vers: `${major}.4.0`, yanked: true },
    { vers: `${major + 1}.0.0-alpha.1`, yanked: false },
    { vers: `${major}.2.7`, yanked: false },
  ];
}

function sparsePath(crate: string): string {
  const n = crate.toLowerCase();
  if (n.length <= 2) return `${n.length}/${n}`;
  if (n.length === 3) return `3/${n[0]}/${n}`;
  return `${n.slice(0, 2)}/${n.slice(2, 4)}/${n}`;
}

// ---------------------------------------------------------------------------------------------
// Serving

interface Reply {
  readonly status: number;
  readonly note: RequestNote;
  readonly type?: string;
  readonly body?: Buffer | string;
  readonly headers?: Record<string, string>;
}

type Handler = (req: http.IncomingMessage, url: URL) => Reply | Promise<Reply>;

const json = (value: unknown, type = 'application/json'): Reply => ({
  status: 200,
  note: 'answered',
  type,
  body: JSON.stringify(value),
});
const missing = (note: RequestNote = 'missing'): Reply => ({
  status: 404,
  note,
  type: 'text/plain',
  body: 'not found\n',
});

/** Registries named in the corpus, one loopback server each. */
function registryHandler(
  registry: string,
  repos: Map<string, Repo>,
  pinned: ReadonlySet<string>,
  origin: () => string,
): Handler {
  const hub = registry === 'docker.io';
  const tokens = new Set<string>();
  return async (req, url) => {
    const p = url.pathname;
    if (hub && p === '/token') {
      const scope = url.searchParams.get('scope') ?? '';
      const token = `world-${sha256hex(scope).slice(0, 16)}`;
      tokens.add(`Bearer ${token}`);
      return json({ token, access_token: token, expires_in: 300, issued_at: EPOCH });
    }
    if (p === '/v2/' || p === '/v2') return json({});
    const m = /^\/v2\/(.+)\/(tags\/list|manifests\/[^/]+|blobs\/[^/]+)$/.exec(p);
    if (!m) return missing('unknown');
    if (hub && !tokens.has(req.headers.authorization ?? '')) {
      return {
        status: 401,
        note: 'challenge',
        type: 'application/json',
        body: JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }),
        headers: {
          'www-authenticate': `Bearer realm="${origin()}/token",service="registry.docker.io",scope="repository:${m[1]}:pull"`,
        },
      };
    }
    const repo = repos.get(`${registry}/${m[1]}`);
    if (!repo) return missing();
    const what = m[2];
    const headers = { 'docker-distribution-api-version': 'registry/2.0' };
    if (what === 'tags/list') {
      const all = [...repo.tags.keys()].sort();
      const n = Math.min(Number(url.searchParams.get('n') ?? 100) || 100, 100);
      const last = url.searchParams.get('last');
      const from = last ? all.findIndex((t) => t > last) : 0;
      const page = from < 0 ? [] : all.slice(from, from + n);
      const more = from >= 0 && from + n < all.length;
      const link = `${url.pathname}?n=${n}&last=${encodeURIComponent(page[page.length - 1] ?? '')}`;
      return {
        ...json({ name: repo.repository, tags: page }),
        headers: { ...headers, ...(more ? { link: `<${link}>; rel="next"` } : {}) },
      };
    }
    const ref = decodeURIComponent(what.slice(what.indexOf('/') + 1));
    if (what.startsWith('blobs/')) {
      const blob = repo.blobs.get(ref);
      if (!blob) return missing();
      return { status: 200, note: 'answered', type: 'application/octet-stream', body: blob, headers };
    }
    let doc: { type: string; body: Buffer } | undefined;
    if (ref.startsWith('sha256:')) {
      doc = repo.manifests.get(ref);
      if (!doc) return missing(pinned.has(ref) ? 'corpus-digest' : 'missing');
    } else {
      const key = repo.tags.get(ref);
      if (!key) return missing();
      const image = await built(repo, key);
      doc = repo.manifests.get(image.digest);
    }
    if (!doc) return missing();
    return {
      status: 200,
      note: 'answered',
      type: doc.type,
      body: doc.body,
      headers: { ...headers, 'docker-content-digest': digestOfBytes(doc.body) },
    };
  };
}

async function listen(
  handler: Handler,
  service: string,
  log: WorldRequest[],
): Promise<{
  server: http.Server;
  url: string;
  port: number;
  sockets: Set<Socket>;
}> {
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://world');
    Promise.resolve()
      .then(() => handler(req, url))
      .catch((err: unknown): Reply => ({ status: 500, note: 'unknown', body: String(err) }))
      .then((reply) => {
        log.push({
          service,
          method: req.method ?? 'GET',
          url: req.url ?? '/',
          status: reply.status,
          note: reply.note,
        });
        const body = reply.body === undefined ? Buffer.alloc(0) : Buffer.from(reply.body);
        res.statusCode = reply.status;
        if (reply.type) res.setHeader('content-type', reply.type);
        res.setHeader('content-length', body.length);
        for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
        res.end(req.method === 'HEAD' ? undefined : body);
      });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { server, url: `http://127.0.0.1:${port}`, port, sockets };
}

/** Starts the world's servers. */
export async function startCorpusWorld(input: WorldInput): Promise<CorpusWorld> {
  const log: WorldRequest[] = [];
  const repos = new Map<string, Repo>();
  for (const [key, tags] of input.images) {
    const repo = makeRepo(key, tags);
    addTags(repo, tags);
    repos.set(key, repo);
  }
  const real = realBookwormLists();
  const gz = new Map<string, Buffer>();
  const gzOf = (key: string, text: string) => {
    let out = gz.get(key);
    if (!out) gz.set(key, (out = gzipSync(text, { level: 1 })));
    return out;
  };

  const debArch = (arch: string) => (arch === 'all' ? 'amd64' : arch);
  const aptText = new Map<string, string | undefined>();
  /** The Packages text of one suite/component/arch, or undefined when the archive has none. */
  const aptIndex = (distro: 'debian' | 'ubuntu', suite: string, component: string, arch: string) => {
    const key = `${distro}/${suite}/${component}/${arch}`;
    if (aptText.has(key)) return aptText.get(key);
    const release = suite.replace(/-(updates|security)$/, '');
    const table = distro === 'debian' ? DEBIAN_RELEASES : UBUNTU_RELEASES;
    let text: string | undefined;
    if (!table[release] || (release === 'sid' && suite !== 'sid')) text = undefined;
    else if (distro === 'debian' && release === 'bookworm' && component === 'main') {
      const source = real.get(suite) as string;
      text =
        arch === 'amd64'
          ? source
          : source.replace(/^Architecture: amd64$/gm, `Architecture: ${debArch(arch)}`);
    } else if (distro === 'debian' && component !== 'main') text = undefined;
    else {
      const stanzas: string[] = [];
      for (const name of [...input.apt].sort()) {
        const version = aptVersions(distro, release, name).get(suite);
        if (!version) continue;
        const comp = distro === 'ubuntu' ? (pick(name, 3) === 0 ? 'universe' : 'main') : 'main';
        if (comp !== component) continue;
        stanzas.push(packagesStanza(name, version, pick(name, 5) === 0 ? 'all' : arch, comp));
      }
      text = stanzas.join('\n');
    }
    aptText.set(key, text);
    return text;
  };
  const archive =
    (distro: 'debian' | 'ubuntu', prefix: string): Handler =>
    (_req, url) => {
      const m = new RegExp(
        `^/${prefix}/dists/([a-z]+(?:-(?:updates|security))?)/([a-z]+)/binary-([a-z0-9]+)/Packages(\\.gz)?$`,
      ).exec(url.pathname);
      if (!m) return missing(url.pathname.startsWith(`/${prefix}/dists/`) ? 'protocol-404' : 'unknown');
      const [, suite, component, arch, packed] = m;
      const securityPath = prefix.endsWith('-security');
      if (distro === 'debian' && securityPath !== suite.endsWith('-security')) return missing();
      const release = suite.replace(/-(updates|security)$/, '');
      const table = distro === 'debian' ? DEBIAN_RELEASES : UBUNTU_RELEASES;
      if (!table[release]) return missing();
      const text = aptIndex(distro, suite, component, arch);
      if (text === undefined) return missing('protocol-404');
      return packed
        ? {
            status: 200,
            note: 'answered',
            type: 'application/x-gzip',
            body: gzOf(`${distro}/${suite}/${component}/${arch}`, text),
          }
        : { status: 200, note: 'answered', type: 'text/plain', body: text };
    };

  const apkText = new Map<string, string>();
  const apkIndex = (branch: string, repo: string, arch: string) => {
    const key = `${branch}/${repo}/${arch}`;
    let text = apkText.get(key);
    if (text === undefined) {
      const records: string[] = [];
      for (const name of [...input.apk].sort()) {
        for (const v of apkVersions(branch, name)) {
          if (v.repo !== repo) continue;
          records.push(
            [
              `C:Q1${Buffer.from(sha256hex(name + v.version).slice(0, 20), 'hex').toString('base64')}`,
              `P:${name}`,
              `V:${v.version}`,
              `A:${arch}`,
              `S:${1000 + pick(name, 9000)}`,
              `I:${4000 + pick(name, 90000)}`,
              `T:${name} (synthetic, for the corpus world)`,
              'U:https://example.invalid/',
              'L:MIT',
              `o:${name}`,
              't:1717200000',
              'D:so:libc.musl-x86_64.so.1',
              `p:cmd:${name}=${v.version}`,
              '',
            ].join('\n'),
          );
        }
      }
      apkText.set(key, (text = records.join('\n')));
    }
    return text;
  };
  const apkArchives = new Map<string, Promise<Buffer>>();
  const alpine: Handler = async (_req, url) => {
    const m = /^\/alpine\/v(\d+\.\d+)\/(main|community)\/([a-z0-9_]+)\/APKINDEX\.tar\.gz$/.exec(url.pathname);
    if (!m) return missing('unknown');
    const [, branch, repo, arch] = m;
    if (!/^3\.\d+$/.test(branch)) return missing();
    const key = `${branch}/${repo}/${arch}`;
    let archiveBytes = apkArchives.get(key);
    if (!archiveBytes) apkArchives.set(key, (archiveBytes = apkIndexArchive(apkIndex(branch, repo, arch))));
    return { status: 200, note: 'answered', type: 'application/octet-stream', body: await archiveBytes };
  };

  const services: { name: string; handler: Handler }[] = [];
  const registryNames = [...new Set([...repos.values()].map((r) => r.registry))].sort();
  const origins = new Map<string, string>();
  for (const registry of registryNames) {
    services.push({
      name: `registry ${registry}`,
      handler: registryHandler(registry, repos, input.pinnedDigests, () => origins.get(registry) as string),
    });
  }
  services.push({
    name: 'debian archive',
    handler: (req, url) =>
      url.pathname.startsWith('/debian-security/')
        ? archive('debian', 'debian-security')(req, url)
        : archive('debian', 'debian')(req, url),
  });
  services.push({ name: 'archive.ubuntu.com', handler: archive('ubuntu', 'ubuntu') });
  services.push({ name: 'dl-cdn.alpinelinux.org', handler: alpine });
  let pypiOrigin = '';
  services.push({
    name: 'pypi.org',
    handler: (req, url) => {
      const m = /^\/simple\/([^/]+)\/$/.exec(url.pathname);
      if (!m) return missing('unknown');
      const normal = m[1].toLowerCase().replace(/[-_.]+/g, '-');
      if (normal !== m[1])
        return { status: 301, note: 'answered', headers: { location: `/simple/${normal}/` } };
      if (!input.pip.has(normal)) return missing();
      const releases = pypiReleases(normal, input.pip.get(normal) ?? []);
      return negotiatePypi(req.headers.accept) === 'json'
        ? {
            status: 200,
            note: 'answered',
            type: 'application/vnd.pypi.simple.v1+json',
            body: pypiJson(normal, releases, pypiOrigin),
          }
        : {
            status: 200,
            note: 'answered',
            type: 'application/vnd.pypi.simple.v1+html',
            body: pypiHtml(normal, releases, pypiOrigin),
          };
    },
  });
  services.push({
    name: 'npm registry',
    handler: (_req, url) => {
      const name = decodeURIComponent(url.pathname.slice(1));
      if (!input.npm.has(name))
        return missing(name.includes('/') && !name.startsWith('@') ? 'unknown' : 'missing');
      const { versions, latest } = npmVersions(name);
      return json({
        name,
        'dist-tags': { latest, next: versions[3] },
        modified: EPOCH,
        versions: Object.fromEntries(
          versions.map((v) => [
            v,
            { name, version: v, dist: { tarball: `https://example.invalid/${name}-${v}.tgz` } },
          ]),
        ),
      });
    },
  });
  services.push({
    name: 'rubygems.org',
    handler: (_req, url) => {
      const m = /^\/api\/v1\/versions\/([^/]+)\.json$/.exec(url.pathname);
      if (!m) return missing('unknown');
      const name = decodeURIComponent(m[1]);
      if (!input.gems.has(name)) return missing();
      return json(
        gemVersions(name).map((v) => ({ ...v, created_at: EPOCH, sha: sha256hex(name + v.number) })),
      );
    },
  });
  const modules = new Set([...input.go].map(goModuleOf));
  services.push({
    name: 'proxy.golang.org',
    handler: (_req, url) => {
      const m = /^\/(.+)\/@(latest|v\/list)$/.exec(url.pathname);
      if (!m) return missing('unknown');
      const mod = m[1].replace(/!([a-z])/g, (_s, c: string) => c.toUpperCase());
      if (!modules.has(mod)) {
        const known = [...input.go].some((p) => p === mod || p.startsWith(`${mod}/`));
        return missing(known ? 'protocol-404' : 'missing');
      }
      const versions = goVersions(mod);
      if (m[2] === 'latest')
        return json({ Version: versions.reduce((a, b) => (compareDotted(a, b) >= 0 ? a : b)), Time: EPOCH });
      return {
        status: 200,
        note: 'answered',
        type: 'text/plain; charset=utf-8',
        body: `${versions.join('\n')}\n`,
      };
    },
  });
  services.push({
    name: 'index.crates.io',
    handler: (_req, url) => {
      if (url.pathname === '/config.json')
        return json({ dl: 'https://static.crates.io/crates', api: 'https://crates.io' });
      const name = url.pathname.split('/').pop() ?? '';
      if (!input.crates.has(name) || url.pathname !== `/${sparsePath(name)}`) return missing();
      const lines = crateVersions(name).map((v) =>
        JSON.stringify({
          name,
          vers: v.vers,
          deps: [],
          cksum: sha256hex(name + v.vers),
          features: {},
          yanked: v.yanked,
          v: 2,
        }),
      );
      return { status: 200, note: 'answered', type: 'text/plain', body: `${lines.join('\n')}\n` };
    },
  });

  const started = await Promise.all(services.map((s) => listen(s.handler, s.name, log)));
  const urlOf = (name: string) => started[services.findIndex((s) => s.name === name)].url;
  for (const registry of registryNames) origins.set(registry, urlOf(`registry ${registry}`));
  pypiOrigin = urlOf('pypi.org');
  const env: Record<string, string> = {
    HARDEN_REGISTRY_MIRROR: urlOf('registry docker.io'),
    HARDEN_REGISTRY_ENDPOINTS: registryNames
      .filter((r) => r !== 'docker.io')
      .map((r) => `${r}=${urlOf(`registry ${r}`)}`)
      .join(','),
    HARDEN_DEBIAN_MIRROR: `${urlOf('debian archive')}/debian`,
    HARDEN_DEBIAN_SECURITY_MIRROR: `${urlOf('debian archive')}/debian-security`,
    HARDEN_UBUNTU_MIRROR: `${urlOf('archive.ubuntu.com')}/ubuntu`,
    HARDEN_ALPINE_MIRROR: `${urlOf('dl-cdn.alpinelinux.org')}/alpine`,
    PIP_INDEX_URL: `${pypiOrigin}/simple/`,
    HARDEN_NPM_REGISTRY: urlOf('npm registry'),
    HARDEN_RUBYGEMS_URL: urlOf('rubygems.org'),
    HARDEN_GOPROXY: urlOf('proxy.golang.org'),
    HARDEN_CARGO_INDEX: urlOf('index.crates.io'),
    HARDEN_APT_SOURCES: 'none',
    HARDEN_LOOPBACK_ONLY: '1',
  };

  const repoOf = (registry: string, repository: string) => repos.get(`${registry}/${repository}`);
  return {
    env,
    ports: new Set(started.map((s) => s.port)),
    log,
    imageOf(registry, repository, tag) {
      const repo = repoOf(registry, repository);
      const key = repo?.tags.get(tag === '' ? 'latest' : tag);
      return key ? repo?.identities.get(key) : undefined;
    },
    async digestOf(registry, repository, tag) {
      const repo = repoOf(registry, repository);
      const key = repo?.tags.get(tag === '' ? 'latest' : tag);
      return repo && key ? (await built(repo, key)).digest : undefined;
    },
    aptIndexes(distro, release, arch) {
      const out: ServedIndex[] = [];
      for (const suite of [release, `${release}-updates`, `${release}-security`]) {
        for (const component of distro === 'ubuntu' ? ['main', 'universe'] : ['main']) {
          const text = aptIndex(distro, suite, component, arch);
          if (text !== undefined) out.push({ suite, component, text });
        }
      }
      return out;
    },
    apkIndexes(branch, arch) {
      if (!/^3\.\d+$/.test(branch)) return [];
      return ['main', 'community'].map((r) => ({
        suite: `v${branch}`,
        component: r,
        text: apkIndex(branch, r, arch),
      }));
    },
    pypi: (project) =>
      input.pip.has(project) ? pypiReleases(project, input.pip.get(project) ?? []) : undefined,
    latest(kind, name) {
      switch (kind) {
        case 'npm':
          return input.npm.has(name) ? npmVersions(name).latest : undefined;
        case 'gem':
          return input.gems.has(name)
            ? gemVersions(name)
                .filter((v) => !v.prerelease && v.platform === 'ruby')
                .map((v) => v.number)
                .reduce((a, b) => (compareDotted(a, b) >= 0 ? a : b))
            : undefined;
        case 'go': {
          const mod = goModuleOf(name);
          return modules.has(mod)
            ? goVersions(mod).reduce((a, b) => (compareDotted(a, b) >= 0 ? a : b))
            : undefined;
        }
        default:
          return input.crates.has(name)
            ? crateVersions(name)
                .filter((v) => !v.yanked && !v.vers.includes('-'))
                .map((v) => v.vers)
                .reduce((a, b) => (compareDotted(a, b) >= 0 ? a : b))
            : undefined;
      }
    },
    close: async () => {
      await Promise.all(
        started.map(
          (s) =>
            new Promise<void>((resolve) => {
              for (const socket of s.sockets) socket.destroy();
              s.server.close(() => resolve());
            }),
        ),
      );
    },
  };
}

/** Dotted numeric versions (`v1.2.10` > `v1.2.9`). */
export function compareDotted(a: string, b: string): number {
  const x = a.replace(/^v/, '').split('.').map(Number);
  const y = b.replace(/^v/, '').split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
