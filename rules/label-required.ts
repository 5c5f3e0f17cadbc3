import { stageLabels } from '../src/core/labels';
import type { Stage } from '../src/core/model';
import { defineRule } from '../src/engine/define-rule';

function descendants(stages: readonly Stage[], stage: Stage): Stage[] {
  const out: Stage[] = [];
  for (const s of stages) if (s.from.baseStage === stage.index) out.push(s, ...descendants(stages, s));
  return out;
}

export const rule = defineRule({
  id: 'label-required',
  aliases: ['DL3049'],
  severity: 'info',
  description: 'Set every label the label schema asks for.',
  docs:
    "With `labelSchema` in the configuration (hadolint's `label-schema`), each image must carry those " +
    'labels. A stage has a label when it sets it or builds on a stage that does; a stage only copied from ' +
    'is not reported, since it is not shipped. Nothing is reported without a schema.',
  messages: { missing: 'label {{label}} is missing.' },
  fix: 'none',
  check(model, ctx) {
    const wanted = Object.keys(ctx.settings.labelSchema);
    if (wanted.length === 0) return;
    const copiedFrom = new Set<string>();
    for (const ins of model.instructions) {
      const from = ins.kind === 'copy' ? ins.flags.find((f) => f.name === 'from')?.value : undefined;
      if (from) copiedFrom.add(from.toLowerCase());
    }
    for (const stage of model.stages) {
      const names = new Set<string>();
      for (
        let s: Stage | undefined = stage;
        s;
        s = s.from.baseStage === undefined ? undefined : model.stages[s.from.baseStage]
      )
        for (const p of stageLabels(s)) names.add(p.name);
      for (const label of wanted) {
        if (names.has(label)) continue;
        if (stage.name && copiedFrom.has(stage.name.toLowerCase())) continue;
        // A stage others build on is judged through them: one that sets the label covers it.
        if (descendants(model.stages, stage).some((d) => stageLabels(d).some((p) => p.name === label)))
          continue;
        ctx.report({ messageId: 'missing', data: { label }, range: stage.from.range });
      }
    }
  },
});
