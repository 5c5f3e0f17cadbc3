import type { Node } from 'web-tree-sitter';
import type { Command } from './model';
import { commandShape, type Shape } from './shell-shape';

/**
 * Builds the shape (see shell-shape.ts) of a script from tree-sitter-bash's tree: `list` nodes are
 * flattened into one and-or list, a simple command keeps the words the walker read (by its start),
 * comments are dropped, a line break between statements reads as `;` and a program's last
 * terminator is dropped. Past MAX_DEPTH a node is kept as its text.
 */
const MAX_DEPTH = 200;

const REDIRECTS = new Set(['file_redirect', 'heredoc_redirect', 'herestring_redirect']);

export function treeShape(root: Node, text: string, commands: ReadonlyMap<number, Command>): Shape {
  const src = (n: Node) => text.slice(n.startIndex, n.endIndex);
  const terminator = (t: string) => (t === '\n' ? ';' : t);

  const kidsOf = (n: Node, depth: number): Shape[] => {
    const kids: Shape[] = [];
    for (const child of n.children) {
      if (!child || child.type === 'comment') continue;
      kids.push(convert(child, depth + 1));
    }
    return kids;
  };

  const flatten = (n: Node, depth: number, items: Shape[], ops: string[]) => {
    for (const child of n.children) {
      if (!child || child.type === 'comment') continue;
      if (child.type === 'list') flatten(child, depth + 1, items, ops);
      else if (!child.isNamed && (child.type === '&&' || child.type === '||')) ops.push(child.type);
      else {
        // A redirected list (see attach) is a list again.
        const item = convert(child, depth + 1);
        if (item.k === 'list') {
          items.push(...item.items);
          ops.push(...item.ops);
        } else items.push(item);
      }
    }
  };

  const convert = (n: Node, depth: number): Shape => {
    if (!n.isNamed) {
      const t = terminator(n.type);
      return { k: 'leaf', src: src(n), text: t };
    }
    if (depth > MAX_DEPTH || n.childCount === 0) return { k: 'leaf', src: src(n), text: src(n) };
    if (n.type === 'list') {
      const items: Shape[] = [];
      const ops: string[] = [];
      flatten(n, depth, items, ops);
      return { k: 'list', src: src(n), items, ops };
    }
    const command = n.type === 'command' ? commands.get(n.startIndex) : undefined;
    if (command) {
      const redirects = n.children
        .filter((c): c is Node => !!c && (REDIRECTS.has(c.type) || c.type === 'subshell'))
        .map((c) => src(c).replace(/\s+/g, ' '));
      return commandShape(command, src(n), redirects);
    }
    const kids = kidsOf(n, depth);
    if (n.type === 'redirected_statement' && kids.length > 1) {
      // tree-sitter-bash hangs a trailing redirection on the whole list or pipeline before it
      // (`a && b > f`); the shell gives it to the last command, and so does the shape.
      const [body, ...redirects] = kids;
      return attach(body, redirects, src(n).trim());
    }
    if (n.type === 'program') {
      while (kids.length > 0) {
        const last = kids[kids.length - 1];
        if (last.k === 'leaf' && last.text === ';') kids.pop();
        else break;
      }
    }
    return { k: 'node', type: n.type, src: src(n).trim(), kids };
  };

  return convert(root, 0);
}

/** A statement with redirections, given to the command they belong to (the last of a list or pipeline). */
function attach(body: Shape, redirects: Shape[], src: string): Shape {
  const last = <T>(xs: readonly T[], f: (x: T) => T): T[] => [...xs.slice(0, -1), f(xs[xs.length - 1])];
  if (body.k === 'list') return { ...body, items: last(body.items, (i) => attach(i, redirects, i.src)) };
  if (body.k === 'node' && (body.type === 'pipeline' || body.type === 'negated_command'))
    return { ...body, kids: last(body.kids, (k) => attach(k, redirects, k.src)) };
  if (body.k === 'node' && body.type === 'redirected_statement')
    return { ...body, kids: [...body.kids, ...redirects] };
  return { k: 'node', type: 'redirected_statement', src, kids: [body, ...redirects] };
}
