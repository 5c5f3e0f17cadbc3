import { localCopies } from './add-instrs';
import { joinContextPath } from './build-context';
import type { Dockerfile } from './model';

/** The lock file each Python installer reads. */
export const LOCK_FILES = { uv: 'uv.lock', poetry: 'poetry.lock', pipenv: 'Pipfile.lock' } as const;
export type LockTool = keyof typeof LOCK_FILES;

const MENTIONS = /(?:^|[\s;&|/])(?:uv|poetry|pipenv)\s/;

/** Whether any RUN can call uv, poetry or pipenv (told from the plain text, without parsing). */
export function mentionsLockTools(model: Dockerfile): boolean {
  return model.runs.some((r) => MENTIONS.test(r.instr.plainText));
}

/** The folder of the build context a COPY source brings in whole (`.`, `app/`, `src`), if it names one. */
function folderOf(source: string): string | undefined {
  if (source.includes('$') || /[*?[]/.test(source)) return undefined;
  if (source === '.' || source === '' || source.endsWith('/') || !/\.[A-Za-z0-9]+$/.test(source))
    return source.replace(/\/+$/, '') || '.';
  return undefined;
}

/** Folders of the build context that COPY/ADD bring in whole (`.`, `app/`, `src`). */
function copiedFolders(model: Dockerfile): string[] {
  const dirs = new Set<string>();
  for (const c of localCopies(model))
    for (const s of c.sources) {
      const dir = folderOf(s.value.replace(/^\.\//, ''));
      if (dir !== undefined) dirs.add(dir);
    }
  return [...dirs].slice(0, 16);
}

/**
 * Context paths of the files `names` that COPY brings in (into the `stages` given, or any; by the
 * COPYs before the offset `before`, or all): named by a source, matched by its glob, or inside a
 * folder it copies whole.
 */
export function copiedFiles(
  model: Dockerfile,
  names: readonly string[],
  stages?: ReadonlySet<number>,
  before = Infinity,
): string[] {
  const out = new Set<string>();
  const at = (dir: string, name: string) => (dir === '' || dir === '.' ? name : joinContextPath(dir, name));
  for (const c of localCopies(model)) {
    if ((stages && !stages.has(c.stage)) || c.range.start >= before) continue;
    for (const s of c.sources) {
      const v = s.value.replace(/^\.\//, '');
      if (v.includes('$')) continue;
      const slash = v.lastIndexOf('/');
      const [dir, base] = slash >= 0 ? [v.slice(0, slash), v.slice(slash + 1)] : ['', v];
      const named = names.filter((n) => (/[*?[]/.test(base) ? globMatches(base, n) : n === base));
      const folder = named.length === 0 ? folderOf(v) : undefined;
      for (const n of folder !== undefined ? names : named) out.add(at(folder ?? dir, n));
    }
  }
  return [...out];
}

/** Context paths worth reading to learn whether a lock file is copied in. */
export function lockFileCandidates(model: Dockerfile): string[] {
  if (!mentionsLockTools(model)) return [];
  return copiedFolders(model).flatMap((d) =>
    Object.values(LOCK_FILES).map((f) => (d === '.' ? f : joinContextPath(d, f))),
  );
}

/**
 * Whether the image gets `tool`'s lock file: a COPY/ADD names it (or a glob that matches it), or copies a
 * folder of the build context that holds it. `read` answers for the files loaded beforehand.
 */
export function lockCopiedIn(
  model: Dockerfile,
  tool: LockTool,
  read: (contextPath: string) => string | undefined,
): boolean {
  const name = LOCK_FILES[tool];
  for (const c of localCopies(model))
    for (const s of c.sources) {
      const base = s.value.replace(/^.*\//, '');
      if (base === name) return true;
      if (/[*?]/.test(base) && globMatches(base, name)) return true;
    }
  return copiedFolders(model).some((d) => read(d === '.' ? name : joinContextPath(d, name)) !== undefined);
}

/** Whether a COPY source's glob (`*`, `?`; a bracket is read as itself) matches a file name. */
function globMatches(glob: string, name: string): boolean {
  const re = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(name);
}
