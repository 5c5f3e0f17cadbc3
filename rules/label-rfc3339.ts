import { labelFormatRule } from '../src/engine/label-format-rule';

export const rule = labelFormatRule({
  id: 'label-rfc3339',
  alias: 'DL3053',
  type: 'rfc3339',
  form: 'an RFC 3339 time',
  docs: 'A date and time with its offset, such as `2024-05-01T12:00:00Z`, as the OCI label `org.opencontainers.image.created` expects.',
});
