// What every command module shares: how a handler hands its work back to main (which runs it after
// yargs has validated the whole line), the exit code of a usage error, and the stand-in for `-`.
import type { Io } from '../options';

export const EXIT_USAGE = 2;

/** yargs drops a bare `-`; it stands for standard input, so it travels under another name. */
export const STDIN_ARG = '\u0000stdin';

/** `-` back from its stand-in. */
export const fromStdinArg = (p: string): string => (p === STDIN_ARG ? '-' : p);

/**
 * What a command module is built with. Handlers only record what to do (`run`): yargs may call one
 * even when validation then fails, so main runs the recorded work after parsing succeeded.
 */
export interface CommandContext {
  readonly io: Io;
  /** The command is parsed as the only one (`$0 …`): a pre-commit hook's `lint` and `fix`. */
  readonly hot: boolean;
  /** Records the command's work; its result is the exit code. */
  run(work: () => Promise<number>): void;
}

/** A command's yargs spec: its own name, or `$0` when it is the one hot command. */
export const specOf = (ctx: CommandContext, name: string, rest: string): string =>
  ctx.hot ? `$0 ${rest}` : `${name} ${rest}`;
