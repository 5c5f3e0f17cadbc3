import type { Command } from './model';

/**
 * The structure of a shell script as the shell runs it: and-or lists (flattened), pipelines,
 * redirections, compound commands and their branches, down to each simple command's words. Two
 * scripts with the same shape run the same commands in the same places. Read only where a rewrite
 * is checked (see engine/verify-shell.ts); `src` is each node's text, for messages and for
 * recognising a declared added command.
 */
export type Shape = ShapeList | ShapeCommand | ShapeNode | ShapeLeaf;

/** `a && b || c`: the items in order and the operator before each one after the first. */
export interface ShapeList {
  readonly k: 'list';
  readonly src: string;
  readonly items: readonly Shape[];
  readonly ops: readonly string[];
}

/** A simple command: its words after quote removal, its assignments and its redirections. */
export interface ShapeCommand {
  readonly k: 'cmd';
  readonly src: string;
  readonly words: readonly string[];
  readonly assigns: readonly string[];
  readonly redirects: readonly string[];
}

/** Any other syntax (program, pipeline, subshell, if, case, loop, redirected statement…). */
export interface ShapeNode {
  readonly k: 'node';
  readonly src: string;
  readonly type: string;
  readonly kids: readonly Shape[];
}

/** A token or a word outside a simple command. */
export interface ShapeLeaf {
  readonly k: 'leaf';
  readonly src: string;
  readonly text: string;
}

/** The shape of one simple command, from the command the parsers read. */
export function commandShape(c: Command, src: string, redirects: readonly string[]): ShapeCommand {
  return {
    k: 'cmd',
    src,
    words: [c.name.value, ...c.args.map((w) => w.value)],
    assigns: c.assignments.map((a) => `${a.name}=${a.value}`),
    redirects,
  };
}

/**
 * The shape of a plain body (see plain-shell.ts) from its commands, read in order, and the operators
 * between them: the tree tree-sitter-bash builds for the same text, node for node.
 */
export function plainShape(text: string, commands: readonly Command[], ops: readonly string[]): Shape {
  const src = (c: Command) => text.slice(c.range.start, c.range.end);
  const statements: Shape[] = [];
  let list: { items: Shape[]; ops: string[]; start: number } | undefined;
  let pipe: Command[] = [];
  const endPipe = () => {
    const item: Shape =
      pipe.length === 1
        ? commandShape(pipe[0], src(pipe[0]), [])
        : {
            k: 'node',
            type: 'pipeline',
            src: text.slice(pipe[0].range.start, pipe[pipe.length - 1].range.end),
            kids: pipe.flatMap((c, i) => {
              const cmd = commandShape(c, src(c), []);
              return i === 0 ? [cmd] : [{ k: 'leaf', src: '|', text: '|' } as const, cmd];
            }),
          };
    const start = pipe[0].range.start;
    const end = pipe[pipe.length - 1].range.end;
    pipe = [];
    list ??= { items: [], ops: [], start };
    list.items.push(item);
    return end;
  };
  const endStatement = (end: number) => {
    if (!list) return;
    const { items, ops: listOps, start } = list;
    statements.push(
      items.length === 1 ? items[0] : { k: 'list', src: text.slice(start, end), items, ops: listOps },
    );
    list = undefined;
  };
  commands.forEach((c, i) => {
    pipe.push(c);
    const op = ops[i];
    if (op === '|') return;
    const end = endPipe();
    if (op === '&&' || op === '||') list!.ops.push(op);
    else endStatement(end);
  });
  const kids: Shape[] = [];
  statements.forEach((s, i) => {
    if (i > 0) kids.push({ k: 'leaf', src: ';', text: ';' });
    kids.push(s);
  });
  return { k: 'node', type: 'program', src: text.trim(), kids };
}
