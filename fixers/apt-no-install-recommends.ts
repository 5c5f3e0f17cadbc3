import { defineFixer } from '../src/engine/define-fixer';
import { insertOptionAfterFinding } from '../src/engine/insert-option';

export const fixer = defineFixer({
  ruleId: 'apt-no-install-recommends',
  fix: insertOptionAfterFinding('--no-install-recommends'),
});
