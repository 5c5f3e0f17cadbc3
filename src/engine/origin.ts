import type { TextEdit } from './define-fixer';

/**
 * Maps an offset in a text rewritten over several passes back to the text it started as, so
 * reports name places in the file the user has, not in an intermediate pass's text.
 */
export class OriginMap {
  /** Each pass's edits, sorted by start, in the coordinates of the text that pass edited. */
  private readonly passes: (readonly TextEdit[])[] = [];

  /** Records one pass's applied edits (non-overlapping, as applyEdits takes them). */
  push(edits: readonly TextEdit[]): void {
    if (edits.length > 0) this.passes.push([...edits].sort((a, b) => a.range.start - b.range.start));
  }

  /**
   * The original offset of `offset` in the latest text; inside inserted text, where it was inserted
   * (or, in a copy of moved text, where that text was).
   */
  toOriginal(offset: number): number {
    let at = offset;
    for (let p = this.passes.length - 1; p >= 0; p--) at = before(this.passes[p], at);
    return at;
  }
}

/** One pass back: the offset in the text before `edits` of an offset in the text after them. */
function before(edits: readonly TextEdit[], offset: number): number {
  let delta = 0;
  for (const e of edits) {
    const start = e.range.start + delta;
    if (offset < start) break;
    if (offset < start + e.text.length) {
      const copy = e.copies?.find((c) => offset >= start + c.at && offset < start + c.at + c.length);
      return copy ? copy.from + (offset - start - copy.at) : e.range.start;
    }
    delta += e.text.length - (e.range.end - e.range.start);
  }
  return offset - delta;
}
