import { layerShips } from '../src/core/stage-groups';
import { mentions } from '../src/core/shell-commands';
import { defineRule } from '../src/engine/define-rule';

export const rule = defineRule({
  id: 'yarn-cache-clean',
  aliases: ['DL3060'],
  severity: 'info',
  description: 'Run yarn cache clean in the RUN that runs yarn install.',
  docs:
    'yarn keeps every downloaded package in its cache folder; unless the same RUN runs `yarn cache ' +
    'clean` after the install (or mounts a cache there), the layer carries a second copy of ' +
    'node_modules. Stages that are neither final nor built upon are skipped (their layers are not ' +
    'shipped).',
  messages: { noClean: 'this RUN runs yarn install but not yarn cache clean afterwards.' },
  fix: 'safe',
  check(model, ctx) {
    for (const { stage, instr } of model.runs) {
      if (!mentions(instr, ['yarn'])) continue;
      if (!layerShips(model, stage, instr)) continue;
      if (
        instr.flags.some(
          (f) =>
            f.name === 'mount' &&
            /\.cache\/yarn|yarn\/cache|\/usr\/local\/share\/\.cache/.test(f.value ?? ''),
        )
      )
        continue;
      let install = -1;
      let clean = -1;
      (instr.script?.commands ?? []).forEach((c, k) => {
        if (c.call?.tool !== 'yarn') return;
        const words = c.call.args.map((w) => w.value);
        if (words.includes('install') && install < 0) install = k;
        if (words[0] === 'cache' && words[1] === 'clean') clean = k;
      });
      if (install >= 0 && clean < install) ctx.report({ messageId: 'noClean', range: instr.keywordRange });
    }
  },
});
