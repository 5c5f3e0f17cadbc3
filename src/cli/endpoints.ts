import * as fs from 'node:fs';
import * as path from 'node:path';
import { redactUrl } from '../effects/http';
import type { AptMirrors } from '../resolve/debian-index';
import { aptSourcesOf } from './apt-sources';

/** The public defaults, as `docker pull`, `pip install`, `apk add` and Ubuntu's `apt-get` use them. */
export const PUBLIC_DEFAULTS = {
  dockerHub: 'https://registry-1.docker.io',
  pypi: 'https://pypi.org/simple/',
  alpine: 'https://dl-cdn.alpinelinux.org/alpine',
  ubuntu: 'http://archive.ubuntu.com/ubuntu',
  /** Ubuntu serves every architecture but amd64 and i386 from its ports archive. */
  ubuntuPorts: 'http://ports.ubuntu.com/ubuntu-ports',
  rubygems: 'https://rubygems.org',
  goProxy: 'https://proxy.golang.org',
  cargo: 'https://index.crates.io',
} as const;

/** One endpoint and why it was chosen. */
export interface Endpoint {
  readonly url?: string;
  readonly why: string;
}

export interface Endpoints {
  readonly dockerHub: Endpoint;
  /** Base URLs for other registries, by registry name (HARDEN_REGISTRY_ENDPOINTS). */
  readonly registries: Readonly<Record<string, string>>;
  readonly pypi: Endpoint;
  readonly alpine: Endpoint;
  readonly ubuntu: Endpoint;
  readonly ubuntuPorts: Endpoint;
  readonly debian: Endpoint;
  readonly debianSecurity: Endpoint;
  readonly debianSnapshot: Endpoint;
  readonly npm: Endpoint;
  readonly rubygems: Endpoint;
  readonly goProxy: Endpoint;
  readonly cargo: Endpoint;
}

