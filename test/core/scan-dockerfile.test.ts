import * as fs from 'node:fs';
import * as path from 'node:path';
import { heredocWords } from '../../src/core/instr-source';
import { scanDockerfile, type HeredocWords } from '../../src/core/scan-dockerfile';
import { useShell } from '../harness/model';
import { astOutline, bothModels, heredocContents, scanOutline, stitchedDocuments } from '../harness/scan';

const shellOf = useShell();

/** Written to hit each branch of the scan; each must read as dockerfile-ast reads it. */
const EDGE_CASES = [
  '',
  'FROM a',
  'FROM a\n',
  '\ufeffFROM a\nRUN b\n',
  '# escape=`\nFROM a\nRUN b `\n  c\nENV A=1 `\n B=2\n',
  '#escape=\\\n# syntax=docker/dockerfile:1\nFROM a\n',
  '# escape = ` \nFROM a\nRUN x `\n y\n',
  '# escape=x\nFROM a\nRUN a \\\n b\n',
  '# syntax=x\n\n# escape=`\nFROM a\nRUN a `\n b\n',
  'FROM a\r\nRUN a \\\r\n  b\r\nCMD ["x"]\r\n',
  'FROM a\rRUN a \\\r b\r',
  'FROM a\nRUN a \\\n# a comment inside\n\n  b\nUSER x\n',
  'FROM a\nRUN a \\   \n  b \\\t\n c\n',
  'FROM a\nRUN a \\ b\nRUN c \\ \\\nd\n',
  'FROM a\nRU\\\nN echo\nR\\UN x\n',
  'FROM a\nRUN\\\n\n   \n  echo\n',
  'FROM a\nRUN \\',
  'FROM a\nRUN x \\ ',
  'FROM a\nRUN\\ ',
  '  FROM a\n\t RUN b\n   # indented comment\n',
  'FROM a\nONBUILD RUN apt-get install x\nONBUILD\nONBUILD ENV A=1 B="c d"\n',
  'FROM a\nENV A 1\nENV B="x y" C=z \\\n    D=w\nLABEL "k"="v" k2=v2\nARG X\nARG Y=1\n',
  'FROM a\nENV A=1 \\\n    B=2 \\\n\tC=\nARG X=1\\\nY=2\nENV L a \\\n b\nLABEL a=b \\\n\n c=d \\\n# c\n e=f\n',
  '# escape=`\nFROM a\nENV A=1 `\n  B=2\nARG C=\\d\n',
  'FROM a\nRUN --network=none [ -f x ] && y\nRUN --a=b x--y ["z"]\nRUN --a=b ["z"] --c\nRUN --a="b c" ["d"]\n',
  'FROM a\nENV A="b c" B=\'d e\' C="" D=x E="$F g"\nLABEL "k"=v a="b"c d=\'e"f\'\nARG Q="x y"\nENV M="a \\\n  b"\n',
  'FROM a\nRUN ["a", "b\\"c"]\nRUN ["a",\n"b"]\nCMD ["a"] x\\y\nCMD ["a" \\\n, "b"]\n',
  'FROM a\nCMD [ \\\n  "a", \\\n  "b" \\\n]\nCMD ["C:\\\\x\\\\y", "\\"q\\""]\nCMD ["a\\nb", "\\x"]\nCMD ["a\\ b"]\nCMD [ \\ \n "a"]\nCMD ["a", \\\n# c\n "b"]\n',
  'FROM a\nRUN --mount=a \\\n  --mount=b ["x", "y"]\nCOPY --chown=1:1 ["a", "b"]\nCOPY --from=x \\\n ["a", "b"]\nCOPY --a="b c" ["d", "e"]\nADD --x=1 x--y ["a", "b"]\nCMD --x ["y"]\n',
  'FROM a\nENV\\\n# c=d\nENV\\\nA=1\nONBUILD CMD\t<<,\nLABEL x=y\n',
  'FROM a\nRUN \\\n# c\n  ["a"]\nRUN #x \\\n ["b"]\nCMD \\\n# c\n\n echo [x]\n',
  'FROM a\nLABEL maintainer "A B <a@b>"\nENV P "/x:${P}"\nLABEL \\\n  a=b \\\n\tc="d e"\nLABEL m \'x y\'\nENV Q "a" b\nENV R "a\n',
  'FROM a\nCMD ["a", "b"]\nENTRYPOINT [ "x" ]\nSHELL ["/bin/bash", "-c"]\nCMD [broken\nCMD echo [x]\n',
  'FROM a\nRUN --mount=type=cache,target=/x ["apt-get", "install", "y"]\nCOPY --from=b ["a b", "/c"]\n',
  'FROM a\nRUN \\\n  ["a", "b"]\nCMD \\\n# c\n ["x"]\nRUN [ -f x ] && y\nRUN -- ["a"]\nCMD --x ["y"]\n',
  'FROM a\nRUN echo <<EOF\nhello\nEOF\nRUN x\n',
  'FROM a\nRUN <<-EOT bash\n\techo hi\n\tEOT\nCOPY <<"F" /x\ndata\nF\n',
  'FROM a\nHEALTHCHECK CMD curl -f http://x\nSTOPSIGNAL SIGTERM\nEXPOSE 80 443\nVOLUME ["/d"]\n',
];

