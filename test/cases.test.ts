import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli } from './harness/cli';
import { parse, testShell } from './harness/rule-tester';
import { verifyRewrite } from '../src/engine/verify';

/** Hand-written files covering syntax the corpus has little of; each finding as rule@line/hadolint. */
const EXPECTED: Record<string, string[]> = {
  'arg-from': [
    'base-image-tagged@2/DL3006',
    'no-latest-tag@1/DL3007',
    'pin-base-image-digest@1',
    'pin-base-image-digest@2',
  ],
  crlf: [
    'apt-clean-lists@2/DL3009',
    'apt-get-not-apt@2/DL3027',
    'apt-get-not-apt@2/DL3027',
    'no-secret-in-env@4',
    'no-ssh@3',
    'pin-base-image-digest@1',
    'prefer-slim-base@1',
    'secret-name-in-arg-env@4/DL3064',
  ],
  distroless: [
    'base-image-tagged@5/DL3006',
    'pin-base-image-digest@1',
    'pin-base-image-digest@5',
    'run-as-non-root@5',
  ],
  'hardened-alpine': [],
  heredoc: ['apt-clean-lists@3/DL3009', 'apt-pin-versions@6/DL3008', 'pin-base-image-digest@2'],
  'json-run': [
    'consolidate-runs@3/DL3059',
    'no-sudo@3/DL3004',
    'pin-base-image-digest@1',
    'pip-no-cache-dir@3/DL3042',
    'pip-pin-versions@3/DL3013',
  ],
  lowercase: [
    'exec-form-cmd@7/DL3025',
    'no-maintainer@6/DL4000',
    'pin-base-image-digest@1',
    'pin-base-image-digest@4',
    'run-as-non-root@4',
  ],
  onbuild: [
    'no-add-for-local-files@3/DL3020',
    'pin-base-image-digest@1',
    'pip-no-cache-dir@2/DL3042',
    'pip-pin-versions@2/DL3013',
  ],
  windows: ['exec-form-cmd@6/DL3025', 'pin-base-image-digest@2'],
};

const dir = path.resolve(__dirname, 'fixtures/cases');

describe.each(Object.keys(EXPECTED))('case %s', (name) => {
  const file = path.join(dir, `${name}.Dockerfile`);

  it('reports exactly the expected findings with their hadolint codes', async () => {
    const { stdout } = await runCli(['lint', '-f', 'json', file]);
    const findings = JSON.parse(stdout).files[0].findings as {
      rule: string;
      line: number;
      hadolint: string | null;
    }[];
    const got = findings.map((f) => `${f.rule}@${f.line}${f.hadolint ? `/${f.hadolint}` : ''}`).sort();
    expect(got).toEqual([...EXPECTED[name]].sort());
  });

  it('fixes to a file that parses with the same stages, and fixing again changes nothing', async () => {
    const s = await testShell();
    const text = fs.readFileSync(file, 'utf8');
    const first = await runCli(['fix', '--offline', file]);
    expect([0, 1]).toContain(first.code);
    expect(verifyRewrite(parse(text, s), parse(first.stdout, s))).toBeUndefined();
    const again = await runCli(['fix', '--offline', '-'], { stdin: first.stdout });
    expect(again.stdout).toBe(first.stdout);
    if (EXPECTED[name].length === 0) expect(first.stdout).toBe(text);
    if (text.includes('\r\n')) expect(first.stdout.replace(/\r\n/g, '')).not.toContain('\n');
  });
});
