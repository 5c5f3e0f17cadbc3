import { rules } from '../../rules';
import { formatGithub } from '../../src/report/github';
import { formatJson, streamJson } from '../../src/report/json';
import { formatText } from '../../src/report/text';
import { perFile, type FileReport, type ReportMeta, type StreamingFormatter } from '../../src/report/types';
import { LineIndex } from '../../src/core/source';

const meta: ReportMeta = { rules, version: '0.0.0', color: false };
const text = 'FROM debian\nUSER root\n';
const lines = new LineIndex(text);

const A: FileReport = {
  path: 'a/Dockerfile',
  lines,
  findings: [
    {
      ruleId: 'base-image-tagged',
      severity: 'warning',
      messageId: 'untagged',
      message: 'base image debian has no tag (it means latest).',
      data: {},
      range: { start: 5, end: 11 },
      needs: [],
    },
  ],
};
const B: FileReport = { path: 'b/Dockerfile', findings: [], error: 'no such file or directory' };
const C: FileReport = { path: 'c/Dockerfile', lines, findings: [] };

function streamed(s: StreamingFormatter, files: FileReport[]): string {
  return s.head(meta) + files.map((f, i) => s.file(f, meta, i)).join('') + s.tail(meta, files.length);
}

describe('reports written file by file', () => {
  it.each([[[]], [[A]], [[A, B]], [[B, C, A]]])(
    'JSON is the same document as the whole report (%#)',
    (files) => {
      const out = streamed(streamJson, files);
      expect(out).toBe(formatJson(files, meta));
      expect(JSON.parse(out).files).toHaveLength(files.length);
    },
  );

  it('text and GitHub annotations are the same lines', () => {
    for (const format of [formatText, formatGithub]) {
      expect(streamed(perFile(format), [A, B, C, A])).toBe(format([A, B, C, A], meta));
    }
  });
});
