import type { Command } from '../src/core/model';
import { mentions } from '../src/core/shell-commands';
import { defineRule } from '../src/engine/define-rule';

const DOWNLOADERS = ['curl', 'wget'];
const VERIFIERS = /^(?:.*\/)?(sha256sum|sha512sum|sha1sum|md5sum|shasum|gpg|gpgv|cosign|minisign)$/;
/** chmod modes that set an execute bit: `+x`, `u+x`, `a+rx`, `755`, `0700` … */
const EXECUTABLE = /^([ugoa]*[+=][rwxXst]*x[rwxXst]*|0?[0-7]?[0-7]*[1357][0-7]{0,2})$/;

const baseName = (p: string) =>
  p
    .replace(/[?#].*$/, '')
    .replace(/\/+$/, '')
    .split('/')
    .pop() ?? p;
const isUrl = (s: string) => /^(https?|ftp):\/\//.test(s);

/** Base names of the files a curl or wget command writes. */
function downloads(c: Command): string[] {
  const tool = baseName(c.name.value);
  const args = c.args.map((a) => a.value);
  const out: string[] = [];
  let remoteName = tool === 'wget';
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (tool === 'curl') {
      if (a === '-o' || a === '--output') out.push(baseName(args[++i] ?? ''));
      else if (/^-o./.test(a)) out.push(baseName(a.slice(2)));
      else if (a === '-O' || a === '--remote-name' || /^-[a-zA-Z]*O[a-zA-Z]*$/.test(a)) remoteName = true;
    } else if (a === '-O' || a === '--output-document') {
      out.push(baseName(args[++i] ?? ''));
      remoteName = false;
    } else if (/^-O./.test(a) || a.startsWith('--output-document=')) {
      out.push(baseName(a.startsWith('-O') ? a.slice(2) : a.slice(a.indexOf('=') + 1)));
      remoteName = false;
    }
  }
  if (remoteName) out.push(...args.filter(isUrl).map(baseName));
  return out.filter((n) => n !== '' && n !== '-');
}

export const rule = defineRule({
  id: 'no-download-exec',
  aliases: [],
  severity: 'warning',
  description: 'Verify a downloaded program before making it executable.',
  docs:
    '`curl -o /usr/local/bin/tool … && chmod +x /usr/local/bin/tool` installs whatever the server sent ' +
    'that day. Check the file against a known checksum (`echo "<sha256>  tool" | sha256sum -c`) or ' +
    'signature in the same RUN, or install it from a package. A RUN that runs sha256sum, gpg, cosign ' +
    'or minisign is taken as verified.',
  messages: { unverified: '{{file}} is downloaded and made executable without a checksum check.' },
  fix: 'none',
  check(model, ctx) {
    for (const { instr } of model.runs) {
      if (!mentions(instr, DOWNLOADERS) || !mentions(instr, ['chmod'])) continue;
      const commands = instr.script?.commands ?? [];
      if (commands.some((c) => VERIFIERS.test(c.name.value))) continue;
      const fetched = new Set(
        commands.filter((c) => DOWNLOADERS.includes(baseName(c.name.value))).flatMap(downloads),
      );
      if (fetched.size === 0) continue;
      for (const c of commands) {
        if (baseName(c.name.value) !== 'chmod') continue;
        const operands = c.args.filter((a) => !a.value.startsWith('-'));
        if (operands.length < 2 || !EXECUTABLE.test(operands[0].value)) continue;
        const file = operands.slice(1).find((a) => fetched.has(baseName(a.value)));
        if (file) ctx.report({ messageId: 'unverified', data: { file: file.value }, range: c.range });
      }
    }
  },
});
