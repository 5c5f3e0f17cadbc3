import { workdirAt } from '../core/build-context';
import type { Dockerfile, Instr, RunInstr, Stage } from '../core/model';
import type { NodeBuildNeed } from '../core/node-build';
import { isNpmInstall } from '../core/npm-specs';
import { missingSlimTool } from '../core/slim';
import { isRootUser } from '../core/users';
import { retagBase } from './base-image-edits';
import { isSkip, type TextEdit } from './define-fixer';
import { movedRuns } from './moved-runs';
import type { ContextFiles, Finding } from './define-rule';
import { replace } from './edits';
import { builderEdit, builderName, lineRange, splitBaseWhy } from './slim-split';
import { copied, nodeModulesLine } from './venv-stage';

/**
 * Packages whose install script compiles an addon that links to nothing the slim image lacks (the C
 * and C++ runtimes node itself needs): built in the full image, they run in the slim one.
 */
const SELF_CONTAINED_ADDONS = new Set([
  'argon2',
  'bcrypt',
  'better-sqlite3',
  'bufferutil',
  'classic-level',
  'cpu-features',
  'deasync',
  'farmhash',
  'leveldown',
  'lmdb',
  'microtime',
  'msgpackr-extract',
  'node-pty',
  're2',
  'sqlite3',
  'ssh2',
  'unix-dgram',
  'utf-8-validate',
]);

/** Packages whose install script downloads to the user's home (~/.cache), outside node_modules. */
const INSTALLS_OUTSIDE = /^(puppeteer|cypress|playwright(-chromium|-firefox|-webkit)?|@playwright\/test)$/;

/** The lifecycle scripts of the app's own package.json that `npm ci`/`npm install` runs. */
const LIFECYCLE = [
  'preinstall',
  'install',
  'postinstall',
  'prepublish',
  'preprepare',
  'prepare',
  'postprepare',
];

/** npm's options that install elsewhere than ./node_modules. */
const ELSEWHERE =
  /^(-g|--global(=.*)?|--location(=.*)?|--prefix(=.*)?|-w|--workspaces?(=.*)?|--install-links.*)$/;

/** npm settings (in .npmrc, or as npm_config_* variables) that install elsewhere than ./node_modules. */
const ELSEWHERE_SETTING = /^\s*(global|location|prefix)\s*=/im;
const ELSEWHERE_VARIABLE = /\bnpm_config_(global|location|prefix)\b/i;

/** Files whose copy before the install cannot bring a node_modules folder in. */
const NPM_FILE = /^(\.\/)?(package(\*|-lock)?\.json|npm-shrinkwrap\.json|\.npmrc|package\*\.json)$/;

/**
 * The final stage on an official `node` image runs an npm install that needs what the slim variant
 * lacks (a compiler for an addon, git for a dependency): it is rewritten as a build and a runtime.
 * A builder stage on the original base runs what the stage ran up to the install, the install
 * included; the final stage, on the slim variant, copies the builder's node_modules in the install's
 * place. Where that cannot be done safely, returns why.
 */
export function splitNodeBuild(
  model: Dockerfile,
  finding: Finding,
  stage: Stage,
  slimTag: string,
  need: NodeBuildNeed,
  files: ContextFiles,
): TextEdit[] | { why: string } {
  const base = splitBaseWhy(stage, 'node');
  if (base) return { why: base };
  if (stage.from.baseStage !== undefined) return { why: 'the stage builds on another stage' };
  const { known } = need;
  if (!known) return { why: 'what npm installs is not known from a lock file' };
  const addon = known.compiled.find((p) => !SELF_CONTAINED_ADDONS.has(p));
  if (addon) return { why: `what ${addon} links to at run time is not known` };
  const outside = known.scripted.find((p) => INSTALLS_OUTSIDE.test(p));
  if (outside) return { why: `${outside}'s install script downloads outside node_modules` };
  const install = installRun(model, stage);
  if ('why' in install) return install;
  const { run, ignoreScripts } = install;
  const manifest = manifestWhy(known.manifest, ignoreScripts, known.gyp);
  if (manifest) return { why: manifest };
  if (known.npmrc !== undefined && ELSEWHERE_SETTING.test(known.npmrc))
    return { why: '.npmrc tells npm to install elsewhere than node_modules' };
  const prefix = stage.instructions.filter((i) => i.range.start <= run.range.start && copied(i));
  const before = prefixWhy(prefix, run, files);
  if (before) return { why: before };
  // RUNs before the install that only install build tools (g++, make …) go to the builder too.
  const moving = movedRuns(model, stage, 'npm');
  if ('why' in moving) return moving;
  const moved = new Set<Instr>(moving.runs);
  const dir = workdirAt(model, stage, run.range.start);
  const missing = missingSlimTool(model, stage, moved);
  if (missing) return { why: `${missing.where} runs ${missing.tool}, which the slim image does not have` };
  const image = retagBase(model, finding, slimTag);
  if (isSkip(image)) return { why: image.skipped };

  const name = builderName(model, 'node');
  const modules = nodeModulesLine(model.lowercaseKeywords, name, dir);
  return [
    builderEdit(model, stage, name, false, prefix, moved),
    ...image,
    ...moving.runs.map((r) =>
      r === run
        ? replace(lineRange(model, r), `${modules}${model.eol}`, {
            kind: 'moved',
            builder: name,
            modules: dir,
          })
        : replace(lineRange(model, r), '', { kind: 'moved', builder: name }),
    ),
  ];
}

