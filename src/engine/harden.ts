import type { Dockerfile } from '../core/model';
import { parseDockerfile } from '../core/parse-dockerfile';
import type { ShellParser } from '../core/parse-shell';
import type { SourceFile } from '../core/source';
import { resolutionsOf, type Resolver } from '../resolve/types';
import { applyEdits, type EditGroup } from './apply-edits';
import type { Config } from './config';
import { isSkip, type Fixer } from './define-fixer';
import type { Finding, Rule } from './define-rule';
import { runRules } from './run-rules';
import { verifyRewrite } from './verify';

export const MAX_PASSES = 5;

export interface HardenOptions {
  readonly rules: readonly Rule[];
  readonly fixers: ReadonlyMap<string, Fixer>;
  readonly config: Config;
  readonly resolver: Resolver;
  readonly shell: ShellParser;
  /** Rewrite the file; when false only the findings are computed. */
  readonly fix: boolean;
}

/** A change made, or refused, with the line (1-based, in the text it applied to) and why. */
export interface FixRecord {
  readonly ruleId: string;
  readonly message: string;
  readonly line: number;
  readonly review: boolean;
  readonly reason?: string;
}

export interface HardenResult {
  readonly source: SourceFile;
  readonly model: Dockerfile;
  /** Findings on the original text. */
  readonly findings: readonly Finding[];
  readonly output: string;
  readonly applied: readonly FixRecord[];
  /** Fixable findings left as they were, with the fixer's reason. */
  readonly skipped: readonly FixRecord[];
  /** Fixes whose output did not verify and were dropped. */
  readonly dropped: readonly FixRecord[];
  /** Findings on the output. */
  readonly remaining: readonly Finding[];
  readonly passes: number;
}

function record(model: Dockerfile, f: Finding, rules: ReadonlyMap<string, Rule>, reason?: string): FixRecord {
  return {
    ruleId: f.ruleId,
    message: f.message,
    line: model.lines.positionAt(f.range.start).line,
    review: rules.get(f.ruleId)?.fix === 'review',
    reason,
  };
}

/** lint → resolve → fix → verify, in passes until nothing changes. Pure but for the resolver. */
export async function harden(source: SourceFile, opts: HardenOptions): Promise<HardenResult> {
  const ruleById = new Map(opts.rules.map((r) => [r.id, r]));
  const original = parseDockerfile(source, opts.shell);
  const findings = runRules(original, opts.rules, opts.config);
  const applied: FixRecord[] = [];
  const dropped: FixRecord[] = [];
  let skipped: FixRecord[] = [];
  let model = original;
  let current = findings;
  let passes = 0;
  const seen = new Set<string>([source.text]);
  while (opts.fix && passes < MAX_PASSES) {
    passes++;
    const fixable = current.filter((f) => opts.fixers.has(f.ruleId));
    const distinct = new Map(fixable.flatMap((f) => f.needs).map((n) => [n.key, n]));
    const resolutions = resolutionsOf(await opts.resolver.resolve([...distinct.values()]));
    const groups: EditGroup<Finding>[] = [];
    skipped = [];
    for (const f of fixable) {
      if (opts.config.safeOnly && ruleById.get(f.ruleId)?.fix === 'review') {
        skipped.push(record(model, f, ruleById, 'needs review (--safe-only)'));
        continue;
      }
      const result = (opts.fixers.get(f.ruleId) as Fixer).fix(f, { model, resolutions });
      if (isSkip(result)) skipped.push(record(model, f, ruleById, result.skipped));
      else if (result.length > 0) groups.push({ edits: result, tag: f });
    }
    if (groups.length === 0) break;
    const next = verifiedRewrite(model, groups, opts, dropped, ruleById);
    if (next === undefined || seen.has(next.source.text)) break;
    for (const g of next.applied) applied.push(record(model, g.tag, ruleById));
    seen.add(next.source.text);
    model = next;
    current = runRules(model, opts.rules, opts.config);
  }
  return {
    source,
    model: original,
    findings,
    output: model.source.text,
    applied,
    skipped,
    dropped,
    remaining: current,
    passes,
  };
}

/** Applies the groups; when the result fails verification, retries them one by one and drops the bad ones. */
function verifiedRewrite(
  model: Dockerfile,
  groups: readonly EditGroup<Finding>[],
  opts: HardenOptions,
  dropped: FixRecord[],
  rules: ReadonlyMap<string, Rule>,
): (Dockerfile & { applied: readonly EditGroup<Finding>[] }) | undefined {
  const attempt = (gs: readonly EditGroup<Finding>[]) => {
    const out = applyEdits(model.source.text, gs);
    const next = parseDockerfile({ path: model.source.path, text: out.text }, opts.shell);
    return { next, applied: out.applied, reason: verifyRewrite(model, next) };
  };
  const all = attempt(groups);
  if (!all.reason) return all.applied.length > 0 ? { ...all.next, applied: all.applied } : undefined;
  const good: EditGroup<Finding>[] = [];
  for (const g of groups) {
    const one = attempt([...good, g]);
    if (one.reason) dropped.push(record(model, g.tag, rules, one.reason));
    else good.push(g);
  }
  if (good.length === 0) return undefined;
  const final = attempt(good);
  return final.reason ? undefined : { ...final.next, applied: final.applied };
}
