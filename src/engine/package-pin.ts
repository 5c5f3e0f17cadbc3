import type { Finding } from './define-rule';
import { skip, type FixContext, type Skip, type TextEdit } from './define-fixer';
import { appendToWord, rewriteWord } from './edits';
import { explainFailure } from '../resolve/explain';

/** Fix for the package pin rules: `name` → `name<separator><resolved version>`. */
export function pinResolvedVersion(separator: string) {
  return (finding: Finding, { model, resolutions }: FixContext): TextEdit[] | Skip => {
    const need = finding.needs[0];
    if (!need) return skip("the base image's release is not known from its tag");
    const version = resolutions.get(need);
    if (!version.ok) return skip(explainFailure(version));
    return [appendToWord(model, finding.range, `${separator}${version.value}`)];
  };
}

/**
 * Fix for the `name@version` pin rules (npm, go, cargo): the finding's word becomes `pkg@version`,
 * quotes kept. `data.pkg` is the package the look-up was for.
 */
export function pinAtVersion(noLookup: string) {
  return (finding: Finding, { model, resolutions }: FixContext): TextEdit[] | Skip => {
    const need = finding.needs[0];
    if (!need) return skip(noLookup);
    const version = resolutions.get(need);
    if (!version.ok) return skip(explainFailure(version));
    const raw = model.source.text.slice(finding.range.start, finding.range.end);
    const quote = /^["']/.test(raw) ? raw[0] : '';
    const pinned = `${finding.data.pkg}@${version.value}`;
    return [rewriteWord(model, finding.range, `${quote}${pinned}${quote}`, () => pinned)];
  };
}
