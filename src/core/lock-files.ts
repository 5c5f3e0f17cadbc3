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

/** Folders of the build context that COPY/ADD bring in whole (`.`, `app/`, `src`). */
function copiedFolders(model: Dockerfile): string[] {
  const dirs = new Set<string>();
  for (const c of localCopies(model))
    for (const s of c.sources) {
      const v = s.value.replace(/^\.\//, '');
      if (v.includes('$') || /[*?[]/.test(v)) continue;
      if (v === '.' || v === '' || v.endsWith('/') || !/\.[A-Za-z0-9]+$/.test(v))
        dirs.add(v.replace(/\/+$/, '') || '.');
    }
  return [...dirs].slice(0, 16);
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
export function globMatches(glob: string, name: string): boolean {
  const re = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(name);
}
