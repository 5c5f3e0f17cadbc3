import { mentions } from '../src/core/shell-commands';
import { defineRule } from '../src/engine/define-rule';

/** Octal modes whose "others" digit has the write bit, and symbolic modes that grant it. */
export function isWorldWritable(mode: string): boolean {
  if (/^[0-7]{3,4}$/.test(mode)) return (Number(mode[mode.length - 1]) & 2) !== 0;
  return mode.split(',').some((clause) => {
    const m = /^([ugoa]*)([+=])([rwxXst]*)$/.exec(clause);
    return m !== null && (m[1] === '' || /[oa]/.test(m[1])) && m[3].includes('w');
  });
}

/** What any mode isWorldWritable accepts holds: an octal "others" digit with the write bit, or `+w`/`=w`. */
const WRITABLE_HINT = /[0-7]{2}[2367]|[+=][rwxXst]*w/;

export const rule = defineRule({
  id: 'no-chmod-777',
  aliases: [],
  severity: 'warning',
  description: 'Do not make files world-writable.',
  docs:
    '`chmod 777` (or any mode that lets others write) lets every process in the container, whatever its ' +
    'user, replace the files — the usual first step after an exploit. Give ownership to the app user ' +
    '(`COPY --chown`, `chown`) and use 755/644, or 775 with a shared group.',
  messages: { mode: 'chmod {{mode}} makes files writable by every user.' },
  fix: 'none',
  check(model, ctx) {
    for (const run of model.runs) {
      // Only a RUN whose text holds a world-writable mode is parsed for its chmod calls.
      if (!mentions(run.instr, ['chmod']) || !WRITABLE_HINT.test(run.instr.plainText)) continue;
      for (const inv of model.callsIn(run)) {
        if (inv.tool !== 'chmod') continue;
        const mode = inv.args.find((w) => !w.value.startsWith('-'));
        if (mode && isWorldWritable(mode.value))
          ctx.report({ messageId: 'mode', data: { mode: mode.value }, range: mode.range });
      }
    }
  },
});
