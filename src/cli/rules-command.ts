import { imageRules, rules } from '../../rules';
import type { ImageRule } from '../engine/define-image-rule';
import type { Rule } from '../engine/define-rule';

/** Where the rule reference lives, from the repository root: an index and one page per rule. */
export const RULES_INDEX = 'docs/rules.md';
export const RULE_PAGES_DIR = 'docs/rules';

/** The page of one rule (Dockerfile or image rule), from the repository root. */
export function rulePagePath(id: string): string {
  return `${RULE_PAGES_DIR}/${id}.md`;
}

function fixable(rule: Rule): string {
  return rule.fix === 'none' ? 'no' : rule.fix === 'review' ? 'yes (review)' : 'yes';
}

/** A rule's severity, and `(off by default)` for the rules configuration must turn on. */
function severityText(rule: Rule): string {
  return rule.defaultOff ? `${rule.severity} (off by default)` : rule.severity;
}

/**
 * Plain text as Markdown that renders as the same text: code spans are kept, and outside them the
 * characters Markdown would take as markup (emphasis, links, HTML, table cells) are escaped.
 */
export function markdownText(text: string): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part.replace(/[\\*[\]<>|]/g, '\\$&').replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, '\\_'),
    )
    .join('');
}

/** A rule id as a table cell: as code, and a link to its page when the pages' folder is given. */
function idCell(id: string, pagesDir: string | undefined): string {
  return pagesDir === undefined ? `\`${id}\`` : `[\`${id}\`](${pagesDir}/${id}.md)`;
}

/**
 * The table of the Dockerfile rules, generated from rule metadata (`rules --format markdown`, and
 * docs/rules.md, where `pagesDir` links each id to its page).
 */
export function rulesMarkdown(pagesDir?: string): string {
  const rows = rules.map(
    (r) =>
      `| ${idCell(r.id, pagesDir)} | ${r.aliases.join(', ') || '—'} | ${severityText(r)} | ${fixable(r)} | ${markdownText(r.description)} |`,
  );
  return (
    ['| Rule | hadolint | Severity | Fix | Description |', '| --- | --- | --- | --- | --- |', ...rows].join(
      '\n',
    ) + '\n'
  );
}

/** The table of the image rules (triage), generated from their metadata. */
export function imageRulesMarkdown(pagesDir?: string): string {
  const rows = imageRules.map(
    (r) =>
      `| ${idCell(r.id, pagesDir)} | ${r.aliases.join(', ') || '—'} | ${r.severity} | ${r.needsLayers ? 'yes' : 'no'} | ${markdownText(r.description)} |`,
  );
  return (
    [
      '| Rule | Also known as | Severity | Needs --layers | Description |',
      '| --- | --- | --- | --- | --- |',
      ...rows,
    ].join('\n') + '\n'
  );
}

/** `n thing` or `n things`. */
function count(n: number, thing: string): string {
  return `${n} ${thing}${n === 1 ? '' : 's'}`;
}

