interface ParsedTag {
  readonly nums: readonly number[];
  readonly variant: string;
}

const PRERELEASE = /^(a|b|rc|alpha|beta|dev|pre|preview|nightly)\d*/i;

/** `3.11.9-slim-bookworm` → [3, 11, 9] and `-slim-bookworm`; undefined for non-version tags and pre-releases. */
export function parseVersionTag(tag: string): ParsedTag | undefined {
  const m = /^v?(\d+(?:\.\d+)*)(.*)$/.exec(tag);
  if (!m || PRERELEASE.test(m[2]) || /^\d{8,}/.test(tag)) return undefined;
  if (m[2] !== '' && !m[2].startsWith('-') && !m[2].startsWith('_')) return undefined;
  return { nums: m[1].split('.').map(Number), variant: m[2] };
}

/** Orders versions so that a line's more specific tags come after it: 3 < 3.12 < 3.12.4 < 3.13. */
export function compareNums(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/**
 * The tag to pin: for `latest` or no tag, the newest plain version tag; for a version tag, the most
 * specific newest tag of the same line and variant (`3.11-slim` → `3.11.9-slim`). Undefined when the
 * registry lists nothing better.
 */
export function chooseTag(current: string, tags: readonly string[]): string | undefined {
  const wanted =
    current === '' || current === 'latest' ? { nums: [], variant: '' } : parseVersionTag(current);
  if (!wanted) return undefined;
  let best: { tag: string; nums: readonly number[] } | undefined;
  for (const tag of tags) {
    const p = parseVersionTag(tag);
    if (!p || p.variant !== wanted.variant || p.nums.length <= wanted.nums.length) continue;
    if (!wanted.nums.every((n, i) => p.nums[i] === n)) continue;
    if (!best || compareNums(p.nums, best.nums) > 0) best = { tag, nums: p.nums };
  }
  return best?.tag;
}
