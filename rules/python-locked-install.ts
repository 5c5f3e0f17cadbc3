import { commandsNamed, hasAnyFlag, plainArgs } from '../src/core/command-flags';
import { lockCopiedIn, mentionsLockTools } from '../src/core/lock-files';
import { defineRule } from '../src/engine/define-rule';

export const rule = defineRule({
  id: 'python-locked-install',
  aliases: [],
  severity: 'warning',
  description: 'Install Python projects from their lock file (uv, poetry, pipenv).',
  docs:
    'A lock file is the pin list of a whole dependency tree; an install that may ignore or rewrite it ' +
    'builds whatever the index serves that day. `uv sync` re-resolves when pyproject.toml and uv.lock ' +
    'disagree unless given `--frozen` (install the lock as it is) or `--locked` (fail if it is stale); ' +
    '`poetry install` resolves afresh when no poetry.lock is copied in; `pipenv install` rewrites ' +
    'Pipfile.lock unless given `--deploy` (or `--ignore-pipfile`), and `pipenv sync` is the locked form. ' +
    'A lock file counts as copied in when a COPY names it (or a glob matching it) or copies a folder of ' +
    'the build context that holds it. The fix adds `--frozen` to `uv sync` and `--deploy` to ' +
    '`pipenv install` when the lock file is copied in; without one there is nothing to install from, ' +
    'and a person must add it.',
  messages: {
    uvSync: 'uv sync without --frozen or --locked can re-resolve instead of installing uv.lock.',
    poetryNoLock: 'poetry install with no poetry.lock copied in resolves versions at build time.',
    pipenvNoDeploy: 'pipenv install without --deploy can rewrite Pipfile.lock instead of installing it.',
  },
  fix: 'safe',
  check(model, ctx) {
    if (!mentionsLockTools(model)) return;
    const read = (p: string) => ctx.files.read(p);
    for (const c of commandsNamed(model, ['uv', 'poetry', 'pipenv'])) {
      const words = plainArgs(c.args).map((w) => w.value);
      const sub = c.command.call?.sub;
      if (!sub) continue;
      if (c.name === 'uv' && words[0] === 'sync') {
        if (hasAnyFlag(c.args, ['frozen', 'locked'])) continue;
        const lock = lockCopiedIn(model, 'uv', read) ? 'uv.lock' : '';
        ctx.report({ messageId: 'uvSync', data: { lock }, range: sub.range });
      } else if (c.name === 'poetry' && words[0] === 'install') {
        if (!lockCopiedIn(model, 'poetry', read)) ctx.report({ messageId: 'poetryNoLock', range: sub.range });
      } else if (c.name === 'pipenv' && words[0] === 'install' && words.length === 1) {
        if (hasAnyFlag(c.args, ['deploy', 'ignore-pipfile'])) continue;
        const lock = lockCopiedIn(model, 'pipenv', read) ? 'Pipfile.lock' : '';
        ctx.report({ messageId: 'pipenvNoDeploy', data: { lock }, range: sub.range });
      }
    }
  },
});
