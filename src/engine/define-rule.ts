import type { Dockerfile } from '../core/model';
import type { Range } from '../core/source';
import type { ResolveRequest } from '../resolve/types';

export type Severity = 'error' | 'warning' | 'info' | 'style';
export const SEVERITIES: readonly Severity[] = ['style', 'info', 'warning', 'error'];

/** `safe` cannot change what the image does; `review` can and is flagged for a human look. */
export type FixKind = 'safe' | 'review' | 'none';

export interface ReportDescriptor<M extends string> {
  readonly messageId: M;
  readonly data?: Readonly<Record<string, string>>;
  readonly range: Range;
  readonly needs?: readonly ResolveRequest[];
  /** A file of the build context (a requirements file) the range points into, instead of the Dockerfile. */
  readonly file?: string;
}

/** Files of the build context a rule may read, loaded before the rules run (rules never do I/O). */
export interface ContextFiles {
  read(contextPath: string): string | undefined;
}

/** What a rule may read besides the model: settings from configuration. */
export interface RuleSettings {
  readonly trustedRegistries: readonly string[];
  readonly requireHashes: boolean;
  readonly aptSnapshot: boolean;
}

export interface RuleContext<M extends string> {
  readonly settings: RuleSettings;
  readonly files: ContextFiles;
  report(descriptor: ReportDescriptor<M>): void;
}

export interface Rule<M extends string = string> {
  readonly id: string;
  /** hadolint codes with the same meaning, so hadolint users can keep their ignores. */
  readonly aliases: readonly string[];
  readonly severity: Severity;
  readonly description: string;
  /** Plain text: why, and how to comply. Feeds `--explain`, the README and SARIF help. */
  readonly docs: string;
  readonly messages: Readonly<Record<M, string>>;
  readonly fix: FixKind;
  check(model: Dockerfile, ctx: RuleContext<M>): void;
}

export function defineRule<M extends string>(rule: Rule<M>): Rule<M> {
  return Object.freeze(rule);
}

export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly messageId: string;
  readonly message: string;
  readonly data: Readonly<Record<string, string>>;
  readonly range: Range;
  readonly needs: readonly ResolveRequest[];
  readonly file?: string;
}

/** Fills `{{name}}` placeholders from `data`; an unknown name stays as written. */
export function formatMessage(template: string, data: Readonly<Record<string, string>>): string {
  if (!template.includes('{{')) return template;
  return template.replace(PLACEHOLDER, (m, key: string) => data[key] ?? m);
}

const PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/g;
