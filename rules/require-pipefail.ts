import type { Dockerfile, ExecInstr, RunInstr, Stage } from '../src/core/model';
import { defineRule } from '../src/engine/define-rule';
import { mentionsPipe } from '../src/core/shell-commands';
import { baseImageOfStage } from '../src/core/release';
import { imageFactsRequest } from '../src/resolve/requests';

const NON_POSIX = /^(?:.*[\\/])?(pwsh|powershell|cmd)(\.exe)?$/i;
const PIPEFAIL_SHELLS = /^(?:.*\/)?(bash|zsh|ash|ksh|mksh)$/;

type ShellState = 'default' | 'pipefail' | 'non-posix';

export function shellState(shell: ExecInstr): ShellState {
  const [exe, ...args] = shell.json.map((w) => w.value);
  if (!exe) return 'default';
  if (NON_POSIX.test(exe)) return 'non-posix';
  const pipefail = args.some((a, i) => a === 'pipefail' && i > 0 && /^-[a-z]*o$/.test(args[i - 1]));
  return pipefail && PIPEFAIL_SHELLS.test(exe) ? 'pipefail' : 'default';
}

/** RUNs of a stage with a pipeline that would hide a failing command, in order. */
export function unsafePipedRuns(stage: Stage | undefined, model: Dockerfile): RunInstr[] {
  if (stage?.family === 'windows') return [];
  const instrs = stage ? stage.instructions : model.instructions.filter((i) => i.stage < 0);
  let state: ShellState = 'default';
  const out: RunInstr[] = [];
  for (const ins of instrs) {
    if (ins.kind === 'shell') state = shellState(ins);
    if (ins.kind !== 'run' || state !== 'default' || ins.form !== 'shell') continue;
    if (!mentionsPipe(ins) || !ins.script) continue;
    if (ins.script.pipelines.length === 0) continue;
    out.push(ins);
  }
  return out;
}

export const rule = defineRule({
  id: 'require-pipefail',
  aliases: ['DL4006'],
  severity: 'warning',
  description: 'Set SHELL -o pipefail before a RUN with a pipe.',
  docs:
    'In `RUN curl … | tar x` the RUN only fails if the last command fails: a failed download passes ' +
    'silently. `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` makes any failing command fail the RUN. ' +
    'As in hadolint, /bin/sh does not count, the SHELL is per stage, and PowerShell/cmd stages are left ' +
    'alone. The fix adds the SHELL line before the first such RUN of the stage (bash on Debian, Ubuntu ' +
    'and RHEL-like images, ash on Alpine; with the network on, the shell with pipefail the base image has, ' +
    'read from its layers: bash, else ash or zsh) and is marked for review, since later RUNs then run in that shell.',
  messages: { pipe: 'this RUN pipes commands without pipefail: a failure before the last | is ignored.' },
  fix: 'review',
  check(model, ctx) {
    const stages: (Stage | undefined)[] = [undefined, ...model.stages];
    for (const stage of stages) {
      const runs = unsafePipedRuns(stage, model);
      // The base image's own shells (read from its layers) decide which one has pipefail.
      const base = runs.length > 0 && stage ? baseImageOfStage(model.stages, stage) : undefined;
      const needs = base ? [imageFactsRequest(base.ref, base.arch)] : [];
      for (const run of runs) ctx.report({ messageId: 'pipe', range: run.keywordRange, needs });
    }
  },
});
