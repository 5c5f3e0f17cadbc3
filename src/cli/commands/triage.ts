// `triage <image>`: its options (platform, layer reading and its bounds, staleness) and its handler,
// which reads a published image from its registry (triage-command.ts); it cannot run offline.
import type { Argv, CommandModule } from 'yargs';
import type { OutputFormat, RunOptions } from '../options';
import { EXIT_USAGE, type CommandContext } from './context';
import { colorOf, common } from './options';

interface TriageArgs {
  image: string;
  format: OutputFormat;
  config?: string;
  offline: boolean;
  color?: boolean;
  'failure-threshold'?: RunOptions['failureThreshold'];
  platform?: string;
  layers: boolean;
  'max-bytes'?: string;
  'max-layer-bytes'?: string;
  'max-age': string;
  dockerfile: boolean;
  'registry-mirror'?: string;
}

export function triageCommand(ctx: CommandContext): CommandModule {
  return {
    command: 'triage <image>',
    describe: 'inspect a published image from its registry, without pulling or running it',
    builder: (y: Argv) =>
      common(y)
        .positional('image', { type: 'string', demandOption: true })
        .option('platform', {
          type: 'string',
          describe: 'os/arch[/variant] of a multi-platform image (default linux/amd64)',
        })
        .option('layers', {
          type: 'boolean',
          default: false,
          describe: 'read the layers too (streamed, never unpacked)',
        })
        .option('max-bytes', {
          type: 'string',
          describe: 'bytes read for the whole image, at most (default 2G)',
        })
        .option('max-layer-bytes', {
          type: 'string',
          describe: 'bytes read per layer, at most (default 512M)',
        })
        .option('max-age', {
          type: 'string',
          default: '12m',
          describe: 'an image built longer ago is stale (d, w, m, y)',
        })
        .option('dockerfile', {
          type: 'boolean',
          default: false,
          describe: 'print the history as a Dockerfile',
        })
        .option('registry-mirror', {
          type: 'string',
          describe: 'registry that stands in for Docker Hub',
        }),
    handler: (a) =>
      ctx.run(async () => {
        const p = a as unknown as TriageArgs;
        const { io } = ctx;
        if (p.offline) {
          io.stderr('harden-dockerfile: triage reads the registry; it cannot run --offline\n');
          return EXIT_USAGE;
        }
        const { runTriage } = await import('../triage-command');
        return runTriage(
          {
            image: p.image,
            format: p.format,
            platform: p.platform,
            layers: p.layers,
            maxBytes: p['max-bytes'],
            maxLayerBytes: p['max-layer-bytes'],
            maxAge: p['max-age'],
            dockerfile: p.dockerfile,
            config: p.config,
            failureThreshold: p['failure-threshold'],
            registryMirror: p['registry-mirror'],
            color: colorOf(p.color, io.env),
          },
          io,
        );
      }),
  };
}
