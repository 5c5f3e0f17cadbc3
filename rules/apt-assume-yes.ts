import { hasOption, invocations } from '../src/core/shell-commands';
import { defineRule } from '../src/engine/define-rule';

/** apt-get's quiet level: each `-q` (also bundled, `-qq`) and `--quiet` adds one; `-q=N`/`--quiet=N` sets it. */
export function quietLevel(args: readonly string[]): number {
  let level = 0;
  for (const a of args) {
    const set = /^(?:-q|--quiet)=(\d+)$/.exec(a);
    if (set) level = Number(set[1]);
    else if (a === '--quiet') level++;
    else if (/^-[a-zA-Z]+$/.test(a)) level += [...a].filter((c) => c === 'q').length;
  }
  return level;
}

export const rule = defineRule({
  id: 'apt-assume-yes',
  aliases: ['DL3014'],
  severity: 'warning',
  description: 'Use -y with apt-get install.',
  docs:
    'Without `-y` apt-get asks for confirmation, and a build has nobody to answer: it aborts as soon as ' +
    'an install needs more packages. `--yes`, `--assume-yes` and a quiet level of 2 (`-qq`, `-q -q`, `-q=2`, `--quiet --quiet`), which implies -y, count.',
  messages: { noYes: 'apt-get install runs without -y.' },
  fix: 'safe',
  check(model, ctx) {
    for (const inv of invocations(model, ['apt-get'], ['install'])) {
      if (hasOption(inv, ['--yes', '--assume-yes'], 'y')) continue;
      if (quietLevel(inv.args.map((w) => w.value)) >= 2) continue;
      ctx.report({ messageId: 'noYes', range: inv.sub!.range });
    }
  },
});
