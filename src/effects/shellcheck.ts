import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Dockerfile, PairsInstr, RunInstr, Stage } from '../core/model';
import type { Range } from '../core/source';
import type { Finding, Severity } from '../engine/define-rule';

/** ShellCheck codes hadolint leaves out too: directives a Dockerfile cannot carry, and ash support. */
const EXCLUDED = ['1090', '1091', '2187'];
const NON_POSIX = /pwsh|powershell|cmd(\.exe)?$/i;
const LEVELS: Record<string, Severity> = { error: 'error', warning: 'warning', info: 'info', style: 'style' };

export class ShellcheckMissing extends Error {}

/** Whether `shellcheck` can be run (it is on the PATH). */
export function shellcheckInstalled(env: NodeJS.ProcessEnv): Promise<boolean> {
  return run('shellcheck', ['--version'], env).then(
    () => true,
    () => false,
  );
}

interface Script {
  readonly run: RunInstr;
  /** The file text of the body, as the shell will read it line for line. */
  readonly body: string;
  readonly start: number;
  readonly shell: string;
  readonly vars: readonly string[];
}

/** The shell a stage's RUNs use: its last SHELL before `offset` (first word), else /bin/sh. */
function shellOf(stage: Stage | undefined, offset: number): string {
  let shell = '/bin/sh';
  for (const ins of stage?.instructions ?? [])
    if (ins.kind === 'shell' && ins.range.start < offset && ins.json[0]) shell = ins.json[0].value;
  return shell;
}

/** A RUN body with the Dockerfile's comment lines inside a continuation kept as empty continuations. */
function bodyText(model: Dockerfile, range: Range, heredoc: boolean): string {
  const text = model.source.text.slice(range.start, range.end);
  if (heredoc) return text;
  return text
    .split('\n')
    .map((line, i) => (i > 0 && /^\s*#/.test(line) ? `${' '.repeat(line.length - 1)}\\` : line))
    .join('\n');
}

function scriptsOf(model: Dockerfile): Script[] {
  if (model.escapeChar !== '\\') return [];
  const out: Script[] = [];
  const vars = new Set<string>();
  let next = 0;
  const declared = (offset: number) => {
    for (; next < model.instructions.length && model.instructions[next].range.start < offset; next++) {
      const ins = model.instructions[next];
      const i = ins.kind === 'onbuild' ? ins.trigger : ins;
      if (i?.kind === 'env' || i?.kind === 'arg') for (const p of (i as PairsInstr).pairs) vars.add(p.name);
    }
    return [...vars];
  };
  for (const { stage, instr } of model.runs) {
    if (instr.form !== 'shell') continue;
    const script = instr.script;
    if (!script || script.range.end <= script.range.start) continue;
    const shell = shellOf(stage, instr.range.start);
    if (NON_POSIX.test(shell)) continue;
    out.push({
      run: instr,
      body: bodyText(model, script.range, script.heredoc),
      start: script.range.start,
      shell,
      vars: declared(instr.range.start),
    });
  }
  return out;
}

/** The offset in `text` of a ShellCheck position (1-based line; column with tabs as 8 wide). */
function offsetOf(text: string, line: number, column: number): number {
  let at = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', at);
    if (nl < 0) return text.length;
    at = nl + 1;
  }
  let col = 1;
  while (col < column && at < text.length && text[at] !== '\n') {
    col = text[at] === '\t' ? col + 8 - ((col - 1) % 8) : col + 1;
    at++;
  }
  return at;
}

interface Comment {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly level: string;
  readonly code: number;
  readonly message: string;
}

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const options = { maxBuffer: 32 * 1024 * 1024, timeout: 60_000, env: { PATH: env.PATH ?? '' } };
    execFile(command, args, options, (err, stdout) => {
      // ShellCheck exits 1 when it has comments: that is its answer, not a failure.
      const code = (err as { code?: unknown } | null)?.code;
      if (err && code === 'ENOENT') reject(new ShellcheckMissing('shellcheck is not installed'));
      else if (err && typeof code !== 'number') reject(err);
      else if (err && code !== 1) reject(new Error(`shellcheck exited with ${String(code)}`));
      else resolve(stdout);
    });
  });
}

/**
 * Runs ShellCheck over every shell-form RUN of the file (in the shell its stage uses, with the ARG and
 * ENV names declared before it known as set), and gives its comments as findings at file positions,
 * with their SC codes as rule ids. The scripts go to a private temporary folder, removed afterwards.
 */
export async function shellcheckFindings(model: Dockerfile, env: NodeJS.ProcessEnv): Promise<Finding[]> {
  const scripts = scriptsOf(model);
  if (scripts.length === 0) return [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harden-sc-'));
  try {
    const headers = scripts.map((s) => `#!${s.shell}\n${s.vars.map((v) => `export ${v}=1\n`).join('')}`);
    const files = scripts.map((s, i) => {
      const file = path.join(dir, `run${i}.sh`);
      fs.writeFileSync(file, headers[i] + s.body, { mode: 0o600 });
      return file;
    });
    const out = await run(
      'shellcheck',
      ['-f', 'json1', '-S', 'style', '-e', EXCLUDED.join(','), ...files],
      env,
    );
    const comments = (JSON.parse(out) as { comments?: Comment[] }).comments ?? [];
    const findings: Finding[] = [];
    for (const c of comments) {
      const i = files.indexOf(c.file);
      if (i < 0) continue;
      const s = scripts[i];
      const skip = headers[i].split('\n').length - 1;
      if (c.line <= skip) continue;
      const start = s.start + offsetOf(s.body, c.line - skip, c.column);
      const end = Math.max(start, s.start + offsetOf(s.body, c.endLine - skip, c.endColumn));
      findings.push({
        ruleId: `SC${c.code}`,
        severity: LEVELS[c.level] ?? 'info',
        messageId: 'shellcheck',
        message: c.message,
        data: {},
        range: { start, end },
        needs: [],
      });
    }
    return findings;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
