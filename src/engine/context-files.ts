import { joinContextPath, requirementsRefs } from '../core/build-context';
import type { Dockerfile } from '../core/model';
import { lockFileCandidates } from '../core/lock-files';
import { npmFileCandidates, NPM_SIDE_FILES } from '../core/node-build';
import { parseRequirements } from '../core/requirements';
import { startupFiles } from '../core/startup';

/** Reads a file of the build context by its context-relative path; undefined when it is not there. */
export interface ContextReader {
  read(contextPath: string): Promise<string | undefined>;
}

/** Most requirement files a Dockerfile may pull in (with `-r` includes), so a cycle or a bomb stops. */
const MAX_FILES = 64;

/** How much of a start-up script or config is read. */
const MAX_SCRIPT = 256 * 1024;

/**
 * Adds the start-up scripts and server configs the image's ENTRYPOINT and CMD name, for whether
 * the image drops privileges itself (read only when the non-root fix is about to run).
 */
export async function loadStartupFiles(
  model: Dockerfile,
  reader: ContextReader,
  files: Map<string, string>,
): Promise<void> {
  for (const p of startupFiles(model).slice(0, 16)) {
    if (files.has(p) || p.includes('$')) continue;
    const text = await reader.read(p);
    if (text !== undefined) files.set(p, text.length > MAX_SCRIPT ? text.slice(0, MAX_SCRIPT) : text);
  }
}

/**
 * Loads the requirements files the Dockerfile installs from, following `-r`/`-c` includes, and the
 * npm files its COPY/ADD bring in.
 */
export async function loadContextFiles(
  model: Dockerfile,
  reader: ContextReader,
): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const queue = requirementsRefs(model).map((r) => r.contextPath);
  // Lock files are only asked about: whether one is there, not what it holds.
  for (const lock of lockFileCandidates(model)) {
    const text = await reader.read(lock);
    if (text !== undefined) files.set(lock, '');
  }
  // npm's lock file and manifest: whether a dependency builds native code or comes from git.
  const npmFiles = npmFileCandidates(model);
  for (const p of npmFiles) {
    const text = await reader.read(p);
    if (text !== undefined) files.set(p, text);
  }
  // Whether the context holds a node_modules a COPY could bring in, and what else changes what npm
  // does at install: an addon of the app's own, npm's settings (see node-split.ts).
  if (npmFiles.length > 0) {
    const dirs = new Set(npmFiles.map((p) => (p.includes('/') ? p.replace(/[^/]+$/, '') : '')));
    const side = [
      '.dockerignore',
      '.npmrc',
      ...[...dirs].flatMap((d) => NPM_SIDE_FILES.map((f) => `${d}${f}`)),
    ];
    for (const p of new Set(side)) {
      const text = await reader.read(p);
      if (text !== undefined) files.set(p, text.slice(0, MAX_SCRIPT));
    }
  }
  while (queue.length > 0 && files.size < MAX_FILES) {
    const path = queue.shift() as string;
    if (files.has(path) || path.includes('$')) continue;
    const text = await reader.read(path);
    if (text === undefined) continue;
    files.set(path, text);
    const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
    for (const inc of parseRequirements(text).includes) {
      if (!/^[a-z]+:\/\//i.test(inc.path)) queue.push(joinContextPath(dir, inc.path));
    }
  }
  return files;
}
