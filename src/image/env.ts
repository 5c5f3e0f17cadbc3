/** One `NAME=value` of the config's Env, with its index (for `config.Env[i]`). */
export interface EnvVar {
  readonly name: string;
  readonly value: string;
  readonly index: number;
}

/** An image config's environment, read from its `KEY=value` strings. */
export function envOf(env: readonly string[] | undefined): EnvVar[] {
  return (env ?? []).map((e, index) => {
    const eq = e.indexOf('=');
    return eq < 0 ? { name: e, value: '', index } : { name: e.slice(0, eq), value: e.slice(eq + 1), index };
  });
}
