import { commandsNamed, hasAnyFlag, hasArg } from '../src/core/command-flags';
import { defineRule } from '../src/engine/define-rule';

export const ZYPPER_INSTALL = ['install', 'in'];

export const rule = defineRule({
  id: 'zypper-non-interactive',
  aliases: ['DL3034'],
  severity: 'warning',
  description: 'Use -y (or --non-interactive) with zypper.',
  docs:
    'zypper asks before installing, removing or patching; a build has nobody to answer. Give `-y` ' +
    '(`--no-confirm`) to the command, or `-n` (`--non-interactive`) to zypper.',
  messages: { noYes: 'zypper {{sub}} runs without -y.' },
  fix: 'safe',
  check(model, ctx) {
    for (const c of commandsNamed(model, ['zypper'])) {
      const sub = c.command.call?.sub;
      if (!sub || !hasArg([sub], [...ZYPPER_INSTALL, 'remove', 'rm', 'source-install', 'si', 'patch']))
        continue;
      if (hasAnyFlag(c.args, ['non-interactive', 'n', 'no-confirm', 'y'])) continue;
      ctx.report({ messageId: 'noYes', data: { sub: sub.value }, range: sub.range });
    }
  },
});
