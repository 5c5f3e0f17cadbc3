import { labelFormatRule } from '../src/engine/label-format-rule';

export const rule = labelFormatRule({
  id: 'label-url',
  alias: 'DL3052',
  type: 'url',
  form: 'a valid URL',
  docs: 'An absolute URI with a scheme, such as `https://example.com/project`.',
});
