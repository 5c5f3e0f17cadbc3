import type { Dockerfile, Stage } from '../src/core/model';
import { defineRule } from '../src/engine/define-rule';
import { copiesFrom } from './copy-from-known-stage';

const root = (v: string | undefined): boolean => v !== undefined && v.replace(/^(["'])(.*)\1$/, '$2') === '/';

function fromScratch(model: Dockerfile, stage: Stage): boolean {
  for (
    let s: Stage | undefined = stage;
    s;
    s = s.from.baseStage === undefined ? undefined : model.stages[s.from.baseStage]
  )
    if (s.from.isScratch) return true;
  return false;
}

export const rule = defineRule({
  id: 'copy-whole-filesystem',
  aliases: ['DL3067'],
  severity: 'warning',
  description: 'Do not copy a whole filesystem from another stage.',
  docs:
    "`COPY --from=build / /` brings the build stage's compilers, caches and package lists into the " +
    'final image, undoing the point of a multi-stage build. Copy the files the program needs. A source ' +
    'stage built FROM scratch (an export of binaries) holds only what it copied in and is not reported; ' +
    'hadolint reports it too, a deliberate difference.',
  messages: { whole: 'COPY --from={{from}} / / copies the whole filesystem.' },
  fix: 'none',
  check(model, ctx) {
    for (const { copy, from } of copiesFrom(model.instructions)) {
      if (!copy.sources.some((s) => root(s.value)) || !root(copy.dest?.value)) continue;
      // A stage built FROM scratch holds only what it copied in: its `/` is an export, not an OS.
      const source = model.stages.find(
        (s) => s.name?.toLowerCase() === from.toLowerCase() && s.from.range.start < copy.range.start,
      );
      if (source && fromScratch(model, source)) continue;
      ctx.report({ messageId: 'whole', data: { from }, range: copy.keywordRange });
    }
  },
});
