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
