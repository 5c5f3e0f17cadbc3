// The pieces of a shell-form body Docker joins: a line ending in the escape character continues on
// the next, and comment or blank lines inside a continuation are dropped.
import { SegmentMap, type Segment } from './parse-shell';

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
  while (pos < end) {
    let lineEnd = text.indexOf('\n', pos);
    if (lineEnd < 0 || lineEnd > end) lineEnd = end;
    let contentEnd = lineEnd;
    if (contentEnd > pos && text.charCodeAt(contentEnd - 1) === 13) contentEnd--;
    const line = text.slice(pos, contentEnd).trimStart();
    if (segments.length > 0 && (line === '' || line.startsWith('#'))) {
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

export function joinSegments(text: string, map: SegmentMap): string {
  const segs = map.segments;
  if (segs.length === 1) return text.slice(segs[0].fileStart, segs[0].fileStart + segs[0].length);
  let joined = '';
  for (const s of segs) joined += text.slice(s.fileStart, s.fileStart + s.length);
  return joined;
}
