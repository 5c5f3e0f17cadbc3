import type { PairsInstr } from '../src/core/model';
import { defineRule } from '../src/engine/define-rule';

export const rule = defineRule({
  id: 'user-numeric',
  aliases: ['DL3066'],
  severity: 'info',
  defaultOff: true,
  description: 'Give USER a numeric id.',
  docs:
    "Kubernetes' `runAsNonRoot` can only verify a numeric user: with `USER app` the kubelet refuses to " +
    'start the pod, and the host cannot map the name either. `USER 10001` (or `10001:10001`) works ' +
    'everywhere. A user taken from an ARG counts as numeric. Off by default, unlike hadolint (a ' +
    'deliberate difference): names are clearer where no such policy applies, and the non-root fix ' +
    'writes a named user; turn it on for clusters that enforce runAsNonRoot.',
  messages: { name: 'USER {{user}} is not numeric.' },
  fix: 'none',
  check(model, ctx) {
    const args = new Set<string>();
    for (const ins of model.instructions) {
      if (ins.kind === 'arg') for (const p of (ins as PairsInstr).pairs) args.add(p.name);
      if (ins.kind !== 'user' || ins.words.length === 0) continue;
      const user = ins.words[0].value.split(':')[0];
      if (/^\d+$/.test(user)) continue;
      if ([...args].some((a) => user.includes(`$${a}`) || user.includes(`\${${a}}`))) continue;
      ctx.report({ messageId: 'name', data: { user: ins.words[0].value }, range: ins.words[0].range });
    }
  },
});
