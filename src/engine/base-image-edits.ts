import type { Dockerfile, Stage } from '../core/model';
import { baseImages } from '../core/base-images';
import type { Finding } from './define-rule';
import { skip, type FixContext, type Skip, type TextEdit } from './define-fixer';
import { explainFailure } from '../resolve/explain';
import { insertAt, replace } from './edits';

/** The stage whose base image a finding points at. */
export function stageOfFinding(model: Dockerfile, finding: Finding): Stage | undefined {
  for (const use of baseImages(model)) {
    if (use.range.start === finding.range.start && use.range.end === finding.range.end) return use.stage;
  }
  return undefined;
}

/**
 * Replaces (or adds) the tag of the base image a finding points at. Every FROM that shares the same
 * ARG default gets the same new tag, since the edit is on the ARG.
 */
export function retagBase(model: Dockerfile, finding: Finding, tag: string): TextEdit[] | Skip {
  for (const use of baseImages(model)) {
    if (use.range.start !== finding.range.start || use.range.end !== finding.range.end) continue;
    if (use.editAt === undefined) return skip('the image reference is assembled from variables');
    const { ref, editAt } = use;
    if (ref.tagRange)
      return [replace({ start: editAt + ref.tagRange.start, end: editAt + ref.tagRange.end }, tag)];
    return [insertAt(editAt + ref.nameRange.end, `:${tag}`)];
  }
  return skip('the base image could not be found');
}

/** Adds `@digest` after the tag of the base image a finding points at. */
export function addDigest(model: Dockerfile, finding: Finding, digest: string): TextEdit[] | Skip {
  for (const use of baseImages(model)) {
    if (use.range.start !== finding.range.start || use.range.end !== finding.range.end) continue;
    if (use.editAt === undefined) return skip('the image reference is assembled from variables');
    const end = use.ref.tagRange?.end ?? use.ref.nameRange.end;
    return [insertAt(use.editAt + end, `@${digest}`)];
  }
  return skip('the base image could not be found');
}

/** Fix for the tag rules: the tag the resolver chose for the finding's base image. */
export function pinResolvedTag(finding: Finding, { model, resolutions }: FixContext): TextEdit[] | Skip {
  const tag = finding.needs[0] ? resolutions.get(finding.needs[0]) : undefined;
  if (!tag) return skip('nothing to look up');
  if (!tag.ok) return skip(explainFailure(tag));
  return retagBase(model, finding, tag.value);
}
