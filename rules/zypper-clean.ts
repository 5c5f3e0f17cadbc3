import { hasCacheMount } from '../src/core/run-mounts';
import { mentions } from '../src/core/shell-commands';
import { defineRule } from '../src/engine/define-rule';
import { ZYPPER_INSTALL } from './zypper-non-interactive';

export const rule = defineRule({
  id: 'zypper-clean',
  aliases: ['DL3036'],
  severity: 'warning',
  description: 'Run zypper clean in the RUN that installs.',
  docs:
    'zypper keeps repository metadata and packages in /var/cache/zypp; unless the same RUN runs ' +
    '`zypper clean` after installing (or mounts a cache on that folder), they ship in the layer.',
  messages: { noClean: 'this RUN installs with zypper but does not run zypper clean afterwards.' },
  fix: 'safe',
  check(model, ctx) {
    for (const { instr } of model.runs) {
      if (!mentions(instr, ['zypper']) || hasCacheMount(instr, '/var/cache/zypp')) continue;
      let install = -1;
      let clean = -1;
      (instr.script?.commands ?? []).forEach((c, k) => {
        const call = c.call;
        if (call?.tool !== 'zypper' || !call.sub) return;
        if (ZYPPER_INSTALL.includes(call.sub.value) && install < 0) install = k;
        if (call.sub.value === 'clean' || call.sub.value === 'cc') clean = k;
      });
      if (install >= 0 && clean < install) ctx.report({ messageId: 'noClean', range: instr.keywordRange });
    }
  },
});
