import { isOfficialImage } from '../core/image-ref';
import type { Dockerfile, Instr, Stage } from '../core/model';
import { pipInstalls } from '../core/pip-installs';
import { releaseOfStage } from '../core/release';
import { runtimePackages } from '../core/runtime-libraries';
import { hasOption, operands } from '../core/shell-commands';
import { installedRequirements, type ContextText } from '../core/requirements-files';
import { missingSlimTool } from '../core/slim';
import { buildEnvBefore, isTruthy } from '../core/stage-env';
import { isRootUser } from '../core/users';
import { retagBase } from './base-image-edits';
import { isSkip, type TextEdit } from './define-fixer';
import type { Finding } from './define-rule';
import { endOfInstructionLine, insertAt, replace } from './edits';
import { movedRuns } from './moved-runs';
import { builderFrom, builderPrelude, copied, runtimeLines } from './venv-stage';

/**
 * The final stage's install needs what its slim variant lacks (a compiler, headers, git): it is
 * rewritten as a build and a runtime. A builder stage on the original base makes a virtual env and
 * runs what the stage ran up to its last pip install (so pip sees the same files, variables and
 * packages); the RUNs that only build (pip, and apt installs of compilers and -dev packages) leave
 * the final stage, which runs on the slim variant, copies the virtual env and puts it first on PATH,
 * and installs the runtime libraries of what was built (runtime-libraries.ts). Where that cannot be
 * done safely, returns why.
 */
export function splitBuild(
  model: Dockerfile,
  finding: Finding,
  stage: Stage,
  slimTag: string,
  built: readonly string[],
  files: ContextText,
): TextEdit[] | { why: string } {
  const base = splitBaseWhy(stage, 'python');
  if (base) return { why: base };
  const installers = installersWhy(model, stage) ?? editableWhy(model, stage, files);
  if (installers) return { why: installers };
  const moving = movedRuns(model, stage);
  if ('why' in moving) return moving;
  const { runs, dev } = moving;
  const last = runs[runs.length - 1];
  const prefix = stage.instructions.filter((i) => i.range.start <= last.range.start && copied(i));
  const user = prefix.find((i) => i.kind === 'user' && i.words[0] && !isRootUser(i.words[0].value));
  if (user)
    return {
      why: `pip runs as ${text(model, user.argsRange)} (line ${user.line + 1}), not as the owner of the virtual env`,
    };
  const moved = new Set<Instr>(runs);
  const runtime = runtimeWhy(model, stage, moved);
  if (runtime) return { why: runtime };
  const libraries = runtimePackages(built, dev, releaseOfStage(model.stages, stage)?.release);
  if ('why' in libraries) return libraries;
  const image = retagBase(model, finding, slimTag);
  if (isSkip(image)) return { why: image.skipped };

  const name = builderName(model);
  const low = model.lowercaseKeywords;
  const edits: TextEdit[] = [
    builderEdit(model, stage, name, true, prefix, moved),
    ...image,
    insertAt(
      endOfInstructionLine(model, stage.from),
      runtimeLines(low, name, libraries.packages).join(model.eol) + model.eol,
      {
        kind: 'runtime',
        builder: name,
        packages: libraries.packages,
      },
    ),
    ...runs.map((r) => replace(lineRange(model, r), '', { kind: 'moved', builder: name })),
  ];
  return edits;
}

const text = (model: Dockerfile, r: { start: number; end: number }) =>
  model.source.text.slice(r.start, r.end);

/** Where an instruction's lines stand: from the start of its first line to the start of the next. */
export function lineRange(model: Dockerfile, ins: Instr): { start: number; end: number } {
  return { start: model.lines.lineStart(ins.line), end: endOfInstructionLine(model, ins) };
}

/** An instruction's lines as written (indent, continuations and comments inside it), without the last line break. */
function linesOf(model: Dockerfile, ins: Instr): string {
  return text(model, lineRange(model, ins)).replace(/\r?\n$/, '');
}

