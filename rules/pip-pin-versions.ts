import { pipRequirement } from '../src/core/package-spec';
import { pipInstalls, pipSource } from '../src/core/pip-installs';
import { buildEnvBefore } from '../src/core/stage-env';
import { hasOption, operands } from '../src/core/shell-commands';
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
    'Unpinned Python packages install whatever is newest at build time. Write name==version. A range ' +
    '(`"django<5"`, `flask>=2`, `~=1.4`, `==1.*`) is not a pin, on a RUN line as in a requirements ' +
    'file: it installs a different version whenever a new release falls inside it (hadolint takes any ' +
    'specifier as pinned; this is a deliberate difference). Requirement files are checked by ' +
    'pip-requirements-pinned; constraint files, local paths, archives and VCS URLs with a ref are not ' +
    'flagged. `pipx install` and `uv pip install` are read like pip. The fix picks the newest release ' +
    'the index serves for the image’s Python that satisfies the range, if any, and writes it as ==.',
  messages: {
    unpinned: 'pip package {{name}} has no version.',
    vcs: 'pip installs {{name}} from a VCS URL without a ref.',
    range: 'pip package {{name}}{{specifier}} is a range, not one version.',
  },
  fix: 'safe',
  check(model, ctx) {
    for (const inv of pipInstalls(model)) {
      if (hasOption(inv, ['--constraint'], 'c')) continue;
      const python = inv.stage ? stagePython(model.stages, inv.stage) : undefined;
      let source: ReturnType<typeof pipSource> | undefined;
      for (const word of operands(inv)) {
        if (isUnpinnedVcs(word.value)) {
          ctx.report({ messageId: 'vcs', data: { name: word.value }, range: word.range });
          continue;
        }
        const req = pipRequirement(word);
        if (!req || req.direct || req.pinned || word.value.includes(';')) continue;
        // A pin comes from the index the command installs from, and only from there.
        source ??= pipSource(inv, buildEnvBefore(model, inv.stage, inv.instr.range.start));
        const index = source.kind === 'index' ? source.url : undefined;
        const elsewhere: Record<string, string> =
          source.kind === 'elsewhere' ? { elsewhere: source.why } : {};
        const needs =
          python && source.kind !== 'elsewhere'
            ? [pipVersionRequest(req.name, req.specifier, python, index)]
            : [];
        if (req.specifier === '')
          ctx.report({
            messageId: 'unpinned',
            data: { name: req.name, ...elsewhere },
            range: word.range,
            needs,
          });
        else
          ctx.report({
            messageId: 'range',
            data: { name: req.name, extras: req.extras ?? '', specifier: req.specifier, ...elsewhere },
            range: word.range,
            needs,
          });
      }
    }
  },
});
