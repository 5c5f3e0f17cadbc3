import { installedRequirements } from '../src/core/requirements-files';
import { defineRule } from '../src/engine/define-rule';
import { pipVersionRequest, stagePython } from '../src/resolve/requests';
import { pipSource } from '../src/core/pip-installs';
import { buildEnvBefore } from '../src/core/stage-env';

export const rule = defineRule({
  id: 'pip-requirements-pinned',
  aliases: [],
  severity: 'warning',
  description: 'Pin every requirement in the requirements files pip installs.',
  docs:
    '`pip install -r requirements.txt` with `flask` or `gunicorn>=21` installs whatever is newest at build ' +
    'time. Each requirement should name one version: `flask==3.0.3`. The files are the ones the ' +
    'Dockerfile copies into the image and installs from, read from the build context (the Dockerfile’s ' +
    'directory), following `-r` includes. The fix picks the newest final release that satisfies ' +
    'the existing specifier and the image’s Python, keeping comments, extras, markers and options; ' +
    'editable, URL, VCS and path requirements are left alone.',
  messages: { unpinned: '{{name}}{{specifier}} in {{file}} does not pin one version.' },
  fix: 'safe',
  check(model, ctx) {
    for (const { file, parsed, ref } of installedRequirements(model, ctx.files)) {
      const inv = ref.invocation;
      const python = inv.stage ? stagePython(model.stages, inv.stage) : undefined;
      // A pin comes from the index the install uses: the command's, else the file's own `-i`.
      let source = pipSource(inv, buildEnvBefore(model, inv.stage, inv.instr.range.start));
      if (parsed.elsewhere)
        source = { kind: 'elsewhere', why: `also installs from ${parsed.elsewhere} (in ${file})` };
      else if (source.kind === 'default' && parsed.indexUrl) source = { kind: 'index', url: parsed.indexUrl };
      const index = source.kind === 'index' ? source.url : undefined;
      for (const req of parsed.requirements) {
        if (req.pinned) continue;
        const needs =
          python && req.editable && source.kind !== 'elsewhere'
            ? [pipVersionRequest(req.name, req.specifier, python, index)]
            : [];
        const data: Record<string, string> = {
          name: req.name,
          specifier: req.specifier ? ` ${req.specifier}` : '',
          file,
          ...(source.kind === 'elsewhere' ? { elsewhere: source.why } : {}),
        };
        ctx.report({ messageId: 'unpinned', data, range: req.nameRange, file, needs });
      }
    }
  },
});