export interface EndpointFlags {
  readonly registryMirror?: string;
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

function pick(
  candidates: readonly [string | undefined, string][],
  fallback: Endpoint = { why: 'not configured' },
): Endpoint {
  for (const [url, why] of candidates) if (url) return { url, why };
  return fallback;
}

/**
 * Where each kind of look-up goes: a flag, then an environment variable, then (for Debian) this
 * machine's apt sources, then the public default. Debian's archive has no built-in default: it comes
 * from configuration or the machine's apt sources, else the finding stays with a hint.
 */
export function endpointsOf(flags: EndpointFlags, env: NodeJS.ProcessEnv): Endpoints {
  const machine = env.HARDEN_APT_SOURCES === 'none' ? {} : aptSourcesOf(env.HARDEN_APT_SOURCES || '/etc/apt');
  const sourcesDir = env.HARDEN_APT_SOURCES || '/etc/apt';
  const ubuntu = pick([[env.HARDEN_UBUNTU_MIRROR, 'HARDEN_UBUNTU_MIRROR']], {
    url: PUBLIC_DEFAULTS.ubuntu,
    why: "Ubuntu's archive (default)",
  });
  const debian = pick([
    [env.HARDEN_DEBIAN_MIRROR, 'HARDEN_DEBIAN_MIRROR'],
    [machine.debian, `this machine's apt sources (${sourcesDir})`],
  ]);
  return {
    dockerHub: pick(
      [
        [flags.registryMirror, '--registry-mirror'],
        [env.HARDEN_REGISTRY_MIRROR, 'HARDEN_REGISTRY_MIRROR'],
      ],
      { url: PUBLIC_DEFAULTS.dockerHub, why: 'Docker Hub (default), as docker pull uses it' },
    ),
    registries: parseEndpoints(env.HARDEN_REGISTRY_ENDPOINTS),
    pypi: pick(
      [
        [env.HARDEN_PIP_INDEX_URL, 'HARDEN_PIP_INDEX_URL'],
        [env.PIP_INDEX_URL, 'PIP_INDEX_URL, as pip reads it'],
      ],
      { url: PUBLIC_DEFAULTS.pypi, why: "PyPI's simple API (default), as pip uses it" },
    ),
    alpine: pick([[env.HARDEN_ALPINE_MIRROR, 'HARDEN_ALPINE_MIRROR']], {
      url: PUBLIC_DEFAULTS.alpine,
      why: "Alpine's CDN (default)",
    }),
    ubuntu,
    ubuntuPorts: pick(
      [
        [env.HARDEN_UBUNTU_PORTS_MIRROR, 'HARDEN_UBUNTU_PORTS_MIRROR'],
        [env.HARDEN_UBUNTU_MIRROR, 'HARDEN_UBUNTU_MIRROR (no HARDEN_UBUNTU_PORTS_MIRROR)'],
      ],
      { url: PUBLIC_DEFAULTS.ubuntuPorts, why: "Ubuntu's ports archive (default, for non-amd64)" },
    ),
    debian: debian.url
      ? debian
      : {
          why: "not configured here: set HARDEN_DEBIAN_MIRROR or add Debian to this machine's apt sources; else the base image's own apt sources are read",
        },
    debianSecurity: pick(
      [
        [env.HARDEN_DEBIAN_SECURITY_MIRROR, 'HARDEN_DEBIAN_SECURITY_MIRROR'],
        [
          env.HARDEN_DEBIAN_MIRROR ? undefined : machine.debianSecurity,
          `this machine's apt sources (${sourcesDir})`,
        ],
      ],
      {
        why: "not configured here: the base image's own apt sources are read, else the -security suite is not searched",
      },
    ),
    debianSnapshot: pick([[env.HARDEN_DEBIAN_SNAPSHOT_MIRROR, 'HARDEN_DEBIAN_SNAPSHOT_MIRROR']], {
      why: 'not configured: --pin-policy apt=snapshot cannot add sources',
    }),
    npm: pick(
      [
        [env.HARDEN_NPM_REGISTRY, 'HARDEN_NPM_REGISTRY'],
        [env.npm_config_registry ?? env.NPM_CONFIG_REGISTRY, 'npm_config_registry, as npm reads it'],
        [npmrcRegistry(env), 'the registry line of ~/.npmrc, as npm reads it'],
      ],
      { why: 'not configured: set HARDEN_NPM_REGISTRY, npm_config_registry or registry= in ~/.npmrc' },
    ),
    rubygems: pick([[env.HARDEN_RUBYGEMS_URL, 'HARDEN_RUBYGEMS_URL']], {
      url: PUBLIC_DEFAULTS.rubygems,
      why: 'RubyGems (default), as gem uses it',
    }),
    goProxy: pick(
      [
        [env.HARDEN_GOPROXY, 'HARDEN_GOPROXY'],
        [goproxyOf(env.GOPROXY), 'GOPROXY, as go reads it (its first proxy)'],
      ],
      { url: PUBLIC_DEFAULTS.goProxy, why: "Go's module proxy (default), as go uses it" },
    ),
    cargo: pick([[env.HARDEN_CARGO_INDEX, 'HARDEN_CARGO_INDEX']], {
      url: PUBLIC_DEFAULTS.cargo,
      why: "crates.io's sparse index (default), as cargo uses it",
    }),
  };
}

/** The first proxy URL of a GOPROXY list (`direct` and `off` are not proxies). */
function goproxyOf(value: string | undefined): string | undefined {
  return (value ?? '')
    .split(/[,|]/)
    .map((v) => v.trim())
    .find((v) => /^https?:\/\//.test(v));
}

/** `registry=` of the user's ~/.npmrc (npm's own configuration), when there is one. */
function npmrcRegistry(env: NodeJS.ProcessEnv): string | undefined {
  const home = env.HOME;
  if (!home) return undefined;
  try {
    const text = fs.readFileSync(path.join(home, '.npmrc'), 'utf8');
    return /^\s*registry\s*=\s*(\S+)\s*$/m.exec(text)?.[1];
  } catch {
    return undefined;
  }
}

/** The apt mirrors the Debian/Ubuntu index backend reads. */
export function aptMirrorsOf(e: Endpoints): AptMirrors {
  return {
    debian: e.debian.url,
    debianSecurity: e.debianSecurity.url,
    ubuntu: e.ubuntu.url,
    ubuntuPorts: e.ubuntuPorts.url,
  };
}

/** `fix --explain-endpoints`: each kind of look-up, the URL it would use, and why. */
export function explainEndpoints(e: Endpoints): string {
  const rows: [string, Endpoint][] = [
    ['Docker Hub (docker.io)', e.dockerHub],
    ...Object.entries(e.registries).map(([name, url]): [string, Endpoint] => [
      name,
      { url, why: 'HARDEN_REGISTRY_ENDPOINTS' },
    ]),
    [
      'other registries',
      { url: 'https://<registry>', why: 'the registry named in the image (http for loopback)' },
    ],
    ['pip', e.pypi],
    ['apk (Alpine)', e.alpine],
    ['apt (Ubuntu, amd64/i386)', e.ubuntu],
    ['apt (Ubuntu, other architectures)', e.ubuntuPorts],
    ['apt (Debian)', e.debian],
    ['apt (Debian security)', e.debianSecurity],
    ['apt snapshot (Debian)', e.debianSnapshot],
    ['npm', e.npm],
    ['gem (RubyGems)', e.rubygems],
    ['go (module proxy)', e.goProxy],
    ['cargo (sparse index)', e.cargo],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return `${rows
    .map(
      ([k, v]) =>
        `${k.padEnd(width)}  ${v.url && v.url.includes('://') && !v.url.includes('<') ? redactUrl(v.url) : (v.url ?? '-')}  (${v.why})`,
    )
    .join('\n')}\n`;
}
