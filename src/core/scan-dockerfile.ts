/**
 * Where each instruction of a Dockerfile starts and ends, found in one pass over the text with the
 * rules dockerfile-ast applies (parser directives, escaped line breaks, comment lines inside a
 * continuation), so the offsets are the ones its parse would report. dockerfile-ast builds a full
 * object tree for every instruction and re-tokenises the arguments several times while doing so;
 * this scan allocates three numbers and a keyword per instruction. The rich views (the pairs of an
 * ENV, the strings of a JSON form, a heredoc, an ONBUILD trigger) still come from dockerfile-ast,
 * for the one instruction that needs them.
 *
 * A file in which a RUN, COPY, ADD or ONBUILD mentions `<<` may hold a heredoc, whose end depends on
 * dockerfile-ast's argument tokeniser: the scan gives up on it (returns undefined) and the caller
 * parses that file with dockerfile-ast.
 */

export interface ScannedInstr {
  /** The keyword as written, escaped line breaks inside it removed (dockerfile-ast's getInstruction). */
  readonly word: string;
  readonly start: number;
  readonly keywordEnd: number;
  readonly end: number;
}

export interface Scan {
  readonly escapeChar: string;
  readonly instructions: readonly ScannedInstr[];
}

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

class Scanner {
  readonly instructions: ScannedInstr[] = [];
  /** Set when an instruction may carry a heredoc: the scan is then abandoned. */
  heredoc = false;

  constructor(
    private readonly text: string,
    private readonly escapeChar: string,
  ) {}

  scan(offset: number): void {
    const { text } = this;
    for (let i = offset; i < text.length && !this.heredoc; i++) {
      const c = text[i];
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n') continue;
      i = c === '#' ? lineBreakAfter(text, i + 1) : this.instruction(c, i);
    }
  }

  private add(word: string, start: number, keywordEnd: number, end: number): void {
    this.instructions.push({ word, start, keywordEnd, end });
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
        const end = this.args(word, i);
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

  /** The arguments from `offset` (a blank after the keyword): returns the offset they end at. */
  private args(word: string, offset: number): number {
    const { text, escapeChar } = this;
    let escaped = false;
    args: for (let i = offset + 1; i < text.length; i++) {
      const c = text[i];
      if (c === '\r' || c === '\n') {
        if (escaped) continue;
        if (HEREDOC_KEYWORDS.has(word.toUpperCase()) && text.slice(offset, i).includes('<<'))
          this.heredoc = true;
        return i;
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
    if (HEREDOC_KEYWORDS.has(word.toUpperCase()) && text.slice(offset).includes('<<')) this.heredoc = true;
    return text.length;
  }
}

/** The instructions of a Dockerfile, or undefined when one may hold a heredoc (see above). */
export function scanDockerfile(text: string): Scan | undefined {
  const { escapeChar, offset } = directives(text);
  const scanner = new Scanner(text, escapeChar);
  scanner.scan(offset);
  return scanner.heredoc ? undefined : { escapeChar, instructions: scanner.instructions };
}
