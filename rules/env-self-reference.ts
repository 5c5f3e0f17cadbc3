import type { PairsInstr } from '../src/core/model';
import { defineRule } from '../src/engine/define-rule';

/** Whether `text` expands `$name` or `${name…}` (not `$nameMore`). */
function expands(text: string, name: string): boolean {
  if (!text.includes('$') || !text.includes(name)) return false;
  const esc = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`\\$(?:\\{${esc}(?:[}:]|$)|${esc}(?![A-Za-z0-9_]))`).test(text);
}

export const rule = defineRule({
  id: 'env-self-reference',
  aliases: ['DL3044'],
  severity: 'error',
  description: 'Do not use a variable in the ENV that defines it.',
  docs:
    'All pairs of one ENV are expanded with the values from before the instruction: in ' +
    '`ENV A=1 B=$A`, B gets the old A (usually empty), not 1. Split the ENV in two. A variable that ' +
    'was defined before (by ENV or ARG) is fine, and so is `PATH=$PATH:/x`.',
  messages: { self: '{{name}} is used in the ENV that defines it.' },
  fix: 'none',
  check(model, ctx) {
    // Only an ENV that holds a `$` can refer to anything: most files have none, and read no pairs.
    if (!model.instructions.some((i) => i.kind === 'env' && (i as PairsInstr).plainText.includes('$')))
      return;
    const known = new Set<string>();
    for (const ins of model.instructions) {
      const i = ins.kind === 'onbuild' ? ins.trigger : ins;
      if (i?.kind === 'arg') for (const p of (i as PairsInstr).pairs) known.add(p.name);
      if (i?.kind !== 'env') continue;
      const pairs = (i as PairsInstr).pairs;
      if (!(i as PairsInstr).plainText.includes('$')) {
        for (const p of pairs) known.add(p.name);
        continue;
      }
      const bad = pairs.find(
        (p, k) =>
          !known.has(p.name) &&
          pairs.some((q, j) => j !== k && q.value !== undefined && expands(q.value, p.name)),
      );
      if (bad) ctx.report({ messageId: 'self', data: { name: bad.name }, range: i.keywordRange });
      for (const p of pairs) known.add(p.name);
    }
  },
});
