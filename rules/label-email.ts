import { labelFormatRule } from '../src/engine/label-format-rule';

export const rule = labelFormatRule({
  id: 'label-email',
  alias: 'DL3058',
  type: 'email',
  form: 'an email address',
  docs: 'An address of the form `name@example.com` (RFC 5322).',
});
