import { appendCleanup, runOfFinding } from '../src/engine/append-command';
import { defineFixer } from '../src/engine/define-fixer';

export const fixer = defineFixer({
  ruleId: 'yarn-cache-clean',
  fix: (finding, { model }) => appendCleanup(model, runOfFinding(model, finding), 'yarn', 'cache clean'),
});
