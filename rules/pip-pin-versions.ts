import { pipRequirement } from '../src/core/package-spec';
import { hasOption, invocations, operands } from '../src/core/shell-commands';
import { defineRule } from '../src/engine/define-rule';
import { pipVersionRequest, stagePython } from '../src/resolve/requests';

/** `git+https://host/repo.git@v1.2#egg=x` is pinned by its ref; without `@ref` it floats. */
function isUnpinnedVcs(value: string): boolean {
  const m = /^(git|hg|svn|bzr)\+[a-z]+:\/\/[^#]*/i.exec(value);
  if (!m) return false;
  const path = m[0].replace(/^[^:]+:\/\/[^/]*/, '');
  return !path.includes('@');
}

export const rule = defineRule({
  id: 'pip-pin-versions',
  aliases: ['DL3013'],
  severity: 'warning',
  description: 'Pin versions in pip install.',
  docs:
    'Unpinned Python packages install whatever is newest at build time. Write name==version. As in ' +
    'hadolint any version specifier counts, and requirement files, constraint files, local paths, ' +
    'archives and VCS URLs with a ref are not flagged. The fix picks the newest release the index serves ' +
    'for the image’s Python version.',
  messages: {
    unpinned: 'pip package {{name}} has no version.',
    vcs: 'pip installs {{name}} from a VCS URL without a ref.',
  },
  fix: 'safe',
  check(model, ctx) {
    for (const inv of invocations(model, ['pip'], ['install'])) {
      if (hasOption(inv, ['--constraint'], 'c')) continue;
      const python = inv.stage ? stagePython(model.stages, inv.stage) : undefined;
      for (const word of operands(inv)) {
        if (isUnpinnedVcs(word.value)) {
          ctx.report({ messageId: 'vcs', data: { name: word.value }, range: word.range });
          continue;
        }
        const req = pipRequirement(word);
        if (!req || req.direct || req.specifier !== '' || word.value.includes(';')) continue;
        const needs = python ? [pipVersionRequest(req.name, '', python)] : [];
        ctx.report({ messageId: 'unpinned', data: { name: req.name }, range: word.range, needs });
      }
    }
  },
});
