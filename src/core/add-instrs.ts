import type { CopyInstr, Dockerfile } from './model';

/** URLs ADD downloads (http, https, git). */
export const isUrl = (value: string): boolean => /^(https?|git|ssh):\/\//i.test(value) || /^git@/.test(value);

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
