import type { Dockerfile, Stage } from '../core/model';
import { baseImages, type BaseImageUse } from '../core/base-images';
import type { Finding } from './define-rule';
import { skip, type FixContext, type Skip, type TextEdit } from './define-fixer';
import { explainFailure } from '../resolve/explain';
import { replace } from './edits';

/** The stage whose base image a finding points at. */
export function stageOfFinding(model: Dockerfile, finding: Finding): Stage | undefined {
  for (const use of baseImages(model)) {
    if (use.range.start === finding.range.start && use.range.end === finding.range.end) return use.stage;
  }
  return undefined;
}

/**
 * Rewrites the `name[:tag]` part of the base image a finding points at. Every tag or digest edit
 * replaces that whole span, so two of them on one image never land in the same pass: a digest is only
 * ever added to the tag it was looked up for. Every FROM that shares the same ARG default gets the
 * change, since the edit is on the ARG.
 */
function rewriteReference(
  model: Dockerfile,
  finding: Finding,
  make: (name: string, tag: string | undefined) => string,
): TextEdit[] | Skip {
  for (const use of baseImages(model)) {
    if (use.range.start !== finding.range.start || use.range.end !== finding.range.end) continue;
    if (use.editAt === undefined) return use.template ? rewriteTemplate(use, make) : skip(ASSEMBLED);
    const { ref, editAt } = use;
    const end = ref.tagRange?.end ?? ref.nameRange.end;
    const text = model.source.text;
    const name = text.slice(editAt + ref.nameRange.start, editAt + ref.nameRange.end);
    return [replace({ start: editAt + ref.nameRange.start, end: editAt + end }, make(name, ref.tag))];
  }
  return skip('the base image could not be found');
}

const ASSEMBLED = 'the image reference is assembled from several variables or ones without a default';

/**
 * `ARG PY=3.12` + `FROM python:${PY}-slim`: the new reference must keep the literal text around the
 * variable, and what lies between becomes the ARG's new default (`3.12.7`). Anything else (a new
 * variant, a digest) would not survive an override of the ARG, and is refused.
 */
function rewriteTemplate(
  use: BaseImageUse,
  make: (name: string, tag: string | undefined) => string,
): TextEdit[] | Skip {
  const { ref } = use;
  const t = use.template!;
  const old = use.stage.from.image.text;
  const end = ref.tagRange?.end ?? ref.nameRange.end;
  const next =
    old.slice(0, ref.nameRange.start) +
    make(old.slice(ref.nameRange.start, ref.nameRange.end), ref.tag) +
    old.slice(end);
  const value = next.slice(t.before.length, next.length - t.after.length);
  if (
    !next.startsWith(t.before) ||
    !next.endsWith(t.after) ||
    next.length < t.before.length + t.after.length + 1 ||
    /[@\s]/.test(value)
  ) {
    return skip(`the new reference ${next} does not fit the template of ARG ${t.arg}`);
  }
  return [replace(t.argRange, value)];
}

/** Replaces (or adds) the tag of the base image a finding points at. */
export function retagBase(model: Dockerfile, finding: Finding, tag: string): TextEdit[] | Skip {
  return rewriteReference(model, finding, (name) => `${name}:${tag}`);
}

/** Adds `@digest` after the tag of the base image a finding points at. */
export function addDigest(model: Dockerfile, finding: Finding, digest: string): TextEdit[] | Skip {
  return rewriteReference(model, finding, (name, tag) => `${name}${tag ? `:${tag}` : ''}@${digest}`);
}

/** Fix for the tag rules: the tag the resolver chose for the finding's base image. */
export function pinResolvedTag(finding: Finding, { model, resolutions }: FixContext): TextEdit[] | Skip {
  const tag = finding.needs[0] ? resolutions.get(finding.needs[0]) : undefined;
  if (!tag) return skip('nothing to look up');
  if (!tag.ok) return skip(explainFailure(tag));
  return retagBase(model, finding, tag.value);
}
