import { codenameAlternation } from './os-releases';
import { isOfficialImage, type ImageRef } from './image-ref';
import type { Command, Dockerfile, Instr, Stage } from './model';
import { pipRequirement } from './package-spec';
import { pipInstalls, pipSource } from './pip-installs';
import { buildEnvBefore } from './stage-env';
import { installedRequirements, type ContextText } from './requirements-files';
import { invocations, operands } from './shell-commands';

/** Official images with a `-slim` variant, and where `slim` goes in their tags. */
const SLIM_STYLE: Record<string, 'before-codename' | 'after-codename'> = {
  python: 'before-codename',
  ruby: 'before-codename',
  perl: 'before-codename',
  node: 'after-codename',
  debian: 'after-codename',
};

const CODENAMES = new RegExp(`^(${codenameAlternation('debian')})$`);
const NOT_SLIMMABLE = /slim|alpine|windowsservercore|nanoserver|onbuild|wheezy|jessie|stretch/;

/** The slim variant of an official image's tag, or undefined when there is none (or it already is). */
export function slimTag(ref: ImageRef): string | undefined {
  const style = isOfficialImage(ref) ? SLIM_STYLE[ref.name] : undefined;
  // A base pinned by digest alone names no tag to take the variant of.
  if (!style || (ref.digest && !ref.tag)) return undefined;
  const tag = ref.tag && ref.tag !== 'latest' ? ref.tag : '';
  if (NOT_SLIMMABLE.test(tag)) return undefined;
  // Only from a tag that reads as one (`3.` is no version: `3.-slim` would name nothing).
  const badVersion = /^\d/.test(tag) && !/^\d+(\.\d+)*(-|$)/.test(tag);
  if (tag !== '' && (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(tag) || badVersion)) return undefined;
  if (tag === '') return ref.name === 'debian' ? 'stable-slim' : 'slim';
  const parts = tag.split('-');
  const codename = parts.findIndex((p) => CODENAMES.test(p));
  if (style === 'after-codename' || codename < 0) return `${tag}-slim`;
  if (codename === 0) return `slim-${tag}`;
  return [...parts.slice(0, codename), 'slim', ...parts.slice(codename)].join('-');
}

/** Tools the full images carry that slim ones lack. */
export const FULL_IMAGE_TOOLS: ReadonlyMap<string, readonly string[]> = new Map([
  ['curl', ['curl']],
  ['wget', ['wget']],
  ['git', ['git']],
  ['gcc', ['gcc', 'build-essential']],
  ['g++', ['g++', 'build-essential']],
  ['cc', ['gcc', 'build-essential']],
  ['make', ['make', 'build-essential']],
  ['cmake', ['cmake']],
  ['unzip', ['unzip']],
  ['bzip2', ['bzip2']],
  ['patch', ['patch']],
  ['ssh', ['openssh-client']],
  ['scp', ['openssh-client']],
  ['hg', ['mercurial']],
  ['svn', ['subversion']],
  ['autoconf', ['autoconf']],
  ['automake', ['automake']],
  ['pkg-config', ['pkg-config', 'pkgconf']],
  ['file', ['file']],
  ['gpg', ['gnupg', 'gpg']],
]);

/** A pip package a stage installs by name, and the index it comes from when the command names one. */
export interface StagePipPackage {
  readonly name: string;
  readonly specifier: string;
  readonly index?: string;
}

/**
 * The pip packages a stage installs by name; the first one it installs from a VCS, if any; and,
 * when an install takes packages from elsewhere than an index (`--find-links`, a variable index),
 * why.
 */
export function stagePipPackages(
  model: Dockerfile,
  stage: Stage,
  files: ContextText,
): { packages: StagePipPackage[]; vcs?: string; elsewhere?: string } {
  const packages: StagePipPackage[] = [];
  let vcs: string | undefined;
  let elsewhere: string | undefined;
  // Most stages install nothing with pip: their RUNs' text says so without a parse.
  if (!model.runs.some((r) => r.stage === stage && /pip|uv/.test(r.instr.plainText))) return { packages };
  const indexOf = new Map<Command, { index?: string }>();
  for (const inv of pipInstalls(model)) {
    if (inv.stage !== stage) continue;
    // The index answers for its own packages only: one the command names is asked as that index.
    const source = pipSource(inv, buildEnvBefore(model, stage, inv.instr.range.start));
    if (source.kind === 'elsewhere') elsewhere ??= source.why;
    const index = source.kind === 'index' ? { index: source.url } : {};
    indexOf.set(inv.command, index);
    for (const word of operands(inv)) {
      if (/^(git|hg|svn|bzr)\+/i.test(word.value)) vcs ??= word.value;
      const req = pipRequirement(word);
      if (req && !req.direct) packages.push({ name: req.name, specifier: req.specifier, ...index });
    }
  }
  for (const { parsed, ref, file } of installedRequirements(model, files)) {
    if (ref.invocation.stage !== stage) continue;
    const index = indexOf.get(ref.invocation.command) ?? {};
    for (const req of parsed.requirements)
      packages.push({ name: req.name, specifier: req.specifier, ...index });
    const m = /^\s*(?:-e\s+)?((?:git|hg|svn|bzr)\+\S+)/im.exec(files.read(file) ?? '');
    if (m) vcs ??= m[1];
  }
  return { packages, vcs, elsewhere };
}

/**
 * The first tool a stage runs that the slim image lacks and the stage does not install, leaving out
 * the RUNs `leave` (moved elsewhere): where, and which.
 */
export function missingSlimTool(
  model: Dockerfile,
  stage: Stage,
  leave: ReadonlySet<Instr> = new Set(),
): { where: string; tool: string } | undefined {
  const installed = new Set<string>();
  for (const inv of invocations(model, ['apt-get', 'apt', 'apk', 'yum', 'dnf'], ['install', 'add'])) {
    if (inv.stage !== stage || leave.has(inv.instr)) continue;
    for (const w of operands(inv)) installed.add(w.value.split(/[=:]/)[0]);
  }
  for (const ins of stage.instructions) {
    if (ins.kind !== 'run' || leave.has(ins)) continue;
    for (const c of ins.script?.commands ?? []) {
      const tool = c.name.value.replace(/^.*\//, '');
      const packages = FULL_IMAGE_TOOLS.get(tool);
      if (packages && !packages.some((p) => installed.has(p))) return { where: 'the stage', tool };
    }
  }
  // What the container runs (CMD, ENTRYPOINT, HEALTHCHECK) needs its tools too.
  for (const ins of stage.instructions) {
    const keyword = ins.keyword.toUpperCase();
    if (!['CMD', 'ENTRYPOINT', 'HEALTHCHECK'].includes(keyword)) continue;
    const text = model.source.text.slice(ins.argsRange.start, ins.argsRange.end);
    for (const [tool, packages] of FULL_IMAGE_TOOLS) {
      const runs = new RegExp(`(^|[\\s"'/;&|(])${tool.replace(/[+]/g, '\\+')}([\\s"';&|)]|$)`).test(text);
      if (runs && !packages.some((p) => installed.has(p))) return { where: `the ${keyword}`, tool };
    }
  }
  return undefined;
}

/**
 * Packages PyPI serves for Linux as source only: pip compiles them, and the slim image has no
 * compiler. What the index says wins when it is asked.
 */
export const SOURCE_ONLY = new Set([
  'psycopg2',
  'mysqlclient',
  'uwsgi',
  'python-ldap',
  'pygraphviz',
  'mod-wsgi',
  'dlib',
  'pycairo',
]);
