import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeGitHub {
  readonly url: string;
  /** Requests seen: `METHOD path`. */
  readonly calls: string[];
  /** Bodies of write requests, by `METHOD path`. */
  readonly bodies: Map<string, unknown>;
  readonly authorization: (string | undefined)[];
  close(): Promise<void>;
}

/** A local stand-in for the parts of GitHub's REST API the repository mode uses. */
export async function startFakeGitHub(
  owner: string,
  repo: string,
  files: Record<string, string>,
): Promise<FakeGitHub> {
  const calls: string[] = [];
  const bodies = new Map<string, unknown>();
  const authorization: (string | undefined)[] = [];
  const base = `/repos/${owner}/${repo}`;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const pathname = decodeURIComponent(url.pathname);
    const key = `${req.method} ${pathname}`;
    calls.push(key);
    authorization.push(req.headers.authorization);
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      if (raw) bodies.set(key, JSON.parse(raw));
      const json = (status: number, body: unknown) => {
        res.statusCode = status;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(body));
      };
      const p = pathname;
      if (req.method === 'GET' && p === base) return json(200, { default_branch: 'main' });
      if (req.method === 'GET' && p === `${base}/git/trees/main`) {
        return json(200, {
          tree: Object.keys(files).map((f) => ({ path: f, type: 'blob', sha: f })),
          truncated: false,
        });
      }
      if (req.method === 'GET' && p.startsWith(`${base}/contents/`)) {
        const file = decodeURIComponent(p.slice(`${base}/contents/`.length));
        if (!(file in files)) return json(404, { message: 'Not Found' });
        return json(200, {
          type: 'file',
          encoding: 'base64',
          sha: file,
          content: Buffer.from(files[file]).toString('base64'),
        });
      }
      if (req.method === 'GET' && p === `${base}/git/ref/heads/main`)
        return json(200, { object: { sha: 'base-sha' } });
      if (req.method === 'GET' && p === `${base}/git/commits/base-sha`)
        return json(200, { tree: { sha: 'base-tree' } });
      if (req.method === 'POST' && p === `${base}/git/trees`) return json(201, { sha: 'new-tree' });
      if (req.method === 'POST' && p === `${base}/git/commits`) return json(201, { sha: 'new-commit' });
      if (req.method === 'POST' && p === `${base}/git/refs`) return json(201, { ref: 'refs/heads/x' });
      if (req.method === 'POST' && p === `${base}/pulls`)
        return json(201, { html_url: `https://example.invalid/${owner}/${repo}/pull/1` });
      return json(404, { message: 'Not Found' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    bodies,
    authorization,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
