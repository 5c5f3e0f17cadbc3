import type { ImageRef } from './image-ref';
import type { LineIndex, Range, SourceFile } from './source';

/** One shell word: `value` is the word after quote removal, `raw` the exact source text at `range`. */
export interface Word {
  readonly value: string;
  readonly raw: string;
  readonly range: Range;
  /** No expansion, substitution or glob: `value` is what the shell will see. */
  readonly literal: boolean;
  /** A string of a JSON array (exec form); `range` then covers the text inside the quotes. */
  readonly json?: boolean;
}

/** A command read as a tool call: `sudo apt-get -y install curl`, `python3 -m pip install x`. */
export interface ToolCall {
  /** Normalised tool name: `apt-get`, `apt`, `apk`, `pip`, `yum`, `dnf`, `microdnf`, `curl` … */
  readonly tool: string;
  /** The word that names the tool (`pip3`, or `pip` in `python -m pip`). */
  readonly toolWord: Word;
  /** Words after the tool. */
  readonly args: readonly Word[];
  /** Subcommand (first non-option argument) and its index in `args`. */
  readonly sub?: Word;
  readonly subIndex: number;
}

/** A tool call found in a RUN, with where it is. */
export interface Invocation extends ToolCall {
  readonly stage?: Stage;
  readonly instr: RunInstr;
  readonly command: Command;
}

export interface Command {
  /** The command read as a tool call (computed once, at parse time). */
  readonly call?: ToolCall;
  readonly name: Word;
  readonly args: readonly Word[];
  /** Whole command, from its name (or leading assignments) to its last argument or redirect. */
  readonly range: Range;
  /**
   * Inside a compound command (`if`, a loop, a subshell, `{ …; }`), a substitution or a
   * redirection target, rather than a step of a top-level list (pipelines and redirections aside).
   */
  readonly nested: boolean;
  /** `NAME=value` words before the command name (`PIP_NO_CACHE_DIR=1 pip install …`). */
  readonly assignments: readonly Assignment[];
  /** Index into `ShellScript.pipelines` when the command is part of a `a | b` pipeline. */
  readonly pipeline?: number;
  /** Position inside that pipeline (0 = first). */
  readonly pipelineIndex?: number;
}

export interface Assignment {
  readonly name: string;
  readonly value: string;
}

export interface Pipeline {
  readonly range: Range;
  readonly size: number;
}

export interface ShellScript {
  readonly commands: readonly Command[];
  readonly pipelines: readonly Pipeline[];
  /** Variables set by `export NAME=value` anywhere in the script. */
  readonly exports: readonly Assignment[];
  /** Range in the file covered by the script (first to last character of shell text). */
  readonly range: Range;
  /**
   * The top-level statements, in order: each and-or list (`a && b | c >> log`) with its
   * redirections, from its first to its last character (a heredoc body a statement opens included).
   */
  readonly statements: readonly Range[];
  /** The shell parser recovered from a syntax error somewhere in the script. */
  readonly hasError: boolean;
  /** The script is the body of a heredoc (`RUN <<EOF`): new commands go on lines of their own. */
  readonly heredoc: boolean;
}

export type DistroFamily =
  'debian' | 'ubuntu' | 'alpine' | 'rhel' | 'distroless' | 'scratch' | 'windows' | 'unknown';

export interface Flag {
  readonly name: string;
  readonly value?: string;
  readonly range: Range;
  readonly valueRange?: Range;
}

export interface KeyValue {
  readonly name: string;
  readonly value?: string;
  readonly nameRange: Range;
  readonly valueRange?: Range;
}

/** Fields every instruction has. */
export interface InstrBase {
  /** Keyword as written (`run`, `RUN`). */
  readonly keyword: string;
  /** Range of the whole instruction, continuation lines and heredocs included. */
  readonly range: Range;
  readonly keywordRange: Range;
  /** Range of everything after the keyword, or an empty range just after it. */
  readonly argsRange: Range;
  /** 0-based line where the instruction starts. */
  readonly line: number;
  /** Stage index, or -1 for instructions before the first FROM. */
  readonly stage: number;
  /** True for the trigger of an ONBUILD. */
  readonly onbuild: boolean;
}

export interface BaseImage {
  /** Image reference after global ARG substitution. */
  readonly text: string;
  readonly ref?: ImageRef;
  /** Where `text` stands verbatim in the file (the FROM word or the ARG default), when editable. */
  readonly range?: Range;
  /** Global ARG that supplied the reference, when it came from one. */
  readonly viaArg?: string;
  /**
   * `python:${PY_VERSION}-slim`: the one ARG the reference is assembled from, where its default
   * stands in the file, and the literal text around the variable. A tag edit lands on the default.
   */
  readonly template?: {
    readonly arg: string;
    readonly argRange: Range;
    readonly before: string;
    readonly after: string;
  };
}

