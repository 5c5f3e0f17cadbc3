// What a shell parser gives (commands, words and the script's structure, with file positions), and a
// parser that remembers the bodies one file's fix passes read; tree-sitter's is in tree-sitter-shell.ts.
import type { Command, ShellScript, Word } from './model';
import type { SegmentMap } from './segments';
import type { Shape } from './shell-shape';
import type { Range } from './source';

export { SegmentMap, scriptRange, type Segment } from './segments';

/**
 * RUN, CMD and ENTRYPOINT bodies are parsed by tree-sitter-bash (compiled to WebAssembly): a real,
 * error-tolerant shell grammar that reports a position for every word. Loading it is async and done
 * once per process; parsing is synchronous.
 */
export interface ShellParser {
  parse(text: string, segments: SegmentMap, heredoc?: boolean): ShellScript;
  /** The structure of a script (see shell-shape.ts), for checking a rewrite. */
  shape(text: string): Shape;
}

/**
 * A shell parser that remembers the bodies it parsed, for the passes of one file's fix: a body the
 * last pass left alone is not parsed again. When an edit above it moved it, its script is moved by
 * the same distance.
 */
export function rememberingShellParser(inner: ShellParser): ShellParser {
  const seen = new Map<string, { map: SegmentMap; script: ShellScript }[]>();
  const shapes = new Map<string, Shape>();
  return {
    parse(text, map, heredoc = false) {
      const key = heredoc ? `\u0000${text}` : text;
      const known = seen.get(key);
      for (const k of known ?? []) {
        const delta = shiftBetween(k.map, map);
        if (delta !== undefined) return relocateScript(k.script, delta);
      }
      const script = inner.parse(text, map, heredoc);
      if (known) known.push({ map, script });
      else seen.set(key, [{ map, script }]);
      return script;
    },
    // A pass's rewritten body is the next pass's original: its shape is read once.
    shape(text) {
      let shape = shapes.get(text);
      if (!shape) shapes.set(text, (shape = inner.shape(text)));
      return shape;
    },
  };
}

/** How far `b` lies from `a` when both map the same shell text the same way, at another place. */
function shiftBetween(a: SegmentMap, b: SegmentMap): number | undefined {
  if (a.segments.length !== b.segments.length) return undefined;
  const delta = b.segments[0].fileStart - a.segments[0].fileStart;
  for (let i = 0; i < a.segments.length; i++) {
    const x = a.segments[i];
    const y = b.segments[i];
    if (x.shellStart !== y.shellStart || x.length !== y.length || y.fileStart - x.fileStart !== delta)
      return undefined;
  }
  return delta;
}

/** The script with every file range moved by `delta`; word objects shared by a command and its tool call stay shared. */
export function relocateScript(script: ShellScript, delta: number): ShellScript {
  if (delta === 0) return script;
  const move = (r: Range): Range => ({ start: r.start + delta, end: r.end + delta });
  const words = new Map<Word, Word>();
  const word = (w: Word): Word => {
    let moved = words.get(w);
    if (!moved) words.set(w, (moved = { ...w, range: move(w.range) }));
    return moved;
  };
  const lists = new Map<readonly Word[], Word[]>();
  const list = (ws: readonly Word[]): Word[] => {
    let moved = lists.get(ws);
    if (!moved) lists.set(ws, (moved = ws.map(word)));
    return moved;
  };
  const commands = script.commands.map((c): Command => {
    const call = c.call && {
      tool: c.call.tool,
      toolWord: word(c.call.toolWord),
      args: list(c.call.args),
      sub: c.call.sub && word(c.call.sub),
      subIndex: c.call.subIndex,
    };
    return { ...c, call, name: word(c.name), args: list(c.args), range: move(c.range) };
  });
  return {
    ...script,
    commands,
    pipelines: script.pipelines.map((p) => ({ ...p, range: move(p.range) })),
    range: move(script.range),
    statements: script.statements.map(move),
  };
}
