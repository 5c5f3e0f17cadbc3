import { commandsNamed } from '../src/core/command-flags';
import { operandsFrom } from '../src/core/shell-commands';
import type { Word } from '../src/core/model';
import { defineRule } from '../src/engine/define-rule';
import { languagePackageRequest } from '../src/resolve/requests';

/** cargo install's options that take the next word as their value. */
const VALUE_OPTIONS = new Set([
  '--version',
  '--vers',
  '--git',
  '--branch',
  '--tag',
  '--rev',
  '--path',
  '--root',
  '--index',
  '--registry',
  '--features',
  '-F',
  '--bin',
  '--example',
  '--target',
  '--profile',
  '-j',
  '--jobs',
  '--target-dir',
  '--config',
  '-Z',
  '--color',
]);

/** The crates of `cargo install …`, or none when the install is pinned as a whole (`--version`, `--git --rev/--tag`, `--path`). */
export function cargoCrates(args: readonly Word[]): Word[] {
  const sub = args.findIndex((w) => !w.value.startsWith('-') && !w.value.startsWith('+'));
  if (sub < 0 || args[sub].value !== 'install') return [];
  const has = (o: string) => args.some((w) => w.value === o || w.value.startsWith(`${o}=`));
  if (has('--version') || has('--vers') || has('--path') || has('--rev') || has('--tag')) return [];
  return operandsFrom(args, sub + 1, VALUE_OPTIONS);
}

export const rule = defineRule({
  id: 'cargo-pin-versions',
  aliases: [],
  severity: 'warning',
  description: 'Pin versions in cargo install.',
  docs:
    '`cargo install ripgrep` builds whatever crates.io calls newest that day. Write `ripgrep@14.1.1` (or ' +
    '`--version 14.1.1`); a git source with `--rev` or `--tag`, and a local `--path`, count as pinned, a ' +
    'requirement such as `@^14` does not. The fix writes the newest release the sparse index lists that ' +
    'is neither yanked nor a pre-release.',
  messages: { unpinned: 'cargo installs {{name}} without a fixed version.' },
  fix: 'safe',
  check(model, ctx) {
    for (const c of commandsNamed(model, ['cargo'], /\binstall\b/)) {
      if (c.args.some((w) => w.value === '--git')) continue;
      for (const w of cargoCrates(c.args)) {
        const at = w.value.indexOf('@');
        if (at > 0 && /^=?\d+\.\d+\.\d+/.test(w.value.slice(at + 1))) continue;
        const name = at > 0 ? w.value.slice(0, at) : w.value;
        const needs =
          w.literal && /^[A-Za-z0-9][\w-]*$/.test(name)
            ? [languagePackageRequest('cargo-version', name)]
            : [];
        ctx.report({ messageId: 'unpinned', data: { name: w.value, pkg: name }, range: w.range, needs });
      }
    }
  },
});
