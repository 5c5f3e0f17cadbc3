import { invocations } from '../src/core/shell-commands';
import { defineRule } from '../src/engine/define-rule';

export const rule = defineRule({
  id: 'apt-get-not-apt',
  aliases: ['DL3027'],
  severity: 'warning',
  description: 'Use apt-get, not apt, in scripts.',
  docs:
    '`apt` is meant for people at a terminal: its output and behaviour may change between releases and ' +
    'it warns that it has no stable CLI. `apt-get` is the scripting interface. The fix renames the ' +
    'command when the subcommand exists in apt-get too.',
  messages: { apt: 'apt is for interactive use; use apt-get.' },
  fix: 'safe',
  check(model, ctx) {
    for (const inv of invocations(model, ['apt'])) {
      ctx.report({ messageId: 'apt', data: { sub: inv.sub?.value ?? '' }, range: inv.toolWord.range });
    }
  },
});
