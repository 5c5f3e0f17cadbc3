import { commandsNamed } from '../src/core/command-flags';
import { defineRule } from '../src/engine/define-rule';

export const rule = defineRule({
  id: 'use-shell-instruction',
  aliases: ['DL4005'],
  severity: 'warning',
  description: 'Change the shell with SHELL, not by relinking /bin/sh.',
  docs:
    '`ln -sf /bin/bash /bin/sh` changes the shell of every later program in the image, not only of the ' +
    'build. `SHELL ["/bin/bash", "-c"]` changes the one RUN uses, and says so where readers look. The ' +
    'fix replaces a RUN that does nothing but the relink with that SHELL instruction; it needs review, ' +
    'since programs in the image that call /bin/sh then keep the original shell.',
  messages: { relink: 'relinking /bin/sh: use SHELL.' },
  fix: 'review',
  check(model, ctx) {
    for (const c of commandsNamed(model, ['ln'], /\/bin\/sh\b/)) {
      if (c.args.some((w) => w.value === '/bin/sh'))
        ctx.report({ messageId: 'relink', range: c.command.range });
    }
  },
});
