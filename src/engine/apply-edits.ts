import type { TextEdit } from './define-fixer';

/** The edits of one finding: applied together or not at all. */
export interface EditGroup<T = unknown> {
  readonly edits: readonly TextEdit[];
  readonly tag: T;
}

export interface Applied<T> {
  readonly text: string;
  readonly applied: readonly EditGroup<T>[];
  /** Groups that overlapped an earlier one: they wait for the next pass. */
  readonly deferred: readonly EditGroup<T>[];
  /** Every edit made, in text order, with the offset in the new text where its text starts. */
  readonly placed: readonly { readonly edit: TextEdit; readonly at: number }[];
}

function overlaps(a: TextEdit, b: TextEdit): boolean {
  if (a.range.start === a.range.end && b.range.start === b.range.end) return false;
  return a.range.start < b.range.end && b.range.start < a.range.end;
}

function touches(a: TextEdit, b: TextEdit): boolean {
  // An insertion inside (not at the edge of) a replaced range conflicts with it.
  if (overlaps(a, b)) return true;
  const [ins, rep] = a.range.start === a.range.end ? [a, b] : [b, a];
  return (
    ins.range.start === ins.range.end && rep.range.start < ins.range.start && ins.range.start < rep.range.end
  );
}

/** Applies groups in order; a group that overlaps one already taken is deferred. */
export function applyEdits<T>(text: string, groups: readonly EditGroup<T>[]): Applied<T> {
  const taken: TextEdit[] = [];
  const applied: EditGroup<T>[] = [];
  const deferred: EditGroup<T>[] = [];
  for (const group of groups) {
    const clash = group.edits.some(
      (e, i) => taken.some((t) => touches(e, t)) || group.edits.some((o, j) => j !== i && overlaps(e, o)),
    );
    if (clash || group.edits.length === 0) {
      if (clash) deferred.push(group);
      continue;
    }
    taken.push(...group.edits);
    applied.push(group);
  }
  // Stable sort: insertions at one offset keep the order of their groups, but lines inserted before an
  // instruction come first, a command appended after a statement goes after a version appended to the
  // statement's last word, and lines inserted after an instruction come last (then a builder stage).
  // A replacement that starts where text is inserted comes after the insertions.
  const last = (e: TextEdit) => {
    const intent = e.intent;
    if (e.range.end > e.range.start) return 4;
    if (intent?.kind === 'lines' && intent.count > 0) return intent.after ? 3 : -1;
    // A builder stage goes in front of its stage, after what the stage before it gained at its end.
    if (intent?.kind === 'builder') return 3.5;
    return intent?.kind === 'append' ? 2 : 0;
  };
  const order = taken
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.range.start - b.e.range.start || last(a.e) - last(b.e) || a.i - b.i);
  let out = '';
  let pos = 0;
  const placed: { edit: TextEdit; at: number }[] = [];
  for (const { e } of order) {
    out += text.slice(pos, e.range.start);
    placed.push({ edit: e, at: out.length });
    out += e.text;
    pos = Math.max(pos, e.range.end);
  }
  out += text.slice(pos);
  return { text: out, applied, deferred, placed };
}
