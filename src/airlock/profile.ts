import { runsAsRoot } from '../core/users';
import type { ImageConfig } from '../image/reader';

/** An image's facts that choose the controls: from its registry config, or a Dockerfile's final stage. */
export interface AirlockSource {
  /** The reference to run, pinned by digest when the registry gave one. */
  readonly image: string;
  /** Where the facts came from, for the comments (`the image config`, `the Dockerfile's final stage`). */
  readonly from: string;
  readonly config: ImageConfig;
  /** The image's users (from its /etc/passwd), when they were read: a named User is found here. */
  readonly users?: readonly { readonly name: string; readonly uid: number; readonly gid: number }[];
}

/**
 * The numeric uid and gid a user spec runs as: `1000`, `1000:1000`, or a name the image's users
 * list. Undefined when a name cannot be looked up.
 */
export function numericIds(
  spec: string,
  users: AirlockSource['users'],
): { uid: number; gid: number } | undefined {
  const [u, g] = spec.split(':');
  const user = /^\d+$/.test(u) ? { uid: Number(u), gid: Number(u) } : users?.find((x) => x.name === u);
  if (!user) return undefined;
  if (g === undefined) return { uid: user.uid, gid: user.gid };
  if (/^\d+$/.test(g)) return { uid: user.uid, gid: Number(g) };
  return undefined;
}

export interface AirlockOptions {
  readonly name?: string;
  /** `HOST:PORT`: the only destinations the container may reach. */
  readonly allow: readonly string[];
  /** Ports to publish on 127.0.0.1 (`8080` or `18080:8080`); default: the image's ExposedPorts. */
  readonly publish?: readonly string[];
  readonly memory: string;
  readonly cpus: string;
  readonly pids: number;
  /** Extra writable paths, `PATH[:SIZE]`. */
  readonly tmpfs: readonly string[];
  /** The forwarder image (an official, minimal image with busybox nc), pinned when it could be. */
  readonly forwarder: string;
  /** Why the forwarder reference reads as it does (pinned by digest, or by tag offline). */
  readonly forwarderNote: string;
  /** An existing network for the forwarders' outer side, instead of a new bridge. */
  readonly outsideNetwork?: string;
}

/** One setting and the one-line reason for it: what it stops, and what in the image chose it. */
export interface Control<T> {
  readonly value: T;
  readonly why: string;
}

export interface Mount {
  readonly path: string;
  readonly size: string;
  readonly options: string;
  /** What made the path writable: a VOLUME, a well-known write path, --tmpfs. */
  readonly why: string;
}

export interface PortMap {
  readonly hostPort: number;
  readonly containerPort: number;
  readonly protocol: 'tcp' | 'udp';
}

export interface Egress {
  readonly host: string;
  readonly port: number;
  /** An IPv4 address rather than a name: only a NetworkPolicy can express it. */
  readonly address: boolean;
}

/** The containment profile: one model, rendered as a run script, a Compose file or Kubernetes. */
export interface AirlockProfile {
  readonly name: string;
  readonly image: string;
  readonly user: Control<string>;
  readonly tmpfs: Control<readonly Mount[]>;
  readonly ports: Control<readonly PortMap[]>;
  /** Set so a non-root user can bind the lowest published port below 1024. */
  readonly unprivilegedPortStart?: Control<number>;
  readonly egress: Control<readonly Egress[]>;
  readonly memory: Control<string>;
  readonly cpus: Control<string>;
  readonly pids: Control<number>;
  readonly forwarder: Control<string>;
  /** The forwarders' outer network when it is an existing one (`--outside-network`). */
  readonly outsideNetwork?: string;
  readonly entrypoint?: readonly string[];
  readonly cmd?: readonly string[];
  /** Notes that belong at the top: what the image may need and did not get. */
  readonly notes: readonly string[];
}

export class AirlockError extends Error {}

/** Paths nearly every program writes to; made writable (tmpfs) whatever the image says. */
const ALWAYS_WRITABLE = ['/tmp', '/var/tmp', '/run'];
/** Runtime folders: programs may put sockets and helpers there, so they keep exec. */
const RUNTIME_DIRS = new Set(['/run', '/var/run']);
const DEFAULT_TMPFS_SIZE = '64m';
/** Write paths of well-known servers, added when the image runs them. */
const KNOWN_WRITERS: readonly [string, RegExp, readonly string[]][] = [
  ['nginx', /\bnginx\b/, ['/var/cache/nginx', '/var/run']],
  ['Apache httpd', /\b(httpd-foreground|apache2)\b/, ['/usr/local/apache2/logs']],
  ['PostgreSQL', /\bpostgres\b/, ['/var/run/postgresql']],
];

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const HOST = /^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?$/;

