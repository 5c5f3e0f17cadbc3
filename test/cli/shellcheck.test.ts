import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../harness/cli';

function installed(): boolean {
  try {
    execFileSync('shellcheck', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    if (process.env.CI) throw new Error('shellcheck is not installed: CI installs it (.ci/run)');
    return false;
  }
}

const describeShellcheck = installed() ? describe : describe.skip;
const env = { PATH: process.env.PATH };

function write(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harden-sc-test-'));
  const file = path.join(dir, 'Dockerfile');
  fs.writeFileSync(file, text);
  return file;
}

interface Row {
  rule: string;
  line: number;
  column: number;
  severity: string;
}

async function scFindings(text: string): Promise<Row[]> {
  const r = await runCli(['lint', '--shellcheck', '--format', 'json', write(text)], { env });
  expect(r.stderr).toBe('');
  const findings = JSON.parse(r.stdout).files[0].findings as Row[];
  return findings.filter((f) => f.rule.startsWith('SC'));
}

describeShellcheck('lint --shellcheck', () => {
  it('reports ShellCheck codes at their places in the Dockerfile, through continuations and comments', async () => {
    const found = await scFindings(
      'FROM alpine:3.20\n' +
        'RUN mkdir -p /opt/app \\\n' +
        '# a comment the builder drops\n' +
        ' && cp $SRC_DIR/* /opt/app\n',
    );
    expect(found).toEqual([
      expect.objectContaining({ rule: 'SC2086', line: 4, column: 8, severity: 'info' }),
    ]);
  });

  it('knows the ARG and ENV names declared above, and the shell SHELL chose', async () => {
    const quiet = await scFindings(
      'FROM debian:12\nARG TARGET\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\n' +
        'RUN if [[ -n "${TARGET}" ]]; then echo "${TARGET}"; fi\n',
    );
    expect(quiet).toEqual([]);
    const sh = await scFindings('FROM debian:12\nRUN if [[ -n "$HOME" ]]; then echo hi; fi\n');
    expect(sh.map((f) => f.rule)).toContain('SC3010');
  });

  it('honours ignore comments and configured ignores for SC codes', async () => {
    const text = 'FROM alpine:3.20\n# hadolint ignore=SC2086\nRUN cp $A /b\nRUN rm $B\n';
    expect((await scFindings(text)).map((f) => `${f.rule}@${f.line}`)).toEqual(['SC2086@4']);
    const file = write(text);
    fs.writeFileSync(path.join(path.dirname(file), '.hadolint.yaml'), 'ignored: [SC2086]\n');
    const r = await runCli(['lint', '--shellcheck', '--format', 'json', file], { env });
    expect(JSON.parse(r.stdout).files[0].findings.filter((f: Row) => f.rule.startsWith('SC'))).toEqual([]);
  });

  it('checks heredoc bodies and leaves exec-form RUNs alone', async () => {
    const found = await scFindings(
      'FROM alpine:3.20\nRUN <<EOF\nset -e\ncd $WORK\nEOF\nRUN ["sh", "-c", "echo $X"]\n',
    );
    expect(found.map((f) => `${f.rule}@${f.line}:${f.column}`)).toEqual(
      expect.arrayContaining(['SC2086@4:4']),
    );
    expect(found.every((f) => f.line === 4)).toBe(true);
  });
});

it('says so when shellcheck is not installed', async () => {
  const r = await runCli(['lint', '--shellcheck', write('FROM alpine:3.20\nRUN true\n')], {
    env: { PATH: fs.mkdtempSync(path.join(os.tmpdir(), 'empty-path-')) },
  });
  expect(r.code).toBe(2);
  expect(r.stderr).toBe(
    'harden-dockerfile: --shellcheck: shellcheck is not installed (Debian and Ubuntu: apt-get install shellcheck)\n',
  );
});
