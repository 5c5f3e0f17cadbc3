import { baseImages } from '../src/core/base-images';
import { defineRule } from '../src/engine/define-rule';

const HUB_NAMES = new Set(['docker.io', 'hub.docker.com', 'index.docker.io', 'registry-1.docker.io']);

/** `ghcr.io`, `*.example.com` (any subdomain), `*` (anything); Docker Hub answers to all its names. */
export function registryMatches(pattern: string, registry: string): boolean {
  if (pattern === '*' || pattern === registry) return true;
  if (HUB_NAMES.has(pattern) && registry === 'docker.io') return true;
  return pattern.startsWith('*.') && registry.endsWith(pattern.slice(1));
}

export const rule = defineRule({
  id: 'trusted-base-registry',
  aliases: ['DL3026'],
  severity: 'error',
  description: 'Use base images only from trusted registries.',
  docs:
    'When `trustedRegistries` is configured (here or in .hadolint.yaml), every base image must come from ' +
    'one of them; `docker.io` stands for Docker Hub, `*.example.com` for its subdomains and `*` for any. Without the setting the rule is silent.',
  messages: { untrusted: 'base image {{image}} comes from {{registry}}, which is not a trusted registry.' },
  fix: 'none',
  check(model, ctx) {
    const trusted = ctx.settings.trustedRegistries;
    if (trusted.length === 0) return;
    for (const { ref, range } of baseImages(model)) {
      if (trusted.some((t) => registryMatches(t, ref.registry))) continue;
      ctx.report({ messageId: 'untrusted', data: { image: ref.name, registry: ref.registry }, range });
    }
  },
});
