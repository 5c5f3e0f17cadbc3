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
    'has (curl, git, gcc, make …) without installing it. When pip has to build (a requirement with no ' +
    'wheel for the image’s Python and platform, a git+ requirement, the stage installs gcc or -dev ' +
    'packages to build), a python stage is split: a builder stage on the full image installs into a ' +
    'virtual env (/opt/venv), and the slim final stage copies it and installs the runtime libraries ' +
    'the built code links to (from a table of known ones). Where that cannot be done safely the full ' +
    'base stays, and the report says why. A node stage that installs its packages (npm, yarn, pnpm) is ' +
    'swapped only when its package-lock.json (version 2 or later) shows no dependency from git and no ' +
    'install script that may compile native code (node-gyp needs python3, make and a C++ compiler). ' +
    'Otherwise, when npm alone installs from such a lock file, the stage is split: npm runs in a builder ' +
    'stage on the full image, and the slim final stage copies node_modules in the install’s place; only ' +
    'where every addon that compiles is known to link to nothing the slim image lacks, no install script ' +
    'writes outside node_modules, the app runs no lifecycle script or binding.gyp at install, npm runs ' +
    'as root into ./node_modules, and nothing copied before the install can bring a node_modules along ' +
    '(RUNs before it that only install build tools go to the builder alone). Otherwise, or when no such lock ' +
    'file is read, the full base stays with the reason. The fix is marked for review.',
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
      const { packages, vcs, elsewhere } = stagePipPackages(model, stage, ctx.files);
      const python = stagePython(model.stages, stage);
      const libc = stage.family === 'alpine' ? 'musl' : 'gnu';
      const wheels = python
        ? packages.map((p) => pipWheelRequest(p.name, p.specifier, python, libc, p.index))
        : [];
      const sourceOnly = packages.filter((p) => SOURCE_ONLY.has(normalisePipName(p.name))).map((p) => p.name);
      ctx.report({
        messageId: 'notSlim',
        data: {
          image,
          slim: `${name}:${slim}`,
          tag: slim,
          ...(vcs ? { vcs } : {}),
          ...(elsewhere ? { elsewhere } : {}),
          ...(sourceOnly.length > 0 ? { sourceOnly: sourceOnly.join(' ') } : {}),
        },
        range,
        needs: [ociDigestRequest({ ...ref, tag: slim }), ...wheels],
      });
    }
  },
});
