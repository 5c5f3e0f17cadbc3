import { commandsNamed, plainArgs } from '../src/core/command-flags';
import { localCopies } from '../src/core/add-instrs';
import type { CopyInstr } from '../src/core/model';
import { defineRule } from '../src/engine/define-rule';

const ARCHIVE = /\.(tar|Z|bz2|gz|lz|lzma|tZ|tb2|tbz2?|tgz|tlz|tpz|txz|xz)$/;
const UNPACKERS = ['unzip', 'gunzip', 'bunzip2', 'unlzma', 'unxz', 'zgz', 'uncompress', 'zcat', 'gzcat'];

const base = (p: string): string => p.replace(/^(["'])(.*)\1$/, '$2').replace(/^.*[/\\]/, '');

/** The archive names a COPY puts in the image: its destination when that is an archive name, else its sources'. */
function archivesOf(copy: CopyInstr): string[] {
  const dest = copy.dest ? base(copy.dest.value) : '';
  if (ARCHIVE.test(dest)) return [dest];
  return copy.sources.map((s) => base(s.value)).filter((s) => ARCHIVE.test(s));
}

export const rule = defineRule({
  id: 'add-to-extract',
  aliases: ['DL3010'],
  severity: 'info',
  description: 'Let ADD unpack a local archive instead of COPY and a RUN that extracts it.',
  docs:
    'COPY of an archive followed by `tar -x` or `unzip` in a later RUN ships the archive in one layer ' +
    'and its contents in another. `ADD archive.tar.gz /dest/` unpacks local tar archives in one step and ' +
    'one layer. Reported on the COPY, when a later RUN of the same stage extracts a file of that name.',
  messages: { extract: 'COPY of {{name}} that a later RUN extracts: ADD unpacks it in one layer.' },
  fix: 'none',
  check(model, ctx) {
    // Nothing to look for in RUNs unless a COPY brings an archive in.
    const copies = localCopies(model).filter((c) => archivesOf(c).length > 0);
    if (copies.length === 0) return;
    const extracted = new Map<number, Set<string>>();
    for (const c of commandsNamed(model, ['tar', ...UNPACKERS])) {
      const isExtract =
        c.name !== 'tar' ||
        c.args.some((w) => w.value === '--extract' || w.value === '--get') ||
        c.args.some((w) => /^-[^-]*x/.test(w.value)) ||
        /^[^-]*x/.test(c.args[0]?.value ?? '-');
      if (!isExtract) continue;
      const key = c.stage?.index ?? -1;
      const names = extracted.get(key) ?? new Set<string>();
      for (const w of plainArgs(c.args)) names.add(base(w.value));
      extracted.set(key, names);
    }
    if (extracted.size === 0) return;
    for (const copy of copies) {
      const names = extracted.get(copy.stage);
      const name = names && archivesOf(copy).find((a) => names.has(a));
      if (name) ctx.report({ messageId: 'extract', data: { name }, range: copy.keywordRange });
    }
  },
});
