import { AirlockError, type AirlockProfile } from './profile';

/** A word for a POSIX shell: single-quoted unless it is plainly safe. */
export function shQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

const comment = (text: string) => `# ${text.replace(/\n/g, '\n# ')}`;

/** The flags every forwarder runs with: it holds no data and needs nothing. */
export const FORWARDER_LIMITS = {
  user: '65532:65532',
  memory: '32m',
  cpus: '0.25',
  pids: 32,
};

function forwarderFlags(): string[] {
  return [
    '--read-only',
    '--cap-drop ALL',
    '--security-opt no-new-privileges',
    `--user ${FORWARDER_LIMITS.user}`,
    `--memory ${FORWARDER_LIMITS.memory} --memory-swap ${FORWARDER_LIMITS.memory}`,
    `--cpus ${FORWARDER_LIMITS.cpus} --pids-limit ${FORWARDER_LIMITS.pids}`,
    '--sysctl net.ipv4.ip_unprivileged_port_start=0',
    '--log-opt max-size=1m --log-opt max-file=2',
    '--restart no',
  ];
}

/** Docker profiles reach an allowed destination by name: the forwarder answers to that name. */
export function refuseAddresses(p: AirlockProfile): void {
  const ip = p.egress.value.find((e) => e.address);
  if (ip)
    throw new AirlockError(
      `--allow ${ip.host}:${ip.port}: give a host name, not an address; the app reaches the forwarder under that name`,
    );
}

/**
 * A POSIX `sh` script: creates the networks and forwarders, runs the image in the foreground (its
 * arguments replace the image's CMD, as with `docker run IMAGE ARGS`), and removes everything it
 * created when the image exits or the script is interrupted.
 */
