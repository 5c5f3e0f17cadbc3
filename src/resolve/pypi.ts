import { compare, explain, satisfies, valid } from '@renovatebot/pep440';
import { HttpError, redactUrl, type HttpClient } from '../effects/http';
import { normalisePipName } from '../core/package-spec';
import { once } from './memo';
import type { Backend } from './resolver';
import type { ResolveRequest, Result } from './types';

export interface IndexFile {
  readonly filename: string;
  readonly requiresPython?: string;
  readonly yanked: boolean;
  readonly sha256?: string;
}

export interface ProjectPage {
  readonly files: readonly IndexFile[];
  /** PEP 700 `versions`, when the index lists them. */
  readonly versions?: readonly string[];
}

/** PEP 691 JSON: `files[]` with `filename`, `requires-python`, `yanked`, `hashes`, and PEP 700 `versions`. */
export function parseJsonPage(body: string): ProjectPage {
  const data = JSON.parse(body) as { files?: unknown; versions?: unknown };
  if (!Array.isArray(data.files)) throw new Error('no files[]');
  const files = data.files.flatMap((f: Record<string, unknown>): IndexFile[] => {
    if (typeof f?.filename !== 'string') return [];
    const hashes = f.hashes as Record<string, unknown> | undefined;
    return [
      {
        filename: f.filename,
        requiresPython:
          typeof f['requires-python'] === 'string' ? (f['requires-python'] as string) : undefined,
        yanked: f.yanked !== undefined && f.yanked !== false,
        sha256: typeof hashes?.sha256 === 'string' ? hashes.sha256 : undefined,
      },
    ];
  });
  const versions = Array.isArray(data.versions)
    ? data.versions.filter((v): v is string => typeof v === 'string')
    : undefined;
  return { files, versions };
}

function unescapeHtml(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** PEP 503 HTML: one `<a href=…#sha256=…>` per file, with data-requires-python and data-yanked. */
export function parseHtmlPage(body: string): ProjectPage {
  const files: IndexFile[] = [];
  for (const m of body.matchAll(/<a\s([^>]*)>([^<]*)<\/a>/gi)) {
    const attrs = m[1];
    const href = /href\s*=\s*"([^"]*)"/i.exec(attrs)?.[1] ?? '';
    const requires = /data-requires-python\s*=\s*"([^"]*)"/i.exec(attrs)?.[1];
    files.push({
      filename: unescapeHtml(m[2].trim()),
      requiresPython: requires ? unescapeHtml(requires) : undefined,
      yanked: /data-yanked/i.test(attrs),
      sha256: /#sha256=([a-f0-9]{64})/.exec(href)?.[1],
    });
  }
  return { files };
}

/** The version a distribution file carries: `name-1.2.3-py3-none-any.whl`, `name-1.2.3.tar.gz`. */
export function versionOfFile(filename: string, project: string): string | undefined {
  const norm = normalisePipName(project);
  const wheel = /^([^-]+)-([^-]+)-.*\.whl$/.exec(filename);
  if (wheel) return normalisePipName(wheel[1]) === norm ? wheel[2] : undefined;
  const sdist = /^(.+)-([^-]+)\.(tar\.gz|zip|tar\.bz2|tgz)$/.exec(filename);
  if (sdist && normalisePipName(sdist[1]) === norm) return sdist[2];
  return undefined;
}

/**
 * The newest final release that satisfies the specifier and installs on the Python version: not a
 * pre-release, not yanked, and with at least one file whose `requires-python` accepts that Python.
 */
export function chooseVersion(
  page: ProjectPage,
  project: string,
  specifier: string,
  python: string,
): string | undefined {
  const byVersion = new Map<string, IndexFile[]>();
  for (const f of page.files) {
    const v = versionOfFile(f.filename, project);
    if (v && valid(v)) byVersion.set(v, [...(byVersion.get(v) ?? []), f]);
  }
  const pythonVersion = /^\d+\.\d+$/.test(python) ? `${python}.0` : python;
  const candidates = [...byVersion.keys()].filter((v) => {
    const info = explain(v);
    if (!info || info.is_prerelease || info.is_devrelease) return false;
    if (specifier && !satisfies(v, specifier)) return false;
    const files = (byVersion.get(v) ?? []).filter((f) => !f.yanked);
    return files.some((f) => !f.requiresPython || safeSatisfies(pythonVersion, f.requiresPython));
  });
  return candidates.sort(compare).pop();
}

