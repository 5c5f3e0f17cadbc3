import { codenameAlternation } from './os-releases';
import { isOfficialImage, type ImageRef } from './image-ref';

/** Official images with a `-slim` variant, and where `slim` goes in their tags. */
const SLIM_STYLE: Record<string, 'before-codename' | 'after-codename'> = {
  python: 'before-codename',
  ruby: 'before-codename',
  perl: 'before-codename',
  node: 'after-codename',
  debian: 'after-codename',
};

const CODENAMES = new RegExp(`^(${codenameAlternation('debian')})$`);
const NOT_SLIMMABLE = /slim|alpine|windowsservercore|nanoserver|onbuild|wheezy|jessie|stretch/;

/** The slim variant of an official image's tag, or undefined when there is none (or it already is). */
export function slimTag(ref: ImageRef): string | undefined {
  const style = isOfficialImage(ref) ? SLIM_STYLE[ref.name] : undefined;
  if (!style || ref.digest) return undefined;
  const tag = ref.tag && ref.tag !== 'latest' ? ref.tag : '';
  if (NOT_SLIMMABLE.test(tag)) return undefined;
  // Only from a tag that reads as one (`3.` is no version: `3.-slim` would name nothing).
  const badVersion = /^\d/.test(tag) && !/^\d+(\.\d+)*(-|$)/.test(tag);
  if (tag !== '' && (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(tag) || badVersion)) return undefined;
  if (tag === '') return ref.name === 'debian' ? 'stable-slim' : 'slim';
  const parts = tag.split('-');
  const codename = parts.findIndex((p) => CODENAMES.test(p));
  if (style === 'after-codename' || codename < 0) return `${tag}-slim`;
  if (codename === 0) return `slim-${tag}`;
  return [...parts.slice(0, codename), 'slim', ...parts.slice(codename)].join('-');
}

/** Tools the full images carry that slim ones lack. */
export const FULL_IMAGE_TOOLS: ReadonlyMap<string, readonly string[]> = new Map([
  ['curl', ['curl']],
  ['wget', ['wget']],
  ['git', ['git']],
  ['gcc', ['gcc', 'build-essential']],
  ['g++', ['g++', 'build-essential']],
  ['cc', ['gcc', 'build-essential']],
  ['make', ['make', 'build-essential']],
  ['cmake', ['cmake']],
  ['unzip', ['unzip']],
  ['bzip2', ['bzip2']],
  ['patch', ['patch']],
  ['ssh', ['openssh-client']],
  ['scp', ['openssh-client']],
  ['hg', ['mercurial']],
  ['svn', ['subversion']],
  ['autoconf', ['autoconf']],
  ['automake', ['automake']],
  ['pkg-config', ['pkg-config', 'pkgconf']],
  ['file', ['file']],
  ['gpg', ['gnupg', 'gpg']],
]);
