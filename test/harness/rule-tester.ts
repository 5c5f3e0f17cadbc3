import { fixersByRule } from '../../fixers';
import { rules as allRules } from '../../rules';
import type { Dockerfile } from '../../src/core/model';
import { parseDockerfile } from '../../src/core/parse-dockerfile';
import { LineIndex } from '../../src/core/source';
import type { ShellParser } from '../../src/core/parse-shell';
import { loadShellParser } from '../../src/effects/shell';
import { DEFAULT_CONFIG, type Config } from '../../src/engine/config';
import type { Fixer } from '../../src/engine/define-fixer';
import type { Finding, Rule } from '../../src/engine/define-rule';
import { harden, type HardenResult } from '../../src/engine/harden';
import type { ContextReader } from '../../src/engine/context-files';
import { loadContextFiles } from '../../src/engine/context-files';
import { runRules } from '../../src/engine/run-rules';
import { verifyRewrite } from '../../src/engine/verify';
import type { Resolver, Result } from '../../src/resolve/types';

export interface ExpectedError {
  readonly messageId: string;
  readonly line?: number;
  readonly column?: number;
}

export interface InvalidCase {
  readonly code: string;
  readonly errors: readonly ExpectedError[];
  /** Look-up answers by request key; any other request answers not-found. */
  readonly resolutions?: Readonly<Record<string, string>>;
  /** The fixed text, one string per pass when it takes several; null when no fix applies. */
  readonly output?: string | readonly string[] | null;
  readonly config?: Partial<Config>;
  readonly name?: string;
  /** Build-context files by context path (requirements files). */
  readonly files?: Readonly<Record<string, string>>;
  /** Expected build-context files after the fix (only those that change). */
  readonly filesOutput?: Readonly<Record<string, string>>;
}

export type ValidCase =
  | string
  | {
      readonly code: string;
      readonly config?: Partial<Config>;
      readonly name?: string;
      readonly files?: Readonly<Record<string, string>>;
    };

export function contextOf(files: Readonly<Record<string, string>> = {}): ContextReader {
  return { read: async (p) => files[p] };
}

let shell: ShellParser | undefined;
export async function testShell(): Promise<ShellParser> {
  shell ??= await loadShellParser();
  return shell;
}

export function deepFreeze<T>(value: T, seen = new Set<unknown>()): T {
  if (value && typeof value === 'object' && !seen.has(value)) {
    seen.add(value);
    for (const v of Object.values(value as object)) deepFreeze(v, seen);
    // Shell bodies, ENV/ARG/LABEL pairs and a model's tool calls are worked out on first read, by
    // getters: freeze them too.
    if ('script' in value) deepFreeze((value as { script?: unknown }).script, seen);
    if ('calls' in value) deepFreeze((value as { calls?: unknown }).calls, seen);
    if ('pairs' in value) deepFreeze((value as { pairs?: unknown }).pairs, seen);
    Object.freeze(value);
  }
  return value;
}

export function fixtureResolver(answers: Readonly<Record<string, string>> = {}): Resolver {
  return {
    async resolve(requests) {
      return new Map(
        requests.map((r): [string, Result<string>] => [
          r.key,
          r.key in answers ? { ok: true, value: answers[r.key] } : { ok: false, reason: 'not-found' },
        ]),
      );
    },
  };
}

export function parse(code: string, s: ShellParser): Dockerfile {
  return deepFreeze(parseDockerfile({ path: 'Dockerfile', text: code }, s));
}

export async function lint(
  rule: Rule,
  code: string,
  s: ShellParser,
  config: Partial<Config> = {},
  files: Readonly<Record<string, string>> = {},
): Promise<Finding[]> {
  const model = parse(code, s);
  const loaded = await loadContextFiles(model, contextOf(files));
  return runRules(model, [rule], { ...DEFAULT_CONFIG, ...config }, { read: (p) => loaded.get(p) });
}

