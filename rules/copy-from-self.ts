import { defineRule } from '../src/engine/define-rule';
import { copiesFrom } from './copy-from-known-stage';

export const rule = defineRule({
  id: 'copy-from-self',
  aliases: ['DL3023'],
  severity: 'error',
  description: 'COPY --from cannot name its own stage.',
  docs: 'A stage cannot copy from itself: the build fails with a dependency cycle.',
  messages: { self: 'COPY --from={{from}} names the stage it is in.' },
  fix: 'none',
  check(model, ctx) {
    for (const { copy, from } of copiesFrom(model.instructions)) {
      const own = copy.stage >= 0 ? model.stages[copy.stage] : undefined;
      if (own?.name !== undefined && own.name.toLowerCase() === from.toLowerCase())
        ctx.report({ messageId: 'self', data: { from }, range: copy.keywordRange });
    }
  },
});
