import { DockerfileParser, type Run } from 'dockerfile-ast';
import { heredocWords, parsedInstrs } from '../../src/core/instr-source';
import { parseDockerfile } from '../../src/core/parse-dockerfile';
import type { ShellParser } from '../../src/core/parse-shell';
import { scanDockerfile } from '../../src/core/scan-dockerfile';
import { LineIndex } from '../../src/core/source';
import { stitched } from './stitch';

/** Each instruction as `KEYWORD start keywordEnd end`, and the escape character, as dockerfile-ast parses them. */
export function astOutline(text: string): { escapeChar: string; instructions: string[] } {
  const ast = DockerfileParser.parse(text);
  const lines = new LineIndex(text);
  const at = (p: { line: number; character: number }) => lines.offsetAt(p.line, p.character);
  return {
    escapeChar: ast.getEscapeCharacter(),
    instructions: ast
      .getInstructions()
      .map(
        (i) =>
          `${i.getKeyword()} ${at(i.getRange().start)} ${at(i.getInstructionRange().end)} ${at(i.getRange().end)}`,
      ),
  };
}

/**
 * For each instruction the scan gives a heredoc's content: that content, and dockerfile-ast's
 * content of its first heredoc, as offsets.
 */
export function heredocContents(text: string): { scan: string; ast: string }[] {
  const scan = scanDockerfile(text, heredocWords);
  const ast = DockerfileParser.parse(text).getInstructions();
  const lines = new LineIndex(text);
  const at = (p: { line: number; character: number }) => lines.offsetAt(p.line, p.character);
  return scan.instructions.flatMap((s, i) => {
    if (!s.heredocContent) return [];
    const content = (ast[i] as Run).getHeredocs()[0]?.getContentRange();
    return [
      {
        scan: `${s.heredocContent.start}-${s.heredocContent.end}`,
        ast: content ? `${at(content.start)}-${at(content.end)}` : 'none',
      },
    ];
  });
}

/** The same outline from the scan. */
export function scanOutline(text: string): { escapeChar: string; instructions: string[] } {
  const scan = scanDockerfile(text, heredocWords);
  return {
    escapeChar: scan.escapeChar,
    instructions: scan.instructions.map((s) => `${s.word.toUpperCase()} ${s.start} ${s.keywordEnd} ${s.end}`),
  };
}

/**
 * The model built as the product builds it (the scan; plain pairs and JSON forms read directly; other
 * pairs, JSON strings and ONBUILD triggers read by dockerfile-ast from that instruction alone) and
 * the model built from dockerfile-ast's parse of the whole file, with dockerfile-ast reading every
 * pair and JSON form, as JSON: every field, pairs and shell bodies included.
 */
export function bothModels(shell: ShellParser, text: string): { scanned: string; parsed: string } {
  const source = { path: 'Dockerfile', text };
  return {
    scanned: JSON.stringify(parseDockerfile(source, shell)),
    parsed: JSON.stringify(parseDockerfile(source, shell, parsedInstrs)),
  };
}

const PIECES = [
  '\\',
  '`',
  ' ',
  '\t',
  '\n',
  '\r\n',
  '\r',
  '#',
  '# c\n',
  'RUN',
  'run',
  'FROM',
  'x',
  'a=b',
  'A="b c"',
  '# escape=`\n',
  '#escape=\\\n',
  '# syntax=x\n',
  '\ufeff',
  '<<',
  'EOF',
  'ONBUILD',
  'ENV',
  'LABEL',
  'ARG',
  'CMD',
  'COPY',
  '"',
  "'",
  '[',
  ']',
  '["a", "b"]',
  '=',
  '-',
  '--from=x',
  '$V',
  '${V:-w}',
  ',',
  'A=',
  '=b',
  '"x"',
  '[]',
  "A='b c'",
  'RUN <<EOF\n',
  'RUN <<-E2 sh\n',
  'echo hi\n',
  'EOF\n',
  '\tE2\n',
  '["a\\\\b", \\\n "c"]',
  'B=""',
  '"x"=y',
  'C="d e"f',
];

/**
 * `count` documents stitched from pieces that exercise the scan's cases (directives, escapes
 * before blanks and line breaks, comments inside continuations, lone CRs, a BOM, keywords split by
 * an escape), from a fixed seed so a failure can be replayed.
 */
export function stitchedDocuments(count: number, seed = 20261201): string[] {
  return stitched(count, seed, 16, () => PIECES);
}
