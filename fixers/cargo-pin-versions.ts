import { defineFixer } from '../src/engine/define-fixer';
import { pinAtVersion } from '../src/engine/package-pin';

export const fixer = defineFixer({
  ruleId: 'cargo-pin-versions',
  fix: pinAtVersion('the crate name is built from variables'),
});
