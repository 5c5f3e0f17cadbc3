import { instrAt } from '../src/core/shell-commands';
import { defineFixer, skip } from '../src/engine/define-fixer';
import { keyword, replace } from '../src/engine/edits';

export const fixer = defineFixer({
  ruleId: 'no-maintainer',
  fix(finding, { model }) {
    const ins = instrAt(model, finding.range.start);
    if (!ins || ins.kind !== 'maintainer') return skip('the instruction could not be found');
    const text = model.source.text.slice(ins.argsRange.start, ins.argsRange.end);
    if (/[\r\n]/.test(text)) return skip('the MAINTAINER spans several lines');
    const value = text.trim().replace(/^"(.*)"$/, '$1');
    const quoted = `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
    return [
      replace(ins.keywordRange, keyword(model, 'LABEL'), { kind: 'keyword', to: 'LABEL' }),
      replace(ins.argsRange, `maintainer=${quoted}`, { kind: 'keyword', to: 'LABEL' }),
    ];
  },
});
