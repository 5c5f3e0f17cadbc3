import { invocations, operands } from '../src/core/shell-commands';
import { isBuildOnlyPackage } from '../src/core/runtime-libraries';
import { missingSlimTool } from '../src/core/slim';
import { nodeBuildNeed } from '../src/core/node-build';
import { isOfficialImage } from '../src/core/image-ref';
import { stageChain } from '../src/core/users';
import { defineFixer, skip, type Skip } from '../src/engine/define-fixer';
import type { Finding } from '../src/engine/define-rule';
import { repinBase, retagBase, stageOfFinding, stagesUsingArg } from '../src/engine/base-image-edits';
import { splitBuild } from '../src/engine/slim-split';
import { splitNodeBuild } from '../src/engine/node-split';
import type { Dockerfile, Stage } from '../src/core/model';
import type { Resolutions } from '../src/resolve/types';
import { explainFailure } from '../src/resolve/explain';

export const fixer = defineFixer({
  ruleId: 'prefer-slim-base',
  fix(finding, { model, resolutions, files }) {
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
    // npm builds native code, or fetches from git, with what the slim node image lacks.
    const root = stageChain(model, stage)[0].from.image.ref;
    const npm =
      root && isOfficialImage(root) && root.name === 'node'
        ? nodeBuildNeed(model, stage, (p) => files.read(p))
        : undefined;
    // A base pinned by digest keeps a pin: the slim tag's own digest, which only the registry knows.
    const pinned = stage.from.image.ref?.digest !== undefined;
    if (npm) {
      // npm has to build what the slim image cannot: the install moves to a stage on the full image.
      const split = pinned
        ? { why: 'a builder split of a base pinned by digest is not made' }
        : splitNodeBuild(model, finding, stage, finding.data.tag, npm, files);
      if (!('why' in split)) return split;
      return skip(
        `${npm.why}, and the install cannot move to a builder stage: ${split.why}; keep the full base`,
      );
    }
    if (pinned && !listed?.ok)
      return skip(
        'the base is pinned by digest, and the slim variant is pinned by its own digest, looked up with the network on',
      );
    const need = buildNeed(model, stage, finding, resolutions);
    if ('skipped' in need) return need;
    // pip has to build what the slim image cannot: the build moves to a stage on the full image.
    if (need.why) {
      if (pinned)
        return skip(
          `${need.why}; a builder split of a base pinned by digest is not made: keep the full base`,
        );
      const split = splitBuild(model, finding, stage, finding.data.tag, need.built, files);
      if (!('why' in split)) return split;
      if (!need.onlyApt)
        return skip(
          `${need.why}, and the install cannot move to a builder stage: ${split.why}; keep the full base`,
        );
    }
    const missing = missingSlimTool(model, stage);
    if (missing) return skip(`${missing.where} runs ${missing.tool}, which the slim image does not have`);
    if (pinned && listed?.ok) return repinBase(model, finding, finding.data.tag, listed.value);
    return retagBase(model, finding, finding.data.tag);
  },
});

interface BuildNeed {
  /** What the stage's install needs that the slim image lacks; none when pip builds nothing. */
  readonly why?: string;
  /** The pip packages it builds from source, by name. */
  readonly built: readonly string[];
  /** The stage installs its own build packages with apt: on the slim image too, it builds. */
  readonly onlyApt?: boolean;
}

/**
 * What pip has to build in the final stage: each requirement the index serves for this Python and
 * platform as source only (offline: the packages known to be), a VCS requirement (git), or the
 * compilers and -dev packages the stage installs with apt before pip runs. Skips when that is not
 * known.
 */
function buildNeed(
  model: Dockerfile,
  stage: Stage,
  finding: Finding,
  resolutions: Resolutions,
): BuildNeed | Skip {
  if (finding.data.elsewhere)
    return skip(
      `pip installs a package from another index (the command ${finding.data.elsewhere}), whose wheels the index was not asked about; keep the full base, or build in a separate stage`,
    );
  const sources: string[] = [];
  const built: string[] = [];
  for (const need of finding.needs.slice(1)) {
    const wheel = resolutions.get(need);
    if (wheel.ok && wheel.value.startsWith('sdist')) {
      sources.push(`${need.params.name} ${wheel.value.slice(6)}`);
      built.push(need.params.name);
    }
    if (!wheel.ok && wheel.reason !== 'offline' && wheel.reason !== 'not-found')
      return skip(
        `whether ${need.params.name} installs without a compiler is not known (${explainFailure(wheel)})`,
      );
  }
  const offline = finding.needs.slice(1).every((n) => {
    const r = resolutions.get(n);
    return !r.ok && r.reason === 'offline';
  });
  if (finding.data.sourceOnly && offline) {
    const names = finding.data.sourceOnly.split(' ');
    built.push(...names);
    return {
      why: `${names.join(', ')} ${names.length > 1 ? 'are' : 'is'} built from source on Linux: pip would compile ${names.length > 1 ? 'them' : 'it'}`,
      built,
    };
  }
  if (sources.length > 0)
    return {
      why: `${sources.join(', ')} ${sources.length > 1 ? 'have' : 'has'} no wheel for this Python and platform: pip would compile ${sources.length > 1 ? 'them' : 'it'}`,
      built,
    };
  if (finding.data.vcs) return { why: `pip installs ${finding.data.vcs}, which needs git`, built };
  const tools = aptBuildPackages(model, stage);
  if (tools.length > 0)
    return { why: `the stage installs ${tools.join(', ')} to build what pip installs`, built, onlyApt: true };
  return { built };
}

/** The build packages (compilers, -dev) a stage that runs pip installs with apt before its last pip. */
function aptBuildPackages(model: Dockerfile, stage: Stage): string[] {
  const pips = invocations(model, ['pip'], ['install']).filter((i) => i.stage === stage);
  const last = pips[pips.length - 1];
  if (!last) return [];
  const found = new Set<string>();
  for (const inv of invocations(model, ['apt-get', 'apt'], ['install'])) {
    if (inv.stage !== stage || inv.instr.range.start > last.instr.range.start) continue;
    for (const w of operands(inv)) {
      const name = w.value.split(/[=:]/)[0];
      if (isBuildOnlyPackage(name)) found.add(name);
    }
  }
  return [...found].sort();
}
