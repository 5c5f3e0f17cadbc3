import { labelFormatRule } from '../src/engine/label-format-rule';

export const rule = labelFormatRule({
  id: 'label-semver',
  alias: 'DL3056',
  type: 'semver',
  form: 'a semantic version',
  docs: 'A version of the form `MAJOR.MINOR.PATCH` with optional pre-release and build parts (semver.org).',
});
