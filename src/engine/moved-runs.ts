import type { Dockerfile, RunInstr, Stage } from '../core/model';
import { isNpmInstall } from '../core/npm-specs';
import { pipInstalls } from '../core/pip-installs';
import { isBuildOnlyPackage } from '../core/runtime-libraries';
import { operands } from '../core/shell-commands';

/**
 * Which RUNs of a final stage a build split (slim-split.ts) moves to its builder stage: those that
 * only build. Pure, over the model.
 */

/** Paths apt, pip and npm keep caches in: removing them is part of a build. */
const CACHES =
  /^(\/var\/lib\/apt\/lists|\/var\/cache\/apt|\/root\/\.cache|~\/\.cache|\/root\/\.npm|~\/\.npm|\/tmp)(\/|$)/;

/** The RUNs of a stage that install with the installer: pip, or npm (`npm ci`, `npm install`). */
function installRuns(model: Dockerfile, stage: Stage, installer: Installer): Set<RunInstr> {
  if (installer === 'pip')
    return new Set(
      pipInstalls(model)
        .filter((i) => i.stage === stage)
        .map((i) => i.instr),
    );
  const npm = model.calls.filter((c) => c.stage === stage && isNpmInstall(c));
  return new Set(npm.map((c) => c.instr));
}

type Installer = 'pip' | 'npm';

/**
 * The RUNs that leave the final stage for the builder: each that runs the installer (all of them, up
 * to the last one), and each before it that only installs build packages with apt; with the build
 * packages they install. Why not, when a RUN that runs the installer also does what the runtime may
 * need.
 */
export function movedRuns(
  model: Dockerfile,
  stage: Stage,
  installer: Installer = 'pip',
): { runs: RunInstr[]; dev: string[] } | { why: string } {
  const pips = installRuns(model, stage, installer);
  const all = stage.instructions.filter((i): i is RunInstr => i.kind === 'run');
  const lastPip = all.filter((r) => pips.has(r)).pop();
  if (!lastPip) return { why: `the stage runs no ${installer} install to move` };
  const runs: RunInstr[] = [];
  const dev = new Set<string>();
  for (const run of all) {
    if (run.range.start > lastPip.range.start) break;
    const found = new Set<string>();
    const why = buildOnlyWhy(model, stage, run, found, installer) ?? listsWhy(model, stage, run, all, pips);
    if (why && pips.has(run)) return { why };
    if (why) continue;
    runs.push(run);
    found.forEach((p) => dev.add(p));
  }
  return { runs, dev: [...dev].sort() };
}

/**
 * A RUN that updates apt's lists stays when a later RUN that stays too installs with apt on those
 * lists (no update of its own before it).
 */
function listsWhy(
  model: Dockerfile,
  stage: Stage,
  run: RunInstr,
  all: readonly RunInstr[],
  pips: ReadonlySet<RunInstr>,
): string | undefined {
  const apt = (r: RunInstr) =>
    model.callsIn({ stage, instr: r }).filter((c) => c.tool === 'apt-get' || c.tool === 'apt');
  if (!apt(run).some((c) => c.sub?.value === 'update')) return undefined;
  for (const later of all) {
    if (later.range.start <= run.range.start || pips.has(later)) continue;
    const calls = apt(later);
    const install = calls.findIndex((c) => c.sub?.value === 'install');
    if (install >= 0 && !calls.slice(0, install).some((c) => c.sub?.value === 'update'))
      return `the apt-get install on line ${later.line + 1} relies on the lists the RUN on line ${run.line + 1} updates`;
  }
  return undefined;
}

/** Why a RUN does more than build (its apt build packages go to `packages`): undefined when it only builds. */
function buildOnlyWhy(
  model: Dockerfile,
  stage: Stage,
  run: RunInstr,
  packages: Set<string>,
  installer: Installer,
): string | undefined {
  const at = `the RUN on line ${run.line + 1}`;
  const script = run.script;
  if (!script || script.hasError || script.heredoc) return `${at} is not a plain list of commands`;
  if (script.pipelines.length > 0) return `${at} runs a pipeline`;
  const calls = new Map(model.callsIn({ stage, instr: run }).map((c) => [c.command, c]));
  for (const c of script.commands) {
    if (c.nested) return `${at} runs commands in a branch, a loop or a substitution`;
    const inv = calls.get(c);
    if (inv?.tool === installer) continue;
    if (inv && (inv.tool === 'apt-get' || inv.tool === 'apt')) {
      const sub = inv.sub?.value ?? '';
      if (['update', 'purge', 'remove', 'autoremove', 'clean', 'autoclean'].includes(sub)) continue;
      if (sub === 'install') {
        for (const w of operands(inv)) {
          const name = w.value.split(/[=:]/)[0];
          if (!isBuildOnlyPackage(name)) return `${at} also installs ${w.value}, which the runtime may need`;
          packages.add(name);
        }
        continue;
      }
    }
    const name = c.name.value;
    if (name === 'rm' && c.args.every((w) => w.value.startsWith('-') || CACHES.test(w.value))) continue;
    if (
      name === 'true' ||
      name === ':' ||
      (name === 'set' && c.args.every((w) => /^[-+][a-z]+$/.test(w.value)))
    )
      continue;
    return `${at} also runs ${name}, whose result the runtime would lose`;
  }
  return undefined;
}
