import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { buildProfile } from '../../src/airlock/profile';
import { renderKubernetes } from '../../src/airlock/render-k8s';
import { runCli } from '../harness/cli';
import { buildImage, docker, DOCKER, engineAvailable } from '../harness/engine';
import { freePort, registryAvailable, startRegistry, type Registry } from '../harness/registry';
import { sarifSchemaErrors } from '../harness/sarif-schema';

const COMPOSE = '/usr/bin/docker-compose';

/** A web server FROM scratch: busybox httpd on 8080, a VOLUME, running as root. */
const WEB = `FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
RUN mkdir -p /www /etc && echo hello-airlock > /www/index.html && echo 'root:x:0:0::/root:/bin/sh' > /etc/passwd
# As in a real image: the data and run folders are root's, 0755 (a tmpfs there takes that owner and mode).
RUN mkdir -p /data /run /tmp && chmod 0755 /data /run && chmod 1777 /tmp
VOLUME /data
EXPOSE 8080
CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]
`;
const BUSYBOX_IMAGE = `FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
`;

describe('the profile, without an engine', () => {
  const source = {
    image: 'example.test/app:1@sha256:' + 'a'.repeat(64),
    from: 'the image config',
    config: {
      User: '',
      Volumes: { '/data': {}, '/var/log/app': {} },
      ExposedPorts: { '80/tcp': {}, '53/udp': {} },
      WorkingDir: '/app',
      Cmd: ['nginx', '-g', 'daemon off;'],
    },
  };
  const options = {
    allow: ['api.example.com:443', '10.1.2.3:5432'],
    memory: '256m',
    cpus: '0.5',
    pids: 128,
    tmpfs: ['/cache:32m'],
    forwarder: 'busybox:1.36.1@sha256:' + 'b'.repeat(64),
    forwarderNote: 'pinned',
  };

  it('chooses each control from the image and says why: root → numeric user, VOLUMEs and write paths → tmpfs, low port', () => {
    const p = buildProfile(source, options);
    expect(p.user.value).toBe('65532:65532');
    expect(p.notes.join(' ')).toMatch(/runs as root/);
    expect(p.notes.join(' ')).toMatch(/WORKDIR \/app stays read-only/);
    expect(p.notes.join(' ')).toMatch(/UDP port 53 is not published/);
    const paths = p.tmpfs.value.map((m) => m.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/tmp',
        '/var/tmp',
        '/run',
        '/data',
        '/var/log/app',
        '/var/cache/nginx',
        '/var/run',
        '/cache',
      ]),
    );
    // Owned by the user the container runs as: the engine would give the tmpfs the image folder's owner.
    expect(p.tmpfs.value.find((m) => m.path === '/data')?.options).toBe(
      'rw,nosuid,nodev,noexec,mode=1777,uid=65532,gid=65532',
    );
    expect(p.tmpfs.value.find((m) => m.path === '/run')?.options).toBe(
      'rw,nosuid,nodev,mode=1777,uid=65532,gid=65532',
    );
    expect(p.tmpfs.value.find((m) => m.path === '/cache')?.size).toBe('32m');
    expect(p.unprivilegedPortStart?.value).toBe(80);
    expect(p.ports.value).toEqual([{ hostPort: 80, containerPort: 80, protocol: 'tcp' }]);
  });

  it('renders Kubernetes that meets the restricted Pod Security Standard, and a NetworkPolicy', () => {
    const text = renderKubernetes(buildProfile(source, options), ['header']);
    const [deployment, policy] = parseAllDocuments(text).map((d) => d.toJS());
    const pod = deployment.spec.template.spec;
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 65532,
      seccompProfile: { type: 'RuntimeDefault' },
      sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '80' }],
    });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.hostNetwork || pod.hostPID || pod.hostIPC).toBe(false);
    const c = pod.containers[0];
    expect(c.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      privileged: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(c.resources.limits).toMatchObject({ memory: '256Mi', cpu: '0.5' });
    expect(c.volumeMounts.map((m: { mountPath: string }) => m.mountPath)).toContain('/data');
    for (const v of pod.volumes) expect(v.emptyDir.medium).toBe('Memory');
    // Only restricted volume types.
    for (const v of pod.volumes) expect(Object.keys(v).sort()).toEqual(['emptyDir', 'name']);
    expect(policy.kind).toBe('NetworkPolicy');
    expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy.spec.ingress).toEqual([{ ports: [{ port: 80, protocol: 'TCP' }] }]);
    expect(policy.spec.egress).toEqual([
      {
        ports: [
          { port: 53, protocol: 'UDP' },
          { port: 53, protocol: 'TCP' },
        ],
      },
      { to: [{ ipBlock: { cidr: '10.1.2.3/32' } }], ports: [{ port: 5432, protocol: 'TCP' }] },
    ]);
    expect(text).toMatch(
      /--allow api\.example\.com:443 is NOT expressed: a NetworkPolicy takes addresses, never host names/,
    );
  });

  it('refuses what it cannot contain, with a clear message', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harden-airlock-'));
    fs.writeFileSync(
      path.join(dir, 'Dockerfile'),
      'FROM scratch\nEXPOSE 8080\nVOLUME ["/data"]\nUSER 1000\nCMD ["/app"]\n',
    );
    const ip = await runCli(['airlock', 'Dockerfile', '--offline', '--allow', '10.0.0.1:443'], { cwd: dir });
    expect(ip.code).toBe(2);
    expect(ip.stderr).toMatch(/give a host name, not an address/);
    const bad = await runCli(['airlock', 'Dockerfile', '--offline', '--allow', 'nohost'], { cwd: dir });
    expect(bad.stderr).toMatch(/--allow "nohost" is not HOST:PORT/);
    const ok = await runCli(
      ['airlock', 'Dockerfile', '--offline', '-f', 'compose', '--image-name', 'me/app:1'],
      { cwd: dir },
    );
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('image: "me/app:1"');
    expect(ok.stdout).toContain('user: "1000"');
    expect(ok.stdout).toContain('"/data:rw,nosuid,nodev,noexec,mode=1777,uid=1000,gid=1000,size=64m"');
    expect(ok.stdout).toMatch(/Forwarder: busybox:1\.36\.1 by tag only/);
  });
});

