import * as fs from 'node:fs';
import { applySuggestions, suggestionsFor } from '../../src/report/suggestions';
import { runCli } from '../harness/cli';
import { loadCorpus } from '../harness/corpus';

describe('review suggestions over the whole corpus', () => {
  it('accepting every suggestion on a fully changed file gives what fix writes', async () => {
    let checked = 0;
    for (const entry of loadCorpus()) {
      const text = fs.readFileSync(entry.dockerfile, 'utf8');
      const { stdout } = await runCli(['fix', '--offline', entry.dockerfile]);
      if (stdout === text) continue;
      const all = new Set(text.split('\n').map((_, i) => i + 1));
      const applied = applySuggestions(text, suggestionsFor('Dockerfile', text, stdout, all));
      expect({ id: entry.id, applied }).toEqual({ id: entry.id, applied: stdout.replace(/\r\n?/g, '\n') });
      checked++;
    }
    expect(checked).toBeGreaterThan(200);
  });
});
