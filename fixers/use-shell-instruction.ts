import { instrAt } from '../src/core/shell-commands';
import { defineFixer, skip } from '../src/engine/define-fixer';
import { keyword, replace } from '../src/engine/edits';

export const fixer = defineFixer({
  ruleId: 'use-shell-instruction',
  fix(finding, { model }) {
    const ins = instrAt(model, finding.range.start);
    if (ins?.kind !== 'run' || ins.flags.length > 0) return skip('the RUN does more than relink /bin/sh');
    const commands = ins.script?.commands ?? [];
    if (commands.length !== 1 || ins.script?.hasError) return skip('the RUN does more than relink /bin/sh');
    const words = commands[0].args.map((w) => w.value).filter((v) => !/^-[sfnT]+$/.test(v));
    if (words.length !== 2 || words[1] !== '/bin/sh' || !/^\/(usr\/)?bin\/\w+$/.test(words[0]))
      return skip('the RUN does more than relink /bin/sh to another shell');
    return [
      replace(ins.range, `${keyword(model, 'SHELL')} ["${words[0]}", "-c"]`, {
        kind: 'keyword',
        to: 'SHELL',
      }),
    ];
  },
});
