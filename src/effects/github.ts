import type { Octokit } from '@octokit/rest';

export interface RepoInfo {
  readonly defaultBranch: string;
  /** Whether the token may push branches here (else the pull request comes from a fork). */
  readonly canPush: boolean;
}

export interface PullRequest {
  readonly number: number;
  readonly url: string;
}

/** What the repository mode needs from GitHub. Octokit stands behind it; tests run a local server. */
export interface GitHubPort {
  repository(owner: string, repo: string): Promise<RepoInfo>;
  /** Every file path of the tree at `ref` (walking folders when the recursive listing is truncated). */
  listFiles(owner: string, repo: string, ref: string, under?: string): Promise<string[]>;
  readFile(owner: string, repo: string, path: string, ref: string): Promise<string | undefined>;
  /** The repository's files at `ref` as a gzipped tarball (GitHub's archive), at most `maxBytes`. */
  archive(owner: string, repo: string, ref: string, maxBytes: number): Promise<Buffer>;
  /** The commit a branch points to, if the branch exists. */
  branchHead(owner: string, repo: string, branch: string): Promise<string | undefined>;
  /** The first parent of a commit. */
  parentOf(owner: string, repo: string, sha: string): Promise<string | undefined>;
  /** A new commit with these files on top of `parent`; the branch is not moved. */
  commit(req: {
    owner: string;
    repo: string;
    parent: string;
    message: string;
    files: readonly { path: string; content: string }[];
  }): Promise<string>;
  /** Points a branch at a commit, creating it or moving it (force). */
  setBranch(owner: string, repo: string, branch: string, sha: string): Promise<void>;
  /** The open pull request from `head` (`owner:branch`) into `base`, if there is one. */
  findPullRequest(owner: string, repo: string, head: string, base: string): Promise<PullRequest | undefined>;
  createPullRequest(req: {
    owner: string;
    repo: string;
    base: string;
    head: string;
    title: string;
    body: string;
  }): Promise<PullRequest>;
  updatePullRequest(owner: string, repo: string, number: number, body: string): Promise<void>;
  /** The token's fork of the repository (created when it has none); its owner. */
  fork(owner: string, repo: string): Promise<string>;
  /** Files a pull request changes, with their patches. */
  pullFiles(owner: string, repo: string, number: number): Promise<PullFile[]>;
  reviews(owner: string, repo: string, number: number): Promise<{ id: number; body: string }[]>;
  /** Replaces an earlier review: its comments deleted, its body rewritten. */
  retireReview(owner: string, repo: string, number: number, id: number, body: string): Promise<void>;
  createReview(req: {
    owner: string;
    repo: string;
    number: number;
    commit: string;
    body: string;
    comments: readonly { path: string; line: number; start_line?: number; side: 'RIGHT'; body: string }[];
  }): Promise<void>;
}

export interface PullFile {
  readonly path: string;
  readonly status: string;
  readonly patch?: string;
}

export class GitHubError extends Error {}

/** Turns an Octokit failure into a message that names the call and never the token. */
export function explainGitHubError(what: string, err: unknown): GitHubError {
  const status = (err as { status?: number }).status;
  const headers = (err as { response?: { headers?: Record<string, string> } }).response?.headers ?? {};
  const limited =
    (status === 403 || status === 429) &&
    (headers['x-ratelimit-remaining'] === '0' || headers['retry-after']);
  const hint =
    status === 401
      ? 'bad credentials (check GITHUB_TOKEN)'
      : limited
        ? 'rate limit reached; try again later'
        : status === 403 || status === 429
          ? 'forbidden or rate-limited'
          : status === 404
            ? 'not found (or no access)'
            : status === 422
              ? 'refused (unknown ref, or the change already exists)'
              : status
                ? `status ${status}`
                : 'no answer';
  return new GitHubError(`GitHub ${what}: ${hint}`);
}

const FOLDERS_WALKED = 2000;

