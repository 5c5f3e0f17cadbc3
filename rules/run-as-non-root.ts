import { baseImageOfStage } from '../src/core/release';
import { effectiveUser } from '../src/core/users';
import { imageFactsRequest } from '../src/resolve/requests';
import { defineRule } from '../src/engine/define-rule';

/** Images whose default user is already unprivileged. */
const NON_ROOT_IMAGES = /(^|\/)(bitnami\/|chainguard\/)|:nonroot|[-:]nonroot(-|$)/;

export const rule = defineRule({
  id: 'run-as-non-root',
  aliases: [],
  severity: 'warning',
  description: 'The final stage should switch to an unprivileged USER.',
  docs:
    'Without a USER instruction the container runs as root. The fix adds a user the way the base image ' +
    'expects: the image’s own user where it ships one (node → `node`, distroless → `nonroot`), ' +
    '`groupadd/useradd --system` on Debian, Ubuntu and RHEL-like images, `addgroup -S/adduser -S` on ' +
    'Alpine, and numeric `65532:65532` on scratch. USER goes after the last RUN, so installs still run ' +
    'as root, and later COPY/ADD into the app get `--chown`. Windows images are left alone. hadolint has ' +
    'no equivalent (its DL3002 only looks at explicit `USER root`).',
  messages: { noUser: 'the final stage has no USER, so the container runs as root.' },
  fix: 'review',
  check(model, ctx) {
    const stage = model.stages[model.stages.length - 1];
    if (!stage || stage.family === 'windows') return;
    if (effectiveUser(model, stage)) return;
    if (NON_ROOT_IMAGES.test(stage.from.image.text)) return;
    const base = baseImageOfStage(model.stages, stage);
    ctx.report({
      messageId: 'noUser',
      range:
        stage.from.image.range && !stage.from.image.viaArg ? stage.from.image.range : stage.from.keywordRange,
      // The base image's own facts (its users, which tool creates one) decide the fix.
      needs: base ? [imageFactsRequest(base.ref, base.arch)] : [],
    });
  },
});
