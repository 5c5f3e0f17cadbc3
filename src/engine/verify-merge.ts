// The meaning check of two RUNs joined into one (a `merge-run` edit): which RUN absorbs which, and
// that the joined RUN runs the two lists in order, stopping where the two RUNs would have.
import type { Dockerfile, Instr, RunInstr } from '../core/model';
import type { ShellParser } from '../core/parse-shell';
import { isShellBuiltin } from '../core/shell-builtins';
import type { Shape } from '../core/shell-shape';
import type { TextEdit } from './define-fixer';
import { bodies, compareShapes, shellEdits } from './verify-shell';

/** The RUNs merge edits join: the first RUN → the RUN on the next line it absorbs. */
export function mergedRuns(
  before: Dockerfile,
  edits: readonly { readonly edit: TextEdit }[],
): Map<Instr, RunInstr> | string {
  const merges = new Map<Instr, RunInstr>();
  for (const { edit } of edits) {
    if (edit.intent?.kind !== 'merge-run') continue;
    const i = before.instructions.findIndex(
      (x) => edit.range.start >= x.range.start && edit.range.start <= x.range.end,
    );
    const [first, next] = [before.instructions[i], before.instructions[i + 1]];
    const at = next?.keywordRange.start ?? -1;
    if (!first || first.kind !== 'run' || next?.kind !== 'run' || first.stage !== next.stage)
      return 'a join of RUNs that are not two RUNs of a stage, one after the other';
    if (at < edit.range.start || at >= edit.range.end || edit.range.end > next.argsRange.end)
      return `the join after line ${first.line + 1} does not take the next RUN's keyword`;
    merges.set(first, next);
  }
  return merges;
}

/** One and-or list whose operators are all `&&`: the script stops at its first failure. */
function stopsAtFailure(shape: Shape): boolean {
  const kids = shape.k === 'node' && shape.type === 'program' ? shape.kids : [shape];
  if (kids.length !== 1) return false;
  const [list] = kids;
  return list.k !== 'list' || list.ops.every((op) => op === '&&');
}

/**
 * Whether a script may change the shell's own state for what follows it: anything but simple
 * commands in lists and pipelines (a declaration, an assignment, a compound command), or a simple
 * command that is a builtin (cd, set, `.`) or sets a variable.
 */
function changesShell(shape: Shape): boolean {
  if (shape.k === 'cmd') return isShellBuiltin(shape.words[0] ?? '') || shape.assigns.length > 0;
  if (shape.k === 'list') return shape.items.some(changesShell);
  if (shape.k === 'node')
    return (
      !['program', 'pipeline', 'redirected_statement'].includes(shape.type) || shape.kids.some(changesShell)
    );
  return false;
}

/**
 * `first` and `next` joined into `a`: both shell-form RUNs without flags or heredocs, each one list
 * that stops at its first failure, the first changing nothing of the shell the second would inherit;
 * `a` runs the first list, then the second, as one `&&` list, with what the other edits declare.
 */
export function compareMerged(
  before: Dockerfile,
  after: Dockerfile,
  first: RunInstr,
  next: RunInstr,
  a: Instr,
  edits: readonly TextEdit[],
  shell: ShellParser,
): string | undefined {
  if (a.kind !== 'run') return 'the joined RUN is no longer a RUN';
  const runs = [first, next, a];
  if (runs.some((r) => r.form !== 'shell' || r.flags.length > 0 || r.script?.heredoc))
    return 'a join of RUNs in exec form, with flags or with heredocs';
  const [bodyFirst, bodyNext] = [bodies(before, first), bodies(before, next)];
  if (bodyFirst.length !== 1 || bodyNext.length !== 1) return 'a join of RUNs with heredocs';
  const [shapeFirst, shapeNext] = [shell.shape(bodyFirst[0]), shell.shape(bodyNext[0])];
  if (!stopsAtFailure(shapeFirst) || !stopsAtFailure(shapeNext))
    return 'a join of RUNs whose lists go on after a failure (||, ;, &)';
  if (changesShell(shapeFirst)) return 'a join after a RUN that changes the shell the next one would inherit';
  // On two lines: a comment ending the first list cannot reach the second.
  const joined = shell.shape(`${bodyFirst[0]} &&\n${bodyNext[0]}`);
  const [now] = bodies(after, a);
  const reason = compareShapes(joined, shell.shape(now), shellEdits(edits));
  return reason && `the joined RUN differs from the two it joins: ${reason}`;
}
