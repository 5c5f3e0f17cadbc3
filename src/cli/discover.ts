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
