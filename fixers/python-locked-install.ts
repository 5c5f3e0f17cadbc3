import { defineFixer, skip } from '../src/engine/define-fixer';
import { insertOptionAfterFinding } from '../src/engine/insert-option';

const frozen = insertOptionAfterFinding('--frozen');
const deploy = insertOptionAfterFinding('--deploy');

export const fixer = defineFixer({
  ruleId: 'python-locked-install',
  fix(finding, ctx) {
    if (finding.messageId === 'poetryNoLock') return skip('copy poetry.lock into the image (or create it)');
    if (!finding.data.lock) return skip('no lock file is copied into the image to install from');
    return finding.messageId === 'uvSync' ? frozen(finding, ctx) : deploy(finding, ctx);
  },
});
