import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { AirlockError, buildProfile, type AirlockSource } from '../airlock/profile';
import { ImageFactsSource } from '../image/facts-source';
import { parseImageRef } from '../core/image-ref';
import type { Dockerfile } from '../core/model';
import { parseDockerfile } from '../core/parse-dockerfile';
import { maskText } from '../core/secrets';
import { stageChain } from '../core/users';
import { nodeFileSystem } from '../effects/fs';
import { loadShellParser } from '../effects/shell';
import type { ImageConfig } from '../image/reader';
import { ImageError, ImageReader, parsePlatform } from '../image/reader';
import { ociDigestRequest } from '../resolve/requests';
import type { Io } from './options';
import { buildResolver, registryClientFor } from './resolvers';
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK } from './run';
import { ConfigError, ConfigLoader } from './config';
import { atOrAbove, type Severity } from '../engine/define-rule';
import { FileError } from '../effects/fs';
import { VERSION } from './version';

/** An official, minimal image whose busybox `nc` forwards one port: the forwarders' default. */
export const DEFAULT_FORWARDER = 'busybox:1.36.1';

export interface AirlockCliOptions {
  readonly target: string;
  readonly format: 'run' | 'compose' | 'k8s';
  readonly allow: readonly string[];
  readonly publish?: readonly string[];
  readonly memory: string;
  readonly cpus: string;
  readonly pids: number;
  readonly tmpfs: readonly string[];
  readonly name?: string;
  readonly platform?: string;
  readonly forwarder: string;
  /** The image a Dockerfile builds, when the target is a Dockerfile. */
  readonly imageName?: string;
  readonly offline: boolean;
  readonly registryMirror?: string;
  readonly outsideNetwork?: string;
}

function words(text: string): string[] {
  const t = text.trim();
  if (t.startsWith('[')) {
    try {
      const parsed = JSON.parse(t) as unknown;
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      // not JSON: words
    }
  }
  return t.split(/\s+/).filter(Boolean);
}

/** What the final stage of a Dockerfile says of the image it builds: user, ports, volumes, workdir, command. */
export function configOfDockerfile(model: Dockerfile): ImageConfig {
  const final = model.stages[model.stages.length - 1];
  if (!final) return {};
  const text = (r: { start: number; end: number }) => model.source.text.slice(r.start, r.end);
  let user = '';
  const ports: Record<string, object> = {};
  const volumes: Record<string, object> = {};
  let workdir = '';
  let entrypoint: string[] | undefined;
  let cmd: string[] | undefined;
  for (const stage of stageChain(model, final)) {
    for (const ins of stage.instructions) {
      const args = text(ins.argsRange);
      const kw = model.source.text.slice(ins.keywordRange.start, ins.keywordRange.end).toUpperCase();
      if (ins.kind === 'user') user = args.trim();
      else if (ins.kind === 'expose')
        for (const p of words(args)) ports[p.includes('/') ? p : `${p}/tcp`] = {};
      else if (kw === 'VOLUME') for (const v of words(args)) volumes[v] = {};
      else if (ins.kind === 'workdir') workdir = path.posix.resolve(workdir || '/', args.trim());
      else if (ins.kind === 'entrypoint' || ins.kind === 'cmd') {
        const value = ins.form === 'json' ? words(args) : ['/bin/sh', '-c', args.trim()];
        if (ins.kind === 'entrypoint') {
          entrypoint = value;
          cmd = undefined;
        } else cmd = value;
      }
    }
  }
  return {
    User: user,
    ExposedPorts: ports,
    Volumes: volumes,
    WorkingDir: workdir,
    ...(entrypoint ? { Entrypoint: entrypoint } : {}),
    ...(cmd ? { Cmd: cmd } : {}),
  };
}

function isDockerfilePath(target: string, cwd: string): boolean {
  const full = path.resolve(cwd, target);
  return existsSync(full) && statSync(full).isFile();
}

