import { createTwoFilesPatch } from 'diff';
import { unifiedDiff } from '../../src/report/diff';

/** What jsdiff prints for the whole texts, without its leading row of `=`. */
const whole = (before: string, after: string) =>
  createTwoFilesPatch('a/Dockerfile', 'b/Dockerfile', before, after, undefined, undefined, {
    context: 3,
  }).replace(/^=+\n/, '');

const lines = (n: number, eol = '\n') => Array.from({ length: n }, (_, i) => `RUN step ${i}${eol}`).join('');

describe('unifiedDiff', () => {
  const base = lines(40);
  const cases: [string, string, string][] = [
    ['nothing changed', base, base],
    ['first line', base, base.replace('RUN step 0\n', 'FROM x\n')],
    ['last line', base, base.replace('RUN step 39\n', 'RUN step 39 && rm -rf x\n')],
    ['a line inserted in the middle', base, base.replace('RUN step 20\n', 'RUN step 20\nUSER app\n')],
    ['two changes far apart', base, base.replace('step 3\n', 'step 3b\n').replace('step 33\n', 'step 33b\n')],
    [
      'two changes close by',
      base,
      base.replace('step 10\n', 'step 10b\n').replace('step 15\n', 'step 15b\n'),
    ],
    ['no line break at the end, removed', base.slice(0, -1), base],
    ['no line break at the end, kept', base.slice(0, -1), base.slice(0, -1).replace('step 1\n', 'step 1b\n')],
    ['CRLF', lines(30, '\r\n'), lines(30, '\r\n').replace('step 12\r\n', 'step 12\r\nUSER app\r\n')],
    [
      'a repeated line inserted beside its twin',
      base,
      base.replace('RUN step 7\n', 'RUN step 7\nRUN step 7\n'),
    ],
    ['from empty', '', 'FROM x\n'],
    ['to empty', 'FROM x\n', ''],
    ['lines appended', base, `${base}USER app\n`],
  ];
  it.each(cases)('%s: the same hunks as a diff of the whole texts', (_name, before, after) => {
    expect(unifiedDiff('Dockerfile', before, after)).toBe(before === after ? '' : whole(before, after));
  });

  it('names the file relative, with forward slashes', () => {
    expect(unifiedDiff('.\\app\\Dockerfile', 'a\n', 'b\n').split('\n').slice(0, 2)).toEqual([
      '--- a/app/Dockerfile',
      '+++ b/app/Dockerfile',
    ]);
  });
});
