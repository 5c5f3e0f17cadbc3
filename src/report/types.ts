import type { LineIndex } from '../core/source';
import type { Finding, Rule } from '../engine/define-rule';
import type { FixRecord } from '../engine/harden';
import type { Proof } from '../prove/prove';

/** What one examined file contributes to a report. */
export interface FileReport {
  readonly path: string;
  readonly lines?: LineIndex;
  readonly findings: readonly Finding[];
  readonly applied?: readonly FixRecord[];
  readonly skipped?: readonly FixRecord[];
  readonly dropped?: readonly FixRecord[];
  /** The file could not be read or examined. */
  readonly error?: string;
  /** fix --prove: the original and the hardened image, built and run. */
  readonly proof?: Proof;
}

export interface ReportMeta {
  readonly rules: readonly Rule[];
  readonly version: string;
  readonly color: boolean;
}

export type Formatter = (files: readonly FileReport[], meta: ReportMeta) => string;

/**
 * A report written file by file, so a run over thousands of files holds none of them once written:
 * `head`, then `file` for each file in order, then `tail`; together the same text as the formatter's.
 */
export interface StreamingFormatter {
  head(meta: ReportMeta): string;
  file(report: FileReport, meta: ReportMeta, index: number): string;
  tail(meta: ReportMeta, count: number): string;
}

/** Formats that are a concatenation of per-file parts stream by formatting one file at a time. */
export function perFile(format: Formatter): StreamingFormatter {
  return { head: () => '', file: (r, meta) => format([r], meta), tail: () => '' };
}

export interface Located {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

/** 1-based start and end of a finding, computed at the last moment. */
export function locate(file: FileReport, finding: Finding): Located {
  if (!file.lines) return { line: 1, column: 1, endLine: 1, endColumn: 1 };
  const start = file.lines.positionAt(finding.range.start);
  const end = file.lines.positionAt(Math.max(finding.range.start, finding.range.end));
  return { line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
}

export function ruleMap(meta: ReportMeta): ReadonlyMap<string, Rule> {
  let map = RULE_MAPS.get(meta.rules);
  if (!map) RULE_MAPS.set(meta.rules, (map = new Map(meta.rules.map((r) => [r.id, r]))));
  return map;
}

const RULE_MAPS = new WeakMap<readonly Rule[], ReadonlyMap<string, Rule>>();
