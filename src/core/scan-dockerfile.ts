/**
 * Where each instruction of a Dockerfile starts and ends, found in one pass over the text with the
 * rules dockerfile-ast applies (parser directives, escaped line breaks, comment lines inside a
 * continuation, heredocs), so the offsets are the ones its parse would report. dockerfile-ast builds
 * a full object tree for every instruction and re-tokenises the arguments several times while doing
 * so; this scan keeps a keyword and a few offsets per instruction. The rich views (the pairs of
 * an ENV, the strings of a JSON form, a heredoc's names, an ONBUILD trigger) still come from
 * dockerfile-ast, for the one instruction that needs them.
 */

export interface ScannedInstr {
  /** The keyword as written, escaped line breaks inside it removed (dockerfile-ast's getInstruction). */
  readonly word: string;
  readonly start: number;
  readonly keywordEnd: number;
  readonly end: number;
  /**
   * The content of the instruction's heredoc, as dockerfile-ast's getHeredocs gives it, when the
   * scan can tell: one heredoc, its body free of escapes and carriage returns, its end line found.
   */
  readonly heredocContent?: { readonly start: number; readonly end: number };
}

export interface Scan {
  readonly escapeChar: string;
  readonly instructions: readonly ScannedInstr[];
}

/**
 * The heredoc words of one RUN, COPY, ADD or ONBUILD line (`<<EOF`, `<<-"EOF"` …) as dockerfile-ast
 * splits its arguments: `text` is the instruction from the start of its first line to the end of its
 * last, and `escapeChar` the file's.
 */
export type HeredocWords = (text: string, escapeChar: string) => readonly string[];

const HEREDOC_KEYWORDS = new Set(['RUN', 'COPY', 'ADD', 'ONBUILD']);

function isLineBreak(c: string): boolean {
  return c === '\n' || c === '\r';
}

/** The escape character the parser directives set, and the offset instructions start from. */
function directives(text: string): { escapeChar: string; offset: number } {
  let escapeChar: string | undefined;
  let count = 0;
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  directiveCheck: for (let i = bom; i < text.length; i++) {
    const c = text[i];
    if (c === ' ' || c === '\t') continue;
    if (c !== '#') break;
    let nameStart = -1;
    let nameEnd = -1;
    for (let j = i + 1; j < text.length; j++) {
      const d = text[j];
      if (d === ' ' || d === '\t') {
        if (nameStart !== -1 && nameEnd === -1) nameEnd = j;
      } else if (isLineBreak(d)) {
        break directiveCheck;
      } else if (d === '=') {
        if (nameEnd === -1) nameEnd = j;
        let valueStart = -1;
        let valueEnd = -1;
        let lineEnd = text.length;
        for (let k = j + 1; k < text.length; k++) {
          const v = text[k];
          if (isLineBreak(v)) {
            if (valueStart !== -1 && valueEnd === -1) valueEnd = k;
            lineEnd = k;
            break;
          }
          if (v === ' ' || v === '\t') {
            if (valueStart !== -1 && valueEnd === -1) valueEnd = k;
          } else if (valueStart === -1) valueStart = k;
        }
        // `#` then `=` with no name before it: a comment, and the end of the directives.
        if (nameStart === -1) break directiveCheck;
        if (valueStart === -1) {
          valueStart = j + 1;
          valueEnd = lineEnd;
        } else if (valueEnd === -1) valueEnd = text.length;
        count++;
        const value = text.slice(valueStart, valueEnd);
        if (
          escapeChar === undefined &&
          text.slice(nameStart, nameEnd).toLowerCase() === 'escape' &&
          (value === '\\' || value === '`')
        )
          escapeChar = value;
        i = text[valueEnd] === '\r' ? valueEnd + 1 : valueEnd;
        continue directiveCheck;
      } else if (nameStart === -1) nameStart = j;
    }
    break;
  }
  return { escapeChar: escapeChar ?? '\\', offset: count > 0 ? lineStartOf(text, count) : bom };
}

