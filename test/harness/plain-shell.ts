import { stitched } from './stitch';

/** Plain RUN bodies (see plain-shell.ts), written to cover each kind of word and operator. */
export function plainBodies(): string[] {
  return [
    'apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10 ca-certificates',
    'pip install --no-cache-dir flask==3.0.0 gunicorn',
    'a | b && d || e ; f | g | h',
    'a|b&&c||d;e',
    '  npm ci  ',
    'echo "hello world" \'single quoted\' x"y"z --opt="a b" --k=\'v w\'',
    '"quoted-name" arg',
    "'raw name' arg",
    'chmod 755 /usr/local/bin/x && chown 1000:1000 /app',
    'useradd -u 10001 -m app',
    'go build -ldflags=-s -o /out/app ./cmd/app',
    'echo a=b c=d',
    'echo if then done',
    'x y/^w @v +u ,t :s',
    'echo ""',
    "echo ''",
    'echo 0x1f 1e5 -1 2',
    'a\tb\t&&\tc',
    'rm -rf /var/lib/apt/lists/* /tmp/*.deb',
    'DEBIAN_FRONTEND=noninteractive apt-get install -y x && A=1 B="c d" C=$E make',
    'cp $SRC/x ${DEST} "$HOME/a b" --opt=$V "${W}" pre${X}post && $CMD run',
  ];
}

/** Pieces plain bodies are made of. */
const PLAIN_WORDS = [
  'apt-get',
  'install',
  '-y',
  'curl',
  'echo',
  'a=b',
  '--x=1',
  '"q s"',
  "'r s'",
  'x"y"',
  '"a"b',
  '\'a\'"b"',
  '~/a',
  '%p',
  '^c',
  '1',
  '0x1f',
  'if',
  'done',
  'in',
  'export',
  'time',
  'A=1',
  '/x/*',
  'a?b',
  '*',
  'B="c d"',
  'C=$D',
  '$A',
  '${B}',
  '"$C d"',
  'x$D/e',
  '"${E}"f',
];

/** Operators that join plain commands. */
const PLAIN_OPERATORS = [' && ', ' || ', ' ; ', ' | ', '&&', '|', ';'];

/** Pieces of bodies that are not plain. */
const OTHER_PIECES = [
  '$v',
  '*',
  '>',
  '(',
  '#c',
  '\\',
  '`',
  '&',
  '|&',
  ';;',
  ' ',
  '  ',
  '\t',
  '"',
  "'",
  '=',
  '!',
  '{',
  '}',
];

const PIECES = [...PLAIN_WORDS, ...OTHER_PIECES, ...PLAIN_OPERATORS];

/** Pieces of plain bodies only. */
const PLAIN_PIECES = [...PLAIN_WORDS, ...PLAIN_OPERATORS];

/**
 * `count` shell snippets stitched from pieces, half of them from the plain pieces only, from a fixed
 * seed so a failure can be replayed.
 */
export function shellSnippets(count: number, seed = 1201): string[] {
  return stitched(count, seed, 9, (n) => (n % 2 === 0 ? PLAIN_PIECES : PIECES), 0.6);
}
