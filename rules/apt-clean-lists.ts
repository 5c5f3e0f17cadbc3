import { layerShips } from '../src/core/stage-groups';
import type { RunInstr } from '../src/core/model';
import { hasCacheMount } from '../src/core/run-mounts';
import { defineRule } from '../src/engine/define-rule';
import { mentions } from '../src/core/shell-commands';

/** `rm -rf /var/lib/apt/lists/*` (any recursive rm of the lists directory). */
export function removesAptLists(run: RunInstr): boolean {
  return (run.script?.commands ?? []).some(
    (c) =>
      c.name.value === 'rm' &&
      c.args.some((a) => /^-[a-zA-Z]*[rR]/.test(a.value) || a.value === '--recursive') &&
      c.args.some((a) => a.value.startsWith('/var/lib/apt/lists')),
  );
}

export function runsAptUpdate(run: RunInstr): boolean {
  if (!mentions(run, ['apt'])) return false;
  return (run.script?.commands ?? []).some((c) => {
    const inv = c.call;
    return (
      (inv?.tool === 'apt-get' || inv?.tool === 'apt' || inv?.tool === 'aptitude') &&
      inv.sub?.value === 'update'
    );
  });
}

export const rule = defineRule({
  id: 'apt-clean-lists',
  aliases: ['DL3009'],
  severity: 'info',
  description: 'Delete the apt lists in the RUN that downloads them.',
  docs:
    '`apt-get update` downloads tens of megabytes of package lists; unless the same RUN removes ' +
    '/var/lib/apt/lists/*, they stay in the layer forever. The fix appends `&& rm -rf /var/lib/apt/lists/*` ' +
    'to that RUN. When a later RUN still installs from those lists without an update of its own, ' +
    'removing them would break it: if that RUN stands on the next line, the two are joined into one ' +
    '(`RUN apt-get update \\` + `&& apt-get install …`, the lists removed at its end), provided the ' +
    'first runs nothing but apt and both are one `&&` list without flags. Any other RUN that reads them ' +
    '(behind a blank line, a comment or other instructions, or in a stage built on this one) starts with ' +
    "the same update and removes the lists at its end, as Docker's best practices ask of every install. " +
    'It must fetch lists from the same sources, so the update must be one step of an `&&` list without ' +
    'flags, with no variable set for it, and nothing between may touch /etc/apt, add a key or a ' +
    'repository, install with dpkg, run a script, copy onto / or /etc, or change the USER. Otherwise ' +
    '(also for a RUN that only updates and stands apart, apt run through sudo or in a branch, an ONBUILD ' +
    'trigger that reads them), the fix is skipped with the line that reads them. ' +
    'Stages that are neither final nor built upon are skipped (their layers are not shipped), ' +
    'as are RUNs with a cache or tmpfs mount on the lists directory (or on both /var/lib/apt and ' +
    "/var/cache/apt), as in hadolint. `apt update` and `aptitude update` count as well as apt-get's.",
  messages: { lists: 'this RUN runs apt-get update but leaves /var/lib/apt/lists in the layer.' },
  fix: 'safe',
  check(model, ctx) {
    for (const { stage, instr } of model.runs) {
      if (!layerShips(model, stage, instr)) continue;
      if (!runsAptUpdate(instr) || removesAptLists(instr)) continue;
      if (hasCacheMount(instr, '/var/lib/apt/lists')) continue;
      if (hasCacheMount(instr, '/var/lib/apt') && hasCacheMount(instr, '/var/cache/apt')) continue;
      ctx.report({ messageId: 'lists', range: instr.keywordRange });
    }
  },
});
