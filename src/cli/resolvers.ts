import { defaultCacheDir, FileCache, type Cache } from '../effects/cache';
import { FetchHttpClient, DEFAULT_HTTP_OPTIONS, type HttpClient } from '../effects/http';
import { AlpineIndexBackend } from '../resolve/alpine-index';
import { AptSnapshotBackend } from '../resolve/apt-snapshot';
import { DebianIndexBackend } from '../resolve/debian-index';
import { dockerCredentials } from '../effects/docker-credentials';
import { aptMirrorsOf, endpointsOf, type Endpoints } from './endpoints';
import { RegistryClient, type RegistrySettings } from '../resolve/registry-client';
import { isLoopbackRegistry, OciRegistryBackend } from '../resolve/oci-registry';
import {
  cargoIndexBackend,
  goProxyBackend,
  npmBackend,
  rubygemsBackend,
} from '../resolve/language-registries';
import { PypiBackend } from '../resolve/pypi';
import type { ReleaseFinder } from '../resolve/release-finder';
import { CachingResolver, type CacheMode } from '../resolve/resolver';
import { parseImagePython } from '../resolve/requests';
import type { Result } from '../resolve/types';
import { ImageFactsSource } from '../image/facts-source';
import { VERSION } from './version';

const HOUR = 3_600_000;

export interface ResolveFlags {
  readonly offline: boolean;
  readonly refresh: boolean;
  readonly registryMirror?: string;
}

export interface RunResolver {
  readonly resolver: CachingResolver;
  readonly http: HttpClient;
  readonly cache: Cache;
}

/**
 * Builds the resolver for a run. Endpoints come from flags and the environment, else the public
 * defaults (Docker Hub, PyPI, Alpine's CDN, Ubuntu's archive); Debian's archive from configuration
 * or this machine's apt sources (see endpoints.ts). `http` stands in for the network in tests.
 */
export function buildResolver(flags: ResolveFlags, env: NodeJS.ProcessEnv, http?: HttpClient): RunResolver {
  const client = http ?? httpClientFor(env);
  const endpoints = endpointsOf(flags, env);
  const cache = new FileCache(defaultCacheDir(env));
  const oci = new OciRegistryBackend(client, registrySettingsOf(endpoints, env));
  const facts = new ImageFactsSource(oci.registry, cache, () => Date.now());
  const pythonOfImage = async (python: string): Promise<Result<string>> => {
    const image = parseImagePython(python);
    if (!image) return { ok: false, reason: 'not-found', detail: `"${python}" names no image` };
    const found = await facts.factsOf(image.registry, image.repository, image.reference, image.arch);
    if (!found.ok) return found;
    return found.value.python
      ? { ok: true, value: found.value.python, source: found.value.pythonFrom }
      : { ok: false, reason: 'not-found', detail: 'the image has no Python' };
  };
  const pypi = new PypiBackend(client, endpoints.pypi.url as string, 24 * HOUR, pythonOfImage);
  // The release-named tag with the same digest, else the image's own os-release.
  const findRelease: ReleaseFinder = async (registry, repository, tag, distro) => {
    const byTag = await oci.releaseOf(registry, repository, tag, distro);
    if (byTag.ok || byTag.reason !== 'not-found') return byTag;
    const found = await facts.factsOf(registry, repository, tag, 'amd64');
    // apt is Debian's and Ubuntu's alike: the image's os-release says which of the two it is.
    const apt = ['debian', 'ubuntu'];
    const release = found.ok ? found.value.release : undefined;
    if (release && (release.distro === distro || (apt.includes(release.distro) && apt.includes(distro))))
      return {
        ok: true,
        value: `${release.distro}:${release.release}`,
        source: "the image's os-release",
      };
    return byTag;
  };
  const mode: CacheMode = flags.offline ? 'offline' : flags.refresh ? 'refresh' : 'normal';
  const resolver = new CachingResolver(
    [
      oci.tagsBackend(6 * HOUR),
      oci.digestBackend(6 * HOUR),
      new DebianIndexBackend(
        client,
        aptMirrorsOf(endpoints),
        24 * HOUR,
        'amd64',
        findRelease,
        async (r, repo, tag) => {
          // No Debian archive configured: the one the base image's own apt sources name.
          const found = await facts.factsOf(r, repo, tag, 'amd64');
          return found.ok ? found.value.aptSources : undefined;
        },
      ),
      new AlpineIndexBackend(client, endpoints.alpine.url, 24 * HOUR, 'x86_64', findRelease),
      pypi,
      pypi.hashesBackend(),
      pypi.wheelBackend(),
      new AptSnapshotBackend(endpoints.debianSnapshot.url, () => Date.now(), 24 * HOUR),
      facts.backend(6 * HOUR),
      npmBackend(client, endpoints.npm.url, 24 * HOUR),
      rubygemsBackend(client, endpoints.rubygems.url, 24 * HOUR),
      goProxyBackend(client, endpoints.goProxy.url, 24 * HOUR),
      cargoIndexBackend(client, endpoints.cargo.url, 24 * HOUR),
    ],
    { cache, now: () => Date.now(), mode, concurrency: 8 },
  );
  return { resolver, http: client, cache };
}

/** Where and as whom registries are asked: Docker Hub or its mirror, other endpoints, Docker's credentials. */
function registrySettingsOf(endpoints: Endpoints, env: NodeJS.ProcessEnv): RegistrySettings {
  return {
    dockerHub: endpoints.dockerHub.url as string,
    endpoints: endpoints.registries,
    credentials: dockerCredentials(env),
  };
}

/** A registry client for reading images (triage, airlock), with the endpoints and credentials of a run. */
export function registryClientFor(env: NodeJS.ProcessEnv, registryMirror?: string): RegistryClient {
  return new RegistryClient(
    httpClientFor(env),
    registrySettingsOf(endpointsOf({ registryMirror }, env), env),
  );
}

/** The one HTTP client of a run; HARDEN_LOOPBACK_ONLY=1 (set by the tests) keeps every request here. */
export function httpClientFor(env: NodeJS.ProcessEnv): HttpClient {
  return new FetchHttpClient({
    ...DEFAULT_HTTP_OPTIONS,
    timeoutMs: Number(env.HARDEN_HTTP_TIMEOUT_MS) || DEFAULT_HTTP_OPTIONS.timeoutMs,
    userAgent: `harden-dockerfile/${VERSION}`,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    allowHost: env.HARDEN_LOOPBACK_ONLY ? (h) => isLoopbackRegistry(h) || h === '[::1]' : undefined,
  });
}
