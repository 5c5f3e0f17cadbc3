import type { Finding } from './define-rule';
import { skip, type FixContext, type Skip, type TextEdit } from './define-fixer';
import { insertAfter } from './edits';
import { explainFailure } from '../resolve/explain';

/** Fix for the package pin rules: `name` → `name<separator><resolved version>`. */
export function pinResolvedVersion(separator: string) {
  return (finding: Finding, { resolutions }: FixContext): TextEdit[] | Skip => {
    const need = finding.needs[0];
    if (!need) return skip("the base image's release is not known from its tag");
    const version = resolutions.get(need);
    if (!version.ok) return skip(explainFailure(version));
    return [insertAfter(finding.range, `${separator}${version.value}`)];
  };
}
