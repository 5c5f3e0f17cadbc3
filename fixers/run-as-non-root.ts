import { defineFixer, skip } from '../src/engine/define-fixer';
import { nonRootFix } from '../src/engine/non-root';

export const fixer = defineFixer({
  ruleId: 'run-as-non-root',
  fix(finding, ctx) {
    const { model } = ctx;
    const stage = model.stages[model.stages.length - 1];
    return stage ? nonRootFix(finding, model, stage, ctx) : skip('the file has no stage');
  },
});
