import type { AirlockProfile } from './profile';
import { FORWARDER_LIMITS, refuseAddresses } from './render-run';

/** A YAML scalar: JSON strings are valid YAML and need no further quoting rules. */
const s = (v: string | number) => JSON.stringify(String(v));

/** Lines of YAML, with comments placed above the settings they explain. */
class Lines {
  readonly out: string[] = [];
  line(indent: number, text: string, why?: string): this {
    if (why) this.out.push(`${' '.repeat(indent)}# ${why}`);
    this.out.push(`${' '.repeat(indent)}${text}`);
    return this;
  }
}

function forwarder(
  y: Lines,
  name: string,
  image: string,
  command: string[],
  networks: string[],
  extra: string[] = [],
) {
  y.line(2, `${name}:`)
    .line(4, `image: ${s(image)}`)
    .line(4, `command: [${command.map(s).join(', ')}]`);
  for (const e of extra) y.line(4, e);
  y.line(4, 'read_only: true')
    .line(4, 'cap_drop: ["ALL"]')
    .line(4, 'security_opt: ["no-new-privileges:true"]')
    .line(4, `user: ${s(FORWARDER_LIMITS.user)}`)
    .line(4, `mem_limit: ${s(FORWARDER_LIMITS.memory)}`)
    .line(4, `memswap_limit: ${s(FORWARDER_LIMITS.memory)}`)
    .line(4, `cpus: ${FORWARDER_LIMITS.cpus}`)
    .line(4, `pids_limit: ${FORWARDER_LIMITS.pids}`)
    .line(4, 'sysctls: {"net.ipv4.ip_unprivileged_port_start": "0"}')
    .line(4, 'logging: {driver: "json-file", options: {"max-size": "1m", "max-file": "2"}}')
    .line(4, 'restart: "no"')
    .line(4, 'networks:');
  for (const n of networks) y.line(6, n);
}

/**
 * A Compose file (format 2.4, which docker-compose runs without swarm) whose first service is the
 * image itself, named after it, then the forwarders and the networks.
 */
export function renderCompose(p: AirlockProfile, header: readonly string[]): string {
  refuseAddresses(p);
  const y = new Lines();
  for (const h of header) y.out.push(`# ${h}`);
  for (const note of p.notes) y.out.push(`# NOTE: ${note}`);
  y.out.push(`# Forwarder: ${p.forwarder.why}.`);
  y.line(0, 'version: "2.4"').line(0, 'services:');
  const app = p.name;
  y.line(2, `${app}:`, 'The image itself: on the internal network only, no route out, no host network.')
    .line(4, `image: ${s(p.image)}`)
    .line(4, 'networks: ["internal"]')
    .line(4, 'dns: ["127.0.0.1"]', 'names outside the airlock do not resolve: no data leaves in DNS queries')
    .line(4, `user: ${s(p.user.value)}`, p.user.why)
    .line(4, 'read_only: true', 'the root file system cannot be changed: nothing is dropped or patched in')
    .line(4, 'tmpfs:');
  for (const m of p.tmpfs.value) y.line(6, `- ${s(`${m.path}:${m.options},size=${m.size}`)}`, m.why);
  y.line(4, 'cap_drop: ["ALL"]', 'no Linux capabilities: no raw sockets, no mounts, no changing owners')
    .line(
      4,
      'security_opt: ["no-new-privileges:true"]',
      'setuid programs cannot raise privileges; seccomp stays the default',
    )
    .line(4, 'init: true', 'a real init reaps zombies and passes signals')
    .line(4, `mem_limit: ${s(p.memory.value)}`, p.memory.why)
    .line(4, `memswap_limit: ${s(p.memory.value)}`)
    .line(4, `cpus: ${Number(p.cpus.value)}`, p.cpus.why)
    .line(4, `pids_limit: ${p.pids.value}`, p.pids.why)
    .line(4, 'logging: {driver: "json-file", options: {"max-size": "10m", "max-file": "3"}}', 'logs rotate')
    .line(4, 'restart: "no"', 'a crash stays a crash');
  if (p.unprivilegedPortStart)
    y.line(
      4,
      `sysctls: {"net.ipv4.ip_unprivileged_port_start": ${s(p.unprivilegedPortStart.value)}}`,
      p.unprivilegedPortStart.why,
    );
  for (const port of p.ports.value) {
    y.out.push(`  # ${p.ports.why}: port ${port.containerPort} answers on 127.0.0.1:${port.hostPort}.`);
    forwarder(
      y,
      `${app}-ingress-${port.hostPort}`,
      p.forwarder.value,
      ['nc', '-ll', '-p', String(port.containerPort), '-e', 'nc', app, String(port.containerPort)],
      ['- outside', '- internal'],
      [`ports: [${s(`127.0.0.1:${port.hostPort}:${port.containerPort}`)}]`],
    );
  }
  p.egress.value.forEach((e, i) => {
    y.out.push(
      `  # --allow ${e.host}:${e.port}: answers to that name inside, forwards that one port, in two hops.`,
    );
    forwarder(
      y,
      `${app}-egress-${i}`,
      p.forwarder.value,
      ['nc', '-ll', '-p', String(e.port), '-e', 'nc', `${app}-egress-${i}-out`, String(e.port)],
      [`internal: {aliases: [${s(e.host)}]}`, 'link: {}'],
    );
    forwarder(
      y,
      `${app}-egress-${i}-out`,
      p.forwarder.value,
      ['nc', '-ll', '-p', String(e.port), '-e', 'nc', e.host, String(e.port)],
      ['- link', '- outside'],
    );
  });
  const isolated = '{internal: true, driver_opts: {"com.docker.network.bridge.inhibit_ipv4": "true"}}';
  y.line(0, 'networks:').line(2, `internal: ${isolated}`, 'no route out, and no host address on the bridge');
  if (p.egress.value.length > 0) y.line(2, `link: ${isolated}`);
  if ((p.ports.value.length > 0 || p.egress.value.length > 0) && p.outsideNetwork)
    y.line(
      2,
      `outside: {external: true, name: ${s(p.outsideNetwork)}}`,
      'an existing network for the forwarders',
    );
  else if (p.ports.value.length > 0 || p.egress.value.length > 0)
    y.line(2, 'outside: {}', 'a normal network for the forwarders alone');
  return `${y.out.join('\n')}\n`;
}
