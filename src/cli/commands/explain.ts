// `explain <id>`: one rule's documentation (by id or hadolint code), from its metadata
// (rules-command.ts); an unknown id is a usage error.
import type { Argv, CommandModule } from 'yargs';
import { EXIT_USAGE, type CommandContext } from './context';

export function explainCommand(ctx: CommandContext): CommandModule {
  return {
    command: 'explain <id>',
    describe: 'explain a rule (id or hadolint code)',
    builder: (y: Argv) => y.positional('id', { type: 'string', demandOption: true }),
    handler: (a) =>
      ctx.run(async () => {
        const id = (a as unknown as { id: string }).id;
        const { explainRule } = await import('../rules-command');
        const text = explainRule(id);
        if (text) {
          ctx.io.stdout(text);
          return 0;
        }
        ctx.io.stderr(`harden-dockerfile: no rule ${id}\n`);
        return EXIT_USAGE;
      }),
  };
}
