import { parseRequirements } from '../src/core/requirements';
import { defineFixer, skip } from '../src/engine/define-fixer';
import { explainFailure } from '../src/resolve/explain';

export const fixer = defineFixer({
  ruleId: 'pip-requirements-pinned',
  fix(finding, { resolutions, files }) {
    const file = finding.file;
    const text = file === undefined ? undefined : files.read(file);
    const req =
      text === undefined
        ? undefined
        : parseRequirements(text).requirements.find((r) => r.nameRange.start === finding.range.start);
    if (!file || !req) return skip('the requirement could not be found');
    if (!req.editable) return skip('the requirement is split over several lines');
    if (finding.needs.length === 0) return skip("the image's Python version is not known from its tag");
    const version = resolutions.get(finding.needs[0]);
    if (!version.ok) return skip(explainFailure(version));
    return [{ range: req.specifierRange, text: `==${version.value}`, file }];
  },
});
