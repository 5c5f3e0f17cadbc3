import { defineFixer } from '../src/engine/define-fixer';
import { pinAtVersion } from '../src/engine/package-pin';

export const fixer = defineFixer({
  ruleId: 'go-pin-versions',
  fix: pinAtVersion('the package path is built from variables or is not a module path'),
});