/** Offset of the start of a 0-based line (line breaks \n, \r\n, lone \r), or the end of the text. */
function lineStartOf(text: string, line: number): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      if (++n === line) return i + 1;
    }
  }
  return text.length;
}

/** Offset of the line break that ends the line holding `from` (or the end of the text). */
function lineBreakAfter(text: string, from: number): number {
  for (let i = from; i < text.length; i++) if (isLineBreak(text[i])) return i;
  return text.length;
}

/** A heredoc word's terminator, as dockerfile-ast reads it (null: not a heredoc). */
function heredocName(word: string): string | null {
  let value = word.slice(word.startsWith('<<-') ? 3 : 2);
  for (const q of ['"', "'"]) {
    if (value.startsWith(q)) {
      if (!value.endsWith(q)) return null;
      value = value.slice(1, -1);
    }
  }
  return value.startsWith('<') ? null : value;
}

class Scanner {
  readonly instructions: ScannedInstr[] = [];

  constructor(
    private readonly text: string,
    private readonly escapeChar: string,
    private readonly heredocWords: HeredocWords,
  ) {}

  scan(offset: number): void {
    const { text } = this;
    for (let i = offset; i < text.length; i++) {
      const c = text[i];
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n') continue;
      i = c === '#' ? lineBreakAfter(text, i + 1) : this.instruction(c, i);
    }
  }

  /** Set by `heredocs` for the instruction being read. */
  private heredocContent?: { start: number; end: number };

  private add(word: string, start: number, keywordEnd: number, end: number): void {
    const heredocContent = this.heredocContent;
    this.heredocContent = undefined;
    this.instructions.push(
      heredocContent ? { word, start, keywordEnd, end, heredocContent } : { word, start, keywordEnd, end },
    );
  }

  /** The keyword starting at `start`, then its arguments; returns the offset the instruction ends at. */
  private instruction(first: string, start: number): number {
    const { text, escapeChar } = this;
    let word = first;
    let keywordEnd = -1;
    let escaped = false;
    keyword: for (let i = start + 1; i < text.length; i++) {
      const c = text[i];
      if (c === escapeChar) {
        escaped = true;
        const next = text[i + 1];
        if (next === '\r' || next === '\n') {
          if (keywordEnd === -1) keywordEnd = i;
          i++;
        } else if (next === ' ' || next === '\t') {
          for (let j = i + 2; j < text.length; j++) {
            const d = text[j];
            if (d === ' ' || d === '\t') continue;
            if (isLineBreak(d)) {
              i = j;
              continue keyword;
            }
            keywordEnd = i + 1;
            word += escapeChar;
            i = j - 2;
            continue keyword;
          }
          keywordEnd = i + 1;
          word += escapeChar;
          break keyword;
        } else {
          keywordEnd = i + 1;
          word += escapeChar;
          escaped = false;
        }
      } else if (c === ' ' || c === '\t') {
        if (escaped) {
          // After an escaped line break, blanks up to another line break are skipped.
          let j = i + 1;
          while (j < text.length && (text[j] === ' ' || text[j] === '\t')) j++;
          if (j < text.length && isLineBreak(text[j])) {
            i = j;
            continue;
          }
          escaped = false;
        }
        if (keywordEnd === -1) keywordEnd = i;
        const end = this.args(word, start, i);
        this.add(word, start, keywordEnd, end);
        return end;
      } else if (c === '\r' || c === '\n') {
        if (escaped) continue;
        if (keywordEnd === -1) keywordEnd = i;
        this.add(word, start, i, i);
        return i;
      } else if (c === '#' && escaped) {
        continue;
      } else {
        keywordEnd = i + 1;
        word += c;
        escaped = false;
      }
    }
    if (keywordEnd === -1) keywordEnd = text.length;
    this.add(word, start, keywordEnd, text.length);
    return text.length;
  }

