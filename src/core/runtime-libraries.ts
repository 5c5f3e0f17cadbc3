import { normalisePipName } from './package-spec';

/**
 * What code compiled in a full image needs at run time in the slim one: the Debian packages of the
 * shared libraries it links to. A known table, not a reading of the built files: the fix writes the
 * Dockerfile before anything is built. Package names as Debian ships them; where a release renamed
 * one, the name per release (`bullseye`, `bookworm`, `trixie`). The official python images' slim
 * variants already have the libraries their own Python links to (SLIM_HAS): those are not installed.
 */
type Name = string | Readonly<Record<string, string>>;

/** The releases the tables speak for. */
const RELEASES: ReadonlySet<string> = new Set(['bullseye', 'bookworm', 'trixie']);

const TIFF = { bullseye: 'libtiff5', bookworm: 'libtiff6', trixie: 'libtiff6' };
const WEBP = { bullseye: 'libwebp6', bookworm: 'libwebp7', trixie: 'libwebp7' };
const LDAP = { bullseye: 'libldap-2.4-2', bookworm: 'libldap-2.5-0', trixie: 'libldap2' };
const ODBC = { bullseye: 'libodbc1', bookworm: 'libodbc2', trixie: 'libodbc2' };
const PNG = { bullseye: 'libpng16-16', bookworm: 'libpng16-16', trixie: 'libpng16-16t64' };
const GEOS = { bullseye: 'libgeos-c1v5', bookworm: 'libgeos-c1v5', trixie: 'libgeos-c1t64' };

/**
 * pip packages that link to system libraries when pip builds them from source, by their PEP 503
 * name. Pillow links to each image library it finds; the full python image has the headers of all
 * of these. A package that builds from source and is in neither table is taken to link only to the
 * C library and Python.
 */
const PIP_LIBRARIES: ReadonlyMap<string, readonly Name[]> = new Map<string, readonly Name[]>([
  ['psycopg2', ['libpq5']],
  ['psycopg-c', ['libpq5']],
  ['mysqlclient', ['libmariadb3']],
  ['mariadb', ['libmariadb3']],
  ['lxml', ['libxml2', 'libxslt1.1']],
  [
    'pillow',
    [
      'libjpeg62-turbo',
      TIFF,
      'libfreetype6',
      'liblcms2-2',
      WEBP,
      'libwebpmux3',
      'libwebpdemux2',
      'libopenjp2-7',
      'libxcb1',
    ],
  ],
  ['pycairo', ['libcairo2']],
  ['pyyaml', ['libyaml-0-2']],
  ['python-ldap', [LDAP, 'libsasl2-2']],
  ['pygraphviz', ['libgvc6', 'libcgraph6']],
  ['pyodbc', [ODBC]],
]);

/** Packages whose build links to whatever it finds, or that need more than a library at run time. */
const UNKNOWN_LINKS: ReadonlySet<string> = new Set(['uwsgi', 'mod-wsgi', 'dlib']);

/** apt packages that only build: a compiler, its tools, version control. */
export const BUILD_ONLY: ReadonlySet<string> = new Set([
  'build-essential',
  'gcc',
  'g++',
  'cpp',
  'make',
  'cmake',
  'pkg-config',
  'pkgconf',
  'git',
  'autoconf',
  'automake',
  'libtool',
  'patch',
  'swig',
]);

