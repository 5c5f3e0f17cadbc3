import { baseImages } from '../src/core/base-images';
import { defineRule } from '../src/engine/define-rule';
import { ociTagRequest } from '../src/resolve/requests';

export const rule = defineRule({
  id: 'no-latest-tag',
  aliases: ['DL3007'],
  severity: 'warning',
  description: 'Do not build on the `latest` tag.',
  docs:
    '`latest` is whatever was pushed last: builds stop being repeatable and a major upgrade can arrive ' +
    'unannounced. Pin a release tag such as `node:20.15.1-bookworm-slim`. A digest alone is accepted.',
  messages: { latest: 'base image {{image}} uses the latest tag.' },
  fix: 'safe',
  check(model, ctx) {
    for (const { ref, range, name } of baseImages(model)) {
      if (ref.tag !== 'latest' || ref.digest) continue;
      ctx.report({ messageId: 'latest', data: { image: name }, range, needs: [ociTagRequest(ref)] });
    }
  },
});
