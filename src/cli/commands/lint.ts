// `lint [paths..]`: its options (the common ones and --shellcheck) and its handler, which reports the
// findings of each Dockerfile (and its requirements files) without changing anything.
import type { Argv, CommandModule } from 'yargs';
import { specOf, type CommandContext } from './context';
import { runFileMode } from './dispatch';
import { common, type Parsed } from './options';

export function lintCommand(ctx: CommandContext): CommandModule {
  return {
    command: specOf(ctx, 'lint', '[paths..]'),
    describe: 'report findings',
    builder: (y: Argv) =>
      common(y)
        .option('shellcheck', {
          type: 'boolean',
          default: false,
          describe: 'also run ShellCheck on each RUN and report its SC codes (needs shellcheck on the PATH)',
        })
        .positional('paths', { type: 'string', array: true }),
    handler: (a) => ctx.run(() => runFileMode('lint', a as unknown as Parsed, ctx.io)),
  };
}
