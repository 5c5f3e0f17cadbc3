/** What a repository-mode argument names: a repository, maybe a ref, maybe one folder or file in it. */
export interface RepoTarget {
  readonly owner: string;
  readonly repo: string;
  readonly ref?: string;
  /** A folder or file of the repository (from a `/tree/<ref>/<path>` or `/blob/<ref>/<path>` URL). */
  readonly path?: string;
}

const NAME = /^[A-Za-z0-9][\w.-]*$/;
const REF = /^[\w./-]+$/;

/**
 * `owner/repo`, `owner/repo@ref`, `https://github.com/owner/repo[.git]`, and
 * `https://github.com/owner/repo/tree/<ref>/<path>` (or `/blob/`). In a URL the ref is the first
 * segment after `tree/`; a branch whose name holds a slash is given with `--ref` instead.
 */
export function parseRepoTarget(text: string): RepoTarget | undefined {
  const url =
    /^https?:\/\/[^/]+\/([^/]+)\/([^/?#]+?)(?:\.git)?(?:\/(?:tree|blob)\/([^/?#]+)(?:\/([^?#]*))?)?\/?(?:[?#].*)?$/.exec(
      text,
    );
  if (url) {
    const [, owner, repo, ref, path] = url;
    if (!NAME.test(owner) || !NAME.test(repo)) return undefined;
    const clean = path ? decodeURIComponent(path).replace(/\/+$/, '') : '';
    if (clean.split('/').some((p) => p === '..' || p === '.')) return undefined;
    return {
      owner,
      repo,
      ...(ref ? { ref: decodeURIComponent(ref) } : {}),
      ...(clean ? { path: clean } : {}),
    };
  }
  const short = /^([^/@\s]+)\/([^/@\s]+)(?:@(.+))?$/.exec(text);
  if (!short || !NAME.test(short[1]) || !NAME.test(short[2])) return undefined;
  if (short[3] !== undefined && !REF.test(short[3])) return undefined;
  return { owner: short[1], repo: short[2], ...(short[3] ? { ref: short[3] } : {}) };
}

/** Whether an argument is a repository URL (never a local path). */
export function isRepoUrl(text: string): boolean {
  return /^https?:\/\//.test(text) && parseRepoTarget(text) !== undefined;
}
