import type { FixRecord } from '../engine/harden';
import { locate, type Formatter } from './types';

const COLORS: Record<string, string> = { error: '31', warning: '33', info: '36', style: '90' };

function paint(on: boolean, code: string, s: string): string {
  return on ? `\u001b[${code}m${s}\u001b[0m` : s;
}

function fixLine(path: string, kind: string, r: FixRecord): string {
  const review = r.review && kind === 'fixed' ? ' (needs review)' : '';
  const from = r.from && r.from.length > 0 ? ` (from ${r.from.join('; ')})` : '';
  return `${path}:${r.line} ${kind} ${r.ruleId}${review}: ${r.reason ?? r.message}${from}`;
}

/** `path:line:col severity rule message`, one finding a line, then what a fix did. */
export const formatText: Formatter = (files, meta) => {
  const out: string[] = [];
  for (const file of files) {
    if (file.error) {
      out.push(`${file.path}: ${paint(meta.color, COLORS.error, 'error')} ${file.error}`);
      continue;
    }
    for (const f of file.findings) {
      const { line, column } = locate(file, f);
      out.push(
        `${file.path}:${line}:${column} ${paint(meta.color, COLORS[f.severity], f.severity)} ${f.ruleId} ${f.message}`,
      );
    }
    for (const r of file.applied ?? []) out.push(fixLine(file.path, 'fixed', r));
    for (const r of file.skipped ?? []) out.push(fixLine(file.path, 'skipped', r));
    for (const r of file.dropped ?? []) out.push(fixLine(file.path, 'dropped', r));
  }
  return out.length > 0 ? `${out.join('\n')}\n` : '';
};
