import { requirementAt } from '../src/core/requirements-files';
import { defineFixer, skip } from '../src/engine/define-fixer';
import { explainFailure } from '../src/resolve/explain';

export const fixer = defineFixer({
  ruleId: 'pip-require-hashes',
  fix(finding, { resolutions, files }) {
    const at = requirementAt(files, finding.file, finding.range.start);
    if (!at) return skip('the requirement could not be found');
    if (at.req.contentEnd === undefined) return skip('the requirement is split over several lines');
    if (finding.data.elsewhere)
      return skip(`the install ${finding.data.elsewhere}; take the hashes from there by hand`);
    const hashes = resolutions.get(finding.needs[0]);
    if (!hashes.ok) return skip(explainFailure(hashes));
    const eol = at.text.includes('\r\n') ? '\r\n' : '\n';
    const lines = hashes.value.split(' ').map((h) => ` \\${eol}    --hash=${h}`);
    return [
      {
        range: { start: at.req.contentEnd, end: at.req.contentEnd },
        text: lines.join(''),
        file: at.file,
        intent: { kind: 'requirement' },
      },
    ];
  },
});
