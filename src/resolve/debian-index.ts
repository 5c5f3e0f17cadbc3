import { HttpError, redactUrl, type HttpClient } from '../effects/http';
import { compareDebianVersions } from './dpkg-version';
import { once } from './memo';
import type { Backend } from './resolver';
import { releaseOfRequest, type ReleaseFinder } from './release-finder';
import type { ResolveRequest, Result } from './types';

/** Where a distro's archives are: main archive and, for Debian, the separate security archive. */
export interface AptMirrors {
  readonly debian?: string;
  readonly debianSecurity?: string;
  readonly ubuntu?: string;
  /** Ubuntu's archive for architectures other than amd64 and i386 (ports). */
  readonly ubuntuPorts?: string;
}

export interface PackageEntry {
  readonly version: string;
  readonly arch: string;
}

export interface PackagesIndex {
  readonly packages: ReadonlyMap<string, readonly PackageEntry[]>;
  /** Virtual package name → packages that provide it. */
  readonly provides: ReadonlyMap<string, readonly string[]>;
}

/** Parses a Debian `Packages` file: stanzas of `Field: value` separated by blank lines. */
export function parsePackages(text: string): PackagesIndex {
  const packages = new Map<string, PackageEntry[]>();
  const provides = new Map<string, string[]>();
  for (const stanza of text.split(/\n\s*\n/)) {
    let name: string | undefined;
    let version: string | undefined;
    let arch = '';
    let provided: string | undefined;
    for (const line of stanza.split('\n')) {
      if (line.startsWith('Package: ')) name = line.slice(9).trim();
      else if (line.startsWith('Version: ')) version = line.slice(9).trim();
      else if (line.startsWith('Architecture: ')) arch = line.slice(14).trim();
      else if (line.startsWith('Provides: ')) provided = line.slice(10);
    }
    if (!name || !version) continue;
    packages.set(name, [...(packages.get(name) ?? []), { version, arch }]);
    for (const p of provided?.split(',') ?? []) {
      const virtual = p.trim().split(/[\s(]/)[0];
      if (virtual) provides.set(virtual, [...(provides.get(virtual) ?? []), name]);
    }
  }
  return { packages, provides };
}

interface Source {
  readonly base: string;
  readonly suite: string;
  readonly component: string;
}

function sourcesFor(
  mirrors: AptMirrors,
  distro: string,
  release: string,
  arch: string,
): Source[] | undefined {
  if (distro === 'ubuntu') {
    const base =
      arch === 'amd64' || arch === 'i386' ? mirrors.ubuntu : (mirrors.ubuntuPorts ?? mirrors.ubuntu);
    if (!base) return undefined;
    const suites = [release, `${release}-updates`, `${release}-security`];
    return suites.flatMap((suite) => ['main', 'universe'].map((component) => ({ base, suite, component })));
  }
  if (!mirrors.debian) return undefined;
  const out: Source[] = [
    { base: mirrors.debian, suite: release, component: 'main' },
    { base: mirrors.debian, suite: `${release}-updates`, component: 'main' },
  ];
  if (mirrors.debianSecurity)
    out.push({ base: mirrors.debianSecurity, suite: `${release}-security`, component: 'main' });
  return out;
}

/** Newest version of packages in a Debian or Ubuntu release, from its Packages indexes. */
export class DebianIndexBackend implements Backend {
  readonly kind = 'apt-version' as const;
  private readonly indexes = new Map<string, Promise<PackagesIndex | undefined>>();

  constructor(
    private readonly http: HttpClient,
    private readonly mirrors: AptMirrors,
    readonly ttlMs: number,
    private readonly defaultArch = 'amd64',
    private readonly findRelease?: ReleaseFinder,
    /** The archives an image's own apt sources name, when none is configured here. */
    private readonly mirrorsOfImage?: (
      registry: string,
      repository: string,
      tag: string,
    ) => Promise<AptMirrors | undefined>,
  ) {}

  /** One index download per source per run, shared by every look-up; 404 means the suite has none. */
  private index(source: Source, arch: string): Promise<PackagesIndex | undefined> {
    const base = source.base.replace(/\/+$/, '');
    const dir = `${base}/dists/${source.suite}/${source.component}/binary-${arch}`;
    return once(this.indexes, dir, () => this.download(dir));
  }

  private async download(dir: string): Promise<PackagesIndex | undefined> {
    const gz = await this.http.request({ url: `${dir}/Packages.gz` });
    if (gz.status === 200) {
      // Loaded when an index is first downloaded: offline runs never need it.
      const { gunzipSync } = await import('node:zlib');
      let text: string;
      try {
        text = gunzipSync(gz.body).toString('utf8');
      } catch {
        throw new HttpError('unavailable', `corrupt Packages.gz at ${redactUrl(dir)}`);
      }
      return parsePackages(text);
    }
    if (gz.status !== 404)
      throw new HttpError(
        gz.status === 429 ? 'rate-limited' : 'unavailable',
        `${gz.status} for ${redactUrl(dir)}/Packages.gz`,
      );
    const plain = await this.http.request({ url: `${dir}/Packages` });
    if (plain.status === 200) return parsePackages(plain.body.toString('utf8'));
    if (plain.status === 404) return undefined;
    throw new HttpError('unavailable', `${plain.status} for ${redactUrl(dir)}/Packages`);
  }

  async lookup(req: ResolveRequest): Promise<Result<string>> {
    const which = await releaseOfRequest(req, this.findRelease);
    if (!which.ok) return which;
    const { distro, release } = which.value;
    const { name } = req.params;
    const arch = req.params.arch || this.defaultArch;
    let sources = sourcesFor(this.mirrors, distro, release, arch);
    const { registry, repository, tag } = req.params;
    if (!sources && distro === 'debian' && registry && this.mirrorsOfImage) {
      const own = await this.mirrorsOfImage(registry, repository, tag);
      if (own?.debian) sources = sourcesFor(own, distro, release, arch);
    }
    if (!sources) {
      const env =
        distro === 'ubuntu'
          ? 'HARDEN_UBUNTU_MIRROR'
          : 'HARDEN_DEBIAN_MIRROR (and HARDEN_DEBIAN_SECURITY_MIRROR)';
      return { ok: false, reason: 'unavailable', detail: `no ${distro} mirror configured: set ${env}` };
    }
    let best: { version: string; where: string } | undefined;
    const providers = new Set<string>();
    try {
      const indexes = await Promise.all(sources.map((s) => this.index(s, arch)));
      indexes.forEach((index, i) => {
        if (!index) return;
        for (const entry of index.packages.get(name) ?? []) {
          if (entry.arch !== arch && entry.arch !== 'all') continue;
          if (!best || compareDebianVersions(entry.version, best.version) > 0) {
            best = { version: entry.version, where: `${sources[i].suite}/${sources[i].component} ${arch}` };
          }
        }
        for (const p of index.provides.get(name) ?? []) providers.add(p);
      });
    } catch (err) {
      if (err instanceof HttpError) return { ok: false, reason: err.reason, detail: err.message };
      throw err;
    }
    if (best) return { ok: true, value: best.version, source: `${distro} ${best.where} Packages` };
    if (providers.size > 0) {
      return {
        ok: false,
        reason: 'not-found',
        detail: `${name} is a virtual package provided by ${[...providers].sort().join(', ')}`,
      };
    }
    return {
      ok: false,
      reason: 'not-found',
      detail: `no package ${name} for ${arch} in ${distro} ${release}`,
    };
  }
}
