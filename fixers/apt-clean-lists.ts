import type { Dockerfile, RunInstr, Stage } from '../src/core/model';
import { appendCommand, runOfFinding } from '../src/engine/append-command';
import { defineFixer, skip } from '../src/engine/define-fixer';

const APT = ['apt-get', 'apt', 'aptitude'];
/** What reads the package lists an earlier `update` left. */
const READS_LISTS = new Set([
  'install',
  'upgrade',
  'dist-upgrade',
  'full-upgrade',
  'build-dep',
  'source',
  'download',
]);

/**
 * A later RUN of the same stage, or of a stage built on it, that installs with apt without an
 * update of its own: it reads the lists `run` leaves, and removing them would make it fail.
 */
export function laterReader(model: Dockerfile, run: RunInstr): RunInstr | undefined {
  const stage = model.runs.find((r) => r.instr === run)?.stage;
  const family = new Set<Stage | undefined>([stage]);
  for (const s of model.stages)
    if (s.index > (stage?.index ?? -1) && [...family].some((f) => f?.name && f.name === s.from.image.text))
      family.add(s);
  let after = false;
  for (const r of model.runs) {
    if (r.instr === run) {
      after = true;
      continue;
    }
    if (!after || !family.has(r.stage)) continue;
    const apt = model.callsIn(r).filter((c) => APT.includes(c.tool) && c.sub !== undefined);
    // A RUN that updates reads its own lists, and so do the RUNs after it.
    if (apt.some((c) => c.sub?.value === 'update')) return undefined;
    if (apt.some((c) => READS_LISTS.has(c.sub?.value ?? ''))) return r.instr;
  }
  return undefined;
}

export const fixer = defineFixer({
  ruleId: 'apt-clean-lists',
  fix(finding, { model }) {
    const run = runOfFinding(model, finding);
    const reader = run && laterReader(model, run);
    if (reader)
      return skip(
        `the RUN on line ${reader.line + 1} installs with apt without an update of its own: it reads the lists this RUN leaves`,
      );
    return appendCommand(model, run, 'rm -rf /var/lib/apt/lists/*');
  },
});