/** The GitHub REST API through Octokit with retries and rate-limit handling; `apiUrl` for Enterprise or tests. */
export async function octokitPort(env: NodeJS.ProcessEnv, apiUrl?: string): Promise<GitHubPort> {
  const { Octokit: OctokitClass } = await import('@octokit/rest');
  const { retry } = await import('@octokit/plugin-retry');
  const { throttling } = await import('@octokit/plugin-throttling');
  const Client = OctokitClass.plugin(retry, throttling);
  const baseUrl = apiUrl || env.GITHUB_API_URL;
  const quiet = () => undefined;
  const octokit: Octokit = new Client({
    auth: env.GITHUB_TOKEN || env.GH_TOKEN || undefined,
    ...(baseUrl ? { baseUrl } : {}),
    userAgent: 'harden-dockerfile',
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
    retry: { retries: 2, doNotRetry: [400, 401, 403, 404, 422] },
    throttle: {
      // Primary and secondary rate limits: wait when GitHub says how long (once), then give up.
      onRateLimit: (after: number, _options: unknown, _o: unknown, retryCount: number) =>
        retryCount < 1 && after <= 60,
      onSecondaryRateLimit: (after: number, _options: unknown, _o: unknown, retryCount: number) =>
        retryCount < 1 && after <= 60,
    },
  }) as unknown as Octokit;
  const call = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw explainGitHubError(what, err);
    }
  };
  const missing = <T>(err: unknown, value: T): T => {
    if ((err as { status?: number }).status === 404) return value;
    throw err;
  };
  const walk = async (
    owner: string,
    repo: string,
    ref: string,
    dir: string,
    out: string[],
    budget: { n: number },
  ) => {
    if (budget.n-- <= 0)
      throw new GitHubError(`GitHub tree of ${owner}/${repo}: more than ${FOLDERS_WALKED} folders`);
    const { data } = await octokit.repos.getContent({ owner, repo, path: dir, ref });
    for (const e of Array.isArray(data) ? data : []) {
      if (e.type === 'file') out.push(e.path);
      else if (e.type === 'dir') await walk(owner, repo, ref, e.path, out, budget);
    }
  };
  return {
    repository: (owner, repo) =>
      call(`repository ${owner}/${repo}`, async () => {
        const { data } = await octokit.repos.get({ owner, repo });
        return { defaultBranch: data.default_branch, canPush: data.permissions?.push === true };
      }),
    listFiles: (owner, repo, ref, under) =>
      call(`tree of ${owner}/${repo}@${ref}`, async () => {
        const { data } = await octokit.git.getTree({ owner, repo, tree_sha: ref, recursive: 'true' });
        if (!data.truncated) {
          const files = data.tree.filter((e) => e.type === 'blob' && e.path).map((e) => e.path as string);
          return under ? files.filter((f) => f === under || f.startsWith(`${under}/`)) : files;
        }
        // A truncated listing misses files: walk the folders instead.
        const out: string[] = [];
        await walk(owner, repo, ref, under ?? '', out, { n: FOLDERS_WALKED });
        return out;
      }),
    archive: async (owner, repo, ref, maxBytes) => {
      const what = `archive of ${owner}/${repo}@${ref}`;
      const token = env.GITHUB_TOKEN || env.GH_TOKEN;
      const api = (baseUrl || 'https://api.github.com').replace(/\/+$/, '');
      // Read as a stream and cut at the bound: Octokit would hold the whole answer first.
      let res: Response;
      try {
        res = await fetch(`${api}/repos/${owner}/${repo}/tarball/${encodeURIComponent(ref)}`, {
          headers: {
            accept: 'application/vnd.github+json',
            'user-agent': 'harden-dockerfile',
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
          signal: AbortSignal.timeout(600_000),
        });
      } catch {
        throw new GitHubError(`GitHub ${what}: no answer`);
      }
      if (!res.ok || !res.body)
        throw explainGitHubError(what, {
          status: res.status,
          response: { headers: Object.fromEntries(res.headers) },
        });
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        size += chunk.length;
        if (size > maxBytes) throw new GitHubError(`GitHub ${what}: larger than ${maxBytes} bytes`);
        chunks.push(Buffer.from(chunk));
      }
      return Buffer.concat(chunks);
    },
    readFile: async (owner, repo, path, ref) => {
      try {
        const { data } = await octokit.repos.getContent({ owner, repo, path, ref });
        if (Array.isArray(data) || data.type !== 'file') return undefined;
        if (data.content) return Buffer.from(data.content, 'base64').toString('utf8');
        // Files over 1 MB come without content: read their blob.
        const blob = await octokit.git.getBlob({ owner, repo, file_sha: data.sha });
        return Buffer.from(blob.data.content, 'base64').toString('utf8');
      } catch (err) {
        if ((err as { status?: number }).status === 404) return undefined;
        throw explainGitHubError(`file ${path}`, err);
      }
    },
    branchHead: (owner, repo, branch) =>
      call(`branch ${branch} of ${owner}/${repo}`, () =>
        octokit.git.getRef({ owner, repo, ref: `heads/${branch}` }).then(
          (r) => r.data.object.sha,
          (err) => missing(err, undefined),
        ),
      ),
    parentOf: (owner, repo, sha) =>
      call(`commit ${sha} of ${owner}/${repo}`, async () => {
        const { data } = await octokit.git.getCommit({ owner, repo, commit_sha: sha });
        return data.parents[0]?.sha;
      }),
    commit: (req) =>
      call(`commit on ${req.owner}/${req.repo}`, async () => {
        const { owner, repo } = req;
        const parent = await octokit.git.getCommit({ owner, repo, commit_sha: req.parent });
        const tree = await octokit.git.createTree({
          owner,
          repo,
          base_tree: parent.data.tree.sha,
          tree: req.files.map((f) => ({
            path: f.path,
            mode: '100644' as const,
            type: 'blob' as const,
            content: f.content,
          })),
        });
        const commit = await octokit.git.createCommit({
          owner,
          repo,
          message: req.message,
          tree: tree.data.sha,
          parents: [req.parent],
        });
        return commit.data.sha;
      }),
    setBranch: (owner, repo, branch, sha) =>
      call(`branch ${branch} of ${owner}/${repo}`, async () => {
        const exists = await octokit.git.getRef({ owner, repo, ref: `heads/${branch}` }).then(
          () => true,
          (err) => missing(err, false),
        );
        if (exists) await octokit.git.updateRef({ owner, repo, ref: `heads/${branch}`, sha, force: true });
        else await octokit.git.createRef({ owner, repo, ref: `refs/heads/${branch}`, sha });
      }),
    findPullRequest: (owner, repo, head, base) =>
      call(`pull requests of ${owner}/${repo}`, async () => {
        const { data } = await octokit.pulls.list({ owner, repo, head, base, state: 'open', per_page: 10 });
        return data[0] ? { number: data[0].number, url: data[0].html_url } : undefined;
      }),
    createPullRequest: (req) =>
      call(`pull request on ${req.owner}/${req.repo}`, async () => {
        const { data } = await octokit.pulls.create(req);
        return { number: data.number, url: data.html_url };
      }),
    updatePullRequest: (owner, repo, number, body) =>
      call(`pull request #${number} of ${owner}/${repo}`, async () => {
        await octokit.pulls.update({ owner, repo, pull_number: number, body });
      }),
    pullFiles: (owner, repo, number) =>
      call(`files of pull request #${number}`, async () => {
        const files = await octokit.paginate(octokit.pulls.listFiles, {
          owner,
          repo,
          pull_number: number,
          per_page: 100,
        });
        return files.map((f) => ({
          path: f.filename,
          status: f.status,
          ...(f.patch ? { patch: f.patch } : {}),
        }));
      }),
    reviews: (owner, repo, number) =>
      call(`reviews of pull request #${number}`, async () => {
        const list = await octokit.paginate(octokit.pulls.listReviews, {
          owner,
          repo,
          pull_number: number,
          per_page: 100,
        });
        return list.map((r) => ({ id: r.id, body: r.body ?? '' }));
      }),
    retireReview: (owner, repo, number, id, body) =>
      call(`review ${id} of pull request #${number}`, async () => {
        const comments = await octokit.paginate(octokit.pulls.listCommentsForReview, {
          owner,
          repo,
          pull_number: number,
          review_id: id,
          per_page: 100,
        });
        for (const c of comments) await octokit.pulls.deleteReviewComment({ owner, repo, comment_id: c.id });
        await octokit.pulls.updateReview({ owner, repo, pull_number: number, review_id: id, body });
      }),
    createReview: (req) =>
      call(`review of pull request #${req.number}`, async () => {
        await octokit.pulls.createReview({
          owner: req.owner,
          repo: req.repo,
          pull_number: req.number,
          commit_id: req.commit,
          body: req.body,
          event: 'COMMENT',
          comments: req.comments.map((c) => ({ ...c })),
        });
      }),
    fork: (owner, repo) =>
      call(`fork of ${owner}/${repo}`, async () => {
        // GitHub answers with the existing fork when the token already has one.
        const { data } = await octokit.repos.createFork({ owner, repo });
        return data.owner.login;
      }),
  };
}
