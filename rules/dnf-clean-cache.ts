import { defineRule } from '../src/engine/define-rule';
import { checkRpmClean } from '../src/engine/rpm-rules';

export const rule = defineRule({
  id: 'dnf-clean-cache',
  aliases: ['DL3040'],
  severity: 'warning',
  description: 'Run dnf clean all in the RUN that installs.',
  docs: 'dnf keeps metadata and packages in /var/cache; clean it in the same RUN or it ships in the layer.',
  messages: { noClean: 'this RUN installs with {{tool}} but does not run {{tool}} clean all.' },
  fix: 'safe',
  check: (model, ctx) => checkRpmClean(model, ctx, ['dnf', 'microdnf']),
});
