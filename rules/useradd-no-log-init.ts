import { commandsNamed, flagValue, hasAnyFlag } from '../src/core/command-flags';
import { defineRule } from '../src/engine/define-rule';

export const rule = defineRule({
  id: 'useradd-no-log-init',
  aliases: ['DL3046'],
  severity: 'warning',
  description: 'Use useradd -l (--no-log-init) with a large UID.',
  docs:
    'useradd writes the new user into /var/log/lastlog and faillog, sparse files indexed by UID: with ' +
    'a UID of a million the layer can grow by gigabytes. `-l` (`--no-log-init`) skips them.',
  messages: { noLogInit: 'useradd with UID {{uid}} and no -l bloats the layer.' },
  fix: 'safe',
  check(model, ctx) {
    for (const c of commandsNamed(model, ['useradd'], /(?:^|\s)(?:-u|--uid)/)) {
      if (hasAnyFlag(c.args, ['l', 'no-log-init'])) continue;
      const uid = flagValue(c.args, 'u', 'uid');
      if (uid === undefined || uid.length <= 5) continue;
      ctx.report({ messageId: 'noLogInit', data: { uid }, range: c.command.name.range });
    }
  },
});
