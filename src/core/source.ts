/** A file as read from disk: text kept byte-for-byte (BOM, CRLF, tabs). */
export interface SourceFile {
  readonly path: string;
  readonly text: string;
}

/** Half-open range of UTF-16 offsets into a source text: [start, end). */
export interface Range {
  readonly start: number;
  readonly end: number;
}

/** 1-based line and column (column counts UTF-16 code units, as editors and SARIF do). */
export interface Position {
  readonly line: number;
  readonly column: number;
}

export function range(start: number, end: number): Range {
  return { start, end };
}

/** Maps offsets to lines and back. Built once per text. */
export class LineIndex {
  private readonly starts: number[];

  constructor(readonly text: string) {
    // Line breaks are \n, \r\n or a lone \r, as in the LSP positions dockerfile-ast reports.
    const starts = [0];
    if (!text.includes('\r')) {
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    } else {
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 10) starts.push(i + 1);
        else if (c === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
      }
    }
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** Offset of the start of a 0-based line. */
  lineStart(line: number): number {
    return this.starts[Math.min(Math.max(line, 0), this.starts.length - 1)];
  }

  /** Offset just past the line's content, before its `\n` or `\r\n`. */
  lineContentEnd(line: number): number {
    if (line + 1 >= this.starts.length) return this.text.length;
    let end = this.starts[line + 1] - 1;
    if (
      this.text.charCodeAt(end) === 10 &&
      end > this.lineStart(line) &&
      this.text.charCodeAt(end - 1) === 13
    )
      end--;
    return end;
  }

  /** Offset of an LSP-style 0-based line/character position. */
  offsetAt(line: number, character: number): number {
    if (line >= this.starts.length) return this.text.length;
    return Math.min(this.lineStart(line) + character, this.text.length);
  }

  /** 0-based line of an offset. */
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** 1-based line and column of an offset. */
  positionAt(offset: number): Position {
    const line = this.lineOf(offset);
    return { line: line + 1, column: offset - this.starts[line] + 1 };
  }
}

/** The line ending a text mostly uses, so inserted lines match the author's. */
export function detectEol(text: string): '\n' | '\r\n' {
  const lf = text.indexOf('\n');
  return lf > 0 && text.charCodeAt(lf - 1) === 13 ? '\r\n' : '\n';
}

/** White space as String.prototype.trim and the regular expression \s see it. */
export function isWhiteSpace(c: number): boolean {
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/**
 * Orders strings by UTF-16 code units: the same on every machine and locale, and it needs no
 * collation tables (loading them costs a one-file run several milliseconds).
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