function parseAllow(spec: string): Egress {
  const m = /^(.+):(\d{1,5})$/.exec(spec.trim());
  const port = m ? Number(m[2]) : NaN;
  if (!m || !HOST.test(m[1]) || !(port >= 1 && port <= 65535))
    throw new AirlockError(`--allow "${spec}" is not HOST:PORT`);
  return { host: m[1].toLowerCase(), port, address: /^\d+(\.\d+){3}$/.test(m[1]) };
}

function parsePublish(spec: string): PortMap {
  const m = /^(?:(\d{1,5}):)?(\d{1,5})(?:\/(tcp|udp))?$/.exec(spec.trim());
  if (!m) throw new AirlockError(`--publish "${spec}" is not PORT or HOSTPORT:PORT`);
  const containerPort = Number(m[2]);
  const hostPort = m[1] ? Number(m[1]) : containerPort;
  if (!(containerPort >= 1 && containerPort <= 65535 && hostPort >= 1 && hostPort <= 65535))
    throw new AirlockError(`--publish "${spec}" names a port outside 1-65535`);
  return { hostPort, containerPort, protocol: (m[3] as 'tcp' | 'udp') ?? 'tcp' };
}

function parseTmpfs(spec: string): { path: string; size?: string } {
  const [path, size] = spec.split(':');
  if (!path.startsWith('/') || /[\s,'"$`\\]/.test(path))
    throw new AirlockError(`--tmpfs "${spec}" is not an absolute PATH[:SIZE]`);
  if (size !== undefined && !/^\d+[kmg]?$/i.test(size))
    throw new AirlockError(`--tmpfs "${spec}": the size is not like 64m`);
  return { path: path.replace(/\/+$/, '') || '/', ...(size ? { size } : {}) };
}

/** The name the profile's containers and networks carry, from the image when none is given. */
export function defaultName(image: string): string {
  const repo = image.split('@')[0].split('/').pop() ?? 'app';
  const base = repo.split(':')[0].replace(/[^a-zA-Z0-9_.-]/g, '-');
  return `airlock-${base || 'app'}`;
}

/**
 * Chooses every control from the image's metadata: a non-root user (the image's own, else numeric),
 * tmpfs for each VOLUME and the usual write paths, ports from ExposedPorts on 127.0.0.1 only, no
 * egress but `--allow`, and limits. Each choice carries the reason the output prints beside it.
 */
export function buildProfile(source: AirlockSource, opts: AirlockOptions): AirlockProfile {
  const c = source.config;
  const name = opts.name ?? defaultName(source.image);
  if (!NAME.test(name) || name.length > 50)
    throw new AirlockError(`--name "${name}" is not a container name`);
  const notes: string[] = [];
  const imageUser = c.User ?? '';
  const user: Control<string> = runsAsRoot(imageUser)
    ? {
        value: '65532:65532',
        why: `${source.from} runs as ${imageUser || 'root (no User)'}: run as an unprivileged numeric user instead`,
      }
    : { value: imageUser, why: `${source.from} names the unprivileged user ${imageUser}` };
  if (runsAsRoot(imageUser))
    notes.push(
      'The image runs as root. It may need root to write where root owns files or to bind a low port; ' +
        'airlock runs it as 65532:65532 all the same, with every write path on a tmpfs any user may write. ' +
        'If it fails, add --tmpfs for the path it writes, rather than giving it root.',
    );

  // The engine gives a tmpfs on a folder the image has the folder's own owner and mode (root, 0755),
  // whatever `mode=` says: each tmpfs is owned by the user the container runs as instead.
  const ids = numericIds(user.value, source.users);
  const owner = ids ? `,uid=${ids.uid},gid=${ids.gid}` : '';
  if (!ids)
    notes.push(
      `The image's user ${user.value} is a name whose uid was not read: its tmpfs folders may stay root's. ` +
        'Run it with a numeric --user (or read the image from its registry) if it cannot write them.',
    );
  const mounts = new Map<string, Mount>();
  const add = (path: string, why: string, size = DEFAULT_TMPFS_SIZE) => {
    if (mounts.has(path)) return;
    const exec = RUNTIME_DIRS.has(path) ? '' : ',noexec';
    mounts.set(path, { path, size, options: `rw,nosuid,nodev${exec},mode=1777${owner}`, why });
  };
  for (const p of ALWAYS_WRITABLE)
    add(p, 'programs expect a writable scratch folder; the root stays read-only');
  for (const v of Object.keys(c.Volumes ?? {}).sort()) {
    const path = v.replace(/\/+$/, '') || '/';
    if (path === '/')
      throw new AirlockError('the image declares / as a VOLUME: it cannot run with a read-only root');
    add(
      path,
      `VOLUME ${path} in ${source.from}: under --read-only it would become a writable anonymous volume on disk`,
    );
  }
  const runs = [...(c.Entrypoint ?? []), ...(c.Cmd ?? [])].join(' ');
  for (const [server, pattern, paths] of KNOWN_WRITERS)
    if (pattern.test(runs)) for (const p of paths) add(p, `${source.from} runs ${server}, which writes here`);
  for (const spec of opts.tmpfs) {
    const t = parseTmpfs(spec);
    mounts.delete(t.path);
    add(t.path, 'asked for with --tmpfs', t.size);
  }
  if (c.WorkingDir && !mounts.has(c.WorkingDir))
    notes.push(
      `WORKDIR ${c.WorkingDir} stays read-only: a tmpfs there would hide the files the image keeps in it. ` +
        `If the app writes there, give it --tmpfs ${c.WorkingDir}/<folder>.`,
    );

  const exposed = Object.keys(c.ExposedPorts ?? {}).sort();
  const all = (opts.publish ?? exposed).map(parsePublish);
  const ports = all.filter((p) => p.protocol === 'tcp');
  for (const p of all.filter((x) => x.protocol === 'udp'))
    notes.push(`UDP port ${p.containerPort} is not published: the forwarders carry TCP only.`);
  const published: Control<readonly PortMap[]> = {
    value: ports,
    why: opts.publish
      ? 'published as asked, on 127.0.0.1 only: reachable from this host, not from the network'
      : exposed.length > 0
        ? `EXPOSE ${exposed.join(' ')} in ${source.from}, published on 127.0.0.1 only`
        : `${source.from} exposes no port: nothing is published`,
  };
  const low = ports.filter((p) => p.containerPort < 1024).map((p) => p.containerPort);
  const unprivilegedPortStart: Control<number> | undefined =
    low.length > 0
      ? {
          value: Math.min(...low),
          why:
            `the image listens on port ${Math.min(...low)} as a non-root user: this namespaced sysctl lets it bind ` +
            'without any capability (NET_BIND_SERVICE would not reach a non-root process)',
        }
      : undefined;

  const egress = opts.allow.map(parseAllow);
  if (opts.outsideNetwork !== undefined && !NAME.test(opts.outsideNetwork))
    throw new AirlockError(`--outside-network "${opts.outsideNetwork}" is not a network name`);
  return {
    ...(opts.outsideNetwork ? { outsideNetwork: opts.outsideNetwork } : {}),
    name,
    image: source.image,
    user,
    tmpfs: {
      value: [...mounts.values()],
      why: 'writable paths, in memory, sized, without set-id or devices',
    },
    ports: published,
    ...(unprivilegedPortStart ? { unprivilegedPortStart } : {}),
    egress: {
      value: egress,
      why:
        egress.length > 0
          ? `only ${egress.map((e) => `${e.host}:${e.port}`).join(', ')} through one forwarder each; nothing else leaves`
          : 'no --allow: the container reaches nothing outside the airlock',
    },
    memory: {
      value: opts.memory,
      why: 'a memory limit, with swap equal to it (no swap): a runaway process is killed, not the host',
    },
    cpus: { value: opts.cpus, why: 'a CPU limit: a miner or a loop cannot take the host' },
    pids: { value: opts.pids, why: 'a process limit: a fork bomb stops here' },
    forwarder: { value: opts.forwarder, why: opts.forwarderNote },
    ...(c.Entrypoint ? { entrypoint: c.Entrypoint } : {}),
    ...(c.Cmd ? { cmd: c.Cmd } : {}),
    notes,
  };
}
