// A repository's files at one ref, unpacked from GitHub's archive into a temporary folder, as the
// build context of --prove: bounded in bytes and entries; links and paths that would leave it skipped.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import type { GitHubPort } from '../effects/github';

/** Bytes of the archive downloaded, and of the files unpacked, at most. */
export const MAX_ARCHIVE_BYTES = 256 * 1024 * 1024;
export const MAX_UNPACKED_BYTES = 1024 * 1024 * 1024;
const MAX_ENTRIES = 100_000;

export interface UnpackedContext {
  readonly dir: string;
  readonly files: number;
  /** Entries not written (links, special files, paths that would leave the folder). */
  readonly skipped: number;
  /** The unpacked folder of a repository path (`''` for the root, `a/b` for a folder). */
  folder(repoDir: string): string;
  remove(): void;
}

export class ArchiveError extends Error {}

/** The path inside the archive's one top folder (`owner-repo-sha/`), or undefined when it is not safe. */
function inner(name: string): string | undefined {
  const parts = name.replace(/\\/g, '/').split('/').filter(Boolean);
  if (parts.length < 2 || name.startsWith('/')) return undefined;
  const rest = parts.slice(1);
  return rest.some((p) => p === '..' || p === '.') ? undefined : rest.join('/');
}

/** Unpacks a gzipped tarball into a new temporary folder; regular files and folders only. */
export async function unpackArchive(tgz: Buffer, maxBytes = MAX_UNPACKED_BYTES): Promise<UnpackedContext> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harden-repo-context-'));
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  let files = 0;
  let skipped = 0;
  let bytes = 0;
  let entries = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const ex = extract();
      // Past a bound the rest is read but not written; the promise then fails.
      let failure: ArchiveError | undefined;
      const drain = (
        stream: { on(e: 'end', f: () => void): unknown; resume(): unknown },
        next: () => void,
      ) => {
        stream.on('end', next);
        stream.resume();
      };
      ex.on('entry', (header, stream, next) => {
        if (!failure && ++entries > MAX_ENTRIES)
          failure = new ArchiveError(`more than ${MAX_ENTRIES} entries`);
        if (failure) return drain(stream, next);
        const rel = inner(header.name);
        const target = rel === undefined ? undefined : path.join(dir, rel);
        if (
          !target ||
          !target.startsWith(dir + path.sep) ||
          (header.type !== 'file' && header.type !== 'directory')
        ) {
          if (rel !== undefined || header.name.replace(/\/+$/, '').includes('/')) skipped++;
          return drain(stream, next);
        }
        if (header.type === 'directory') {
          fs.mkdirSync(target, { recursive: true });
          return drain(stream, next);
        }
        bytes += header.size ?? 0;
        if (bytes > maxBytes) {
          failure = new ArchiveError(`more than ${maxBytes} bytes unpacked`);
          return drain(stream, next);
        }
        fs.mkdirSync(path.dirname(target), { recursive: true });
        // Executable bits survive (entrypoint scripts); nothing else of the mode does.
        const out = fs.createWriteStream(target, { mode: (header.mode ?? 0o644) & 0o111 ? 0o755 : 0o644 });
        stream.pipe(out);
        out.on('finish', () => {
          files++;
          next();
        });
        out.on('error', (e) => {
          failure ??= new ArchiveError(e.message);
          stream.resume();
          next();
        });
      });
      ex.on('finish', () => (failure ? reject(failure) : resolve()));
      ex.on('error', () => reject(failure ?? new ArchiveError('not a tarball')));
      const gunzip = createGunzip();
      gunzip.on('error', () => reject(new ArchiveError('not a gzipped tarball')));
      Readable.from([tgz]).pipe(gunzip).pipe(ex);
    });
  } catch (err) {
    remove();
    throw err instanceof ArchiveError
      ? err
      : new ArchiveError(err instanceof Error ? err.message : String(err));
  }
  return {
    dir,
    files,
    skipped,
    folder: (repoDir) => path.join(dir, ...repoDir.split('/').filter(Boolean)),
    remove,
  };
}

/** A repository's files at `ref`: GitHub's archive of them, downloaded and unpacked (both bounded). */
export async function repositoryContext(
  github: GitHubPort,
  owner: string,
  repo: string,
  ref: string,
): Promise<UnpackedContext> {
  return unpackArchive(await github.archive(owner, repo, ref, MAX_ARCHIVE_BYTES));
}
