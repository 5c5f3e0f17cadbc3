import type { Dockerfile, RunInstr } from '../core/model';
import type { Finding } from './define-rule';
import { skip, type Skip, type TextEdit } from './define-fixer';
import { insertAt } from './edits';

/** The RUN whose keyword a finding points at. */
export function runOfFinding(model: Dockerfile, finding: Finding): RunInstr | undefined {
  for (const { instr } of model.runs) {
    if (instr.keywordRange.start === finding.range.start) return instr;
  }
  return undefined;
}

/**
 * Appends a command to a RUN: `&& cmd` after its last command, or a line of its own before the end
 * of a heredoc script.
 */
export function appendCommand(
  model: Dockerfile,
  run: RunInstr | undefined,
  command: string,
): TextEdit[] | Skip {
  const script = run?.script;
  if (!run || !script || run.form === 'json') return skip('only shell-form RUNs can be extended');
  if (script.commands.length === 0) return skip('the RUN has no command to extend');
  const last = script.commands.reduce((a, b) => (b.range.end > a.range.end ? b : a));
  if (script.heredoc) {
    const lineEnd = model.source.text.indexOf('\n', last.range.end);
    if (lineEnd < 0) return skip('the heredoc has no end');
    return [insertAt(lineEnd + 1, `${command}${model.eol}`)];
  }
  return [insertAt(last.range.end, ` && ${command}`)];
}
