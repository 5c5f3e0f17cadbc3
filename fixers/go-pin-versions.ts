import { defineFixer, skip } from '../src/engine/define-fixer';
import { pinAtVersion } from '../src/engine/package-pin';

const pin = pinAtVersion('the package path is built from variables or is not a module path');

export const fixer = defineFixer({
  ruleId: 'go-pin-versions',
  fix: (finding, ctx) =>
    finding.data.several
      ? skip(
          'go install builds several packages: with versions they must share one module and version; pin by hand',
        )
      : pin(finding, ctx),
});
