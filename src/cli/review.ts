import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { fixersByRule } from '../../fixers';
import { rules } from '../../rules';
import { joinContextPath } from '../core/build-context';
import { atOrAbove, type Severity } from '../engine/define-rule';
import { harden } from '../engine/harden';
import { GitHubError, type GitHubPort } from '../effects/github';
import { nodeFileSystem } from '../effects/fs';
import { loadShellParser } from '../effects/shell';
import { commentableLines, suggestionsFor, type Suggestion } from '../report/suggestions';
import type { FileReport } from '../report/types';
import { ConfigLoader } from './config';
import { isDockerfileName } from './discover';
import type { Io, ProveFlags } from './options';
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, proveEngine, toReports } from './run';
import type { UnpackedContext } from './repo-context';
import { VERSION } from './version';

export const REVIEW_MARKER = '<!-- harden-dockerfile review -->';

export interface ReviewOptions {
  /** The `pull_request` event payload (default: GITHUB_EVENT_PATH). */
  readonly event?: string;
  /** Write SARIF for code scanning here. */
  readonly sarif?: string;
  /** Look pins up on the network (default: offline-safe fixes only). */
  readonly pins: boolean;
  readonly config?: string;
  readonly failureThreshold?: Severity | 'none';
  readonly githubApiUrl?: string;
  /** Build and run the original and the hardened image; suggest only what is proven. */
  readonly prove?: ProveFlags;
}

interface Comment {
  readonly path: string;
  readonly line: number;
  readonly start_line?: number;
  readonly side: 'RIGHT';
  readonly body: string;
}

function suggestionComment(s: Suggestion, why: readonly string[]): Comment {
  const fence = s.lines.some((l) => l.includes('```')) ? '````' : '```';
  return {
    path: s.path,
    line: s.line,
    ...(s.startLine !== s.line ? { start_line: s.startLine } : {}),
    side: 'RIGHT',
    body: [...why.map((w) => `- ${w}`), '', `${fence}suggestion`, ...s.lines, fence].join('\n'),
  };
}

/**
 * `harden-dockerfile review`: on a `pull_request` event, lint the Dockerfiles the pull request changes
 * and post one review whose comments sit on its changed lines, with suggestion blocks holding exactly
 * what `fix` writes for them. A re-run with the same result changes nothing; otherwise its earlier
 * review is retired (comments deleted) and one new review is posted.
 */
