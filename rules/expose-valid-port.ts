import { defineRule } from '../src/engine/define-rule';

export const rule = defineRule({
  id: 'expose-valid-port',
  aliases: ['DL3011'],
  severity: 'error',
  description: 'EXPOSE only ports from 0 to 65535.',
  docs:
    'TCP and UDP ports are 16-bit numbers. A larger number in EXPOSE (or in a range `8000-70000`) is a ' +
    'typo the engine rejects when the container is run or published.',
  messages: { range: 'port {{port}} is outside 0–65535.' },
  fix: 'none',
  check(model, ctx) {
    for (const ins of model.instructions) {
      const i = ins.kind === 'onbuild' ? ins.trigger : ins;
      if (i?.kind !== 'expose') continue;
      for (const w of i.words) {
        if (!w.literal) continue;
        const bad = w.value
          .replace(/\/\w+$/, '')
          .split('-')
          .find((p) => /^\d+$/.test(p) && Number(p) > 65535);
        if (bad) ctx.report({ messageId: 'range', data: { port: bad }, range: w.range });
      }
    }
  },
});
