import type { Word } from './model';

export interface OsPackage {
  readonly word: Word;
  readonly name: string;
  readonly arch?: string;
  readonly version?: string;
}

/** `curl`, `curl=7.88.1-10`, `libc6:amd64=2.36-9` (apt, apk and rpm-style names). */
export function osPackage(word: Word, separator: RegExp = /=/): OsPackage {
  const m = separator.exec(word.value);
  const head = m ? word.value.slice(0, m.index) : word.value;
  const version = m ? word.value.slice(m.index + m[0].length) : undefined;
  const colon = head.indexOf(':');
  return {
    word,
    name: colon >= 0 ? head.slice(0, colon) : head,
    arch: colon >= 0 ? head.slice(colon + 1) : undefined,
    version: version || undefined,
  };
}

/** apk: `name=1.2.3`, `name~1.2`, `name>1`, `name<2` all hold a version. */
export const APK_CONSTRAINT = /[=~<>]+/;
/** yum/dnf: `name-1.2.3`, `name-1:1.1.1k` or a constraint hold a version; a module stream `name:9` too. */
export function rpmPackageHasVersion(value: string, isModule: boolean): boolean {
  return /-\d/.test(value) || /[<>=]/.test(value) || (isModule && value.includes(':'));
}

export interface PipRequirement {
  readonly word: Word;
  readonly name: string;
  readonly extras?: string;
  readonly specifier: string;
  /** Exact pins (`==1.2`, `===1.2`) pin; ranges do not. */
  readonly pinned: boolean;
  /** Path, URL, VCS or archive: not pinned by version. */
  readonly direct: boolean;
}

const NAME = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)(\[[^\]]*\])?\s*(.*)$/s;

export function isDirectReference(value: string): boolean {
  return (
    value.includes('/') ||
    value.includes('\\') ||
    value.startsWith('.') ||
    /^[a-z+]+:/i.test(value) ||
    / @ /.test(value) ||
    /\.(whl|tar\.gz|tgz|zip|tar\.bz2)$/i.test(value)
  );
}

/** A requirement as pip reads it on a command line or a requirements line (markers stripped). */
export function pipRequirement(word: Word, text = word.value): PipRequirement | undefined {
  const spec = text.split(';')[0].trim();
  if (spec === '' || spec.startsWith('-') || spec.includes('$')) return undefined;
  if (isDirectReference(spec)) return { word, name: spec, specifier: '', pinned: false, direct: true };
  const m = NAME.exec(spec);
  if (!m) return undefined;
  const specifier = m[3].trim();
  const pinned = /^===?\s*[^,*\s]+$/.test(specifier) || /(^|,)\s*===?\s*[^,*\s]+\s*(,|$)/.test(specifier);
  return {
    word,
    name: m[1],
    extras: m[2],
    specifier,
    pinned: pinned && !specifier.includes('*'),
    direct: false,
  };
}

/** PEP 503 normalised project name. */
export function normalisePipName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** A package argument that is a file or a variable rather than a name. */
export function isNamedPackage(value: string): boolean {
  return !value.includes('$') && !value.includes('/') && !value.endsWith('.deb') && !value.endsWith('.apk');
}
