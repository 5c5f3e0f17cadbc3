import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixers } from '../../fixers';
import { imageRules, rules } from '../../rules';

const root = path.resolve(__dirname, '../..');

describe('the rule set', () => {
  it('has unique ids, sorted, named after their files', () => {
    const ids = rules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    const imageIds = imageRules.map((r) => r.id);
    expect([...imageIds].sort()).toEqual(imageIds);
    for (const id of imageIds) expect(id).toMatch(/^image-/);
    const files = fs
      .readdirSync(path.join(root, 'rules'))
      .filter((f) => f !== 'index.ts')
      .map((f) => f.replace(/\.ts$/, ''));
    expect(files.sort()).toEqual([...ids, ...imageIds].sort());
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it('has unique hadolint aliases in DLxxxx form', () => {
    const aliases = rules.flatMap((r) => r.aliases);
    expect(new Set(aliases).size).toBe(aliases.length);
    for (const a of aliases) expect(a).toMatch(/^DL\d{4}$/);
  });

  it("carries every DL code of hadolint's current rule set, so its users lose nothing", () => {
    // DL3005, DL3017, DL3031 and DL3039 were retired from hadolint; DL4002 never existed.
    const retired = new Set(['DL3005', 'DL3017', 'DL3031', 'DL3039']);
    const dl = (from: number, to: number) =>
      Array.from({ length: to - from + 1 }, (_, i) => `DL${from + i}`).filter((c) => !retired.has(c));
    const expected = [
      'DL1001',
      ...dl(3000, 3067),
      'DL4000',
      'DL4001',
      'DL4003',
      'DL4004',
      'DL4005',
      'DL4006',
    ];
    expect(expected).toHaveLength(71);
    expect(rules.flatMap((r) => r.aliases).sort()).toEqual(expected.sort());
  });

  it('pairs every fixable rule with a fixer and every fixer with a rule', () => {
    const fixable = rules
      .filter((r) => r.fix !== 'none')
      .map((r) => r.id)
      .sort();
    expect(fixers.map((f) => f.ruleId).sort()).toEqual(fixable);
    const files = fs
      .readdirSync(path.join(root, 'fixers'))
      .filter((f) => f !== 'index.ts')
      .map((f) => f.replace(/\.ts$/, ''));
    expect(files.sort()).toEqual(fixable);
  });

  it('documents every rule and uses camelCase message ids', () => {
    for (const r of [...rules, ...imageRules]) {
      expect(r.docs.length).toBeGreaterThan(60);
      expect(r.description).toMatch(/\.$/);
      for (const id of Object.keys(r.messages)) expect(id).toMatch(/^[a-z][a-zA-Z0-9]*$/);
    }
  });

  it('tests every rule with at least one valid and one invalid case', () => {
    const testDir = path.join(root, 'test/rules');
    const sources = fs
      .readdirSync(testDir)
      .map((f) => fs.readFileSync(path.join(testDir, f), 'utf8'))
      .join('\n');
    for (const r of [...rules, ...imageRules]) {
      expect(sources).toContain(`/rules/${r.id}'`);
    }
  });
});
