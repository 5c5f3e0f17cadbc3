import { instrAt } from '../src/core/shell-commands';
import { defineFixer, skip } from '../src/engine/define-fixer';
import { insertLinesBefore, keyword } from '../src/engine/edits';
import { unsafePipedRuns } from '../rules/require-pipefail';

const SHELL_FOR: Record<string, string> = {
  debian: '/bin/bash',
  ubuntu: '/bin/bash',
  rhel: '/bin/bash',
  alpine: '/bin/ash',
};

export const fixer = defineFixer({
  ruleId: 'require-pipefail',
  fix(finding, { model }) {
    const run = instrAt(model, finding.range.start);
    const stage = run && run.stage >= 0 ? model.stages[run.stage] : undefined;
    if (!run || !stage) return skip('the RUN is outside any stage');
    const shell = SHELL_FOR[stage.family];
    if (!shell) return skip(`no shell with pipefail is known for a ${stage.family} base image`);
    // One SHELL line covers the whole stage: only the first such RUN gets it.
    if (unsafePipedRuns(stage, model)[0] !== run) return [];
    const line = `${keyword(model, 'SHELL')} ["${shell}", "-o", "pipefail", "-c"]`;
    return [insertLinesBefore(model, run, [line])];
  },
});
