import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';

/**
 * Validates a log against the official SARIF 2.1.0 JSON schema (a draft-04 schema), the copy that
 * Microsoft's SARIF test matcher package ships.
 */
export function sarifSchemaErrors(log: unknown): string[] {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const schema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json') as object;
  // The schema's language pattern is not valid with the `u` flag ajv uses by default.
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  return validate(log) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
