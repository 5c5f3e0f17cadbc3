import type { Dockerfile, ExecInstr, RunInstr } from '../core/model';
import { joinedText } from '../core/segments';
import type { Shape, ShapeCommand, ShapeList } from '../core/shell-shape';
import type { TextEdit } from './define-fixer';

/**
 * Compares the shape of a RUN body before and after a rewrite (see core/shell-shape.ts): every
 * original command must still be there, in order, in the same place of the shell's structure, with
 * its words in order; what differs must be an edit a fix declared.
 */
export interface ShellEdits {
  /** Commands a fix appends (`&& rm -rf /var/lib/apt/lists/*`); `tool` is the command it cleans up after. */
  readonly appended: readonly { readonly command: string; readonly tool?: string }[];
  /** Commands a fix puts before another one, joined by `&&`. */
  readonly prepended: readonly string[];
  /** Words a fix adds to a command (`-y`, `--no-install-recommends`). */
  readonly options: ReadonlySet<string>;
  /** Words a fix rewrites: the word as the shell reads it before → after (`curl` → `curl=7.88.1-10`). */
  readonly words: ReadonlyMap<string, ReadonlySet<string>>;
}

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

const asList = (s: Shape): ShapeList => (s.k === 'list' ? s : { k: 'list', src: s.src, items: [s], ops: [] });

/** The names of the commands an and-or list runs directly (in a pipeline or a redirection, not deeper). */
function directNames(list: ShapeList): Set<string> {
  const names = new Set<string>();
  const visit = (s: Shape) => {
    if (s.k === 'cmd') names.add(s.words[0]);
    else if (s.k === 'node' && (s.type === 'pipeline' || s.type === 'redirected_statement'))
      s.kids.forEach(visit);
  };
  list.items.forEach(visit);
  return names;
}

class Mismatch {
  constructor(readonly reason: string) {}
}

function differ(before: Shape): never {
  throw new Mismatch(`the rewrite changes where \`${squash(before.src).slice(0, 80)}\` runs`);
}

export function compareShapes(before: Shape, after: Shape, edits: ShellEdits): string | undefined {
  try {
    new Comparison(edits).same(before, after, []);
    return undefined;
  } catch (e) {
    if (e instanceof Mismatch) return e.reason;
    throw e;
  }
}

class Comparison {
  constructor(private readonly edits: ShellEdits) {}

  /**
   * `topNames` is set for the program's statements: the commands the statements up to this one run
   * directly. An appended command may close a top-level list, or a nested one that runs its tool.
   */
  same(b: Shape, a: Shape, topNames: string[] | undefined, top = false): void {
    if (b.k === 'list' || a.k === 'list') return this.lists(asList(b), asList(a), top ? topNames : undefined);
    if (b.k !== a.k) differ(b);
    if (b.k === 'cmd') return this.commands(b, a as ShapeCommand);
    if (b.k === 'leaf') {
      if (a.k !== 'leaf' || a.text !== b.text) differ(b);
      return;
    }
    if (a.k !== 'node' || a.type !== b.type || a.kids.length !== b.kids.length) differ(b);
    const isProgram = b.type === 'program';
    const names: string[] = [];
    // Only the last statement of the program takes an appended command, and not when it runs in
    // the background (`a &`).
    const lastStatement = b.kids.reduce((at, kid, i) => (kid.k !== 'leaf' ? i : at), -1);
    const background =
      isProgram && b.kids.some((k, i) => i > lastStatement && k.k === 'leaf' && k.text === '&');
    b.kids.forEach((kid, i) => {
      if (isProgram && kid.k !== 'leaf') names.push(...directNames(asList(kid)));
      const top = isProgram && i === lastStatement && !background;
      this.same(kid, a.kids[i], top ? names : undefined, top);
    });
  }

