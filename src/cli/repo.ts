import * as path from 'node:path';
import { fixersByRule } from '../../fixers';
import { rules } from '../../rules';
import { joinContextPath } from '../core/build-context';
import { DEFAULT_CONFIG } from '../engine/config';
import type { ContextReader } from '../engine/context-files';
import { harden, type HardenResult } from '../engine/harden';
import { nodeFileSystem } from '../effects/fs';
import { GitHubError, type GitHubPort } from '../effects/github';
import { loadShellParser } from '../effects/shell';
import type { FileReport } from '../report/types';
import { isDockerfileName } from './discover';
import type { Io, RunOptions } from './options';
import { atOrAbove } from '../engine/define-rule';
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, formatter, proveEngine, toReports, withFlags } from './run';
import type { Proof } from '../prove/prove';
import type { UnpackedContext } from './repo-context';
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
  /** Write every hardened file under this folder, at its repository path. */
  readonly out?: string;
  readonly githubApiUrl?: string;
  /** Dockerfiles hardened at most (default 50). */
  readonly maxDockerfiles?: number;
}

/**
 * Where a repository file goes under `--out`: refused when its path would leave the folder (`..`,
 * absolute) or pass through a symbolic link already there.
 */
export async function outPath(out: string, repoPath: string): Promise<string | undefined> {
  const root = path.resolve(out);
  if (path.isAbsolute(repoPath) || repoPath.split(/[\\/]/).some((p) => p === '..')) return undefined;
  const full = path.resolve(root, repoPath);
  if (!full.startsWith(root + path.sep)) return undefined;
  const { lstat } = await import('node:fs/promises');
  let at = root;
  for (const part of path.relative(root, full).split(path.sep)) {
    at = path.join(at, part);
    const st = await lstat(at).catch(() => undefined);
    if (st?.isSymbolicLink()) return undefined;
  }
  return full;
}

