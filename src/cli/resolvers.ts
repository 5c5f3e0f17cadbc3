import { readdirSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultCacheDir, FileCache, type Cache } from '../effects/cache';
import { FetchHttpClient, DEFAULT_HTTP_OPTIONS, type HttpClient } from '../effects/http';
import { AlpineIndexBackend } from '../resolve/alpine-index';
import { AptSnapshotBackend } from '../resolve/apt-snapshot';
import { DebianIndexBackend, type AptMirrors } from '../resolve/debian-index';
import { isLoopbackRegistry, OciRegistryBackend } from '../resolve/oci-registry';
import { PypiBackend } from '../resolve/pypi';
import type { ReleaseFinder } from '../resolve/release-finder';
import { CachingResolver, type CacheMode } from '../resolve/resolver';
import { VERSION } from './version';

const HOUR = 3_600_000;

export interface ResolveFlags {
  readonly offline: boolean;
  readonly refresh: boolean;
  readonly registryMirror?: string;
}

/** Credentials from Docker's config.json `auths`, matched by registry host. */
function dockerCredentials(env: NodeJS.ProcessEnv): (registry: string) => string | undefined {
  const file = path.join(env.DOCKER_CONFIG || path.join(os.homedir(), '.docker'), 'config.json');
  let auths: Record<string, { auth?: string }> = {};
  try {
    auths = (JSON.parse(readFileSync(file, 'utf8')) as { auths?: typeof auths }).auths ?? {};
  } catch {
    // no Docker config: anonymous pulls only
  }
  const hostOf = (key: string) => key.replace(/^[a-z]+:\/\//, '').split('/')[0];
  return (registry) => {
    for (const [key, value] of Object.entries(auths)) {
      const host = hostOf(key);
      const matches = host === registry || (registry === 'docker.io' && host.endsWith('docker.io'));
      if (matches && typeof value?.auth === 'string' && value.auth) return value.auth;
    }
    return undefined;
  };
}

/** Debian archive and security URIs from this machine's apt sources (one-line and deb822 formats). */
export function aptSourcesOf(dir: string): AptMirrors {
  const uris: { uri: string; suites: string[] }[] = [];
  const read = (f: string) => {
    try {
      return readFileSync(f, 'utf8');
    } catch {
      return '';
    }
  };
  for (const line of read(path.join(dir, 'sources.list')).split('\n')) {
    const m = /^\s*deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)/.exec(line);
    if (m) uris.push({ uri: m[1], suites: [m[2]] });
  }
  let names: string[] = [];
  try {
    names = readdirSync(path.join(dir, 'sources.list.d'));
  } catch {
    names = [];
  }
  for (const name of names.filter((n) => n.endsWith('.sources'))) {
    for (const stanza of read(path.join(dir, 'sources.list.d', name)).split(/\n\s*\n/)) {
      const field = (k: string) => new RegExp(`^${k}:\\s*(.+)$`, 'mi').exec(stanza)?.[1].trim();
      if (!/\bdeb\b/.test(field('Types') ?? '')) continue;
      const uri = field('URIs')?.split(/\s+/)[0];
      if (uri) uris.push({ uri, suites: (field('Suites') ?? '').split(/\s+/) });
    }
  }
  const debian = uris.find((u) =>
    u.suites.some((s) => /^(bullseye|bookworm|trixie|forky)(-updates)?$/.test(s)),
  );
  const security = uris.find((u) => u.suites.some((s) => /-security$/.test(s)));
  return { debian: debian?.uri, debianSecurity: security?.uri };
}

/** `HARDEN_REGISTRY_ENDPOINTS="ghcr.io=https://mirror/ghcr,quay.io=…"`: where to ask about other registries. */
export function parseEndpoints(value: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (value ?? '').split(',')) {
    const eq = pair.indexOf('=');
    if (eq > 0) out[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return out;
}

export interface RunResolver {
  readonly resolver: CachingResolver;
  readonly http: HttpClient;
  readonly cache: Cache;
}

/**
 * Builds the resolver for a run from the environment: endpoints and mirrors come only from
 * configuration (HARDEN_REGISTRY_MIRROR or --registry-mirror, HARDEN_REGISTRY_ENDPOINTS, HARDEN_DEBIAN_MIRROR,
 * HARDEN_DEBIAN_SECURITY_MIRROR, HARDEN_UBUNTU_MIRROR, HARDEN_ALPINE_MIRROR, PIP_INDEX_URL), or for
 * Debian from this machine's apt sources.
 */
export function buildResolver(flags: ResolveFlags, env: NodeJS.ProcessEnv): RunResolver {
  const http = new FetchHttpClient({
    ...DEFAULT_HTTP_OPTIONS,
    timeoutMs: Number(env.HARDEN_HTTP_TIMEOUT_MS) || DEFAULT_HTTP_OPTIONS.timeoutMs,
    userAgent: `harden-dockerfile/${VERSION}`,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    // HARDEN_LOOPBACK_ONLY=1 (set by the tests) keeps every request on this machine.
    allowHost: env.HARDEN_LOOPBACK_ONLY ? (h) => isLoopbackRegistry(h) || h === '[::1]' : undefined,
  });
  const cache = new FileCache(defaultCacheDir(env));
  const machine = env.HARDEN_APT_SOURCES === 'none' ? {} : aptSourcesOf(env.HARDEN_APT_SOURCES || '/etc/apt');
  const mirrors: AptMirrors = {
    debian: env.HARDEN_DEBIAN_MIRROR || machine.debian,
    debianSecurity:
      env.HARDEN_DEBIAN_SECURITY_MIRROR || (env.HARDEN_DEBIAN_MIRROR ? undefined : machine.debianSecurity),
    ubuntu: env.HARDEN_UBUNTU_MIRROR,
  };
  const oci = new OciRegistryBackend(http, {
    dockerHubMirror: flags.registryMirror || env.HARDEN_REGISTRY_MIRROR,
    endpoints: parseEndpoints(env.HARDEN_REGISTRY_ENDPOINTS),
    credentials: dockerCredentials(env),
  });
  const pypi = new PypiBackend(http, env.PIP_INDEX_URL, 24 * HOUR);
  const findRelease: ReleaseFinder = (registry, repository, tag, distro) =>
    oci.releaseOf(registry, repository, tag, distro);
  const mode: CacheMode = flags.offline ? 'offline' : flags.refresh ? 'refresh' : 'normal';
  const resolver = new CachingResolver(
    [
      oci.tagsBackend(6 * HOUR),
      oci.digestBackend(6 * HOUR),
      new DebianIndexBackend(http, mirrors, 24 * HOUR, 'amd64', findRelease),
      new AlpineIndexBackend(http, env.HARDEN_ALPINE_MIRROR, 24 * HOUR, 'x86_64', findRelease),
      pypi,
      pypi.hashesBackend(),
      new AptSnapshotBackend(env.HARDEN_DEBIAN_SNAPSHOT_MIRROR, () => Date.now(), 24 * HOUR),
    ],
    { cache, now: () => Date.now(), mode, concurrency: 8 },
  );
  return { resolver, http, cache };
}
