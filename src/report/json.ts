import { locate, ruleMap, type Formatter } from './types';

export const JSON_REPORT_VERSION = 1;

/** The `--format json` contract: one entry per file examined, 1-based lines and columns. */
export const formatJson: Formatter = (files, meta) => {
  const rules = ruleMap(meta);
  const report = {
    version: JSON_REPORT_VERSION,
    files: files.map((file) => ({
      path: file.path,
      ...(file.error ? { error: file.error } : {}),
      findings: file.findings.map((f) => {
        const rule = rules.get(f.ruleId);
        return {
          rule: f.ruleId,
          hadolint: rule?.aliases[0] ?? null,
          severity: f.severity,
          message: f.message,
          ...locate(file, f),
          fixable: rule !== undefined && rule.fix !== 'none',
        };
      }),
      ...(file.applied
        ? { fixed: file.applied, skipped: file.skipped ?? [], dropped: file.dropped ?? [] }
        : {}),
    })),
  };
  return `${JSON.stringify(report, null, 2)}\n`;
};
