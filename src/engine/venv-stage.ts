/**
 * The text of a build split (see slim-split.ts and node-split.ts), written by the fix and expected by
 * the meaning check (verify-split.ts) alike: the builder stage's FROM and virtual env, the runtime
 * stage's lines that take the virtual env and install the runtime libraries, and the COPY of a node
 * builder's node_modules.
 */

import type { Instr } from '../core/model';

/** The instructions a builder copies: what can change what a RUN sees (not CMD, EXPOSE, LABEL …). */
const COPIED = new Set<Instr['kind']>(['run', 'copy', 'add', 'env', 'arg', 'user', 'workdir', 'shell']);
export const copied = (i: Instr): boolean => COPIED.has(i.kind) || i.keyword.toUpperCase() === 'VOLUME';

/** Where the virtual env lives, in the builder and in the runtime stage. */
export const VENV = '/opt/venv';

const kw = (lowercase: boolean, upper: string) => (lowercase ? upper.toLowerCase() : upper);

/** The builder's FROM: the runtime stage's own base image and platform, under the builder's name. */
export function builderFrom(
  lowercase: boolean,
  image: string,
  platform: string | undefined,
  name: string,
): string {
  const flag = platform !== undefined ? `--platform=${platform} ` : '';
  return `${kw(lowercase, 'FROM')} ${flag}${image} ${kw(lowercase, 'AS')} ${name}`;
}

/** What the builder runs before the stage's own instructions: every later `pip` is the venv's. */
export function builderPrelude(lowercase: boolean): string[] {
  return [`${kw(lowercase, 'RUN')} python -m venv ${VENV}`, `${kw(lowercase, 'ENV')} PATH=${VENV}/bin:$PATH`];
}

/** The runtime stage's lines after its FROM. */
export function runtimeLines(lowercase: boolean, builder: string, packages: readonly string[]): string[] {
  const lines = [
    `${kw(lowercase, 'COPY')} --from=${builder} ${VENV} ${VENV}`,
    `${kw(lowercase, 'ENV')} PATH=${VENV}/bin:$PATH`,
  ];
  if (packages.length > 0)
    lines.push(
      `${kw(lowercase, 'RUN')} apt-get update && apt-get install -y --no-install-recommends ${packages.join(' ')} && rm -rf /var/lib/apt/lists/*`,
    );
  return lines;
}

/** A Debian package name, as the runtime line may name one. */
export const DEBIAN_PACKAGE = /^[a-z0-9][a-z0-9+.-]+$/;

/** Where npm puts what it installs in a folder: `node_modules` under it. */
export const nodeModulesOf = (dir: string): string => `${dir.replace(/\/+$/, '')}/node_modules`;

/** The line that takes the place of a node stage's install: the builder's node_modules, copied. */
export function nodeModulesLine(lowercase: boolean, builder: string, dir: string): string {
  const modules = nodeModulesOf(dir);
  return `${kw(lowercase, 'COPY')} --from=${builder} ${modules} ${modules}`;
}
