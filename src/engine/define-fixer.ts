import type { Dockerfile } from '../core/model';
import type { Range } from '../core/source';
import type { Resolutions } from '../resolve/types';
import type { PinPolicy } from './config';
import type { ContextFiles, Finding } from './define-rule';

export interface TextEdit {
  readonly range: Range;
  readonly text: string;
  /** A build-context file (a requirements file) to edit instead of the Dockerfile. */
  readonly file?: string;
}

export interface Skip {
  readonly skipped: string;
}

export interface FixContext {
  readonly model: Dockerfile;
  readonly resolutions: Resolutions;
  readonly files: ContextFiles;
  readonly pinPolicy: PinPolicy;
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
