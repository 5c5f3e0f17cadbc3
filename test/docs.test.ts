import * as fs from 'node:fs';
import * as path from 'node:path';
import { imageRules, rules } from '../rules';
import { explainRule, generatedDocs, RULE_PAGES_DIR, rulePagePath } from '../src/cli/rules-command';

const root = path.resolve(__dirname, '..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

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
