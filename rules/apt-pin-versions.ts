import { isNamedPackage, osPackage } from '../src/core/package-spec';
import { packageArchOfStage, releaseSourceOfStage } from '../src/core/release';
import { invocations, operands } from '../src/core/shell-commands';
import { defineRule } from '../src/engine/define-rule';
import { aptVersionRequest } from '../src/resolve/requests';

export const rule = defineRule({
  id: 'apt-pin-versions',
  aliases: ['DL3008'],
  severity: 'warning',
  description: 'Pin package versions in apt-get install.',
  docs:
    'Unpinned packages change under you between builds. Write name=version, e.g. curl=7.88.1-10+deb12u5. ' +
    'The fix looks the version up in the Packages index of the base image’s exact release (release, ' +
    '-updates and -security suites) and never invents one. Local .deb files are not packages by name.',
  messages: { unpinned: 'apt package {{name}} has no version.' },
  fix: 'safe',
  check(model, ctx) {
    for (const inv of invocations(model, ['apt-get'], ['install'])) {
      const release = inv.stage
        ? releaseSourceOfStage(model.stages, inv.stage, ['debian', 'ubuntu'])
        : undefined;
      for (const word of operands(inv)) {
        if (!isNamedPackage(word.value)) continue;
        const pkg = osPackage(word);
        if (pkg.version || word.value.includes('=')) continue;
        const arch = pkg.arch ?? (inv.stage ? packageArchOfStage(model.stages, inv.stage, 'debian') : '');
        const needs = release ? [aptVersionRequest(release, pkg.name, arch)] : [];
        ctx.report({ messageId: 'unpinned', data: { name: word.value }, range: word.range, needs });
      }
    }
  },
});
