import type { Dockerfile } from '../core/model';
import { parseDockerfile } from '../core/parse-dockerfile';
import { rememberingShellParser, type ShellParser } from '../core/parse-shell';
import { parseRequirements } from '../core/requirements';
import { LineIndex, type SourceFile } from '../core/source';
import { resolutionsOf, type Resolver } from '../resolve/types';
import { applyEdits, type EditGroup } from './apply-edits';
import type { Config } from './config';
import { loadContextFiles, loadStartupFiles, type ContextReader } from './context-files';
import { isSkip, type Fixer, type TextEdit } from './define-fixer';
import type { ContextFiles, Finding, Rule } from './define-rule';
import { OriginMap } from './origin';
import { runRules } from './run-rules';
import { verifyRewrite } from './verify';
import { verifyMeaning, type PlacedEdit } from './verify-meaning';

export const MAX_PASSES = 5;

/** The rules whose fix makes the image run as a user other than root. */
export const NON_ROOT_RULES: ReadonlySet<string> = new Set(['run-as-non-root', 'no-root-user']);

export interface HardenOptions {
  readonly rules: readonly Rule[];
  readonly fixers: ReadonlyMap<string, Fixer>;
  readonly config: Config;
  readonly resolver: Resolver;
  readonly shell: ShellParser;
  /** Rewrite the file; when false only the findings are computed. */
  readonly fix: boolean;
  /** Reads files of the build context (requirements files); none are read without it. */
  readonly context?: ContextReader;
}

/** A change made, or refused, with the line (1-based, in the original text) and why. */
export interface FixRecord {
  readonly ruleId: string;
  readonly message: string;
  readonly line: number;
  readonly review: boolean;
  readonly reason?: string;
  readonly file?: string;
  /** Where the looked-up values of an applied fix came from. */
  readonly from?: readonly string[];
}

/** A build-context file the fix rewrote. */
export interface ContextChange {
  readonly path: string;
  readonly before: string;
  readonly after: string;
}

export interface HardenResult {
  readonly source: SourceFile;
  readonly model: Dockerfile;
  /** Findings on the original text (and the original context files). */
  readonly findings: readonly Finding[];
  /** Original texts of the context files the rules read. */
  readonly contextFiles: ReadonlyMap<string, string>;
  readonly output: string;
  readonly contextChanges: readonly ContextChange[];
  readonly applied: readonly FixRecord[];
  /** Fixable findings left as they were, with the fixer's reason. */
  readonly skipped: readonly FixRecord[];
  /** Fixes whose output did not verify and were dropped. */
  readonly dropped: readonly FixRecord[];
  /** Findings on the output. */
  readonly remaining: readonly Finding[];
  readonly passes: number;
}

interface State {
  readonly model: Dockerfile;
  readonly files: Map<string, string>;
}

function filesOf(state: State): ContextFiles {
  return { read: (p) => state.files.get(p) };
}

