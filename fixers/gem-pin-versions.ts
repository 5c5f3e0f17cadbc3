import { defineFixer } from '../src/engine/define-fixer';
import { pinResolvedVersion } from '../src/engine/package-pin';

export const fixer = defineFixer({ ruleId: 'gem-pin-versions', fix: pinResolvedVersion(':') });
