// `review`: its options (the pull_request event, SARIF output, pins) and its handler, which posts one
// review with suggestions on a pull request's changed Dockerfile lines (review.ts beside cli/).
import type { Argv, CommandModule } from 'yargs';
import type { RunOptions } from '../options';
import type { CommandContext } from './context';
import { proveFlagsOf, proveOptions, THRESHOLDS, type ProveArgs } from './options';

interface ReviewArgs extends ProveArgs {
  event?: string;
  sarif?: string;
  pins: boolean;
  config?: string;
  'failure-threshold'?: RunOptions['failureThreshold'];
  'github-api-url'?: string;
}

export function reviewCommand(ctx: CommandContext): CommandModule {
  return {
    command: 'review',
    describe:
      'review a pull request (GitHub Actions): one review, suggestions on the changed Dockerfile lines',
    builder: (y: Argv) =>
      proveOptions(y)
        .option('event', {
          type: 'string',
          describe: 'pull_request event payload (default GITHUB_EVENT_PATH)',
        })
        .option('sarif', { type: 'string', describe: 'also write SARIF for code scanning to this file' })
        .option('pins', { type: 'boolean', default: false, describe: 'look pins up on the network' })
        .option('config', { alias: 'c', type: 'string' })
        .option('failure-threshold', { alias: 't', choices: THRESHOLDS })
        .option('github-api-url', { type: 'string' }),
    handler: (a) =>
      ctx.run(async () => {
        const p = a as unknown as ReviewArgs;
        const { runReview } = await import('../review');
        return runReview(
          {
            event: p.event,
            sarif: p.sarif,
            pins: p.pins,
            config: p.config,
            failureThreshold: p['failure-threshold'],
            githubApiUrl: p['github-api-url'],
            prove: proveFlagsOf(p),
          },
          ctx.io,
        );
      }),
  };
}
