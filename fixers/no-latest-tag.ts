import { pinResolvedTag } from '../src/engine/base-image-edits';
import { defineFixer } from '../src/engine/define-fixer';

export const fixer = defineFixer({ ruleId: 'no-latest-tag', fix: pinResolvedTag });
