import { baseImages } from '../src/core/base-images';
import { defineRule } from '../src/engine/define-rule';
import { ociDigestRequest } from '../src/resolve/requests';

export const rule = defineRule({
  id: 'pin-base-image-digest',
  aliases: [],
  severity: 'info',
  description: 'Pin the base image by digest as well as tag.',
  docs:
    'A tag can be re-pushed; a digest cannot. `FROM python:3.12.4-slim@sha256:…` builds the same bytes ' +
    'every time while the tag keeps it readable. For multi-platform images the digest of the index is ' +
    'pinned, so every platform keeps working.',
  messages: { noDigest: 'base image {{image}} is not pinned by digest.' },
  fix: 'safe',
  check(model, ctx) {
    for (const { ref, range } of baseImages(model)) {
      if (ref.digest) continue;
      const image = ref.tag ? `${ref.name}:${ref.tag}` : ref.name;
      ctx.report({
        messageId: 'noDigest',
        data: { image },
        range,
        needs: ref.tag ? [ociDigestRequest(ref)] : [],
      });
    }
  },
});
