import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { ArchiveError, unpackArchive } from '../../src/cli/repo-context';
import { gzipTar, tarOf } from '../harness/tars';

describe("unpacking a repository's archive for --prove", () => {
  it('writes the files under the one top folder, executable bits kept, links and escapes skipped', async () => {
    const tgz = await gzipTar([
      { name: 'acme-demo-c0/', type: 'directory' },
      { name: 'acme-demo-c0/Dockerfile', content: 'FROM debian:bookworm\n' },
      { name: 'acme-demo-c0/bin/entrypoint.sh', content: '#!/bin/sh\n', mode: 0o755 },
      { name: 'acme-demo-c0/link', type: 'symlink', linkname: '/etc/passwd' },
      { name: 'acme-demo-c0/../../escape', content: 'x' },
      { name: '/etc/cron.d/x', content: 'x' },
    ]);
    const ctx = await unpackArchive(tgz);
    try {
      const listed = (d: string): string[] =>
        fs
          .readdirSync(d, { withFileTypes: true })
          .flatMap((e) =>
            e.isDirectory() ? listed(path.join(d, e.name)) : [path.relative(ctx.dir, path.join(d, e.name))],
          )
          .sort();
      // `../../escape` loses its top folder like any entry and lands inside as `../escape`: refused.
      expect(listed(ctx.dir)).toEqual(['Dockerfile', 'bin/entrypoint.sh']);
      expect(fs.statSync(path.join(ctx.dir, 'bin/entrypoint.sh')).mode & 0o111).not.toBe(0);
      expect(fs.statSync(path.join(ctx.dir, 'Dockerfile')).mode & 0o111).toBe(0);
      expect(ctx.files).toBe(2);
      expect(ctx.skipped).toBe(3);
    } finally {
      ctx.remove();
    }
    expect(fs.existsSync(ctx.dir)).toBe(false);
  });

  it('stops at the bound and leaves nothing behind', async () => {
    const tgz = await gzipTar([{ name: 'r-c0/big', content: 'x'.repeat(4096) }]);
    const before = fs.readdirSync(os.tmpdir()).filter((d) => d.startsWith('harden-repo-context-'));
    await expect(unpackArchive(tgz, 1000)).rejects.toThrow(ArchiveError);
    const after = fs.readdirSync(os.tmpdir()).filter((d) => d.startsWith('harden-repo-context-'));
    expect(after).toEqual(before);
  });

  it('refuses what is not a gzipped tarball', async () => {
    await expect(unpackArchive(Buffer.from('not an archive'))).rejects.toThrow(ArchiveError);
    await expect(unpackArchive(gzipSync(Buffer.from('plain text, no tar')))).rejects.toThrow(ArchiveError);
    expect(await tarOf([])).toBeInstanceOf(Buffer);
  });
});
