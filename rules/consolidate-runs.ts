import { stageGroups } from '../src/core/command-flags';
import type { RunInstr } from '../src/core/model';
import { defineRule } from '../src/engine/define-rule';

const flagsOf = (r: RunInstr): string => r.flags.map((f) => `${f.name}=${f.value ?? ''}`).join(' ');
const size = (r: RunInstr): number => r.script?.commands.length ?? 0;

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
        if (prev && flagsOf(prev) === flagsOf(ins) && size(prev) <= 1 && size(ins) <= 1)
          ctx.report({ messageId: 'consecutive', range: ins.keywordRange });
        prev = ins;
      }
    }
  },
});
