import { languagePackageRequest } from '../src/resolve/requests';
import { commandsNamed } from '../src/core/command-flags';
import type { Word } from '../src/core/model';
import { defineRule } from '../src/engine/define-rule';

/** The gem names of `gem install|i …`, or none when `-v`/`--version` pins them all. */
export function gemInstallNames(args: readonly Word[]): Word[] {
  const sub = args.findIndex((w) => !w.value.startsWith('-'));
  if (sub < 0 || !['install', 'i'].includes(args[sub].value)) return [];
  if (args.some((w) => w.value === '-v' || w.value === '--version' || w.value.startsWith('--version=')))
    return [];
  const out: Word[] = [];
  for (let i = sub + 1; i < args.length; i++) {
    const v = args[i].value;
    if (v === '--') break;
    if (v.startsWith('-')) {
      if (!v.includes('=') && /^-(-(source|install-dir|bindir|platform|document)|[sinb])$/.test(v)) i++;
      else if (/^(true|false)$/.test(args[i + 1]?.value ?? '')) i++;
      continue;
    }
    out.push(args[i]);
  }
  return out;
}

export const rule = defineRule({
  id: 'gem-pin-versions',
  aliases: ['DL3028'],
  severity: 'warning',
  description: 'Pin versions in gem install.',
  docs:
    '`gem install rails` installs whatever RubyGems serves that day. Write `rails:7.1.3` or ' +
    '`gem install rails -v 7.1.3`. The fix writes the newest version RubyGems lists.',
  messages: { unpinned: 'gem installs {{name}} without a version.' },
  fix: 'safe',
  check(model, ctx) {
    for (const c of commandsNamed(model, ['gem'], /\b(?:install|i)\b/)) {
      for (const w of gemInstallNames(c.args)) {
        if (!w.literal || w.value.includes(':') || w.value.endsWith('.gem')) continue;
        const needs = /^[A-Za-z0-9][\w.-]*$/.test(w.value)
          ? [languagePackageRequest('gem-version', w.value)]
          : [];
        ctx.report({ messageId: 'unpinned', data: { name: w.value }, range: w.range, needs });
      }
    }
  },
});
