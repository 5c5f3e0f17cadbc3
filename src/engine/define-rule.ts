import type { Dockerfile } from '../core/model';
import type { Config, LabelType } from './config';
import type { Range } from '../core/source';
import type { ResolveRequest } from '../resolve/types';

import { SEVERITIES, type Severity } from './severity';
export { SEVERITIES, type Severity } from './severity';

/** Whether any of these findings is at or above the failure threshold (`none`: never). */
export function atOrAbove(
  findings: readonly { readonly severity: Severity }[],
  threshold: Severity | 'none',
): boolean {
  if (threshold === 'none') return false;
  const min = SEVERITIES.indexOf(threshold);
  return findings.some((f) => SEVERITIES.indexOf(f.severity) >= min);
}

/** The severity configuration gives a rule (by id or alias), or `off` when it is ignored. */
export function configuredSeverity(
  rule: {
    readonly id: string;
    readonly aliases: readonly string[];
    readonly severity: Severity;
    readonly defaultOff?: boolean;
  },
  config: Config,
): Severity | 'off' {
  const names = [rule.id, ...rule.aliases].map((n) => n.toLowerCase());
  if (names.some((n) => config.ignored.some((i) => i.toLowerCase() === n))) return 'off';
  for (const n of [rule.id, ...rule.aliases]) {
    const s = config.severity[n];
    if (s) return s;
  }
  return rule.defaultOff ? 'off' : rule.severity;
}

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
  readonly labelSchema: Readonly<Record<string, LabelType>>;
  readonly strictLabels: boolean;
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
  /** Off unless configuration names it (hadolint's `ignore` level: rules few want everywhere). */
  readonly defaultOff?: boolean;
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
  let parts = templates.get(template);
  if (!parts) templates.set(template, (parts = compileTemplate(template)));
  if (parts.length === 1) return parts[0];
  let out = parts[0];
  for (let i = 1; i < parts.length; i += 3) out += (data[parts[i]] ?? parts[i + 1]) + parts[i + 2];
  return out;
}

/** Templates split up: the text before the first placeholder, then per placeholder its name, its own
 * text (kept when data lacks the name) and the text after it. */
const templates = new Map<string, string[]>();

function compileTemplate(template: string): string[] {
  const parts: string[] = [];
  let last = 0;
  for (const m of template.matchAll(/\{\{\s*(\w+)\s*\}\}/g)) {
    parts.push(template.slice(last, m.index), m[1], m[0]);
    last = (m.index ?? 0) + m[0].length;
  }
  parts.push(template.slice(last));
  return parts;
}
