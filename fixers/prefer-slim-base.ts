import { invocations, operands } from '../src/core/shell-commands';
import { FULL_IMAGE_TOOLS } from '../src/core/slim';
import { defineFixer, skip } from '../src/engine/define-fixer';
import { retagBase, stageOfFinding } from '../src/engine/base-image-edits';
import { explainFailure } from '../src/resolve/explain';

export const fixer = defineFixer({
  ruleId: 'prefer-slim-base',
  fix(finding, { model, resolutions }) {
    const stage = stageOfFinding(model, finding);
    if (!stage) return skip('the base image could not be found');
    // Offline the variant is written by name; with the network, only a tag the registry lists.
    const listed = finding.needs[0] ? resolutions.get(finding.needs[0]) : undefined;
    if (listed && !listed.ok && listed.reason === 'not-found')
      return skip(`the registry lists no ${finding.data.slim}`);
    if (listed && !listed.ok && listed.reason !== 'offline') return skip(explainFailure(listed));
    const installed = new Set<string>();
    for (const inv of invocations(model, ['apt-get', 'apt', 'apk', 'yum', 'dnf'])) {
      if (inv.stage !== stage) continue;
      if (inv.sub && ['install', 'add'].includes(inv.sub.value)) {
        for (const w of operands(inv)) installed.add(w.value.split(/[=:]/)[0]);
        continue;
      }
    }
    for (const ins of stage.instructions) {
      if (ins.kind !== 'run') continue;
      for (const c of ins.script?.commands ?? []) {
        const tool = c.name.value.replace(/^.*\//, '');
        const packages = FULL_IMAGE_TOOLS.get(tool);
        if (packages && !packages.some((p) => installed.has(p))) {
          return skip(`the stage runs ${tool}, which the slim image does not have`);
        }
      }
    }
    return retagBase(model, finding, finding.data.tag);
  },
});
