import { requirementAt } from '../src/core/requirements-files';
import { defineFixer, skip } from '../src/engine/define-fixer';
import { explainFailure } from '../src/resolve/explain';

export const fixer = defineFixer({
  ruleId: 'pip-requirements-pinned',
  fix(finding, { resolutions, files }) {
    const at = requirementAt(files, finding.file, finding.range.start);
    if (!at) return skip('the requirement could not be found');
    if (!at.req.editable) return skip('the requirement is split over several lines');
    if (finding.data.elsewhere)
      return skip(
        `the install ${finding.data.elsewhere}, so an index pin cannot be true for it; pin by hand`,
      );
    if (finding.needs.length === 0) return skip("the image's Python version is not known from its tag");
    const version = resolutions.get(finding.needs[0]);
    if (!version.ok) return skip(explainFailure(version));
    return [
      {
        range: at.req.specifierRange,
        text: `==${version.value}`,
        file: at.file,
        intent: { kind: 'requirement' },
      },
    ];
  },
});
