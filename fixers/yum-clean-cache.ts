import { appendCleanup, runOfFinding } from '../src/engine/append-command';
import { defineFixer } from '../src/engine/define-fixer';

export const fixer = defineFixer({
  ruleId: 'yum-clean-cache',
  fix: (finding, { model }) =>
    appendCleanup(model, runOfFinding(model, finding), finding.data.tool, 'clean all'),
});
