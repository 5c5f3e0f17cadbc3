import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseAptSources } from '../core/apt-sources';
import type { AptMirrors } from '../resolve/debian-index';

export { parseAptSources } from '../core/apt-sources';

/** The apt sources of a directory laid out like /etc/apt. */
export function aptSourcesOf(dir: string): AptMirrors {
  const read = (f: string) => {
    try {
      return readFileSync(f, 'utf8');
    } catch {
      return '';
    }
  };
  let names: string[] = [];
  try {
    names = readdirSync(path.join(dir, 'sources.list.d'));
  } catch {
    names = [];
  }
  const list = [
    read(path.join(dir, 'sources.list')),
    ...names.filter((n) => n.endsWith('.list')).map((n) => read(path.join(dir, 'sources.list.d', n))),
  ].join('\n');
  const deb822 = names
    .filter((n) => n.endsWith('.sources'))
    .map((n) => read(path.join(dir, 'sources.list.d', n)));
  return parseAptSources(list, deb822);
}
