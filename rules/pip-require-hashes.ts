import { installedRequirements } from '../src/core/requirements-files';
import { defineRule } from '../src/engine/define-rule';
import { pipHashesRequest } from '../src/resolve/requests';
import { pipSource } from '../src/core/pip-installs';
import { buildEnvBefore } from '../src/core/stage-env';

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
    for (const { file, parsed, ref } of installedRequirements(model, ctx.files, true)) {
      // Hashes come from the configured index: an install from anywhere else is left to a person.
      const inv = ref.invocation;
      const source = pipSource(inv, buildEnvBefore(model, inv.stage, inv.instr.range.start));
      const other =
        source.kind !== 'default' || parsed.indexUrl !== undefined || parsed.elsewhere !== undefined;
      for (const req of parsed.requirements) {
        if (!req.pinned || req.hasHash) continue;
        const version = req.specifier.replace(/^===?\s*/, '');
        const data: Record<string, string> = { name: req.name, specifier: req.specifier, file };
        if (other) data.elsewhere = source.kind === 'elsewhere' ? source.why : 'installs from another index';
        ctx.report({
          messageId: 'noHash',
          data,
          range: req.nameRange,
          file,
          needs: other ? [] : [pipHashesRequest(req.name, version)],
        });
      }
    }
  },
});