function safeSatisfies(version: string, spec: string): boolean {
  try {
    return satisfies(version, spec.replace(/\s+/g, ''));
  } catch {
    return true;
  }
}

const NO_INDEX: Result<string> = {
  ok: false,
  reason: 'unavailable',
  detail: 'no package index configured: set PIP_INDEX_URL',
};

const sameIndex = (a: string, b: string) => a.replace(/\/+$/, '') === b.replace(/\/+$/, '');

/**
 * A command that names its index is answered from that index only; one that is not the configured
 * index is not fetched (a Dockerfile does not choose what this tool connects to).
 */
const otherIndex = (index: string): Result<string> => ({
  ok: false,
  reason: 'unavailable',
  detail: `the command installs from ${redactUrl(index)}, which is not the configured index (PIP_INDEX_URL)`,
});

/**
 * Whether a wheel installs on CPython `python` (`3.11`) on Linux x86_64 with glibc or musl: a pure
 * wheel (`py3-none-any`), or a CPython one for that version (or the stable ABI of an older one) for
 * a manylinux or musllinux platform.
 */
export function wheelFits(filename: string, python: string, libc: 'gnu' | 'musl'): boolean {
  const m = /^[^-]+-[^-]+(?:-\d[^-]*)?-([^-]+)-([^-]+)-([^-]+)\.whl$/.exec(filename);
  if (!m) return false;
  const [, pys, abis, plats] = m;
  const minor = Number(python.split('.')[1]);
  const cp = `cp3${minor}`;
  const platOk = plats
    .split('.')
    .some(
      (p) =>
        p === 'any' ||
        (libc === 'gnu' ? /^(manylinux\w*|linux)_x86_64$/.test(p) : /^musllinux_\d+_\d+_x86_64$/.test(p)),
    );
  if (!platOk) return false;
  return pys.split('.').some((py) => {
    if (py === 'py3' || py === `py3${minor}` || py === 'py2.py3') return abis === 'none' || abis === 'abi3';
    const c = /^cp3(\d+)$/.exec(py);
    if (!c) return false;
    if (py === cp)
      return abis.split('.').some((a) => a === cp || a === `${cp}m` || a === 'abi3' || a === 'none');
    return Number(c[1]) <= minor && abis.split('.').includes('abi3');
  });
}

/** Versions from pip's index (PEP 691 JSON, falling back to PEP 503 HTML). */
export class PypiBackend implements Backend {
  readonly kind = 'pip-version' as const;
  private readonly pages = new Map<string, Promise<ProjectPage | undefined>>();

  constructor(
    private readonly http: HttpClient,
    private readonly indexUrl: string | undefined,
    readonly ttlMs: number,
    /** The Python (`3.11`) of an image, for look-ups whose `python` names the image (`image:…`). */
    private readonly pythonOfImage?: (image: string) => Promise<Result<string>>,
  ) {}

  page(name: string): Promise<ProjectPage | undefined> {
    const project = normalisePipName(name);
    return once(this.pages, project, () => this.fetchPage(project));
  }

  private async fetchPage(project: string): Promise<ProjectPage | undefined> {
    const url = `${(this.indexUrl as string).replace(/\/+$/, '')}/${project}/`;
    const res = await this.http.request({
      url,
      headers: {
        accept:
          'application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.1',
      },
    });
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw new HttpError('unavailable', `${res.status} for ${redactUrl(url)}`);
    const type = (res.headers['content-type'] ?? '').split(';')[0].trim();
    const body = res.body.toString('utf8');
    try {
      if (type === 'application/vnd.pypi.simple.v1+json' || type === 'application/json')
        return parseJsonPage(body);
      if (type.includes('html')) return parseHtmlPage(body);
    } catch {
      throw new HttpError('unavailable', `malformed index page ${redactUrl(url)}`);
    }
    throw new HttpError('unavailable', `unexpected media type "${type}" from ${redactUrl(url)}`);
  }

