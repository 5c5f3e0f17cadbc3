import type { RunInstr } from './model';

/** Targets of `RUN --mount=type=cache,target=…` and `type=tmpfs` flags: what the layer never keeps. */
export function cacheMountTargets(run: RunInstr): string[] {
  const targets: string[] = [];
  for (const f of run.flags) {
    if (f.name !== 'mount' || !f.value) continue;
    const opts = new Map(
      f.value.split(',').map((kv) => {
        const eq = kv.indexOf('=');
        return eq < 0 ? [kv, ''] : [kv.slice(0, eq), kv.slice(eq + 1)];
      }),
    );
    if (opts.get('type') !== 'cache' && opts.get('type') !== 'tmpfs') continue;
    const target = opts.get('target') ?? opts.get('dst') ?? opts.get('destination');
    if (target) targets.push(target);
  }
  return targets;
}

export function hasCacheMount(run: RunInstr, dir: string): boolean {
  return cacheMountTargets(run).some((t) => t.startsWith(dir));
}
