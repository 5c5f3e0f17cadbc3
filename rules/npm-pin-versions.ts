import { languagePackageRequest } from '../src/resolve/requests';
import { commandsNamed } from '../src/core/command-flags';
import { npmInstallSpecs } from '../src/core/npm-specs';
import { operandsFrom } from '../src/core/shell-commands';
import type { Word } from '../src/core/model';
import { defineRule } from '../src/engine/define-rule';

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

/** The package name of a registry spec (`@scope/name@tag` → `@scope/name`) and its version part. */
export function npmSpecParts(spec: string): { name: string; version?: string } {
  const at = spec.indexOf('@', spec.startsWith('@') ? 1 : 0);
  return at < 0 ? { name: spec } : { name: spec.slice(0, at), version: spec.slice(at + 1) };
}

/** The packages of `yarn global add …` (a project's `yarn add` writes the lock file, which pins them). */
export function yarnGlobalSpecs(args: readonly Word[]): Word[] | undefined {
  const [global, add] = operandsFrom(args, 0, YARN_VALUE_OPTIONS);
  if (global?.value !== 'global' || add?.value !== 'add') return undefined;
  return operandsFrom(args, args.indexOf(add) + 1, YARN_VALUE_OPTIONS);
}

/** yarn's options that take the next word as their value. */
const YARN_VALUE_OPTIONS = new Set([
  '--prefix',
  '--global-folder',
  '--cache-folder',
  '--modules-folder',
  '--registry',
  '--network-timeout',
  '--cwd',
]);

export const rule = defineRule({
  id: 'npm-pin-versions',
  aliases: ['DL3016'],
  severity: 'warning',
  description: 'Pin versions in npm install.',
  docs:
    '`npm install -g pkg` (or `npm i pkg`, or `yarn global add pkg`) installs whatever the registry ' +
    'calls latest that day. Write ' +
    '`pkg@1.2.3`. A git URL with `#ref`, a tarball or a local folder counts as pinned; a range ' +
    '(`pkg@^1`, `pkg@latest`) does not, as everywhere in this tool (one meaning for "unpinned"; hadolint ' +
    'takes a range as pinned, a deliberate difference). ' +
    '`npm ci` and a bare `npm install` follow the lock file and are not reported. The fix writes the ' +
    'version the registry marks latest today, for a bare name or `@latest`; a range is left to a person. ' +
    'The registry is the one npm itself would use (npm_config_registry, ~/.npmrc) or HARDEN_NPM_REGISTRY.',
  messages: { unpinned: '{{tool}} installs {{name}} without a fixed version.' },
  fix: 'safe',
  check(model, ctx) {
    for (const c of commandsNamed(model, ['npm', 'yarn'], /\b(?:install|i|add|isntall|in)\b/)) {
      const specs = c.name === 'npm' ? npmInstallSpecs(c.args) : yarnGlobalSpecs(c.args);
      for (const w of specs ?? []) {
        if (!w.literal || npmSpecPinned(w.value)) continue;
        const { name, version } = npmSpecParts(w.value);
        const byName = /^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i.test(name);
        // Only a bare name or a moving tag is pinned to the registry's latest; a range is left to a person.
        const needs =
          byName && (version === undefined || version === 'latest')
            ? [languagePackageRequest('npm-version', name)]
            : [];
        const data = { tool: c.name, name: w.value, pkg: name };
        ctx.report({ messageId: 'unpinned', data, range: w.range, needs });
      }
    }
  },
});
