import type { Dockerfile, Stage } from '../core/model';
import { baseImages, type BaseImageUse } from '../core/base-images';
import type { Finding } from './define-rule';
import { skip, type FixContext, type Skip, type TextEdit } from './define-fixer';
import { explainFailure } from '../resolve/explain';
import { replace } from './edits';
import { parseImageRef } from '../core/image-ref';
import { ociTagRequest } from '../resolve/requests';

/** The stage whose base image a finding points at. */
export function stageOfFinding(
  model: Dockerfile,
  finding: Finding,
  which: (s: Stage) => boolean = () => true,
): Stage | undefined {
  for (const use of baseImages(model)) {
    if (use.range.start === finding.range.start && use.range.end === finding.range.end && which(use.stage))
      return use.stage;
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
  fits?: (stage: Stage, image: string) => boolean,
  throughDigest = false,
): TextEdit[] | Skip {
  for (const use of baseImages(model)) {
    if (use.range.start !== finding.range.start || use.range.end !== finding.range.end) continue;
    if (use.editAt === undefined) {
      if (throughDigest) return skip('the base pinned by digest is assembled from an ARG; change it by hand');
      return use.template ? rewriteTemplate(model, use, make, fits) : skip(ASSEMBLED);
    }
    const { ref, editAt } = use;
    const end = (throughDigest ? ref.digestRange?.end : undefined) ?? ref.tagRange?.end ?? ref.nameRange.end;
    const text = model.source.text;
    const name = text.slice(editAt + ref.nameRange.start, editAt + ref.nameRange.end);
    const range = { start: editAt + ref.nameRange.start, end: editAt + end };
    const stages = use.stage.from.image.viaArg
      ? stagesUsingArg(model, use.stage.from.image.viaArg)
      : [use.stage];
    const shared = stages.find((s) => s.from.image.text !== use.stage.from.image.text);
    if (shared) return skip(sharedArg(use.stage.from.image.viaArg ?? '', shared));
    if (use.stage.from.image.viaArg && stageReadsArg(model, use.stage.from.image.viaArg))
      return skip(`a stage declares ARG ${use.stage.from.image.viaArg} again and reads its default`);
    return [replace(range, make(name, ref.tag), { kind: 'image', stages: stages.map((s) => s.index) })];
  }
  return skip('the base image could not be found');
}

const sharedArg = (arg: string, other: Stage) =>
  `ARG ${arg} also sets the base image of stage ${other.name ?? other.index} (${other.from.image.text}); a new default must fit both`;

/** The stages whose FROM reads a global ARG. */
export function stagesUsingArg(model: Dockerfile, arg: string): Stage[] {
  const uses = new RegExp(`\\$(\\{${arg}(?![A-Za-z0-9_])|${arg}(?![A-Za-z0-9_]))`);
  return model.stages.filter((s) => {
    const text = model.source.text.slice(s.from.argsRange.start, s.from.argsRange.end);
    return uses.test(text);
  });
}

/** Whether a stage declares the global ARG again, so that its RUNs and ENVs read the default too. */
function stageReadsArg(model: Dockerfile, arg: string): boolean {
  return model.stages.some((s) =>
    s.instructions.some(
      (i) => i.kind === 'arg' && i.pairs.some((p) => p.name === arg && p.value === undefined),
    ),
  );
}

const ASSEMBLED = 'the image reference is assembled from several variables or ones without a default';

/**
 * `ARG PY=3.12` + `FROM python:${PY}-slim`: the new reference must keep the literal text around the
 * variable, and what lies between becomes the ARG's new default (`3.12.7`). Anything else (a new
 * variant, a digest) would not survive an override of the ARG, and is refused.
 */
function rewriteTemplate(
  model: Dockerfile,
  use: BaseImageUse,
  make: (name: string, tag: string | undefined) => string,
  fits?: (stage: Stage, image: string) => boolean,
): TextEdit[] | Skip {
  const { ref } = use;
  const t = use.template!;
  const stages = stagesUsingArg(model, t.arg);
  if (stageReadsArg(model, t.arg))
    return skip(
      `a stage declares ARG ${t.arg} again and reads its default, which would change with the image tag`,
    );
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
  // Every FROM that reads the ARG gets the new default: each must read a true image from it, the
  // same as this one's, or one the caller knows to exist.
  for (const s of stages) {
    const other = s.from.image.template;
    if (s === use.stage) continue;
    if (other?.before === t.before && other.after === t.after && s.from.image.text === old) continue;
    if (!other || other.arg !== t.arg || !fits?.(s, other.before + value + other.after))
      return skip(sharedArg(t.arg, s));
  }
  return [replace(t.argRange, value, { kind: 'image', stages: stages.map((s) => s.index) })];
}

/**
 * Replaces (or adds) the tag of the base image a finding points at. `fits` tells whether another
 * FROM that shares the ARG the tag is written into may read the new image.
 */
export function retagBase(
  model: Dockerfile,
  finding: Finding,
  tag: string,
  fits?: (stage: Stage, image: string) => boolean,
): TextEdit[] | Skip {
  return rewriteReference(model, finding, (name) => `${name}:${tag}`, fits);
}

/** Replaces a base pinned by digest, `name:tag@digest`, with another tag pinned by its own digest. */
export function repinBase(
  model: Dockerfile,
  finding: Finding,
  tag: string,
  digest: string,
): TextEdit[] | Skip {
  return rewriteReference(model, finding, (name) => `${name}:${tag}@${digest}`, undefined, true);
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
  // Another FROM sharing the ARG may take the new default when the registry gave it that very tag.
  const fits = (stage: Stage, image: string) => {
    const ref = stage.from.image.ref;
    const next = parseImageRef(image);
    if (!ref || !next?.tag) return false;
    const answer = resolutions.get(ociTagRequest(ref));
    return answer.ok && answer.value === next.tag && next.name === ref.name && next.registry === ref.registry;
  };
  return retagBase(model, finding, tag.value, fits);
}