/** `harden-dockerfile owner/repo`: fetch the repository's Dockerfiles, harden them, print diffs, maybe open a PR. */
export async function runRepo(slug: string, opts: RepoOptions, io: Io, port?: GitHubPort): Promise<number> {
  const { parseRepoTarget } = await import('./repo-target');
  const target = parseRepoTarget(slug);
  if (!target) {
    io.stderr(`harden-dockerfile: "${slug}" is not owner/repo, owner/repo@ref or a GitHub URL\n`);
    return EXIT_ERROR;
  }
  const { owner, repo } = target;
  const reports: FileReport[] = [];
  const results: { path: string; result: HardenResult; before: string; proof?: Proof }[] = [];
  let unpacked: UnpackedContext | undefined;
  // Nothing is printed until everything was read: a failure half-way leaves one clear line only.
  const stdout: string[] = [];
  const notes: string[] = [];
  let findingsOver = false;
  let failed = false;
  try {
    const github = port ?? (await (await import('../effects/github')).octokitPort(io.env, opts.githubApiUrl));
    const info = await github.repository(owner, repo);
    const ref = opts.ref ?? target.ref ?? info.defaultBranch;
    const files = await github.listFiles(owner, repo, ref);
    const present = new Set(files);
    const under = target.path;
    const all = files.filter(
      (f) =>
        isDockerfileName(path.posix.basename(f)) &&
        !SKIP.test(f) &&
        (!under || f === under || f.startsWith(`${under}/`)),
    );
    const max = opts.maxDockerfiles ?? MAX_DOCKERFILES;
    const dockerfiles = all.slice(0, max);
    if (all.length > max)
      notes.push(
        `${all.length} Dockerfiles in ${slug}@${ref}; the first ${max} were hardened (--max-dockerfiles)`,
      );
    if (dockerfiles.length === 0) {
      io.stderr(`harden-dockerfile: no Dockerfile in ${slug}@${ref}${under ? ` under ${under}` : ''}\n`);
      return EXIT_ERROR;
    }
    io.shortRun?.();
    // --prove builds in the repository's files at the ref: GitHub's archive, unpacked once.
    const engine = opts.prove ? await proveEngine(io) : undefined;
    if (engine === null) return EXIT_ERROR;
    if (engine) {
      unpacked = await (await import('./repo-context')).repositoryContext(github, owner, repo, ref);
      if (unpacked.skipped > 0)
        notes.push(`${unpacked.skipped} links or special files of the archive were not unpacked for --prove`);
    }
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
      const hardenWith = (fixers: typeof fixersByRule) =>
        harden(
          { path: file, text },
          { rules, fixers, config, resolver: built.resolver, shell, fix: true, context },
        );
      let result = await hardenWith(fixersByRule);
      let proof: Proof | undefined;
      if (engine && unpacked && opts.prove) {
        const { proveFile } = await import('./prove-file');
        const contextDir = unpacked.folder(dir);
        const proved = await proveFile(engine, { text, contextDir, result, hardenWith }, opts.prove);
        ({ result, proof } = proved);
        if (proved.baselineBroken) failed = true;
      }
      results.push({ path: file, result, before: text, proof });
      const own = toReports(file, result, true, (p) => joinContextPath(dir, p));
      if (proof) own[0] = { ...own[0], proof };
      reports.push(...own);
      if (atOrAbove(result.remaining, opts.failureThreshold ?? config.failureThreshold)) findingsOver = true;
    }
    await built.cache.flush().catch(() => undefined);
    const { unifiedDiff } = await import('../report/diff');
    const changed: { path: string; content: string }[] = [];
    const hardened: { path: string; content: string }[] = [];
    for (const { path: p, result, before } of results) {
      stdout.push(unifiedDiff(p, before, result.output));
      hardened.push({ path: p, content: result.output });
      if (result.output !== before) changed.push({ path: p, content: result.output });
      const dir = dirOf(p);
      for (const c of result.contextChanges) {
        const full = joinContextPath(dir, c.path);
        stdout.push(unifiedDiff(full, c.before, c.after));
        changed.push({ path: full, content: c.after });
        hardened.push({ path: full, content: c.after });
      }
    }
    if (opts.out) {
      const { mkdir } = await import('node:fs/promises');
      let written = 0;
      for (const f of hardened) {
        const dest = await outPath(opts.out, f.path);
        if (!dest) {
          notes.push(`${f.path}: not written, its path would leave ${opts.out}`);
          failed = true;
          continue;
        }
        await mkdir(path.dirname(dest), { recursive: true });
        await nodeFileSystem.writeTextAtomic(dest, f.content);
        written++;
      }
      notes.push(`${written} hardened file(s) written under ${opts.out}`);
    }
    if (opts.pr) {
      const { openOrUpdatePullRequest, prBody } = await import('./repo-pr');
      notes.push(
        await openOrUpdatePullRequest(github, {
          owner,
          repo,
          base: ref,
          canPush: info.canPush,
          files: changed,
          title: 'Harden Dockerfiles',
          body: prBody(
            results.map((r) => ({ ...r, provePath: opts.prove?.path })),
            `${owner}/${repo}`,
            ref,
          ),
        }),
      );
    }
  } catch (err) {
    const { ArchiveError } = await import('./repo-context');
    if (!(err instanceof GitHubError) && !(err instanceof ArchiveError)) throw err;
    io.stderr(
      `harden-dockerfile: ${err instanceof ArchiveError ? `the repository archive: ${err.message}` : err.message}\n`,
    );
    return EXIT_ERROR;
  } finally {
    unpacked?.remove();
  }
  stdout.forEach((o) => io.stdout(o));
  io.stderr((await formatter(opts.format))(reports, { rules, version: VERSION, color: opts.color }));
  for (const n of notes) io.stderr(`${n}\n`);
  if (opts.prove && opts.format === 'text') {
    const { proofTableText } = await import('../report/proof-table');
    for (const r of results) if (r.proof) io.stderr(proofTableText(r.path, r.proof, opts.prove.path));
  }
  if (failed) return EXIT_ERROR;
  return findingsOver ? EXIT_FINDINGS : EXIT_OK;
}
