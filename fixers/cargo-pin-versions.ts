import { defineFixer, skip } from '../src/engine/define-fixer';
import { replace } from '../src/engine/edits';
import { explainFailure } from '../src/resolve/explain';

export const fixer = defineFixer({
  ruleId: 'cargo-pin-versions',
  fix(finding, { model, resolutions }) {
    const need = finding.needs[0];
    if (!need) return skip('the crate name is built from variables');
    const version = resolutions.get(need);
    if (!version.ok) return skip(explainFailure(version));
    const raw = model.source.text.slice(finding.range.start, finding.range.end);
    const quote = /^["']/.test(raw) ? raw[0] : '';
    return [replace(finding.range, `${quote}${finding.data.pkg}@${version.value}${quote}`)];
  },
});
