import type { Dockerfile } from '../core/model';
import { instrAt } from '../core/shell-commands';
import { compareText } from '../core/source';
import type { ResolveRequest } from '../resolve/types';
import type { Config } from './config';
import {
  configuredSeverity,
  formatMessage,
  type ContextFiles,
  type Finding,
  type Rule,
  type RuleContext,
  type Severity,
} from './define-rule';

const IGNORE = /^(?:hadolint|harden-dockerfile)\s+(global\s+)?ignore\s*=\s*([\w\s,-]+)$/i;

interface Suppressions {
  readonly global: ReadonlySet<string>;
  /** 0-based line of a comment → ids it names. */
  readonly byLine: ReadonlyMap<number, ReadonlySet<string>>;
  readonly commentLines: ReadonlySet<number>;
}

function suppressions(model: Dockerfile): Suppressions {
  const global = new Set<string>();
  const byLine = new Map<number, Set<string>>();
  for (const c of model.comments) {
    // Both directives start with an h (hadolint, harden-dockerfile): most comments stop here.
    if ((c.text.charCodeAt(0) | 0x20) !== 0x68) continue;
    const m = IGNORE.exec(c.text);
    if (!m) continue;
    const ids = m[2]
      .split(/[\s,]+/)
      .filter(Boolean)
      .map((s) => s.toLowerCase());
    if (m[1]) ids.forEach((id) => global.add(id));
    else byLine.set(c.line, new Set(ids));
  }
  return { global, byLine, commentLines: new Set(model.comments.map((c) => c.line)) };
}

/** What an ignore comment can name: a rule's id and aliases (or another tool's code). */
type Named = Pick<Rule, 'id' | 'aliases'>;

function names(rule: Named): string[] {
  return [rule.id, ...rule.aliases].map((s) => s.toLowerCase());
}

/** A finding is suppressed by an ignore comment among the comment lines right above its instruction. */
function isSuppressed(model: Dockerfile, s: Suppressions, rule: Named, offset: number): boolean {
  if (s.byLine.size === 0 && s.global.size === 0) return false;
  const ids = names(rule);
  if (ids.some((id) => s.global.has(id))) return true;
  const ins = instrAt(model, offset);
  if (!ins) return false;
  for (let line = ins.line - 1; line >= 0 && s.commentLines.has(line); line--) {
    const named = s.byLine.get(line);
    if (named && ids.some((id) => named.has(id))) return true;
  }
  return false;
}

export function severityOf(rule: Rule, config: Config): Severity | 'off' {
  let known = severities.get(config);
  if (!known) severities.set(config, (known = new Map()));
  let severity = known.get(rule);
  if (severity === undefined) known.set(rule, (severity = configuredSeverity(rule, config)));
  return severity;
}

/** Severity per rule, worked out once per configuration (a configuration is immutable). */
const severities = new WeakMap<Config, Map<Rule, Severity | 'off'>>();

/**
 * Findings of another tool (ShellCheck's SC codes as rule ids), kept or dropped the way ours are:
 * `ignored` and `severity` in configuration, and ignore comments above the instruction.
 */
export function externalFindings(model: Dockerfile, config: Config, found: readonly Finding[]): Finding[] {
  const s = suppressions(model);
  const out: Finding[] = [];
  for (const f of found) {
    const code = { id: f.ruleId, aliases: [], severity: f.severity };
    const severity = configuredSeverity(code, config);
    if (severity === 'off' || isSuppressed(model, s, code, f.range.start)) continue;
    out.push({ ...f, severity });
  }
  return out;
}

/** Findings in document order (see compareFindings). */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(compareFindings);
}

/** Runs every enabled rule over the model; rules are synchronous and only report. */
export const NO_FILES: ContextFiles = { read: () => undefined };

/** Document order: by file (the Dockerfile first), then position, then rule id. */
function compareFindings(a: Finding, b: Finding): number {
  if (a.file !== b.file) return compareText(a.file ?? '', b.file ?? '');
  if (a.range.start !== b.range.start) return a.range.start - b.range.start;
  return compareText(a.ruleId, b.ruleId);
}

export function runRules(
  model: Dockerfile,
  rules: readonly Rule[],
  config: Config,
  files: ContextFiles = NO_FILES,
): Finding[] {
  const s = suppressions(model);
  const findings: Finding[] = [];
  const settings = {
    trustedRegistries: config.trustedRegistries,
    requireHashes: config.requireHashes,
    aptSnapshot: config.pinPolicy.apt === 'snapshot',
    labelSchema: config.labelSchema,
    strictLabels: config.strictLabels,
  };
  // One context for every rule: rules are synchronous, so `rule` and `severity` are the running one's.
  let rule: Rule | undefined;
  let severity: Severity = 'info';
  const ctx: RuleContext<string> = {
    settings,
    files,
    report(d) {
      const r = rule as Rule;
      if (d.file === undefined && isSuppressed(model, s, r, d.range.start)) return;
      const template = r.messages[d.messageId];
      if (template === undefined) throw new Error(`rule ${r.id} reported unknown messageId ${d.messageId}`);
      const data = d.data ?? NO_DATA;
      findings.push({
        ruleId: r.id,
        severity,
        messageId: d.messageId,
        message: formatMessage(template, data),
        data,
        range: d.range,
        needs: d.needs ?? NO_NEEDS,
        file: d.file,
      });
    },
  };
  for (const r of rules) {
    const configured = severityOf(r, config);
    if (configured === 'off') continue;
    rule = r;
    severity = configured;
    r.check(model, ctx);
  }
  rule = undefined;
  return findings.sort(compareFindings);
}

const NO_DATA: Readonly<Record<string, string>> = Object.freeze({});
const NO_NEEDS: readonly ResolveRequest[] = Object.freeze([]);
