import { defineRule } from '../src/engine/define-rule';
import { KNOWN_KEYWORDS } from '../src/engine/verify';

export const rule = defineRule({
  id: 'dockerfile-syntax',
  aliases: [],
  severity: 'error',
  description: 'The file must be a Dockerfile Docker can build.',
  docs:
    'Reports what makes a build fail before it starts: no FROM, an unknown instruction, or an instruction ' +
    'other than ARG before the first FROM. Nothing in the file is ever executed.',
  messages: {
    noFrom: 'the file has no FROM instruction.',
    unknown: 'unknown instruction {{keyword}}.',
    beforeFrom: '{{keyword}} comes before the first FROM; only ARG may.',
  },
  fix: 'none',
  check(model, ctx) {
    for (const ins of model.instructions) {
      const upper = KNOWN_KEYWORDS.has(ins.keyword) ? ins.keyword : ins.keyword.toUpperCase();
      if (!KNOWN_KEYWORDS.has(upper))
        ctx.report({ messageId: 'unknown', data: { keyword: ins.keyword }, range: ins.keywordRange });
      else if (ins.stage < 0 && upper !== 'ARG')
        ctx.report({ messageId: 'beforeFrom', data: { keyword: upper }, range: ins.keywordRange });
    }
    if (model.stages.length === 0) ctx.report({ messageId: 'noFrom', range: { start: 0, end: 0 } });
  },
});
