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

const shellOf = useShell();
const parse = (text: string): Dockerfile => parseWith(shellOf(), text);

describe('parseDockerfile', () => {
  it('splits base images, stage names and stage references', () => {
    const df = parse(
      'ARG BASE=python:3.11-slim\nFROM ${BASE} AS build\nRUN make\nFROM build\nFROM scratch\nCOPY --from=build /a /a\n',
    );
    expect(df.stages).toHaveLength(3);
    const [a, b, c] = df.stages;
    expect(a.from.image).toMatchObject({ text: 'python:3.11-slim', viaArg: 'BASE' });
    expect(df.source.text.slice(a.from.image.range!.start, a.from.image.range!.end)).toBe('python:3.11-slim');
    expect(a.from.image.ref).toMatchObject({
      registry: 'docker.io',
      repository: 'library/python',
      tag: '3.11-slim',
    });
    expect(a.usedBy).toEqual([1, 2]);
    expect(b.from.baseStage).toBe(0);
    expect(b.family).toBe('debian');
    expect(c.from.isScratch).toBe(true);
    expect(c.family).toBe('scratch');
    expect(c.isFinal).toBe(true);
  });

  it('maps words of continued RUN lines back to the file, skipping comment lines', () => {
    const text =
      'FROM debian:12\r\nRUN apt-get update && \\\r\n  # note\r\n\r\n  apt-get install -y \\ \r\n  cu\\\r\nrl\r\n';
    const df = parse(text);
    const run = df.stages[0].instructions[0];
    expect(run.kind).toBe('run');
    const cmds = run.kind === 'run' ? run.script!.commands : [];
    expect(cmds.map((c) => c.name.value)).toEqual(['apt-get', 'apt-get']);
    const curl = cmds[1].args[2];
    expect(curl.value).toBe('curl');
    expect(text.slice(curl.range.start, curl.range.end)).toBe('cu\\\r\nrl');
    expect(df.eol).toBe('\r\n');
  });

  it('skips a comment line right after the keyword line, when the body starts on the next line', () => {
    for (const text of [
      'FROM debian:12\nRUN \\\n  # note\n  apt-get install -y curl\n',
      'FROM debian:12\r\nRUN \\\r\n# note\r\n\r\napt-get install -y curl\r\n',
    ]) {
      const run = parse(text).runs[0].instr;
      expect({
        text,
        plain: run.plainText.trim(),
        names: run.script!.commands.map((c) => c.name.value),
      }).toEqual({
        text,
        plain: 'apt-get install -y curl',
        names: ['apt-get'],
      });
    }
  });

  it('parses heredoc, JSON-form and ONBUILD RUNs', () => {
    const df = parse(
      'FROM alpine:3.19\nRUN <<EOF\napk add curl\nEOF\nRUN ["apk", "add", "git"]\nONBUILD RUN pip install x\n',
    );
    const [h, j, o] = df.stages[0].instructions;
    expect(h.kind === 'run' && h.script!.heredoc).toBe(true);
    expect(words(h).map((w) => w.value)).toEqual(['apk', 'add', 'curl']);
    expect(j.kind === 'run' && j.form).toBe('json');
    expect(words(j).map((w) => w.raw)).toEqual(['apk', 'add', 'git']);
    expect(words(o).map((w) => w.value)).toEqual(['pip', 'install', 'x']);
    expect(df.stages[0].family).toBe('alpine');
  });

  it('keeps the blanks and reads the escapes inside JSON-form strings, on one line or several', () => {
    const df = parse('FROM a\nCMD ["sh", "-c", "echo hello  world"]\nENTRYPOINT ["a\\"b", \\\n  "c d"]\n');
    const [, cmd, entrypoint] = df.instructions;
    expect(cmd.kind === 'cmd' && cmd.json.map((w) => w.value)).toEqual(['sh', '-c', 'echo hello  world']);
    expect(entrypoint.kind === 'entrypoint' && entrypoint.json.map((w) => w.value)).toEqual(['a"b', 'c d']);
  });

  it('honours the escape directive and lowercase keywords', () => {
    const df = parse('# escape=`\nfrom mcr.microsoft.com/windows/servercore:ltsc2022\nrun echo a `\n  b\n');
    expect(df.escapeChar).toBe('`');
    expect(df.lowercaseKeywords).toBe(true);
    expect(df.stages[0].family).toBe('windows');
    expect(words(df.stages[0].instructions[0]).map((w) => w.value)).toEqual(['echo', 'a', 'b']);
  });

  it('reads the parts of a command by their syntax: assignments, name, arguments, redirects', () => {
    const commands = (body: string) =>
      parse(`FROM debian:12\nRUN ${body}\n`).runs[0].instr.script!.commands.map((c) => ({
        name: c.name.value,
        args: c.args.map((a) => a.value),
        assignments: c.assignments.map((a) => `${a.name}=${a.value}`),
      }));
    expect(commands('A=1 B="x y" >out apt-get install -y curl <<< here 2>&1')).toEqual([
      { name: 'apt-get', args: ['install', '-y', 'curl'], assignments: ['A=1', 'B=x y'] },
    ]);
    // The bare `$` and the `=~` / `==` operators are arguments too, as in the grammar.
    expect(commands('echo $ x && test a == b')).toEqual([
      { name: 'echo', args: ['$', 'x'], assignments: [] },
      { name: 'test', args: ['a', '==', 'b'], assignments: [] },
    ]);
    // Commands in substitutions, process substitutions and a trailing subshell are found, in order.
    expect(commands('sh -c "$(curl -fsSL x)" && bash <(wget -qO- y) && f (g)').map((c) => c.name)).toEqual([
      'sh',
      'curl',
      'bash',
      'wget',
      'f',
      'g',
    ]);
    expect(commands('echo \'a\'"b"$\'c\' "$HOME" "\\$x"')[0].args).toEqual(['abc', '$HOME', '$x']);
  });

  it('parses a body again only when it changed', () => {
    let parses = 0;
    const counting: ShellParser = {
      parse: (...args) => {
        parses++;
        return shellOf().parse(...args);
      },
      shape: (text) => shellOf().shape(text),
    };
    const remembering = rememberingShellParser(counting);
    parseDockerfile({ path: 'D', text: 'FROM a\nRUN apt-get install curl\n' }, remembering);
    const before = parses;
    const moved = parseDockerfile(
      { path: 'D', text: '# moved\nFROM a\nRUN apt-get install curl\n' },
      remembering,
    );
    expect(parses).toBe(before);
    expect(moved.calls[0].command.range).toEqual(
      parseDockerfile({ path: 'D', text: '# moved\nFROM a\nRUN apt-get install curl\n' }, shellOf()).calls[0]
        .command.range,
    );
    const changed = parseDockerfile(
      { path: 'D', text: 'FROM a\nRUN apt-get install -y curl\n' },
      remembering,
    );
    expect(parses).toBe(before + 1);
    expect(changed.calls[0].args.map((a) => a.value)).toEqual(['install', '-y', 'curl']);
  });

  it('names every tool and command of a RUN in its plain text, so look-ups may pass over the others', () => {
    expect(expectToolsInPlainText(parse, [ADVERSARIAL_RUNS])).toBeGreaterThan(15);
  });

  it('names every ENV, ARG and LABEL variable in the plain text of its instruction', () => {
    expect(expectPairsInPlainText(parse, ADVERSARIAL_PAIRS)).toBeGreaterThan(5);
  });
});

describe('releaseOfStage and pythonOfStage', () => {
  it('read the release and Python from tags, and distro bases carry their python3', async () => {
    const { releaseOfStage, pythonOfStage } = await import('../../src/core/release');
    const cases: [string, string | undefined, string | undefined][] = [
      ['python:3.11-slim-bookworm', 'debian:bookworm', '3.11'],
      ['python:3.12-alpine3.20', 'alpine:3.20', '3.12'],
      ['debian:12-slim', 'debian:bookworm', '3.11'],
      ['ubuntu:22.04', 'ubuntu:jammy', '3.10'],
      ['alpine:3.19.1', 'alpine:3.19', '3.11'],
      ['node:20-bookworm', 'debian:bookworm', undefined],
      ['python:3.12', undefined, '3.12'],
    ];
    for (const [image, release, python] of cases) {
      const df = parse(`FROM ${image}\n`);
      const r = releaseOfStage(df.stages, df.stages[0]);
      expect([
        image,
        r ? `${r.distro}:${r.release}` : undefined,
        pythonOfStage(df.stages, df.stages[0]),
      ]).toEqual([image, release, python]);
    }
  });
});
