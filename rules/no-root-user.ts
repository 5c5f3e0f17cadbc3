import { baseImageOfStage } from '../src/core/release';
import { isRootUser, userInstrs } from '../src/core/users';
import { imageFactsRequest } from '../src/resolve/requests';
import { defineRule } from '../src/engine/define-rule';

export const rule = defineRule({
  id: 'no-root-user',
  aliases: ['DL3002'],
  severity: 'warning',
  description: 'The last USER of a stage should not be root.',
  docs:
    'A stage that switches to root and never back leaves its container running as root: one exploit away ' +
    'from the host kernel. Switch back to an unprivileged user after the steps that need root. As in ' +
    'hadolint every stage is checked; the fix changes only the final stage, since build stages may need root.',
  messages: { root: 'stage {{stage}} ends as user {{user}}.' },
  fix: 'review',
  check(model, ctx) {
    for (const stage of model.stages) {
      const users = userInstrs(stage);
      const last = users[users.length - 1];
      if (!last || !isRootUser(last.words[0].value)) continue;
      const name = stage.name ?? String(stage.index);
      const base = stage.isFinal ? baseImageOfStage(model.stages, stage) : undefined;
      ctx.report({
        messageId: 'root',
        data: { stage: name, user: last.words[0].value },
        range: last.words[0].range,
        needs: base ? [imageFactsRequest(base.ref, base.arch)] : [],
      });
    }
  },
});
