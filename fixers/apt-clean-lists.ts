import { appendCommand, runOfFinding } from '../src/engine/append-command';
import { defineFixer } from '../src/engine/define-fixer';

export const fixer = defineFixer({
  ruleId: 'apt-clean-lists',
  fix: (finding, { model }) =>
    appendCommand(model, runOfFinding(model, finding), 'rm -rf /var/lib/apt/lists/*'),
});
