import { installedRequirements } from '../src/core/requirements-files';
import { defineRule } from '../src/engine/define-rule';
import { pipVersionRequest, stagePython } from '../src/resolve/requests';

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
      const python = ref.invocation.stage ? stagePython(model.stages, ref.invocation.stage) : undefined;
      for (const req of parsed.requirements) {
        if (req.pinned) continue;
        const needs = python && req.editable ? [pipVersionRequest(req.name, req.specifier, python)] : [];
        const data = { name: req.name, specifier: req.specifier ? ` ${req.specifier}` : '', file };
        ctx.report({ messageId: 'unpinned', data, range: req.nameRange, file, needs });
      }
    }
  },
});
