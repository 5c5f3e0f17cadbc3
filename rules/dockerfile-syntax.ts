import { defineRule } from '../src/engine/define-rule';
import { KNOWN_KEYWORDS } from '../src/engine/verify';

/** Instructions Docker refuses without arguments. */
const NEEDS_ARGS = new Set([
  'FROM',
  'RUN',
  'COPY',
  'ADD',
  'ENV',
  'LABEL',
  'ARG',
  'USER',
  'WORKDIR',
  'EXPOSE',
  'VOLUME',
  'STOPSIGNAL',
  'MAINTAINER',
  'ONBUILD',
  'SHELL',
]);

/** The words of a FROM after its flags, continuations joined. */
function fromWords(args: string, escape: string): string[] {
  const joined = args.split(new RegExp(`\\${escape}[ \t]*\r?\n`)).join(' ');
  return joined.split(/\s+/).filter((w) => w !== '' && !w.startsWith('--'));
}

export const rule = defineRule({
  id: 'dockerfile-syntax',
  aliases: [],
  severity: 'error',
  description: 'The file must be a Dockerfile Docker can build.',
  docs:
    'Reports what makes a build fail before it starts: no FROM, an unknown instruction, an instruction ' +
    'other than ARG before the first FROM, an instruction with no arguments, or a FROM with words beyond ' +
    '`image [AS name]` (a `#` after an instruction starts no comment: Docker reads it as more words). ' +
    'The fix leaves a file with such an error alone. Nothing in the file is ever executed.',
  messages: {
    noFrom: 'the file has no FROM instruction.',
    unknown: 'unknown instruction {{keyword}}.',
    beforeFrom: '{{keyword}} comes before the first FROM; only ARG may.',
    noArgs: '{{keyword}} needs at least one argument.',
    fromWords: 'FROM takes an image and an optional AS name, not "{{words}}".',
  },
  fix: 'none',
  check(model, ctx) {
    for (const ins of model.instructions) {
      const upper = KNOWN_KEYWORDS.has(ins.keyword) ? ins.keyword : ins.keyword.toUpperCase();
      if (!KNOWN_KEYWORDS.has(upper))
        ctx.report({ messageId: 'unknown', data: { keyword: ins.keyword }, range: ins.keywordRange });
      else if (ins.stage < 0 && upper !== 'ARG')
        ctx.report({ messageId: 'beforeFrom', data: { keyword: upper }, range: ins.keywordRange });
      else if (ins.argsRange.start === ins.argsRange.end && NEEDS_ARGS.has(upper))
        ctx.report({ messageId: 'noArgs', data: { keyword: upper }, range: ins.keywordRange });
      else if (ins.kind === 'from') {
        const words = fromWords(
          model.source.text.slice(ins.argsRange.start, ins.argsRange.end),
          model.escapeChar,
        );
        const ok = words.length === 1 || (words.length === 3 && words[1].toUpperCase() === 'AS');
        if (!ok)
          ctx.report({ messageId: 'fromWords', data: { words: words.join(' ') }, range: ins.argsRange });
      }
    }
    if (model.stages.length === 0) ctx.report({ messageId: 'noFrom', range: { start: 0, end: 0 } });
  },
});
