import type { Log, ReportingDescriptor, Result } from 'sarif';
import { locate, type Formatter } from './types';

const LEVEL: Record<string, Result.level> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
  style: 'note',
};
export const INFORMATION_URI = 'https://www.npmjs.com/package/harden-dockerfile';

function toUri(path: string): string {
  return path
    .replace(/\\/g, '/')
    .replace(/^\.\//, '')
    .split('/')
    .map((p) => encodeURIComponent(p))
    .join('/');
}

/** SARIF 2.1.0 as GitHub code scanning accepts it: every rule in the driver, a region per result. */
export const formatSarif: Formatter = (files, meta) => {
  const rules: ReportingDescriptor[] = meta.rules.map((r) => ({
    id: r.id,
    name: r.id.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()).replace(/^\w/, (c) => c.toUpperCase()),
    shortDescription: { text: r.description },
    fullDescription: { text: r.docs },
    help: { text: r.docs },
    defaultConfiguration: { level: LEVEL[r.severity] },
    properties: {
      tags: ['dockerfile', 'security'],
      ...(r.aliases.length > 0 ? { hadolint: r.aliases } : {}),
    },
  }));
  const index = new Map(meta.rules.map((r, i) => [r.id, i]));
  const results: Result[] = [];
  for (const file of files) {
    for (const f of file.findings) {
      const l = locate(file, f);
      results.push({
        ruleId: f.ruleId,
        ruleIndex: index.get(f.ruleId),
        level: LEVEL[f.severity],
        message: { text: f.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: toUri(file.path), uriBaseId: '%SRCROOT%' },
              region: {
                startLine: l.line,
                startColumn: l.column,
                endLine: l.endLine,
                endColumn: l.endColumn,
              },
            },
          },
        ],
      });
    }
  }
  const log: Log = {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: {
          driver: {
            name: 'harden-dockerfile',
            version: meta.version,
            informationUri: INFORMATION_URI,
            rules,
          },
        },
        results,
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
};
