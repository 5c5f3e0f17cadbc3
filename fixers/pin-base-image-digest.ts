import { addDigest } from '../src/engine/base-image-edits';
import { defineFixer, skip } from '../src/engine/define-fixer';
import { explainFailure } from '../src/resolve/explain';

export const fixer = defineFixer({
  ruleId: 'pin-base-image-digest',
  fix(finding, { model, resolutions }) {
    if (finding.needs.length === 0) return skip('the image has no tag to pin yet');
    const digest = resolutions.get(finding.needs[0]);
    if (!digest.ok) return skip(explainFailure(digest));
    return addDigest(model, finding, digest.value);
  },
});
