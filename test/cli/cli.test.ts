import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../harness/cli';
import { sarifSchemaErrors } from '../harness/sarif-schema';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'harden-cli-'));
}

/** The findings of the first file of a JSON report, as `rule@line`. */
function rulesAtLines(stdout: string): string[] {
  return JSON.parse(stdout).files[0].findings.map(
    (f: { rule: string; line: number }) => `${f.rule}@${f.line}`,
  );
}

describe('cli', () => {
  it('lint: exit 0 when nothing reaches the threshold, 1 when something does', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM debian:12\nRUN apt-get install curl\n');
    const bad = await runCli(['lint', 'Dockerfile'], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^Dockerfile:2:13 warning apt-assume-yes apt-get install runs without -y\.$/m);
    const errorsOnly = await runCli(['lint', '--failure-threshold', 'error', 'Dockerfile'], { cwd: dir });
    expect(errorsOnly.code).toBe(0);
  });

  it('exit 2 on a missing file, yet the other files are still examined', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM debian:12\n');
    const r = await runCli(['lint', '--format', 'json', 'nope/Dockerfile', 'Dockerfile'], { cwd: dir });
    expect(r.code).toBe(2);
    const report = JSON.parse(r.stdout);
    expect(report.files.map((f: { path: string }) => f.path)).toEqual([
      path.join('nope', 'Dockerfile'),
      'Dockerfile',
    ]);
    expect(report.files[0].error).toBe('no such file or directory');
  });

  it('a binary file is an error with its path, never a stack trace', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'Dockerfile'), Buffer.from([0x46, 0x00, 0x01]));
    const r = await runCli(['lint', 'Dockerfile'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^Dockerfile: error is a binary file/m);
  });

  it('survives pathological input: 20000 nested subshells, a 1 MB line', async () => {
    const dir = tempDir();
    const n = 20000;
    fs.writeFileSync(
      path.join(dir, 'Dockerfile.deep'),
      `FROM debian:12\nRUN ${'('.repeat(n)}true${')'.repeat(n)}\n`,
    );
    fs.writeFileSync(
      path.join(dir, 'Dockerfile.long'),
      `FROM debian:12\nRUN echo ${'x'.repeat(1_000_000)}\n`,
    );
    fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM debian:12\nRUN sudo ls\n');
    const lint = await runCli(['lint', '-f', 'json', '.'], { cwd: dir });
    expect(lint.code).toBe(1);
    const files = JSON.parse(lint.stdout).files as {
      path: string;
      error?: string;
      findings: { rule: string }[];
    }[];
    expect(files.map((f) => [f.path, f.error])).toEqual([
      ['Dockerfile', undefined],
      ['Dockerfile.deep', undefined],
      ['Dockerfile.long', undefined],
    ]);
    expect(files[0].findings.map((f) => f.rule)).toContain('no-sudo');
    const fix = await runCli(['fix', '--offline', '--diff', '.'], { cwd: dir });
    expect([0, 1]).toContain(fix.code);
  });

  it('--context names the build context the requirements files are read from', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'docker'));
    fs.writeFileSync(
      path.join(dir, 'docker', 'Dockerfile'),
      'FROM python:3.12-slim\nCOPY requirements.txt /app/\nRUN pip install --no-cache-dir -r /app/requirements.txt\nUSER 1\n',
    );
    fs.writeFileSync(path.join(dir, 'requirements.txt'), 'flask\n');
    const own = await runCli(['lint', '-f', 'json', 'docker/Dockerfile'], { cwd: dir });
    expect(JSON.parse(own.stdout).files.map((f: { path: string }) => f.path)).toEqual([
      path.join('docker', 'Dockerfile'),
    ]);
    const withContext = await runCli(['lint', '-f', 'json', '--context', '.', 'docker/Dockerfile'], {
      cwd: dir,
    });
    const files = JSON.parse(withContext.stdout).files as { path: string; findings: { rule: string }[] }[];
    expect(files.map((f) => f.path)).toEqual([path.join('docker', 'Dockerfile'), 'requirements.txt']);
    expect(files[1].findings.map((f) => f.rule)).toEqual(['pip-requirements-pinned']);
  });

  it('--format json follows the contract', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM python\nRUN pip install flask\n');
    fs.writeFileSync(path.join(dir, 'Containerfile'), 'FROM scratch\nUSER 65532\n');
    const r = await runCli(['lint', '-f', 'json', '.'], { cwd: dir });
    const report = JSON.parse(r.stdout);
    expect(report.version).toBe(1);
    expect(report.files.map((f: { path: string }) => f.path).sort()).toEqual(['Containerfile', 'Dockerfile']);
    const clean = report.files.find((f: { path: string }) => f.path === 'Containerfile');
    expect(clean.findings).toEqual([]);
    const df = report.files.find((f: { path: string }) => f.path === 'Dockerfile');
    expect(df.findings).toContainEqual({
      rule: 'base-image-tagged',
      hadolint: 'DL3006',
      severity: 'warning',
      message: 'base image python has no tag (it means latest).',
      line: 1,
      column: 6,
      endLine: 1,
      endColumn: 12,
      fixable: true,
    });
    expect(df.findings.find((f: { rule: string }) => f.rule === 'run-as-non-root').hadolint).toBeNull();
  });

  it('--format sarif is SARIF 2.1.0 with every rule and regions', async () => {
    const r = await runCli(['lint', '-f', 'sarif', '-'], {
      stdin: 'FROM debian:12\nRUN sudo apt-get update\n',
    });
    const log = JSON.parse(r.stdout);
    expect(log.version).toBe('2.1.0');
    const run = log.runs[0];
    expect(run.tool.driver.rules.length).toBeGreaterThan(30);
    const sudo = run.results.find((x: { ruleId: string }) => x.ruleId === 'no-sudo');
    expect(sudo.level).toBe('error');
    expect(run.tool.driver.rules[sudo.ruleIndex].id).toBe('no-sudo');
    expect(sudo.locations[0].physicalLocation.region).toEqual({
      startLine: 2,
      startColumn: 5,
      endLine: 2,
      endColumn: 9,
    });
    // Valid against the official SARIF 2.1.0 schema, and the check is not vacuous.
    expect(sarifSchemaErrors(log)).toEqual([]);
    expect(
      sarifSchemaErrors({ ...log, runs: [{ ...run, results: [{ ...sudo, level: 'fatal' }] }] }),
    ).not.toEqual([]);
  });

  it('--format github prints workflow commands', async () => {
    const r = await runCli(['lint', '-f', 'github', '-'], { stdin: 'FROM debian:12\nRUN sudo ls\n' });
    expect(r.stdout).toContain(
      '::error file=<stdin>,line=2,col=5,endLine=2,endColumn=9,title=no-sudo::sudo is used in a RUN.',
    );
  });

  it('fix: one file to stdout, --diff that git apply accepts, --write in place', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'Dockerfile');
    const original =
      'FROM debian:12-slim\n# keep me\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5\nUSER nobody\n';
    fs.writeFileSync(file, original);
    const printed = await runCli(['fix', '--offline', 'Dockerfile'], { cwd: dir });
    expect(printed.stdout).toBe(
      original.replace('curl=7.88.1-10+deb12u5', 'curl=7.88.1-10+deb12u5 && rm -rf /var/lib/apt/lists/*'),
    );
    const diff = await runCli(['fix', '--offline', '--diff', 'Dockerfile'], { cwd: dir });
    execFileSync('git', ['init', '-q'], { cwd: dir });
    fs.writeFileSync(path.join(dir, 'p.diff'), diff.stdout);
    execFileSync('git', ['apply', '--check', 'p.diff'], { cwd: dir });
    fs.chmodSync(file, 0o640);
    const written = await runCli(['fix', '--offline', '--write', 'Dockerfile'], { cwd: dir });
    expect(written.stdout).toContain('fixed apt-clean-lists');
    expect(fs.readFileSync(file, 'utf8')).toBe(printed.stdout);
    expect(fs.statSync(file).mode & 0o777).toBe(0o640);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('shows a progress line on a terminal for long runs, and clears it', async () => {
    const dir = tempDir();
    for (let i = 0; i < 25; i++)
      fs.writeFileSync(path.join(dir, `Dockerfile.${i}`), 'FROM scratch\nUSER 1\n');
    let stderr = '';
    const { main } = await import('../../src/cli/main');
    await main(['lint', '.'], {
      stdout: () => undefined,
      stderr: (s) => (stderr += s),
      readStdin: async () => '',
      cwd: dir,
      env: {},
      progress: true,
    });
    expect(stderr).toContain('[25/25] Dockerfile.9');
    expect(stderr.endsWith('\r\u001b[K')).toBe(true);
  });

  it('the default command prints the diff and a summary on stderr', async () => {
    const r = await runCli(['--offline', '-'], { stdin: 'FROM debian:12-slim\nADD a /a\nUSER x\n' });
    expect(r.stdout).toContain('-ADD a /a\n+COPY a /a\n');
    expect(r.stderr).toContain('fixed no-add-for-local-files');
  });

  it("reads hadolint's label-schema and strict-labels, and turns on rules that are off by default", async () => {
    const dir = tempDir();
    fs.writeFileSync(
      path.join(dir, '.hadolint.yaml'),
      'label-schema:\n  maintainer: email\n  org.opencontainers.image.source: url\nstrict-labels: true\n' +
        'override:\n  info: [DL3057]\n',
    );
    fs.writeFileSync(
      path.join(dir, 'Dockerfile'),
      'FROM alpine:3.20\nLABEL maintainer="Ops Team" team=core\nUSER 1000\n',
    );
    const r = await runCli(['lint', '-f', 'json', 'Dockerfile'], { cwd: dir });
    const rules = rulesAtLines(r.stdout);
    expect(rules).toEqual(
      expect.arrayContaining([
        'label-email@2',
        'label-superfluous@2',
        'label-required@1',
        'healthcheck-present@1',
      ]),
    );
    fs.writeFileSync(path.join(dir, '.hadolint.yaml'), 'label-schema:\n  maintainer: phone\n');
    const bad = await runCli(['lint', 'Dockerfile'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stdout).toMatch(/\.hadolint\.yaml: "label-schema\.maintainer" must be one of text, url, spdx/);
  });

  it('honours ignore comments, hadolint codes and config files', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, '.hadolint.yaml'), 'ignored: [DL3014]\ntrustedRegistries: [docker.io]\n');
    fs.writeFileSync(
      path.join(dir, '.harden-dockerfile.yaml'),
      'severity:\n  no-sudo: "off"\nfailureThreshold: error\n',
    );
    fs.writeFileSync(
      path.join(dir, 'Dockerfile'),
      'FROM quay.io/x/y:1.2.3\n# hadolint ignore=DL3015\nRUN apt-get install curl && sudo ls\n# harden-dockerfile ignore=apt-pin-versions\nRUN apt-get install --no-install-recommends git\n',
    );
    const r = await runCli(['lint', '-f', 'json', 'Dockerfile'], { cwd: dir });
    const rules = rulesAtLines(r.stdout);
    expect(rules).toContain('trusted-base-registry@1');
    expect(rules).toContain('apt-pin-versions@3');
    expect(rules).not.toContain('apt-no-install-recommends@3');
    expect(rules).not.toContain('apt-pin-versions@5');
    expect(rules.filter((x: string) => x.startsWith('apt-assume-yes'))).toEqual([]);
    expect(rules.filter((x: string) => x.startsWith('no-sudo'))).toEqual([]);
    expect(r.code).toBe(1);
  });

  it('a broken config file is a usage error that names the file and line', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, '.harden-dockerfile.yaml'), 'ignored: [a\n  b: c\n');
    fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM debian:12\n');
    const r = await runCli(['lint', 'Dockerfile'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/\.harden-dockerfile\.yaml(:\d+)?: invalid configuration/);
  });

  it('rules --format json lists every rule with its hadolint code', async () => {
    const r = await runCli(['rules', '--format', 'json']);
    const list = JSON.parse(r.stdout);
    expect(list).toContainEqual({
      id: 'apt-pin-versions',
      hadolint: 'DL3008',
      severity: 'warning',
      enabled: true,
      fixable: true,
      description: 'Pin package versions in apt-get install.',
    });
    expect(list.find((x: { id: string }) => x.id === 'no-ssh').hadolint).toBeNull();
    expect(list.find((x: { id: string }) => x.id === 'healthcheck-present')).toMatchObject({
      hadolint: 'DL3057',
      enabled: false,
    });
  });

  it('explain accepts a rule id or a hadolint code; unknown options are usage errors', async () => {
    const explained = (await runCli(['explain', 'DL3002'])).stdout;
    expect(explained).toMatch(/^no-root-user \(hadolint DL3002\)/);
    expect(explained).toMatch(/\n\ndocs: docs\/rules\/no-root-user\.md\n$/);
    expect((await runCli(['explain', 'nope'])).code).toBe(2);
    expect((await runCli(['lint', '--bogus', 'x'])).code).toBe(2);
    expect((await runCli(['fix', '--diff', '--write', '--bogus'])).stderr).toMatch(/Unknown argument: bogus/);
  });

  it('prints help for the commands a hook runs, and the whole command list', () => {
    const bin = path.resolve(__dirname, '../../dist/harden-dockerfile.js');
    const help = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
    const lint = help('lint', '--help');
    expect(lint.status).toBe(0);
    expect(lint.stdout).toMatch(/harden-dockerfile lint \[paths\.\.\]/);
    expect(lint.stdout).toMatch(/--failure-threshold/);
    expect(help('fix', '-h').stdout).toMatch(/--write/);
    const all = help('--help').stdout;
    for (const command of ['lint', 'fix', 'repo', 'rules', 'explain'])
      expect(all).toMatch(new RegExp(`harden-dockerfile ${command}\\b`));
  });

  it('the built binary keeps its compiled code in the cache folder, and runs the same with or without it', () => {
    const bin = path.resolve(__dirname, '../../dist/harden-dockerfile.js');
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'harden-compile-cache-'));
    const example = path.resolve(__dirname, '../../examples/python-flask/Dockerfile');
    const lint = (env: NodeJS.ProcessEnv) =>
      spawnSync(process.execPath, [bin, 'lint', '--offline', '--format', 'json', example], {
        encoding: 'utf8',
        env: { ...process.env, ...env },
      });
    const first = lint({ HARDEN_CACHE_DIR: cacheDir });
    const [cached] = fs.readdirSync(cacheDir).filter((f) => f.startsWith('compiled-'));
    expect(cached).toBe(`compiled-${process.version}-${process.arch}.bin`);
    const file = path.join(cacheDir, cached);
    const written = fs.readFileSync(file);
    // Accepted on the next run: not written again.
    const second = lint({ HARDEN_CACHE_DIR: cacheDir });
    expect(fs.readFileSync(file).equals(written)).toBe(true);
    // A cache V8 rejects is replaced; one that cannot be written is done without.
    fs.writeFileSync(file, 'not compiled code');
    const rejected = lint({ HARDEN_CACHE_DIR: cacheDir });
    const rewritten = fs.readFileSync(file);
    expect(rewritten.length).toBeGreaterThan(1000);
    lint({ HARDEN_CACHE_DIR: cacheDir });
    expect(fs.readFileSync(file).equals(rewritten)).toBe(true);
    const blocked = path.join(cacheDir, 'a-file');
    fs.writeFileSync(blocked, '');
    const unwritable = lint({ HARDEN_CACHE_DIR: path.join(blocked, 'below') });
    const off = lint({ HARDEN_COMPILE_CACHE: '0', HARDEN_CACHE_DIR: cacheDir });
    for (const r of [first, second, rejected, unwritable, off]) {
      expect(r.stderr).toBe('');
      expect(r.status).toBe(first.status);
      expect(r.stdout).toBe(first.stdout);
    }
    expect(JSON.parse(first.stdout).files[0].findings.length).toBeGreaterThan(0);
  });

  it('the built binary runs end to end as a process without a stack trace', () => {
    const bin = path.resolve(__dirname, '../../dist/harden-dockerfile.js');
    if (!fs.existsSync(bin)) throw new Error('run npm run build first (npm test does)');
    const r = spawnSync(process.execPath, [bin, 'lint', '/nonexistent/Dockerfile'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at /);
    const version = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(version.status).toBe(0);
  });
});
