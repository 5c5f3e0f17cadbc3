import { appendCleanup, runOfFinding } from '../src/engine/append-command';
import { defineFixer } from '../src/engine/define-fixer';

export const fixer = defineFixer({
  ruleId: 'zypper-clean',
  fix: (finding, { model }) => appendCleanup(model, runOfFinding(model, finding), 'zypper', 'clean --all'),
});
