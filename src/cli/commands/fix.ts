// `fix [paths..]`: its options (what the rewrite pins and how it is written) and its handler, which
// prints the hardened Dockerfile, a unified diff (--diff), or rewrites the files (--write).
import type { Argv, CommandModule } from 'yargs';
import { specOf, type CommandContext } from './context';
import { runFileMode } from './dispatch';
import { fixOptions, type Parsed } from './options';

export function fixCommand(ctx: CommandContext): CommandModule {
  return {
    command: specOf(ctx, 'fix', '[paths..]'),
    describe: 'print the hardened Dockerfile (--diff: a unified diff; --write: rewrite in place)',
    builder: (y: Argv) => fixOptions(y).positional('paths', { type: 'string', array: true }),
    handler: (a) => ctx.run(() => runFileMode('fix', a as unknown as Parsed, ctx.io)),
  };
}
