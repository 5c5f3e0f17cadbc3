import type { Octokit } from '@octokit/rest';

/** What the repository mode needs from GitHub. Octokit stands behind it; tests run a local server. */
export interface GitHubPort {
  defaultBranch(owner: string, repo: string): Promise<string>;
  /** Every file path of the tree at `ref`. */
  listFiles(owner: string, repo: string, ref: string): Promise<string[]>;
  readFile(owner: string, repo: string, path: string, ref: string): Promise<string | undefined>;
  /** Commits the files on a new branch from `base` and opens a pull request; returns its URL. */
  openPullRequest(req: {
    owner: string;
    repo: string;
    base: string;
    branch: string;
    title: string;
    body: string;
    files: readonly { path: string; content: string }[];
  }): Promise<string>;
}

export class GitHubError extends Error {}

/** Turns an Octokit failure into a message that names the call and never the token. */
function explain(what: string, err: unknown): GitHubError {
  const status = (err as { status?: number }).status;
  const hint =
    status === 401
      ? 'bad credentials (check GITHUB_TOKEN)'
      : status === 403 || status === 429
        ? 'forbidden or rate-limited'
        : status === 404
          ? 'not found (or no access)'
          : status
            ? `status ${status}`
            : 'no answer';
  return new GitHubError(`GitHub ${what}: ${hint}`);
}

/** The GitHub REST API through Octokit; `GITHUB_API_URL` points it at GitHub Enterprise or a test server. */
export async function octokitPort(env: NodeJS.ProcessEnv): Promise<GitHubPort> {
  const { Octokit: OctokitClass } = await import('@octokit/rest');
  const octokit: Octokit = new OctokitClass({
    auth: env.GITHUB_TOKEN || env.GH_TOKEN || undefined,
    ...(env.GITHUB_API_URL ? { baseUrl: env.GITHUB_API_URL } : {}),
    userAgent: 'harden-dockerfile',
    request: { retries: 0 },
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
  });
  const call = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw explain(what, err);
    }
  };
  return {
    defaultBranch: (owner, repo) =>
      call(
        `repository ${owner}/${repo}`,
        async () => (await octokit.repos.get({ owner, repo })).data.default_branch,
      ),
    listFiles: (owner, repo, ref) =>
      call(`tree of ${owner}/${repo}@${ref}`, async () => {
        const { data } = await octokit.git.getTree({ owner, repo, tree_sha: ref, recursive: 'true' });
        return data.tree.filter((e) => e.type === 'blob' && e.path).map((e) => e.path as string);
      }),
    readFile: async (owner, repo, path, ref) => {
      try {
        const { data } = await octokit.repos.getContent({ owner, repo, path, ref });
        if (Array.isArray(data) || data.type !== 'file') return undefined;
        if (data.content) return Buffer.from(data.content, 'base64').toString('utf8');
        const blob = await octokit.git.getBlob({ owner, repo, file_sha: data.sha });
        return Buffer.from(blob.data.content, 'base64').toString('utf8');
      } catch (err) {
        if ((err as { status?: number }).status === 404) return undefined;
        throw explain(`file ${path}`, err);
      }
    },
    openPullRequest: (req) =>
      call(`pull request on ${req.owner}/${req.repo}`, async () => {
        const { owner, repo } = req;
        const baseRef = await octokit.git.getRef({ owner, repo, ref: `heads/${req.base}` });
        const baseSha = baseRef.data.object.sha;
        const baseCommit = await octokit.git.getCommit({ owner, repo, commit_sha: baseSha });
        const tree = await octokit.git.createTree({
          owner,
          repo,
          base_tree: baseCommit.data.tree.sha,
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
          message: req.title,
          tree: tree.data.sha,
          parents: [baseSha],
        });
        await octokit.git.createRef({ owner, repo, ref: `refs/heads/${req.branch}`, sha: commit.data.sha });
        const pr = await octokit.pulls.create({
          owner,
          repo,
          base: req.base,
          head: req.branch,
          title: req.title,
          body: req.body,
        });
        return pr.data.html_url;
      }),
  };
}