export function renderRunScript(p: AirlockProfile, header: readonly string[]): string {
  refuseAddresses(p);
  const q = shQuote;
  const out: string[] = ['#!/bin/sh', ...header.map(comment)];
  for (const note of p.notes) out.push(comment(`NOTE: ${note}`));
  out.push(
    comment('Usage: sh THIS-SCRIPT [ARGS…]   (ARGS replace the image CMD; DOCKER=… picks the client)'),
    'set -eu',
    `NAME=${q(p.name)}`,
    `IMAGE=${q(p.image)}`,
    comment(`Forwarder: ${p.forwarder.why}.`),
    `FORWARDER=${q(p.forwarder.value)}`,
    'DOCKER=${DOCKER:-docker}',
    'containers=""',
    'networks=""',
    'app=""',
    '',
    comment('Everything this script created goes when it ends: containers first, then networks.'),
    'cleanup() {',
    '  trap - EXIT INT TERM HUP',
    '  if [ -n "$app" ]; then kill "$app" 2>/dev/null || true; fi',
    '  for c in $containers; do "$DOCKER" rm -f "$c" >/dev/null 2>&1 || true; done',
    '  for n in $networks; do "$DOCKER" network rm "$n" >/dev/null 2>&1 || true; done',
    '}',
    'trap cleanup EXIT',
    "trap 'cleanup; exit 129' HUP",
    "trap 'cleanup; exit 130' INT",
    "trap 'cleanup; exit 143' TERM",
    '',
    'network() { "$DOCKER" network create "$@" >/dev/null; eval "networks=\\"\\$$# \\$networks\\""; }',
    'forwarder() { name=$1; shift; "$DOCKER" run -d --name "$name" "$@" >/dev/null; containers="$name $containers"; }',
    '',
    comment(
      'The image lives on an internal network: no route out. inhibit_ipv4 leaves the host without an ' +
        "address on that bridge, so the host's own services cannot be reached either.",
    ),
    'network --internal -o com.docker.network.bridge.inhibit_ipv4=true "$NAME-internal"',
  );
  const needsOutside = p.ports.value.length > 0 || p.egress.value.length > 0;
  if (needsOutside && p.outsideNetwork)
    out.push(
      comment('The forwarders reach out through an existing network; the image is never on it.'),
      `OUTSIDE=${q(p.outsideNetwork)}`,
    );
  else if (needsOutside)
    out.push(
      comment('A normal network for the forwarders alone: the image is never on it.'),
      'OUTSIDE="$NAME-outside"',
      'network "$OUTSIDE"',
    );
  if (p.egress.value.length > 0)
    out.push(
      comment(
        'Egress goes in two hops, so the forwarder that answers to the allowed name inside never looks ' +
          'that name up itself: inside → link → outside.',
      ),
      'network --internal -o com.docker.network.bridge.inhibit_ipv4=true "$NAME-link"',
    );
  const fwd = forwarderFlags().join(' ');
  p.egress.value.forEach((e, i) => {
    out.push(
      comment(
        `--allow ${e.host}:${e.port}: the one destination this forwarder reaches; any other port or host stays unreachable.`,
      ),
      `forwarder "$NAME-egress-${i}-out" --network "$NAME-link" ${fwd} "$FORWARDER" nc -ll -p ${e.port} -e nc ${q(e.host)} ${e.port}`,
      `"$DOCKER" network connect "$OUTSIDE" "$NAME-egress-${i}-out"`,
      `forwarder "$NAME-egress-${i}" --network "$NAME-internal" --network-alias ${q(e.host)} ${fwd} "$FORWARDER" nc -ll -p ${e.port} -e nc "$NAME-egress-${i}-out" ${e.port}`,
      `"$DOCKER" network connect "$NAME-link" "$NAME-egress-${i}"`,
    );
  });
  for (const port of p.ports.value) {
    out.push(
      comment(
        `${p.ports.why}: port ${port.containerPort} answers on 127.0.0.1:${port.hostPort} through a forwarder.`,
      ),
      `forwarder "$NAME-ingress-${port.hostPort}" --network "$OUTSIDE" -p 127.0.0.1:${port.hostPort}:${port.containerPort} ${fwd} "$FORWARDER" nc -ll -p ${port.containerPort} -e nc "$NAME" ${port.containerPort}`,
      `"$DOCKER" network connect "$NAME-internal" "$NAME-ingress-${port.hostPort}"`,
    );
  }
  const flags: [string, string][] = [
    ['--name "$NAME" --network "$NAME-internal"', 'the internal network only: no route out, no host network'],
    ['--dns 127.0.0.1', 'names outside the airlock do not resolve: no data leaves in DNS queries'],
    [`--user ${q(p.user.value)}`, p.user.why],
    ['--read-only', 'the root file system cannot be changed: nothing is dropped or patched in'],
    ...p.tmpfs.value.map((m): [string, string] => [
      `--tmpfs ${q(`${m.path}:${m.options},size=${m.size}`)}`,
      m.why,
    ]),
    ['--cap-drop ALL', 'no Linux capabilities: no raw sockets, no mounts, no changing owners'],
    ['--security-opt no-new-privileges', 'setuid programs cannot raise privileges'],
    ['--init', 'a real init reaps zombies and passes signals'],
    [`--memory ${q(p.memory.value)} --memory-swap ${q(p.memory.value)}`, p.memory.why],
    [`--cpus ${q(p.cpus.value)}`, p.cpus.why],
    [`--pids-limit ${p.pids.value}`, p.pids.why],
    ['--log-opt max-size=10m --log-opt max-file=3', 'logs rotate: a chatty program cannot fill the disk'],
    ['--restart no', 'a crash stays a crash'],
  ];
  if (p.unprivilegedPortStart)
    flags.push([
      `--sysctl net.ipv4.ip_unprivileged_port_start=${p.unprivilegedPortStart.value}`,
      p.unprivilegedPortStart.why,
    ]);
  out.push(
    '',
    comment('The image itself. The engine keeps its default seccomp profile (never unconfined); no'),
    comment('--privileged, no docker.sock, no host PID, IPC or network. Each setting is added to the'),
    comment("arguments with its reason above it; the script's own arguments go last, after the image."),
    'n=$#',
    'set -- "$@" --rm',
  );
  for (const [flag, why] of flags) out.push(comment(why), `set -- "$@" ${flag}`);
  out.push(
    'set -- "$@" "$IMAGE"',
    'i=0',
    'while [ "$i" -lt "$n" ]; do set -- "$@" "$1"; shift; i=$((i + 1)); done',
    'containers="$NAME $containers"',
    comment('In the background with wait, so an interrupt reaches the trap at once.'),
    '"$DOCKER" run "$@" &',
    'app=$!',
    'status=0',
    'wait "$app" || status=$?',
    'app=""',
    'exit "$status"',
    '',
  );
  return out.join('\n');
}
