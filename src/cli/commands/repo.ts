// `repo <slug>` and the bare `harden-dockerfile PATH|owner/repo`: the repository mode's options and
// handlers (diffs on stdout, --out DIR, --pr); a local PATH is hardened like `fix` with a diff.
import type { Argv, CommandModule } from 'yargs';
import type { CommandContext } from './context';
import { runFileMode, runRepoMode } from './dispatch';
import { fixOptions, repoOptions, toRunOptions, type Parsed } from './options';

export function repoCommand(ctx: CommandContext): CommandModule {
  return {
    command: 'repo <slug>',
    describe:
      'harden the Dockerfiles of a GitHub repository (owner/repo): diffs on stdout, --pr opens a pull request',
    builder: (y: Argv) =>
      repoOptions(fixOptions(y).positional('slug', { type: 'string', demandOption: true })),
    handler: (a) =>
      ctx.run(() => {
        const parsed = a as unknown as Parsed & { slug: string };
        return runRepoMode(parsed.slug, parsed, toRunOptions('harden', parsed, ctx.io.env), ctx.io);
      }),
  };
}

/** `harden-dockerfile PATH` (or owner/repo): the default command, hidden from the command list. */
export function hardenCommand(ctx: CommandContext): CommandModule {
  return {
    command: '$0 <path>',
    describe: false,
    builder: (y: Argv) =>
      repoOptions(fixOptions(y).positional('path', { type: 'string', demandOption: true })),
    handler: (a) => ctx.run(() => runFileMode('harden', a as unknown as Parsed, ctx.io)),
  };
}