export interface FromInstr extends InstrBase {
  readonly kind: 'from';
  readonly image: BaseImage;
  readonly platform?: string;
  readonly stageName?: string;
  /** Index of the earlier stage this FROM builds on (`FROM builder`). */
  readonly baseStage?: number;
  readonly isScratch: boolean;
}

export interface RunInstr extends InstrBase {
  readonly kind: 'run';
  readonly form: 'shell' | 'json';
  readonly flags: readonly Flag[];
  /**
   * The body as the shell reads it (continuations joined; a heredoc RUN's whole text), with quotes
   * and backslashes removed. A name without quotes or backslashes that a command's name or argument
   * holds is a substring of it, so a look for a tool can pass over a RUN without parsing its body.
   */
  readonly plainText: string;
  /** The parsed body: parsed on first read. */
  readonly script?: ShellScript;
}

export interface ExecInstr extends InstrBase {
  readonly kind: 'cmd' | 'entrypoint' | 'shell';
  readonly form: 'shell' | 'json';
  readonly script?: ShellScript;
  readonly json: readonly Word[];
}

export interface PairsInstr extends InstrBase {
  readonly kind: 'env' | 'arg' | 'label';
  /**
   * The arguments with continuations joined and quotes, backslashes and the escape character
   * removed: every name of `pairs` (quotes and escapes aside) is a substring of it, so a look for a
   * variable can pass over the instruction without reading its pairs.
   */
  readonly plainText: string;
  /** Read on first use. */
  readonly pairs: readonly KeyValue[];
}

export interface CopyInstr extends InstrBase {
  readonly kind: 'copy' | 'add';
  readonly flags: readonly Flag[];
  readonly sources: readonly Word[];
  readonly dest?: Word;
  readonly heredoc: boolean;
}

export interface WordsInstr extends InstrBase {
  readonly kind: 'user' | 'expose' | 'workdir' | 'maintainer' | 'other';
  readonly words: readonly Word[];
  /** A `HEALTHCHECK [options] CMD …`'s command. */
  readonly healthcheck?: HealthcheckCommand;
}

/** The command of a `HEALTHCHECK … CMD`: the text after CMD, in exec form or shell form. */
export interface HealthcheckCommand {
  readonly range: Range;
  readonly form: 'shell' | 'json';
  /** The exec form's strings (empty in shell form). */
  readonly json: readonly Word[];
  /** The shell form's command, parsed on first read. */
  readonly script?: ShellScript;
}

export interface OnbuildInstr extends InstrBase {
  readonly kind: 'onbuild';
  readonly trigger?: Instr;
}

export type Instr = FromInstr | RunInstr | ExecInstr | PairsInstr | CopyInstr | WordsInstr | OnbuildInstr;

export interface Stage {
  readonly index: number;
  readonly from: FromInstr;
  readonly name?: string;
  /** Instructions after the FROM, in order. */
  readonly instructions: readonly Instr[];
  readonly family: DistroFamily;
  readonly isFinal: boolean;
  /** Later stages that build on this one or copy from it: a builder when non-empty. */
  readonly usedBy: readonly number[];
}

export interface Comment {
  readonly line: number;
  readonly range: Range;
  /** Text after `#`, trimmed. */
  readonly text: string;
}

export interface Dockerfile {
  readonly source: SourceFile;
  readonly lines: LineIndex;
  readonly escapeChar: string;
  readonly eol: '\n' | '\r\n';
  /** Keyword case the author uses, for inserted instructions. */
  readonly lowercaseKeywords: boolean;
  /** All top-level instructions, in order. */
  readonly instructions: readonly Instr[];
  readonly globalArgs: readonly PairsInstr[];
  readonly stages: readonly Stage[];
  readonly comments: readonly Comment[];
  /** Every RUN (ONBUILD triggers included) with its stage, in order. */
  readonly runs: readonly { readonly stage?: Stage; readonly instr: RunInstr }[];
  /** Every command of those RUNs that reads as a tool call, in order (parses every RUN body). */
  readonly calls: readonly Invocation[];
  /** The tool calls of one of those RUNs, in order: its body is parsed on first use, once. */
  callsIn(run: { readonly stage?: Stage; readonly instr: RunInstr }): readonly Invocation[];
  /**
   * The calls of any of these tools, in order, worked out once per list of tools. Only the RUNs whose
   * plain text names one of the tools are parsed for it.
   */
  callsOf(tools: readonly string[]): readonly Invocation[];
}
