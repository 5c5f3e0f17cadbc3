import type { CopyInstr } from '../src/core/model';
import { defineRule } from '../src/engine/define-rule';

export const rule = defineRule({
  id: 'copy-multi-dest-slash',
  aliases: ['DL3021'],
  severity: 'error',
  description: 'A COPY of several sources needs a folder destination ending in /.',
  docs:
    'With more than one source, COPY and ADD need a folder as destination, and the builder only takes ' +
    'the destination for a folder when it ends with `/`; otherwise the build fails.',
  messages: { slash: '{{keyword}} of several sources to {{dest}}: end the destination with /.' },
  fix: 'safe',
  check(model, ctx) {
    for (const ins of model.instructions) {
      const i = ins.kind === 'onbuild' ? ins.trigger : ins;
      if ((i?.kind !== 'copy' && i?.kind !== 'add') || i.heredoc) continue;
      const c = i as CopyInstr;
      if (c.sources.length < 2 || !c.dest) continue;
      if (c.dest.value.replace(/["']$/, '').endsWith('/')) continue;
      ctx.report({
        messageId: 'slash',
        data: { keyword: c.keyword.toUpperCase(), dest: c.dest.value },
        range: c.dest.range,
      });
    }
  },
});
