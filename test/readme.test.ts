import * as fs from 'node:fs';
import * as path from 'node:path';
import { generatedDocs } from '../src/cli/rules-command';

const readme = fs.readFileSync(path.resolve(__dirname, '../README.md'), 'utf8');

describe('README', () => {
  it('has the rules summary generated from rule metadata', () => {
    const m = /<!-- rules:start -->\n([\s\S]*?)<!-- rules:end -->/.exec(readme);
    expect(m).not.toBeNull();
    expect(m![1]).toBe(generatedDocs().sections.get('README.md')!.rules);
  });

  it('gives the two commands, and the test command is the one CI runs', () => {
    const blocks = [...readme.matchAll(/```sh\n([^\n]+)\n```/g)].map((b) => b[1]);
    expect(blocks[0]).toMatch(/^npm ci && npm run build && node dist\/harden-dockerfile\.js fix --offline/);
    expect(blocks[1]).toBe('npm test');
    const ci = fs.readFileSync(path.resolve(__dirname, '../.ci/run'), 'utf8');
    expect(ci).toContain(`\n${blocks[1]}\n`);
  });

  it('stays short: at most 300 lines, the references are in docs/', () => {
    const lines = readme.split('\n').length - (readme.endsWith('\n') ? 1 : 0);
    expect(lines).toBeLessThanOrEqual(300);
  });
});
