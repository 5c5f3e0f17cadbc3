import { instrAt } from '../src/core/shell-commands';
import { baseFacts } from '../src/engine/base-facts';
import { defineFixer, skip } from '../src/engine/define-fixer';
import { insertLinesBefore, keyword } from '../src/engine/edits';
import { unsafePipedRuns } from '../rules/require-pipefail';

const SHELL_FOR: Record<string, string> = {
  debian: '/bin/bash',
  ubuntu: '/bin/bash',
  rhel: '/bin/bash',
  alpine: '/bin/ash',
};

/** The image's shells (as its facts name them) that take `-o pipefail`, in the order they are preferred. */
const PIPEFAIL_PATHS = ['/bin/bash', '/usr/bin/bash', '/bin/ash', '/bin/zsh'];

export const fixer = defineFixer({
  ruleId: 'require-pipefail',
  fix(finding, { model, resolutions }) {
    const run = instrAt(model, finding.range.start);
    const stage = run && run.stage >= 0 ? model.stages[run.stage] : undefined;
    if (!run || !stage) return skip('the RUN is outside any stage');
    // The base image's own shells when they were read; else (offline, or a registry that could not be
    // read) its OS family's.
    const read = baseFacts(finding, resolutions);
    const family = SHELL_FOR[stage.family];
    if (read && 'skipped' in read && !family) return read;
    const facts = read && !('skipped' in read) ? read : undefined;
    const shell = facts ? PIPEFAIL_PATHS.find((p) => facts.shells.includes(p)) : family;
    if (!shell)
      return skip(
        facts
          ? 'the base image has no shell with pipefail (bash, ash or zsh)'
          : `no shell with pipefail is known for a ${stage.family} base image`,
      );
    // One SHELL line covers the whole stage: only the first such RUN gets it.
    if (unsafePipedRuns(stage, model)[0] !== run) return [];
    const line = `${keyword(model, 'SHELL')} ["${shell}", "-o", "pipefail", "-c"]`;
    return [insertLinesBefore(model, run, [line])];
  },
});
