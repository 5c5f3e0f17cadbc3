import { joinContextPath, requirementsRefs } from '../src/core/build-context';
import { parseRequirements } from '../src/core/requirements';
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
  messages: { noHash: '{{name}}{{specifier}} in {{file}} has no --hash.' },
  fix: 'safe',
  check(model, ctx) {
    if (!ctx.settings.requireHashes) return;
    const seen = new Set<string>();
    const queue = requirementsRefs(model).map((r) => r.contextPath);
    while (queue.length > 0) {
      const file = queue.shift() as string;
      if (seen.has(file)) continue;
      seen.add(file);
      const text = ctx.files.read(file);
      if (text === undefined) continue;
      const parsed = parseRequirements(text);
      const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
      for (const inc of parsed.includes) queue.push(joinContextPath(dir, inc.path));
      for (const req of parsed.requirements) {
        if (!req.pinned || req.hasHash) continue;
        const version = req.specifier.replace(/^===?\s*/, '');
        const data = { name: req.name, specifier: ` ${req.specifier}`, file };
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
