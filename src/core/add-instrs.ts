import type { CopyInstr, Dockerfile } from './model';

/** URLs ADD downloads (http, https, git). */
export const isUrl = (value: string): boolean => /^(https?|git|ssh):\/\//i.test(value) || /^git@/.test(value);

/** Files ADD unpacks (local tar archives, compressed or not), by name. */
const ARCHIVE = /\.(tar|tar\.\w+|tgz|tbz2?|txz|gz|bz2|xz|zst|lz|lzma|Z)$/i;

/**
 * An ADD that only copies local files and folders, as COPY would: no URL, no archive it would
 * unpack, no variable that could be either, and no flag COPY lacks.
 */
export function addOnlyCopies(add: CopyInstr): boolean {
  if (add.sources.length === 0) return false;
  if (add.sources.some((s) => isUrl(s.value) || ARCHIVE.test(s.value) || s.value.includes('$'))) return false;
  return !add.flags.some((f) => f.name === 'checksum' || f.name === 'keep-git-dir' || f.name === 'unpack');
}

/** COPY instructions from the build context (no `--from`), ONBUILD triggers left out, in order. */
export function localCopies(model: Dockerfile): CopyInstr[] {
  const out: CopyInstr[] = [];
  for (const ins of model.instructions)
    if (ins.kind === 'copy' && !ins.flags.some((f) => f.name === 'from')) out.push(ins);
  return out;
}

/** ADD instructions, ONBUILD triggers included. */
export function addInstrs(model: Dockerfile): CopyInstr[] {
  const out: CopyInstr[] = [];
  for (const ins of model.instructions) {
    if (ins.kind === 'add') out.push(ins);
    if (ins.kind === 'onbuild' && ins.trigger?.kind === 'add') out.push(ins.trigger);
  }
  return out;
}
