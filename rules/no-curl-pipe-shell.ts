import type { Command } from '../src/core/model';
import { defineRule } from '../src/engine/define-rule';
import { mentions } from '../src/core/shell-commands';

const SHELLS = /^(?:.*\/)?(sh|bash|zsh|ash|dash|ksh|python[\d.]*|perl|ruby|node)$/;
const DOWNLOADER_NAMES = ['curl', 'wget', 'fetch'];
/** What runs a download: a pipe (`|`, `|&`), `$(…)`, backquotes, `<(…)`. */
const FEEDS = ['|', '$(', '`', '<('];
const DOWNLOADERS = /^(?:.*\/)?(curl|wget|fetch)$/;
const SUBSTITUTED = /(\$\(|`|<\()\s*(curl|wget)\b/;

const SKIPPED = /^(sudo|env|-\w+|[A-Za-z_]\w*=.*)$/s;

/** The command's name past `sudo`, `env`, their options and variable assignments. */
function commandName(c: Command): string {
  if (c.args.length === 0 || !SKIPPED.test(c.name.value)) return c.name.value;
  let i = 0;
  while (i < c.args.length - 1 && SKIPPED.test(c.args[i].value)) i++;
  return c.args[i].value;
}

export const rule = defineRule({
  id: 'no-curl-pipe-shell',
  aliases: [],
  severity: 'error',
  description: 'Do not pipe a downloaded script into a shell.',
  docs:
    '`curl … | sh` runs whatever the server returns, unverified, as root, and a dropped connection can ' +
    'run half a script. Download to a file, check its sha256 against a known value, then run it — or ' +
    'install the tool from a package. `sh -c "$(curl …)"` and `bash <(curl …)` are caught too.',
  messages: { pipe: '{{downloader}} output is piped into {{shell}}: a remote script runs unverified.' },
  fix: 'none',
  check(model, ctx) {
    for (const { instr } of model.runs) {
      // Both a downloader and a pipe or a substitution to run its output: else nothing to parse for.
      if (!mentions(instr, DOWNLOADER_NAMES) || !mentions(instr, FEEDS)) continue;
      const commands = instr.script?.commands ?? [];
      for (const c of commands) {
        const name = commandName(c);
        if (!SHELLS.test(name)) continue;
        if (c.pipeline !== undefined && (c.pipelineIndex ?? 0) > 0) {
          const feeder = commands.find(
            (o) =>
              o.pipeline === c.pipeline &&
              (o.pipelineIndex ?? 0) < (c.pipelineIndex ?? 0) &&
              DOWNLOADERS.test(commandName(o)),
          );
          if (feeder) {
            ctx.report({
              messageId: 'pipe',
              data: { downloader: commandName(feeder), shell: name },
              range: c.range,
            });
            continue;
          }
        }
        const sub = c.args.find((a) => SUBSTITUTED.test(a.raw));
        if (sub)
          ctx.report({
            messageId: 'pipe',
            data: { downloader: SUBSTITUTED.exec(sub.raw)![2], shell: name },
            range: c.range,
          });
      }
    }
  },
});