  /**
   * The arguments from `offset` (a blank after the keyword) of the instruction at `start`: returns
   * the offset they end at.
   */
  private args(word: string, start: number, offset: number): number {
    const { text, escapeChar } = this;
    let escaped = false;
    args: for (let i = offset + 1; i < text.length; i++) {
      const c = text[i];
      if (c === '\r' || c === '\n') {
        if (escaped) continue;
        return this.heredocs(word, start, offset, i);
      }
      if (c === escapeChar) {
        const next = text[i + 1];
        if (next === '\n' || next === '\r') {
          escaped = true;
          i++;
        } else if (next === ' ' || next === '\t') {
          for (let j = i + 2; j < text.length; j++) {
            const d = text[j];
            if (d === ' ' || d === '\t') continue;
            if (isLineBreak(d)) escaped = true;
            // As dockerfile-ast does, the character at j is stepped over.
            i = j;
            continue args;
          }
          return text.length;
        }
      } else if (c === '#') {
        if (escaped) i = lineBreakAfter(text, i + 1);
      } else if (c !== ' ' && c !== '\t') {
        escaped = false;
      }
    }
    return text.length;
  }

  /**
   * Past the bodies of the heredocs a RUN, COPY, ADD or ONBUILD line opens (its words read by
   * dockerfile-ast), from the line break at `end`: each body ends at a line that is its name.
   */
  private heredocs(word: string, start: number, offset: number, end: number): number {
    const { text } = this;
    if (!HEREDOC_KEYWORDS.has(word.toUpperCase())) return end;
    const at = text.indexOf('<<', offset);
    if (at < 0 || at >= end) return end;
    let lineStart = start;
    while (lineStart > 0 && !isLineBreak(text[lineStart - 1])) lineStart--;
    let tabbed = false;
    const names: string[] = [];
    for (const w of this.heredocWords(text.slice(lineStart, end), this.escapeChar)) {
      if (!w.startsWith('<<') || w.length <= 2) continue;
      if (w.startsWith('<<-')) tabbed = true;
      const name = heredocName(w);
      if (name !== null) names.push(name);
    }
    let i = end;
    for (const name of names) i = this.heredocEnd(name, i, tabbed);
    if (names.length === 1) this.heredocContent = this.heredocBody(end, i);
    return i;
  }

  /**
   * The content of a lone heredoc whose header ends at the line break `end` and whose end line
   * ends at `close`: from the first character after the header to the line break before the end
   * line. Undefined when dockerfile-ast's reading of it takes more than that (no end line, an empty
   * body, an escape or carriage return inside).
   */
  private heredocBody(end: number, close: number): { start: number; end: number } | undefined {
    const { text } = this;
    if (close >= text.length || text[end] !== '\n') return undefined;
    const lastLine = text.lastIndexOf('\n', close - 1) + 1;
    if (lastLine <= end + 1) return undefined;
    const body = text.slice(end + 1, close);
    if (body.includes('\r') || body.includes(this.escapeChar)) return undefined;
    return { start: end + 1, end: lastLine - 1 };
  }

  /** dockerfile-ast's parseHeredoc: the line break after a line that is `name` (tabs first if tabbed). */
  private heredocEnd(name: string, offset: number, tabbed: boolean): number {
    const { text } = this;
    let wordStart = -1;
    let lineStart = true;
    for (let i = offset; i < text.length; i++) {
      const c = text[i];
      if (c === ' ') lineStart = false;
      else if (c === '\t') {
        if (!tabbed) lineStart = false;
      } else if (c === '\r' || c === '\n') {
        if (wordStart !== -1 && text.slice(wordStart, i) === name) return i;
        wordStart = -1;
        lineStart = true;
      } else if (lineStart) {
        wordStart = i;
        lineStart = false;
      }
    }
    return text.length;
  }
}

/** The instructions of a Dockerfile. */
export function scanDockerfile(text: string, heredocWords: HeredocWords): Scan {
  const { escapeChar, offset } = directives(text);
  const scanner = new Scanner(text, escapeChar, heredocWords);
  scanner.scan(offset);
  return { escapeChar, instructions: scanner.instructions };
}
