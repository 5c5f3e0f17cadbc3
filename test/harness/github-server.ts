import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipTar } from './tars';

interface Commit {
  readonly files: Record<string, string>;
  readonly parent?: string;
}

interface Pull {
  number: number;
  head: string;
  base: string;
  title: string;
  body: string;
  state: 'open' | 'closed';
}

interface Repo {
  defaultBranch: string;
  canPush: boolean;
  refs: Map<string, string>;
  pulls: Pull[];
}

export interface FakeGitHubOptions {
  /** Whether the token may push to the repository (else the run must fork). */
  readonly canPush?: boolean;
  /** The recursive tree listing says it was truncated and lists only the root's files. */
  readonly truncatedTree?: boolean;
  /** Files at least this large come without content, as GitHub does past 1 MB. */
  readonly blobOver?: number;
  /** The login forks are created under. */
  readonly forkOwner?: string;
  /** A pull request: its head commit `head1` is the base files with these changed, with these patches. */
  readonly pull?: {
    readonly number: number;
    readonly files: Record<string, string>;
    readonly patches: Record<string, string>;
  };
}

interface Review {
  id: number;
  body: string;
  commit: string;
  comments: { id: number; path: string; line: number; start_line?: number; body: string }[];
}

export interface FakeGitHub {
  readonly url: string;
  /** Requests seen: `METHOD path`. */
  readonly calls: string[];
  /** Bodies of write requests, by `METHOD path` (the last one). */
  readonly bodies: Map<string, unknown>;
  readonly authorization: (string | undefined)[];
  /** Branches of a repository (`owner/repo`) and the files at their heads. */
  branch(
    slug: string,
    name: string,
  ): { sha: string; parent?: string; files: Record<string, string> } | undefined;
  pulls(slug: string): readonly Pull[];
  /** Reviews of a pull request, with their comments as they stand. */
  reviews(number: number): readonly Review[];
  /** Moves a branch to a new commit with these files changed (someone pushed to the base). */
  push(slug: string, branch: string, files: Record<string, string>): void;
  close(): Promise<void>;
}

/**
 * A local, stateful stand-in for the parts of GitHub's REST API the repository mode uses: contents,
 * trees and blobs, refs and commits, pull requests (list, create, update) and forks.
 */
