import type { AptMirrors } from '../resolve/debian-index';
import { codenameAlternation } from './os-releases';

/** Debian's release codenames as apt suites name them (`bookworm`, `bookworm-updates`). */
const DEBIAN_SUITE = new RegExp(`^(${codenameAlternation('debian')})(-updates)?$`);

/**
 * Debian archive and security URIs from apt sources: `sources.list` one-line entries and deb822
 * `.sources` stanzas, given as texts (a machine's /etc/apt, or the files of an image's layers).
 */
export function parseAptSources(list: string, deb822: readonly string[]): AptMirrors {
  const uris: { uri: string; suites: string[] }[] = [];
  for (const line of list.split('\n')) {
    const m = /^\s*deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)/.exec(line);
    if (m) uris.push({ uri: m[1], suites: [m[2]] });
  }
  for (const text of deb822) {
    for (const stanza of text.split(/\n\s*\n/)) {
      const field = (k: string) => new RegExp(`^${k}:\\s*(.+)$`, 'mi').exec(stanza)?.[1].trim();
      if (!/\bdeb\b/.test(field('Types') ?? '')) continue;
      const uri = field('URIs')?.split(/\s+/)[0];
      if (uri) uris.push({ uri, suites: (field('Suites') ?? '').split(/\s+/) });
    }
  }
  const debian = uris.find((u) => u.suites.some((s) => DEBIAN_SUITE.test(s)));
  const security = uris.find((u) => u.suites.some((s) => /-security$/.test(s)));
  return { debian: debian?.uri, debianSecurity: security?.uri };
}
