import type { Range } from './source';

/** A parsed image reference. Offsets in the ranges are relative to the reference text. */
export interface ImageRef {
  /** Registry host as written, or `docker.io` when implied. */
  readonly registry: string;
  /** True when the reference names its registry explicitly. */
  readonly explicitRegistry: boolean;
  /** Repository path without registry, with `library/` for one-part Docker Hub names. */
  readonly repository: string;
  /** Last path component: `python` for `docker.io/library/python`. */
  readonly name: string;
  readonly tag?: string;
  readonly digest?: string;
  /** Range of `[registry/]repository` as written. */
  readonly nameRange: Range;
  readonly tagRange?: Range;
  readonly digestRange?: Range;
}

export const DOCKER_HUB = 'docker.io';
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

function isRegistryComponent(part: string): boolean {
  return part.includes('.') || part.includes(':') || part === 'localhost';
}

/**
 * Parses `[registry[:port]/][namespace/]repo[:tag][@digest]`. Returns undefined when the text is
 * not a valid reference (for example it still holds an unexpanded `$VAR`).
 */
export function parseImageRef(text: string): ImageRef | undefined {
  if (text.length === 0 || text.length > 512) return undefined;
  let rest = text;
  let digest: string | undefined;
  let digestRange: Range | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    if (!DIGEST.test(digest)) return undefined;
    digestRange = { start: at + 1, end: text.length };
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  let tagRange: Range | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.indexOf(':', lastSlash + 1);
  if (colon >= 0) {
    tag = rest.slice(colon + 1);
    if (!TAG.test(tag)) return undefined;
    tagRange = { start: colon + 1, end: colon + 1 + tag.length };
    rest = rest.slice(0, colon);
  }
  const parts = rest.split('/');
  let registry = DOCKER_HUB;
  let explicitRegistry = false;
  if (parts.length > 1 && isRegistryComponent(parts[0])) {
    registry = parts.shift() as string;
    explicitRegistry = true;
    if (!/^[a-zA-Z0-9.-]+(?::\d+)?$/.test(registry)) return undefined;
  }
  if (parts.length === 0 || !parts.every((p) => PATH_COMPONENT.test(p))) return undefined;
  if (registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = DOCKER_HUB;
  const repository = registry === DOCKER_HUB && parts.length === 1 ? `library/${parts[0]}` : parts.join('/');
  return {
    registry,
    explicitRegistry,
    repository,
    name: parts[parts.length - 1],
    tag,
    digest,
    nameRange: { start: 0, end: rest.length },
    tagRange,
    digestRange,
  };
}

/** True for images from Docker Hub's official `library/` namespace. */
export function isOfficialImage(ref: ImageRef): boolean {
  return ref.registry === DOCKER_HUB && ref.repository.startsWith('library/');
}

/** `docker.io/library/python:3.11` style full name, for cache keys and messages. */
export function formatImageRef(ref: ImageRef): string {
  let out = `${ref.registry}/${ref.repository}`;
  if (ref.tag) out += `:${ref.tag}`;
  if (ref.digest) out += `@${ref.digest}`;
  return out;
}
