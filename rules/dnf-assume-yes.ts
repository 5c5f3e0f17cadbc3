import { commandsNamed, hasAnyFlag, hasArg } from '../src/core/command-flags';
import { defineRule } from '../src/engine/define-rule';

export const rule = defineRule({
  id: 'dnf-assume-yes',
  aliases: ['DL3038'],
  severity: 'warning',
  description: 'Use -y with dnf install.',
  docs: 'Without `-y` dnf and microdnf wait for an answer nobody gives in a build, and the step fails.',
  messages: { noYes: '{{tool}} {{sub}} runs without -y.' },
  fix: 'safe',
  check(model, ctx) {
    for (const c of commandsNamed(model, ['dnf', 'microdnf'])) {
      const sub = c.command.call?.sub;
      if (!sub || !hasArg([sub], ['install', 'groupinstall', 'localinstall'])) continue;
      if (hasAnyFlag(c.args, ['y', 'assumeyes'])) continue;
      ctx.report({ messageId: 'noYes', data: { tool: c.name, sub: sub.value }, range: sub.range });
    }
  },
});
