import { defineFixer } from '../src/engine/define-fixer';
import { insertOptionAfterFinding } from '../src/engine/insert-option';

export const fixer = defineFixer({ ruleId: 'zypper-non-interactive', fix: insertOptionAfterFinding('-y') });
