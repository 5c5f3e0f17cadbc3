import fc from 'fast-check';
import * as fs from 'node:fs';
import { harden } from '../../src/engine/harden';
import { verifyRewrite } from '../../src/engine/verify';
import { loadCorpus } from '../harness/corpus';
import { fixOptions } from '../harness/fix-options';
import { parse, testShell } from '../harness/rule-tester';

const texts = loadCorpus().map((e) => fs.readFileSync(e.dockerfile, 'utf8'));

type Mutation = (text: string, rnd: number) => string;

/** Ways real files differ from each other: each keeps the file a Dockerfile a person could have written. */
const MUTATIONS: Record<string, Mutation> = {
  crlf: (t) => t.replace(/\r?\n/g, '\r\n'),
  noFinalNewline: (t) => t.replace(/[\r\n]+$/, ''),
  splitRunLines: (t, r) =>
    t.replace(/^(RUN [^\n\\]*?) (&&|\|\||;)/gm, (m, head: string, op: string) =>
      r % 2 ? `${head} \\\n    ${op}` : m,
    ),
  continuationComments: (t) => t.replace(/ \\\n/, ' \\\n# a comment inside the continuation\n'),
  lowercaseKeywords: (t) =>
    t.replace(/^(FROM|RUN|COPY|ADD|ENV|CMD|USER|WORKDIR|EXPOSE)\b/gm, (k) => k.toLowerCase()),
  tabs: (t) => t.replace(/^ {4}/gm, '\t'),
  oddUnicode: (t, r) => {
    const odd = ['\u200b', 'é', '😀', '\u00a0', '中文', '\ufeff'][r % 6];
    return t.replace(/^(#.*)$/m, `$1 ${odd}`).replace(/(echo )/, `$1${odd}`);
  },
  bom: (t) => `\ufeff${t}`,
  longLine: (t, r) => t.replace(/^(RUN .*)$/m, (line) => `${line} ${'x'.repeat(2000 + (r % 5000))}`),
  truncate: (t, r) => t.slice(0, Math.floor((t.length * ((r % 90) + 10)) / 100)),
  loneCr: (t) => t.replace(/\n/, '\r'),
  duplicateStage: (t) => `${t}\nFROM scratch\n`,
};

describe('property: mutated corpus files', () => {
  it('never crash, always verify, and fix idempotently', async () => {
    const shell = await testShell();
    const opts = fixOptions(shell);
    const names = Object.keys(MUTATIONS);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: texts.length - 1 }),
        fc.array(fc.constantFrom(...names), { minLength: 1, maxLength: 4 }),
        fc.nat(),
        async (index, mutations, rnd) => {
          const text = mutations.reduce((t, m) => MUTATIONS[m](t, rnd), texts[index]);
          const first = await harden({ path: 'Dockerfile', text }, opts);
          expect(verifyRewrite(parse(text, shell), parse(first.output, shell))).toBeUndefined();
          const second = await harden({ path: 'Dockerfile', text: first.output }, opts);
          expect(second.output).toBe(first.output);
        },
      ),
      { numRuns: 300, seed: Number(process.env.PROPERTY_SEED ?? 20261124) },
    );
  }, 300000);
});
