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
    'pinned, so every platform keeps working. A whole reference in an ARG (`ARG BASE=python:3.12-slim` + ' +
    "`FROM $BASE`) is pinned in the ARG's default. A reference assembled around a variable " +
    '(`FROM python:${PY_VERSION}-slim`) is not reported: a digest beside it would be true for the ' +
    "default alone, and `--build-arg PY_VERSION=3.13` (or another platform's build) would then pull an " +
    'image other than the one the tag names, or fail. Pin the ARG to a specific version instead ' +
    '(base-image-specific-tag does), or move the whole reference into the ARG.',
  messages: { noDigest: 'base image {{image}} is not pinned by digest.' },
  fix: 'safe',
  check(model, ctx) {
    for (const { ref, range, editAt, stage, name } of baseImages(model)) {
      if (ref.digest) continue;
      // `python:${PY}-slim`: a digest would only be true for the ARG's default value.
      if (editAt === undefined && stage.from.image.viaArg) continue;
      const image = ref.tag ? `${name}:${ref.tag}` : name;
      ctx.report({
        messageId: 'noDigest',
        data: { image },
        range,
        needs: ref.tag ? [ociDigestRequest(ref)] : [],
      });
    }
  },
});