/** lint → resolve → fix → verify, in passes until nothing changes. Pure but for the resolver and reader. */
export async function harden(source: SourceFile, options: HardenOptions): Promise<HardenResult> {
  // The passes re-parse the file after each round of edits; bodies no edit touched are not parsed again.
  const opts = options.fix ? { ...options, shell: rememberingShellParser(options.shell) } : options;
  const ruleById = new Map(opts.rules.map((r) => [r.id, r]));
  const original = parseDockerfile(source, opts.shell);
  const originalFiles = opts.context
    ? await loadContextFiles(original, opts.context)
    : new Map<string, string>();
  // Findings of later passes sit in rewritten text; records name the line in the original.
  const origins = new Map<string | undefined, OriginMap>();
  const originOf = (doc: string | undefined) => {
    let map = origins.get(doc);
    if (!map) origins.set(doc, (map = new OriginMap()));
    return map;
  };
  const originalLines = new Map<string | undefined, LineIndex>([[undefined, original.lines]]);
  const linesOf = (doc: string) => {
    let lines = originalLines.get(doc);
    if (!lines) originalLines.set(doc, (lines = new LineIndex(originalFiles.get(doc) ?? '')));
    return lines;
  };
  const record = (f: Finding, reason?: string): FixRecord => {
    const at = originOf(f.file).toOriginal(f.range.start);
    return {
      ruleId: f.ruleId,
      message: f.message,
      line: (f.file === undefined ? original.lines : linesOf(f.file)).positionAt(at).line,
      review: ruleById.get(f.ruleId)?.fix === 'review',
      ...(reason !== undefined ? { reason } : {}),
      ...(f.file !== undefined ? { file: f.file } : {}),
    };
  };
  let state: State = { model: original, files: new Map(originalFiles) };
  const findings = runRules(original, opts.rules, opts.config, filesOf(state));
  // The non-root fix reads how the image starts: its scripts and configs, only when it runs.
  if (opts.fix && opts.context && findings.some((f) => NON_ROOT_RULES.has(f.ruleId))) {
    const startup = new Map<string, string>();
    await loadStartupFiles(original, opts.context, startup);
    // Read, never written: the original texts hold them too, so no change is reported.
    for (const [p, text] of startup)
      if (!state.files.has(p)) {
        state.files.set(p, text);
        originalFiles.set(p, text);
      }
  }
  const applied: FixRecord[] = [];
  const dropped: FixRecord[] = [];
  let skipped: FixRecord[] = [];
  const pending: FixRecord[] = [];
  let current = findings;
  let passes = 0;
  const seen = new Set<string>([fingerprint(state)]);
  // A file Docker would refuse is left as it is: nothing is rewritten on a guess of what it means.
  const refused = findings.find((f) => f.ruleId === 'dockerfile-syntax');
  if (opts.fix && refused) {
    const at = original.lines.positionAt(refused.range.start).line;
    for (const f of findings) {
      if (opts.fixers.has(f.ruleId))
        skipped.push(record(f, `Docker would refuse the file (line ${at}: ${refused.message})`));
    }
  }
  while (opts.fix && !refused && passes < MAX_PASSES) {
    passes++;
    const fixable = current.filter((f) => opts.fixers.has(f.ruleId));
    const distinct = new Map(fixable.flatMap((f) => f.needs).map((n) => [n.key, n]));
    const resolutions = resolutionsOf(await opts.resolver.resolve([...distinct.values()]));
    const groups: EditGroup<Finding>[] = [];
    // What an earlier pass skipped may be gone now: it is settled at the end, like the pending ones.
    pending.push(...skipped);
    skipped = [];
    for (const f of fixable) {
      if (opts.config.safeOnly && ruleById.get(f.ruleId)?.fix === 'review') {
        skipped.push(record(f, 'needs review (--safe-only)'));
        continue;
      }
      const fixer = opts.fixers.get(f.ruleId) as Fixer;
      const result = fixer.fix(f, {
        model: state.model,
        resolutions,
        files: filesOf(state),
        pinPolicy: opts.config.pinPolicy,
        newUser: opts.config.newUser,
      });
      if (isSkip(result)) skipped.push(record(f, result.skipped));
      else if (result.length > 0) groups.push({ edits: result, tag: f });
      // No edit of its own: another fix's edit is to cover it (one SHELL line for a stage's RUNs).
      else pending.push(record(f));
    }
    if (groups.length === 0) break;
    // A new base variant goes first: the tag and digest pins of the same reference wait for the next
    // pass, and then pin the variant (`python:3.11` → `3.11-slim` → `3.11.9-slim@sha256:…`).
    groups.sort((a, b) => firstRank(a.tag.ruleId) - firstRank(b.tag.ruleId));
    const next = rewrite(state, groups, opts, (g, reason) => {
      const r = record(g.tag, reason);
      // A later pass may try the same fix again and be refused again: it is reported once.
      if (!dropped.some((d) => d.ruleId === r.ruleId && d.line === r.line && d.reason === r.reason))
        dropped.push(r);
    });
    if (!next || seen.has(fingerprint(next.state))) break;
    const appliedRecord = (g: EditGroup<Finding>): FixRecord => {
      const from = g.tag.needs.flatMap((n) => {
        const r = resolutions.get(n);
        return r.ok && r.source ? [r.source] : [];
      });
      return from.length > 0 ? { ...record(g.tag), from } : record(g.tag);
    };
    // Groups that overlapped an applied one wait for the next pass, where their finding may be gone;
    // one whose edits an applied group of its rule made to the letter (two stages' FROMs reading one
    // ARG default) was fixed by them.
    for (const g of groups) {
      if (next.applied.includes(g)) continue;
      const same = next.applied.some((a) => a.tag.ruleId === g.tag.ruleId && sameEdits(a.edits, g.edits));
      if (same) applied.push(appliedRecord(g));
      else pending.push(record(g.tag));
    }
    for (const g of next.applied) applied.push(appliedRecord(g));
    seen.add(fingerprint(next.state));
    for (const [doc, edits] of next.edits) originOf(doc).push(edits);
    state = next.state;
    current = runRules(state.model, opts.rules, opts.config, filesOf(state));
  }
  // Every fixable finding ends in one outcome: one that was waiting on another fix's edit and is no
  // longer found was fixed by that edit.
  const keyOf = (r: FixRecord) => `${r.ruleId}\u0000${r.line}\u0000${r.file ?? ''}`;
  const settled = new Set([...applied, ...skipped, ...dropped].map(keyOf));
  const open = pending.filter((p) => !settled.has(keyOf(p)));
  // Only the rules of findings still unsettled are looked for among the remaining ones.
  const rulesOpen = new Set(open.map((p) => p.ruleId));
  if (open.length > 0) for (const f of current) if (rulesOpen.has(f.ruleId)) settled.add(keyOf(record(f)));
  for (const p of open) {
    if (settled.has(keyOf(p))) continue;
    settled.add(keyOf(p));
    applied.push({ ...p, from: ['the edit of another fix'] });
  }
  const contextChanges = [...state.files]
    .filter(([p, text]) => originalFiles.get(p) !== text)
    .map(([p, after]) => ({ path: p, before: originalFiles.get(p) ?? '', after }));
  return {
    source,
    model: original,
    findings,
    contextFiles: originalFiles,
    output: state.model.source.text,
    contextChanges,
    applied,
    skipped,
    dropped,
    remaining: current,
    passes,
  };
}

