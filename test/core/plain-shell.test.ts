import { SegmentMap, type ShellParser } from '../../src/core/parse-shell';
import { LazyShellParser, plainScript, ShellNotLoaded } from '../../src/core/plain-shell';
import { loadTreeSitterShell } from '../../src/effects/shell';
import { parseWith } from '../harness/model';
import { plainBodies, shellSnippets } from '../harness/plain-shell';

let treeSitter: ShellParser;
beforeAll(async () => {
  treeSitter = await loadTreeSitterShell();
});

/** The same shell text as two pieces of a file, the second after a line break: ranges must map. */
function splitMap(text: string, fileStart = 7): SegmentMap {
  const half = Math.floor(text.length / 2);
  return new SegmentMap([
    { shellStart: 0, fileStart, length: half },
    { shellStart: half, fileStart: fileStart + half + 3, length: text.length - half },
  ]);
}

function expectAsTreeSitter(text: string): boolean {
  const map = splitMap(text);
  const plain = plainScript(text, map, false);
  if (!plain) return false;
  const reference = treeSitter.parse(text, map, false);
  expect({ text, script: JSON.stringify(plain) }).toEqual({ text, script: JSON.stringify(reference) });
  return true;
}

describe('plainScript', () => {
  it('reads plain bodies as tree-sitter does, field for field', () => {
    const bodies = plainBodies();
    for (const text of bodies) expect(expectAsTreeSitter(text)).toBe(true);
  });

  it('leaves to tree-sitter whatever is not plain', () => {
    for (const text of [
      'echo $1',
      'echo ${A:-b}',
      'echo $(id)',
      'echo "$@"',
      'echo $',
      'ls ?.txt',
      'ls [ab].txt',
      'a > /dev/null',
      'a 2>&1',
      'a &',
      'a |& b',
      'if true; then a; fi',
      'A= b',
      'A=1',
      'A=1 && b',
      'export A=1',
      'a # comment',
      'a "$b-$(c)"',
      'a "x\\"y"',
      'a && ',
      '&& a',
      'a ;; b',
      '(a)',
      '{ a; }',
      'a\nb',
      'echo `id`',
      '',
      '   ',
    ])
      expect({ text, plain: plainScript(text, SegmentMap.identity(0, text.length), false) }).toEqual({
        text,
        plain: undefined,
      });
  });

  it('agrees with tree-sitter on 20,000 stitched snippets, most of them plain or not', () => {
    let plain = 0;
    const snippets = shellSnippets(20000);
    for (const text of snippets) if (expectAsTreeSitter(text)) plain++;
    expect(plain).toBeGreaterThan(snippets.length / 10);
    expect(plain).toBeLessThan(snippets.length * 0.9);
  });
});

describe('LazyShellParser', () => {
  it('reads plain bodies without tree-sitter and throws for the others until loaded', async () => {
    let loads = 0;
    const lazy = new LazyShellParser(async () => {
      loads++;
      return treeSitter;
    });
    const text = 'FROM a\nRUN apt-get update && apt-get install -y curl\nRUN echo "$HOME" > /x\n';
    const model = parseWith(lazy, text);
    const [, plainRun, other] = model.instructions;
    expect(plainRun.kind === 'run' && plainRun.script?.commands.map((c) => c.name.value)).toEqual([
      'apt-get',
      'apt-get',
    ]);
    expect(() => other.kind === 'run' && other.script).toThrow(ShellNotLoaded);
    expect(loads).toBe(0);
    await lazy.load();
    await lazy.load();
    expect(loads).toBe(1);
    // The body that threw is read on the next ask.
    expect(other.kind === 'run' && other.script?.commands.map((c) => c.name.value)).toEqual(['echo']);
  });
});
