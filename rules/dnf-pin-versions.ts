import { defineRule } from '../src/engine/define-rule';
import { checkRpmPins } from '../src/engine/rpm-rules';

export const rule = defineRule({
  id: 'dnf-pin-versions',
  aliases: ['DL3041'],
  severity: 'warning',
  description: 'Pin package versions in dnf install.',
  docs: 'Write name-version (`mariadb-10.5.22`) or, for modules, name:stream, so builds do not drift.',
  messages: { unpinned: '{{tool}} package {{name}} has no version.' },
  fix: 'none',
  check: (model, ctx) => checkRpmPins(model, ctx, ['dnf', 'microdnf']),
});