describe('airlock --check audits an existing deployment', () => {
  const lax = [
    'version: "3.8"',
    'services:',
    '  web:',
    '    image: example/web:1',
    '    privileged: true',
    '    network_mode: host',
    '    ports: ["8080:8080"]',
    '    volumes: ["/var/run/docker.sock:/var/run/docker.sock"]',
    '    security_opt: ["seccomp:unconfined"]',
    '    cap_add: ["SYS_ADMIN"]',
    '    restart: always',
    '',
  ].join('\n');

  it('names every control a Compose service misses, by place', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harden-check-'));
    fs.writeFileSync(path.join(dir, 'compose.yml'), lax);
    const r = await runCli(['airlock', '--check', 'compose.yml', '-f', 'json'], { cwd: dir });
    expect(r.code).toBe(1);
    const got = JSON.parse(r.stdout).findings.map(
      (f: { rule: string; where: string }) => `${f.rule} ${f.where}`,
    );
    expect(got).toEqual([
      'container-read-only services.web.read_only',
      'container-cap-drop-all services.web.cap_drop',
      'container-no-new-privileges services.web.security_opt',
      'container-not-privileged services.web.privileged',
      'container-seccomp services.web.security_opt',
      'container-non-root services.web.user',
      'container-memory-limit services.web.mem_limit',
      'container-cpu-limit services.web.cpus',
      'container-pids-limit services.web.pids_limit',
      'container-no-host-namespaces services.web.network_mode',
      'container-no-docker-socket services.web.volumes',
      'container-ports-loopback services.web.ports',
      'container-no-egress services.web.networks',
      'container-init services.web.init',
      'container-log-rotation services.web.logging',
      'container-restart-policy services.web.restart',
    ]);
    const sarif = await runCli(['airlock', '--check', 'compose.yml', '-f', 'sarif'], { cwd: dir });
    expect(sarifSchemaErrors(JSON.parse(sarif.stdout))).toEqual([]);
  });

  it('reads a docker run line, and the profile airlock writes passes its own audit', async () => {
    const line =
      'docker run -d --read-only --cap-drop=ALL --security-opt no-new-privileges -u 1000:1000 -m 256m --memory-swap 256m \\\n' +
      "  --cpus 1 --pids-limit 100 --network none --init --log-opt max-size=10m -p 127.0.0.1:80:80 'example/web:1' serve";
    const r = await runCli(['airlock', '--check', '-'], { stdin: line });
    expect(r.stdout).toBe('-: every containment control is in place.\n');
    expect(r.code).toBe(0);
    const loose = await runCli(['airlock', '--check', '-', '-f', 'json'], {
      stdin: 'docker run -p 80:80 --cap-add NET_ADMIN nginx',
    });
    const rules = JSON.parse(loose.stdout).findings.map((f: { rule: string }) => f.rule);
    expect(rules).toEqual(
      expect.arrayContaining(['container-ports-loopback', 'container-cap-drop-all', 'container-no-egress']),
    );
    // The Compose file airlock writes: its image service misses nothing.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harden-check-'));
    fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\nEXPOSE 8080\nVOLUME /data\nCMD ["/app"]\n');
    const made = await runCli(['airlock', 'Dockerfile', '--offline', '-f', 'compose', '--name', 'app'], {
      cwd: dir,
    });
    fs.writeFileSync(path.join(dir, 'compose.yml'), made.stdout);
    const audit = await runCli(['airlock', '--check', 'compose.yml', '-f', 'json', '-t', 'none'], {
      cwd: dir,
    });
    const own = JSON.parse(audit.stdout).findings.filter((f: { where: string }) =>
      f.where.startsWith('services.app.'),
    );
    expect(own).toEqual([]);
    const bad = await runCli(['airlock', '--check', 'missing.yml'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });
});

const engine = registryAvailable() && engineAvailable('airlock containment');
const describeEngine = engine ? describe : describe.skip;

interface Listener {
  port: number;
  close(): Promise<void>;
}

/** A TCP listener on every host address: what the airlock must keep the image away from. */
async function hostListener(): Promise<Listener> {
  const server = net.createServer((s) => s.end('host-reached\n'));
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

function leftovers(prefix: string): string[] {
  const containers = docker(['ps', '-a', '--filter', `name=${prefix}`, '--format', '{{.Names}}']).split('\n');
  const networks = docker(['network', 'ls', '--filter', `name=${prefix}`, '--format', '{{.Name}}']).split(
    '\n',
  );
  return [...containers, ...networks].filter(Boolean);
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function get(url: string): Promise<string | undefined> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
  return res.ok ? await res.text() : undefined;
}

describeEngine('airlock on a real engine', () => {
  let registry: Registry;
  let hostSide: Listener;
  const id = `${process.pid}${Date.now() % 100000}`;
  const lab = `hd-lab-${id}`;
  const target = `hd-target-${id}`;
  let image: string;
  let forwarder: string;
  let targetIp: string;
  const env = () => ({ HARDEN_CACHE_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'harden-airlock-')) });

  beforeAll(async () => {
    registry = await startRegistry();
    hostSide = await hostListener();
    image = `${registry.host}/airlock/web:1`;
    forwarder = `${registry.host}/library/busybox:1.36.1`;
    buildImage(image, WEB);
    buildImage(forwarder, BUSYBOX_IMAGE);
    docker(['push', '-q', image]);
    docker(['push', '-q', forwarder]);
    // A normal network with a listener on two ports, under the name the image is allowed to reach.
    docker(['network', 'create', lab]);
    docker([
      'run',
      '-d',
      '--name',
      target,
      '--network',
      lab,
      '--network-alias',
      'api.test',
      forwarder,
      'sh',
      '-c',
      'nc -ll -p 9000 -e echo allowed-9000 & nc -ll -p 9001 -e echo other-9001 & wait',
    ]);
    targetIp = docker([
      'inspect',
      '-f',
      `{{(index .NetworkSettings.Networks "${lab}").IPAddress}}`,
      target,
    ]).trim();
  }, 180_000);

  afterAll(async () => {
    spawnSync(DOCKER, ['rm', '-f', target]);
    spawnSync(DOCKER, ['network', 'rm', lab]);
    await hostSide?.close();
    await registry?.stop();
  });

  /** What the image sees from inside, run as the image's command under the profile. */
  const probe = (hostPort: number) =>
    [
      'id -u',
      'touch /root-write 2>/dev/null && echo root:writable || echo root:readonly',
      'for d in /tmp /var/tmp /run /data; do touch $d/w 2>/dev/null && echo $d:writable || echo $d:readonly; done',
      'grep -E "^(CapEff|NoNewPrivs)" /proc/self/status',
      'echo allowed:$(nc -w 3 api.test 9000 </dev/null)',
      'nc -w 3 api.test 9001 </dev/null >/dev/null 2>&1 && echo other-port:reached || echo other-port:blocked',
      `nc -w 3 ${targetIp} 9000 </dev/null >/dev/null 2>&1 && echo direct:reached || echo direct:blocked`,
      'gw=$(ip route | awk "/default/ {print \\$3}")',
      `nc -w 3 $gw ${hostPort} </dev/null 2>/dev/null | grep -q host-reached && echo host:reached || echo host:blocked`,
      `nc -w 3 172.17.0.1 ${hostPort} </dev/null 2>/dev/null | grep -q host-reached && echo docker0:reached || echo docker0:blocked`,
    ].join('; ');

  const expectContained = (out: string) => {
    const lines = out.split('\n');
    expect(lines[0]).toBe('65532');
    expect(lines).toEqual(
      expect.arrayContaining([
        'root:readonly',
        '/tmp:writable',
        '/var/tmp:writable',
        '/run:writable',
        '/data:writable',
        'CapEff:\t0000000000000000',
        'NoNewPrivs:\t1',
        'allowed:allowed-9000',
        'other-port:blocked',
        'direct:blocked',
        'host:blocked',
        'docker0:blocked',
      ]),
    );
  };

  /** The airlock options both engine runs share: the allowed service, the forwarder, the lab network. */
  const labArgs = (name: string): string[] => [
    '--allow',
    'api.test:9000',
    '--forwarder-image',
    forwarder,
    '--outside-network',
    lab,
    '--name',
    name,
  ];

  it('run: the script contains the image, answers on 127.0.0.1 only, and leaves nothing behind', async () => {
    const name = `hd-air-${id}`;
    const hostPort = await freePort();
    const common = labArgs(name);
    const made = await runCli(['airlock', image, ...common, '--publish', `${hostPort}:8080`], { env: env() });
    expect(made.code).toBe(0);
    const script = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'harden-airlock-')), 'airlock.sh');
    fs.writeFileSync(script, made.stdout);
    const sh = { env: { ...process.env, DOCKER }, encoding: 'utf8' as const };

    // The image's command replaced by a probe: what it can and cannot do from inside.
    const inside = spawnSync('sh', [script, 'sh', '-c', probe(hostSide.port)], { ...sh, timeout: 120_000 });
    expect(inside.stderr).not.toMatch(/Error|error:/);
    expect(inside.status).toBe(0);
    expectContained(inside.stdout);
    expect(leftovers(name)).toEqual([]);

    // The image's own command: the server, then an interrupt.
    const child = spawn('sh', [script], { env: sh.env, stdio: 'ignore' });
    try {
      const body = await waitFor('the published port', () => get(`http://127.0.0.1:${hostPort}/`));
      expect(body).toBe('hello-airlock\n');
      await expect(get(`http://172.17.0.1:${hostPort}/`)).rejects.toThrow();
      const hostConfig = JSON.parse(docker(['inspect', '-f', '{{json .HostConfig}}', name]));
      expect(hostConfig).toMatchObject({
        ReadonlyRootfs: true,
        Memory: 512 * 1024 * 1024,
        MemorySwap: 512 * 1024 * 1024,
        NanoCpus: 1e9,
        PidsLimit: 256,
        CapDrop: ['ALL'],
        Init: true,
        Privileged: false,
      });
      expect(hostConfig.SecurityOpt).toContain('no-new-privileges');
      expect(JSON.stringify(hostConfig.SecurityOpt)).not.toMatch(/unconfined/);
      expect(hostConfig.PortBindings).toEqual({});
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    await waitFor('cleanup', async () => (leftovers(name).length === 0 ? true : undefined), 20_000);
  }, 240_000);

  (fs.existsSync(COMPOSE) || process.env.CI === 'true' ? it : it.skip)(
    'compose: docker-compose validates and runs the file, with the same containment',
    async () => {
      const name = `hd-cmp-${id}`;
      const hostPort = await freePort();
      const made = await runCli(
        ['airlock', image, '-f', 'compose', ...labArgs(name), '--publish', `${hostPort}:8080`],
        { env: env() },
      );
      expect(made.code).toBe(0);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harden-compose-'));
      const file = path.join(dir, 'docker-compose.yml');
      fs.writeFileSync(file, made.stdout);
      const compose = (...args: string[]) =>
        spawnSync(COMPOSE, ['-p', name, '-f', file, ...args], { encoding: 'utf8', timeout: 180_000 });
      const config = compose('config', '-q');
      expect(config.stderr.replace(/.*WARNING.*\n?/g, '')).toBe('');
      expect(config.status).toBe(0);
      try {
        const up = compose('up', '-d');
        expect(up.status).toBe(0);
        const app = docker([
          'ps',
          '--filter',
          `label=com.docker.compose.service=${name}`,
          '--format',
          '{{.Names}}',
        ])
          .trim()
          .split('\n')[0];
        expect(app).toBeTruthy();
        const body = await waitFor('the published port', () => get(`http://127.0.0.1:${hostPort}/`));
        expect(body).toBe('hello-airlock\n');
        await expect(get(`http://172.17.0.1:${hostPort}/`)).rejects.toThrow();
        expectContained(docker(['exec', app, 'sh', '-c', probe(hostSide.port)]));
      } finally {
        compose('down', '-v', '--remove-orphans', '-t', '1');
      }
      expect(leftovers(name)).toEqual([]);
    },
    240_000,
  );
});