  /** The Python a look-up names: as it is, or (`image:…`) the one the image's facts give. */
  private async pythonFor(python: string): Promise<Result<string>> {
    if (!python.startsWith('image:')) return { ok: true, value: python };
    return this.pythonOfImage
      ? this.pythonOfImage(python)
      : { ok: false, reason: 'unavailable', detail: 'image facts are not read here' };
  }

  /** Answers `pip-wheel`: `wheel` when the release pip would install has a wheel that fits, else `sdist V`. */
  wheelBackend(): Backend {
    return {
      kind: 'pip-wheel',
      ttlMs: this.ttlMs,
      lookup: async (req) => {
        if (!this.indexUrl) return NO_INDEX;
        const { name, specifier, libc, index } = req.params;
        if (index !== undefined && !sameIndex(index, this.indexUrl)) return otherIndex(index);
        const found = await this.pythonFor(req.params.python);
        if (!found.ok) return found;
        const python = found.value;
        try {
          const page = await this.page(name);
          if (!page) return { ok: false, reason: 'not-found', detail: `no project ${name} on the index` };
          const version = chooseVersion(page, name, specifier, python);
          if (!version)
            return { ok: false, reason: 'not-found', detail: `no release of ${name} for Python ${python}` };
          const files = page.files.filter((f) => !f.yanked && versionOfFile(f.filename, name) === version);
          const wheel = files.some((f) => wheelFits(f.filename, python, libc === 'musl' ? 'musl' : 'gnu'));
          return {
            ok: true,
            value: wheel ? 'wheel' : `sdist ${version}`,
            source: `package index files of ${name} ${version} (Python ${python})`,
          };
        } catch (err) {
          if (err instanceof HttpError) return { ok: false, reason: err.reason, detail: err.message };
          throw err;
        }
      },
    };
  }

  /** Answers `pip-hashes`: the sha256 of every non-yanked file of a release, space-separated. */
  hashesBackend(): Backend {
    return {
      kind: 'pip-hashes',
      ttlMs: this.ttlMs,
      lookup: async (req) => {
        if (!this.indexUrl) return NO_INDEX;
        const { name, version } = req.params;
        try {
          const page = await this.page(name);
          const files = (page?.files ?? []).filter(
            (f) => !f.yanked && versionOfFile(f.filename, name) === version,
          );
          if (files.length === 0 || files.some((f) => !f.sha256)) {
            return {
              ok: false,
              reason: 'not-found',
              detail: `no sha256 hashes for ${name} ${version} on the index`,
            };
          }
          return {
            ok: true,
            value: files.map((f) => `sha256:${f.sha256}`).join(' '),
            source: `package index files of ${name} ${version}`,
          };
        } catch (err) {
          if (err instanceof HttpError) return { ok: false, reason: err.reason, detail: err.message };
          throw err;
        }
      },
    };
  }

  async lookup(req: ResolveRequest): Promise<Result<string>> {
    if (!this.indexUrl) return NO_INDEX;
    const { name, specifier, index } = req.params;
    let { python } = req.params;
    if (index !== undefined && !sameIndex(index, this.indexUrl)) return otherIndex(index);
    const found = await this.pythonFor(python);
    if (!found.ok) return { ...found, detail: `the image's Python version: ${found.detail ?? found.reason}` };
    python = found.value;
    const from = found.source ? `, from ${found.source}` : '';
    try {
      const page = await this.page(name);
      if (!page) return { ok: false, reason: 'not-found', detail: `no project ${name} on the index` };
      const version = chooseVersion(page, name, specifier, python);
      if (!version) {
        return {
          ok: false,
          reason: 'not-found',
          detail: `no final release of ${name}${specifier ? ` ${specifier}` : ''} for Python ${python}`,
        };
      }
      return { ok: true, value: version, source: `package index (Python ${python}${from})` };
    } catch (err) {
      if (err instanceof HttpError) return { ok: false, reason: err.reason, detail: err.message };
      throw err;
    }
  }
}
