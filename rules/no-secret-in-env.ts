import { defineRule } from '../src/engine/define-rule';

const SECRET_NAME =
  /(^|_)(PASSWORD|PASSWD|PASS|PWD|SECRET|TOKEN|API_?KEY|APIKEY|PRIVATE_?KEY|ACCESS_?KEY|SECRET_?KEY|CREDENTIALS?|AUTH_?KEY|CLIENT_?SECRET)(_|$)/i;
/** What every name SECRET_NAME matches holds: instructions without one are not read. */
const SECRET_WORD = /PASS|PWD|SECRET|TOKEN|KEY|CREDENTIAL/i;
const NOT_A_SECRET =
  /(_FILE|_PATH|_DIR|_URL|_HOST|_PORT|_USER|_USERNAME|_NAME|_ENABLED|_LENGTH|_EXPIRY|_TTL|_HEADER)$/i;

/** Values that stand for a secret rather than being one. */
function isPlaceholder(value: string): boolean {
  return (
    value === '' ||
    value.includes('$') ||
    value.startsWith('/') ||
    /^(changeme|change_me|none|null|false|true|x+|\*+|<.*>)$/i.test(value)
  );
}

export const rule = defineRule({
  id: 'no-secret-in-env',
  aliases: [],
  severity: 'error',
  description: 'Do not put secrets in ENV or ARG.',
  docs:
    'ENV values are stored in the image config and ARG values in its history: anyone who can pull the ' +
    'image can read them. Pass secrets at run time (environment, mounted files) or at build time with ' +
    '`RUN --mount=type=secret`. A variable counts as a secret when its name says so (PASSWORD, SECRET, ' +
    'TOKEN, API_KEY …) and it has a literal value; the value is never printed.',
  messages: { secret: '{{keyword}} {{name}} holds a literal secret.' },
  fix: 'none',
  check(model, ctx) {
    for (const ins of model.instructions) {
      const i = ins.kind === 'onbuild' ? ins.trigger : ins;
      if (!i || (i.kind !== 'env' && i.kind !== 'arg') || !SECRET_WORD.test(i.plainText)) continue;
      for (const p of i.pairs) {
        if (!SECRET_NAME.test(p.name) || NOT_A_SECRET.test(p.name)) continue;
        if (p.value === undefined || isPlaceholder(p.value)) continue;
        ctx.report({
          messageId: 'secret',
          data: { keyword: i.keyword.toUpperCase(), name: p.name },
          range: p.nameRange,
        });
      }
    }
  },
});
