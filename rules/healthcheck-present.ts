import type { Stage } from '../src/core/model';
import { defineRule } from '../src/engine/define-rule';

const hasHealthcheck = (s: Stage): boolean =>
  s.instructions.some((i) => i.kind === 'other' && i.keyword.toUpperCase() === 'HEALTHCHECK');

export const rule = defineRule({
  id: 'healthcheck-present',
  aliases: ['DL3057'],
  severity: 'info',
  defaultOff: true,
  description: 'Give the image a HEALTHCHECK.',
  docs:
    'Without HEALTHCHECK the engine only knows whether the process runs, not whether it serves. ' +
    '`HEALTHCHECK NONE` says the absence is deliberate; a HEALTHCHECK in a stage a later one builds on ' +
    'counts for both. Off by default, as in hadolint: orchestrators often probe from outside instead.',
  messages: { missing: 'this stage has no HEALTHCHECK.' },
  fix: 'none',
  check(model, ctx) {
    for (const stage of model.stages) {
      let s: Stage | undefined = stage;
      let found = false;
      while (s && !found) {
        found = hasHealthcheck(s);
        s = s.from.baseStage === undefined ? undefined : model.stages[s.from.baseStage];
      }
      // A stage that others build on is judged through them.
      const builtOn = model.stages.some((o) => o.from.baseStage === stage.index);
      if (!found && !builtOn) ctx.report({ messageId: 'missing', range: stage.from.range });
    }
  },
});
