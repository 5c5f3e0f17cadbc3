import { commandsNamed, plainArgs } from '../src/core/command-flags';
import { defineRule } from '../src/engine/define-rule';
import { ZYPPER_INSTALL } from './zypper-non-interactive';

export const rule = defineRule({
  id: 'zypper-pin-versions',
  aliases: ['DL3037'],
  severity: 'warning',
  description: 'Pin versions in zypper install.',
  docs:
    'An unpinned `zypper install pkg` installs whatever the repository serves that day. Write ' +
    '`pkg=1.2.3` (or a range, `pkg>=1.2`); a local `.rpm` file is pinned by itself.',
  messages: { unpinned: 'zypper installs {{name}} without a version.' },
  fix: 'none',
  check(model, ctx) {
    for (const c of commandsNamed(model, ['zypper'])) {
      const sub = c.command.call?.sub;
      if (!sub || !ZYPPER_INSTALL.includes(sub.value)) continue;
      for (const w of plainArgs(c.args)) {
        if (w === sub || /[=<>]/.test(w.value) || w.value.endsWith('.rpm')) continue;
        ctx.report({ messageId: 'unpinned', data: { name: w.value }, range: w.range });
      }
    }
  },
});
