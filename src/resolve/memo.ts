/** The pending answer for `key`, started once per run and shared by every look-up that needs it. */
export function once<T>(pending: Map<string, Promise<T>>, key: string, start: () => Promise<T>): Promise<T> {
  let found = pending.get(key);
  if (!found) {
    found = start();
    pending.set(key, found);
  }
  return found;
}
