import { addOnlyCopies } from '../core/add-instrs';
import type { Dockerfile, ExecInstr, Instr, RunInstr, Word } from '../core/model';
import type { ShellParser } from '../core/parse-shell';
import { activeShell } from '../core/shell-commands';
import type { Shape } from '../core/shell-shape';
import type { EditIntent, TextEdit } from './define-fixer';
import { checkSplitInsert, declaredBuilders, movedInstructions, stageIndexAfter } from './verify-split';
import { bodies, compareShapes, shellEdits } from './verify-shell';
import { compareProbe, sameExecWords } from './verify-probe';
import { compareMerged, mergedRuns } from './verify-merge';
import { isShellBuiltin } from '../core/shell-builtins';

/**
 * The meaning check of a rewrite: the new Dockerfile does what the old one did, but for what its
 * edits declare (their intents). Instructions are paired through the edits; an inserted instruction
 * must start a line of its own; each changed instruction is compared by what it means (a RUN by the
 * shape of its shell script, see verify-shell.ts). Returns the reason when the rewrite fails.
 */
export interface PlacedEdit {
  readonly edit: TextEdit;
  /** Where the edit's text starts in the new text. */
  readonly at: number;
}

export function verifyMeaning(
  before: Dockerfile,
  after: Dockerfile,
  placed: readonly PlacedEdit[],
  shell: ShellParser,
): string | undefined {
  const edits = placed.filter((p) => p.edit.file === undefined);
  const line = (offset: number) => before.lines.positionAt(offset).line;
  const undeclared = edits.find((p) => !p.edit.intent);
  if (undeclared) return `the edit on line ${line(undeclared.edit.range.start)} declares no intent`;

  // Instructions are paired by where the edits move their first character.
  const mapStart = (o: number): number => {
    let delta = 0;
    for (const { edit: e, at } of edits) {
      const { start, end } = e.range;
      if (start > o) break;
      if (end <= o) delta += e.text.length - (end - start);
      else return at;
    }
    return o + delta;
  };
  const afterAt = new Map(after.instructions.map((i) => [i.range.start, i]));
  const paired = new Set<Instr>();
  // Instructions a build split moves to its builder stage have no place of their own (verify-split.ts).
  const moved = movedInstructions(before, edits);
  if (typeof moved === 'string') return moved;
  // RUNs a join absorbs into the RUN before them (verify-merge.ts).
  const merges = mergedRuns(before, edits);
  if (typeof merges === 'string') return merges;
  const absorbed = new Set<Instr>(merges.values());
  for (const b of before.instructions) {
    if (moved.has(b) || absorbed.has(b)) continue;
    const a = afterAt.get(mapStart(b.range.start));
    if (!a)
      return `the ${b.keyword.toUpperCase()} on line ${b.line + 1} is no longer an instruction of its own`;
    paired.add(a);
    const next = merges.get(b);
    const reason =
      b.kind === 'run' && next
        ? compareMerged(before, after, b, next, a, [...within(edits, b), ...within(edits, next)], shell)
        : compareInstr(before, after, b, a, within(edits, b), shell);
    if (reason) return `line ${b.line + 1}: ${reason}`;
  }
  // Every other instruction was inserted, on lines of its own, as many as the edits declare.
  let inserted = 0;
  const builders = declaredBuilders(edits);
  const lost = [...moved].find(([, builder]) => !builders.has(builder));
  if (lost)
    return `the ${lost[0].keyword.toUpperCase()} on line ${lost[0].line + 1} moves to ${lost[1]}, a stage no fix inserts`;
  for (const { edit: e, at } of edits) {
    const intent = e.intent;
    const span = () =>
      after.instructions.filter(
        (i) => !paired.has(i) && i.range.start >= at && i.range.end <= at + e.text.length,
      );
    if (intent?.kind === 'builder' || intent?.kind === 'runtime') {
      const made = span();
      const reason = checkSplitInsert(before, after, intent, made, moved, builders);
      if (reason) return `line ${line(e.range.start)}: ${reason}`;
      inserted += made.length;
      continue;
    }
    if (intent?.kind === 'moved' && intent.modules !== undefined) {
      // The COPY of node_modules in the install's place (its text checked in movedInstructions),
      // from a builder that installs without a virtual env.
      if (builders.get(intent.builder)?.venv !== false)
        return `line ${line(e.range.start)}: node_modules comes from ${intent.builder}, a builder with a virtual env`;
      const made = span();
      if (made.length !== 1 || made[0].kind !== 'copy')
        return `line ${line(e.range.start)}: the COPY of node_modules does not stand on a line of its own`;
      inserted += 1;
      continue;
    }
    if (intent?.kind !== 'lines' || intent.count === 0) continue;
    const n = span().length;
    if (n !== intent.count)
      return `the instructions inserted at line ${line(e.range.start)} do not stand on lines of their own (a continuation reaches them)`;
    inserted += n;
  }
  if (paired.size + inserted !== after.instructions.length)
    return 'an instruction appeared that no fix declared';
  return stageImages(before, after, edits, stageIndexAfter(builders), builders.size);
}

