// `rules`: the list of every rule, as text, JSON or Markdown, from the rules' metadata
// (rules-command.ts).
import type { Argv, CommandModule } from 'yargs';
import type { CommandContext } from './context';

export function rulesCommand(ctx: CommandContext): CommandModule {
  return {
    command: 'rules',
    describe: 'list every rule',
    builder: (y: Argv) =>
      y.option('format', { choices: ['text', 'json', 'markdown'] as const, default: 'text' as const }),
    handler: (a) =>
      ctx.run(async () => {
        const { listRules } = await import('../rules-command');
        ctx.io.stdout(listRules((a as unknown as { format: 'text' | 'json' | 'markdown' }).format));
        return 0;
      }),
  };
}
