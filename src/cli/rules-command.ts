import { imageRules, rules } from '../../rules';
import type { Rule } from '../engine/define-rule';

function fixable(rule: Rule): string {
  return rule.fix === 'none' ? 'no' : rule.fix === 'review' ? 'yes (review)' : 'yes';
}

/** A rule's severity, and `(off by default)` for the rules configuration must turn on. */
function severityText(rule: Rule): string {
  return rule.defaultOff ? `${rule.severity} (off by default)` : rule.severity;
}

/** The rule table of the README, generated from rule metadata. */
export function rulesMarkdown(): string {
  const rows = rules.map(
    (r) =>
      `| \`${r.id}\` | ${r.aliases.join(', ') || '—'} | ${severityText(r)} | ${fixable(r)} | ${r.description} |`,
  );
  return (
    ['| Rule | hadolint | Severity | Fix | Description |', '| --- | --- | --- | --- | --- |', ...rows].join(
      '\n',
    ) + '\n'
  );
}

/** The image rules' table of the README (triage), generated from their metadata. */
export function imageRulesMarkdown(): string {
  const rows = imageRules.map(
    (r) =>
      `| \`${r.id}\` | ${r.aliases.join(', ') || '—'} | ${r.severity} | ${r.needsLayers ? 'yes' : 'no'} | ${r.description} |`,
  );
  return (
    [
      '| Rule | Also known as | Severity | Needs --layers | Description |',
      '| --- | --- | --- | --- | --- |',
      ...rows,
    ].join('\n') + '\n'
  );
}

export function listRules(format: 'text' | 'json' | 'markdown'): string {
  if (format === 'markdown') return rulesMarkdown();
  if (format === 'json') {
    const list = rules.map((r) => ({
      id: r.id,
      hadolint: r.aliases[0] ?? null,
      severity: r.severity,
      enabled: !r.defaultOff,
      fixable: r.fix !== 'none',
      description: r.description,
    }));
    return `${JSON.stringify(list, null, 2)}\n`;
  }
  const width = Math.max(...rules.map((r) => r.id.length));
  return rules
    .map(
      (r) =>
        `${r.id.padEnd(width)}  ${(r.aliases[0] ?? '').padEnd(6)}  ${r.severity.padEnd(7)}  ${r.description}`,
    )
    .join('\n')
    .concat('\n');
}

export function explainRule(id: string): string | undefined {
  const image = imageRules.find((r) => r.id === id);
  if (image)
    return `${image.id} — ${image.severity}, triage${image.needsLayers ? ' --layers' : ''}\n${image.description}\n\n${image.docs}\n`;
  const rule = rules.find((r) => r.id === id || r.aliases.some((a) => a.toLowerCase() === id.toLowerCase()));
  if (!rule) return undefined;
  const alias = rule.aliases.length > 0 ? ` (hadolint ${rule.aliases.join(', ')})` : '';
  return `${rule.id}${alias} — ${severityText(rule)}, fix: ${fixable(rule)}\n${rule.description}\n\n${rule.docs}\n`;
}
