import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli } from './harness/cli';

const dir = path.resolve(__dirname, '../examples');
const cases = fs.readdirSync(dir).filter((d) => fs.existsSync(path.join(dir, d, 'Dockerfile')));

describe('examples', () => {
  it('covers the bundled cases', () => {
    expect(cases.sort()).toEqual(['alpine-tool', 'go-scratch', 'hardened', 'node-express', 'python-flask']);
  });

  describe.each(cases)('%s', (name) => {
    const cwd = path.join(dir, name);
    const read = (f: string) => fs.readFileSync(path.join(cwd, f), 'utf8');

    it('hardens to Dockerfile.hardened', async () => {
      const { stdout } = await runCli(['fix', '--offline', 'Dockerfile'], { cwd });
      expect(stdout).toBe(read('Dockerfile.hardened'));
    });

    it('prints Dockerfile.diff as its diff', async () => {
      const { stdout } = await runCli(['fix', '--offline', '--diff', 'Dockerfile'], { cwd });
      expect(stdout).toBe(read('Dockerfile.diff'));
    });

    it('hardening the hardened file is a no-op', async () => {
      const { stdout } = await runCli(['fix', '--offline', 'Dockerfile.hardened'], { cwd });
      expect(stdout).toBe(read('Dockerfile.hardened'));
    });
  });

  it('leaves the already hardened file byte-identical, with nothing to report but offline pins', async () => {
    const cwd = path.join(dir, 'hardened');
    expect(fs.readFileSync(path.join(cwd, 'Dockerfile.hardened'))).toEqual(
      fs.readFileSync(path.join(cwd, 'Dockerfile')),
    );
    const { code, stdout } = await runCli(['lint', '--offline', '--format', 'json', 'Dockerfile'], { cwd });
    expect(code).toBe(0);
    expect(JSON.parse(stdout).files[0].findings).toEqual([]);
  });
});
