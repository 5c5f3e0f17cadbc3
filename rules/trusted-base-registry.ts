import { baseImages } from '../src/core/base-images';
import { parseImageRef, type ImageRef } from '../src/core/image-ref';
import type { Range } from '../src/core/source';
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
    'one of them; `docker.io` stands for Docker Hub, `*.example.com` for its subdomains and `*` for any. ' +
    'Images pulled by `COPY --from=IMAGE` and `RUN --mount=from=IMAGE` count as base images. Without ' +
    'the setting the rule is silent.',
  messages: { untrusted: 'base image {{image}} comes from {{registry}}, which is not a trusted registry.' },
  fix: 'none',
  check(model, ctx) {
    const trusted = ctx.settings.trustedRegistries;
    if (trusted.length === 0) return;
    const check = (ref: ImageRef, range: Range, name: string): void => {
      if (trusted.some((t) => registryMatches(t, ref.registry))) return;
      ctx.report({ messageId: 'untrusted', data: { image: name, registry: ref.registry }, range });
    };
    for (const { ref, range, name } of baseImages(model)) check(ref, range, name);
    // Images pulled by `COPY --from=IMAGE` and `RUN --mount=…,from=IMAGE` are base images too.
    const stageNames = new Set(model.stages.flatMap((s) => (s.name ? [s.name.toLowerCase()] : [])));
    const pulled = (from: string | undefined, range: Range): void => {
      if (!from || from.includes('$') || stageNames.has(from.toLowerCase()) || /^\d+$/.test(from)) return;
      if (!/[:@/.]/.test(from)) return;
      const ref = parseImageRef(from);
      if (ref) check(ref, range, from.slice(ref.nameRange.start, ref.nameRange.end));
    };
    for (const ins of model.instructions) {
      const i = ins.kind === 'onbuild' ? ins.trigger : ins;
      if (i?.kind === 'copy') pulled(i.flags.find((f) => f.name === 'from')?.value, i.keywordRange);
      if (i?.kind === 'run')
        for (const f of i.flags)
          if (f.name === 'mount') pulled(/(?:^|,)from=([^,]+)/.exec(f.value ?? '')?.[1], i.keywordRange);
    }
  },
});
