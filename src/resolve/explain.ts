import type { Result } from './types';

/** The reason a look-up failed, as the report shows it ("skipped: offline"). */
export function explainFailure(result: Result<unknown>): string {
  if (result.ok) return '';
  return result.detail ? `${result.reason}: ${result.detail}` : result.reason;
}