export async function startFakeGitHub(
  owner: string,
  repo: string,
  files: Record<string, string>,
  opts: FakeGitHubOptions = {},
): Promise<FakeGitHub> {
  const calls: string[] = [];
  const bodies = new Map<string, unknown>();
  const authorization: (string | undefined)[] = [];
  const commits = new Map<string, Commit>([['c0', { files: { ...files } }]]);
  const trees = new Map<string, Record<string, string>>();
  const repos = new Map<string, Repo>([
    [
      `${owner}/${repo}`,
      { defaultBranch: 'main', canPush: opts.canPush ?? true, refs: new Map([['main', 'c0']]), pulls: [] },
    ],
  ]);
  const reviews: Review[] = [];
  let nextReview = 1;
  let nextComment = 1;
  if (opts.pull) commits.set('head1', { files: { ...files, ...opts.pull.files }, parent: 'c0' });
  let nextCommit = 1;
  let nextTree = 1;
  let nextPull = 1;
  const resolve = (r: Repo, ref: string) => (commits.has(ref) ? ref : r.refs.get(ref));
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const p = decodeURIComponent(url.pathname);
    const key = `${req.method} ${p}`;
    calls.push(key);
    authorization.push(req.headers.authorization);
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const body = raw ? JSON.parse(raw) : undefined;
      if (raw) bodies.set(key, body);
      const json = (status: number, value: unknown) => {
        res.statusCode = status;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(value));
      };
      const m = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(p);
      const r = m ? repos.get(`${m[1]}/${m[2]}`) : undefined;
      if (!m || !r) return json(404, { message: 'Not Found' });
      const [, o, n, rest = ''] = m;
      const html = (num: number) => `https://example.invalid/${o}/${n}/pull/${num}`;
      const pullJson = (x: Pull) => ({
        number: x.number,
        html_url: html(x.number),
        head: { label: x.head },
        body: x.body,
      });
      if (req.method === 'GET' && rest === '')
        return json(200, { default_branch: r.defaultBranch, permissions: { push: r.canPush } });
      let q: RegExpExecArray | null;
      // The archive: a redirect to a gzipped tarball whose one top folder is owner-repo-sha, as GitHub's.
      if (req.method === 'GET' && (q = /^\/tarball\/(.+)$/.exec(rest))) {
        const sha = resolve(r, q[1]);
        if (!sha) return json(404, { message: 'Not Found' });
        res.statusCode = 302;
        res.setHeader('location', `/repos/${o}/${n}/_archive/${sha}`);
        return res.end();
      }
      if (req.method === 'GET' && (q = /^\/_archive\/(.+)$/.exec(rest))) {
        const files = commits.get(q[1])?.files;
        if (!files) return json(404, { message: 'Not Found' });
        const top = `${o}-${n}-${q[1]}`;
        void gzipTar([
          { name: `${top}/`, type: 'directory' },
          ...Object.entries(files).map(([name, content]) => ({
            name: `${top}/${name}`,
            content,
            mode: name.endsWith('.sh') ? 0o755 : 0o644,
          })),
        ]).then((tgz) => {
          res.setHeader('content-type', 'application/x-gzip');
          res.end(tgz);
        });
        return;
      }
      if (req.method === 'GET' && (q = /^\/git\/trees\/(.+)$/.exec(rest))) {
        const sha = resolve(r, q[1]);
        if (!sha) return json(404, { message: 'Not Found' });
        const all = Object.keys((commits.get(sha) as Commit).files);
        const listed = opts.truncatedTree ? all.filter((f) => !f.includes('/')) : all;
        return json(200, {
          tree: listed.map((f) => ({ path: f, type: 'blob', sha: f })),
          truncated: opts.truncatedTree === true,
        });
      }
      if (req.method === 'GET' && (q = /^\/contents\/?(.*)$/.exec(rest))) {
        const sha = resolve(r, url.searchParams.get('ref') ?? r.defaultBranch);
        const tree = sha ? (commits.get(sha) as Commit).files : {};
        const file = q[1];
        if (file in tree) {
          const big = opts.blobOver !== undefined && tree[file].length >= opts.blobOver;
          return json(200, {
            type: 'file',
            path: file,
            encoding: 'base64',
            sha: `blob:${sha}:${file}`,
            content: big ? '' : Buffer.from(tree[file]).toString('base64'),
          });
        }
        const prefix = file ? `${file}/` : '';
        const children = new Map<string, string>();
        for (const f of Object.keys(tree).filter((x) => x.startsWith(prefix))) {
          const part = f.slice(prefix.length).split('/')[0];
          children.set(part, f.slice(prefix.length).includes('/') ? 'dir' : 'file');
        }
        if (children.size === 0) return json(404, { message: 'Not Found' });
        return json(
          200,
          [...children].map(([name, type]) => ({ name, path: `${prefix}${name}`, type })),
        );
      }
      if (req.method === 'GET' && (q = /^\/git\/blobs\/blob:([^:]+):(.+)$/.exec(rest))) {
        const content = commits.get(q[1])?.files[q[2]];
        return content === undefined
          ? json(404, { message: 'Not Found' })
          : json(200, { content: Buffer.from(content).toString('base64'), encoding: 'base64' });
      }
      if (req.method === 'GET' && (q = /^\/git\/ref\/heads\/(.+)$/.exec(rest))) {
        const sha = r.refs.get(q[1]);
        return sha
          ? json(200, { ref: `refs/heads/${q[1]}`, object: { sha } })
          : json(404, { message: 'Not Found' });
      }
      if (req.method === 'GET' && (q = /^\/git\/commits\/(.+)$/.exec(rest))) {
        const c = commits.get(q[1]);
        if (!c) return json(404, { message: 'Not Found' });
        return json(200, {
          sha: q[1],
          tree: { sha: `tree-of-${q[1]}` },
          parents: c.parent ? [{ sha: c.parent }] : [],
        });
      }
      if (req.method === 'POST' && rest === '/git/trees') {
        const baseSha = String(body.base_tree).replace(/^tree-of-/, '');
        const tree = { ...(commits.get(baseSha)?.files ?? {}) };
        for (const e of body.tree) tree[e.path] = e.content;
        const id = `t${nextTree++}`;
        trees.set(id, tree);
        return json(201, { sha: id });
      }
      if (req.method === 'POST' && rest === '/git/commits') {
        const sha = `c${nextCommit++}`;
        commits.set(sha, { files: trees.get(body.tree) ?? {}, parent: body.parents[0] });
        return json(201, { sha });
      }
      if (req.method === 'POST' && rest === '/git/refs') {
        const name = String(body.ref).replace(/^refs\/heads\//, '');
        if (r.refs.has(name)) return json(422, { message: 'Reference already exists' });
        r.refs.set(name, body.sha);
        return json(201, { ref: body.ref, object: { sha: body.sha } });
      }
      if (req.method === 'PATCH' && (q = /^\/git\/refs\/heads\/(.+)$/.exec(rest))) {
        if (!r.refs.has(q[1])) return json(422, { message: 'Reference does not exist' });
        r.refs.set(q[1], body.sha);
        return json(200, { object: { sha: body.sha } });
      }
      if (req.method === 'GET' && rest === '/pulls') {
        const head = url.searchParams.get('head');
        const base = url.searchParams.get('base');
        const state = url.searchParams.get('state') ?? 'open';
        return json(
          200,
          r.pulls
            .filter((x) => (!head || x.head === head) && (!base || x.base === base) && x.state === state)
            .map(pullJson),
        );
      }
      if (req.method === 'POST' && rest === '/pulls') {
        const head = String(body.head).includes(':') ? body.head : `${o}:${body.head}`;
        const pr: Pull = {
          number: nextPull++,
          head,
          base: body.base,
          title: body.title,
          body: body.body,
          state: 'open',
        };
        r.pulls.push(pr);
        return json(201, pullJson(pr));
      }
      if (req.method === 'PATCH' && (q = /^\/pulls\/(\d+)$/.exec(rest))) {
        const pr = r.pulls.find((x) => x.number === Number(q?.[1]));
        if (!pr) return json(404, { message: 'Not Found' });
        if (body.body !== undefined) pr.body = body.body;
        return json(200, pullJson(pr));
      }
      if (req.method === 'GET' && (q = /^\/pulls\/(\d+)\/files$/.exec(rest)) && opts.pull) {
        return json(
          200,
          Object.keys(opts.pull.files).map((f) => ({
            filename: f,
            status: 'modified',
            patch: opts.pull?.patches[f],
          })),
        );
      }
      if (req.method === 'GET' && /^\/pulls\/\d+\/reviews$/.test(rest))
        return json(
          200,
          reviews.map((x) => ({ id: x.id, body: x.body, commit_id: x.commit })),
        );
      if (req.method === 'POST' && /^\/pulls\/\d+\/reviews$/.test(rest)) {
        const review: Review = {
          id: nextReview++,
          body: body.body,
          commit: body.commit_id,
          comments: (body.comments ?? []).map((c: Review['comments'][number]) => ({
            ...c,
            id: nextComment++,
          })),
        };
        reviews.push(review);
        return json(200, { id: review.id });
      }
      if (req.method === 'GET' && (q = /^\/pulls\/\d+\/reviews\/(\d+)\/comments$/.exec(rest))) {
        const review = reviews.find((x) => x.id === Number(q?.[1]));
        return json(
          200,
          (review?.comments ?? []).map((c) => ({ id: c.id, body: c.body })),
        );
      }
      if (req.method === 'DELETE' && (q = /^\/pulls\/comments\/(\d+)$/.exec(rest))) {
        for (const x of reviews) x.comments = x.comments.filter((c) => c.id !== Number(q?.[1]));
        res.statusCode = 204;
        return res.end();
      }
      if (req.method === 'PUT' && (q = /^\/pulls\/\d+\/reviews\/(\d+)$/.exec(rest))) {
        const review = reviews.find((x) => x.id === Number(q?.[1]));
        if (!review) return json(404, { message: 'Not Found' });
        review.body = body.body;
        return json(200, { id: review.id });
      }
      if (req.method === 'POST' && rest === '/forks') {
        const login = opts.forkOwner ?? 'me';
        if (!repos.has(`${login}/${n}`))
          repos.set(`${login}/${n}`, {
            defaultBranch: r.defaultBranch,
            canPush: true,
            refs: new Map(r.refs),
            pulls: [],
          });
        return json(202, { owner: { login }, name: n, full_name: `${login}/${n}` });
      }
      return json(404, { message: 'Not Found' });
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    bodies,
    authorization,
    branch(slug, name) {
      const sha = repos.get(slug)?.refs.get(name);
      const c = sha ? commits.get(sha) : undefined;
      return sha && c ? { sha, ...(c.parent ? { parent: c.parent } : {}), files: c.files } : undefined;
    },
    pulls: (slug) => repos.get(slug)?.pulls ?? [],
    reviews: () => reviews,
    push(slug, branch, changed) {
      const r = repos.get(slug) as Repo;
      const parent = r.refs.get(branch) as string;
      const sha = `c${nextCommit++}`;
      commits.set(sha, { files: { ...(commits.get(parent) as Commit).files, ...changed }, parent });
      r.refs.set(branch, sha);
    },
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}
