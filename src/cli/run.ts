import * as path from 'node:path';
import { fixersByRule } from '../../fixers';
import { rules } from '../../rules';
import { SEVERITIES, type Finding, type Severity } from '../engine/define-rule';
import { harden, type HardenResult } from '../engine/harden';
import { FileError, nodeFileSystem, type FileSystem } from '../effects/fs';
import { loadShellParser } from '../effects/shell';
import { offlineResolver, type Resolver } from '../resolve/types';
import type { FileReport, Formatter, ReportMeta } from '../report/types';
import { ConfigError, ConfigLoader } from './config';
import { discover } from './discover';
import type { Io, OutputFormat, RunOptions } from './options';
import { VERSION } from './version';

/** Up to this many files, start fast rather than optimise the shell parser for a long run. */
const ONE_SHOT_FILES = 32;

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

async function formatter(format: OutputFormat): Promise<Formatter> {
  // Each reporter is loaded only when asked for.
  switch (format) {
    case 'json':
      return (await import('../report/json')).formatJson;
    case 'sarif':
      return (await import('../report/sarif')).formatSarif;
    case 'github':
      return (await import('../report/github')).formatGithub;
    default:
      return (await import('../report/text')).formatText;
  }
}

function atOrAbove(findings: readonly Finding[], threshold: Severity | 'none'): boolean {
  if (threshold === 'none') return false;
  const min = SEVERITIES.indexOf(threshold);
  return findings.some((f) => SEVERITIES.indexOf(f.severity) >= min);
}

interface Deps {
  readonly fs: FileSystem;
  readonly resolver: Resolver;
}

/** Runs lint, fix or the default harden mode over the given paths; returns the exit code. */
export async function run(
  opts: RunOptions,
  io: Io,
  deps: Deps = { fs: nodeFileSystem, resolver: offlineResolver },
): Promise<number> {
  const { fs } = deps;
  const inputs = (opts.paths.length > 0 ? opts.paths : ['.']).map((p) =>
    p === '-' ? p : path.resolve(io.cwd, p),
  );
  const { files, missing } = await discover(fs, inputs);
  const shown = (file: string) => (file === '-' ? '<stdin>' : path.relative(io.cwd, file) || file);
  const reports: FileReport[] = missing.map((p) => ({
    path: shown(p),
    findings: [],
    error: 'no such file or directory',
  }));
  if (files.length === 0 && missing.length === 0) {
    io.stderr('harden-dockerfile: no Dockerfile found\n');
    return EXIT_ERROR;
  }
  const loader = new ConfigLoader(fs, opts.config);
  const shell = await loadShellParser({ oneShot: files.length <= ONE_SHOT_FILES });
  const fix = opts.mode !== 'lint';
  const diffMode = opts.mode === 'harden' || opts.diff || (fix && !opts.write && files.length > 1);
  let failed = missing.length > 0;
  let findingsOver = false;
  const outputs: string[] = [];
  for (const file of files) {
    const display = shown(file);
    try {
      const text = file === '-' ? await io.readStdin() : await fs.readText(file);
      const dir = file === '-' ? io.cwd : path.dirname(file);
      const base = await loader.forDirectory(dir);
      const config = opts.safeOnly ? { ...base, safeOnly: true } : base;
      const threshold = opts.failureThreshold ?? config.failureThreshold;
      const result = await harden(
        { path: display, text },
        { rules, fixers: fixersByRule, config, resolver: deps.resolver, shell, fix },
      );
      reports.push(toReport(display, result, fix));
      if (atOrAbove(fix ? result.remaining : result.findings, threshold)) findingsOver = true;
      if (!fix) continue;
      if (opts.write) {
        if (result.output !== text && file !== '-') await fs.writeTextAtomic(file, result.output);
        else if (file === '-') outputs.push(result.output);
      } else if (diffMode) {
        const { unifiedDiff } = await import('../report/diff');
        outputs.push(unifiedDiff(display, text, result.output));
      } else {
        outputs.push(result.output);
      }
    } catch (err) {
      if (!(err instanceof FileError || err instanceof ConfigError)) throw err;
      failed = true;
      reports.push({ path: display, findings: [], error: err.message.replace(`${file}: `, '') });
    }
  }
  const meta: ReportMeta = { rules, version: VERSION, color: opts.color };
  const report = (await formatter(opts.format))(reports, meta);
  if (!fix || opts.write) {
    io.stdout(report);
    outputs.forEach((o) => io.stdout(o));
  } else {
    outputs.forEach((o) => io.stdout(o));
    io.stderr(report);
  }
  if (failed) return EXIT_ERROR;
  return findingsOver ? EXIT_FINDINGS : EXIT_OK;
}

function toReport(display: string, result: HardenResult, fix: boolean): FileReport {
  return {
    path: display,
    lines: result.model.lines,
    findings: result.findings,
    ...(fix ? { applied: result.applied, skipped: result.skipped, dropped: result.dropped } : {}),
  };
}
