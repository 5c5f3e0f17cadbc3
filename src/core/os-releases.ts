/**
 * The one table of distro releases: codenames, version numbers, the python3 each ships and when
 * it stops getting security updates. Image facts read from the registry come first; this table
 * answers when they cannot be had (offline) and dates the release an image's os-release names.
 * End of life is the last day of security updates of any kind the project itself publishes:
 * Debian's LTS, Ubuntu's standard support, Alpine's main repository.
 */
export interface OsRelease {
  readonly distro: 'debian' | 'ubuntu' | 'alpine';
  /** Codename for Debian and Ubuntu (`bookworm`, `jammy`), branch for Alpine (`3.19`). */
  readonly release: string;
  /** Version as os-release's VERSION_ID gives it (`12`, `22.04`, `3.19`). */
  readonly version: string;
  readonly python3?: string;
  /** ISO date after which the release gets no more security updates. */
  readonly eol: string;
}

export const OS_RELEASES: readonly OsRelease[] = [
  { distro: 'debian', release: 'stretch', version: '9', python3: '3.5', eol: '2022-06-30' },
  { distro: 'debian', release: 'buster', version: '10', python3: '3.7', eol: '2024-06-30' },
  { distro: 'debian', release: 'bullseye', version: '11', python3: '3.9', eol: '2026-08-31' },
  { distro: 'debian', release: 'bookworm', version: '12', python3: '3.11', eol: '2028-06-30' },
  { distro: 'debian', release: 'trixie', version: '13', python3: '3.13', eol: '2030-06-30' },
  { distro: 'debian', release: 'forky', version: '14', eol: '2032-06-30' },
  { distro: 'ubuntu', release: 'xenial', version: '16.04', python3: '3.5', eol: '2021-04-30' },
  { distro: 'ubuntu', release: 'bionic', version: '18.04', python3: '3.6', eol: '2023-05-31' },
  { distro: 'ubuntu', release: 'focal', version: '20.04', python3: '3.8', eol: '2025-05-31' },
  { distro: 'ubuntu', release: 'jammy', version: '22.04', python3: '3.10', eol: '2027-06-01' },
  { distro: 'ubuntu', release: 'noble', version: '24.04', python3: '3.12', eol: '2029-05-31' },
  { distro: 'ubuntu', release: 'oracular', version: '24.10', python3: '3.12', eol: '2025-07-10' },
  { distro: 'ubuntu', release: 'plucky', version: '25.04', python3: '3.13', eol: '2026-01-15' },
  { distro: 'alpine', release: '3.15', version: '3.15', python3: '3.9', eol: '2023-11-01' },
  { distro: 'alpine', release: '3.16', version: '3.16', python3: '3.10', eol: '2024-05-23' },
  { distro: 'alpine', release: '3.17', version: '3.17', python3: '3.10', eol: '2024-11-22' },
  { distro: 'alpine', release: '3.18', version: '3.18', python3: '3.11', eol: '2025-05-09' },
  { distro: 'alpine', release: '3.19', version: '3.19', python3: '3.11', eol: '2025-11-01' },
  { distro: 'alpine', release: '3.20', version: '3.20', python3: '3.12', eol: '2026-04-01' },
  { distro: 'alpine', release: '3.21', version: '3.21', python3: '3.12', eol: '2026-11-01' },
  { distro: 'alpine', release: '3.22', version: '3.22', python3: '3.12', eol: '2027-05-01' },
];

export function codenamesOf(distro: OsRelease['distro']): string[] {
  return OS_RELEASES.filter((r) => r.distro === distro).map((r) => r.release);
}

/** The release a distro's os-release names: by codename, or by VERSION_ID (`12`, `22.04`, `3.19.1`). */
export function findRelease(distro: string, codenameOrVersion: string): OsRelease | undefined {
  const v = codenameOrVersion.toLowerCase();
  return OS_RELEASES.find(
    (r) =>
      r.distro === distro &&
      (r.release === v || r.version === v || (distro === 'alpine' && v.startsWith(`${r.version}.`))),
  );
}

/** `buster|bullseye|…`: a distro's codenames as a regular-expression alternation. */
export function codenameAlternation(distro: 'debian' | 'ubuntu'): string {
  return codenamesOf(distro).join('|');
}
