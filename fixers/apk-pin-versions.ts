import { defineFixer, skip } from '../src/engine/define-fixer';
import { appendToWord } from '../src/engine/edits';
import { pinResolvedVersion } from '../src/engine/package-pin';

const exact = pinResolvedVersion('=');

export const fixer = defineFixer({
  ruleId: 'apk-pin-versions',
  fix(finding, ctx) {
    if (ctx.pinPolicy.apk !== 'fuzzy') return exact(finding, ctx);
    const result = exact(finding, ctx);
    if ('skipped' in result) return result;
    // Fuzzy: hold the release line (`~8.5`), which survives Alpine dropping superseded versions.
    const version = ctx.resolutions.get(finding.needs[0]);
    const line = version.ok ? /^(\d+)(?:\.(\d+))?/.exec(version.value) : null;
    if (!line) return skip('the version has no major.minor to hold');
    return [
      appendToWord(ctx.model, finding.range, `~${line[1]}${line[2] !== undefined ? `.${line[2]}` : ''}`),
    ];
  },
});
