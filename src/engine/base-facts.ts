// The base image's facts a finding asked for, as a fixer reads them: read from the registry, absent
// offline, or a reason to skip when the registry could not be read.
import type { ImageFacts } from '../image/facts';
import type { Resolutions } from '../resolve/types';
import { skip, type Skip } from './define-fixer';
import type { Finding } from './define-rule';

/**
 * Facts of the stage's base image, when the finding asked for them. Offline, or when the registry
 * does not have the image, the name tables answer (undefined); when the registry could not be read
 * (down, refused, rate-limited), the fix is skipped rather than written on a guess.
 */
export function baseFacts(finding: Finding, resolutions: Resolutions): ImageFacts | Skip | undefined {
  const need = finding.needs.find((n) => n.kind === 'image-facts');
  if (!need) return undefined;
  const answer = resolutions.get(need);
  if (!answer.ok)
    return answer.reason === 'offline' || answer.reason === 'not-found'
      ? undefined
      : skip(`the base image could not be read (${answer.reason}: ${answer.detail ?? ''})`);
  try {
    return JSON.parse(answer.value) as ImageFacts;
  } catch {
    return skip('the base image facts are malformed');
  }
}
