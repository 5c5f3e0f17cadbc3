import { defineRule } from '../src/engine/define-rule';

export const rule = defineRule({
  id: 'no-from-platform',
  aliases: ['DL3029'],
  severity: 'warning',
  description: 'Do not fix FROM --platform to one platform.',
  docs:
    'A literal `FROM --platform=linux/amd64` builds that platform everywhere: emulated (slow) on other ' +
    'machines and wrong in a multi-platform build. Leave the platform to `docker build --platform`; ' +
    '`--platform=$BUILDPLATFORM` for cross-compiling stages is fine.',
  messages: { platform: 'FROM --platform={{platform}} fixes the platform.' },
  fix: 'none',
  check(model, ctx) {
    for (const s of model.stages) {
      const p = s.from.platform;
      if (p === undefined || /BUILDPLATFORM|TARGETPLATFORM/.test(p)) continue;
      ctx.report({ messageId: 'platform', data: { platform: p }, range: s.from.keywordRange });
    }
  },
});
