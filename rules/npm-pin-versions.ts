import { commandsNamed } from '../src/core/command-flags';
import type { Word } from '../src/core/model';
import { defineRule } from '../src/engine/define-rule';

/** npm's options that take the next word as their value. */
const VALUE_OPTIONS = new Set([
  '--registry',
  '--loglevel',
  '--prefix',
  '--cache',
  '--userconfig',
  '--tag',
  '-w',
  '--workspace',
]);

/** Whether an npm package spec names a fixed version: `name@1.2.3`, a git ref with `#`, a tarball or a folder. */
export function npmSpecPinned(spec: string): boolean {
  if (/^git(\+\w+)?:\/\//.test(spec) || /^(github|gitlab|bitbucket):/.test(spec)) return spec.includes('#');
  if (/\.(tgz|tar|tar\.gz)$/.test(spec) || /^(\/|\.\.?\/|~\/|file:)/.test(spec) || spec === '.') return true;
  if (/^https?:\/\//.test(spec)) return true;
  const bare = spec.startsWith('@') ? spec.slice(spec.indexOf('/') + 1) : spec;
  const at = bare.indexOf('@');
  if (at < 0) return false;
  const version = bare.slice(at + 1);
  return (
    version !== '' && version !== 'latest' && version !== 'next' && !/^[~^*xX]|^[<>]|\|\||\s-\s/.test(version)
  );
}

/** The package specs of `npm install|i|add …` (not `npm ci`, not a bare `npm install` of package.json). */
export function npmInstallSpecs(args: readonly Word[]): Word[] | undefined {
  let i = 0;
  for (; i < args.length && args[i].value.startsWith('-'); i++) if (VALUE_OPTIONS.has(args[i].value)) i++;
  if (!['install', 'i', 'add', 'isntall', 'in'].includes(args[i]?.value ?? '')) return undefined;
  const out: Word[] = [];
  for (i++; i < args.length; i++) {
    const v = args[i].value;
    if (v.startsWith('-')) {
      if (VALUE_OPTIONS.has(v)) i++;
      continue;
    }
    out.push(args[i]);
  }
  return out;
}

export const rule = defineRule({
  id: 'npm-pin-versions',
  aliases: ['DL3016'],
  severity: 'warning',
  description: 'Pin versions in npm install.',
  docs:
    '`npm install -g pkg` (or `npm i pkg`) installs whatever the registry calls latest that day. Write ' +
    '`pkg@1.2.3`. A git URL with `#ref`, a tarball or a local folder counts as pinned; a range ' +
    '(`pkg@^1`, `pkg@latest`) does not, as everywhere in this tool (one meaning for "unpinned"). ' +
    '`npm ci` and a bare `npm install` follow the lock file and are not reported. The fix writes the ' +
    'version the registry marks latest today.',
  messages: { unpinned: 'npm installs {{name}} without a fixed version.' },
  fix: 'none',
  check(model, ctx) {
    for (const c of commandsNamed(model, ['npm'])) {
      for (const w of npmInstallSpecs(c.args) ?? []) {
        if (!w.literal || npmSpecPinned(w.value)) continue;
        ctx.report({ messageId: 'unpinned', data: { name: w.value }, range: w.range });
      }
    }
  },
});
