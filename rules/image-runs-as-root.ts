import { runsAsRoot } from '../src/core/users';
import { defineImageRule } from '../src/engine/define-image-rule';

export const rule = defineImageRule({
  id: 'image-runs-as-root',
  aliases: ['CIS-DI-0001'],
  severity: 'warning',
  description: 'The image should not run as root.',
  docs:
    'An image whose config has no User, or User root, 0, 0:0 or root:<group>, starts every container as ' +
    'uid 0: a process that escapes the application owns the container and is one kernel bug away from ' +
    'the host. Rebuild with a USER, or run it with --user (airlock does).',
  messages: { root: 'the image runs as root (config.User is {{user}}).' },
  check(image, ctx) {
    const user = image.image.config.User ?? '';
    if (runsAsRoot(user))
      ctx.report({ messageId: 'root', data: { user: user ? `"${user}"` : 'empty' }, where: 'config.User' });
  },
});
