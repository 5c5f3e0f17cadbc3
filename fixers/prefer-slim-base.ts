import { invocations, operands } from '../src/core/shell-commands';
import { FULL_IMAGE_TOOLS } from '../src/core/slim';
import { defineFixer, skip } from '../src/engine/define-fixer';
import { retagBase, stageOfFinding, stagesUsingArg } from '../src/engine/base-image-edits';
import { explainFailure } from '../src/resolve/explain';

export const fixer = defineFixer({
  ruleId: 'prefer-slim-base',
  fix(finding, { model, resolutions }) {
    // The rule reports the final stage; an ARG default may be shared with a builder's FROM.
    const stage = stageOfFinding(model, finding, (s) => s.isFinal);
    if (!stage) return skip('the base image could not be found');
    const arg = stage.from.image.template?.arg ?? stage.from.image.viaArg;
    const shared = arg ? stagesUsingArg(model, arg).find((s) => s !== stage) : undefined;
    if (arg && shared)
      return skip(
        `ARG ${arg} also sets the base image of stage ${shared.name ?? shared.index}, which keeps its full image`,
      );
    // Offline the variant is written by name; with the network, only a tag the registry lists.
    const listed = finding.needs[0] ? resolutions.get(finding.needs[0]) : undefined;
    if (listed && !listed.ok && listed.reason === 'not-found')
      return skip(`the registry lists no ${finding.data.slim}`);
    if (listed && !listed.ok && listed.reason !== 'offline') return skip(explainFailure(listed));
    // pip must not have to build anything: the slim image has no compiler and no git.
    const keep = 'keep the full base, or build in a separate stage';
    if (finding.data.vcs)
      return skip(
        finding.data.vcs.startsWith('a package from another index')
          ? `pip installs ${finding.data.vcs}, whose wheels the index was not asked about; ${keep}`
          : `pip installs ${finding.data.vcs}, which needs git; ${keep}`,
      );
    for (const need of finding.needs.slice(1)) {
      const wheel = resolutions.get(need);
      if (wheel.ok && wheel.value.startsWith('sdist'))
        return skip(
          `${need.params.name} ${wheel.value.slice(6)} has no wheel for this Python and platform: pip would compile it; ${keep}`,
        );
      if (!wheel.ok && wheel.reason !== 'offline' && wheel.reason !== 'not-found')
        return skip(
          `whether ${need.params.name} installs without a compiler is not known (${explainFailure(wheel)})`,
        );
    }
    const offline = finding.needs.slice(1).every((n) => {
      const r = resolutions.get(n);
      return !r.ok && r.reason === 'offline';
    });
    if (finding.data.sourceOnly && offline)
      return skip(`${finding.data.sourceOnly} is built from source on Linux: pip would compile it; ${keep}`);
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
    // What the container runs (CMD, ENTRYPOINT, HEALTHCHECK) needs its tools too.
    for (const ins of stage.instructions) {
      const keyword = ins.keyword.toUpperCase();
      if (!['CMD', 'ENTRYPOINT', 'HEALTHCHECK'].includes(keyword)) continue;
      const text = model.source.text.slice(ins.argsRange.start, ins.argsRange.end);
      for (const [tool, packages] of FULL_IMAGE_TOOLS) {
        const runs = new RegExp(`(^|[\\s"'/;&|(])${tool.replace(/[+]/g, '\\+')}([\\s"';&|)]|$)`).test(text);
        if (runs && !packages.some((p) => installed.has(p)))
          return skip(`the ${keyword} runs ${tool}, which the slim image does not have`);
      }
    }
    return retagBase(model, finding, finding.data.tag);
  },
});
