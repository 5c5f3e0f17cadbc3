import { installedRequirements } from '../src/core/requirements-files';
import { defineRule } from '../src/engine/define-rule';
import { pipHashesRequest } from '../src/resolve/requests';

export const rule = defineRule({
  id: 'pip-require-hashes',
  aliases: [],
  severity: 'info',
  description: 'With --hashes, give pinned requirements their --hash options.',
  docs:
    'Active only with `--hashes` (or `requireHashes: true`). A version pin still trusts whatever the ' +
    'index serves under that version; `--hash=sha256:…` lines make pip refuse any other file. The fix ' +
    'adds the sha256 of every file the index lists for the pinned release. pip then runs in ' +
    'hash-checking mode for the whole file, which needs every dependency pinned and hashed too: use it ' +
    'on fully locked requirements (for example the output of pip-compile).',
  messages: { noHash: '{{name}} {{specifier}} in {{file}} has no --hash.' },
  fix: 'safe',
  check(model, ctx) {
    if (!ctx.settings.requireHashes) return;
    for (const { file, parsed } of installedRequirements(model, ctx.files, true)) {
      for (const req of parsed.requirements) {
        if (!req.pinned || req.hasHash) continue;
        const version = req.specifier.replace(/^===?\s*/, '');
        const data = { name: req.name, specifier: req.specifier, file };
        ctx.report({
          messageId: 'noHash',
          data,
          range: req.nameRange,
          file,
          needs: [pipHashesRequest(req.name, version)],
        });
      }
    }
  },
});
