import { hasOption, invocations } from '../src/core/shell-commands';
import { defineRule } from '../src/engine/define-rule';

export const rule = defineRule({
  id: 'apt-assume-yes',
  aliases: ['DL3014'],
  severity: 'warning',
  description: 'Use -y with apt-get install.',
  docs:
    'Without `-y` apt-get asks for confirmation, and a build has nobody to answer: it aborts as soon as ' +
    'an install needs more packages. `--yes`, `--assume-yes` and `-qq` (which implies -y) count.',
  messages: { noYes: 'apt-get install runs without -y.' },
  fix: 'safe',
  check(model, ctx) {
    for (const inv of invocations(model, ['apt-get'], ['install'])) {
      if (hasOption(inv, ['--yes', '--assume-yes', '--quiet=2'], 'y')) continue;
      if (inv.args.some((w) => /^-[a-zA-Z]*q[a-zA-Z]*q/.test(w.value))) continue;
      ctx.report({ messageId: 'noYes', range: inv.sub!.range });
    }
  },
});
