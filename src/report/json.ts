import type { Finding, Rule, Severity } from '../engine/define-rule';
import {
  locate,
  ruleMap,
  type FileReport,
  type Formatter,
  type Located,
  type StreamingFormatter,
} from './types';

export const JSON_REPORT_VERSION = 1;

/** A finding as the JSON report and the library give it: rule, alias, 1-based place, fixability. */
export interface PlainFinding extends Located {
  readonly rule: string;
  readonly hadolint: string | null;
  readonly severity: Severity;
  readonly message: string;
  readonly fixable: boolean;
}

export function plainFinding(file: FileReport, f: Finding, rules: ReadonlyMap<string, Rule>): PlainFinding {
  const rule = rules.get(f.ruleId);
  return {
    rule: f.ruleId,
    hadolint: rule?.aliases[0] ?? null,
    severity: f.severity,
    message: f.message,
    ...locate(file, f),
    fixable: rule !== undefined && rule.fix !== 'none',
  };
}

function fileEntry(file: FileReport, rules: ReadonlyMap<string, Rule>) {
  return {
    path: file.path,
    ...(file.error ? { error: file.error } : {}),
    findings: file.findings.map((f) => plainFinding(file, f, rules)),
    ...(file.applied
      ? { fixed: file.applied, skipped: file.skipped ?? [], dropped: file.dropped ?? [] }
      : {}),
    ...(file.proof ? { proof: file.proof } : {}),
  };
}

/** The `--format json` contract: one entry per file examined, 1-based lines and columns. */
export const formatJson: Formatter = (files, meta) => {
  const rules = ruleMap(meta);
  const report = { version: JSON_REPORT_VERSION, files: files.map((file) => fileEntry(file, rules)) };
  return `${JSON.stringify(report, null, 2)}\n`;
};

/** The same document as formatJson, written one file entry at a time. */
export const streamJson: StreamingFormatter = {
  head: () => `{\n  "version": ${JSON_REPORT_VERSION},\n  "files": [`,
  file(report, meta, index) {
    // Stringified inside the document's own nesting, the entry comes out indented as it stands there.
    const doc = JSON.stringify({ files: [fileEntry(report, ruleMap(meta))] }, null, 2);
    const entry = doc.slice(doc.indexOf('[') + 2, doc.lastIndexOf(']') - 3);
    return `${index === 0 ? '\n' : ',\n'}${entry}`;
  },
  tail: (_meta, count) => `${count > 0 ? '\n  ' : ''}]\n}\n`,
};
