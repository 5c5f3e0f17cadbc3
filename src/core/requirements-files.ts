import { joinContextPath, requirementsRefs, type RequirementsRef } from './build-context';
import type { Dockerfile } from './model';
import { parseRequirements, type RequirementLine, type RequirementsFile } from './requirements';

/** Reads files of the build context that were loaded before the rules ran. */
export interface ContextText {
  read(contextPath: string): string | undefined;
}

export interface InstalledRequirements {
  readonly file: string;
  readonly parsed: RequirementsFile;
  /** The `pip install -r` the file is installed by (directly or through includes). */
  readonly ref: RequirementsRef;
}

/**
 * The requirements files `pip install -r` installs, each once, following `-r` includes (and `-c`
 * constraint files when asked for), relative to the including file.
 */
export function* installedRequirements(
  model: Dockerfile,
  files: ContextText,
  withConstraints = false,
): Generator<InstalledRequirements> {
  const seen = new Set<string>();
  for (const ref of requirementsRefs(model)) {
    const queue = [ref.contextPath];
    while (queue.length > 0) {
      const file = queue.shift() as string;
      if (seen.has(file)) continue;
      seen.add(file);
      const text = files.read(file);
      if (text === undefined) continue;
      const parsed = parseRequirements(text);
      const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
      for (const inc of parsed.includes) {
        if (withConstraints || !inc.constraint) queue.push(joinContextPath(dir, inc.path));
      }
      yield { file, parsed, ref };
    }
  }
}

/** The requirement a finding in a requirements file points at, with the file's text. */
export function requirementAt(
  files: ContextText,
  file: string | undefined,
  offset: number,
): { readonly file: string; readonly text: string; readonly req: RequirementLine } | undefined {
  const text = file === undefined ? undefined : files.read(file);
  if (file === undefined || text === undefined) return undefined;
  const req = parseRequirements(text).requirements.find((r) => r.nameRange.start === offset);
  return req ? { file, text, req } : undefined;
}
