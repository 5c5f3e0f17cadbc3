import { baseImages } from '../src/core/base-images';
import { defineRule } from '../src/engine/define-rule';

export const rule = defineRule({
  id: 'trusted-base-registry',
  aliases: ['DL3026'],
  severity: 'error',
  description: 'Use base images only from trusted registries.',
  docs:
    'When `trustedRegistries` is configured (here or in .hadolint.yaml), every base image must come from ' +
    'one of them; `docker.io` stands for Docker Hub. Without the setting the rule is silent.',
  messages: { untrusted: 'base image {{image}} comes from {{registry}}, which is not a trusted registry.' },
  fix: 'none',
  check(model, ctx) {
    const trusted = ctx.settings.trustedRegistries;
    if (trusted.length === 0) return;
    const hub = new Set(['docker.io', 'hub.docker.com', 'index.docker.io', 'registry-1.docker.io']);
    for (const { ref, range } of baseImages(model)) {
      const ok = trusted.some(
        (t) => t === ref.registry || (hub.has(t) && ref.registry === 'docker.io') || t === '*',
      );
      if (!ok)
        ctx.report({ messageId: 'untrusted', data: { image: ref.name, registry: ref.registry }, range });
    }
  },
});
