import { labelFormatRule } from '../src/engine/label-format-rule';

export const rule = labelFormatRule({
  id: 'label-spdx',
  alias: 'DL3054',
  type: 'spdx',
  form: 'an SPDX license id',
  docs: 'One identifier of the SPDX license list, such as `MIT` or `Apache-2.0`.',
});
