/**
 * `count` texts, each of 1 to `maxPieces` pieces drawn from `piecesFor(n)` (for the n-th text), with
 * a blank after a piece at the chance `blank`, from a fixed seed so a failure can be replayed.
 */
export function stitched(
  count: number,
  seed: number,
  maxPieces: number,
  piecesFor: (n: number) => readonly string[],
  blank = 0,
): string[] {
  let state = seed;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) & 0x7fffffff;
    return state / 0x80000000;
  };
  const out: string[] = [];
  for (let n = 0; n < count; n++) {
    const pieces = piecesFor(n);
    let text = '';
    const len = 1 + Math.floor(next() * maxPieces);
    for (let i = 0; i < len; i++) {
      text += pieces[Math.floor(next() * pieces.length)];
      if (blank > 0 && next() < blank) text += ' ';
    }
    out.push(text);
  }
  return out;
}
