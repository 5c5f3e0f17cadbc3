import { structuredPatch } from 'diff';

/** A review comment that replaces lines `startLine..line` (1-based, in the reviewed file) with `text`. */
export interface Suggestion {
  readonly path: string;
  readonly startLine: number;
  readonly line: number;
  /** The replacement lines, without line endings. */
  readonly lines: readonly string[];
}

/** The right-side line numbers a unified patch of a pull request shows (added and context lines). */
export function commentableLines(patch: string | undefined): Set<number> {
  const lines = new Set<number>();
  if (!patch) return lines;
  let right = 0;
  for (const line of patch.split('\n')) {
    const h = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
    if (h) {
      right = Number(h[1]);
      continue;
    }
    if (right === 0 || line.startsWith('-') || line.startsWith('\\')) continue;
    lines.add(right++);
  }
  return lines;
}

const split = (text: string) => text.replace(/\r\n?/g, '\n').split('\n');

/**
 * The edits from `before` to `after` as suggestions on whole lines: accepting every one in GitHub's
 * interface turns `before` into `after`. An insertion is anchored on the line above it (the first
 * line when it comes first). Only suggestions on lines the pull request shows are kept.
 */
export function suggestionsFor(
  path: string,
  before: string,
  after: string,
  shown: ReadonlySet<number>,
): Suggestion[] {
  const old = split(before);
  const patch = structuredPatch(
    path,
    path,
    before.replace(/\r\n?/g, '\n'),
    after.replace(/\r\n?/g, '\n'),
    '',
    '',
    {
      context: 0,
    },
  );
  const out: Suggestion[] = [];
  for (const h of patch.hunks) {
    const added = h.lines.filter((l) => l.startsWith('+')).map((l) => l.slice(1));
    let start: number;
    let end: number;
    let lines: string[];
    if (h.oldLines > 0) {
      start = h.oldStart;
      end = h.oldStart + h.oldLines - 1;
      lines = added;
    } else if (h.oldStart - 1 >= 1) {
      // jsdiff places an insertion before line oldStart: anchor it on the line above, then the new ones.
      start = end = h.oldStart - 1;
      lines = [old[start - 1], ...added];
    } else {
      start = end = 1;
      lines = [...added, old[0]];
    }
    let all = true;
    for (let n = start; n <= end; n++) if (!shown.has(n)) all = false;
    if (all) out.push({ path, startLine: start, line: end, lines });
  }
  return out;
}

/** Applies suggestions to a text as GitHub does when each is accepted (bottom-up, whole lines). */
export function applySuggestions(text: string, suggestions: readonly Suggestion[]): string {
  const lines = split(text);
  for (const s of [...suggestions].sort((a, b) => b.startLine - a.startLine))
    lines.splice(s.startLine - 1, s.line - s.startLine + 1, ...s.lines);
  return lines.join('\n');
}
