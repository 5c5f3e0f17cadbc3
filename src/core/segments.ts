// The pieces of a shell-form body Docker joins: a line ending in the escape character continues on
// the next, and comment or blank lines inside a continuation are dropped.
import { isWhiteSpace, type Range } from './source';

/** One piece of shell text that stands verbatim in the file. */
export interface Segment {
  readonly shellStart: number;
  readonly fileStart: number;
  readonly length: number;
}

/** Maps offsets in joined shell text back to offsets in the file. */
export class SegmentMap {
  constructor(readonly segments: readonly Segment[]) {}

  static identity(fileStart: number, length: number): SegmentMap {
    return new SegmentMap([{ shellStart: 0, fileStart, length }]);
  }

  private find(offset: number): Segment {
    const segs = this.segments;
    let lo = 0;
    let hi = segs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (segs[mid].shellStart <= offset) lo = mid;
      else hi = mid - 1;
    }
    return segs[lo];
  }

  /** File offset of the character at a shell offset. */
  start(offset: number): number {
    const seg = this.find(offset);
    return seg.fileStart + Math.min(offset - seg.shellStart, seg.length);
  }

  /** File offset just past the character before a shell offset (for range ends). */
  end(offset: number): number {
    if (offset === 0) return this.start(0);
    return this.start(offset - 1) + 1;
  }

  range(start: number, end: number): Range {
    return { start: this.start(start), end: end > start ? this.end(end) : this.start(start) };
  }
}

/** The range in the file a script covers: its first to its last character that is not blank. */
export function scriptRange(text: string, map: SegmentMap): Range {
  let first = 0;
  while (first < text.length && isWhiteSpace(text.charCodeAt(first))) first++;
  let last = text.length;
  while (last > first && isWhiteSpace(text.charCodeAt(last - 1))) last--;
  return map.range(first, last);
}

/**
 * Splits a shell-form body into the pieces Docker joins: a line ending in the escape character
 * continues on the next, and comment or blank lines inside a continuation are dropped.
 */
export function shellSegments(text: string, start: number, end: number, escapeChar: string): SegmentMap {
  const firstBreak = text.indexOf('\n', start);
  if (firstBreak < 0 || firstBreak >= end) {
    let contentEnd = end;
    if (contentEnd > start && text.charCodeAt(contentEnd - 1) === 13) contentEnd--;
    return SegmentMap.identity(start, contentEnd - start);
  }
  const segments: Segment[] = [];
  let shellLength = 0;
  let pos = start;
  // A body that starts on the line after its keyword (`RUN \`): its first line is a continuation too.
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const afterKeyword = lineStart > 0 && text.slice(lineStart, start).trim() === '';
  while (pos < end) {
    let lineEnd = text.indexOf('\n', pos);
    if (lineEnd < 0 || lineEnd > end) lineEnd = end;
    let contentEnd = lineEnd;
    if (contentEnd > pos && text.charCodeAt(contentEnd - 1) === 13) contentEnd--;
    const line = text.slice(pos, contentEnd).trimStart();
    if ((segments.length > 0 || afterKeyword) && (line === '' || line.startsWith('#'))) {
      pos = lineEnd + 1;
      continue;
    }
    let e = contentEnd;
    while (e > pos && (text[e - 1] === ' ' || text[e - 1] === '\t')) e--;
    const continued = e > pos && text[e - 1] === escapeChar && lineEnd < end;
    const segEnd = continued ? e - 1 : contentEnd;
    segments.push({ shellStart: shellLength, fileStart: pos, length: segEnd - pos });
    shellLength += segEnd - pos;
    pos = lineEnd + 1;
  }
  if (segments.length === 0) segments.push({ shellStart: 0, fileStart: start, length: 0 });
  return new SegmentMap(segments);
}

/** The text of `start`–`end` as the shell reads it: escaped line breaks (and comment lines) gone. */
export function joinedText(text: string, start: number, end: number, escapeChar: string): string {
  return joinSegments(text, shellSegments(text, start, end, escapeChar));
}

export function joinSegments(text: string, map: SegmentMap): string {
  const segs = map.segments;
  if (segs.length === 1) return text.slice(segs[0].fileStart, segs[0].fileStart + segs[0].length);
  let joined = '';
  for (const s of segs) joined += text.slice(s.fileStart, s.fileStart + s.length);
  return joined;
}
