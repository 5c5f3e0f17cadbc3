import { createTwoFilesPatch } from 'diff';

/** A unified diff of one file that `git apply` and `patch -p1` accept; empty when nothing changed. */
export function unifiedDiff(path: string, before: string, after: string): string {
  if (before === after) return '';
  const rel = path.replace(/\\/g, '/').replace(/^\.\//, '').replace(/^\/+/, '');
  const patch = createTwoFilesPatch(`a/${rel}`, `b/${rel}`, before, after, undefined, undefined, {
    context: 3,
  });
  // jsdiff starts with a row of `=`; git's own diffs do not.
  return patch.replace(/^=+\n/, '');
}
