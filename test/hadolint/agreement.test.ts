import { rules } from '../../rules';
import { lint, testShell } from '../harness/rule-tester';
import { SPEC_CASES, type SpecCase } from './spec-cases';

function expand(c: SpecCase): SpecCase[] {
  if (!c.onbuild) return [c];
  const wrapped = c.dockerfile.replace(/^RUN /, 'ONBUILD RUN ');
  return [c, { ...c, dockerfile: wrapped, onbuild: false }];
}

const cases = SPEC_CASES.flatMap(expand);

describe("agreement with hadolint's own spec cases", () => {
  const byCode = new Map<string, { total: number; agree: number; misses: string[] }>();

  beforeAll(async () => {
    const s = await testShell();
    for (const c of cases) {
      const rule = rules.find((r) => r.aliases.includes(c.code));
      if (!rule) throw new Error(`no rule carries ${c.code}`);
      const caught =
        (await lint(rule, c.dockerfile, s, { trustedRegistries: c.trustedRegistries ?? [] })).length > 0;
      const stat = byCode.get(c.code) ?? { total: 0, agree: 0, misses: [] };
      stat.total++;
      if (caught === c.catches) stat.agree++;
      else stat.misses.push(`${c.catches ? 'missed' : 'extra'}: ${JSON.stringify(c.dockerfile)}`);
      byCode.set(c.code, stat);
    }
  });

  it('covers every hadolint alias we claim', () => {
    const claimed = rules.flatMap((r) => r.aliases).sort();
    expect([...byCode.keys()].sort()).toEqual(claimed);
  });

  it('agrees on at least 95% of cases overall and 90% per rule', () => {
    let total = 0;
    let agree = 0;
    const report: string[] = [];
    for (const [code, s] of [...byCode].sort()) {
      total += s.total;
      agree += s.agree;
      report.push(`${code} ${s.agree}/${s.total}${s.misses.length ? ` ${s.misses.join(' | ')}` : ''}`);
    }
    console.log(
      `hadolint agreement ${agree}/${total} (${((100 * agree) / total).toFixed(1)}%)\n${report.join('\n')}`,
    );
    expect(agree / total).toBeGreaterThanOrEqual(0.95);
    const weak = [...byCode].filter(([, s]) => s.agree / s.total < 0.9).map(([code]) => code);
    expect(weak).toEqual([]);
  });
});
