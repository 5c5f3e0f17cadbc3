import { joinContextPath, requirementsRefs } from '../src/core/build-context';
import { parseRequirements } from '../src/core/requirements';
import { pythonOfStage } from '../src/core/release';
import { defineRule } from '../src/engine/define-rule';
import { pipVersionRequest } from '../src/resolve/requests';

export const rule = defineRule({
  id: 'pip-requirements-pinned',
  aliases: [],
  severity: 'warning',
  description: 'Pin every requirement in the requirements files pip installs.',
  docs:
    '`pip install -r requirements.txt` with `flask` or `gunicorn>=21` installs whatever is newest at build ' +
    'time. Each requirement should name one version: `flask==3.0.3`. The files are the ones the ' +
    'Dockerfile copies into the image and installs from, read from the build context (the Dockerfile’s ' +
    'directory), following `-r` and `-c` includes. The fix picks the newest final release that satisfies ' +
    'the existing specifier and the image’s Python, keeping comments, extras, markers and options; ' +
    'editable, URL, VCS and path requirements are left alone.',
  messages: { unpinned: '{{name}}{{specifier}} in {{file}} does not pin one version.' },
  fix: 'safe',
  check(model, ctx) {
    const seen = new Set<string>();
    for (const ref of requirementsRefs(model)) {
      const python = ref.invocation.stage ? pythonOfStage(model.stages, ref.invocation.stage) : undefined;
      const queue = [ref.contextPath];
      while (queue.length > 0) {
        const file = queue.shift() as string;
        if (seen.has(file)) continue;
        seen.add(file);
        const text = ctx.files.read(file);
        if (text === undefined) continue;
        const parsed = parseRequirements(text);
        const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
        for (const inc of parsed.includes) if (!inc.constraint) queue.push(joinContextPath(dir, inc.path));
        for (const req of parsed.requirements) {
          if (req.pinned) continue;
          const needs = python && req.editable ? [pipVersionRequest(req.name, req.specifier, python)] : [];
          const data = {
            name: req.name,
            specifier: req.specifier ? ` ${req.specifier}` : '',
            file,
            spec: req.specifier,
          };
          ctx.report({ messageId: 'unpinned', data, range: req.nameRange, file, needs });
        }
      }
    }
  },
});
