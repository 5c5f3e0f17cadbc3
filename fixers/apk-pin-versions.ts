import { defineFixer } from '../src/engine/define-fixer';
import { pinResolvedVersion } from '../src/engine/package-pin';

export const fixer = defineFixer({ ruleId: 'apk-pin-versions', fix: pinResolvedVersion('=') });
