import { defineFixer, skip } from '../src/engine/define-fixer';
import { nonRootEdits } from '../src/engine/non-root';

export const fixer = defineFixer({
  ruleId: 'run-as-non-root',
  fix(_finding, { model }) {
    const stage = model.stages[model.stages.length - 1];
    return stage ? nonRootEdits(model, stage) : skip('the file has no stage');
  },
});
