#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';
import type { CommandModule } from 'yargs';
import { airlockCommand } from './commands/airlock';
import { EXIT_USAGE, STDIN_ARG, type CommandContext } from './commands/context';
import { explainCommand } from './commands/explain';
import { fixCommand } from './commands/fix';
import { lintCommand } from './commands/lint';
import { hardenCommand, repoCommand } from './commands/repo';
import { reviewCommand } from './commands/review';
import { rulesCommand } from './commands/rules';
import { triageCommand } from './commands/triage';
import type { Io } from './options';

function stdinText(): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', (c: Buffer) => chunks.push(c));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

/** Commands a hook runs on every commit, each with its module. */
const HOT_COMMANDS: Record<string, (ctx: CommandContext) => CommandModule> = {
  lint: lintCommand,
  fix: fixCommand,
};

/** The other commands, in the order of the help text; the bare `harden-dockerfile PATH` last. */
const COMMANDS = [repoCommand, triageCommand, airlockCommand, reviewCommand, rulesCommand, explainCommand];

/**
 * The command line: each command is a yargs command module (commands/); this registers them, runs
 * the one chosen once the whole line is valid, and maps usage errors to exit code 2.
 */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  if (argv.includes('--version')) {
    const { VERSION } = await import('./version');
    io.stdout(`${VERSION}\n`);
    return 0;
  }
  let usageError = false;
  let work: (() => Promise<number>) | undefined;
  // `lint` and `fix` (what a pre-commit hook runs) are parsed as the only command: yargs renders
  // the whole help text for any named command it runs, which a one-shot run never shows.
  const hot = Object.hasOwn(HOT_COMMANDS, argv[0]) && !argv.some((a) => a === '--help' || a === '-h');
  const ctx: CommandContext = { io, hot, run: (w) => (work = w) };
  const args = (hot ? argv.slice(1) : argv).map((a) => (a === '-' ? STDIN_ARG : a));
  const yargs = (await import('yargs/yargs')).default(args);
  let cli = yargs
    .scriptName(hot ? `harden-dockerfile ${argv[0]}` : 'harden-dockerfile')
    .usage('$0 <path>  — print the hardening diff for a Dockerfile (findings on stderr)');
  const modules = hot
    ? [HOT_COMMANDS[argv[0]]]
    : [...Object.values(HOT_COMMANDS), ...COMMANDS, hardenCommand];
  for (const m of modules) cli = cli.command(m(ctx));
  await cli
    .strict()
    .demandCommand(hot ? 0 : 1)
    .help()
    .alias('h', 'help')
    .version(false)
    .option('version', { type: 'boolean', describe: 'show the version' })
    .fail((msg, err) => {
      if (err) throw err;
      io.stderr(`harden-dockerfile: ${msg}\nRun harden-dockerfile --help for usage.\n`);
      usageError = true;
    })
    .exitProcess(false)
    .parseAsync();
  if (usageError) return EXIT_USAGE;
  return work ? work() : 0;
}

/**
 * V8 settings for a command-line run: compile the shell grammar's WebAssembly lazily with the
 * baseline compiler only, on this thread. By default V8 also optimises the whole 1.3 MB module in
 * background threads, and a process cannot exit before they finish: about half a second a one-file
 * run (a pre-commit hook) never gets back. Measured as whole processes, the optimised code never
 * paid that back either: lint of the 310-file corpus took 0.70 s against 0.90 s, and of ten copies
 * of it (3,100 files) 3.20 s against 3.36 s. Process-wide, so set only here, in the command-line entry.
 */
const SHORT_RUN_FLAGS = [
  '--wasm-lazy-compilation',
  '--liftoff-only',
  '--no-wasm-tier-up',
  '--wasm-num-compilation-tasks=0',
];

/** Runs the command line on this process's arguments and exits with its code. */
export function runCli(): void {
  let tuned = false;
  const io: Io = {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    readStdin: stdinText,
    cwd: process.cwd(),
    env: process.env,
    progress: process.stderr.isTTY === true,
    shortRun: () => {
      if (tuned) return;
      tuned = true;
      SHORT_RUN_FLAGS.forEach((f) => setFlagsFromString(f));
    },
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      // Exit as soon as the output is flushed: otherwise Node waits for V8 to finish optimising
      // the shell grammar's WebAssembly in the background, which a one-shot run never uses.
      process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
    },
    (err: unknown) => {
      // Anything unexpected: one line, no stack trace (set HARDEN_DEBUG=1 to see it).
      const message = err instanceof Error ? err.message : String(err);
      process.stderr.write(`harden-dockerfile: internal error: ${message}\n`);
      if (process.env.HARDEN_DEBUG) process.stderr.write(`${(err as Error).stack ?? ''}\n`);
      process.exitCode = EXIT_USAGE;
    },
  );
}

if (require.main === module) runCli();
