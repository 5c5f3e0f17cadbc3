import { contextSourceOf } from './build-context';
import { isOfficialImage } from './image-ref';
import type { Dockerfile, ExecInstr, Stage } from './model';
import { stageChain } from './users';

/**
 * How an image starts, as far as the run-as-non-root fix needs to know: whether its start-up drops
 * privileges by itself (an entrypoint that ends in `gosu svc`, a server whose master starts as root
 * and runs its workers as another user). Such an image must start as root: a `USER` line would break
 * it. Read from the final stage's ENTRYPOINT and CMD (its own or inherited), the scripts and server
 * configs they name that the build context provides, and what the official base images are known to
 * do when the Dockerfile keeps their start-up.
 */
export interface StepDown {
  /** The mechanism: `gosu`, `su-exec`, `nginx`, `supervisord` … */
  readonly how: string;
  /** The user it drops to, when the start-up says. */
  readonly to?: string;
  /** Where it was read: `/entrypoint.sh`, `the CMD`, `the base image nginx`. */
  readonly where: string;
}

/** Reads a file of the build context that the loader fetched (see startupFiles). */
export type ReadContext = (contextPath: string) => string | undefined;

/** Commands that run another command as a given user, with how to find that user in their words. */
const STEP_DOWN: readonly { how: string; re: RegExp }[] = [
  { how: 'gosu', re: /(?:^|[\s;&|"'(/])gosu\s+["']?([^\s"';&|]+)/ },
  { how: 'su-exec', re: /(?:^|[\s;&|"'(/])su-exec\s+["']?([^\s"';&|]+)/ },
  { how: 's6-setuidgid', re: /(?:^|[\s;&|"'(/])s6-setuidgid\s+["']?([^\s"';&|]+)/ },
  { how: 'setpriv', re: /(?:^|[\s;&|"'(/])setpriv\b[^\n]*--reuid[= ]["']?([^\s"';&|]+)/ },
  { how: 'runuser', re: /(?:^|[\s;&|"'(/])runuser\b[^\n]*?(?:-u\s+|--user[= ])["']?([^\s"';&|]+)/ },
  { how: 'chroot --userspec', re: /(?:^|[\s;&|"'(/])chroot\b[^\n]*--userspec[= ]["']?([^\s"':;&|]+)/ },
  {
    how: 'su -c',
    re: /(?:^|[\s;&|"'(/])su\s+(?:(?:-|-l|--login|-m|-p|--preserve-environment)\s+|(?:-s|--shell)[= ]\S+\s+|-c\s+(?:"[^"]*"|'[^']*')\s+)*([a-z_][\w-]*)\b[^\n]*\s(?:-c|--command)[\s=]/,
  },
];

/** Servers whose master process starts as root and runs its workers as the user its config names. */
const SERVERS: readonly { how: string; re: RegExp; user: RegExp; fallback: string }[] = [
  {
    how: 'nginx',
    re: /(?:^|[\s/"'])nginx(?:\s|$|["'])/,
    user: /^\s*user\s+([^\s;]+)/m,
    fallback: 'the user of its nginx.conf',
  },
  {
    how: 'Apache httpd',
    re: /(?:^|[\s/"'])(?:httpd-foreground|apache2-foreground|apache2ctl|apachectl|httpd)(?:\s|$|["'])/,
    user: /^\s*User\s+(\S+)/m,
    fallback: 'the User of its configuration',
  },
  {
    how: 'php-fpm',
    re: /(?:^|[\s/"'])php-fpm[\d.]*(?:\s|$|["'])/,
    user: /^\s*user\s*=\s*(\S+)/m,
    fallback: 'the user of its pool configuration',
  },
  {
    how: 'supervisord',
    re: /(?:^|[\s/"'])supervisord(?:\s|$|["'])/,
    user: /^\s*user\s*=\s*(\S+)/m,
    fallback: 'the user= of its programs',
  },
  { how: "s6-overlay's /init", re: /^\/init(?:\s|$)/, user: /$^/, fallback: 'the users its services name' },
];

/** Official images whose ENTRYPOINT (docker-entrypoint.sh) drops privileges with gosu before the CMD. */
const OFFICIAL_ENTRYPOINT: Readonly<Record<string, string>> = {
  postgres: 'postgres',
  mysql: 'mysql',
  mariadb: 'mysql',
  redis: 'redis',
  mongo: 'mongodb',
  rabbitmq: 'rabbitmq',
};

/** Official images whose own CMD starts a server that drops privileges, when the Dockerfile keeps it. */
const OFFICIAL: Readonly<Record<string, { how: string; to: string }>> = {
  nginx: { how: 'nginx (master as root, workers as the user of nginx.conf)', to: 'nginx' },
  httpd: { how: 'Apache httpd (workers as the User of httpd.conf)', to: 'daemon' },
  wordpress: { how: 'Apache httpd or php-fpm (workers as www-data)', to: 'www-data' },
  drupal: { how: 'Apache httpd or php-fpm (workers as www-data)', to: 'www-data' },
  nextcloud: { how: 'Apache httpd or php-fpm (workers as www-data)', to: 'www-data' },
};

/** Config files of the servers above, where an image keeps them. */
const SERVER_CONFIGS = [
  '/etc/nginx/nginx.conf',
  '/usr/local/apache2/conf/httpd.conf',
  '/etc/apache2/apache2.conf',
  '/etc/apache2/envvars',
  '/usr/local/etc/php-fpm.d/www.conf',
  '/usr/local/etc/php-fpm.d/zz-docker.conf',
  '/etc/supervisor/supervisord.conf',
  '/etc/supervisord.conf',
  '/etc/supervisor/conf.d/supervisord.conf',
];

/** The last ENTRYPOINT and CMD a stage runs with, looking through the stages it builds on. */
function startInstrs(model: Dockerfile, stage: Stage): { entrypoint?: ExecInstr; cmd?: ExecInstr } {
  let entrypoint: ExecInstr | undefined;
  let cmd: ExecInstr | undefined;
  for (const s of stageChain(model, stage)) {
    for (const i of s.instructions) {
      // An ENTRYPOINT resets the CMD a base stage gave (Docker drops the inherited CMD).
      if (i.kind === 'entrypoint') [entrypoint, cmd] = [i, undefined];
      if (i.kind === 'cmd') cmd = i;
    }
  }
  return { entrypoint, cmd };
}

function words(model: Dockerfile, ins: ExecInstr | undefined): string[] {
  if (!ins) return [];
  if (ins.form === 'json') return ins.json.map((w) => w.value);
  return [
    model.source.text
      .slice(ins.argsRange.start, ins.argsRange.end)
      .replace(/\\\r?\n/g, ' ')
      .trim(),
  ];
}

/** Absolute image paths the start-up names that a script could be at (`/entrypoint.sh`, `./run.sh`). */
function scriptPaths(start: readonly string[]): string[] {
  return start
    .flatMap((w) => w.split(/\s+/))
    .filter((w) =>
      /^(\.{0,2}\/)?[\w./-]+\.(sh|bash)$|^\/[\w./-]*(entrypoint|start|run|init)[\w.-]*$/.test(w),
    );
}

/** The build-context files the start-up check reads: scripts the start-up runs, server configs. */
/** Where a start-up word may be in the image: itself, or on PATH when it is a bare name. */
function onPath(word: string): string[] {
  return word.includes('/') ? [word] : [word, ...PATH_DIRS.map((d) => `/${d}${word}`)];
}

const PATH_DIRS = ['usr/local/bin/', 'usr/bin/', 'bin/', 'usr/local/sbin/', 'usr/sbin/'];

export function startupFiles(model: Dockerfile): string[] {
  const stage = model.stages[model.stages.length - 1];
  if (!stage) return [];
  const { entrypoint, cmd } = startInstrs(model, stage);
  const start = [...words(model, entrypoint), ...words(model, cmd)];
  // Server configs only for a start-up that runs one of those servers.
  const text = start.join(' ');
  const configs = SERVERS.some((s) => s.re.test(text)) ? SERVER_CONFIGS : [];
  const paths = [...scriptPaths(start).flatMap(onPath), ...configs];
  return paths.flatMap((p) => {
    const from = contextSourceOf(model, stage, p);
    return from ? [from] : [];
  });
}

/** A step-down tool the stage (or a stage it builds on) installs or copies in. */
function installedStepDownTool(model: Dockerfile, stage: Stage): string | undefined {
  for (const s of stageChain(model, stage)) {
    for (const i of s.instructions) {
      const text =
        i.kind === 'run'
          ? i.plainText
          : i.kind === 'copy' || i.kind === 'add'
            ? model.source.text.slice(i.argsRange.start, i.argsRange.end)
            : '';
      const m = /(?:^|[\s/])(gosu|su-exec|s6-overlay|setpriv)(?:[\s;&|]|$)/.exec(text);
      if (m) return m[1];
    }
  }
  return undefined;
}

/**
 * A server the start-up runs whose master starts as root and drops to the user of its config: the
 * first of its config files (`read` by absolute path) that names one, else what its config says.
 */
function serverStepDown(
  startText: string,
  read: (configPath: string) => string | undefined,
  where: string,
): StepDown | undefined {
  const server = SERVERS.find((s) => s.re.test(startText));
  if (!server) return undefined;
  for (const conf of SERVER_CONFIGS) {
    const m = server.user.exec(read(conf) ?? '');
    if (m) return { how: server.how, to: m[1], where };
  }
  return { how: server.how, to: server.fallback, where };
}

function stepDownIn(text: string, where: string): StepDown | undefined {
  const lines = text
    .split('\n')
    .filter((l) => !/^\s*#/.test(l))
    .join('\n');
  for (const { how, re } of STEP_DOWN) {
    const m = re.exec(lines);
    if (m) return { how, to: /^[$"']/.test(m[1]) ? undefined : m[1], where };
  }
  return undefined;
}

/**
 * Whether the final stage's image drops privileges by itself, and to whom. `read` gives the build
 * context's files that startupFiles named.
 */
export function stepsDown(model: Dockerfile, stage: Stage, read: ReadContext): StepDown | undefined {
  const { entrypoint, cmd } = startInstrs(model, stage);
  const start = [...words(model, entrypoint), ...words(model, cmd)];
  const startText = start.join(' ');
  const own = stepDownIn(startText, entrypoint ? 'the ENTRYPOINT' : 'the CMD');
  if (own) return own;
  const unread: string[] = [];
  for (const word of scriptPaths(start)) {
    let text: string | undefined;
    let where = word;
    for (const p of onPath(word)) {
      const from = contextSourceOf(model, stage, p);
      text = from ? read(from) : undefined;
      if (text !== undefined) {
        where = p;
        break;
      }
    }
    if (text === undefined) unread.push(word);
    const found = text !== undefined ? stepDownIn(text, where) : undefined;
    if (found) return found;
  }
  // A script that could not be read, in an image that installs a step-down tool: it most likely
  // uses it (docker-library images install gosu for exactly that).
  const tool = unread.length > 0 ? installedStepDownTool(model, stage) : undefined;
  if (tool) return { how: `${tool} (installed in the image; the script was not read)`, where: unread[0] };
  const server = serverStepDown(
    startText,
    (conf) => {
      const from = contextSourceOf(model, stage, conf);
      return from ? read(from) : undefined;
    },
    entrypoint ? 'the ENTRYPOINT' : 'the CMD',
  );
  if (server) return server;
  // The base image's own start-up, kept when the Dockerfile sets neither ENTRYPOINT nor CMD.
  const root = stageChain(model, stage)[0];
  const ref = root.from.image.ref;
  if (!entrypoint && ref && isOfficialImage(ref) && OFFICIAL_ENTRYPOINT[ref.name])
    return {
      how: 'gosu in docker-entrypoint.sh',
      to: OFFICIAL_ENTRYPOINT[ref.name],
      where: `the base image ${ref.name}`,
    };
  if (!entrypoint && !cmd && ref && isOfficialImage(ref)) {
    const known = OFFICIAL[ref.name];
    if (known) return { how: known.how, to: known.to, where: `the base image ${ref.name}` };
    if (ref.name === 'php' && /fpm/.test(ref.tag ?? ''))
      return { how: 'php-fpm (workers as www-data)', to: 'www-data', where: 'the base image php' };
    if (ref.name === 'php' && /apache/.test(ref.tag ?? ''))
      return { how: 'Apache httpd (workers as www-data)', to: 'www-data', where: 'the base image php' };
  }
  return undefined;
}

/** The image paths (without the leading `/`) an image's own start-up may read: scripts, configs. */
export function imageStartupPaths(
  entrypoint: readonly string[] | undefined,
  cmd: readonly string[] | undefined,
): string[] {
  const words = [...(entrypoint ?? []), ...(cmd ?? [])];
  const paths = scriptPaths(words)
    .flatMap(onPath)
    .filter((p) => p.startsWith('/'))
    .map((p) => p.slice(1));
  const text = words.join(' ');
  const configs = SERVERS.some((s) => s.re.test(text)) ? SERVER_CONFIGS.map((c) => c.slice(1)) : [];
  return [...paths, ...configs];
}

/**
 * Whether an image's own start-up (its config's Entrypoint and Cmd, and the files they name, read
 * from its layers) drops privileges, and whether that is in its Entrypoint (kept by a Dockerfile
 * that sets no ENTRYPOINT) or its Cmd (kept only when it sets neither).
 */
export function imageStartup(
  entrypoint: readonly string[] | undefined,
  cmd: readonly string[] | undefined,
  read: (path: string) => string | undefined,
): (StepDown & { readonly from: 'entrypoint' | 'cmd' }) | undefined {
  for (const [from, words] of [
    ['entrypoint', entrypoint ?? []],
    ['cmd', cmd ?? []],
  ] as const) {
    if (words.length === 0) continue;
    const text = words.join(' ');
    const own = stepDownIn(text, `its ${from === 'entrypoint' ? 'Entrypoint' : 'Cmd'}`);
    if (own) return { ...own, from };
    for (const p of imageStartupPaths(from === 'entrypoint' ? words : [], from === 'cmd' ? words : [])) {
      const content = read(p);
      const found = content !== undefined ? stepDownIn(content, `/${p}`) : undefined;
      if (found) return { ...found, from };
    }
    const where = `its ${from === 'entrypoint' ? 'Entrypoint' : 'Cmd'}`;
    const server = serverStepDown(text, (conf) => read(conf.slice(1)), where);
    if (server) return { ...server, from };
  }
  return undefined;
}

/** Whether a stage keeps the start-up of its base image: no ENTRYPOINT (and for a Cmd's, no CMD). */
export function keepsBaseStartup(model: Dockerfile, stage: Stage, from: 'entrypoint' | 'cmd'): boolean {
  const { entrypoint, cmd } = startInstrs(model, stage);
  return !entrypoint && (from === 'entrypoint' || !cmd);
}
