import { defineFixer } from '../src/engine/define-fixer';
import { insertOptionAfterFinding } from '../src/engine/insert-option';

export const fixer = defineFixer({
  ruleId: 'pip-no-cache-dir',
  fix: insertOptionAfterFinding('--no-cache-dir'),
});
