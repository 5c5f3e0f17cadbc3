import { defineFixer, skip } from '../src/engine/define-fixer';
import { rewriteWord } from '../src/engine/edits';

/** Subcommands apt and apt-get share with the same meaning. */
const SHARED = new Set([
  'install',
  'remove',
  'purge',
  'update',
  'upgrade',
  'autoremove',
  'clean',
  'autoclean',
  'dist-upgrade',
  'source',
  'build-dep',
]);

export const fixer = defineFixer({
  ruleId: 'apt-get-not-apt',
  fix(finding, { model }) {
    if (!SHARED.has(finding.data.sub)) return skip(`apt-get has no "${finding.data.sub}" subcommand`);
    const raw = model.source.text.slice(finding.range.start, finding.range.end);
    if (!/(^|\/)apt$/.test(raw)) return skip('the command name is quoted or escaped');
    return [rewriteWord(model, finding.range, `${raw}-get`, (from) => `${from}-get`)];
  },
});
