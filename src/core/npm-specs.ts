// The package specs an `npm install` names on its command line.
import type { ToolCall, Word } from './model';
import { operandsFrom } from './shell-commands';

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

/** The package specs of `npm install|i|add …` (not `npm ci`, not a bare `npm install` of package.json). */
export function npmInstallSpecs(args: readonly Word[]): Word[] | undefined {
  let i = 0;
  for (; i < args.length && args[i].value.startsWith('-'); i++) if (VALUE_OPTIONS.has(args[i].value)) i++;
  if (!['install', 'i', 'add', 'isntall', 'in'].includes(args[i]?.value ?? '')) return undefined;
  return operandsFrom(args, i + 1, VALUE_OPTIONS);
}

/** `npm ci` or `npm install` of what package.json and its lock name: what a node build split moves. */
export const isNpmInstall = (c: ToolCall): boolean =>
  c.tool === 'npm' && ['ci', 'install', 'i'].includes(c.sub?.value ?? '');
