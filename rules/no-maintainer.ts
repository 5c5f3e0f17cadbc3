import { defineRule } from '../src/engine/define-rule';

export const rule = defineRule({
  id: 'no-maintainer',
  aliases: ['DL4000'],
  severity: 'error',
  description: 'MAINTAINER is deprecated; use a LABEL.',
  docs:
    'MAINTAINER was deprecated in Docker 1.13. `LABEL maintainer="…"` carries the same information in ' +
    'the standard place (and `org.opencontainers.image.authors` is the OCI name for it). The fix rewrites ' +
    'the instruction to `LABEL maintainer="…"`.',
  messages: { maintainer: 'MAINTAINER is deprecated.' },
  fix: 'safe',
  check(model, ctx) {
    for (const ins of model.instructions) {
      if (ins.kind === 'maintainer') ctx.report({ messageId: 'maintainer', range: ins.range });
    }
  },
});
