// `airlock [target]`: the containment profile's options (network allow-list, published ports, limits,
// tmpfs) and its handler: a run script, Compose or Kubernetes profile, or --check of an existing one.
import type { Argv, CommandModule } from 'yargs';
import type { RunOptions } from '../options';
import { EXIT_USAGE, fromStdinArg, type CommandContext } from './context';
import { THRESHOLDS } from './options';

type AirlockFormat = 'run' | 'compose' | 'k8s' | 'text' | 'json' | 'sarif' | 'github';

interface AirlockArgs {
  target?: string;
  format?: AirlockFormat;
  check?: string;
  config?: string;
  'failure-threshold'?: RunOptions['failureThreshold'];
  allow: string[];
  publish?: string[];
  memory: string;
  cpus: string;
  pids: number;
  tmpfs: string[];
  name?: string;
  platform?: string;
  'forwarder-image'?: string;
  'image-name'?: string;
  offline: boolean;
  'registry-mirror'?: string;
  'outside-network'?: string;
}

export function airlockCommand(ctx: CommandContext): CommandModule {
  return {
    command: 'airlock [target]',
    describe: 'emit a containment profile for an image (or a Dockerfile) that must run as it is',
    builder: (y: Argv) =>
      y
        .positional('target', { type: 'string', describe: 'IMAGE or a Dockerfile path' })
        .option('format', {
          alias: 'f',
          choices: ['run', 'compose', 'k8s', 'text', 'json', 'sarif', 'github'] as const,
          describe: 'run|compose|k8s for a profile (default run); text|json|sarif|github for --check',
        })
        .option('check', {
          type: 'string',
          describe: 'audit a Compose file or docker run line (- for stdin)',
        })
        .option('config', { alias: 'c', type: 'string', describe: 'configuration file (for --check)' })
        .option('failure-threshold', {
          alias: 't',
          choices: THRESHOLDS,
          describe: 'for --check: lowest severity that makes the exit code 1',
        })
        .option('allow', {
          type: 'string',
          array: true,
          default: [] as string[],
          describe: 'HOST:PORT the container may reach (repeatable)',
        })
        .option('publish', {
          type: 'string',
          array: true,
          describe: 'PORT or HOSTPORT:PORT on 127.0.0.1 (default: ExposedPorts)',
        })
        .option('memory', { type: 'string', default: '512m' })
        .option('cpus', { type: 'string', default: '1' })
        .option('pids', { type: 'number', default: 256 })
        .option('tmpfs', {
          type: 'string',
          array: true,
          default: [] as string[],
          describe: 'extra writable PATH[:SIZE] (repeatable)',
        })
        .option('name', { type: 'string', describe: 'name of the container and its networks' })
        .option('platform', { type: 'string', describe: 'os/arch[/variant] of a multi-platform image' })
        .option('forwarder-image', {
          type: 'string',
          describe: 'image whose busybox nc forwards ports (default busybox, pinned)',
        })
        .option('image-name', { type: 'string', describe: 'for a Dockerfile: the image it builds' })
        .option('outside-network', {
          type: 'string',
          describe: 'existing network the forwarders reach out through',
        })
        .option('offline', { type: 'boolean', default: false })
        .option('registry-mirror', { type: 'string' }),
    handler: (a) => ctx.run(() => airlock(a as unknown as AirlockArgs, ctx)),
  };
}

async function airlock(p: AirlockArgs, { io }: CommandContext): Promise<number> {
  const { runAirlock, runAirlockCheck, DEFAULT_FORWARDER } = await import('../airlock-command');
  const profileFormat = p.format === 'run' || p.format === 'compose' || p.format === 'k8s';
  if (p.check !== undefined) {
    if (p.target !== undefined || profileFormat) {
      io.stderr(
        'harden-dockerfile: airlock --check FILE takes no target, and --format text|json|sarif|github\n',
      );
      return EXIT_USAGE;
    }
    return runAirlockCheck(
      {
        file: fromStdinArg(p.check),
        format: (p.format ?? 'text') as 'text' | 'json' | 'sarif' | 'github',
        config: p.config,
        failureThreshold: p['failure-threshold'],
      },
      io,
    );
  }
  if (p.target === undefined || (p.format !== undefined && !profileFormat)) {
    io.stderr('harden-dockerfile: airlock needs an IMAGE or a Dockerfile, and --format run|compose|k8s\n');
    return EXIT_USAGE;
  }
  return runAirlock(
    {
      target: p.target,
      format: (p.format ?? 'run') as 'run' | 'compose' | 'k8s',
      allow: p.allow,
      publish: p.publish,
      memory: p.memory,
      cpus: p.cpus,
      pids: p.pids,
      tmpfs: p.tmpfs,
      name: p.name,
      platform: p.platform,
      forwarder: p['forwarder-image'] ?? DEFAULT_FORWARDER,
      imageName: p['image-name'],
      offline: p.offline,
      registryMirror: p['registry-mirror'],
      outsideNetwork: p['outside-network'],
    },
    io,
  );
}
