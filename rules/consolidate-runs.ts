import { stageGroups } from '../src/core/stage-groups';
import type { Dockerfile, RunInstr } from '../src/core/model';
import { defineRule } from '../src/engine/define-rule';

const flagsOf = (r: RunInstr): string => r.flags.map((f) => `${f.name}=${f.value ?? ''}`).join(' ');
/**
 * Whether a RUN is at most one command, told from its text where it can be: a body with an operator
 * (`&&`, `;`, `|`, `&`) outside quotes holds two commands or more, one without any holds one.
 */
function single(model: Dockerfile, r: RunInstr): boolean {
  if (r.form === 'json') return true;
  if (!/[;&|\n]/.test(r.plainText)) return true;
  const text = model.source.text.slice(r.argsRange.start, r.argsRange.end);
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === model.escapeChar && quote !== "'") i++;
    else if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === ';' || c === '&' || c === '|') return false;
  }
  // Operators only inside quotes (or a heredoc): the parse decides.
  return (r.script?.commands.length ?? 0) <= 1;
}

export const rule = defineRule({
  id: 'consolidate-runs',
  aliases: ['DL3059'],
  severity: 'info',
  description: 'Join consecutive short RUNs.',
  docs:
    'Each RUN is a layer and a cache step. Two RUNs in a row, with the same flags and one command ' +
    'each, are usually one step split by accident: join them with `&&`. Longer RUNs are left ' +
    'alone, since splitting them can be deliberate (cache reuse).',
  messages: { consecutive: 'this RUN follows another short RUN: consider joining them.' },
  fix: 'none',
  check(model, ctx) {
    for (const stage of stageGroups(model)) {
      let prev: RunInstr | undefined;
      for (const ins of stage.instructions) {
        if (ins.kind !== 'run') {
          prev = undefined;
          continue;
        }
        if (prev && flagsOf(prev) === flagsOf(ins) && single(model, prev) && single(model, ins))
          ctx.report({ messageId: 'consecutive', range: ins.keywordRange });
        prev = ins;
      }
    }
  },
});