export async function runReview(opts: ReviewOptions, io: Io, port?: GitHubPort): Promise<number> {
  const eventPath = opts.event ?? io.env.GITHUB_EVENT_PATH;
  if (!eventPath) {
    io.stderr('harden-dockerfile: review needs a pull_request event (--event FILE or GITHUB_EVENT_PATH)\n');
    return EXIT_ERROR;
  }
  let event: {
    pull_request?: {
      number: number;
      head: { sha: string; repo?: { name: string; owner: { login: string } } | null };
    };
    repository?: { name: string; owner: { login: string } };
  };
  try {
    event = JSON.parse(await readFile(path.resolve(io.cwd, eventPath), 'utf8'));
  } catch (err) {
    io.stderr(
      `harden-dockerfile: the event payload ${eventPath} cannot be read: ${(err as Error).message}\n`,
    );
    return EXIT_ERROR;
  }
  const pr = event.pull_request;
  const base = event.repository;
  if (!pr || !base) {
    io.stderr('harden-dockerfile: review runs on pull_request events; this payload has no pull_request\n');
    return EXIT_ERROR;
  }
  const owner = base.owner.login;
  const repo = base.name;
  const headOwner = pr.head.repo?.owner.login ?? owner;
  const headRepo = pr.head.repo?.name ?? repo;
  const sha = pr.head.sha;
  let unpacked: UnpackedContext | undefined;
  try {
    const github = port ?? (await (await import('../effects/github')).octokitPort(io.env, opts.githubApiUrl));
    const config = await new ConfigLoader(nodeFileSystem, opts.config).forDirectory(io.cwd);
    const changed = (await github.pullFiles(owner, repo, pr.number)).filter((f) => f.status !== 'removed');
    const patches = new Map(changed.map((f) => [f.path, f.patch]));
    const dockerfiles = changed.filter((f) => isDockerfileName(path.posix.basename(f.path)));
    io.shortRun?.();
    // --prove builds in the pull request's files at its head: GitHub's archive, unpacked once.
    const engine = opts.prove && dockerfiles.length > 0 ? await proveEngine(io) : undefined;
    if (engine === null) return EXIT_ERROR;
    if (engine) {
      unpacked = await (await import('./repo-context')).repositoryContext(github, headOwner, headRepo, sha);
    }
    const shell = await loadShellParser();
    const built = (await import('./resolvers')).buildResolver(
      { offline: !opts.pins, refresh: false },
      io.env,
    );
    const reports: FileReport[] = [];
    const comments: Comment[] = [];
    const tables: string[] = [];
    let over = false;
    for (const file of dockerfiles) {
      const text = await github.readFile(headOwner, headRepo, file.path, sha);
      if (text === undefined) continue;
      const dir = path.posix.dirname(file.path) === '.' ? '' : path.posix.dirname(file.path);
      const hardenWith = (fixers: typeof fixersByRule) =>
        harden(
          { path: file.path, text },
          {
            rules,
            fixers,
            config,
            resolver: built.resolver,
            shell,
            fix: true,
            context: { read: (rel) => github.readFile(headOwner, headRepo, joinContextPath(dir, rel), sha) },
          },
        );
      let result = await hardenWith(fixersByRule);
      if (engine && unpacked && opts.prove) {
        const { proveFile } = await import('./prove-file');
        const { proofTableMarkdown } = await import('../report/proof-table');
        const contextDir = unpacked.folder(dir);
        const proved = await proveFile(engine, { text, contextDir, result, hardenWith }, opts.prove);
        result = proved.result;
        tables.push(`**${file.path}**`, '', proofTableMarkdown(proved.proof, opts.prove.path), '');
      }
      reports.push(...toReports(file.path, result, true, (p) => joinContextPath(dir, p)));
      const shown = commentableLines(file.patch);
      const own = result.findings.filter((f) => f.file === undefined);
      if (atOrAbove(own, opts.failureThreshold ?? config.failureThreshold)) over = true;
      const suggestions = suggestionsFor(file.path, text, result.output, shown);
      for (const s of suggestions) {
        const why = result.applied
          .filter((a) => a.file === undefined && a.line >= s.startLine - 1 && a.line <= s.line + 1)
          .map((a) => `\`${a.ruleId}\`${a.review ? ' (needs review)' : ''}: ${a.message}`);
        comments.push(suggestionComment(s, why.length > 0 ? why : ['harden-dockerfile fix']));
      }
      for (const c of result.contextChanges) {
        const full = joinContextPath(dir, c.path);
        if (!patches.has(full)) continue;
        for (const s of suggestionsFor(full, c.before, c.after, commentableLines(patches.get(full))))
          comments.push(suggestionComment(s, ['pin the requirement (`pip-requirements-pinned`)']));
      }
      // Findings no suggestion covers, on the lines the pull request shows: a plain comment each.
      for (const f of result.remaining.filter((x) => x.file === undefined)) {
        const line = result.model.lines.positionAt(f.range.start).line;
        const covered = suggestions.some((s) => line >= s.startLine && line <= s.line);
        const original = own.find((o) => o.ruleId === f.ruleId && o.message === f.message);
        if (!original || covered) continue;
        const at = result.model.lines.positionAt(original.range.start).line;
        if (shown.has(at))
          comments.push({
            path: file.path,
            line: at,
            side: 'RIGHT',
            body: `\`${f.ruleId}\` (${f.severity}): ${f.message}`,
          });
      }
    }
    await built.cache.flush().catch(() => undefined);
    if (opts.sarif) {
      const { formatSarif } = await import('../report/sarif');
      await nodeFileSystem.writeTextAtomic(
        path.resolve(io.cwd, opts.sarif),
        formatSarif(reports, { rules, version: VERSION, color: false }),
      );
    }
    const digest = createHash('sha256').update(JSON.stringify({ sha, comments })).digest('hex').slice(0, 16);
    const stamp = `<!-- harden-dockerfile:${digest} -->`;
    const ours = (await github.reviews(owner, repo, pr.number)).filter((r) => r.body.includes(REVIEW_MARKER));
    if (ours.some((r) => r.body.includes(stamp))) {
      io.stderr('review is current: nothing posted\n');
      return over ? EXIT_FINDINGS : EXIT_OK;
    }
    for (const r of ours.filter((x) => !x.body.includes('Superseded')))
      await github.retireReview(
        owner,
        repo,
        pr.number,
        r.id,
        `${REVIEW_MARKER}\nSuperseded by a newer harden-dockerfile review.`,
      );
    if (comments.length === 0 && ours.length === 0) {
      io.stderr('no findings on the changed lines: nothing posted\n');
      return over ? EXIT_FINDINGS : EXIT_OK;
    }
    const suggestionsCount = comments.filter((c) => c.body.includes('suggestion')).length;
    await github.createReview({
      owner,
      repo,
      number: pr.number,
      commit: sha,
      body: [
        REVIEW_MARKER,
        stamp,
        comments.length === 0
          ? 'harden-dockerfile: no findings on the changed lines.'
          : `harden-dockerfile: ${comments.length} comment(s) on the changed Dockerfile lines, ${suggestionsCount} with a suggested fix. ` +
            'Accepting every suggestion gives what `harden-dockerfile fix` writes.',
        ...(tables.length > 0 ? ['', ...tables] : []),
      ].join('\n'),
      comments,
    });
    io.stderr(`review posted: ${comments.length} comment(s), ${suggestionsCount} suggestion(s)\n`);
    return over ? EXIT_FINDINGS : EXIT_OK;
  } catch (err) {
    const { ArchiveError } = await import('./repo-context');
    if (!(err instanceof GitHubError) && !(err instanceof ArchiveError)) throw err;
    io.stderr(
      `harden-dockerfile: ${err instanceof ArchiveError ? `the pull request's archive: ${err.message}` : err.message}\n`,
    );
    return EXIT_ERROR;
  } finally {
    unpacked?.remove();
  }
}
