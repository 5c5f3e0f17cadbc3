import { parseRequirements } from '../src/core/requirements';
import { defineFixer, skip } from '../src/engine/define-fixer';
import { explainFailure } from '../src/resolve/explain';

export const fixer = defineFixer({
  ruleId: 'pip-require-hashes',
  fix(finding, { resolutions, files }) {
    const file = finding.file;
    const text = file === undefined ? undefined : files.read(file);
    const req =
      text === undefined
        ? undefined
        : parseRequirements(text).requirements.find((r) => r.nameRange.start === finding.range.start);
    if (!file || !text || !req) return skip('the requirement could not be found');
    if (req.contentEnd === undefined) return skip('the requirement is split over several lines');
    const hashes = resolutions.get(finding.needs[0]);
    if (!hashes.ok) return skip(explainFailure(hashes));
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    const lines = hashes.value
      .split(' ')
      .map((h) => ` \\${eol}    --hash=${h}`)
      .join('');
    return [{ range: { start: req.contentEnd, end: req.contentEnd }, text: lines, file }];
  },
});
