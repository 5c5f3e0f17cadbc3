import type { HardenResult } from '../../src/engine/harden';

/**
 * The fixable findings of one fixed file (its own, not its context files') that end in no outcome
 * (`lost`), or both fixed and skipped (`twice`), each as `id:line rule`. Every finding counts: two
 * findings of a rule on one line want two outcomes.
 */
export function outcomeGaps(
  id: string,
  r: HardenResult,
  fixable: (ruleId: string) => boolean,
): { lost: string[]; twice: string[] } {
  const key = (rule: string, line: number) => `${id}:${line} ${rule}`;
  const count = (list: readonly { ruleId: string; line: number; file?: string }[]) => {
    const m = new Map<string, number>();
    for (const a of list) if (!a.file) m.set(key(a.ruleId, a.line), (m.get(key(a.ruleId, a.line)) ?? 0) + 1);
    return m;
  };
  const [applied, skipped, dropped] = [count(r.applied), count(r.skipped), count(r.dropped)];
  const wanted = count(
    r.findings
      .filter((f) => fixable(f.ruleId) && !f.file)
      .map((f) => ({ ruleId: f.ruleId, line: r.model.lines.positionAt(f.range.start).line })),
  );
  const lost: string[] = [];
  const twice: string[] = [];
  for (const [k, n] of wanted) {
    const got = (applied.get(k) ?? 0) + (skipped.get(k) ?? 0) + (dropped.get(k) ?? 0);
    if (got < n) lost.push(k);
    if ((applied.get(k) ?? 0) > 0 && (skipped.get(k) ?? 0) >= n) twice.push(k);
  }
  return { lost, twice };
}
