import { defineFixer } from '../src/engine/define-fixer';
import { insertOptionAfterFinding } from '../src/engine/insert-option';

export const fixer = defineFixer({
  ruleId: 'wget-progress',
  fix: insertOptionAfterFinding('--progress=dot:giga'),
});
