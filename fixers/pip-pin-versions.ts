import { defineFixer, skip } from '../src/engine/define-fixer';
import { pinResolvedVersion } from '../src/engine/package-pin';
import { rewriteWord } from '../src/engine/edits';
import { explainFailure } from '../src/resolve/explain';

const pin = pinResolvedVersion('==');

export const fixer = defineFixer({
  ruleId: 'pip-pin-versions',
  fix(finding, ctx) {
    if (finding.messageId === 'vcs') return skip('choose the commit or tag to pin by hand');
    if (finding.data.elsewhere)
      return skip(
        `the command ${finding.data.elsewhere}, so an index pin cannot be true for it; pin by hand`,
      );
    if (finding.needs.length === 0) return skip("the image's Python version is not known from its tag");
    if (finding.messageId === 'range') {
      const version = ctx.resolutions.get(finding.needs[0]);
      if (!version.ok) return skip(explainFailure(version));
      const raw = ctx.model.source.text.slice(finding.range.start, finding.range.end);
      const quote = /^["']/.test(raw) ? raw[0] : '';
      const pinned = `${finding.data.name}${finding.data.extras}==${version.value}`;
      return [rewriteWord(ctx.model, finding.range, `${quote}${pinned}${quote}`, () => pinned)];
    }
    return pin(finding, ctx);
  },
});
