import { codenameAlternation } from './os-releases';
import type { ImageRef } from './image-ref';
import type { DistroFamily } from './model';

const RHEL_NAMES = new Set([
  'centos',
  'fedora',
  'rockylinux',
  'almalinux',
  'amazonlinux',
  'oraclelinux',
  'ubi',
  'ubi7',
  'ubi8',
  'ubi9',
  'ubi-minimal',
  'ubi8-minimal',
  'ubi9-minimal',
  'rhel',
  'photon',
]);

/** Official images whose default variants are built on Debian. */
const DEBIAN_BASED = new Set([
  'python',
  'node',
  'ruby',
  'golang',
  'php',
  'perl',
  'rust',
  'buildpack-deps',
  'nginx',
  'httpd',
  'postgres',
  'redis',
  'elixir',
  'erlang',
  'julia',
  'r-base',
  'haskell',
  'openjdk',
  'gcc',
  'pypy',
  'mongo-express',
  'wordpress',
  'drupal',
  'composer',
  'maven',
  'gradle',
  'clojure',
  'swift',
  'dart',
]);

const UBUNTU_BASED = new Set(['eclipse-temurin', 'ibmjava', 'ibm-semeru-runtimes', 'mongo', 'neurodebian']);
const UBUNTU_CODENAMES = new RegExp(`(^|[-_.])(${codenameAlternation('ubuntu')})([-_.]|$)`);
const DEBIAN_CODENAMES = new RegExp(`(^|[-_.])(${codenameAlternation('debian')}|sid)([-_.]|$)`);

/** The OS family of a base image, from its name and tag alone. */
export function familyOfImage(ref: ImageRef | undefined, text: string): DistroFamily {
  if (text === 'scratch') return 'scratch';
  if (!ref) return 'unknown';
  const repo = ref.repository.toLowerCase();
  const tag = (ref.tag ?? '').toLowerCase();
  if (
    repo.startsWith('distroless/') ||
    repo.includes('/distroless/') ||
    /(^|\/)chainguard\/static$/.test(repo)
  ) {
    return 'distroless';
  }
  if (
    /(^|\/)windows(\/|$)|servercore|nanoserver|dotnet\/framework/.test(repo) ||
    /windowsservercore|nanoserver|ltsc20\d\d/.test(tag)
  ) {
    return 'windows';
  }
  if (ref.name === 'alpine' || /(^|[-_.])alpine/.test(tag)) return 'alpine';
  if (ref.name === 'ubuntu' || UBUNTU_CODENAMES.test(tag)) return 'ubuntu';
  if (RHEL_NAMES.has(ref.name) || /ubi\d*(-minimal)?$/.test(repo)) return 'rhel';
  if (ref.name === 'debian' || DEBIAN_CODENAMES.test(tag)) return 'debian';
  if (ref.registry === 'docker.io' && repo.startsWith('library/')) {
    if (DEBIAN_BASED.has(ref.name)) return 'debian';
    if (UBUNTU_BASED.has(ref.name)) return 'ubuntu';
  }
  return 'unknown';
}

/** The package managers whose use tells a stage's OS family when its base image does not. */
export const PACKAGE_MANAGER_FAMILIES: Readonly<Record<string, DistroFamily>> = {
  apk: 'alpine',
  'apt-get': 'debian',
  apt: 'debian',
  yum: 'rhel',
  dnf: 'rhel',
  microdnf: 'rhel',
};

/** The OS family suggested by the package manager a stage runs, when its base says nothing. */
export function familyOfPackageManager(command: string): DistroFamily | undefined {
  return Object.hasOwn(PACKAGE_MANAGER_FAMILIES, command) ? PACKAGE_MANAGER_FAMILIES[command] : undefined;
}
