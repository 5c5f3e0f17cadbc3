import { baseImages } from '../src/core/base-images';
import { normalisePipName } from '../src/core/package-spec';
import { slimTag, SOURCE_ONLY, stagePipPackages } from '../src/core/slim';
import { defineRule } from '../src/engine/define-rule';
import { ociDigestRequest, pipWheelRequest, stagePython } from '../src/resolve/requests';

export const rule = defineRule({
  id: 'prefer-slim-base',
  aliases: [],
  severity: 'info',
  description: 'Run the final stage on the slim variant of an official base image.',
  docs:
    'Full official images (python, node, ruby, perl, debian) carry compilers, VCS clients and hundreds of ' +
    'packages the application never uses: more to download and more CVEs to patch. The `-slim` variant of ' +
    'the same version and release is the usual production base. Only the final stage is switched; builder ' +
    'stages keep their toolchains. With the network on, the slim tag must be one the registry lists. The ' +
    'tag and digest pins then apply to the slim tag. The fix is skipped when the stage uses a tool that only the full image ' +
    'has (curl, git, gcc, make …) without installing it, and is marked for review: packages that build ' +
    'native code may need their build dependencies installed.',
  messages: { notSlim: 'final stage runs on {{image}}; {{slim}} is its slim variant.' },
  fix: 'review',
  check(model, ctx) {
    for (const { stage, ref, range, name } of baseImages(model)) {
      if (!stage.isFinal || stage.usedBy.length > 0) continue;
      const slim = slimTag(ref);
      if (!slim) continue;
      const image = ref.tag ? `${name}:${ref.tag}` : name;
      // With the network, the registry must list the slim tag: its digest is asked for; and the index
      // whether each pip package installs from a wheel (the slim image cannot compile one).
      const { packages, vcs } = stagePipPackages(model, stage, ctx.files);
      const python = stagePython(model.stages, stage);
      const libc = stage.family === 'alpine' ? 'musl' : 'gnu';
      const wheels = python ? packages.map((p) => pipWheelRequest(p.name, p.specifier, python, libc)) : [];
      const sourceOnly = packages.find((p) => SOURCE_ONLY.has(normalisePipName(p.name)));
      ctx.report({
        messageId: 'notSlim',
        data: {
          image,
          slim: `${name}:${slim}`,
          tag: slim,
          ...(vcs ? { vcs } : {}),
          ...(sourceOnly ? { sourceOnly: sourceOnly.name } : {}),
        },
        range,
        needs: [ociDigestRequest({ ...ref, tag: slim }), ...wheels],
      });
    }
  },
});