/** Dockerfiles written for this repository: the examples and the test fixtures. */
function repoDockerfiles(): string[] {
  const root = path.resolve(__dirname, '../..');
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/Dockerfile|\.dockerfile$/i.test(e.name)) out.push(fs.readFileSync(p, 'utf8'));
    }
  };
  walk(path.join(root, 'examples'));
  walk(path.join(root, 'test/fixtures'));
  return out;
}

describe('scanDockerfile', () => {
  it.each(EDGE_CASES.map((text) => [JSON.stringify(text), text]))(
    'places every instruction of %s where dockerfile-ast does',
    (_, text) => {
      expect(scanOutline(text)).toEqual(astOutline(text));
      const { scanned: model, parsed } = bothModels(shellOf(), text);
      expect(model).toBe(parsed);
    },
  );

  it('steps over heredoc bodies as dockerfile-ast does, asking it only for the words of the line', () => {
    const asked: string[] = [];
    const words: HeredocWords = (text, escapeChar) => {
      asked.push(text);
      return heredocWords(text, escapeChar);
    };
    const text = 'FROM a\nRUN cat <<EOF >x && cat <<-"END"\nEOF\n\tEND\nRUN x\nLABEL a="<<"\nCOPY y z\n';
    const scan = scanDockerfile(text, words);
    expect(scan.instructions.map((i) => text.slice(i.start, i.end))).toEqual([
      'FROM a',
      'RUN cat <<EOF >x && cat <<-"END"\nEOF\n\tEND',
      'RUN x',
      'LABEL a="<<"',
      'COPY y z',
    ]);
    // Only the line that may open a heredoc is handed over.
    expect(asked).toEqual(['RUN cat <<EOF >x && cat <<-"END"']);
  });

  it('agrees with dockerfile-ast on 20,000 stitched documents, and builds the same model from them', () => {
    const docs = stitchedDocuments(20000);
    let heredocs = 0;
    for (const text of docs) {
      expect({ text, ...scanOutline(text) }).toEqual({ text, ...astOutline(text) });
      for (const h of heredocContents(text)) {
        heredocs++;
        expect({ text, content: h.scan }).toEqual({ text, content: h.ast });
      }
    }
    expect(heredocs).toBeGreaterThan(20);
    for (const text of docs.slice(0, 2000)) {
      const { scanned: model, parsed } = bothModels(shellOf(), text);
      expect({ text, model }).toEqual({ text, model: parsed });
    }
  });

  it('builds the same model as a whole-file parse for every example and fixture', () => {
    const files = repoDockerfiles();
    expect(files.length).toBeGreaterThan(5);
    for (const text of files) {
      const { scanned, parsed } = bothModels(shellOf(), text);
      expect({ text, model: scanned }).toEqual({ text, model: parsed });
    }
  });
});
