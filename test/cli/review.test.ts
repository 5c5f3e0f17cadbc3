import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applySuggestions, commentableLines, suggestionsFor } from '../../src/report/suggestions';
import { runCli } from '../harness/cli';
import { startFakeGitHub, type FakeGitHub } from '../harness/github-server';
import { sarifSchemaErrors } from '../harness/sarif-schema';

const EVENT = path.resolve(__dirname, '../fixtures/github/pull_request.json');
const SVC =
  'FROM debian:12-slim\nRUN apt-get update && apt-get install curl\nADD app.py /app/\nCMD python /app/app.py\n';
const patchOf = (text: string) => {
  const lines = text.trimEnd().split('\n');
  return [`@@ -0,0 +1,${lines.length} @@`, ...lines.map((l) => `+${l}`)].join('\n');
};

describe('suggestions', () => {
  it('turn the text into the fixed text when every one is accepted, and stay on the lines the PR shows', () => {
    const before = 'a\nb\nc\nd\n';
    const after = 'a\nB\nc\nnew\nd\n';
    const all = suggestionsFor('f', before, after, new Set([1, 2, 3, 4]));
    expect(applySuggestions(before, all)).toBe(after);
    expect(suggestionsFor('f', before, after, new Set([3]))).toEqual([
      { path: 'f', startLine: 3, line: 3, lines: ['c', 'new'] },
    ]);
    expect([...commentableLines('@@ -3,2 +3,3 @@\n ctx\n-old\n+new\n+more')]).toEqual([3, 4, 5]);
    for (const [from, to] of [
      ['a\n', 'new\na\n'],
      ['a\nb\n', 'a\nb\nnew\n'],
      ['a\r\nb\r\n', 'x\r\nb\r\ny\r\n'],
      ['a\nb\nc\n', 'a\nc\n'],
    ]) {
      const lines = new Set(from.split('\n').map((_, i) => i + 1));
      expect(applySuggestions(from, suggestionsFor('f', from, to, lines))).toBe(to.replace(/\r/g, ''));
    }
  });
});

describe('review on a pull_request event (GitHub REST API on 127.0.0.1)', () => {
  let gh: FakeGitHub;
  beforeEach(async () => {
    gh = await startFakeGitHub(
      'acme',
      'demo',
      { 'README.md': '# demo\n' },
      { pull: { number: 7, files: { 'svc/Dockerfile': SVC }, patches: { 'svc/Dockerfile': patchOf(SVC) } } },
    );
  });
  afterEach(() => gh.close());

  it('posts one review whose suggestions give what fix writes, writes SARIF, and does not repeat itself', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harden-review-'));
    const env = { GITHUB_API_URL: gh.url, GITHUB_EVENT_PATH: EVENT, GITHUB_TOKEN: 'ghs_token_value' };
    const r = await runCli(['review', '--sarif', 'out.sarif', '-t', 'none'], { cwd: dir, env });
    expect(r.stderr).toMatch(/review posted: \d+ comment\(s\), \d+ suggestion\(s\)/);
    expect(r.code).toBe(0);
    const [review] = gh.reviews(7);
    expect(review.commit).toBe('head1');
    expect(review.body).toContain('<!-- harden-dockerfile review -->');
    const suggestions = review.comments
      .filter((c) => c.body.includes('```suggestion'))
      .map((c) => ({
        path: c.path,
        startLine: c.start_line ?? c.line,
        line: c.line,
        lines: c.body
          .split('```suggestion\n')[1]
          .replace(/\n```$/, '')
          .split('\n'),
      }));
    const fixed = await runCli(['fix', '--offline', '-'], { stdin: SVC });
    expect(applySuggestions(SVC, suggestions)).toBe(fixed.stdout);
    expect(review.comments.map((c) => c.body).join('\n')).toContain('`no-add-for-local-files`');
    expect(sarifSchemaErrors(JSON.parse(fs.readFileSync(path.join(dir, 'out.sarif'), 'utf8')))).toEqual([]);
    expect(r.stdout + r.stderr).not.toContain('ghs_token_value');

    const again = await runCli(['review', '-t', 'none'], { cwd: dir, env });
    expect(again.stderr).toContain('review is current: nothing posted');
    expect(gh.reviews(7)).toHaveLength(1);

    // With pins looked up (none answer here) the result differs only if the comments do: still current.
    const failing = await runCli(['review', '-t', 'warning'], { cwd: dir, env });
    expect(failing.code).toBe(1);
  });

  it('a new result retires the earlier review instead of adding to it', async () => {
    const env = { GITHUB_API_URL: gh.url, GITHUB_EVENT_PATH: EVENT };
    await runCli(['review', '-t', 'none'], { env });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harden-review-'));
    // The project now ignores a rule: the suggestions change.
    fs.writeFileSync(
      path.join(dir, '.harden-dockerfile.yaml'),
      'ignored: [run-as-non-root, exec-form-cmd]\n',
    );
    const r = await runCli(['review', '-t', 'none'], { cwd: dir, env });
    expect(r.stderr).toContain('review posted');
    const [old, current] = gh.reviews(7);
    expect(old.comments).toEqual([]);
    expect(old.body).toContain('Superseded');
    expect(current.comments.length).toBeGreaterThan(0);
    expect(current.comments.map((c) => c.body).join('\n')).not.toContain('run-as-non-root');
  });

  it('a payload without a pull request is a clear error', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harden-review-'));
    fs.writeFileSync(
      path.join(dir, 'push.json'),
      JSON.stringify({ ref: 'refs/heads/main', repository: { name: 'demo', owner: { login: 'acme' } } }),
    );
    const r = await runCli(['review', '--event', 'push.json'], { cwd: dir, env: { GITHUB_API_URL: gh.url } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('review runs on pull_request events');
  });
});
