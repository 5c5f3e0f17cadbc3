import { formatPatch, structuredPatch } from 'diff';

/** Lines of context around each change, as git and `diff -u` print them. */
const CONTEXT = 3;

/** The lines of `text`, each with its line break (the last may have none). */
function linesOf(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/**
 * A unified diff of one file that `git apply` and `patch -p1` accept; empty when nothing changed.
 * The lines both texts share at their start and end, but for the context kept around the first and
 * last change, are left out before diffing: a rewrite touches a few lines of a long file, and the
 * hunks come out the same.
 */
export function unifiedDiff(path: string, before: string, after: string): string {
  if (before === after) return '';
  const rel = path.replace(/\\/g, '/').replace(/^\.\//, '').replace(/^\/+/, '');
  const a = linesOf(before);
  const b = linesOf(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  )
    tail++;
  const cut = Math.max(0, head - CONTEXT);
  const keepTail = Math.max(0, tail - CONTEXT);
  const patch = structuredPatch(
    `a/${rel}`,
    `b/${rel}`,
    a.slice(cut, a.length - keepTail).join(''),
    b.slice(cut, b.length - keepTail).join(''),
    undefined,
    undefined,
    { context: CONTEXT },
  );
  for (const hunk of patch.hunks) {
    hunk.oldStart += cut;
    hunk.newStart += cut;
  }
  // jsdiff starts with a row of `=`; git's own diffs do not.
  return formatPatch(patch).replace(/^=+\n/, '');
}