/**
 * The builder stage `name`, inserted before `stage`: on the stage's base image and platform, a
 * virtual env first when `venv`, then copies of `prefix` (the stage's instructions up to the last
 * one the builder takes over). The copies of the `moved` ones are marked, so that what a rule finds
 * there, it found on the original lines.
 */
export function builderEdit(
  model: Dockerfile,
  stage: Stage,
  name: string,
  venv: boolean,
  prefix: readonly Instr[],
  moved: ReadonlySet<Instr>,
): TextEdit {
  const low = model.lowercaseKeywords;
  const { from } = stage;
  const eol = model.eol;
  const head = [
    builderFrom(low, text(model, from.image.range ?? from.argsRange), from.platform, name),
    ...(venv ? builderPrelude(low) : []),
  ];
  const copies: { at: number; from: number; length: number }[] = [];
  let at = head.join(eol).length;
  for (const ins of prefix) {
    at += eol.length;
    const length = linesOf(model, ins).length;
    if (moved.has(ins)) copies.push({ at, from: model.lines.lineStart(ins.line), length });
    at += length;
  }
  const lines = [...head, ...prefix.map((i) => linesOf(model, i))];
  return {
    ...insertAt(stageStart(model, stage), lines.join(eol) + eol + eol, {
      kind: 'builder',
      stage: stage.index,
      name,
      venv,
    }),
    copies,
  };
}

/**
 * Where a stage's text begins: its FROM, or the comments directly above it; but never above comments
 * that open the file (parser directives, a header), nor before a byte order mark.
 */
function stageStart(model: Dockerfile, stage: Stage): number {
  let line = stage.from.line;
  const comments = new Set(model.comments.map((c) => c.line));
  while (line > 0 && comments.has(line - 1)) line--;
  if (line === 0) line = stage.from.line;
  const at = model.lines.lineStart(line);
  return at === 0 && model.source.text.charCodeAt(0) === 0xfeff ? 1 : at;
}

/** A stage name no stage, `--from` or image uses: `build`, else `<kind>-build`, `<kind>-build-2` … */
export function builderName(model: Dockerfile, kind = 'venv'): string {
  const used = new Set<string>();
  for (const s of model.stages) {
    if (s.name) used.add(s.name.toLowerCase());
    used.add(s.from.image.text.toLowerCase());
    for (const i of s.instructions)
      if (i.kind === 'copy' || i.kind === 'add')
        for (const f of i.flags) if (f.name === 'from' && f.value) used.add(f.value.toLowerCase());
  }
  for (let n = 1; ; n++) {
    const name = n === 1 ? 'build' : n === 2 ? `${kind}-build` : `${kind}-build-${n - 1}`;
    if (!used.has(name)) return name;
  }
}

/** Installers and environments a virtual env would not hold, or would change. */
const OTHER_INSTALLERS = new Set([
  'pipx',
  'uv',
  'poetry',
  'pipenv',
  'pdm',
  'conda',
  'mamba',
  'micromamba',
  'easy_install',
]);

