import type { CopyInstr, Dockerfile } from './model';

/** URLs ADD downloads (http, https, git). */
export const isUrl = (value: string): boolean => /^(https?|git|ssh):\/\//i.test(value) || /^git@/.test(value);

/** ADD instructions, ONBUILD triggers included. */
export function addInstrs(model: Dockerfile): CopyInstr[] {
  const out: CopyInstr[] = [];
  for (const ins of model.instructions) {
    if (ins.kind === 'add') out.push(ins);
    if (ins.kind === 'onbuild' && ins.trigger?.kind === 'add') out.push(ins.trigger);
  }
  return out;
}
