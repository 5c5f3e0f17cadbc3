import * as fs from 'node:fs';
import * as path from 'node:path';
import { imageRules, rules } from '../rules';
import { explainRule, generatedDocs, RULE_PAGES_DIR, rulePagePath } from '../src/cli/rules-command';

const root = path.resolve(__dirname, '..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

/** The README and every Markdown file under docs/, from the repository root. */
function markdownFiles(): string[] {
  const walk = (dir: string): string[] =>
    fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
      const p = `${dir}/${e.name}`;
      return e.isDirectory() ? walk(p) : e.name.endsWith('.md') ? [p] : [];
    });
  return ['README.md', ...walk('docs')];
}

/** The targets of a Markdown text's relative links, without their anchors; code is not looked into. */
function relativeLinks(markdown: string): string[] {
  let fenced = false;
  const prose = markdown
    .split('\n')
    .filter((line) => {
      if (/^\s*(```|~~~)/.test(line)) {
        fenced = !fenced;
        return false;
      }
      return !fenced;
    })
    .join('\n')
    .replace(/(`+)[\s\S]*?\1/g, '');
  const targets = [
    ...[...prose.matchAll(/\]\(\s*(?:<([^>]+)>|([^)\s]+))(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1] ?? m[2]),
    ...[...prose.matchAll(/^\s*\[[^\]]+\]:\s*(\S+)/gm)].map((m) => m[1]),
  ];
  return targets
    .filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t) && !t.startsWith('#'))
    .map((t) => decodeURIComponent(t.replace(/#.*$/, '')));
}

describe('the generated docs', () => {
  const docs = generatedDocs();

  it('hold, between their markers, what the rule metadata gives', () => {
    expect([...docs.sections.keys()].sort()).toEqual(['README.md', 'docs/rules.md']);
    for (const [file, sections] of docs.sections) {
      const text = read(file);
      for (const [name, content] of Object.entries(sections)) {
        const m = new RegExp(`<!-- ${name}:start -->\\n([\\s\\S]*?)<!-- ${name}:end -->`).exec(text);
        expect({ file, name, found: m !== null }).toEqual({ file, name, found: true });
        expect({ file, name, content: m![1] }).toEqual({ file, name, content });
      }
    }
  });

  it('link every rule id of the tables in docs/rules.md to its page', () => {
    const index = read('docs/rules.md');
    for (const r of [...rules, ...imageRules]) expect(index).toContain(`[\`${r.id}\`](rules/${r.id}.md)`);
  });

  it('give every rule, Dockerfile or image rule, a page of its own, as the metadata gives, and no other page', () => {
    const ids = [...rules, ...imageRules].map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...docs.pages.keys()].sort()).toEqual(ids.map(rulePagePath).sort());
    const onDisk = fs
      .readdirSync(path.join(root, RULE_PAGES_DIR))
      .map((name) => `${RULE_PAGES_DIR}/${name}`)
      .sort();
    expect(onDisk).toEqual([...docs.pages.keys()].sort());
    for (const [file, text] of docs.pages) expect({ file, text: read(file) }).toEqual({ file, text });
  });

  it("explain ends with the path of the rule's page, which has the rule's docs", () => {
    for (const r of [...rules, ...imageRules]) {
      const text = explainRule(r.id)!;
      expect(text.endsWith(`\ndocs: ${rulePagePath(r.id)}\n`)).toBe(true);
      expect(text).toContain(r.docs);
      expect(fs.existsSync(path.join(root, rulePagePath(r.id)))).toBe(true);
    }
  });
});

describe('the links of the README and docs/', () => {
  it('are found in prose and not in code', () => {
    expect(
      relativeLinks(
        '[a](b.md#x) `[c](d.md)` [e](https://x.example) [f](#g) [h](<i j.md>)\n```\n[k](l.md)\n```\n',
      ),
    ).toEqual(['b.md', 'i j.md']);
  });

  it('point to files that exist', () => {
    const files = markdownFiles();
    expect(files.length).toBeGreaterThan(10);
    const broken: string[] = [];
    let count = 0;
    for (const file of files)
      for (const target of relativeLinks(read(file))) {
        count++;
        if (!fs.existsSync(path.resolve(path.join(root, path.dirname(file)), target)))
          broken.push(`${file}: ${target}`);
      }
    expect(count).toBeGreaterThan(100);
    expect(broken).toEqual([]);
  });
});
