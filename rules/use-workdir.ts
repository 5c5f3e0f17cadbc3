import { commandsNamed } from '../src/core/command-flags';
import { defineRule } from '../src/engine/define-rule';

export const rule = defineRule({
  id: 'use-workdir',
  aliases: ['DL3003'],
  severity: 'warning',
  description: 'Use WORKDIR instead of cd.',
  docs:
    '`cd` lasts for one RUN; the next instruction is back in the WORKDIR, which surprises readers and ' +
    'hides which folder a COPY or CMD uses. Set the folder with `WORKDIR`, which also creates it.',
  messages: { cd: 'cd in a RUN: use WORKDIR to change folder.' },
  fix: 'none',
  check(model, ctx) {
    for (const c of commandsNamed(model, ['cd']))
      ctx.report({ messageId: 'cd', range: c.command.name.range });
  },
});
