import { addInstrs, addOnlyCopies } from '../src/core/add-instrs';
import { defineRule } from '../src/engine/define-rule';

export const rule = defineRule({
  id: 'no-add-for-local-files',
  aliases: ['DL3020'],
  severity: 'error',
  description: 'Use COPY, not ADD, for files and folders.',
  docs:
    'ADD also fetches URLs and unpacks local tar archives, so a reader cannot tell what it does without ' +
    'looking at the file. COPY copies, nothing more. ADD stays for local tar archives (it unpacks them); ' +
    'zip files are not unpacked by ADD, so they are flagged.',
  messages: { add: 'ADD copies local files here; use COPY.' },
  fix: 'safe',
  check(model, ctx) {
    for (const add of addInstrs(model)) {
      if (!addOnlyCopies(add)) continue;
      ctx.report({ messageId: 'add', range: add.keywordRange });
    }
  },
});