/**
 * The one RUN of the stage that installs with npm, when it runs nothing but npm's install (and a
 * cache clean), as one `&&` list, into ./node_modules.
 */
function installRun(
  model: Dockerfile,
  stage: Stage,
): { run: RunInstr; ignoreScripts: boolean } | { why: string } {
  const installs = model.calls.filter((c) => c.stage === stage && isNpmInstall(c));
  const runs = [...new Set(installs.map((c) => c.instr))];
  if (runs.length !== 1) return { why: 'npm installs in more than one RUN' };
  const [run] = runs;
  if (run.form !== 'shell' || run.onbuild || run.script?.heredoc)
    return { why: `the install on line ${run.line + 1} is not a shell-form RUN` };
  const here = model.callsIn({ instr: run });
  const commands = run.script?.commands ?? [];
  const onlyNpm =
    commands.length === here.length &&
    here.every(
      (c) =>
        c.tool === 'npm' &&
        !c.command.nested &&
        c.toolWord === c.command.name &&
        c.command.assignments.length === 0 &&
        (isNpmInstall(c) || c.sub?.value === 'cache'),
    );
  if (!onlyNpm) return { why: `the RUN on line ${run.line + 1} runs more than npm's install` };
  const text = model.source.text.slice(run.argsRange.start, run.argsRange.end);
  if (/\|\||;|\||&(?!&)/.test(text.replace(/&&/g, '')))
    return { why: `the RUN on line ${run.line + 1} is not one && list` };
  const options = here.flatMap((c) => c.args.map((w) => w.value));
  const elsewhere = options.find((o) => ELSEWHERE.test(o));
  if (elsewhere) return { why: `npm ${elsewhere} installs elsewhere than node_modules` };
  const ignoreScripts = installs.every((c) => c.args.some((w) => w.value === '--ignore-scripts'));
  return { run, ignoreScripts };
}

/** Why the app's own package.json keeps npm's work from moving: its lifecycle scripts, workspaces. */
function manifestWhy(manifest: string | undefined, ignoreScripts: boolean, gyp: boolean): string | undefined {
  if (manifest === undefined) return 'the package.json npm installs from was not read';
  let json: { scripts?: unknown; workspaces?: unknown; gypfile?: unknown };
  try {
    json = JSON.parse(manifest) as typeof json;
  } catch {
    return 'the package.json npm installs from does not parse';
  }
  if (json.workspaces !== undefined) return 'package.json has workspaces, with node_modules of their own';
  const scripts = typeof json.scripts === 'object' && json.scripts !== null ? json.scripts : {};
  const run = LIFECYCLE.find((s) => Object.hasOwn(scripts, s));
  if (run && !ignoreScripts)
    return `package.json's ${run} script runs at install and may write outside node_modules`;
  // Without an install script of its own, npm builds the app's binding.gyp (node-gyp rebuild) into ./build.
  if (gyp && !ignoreScripts && json.gypfile !== false)
    return "the app's binding.gyp is built at install, into its own folder, not node_modules";
  return undefined;
}

/**
 * Why what the stage does before its install keeps it from moving: a user other than root (the
 * copied node_modules would change owner), a WORKDIR that is not a plain path, npm settings that
 * install elsewhere, an ADD (it may unpack or fetch), a copy from another image, or a copy that may
 * bring a node_modules folder along (npm would have replaced it; the copy from the builder only adds
 * to it), unless .dockerignore leaves node_modules out of what is copied.
 */
function prefixWhy(prefix: readonly Instr[], run: RunInstr, files: ContextFiles): string | undefined {
  const ignore = (files.read('.dockerignore') ?? '').split(/\r?\n/).map((l) => l.trim());
  const reincluded = ignore.some((l) => l.startsWith('!') && l.includes('node_modules'));
  const everywhere = !reincluded && ignore.some((l) => /^\*\*\/node_modules\/?$/.test(l));
  const atRoot = !reincluded && ignore.some((l) => /^\/?node_modules\/?$/.test(l));
  const at = (ins: Instr) => `the ${ins.keyword.toUpperCase()} on line ${ins.line + 1}`;
  for (const ins of prefix) {
    if (ins === run) break;
    if (ins.kind === 'user' && ins.words[0] && !isRootUser(ins.words[0].value))
      return `npm runs as ${ins.words[0].value} (line ${ins.line + 1}), not as the owner of the copied node_modules`;
    if (ins.kind === 'workdir' && !/^[\w./@+-]+$/.test(ins.words.map((w) => w.value).join(' ')))
      return `${at(ins)} is not a plain path`;
    if ((ins.kind === 'env' || ins.kind === 'arg') && ins.pairs.some((p) => ELSEWHERE_VARIABLE.test(p.name)))
      return `${at(ins)} tells npm to install elsewhere than node_modules`;
    if (ins.kind !== 'copy' && ins.kind !== 'add') continue;
    if (ins.flags.some((f) => f.name === 'from')) return `${at(ins)} copies from another image`;
    const other = ins.sources.filter((w) => !NPM_FILE.test(w.value));
    if (ins.heredoc || (ins.kind === 'add' && other.length > 0))
      return `${at(ins)} adds ${other[0]?.value ?? 'a heredoc'} before npm installs`;
    const bad = other.find((w) => !(everywhere || (atRoot && /^\.\/?$/.test(w.value))));
    if (bad)
      return `${at(ins)} copies ${bad.value} before npm installs, which may hold a node_modules of its own (and .dockerignore does not leave it out)`;
  }
  return undefined;
}
