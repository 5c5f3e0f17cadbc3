import { languagePackageRequest } from '../src/resolve/requests';
import { commandsNamed, plainArgs } from '../src/core/command-flags';
import type { Word } from '../src/core/model';
import { defineRule } from '../src/engine/define-rule';

/** The packages of `go install|get pkg…` and `go run pkg` (only the first word: the rest are its arguments). */
export function goPackages(args: readonly Word[]): Word[] {
  const words = plainArgs(args);
  const sub = words[0]?.value;
  if (sub === 'run') return words.slice(1, 2);
  if (sub === 'install' || sub === 'get') return words.slice(1).filter((w) => w.value !== 'tool');
  return [];
}

export const rule = defineRule({
  id: 'go-pin-versions',
  aliases: ['DL3062'],
  severity: 'warning',
  description: 'Pin versions in go install, go get and go run.',
  docs:
    '`go install example.com/tool@latest` (or without a version) builds whatever the module proxy ' +
    'calls latest that day. Write `@v1.2.3`. Local paths (`.`, `./cmd/x`) are built from the context and ' +
    'not reported. The fix writes the version the module proxy reports as latest.',
  messages: { unpinned: 'go {{sub}} {{name}} has no fixed version.' },
  fix: 'safe',
  check(model, ctx) {
    for (const c of commandsNamed(model, ['go'], /\b(?:install|get|run)\b/)) {
      const sub = plainArgs(c.args)[0]?.value ?? '';
      for (const w of goPackages(c.args)) {
        const v = w.value;
        if (v === '.' || v.startsWith('/') || v.startsWith('.')) continue;
        if (v.includes('@') && !/@(latest|none|upgrade|patch)$/.test(v)) continue;
        const pkg = v.replace(/@.*$/, '');
        const needs =
          w.literal &&
          /^[\w.-]+\.[a-z]{2,}\/[\w./~-]+$/i.test(pkg) &&
          !pkg.split('/').some((p) => p === '.' || p === '..')
            ? [languagePackageRequest('go-version', pkg)]
            : [];
        ctx.report({ messageId: 'unpinned', data: { sub, name: v, pkg }, range: w.range, needs });
      }
    }
  },
});
