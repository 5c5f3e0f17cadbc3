import { commandsNamed, hasAnyFlag, hasArg } from '../src/core/command-flags';
import { defineRule } from '../src/engine/define-rule';

export const rule = defineRule({
  id: 'yum-assume-yes',
  aliases: ['DL3030'],
  severity: 'warning',
  description: 'Use -y with yum install.',
  docs: 'Without `-y` yum waits for an answer nobody gives in a build, and the step fails.',
  messages: { noYes: 'yum {{sub}} runs without -y.' },
  fix: 'safe',
  check(model, ctx) {
    for (const c of commandsNamed(model, ['yum'])) {
      const sub = c.command.call?.sub;
      if (!sub || !hasArg([sub], ['install', 'groupinstall', 'localinstall'])) continue;
      if (hasAnyFlag(c.args, ['y', 'assumeyes'])) continue;
      ctx.report({ messageId: 'noYes', data: { sub: sub.value }, range: sub.range });
    }
  },
});
