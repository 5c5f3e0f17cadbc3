import { instrAt } from '../src/core/shell-commands';
import { defineFixer, skip } from '../src/engine/define-fixer';
import { nonRootFix } from '../src/engine/non-root';

export const fixer = defineFixer({
  ruleId: 'no-root-user',
  fix(finding, ctx) {
    const { model } = ctx;
    const ins = instrAt(model, finding.range.start);
    const stage = ins && ins.stage >= 0 ? model.stages[ins.stage] : undefined;
    return stage ? nonRootFix(finding, model, stage, ctx) : skip('the stage could not be found');
  },
});
