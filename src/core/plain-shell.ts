import type { Command, Pipeline, ShellScript, Word } from './model';
import type { SegmentMap, ShellParser } from './parse-shell';
import { toolCall } from './shell-commands';
import { isWhiteSpace } from './source';

/**
 * Most RUN bodies are plain: simple commands of plain words joined by `&&`, `||`, `;` and `|`
 * (`apt-get update && apt-get install -y curl`). This reads such a body into the script
 * tree-sitter-bash and the walker in parse-shell.ts would build, field for field, without loading
 * or running the grammar; anything else (expansions, globs, redirects, compound commands,
 * assignments, comments, line breaks…) is left to tree-sitter.
 *
 * A plain word is made of characters with no meaning to the shell, and of quoted strings whose
 * content expands nothing: `"…"` without `$`, backquote or backslash, and `'…'`.
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

/**
 * The end of the plain word at `start`, and its value with quotes removed; undefined when what
 * stands there is not a plain word.
 */
function plainWord(text: string, start: number): { end: number; value: string } | undefined {
  let i = start;
  let value = '';
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c < 128 && BARE[c]) {
      const from = i;
      while (i < text.length && text.charCodeAt(i) < 128 && BARE[text.charCodeAt(i)]) i++;
      value += text.slice(from, i);
    } else if (c === DQUOTE || c === SQUOTE) {
      const close = text.indexOf(c === DQUOTE ? '"' : "'", i + 1);
      if (close < 0) return undefined;
      const content = text.slice(i + 1, close);
      if (c === DQUOTE ? /[$`\\\r\n]/.test(content) : /[\r\n]/.test(content)) return undefined;
      value += content;
      i = close + 1;
    } else break;
  }
  return i > start ? { end: i, value } : undefined;
}

/** The plain script of `text`, or undefined when it is not plain (see above). */
export function plainScript(text: string, map: SegmentMap, heredoc: boolean): ShellScript | undefined {
  const commands: Command[] = [];
  const pipelines: Pipeline[] = [];
  /** Commands of the pipeline being read (one, unless joined by `|`). */
  let run: { start: number; end: number; name: Word; args: Word[] }[] = [];
  let words: Word[] = [];
  let wordsStart = 0;
  let wordsEnd = 0;
  const endCommand = (): boolean => {
    if (words.length === 0) return false;
    const [name, ...args] = words;
    // A reserved word stands where a command starts even glued to more (`in%p` reads `in`, `%p`).
    const lead = /^[A-Za-z_][A-Za-z0-9_]*/.exec(name.raw)?.[0];
    if ((lead !== undefined && NOT_COMMANDS.has(lead)) || /^[^"']*=/.test(name.raw)) return false;
    run.push({ start: wordsStart, end: wordsEnd, name, args });
    words = [];
    return true;
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
        assignments: [],
        range: map.range(c.start, c.end),
        pipeline: slot,
        pipelineIndex: slot === undefined ? undefined : index,
      });
    });
    run = [];
  };
  let i = 0;
  for (;;) {
    while (i < text.length && (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === TAB)) i++;
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
      i += op.length;
      // An operator is followed by a command.
      while (i < text.length && (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === TAB)) i++;
      if (i >= text.length) return undefined;
      continue;
    }
    // A word opening with `=` may be tree-sitter's `==` or `=~` operator token.
    const word = text[i] === '=' ? undefined : plainWord(text, i);
    if (!word) return undefined;
    const raw = text.slice(i, word.end);
    if (words.length === 0) wordsStart = i;
    words.push({ value: word.value, raw, range: map.range(i, word.end), literal: true });
    wordsEnd = word.end;
    i = word.end;
  }
  if (!endCommand()) return undefined;
  endPipeline();
  let first = 0;
  while (first < text.length && isWhiteSpace(text.charCodeAt(first))) first++;
  let last = text.length;
  while (last > first && isWhiteSpace(text.charCodeAt(last - 1))) last--;
  return { commands, pipelines, exports: [], range: map.range(first, last), hasError: false, heredoc };
}

/** A parser that reads plain bodies itself and hands the others to `inner`. */
export function plainFirst(inner: ShellParser): ShellParser {
  return {
    parse: (text, map, heredoc = false) => plainScript(text, map, heredoc) ?? inner.parse(text, map, heredoc),
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

  get loaded(): boolean {
    return this.#full !== undefined;
  }

  async load(): Promise<void> {
    this.#full ??= await this.loadFull();
  }

  parse(text: string, map: SegmentMap, heredoc = false): ShellScript {
    const plain = plainScript(text, map, heredoc);
    if (plain) return plain;
    if (!this.#full) throw new ShellNotLoaded();
    return this.#full.parse(text, map, heredoc);
  }
}
