// fix --prove: builds and runs the original and the hardened Dockerfile the same way, and when the
// hardened one is not proven, bisects its fixes by rule and keeps only those that pass.
import { randomBytes } from 'node:crypto';
import type { Engine } from '../effects/docker-engine';
import { decide, lastLine, type Verdict } from './decide';
import { observe, type Observation, type RunSpec } from './observe';
import { findBreaking } from './search';

export const PROVE_LABEL = 'io.harden-dockerfile.prove';

export interface ProveOptions {
  readonly env: readonly string[];
  readonly timeoutMs: number;
  readonly path: string;
  readonly maxBuilds: number;
  /** Keep the proven hardened image under this name. */
  readonly keepTag?: string;
}

/** A rewrite with only some rules' fixes: its text, the build context it needs, and the rules applied. */
export interface Rewrite {
  readonly text: string;
  readonly contextDir: string;
  /** Rules with an applied fix, in order. */
  readonly rules: readonly string[];
  /** A non-root user is among the fixes: the main process must not run as uid 0. */
  readonly nonRoot: boolean;
}

/** What the prove found; `proof` in the JSON report. */
export interface Proof {
  /** The written rewrite builds and behaves as the original (`true` when nothing had to be dropped or what was left proves). */
  readonly proven: boolean;
  readonly original: Observation;
  /** The image of the rewrite that is written (absent when nothing is written). */
  readonly hardened?: Observation;
  /** Builds of hardened images, the first one included. */
  readonly builds: number;
  readonly bisected: boolean;
  /** Rules whose fixes were dropped, with the evidence. */
  readonly dropped: readonly { readonly rule: string; readonly evidence: string }[];
  /** Why nothing is written, or why the prove stopped. */
  readonly reason?: string;
  readonly wallMs: number;
}

export interface ProveOutcome {
  readonly proof: Proof;
  /** The rules whose fixes are kept; undefined when the original's build fails. */
  readonly kept?: readonly string[];
  readonly baselineBroken: boolean;
}

/**
 * Proves `all` (the rewrite with every fix) against `original`; `rewriteWith(kept)` gives the
 * rewrite with only those rules' fixes. Everything it creates carries PROVE_LABEL and is removed
 * before it returns, also when it fails or is interrupted.
 */
export async function prove(
  engine: Engine,
  original: { text: string; contextDir: string },
  all: Rewrite,
  rewriteWith: (kept: readonly string[]) => Promise<Rewrite>,
  opts: ProveOptions,
): Promise<ProveOutcome> {
  const started = Date.now();
  const id = randomBytes(6).toString('hex');
  const label = `${PROVE_LABEL}=${id}`;
  const repo = `harden-prove-${id}`;
  const network = `harden-prove-${id}`;
  const tags: string[] = [];
  const cleanup = async () => {
    const force = { force: true };
    const containers = await engine.call(['ps', '-aq', '--filter', `label=${label}`], force);
    const ids = containers.stdout.split('\n').filter(Boolean);
    if (ids.length) await engine.call(['rm', '-f', '-v', ...ids], force);
    await engine.call(['network', 'rm', network], force);
    if (tags.length) await engine.call(['rmi', ...tags], force);
    // A build stopped half-way may still have tagged its image.
    const images = await engine.call(['images', '-q', '--filter', `label=${label}`], force);
    // The image kept under --prove-tag stays.
    const kept = opts.keepTag
      ? (await engine.call(['image', 'inspect', '--format', '{{.Id}}', opts.keepTag], force)).stdout.trim()
      : '';
    const left = [...new Set(images.stdout.split('\n').filter(Boolean))].filter((i) => !kept.includes(i));
    if (left.length) await engine.call(['rmi', '-f', ...left], force);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    engine.interrupt();
    void cleanup().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const made = await engine.call(['network', 'create', '--label', label, network]);
    if (made.code !== 0) throw new Error(`could not create a network: ${made.stderr.trim()}`);
    const run: RunSpec = {
      env: opts.env,
      timeoutMs: opts.timeoutMs,
      path: opts.path,
      memory: '1g',
      pids: 512,
      network,
      label,
    };
    const image = (tag: string, text: string, contextDir: string) => {
      tags.push(tag);
      return observe(engine, { tag, contextDir, dockerfile: text, label }, run);
    };
    const baseTag = `${repo}:original`;
    const base = await image(baseTag, original.text, original.contextDir);
    const done = (p: Omit<Proof, 'wallMs' | 'original'>, kept?: readonly string[]): ProveOutcome => ({
      proof: { ...p, original: base, wallMs: Date.now() - started },
      kept,
      baselineBroken: false,
    });
    if (!base.built)
      return {
        proof: {
          proven: false,
          original: base,
          builds: 0,
          bisected: false,
          dropped: [],
          reason: `the original does not build: ${lastLine((base.buildError ?? '').trim().split('\n'))}`,
          wallMs: Date.now() - started,
        },
        baselineBroken: true,
      };
    // Rewrites with the same text are one try.
    type Tried = { verdict: Verdict; observed: Observation; tag: string };
    const seen = new Map<string, Tried>();
    let builds = 0;
    /** The rewrite built, run and judged; undefined when it needs a build past --prove-max-builds. */
    const tryRewrite = async (r: Rewrite): Promise<Tried | undefined> => {
      const key = `${r.contextDir}\u0000${r.text}`;
      const known = seen.get(key);
      if (known) return known;
      if (r.text === original.text && r.contextDir === original.contextDir) {
        const same = { verdict: { proven: true }, observed: base, tag: baseTag };
        seen.set(key, same);
        return same;
      }
      if (builds >= Math.max(1, opts.maxBuilds)) return undefined;
      builds++;
      const tag = `${repo}:hardened-${builds}`;
      const observed = await image(tag, r.text, r.contextDir);
      const tried = { verdict: decide(base, observed, r.nonRoot), observed, tag };
      seen.set(key, tried);
      return tried;
    };
    const first = (await tryRewrite(all)) as Tried;
    /** The proven image, kept under --prove-tag when asked. */
    const keep = async (t: Tried) => {
      if (opts.keepTag) await engine.call(['tag', t.tag, opts.keepTag]);
      return t.observed;
    };
    if (first.verdict.proven)
      return done(
        { proven: true, hardened: await keep(first), builds, bisected: false, dropped: [] },
        all.rules,
      );
    const search = await findBreaking(
      all.rules,
      first.verdict,
      async (kept) => (await tryRewrite(await rewriteWith(kept)))?.verdict,
    );
    // The search ended on a proven try of these rules: it is not built again.
    const tried = search.exhausted ? undefined : await tryRewrite(await rewriteWith(search.kept));
    if (!tried?.verdict.proven)
      return done({
        proven: false,
        builds,
        bisected: true,
        dropped: search.dropped,
        reason: tried
          ? tried.verdict.evidence
          : `no proven set of fixes found within ${opts.maxBuilds} builds (--prove-max-builds)`,
      });
    return done(
      { proven: true, hardened: await keep(tried), builds, bisected: true, dropped: search.dropped },
      search.kept,
    );
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await cleanup();
  }
}
