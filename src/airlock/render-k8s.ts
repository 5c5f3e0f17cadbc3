import type { AirlockProfile } from './profile';

const s = (v: string | number) => JSON.stringify(String(v));

function sizeOf(size: string): string {
  const m = /^(\d+)([kmg]?)$/i.exec(size);
  if (!m) return size;
  const unit = { '': '', k: 'Ki', m: 'Mi', g: 'Gi' }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g'];
  return `${m[1]}${unit}`;
}

/** The numeric uid:gid Kubernetes needs to verify runAsNonRoot; a named user cannot be checked. */
function numericUser(user: string): { uid: number; gid: number; note?: string } {
  const [u, g] = user.split(':');
  if (/^\d+$/.test(u)) return { uid: Number(u), gid: /^\d+$/.test(g ?? '') ? Number(g) : Number(u) };
  return {
    uid: 65532,
    gid: 65532,
    note: `the image's user "${user}" is a name, which Kubernetes cannot check against runAsNonRoot: uid 65532 instead`,
  };
}

/**
 * A Deployment meeting the Pod Security Standards' restricted profile, with a read-only root,
 * memory-backed emptyDirs for the write paths, limits and no service account token; and a
 * NetworkPolicy that denies all egress but DNS and each allowed address, and admits ingress only on
 * the published ports.
 */
export function renderKubernetes(p: AirlockProfile, header: readonly string[]): string {
  const out: string[] = header.map((h) => `# ${h}`);
  for (const note of p.notes) out.push(`# NOTE: ${note}`);
  const user = numericUser(p.user.value);
  if (user.note) out.push(`# NOTE: ${user.note}.`);
  const labels = `{app.kubernetes.io/name: ${s(p.name)}}`;
  const volumes = p.tmpfs.value.map((m, i) => ({ ...m, volume: `tmp-${i}` }));
  out.push(
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${s(p.name)}`,
    `  labels: ${labels}`,
    'spec:',
    '  replicas: 1',
    `  selector: {matchLabels: ${labels}}`,
    '  template:',
    `    metadata: {labels: ${labels}}`,
    '    spec:',
    '      # No API credentials inside: a compromised process cannot talk to the cluster.',
    '      automountServiceAccountToken: false',
    '      enableServiceLinks: false',
    '      # No host namespaces.',
    '      hostNetwork: false',
    '      hostPID: false',
    '      hostIPC: false',
    '      securityContext:',
    `        # ${p.user.why}`,
    '        runAsNonRoot: true',
    `        runAsUser: ${user.uid}`,
    `        runAsGroup: ${user.gid}`,
    `        fsGroup: ${user.gid}`,
    '        # The runtime default seccomp profile (restricted requires it).',
    '        seccompProfile: {type: RuntimeDefault}',
  );
  if (p.unprivilegedPortStart)
    out.push(
      `        # ${p.unprivilegedPortStart.why}`,
      `        sysctls: [{name: net.ipv4.ip_unprivileged_port_start, value: ${s(p.unprivilegedPortStart.value)}}]`,
    );
  out.push(
    '      containers:',
    `        - name: ${s(p.name)}`,
    `          image: ${s(p.image)}`,
    ...(p.entrypoint ? [`          command: [${p.entrypoint.map(s).join(', ')}]`] : []),
    ...(p.cmd ? [`          args: [${p.cmd.map(s).join(', ')}]`] : []),
    '          securityContext:',
    '            allowPrivilegeEscalation: false',
    '            # The root file system cannot be changed: nothing is dropped or patched in.',
    '            readOnlyRootFilesystem: true',
    '            privileged: false',
    '            capabilities: {drop: ["ALL"]}',
    '          resources:',
    `            # ${p.memory.why} ${p.cpus.why}.`,
    `            limits: {memory: ${s(sizeOf(p.memory.value))}, cpu: ${s(p.cpus.value)}, ephemeral-storage: "256Mi"}`,
    `            requests: {memory: ${s(sizeOf(p.memory.value))}, cpu: "100m"}`,
  );
  if (p.ports.value.length > 0) {
    out.push('          ports:');
    for (const port of p.ports.value)
      out.push(`            - {containerPort: ${port.containerPort}, protocol: TCP}`);
  }
  out.push('          volumeMounts:');
  for (const v of volumes)
    out.push(`            # ${v.why}`, `            - {name: ${v.volume}, mountPath: ${s(v.path)}}`);
  out.push('      volumes:');
  for (const v of volumes)
    out.push(`        - {name: ${v.volume}, emptyDir: {medium: Memory, sizeLimit: ${s(sizeOf(v.size))}}}`);
  out.push(
    '---',
    '# Enforced only by a network plugin that implements NetworkPolicy.',
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    'metadata:',
    `  name: ${s(`${p.name}-airlock`)}`,
    'spec:',
    `  podSelector: {matchLabels: ${labels}}`,
    '  policyTypes: [Ingress, Egress]',
  );
  if (p.ports.value.length > 0) {
    out.push(
      `  # ${p.ports.why.replace(/, published on 127\.0\.0\.1 only/, '')}: ingress on these ports only.`,
    );
    out.push(
      `  ingress: [{ports: [${p.ports.value.map((x) => `{port: ${x.containerPort}, protocol: TCP}`).join(', ')}]}]`,
    );
  } else out.push('  # Nothing is published: no ingress.', '  ingress: []');
  out.push('  egress:', '    # DNS, so the pod can resolve names (the only destination every pod gets).');
  out.push('    - ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]');
  for (const e of p.egress.value) {
    if (e.address) {
      out.push(`    # --allow ${e.host}:${e.port}`, `    - to: [{ipBlock: {cidr: ${s(`${e.host}/32`)}}}]`);
      out.push(`      ports: [{port: ${e.port}, protocol: TCP}]`);
    } else
      out.push(
        `    # --allow ${e.host}:${e.port} is NOT expressed: a NetworkPolicy takes addresses, never host names.`,
        `    # Give --allow its address (ADDRESS:${e.port}) or use an egress gateway; until then it is denied.`,
      );
  }
  return `${out.join('\n')}\n`;
}
