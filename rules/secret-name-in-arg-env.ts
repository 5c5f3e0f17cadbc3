import type { PairsInstr } from '../src/core/model';
import { isSecretName } from '../src/core/secrets';
import { defineRule } from '../src/engine/define-rule';

/** Name parts that mark a secret: `DB_PASSWORD`, `npm_token`, `REGISTRY_USERNAME`, `PRIVATE_KEY` … */
const SUSPICIOUS =
  /(?:^|[_.-])(?:api_?key|client_?key|passw(?:or)?d|private|secrets?|tokens?|username|credentials?)(?:$|[_.-])/i;

const SUSPICIOUS_TEXT = /key|pass|pwd|private|secret|token|user|cred|auth/i;

export const rule = defineRule({
  id: 'secret-name-in-arg-env',
  aliases: ['DL3064'],
  severity: 'warning',
  description: 'Do not pass secrets through ARG or ENV, even without a value here.',
  docs:
    'An ARG named like a secret invites `--build-arg TOKEN=…`, which the image history keeps; an ENV ' +
    'named so ends up in the image config. `no-secret-in-env` reports literal values; this rule reports ' +
    'the names (PASSWORD, TOKEN, SECRET, API_KEY, PRIVATE, USERNAME …) whatever the value, so a secret ' +
    'passed in from outside is caught too. Use `RUN --mount=type=secret` at build time and the ' +
    'runtime environment or mounted files when the container runs.',
  messages: { secret: '{{keyword}} {{name}} looks like a secret.' },
  fix: 'none',
  check(model, ctx) {
    for (const ins of model.instructions) {
      const i = ins.kind === 'onbuild' ? ins.trigger : ins;
      if (i?.kind !== 'env' && i?.kind !== 'arg') continue;
      // Names are in the plain text: an instruction with no secret-like word is not read further.
      if (!SUSPICIOUS_TEXT.test((i as PairsInstr).plainText)) continue;
      const bad = (i as PairsInstr).pairs.find((p) => isSecretName(p.name) || SUSPICIOUS.test(p.name));
      if (bad)
        ctx.report({
          messageId: 'secret',
          data: { keyword: i.keyword.toUpperCase(), name: bad.name },
          range: bad.nameRange,
        });
    }
  },
});
