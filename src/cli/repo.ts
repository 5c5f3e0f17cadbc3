import * as path from 'node:path';
import { fixersByRule } from '../../fixers';
import { rules } from '../../rules';
import { joinContextPath } from '../core/build-context';
import { DEFAULT_CONFIG } from '../engine/config';
import type { ContextReader } from '../engine/context-files';
import { harden, type FixRecord, type HardenResult } from '../engine/harden';
import { GitHubError, type GitHubPort } from '../effects/github';
import { loadShellParser } from '../effects/shell';
import type { FileReport } from '../report/types';
import { isDockerfileName } from './discover';
import type { Io, RunOptions } from './options';
import { atOrAbove } from '../engine/define-rule';
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, formatter, toReports, withFlags } from './run';
import { VERSION } from './version';

const SKIP = /(^|\/)(node_modules|vendor|third_party|\.git)\//;
/** Dockerfiles hardened per repository, at most. */
const MAX_DOCKERFILES = 50;

/** A repository path's directory, `''` at the root (the form joinContextPath takes). */
function dirOf(file: string): string {
  const dir = path.posix.dirname(file);
  return dir === '.' ? '' : dir;
}

export interface RepoOptions extends RunOptions {
  readonly ref?: string;
  readonly pr: boolean;
}

function prBody(results: readonly { path: string; result: HardenResult }[]): string {
  const line = (r: FixRecord) =>
    `- line ${r.line}: \`${r.ruleId}\`${r.review ? ' **(needs review)**' : ''}: ${r.message}${r.from ? ` _(from ${r.from.join('; ')})_` : ''}`;
  const out = [
    'Hardening by harden-dockerfile: pinned bases and packages, an unprivileged user, nothing that leaks.',
    '',
  ];
  for (const { path: p, result } of results) {
    if (result.applied.length === 0) continue;
    out.push(`### ${p}`, ...result.applied.map(line), '');
    if (result.skipped.length > 0)
      out.push(
        'Left for a person:',
        ...result.skipped.map((r) => `- line ${r.line}: \`${r.ruleId}\`: ${r.reason}`),
        '',
      );
  }
  out.push(
    'Changes marked **needs review** can change what the image does; please check them before merging.',
  );
  return out.join('\n');
}

/** `harden-dockerfile owner/repo`: fetch the repository's Dockerfiles, harden them, print diffs, maybe open a PR. */
export async function runRepo(slug: string, opts: RepoOptions, io: Io, port?: GitHubPort): Promise<number> {
  const [owner, repo] = slug.split('/');
  const reports: FileReport[] = [];
  const results: { path: string; result: HardenResult; before: string }[] = [];
  let findingsOver = false;
  try {
    const github = port ?? (await (await import('../effects/github')).octokitPort(io.env));
    const ref = opts.ref ?? (await github.defaultBranch(owner, repo));
    const files = await github.listFiles(owner, repo, ref);
    const present = new Set(files);
    const dockerfiles = files
      .filter((f) => isDockerfileName(path.posix.basename(f)) && !SKIP.test(f))
      .slice(0, MAX_DOCKERFILES);
    if (dockerfiles.length === 0) {
      io.stderr(`harden-dockerfile: no Dockerfile in ${slug}@${ref}\n`);
      return EXIT_ERROR;
    }
    io.shortRun?.();
    const shell = await loadShellParser();
    const built = (await import('./resolvers')).buildResolver(opts, io.env);
    const config = withFlags({ ...DEFAULT_CONFIG, safeOnly: opts.safeOnly }, opts);
    for (const file of dockerfiles) {
      const text = await github.readFile(owner, repo, file, ref);
      if (text === undefined) continue;
      const dir = dirOf(file);
      const context: ContextReader = {
        read: async (rel) => {
          const full = joinContextPath(dir, rel);
          return present.has(full) ? github.readFile(owner, repo, full, ref) : undefined;
        },
      };
      const result = await harden(
        { path: file, text },
        { rules, fixers: fixersByRule, config, resolver: built.resolver, shell, fix: true, context },
      );
      results.push({ path: file, result, before: text });
      reports.push(...toReports(file, result, true, (p) => joinContextPath(dir, p)));
      if (atOrAbove(result.remaining, opts.failureThreshold ?? config.failureThreshold)) findingsOver = true;
    }
    await built.cache.flush().catch(() => undefined);
    const { unifiedDiff } = await import('../report/diff');
    const changed: { path: string; content: string }[] = [];
    for (const { path: p, result, before } of results) {
      io.stdout(unifiedDiff(p, before, result.output));
      if (result.output !== before) changed.push({ path: p, content: result.output });
      const dir = dirOf(p);
      for (const c of result.contextChanges) {
        const full = joinContextPath(dir, c.path);
        io.stdout(unifiedDiff(full, c.before, c.after));
        changed.push({ path: full, content: c.after });
      }
    }
    io.stderr((await formatter(opts.format))(reports, { rules, version: VERSION, color: opts.color }));
    if (opts.pr && changed.length > 0) {
      const branch = `harden-dockerfile/${ref.replace(/[^\w.-]+/g, '-')}-${Date.now().toString(36)}`;
      const url = await github.openPullRequest({
        owner,
        repo,
        base: ref,
        branch,
        title: 'Harden Dockerfiles',
        body: prBody(results),
        files: changed,
      });
      io.stderr(`pull request: ${url}\n`);
    }
  } catch (err) {
    if (!(err instanceof GitHubError)) throw err;
    io.stderr(`harden-dockerfile: ${err.message}\n`);
    return EXIT_ERROR;
  }
  return findingsOver ? EXIT_FINDINGS : EXIT_OK;
}
