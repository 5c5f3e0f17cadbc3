// Which fixes break the image: bisection over the fixes, grouped by rule, like git bisect over
// commits; each step is one build and run, bounded by the number of builds allowed.
import type { Verdict } from './decide';

export interface SearchResult {
  /** The rules whose fixes are kept: the rewrite with them is proven. */
  readonly kept: readonly string[];
  /** Rules dropped, each with the evidence of the first try that failed with it. */
  readonly dropped: readonly { readonly rule: string; readonly evidence: string }[];
  /** No proven subset was found within the builds allowed. */
  readonly exhausted: boolean;
}

/**
 * `rules` failed together (with `firstFailure`). Finds, one at a time, the first rule whose fixes
 * break the image when added to those before it (binary search on the prefix: log2(n) tries each),
 * drops it, and tries what is left, until a try proves. `attempt(kept)` builds and runs the rewrite
 * with only those rules' fixes (a rewrite tried before is not built again), or answers undefined
 * when no build is left.
 */
export async function findBreaking(
  rules: readonly string[],
  firstFailure: Verdict,
  attempt: (kept: readonly string[]) => Promise<Verdict | undefined>,
): Promise<SearchResult> {
  let rest = [...rules];
  const dropped: { rule: string; evidence: string }[] = [];
  let failure = firstFailure;
  for (;;) {
    // Invariant: keeping all of `rest` fails (with `failure`); keeping none of it is the original.
    let lo = 0; // rest.slice(0, lo) proves
    let hi = rest.length; // rest.slice(0, hi) fails
    let evidence = failure.evidence ?? '';
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      const v = await attempt(rest.slice(0, mid));
      if (!v) return { kept: [], dropped, exhausted: true };
      if (v.proven) lo = mid;
      else {
        hi = mid;
        evidence = v.evidence ?? evidence;
      }
    }
    const culprit = rest[hi - 1];
    dropped.push({ rule: culprit, evidence });
    rest = rest.filter((r) => r !== culprit);
    if (rest.length === 0) return { kept: [], dropped, exhausted: false };
    const v = await attempt(rest);
    if (!v) return { kept: [], dropped, exhausted: true };
    if (v.proven) return { kept: rest, dropped, exhausted: false };
    failure = v;
  }
}
