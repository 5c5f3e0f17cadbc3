import { defineRule } from '../src/engine/define-rule';
import { ociTagRequest } from '../src/resolve/requests';
import { baseImages } from '../src/core/base-images';

export const rule = defineRule({
  id: 'base-image-tagged',
  aliases: ['DL3006'],
  severity: 'warning',
  description: 'Always tag the base image explicitly.',
  docs:
    'An untagged FROM means `latest`, which moves with every release: the next build can get a new major ' +
    'version. Name the version, e.g. `FROM python:3.12.4-slim-bookworm`. Stage references and `scratch` are ' +
    'not images. Unlike hadolint, a FROM whose image comes from a global ARG default is checked, on the ARG line.',
  messages: { untagged: 'base image {{image}} has no tag (it means latest).' },
  fix: 'safe',
  check(model, ctx) {
    for (const { ref, range, name } of baseImages(model)) {
      if (ref.tag || ref.digest) continue;
      ctx.report({ messageId: 'untagged', data: { image: name }, range, needs: [ociTagRequest(ref)] });
    }
  },
});