/** `harden-dockerfile airlock IMAGE|DOCKERFILE`: prints the containment profile; the exit code. */
export async function runAirlock(opts: AirlockCliOptions, io: Io): Promise<number> {
  const client = registryClientFor(io.env, opts.registryMirror);
  try {
    let source: AirlockSource;
    if (isDockerfilePath(opts.target, io.cwd)) {
      const file = path.resolve(io.cwd, opts.target);
      const model = parseDockerfile(
        { path: opts.target, text: await nodeFileSystem.readText(file) },
        await loadShellParser(),
      );
      const image =
        opts.imageName ??
        `${
          path
            .basename(path.dirname(file))
            .toLowerCase()
            .replace(/[^a-z0-9_.-]/g, '-') || 'app'
        }:latest`;
      source = { image, from: `the final stage of ${opts.target}`, config: configOfDockerfile(model) };
    } else {
      if (opts.offline)
        throw new AirlockError('an image is read from its registry: airlock IMAGE cannot run --offline');
      const read = await new ImageReader(client).read(
        opts.target,
        opts.platform ? parsePlatform(opts.platform) : undefined,
      );
      const ref = parseImageRef(opts.target);
      const pinned = ref?.digest ? opts.target : `${opts.target}@${read.digest}`;
      source = { image: pinned, from: 'the image config', config: read.config };
      // A named User's uid is in the image's /etc/passwd: the tmpfs folders are given to it.
      const user = (read.config.User ?? '').split(':')[0];
      if (ref && user !== '' && !/^\d+$/.test(user) && user !== 'root') {
        const facts = await new ImageFactsSource(client, undefined, Date.now).factsOf(
          ref.registry,
          ref.repository,
          read.digest,
          read.platform.architecture,
        );
        if (facts.ok) source = { ...source, users: facts.value.users };
      }
    }
    const forwarder = await pinForwarder(opts, io);
    const profile = buildProfile(source, {
      name: opts.name,
      allow: opts.allow,
      publish: opts.publish,
      memory: opts.memory,
      cpus: opts.cpus,
      pids: opts.pids,
      tmpfs: opts.tmpfs,
      forwarder: forwarder.value,
      forwarderNote: forwarder.why,
      outsideNetwork: opts.outsideNetwork,
    });
    const header = [
      `Airlock for ${maskText(source.image)}, by harden-dockerfile ${VERSION}.`,
      'Read-only root, tmpfs write paths, no capabilities, no privilege escalation, limits, no egress but',
      'what --allow names, ports on 127.0.0.1 only. Each setting says what it stops and what chose it.',
    ];
    const render = {
      run: (await import('../airlock/render-run')).renderRunScript,
      compose: (await import('../airlock/render-compose')).renderCompose,
      k8s: (await import('../airlock/render-k8s')).renderKubernetes,
    }[opts.format];
    io.stdout(render(profile, header));
    return EXIT_OK;
  } catch (err) {
    if (err instanceof AirlockError || err instanceof ImageError) {
      io.stderr(`harden-dockerfile: airlock ${maskText(opts.target)}: ${err.message}\n`);
      return EXIT_ERROR;
    }
    throw err;
  }
}

/** The forwarder image pinned by the digest its registry serves; offline (or unreadable), by tag. */
async function pinForwarder(opts: AirlockCliOptions, io: Io): Promise<{ value: string; why: string }> {
  const ref = parseImageRef(opts.forwarder);
  if (!ref) throw new AirlockError(`--forwarder-image "${opts.forwarder}" is not an image reference`);
  if (ref.digest) return { value: opts.forwarder, why: 'pinned by digest as given' };
  const built = buildResolver(
    { offline: opts.offline, refresh: false, registryMirror: opts.registryMirror },
    io.env,
  );
  const request = ociDigestRequest(ref);
  const answer = (await built.resolver.resolve([request])).get(request.key);
  await built.cache.flush().catch(() => undefined);
  if (answer?.ok)
    return {
      value: `${opts.forwarder}@${answer.value}`,
      why: `${opts.forwarder} pinned by the digest its registry serves`,
    };
  return {
    value: opts.forwarder,
    why: `${opts.forwarder} by tag only: its digest could not be looked up (${answer?.ok === false ? answer.reason : 'offline'}); pin it before you rely on it`,
  };
}

export interface AirlockCheckOptions {
  readonly file: string;
  readonly format: 'text' | 'json' | 'sarif' | 'github';
  readonly config?: string;
  readonly failureThreshold?: Severity | 'none';
}

/** `airlock --check FILE`: every containment control a Compose file or docker run line misses. */
export async function runAirlockCheck(opts: AirlockCheckOptions, io: Io): Promise<number> {
  const { readDeployment } = await import('../airlock/container-spec');
  const { CONTAINER_CONTROLS, checkContainers } = await import('../airlock/controls');
  let findings;
  let config;
  try {
    config = await new ConfigLoader(nodeFileSystem, opts.config).forDirectory(io.cwd);
    const file = opts.file === '-' ? '<stdin>' : opts.file;
    const text =
      opts.file === '-'
        ? await io.readStdin()
        : await nodeFileSystem.readText(path.resolve(io.cwd, opts.file));
    findings = checkContainers(readDeployment(text, file), config);
  } catch (err) {
    if (err instanceof AirlockError || err instanceof ConfigError || err instanceof FileError) {
      io.stderr(
        `harden-dockerfile: airlock --check ${opts.file}: ${err.message.replace(`${path.resolve(io.cwd, opts.file)}: `, '')}\n`,
      );
      return EXIT_ERROR;
    }
    throw err;
  }
  const report = await import('../report/triage');
  if (opts.format === 'json')
    io.stdout(`${JSON.stringify({ version: 1, file: opts.file, findings }, null, 2)}\n`);
  else if (opts.format === 'github') io.stdout(report.formatPlacesGithub(findings));
  else if (opts.format === 'sarif')
    io.stdout(
      report.formatPlacesSarif(
        findings,
        CONTAINER_CONTROLS,
        VERSION,
        { uri: opts.file, description: 'deployment' },
        ['container', 'security'],
      ),
    );
  else
    io.stdout(
      findings.length === 0
        ? `${opts.file}: every containment control is in place.\n`
        : findings.map((f) => `${opts.file}: ${f.severity} ${f.rule} ${f.where}: ${f.message}\n`).join(''),
    );
  return atOrAbove(findings, opts.failureThreshold ?? config.failureThreshold) ? EXIT_FINDINGS : EXIT_OK;
}
