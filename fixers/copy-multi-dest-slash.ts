import { defineFixer } from '../src/engine/define-fixer';
import { insertAfter } from '../src/engine/edits';

export const fixer = defineFixer({
  ruleId: 'copy-multi-dest-slash',
  fix(finding, { model }) {
    const raw = model.source.text.slice(finding.range.start, finding.range.end);
    const quoted = /^(["']).*\1$/s.test(raw);
    const at = quoted ? { start: finding.range.start, end: finding.range.end - 1 } : finding.range;
    return [insertAfter(at, '/', { kind: 'value' })];
  },
});
