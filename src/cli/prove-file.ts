// fix --prove for one Dockerfile: the rewrite with every fix and with subsets of them (by rule) on
// the user's engine (prove/prove.ts); what is written is the proven rewrite, the rest is skipped.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fixersByRule } from '../../fixers';
import type { Fixer } from '../engine/define-fixer';
import { NON_ROOT_RULES, type FixRecord, type HardenResult } from '../engine/harden';
import type { Engine } from '../effects/docker-engine';
import { prove, type Proof, type Rewrite } from '../prove/prove';
import type { ProveFlags } from './options';

export interface ProvedFile {
  readonly result: HardenResult;
  readonly proof: Proof;
  readonly baselineBroken: boolean;
}

/** Rules with an applied fix, in the order of their first record. */
const rulesOf = (r: HardenResult) => [...new Set(r.applied.map((a) => a.ruleId))];

/**
 * Proves `result` (the rewrite of `text` with every fix); `hardenWith(fixers)` hardens the same text
 * with only those of the fixers. Build-context files the rewrite changes (pinned requirements) are written
 * into a copy of the context, never into the user's folder.
 */
export async function proveFile(
  engine: Engine,
  file: {
    readonly text: string;
    readonly contextDir: string;
    readonly result: HardenResult;
    readonly hardenWith: (fixers: ReadonlyMap<string, Fixer>) => Promise<HardenResult>;
  },
  flags: ProveFlags,
): Promise<ProvedFile> {
  const { text, contextDir, result, hardenWith } = file;
  const fixers = fixersByRule;
  const copies: string[] = [];
  const results = new Map<string, HardenResult>();
  const rewriteOf = (r: HardenResult): Rewrite => {
    let dir = contextDir;
    if (r.contextChanges.length > 0) {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harden-prove-context-'));
      copies.push(dir);
      fs.cpSync(contextDir, dir, { recursive: true, filter: (src) => path.basename(src) !== '.git' });
      for (const c of r.contextChanges) fs.writeFileSync(path.join(dir, c.path), c.after);
    }
    const rules = rulesOf(r);
    return { text: r.output, contextDir: dir, rules, nonRoot: rules.some((id) => NON_ROOT_RULES.has(id)) };
  };
  // A subset leaves out the other rules that applied; the fixers that only skipped still run, so
  // their reasons speak of the text the subset writes (and whatever they write is built too).
  const applied = new Set(rulesOf(result));
  const withRules = async (kept: readonly string[]) => {
    const key = kept.join('\u0000');
    let r = results.get(key);
    if (!r) {
      r = await hardenWith(new Map([...fixers].filter(([id]) => kept.includes(id) || !applied.has(id))));
      results.set(key, r);
    }
    return r;
  };
  try {
    const outcome = await prove(
      engine,
      { text, contextDir },
      rewriteOf(result),
      async (kept) => rewriteOf(await withRules(kept)),
      {
        env: flags.env,
        timeoutMs: flags.timeoutMs,
        path: flags.path,
        maxBuilds: flags.maxBuilds,
        keepTag: flags.tag,
      },
    );
    const { proof } = outcome;
    if (outcome.baselineBroken)
      return { result: unchanged(result, text, 'the original does not build'), proof, baselineBroken: true };
    if (!proof.proven || !outcome.kept)
      return {
        result: unchanged(result, text, `not proven: ${proof.reason ?? ''}`),
        proof,
        baselineBroken: false,
      };
    if (proof.dropped.length === 0) return { result, proof, baselineBroken: false };
    const kept = await withRules(outcome.kept);
    const evidence = new Map(proof.dropped.map((d) => [d.rule, d.evidence]));
    const breaking: FixRecord[] = result.applied
      .filter((a) => evidence.has(a.ruleId))
      .map((a) => ({ ...a, reason: `breaks the image: ${evidence.get(a.ruleId)}`, from: undefined }));
    return {
      result: { ...kept, skipped: [...kept.skipped, ...breaking] },
      proof,
      baselineBroken: false,
    };
  } finally {
    for (const dir of copies) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Nothing is written: every applied fix is reported as skipped with `why`. */
function unchanged(result: HardenResult, text: string, why: string): HardenResult {
  return {
    ...result,
    output: text,
    contextChanges: [],
    applied: [],
    skipped: [...result.skipped, ...result.applied.map((a) => ({ ...a, reason: why, from: undefined }))],
  };
}
