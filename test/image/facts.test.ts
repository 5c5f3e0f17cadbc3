import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../harness/cli';
import { startIndexServers, type IndexServers } from '../harness/index-servers';
import { pushCrafted, registryAvailable, startRegistry, type Registry } from '../harness/registry';
import { gzipTar, type TarEntry } from '../harness/tars';

const present = registryAvailable();
const describeRegistry = present ? describe : describe.skip;

const passwd = (extra = '') => ({ name: 'etc/passwd', content: `root:x:0:0:root:/root:/bin/sh\n${extra}` });
const osRelease = (text: string) => ({ name: 'etc/os-release', content: text });
const busyboxFiles: TarEntry[] = [
  { name: 'bin/', type: 'directory' },
  { name: 'bin/busybox', content: 'ELF', mode: 0o755 },
  { name: 'bin/sh', type: 'symlink', linkname: 'busybox' },
  { name: 'bin/adduser', type: 'symlink', linkname: '/bin/busybox' },
  { name: 'bin/addgroup', type: 'symlink', linkname: 'busybox' },
];

/** Base images whose names suggest one family while their layers say another. */
const BASES: Record<
  string,
  { tag: string; files: TarEntry[]; env?: string[]; user?: string; entrypoint?: string[] }
> = {
  // A database image no table knows whose entrypoint (found on its PATH) steps down with su-exec.
  stepsDownItself: {
    tag: 'acme/db:5',
    entrypoint: ['docker-entrypoint.sh'],
    files: [
      ...busyboxFiles,
      passwd('svc:x:70:70::/var/lib/db:/sbin/nologin\n'),
      osRelease('ID=alpine\nVERSION_ID=3.19.1\n'),
      { name: 'usr/local/bin/', type: 'directory' },
      {
        name: 'usr/local/bin/docker-entrypoint.sh',
        content: '#!/bin/sh\nset -e\nmkdir -p /var/lib/db\nchown svc /var/lib/db\nexec su-exec svc "$@"\n',
        mode: 0o755,
      },
    ],
  },
  // Named like Debian's python image; really Alpine with busybox.
  alpineAsPython: {
    tag: 'library/python:3.12-slim',
    files: [
      ...busyboxFiles,
      passwd(),
      osRelease('ID=alpine\nVERSION_ID=3.19.1\n'),
      { name: 'sbin/apk', content: 'x', mode: 0o755 },
    ],
  },
  // Named like Ubuntu; no shell, no user tool: distroless-like.
  distrolessAsUbuntu: {
    tag: 'library/ubuntu:22.04',
    files: [
      passwd('nonroot:x:65532:65532::/home/nonroot:/sbin/nologin\n'),
      osRelease('ID=debian\nVERSION_ID="12"\n'),
    ],
  },
  // Named like Alpine; a minimal RHEL with a shell but no useradd (ubi-minimal).
  ubiMinimalAsAlpine: {
    tag: 'library/alpine:3.19',
    files: [
      { name: 'usr/bin/', type: 'directory' },
      { name: 'usr/bin/bash', content: 'ELF', mode: 0o755 },
      { name: 'bin', type: 'symlink', linkname: 'usr/bin' },
      { name: 'usr/bin/microdnf', content: 'ELF', mode: 0o755 },
      passwd(),
      osRelease('ID="rhel"\nVERSION_ID="9.4"\nPLATFORM_ID="platform:el9"\n'),
    ],
  },
  // A Debian-based image under a name no table knows, with useradd (bin merged into usr/bin).
  debianUnknown: {
    tag: 'acme/runtime:7',
    files: [
      { name: 'usr/bin/', type: 'directory' },
      { name: 'usr/bin/dash', content: 'ELF', mode: 0o755 },
      { name: 'usr/bin/sh', type: 'symlink', linkname: 'dash' },
      { name: 'bin', type: 'symlink', linkname: 'usr/bin' },
      { name: 'usr/sbin/useradd', content: 'ELF', mode: 0o755 },
      { name: 'usr/sbin/groupadd', content: 'ELF', mode: 0o755 },
      passwd(),
      osRelease('ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n'),
    ],
  },
  // Debian's own image: its apt sources name the archive (pointed at the loopback index server).
  debianWithSources: {
    tag: 'library/debian:12-slim',
    files: [
      { name: 'bin/', type: 'directory' },
      { name: 'bin/sh', content: 'ELF', mode: 0o755 },
      { name: 'usr/sbin/useradd', content: 'ELF', mode: 0o755 },
      passwd(),
      osRelease('ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n'),
      {
        name: 'etc/apt/sources.list.d/debian.sources',
        content:
          'Types: deb\nURIs: INDEX/debian\nSuites: bookworm bookworm-updates\nComponents: main\n\n' +
          'Types: deb\nURIs: INDEX/debian-security\nSuites: bookworm-security\nComponents: main\n',
      },
    ],
  },
  // An ML image whose tag says nothing of its Python; its config does.
  mlRuntime: {
    tag: 'ml/runtime:2.3.0-cuda12',
    env: ['PATH=/usr/bin', 'PYTHON_VERSION=3.8.18'],
    files: [
      ...busyboxFiles,
      passwd('app:x:1000:1000::/home/app:/bin/sh\n'),
      osRelease('ID=alpine\nVERSION_ID=3.19.1\n'),
    ],
    user: 'app',
  },
};

