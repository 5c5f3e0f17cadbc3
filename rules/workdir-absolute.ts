import { defineRule } from '../src/engine/define-rule';
import { isAbsolutePath } from '../src/core/paths';

export const rule = defineRule({
  id: 'workdir-absolute',
  aliases: ['DL3000'],
  severity: 'error',
  description: 'Use an absolute WORKDIR.',
  docs:
    'A relative WORKDIR is resolved against the previous one, which the base image chooses: the same ' +
    'Dockerfile lands in different folders on different bases. Write the whole path (`/app`); a path ' +
    'that starts with a variable (`$HOME/app`) or a Windows drive (`C:\\app`) counts as absolute. There ' +
    'is no fix: only the author knows the intended folder.',
  messages: { relative: 'WORKDIR {{path}} is relative.' },
  fix: 'none',
  check(model, ctx) {
    for (const ins of model.instructions) {
      const i = ins.kind === 'onbuild' ? ins.trigger : ins;
      if (i?.kind !== 'workdir' || i.words.length === 0) continue;
      const path = i.words.map((w) => w.value).join(' ');
      if (isAbsolutePath(path)) continue;
      ctx.report({ messageId: 'relative', data: { path }, range: i.argsRange });
    }
  },
});
