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

const PIECES = [
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
  '$v',
  '*',
  '>',
  '(',
  '#c',
  '\\',
  '`',
  ' && ',
  ' || ',
  ' ; ',
  ' | ',
  '&&',
  '|',
  ';',
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

/** Pieces of plain bodies only. */
const PLAIN_PIECES = PIECES.slice(0, PIECES.indexOf('$v')).concat([
  ' && ',
  ' || ',
  ' ; ',
  ' | ',
  '&&',
  '|',
  ';',
]);

/**
 * `count` shell snippets stitched from pieces, half of them from the plain pieces only, from a fixed
 * seed so a failure can be replayed.
 */
export function shellSnippets(count: number, seed = 1201): string[] {
  let state = seed;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) & 0x7fffffff;
    return state / 0x80000000;
  };
  const out: string[] = [];
  for (let n = 0; n < count; n++) {
    let s = '';
    const len = 1 + Math.floor(next() * 9);
    const pieces = n % 2 === 0 ? PLAIN_PIECES : PIECES;
    for (let i = 0; i < len; i++) {
      s += pieces[Math.floor(next() * pieces.length)];
      if (next() < 0.6) s += ' ';
    }
    out.push(s);
  }
  return out;
}
