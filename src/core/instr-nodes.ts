// The model's instruction nodes: one class per kind on a common base, reading a shell body or its
// pairs on first use.
import type {
  BaseImage,
  CopyInstr,
  ExecInstr,
  Flag,
  HealthcheckCommand,
  FromInstr,
  Instr,
  KeyValue,
  OnbuildInstr,
  PairsInstr,
  RunInstr,
  ShellScript,
  Word,
  WordsInstr,
} from './model';
import type { SegmentMap } from './parse-shell';
import { type ShellParser } from './parse-shell';
import { type Range } from './source';
import { type CommonFields } from './instr-args';

/**
 * Instructions are built as instances of one class per kind on a common base that copies the
 * common fields in one place: they are made for every instruction of every file, and this builds
 * them about three times faster than spreading the common fields into a literal.
 */
export class InstrNode {
  declare readonly keyword: string;
  declare readonly range: Range;
  declare readonly keywordRange: Range;
  declare readonly argsRange: Range;
  declare readonly line: number;
  declare readonly stage: number;
  declare readonly onbuild: boolean;

  constructor(b: CommonFields) {
    this.keyword = b.keyword;
    this.range = b.range;
    this.keywordRange = b.keywordRange;
    this.argsRange = b.argsRange;
    this.line = b.line;
    this.stage = b.stage;
    this.onbuild = b.onbuild;
  }
}

/**
 * The parsed body of a RUN, CMD, ENTRYPOINT or SHELL, worked out on first read and kept: a shell
 * body is parsed only when a rule or fixer looks at it. `toJSON` prints it like a data field.
 */
export class ShellNode extends InstrNode {
  // Private fields, not properties: a frozen instruction can still parse its body on first read.
  #parsed?: ShellScript;
  /** The body still to parse; undefined once parsed. */
  #body?: ShellBody;

  constructor(b: CommonFields, body: ShellBody) {
    super(b);
    this.#body = body;
  }

  get script(): ShellScript | undefined {
    const body = this.#body;
    if (body) {
      this.#parsed = typeof body === 'function' ? body() : body.shell.parse(body.text, body.map);
      this.#body = undefined;
    }
    return this.#parsed;
  }

  toJSON(): object {
    return { ...this, script: this.script };
  }
}

/**
 * A shell body to parse when first read: its text and segment map (the usual case, without a
 * closure to allocate), or a function (heredocs, JSON form, CMD and ENTRYPOINT).
 */
export type ShellBody =
  | { readonly shell: ShellParser; readonly text: string; readonly map: SegmentMap }
  | (() => ShellScript | undefined);

export class RunNode extends ShellNode implements RunInstr {
  declare readonly kind: 'run';
  declare readonly form: RunInstr['form'];
  declare readonly flags: readonly Flag[];
  declare readonly plainText: string;

  constructor(
    b: CommonFields,
    form: RunInstr['form'],
    flags: readonly Flag[],
    plainText: string,
    body: ShellBody,
  ) {
    super(b, body);
    this.kind = 'run';
    this.form = form;
    this.flags = flags;
    this.plainText = plainText;
  }
}

export class ExecNode extends ShellNode implements ExecInstr {
  declare readonly kind: ExecInstr['kind'];
  declare readonly form: ExecInstr['form'];
  declare readonly json: readonly Word[];

  constructor(
    b: CommonFields,
    kind: ExecInstr['kind'],
    form: ExecInstr['form'],
    json: readonly Word[],
    script: () => ShellScript | undefined,
  ) {
    super(b, script);
    this.kind = kind;
    this.form = form;
    this.json = json;
  }
}

/** ENV, ARG and LABEL: the pairs are read from dockerfile-ast on first use. */
export class PairsNode extends InstrNode implements PairsInstr {
  declare readonly kind: PairsInstr['kind'];
  declare readonly plainText: string;
  #pairs?: readonly KeyValue[];
  #read?: () => readonly KeyValue[];

  constructor(b: CommonFields, kind: PairsInstr['kind'], plainText: string, read: () => readonly KeyValue[]) {
    super(b);
    this.kind = kind;
    this.plainText = plainText;
    this.#read = read;
  }

  get pairs(): readonly KeyValue[] {
    if (this.#read) {
      this.#pairs = this.#read();
      this.#read = undefined;
    }
    return this.#pairs as readonly KeyValue[];
  }

  toJSON(): object {
    return { ...this, pairs: this.pairs };
  }
}

export class CopyNode extends InstrNode implements CopyInstr {
  declare readonly kind: CopyInstr['kind'];
  declare readonly flags: readonly Flag[];
  declare readonly sources: readonly Word[];
  declare readonly dest: Word | undefined;
  declare readonly heredoc: boolean;

  constructor(
    b: CommonFields,
    kind: CopyInstr['kind'],
    flags: readonly Flag[],
    sources: readonly Word[],
    dest: Word | undefined,
    heredoc: boolean,
  ) {
    super(b);
    this.kind = kind;
    this.flags = flags;
    this.sources = sources;
    this.dest = dest;
    this.heredoc = heredoc;
  }
}

export class WordsNode extends InstrNode implements WordsInstr {
  declare readonly kind: WordsInstr['kind'];
  declare readonly words: readonly Word[];
  declare readonly healthcheck?: HealthcheckCommand;

  constructor(
    b: CommonFields,
    kind: WordsInstr['kind'],
    words: readonly Word[],
    healthcheck?: HealthcheckCommand,
  ) {
    super(b);
    this.kind = kind;
    this.words = words;
    if (healthcheck) this.healthcheck = healthcheck;
  }
}

/** A HEALTHCHECK's command: its shell form is parsed on first read, as a RUN's body. */
export class HealthcheckNode implements HealthcheckCommand {
  declare readonly range: Range;
  declare readonly form: HealthcheckCommand['form'];
  declare readonly json: readonly Word[];
  #parsed?: ShellScript;
  #parse?: () => ShellScript;

  constructor(
    range: Range,
    form: HealthcheckCommand['form'],
    json: readonly Word[],
    parse?: () => ShellScript,
  ) {
    this.range = range;
    this.form = form;
    this.json = json;
    this.#parse = parse;
  }

  get script(): ShellScript | undefined {
    const parse = this.#parse;
    if (parse) {
      this.#parsed = parse();
      this.#parse = undefined;
    }
    return this.#parsed;
  }

  toJSON(): object {
    return { ...this, script: this.script };
  }
}

export class OnbuildNode extends InstrNode implements OnbuildInstr {
  declare readonly kind: 'onbuild';
  declare readonly trigger: Instr | undefined;

  constructor(b: CommonFields, trigger: Instr | undefined) {
    super(b);
    this.kind = 'onbuild';
    this.trigger = trigger;
  }
}

export class FromNode extends InstrNode implements FromInstr {
  declare readonly kind: 'from';
  declare readonly image: BaseImage;
  declare readonly platform: string | undefined;
  declare readonly stageName: string | undefined;
  declare readonly baseStage: number | undefined;
  declare readonly isScratch: boolean;

  constructor(
    b: CommonFields,
    image: BaseImage,
    platform: string | undefined,
    stageName: string | undefined,
    baseStage: number | undefined,
    isScratch: boolean,
  ) {
    super(b);
    this.kind = 'from';
    this.image = image;
    this.platform = platform;
    this.stageName = stageName;
    this.baseStage = baseStage;
    this.isScratch = isScratch;
  }
}
