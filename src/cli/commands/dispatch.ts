// How lint, fix and the bare `harden-dockerfile PATH` run once parsed: --explain-endpoints, a
// repository named `owner/repo`, or the files and folders given (run.ts).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Io, RunOptions } from '../options';
import { toRunOptions, type Parsed } from './options';

/** Runs lint, fix or harden on the parsed options; the result is the exit code. */
export async function runFileMode(mode: RunOptions['mode'], parsed: Parsed, io: Io): Promise<number> {
  const opts = toRunOptions(mode, parsed, io.env);
  if (parsed['explain-endpoints']) {
    const { endpointsOf, explainEndpoints } = await import('../endpoints');
    io.stdout(explainEndpoints(endpointsOf(opts, io.env)));
    return 0;
  }
  // `harden-dockerfile owner/repo`: a repository on GitHub, unless a local path has that name.
  const slug = mode === 'harden' ? opts.paths[0] : undefined;
  const { isRepositorySlug } = await import('../discover');
  if (slug && isRepositorySlug(slug, (p) => existsSync(resolve(io.cwd, p))))
    return runRepoMode(slug, parsed, opts, io);
  const { run } = await import('../run');
  return run(opts, io);
}

/** Hardens the Dockerfiles of the GitHub repository `slug` (repo.ts). */
export async function runRepoMode(slug: string, parsed: Parsed, opts: RunOptions, io: Io): Promise<number> {
  const { runRepo } = await import('../repo');
  return runRepo(
    slug,
    {
      ...opts,
      ref: parsed.ref,
      pr: parsed.pr ?? false,
      out: parsed.out,
      githubApiUrl: parsed['github-api-url'],
      maxDockerfiles: parsed['max-dockerfiles'],
    },
    io,
  );
}
