import type { Dockerfile, Invocation, RunInstr } from '../core/model';
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
 * Appends a command to a RUN as one more step of its top-level list: ` && cmd` after the whole last
 * statement, its redirections included, so the command runs after everything the RUN ran and only
 * when it all succeeded (a heredoc script included: a line of its own would hide a failure). `tool`
 * is the command the new one cleans up after, when it needs that command (see appendCleanup).
 */
export function appendCommand(
  model: Dockerfile,
  run: RunInstr | undefined,
  command: string,
  tool?: string,
): TextEdit[] | Skip {
  const script = run?.script;
  if (!run || !script || run.form === 'json') return skip('only shell-form RUNs can be extended');
  const last = script.statements[script.statements.length - 1];
  if (!last) return skip('the RUN has no command to extend');
  const text = model.source.text;
  const statement = text.slice(last.start, last.end);
  if (/(^|[^<])<<(?!<)/.test(statement)) return skip('the RUN ends in a heredoc; add the command by hand');
  // What follows the last statement: terminators, continuations and comments; `&` backgrounds it.
  const rest = text.slice(last.end, Math.max(last.end, script.range.end)).replace(/^[ \t]*#.*$/gm, '');
  if (/^[\s\\;]*&(?!&)/.test(rest)) return skip('the RUN ends in a background job');
  return [insertAt(last.end, ` && ${command}`, { kind: 'append', command, ...(tool ? { tool } : {}) })];
}

/**
 * Appends a tool's own clean-up (`yarn cache clean`, `dnf clean all`) after the RUN's list, run by
 * the name the RUN runs the tool by. The tool must run as a step of that list: when it runs only
 * inside a branch, a loop, a subshell or a substitution, the clean-up would run where the tool may
 * not have, and the fix is skipped.
 */
export function appendCleanup(
  model: Dockerfile,
  run: RunInstr | undefined,
  tool: string,
  args: string,
): TextEdit[] | Skip {
  if (!run) return skip('the RUN could not be found');
  const calls = model.callsIn({ instr: run }).filter((c: Invocation) => c.tool === tool);
  const direct = calls.filter((c) => !c.command.nested && c.toolWord === c.command.name);
  const names = new Set(direct.map((c) => c.toolWord.value));
  if (direct.length === 0 || direct.some((c) => !c.toolWord.literal) || names.size !== 1)
    return skip(
      `${tool} runs only inside a branch, loop, subshell or substitution (or by several names) here; clean up beside it by hand`,
    );
  const [name] = names;
  if (!/^[A-Za-z0-9_./-]+$/.test(name)) return skip(`the command name ${name} needs quoting`);
  return appendCommand(model, run, `${name} ${args}`, name);
}
