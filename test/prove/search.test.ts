import { findBreaking } from '../../src/prove/search';
import type { Verdict } from '../../src/prove/decide';

/** An image that breaks when any of `bad` is kept: the evidence names the last bad one kept. */
function judge(bad: readonly string[]) {
  const tried: string[][] = [];
  const attempt = async (kept: readonly string[]): Promise<Verdict> => {
    tried.push([...kept]);
    const breaking = kept.filter((r) => bad.includes(r));
    return breaking.length
      ? { proven: false, evidence: `${breaking[breaking.length - 1]} breaks it` }
      : { proven: true };
  };
  return { attempt, tried };
}

describe('finding the fixes that break the image', () => {
  const rules = ['a', 'b', 'c', 'd', 'e'];

  it('drops the breaking rules, each with the evidence of a try that failed with it, and keeps the rest', async () => {
    const { attempt } = judge(['b', 'd']);
    const first = await attempt(rules);
    const result = await findBreaking(rules, first, attempt);
    expect(result).toEqual({
      kept: ['a', 'c', 'e'],
      dropped: [
        { rule: 'b', evidence: 'b breaks it' },
        { rule: 'd', evidence: 'd breaks it' },
      ],
      exhausted: false,
    });
  });

  it('bisects: one culprit among many costs about log2(n) tries, not n', async () => {
    const many = Array.from({ length: 16 }, (_, i) => `r${i}`);
    const { attempt, tried } = judge(['r11']);
    const result = await findBreaking(many, await attempt(many), attempt);
    expect(result.dropped.map((d) => d.rule)).toEqual(['r11']);
    expect(tried.length - 1).toBeLessThanOrEqual(5);
  });

  it('stops, exhausted, when no build is left', async () => {
    const { attempt } = judge(['b', 'd']);
    let left = 1;
    const bounded = async (kept: readonly string[]) => (left-- > 0 ? attempt(kept) : undefined);
    const result = await findBreaking(rules, await attempt(rules), bounded);
    expect(result.exhausted).toBe(true);
    expect(result.kept).toEqual([]);
  });

  it('drops every rule when each breaks the image', async () => {
    const { attempt } = judge(['a', 'b']);
    const result = await findBreaking(['a', 'b'], await attempt(['a', 'b']), attempt);
    expect(result).toMatchObject({ kept: [], exhausted: false });
    expect(result.dropped.map((d) => d.rule)).toEqual(['a', 'b']);
  });
});