function checkFix(rule: Rule, fixer: Fixer | undefined, c: InvalidCase, s: ShellParser): Promise<void> {
  const fixers = new Map(fixer ? [[rule.id, fixer]] : []);
  const config = { ...DEFAULT_CONFIG, ...c.config };
  const resolver = fixtureResolver(c.resolutions);
  const opts = { rules: [rule], fixers, config, resolver, shell: s, fix: true, context: contextOf(c.files) };
  return (async () => {
    const result = await harden({ path: 'Dockerfile', text: c.code }, opts);
    const passes =
      c.output === undefined || c.output === null
        ? [c.code]
        : typeof c.output === 'string'
          ? [c.output]
          : c.output;
    if ((result.output !== c.code || result.contextChanges.length > 0) && c.output === undefined) {
      throw new Error(`a fix happened but the case has no output:\n${result.output}`);
    }
    if (c.output === null || c.output === undefined) {
      expect(result.output).toBe(c.code);
      if (!c.filesOutput) return;
    }
    const changed = Object.fromEntries(result.contextChanges.map((ch) => [ch.path, ch.after]));
    expect(changed).toEqual(c.filesOutput ?? {});
    const final = passes[passes.length - 1];
    expect(final !== c.code || result.contextChanges.length > 0).toBe(true);
    expect(result.output).toBe(final);
    expect(verifyRewrite(parse(c.code, s), parse(final, s))).toBeUndefined();
    expect(result.dropped).toEqual([]);
    const fixedFiles = { ...c.files, ...changed };
    const again = await harden(
      { path: 'Dockerfile', text: final },
      { ...opts, context: contextOf(fixedFiles) },
    );
    expect(again.output).toBe(final);
    expect(again.contextChanges).toEqual([]);
  })();
}

/** Table-driven rule tests, in the manner of ESLint's RuleTester. */
export const ruleTester = {
  run(rule: Rule, cases: { valid: readonly ValidCase[]; invalid: readonly InvalidCase[] }): void {
    const fixer = fixersByRule.get(rule.id);
    describe(rule.id, () => {
      beforeAll(testShell);
      it('is registered and has valid and invalid cases', () => {
        expect(allRules).toContain(rule);
        expect(cases.valid.length).toBeGreaterThan(0);
        expect(cases.invalid.length).toBeGreaterThan(0);
      });
      cases.valid.forEach((v, i) => {
        const c = typeof v === 'string' ? { code: v } : v;
        it(`valid #${i + 1}${c.name ? ` ${c.name}` : ''}`, async () => {
          const findings = await lint(rule, c.code, await testShell(), c.config, c.files);
          expect(findings.map((f) => f.message)).toEqual([]);
        });
      });
      cases.invalid.forEach((c, i) => {
        it(`invalid #${i + 1}${c.name ? ` ${c.name}` : ''}`, async () => {
          const s = await testShell();
          const model = parse(c.code, s);
          const findings = await lint(rule, c.code, s, c.config, c.files);
          for (const f of findings) expect(Object.keys(rule.messages)).toContain(f.messageId);
          const got = findings.map((f) => {
            const lines = f.file === undefined ? model.lines : new LineIndex(c.files?.[f.file] ?? '');
            const p = lines.positionAt(f.range.start);
            return { messageId: f.messageId, line: p.line, column: p.column };
          });
          const want = c.errors.map((e, j) => ({
            messageId: e.messageId,
            line: e.line ?? got[j]?.line,
            column: e.column ?? got[j]?.column,
          }));
          expect(got).toEqual(want);
          await checkFix(rule, fixer, c, s);
        });
      });
    });
  },
};

/**
 * Fixes a Dockerfile with every rule and fixer, look-ups answered from `answers` (any other
 * not-found), build-context files from `files`.
 */
export async function fixWithAll(
  text: string,
  answers: Readonly<Record<string, string>> = {},
  files: Readonly<Record<string, string>> = {},
  config: Partial<Config> = {},
): Promise<HardenResult> {
  return harden(
    { path: 'Dockerfile', text },
    {
      rules: allRules,
      fixers: fixersByRule,
      config: { ...DEFAULT_CONFIG, ...config },
      resolver: fixtureResolver(answers),
      shell: await testShell(),
      fix: true,
      context: contextOf(files),
    },
  );
}
