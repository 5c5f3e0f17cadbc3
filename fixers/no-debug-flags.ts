import { defineFixer, skip } from '../src/engine/define-fixer';
import { replace } from '../src/engine/edits';
import { productionValue } from '../rules/no-debug-flags';

export const fixer = defineFixer({
  ruleId: 'no-debug-flags',
  fix(finding) {
    const value = productionValue(finding.data.name, finding.data.value);
    return value ? [replace(finding.range, value, { kind: 'value' })] : skip('no production value is known');
  },
});
