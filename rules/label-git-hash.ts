import { labelFormatRule } from '../src/engine/label-format-rule';

export const rule = labelFormatRule({
  id: 'label-git-hash',
  alias: 'DL3055',
  type: 'hash',
  form: 'a git commit hash',
  docs: 'A full (40) or short (7) lower-case hexadecimal commit id.',
});
