import type { Dockerfile, Instr, Word } from '../../src/core/model';
import { parseDockerfile } from '../../src/core/parse-dockerfile';
import type { ShellParser } from '../../src/core/parse-shell';
import { loadShellParser } from '../../src/effects/shell';

/** The shell parser, loaded once per test file. */
export function useShell(): () => ShellParser {
  let shell: ShellParser | undefined;
  beforeAll(async () => {
    shell = await loadShellParser();
  });
  return () => shell as ShellParser;
}

export function parseWith(shell: ShellParser, text: string): Dockerfile {
  return parseDockerfile({ path: 'Dockerfile', text }, shell);
}

/** Every command word of an instruction's shell body (through ONBUILD). */
export function words(ins: Instr): Word[] {
  const out: Word[] = [];
  const take = (i: Instr) => {
    if ((i.kind === 'run' || i.kind === 'cmd' || i.kind === 'entrypoint' || i.kind === 'shell') && i.script) {
      for (const c of i.script.commands) out.push(c.name, ...c.args);
    }
    if (i.kind === 'onbuild' && i.trigger) take(i.trigger);
  };
  take(ins);
  return out;
}

/** RUN bodies written to hide their tools from a naive text search. */
export const ADVERSARIAL_RUNS = `FROM alpine:3.19\n${[
  "RUN ap''t-get install -y x && a\\pt-get update && $'apt-get' clean",
  'RUN "sudo" /usr/bin/curl -fsSL https://x | s"h" && env A=1 pip3 install y',
  'RUN ["apt-get", "install", "-y", "z"]',
  'RUN python3 -m pip install -r requirements.txt',
  'ONBUILD RUN yum install -y a | tee log',
  'RUN <<EOF\napk add --no-cache b\nmicrodnf install c\nEOF',
  'RUN echo $(wget -qO- y) `curl z` && chmod 777 /a || useradd -r u',
].join('\n')}\n`;

/** ENV, ARG and LABEL pairs written with continuations, quotes and another escape character. */
export const ADVERSARIAL_PAIRS = [
  'ARG A_\\\n  TOKEN="x y" B=1\nFROM a\nENV "QUOTED_PASS"=1 \\\n    DEBUG=true\nLABEL "org.key"=v\nENV LEGACY value with spaces\n',
  '# escape=`\nFROM b\nENV API_`\nKEY=1 C=`"d`"\n',
];

/**
 * Checks that every command and tool of every RUN is in the RUN's plain text (so look-ups may pass
 * over the RUNs whose text cannot name them), and that the look-up by tool finds what a full parse
 * finds in the first `lookups` texts. Returns how many words were checked.
 */
export function expectToolsInPlainText(
  parse: (text: string) => Dockerfile,
  texts: readonly string[],
  lookups = 40,
): number {
  let checked = 0;
  for (const text of texts) {
    for (const run of parse(text).runs) {
      const { plainText } = run.instr;
      const script = run.instr.script;
      if (script && script.pipelines.length > 0) expect(plainText).toContain('|');
      for (const c of script?.commands ?? []) {
        for (const word of [c.name.value, c.call?.tool]) {
          if (word === undefined || /[\\'"]/.test(word)) continue;
          expect(plainText).toContain(word);
          checked++;
        }
      }
    }
  }
  for (const text of texts.slice(0, lookups)) {
    const lazy = parse(text);
    for (const tool of [...new Set(parse(text).calls.map((c) => c.tool))]) {
      expect(lazy.callsOf([tool]).map((c) => c.command.range)).toEqual(
        lazy.calls.filter((c) => c.tool === tool).map((c) => c.command.range),
      );
    }
  }
  return checked;
}

/** Checks that every ENV, ARG and LABEL name is in its instruction's plain text; returns the count. */
export function expectPairsInPlainText(
  parse: (text: string) => Dockerfile,
  texts: readonly string[],
): number {
  let checked = 0;
  for (const text of texts) {
    for (const ins of parse(text).instructions) {
      const i = ins.kind === 'onbuild' ? ins.trigger : ins;
      if (i?.kind !== 'env' && i?.kind !== 'arg' && i?.kind !== 'label') continue;
      for (const p of i.pairs) {
        if (/[\\'"`]/.test(p.name)) continue;
        expect(i.plainText).toContain(p.name);
        checked++;
      }
    }
  }
  return checked;
}
