import { hasOption, invocations } from '../src/core/shell-commands';
import { defineRule } from '../src/engine/define-rule';

export const rule = defineRule({
  id: 'apt-no-install-recommends',
  aliases: ['DL3015'],
  severity: 'info',
  description: 'Use --no-install-recommends with apt-get install.',
  docs:
    'Recommended packages are not needed to run the named ones and often double the image. ' +
    '`-o APT::Install-Recommends=false` counts too. The fix is marked for review: a program may rely on a ' +
    'recommended package (for example ca-certificates for HTTPS).',
  messages: { recommends: 'apt-get install also installs recommended packages.' },
  fix: 'review',
  check(model, ctx) {
    for (const inv of invocations(model, ['apt-get'], ['install'])) {
      if (hasOption(inv, ['--no-install-recommends'])) continue;
      if (inv.args.some((w) => /^APT::Install-Recommends=(false|0|no)$/i.test(w.value))) continue;
      ctx.report({ messageId: 'recommends', range: inv.sub!.range });
    }
  },
});
