import { hasCacheMount } from '../src/core/run-mounts';
import { hasOption, invocations } from '../src/core/shell-commands';
import { defineRule } from '../src/engine/define-rule';

export const rule = defineRule({
  id: 'apk-no-cache',
  aliases: ['DL3019'],
  severity: 'info',
  description: 'Use apk add --no-cache.',
  docs:
    '`apk add --no-cache` fetches the index, installs, and leaves no cache behind, so no `apk update` or ' +
    '`rm -rf /var/cache/apk/*` is needed. A cache mount on /var/cache/apk counts too.',
  messages: { cache: 'apk add leaves its cache in the layer.' },
  fix: 'safe',
  check(model, ctx) {
    for (const inv of invocations(model, ['apk'], ['add'])) {
      if (hasOption(inv, ['--no-cache']) || hasCacheMount(inv.instr, '/var/cache/apk')) continue;
      ctx.report({ messageId: 'cache', range: inv.sub!.range });
    }
  },
});
