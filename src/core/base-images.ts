import type { ImageRef } from './image-ref';
import type { BaseImage, Dockerfile, Stage } from './model';
import type { Range } from './source';

export interface BaseImageUse {
  readonly stage: Stage;
  readonly ref: ImageRef;
  /** `[registry/]repository` as the file writes it (`ghcr.io/crazy-max/osxcross`, `python`). */
  readonly name: string;
  /** Where findings go: the image text (in the FROM or its ARG default), else the FROM's arguments. */
  readonly range: Range;
  /** File offset where `ref`'s own offsets start, when the reference can be edited in place. */
  readonly editAt?: number;
  /** The ARG whose default a tag edit changes, when the reference is assembled around one variable. */
  readonly template?: BaseImage['template'];
}

/** FROMs that name a real image: not `scratch`, not an earlier stage, not an unresolved variable. */
export function* baseImages(model: Dockerfile): Generator<BaseImageUse> {
  for (const stage of model.stages) {
    const { from } = stage;
    if (from.isScratch || from.baseStage !== undefined || !from.image.ref) continue;
    yield {
      stage,
      ref: from.image.ref,
      name: from.image.text.slice(from.image.ref.nameRange.start, from.image.ref.nameRange.end),
      range: from.image.range ?? from.argsRange,
      editAt: from.image.range?.start,
      template: from.image.template,
    };
  }
}
