import type { Finding } from './define-rule';
import type { FixContext, TextEdit } from './define-fixer';
import { insertArgAfter } from './edits';

/** Fix for "missing option" rules whose finding points at the subcommand word: add the option after it. */
export function insertOptionAfterFinding(option: string) {
  return (finding: Finding, { model }: FixContext): TextEdit[] => {
    for (const { instr } of model.runs) {
      for (const c of instr.script?.commands ?? []) {
        for (const w of [c.name, ...c.args]) {
          if (w.range.start === finding.range.start && w.range.end === finding.range.end) {
            return [insertArgAfter(w, option)];
          }
        }
      }
    }
    return [];
  };
}
