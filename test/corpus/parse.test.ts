import * as fs from 'node:fs';
import type { Dockerfile } from '../../src/core/model';
import {
  ADVERSARIAL_PAIRS,
  ADVERSARIAL_RUNS,
  expectPairsInPlainText,
  expectToolsInPlainText,
  parseWith,
  useShell,
  words,
} from '../harness/model';
import { parseDockerfile } from '../../src/core/parse-dockerfile';
import { rememberingShellParser, type ShellParser } from '../../src/core/parse-shell';
import { loadCorpus } from '../harness/corpus';
import { plainScript, plainShapeOf } from '../../src/core/plain-shell';
import { loadTreeSitterShell } from '../../src/effects/shell';
import { astOutline, bothModels, heredocContents, scanOutline } from '../harness/scan';

const shellOf = useShell();
const parse = (text: string): Dockerfile => parseWith(shellOf(), text);

describe('the model over the whole corpus', () => {
  it('remembers bodies across re-parses and moves them with the edits above, as a fresh parse reads them', () => {
    let parses = 0;
    const counting: ShellParser = {
      parse: (...args) => {
        parses++;
        return shellOf().parse(...args);
      },
      shape: (text) => shellOf().shape(text),
    };
    for (const entry of loadCorpus()) {
      const text = fs.readFileSync(entry.dockerfile, 'utf8');
      const remembering = rememberingShellParser(counting);
      parseDockerfile({ path: 'Dockerfile', text }, remembering);
      // An edit above every body (a new comment, a longer FROM line) moves them all; the comment goes
      // below any parser directive, which must stay first.
      const edits = [
        text.replace(/^(FROM\b)/im, '# moved\n$1'),
        text.replace(/^(\s*FROM\s+\S+)/im, '$1@sha256:abc'),
      ];
      for (const edited of edits) {
        const before = parses;
        const again = parseDockerfile({ path: 'Dockerfile', text: edited }, remembering);
        expect(parses).toBe(before);
        const fresh = parseDockerfile({ path: 'Dockerfile', text: edited }, shellOf());
        expect(JSON.stringify(again.instructions)).toBe(JSON.stringify(fresh.instructions));
        expect(JSON.stringify(again.calls.map((c) => c.command))).toBe(
          JSON.stringify(fresh.calls.map((c) => c.command)),
        );
      }
    }
    // A body that changed is parsed again.
    const remembering = rememberingShellParser(counting);
    parseDockerfile({ path: 'D', text: 'FROM a\nRUN apt-get install curl\n' }, remembering);
    const before = parses;
    const changed = parseDockerfile(
      { path: 'D', text: 'FROM a\nRUN apt-get install -y curl\n' },
      remembering,
    );
    expect(parses).toBe(before + 1);
    expect(changed.calls[0].args.map((a) => a.value)).toEqual(['install', '-y', 'curl']);
  });

  it('names every tool and command of a RUN in its plain text, so look-ups may pass over the others', () => {
    const texts = [ADVERSARIAL_RUNS, ...loadCorpus().map((e) => fs.readFileSync(e.dockerfile, 'utf8'))];
    expect(expectToolsInPlainText(parse, texts)).toBeGreaterThan(3000);
  });

  it('names every ENV, ARG and LABEL variable in the plain text of its instruction', () => {
    const texts = [...ADVERSARIAL_PAIRS, ...loadCorpus().map((e) => fs.readFileSync(e.dockerfile, 'utf8'))];
    expect(expectPairsInPlainText(parse, texts)).toBeGreaterThan(1500);
  });

  it('is the same built from the scan as from dockerfile-ast parsing the whole file, for every file', () => {
    for (const entry of loadCorpus()) {
      const text = fs.readFileSync(entry.dockerfile, 'utf8');
      expect({ file: entry.id, ...scanOutline(text) }).toEqual({ file: entry.id, ...astOutline(text) });
      for (const h of heredocContents(text))
        expect({ file: entry.id, content: h.scan }).toEqual({ file: entry.id, content: h.ast });
      const { scanned: model, parsed } = bothModels(shellOf(), text);
      expect({ file: entry.id, model }).toEqual({ file: entry.id, model: parsed });
    }
  });

  it('reads every plain shell body as tree-sitter does', async () => {
    const treeSitter = await loadTreeSitterShell();
    let bodies = 0;
    let plain = 0;
    const comparing: ShellParser = {
      parse(text, map, heredoc) {
        bodies++;
        const reference = treeSitter.parse(text, map, heredoc);
        const ours = plainScript(text, map, heredoc ?? false);
        if (ours) {
          plain++;
          expect({ text, script: JSON.stringify(ours) }).toEqual({ text, script: JSON.stringify(reference) });
          // The shapes the meaning check compares are the same too.
          expect({ text, shape: plainShapeOf(text) }).toEqual({ text, shape: treeSitter.shape(text) });
        }
        return reference;
      },
      shape: (text) => treeSitter.shape(text),
    };
    for (const entry of loadCorpus()) {
      const model = parseDockerfile(
        { path: 'D', text: fs.readFileSync(entry.dockerfile, 'utf8') },
        comparing,
      );
      for (const ins of model.instructions) if ('script' in ins) void ins.script;
    }
    // Most bodies are plain.
    expect(plain).toBeGreaterThan(bodies / 2);
  });

  it('keeps word ranges true to the source over the whole corpus', () => {
    let checked = 0;
    for (const entry of loadCorpus()) {
      const text = fs.readFileSync(entry.dockerfile, 'utf8');
      const df = parse(text);
      for (const ins of df.instructions) {
        for (const w of words(ins)) {
          // Docker joins continued lines: the word's source, minus continuations, is the word.
          const esc = df.escapeChar === '`' ? '`' : '\\\\';
          const joined = new RegExp(`${esc}[ \\t]*\\r?\\n(?:[ \\t]*(?:#[^\\n]*)?\\r?\\n)*`, 'g');
          expect(text.slice(w.range.start, w.range.end).replace(joined, '')).toBe(w.raw);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(10000);
  });
});

describe('comments', () => {
  it('are the comment lines dockerfile-ast finds between instructions, over the whole corpus', async () => {
    const { DockerfileParser } = await import('dockerfile-ast');
    let count = 0;
    for (const entry of loadCorpus()) {
      const text = fs.readFileSync(entry.dockerfile, 'utf8');
      const df = parse(text);
      const inside = (line: number) =>
        df.instructions.some((i) => i.line <= line && line <= df.lines.lineOf(i.range.end));
      const expected = DockerfileParser.parse(text)
        .getComments()
        .map((c) => c.getRange().start.line)
        .filter((l) => !inside(l));
      const directives = DockerfileParser.parse(text)
        .getDirectives()
        .map((d) => d.getRange().start.line);
      const ours = df.comments.map((c) => c.line).filter((l) => !directives.includes(l));
      expect({ id: entry.id, lines: ours }).toEqual({ id: entry.id, lines: expected });
      count += ours.length;
    }
    expect(count).toBeGreaterThan(1000);
  });
});
