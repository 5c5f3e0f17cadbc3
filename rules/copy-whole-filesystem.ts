import { defineRule } from '../src/engine/define-rule';
import { copiesFrom } from './copy-from-known-stage';

const root = (v: string | undefined): boolean => v !== undefined && v.replace(/^(["'])(.*)\1$/, '$2') === '/';

export const rule = defineRule({
  id: 'copy-whole-filesystem',
  aliases: ['DL3067'],
  severity: 'warning',
  description: 'Do not copy a whole filesystem from another stage.',
  docs:
    "`COPY --from=build / /` brings the build stage's compilers, caches and package lists into the " +
    'final image, undoing the point of a multi-stage build. Copy the files the program needs.',
  messages: { whole: 'COPY --from={{from}} / / copies the whole filesystem.' },
  fix: 'none',
  check(model, ctx) {
    for (const { copy, from } of copiesFrom(model.instructions)) {
      if (copy.sources.some((s) => root(s.value)) && root(copy.dest?.value))
        ctx.report({ messageId: 'whole', data: { from }, range: copy.keywordRange });
    }
  },
});