/** Why the stage's installs would not land in (or not only in) the builder's virtual env. */
function installersWhy(model: Dockerfile, stage: Stage): string | undefined {
  for (const inv of pipInstalls(model)) {
    if (inv.stage !== stage) continue;
    const at = `line ${inv.instr.line + 1}`;
    if (inv.tool !== 'pip') return `${inv.tool} installs on ${at}, outside pip's virtual env`;
    if (inv.command.name.value.includes('/'))
      return `${inv.command.name.value} is called by its path on ${at}: it would not install into the virtual env`;
    for (const [long, short] of [['--user'], ['--target', 't'], ['--prefix'], ['--root']])
      if (hasOption(inv, [long], short))
        return `pip install ${long} on ${at} puts packages outside the virtual env`;
    const env = buildEnvBefore(model, stage, inv.instr.range.start);
    for (const v of ['PIP_USER', 'PIP_TARGET', 'PIP_PREFIX', 'PIP_ROOT']) {
      const value = env.get(v);
      if (value && (v !== 'PIP_USER' || isTruthy(value)))
        return `${v} on ${at} puts packages outside the virtual env`;
    }
  }
  for (const ins of stage.instructions) {
    if (ins.kind === 'env' && ins.pairs.some((p) => p.name === 'VIRTUAL_ENV'))
      return `the stage sets VIRTUAL_ENV (line ${ins.line + 1}): it has a virtual env of its own`;
    if (ins.kind !== 'run') continue;
    for (const c of ins.script?.commands ?? []) {
      const tool = c.call?.tool ?? c.name.value;
      if (tool === 'venv' || tool === 'virtualenv')
        return `the stage makes a virtual env of its own (line ${ins.line + 1})`;
      if (OTHER_INSTALLERS.has(tool)) return `the stage installs with ${tool} too (line ${ins.line + 1})`;
      if (/^(?:.*\/)?python[\d.]*$/.test(c.name.value) && c.args[0]?.value === 'setup.py')
        return `the stage runs setup.py (line ${ins.line + 1}), outside pip`;
    }
  }
  for (const inv of model.callsOf(['apt-get', 'apt'])) {
    if (inv.stage !== stage || inv.sub?.value !== 'install') continue;
    const py = operands(inv).find((w) => /^python3?-(?!dev$|pip$|venv$)/.test(w.value));
    if (py)
      return `the stage installs ${py.value} with apt (line ${inv.instr.line + 1}), which the virtual env does not see`;
  }
  return undefined;
}

/**
 * An editable install (`-e`, on the command or in a requirements file) leaves files in the source
 * tree of the builder, which the runtime stage does not get.
 */
function editableWhy(model: Dockerfile, stage: Stage, files: ContextText): string | undefined {
  for (const inv of pipInstalls(model))
    if (inv.stage === stage && hasOption(inv, ['--editable'], 'e'))
      return `pip install -e on line ${inv.instr.line + 1} leaves files in the builder's source tree`;
  for (const { ref, file } of installedRequirements(model, files))
    if (ref.invocation.stage === stage && /^\s*(-e|--editable)[\s=]/m.test(files.read(file) ?? ''))
      return `${file} installs a package in editable mode, which leaves files in the builder's source tree`;
  return undefined;
}

/** Why the final stage, on the slim image with the virtual env first on PATH, would not run as before. */
function runtimeWhy(model: Dockerfile, stage: Stage, moved: ReadonlySet<Instr>): string | undefined {
  const missing = missingSlimTool(model, stage, moved);
  if (missing) return `${missing.where} runs ${missing.tool}, which the slim image does not have`;
  for (const ins of stage.instructions) {
    if (moved.has(ins)) continue;
    if (ins.kind === 'env') {
      const path = ins.pairs.find((p) => p.name === 'PATH');
      if (path && !/\$\{?PATH\b/.test(path.value ?? ''))
        return `the ENV on line ${ins.line + 1} sets PATH without the virtual env`;
    }
    if (!['run', 'cmd', 'entrypoint', 'shell', 'other'].includes(ins.kind)) continue;
    const python = /(?:^|[\s"'=;&|(])(\/usr\/(?:local\/)?bin\/python[\d.]*)(?=[\s"';&|)]|$)/.exec(
      text(model, ins.argsRange),
    );
    if (python)
      return `line ${ins.line + 1} runs ${python[1]} by its path, which does not see the virtual env`;
  }
  return undefined;
}

/** Why a stage's base keeps it from a split: not the official image `name`, or set by an ARG. */
export function splitBaseWhy(stage: Stage, name: string): string | undefined {
  const ref = stage.from.image.ref;
  if (!ref || ref.name !== name || !isOfficialImage(ref))
    return `only the official ${name} images are split into a builder and a runtime`;
  const arg = stage.from.image.template?.arg ?? stage.from.image.viaArg;
  if (arg) return `the base image comes from ARG ${arg}, which the builder stage would read too`;
  return undefined;
}
