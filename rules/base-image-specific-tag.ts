import { baseImages } from '../src/core/base-images';
import { defineRule } from '../src/engine/define-rule';
import { ociTagRequest } from '../src/resolve/requests';

/** Images whose two-part versions are full releases (`ubuntu:22.04`, `debian:12.5`). */
const TWO_PART_RELEASES = new Set(['ubuntu', 'debian']);

export function isLooseVersionTag(name: string, tag: string): boolean {
  const m = /^v?(\d+(?:\.\d+)*)(?:$|[-_])/.exec(tag);
  if (!m || /^\d{8}/.test(tag)) return false;
  const parts = m[1].split('.').length;
  return parts < (TWO_PART_RELEASES.has(name) ? 2 : 3);
}

export const rule = defineRule({
  id: 'base-image-specific-tag',
  aliases: [],
  severity: 'info',
  description: 'Use a fully specific version tag for the base image.',
  docs:
    'Tags like `python:3.11` or `node:20` float: they move to every patch release. Use the full version of ' +
    'the same line and variant, e.g. `python:3.11.9-slim-bookworm`, and let an update bot move it on purpose. ' +
    'When the version comes from an ARG (`ARG PYTHON_VERSION=3.12` + `FROM python:${PYTHON_VERSION}-slim`), ' +
    "the fix writes the specific version into the ARG's default (`3.12.7`), so the ARG still works.",
  messages: { loose: 'base image {{image}}:{{tag}} floats with every patch release.' },
  fix: 'safe',
  check(model, ctx) {
    for (const { ref, range, name } of baseImages(model)) {
      if (!ref.tag || ref.digest || !isLooseVersionTag(ref.name, ref.tag)) continue;
      ctx.report({
        messageId: 'loose',
        data: { image: name, tag: ref.tag },
        range,
        needs: [ociTagRequest(ref)],
      });
    }
  },
});
