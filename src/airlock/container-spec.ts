import { parse as parseYaml } from 'yaml';
import { AirlockError } from './profile';

/** One container as a deployment declares it: the settings airlock checks. */
export interface ContainerSpec {
  /** `services.web` for Compose, `docker run` for a command line. */
  readonly where: string;
  readonly image: string;
  readonly readOnly: boolean;
  readonly user?: string;
  readonly capDrop: readonly string[];
  readonly capAdd: readonly string[];
  readonly securityOpt: readonly string[];
  readonly privileged: boolean;
  readonly memory?: string;
  readonly memorySwap?: string;
  readonly cpus?: string;
  readonly pidsLimit?: number;
  readonly init: boolean;
  readonly network?: string;
  /** Whether every network the container joins is internal (Compose; unknown for a command line). */
  readonly internalOnly?: boolean;
  readonly pid?: string;
  readonly ipc?: string;
  readonly volumes: readonly string[];
  readonly ports: readonly string[];
  readonly restart?: string;
  readonly logOptions: readonly string[];
}

/** Shell words of one command line: quotes and backslash-newlines as sh reads them (no expansion). */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let started = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < line.length) word += line[++i];
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      started = true;
    } else if (c === '\\' && line[i + 1] === '\n') i++;
    else if (c === '\\' && i + 1 < line.length) {
      word += line[++i];
      started = true;
    } else if (/\s/.test(c)) {
      if (started) words.push(word);
      word = '';
      started = false;
    } else {
      word += c;
      started = true;
    }
  }
  if (quote) throw new AirlockError('the command line has an unclosed quote');
  if (started) words.push(word);
  return words;
}

/** `docker run` flags that take a value (so the image is the first word that is neither). */
const VALUE_FLAGS = new Set(
  (
    'a attach add-host blkio-weight cap-add cap-drop cgroup-parent cgroupns cidfile cpu-period cpu-quota ' +
    'cpu-rt-period cpu-rt-runtime c cpu-shares cpus cpuset-cpus cpuset-mems device device-cgroup-rule ' +
    'dns dns-option dns-search domainname entrypoint e env env-file expose gpus group-add health-cmd ' +
    'health-interval health-retries health-start-period health-timeout h hostname ip ip6 ipc isolation ' +
    'kernel-memory l label label-file link log-driver log-opt mac-address m memory memory-reservation ' +
    'memory-swap memory-swappiness mount name network net network-alias net-alias pid pids-limit platform ' +
    'p publish pull restart runtime security-opt shm-size stop-signal stop-timeout storage-opt sysctl ' +
    'tmpfs ulimit u user userns uts v volume volumes-from w workdir'
  ).split(' '),
);

/** The containers of a `docker run` line (one) or a Compose file (each service). */
export function readDeployment(text: string, file: string): ContainerSpec[] {
  const trimmed = text.trim();
  if (/^(sudo\s+)?(\S*\/)?docker\s+(container\s+)?(run|create)\b/.test(trimmed))
    return [fromRunLine(trimmed)];
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new AirlockError(
      `${file} is neither a docker run line nor YAML: ${(err as Error).message.split('\n')[0]}`,
    );
  }
  const services = (doc as { services?: unknown })?.services;
  if (!services || typeof services !== 'object' || Array.isArray(services))
    throw new AirlockError(`${file} has no services: give a Compose file or a docker run line`);
  const networks = ((doc as { networks?: Record<string, { internal?: unknown } | null> }).networks ??
    {}) as Record<string, { internal?: unknown } | null>;
  return Object.entries(services as Record<string, unknown>).map(([name, raw]) =>
    fromService(name, raw, networks),
  );
}

