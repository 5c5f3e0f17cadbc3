import { inOrder } from '../../src/cli/run';

describe('files in flight', () => {
  it('hands results over in order, with at most the window in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const taken: string[] = [];
    // Later items finish first: the order must still hold.
    const delays = [40, 5, 30, 1, 20, 1, 10];
    await inOrder(
      delays.map((d, i) => ({ d, i })),
      3,
      async ({ d, i }) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, d));
        inFlight--;
        return `r${i}`;
      },
      (r, i) => taken.push(`${i}:${r}`),
    );
    expect(taken).toEqual(['0:r0', '1:r1', '2:r2', '3:r3', '4:r4', '5:r5', '6:r6']);
    expect(peak).toBe(3);
  });

  it('with a window of one works file after file', async () => {
    const order: string[] = [];
    await inOrder(
      [1, 2, 3],
      1,
      async (x) => {
        order.push(`start ${x}`);
        await new Promise((r) => setTimeout(r, 1));
        order.push(`end ${x}`);
        return x;
      },
      () => undefined,
    );
    expect(order).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
  });
});
