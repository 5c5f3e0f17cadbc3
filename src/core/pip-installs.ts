import type { Dockerfile } from './model';
import { invocations, type Invocation } from './shell-commands';
import { isTruthy } from './stage-env';

/**
 * `pip install`, `pipx install` and `uv pip install` (and `uv pip sync`, when `withSync`), read
 * alike: for uv, the invocation's subcommand is the word after `pip`. In document order.
 */
export function pipInstalls(model: Dockerfile, withSync = false): Invocation[] {
  const out = invocations(model, ['pip', 'pipx'], ['install']);
  // `uv` is a common substring: only RUNs whose text says `uv … pip` are parsed for it.
  const uvRuns = model.runs.filter((r) => /(?:^|[\s;&|/])uv\s(?:.*\s)?pip\s/.test(r.instr.plainText));
  if (uvRuns.length === 0) return out;
  for (const run of uvRuns) {
    for (const inv of model.callsIn(run)) {
      if (inv.tool !== 'uv' || inv.sub?.value !== 'pip') continue;
      const rest = inv.args.slice(inv.subIndex + 1);
      const k = rest.findIndex((w) => !w.value.startsWith('-'));
      const sub = rest[k]?.value;
      if (sub !== 'install' && !(withSync && sub === 'sync')) continue;
      out.push({ ...inv, sub: rest[k], subIndex: inv.subIndex + 1 + k });
    }
  }
  return out.sort((a, b) => a.command.range.start - b.command.range.start);
}

/**
 * Where a pip install takes its packages from: the default index (the configured one), an index the
 * command names (`-i`, `--index-url`, `PIP_INDEX_URL`), or somewhere a pin from an index cannot speak
 * for (`--no-index`, `--find-links`, `--extra-index-url`, a variable URL), with why.
 */
export type PipSource =
  | { readonly kind: 'default' }
  | { readonly kind: 'index'; readonly url: string }
  | { readonly kind: 'elsewhere'; readonly why: string };

/** A URL with any user and password taken out: an index URL may carry a token. */
export function withoutCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, '$1***@');
}

/** `env`: the variables the command sees from ENV instructions (see stage-env.ts). */
export function pipSource(inv: Invocation, env: ReadonlyMap<string, string>): PipSource {
  const vars = new Map(env);
  for (const a of inv.command.assignments) vars.set(a.name, a.value);
  let index: string | undefined = vars.get('PIP_INDEX_URL') || undefined;
  const elsewhere = (why: string): PipSource => ({ kind: 'elsewhere', why });
  const noIndex = vars.get('PIP_NO_INDEX');
  if (isTruthy(noIndex) || noIndex?.includes('$'))
    return elsewhere('installs from local files only (PIP_NO_INDEX)');
  for (const name of [
    'PIP_FIND_LINKS',
    'PIP_EXTRA_INDEX_URL',
    'UV_FIND_LINKS',
    'UV_EXTRA_INDEX_URL',
    'UV_INDEX',
  ])
    if (vars.get(name)) return elsewhere(`also installs from ${name}`);
  index ??= vars.get('UV_DEFAULT_INDEX') || vars.get('UV_INDEX_URL') || undefined;
  const args = inv.args;
  for (let i = inv.subIndex + 1; i < args.length; i++) {
    const v = args[i].value;
    const value = (long: string, short?: string): string | undefined => {
      if (v === long || (short && v === short)) return args[++i]?.value ?? '';
      if (v.startsWith(`${long}=`)) return v.slice(long.length + 1);
      if (short && v.startsWith(short) && !v.startsWith('--')) return v.slice(short.length);
      return undefined;
    };
    if (v === '--no-index') return elsewhere('installs from local files only (--no-index)');
    if (value('--find-links', '-f') !== undefined) return elsewhere('also installs from --find-links');
    if (value('--extra-index-url') !== undefined) return elsewhere('also installs from --extra-index-url');
    if (value('--index') !== undefined) return elsewhere('also installs from --index');
    const url = value('--index-url', '-i') ?? value('--default-index');
    if (url !== undefined) index = url;
  }
  if (index === undefined) return { kind: 'default' };
  if (!/^https?:\/\/[^\s$`]+$/i.test(index))
    return elsewhere(`installs from an index named by a variable (${withoutCredentials(index)})`);
  return { kind: 'index', url: index };
}
