import { locate, type Formatter } from './types';

export const LEVEL: Record<string, string> = {
  error: 'error',
  warning: 'warning',
  info: 'notice',
  style: 'notice',
};

export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** GitHub Actions workflow commands, which show up as annotations on the pull request. */
export const formatGithub: Formatter = (files) => {
  const out: string[] = [];
  for (const file of files) {
    if (file.error) {
      out.push(`::error file=${escapeProperty(file.path)}::${escapeData(file.error)}`);
      continue;
    }
    for (const f of file.findings) {
      const l = locate(file, f);
      const props = [
        `file=${escapeProperty(file.path)}`,
        `line=${l.line}`,
        `col=${l.column}`,
        `endLine=${l.endLine}`,
        `endColumn=${l.endColumn}`,
        `title=${escapeProperty(f.ruleId)}`,
      ].join(',');
      out.push(`::${LEVEL[f.severity]} ${props}::${escapeData(f.message)}`);
    }
  }
  return out.length > 0 ? `${out.join('\n')}\n` : '';
};