/** Header packages (`-dev`) and the runtime library packages of what they link. */
const DEV_LIBRARIES: ReadonlyMap<string, readonly Name[]> = new Map<string, readonly Name[]>([
  ['libpq-dev', ['libpq5']],
  ['default-libmysqlclient-dev', ['libmariadb3']],
  ['libmariadb-dev', ['libmariadb3']],
  ['libmariadb-dev-compat', ['libmariadb3']],
  ['libmariadbclient-dev', ['libmariadb3']],
  ['libxml2-dev', ['libxml2']],
  ['libxslt1-dev', ['libxslt1.1']],
  ['libxslt-dev', ['libxslt1.1']],
  ['libjpeg-dev', ['libjpeg62-turbo']],
  ['libjpeg62-turbo-dev', ['libjpeg62-turbo']],
  ['libyaml-dev', ['libyaml-0-2']],
  ['libcairo2-dev', ['libcairo2']],
  ['libfreetype6-dev', ['libfreetype6']],
  ['libfreetype-dev', ['libfreetype6']],
  ['liblcms2-dev', ['liblcms2-2']],
  ['libopenjp2-7-dev', ['libopenjp2-7']],
  ['libwebp-dev', [WEBP, 'libwebpmux3', 'libwebpdemux2']],
  ['libtiff-dev', [TIFF]],
  ['libtiff5-dev', [TIFF]],
  ['libsasl2-dev', ['libsasl2-2']],
  ['libldap2-dev', [LDAP]],
  ['libldap-dev', [LDAP]],
  ['libgmp-dev', ['libgmp10']],
  ['libkrb5-dev', ['libkrb5-3', 'libgssapi-krb5-2']],
  ['libsnappy-dev', ['libsnappy1v5']],
  ['unixodbc-dev', [ODBC]],
  ['libpng-dev', [PNG]],
  ['libgeos-dev', [GEOS]],
  // Headers of what the slim image has (SLIM_HAS), and of Python and the C library themselves.
  ...[
    'zlib1g-dev',
    'libssl-dev',
    'libffi-dev',
    'libbz2-dev',
    'liblzma-dev',
    'libsqlite3-dev',
    'libreadline-dev',
    'libncurses-dev',
    'libncurses5-dev',
    'libncursesw5-dev',
    'uuid-dev',
    'libexpat1-dev',
    'python3-dev',
    'python-dev',
    'python-dev-is-python3',
    'libpython3-dev',
    'libc6-dev',
    'libc-dev',
    'linux-libc-dev',
  ].map((n): [string, readonly Name[]] => [n, []]),
]);

/** What the official python slim images already carry: the libraries their own Python links to. */
const SLIM_HAS: ReadonlySet<string> = new Set([
  'libc6',
  'libssl3',
  'libffi8',
  'zlib1g',
  'libbz2-1.0',
  'liblzma5',
  'libsqlite3-0',
  'libreadline8',
  'libncursesw6',
  'libuuid1',
  'libexpat1',
]);

export const isBuildOnlyPackage = (name: string): boolean => BUILD_ONLY.has(name) || /-dev$/.test(name);

/**
 * The runtime packages for what a stage builds: `built` pip packages (built from source) and the
 * `-dev` packages it installs to build them, for Debian `release` (undefined: the tag does not say).
 * Returns why when a package is not in the tables, or its name differs between releases the stage
 * may be on.
 */
export function runtimePackages(
  built: readonly string[],
  dev: readonly string[],
  release: string | undefined,
): { packages: string[] } | { why: string } {
  const names: Name[] = [];
  for (const pkg of built) {
    const key = normalisePipName(pkg);
    if (UNKNOWN_LINKS.has(key))
      return { why: `${pkg} links to libraries of the full image that are not known here` };
    names.push(...(PIP_LIBRARIES.get(key) ?? []));
  }
  for (const pkg of dev) {
    if (BUILD_ONLY.has(pkg)) continue;
    const libs = DEV_LIBRARIES.get(pkg);
    if (!libs) return { why: `the stage installs ${pkg}, whose runtime library is not known here` };
    names.push(...libs);
  }
  if (names.length > 0 && release && !RELEASES.has(release))
    return { why: `the runtime library names of Debian ${release} are not known here` };
  const packages = new Set<string>();
  for (const name of names) {
    const one = typeof name === 'string' ? name : pickRelease(name, release);
    if (!one)
      return {
        why: `the runtime library (${[...new Set(Object.values(name))].join(' or ')}) depends on the Debian release, which the tag does not say`,
      };
    if (!SLIM_HAS.has(one)) packages.add(one);
  }
  return { packages: [...packages].sort() };
}

function pickRelease(
  byRelease: Readonly<Record<string, string>>,
  release: string | undefined,
): string | undefined {
  if (release) return byRelease[release];
  const names = new Set(Object.values(byRelease));
  return names.size === 1 ? [...names][0] : undefined;
}
