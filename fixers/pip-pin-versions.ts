import { defineFixer, skip } from '../src/engine/define-fixer';
import { pinResolvedVersion } from '../src/engine/package-pin';

const pin = pinResolvedVersion('==');

export const fixer = defineFixer({
  ruleId: 'pip-pin-versions',
  fix(finding, ctx) {
    if (finding.messageId === 'vcs') return skip('choose the commit or tag to pin by hand');
    if (finding.needs.length === 0) return skip("the image's Python version is not known from its tag");
    return pin(finding, ctx);
  },
});
