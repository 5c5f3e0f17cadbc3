import * as path from 'node:path';
import { compareText } from '../core/source';
import type { FileSystem } from '../effects/fs';

const SKIP_DIRS = new Set([
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  'vendor',
  'dist',
  '.venv',
  'venv',
  '__pycache__',
]);

const REPO_SLUG = /^[A-Za-z0-9][\w.-]*\/[\w.-]+(@[\w./-]+)?$/;

/**
 * Whether a command-line argument names a GitHub repository (`owner/repo`) rather than a local path:
 * it has that shape, nothing of its name exists here (neither the path nor its first folder), and it
 * does not end in a Dockerfile-like name, so a mistyped `app/Dockerfile` is a missing file, not a
 * repository called `app/Dockerfile`.
 */
export function isRepositorySlug(arg: string, exists: (p: string) => boolean): boolean {
  if (/^https?:\/\//.test(arg)) return true;
  if (!REPO_SLUG.test(arg)) return false;
  const [owner, rest] = arg.split('/');
  const name = rest.split('@')[0];
  return !isDockerfileName(name) && !exists(arg) && !exists(owner);
}

/** `Dockerfile`, `Dockerfile.*`, `*.dockerfile`, `Containerfile`, `Containerfile.*`. */
export function isDockerfileName(name: string): boolean {
  if (NOT_DOCKERFILES.test(name)) return false;
  return (
    /^(Dockerfile|Containerfile)(\..+)?$/.test(name) || /\.(dockerfile|Dockerfile|containerfile)$/.test(name)
  );
}

/** `Dockerfile.*` siblings that are not Dockerfiles: patches, backups, docs, ignore files. */
const NOT_DOCKERFILES = /\.(diff|patch|orig|rej|bak|swp|md|txt|json|ya?ml|sh|dockerignore)$|~$/;

/** Expands directories into the Dockerfiles below them; files are taken as given. Sorted, no duplicates. */
export async function discover(
  fs: FileSystem,
  inputs: readonly string[],
): Promise<{ files: string[]; missing: string[] }> {
  const files = new Set<string>();
  const missing: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await fs.readDir(dir);
    } catch {
      missing.push(dir);
      return;
    }
    entries.sort((a, b) => compareText(a.name, b.name));
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory && !SKIP_DIRS.has(e.name)) await walk(p);
      else if (e.isFile && isDockerfileName(e.name)) files.add(p);
    }
  };
  for (const input of inputs) {
    if (input === '-') files.add('-');
    else if (await fs.isDirectory(input)) await walk(input);
    else if (await fs.exists(input)) files.add(input);
    else missing.push(input);
  }
  return { files: [...files], missing };
}
