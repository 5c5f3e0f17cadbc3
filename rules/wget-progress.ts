import { commandsNamed, hasAnyFlag } from '../src/core/command-flags';
import { defineRule } from '../src/engine/define-rule';

export const rule = defineRule({
  id: 'wget-progress',
  aliases: ['DL3047'],
  severity: 'info',
  description: 'Give wget --progress=dot:giga (or -q/-nv) in builds.',
  docs:
    'Without a terminal wget prints a line of dots every few kilobytes: a large download fills the ' +
    'build log with thousands of lines. The fix adds `--progress=dot:giga`; `-q`, `-nv` or an output ' +
    'log (`-o`) are fine too.',
  messages: { progress: 'wget without --progress floods the build log.' },
  fix: 'safe',
  check(model, ctx) {
    for (const c of commandsNamed(model, ['wget'])) {
      if (
        hasAnyFlag(c.args, ['progress', 'q', 'quiet', 'o', 'output-file', 'a', 'append-output', 'no-verbose'])
      )
        continue;
      if (c.args.some((w) => w.value === '-nv')) continue;
      ctx.report({ messageId: 'progress', range: c.command.name.range });
    }
  },
});
