import { defineFixer } from '../src/engine/define-fixer';
import { pinAtVersion } from '../src/engine/package-pin';

export const fixer = defineFixer({
  ruleId: 'npm-pin-versions',
  fix: pinAtVersion('only a bare name or @latest is pinned; choose a version in the range or ref by hand'),
});
