import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { instructionOf, readHistory } from '../../src/image/history';
import { scanLayerStream, DEFAULT_SCAN_LIMITS } from '../../src/image/layers';
import { maskText } from '../../src/core/secrets';
import { triage } from '../../src/index';
import { runCli } from '../harness/cli';
import { buildImage, buildkitWorks, docker, engineAvailable } from '../harness/engine';
import { serve } from '../harness/http-server';
import { pushCrafted, pushIndex, registryAvailable, startRegistry, type Registry } from '../harness/registry';
import { sarifSchemaErrors } from '../harness/sarif-schema';
import { gzipTar, tarOf } from '../harness/tars';

interface Finding {
  rule: string;
  severity: string;
  message: string;
  where: string;
}

const SECRETS = {
  github: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
  aws: 'AKIAIOSFODNN7EXAMPLE',
  awsSecret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  api: 's3cr3t-value-42',
};

/** A FROM scratch image with every red flag triage knows, built by the real engine. */
const RED_FLAGS = `FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
RUN mkdir -p /etc /tmp /srv && echo 'root:x:0:0:root:/root:/bin/sh' > /etc/passwd \\
 && echo 'root:x:0:' > /etc/group \\
 && printf 'ID=alpine\\nVERSION_ID=3.17.2\\nPRETTY_NAME="Alpine Linux v3.17"\\n' > /etc/os-release
ARG GITHUB_TOKEN=${SECRETS.github}
RUN echo "$GITHUB_TOKEN" > /dev/null && mkdir -p /usr/local/sbin && cp /bin/busybox /usr/local/sbin/helper && chmod u+s /usr/local/sbin/helper \\
 && mkdir -p /srv/open && chmod 777 /srv/open && printf 'x' > /srv/notes && chmod o+w /srv/notes
RUN printf 'pool=stratum+tcp://pool.example:3333\\n' > /srv/miner.conf && printf 'KEY=1\\n' > /srv/.env \\
 && cp /bin/busybox /tmp/xmrig && chmod +x /tmp/xmrig \\
 && mkdir -p /root/.ssh && printf -- '-----BEGIN OPENSSH PRIVATE KEY-----\\nabc\\n-----END OPENSSH PRIVATE KEY-----\\n' > /root/.ssh/id_ed25519
RUN rm /srv/.env /root/.ssh/id_ed25519
RUN wget -O /usr/bin/helper http://127.0.0.1:9/helper || true; chmod 755 /usr/bin/helper || true
ENV DEBUG=True AWS_ACCESS_KEY_ID=${SECRETS.aws} AWS_SECRET_ACCESS_KEY=${SECRETS.awsSecret} API_TOKEN=${SECRETS.api} GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D
EXPOSE 22 2375 8080
VOLUME /data
WORKDIR /srv
USER 0:0
ENTRYPOINT ["/bin/sh", "-c"]
CMD ["httpd -f -p 8080"]
`;

function sha256(b: Buffer): string {
  return `sha256:${createHash('sha256').update(b).digest('hex')}`;
}

