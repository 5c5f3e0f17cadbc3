import type { Dockerfile } from '../core/model';
import type { Range } from '../core/source';
import type { Resolutions } from '../resolve/types';
import type { NewUser, PinPolicy } from './config';
import type { ContextFiles, Finding } from './define-rule';

/**
 * What an edit means to do, so that the meaning check (verify.ts) can tell a declared change from
 * an accident: the rewrite may differ from the original only by what its edits' intents say.
 */
export type EditIntent =
  /** A command added at the end of a RUN's list; `tool` is the command it cleans up after. */
  | { readonly kind: 'append'; readonly command: string; readonly tool?: string }
  /** A command put before another one, joined by `&&`. */
  | { readonly kind: 'prepend'; readonly command: string }
  /** A word added to a command (an option). */
  | { readonly kind: 'option'; readonly word: string }
  /** One word rewritten, as the shell reads it: `from` → `to` (a pin, a renamed command). */
  | { readonly kind: 'word'; readonly from: string; readonly to: string }
  /** Whole instructions inserted on lines of their own, before or after the instruction at that place. */
  | { readonly kind: 'lines'; readonly count: number; readonly after?: boolean }
  /** The instruction becomes another one (`ADD` → `COPY`, `MAINTAINER` → `LABEL`). */
  | { readonly kind: 'keyword'; readonly to: string }
  /**
   * The RUN that follows on the next line joins this RUN's list with `&&`: its keyword gives way to
   * a continuation, so the two run as one (an update with the install that reads its lists).
   */
  | { readonly kind: 'merge-run' }
  /** A shell-form CMD or ENTRYPOINT written in exec form. */
  | { readonly kind: 'exec-form' }
  /** The base image of these stages changes (a tag, a variant, a digest). */
  | { readonly kind: 'image'; readonly stages: readonly number[] }
  /** A flag added to an instruction (`COPY --chown=…`). */
  | { readonly kind: 'flag'; readonly flag: string }
  /** A value of an ENV, ARG or LABEL, or a COPY destination, rewritten. */
  | { readonly kind: 'value' }
  /** A line of a requirements file. */
  | { readonly kind: 'requirement' }
  /**
   * A builder stage `name` inserted before the stage `stage` (its index in the text edited): on that
   * stage's base image, a virtual env first when `venv` (see venv-stage.ts), then copies of that
   * stage's instructions.
   */
  | { readonly kind: 'builder'; readonly stage: number; readonly name: string; readonly venv: boolean }
  /**
   * The lines after a runtime stage's FROM that take the builder's virtual env, and install the
   * runtime libraries `packages` its compiled code links to.
   */
  | { readonly kind: 'runtime'; readonly builder: string; readonly packages: readonly string[] }
  /**
   * An instruction taken out of its stage: the builder stage `builder` runs it instead. With
   * `modules`, a COPY of the builder's `node_modules` in that folder (the WORKDIR the instruction
   * ran in) takes its place (see node-split.ts).
   */
  | { readonly kind: 'moved'; readonly builder: string; readonly modules?: string };

export interface TextEdit {
  readonly range: Range;
  readonly text: string;
  /** A build-context file (a requirements file) to edit instead of the Dockerfile. */
  readonly file?: string;
  readonly intent?: EditIntent;
  /**
   * Pieces of `text` that are copies of the edited text at `from` (an instruction a build split
   * moves to its builder stage): what is found there was found at `from` before.
   */
  readonly copies?: readonly { readonly at: number; readonly from: number; readonly length: number }[];
}

export interface Skip {
  readonly skipped: string;
}

export interface FixContext {
  readonly model: Dockerfile;
  readonly resolutions: Resolutions;
  readonly files: ContextFiles;
  readonly pinPolicy: PinPolicy;
  /** The user the non-root fix creates when the image has none. */
  readonly newUser: NewUser;
}

export interface Fixer {
  readonly ruleId: string;
  fix(finding: Finding, ctx: FixContext): readonly TextEdit[] | Skip;
}

export function defineFixer(fixer: Fixer): Fixer {
  return Object.freeze(fixer);
}

export function skip(reason: string): Skip {
  return { skipped: reason };
}

export function isSkip(result: readonly TextEdit[] | Skip): result is Skip {
  return 'skipped' in result;
}
