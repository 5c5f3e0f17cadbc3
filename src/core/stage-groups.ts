import type { Dockerfile, Instr, RunInstr, Stage } from './model';

/**
 * The file's instructions in groups, one per stage, with the instructions before the first FROM as a
 * group of their own (a snippet without FROM is linted as one stage).
 */
export function stageGroups(model: Dockerfile): { stage?: Stage; instructions: readonly Instr[] }[] {
  const before = model.instructions.filter((i) => i.stage < 0 && i.kind !== 'from' && i.kind !== 'arg');
  const groups: { stage?: Stage; instructions: readonly Instr[] }[] = model.stages.map((s) => ({
    stage: s,
    instructions: s.instructions,
  }));
  return before.length ? [{ instructions: before }, ...groups] : groups;
}

/**
 * Whether a RUN's layer ships: its stage is final or another builds on it. An ONBUILD trigger runs in
 * whatever image builds on this one, so its own stage's use does not matter.
 */
export function layerShips(model: Dockerfile, stage: Stage | undefined, run: RunInstr): boolean {
  return !stage || run.onbuild || stage.isFinal || model.stages.some((s) => s.from.baseStage === stage.index);
}

/** Reports each instruction of a stage that `is` picks after the first one: only the last one counts. */
export function reportRepeats(
  model: Dockerfile,
  is: (ins: Instr) => boolean,
  report: (ins: Instr) => void,
): void {
  for (const stage of stageGroups(model)) {
    let seen = false;
    for (const ins of stage.instructions) {
      if (!is(ins)) continue;
      if (seen) report(ins);
      seen = true;
    }
  }
}
