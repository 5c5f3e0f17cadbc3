import type { Finding } from './define-rule';
import type { FixContext, TextEdit } from './define-fixer';
import { insertArgAfter, wordAt } from './edits';

/** Fix for "missing option" rules whose finding points at the subcommand word: add the option after it. */
export function insertOptionAfterFinding(option: string) {
  return (finding: Finding, { model }: FixContext): TextEdit[] => {
    const word = wordAt(model, finding.range);
    return word ? [insertArgAfter(word, option)] : [];
  };
}