/** `17 error, 53 warning, …` in severity order, leaving out the severities no rule has. */
function bySeverity(list: readonly { readonly severity: string }[]): string {
  const order = ['error', 'warning', 'info', 'style'];
  return order
    .map((s) => [s, list.filter((r) => r.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
}

/** The README's short summary of the rules, generated from rule metadata. */
export function rulesSummaryMarkdown(): string {
  const withAlias = rules.filter((r) => r.aliases.length > 0).length;
  const off = rules.filter((r) => r.defaultOff).length;
  const fixed = rules.filter((r) => r.fix !== 'none').length;
  const review = rules.filter((r) => r.fix === 'review').length;
  const layers = imageRules.filter((r) => r.needsLayers).length;
  return [
    `- **${count(rules.length, 'Dockerfile rule')}** (${bySeverity(rules)}; ${off} off by default), ` +
      `${withAlias} of them carrying a hadolint code. \`fix\` rewrites what ${fixed} of them find, ` +
      `${review} of those marked **needs review**.`,
    `- **${count(imageRules.length, 'image rule')}** for \`triage\` (${bySeverity(imageRules)}), ` +
      `${layers} of them reading the layers (\`--layers\`).`,
    `- The tables of every rule are in [${RULES_INDEX}](${RULES_INDEX}), and each rule has its page ` +
      `(\`${RULE_PAGES_DIR}/<id>.md\`, what \`harden-dockerfile explain <id>\` prints).`,
  ]
    .join('\n')
    .concat('\n');
}

function fixText(rule: Rule): string {
  if (rule.fix === 'none') return 'no — reported, not rewritten';
  if (rule.fix === 'review') return 'yes (review) — `fix` rewrites it, marked **needs review**';
  return 'yes — `fix` rewrites it';
}

/** A rule's page: its description, the facts about it as a list, its docs, and where the others are. */
function page(rule: { id: string; description: string; docs: string }, facts: readonly string[]): string {
  return [
    `# ${rule.id}`,
    '',
    markdownText(rule.description),
    '',
    ...facts.map((f) => `- ${f}`),
    '',
    markdownText(rule.docs),
    '',
    `\`harden-dockerfile explain ${rule.id}\` prints this page as plain text. All the rules: [rules.md](../rules.md).`,
    '',
  ].join('\n');
}

function rulePage(rule: Rule): string {
  return page(rule, [
    `Rule: \`${rule.id}\``,
    `hadolint: ${rule.aliases.join(', ') || '—'}`,
    `Severity: ${severityText(rule)}`,
    `Fix: ${fixText(rule)}`,
  ]);
}

function imageRulePage(rule: ImageRule): string {
  return page(rule, [
    `Rule: \`${rule.id}\`, an image rule of \`triage\` ([triage.md](../triage.md))`,
    `Also known as: ${rule.aliases.join(', ') || '—'}`,
    `Severity: ${rule.severity}`,
    `Needs --layers: ${rule.needsLayers ? 'yes' : 'no'}`,
  ]);
}

/** One page per rule, Dockerfile and image rules alike, by path from the repository root. */
export function rulePages(): Map<string, string> {
  const pages = new Map<string, string>();
  const add = (id: string, text: string) => {
    if (pages.has(rulePagePath(id))) throw new Error(`two rules have the id ${id}`);
    pages.set(rulePagePath(id), text);
  };
  for (const r of rules) add(r.id, rulePage(r));
  for (const r of imageRules) add(r.id, imageRulePage(r));
  return pages;
}

/**
 * Replaces what stands between `<!-- name:start -->` and `<!-- name:end -->` for every name given;
 * throws when a file lacks a pair of markers, so nothing generated goes missing unnoticed.
 */
export function fillSections(text: string, sections: Readonly<Record<string, string>>): string {
  let out = text;
  for (const [name, content] of Object.entries(sections)) {
    const re = new RegExp(`(<!-- ${name}:start -->\\n)[\\s\\S]*?(<!-- ${name}:end -->)`);
    if (!re.test(out)) throw new Error(`no <!-- ${name}:start --> … <!-- ${name}:end --> markers`);
    out = out.replace(re, (_m, start: string, end: string) => `${start}${content}${end}`);
  }
  return out;
}

/** Everything `npm run docs` generates: marked sections of hand-written files, and whole pages. */
export interface GeneratedDocs {
  /** File (from the repository root) → marker name → what stands between the markers. */
  readonly sections: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /** The pages of `RULE_PAGES_DIR`, whole: no other `.md` file belongs there. */
  readonly pages: ReadonlyMap<string, string>;
}

export function generatedDocs(): GeneratedDocs {
  const sections = new Map<string, Readonly<Record<string, string>>>();
  sections.set('README.md', { rules: rulesSummaryMarkdown() });
  sections.set(RULES_INDEX, { rules: rulesMarkdown('rules'), 'image-rules': imageRulesMarkdown('rules') });
  return { sections, pages: rulePages() };
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

/** A rule's documentation, ending with the path of its page. */
export function explainRule(id: string): string | undefined {
  const image = imageRules.find((r) => r.id === id);
  if (image)
    return `${image.id} — ${image.severity}, triage${image.needsLayers ? ' --layers' : ''}\n${image.description}\n\n${image.docs}\n\ndocs: ${rulePagePath(image.id)}\n`;
  const rule = rules.find((r) => r.id === id || r.aliases.some((a) => a.toLowerCase() === id.toLowerCase()));
  if (!rule) return undefined;
  const alias = rule.aliases.length > 0 ? ` (hadolint ${rule.aliases.join(', ')})` : '';
  return `${rule.id}${alias} — ${severityText(rule)}, fix: ${fixable(rule)}\n${rule.description}\n\n${rule.docs}\n\ndocs: ${rulePagePath(rule.id)}\n`;
}