/** The edits inside an instruction (lines and stages inserted at its edge aside). */
function within(edits: readonly PlacedEdit[], ins: Instr): TextEdit[] {
  return edits
    .map((p) => p.edit)
    .filter(
      (e) =>
        e.range.start >= ins.range.start &&
        e.range.end <= ins.range.end &&
        !(e.intent?.kind === 'lines' && e.intent.count > 0) &&
        e.intent?.kind !== 'builder' &&
        e.intent?.kind !== 'runtime',
    );
}

const has = (edits: readonly TextEdit[], kind: EditIntent['kind']) =>
  edits.some((e) => e.intent?.kind === kind);

function compareInstr(
  before: Dockerfile,
  after: Dockerfile,
  b: Instr,
  a: Instr,
  edits: readonly TextEdit[],
  shell: ShellParser,
): string | undefined {
  const textB = before.source.text.slice(b.range.start, b.range.end);
  const textA = after.source.text.slice(a.range.start, a.range.end);
  if (textB === textA) return undefined;
  const kwB = b.keyword.toUpperCase();
  const kwA = a.keyword.toUpperCase();
  if (kwB !== kwA) {
    if (!edits.some((e) => e.intent?.kind === 'keyword' && e.intent.to === kwA))
      return `${kwB} became ${kwA}, which no fix declared`;
    if (b.kind === 'add' && !addOnlyCopies(b))
      return 'ADD became COPY, but ADD fetched or unpacked something';
    return undefined;
  }
  if (b.kind === 'onbuild' && a.kind === 'onbuild') {
    if (!b.trigger || !a.trigger) return 'the ONBUILD trigger no longer reads';
    return compareInstr(before, after, b.trigger, a.trigger, edits, shell);
  }
  if (b.kind === 'run' && a.kind === 'run') return compareRun(before, after, b, a, edits, shell);
  if ((b.kind === 'cmd' || b.kind === 'entrypoint') && a.kind === b.kind)
    return compareExec(before, after, b, a, edits, shell);
  if (b.kind === 'from' && a.kind === 'from') {
    if (b.stageName !== a.stageName || b.platform !== a.platform) return 'the stage name or platform changed';
    return has(edits, 'image') ? undefined : 'the base image changed, which no fix declared';
  }
  if (b.kind === 'other' && a.kind === 'other' && (b.healthcheck || a.healthcheck))
    return compareProbe(before, after, b, a, edits);
  return edits.length > 0 ? undefined : `the ${kwB} changed, which no fix declared`;
}

function compareScripts(
  before: Dockerfile,
  after: Dockerfile,
  b: RunInstr | ExecInstr,
  a: RunInstr | ExecInstr,
  edits: readonly TextEdit[],
  shell: ShellParser,
): string | undefined {
  const bb = bodies(before, b);
  const ab = bodies(after, a);
  if (bb.length !== ab.length) return 'the script no longer reads the same way (heredoc)';
  const allowed = shellEdits(edits);
  for (let i = 0; i < bb.length; i++) {
    if (bb[i] === ab[i]) continue;
    const reason = compareShapes(shell.shape(bb[i]), shell.shape(ab[i]), allowed);
    if (reason) return reason;
  }
  return undefined;
}

