import { diffArrays } from 'diff';
import * as fs from 'node:fs';
import { rules } from '../../rules';
import { parseDockerfile } from '../../src/core/parse-dockerfile';
import type { ShellParser } from '../../src/core/parse-shell';
import { instrAt } from '../../src/core/shell-commands';
import { DEFAULT_CONFIG } from '../../src/engine/config';
import { contextReader } from '../../src/cli/run';
import { nodeFileSystem } from '../../src/effects/fs';
import { harden, type HardenOptions } from '../../src/engine/harden';
import { runRules } from '../../src/engine/run-rules';
import { verifyRewrite } from '../../src/engine/verify';
import { runCli } from '../harness/cli';
import { loadCorpus, type CorpusEntry } from '../harness/corpus';
import { fixOptions } from '../harness/fix-options';
import { outcomeGaps } from '../harness/outcomes';
import { parse, testShell } from '../harness/rule-tester';

const corpus = loadCorpus();
const WHOLE_STAGE = new Set(['run-as-non-root', 'no-root-user', 'prefer-slim-base']);
const opts = async () => fixOptions(await testShell());
/** The options with the entry's build context, as `fix` reads it (its requirements files). */
const inContext = (o: HardenOptions, entry: CorpusEntry): HardenOptions => ({
  ...o,
  context: contextReader(nodeFileSystem, entry.dir),
});

describe('the real-world corpus', () => {
  it('has the 310 files', () => {
    expect(corpus.length).toBe(310);
  });

  it('a lint parses only the RUN bodies that can hold what a rule looks for', async () => {
    // A count, not a timing: a rule that reads every body without asking `mentions` first shows here.
    const shell = await testShell();
    let parsed = 0;
    const counting: ShellParser = {
      parse: (...args) => {
        parsed++;
        return shell.parse(...args);
      },
      shape: (text) => shell.shape(text),
    };
    let bodies = 0;
    for (const entry of corpus) {
      const model = parseDockerfile(
        { path: 'Dockerfile', text: fs.readFileSync(entry.dockerfile, 'utf8') },
        counting,
      );
      bodies += model.runs.filter((r) => r.instr.form === 'shell').length;
      runRules(model, rules, DEFAULT_CONFIG);
    }
    expect(bodies).toBeGreaterThan(1200);
    expect(parsed / bodies).toBeLessThan(0.6);
  });

  it('fix --offline exits 0 or 1 on every file and prints a Dockerfile with the same stages', async () => {
    const s = await testShell();
    for (const entry of corpus) {
      const { code, stdout, stderr } = await runCli(['fix', '--offline', entry.dockerfile]);
      expect({ id: entry.id, code }).toEqual({ id: entry.id, code: code === 0 ? 0 : 1 });
      expect(stderr).not.toMatch(/internal error|\n\s+at /);
      const before = parse(fs.readFileSync(entry.dockerfile, 'utf8'), s);
      expect({ id: entry.id, problem: verifyRewrite(before, parse(stdout, s)) }).toEqual({
        id: entry.id,
        problem: undefined,
      });
    }
  }, 300000);

  it('every fixable finding ends in exactly one outcome: fixed, skipped with a reason, or refused', async () => {
    const o = await opts();
    const lost: string[] = [];
    const twice: string[] = [];
    for (const entry of corpus) {
      const text = fs.readFileSync(entry.dockerfile, 'utf8');
      const r = await harden({ path: entry.id, text }, inContext(o, entry));
      const gaps = outcomeGaps(entry.id, r, (id) => o.fixers.has(id));
      lost.push(...gaps.lost);
      twice.push(...gaps.twice);
    }
    expect({ lost, twice }).toEqual({ lost: [], twice: [] });
  }, 300000);

  it('fixing the fixed output changes nothing, and the meaning check refuses no fix', async () => {
    const o = await opts();
    let changed = 0;
    for (const entry of corpus) {
      const text = fs.readFileSync(entry.dockerfile, 'utf8');
      const first = await harden({ path: entry.id, text }, inContext(o, entry));
      expect({ id: entry.id, dropped: first.dropped }).toEqual({ id: entry.id, dropped: [] });
      expect({ id: entry.id, files: first.contextChanges }).toEqual({ id: entry.id, files: [] });
      const second = await harden({ path: entry.id, text: first.output }, inContext(o, entry));
      expect({ id: entry.id, same: second.output === first.output }).toEqual({ id: entry.id, same: true });
      if (first.output !== text) changed++;
    }
    expect(changed).toBeGreaterThan(200);
  }, 300000);

  it('changes only lines of instructions it reports on, and keeps every comment', async () => {
    const o = await opts();
    const violations: string[] = [];
    for (const entry of corpus) {
      const text = fs.readFileSync(entry.dockerfile, 'utf8');
      const result = await harden({ path: entry.id, text }, inContext(o, entry));
      const model = result.model;
      const allowed = new Set<number>();
      for (const f of result.findings) {
        const ins = instrAt(model, f.range.start);
        // The user fixes also give later COPY/ADD of the stage `--chown`, and a build split moves the
        // stage's pip RUNs into its builder: the whole stage is theirs.
        const stage = ins && WHOLE_STAGE.has(f.ruleId) ? model.stages[ins.stage] : undefined;
        const scope = stage
          ? { start: stage.from.range.start, end: model.source.text.length }
          : (ins?.range ?? f.range);
        const [from, to] = [scope.start, scope.end];
        for (let l = model.lines.lineOf(from); l <= model.lines.lineOf(to); l++) allowed.add(l);
        // A FROM assembled around an ARG (`python:${PY}-slim`) is fixed in that ARG's default.
        const template = ins?.kind === 'from' ? ins.image.template : undefined;
        if (template) allowed.add(model.lines.lineOf(template.argRange.start));
      }
      let line = 0;
      for (const part of diffArrays(text.split('\n'), result.output.split('\n'))) {
        if (part.removed) {
          for (let i = 0; i < part.count!; i++)
            if (!allowed.has(line + i)) violations.push(`${entry.id}:${line + i + 1}`);
        }
        if (!part.added) line += part.count!;
      }
      const comments = text.split('\n').filter((l) => l.trimStart().startsWith('#'));
      const kept = new Set(result.output.split('\n'));
      expect(comments.filter((c) => !kept.has(c))).toEqual([]);
    }
    expect(violations).toEqual([]);
  }, 300000);
});
