import { HttpError, redactUrl, type HttpClient } from '../effects/http';
import { once } from './memo';
import type { Backend } from './resolver';
import { releaseOfRequest, type ReleaseFinder } from './release-finder';
import type { ResolveRequest, Result } from './types';

const SUFFIX_ORDER: Record<string, number> = {
  alpha: 0,
  beta: 1,
  pre: 2,
  rc: 3,
  '': 4,
  cvs: 5,
  svn: 6,
  git: 7,
  hg: 8,
  p: 9,
};

interface ApkVersion {
  readonly nums: number[];
  readonly letter: string;
  readonly suffixes: [number, number][];
  readonly release: number;
}

function parseApkVersion(v: string): ApkVersion {
  const m = /^([\d.]+)([a-z]?)((?:_[a-z]+\d*)*)(?:~[0-9a-f]+)?(?:-r(\d+))?$/.exec(v);
  if (!m) return { nums: [], letter: v, suffixes: [], release: 0 };
  const suffixes = [...m[3].matchAll(/_([a-z]+)(\d*)/g)].map((s): [number, number] => [
    SUFFIX_ORDER[s[1]] ?? 4,
    Number(s[2] || 0),
  ]);
  return {
    nums: m[1].split('.').filter(Boolean).map(Number),
    letter: m[2],
    suffixes,
    release: Number(m[4] ?? 0),
  };
}

/** apk's version ordering: numbers, a letter, `_alpha`…`_p` suffixes, then the `-rN` release. */
export function compareApkVersions(a: string, b: string): number {
  const x = parseApkVersion(a);
  const y = parseApkVersion(b);
  for (let i = 0; i < Math.max(x.nums.length, y.nums.length); i++) {
    const d = (x.nums[i] ?? -1) - (y.nums[i] ?? -1);
    if (d !== 0) return d;
  }
  if (x.letter !== y.letter) return x.letter < y.letter ? -1 : 1;
  for (let i = 0; i < Math.max(x.suffixes.length, y.suffixes.length); i++) {
    const [xs, xn] = x.suffixes[i] ?? [4, 0];
    const [ys, yn] = y.suffixes[i] ?? [4, 0];
    if (xs !== ys) return xs - ys;
    if (xn !== yn) return xn - yn;
  }
  return x.release - y.release;
}

/** Reads `APKINDEX` records (`P:` name, `V:` version, `p:` provides) into name → versions. */
export function parseApkIndex(text: string): {
  packages: Map<string, string[]>;
  provides: Map<string, string[]>;
} {
  const packages = new Map<string, string[]>();
  const provides = new Map<string, string[]>();
  for (const record of text.split(/\n\s*\n/)) {
    let name: string | undefined;
    let version: string | undefined;
    let provided: string | undefined;
    for (const line of record.split('\n')) {
      if (line.startsWith('P:')) name = line.slice(2).trim();
      else if (line.startsWith('V:')) version = line.slice(2).trim();
      else if (line.startsWith('p:')) provided = line.slice(2);
    }
    if (!name || !version) continue;
    packages.set(name, [...(packages.get(name) ?? []), version]);
    for (const p of provided?.trim().split(/\s+/) ?? []) {
      const virtual = p.split(/[=<>~]/)[0];
      if (virtual) provides.set(virtual, [...(provides.get(virtual) ?? []), name]);
    }
  }
  return { packages, provides };
}

/** The `APKINDEX` file inside an APKINDEX.tar.gz (gzip streams of a signature tar and the index tar). */
export async function readApkIndexArchive(archive: Buffer): Promise<string> {
  // Loaded when an index is first downloaded: offline runs never need them.
  const [{ gunzipSync }, { extract }] = await Promise.all([import('node:zlib'), import('tar-stream')]);
  const tar = gunzipSync(archive);
  return new Promise((resolve, reject) => {
    const ex = extract();
    let found: string | undefined;
    ex.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: unknown) => chunks.push(c as Buffer));
      stream.on('end', () => {
        if (header.name === 'APKINDEX') found = Buffer.concat(chunks).toString('utf8');
        next();
      });
      stream.resume();
    });
    ex.on('finish', () =>
      found === undefined ? reject(new Error('no APKINDEX in the archive')) : resolve(found),
    );
    ex.on('error', reject);
    ex.end(tar);
  });
}

/** Newest versions of Alpine packages for a branch, from the main and community APKINDEX. */
export class AlpineIndexBackend implements Backend {
  readonly kind = 'apk-version' as const;
  private readonly indexes = new Map<string, Promise<ReturnType<typeof parseApkIndex> | undefined>>();

  constructor(
    private readonly http: HttpClient,
    private readonly mirror: string | undefined,
    readonly ttlMs: number,
    private readonly defaultArch = 'x86_64',
    private readonly findRelease?: ReleaseFinder,
  ) {}

  private index(url: string) {
    return once(this.indexes, url, async () => {
      const res = await this.http.request({ url });
      if (res.status === 404) return undefined;
      if (res.status !== 200) throw new HttpError('unavailable', `${res.status} for ${redactUrl(url)}`);
      try {
        return parseApkIndex(await readApkIndexArchive(res.body));
      } catch {
        throw new HttpError('unavailable', `corrupt APKINDEX at ${redactUrl(url)}`);
      }
    });
  }

  async lookup(req: ResolveRequest): Promise<Result<string>> {
    if (!this.mirror)
      return {
        ok: false,
        reason: 'unavailable',
        detail: 'no Alpine mirror configured: set HARDEN_ALPINE_MIRROR',
      };
    const which = await releaseOfRequest(req, this.findRelease);
    if (!which.ok) return which;
    const { release } = which.value;
    const { name } = req.params;
    const arch = req.params.arch || this.defaultArch;
    const base = this.mirror.replace(/\/+$/, '');
    const repos = ['main', 'community'];
    let best: { version: string; repo: string } | undefined;
    const providers = new Set<string>();
    try {
      const indexes = await Promise.all(
        repos.map((r) => this.index(`${base}/v${release}/${r}/${arch}/APKINDEX.tar.gz`)),
      );
      indexes.forEach((index, i) => {
        for (const v of index?.packages.get(name) ?? []) {
          if (!best || compareApkVersions(v, best.version) > 0) best = { version: v, repo: repos[i] };
        }
        for (const p of index?.provides.get(name) ?? []) providers.add(p);
      });
    } catch (err) {
      if (err instanceof HttpError) return { ok: false, reason: err.reason, detail: err.message };
      throw err;
    }
    if (best)
      return { ok: true, value: best.version, source: `alpine v${release}/${best.repo} ${arch} APKINDEX` };
    if (providers.size > 0)
      return {
        ok: false,
        reason: 'not-found',
        detail: `${name} is provided by ${[...providers].join(', ')}`,
      };
    return { ok: false, reason: 'not-found', detail: `no package ${name} in alpine v${release}` };
  }
}