/**
 * Edits of a RUN that opens a heredoc must stay in the text its script reads: the first line, and
 * the heredoc's content when the RUN runs it as a script. Heredoc data, and lines the model does
 * not read as shell, take no edit.
 */
function outsideShell(model: Dockerfile, b: RunInstr, edits: readonly TextEdit[]): string | undefined {
  const text = model.source.text;
  const args = text.slice(b.argsRange.start, b.argsRange.end);
  if (!/(^|[^<])<<(?!<)/.test(args)) return undefined;
  const lineEnd = text.indexOf('\n', b.argsRange.start);
  const headEnd = lineEnd < 0 || lineEnd > b.argsRange.end ? b.argsRange.end : lineEnd;
  const script = b.script;
  const content = script?.heredoc ? script.range : undefined;
  for (const e of edits) {
    const inHead = e.range.end <= headEnd;
    const inContent = content !== undefined && e.range.start >= content.start && e.range.end <= content.end;
    if (!inHead && !inContent) return 'an edit lands in heredoc data or in lines the script does not read';
  }
  return undefined;
}

/** An option or package name with no character the shell reads as syntax. */
const PLAIN_WORD = /^[A-Za-z0-9_.:=+@/,~%-]+$/;
/** A version appended to a package word: `=7.88.1-10+deb12u15`, `==3.0.3`, `~8.5`, `@v1.2.3`. */
const PLAIN_SUFFIX = /^[=~@:]=?[A-Za-z0-9_.:+~@-]*$/;
/** An appended clean-up command: plain words and a `*` glob. */
const PLAIN_COMMAND = /^[A-Za-z0-9_./*:=@+-]+(?: [A-Za-z0-9_./*:=@+-]+)*$/;

/**
 * The common edits proven from the original's own reading (its words and top-level statements,
 * whose ranges tests hold to tree-sitter's), without reading the scripts' shapes: a plain option
 * inserted after a word of a command, a plain version appended to the declared word, and a plain
 * command appended with `&&` right after the last top-level statement, which opens no heredoc and
 * runs in the foreground (and, for a tool's clean-up, runs that tool as a step by that name). A
 * plain token inserted at a word's end can only extend that word or add one after it. Anything
 * else is compared by shape.
 */
function provenByModel(model: Dockerfile, b: RunInstr, edits: readonly TextEdit[]): boolean {
  const script = b.script;
  if (!script || script.hasError || edits.length === 0) return false;
  const ends = new Map<number, { value: string }>();
  for (const c of script.commands) for (const w of [c.name, ...c.args]) ends.set(w.range.end, w);
  const last = script.statements[script.statements.length - 1];
  const text = model.source.text;
  for (const e of edits) {
    const { intent } = e;
    const at = e.range.start;
    if (e.range.end !== at || !intent) return false;
    if (intent.kind === 'option') {
      if (!ends.has(at) || e.text !== ` ${intent.word}` || !PLAIN_WORD.test(intent.word)) return false;
    } else if (intent.kind === 'word') {
      const w = ends.get(at);
      if (!w || w.value !== intent.from || intent.to !== w.value + e.text || !PLAIN_SUFFIX.test(e.text))
        return false;
    } else if (intent.kind === 'append') {
      if (
        !last ||
        last.end !== at ||
        e.text !== ` && ${intent.command}` ||
        !PLAIN_COMMAND.test(intent.command)
      )
        return false;
      if (/<</.test(text.slice(last.start, last.end))) return false;
      if (/&(?!&)/.test(text.slice(last.end, Math.max(last.end, script.range.end)))) return false;
      if (
        intent.tool !== undefined &&
        !script.commands.some((c) => !c.nested && c.name.value === intent.tool)
      )
        return false;
    } else return false;
  }
  return true;
}

/** Exec-form words as the one simple command they run. */
function jsonShape(words: readonly Word[]): Shape {
  const values = words.map((w) => w.value);
  return { k: 'cmd', src: values.join(' '), words: values, assigns: [], redirects: [] };
}

function compareRun(
  before: Dockerfile,
  after: Dockerfile,
  b: RunInstr,
  a: RunInstr,
  edits: readonly TextEdit[],
  shell: ShellParser,
): string | undefined {
  const flagText = (m: Dockerfile, r: RunInstr) =>
    r.flags.map((f) => m.source.text.slice(f.range.start, f.range.end));
  if (flagText(before, b).join(' ') !== flagText(after, a).join(' ')) return "the RUN's flags changed";
  if (b.form !== a.form) return 'the RUN changed form';
  const outside = outsideShell(before, b, edits);
  if (outside) return outside;
  if (b.form === 'shell')
    return provenByModel(before, b, edits) ? undefined : compareScripts(before, after, b, a, edits, shell);
  const [cb] = b.script?.commands ?? [];
  const [ca] = a.script?.commands ?? [];
  if (!cb || !ca) return 'the exec-form RUN no longer reads';
  return compareShapes(jsonShape([cb.name, ...cb.args]), jsonShape([ca.name, ...ca.args]), shellEdits(edits));
}

/**
 * CMD and ENTRYPOINT: in exec form only what the shell form ran as one simple command with literal
 * words and no builtin (`exec X …` runs X: the `exec` goes); otherwise compared as scripts.
 */
function compareExec(
  before: Dockerfile,
  after: Dockerfile,
  b: ExecInstr,
  a: ExecInstr,
  edits: readonly TextEdit[],
  shell: ShellParser,
): string | undefined {
  if (b.form === a.form) {
    if (b.form === 'shell') return compareScripts(before, after, b, a, edits, shell);
    return compareShapes(jsonShape(b.json), jsonShape(a.json), shellEdits(edits));
  }
  if (b.form !== 'shell' || !has(edits, 'exec-form'))
    return `${b.keyword.toUpperCase()} changed form, which no fix declared`;
  const script = b.script;
  const cmd = script?.commands[0];
  if (!script || !cmd || script.hasError || script.commands.length !== 1 || script.pipelines.length > 0)
    return 'exec form for a shell command with operators, pipes or several commands';
  if (cmd.nested || cmd.range.start !== script.range.start || script.statements.length !== 1)
    return 'exec form for a compound command';
  // `["/bin/sh", "-c", "exec X …"]`: the same shell runs the same command, as its replacement.
  const runs = activeShell(before, b);
  const json = a.json.map((w) => w.value);
  if (json.length === runs.length + 1 && runs.every((s, i) => json[i] === s)) {
    const [body] = bodies(before, b);
    const was = shell.shape(/^exec\s/.test(body.trim()) ? body : `exec ${body}`);
    const reason = compareShapes(was, shell.shape(json[json.length - 1]), shellEdits([]));
    return reason && `the exec form's script differs: ${reason}`;
  }
  if (
    cmd.range.start !== script.range.start ||
    cmd.range.end !== script.range.end ||
    cmd.assignments.length > 0
  )
    return 'exec form for a shell command with redirections or assignments';
  let words = [cmd.name, ...cmd.args];
  if (words.some((w) => !w.literal)) return 'exec form for words that need a shell';
  if (words[0].value === 'exec' && words.length > 1 && !words[1].value.startsWith('-'))
    words = words.slice(1);
  if (isShellBuiltin(words[0].value)) return `exec form for the shell builtin ${words[0].value}`;
  return sameExecWords(words, a.json);
}

/**
 * A stage whose base image changed (through its FROM or an ARG) must be one an edit declares. Stage
 * `i` of the original is stage `indexAfter(i)` of the rewrite, which has `builders` more.
 */
function stageImages(
  before: Dockerfile,
  after: Dockerfile,
  edits: readonly PlacedEdit[],
  indexAfter: (i: number) => number,
  builders: number,
): string | undefined {
  if (before.stages.length + builders !== after.stages.length) return 'the number of stages changed';
  const declared = new Set<number>();
  for (const { edit } of edits)
    if (edit.intent?.kind === 'image') edit.intent.stages.forEach((s) => declared.add(s));
  for (let i = 0; i < before.stages.length; i++) {
    const now = after.stages[indexAfter(i)];
    if (before.stages[i].name !== now.name) return `stage ${i} changed its name`;
    if (before.stages[i].from.image.text !== now.from.image.text && !declared.has(i))
      return `the base image of stage ${i} (${before.stages[i].from.image.text}) changed, which no fix declared`;
  }
  return undefined;
}
