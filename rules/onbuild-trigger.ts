import { defineRule } from '../src/engine/define-rule';

export const rule = defineRule({
  id: 'onbuild-trigger',
  aliases: ['DL3043'],
  severity: 'error',
  description: 'ONBUILD cannot trigger ONBUILD, FROM or MAINTAINER.',
  docs: 'The builder refuses `ONBUILD ONBUILD`, `ONBUILD FROM` and `ONBUILD MAINTAINER`.',
  messages: { trigger: 'ONBUILD {{keyword}} is not allowed.' },
  fix: 'none',
  check(model, ctx) {
    for (const ins of model.instructions) {
      if (ins.kind !== 'onbuild') continue;
      // The trigger's keyword, read from the text when the parser made no instruction of it.
      const text = model.source.text.slice(ins.argsRange.start, ins.argsRange.end);
      const kw = (ins.trigger?.keyword ?? /^\s*(\w+)/.exec(text)?.[1] ?? '').toUpperCase();
      if (kw === 'ONBUILD' || kw === 'FROM' || kw === 'MAINTAINER')
        ctx.report({ messageId: 'trigger', data: { keyword: kw }, range: ins.keywordRange });
    }
  },
});
