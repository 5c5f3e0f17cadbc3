import { defineRule } from '../src/engine/define-rule';
import { checkRpmPins } from '../src/engine/rpm-rules';

export const rule = defineRule({
  id: 'yum-pin-versions',
  aliases: ['DL3033'],
  severity: 'warning',
  description: 'Pin package versions in yum install.',
  docs: 'Write name-version (`tomcat-9.0.82`) or, for modules, name:stream, so builds do not drift.',
  messages: { unpinned: 'yum package {{name}} has no version.' },
  fix: 'none',
  check: (model, ctx) => checkRpmPins(model, ctx, ['yum']),
});
