import { defineFixer } from '../src/engine/define-fixer';
import { insertOptionAfterFinding } from '../src/engine/insert-option';

export const fixer = defineFixer({ ruleId: 'useradd-no-log-init', fix: insertOptionAfterFinding('-l') });
