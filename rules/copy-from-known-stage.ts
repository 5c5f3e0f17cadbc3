import type { CopyInstr, Instr } from '../src/core/model';
import { defineRule } from '../src/engine/define-rule';

/** The COPY/ADD instructions of the file (ONBUILD triggers included) with their `--from` value. */
export function copiesFrom(instructions: readonly Instr[]): { copy: CopyInstr; from: string }[] {
  const out: { copy: CopyInstr; from: string }[] = [];
  for (const ins of instructions) {
    const i = ins.kind === 'onbuild' ? ins.trigger : ins;
    if (i?.kind !== 'copy') continue;
    const from = i.flags.find((f) => f.name === 'from')?.value;
    if (from !== undefined) out.push({ copy: i, from: from.replace(/^(["'])(.*)\1$/, '$2') });
  }
  return out;
}

/** How many of the sorted stage starts lie before `offset`. */
function stagesBefore(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid] < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export const rule = defineRule({
  id: 'copy-from-known-stage',
  aliases: ['DL3022'],
  severity: 'warning',
  description: 'COPY --from names an earlier stage (or an image).',
  docs:
    '`COPY --from=NAME` takes a stage defined above it, by name or index. Any other NAME is pulled as an ' +
    'image, which is rarely what a typo meant. A reference that names an image (it has `:`, `@`, `/` ' +
    "or a registry's dot) is taken as meant; hadolint counts only `:`, a deliberate difference. A " +
    'name given with `--build-context NAME=…` cannot be seen from the Dockerfile: ignore the rule ' +
    'on that line.',
  messages: { unknown: 'COPY --from={{from}} names no earlier stage.' },
  fix: 'none',
  check(model, ctx) {
    // Where each stage name is first defined; stages stand in document order.
    const firstNamed = new Map<string, number>();
    for (const s of model.stages) {
      const name = s.name?.toLowerCase();
      if (name !== undefined && !firstNamed.has(name)) firstNamed.set(name, s.from.range.start);
    }
    const starts = model.stages.map((s) => s.from.range.start);
    for (const { copy, from } of copiesFrom(model.instructions)) {
      // `nginx:1.27`, `ghcr.io/o/tool`, `mlocati/php-extension-installer`: an image, as meant.
      if (/[:@/.]/.test(from) || from.includes('$')) continue;
      if ((firstNamed.get(from.toLowerCase()) ?? Infinity) < copy.range.start) continue;
      if (/^\d+$/.test(from) && Number(from) < stagesBefore(starts, copy.range.start)) continue;
      ctx.report({ messageId: 'unknown', data: { from }, range: copy.keywordRange });
    }
  },
});