describe('history read back as instructions', () => {
  it('reads the legacy builder and BuildKit forms', () => {
    expect(instructionOf('/bin/sh -c #(nop)  ENV A=b C=d')).toBe('ENV A=b C=d');
    expect(instructionOf('/bin/sh -c #(nop) ADD file:9a3f in / ')).toBe('ADD file:9a3f /');
    expect(instructionOf('/bin/sh -c #(nop)  CMD ["bash"]')).toBe('CMD ["bash"]');
    expect(instructionOf('/bin/sh -c apt-get update && apt-get install -y curl')).toBe(
      'RUN apt-get update && apt-get install -y curl',
    );
    expect(instructionOf('|2 A=1 B=two /bin/sh -c make install')).toBe('RUN make install');
    expect(instructionOf('/bin/busybox --install -s /bin')).toBe('RUN /bin/busybox --install -s /bin');
    expect(instructionOf('RUN /bin/sh -c pip install flask # buildkit')).toBe('RUN pip install flask');
    expect(instructionOf('RUN |1 TOKEN=x /bin/sh -c echo hi # buildkit')).toBe('RUN echo hi');
    expect(instructionOf('COPY . /app # buildkit')).toBe('COPY . /app');
    expect(instructionOf('EXPOSE map[8080/tcp:{} 9090/udp:{}]')).toBe('EXPOSE 8080/tcp 9090/udp');
    expect(instructionOf('VOLUME [/data /logs]')).toBe('VOLUME ["/data","/logs"]');
    expect(instructionOf('WORKDIR /app')).toBe('WORKDIR /app');
    expect(instructionOf('USER app')).toBe('USER app');
    expect(instructionOf('CMD ["python" "app.py"]')).toBe('CMD ["python" "app.py"]');
    expect(instructionOf('')).toBeUndefined();
  });

  it('matches steps to the layers they made', () => {
    const steps = readHistory(
      [
        { created_by: '/bin/sh -c #(nop) ADD file:a in /' },
        { created_by: '/bin/sh -c #(nop)  ENV A=1', empty_layer: true },
        { created_by: 'RUN /bin/sh -c echo hi # buildkit' },
      ],
      2,
    );
    expect(steps.map((s) => [s.index, s.layer])).toEqual([
      [0, 0],
      [1, undefined],
      [2, 1],
    ]);
  });

  it('masks secret values and shapes in any text it prints', () => {
    const text = maskText(
      `|2 GITHUB_TOKEN=${SECRETS.github} DB_PASSWORD="hunter2!" /bin/sh -c echo ${SECRETS.aws}`,
    );
    for (const s of [SECRETS.github, 'hunter2!', SECRETS.aws]) expect(text).not.toContain(s);
    expect(text).toContain('DB_PASSWORD=<masked, 8 characters>');
    expect(maskText('GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D')).toContain('A035C8C1');
  });
});

describe('layers are read as they stream, and hostile tars end in a clear finding', () => {
  const limits = { ...DEFAULT_SCAN_LIMITS, wantContent: () => false };
  const one = (b: Buffer) => ({
    async *[Symbol.asyncIterator]() {
      // Small chunks, as a network delivers them.
      for (let i = 0; i < b.length; i += 100) yield b.subarray(i, i + 100);
    },
  });
  const meta = { index: 0, digest: `sha256:${'0'.repeat(64)}`, compressedSize: 0 };

  it('names traversal, absolute names, links out of the image and impossible sizes', async () => {
    const tar = await tarOf([
      { name: '../../etc/cron.d/evil', content: '* * * * * root sh\n' },
      { name: '/abs/file', content: 'x' },
      { name: 'usr/lib/link', type: 'symlink', linkname: '../../../outside' },
      { name: 'usr/lib/hard', type: 'link', linkname: '../../etc/shadow' },
      { name: 'ok/file', content: 'fine' },
    ]);
    const scan = await scanLayerStream(one(gzipSync(tar)), meta, limits);
    expect(scan.incomplete).toBeUndefined();
    expect(scan.hostile.map((h) => h.path)).toEqual([
      '../../etc/cron.d/evil',
      'abs/file',
      'usr/lib/link',
      'usr/lib/hard',
    ]);
    expect(scan.entries.map((e) => e.path)).toContain('ok/file');
  });

  it('stops a truncated stream, a corrupt tar, a decompression bomb and an over-budget layer with a reason', async () => {
    const tar = await tarOf([
      { name: 'a', content: 'x'.repeat(5000) },
      { name: 'b', content: 'y' },
    ]);
    const gz = gzipSync(tar);
    const cut = await scanLayerStream(one(gz.subarray(0, gz.length - 40)), meta, limits);
    expect(cut.incomplete).toMatch(/not a readable layer|not read to the end/);
    const corrupt = Buffer.from(tar);
    corrupt.fill(0x41, 100, 160);
    const broken = await scanLayerStream(one(corrupt), meta, limits);
    expect(broken.incomplete).toMatch(/not a readable layer/);
    const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024));
    const big = await scanLayerStream(one(bomb), meta, { ...limits, maxExpandedBytes: 1024 * 1024 });
    expect(big.incomplete).toMatch(/uncompressed size over the budget/);
    const tight = await scanLayerStream(one(gz), meta, { ...limits, maxLayerBytes: 50 });
    expect(tight.incomplete).toMatch(/compressed size over the budget of 50 bytes/);
    // A huge declared size with no data behind it.
    const header = Buffer.from(await tarOf([{ name: 'huge', content: 'z' }]));
    header.write('77777777777\0', 124, 'ascii');
    let sum = 0;
    header.fill(0x20, 148, 156);
    for (let i = 0; i < 512; i++) sum += header[i];
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
    const huge = await scanLayerStream(one(header.subarray(0, 1024)), meta, limits);
    expect(huge.incomplete).toBeDefined();
  });
});

