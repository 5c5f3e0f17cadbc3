import { HttpError, redactUrl, type HttpClient } from '../effects/http';
import type { Backend } from './resolver';
import type { ResolveKind, ResolveRequest, Result } from './types';

/** A version string of the plain `1.2.3` form (no pre-release), as registries publish final releases. */
const FINAL = /^v?\d+(\.\d+)*$/;

async function getJson(http: HttpClient, url: string, accept = 'application/json'): Promise<unknown> {
  const res = await http.request({ url, headers: { accept } });
  if (res.status === 404 || res.status === 410) return undefined;
  if (res.status !== 200) throw new HttpError('unavailable', `${res.status} for ${redactUrl(url)}`);
  try {
    return JSON.parse(res.body.toString('utf8'));
  } catch {
    throw new HttpError('unavailable', `malformed reply from ${redactUrl(url)}`);
  }
}

async function getText(http: HttpClient, url: string): Promise<string | undefined> {
  const res = await http.request({ url, headers: { accept: 'text/plain' } });
  if (res.status === 404 || res.status === 410) return undefined;
  if (res.status !== 200) throw new HttpError('unavailable', `${res.status} for ${redactUrl(url)}`);
  return res.body.toString('utf8');
}

function compareVersions(a: string, b: string): number {
  const pa = a.replace(/^v/, '').split('.').map(Number);
  const pb = b.replace(/^v/, '').split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** One backend per language registry; `find` answers `undefined` when the package does not exist. */
function backend(
  kind: ResolveKind,
  base: string | undefined,
  what: string,
  ttlMs: number,
  find: (base: string, name: string) => Promise<string | undefined>,
): Backend {
  return {
    kind,
    ttlMs,
    async lookup(req: ResolveRequest): Promise<Result<string>> {
      if (!base) return { ok: false, reason: 'unavailable', detail: `no ${what} configured` };
      const { name } = req.params;
      try {
        const version = await find(base.replace(/\/+$/, ''), name);
        if (!version)
          return { ok: false, reason: 'not-found', detail: `no release of ${name} on the ${what}` };
        return { ok: true, value: version, source: `the ${what}` };
      } catch (err) {
        if (err instanceof HttpError) return { ok: false, reason: err.reason, detail: err.message };
        throw err;
      }
    },
  };
}

/** npm's registry document (`GET /<name>`): the version its `latest` dist-tag names. */
export function npmBackend(http: HttpClient, registry: string | undefined, ttlMs: number): Backend {
  return backend('npm-version', registry, 'npm registry', ttlMs, async (base, name) => {
    const path = name.startsWith('@') ? `@${encodeURIComponent(name.slice(1))}` : encodeURIComponent(name);
    const doc = (await getJson(
      http,
      `${base}/${path}`,
      'application/vnd.npm.install-v1+json, application/json',
    )) as { 'dist-tags'?: Record<string, unknown>; versions?: Record<string, unknown> } | undefined;
    const latest = doc?.['dist-tags']?.latest;
    return typeof latest === 'string' && doc?.versions && latest in doc.versions ? latest : undefined;
  });
}

/** RubyGems' versions API (`GET /api/v1/versions/<name>.json`): the newest release that is not a prerelease. */
export function rubygemsBackend(http: HttpClient, host: string | undefined, ttlMs: number): Backend {
  return backend('gem-version', host, 'RubyGems API', ttlMs, async (base, name) => {
    const list = await getJson(http, `${base}/api/v1/versions/${encodeURIComponent(name)}.json`);
    if (!Array.isArray(list)) return undefined;
    const finals = list
      .filter(
        (v): v is { number: string; prerelease?: boolean; platform?: string } =>
          typeof v?.number === 'string',
      )
      .filter((v) => !v.prerelease && (v.platform ?? 'ruby') === 'ruby' && FINAL.test(v.number))
      .map((v) => v.number);
    return finals.sort(compareVersions).pop();
  });
}

/** Go's module proxy protocol: `<module>/@latest`, else the newest of `<module>/@v/list`. Upper-case letters
 * in a module path are escaped as `!` + lower case. */
export function goProxyBackend(http: HttpClient, proxy: string | undefined, ttlMs: number): Backend {
  const escape = (p: string): string => p.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
  return backend('go-version', proxy, 'Go module proxy', ttlMs, async (base, name) => {
    // `go install example.com/mod/cmd/tool@v1` names a package: ask for each parent path until a module answers.
    const parts = name.split('/');
    for (let n = parts.length; n >= Math.min(parts.length, 2); n--) {
      const mod = escape(parts.slice(0, n).join('/'));
      const latest = (await getJson(http, `${base}/${mod}/@latest`)) as { Version?: unknown } | undefined;
      if (typeof latest?.Version === 'string' && /^v\d+\.\d+\.\d+$/.test(latest.Version))
        return latest.Version;
      const list = await getText(http, `${base}/${mod}/@v/list`);
      const versions = (list ?? '')
        .split('\n')
        .map((v) => v.trim())
        .filter((v) => /^v\d+\.\d+\.\d+$/.test(v));
      if (versions.length) return versions.sort(compareVersions).pop();
    }
    return undefined;
  });
}

/** crates.io's sparse index path for a crate: `1/a`, `2/ab`, `3/a/abc`, `ri/pg/ripgrep`. */
export function sparseIndexPath(crate: string): string {
  const n = crate.toLowerCase();
  if (n.length <= 2) return `${n.length}/${n}`;
  if (n.length === 3) return `3/${n[0]}/${n}`;
  return `${n.slice(0, 2)}/${n.slice(2, 4)}/${n}`;
}

/** Cargo's sparse registry index: one JSON line per version; the newest that is not yanked or a pre-release. */
export function cargoIndexBackend(http: HttpClient, index: string | undefined, ttlMs: number): Backend {
  return backend('cargo-version', index, 'cargo index', ttlMs, async (base, name) => {
    const text = await getText(http, `${base}/${sparseIndexPath(name)}`);
    if (text === undefined) return undefined;
    const versions: string[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const v = JSON.parse(line) as { vers?: unknown; yanked?: unknown };
        if (typeof v.vers === 'string' && v.yanked !== true && /^\d+\.\d+\.\d+$/.test(v.vers))
          versions.push(v.vers);
      } catch {
        throw new HttpError('unavailable', `malformed index entry for ${name}`);
      }
    }
    return versions.sort(compareVersions).pop();
  });
}
