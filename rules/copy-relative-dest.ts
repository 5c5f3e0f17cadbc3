import { stageGroups } from '../src/core/stage-groups';
import type { Stage } from '../src/core/model';
import { isAbsolutePath } from '../src/core/paths';
import { defineRule } from '../src/engine/define-rule';

function setsWorkdir(stages: readonly Stage[], stage: Stage, before: number): boolean {
  for (
    let s: Stage | undefined = stage;
    s;
    s = s.from.baseStage === undefined ? undefined : stages[s.from.baseStage]
  ) {
    const limit = s === stage ? before : Infinity;
    if (s.instructions.some((i) => i.kind === 'workdir' && i.range.start < limit)) return true;
  }
  return false;
}

export const rule = defineRule({
  id: 'copy-relative-dest',
  aliases: ['DL3045'],
  severity: 'warning',
  description: 'COPY to a relative destination only after WORKDIR.',
  docs:
    'A relative COPY destination is resolved against the WORKDIR, which the base image sets when the ' +
    'Dockerfile does not: the files land somewhere else on another base. Set WORKDIR first (in this ' +
    'stage or the stage it builds on) or write the whole path.',
  messages: { relative: 'COPY to {{dest}} with no WORKDIR set in this stage.' },
  fix: 'none',
  check(model, ctx) {
    for (const { stage, instructions } of stageGroups(model)) {
      for (const ins of instructions) {
        if (ins.kind !== 'copy' || ins.keyword.toUpperCase() !== 'COPY' || !ins.dest) continue;
        if (isAbsolutePath(ins.dest.value)) continue;
        if (
          stage
            ? setsWorkdir(model.stages, stage, ins.range.start)
            : instructions.some((i) => i.kind === 'workdir' && i.range.start < ins.range.start)
        )
          continue;
        ctx.report({ messageId: 'relative', data: { dest: ins.dest.value }, range: ins.dest.range });
      }
    }
  },
});
