import { runsAsRoot } from '../core/users';
import type { Config } from '../engine/config';
import { configuredSeverity, type Severity } from '../engine/define-rule';
import type { ContainerSpec } from './container-spec';

/** One containment control `airlock --check` audits, with its docker-bench-security section. */
export interface ContainerControl {
  readonly id: string;
  readonly aliases: readonly string[];
  readonly severity: Severity;
  readonly description: string;
  readonly docs: string;
  /** The problem, or undefined when the container has the control. */
  check(c: ContainerSpec): { readonly message: string; readonly key: string } | undefined;
}

export interface ControlFinding {
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
  readonly where: string;
}

const has = (xs: readonly string[], re: RegExp) => xs.some((x) => re.test(x));

export const CONTAINER_CONTROLS: readonly ContainerControl[] = [
  {
    id: 'container-read-only',
    aliases: ['docker-bench-5.12'],
    severity: 'warning',
    description: 'Run with a read-only root file system.',
    docs: 'With --read-only (read_only: true) nothing can be dropped into or patched in the image; give tmpfs to the paths it writes.',
    check: (c) =>
      c.readOnly ? undefined : { message: 'the root file system is writable', key: 'read_only' },
  },
  {
    id: 'container-cap-drop-all',
    aliases: ['docker-bench-5.3'],
    severity: 'warning',
    description: 'Drop every Linux capability; add back at most NET_BIND_SERVICE.',
    docs: '--cap-drop ALL removes raw sockets, mounts, owner changes and the rest. Only NET_BIND_SERVICE may come back.',
    check: (c) => {
      if (!has(c.capDrop, /^all$/i))
        return { message: 'capabilities are not dropped (no cap_drop ALL)', key: 'cap_drop' };
      const extra = c.capAdd.filter((x) => !/^(CAP_)?NET_BIND_SERVICE$/i.test(x));
      return extra.length > 0
        ? { message: `capabilities added back: ${extra.join(', ')}`, key: 'cap_add' }
        : undefined;
    },
  },
  {
    id: 'container-no-new-privileges',
    aliases: ['docker-bench-5.25'],
    severity: 'warning',
    description: 'Forbid privilege escalation (no-new-privileges).',
    docs: '--security-opt no-new-privileges stops setuid programs from raising privileges inside the container.',
    check: (c) =>
      has(c.securityOpt, /^no-new-privileges(:true|=true)?$/)
        ? undefined
        : { message: 'setuid programs can raise privileges (no no-new-privileges)', key: 'security_opt' },
  },
  {
    id: 'container-not-privileged',
    aliases: ['docker-bench-5.4'],
    severity: 'error',
    description: 'Never run privileged.',
    docs: '--privileged gives the container every capability and the host devices: it is root on the host.',
    check: (c) => (c.privileged ? { message: 'the container is privileged', key: 'privileged' } : undefined),
  },
  {
    id: 'container-seccomp',
    aliases: ['docker-bench-5.21'],
    severity: 'error',
    description: 'Keep a seccomp profile.',
    docs: 'seccomp=unconfined opens every system call to the container; the engine default blocks the dangerous ones.',
    check: (c) =>
      has(c.securityOpt, /^seccomp[:=]unconfined$/)
        ? { message: 'seccomp is unconfined', key: 'security_opt' }
        : undefined,
  },
  {
    id: 'container-non-root',
    aliases: ['docker-bench-4.1'],
    severity: 'warning',
    description: 'Run as an unprivileged user.',
    docs: 'Without user (or with root, 0, 0:0) the process is uid 0: one kernel bug from the host.',
    check: (c) =>
      c.user !== undefined && !runsAsRoot(c.user)
        ? undefined
        : {
            message: `the container runs as ${c.user ? c.user : 'the image user (not set here)'}`,
            key: 'user',
          },
  },
  {
    id: 'container-memory-limit',
    aliases: ['docker-bench-5.10'],
    severity: 'warning',
    description: 'Limit memory, with swap equal to it.',
    docs: 'A memory limit (and memory-swap equal to it, so no swap) keeps a runaway process from taking the host.',
    check: (c) =>
      !c.memory
        ? { message: 'memory is not limited', key: 'mem_limit' }
        : c.memorySwap !== undefined && c.memorySwap !== c.memory
          ? {
              message: `swap is allowed (memory-swap ${c.memorySwap} ≠ memory ${c.memory})`,
              key: 'memswap_limit',
            }
          : undefined,
  },
  {
    id: 'container-cpu-limit',
    aliases: ['docker-bench-5.11'],
    severity: 'warning',
    description: 'Limit CPU.',
    docs: 'A CPU limit keeps a miner or a busy loop from taking the host.',
    check: (c) => (c.cpus ? undefined : { message: 'CPU is not limited', key: 'cpus' }),
  },
  {
    id: 'container-pids-limit',
    aliases: ['docker-bench-5.28'],
    severity: 'warning',
    description: 'Limit the number of processes.',
    docs: 'A pids limit stops a fork bomb.',
    check: (c) =>
      c.pidsLimit !== undefined && c.pidsLimit > 0
        ? undefined
        : { message: 'processes are not limited', key: 'pids_limit' },
  },
  {
    id: 'container-no-host-namespaces',
    aliases: ['docker-bench-5.9', 'docker-bench-5.15', 'docker-bench-5.16'],
    severity: 'error',
    description: "Do not share the host's network, PID or IPC namespace.",
    docs: 'network host, pid host and ipc host put the container among the host’s interfaces, processes or shared memory.',
    check: (c) => {
      const shared = [
        c.network === 'host' ? 'network' : '',
        c.pid === 'host' ? 'PID' : '',
        c.ipc === 'host' ? 'IPC' : '',
      ].filter(Boolean);
      return shared.length > 0
        ? { message: `the host ${shared.join(', ')} namespace is shared`, key: 'network_mode' }
        : undefined;
    },
  },
  {
    id: 'container-no-docker-socket',
    aliases: ['docker-bench-5.31'],
    severity: 'error',
    description: 'Never mount the Docker socket.',
    docs: 'Whoever talks to docker.sock controls the engine, and so the host.',
    check: (c) =>
      has(c.volumes, /docker\.sock/)
        ? { message: 'the Docker socket is mounted', key: 'volumes' }
        : undefined,
  },
  {
    id: 'container-ports-loopback',
    aliases: ['docker-bench-5.13'],
    severity: 'warning',
    description: 'Publish ports on 127.0.0.1 only.',
    docs: 'A port published without an address listens on every host interface: the network reaches the image.',
    check: (c) => {
      const open = c.ports.filter(
        (p) => !/^(127\.\d+\.\d+\.\d+|\[::1\]|localhost):/.test(p) && !/"host_ip":"127\./.test(p),
      );
      return open.length > 0
        ? { message: `ports published on every interface: ${open.join(', ')}`, key: 'ports' }
        : undefined;
    },
  },
  {
    id: 'container-no-egress',
    aliases: [],
    severity: 'warning',
    description: 'Give the container no route out.',
    docs:
      'On an internal network (or network none) the container reaches nothing outside; allowed destinations go ' +
      'through forwarders (airlock IMAGE writes them). A docker run line on a named network cannot be judged here.',
    check: (c) =>
      c.network === 'none' || c.internalOnly === true
        ? undefined
        : c.internalOnly === undefined &&
            c.network !== undefined &&
            c.network !== 'bridge' &&
            c.network !== 'host'
          ? undefined
          : { message: 'the container can reach any address (not on an internal network)', key: 'networks' },
  },
  {
    id: 'container-init',
    aliases: [],
    severity: 'info',
    description: 'Run an init process.',
    docs: '--init reaps zombies and passes signals, so the container stops cleanly.',
    check: (c) => (c.init ? undefined : { message: 'no init process (init: true)', key: 'init' }),
  },
  {
    id: 'container-log-rotation',
    aliases: [],
    severity: 'info',
    description: 'Rotate logs.',
    docs: 'Without max-size a chatty or hostile program fills the disk with its log.',
    check: (c) =>
      has(c.logOptions, /^max-size=/)
        ? undefined
        : { message: 'logs do not rotate (no max-size)', key: 'logging' },
  },
  {
    id: 'container-restart-policy',
    aliases: ['docker-bench-5.14'],
    severity: 'info',
    description: 'Do not restart a failing container forever.',
    docs: 'restart always (or unless-stopped) keeps a crashing, possibly compromised, container coming back.',
    check: (c) =>
      c.restart === 'always' || c.restart === 'unless-stopped'
        ? { message: `restart is ${c.restart}`, key: 'restart' }
        : undefined,
  },
];

/** Every control a container misses, with its place (`services.web.read_only`). */
export function checkContainers(specs: readonly ContainerSpec[], config: Config): ControlFinding[] {
  const findings: ControlFinding[] = [];
  for (const spec of specs)
    for (const control of CONTAINER_CONTROLS) {
      const severity = configuredSeverity(control, config);
      if (severity === 'off') continue;
      const miss = control.check(spec);
      if (miss)
        findings.push({
          rule: control.id,
          severity,
          message: miss.message,
          where: spec.where === 'docker run' ? `docker run (${miss.key})` : `${spec.where}.${miss.key}`,
        });
    }
  return findings;
}
