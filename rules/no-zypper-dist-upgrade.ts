import { commandsNamed } from '../src/core/command-flags';
import { defineRule } from '../src/engine/define-rule';

export const rule = defineRule({
  id: 'no-zypper-dist-upgrade',
  aliases: ['DL3035'],
  severity: 'warning',
  description: 'Do not run zypper dist-upgrade in a build.',
  docs:
    '`zypper dist-upgrade` moves the image to whatever the repositories hold today: the same Dockerfile ' +
    'builds a different distribution next month. Update the base image tag instead.',
  messages: { dup: 'zypper {{sub}} in a build.' },
  fix: 'none',
  check(model, ctx) {
    for (const c of commandsNamed(model, ['zypper'])) {
      const sub = c.command.call?.sub;
      if (sub && (sub.value === 'dist-upgrade' || sub.value === 'dup'))
        ctx.report({ messageId: 'dup', data: { sub: sub.value }, range: sub.range });
    }
  },
});
