import { defineRule } from '../src/engine/define-rule';
import { checkRpmClean } from '../src/engine/rpm-rules';

export const rule = defineRule({
  id: 'yum-clean-cache',
  aliases: ['DL3032'],
  severity: 'warning',
  description: 'Run yum clean all in the RUN that installs.',
  docs: 'yum keeps metadata and packages in /var/cache/yum; clean it in the same RUN or it ships in the layer.',
  messages: { noClean: 'this RUN installs with yum but does not run yum clean all.' },
  fix: 'safe',
  check: (model, ctx) => checkRpmClean(model, ctx, ['yum']),
});