describeRegistry('image facts read from the registry drive the fixes', () => {
  let registry: Registry;
  let indexes: IndexServers;
  const env = () => ({
    HARDEN_CACHE_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'harden-facts-')),
    HARDEN_REGISTRY_MIRROR: registry.url,
    ...indexes.env,
  });

  beforeAll(async () => {
    registry = await startRegistry();
    indexes = await startIndexServers();
    for (const base of Object.values(BASES)) {
      const [name, tag] = base.tag.split(':');
      await pushCrafted(registry.url, name, tag, {
        config: {
          architecture: 'amd64',
          os: 'linux',
          config: {
            Env: base.env ?? ['PATH=/usr/bin'],
            ...(base.user ? { User: base.user } : {}),
            ...(base.entrypoint ? { Entrypoint: base.entrypoint } : {}),
          },
          history: [{ created_by: 'ADD rootfs / # buildkit' }],
        },
        layers: [
          await gzipTar(
            base.files.map((f) =>
              f.content ? { ...f, content: f.content.replace(/INDEX/g, indexes.server.url) } : f,
            ),
          ),
        ],
      });
    }
  }, 30_000);
  afterAll(async () => {
    await registry?.stop();
    await indexes?.server.close();
  });

  const fixed = async (from: string) => {
    const r = await runCli(['fix', '--no-digest', '-'], {
      stdin: `FROM ${from}\nCOPY app /app\nCMD ["/app/run"]\n`,
      env: env(),
    });
    return r;
  };

  it('an image whose own entrypoint (read from its layers) steps down gets no USER, while the Dockerfile keeps it', async () => {
    const kept = await fixed('acme/db:5');
    expect(kept.stdout).not.toMatch(/^USER/m);
    expect(kept.stderr).toMatch(
      /skipped run-as-non-root: the image drops privileges itself: su-exec in the base image's \/usr\/local\/bin\/docker-entrypoint.sh, to svc/,
    );
    const replaced = await runCli(['fix', '--no-digest', '-'], {
      stdin: 'FROM acme/db:5\nENTRYPOINT ["/app/run"]\n',
      env: env(),
    });
    expect(replaced.stdout).toMatch(/^USER app$/m);
  });

  it('an Alpine image under a Debian-looking name gets addgroup/adduser (offline, the name table guesses groupadd)', async () => {
    const online = await fixed('python:3.12-slim');
    expect(online.stdout).toContain('RUN addgroup -S app && adduser -S -G app app\nUSER app\n');
    expect(online.stdout).not.toContain('useradd');
    const offline = await runCli(['fix', '--offline', '-'], {
      stdin: 'FROM python:3.12-slim\nCMD ["x"]\n',
      env: env(),
    });
    expect(offline.stdout).toContain('useradd');
  });

  it('a base without any tool to create a user gets a numeric USER, never a command it lacks', async () => {
    const distroless = await fixed('ubuntu:22.04');
    expect(distroless.stdout).toContain('USER nonroot');
    expect(distroless.stdout).not.toMatch(/useradd|adduser/);
    const ubi = await fixed('alpine:3.19');
    expect(ubi.stdout).toContain('USER 65532:65532\n');
    // It has a shell, though: the folders of its VOLUMEs are given to that user.
    const volume = await runCli(['fix', '--no-digest', '-'], {
      stdin: 'FROM alpine:3.19\nVOLUME /data\nCMD ["/app/run"]\n',
      env: env(),
    });
    expect(volume.stdout).toContain(
      'RUN mkdir -p /data && chown 65532:65532 /data\nUSER 65532:65532\nVOLUME /data\n',
    );
    expect(ubi.stdout).toContain('COPY --chown=65532:65532 app /app');
    expect(ubi.stdout).not.toMatch(/useradd|adduser|addgroup/);
  });

  it('an image no table knows is not skipped as "OS unknown" when the registry answers', async () => {
    const r = await fixed('acme/runtime:7');
    expect(r.stdout).toContain(
      'RUN groupadd --system app && useradd --system --gid app --create-home app\nUSER app\n',
    );
    expect(r.stderr).not.toContain('OS is unknown');
    const offline = await runCli(['fix', '--offline', '-'], {
      stdin: 'FROM acme/runtime:7\nCMD ["x"]\n',
      env: env(),
    });
    expect(offline.stderr).toContain('the base image OS is unknown');
  });

  it('pipefail comes from a shell the base image has, read from its layers, not from its name', async () => {
    const pipe = (from: string, ...flags: string[]) =>
      runCli(['fix', ...flags, '-'], { stdin: `FROM ${from}\nRUN wget -qO- x | tar x\n`, env: env() });
    // Named like Alpine (ash), really a minimal RHEL with bash.
    const ubi = await pipe('alpine:3.19', '--no-digest');
    expect(ubi.stdout).toContain('SHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN wget');
    expect((await pipe('alpine:3.19', '--offline')).stdout).toContain(
      'SHELL ["/bin/ash", "-o", "pipefail", "-c"]',
    );
    // No name table knows it; its only shell is dash, which has no pipefail.
    const dash = await pipe('acme/runtime:7', '--no-digest');
    expect(dash.stdout).not.toContain('SHELL');
    expect(dash.stderr).toContain('skipped require-pipefail: the base image has no shell with pipefail');
  });

  it("pins pip for the Python the image's config names, when its tag does not say", async () => {
    const r = await runCli(['fix', '--no-digest', '-'], {
      stdin: 'FROM ml/runtime:2.3.0-cuda12\nRUN pip install --no-cache-dir flask\n',
      env: env(),
    });
    // Python 3.8: flask 3.1 requires 3.9, so 3.0.3 is the newest that installs.
    expect(r.stdout).toContain('pip install --no-cache-dir flask==3.0.3\n');
    // The image's own non-root user is used.
    expect(r.stdout).toContain('USER app\n');
    expect(r.stderr).toMatch(/config Env PYTHON_VERSION/);
  });

  it("pins apt from the archive the image's own apt sources name when none is configured", async () => {
    const rest: Record<string, string | undefined> = { ...env() };
    delete rest.HARDEN_DEBIAN_MIRROR;
    delete rest.HARDEN_DEBIAN_SECURITY_MIRROR;
    const r = await runCli(['fix', '--no-digest', '-'], {
      stdin:
        'FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n',
      env: rest,
    });
    expect(r.stdout).toMatch(/curl=7\.88\.1-10\+deb12u\d+/);
    const explain = await runCli(['fix', '--explain-endpoints'], { env: rest });
    expect(explain.stdout).toContain("the base image's own apt sources are read");
  });

  it('a registry that cannot be read leaves the finding unresolved, with the reason', async () => {
    const r = await runCli(['fix', '--no-digest', '-'], {
      stdin: 'FROM python:3.12-slim\nCMD ["x"]\n',
      env: { ...env(), HARDEN_REGISTRY_MIRROR: 'http://127.0.0.1:9' },
    });
    expect(r.stdout).toBe('FROM python:3.12-slim\nCMD ["x"]\n');
    expect(r.stderr).toMatch(/skipped run-as-non-root: the base image could not be read \(unavailable/);
    // pipefail falls back on the OS family the name tells, as offline; a base of no known family is skipped.
    const pipe = (from: string) =>
      runCli(['fix', '--no-digest', '-'], {
        stdin: `FROM ${from}\nRUN wget -qO- x | tar x\n`,
        env: { ...env(), HARDEN_REGISTRY_MIRROR: 'http://127.0.0.1:9' },
      });
    expect((await pipe('python:3.12-slim')).stdout).toContain('SHELL ["/bin/bash", "-o", "pipefail", "-c"]');
    expect((await pipe('acme/runtime:7')).stderr).toMatch(
      /skipped require-pipefail: the base image could not be read \(unavailable/,
    );
  });
});
