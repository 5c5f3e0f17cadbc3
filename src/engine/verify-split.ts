import type { Dockerfile, Instr } from '../core/model';
import type { EditIntent } from './define-fixer';
import { workdirAt } from '../core/build-context';
import { isNpmInstall } from '../core/npm-specs';
import { builderPrelude, copied, DEBIAN_PACKAGE, nodeModulesLine, runtimeLines } from './venv-stage';

/**
 * The meaning check of a build split (slim-split.ts): a builder stage inserted before a stage, on
 * that stage's base image, that makes the virtual env and then runs copies of that stage's own
 * instructions, in their order; instructions taken out of the stage, each of which the builder
 * runs; and the runtime lines (the virtual env copied and put on PATH, the runtime libraries) that
 * the fix writes for that builder. Nothing else.
 */
type Builder = Extract<EditIntent, { kind: 'builder' }>;

interface Placed {
  readonly edit: {
    readonly range: { start: number; end: number };
    readonly text: string;
    readonly intent?: EditIntent;
  };
  readonly at: number;
}

const textOf = (m: Dockerfile, i: Instr) => m.source.text.slice(i.range.start, i.range.end);

/** The builders the edits insert, by name. */
export function declaredBuilders(edits: readonly Placed[]): Map<string, Builder> {
  const out = new Map<string, Builder>();
  for (const { edit } of edits) if (edit.intent?.kind === 'builder') out.set(edit.intent.name, edit.intent);
  return out;
}

/**
 * The original instructions the edits take out of their stage, with the builder that runs them
 * instead; or why an edit that says so takes out more, or less, than one whole instruction.
 */
export function movedInstructions(before: Dockerfile, edits: readonly Placed[]): Map<Instr, string> | string {
  const moved = new Map<Instr, string>();
  for (const { edit } of edits) {
    if (edit.intent?.kind !== 'moved') continue;
    const { start, end } = edit.range;
    const inside = before.instructions.filter((i) => i.range.start >= start && i.range.end <= end);
    const line = before.lines.positionAt(start).line;
    const { modules, builder } = edit.intent;
    // In the place of a node install: the builder's node_modules, in the folder the install ran in.
    const stage = inside[0] && before.stages[inside[0].stage];
    const replacement =
      modules === undefined
        ? ''
        : `${nodeModulesLine(before.lowercaseKeywords, builder, modules)}${before.eol}`;
    if (inside.length !== 1 || edit.text !== replacement)
      return `the edit on line ${line} moves other than one instruction`;
    if (modules !== undefined && (!stage || workdirAt(before, stage, inside[0].range.start) !== modules))
      return `the edit on line ${line} copies node_modules to another folder than the one npm installed in`;
    const npmInstall = (i: Instr) => i.kind === 'run' && before.callsIn({ instr: i }).some(isNpmInstall);
    if (modules !== undefined && !npmInstall(inside[0]))
      return `the edit on line ${line} puts node_modules in the place of other than an npm install`;
    const [ins] = inside;
    const rest =
      before.source.text.slice(start, ins.range.start) + before.source.text.slice(ins.range.end, end);
    if (rest.trim() !== '')
      return `the edit on line ${line} takes more than the instruction out of its stage`;
    moved.set(ins, edit.intent.builder);
  }
  return moved;
}

/**
 * Checks the instructions a builder or runtime edit inserted (`inserted`, in order) against its
 * intent. `moved` are the instructions taken out for the builders.
 */
export function checkSplitInsert(
  before: Dockerfile,
  after: Dockerfile,
  intent: Builder | Extract<EditIntent, { kind: 'runtime' }>,
  inserted: readonly Instr[],
  moved: ReadonlyMap<Instr, string>,
  builders: ReadonlyMap<string, Builder>,
): string | undefined {
  const low = before.lowercaseKeywords;
  if (intent.kind === 'runtime') {
    const builder = builders.get(intent.builder);
    if (!builder) return `the runtime lines copy from ${intent.builder}, a stage no fix inserted`;
    if (!builder.venv) return `the runtime lines copy a virtual env from ${intent.builder}, which makes none`;
    const bad = intent.packages.find((p) => !DEBIAN_PACKAGE.test(p));
    if (bad !== undefined)
      return `the runtime lines install ${JSON.stringify(bad)}, which is no package name`;
    const want = runtimeLines(low, intent.builder, intent.packages);
    const got = inserted.map((i) => textOf(after, i));
    if (got.join('\n') !== want.join('\n')) return 'the runtime lines are not the ones the split declares';
    // They stand in the stage the builder was made for, right after its FROM.
    const index = stageIndexAfter(builders)(builder.stage);
    if (inserted[0]?.stage !== index || after.stages[index]?.instructions[0] !== inserted[0])
      return 'the runtime lines do not open the stage the builder was made for';
    return undefined;
  }
  const stage = before.stages[intent.stage];
  const [from, ...rest] = inserted;
  if (!stage || from?.kind !== 'from') return 'the builder stage does not start with its FROM';
  if (
    from.stageName !== intent.name ||
    from.image.text !== stage.from.image.text ||
    from.platform !== stage.from.platform
  )
    return `the builder stage is not ${intent.name} on the base image and platform of stage ${stage.name ?? stage.index}`;
  const made = after.stages.find((s) => s.from === from);
  if (!made || made.instructions.length !== rest.length || made.instructions.some((i, k) => i !== rest[k]))
    return 'the builder stage holds instructions no fix declared';
  const prelude = intent.venv ? builderPrelude(low) : [];
  if (prelude.some((p, k) => rest[k] === undefined || textOf(after, rest[k]) !== p))
    return 'the builder stage does not make its virtual env first';
  // The rest: copies of the stage's instructions, in their order, every moved one among them.
  const copies = new Set<Instr>();
  let k = 0;
  for (const ins of rest.slice(prelude.length)) {
    const text = textOf(after, ins);
    while (k < stage.instructions.length && textOf(before, stage.instructions[k]) !== text) k++;
    if (k === stage.instructions.length)
      return `the builder stage runs \`${text.slice(0, 60)}\`, which stage ${stage.name ?? stage.index} does not`;
    copies.add(stage.instructions[k++]);
  }
  const mine = [...moved].filter(([, builder]) => builder === intent.name).map(([ins]) => ins);
  for (const ins of mine)
    if (!copies.has(ins))
      return `the ${ins.keyword.toUpperCase()} on line ${ins.line + 1} leaves its stage, but the builder does not run it`;
  // And all of them: every instruction that can change what a RUN sees, up to the last one moved.
  const last = Math.max(...mine.map((i) => i.range.start));
  const left = stage.instructions.find((i) => copied(i) && i.range.start <= last && !copies.has(i));
  if (left)
    return `the builder stage leaves out the ${left.keyword.toUpperCase()} on line ${left.line + 1}, which runs before what it builds`;
  return undefined;
}

/** The index in the rewritten file of each original stage, builders inserted before theirs. */
export function stageIndexAfter(builders: ReadonlyMap<string, Builder>): (i: number) => number {
  const at = [...builders.values()].map((b) => b.stage);
  return (i) => i + at.filter((s) => s <= i).length;
}
