import type { Dockerfile } from './model';
import { invocations, type Invocation } from './shell-commands';

/**
 * `pip install`, `pipx install` and `uv pip install` (and `uv pip sync`, when `withSync`), read
 * alike: for uv, the invocation's subcommand is the word after `pip`. In document order.
 */
export function pipInstalls(model: Dockerfile, withSync = false): Invocation[] {
  const out = invocations(model, ['pip', 'pipx'], ['install']);
  // `uv` is a common substring: only RUNs whose text says `uv … pip` are parsed for it.
  const uvRuns = model.runs.filter((r) => /(?:^|[\s;&|/])uv\s(?:.*\s)?pip\s/.test(r.instr.plainText));
  if (uvRuns.length === 0) return out;
  for (const run of uvRuns) {
    for (const inv of model.callsIn(run)) {
      if (inv.tool !== 'uv' || inv.sub?.value !== 'pip') continue;
      const rest = inv.args.slice(inv.subIndex + 1);
      const k = rest.findIndex((w) => !w.value.startsWith('-'));
      const sub = rest[k]?.value;
      if (sub !== 'install' && !(withSync && sub === 'sync')) continue;
      out.push({ ...inv, sub: rest[k], subIndex: inv.subIndex + 1 + k });
    }
  }
  return out.sort((a, b) => a.command.range.start - b.command.range.start);
}
