import { findRelease } from '../src/core/os-releases';
import { defineImageRule } from '../src/engine/define-image-rule';

export const rule = defineImageRule({
  id: 'image-eol-release',
  aliases: [],
  severity: 'warning',
  description: "The image's OS release should still get security updates.",
  docs:
    'A base OS past its end of life (Debian LTS, Ubuntu standard support, Alpine main) gets no more ' +
    "security fixes: every vulnerability found since stays. The release comes from the image's " +
    '/etc/os-release (read with --layers); the dates from a table of Debian, Ubuntu and Alpine releases.',
  messages: { eol: '{{name}} stopped getting security updates on {{eol}}.' },
  needsLayers: true,
  check(image, ctx) {
    const { osId, osCodename, osVersion, osName } = image.facts;
    if (!osId) return;
    const known =
      (osCodename ? findRelease(osId, osCodename) : undefined) ??
      (osVersion ? findRelease(osId, osVersion) : undefined);
    if (!known || Date.parse(known.eol) >= image.now) return;
    ctx.report({
      messageId: 'eol',
      data: { name: osName ?? `${osId} ${known.release}`, eol: known.eol },
      where: 'layer:/etc/os-release',
    });
  },
});
