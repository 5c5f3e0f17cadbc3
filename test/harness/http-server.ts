import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export interface LocalServer {
  readonly url: string;
  /** Requests seen, by path. */
  readonly hits: Map<string, number>;
  total(): number;
  close(): Promise<void>;
}

/**
 * A small HTTP server on 127.0.0.1 (or `host`: the Docker bridge's gateway, for containers) serving
 * fixture data in the real formats.
 */
export async function serve(routes: Record<string, Handler>, host = '127.0.0.1'): Promise<LocalServer> {
  const hits = new Map<string, number>();
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const handler = routes[path];
    if (handler) handler(req, res);
    else {
      res.statusCode = 404;
      res.end('not found');
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    hits,
    total: () => [...hits.values()].reduce((a, b) => a + b, 0),
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export function body(content: string | Buffer, type = 'application/octet-stream', status = 200): Handler {
  return (_req, res) => {
    res.statusCode = status;
    res.setHeader('content-type', type);
    res.end(content);
  };
}
