import type { CopyInstr, Dockerfile, Invocation, Stage, Word } from './model';
import { pipInstalls } from './pip-installs';

/** A requirements file that `pip install -r` names, traced back to the build context. */
export interface RequirementsRef {
  readonly invocation: Invocation;
  readonly word: Word;
  /** Path inside the build context (forward slashes, no leading `./`). */
  readonly contextPath: string;
}

function normalise(p: string): string {
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out.join('/');
}

/** Joins a path relative to a directory of the build context; never climbs above the context root. */
export function joinContextPath(dir: string, rel: string): string {
  return normalise(`${dir}/${rel}`);
}

function absolute(path: string, workdir: string): string {
  return `/${normalise(path.startsWith('/') ? path : `${workdir}/${path}`)}`;
}

/** WORKDIR in effect before an offset, following the stages a stage builds on. */
export function workdirAt(model: Dockerfile, stage: Stage, offset: number): string {
  let dir =
    stage.from.baseStage !== undefined ? workdirAt(model, model.stages[stage.from.baseStage], Infinity) : '/';
  for (const ins of stage.instructions) {
    if (ins.range.start >= offset) break;
    if (ins.kind === 'workdir' && ins.words[0]) dir = absolute(ins.words[0].value, dir);
  }
  return dir;
}

/** Values of ARG (defaults) and ENV a stage has set before an offset, global ARG defaults included. */
function variablesAt(model: Dockerfile, stage: Stage, offset: number): Map<string, string> {
  const vars = new Map<string, string>();
  for (const arg of model.globalArgs)
    for (const p of arg.pairs) if (p.value !== undefined) vars.set(p.name, p.value);
  for (const ins of stage.instructions) {
    if (ins.range.start >= offset) break;
    if (ins.kind === 'arg' || ins.kind === 'env')
      for (const p of ins.pairs) if (p.value !== undefined) vars.set(p.name, p.value);
  }
  return vars;
}

/** Expands `$NAME` and `${NAME}` from known values; undefined when one is unknown. */
function expand(text: string, vars: Map<string, string>): string | undefined {
  let unknown = false;
  const out = text.replace(/\$(?:\{([A-Za-z_]\w*)\}|([A-Za-z_]\w*))/g, (m, a: string, b: string) => {
    const v = vars.get(a ?? b);
    if (v === undefined) unknown = true;
    return v ?? m;
  });
  return unknown ? undefined : out;
}

/** `*requirements.txt` → a regular expression for one path component. */
function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|\\]/g, '\\$&')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]');
  return new RegExp(`^${body}$`);
}

/** Where a file at `imagePath` came from in the build context, reading the stage's COPY/ADD backwards. */
function contextPathOf(
  model: Dockerfile,
  stage: Stage,
  offset: number,
  imagePath: string,
): string | undefined {
  // One walk over the stage gives each COPY the variables and WORKDIR it sees.
  const copies: { copy: CopyInstr; vars: Map<string, string>; workdir: string }[] = [];
  const vars = new Map<string, string>();
  for (const arg of model.globalArgs)
    for (const p of arg.pairs) if (p.value !== undefined) vars.set(p.name, p.value);
  let workdir = workdirAt(model, stage, stage.from.range.start);
  for (const ins of stage.instructions) {
    if (ins.range.start >= offset) break;
    if (ins.kind === 'arg' || ins.kind === 'env')
      for (const p of ins.pairs) if (p.value !== undefined) vars.set(p.name, p.value);
    if (ins.kind === 'workdir' && ins.words[0]) workdir = absolute(ins.words[0].value, workdir);
    if ((ins.kind === 'copy' || ins.kind === 'add') && !ins.flags.some((f) => f.name === 'from'))
      copies.push({ copy: ins, vars: new Map(vars), workdir });
  }
  for (const { copy, vars, workdir: dir } of copies.reverse()) {
    if (!copy.dest || copy.sources.length === 0) continue;
    const destRaw = expand(copy.dest.value, vars);
    if (destRaw === undefined) continue;
    const dest = absolute(destRaw, dir);
    const destIsDir = destRaw.endsWith('/') || destRaw === '.' || copy.sources.length > 1;
    for (const src of copy.sources) {
      const srcValue = expand(src.value, vars);
      if (srcValue === undefined) continue;
      const source = normalise(srcValue);
      const isDir = source === '' || srcValue.endsWith('/');
      if (/[*?]/.test(source)) {
        // A glob copies every match into the destination directory.
        const name = imagePath.slice(dest.length + (dest === '/' ? 0 : 1));
        const dirPart = source.includes('/') ? source.slice(0, source.lastIndexOf('/') + 1) : '';
        const pattern = globToRegExp(source.slice(dirPart.length));
        if (imagePath === absolute(name, dest) && !name.includes('/') && pattern.test(name))
          return `${dirPart}${name}`;
        continue;
      }
      if (isDir || !/\.[A-Za-z0-9]+$/.test(source)) {
        if (imagePath.startsWith(`${dest === '/' ? '' : dest}/`)) {
          const rest = imagePath.slice(dest === '/' ? 1 : dest.length + 1);
          return normalise(source === '' ? rest : `${source}/${rest}`);
        }
      }
      const base = source.split('/').pop() ?? source;
      if (destIsDir && imagePath === absolute(base, dest)) return source;
      if (!destIsDir && imagePath === dest) return source;
    }
  }
  return undefined;
}

/** `pip install -r X` (and `--requirement X`, `-rX`, `--requirement=X`) traced to files in the build context. */
/** The requirements files pip (or uv) installs from, with where they come from in the build context. */
export function requirementsRefs(model: Dockerfile): RequirementsRef[] {
  const refs: RequirementsRef[] = [];
  for (const inv of pipInstalls(model, true)) {
    if (!inv.stage) continue;
    // `uv pip sync a.txt b.txt` installs exactly the files it names.
    const sync = inv.sub?.value === 'sync';
    for (let i = sync ? inv.subIndex + 1 : 0; i < inv.args.length; i++) {
      const v = inv.args[i].value;
      let word: Word | undefined;
      let file: string | undefined;
      if (sync && !v.startsWith('-')) {
        word = inv.args[i];
        file = v;
      } else if ((v === '-r' || v === '--requirement' || v === '--requirements') && inv.args[i + 1]) {
        word = inv.args[i + 1];
        file = word.value;
      } else if (/^(-r|--requirements?=)\S/.test(v)) {
        word = inv.args[i];
        file = v.replace(/^(-r|--requirements?=)/, '');
      }
      const expanded =
        word && file ? expand(file, variablesAt(model, inv.stage, inv.instr.range.start)) : undefined;
      if (!word || !expanded) continue;
      const imagePath = absolute(expanded, workdirAt(model, inv.stage, inv.instr.range.start));
      const contextPath = contextPathOf(model, inv.stage, inv.instr.range.start, imagePath);
      if (contextPath) refs.push({ invocation: inv, word, contextPath });
    }
  }
  return refs;
}

/**
 * Where a file a stage ends up with at `imagePath` (absolute, or relative to the stage's last
 * WORKDIR) came from in the build context, if a COPY or ADD of the stage put it there.
 */
export function contextSourceOf(model: Dockerfile, stage: Stage, imagePath: string): string | undefined {
  if (imagePath.includes('$')) return undefined;
  return contextPathOf(model, stage, Infinity, absolute(imagePath, workdirAt(model, stage, Infinity)));
}