/** Fixes that change what a later fix pins go first among edits that overlap. */
const FIRST = new Set(['prefer-slim-base']);
const firstRank = (ruleId: string) => (FIRST.has(ruleId) ? 0 : 1);

function fingerprint(state: State): string {
  return [state.model.source.text, ...[...state.files].map(([p, t]) => `${p}\u0000${t}`)].join('\u0001');
}

/**
 * Verifies one document's rewrite: the Dockerfile keeps its shape, a requirements file its
 * requirements. A Dockerfile's new model comes back too, so the next pass need not parse it again.
 */
function verifyDocument(
  state: State,
  file: string | undefined,
  text: string,
  placed: readonly PlacedEdit[],
  opts: HardenOptions,
): { reason?: string; model?: Dockerfile } {
  if (file === undefined) {
    const model = parseDockerfile({ path: state.model.source.path, text }, opts.shell);
    const reason = verifyRewrite(state.model, model) ?? verifyMeaning(state.model, model, placed, opts.shell);
    return { reason, model };
  }
  const before = parseRequirements(state.files.get(file) ?? '').requirements.length;
  const after = parseRequirements(text).requirements.length;
  return before === after ? {} : { reason: `${file} no longer reads as the same requirements` };
}

/**
 * Applies the groups, document by document; when a document's result fails verification, its groups
 * are retried one by one and the bad ones dropped.
 */
function rewrite(
  state: State,
  groups: readonly EditGroup<Finding>[],
  opts: HardenOptions,
  drop: (g: EditGroup<Finding>, reason: string) => void,
): { state: State; applied: EditGroup<Finding>[]; edits: Map<string | undefined, TextEdit[]> } | undefined {
  const byDoc = new Map<string | undefined, EditGroup<Finding>[]>();
  for (const g of groups) {
    const doc = g.edits[0]?.file;
    if (g.edits.some((e) => e.file !== doc)) {
      drop(g, 'a fix may edit only one file');
      continue;
    }
    byDoc.set(doc, [...(byDoc.get(doc) ?? []), g]);
  }
  const applied: EditGroup<Finding>[] = [];
  const edits = new Map<string | undefined, TextEdit[]>();
  let model = state.model;
  const files = new Map(state.files);
  for (const [doc, docGroups] of byDoc) {
    const before = doc === undefined ? state.model.source.text : state.files.get(doc);
    if (before === undefined) continue;
    const attempt = (gs: readonly EditGroup<Finding>[]) => {
      const out = applyEdits(before, gs);
      return { ...out, ...verifyDocument(state, doc, out.text, out.placed, opts) };
    };
    let result = attempt(docGroups);
    if (result.reason) {
      const good: EditGroup<Finding>[] = [];
      for (const g of docGroups) {
        const one = attempt([...good, g]);
        if (one.reason) drop(g, one.reason);
        else good.push(g);
      }
      result = attempt(good);
      if (result.reason) continue;
    }
    applied.push(...result.applied);
    edits.set(
      doc,
      result.applied.flatMap((g) => g.edits),
    );
    if (doc === undefined) {
      // The verified parse of the new text is the next pass's model.
      if (result.text !== state.model.source.text && result.model) model = result.model;
    } else files.set(doc, result.text);
  }
  if (applied.length === 0) return undefined;
  return { state: { model, files }, applied, edits };
}

/** Whether two fixes make the same edits: same places, same text, same files. */
function sameEdits(a: readonly TextEdit[], b: readonly TextEdit[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (e, i) =>
        e.range.start === b[i].range.start &&
        e.range.end === b[i].range.end &&
        e.text === b[i].text &&
        e.file === b[i].file,
    )
  );
}
