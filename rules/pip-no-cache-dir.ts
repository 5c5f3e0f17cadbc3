import { hasCacheMount } from '../src/core/run-mounts';
import { hasOption, invocations } from '../src/core/shell-commands';
import { envBefore, isTruthy } from '../src/core/stage-env';
import { defineRule } from '../src/engine/define-rule';

export const rule = defineRule({
  id: 'pip-no-cache-dir',
  aliases: ['DL3042'],
  severity: 'warning',
  description: 'Use pip install --no-cache-dir.',
  docs:
    'pip keeps every downloaded wheel in ~/.cache/pip; in an image that is dead weight. ' +
    '`PIP_NO_CACHE_DIR=1` (ENV, inherited from a base stage, on the command or exported) and a cache ' +
    'mount on the pip cache count too.',
  messages: { cache: 'pip install keeps its download cache in the layer.' },
  fix: 'safe',
  check(model, ctx) {
    // Looking the variable up is a walk back through the stage: only worth it when some ENV sets it.
    const setByEnv = model.instructions.some(
      (i) =>
        i.kind === 'env' &&
        i.plainText.includes('PIP_NO_CACHE_DIR') &&
        i.pairs.some((p) => p.name === 'PIP_NO_CACHE_DIR'),
    );
    for (const inv of invocations(model, ['pip'], ['install'])) {
      if (hasOption(inv, ['--no-cache-dir'])) continue;
      if (hasCacheMount(inv.instr, '/root/.cache')) continue;
      const local = [...inv.command.assignments, ...(inv.instr.script?.exports ?? [])].find(
        (a) => a.name === 'PIP_NO_CACHE_DIR',
      );
      const value = local
        ? local.value
        : setByEnv
          ? envBefore(model, inv.stage, inv.instr.range.start).get('PIP_NO_CACHE_DIR')
          : undefined;
      if (isTruthy(value)) continue;
      ctx.report({ messageId: 'cache', range: inv.sub!.range });
    }
  },
});
