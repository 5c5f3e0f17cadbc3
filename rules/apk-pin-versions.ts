import { APK_CONSTRAINT, isNamedPackage, osPackage } from '../src/core/package-spec';
import { packageArchOfStage, releaseSourceOfStage } from '../src/core/release';
import { invocations, operands } from '../src/core/shell-commands';
import { defineRule } from '../src/engine/define-rule';
import { apkVersionRequest } from '../src/resolve/requests';

export const rule = defineRule({
  id: 'apk-pin-versions',
  aliases: ['DL3018'],
  severity: 'warning',
  description: 'Pin package versions in apk add.',
  docs:
    'Unpinned packages change under you between builds. Write name=version (exact) or name~major.minor ' +
    '(holds the release line). The fix reads the APKINDEX of the base image’s Alpine branch. Packages ' +
    'added as `.apk` files are not named packages.',
  messages: { unpinned: 'apk package {{name}} has no version.' },
  fix: 'safe',
  check(model, ctx) {
    for (const inv of invocations(model, ['apk'], ['add'])) {
      const release = inv.stage ? releaseSourceOfStage(model.stages, inv.stage, ['alpine']) : undefined;
      for (const word of operands(inv)) {
        if (!isNamedPackage(word.value) || APK_CONSTRAINT.test(word.value)) continue;
        const pkg = osPackage(word, APK_CONSTRAINT);
        const arch = inv.stage ? packageArchOfStage(model.stages, inv.stage, 'alpine') : '';
        const needs = release ? [apkVersionRequest(release, pkg.name, arch)] : [];
        ctx.report({ messageId: 'unpinned', data: { name: word.value }, range: word.range, needs });
      }
    }
  },
});