const registryOk = registryAvailable();
const describeRegistry = registryOk ? describe : describe.skip;

describeRegistry('triage against a real registry', () => {
  let registry: Registry;
  const env = () => ({ HARDEN_CACHE_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'harden-triage-')) });
  const now = new Date().toISOString();

  beforeAll(async () => {
    registry = await startRegistry();
  }, 30_000);
  afterAll(async () => {
    await registry?.stop();
  });

  it('reports nothing above info for a clean multi-platform image, and exits 0', async () => {
    const digests = [];
    for (const arch of ['amd64', 'arm64']) {
      const layer = await gzipTar([
        { name: 'etc/', type: 'directory' },
        {
          name: 'etc/passwd',
          content:
            'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532::/home/nonroot:/sbin/nologin\n',
        },
        {
          name: 'etc/os-release',
          content: 'ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nPRETTY_NAME="Distroless"\n',
        },
        { name: 'app/', type: 'directory' },
        { name: 'app/server', content: `binary for ${arch}`, mode: 0o755 },
        { name: 'tmp/', type: 'directory', mode: 0o1777 },
      ]);
      digests.push({
        os: 'linux',
        architecture: arch,
        digest: await pushCrafted(registry.url, 'clean/app', `1.0-${arch}`, {
          config: {
            architecture: arch,
            os: 'linux',
            created: now,
            config: {
              User: '65532:65532',
              Entrypoint: ['/app/server'],
              ExposedPorts: { '8080/tcp': {} },
              Env: ['PATH=/usr/bin'],
            },
            rootfs: { type: 'layers', diff_ids: [sha256(await tarOf([]))] },
            history: [
              { created: now, created_by: 'COPY server /app/server # buildkit' },
              { created: now, created_by: 'USER 65532:65532', empty_layer: true },
              { created: now, created_by: 'EXPOSE map[8080/tcp:{}]', empty_layer: true },
              { created: now, created_by: 'ENTRYPOINT ["/app/server"]', empty_layer: true },
            ],
          },
          layers: [layer],
        }),
      });
    }
    await pushIndex(registry.url, 'clean/app', '1.0', digests);
    const ref = `${registry.host}/clean/app:1.0`;
    const r = await runCli(['triage', ref, '--layers', '-f', 'json'], { env: env() });
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout);
    expect(report.version).toBe(1);
    expect(report.image.platforms).toEqual(['linux/amd64', 'linux/arm64']);
    expect(report.image.platform).toBe('linux/amd64');
    expect(report.image.user).toBe('65532:65532');
    expect(report.image.facts).toMatchObject({
      family: 'distroless',
      release: 'debian bookworm',
      userTool: 'none',
    });
    expect(report.findings.filter((f: Finding) => f.severity !== 'info' && f.severity !== 'style')).toEqual(
      [],
    );
    expect(r.code).toBe(0);
    // The same through the library.
    const lib = await triage(ref, { layers: true, env: env() });
    expect(lib.failed).toBe(false);
    expect(lib.image.digest).toBe(report.image.digest);
    expect(lib.dockerfile).toContain('COPY server /app/server');
    const arm = await runCli(['triage', ref, '--platform', 'linux/arm64', '-f', 'json'], { env: env() });
    expect(JSON.parse(arm.stdout).image.platform).toBe('linux/arm64');
    const missing = await runCli(['triage', ref, '--platform', 'linux/s390x'], { env: env() });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/has no linux\/s390x image \(it has linux\/amd64, linux\/arm64\)/);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
  });

  it('reads BuildKit history and hostile layers from crafted images, without a crash', async () => {
    const hostile = gzipSync(
      await tarOf([
        { name: '../../../etc/passwd', content: 'pwned' },
        { name: 'lib/x', type: 'symlink', linkname: '../../../../host' },
      ]),
    );
    const noise = Array.from({ length: 200 }, (_, i) =>
      createHash('sha256').update(String(i)).digest('hex'),
    ).join('');
    const truncated = gzipSync(await tarOf([{ name: 'big', content: noise }])).subarray(0, 200);
    await pushCrafted(registry.url, 'crafted/bk', '1', {
      config: {
        architecture: 'amd64',
        os: 'linux',
        created: '2019-01-01T00:00:00Z',
        config: { User: 'app', Env: ['NODE_ENV=development'], ExposedPorts: { '3389/tcp': {} } },
        history: [
          { created_by: 'RUN /bin/sh -c curl -fsSL https://get.example.sh | sh # buildkit' },
          { created_by: 'RUN |1 NPM_TOKEN=abc123realvalue /bin/sh -c npm ci # buildkit' },
          { created_by: 'USER app', empty_layer: true },
        ],
      },
      layers: [hostile, truncated],
    });
    const r = await runCli(['triage', `${registry.host}/crafted/bk:1`, '--layers', '-f', 'json'], {
      env: env(),
    });
    expect(r.stdout).not.toContain('abc123realvalue');
    const findings = JSON.parse(r.stdout).findings as Finding[];
    const by = (rule: string) => findings.filter((f) => f.rule === rule).map((f) => f.where);
    expect(by('no-curl-pipe-shell')).toEqual(['history[0]']);
    expect(by('image-secret-in-history')).toEqual(['history[1]']);
    expect(by('image-debug-switch')).toEqual(['config.Env[0]']);
    expect(by('image-remote-admin-port')).toEqual(['config.ExposedPorts["3389/tcp"]']);
    expect(by('image-stale')).toEqual(['created']);
    expect(by('image-runs-as-root')).toEqual([]);
    expect(by('image-hostile-layer')).toEqual(['layer[0]:/../../../etc/passwd', 'layer[0]:/lib/x']);
    expect(by('image-layer-unread')).toEqual(['layer[1]']);
    expect(r.code).toBe(1);
    const df = await runCli(['triage', `${registry.host}/crafted/bk:1`, '--dockerfile'], { env: env() });
    expect(df.stdout).toMatch(/^# Read back from 127\.0\.0\.1:\d+\/crafted\/bk@sha256:[a-f0-9]{64}/);
    expect(df.stdout).toContain('RUN curl -fsSL https://get.example.sh | sh\nRUN npm ci\nUSER app\n');
    const lint = await runCli(['lint', '-f', 'json', '-'], { stdin: df.stdout });
    expect(JSON.parse(lint.stdout).files[0].findings.map((f: { rule: string }) => f.rule)).toContain(
      'no-curl-pipe-shell',
    );
  });

  it('ends a blob whose Content-Length lies, and a manifest that is not JSON, with a clear message', async () => {
    const layer = await gzipTar([{ name: 'a', content: 'a'.repeat(3000) }]);
    const configBody = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: {} }));
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        size: configBody.length,
        digest: sha256(configBody),
      },
      layers: [
        {
          mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
          size: layer.length,
          digest: sha256(layer),
        },
      ],
    });
    const server = await serve({
      '/v2/liar/app/manifests/1': (_req, res) => {
        res.setHeader('content-type', 'application/vnd.oci.image.manifest.v1+json');
        res.end(manifest);
      },
      [`/v2/liar/app/blobs/${sha256(configBody)}`]: (_req, res) => res.end(configBody),
      [`/v2/liar/app/blobs/${sha256(layer)}`]: (_req, res) => {
        res.setHeader('content-length', String(layer.length * 4));
        res.write(layer.subarray(0, layer.length - 10));
        setTimeout(() => res.destroy(), 20);
      },
      '/v2/liar/app/manifests/broken': (_req, res) => res.end('<html>not a manifest</html>'),
    });
    try {
      const host = server.url.replace('http://', '');
      const r = await runCli(['triage', `${host}/liar/app:1`, '--layers', '-f', 'json'], { env: env() });
      const findings = JSON.parse(r.stdout).findings as Finding[];
      expect(findings.find((f) => f.rule === 'image-layer-unread')?.message).toMatch(
        /layer\[0\].*not read whole/,
      );
      const bad = await runCli(['triage', `${host}/liar/app:broken`], { env: env() });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/manifest of .*liar\/app:broken is not JSON/);
    } finally {
      await server.close();
    }
  });

  const engine = registryOk && engineAvailable('triage of engine-built images');
  (engine ? it : it.skip)(
    'finds every red flag in an image the engine built, and never prints a secret',
    async () => {
      const tag = `${registry.host}/redflags/app:1`;
      buildImage(tag, RED_FLAGS);
      docker(['push', '-q', tag]);
      const r = await runCli(['triage', tag, '--layers', '-f', 'json'], { env: env() });
      expect(r.code).toBe(1);
      for (const s of Object.values(SECRETS)) expect(r.stdout + r.stderr).not.toContain(s);
      const findings = JSON.parse(r.stdout).findings as Finding[];
      const got = new Set(findings.map((f) => `${f.rule} ${f.where}`));
      const has = (rule: string, where: RegExp) =>
        expect(
          [...got].filter((g) => g.startsWith(`${rule} `) && where.test(g.slice(rule.length + 1))),
        ).not.toEqual([]);
      has('image-runs-as-root', /^config\.User$/);
      has('image-debug-switch', /^config\.Env\[1\]$/);
      has('image-secret-in-env', /^config\.Env\[2\]$/);
      has('image-secret-in-env', /^config\.Env\[3\]$/);
      has('image-secret-in-env', /^config\.Env\[4\]$/);
      expect(findings.filter((f) => f.rule === 'image-secret-in-env').map((f) => f.where)).not.toContain(
        'config.Env[5]',
      );
      has('image-secret-in-history', /^history\[\d+\]$/);
      has('image-remote-admin-port', /22\/tcp/);
      has('image-remote-admin-port', /2375\/tcp/);
      has('no-chmod-777', /^history\[\d+\]$/);
      has('no-ssh', /^history\[\d+\]$/);
      has('no-download-exec', /^history\[\d+\]$/);
      has('image-setuid-file', /^layer\[\d\]:\/usr\/local\/sbin\/helper$/);
      has('image-world-writable', /:\/srv\/open$/);
      has('image-world-writable', /:\/srv\/notes$/);
      has('image-exec-in-temp', /:\/tmp\/xmrig$/);
      has('image-miner', /:\/tmp\/xmrig$/);
      has('image-miner', /:\/srv\/miner\.conf$/);
      has('image-eol-release', /os-release/);
      const deleted = findings.filter((f) => f.rule === 'image-secret-file');
      expect(deleted.map((f) => f.where.replace(/^layer\[\d+\]:/, '')).sort()).toEqual([
        '/root/.ssh/id_ed25519',
        '/srv/.env',
      ]);
      for (const f of deleted)
        expect(f.message).toMatch(/deleted by layer\[\d+\], but still inside the image/);

      const text = await runCli(['triage', tag, '--no-color'], { env: env() });
      expect(text.stdout).toMatch(/^Entrypoint: +\["\/bin\/sh","-c"\]$/m);
      expect(text.stdout).toMatch(/^Cmd: +\["httpd -f -p 8080"\]$/m);
      expect(text.stdout).toContain('History (oldest first):');
      expect(text.stdout).toContain('AWS_SECRET_ACCESS_KEY=<masked, 40 characters>');
      for (const s of Object.values(SECRETS)) expect(text.stdout).not.toContain(s);

      const sarif = await runCli(['triage', tag, '--layers', '-f', 'sarif'], { env: env() });
      expect(sarifSchemaErrors(JSON.parse(sarif.stdout))).toEqual([]);
      for (const s of Object.values(SECRETS)) expect(sarif.stdout).not.toContain(s);
      const gh = await runCli(['triage', tag, '-f', 'github'], { env: env() });
      expect(gh.stdout).toMatch(/^::warning title=image-runs-as-root config\.User::/m);
    },
    120_000,
  );

  (engine && buildkitWorks() ? it : it.skip)(
    'reads the history BuildKit writes',
    async () => {
      const tag = `${registry.host}/buildkit/app:1`;
      buildImage(
        tag,
        'FROM scratch\nCOPY busybox /bin/busybox\nENV MODE=dev\nWORKDIR /srv\nEXPOSE 8080\nUSER 1000\nCMD ["/bin/busybox", "httpd", "-f"]\n',
        { buildkit: true },
      );
      docker(['push', '-q', tag]);
      const df = await runCli(['triage', tag, '--dockerfile'], { env: env() });
      expect(df.stdout).toContain('COPY busybox /bin/busybox');
      expect(df.stdout).toContain('WORKDIR /srv');
      expect(df.stdout).toContain('EXPOSE 8080/tcp');
      expect(df.stdout).toContain('USER 1000');
    },
    120_000,
  );
});
