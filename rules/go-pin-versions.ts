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
    '`go install example.com/tool@latest` (and `go get` without a version) builds whatever the module ' +
    'proxy calls latest that day. Write `@v1.2.3`. `go install` and `go run` of a package without a ' +
    'version build inside a module, whose go.mod pins it, and are not reported. Local paths (`.`, `./cmd/x`) are built from the context and ' +
    'not reported. The fix writes the version the module proxy reports as latest.',
  messages: { unpinned: 'go {{sub}} {{name}} has no fixed version.' },
  fix: 'safe',
  check(model, ctx) {
    for (const c of commandsNamed(model, ['go'], /\b(?:install|get|run)\b/)) {
      const sub = plainArgs(c.args)[0]?.value ?? '';
      // go install takes versions only when every package is of one module at one version.
      const several =
        sub === 'install' && goPackages(c.args).filter((w) => !/^[./]/.test(w.value)).length > 1;
      for (const w of goPackages(c.args)) {
        const v = w.value;
        if (v === '.' || v.startsWith('/') || v.startsWith('.')) continue;
        if (v.includes('@') && !/@(latest|none|upgrade|patch)$/.test(v)) continue;
        // `go install pkg` and `go run pkg` without a version only build inside a module, whose go.mod
        // pins it (outside one, go refuses them): only `go get` or an explicit @latest floats.
        if (!v.includes('@') && sub !== 'get') continue;
        const pkg = v.replace(/@.*$/, '');
        const needs =
          w.literal &&
          /^[\w.-]+\.[a-z]{2,}\/[\w./~-]+$/i.test(pkg) &&
          !pkg.split('/').some((p) => p === '.' || p === '..')
            ? [languagePackageRequest('go-version', pkg)]
            : [];
        const data: Record<string, string> = { sub, name: v, pkg, ...(several ? { several: '1' } : {}) };
        ctx.report({ messageId: 'unpinned', data, range: w.range, needs: several ? [] : needs });
      }
    }
  },
});
