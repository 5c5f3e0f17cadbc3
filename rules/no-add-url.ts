import { defineRule } from '../src/engine/define-rule';
import { addInstrs, isUrl } from '../src/core/add-instrs';

export const rule = defineRule({
  id: 'no-add-url',
  aliases: [],
  severity: 'warning',
  description: 'Do not ADD files from URLs without a checksum.',
  docs:
    'ADD <url> downloads whatever the server returns at build time, unverified, into a layer of its own. ' +
    'Use `ADD --checksum=sha256:…` (BuildKit), or download in a RUN that checks a hash and removes what ' +
    'it does not need.',
  messages: { url: 'ADD downloads {{url}} without verifying it.' },
  fix: 'none',
  check(model, ctx) {
    for (const add of addInstrs(model)) {
      if (add.flags.some((f) => f.name === 'checksum')) continue;
      for (const src of add.sources) {
        if (isUrl(src.value)) ctx.report({ messageId: 'url', data: { url: src.value }, range: src.range });
      }
    }
  },
});
