import { defineFixer } from '../src/engine/define-fixer';
import { replace } from '../src/engine/edits';

export const fixer = defineFixer({
  ruleId: 'no-add-for-local-files',
  fix(finding, { model }) {
    const written = model.source.text.slice(finding.range.start, finding.range.end);
    return [
      replace(finding.range, written === written.toLowerCase() ? 'copy' : 'COPY', {
        kind: 'keyword',
        to: 'COPY',
      }),
    ];
  },
});
