import { defineFixer, skip } from '../src/engine/define-fixer';
import { insertAt } from '../src/engine/edits';
import { explainFailure } from '../src/resolve/explain';

export const fixer = defineFixer({
  ruleId: 'apt-snapshot-source',
  fix(finding, { resolutions }) {
    const lines = resolutions.get(finding.needs[0]);
    if (!lines.ok) return skip(explainFailure(lines));
    // printf keeps the lines literal: the values are URLs from configuration, quoted for the shell.
    const quoted = lines.value.split('\n').map((l) => `'${l.replace(/'/g, `'\\''`)}'`);
    const command = `printf '%s\\n' ${quoted.join(' ')} > /etc/apt/sources.list.d/snapshot.list`;
    return [insertAt(finding.range.start, `${command} && `, { kind: 'prepend', command })];
  },
});
