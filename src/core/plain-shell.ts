import type { Assignment, Command, Pipeline, ShellScript, Word } from './model';
import { scriptRange, SegmentMap, type ShellParser } from './parse-shell';
import { toolCall } from './shell-commands';
import { plainShape, type Shape } from './shell-shape';
import type { Range } from './source';

/**
 * Most RUN bodies are plain: simple commands of plain words joined by `&&`, `||`, `;` and `|`
 * (`DEBIAN_FRONTEND=noninteractive apt-get install -y curl && rm -rf /var/lib/apt/lists/*`).
 * This reads such a body into the script tree-sitter-bash and the walker in parse-shell.ts would
 * build, field for field, without loading or running the grammar; anything else (`?` and `[…]`
 * globs, redirects, substitutions, compound commands, comments, line breaks…) is left to
 * tree-sitter.
 *
 * A plain word is made of characters with no meaning to the shell, `*`, `$NAME` and `${NAME}`, and
 * quoted strings: `'…'`, and `"…"` with no backquote, backslash or `$` but those expansions.
 * Leading `NAME=word` words are the command's assignments. Where tree-sitter-bash reads a plain
 * text its own way (a reserved word glued to more, a `$` after a quote, three piped commands
 * before `&&`), the text is not plain.
 */

/** Characters a plain word may hold outside quotes: none is special to the shell. */
const BARE = new Uint8Array(128);
for (const c of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./:=+,@^')
  BARE[c.charCodeAt(0)] = 1;

/** Words that are not plain commands where a command starts: reserved words and declarations. */
const NOT_COMMANDS = new Set([
  'if',
  'then',
  'else',
  'elif',
  'fi',
  'case',
  'esac',
  'for',
  'select',
  'while',
  'until',
  'do',
  'done',
  'function',
  'in',
  'time',
  'coproc',
  'export',
  'declare',
  'local',
  'readonly',
  'typeset',
  'unset',
  'unsetenv',
]);

const SPACE = 32;
const TAB = 9;
const DQUOTE = 34;
const SQUOTE = 39;
const DOLLAR = 36;
const STAR = 42;

/** A word that assigns a variable: its name, then a value. */
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=./;

/** A parameter expansion that expands to one word's worth: `$NAME` or `${NAME}`. */
const EXPANSION = /\$(?:[A-Za-z_][A-Za-z0-9_]*|\{[A-Za-z_][A-Za-z0-9_]*\})/y;

/** A `$` in double quotes that does not open such an expansion (`$1`, `$(…)`, `${A:-b}`…). */
const OTHER_DOLLAR = /\$(?!(?:[A-Za-z_]|\{[A-Za-z_][A-Za-z0-9_]*\}))/;

/**
 * The end of the plain word at `start`, its value with quotes removed, and whether it expands
 * nothing; undefined when what stands there is not a plain word.
 */
function plainWord(
  text: string,
  start: number,
): { end: number; value: string; literal: boolean } | undefined {
  let i = start;
  let value = '';
  let literal = true;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c < 128 && BARE[c]) {
      const from = i;
      while (i < text.length && text.charCodeAt(i) < 128 && BARE[text.charCodeAt(i)]) i++;
      value += text.slice(from, i);
    } else if (c === STAR) {
      // A glob: the word is kept as written and expands (tree-sitter reads it as one word).
      value += text[i];
      literal = false;
      i++;
    } else if (c === DOLLAR) {
      // tree-sitter-bash splits some words at a `$` that follows a quote or another expansion.
      if (i > start && (!literal || /["']/.test(text.slice(start, i)))) return undefined;
      EXPANSION.lastIndex = i;
      const m = EXPANSION.exec(text);
      if (!m) return undefined;
      value += m[0];
      literal = false;
      i += m[0].length;
    } else if (c === DQUOTE || c === SQUOTE) {
      const close = text.indexOf(c === DQUOTE ? '"' : "'", i + 1);
      if (close < 0) return undefined;
      const content = text.slice(i + 1, close);
      if (c === DQUOTE ? /[`\\\r\n]/.test(content) || OTHER_DOLLAR.test(content) : /[\r\n]/.test(content))
        return undefined;
      if (c === DQUOTE && content.includes('$')) literal = false;
      value += content;
      i = close + 1;
    } else break;
  }
  return i > start ? { end: i, value, literal } : undefined;
}

/** The offset of the first character from `i` on that is not a space or a tab. */
function pastBlanks(text: string, i: number): number {
  while (i < text.length && (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === TAB)) i++;
  return i;
}

/**
 * The plain script of `text`, or undefined when it is not plain (see above). `ops`, when given,
 * receives the operators between the commands, in order.
 */
export function plainScript(
  text: string,
  map: SegmentMap,
  heredoc: boolean,
  ops?: string[],
): ShellScript | undefined {
  const commands: Command[] = [];
  const pipelines: Pipeline[] = [];
  const statements: Range[] = [];
  let statementStart = -1;
  /** Commands of the pipeline being read (one, unless joined by `|`). */
  let run: { start: number; end: number; name: Word; args: Word[]; assignments: Assignment[] }[] = [];
  let words: Word[] = [];
  let wordsStart = 0;
  let wordsEnd = 0;
  const endCommand = (): boolean => {
    // Leading `NAME=value` words set variables for the command (`DEBIAN_FRONTEND=x apt-get …`).
    const assignments: Assignment[] = [];
    let n = 0;
    for (; n < words.length; n++) {
      const m = ASSIGNMENT.exec(words[n].raw);
      if (!m) break;
      assignments.push({ name: m[1], value: words[n].value.slice(m[1].length + 1) });
    }
    if (n >= words.length) return false;
    const [name, ...args] = words.slice(n);
    // A reserved word stands where a command starts even glued to more (`in%p` reads `in`, `%p`).
    const lead = /^[A-Za-z_][A-Za-z0-9_]*/.exec(name.raw)?.[0];
    if ((lead !== undefined && NOT_COMMANDS.has(lead)) || /^[^"']*=/.test(name.raw)) return false;
    run.push({ start: wordsStart, end: wordsEnd, name, args, assignments });
    if (statementStart < 0) statementStart = wordsStart;
    words = [];
    return true;
  };
  const endStatement = () => {
    statements.push(map.range(statementStart, wordsEnd));
    statementStart = -1;
  };
  const endPipeline = () => {
    const slot = run.length > 1 ? pipelines.length : undefined;
    if (slot !== undefined)
      pipelines.push({ range: map.range(run[0].start, run[run.length - 1].end), size: run.length });
    run.forEach((c, index) => {
      commands.push({
        call: toolCall(c.name, c.args),
        name: c.name,
        args: c.args,
        assignments: c.assignments,
        range: map.range(c.start, c.end),
        nested: false,
        pipeline: slot,
        pipelineIndex: slot === undefined ? undefined : index,
      });
    });
    run = [];
  };
  let i = 0;
  for (;;) {
    i = pastBlanks(text, i);
    if (i >= text.length) break;
    const c = text[i];
    if (c === '&' || c === '|' || c === ';') {
      const two = text.slice(i, i + 2);
      const op = two === '&&' || two === '||' ? two : c;
      // A lone `&` (background), `|&`, `;;` and `;&` are not plain; every operator follows a command.
      if (op === '&' || (op.length === 1 && /[&|;]/.test(text[i + 1] ?? '')) || !endCommand())
        return undefined;
      // tree-sitter-bash nests a chain of three or more piped commands that `&&` or `||` follows.
      if ((op === '&&' || op === '||') && run.length > 2) return undefined;
      if (op !== '|') endPipeline();
      if (op === ';') endStatement();
      ops?.push(op);
      i += op.length;
      // An operator is followed by a command.
      i = pastBlanks(text, i);
      if (i >= text.length) return undefined;
      continue;
    }
    // A word opening with `=` may be tree-sitter's `==` or `=~` operator token.
    const word = text[i] === '=' ? undefined : plainWord(text, i);
    if (!word) return undefined;
    const raw = text.slice(i, word.end);
    if (words.length === 0) wordsStart = i;
    words.push({ value: word.value, raw, range: map.range(i, word.end), literal: word.literal });
    wordsEnd = word.end;
    i = word.end;
  }
  if (!endCommand()) return undefined;
  endPipeline();
  endStatement();
  return {
    commands,
    pipelines,
    exports: [],
    range: scriptRange(text, map),
    statements,
    hasError: false,
    heredoc,
  };
}

/** The shape of a plain body (see shell-shape.ts), or undefined when it is not plain. */
export function plainShapeOf(text: string): Shape | undefined {
  const ops: string[] = [];
  const script = plainScript(text, SegmentMap.identity(0, text.length), false, ops);
  return script && plainShape(text, script.commands, ops);
}

/** A parser that reads plain bodies itself and hands the others to `inner`. */
export function plainFirst(inner: ShellParser): ShellParser {
  return {
    parse: (text, map, heredoc = false) => plainScript(text, map, heredoc) ?? inner.parse(text, map, heredoc),
    shape: (text) => plainShapeOf(text) ?? inner.shape(text),
  };
}

/** Thrown by a LazyShellParser asked for a body that is not plain before tree-sitter is loaded. */
export class ShellNotLoaded extends Error {
  constructor() {
    super('the shell grammar is not loaded');
  }
}

/**
 * For one run of the command line: plain bodies are read at once, and tree-sitter is loaded only
 * when a body needs it. Until `load` has been awaited, such a body throws ShellNotLoaded; what was
 * being done is then done again after `load` (a body that threw is read again on the next ask).
 */
export class LazyShellParser implements ShellParser {
  #full?: ShellParser;

  constructor(private readonly loadFull: () => Promise<ShellParser>) {}

  async load(): Promise<void> {
    this.#full ??= await this.loadFull();
  }

  parse(text: string, map: SegmentMap, heredoc = false): ShellScript {
    const plain = plainScript(text, map, heredoc);
    if (plain) return plain;
    if (!this.#full) throw new ShellNotLoaded();
    return this.#full.parse(text, map, heredoc);
  }

  shape(text: string): Shape {
    const plain = plainShapeOf(text);
    if (plain) return plain;
    if (!this.#full) throw new ShellNotLoaded();
    return this.#full.shape(text);
  }
}
