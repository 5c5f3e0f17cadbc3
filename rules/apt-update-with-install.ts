import { defineRule } from '../src/engine/define-rule';
import { mentions } from '../src/core/shell-commands';

export const rule = defineRule({
  id: 'apt-update-with-install',
  aliases: [],
  severity: 'warning',
  description: 'Run apt-get update in the same RUN as apt-get install.',
  docs:
    'A RUN that only runs `apt-get update` is cached as a layer: later installs in other RUNs then use ' +
    'stale lists from whenever that layer was built, and fail or install outdated packages. Combine ' +
    '`apt-get update && apt-get install … && rm -rf /var/lib/apt/lists/*` in one RUN.',
  messages: {
    alone: 'apt-get update runs in a RUN without an install; its lists go stale in the layer cache.',
  },
  fix: 'none',
  check(model, ctx) {
    for (const { instr } of model.runs) {
      if (!mentions(instr, ['apt'])) continue;
      let update;
      let install = false;
      for (const c of instr.script?.commands ?? []) {
        const inv = c.call;
        if (inv?.tool !== 'apt-get' && inv?.tool !== 'apt') continue;
        if (inv.sub?.value === 'update') update ??= inv;
        else if (
          inv.sub &&
          ['install', 'upgrade', 'dist-upgrade', 'build-dep', 'full-upgrade'].includes(inv.sub.value)
        )
          install = true;
      }
      if (update && !install) ctx.report({ messageId: 'alone', range: update.sub!.range });
    }
  },
});