  private lists(b: ShapeList, a: ShapeList, topNames: string[] | undefined): void {
    let bi = 0;
    /** The operator that joins the next original item to the one before it: a prepended command goes between. */
    let link: string | undefined | null = null;
    for (let ai = 0; ai < a.items.length; ai++) {
      const item = a.items[ai];
      const opBefore = ai > 0 ? a.ops[ai - 1] : undefined;
      const joined = link !== null ? link : opBefore;
      link = null;
      if (
        bi < b.items.length &&
        this.matches(b.items[bi], item) &&
        joined === (bi > 0 ? b.ops[bi - 1] : undefined)
      ) {
        bi++;
        continue;
      }
      const text = squash(item.src);
      if (bi === b.items.length && opBefore === '&&') {
        // At the top level after what ran before; in a nested list only beside the tool it cleans up after.
        const names = topNames ?? [...directNames(b)];
        const ok = this.edits.appended.some(
          (e) =>
            squash(e.command) === text &&
            (e.tool === undefined ? topNames !== undefined : names.includes(e.tool)),
        );
        if (ok) continue;
        if (this.edits.appended.some((e) => squash(e.command) === text))
          throw new Mismatch(
            `\`${text.slice(0, 80)}\` would run where what it cleans up after does not run directly (in a branch, or by another name)`,
          );
      }
      const opAfter = ai < a.ops.length ? a.ops[ai] : undefined;
      // A prepended command: in a top-level list that stops at its first failure, so that what
      // follows runs only when it succeeded and nothing runs in its place when it fails.
      if (
        bi < b.items.length &&
        topNames !== undefined &&
        b.ops.every((op) => op === '&&') &&
        (opBefore === undefined || opBefore === '&&') &&
        opAfter === '&&' &&
        this.edits.prepended.some((p) => squash(p) === text)
      ) {
        link = opBefore;
        continue;
      }
      if (bi < b.items.length) this.same(b.items[bi], item, undefined);
      throw new Mismatch(`the rewrite adds \`${text.slice(0, 80)}\`, which no fix declared there`);
    }
    if (bi < b.items.length) differ(b.items[bi]);
  }

  private matches(b: Shape, a: Shape): boolean {
    try {
      this.same(b, a, undefined);
      return true;
    } catch (e) {
      if (e instanceof Mismatch) return false;
      throw e;
    }
  }

  private commands(b: ShapeCommand, a: ShapeCommand): void {
    const eq = (x: readonly string[], y: readonly string[]) =>
      x.length === y.length && x.every((v, i) => v === y[i]);
    if (!eq(b.assigns, a.assigns) || !eq(b.redirects, a.redirects)) differ(b);
    let bi = 0;
    for (const word of a.words) {
      const was = b.words[bi];
      if (was !== undefined && (word === was || this.edits.words.get(was)?.has(word))) bi++;
      else if (bi > 0 && this.edits.options.has(word)) continue;
      else
        throw new Mismatch(
          `the rewrite changes the words of \`${squash(b.src).slice(0, 80)}\` beyond the declared edits`,
        );
    }
    if (bi < b.words.length) differ(b);
  }
}

/** What the edits inside a RUN allow its script to differ by. */
export function shellEdits(edits: readonly TextEdit[]): ShellEdits {
  const appended: { command: string; tool?: string }[] = [];
  const prepended: string[] = [];
  const options = new Set<string>();
  const words = new Map<string, Set<string>>();
  for (const { intent } of edits) {
    if (intent?.kind === 'append') appended.push(intent);
    else if (intent?.kind === 'prepend') prepended.push(intent.command);
    else if (intent?.kind === 'option') options.add(intent.word);
    else if (intent?.kind === 'word') {
      const to = words.get(intent.from) ?? new Set<string>();
      to.add(intent.to);
      words.set(intent.from, to);
    }
  }
  return { appended, prepended, options, words };
}

/** The shell texts of a shell-form RUN, CMD or ENTRYPOINT: its body, or a heredoc's head and script. */
export function bodies(model: Dockerfile, ins: RunInstr | ExecInstr): string[] {
  const text = model.source.text;
  const flags = ins.kind === 'run' ? ins.flags : [];
  const start = flags.length > 0 ? flags[flags.length - 1].range.end : ins.argsRange.start;
  const script = ins.script;
  if (script?.heredoc) {
    const lineEnd = text.indexOf('\n', start);
    const head = text.slice(start, lineEnd < 0 || lineEnd > ins.argsRange.end ? ins.argsRange.end : lineEnd);
    return [head, text.slice(script.range.start, script.range.end)];
  }
  // The script's own end: a heredoc the line opens (as data) is not shell text.
  const end = script ? Math.max(start, script.range.end) : ins.argsRange.end;
  return [joinedText(text, start, end, model.escapeChar)];
}