function fromRunLine(line: string): ContainerSpec {
  const words = shellWords(line.replace(/\\\r?\n/g, ' '));
  const start = words.findIndex((w) => w === 'run' || w === 'create') + 1;
  const values = new Map<string, string[]>();
  const bools = new Set<string>();
  let image = '';
  for (let i = start; i < words.length; i++) {
    const w = words[i];
    if (!w.startsWith('-') || w === '-') {
      image = w;
      break;
    }
    const eq = w.indexOf('=');
    const flag = w.replace(/^--?/, '').slice(0, eq > 0 ? eq - (w.startsWith('--') ? 2 : 1) : undefined);
    if (eq > 0) values.set(flag, [...(values.get(flag) ?? []), w.slice(eq + 1)]);
    else if (VALUE_FLAGS.has(flag)) values.set(flag, [...(values.get(flag) ?? []), words[++i] ?? '']);
    else bools.add(flag);
  }
  if (!image) throw new AirlockError('the docker run line names no image');
  const one = (...names: string[]) => names.map((n) => values.get(n)?.at(-1)).find((v) => v !== undefined);
  const all = (...names: string[]) => names.flatMap((n) => values.get(n) ?? []);
  const flag = (name: string) => bools.has(name) || /^(true|1)$/.test(values.get(name)?.at(-1) ?? '');
  const pids = one('pids-limit');
  return {
    where: 'docker run',
    image,
    readOnly: flag('read-only'),
    user: one('user', 'u'),
    capDrop: all('cap-drop'),
    capAdd: all('cap-add'),
    securityOpt: all('security-opt'),
    privileged: flag('privileged'),
    memory: one('memory', 'm'),
    memorySwap: one('memory-swap'),
    cpus: one('cpus'),
    ...(pids !== undefined ? { pidsLimit: Number(pids) } : {}),
    init: flag('init'),
    network: one('network', 'net'),
    pid: one('pid'),
    ipc: one('ipc'),
    volumes: [...all('volume', 'v'), ...all('mount')],
    ports: all('publish', 'p'),
    restart: one('restart'),
    logOptions: all('log-opt'),
  };
}

function strings(v: unknown): string[] {
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'object' && x ? JSON.stringify(x) : String(x)));
  if (typeof v === 'string') return [v];
  return [];
}

function fromService(
  name: string,
  raw: unknown,
  networks: Record<string, { internal?: unknown } | null>,
): ContainerSpec {
  const s = (raw ?? {}) as Record<string, unknown>;
  const str = (k: string) => (s[k] === undefined || s[k] === null ? undefined : String(s[k]));
  const joined = Array.isArray(s.networks)
    ? (s.networks as unknown[]).map(String)
    : s.networks && typeof s.networks === 'object'
      ? Object.keys(s.networks)
      : ['default'];
  const logging = (s.logging ?? {}) as { options?: Record<string, unknown> };
  const deploy = ((s.deploy as { resources?: { limits?: Record<string, unknown> } })?.resources?.limits ??
    {}) as Record<string, unknown>;
  const pids = s.pids_limit ?? deploy.pids;
  return {
    where: `services.${name}`,
    image: str('image') ?? '(built)',
    readOnly: s.read_only === true,
    user: str('user'),
    capDrop: strings(s.cap_drop),
    capAdd: strings(s.cap_add),
    securityOpt: strings(s.security_opt),
    privileged: s.privileged === true,
    memory: str('mem_limit') ?? (deploy.memory === undefined ? undefined : String(deploy.memory)),
    memorySwap: str('memswap_limit'),
    cpus: str('cpus') ?? (deploy.cpus === undefined ? undefined : String(deploy.cpus)),
    ...(pids !== undefined ? { pidsLimit: Number(pids) } : {}),
    init: s.init === true,
    network: str('network_mode'),
    internalOnly: str('network_mode') === 'none' || joined.every((n) => networks[n]?.internal === true),
    pid: str('pid'),
    ipc: str('ipc'),
    volumes: strings(s.volumes),
    ports: strings(s.ports),
    restart: str('restart'),
    logOptions: Object.entries(logging.options ?? {}).map(([k, v]) => `${k}=${String(v)}`),
  };
}
