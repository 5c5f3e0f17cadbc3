/** An absolute path in a Dockerfile: `/…`, a variable (`$HOME/…`, resolved at build) or `C:\…`/`c:/…`. */
export function isAbsolutePath(path: string): boolean {
  const p = path.replace(/^(["'])(.*)\1$/, '$2');
  return p.startsWith('/') || p.startsWith('$') || /^[A-Za-z]:[\\/]?/.test(p);
}
