// The walk over tree-sitter-bash's tree: the grammar's node types as numbers, and one cursor pass
// collecting commands, words, pipelines and exports with their file positions.
import type { Language, TreeCursor } from 'web-tree-sitter';
import type { Assignment, Command, Pipeline, Word } from './model';
import type { SegmentMap } from './segments';
import { toolCall } from './shell-commands';
import type { Range } from './source';

/** How deep the walker follows nested syntax (subshells, substitutions, concatenations). */
const MAX_DEPTH = 200;

/** Node types that cannot contain a command. */
const LEAVES = [
  'word',
  'raw_string',
  'number',
  'comment',
  'string_content',
  'variable_name',
  'file_descriptor',
  'heredoc_start',
  'heredoc_body',
  'regex',
  'test_operator',
  'special_variable_name',
  'ansi_c_string',
];

const EXPANDING = [
  'simple_expansion',
  'expansion',
  'command_substitution',
  'process_substitution',
  'arithmetic_expansion',
  'brace_expression',
];

/** Node types the walker treats specially. */
const enum Kind {
  Other,
  Pipeline,
  Command,
  Declaration,
  Redirected,
  Assignment,
  Word,
  RawString,
  AnsiCString,
  String,
  Concatenation,
  Comment,
  /** Syntax that runs what it holds in the script's own flow: the program, an and-or list, `! cmd`. */
  Transparent,
}

const KINDS: Readonly<Record<string, Kind>> = {
  pipeline: Kind.Pipeline,
  command: Kind.Command,
  declaration_command: Kind.Declaration,
  redirected_statement: Kind.Redirected,
  variable_assignment: Kind.Assignment,
  word: Kind.Word,
  number: Kind.Word,
  raw_string: Kind.RawString,
  ansi_c_string: Kind.AnsiCString,
  string: Kind.String,
  concatenation: Kind.Concatenation,
  comment: Kind.Comment,
  program: Kind.Transparent,
  list: Kind.Transparent,
  negated_command: Kind.Transparent,
};

/**
 * What a child of a `command` node is, told by its type alone (which saves a field look-up per
 * child): in tree-sitter-bash a command is assignments and redirects, its `command_name`, then
 * arguments (any literal, a regex, and the bare `$`, `=~` and `==` tokens), here-strings and
 * a subshell.
 */
const enum Role {
  Skip,
  Name,
  Argument,
  Assignment,
  Walk,
}

/** Anonymous tokens that stand as arguments of a command. */
const ARGUMENT_TOKENS = ['$', '=~', '=='];

/** Roles of the named types that are not arguments when they stand in a command. */
const ROLES: Readonly<Record<string, Role>> = {
  command_name: Role.Name,
  variable_assignment: Role.Assignment,
  file_redirect: Role.Walk,
  heredoc_redirect: Role.Walk,
  herestring_redirect: Role.Walk,
  subshell: Role.Walk,
  comment: Role.Skip,
};

/** Bits of what the walker needs to know of a node type: one table lookup per node. */
const NAMED = 1;
const LEAF = 2;
const EXPANDS = 4;

/**
 * The grammar's node types and fields as numbers, so the walker compares integers and makes one
 * cursor call per node for its type, instead of building type-name strings.
 */
export interface GrammarTable {
  /** Type id → NAMED | LEAF | EXPANDS. */
  readonly bits: Uint8Array;
  /** Type id → Kind. */
  readonly kinds: Uint8Array;
  /** Type id → what a child of that type is to the command it stands in (Role). */
  readonly roles: Uint8Array;
  /** Type id of the `export` keyword. */
  readonly exportType: number;
  readonly nameField: number;
  readonly valueField: number;
}

/** tree-sitter's ERROR node (type ids are 16-bit; ERROR is the last): named, and walked into. */
const ERROR_TYPE = 0xffff;

export function grammarTable(language: Language): GrammarTable {
  const bits = new Uint8Array(ERROR_TYPE + 1);
  const kinds = new Uint8Array(ERROR_TYPE + 1);
  const roles = new Uint8Array(ERROR_TYPE + 1);
  const leaves = new Set(LEAVES);
  const expanding = new Set(EXPANDING);
  for (let id = 0; id < language.nodeTypeCount; id++) {
    const type = language.types[id];
    if (!type || !language.nodeTypeIsNamed(id)) continue;
    bits[id] = NAMED | (leaves.has(type) ? LEAF : 0) | (expanding.has(type) ? EXPANDS : 0);
    kinds[id] = KINDS[type] ?? Kind.Other;
    roles[id] = ROLES[type] ?? Role.Argument;
  }
  for (const token of ARGUMENT_TOKENS) {
    const id = language.idForNodeType(token, false);
    if (id !== null) roles[id] = Role.Argument;
  }
  bits[ERROR_TYPE] = NAMED;
  roles[ERROR_TYPE] = Role.Walk;
  return {
    bits,
    kinds,
    roles,
    exportType: language.idForNodeType('export', false) ?? -1,
    nameField: language.fieldIdForName('name') ?? -1,
    valueField: language.fieldIdForName('value') ?? -1,
  };
}

/** The ranges of the program's statements, the cursor on the root (and back on it after). */
export function topStatements(c: TreeCursor, map: SegmentMap, table: GrammarTable): Range[] {
  const out: Range[] = [];
  if (!c.gotoFirstChild()) return out;
  do {
    if (c.nodeIsNamed && table.kinds[c.nodeTypeId] !== Kind.Comment)
      out.push(map.range(c.startIndex, c.endIndex));
  } while (c.gotoNextSibling());
  c.gotoParent();
  return out;
}

interface PipelineSlot {
  readonly id: number;
  index: number;
}

/**
 * One depth-first pass over the syntax tree with a cursor (no node objects), collecting commands,
 * pipelines and exports with their positions. A node costs one cursor call for its type, which the
 * caller reads and passes down; ranges are read only where they are used.
 */
export class Walker {
  readonly commands: Command[] = [];
  readonly pipelines: Pipeline[] = [];
  readonly exports: Assignment[] = [];
  /** The script nests deeper than the walker follows. */
  truncated = false;
  private depth = 0;
  /** How many compound commands or substitutions hold the node being walked. */
  private nest = 0;
  private readonly bits: Uint8Array;
  private readonly kinds: Uint8Array;

  constructor(
    private readonly text: string,
    private readonly map: SegmentMap,
    private readonly cursor: TreeCursor,
    private readonly table: GrammarTable,
  ) {
    this.bits = table.bits;
    this.kinds = table.kinds;
  }

  /** Walks the node under the cursor, whose type id the caller has read. */
  walk(typeId: number, slot?: PipelineSlot): void {
    // Untrusted input can nest thousands deep; past this depth the rest is not looked into.
    if (this.depth >= MAX_DEPTH) {
      this.truncated = true;
      return;
    }
    this.depth++;
    try {
      this.visit(typeId, slot);
    } finally {
      this.depth--;
    }
  }

  private visit(typeId: number, slot?: PipelineSlot): void {
    const c = this.cursor;
    const kind = this.kinds[typeId];
    if (kind === Kind.Pipeline) return this.pipeline();
    if (kind === Kind.Command) return this.command(slot);
    if (kind === Kind.Declaration) this.declaration();
    if (this.bits[typeId] & LEAF || !c.gotoFirstChild()) return;
    // A redirected statement passes its pipeline slot on to the command it wraps.
    const passOn = kind === Kind.Redirected ? slot : undefined;
    // Compound commands, substitutions and the like: what they hold runs nested.
    const nests = kind === Kind.Other && typeId !== ERROR_TYPE;
    if (nests) this.nest++;
    do {
      const child = c.nodeTypeId;
      if (this.bits[child] & NAMED) this.walk(child, passOn);
    } while (c.gotoNextSibling());
    if (nests) this.nest--;
    c.gotoParent();
  }

  private pipeline(): void {
    const c = this.cursor;
    const pipeline = { range: this.map.range(c.startIndex, c.endIndex), size: 0 };
    const slot: PipelineSlot = { id: this.pipelines.length, index: 0 };
    this.pipelines.push(pipeline);
    if (c.gotoFirstChild()) {
      do {
        const child = c.nodeTypeId;
        if (!(this.bits[child] & NAMED) || this.kinds[child] === Kind.Comment) continue;
        this.walk(child, slot);
        slot.index++;
      } while (c.gotoNextSibling());
      c.gotoParent();
    }
    pipeline.size = slot.index;
  }

  private command(slot?: PipelineSlot): void {
    const c = this.cursor;
    const start = c.startIndex;
    const end = c.endIndex;
    const roles = this.table.roles;
    let name: Word | undefined;
    const args: Word[] = [];
    const assignments: Assignment[] = [];
    const at = this.commands.length;
    if (c.gotoFirstChild()) {
      do {
        const typeId = c.nodeTypeId;
        const role = roles[typeId];
        if (role === Role.Name) {
          // command_name wraps the word that names the command
          if (c.gotoFirstChild()) {
            const inner = c.nodeTypeId;
            name = this.word(inner);
            if (!name.literal) this.walk(inner);
            c.gotoParent();
          } else {
            name = this.word(typeId);
            if (!name.literal) this.walk(typeId);
          }
        } else if (role === Role.Argument) {
          const word = this.word(typeId);
          args.push(word);
          // Commands inside substitutions (`$(curl …)`) are commands too.
          if (!word.literal) this.walk(typeId);
        } else if (role === Role.Assignment) assignments.push(this.assignment());
        else if (role === Role.Walk) this.walk(typeId);
      } while (c.gotoNextSibling());
      c.gotoParent();
    }
    if (!name) return;
    const command: Command = {
      call: toolCall(name, args),
      name,
      args,
      assignments,
      range: this.map.range(start, end),
      nested: this.nest > 0,
      pipeline: slot?.id,
      pipelineIndex: slot?.index,
    };
    // Document order: a command comes before the ones nested in its arguments.
    this.commands.splice(at, 0, command);
  }

  private declaration(): void {
    const c = this.cursor;
    if (!c.gotoFirstChild()) return;
    const isExport = c.nodeTypeId === this.table.exportType;
    while (isExport && c.gotoNextSibling()) {
      if (this.kinds[c.nodeTypeId] === Kind.Assignment) this.exports.push(this.assignment());
    }
    c.gotoParent();
  }

  private assignment(): Assignment {
    const c = this.cursor;
    const { nameField, valueField } = this.table;
    let name = '';
    let value = '';
    if (c.gotoFirstChild()) {
      do {
        const field = c.currentFieldId;
        if (field === nameField) name = this.text.slice(c.startIndex, c.endIndex);
        else if (field === valueField) value = this.value(c.nodeTypeId, c.startIndex, c.endIndex);
      } while (c.gotoNextSibling());
      c.gotoParent();
    }
    return { name, value };
  }

  private word(typeId: number): Word {
    const c = this.cursor;
    const start = c.startIndex;
    const end = c.endIndex;
    const value = this.value(typeId, start, end);
    return {
      value,
      raw: this.text.slice(start, end),
      range: this.map.range(start, end),
      literal: this.literal,
    };
  }

  /** Set by `value`: the word it read needs no expansion. */
  private literal = true;

  /** The word under the cursor after quote removal; sets `literal`. */
  private value(typeId: number, start: number, end: number): string {
    const c = this.cursor;
    const raw = this.text.slice(start, end);
    switch (this.kinds[typeId]) {
      case Kind.Word:
        this.literal = !/[*?[]/.test(raw);
        return raw.includes('\\') ? raw.replace(/\\(.)/gs, '$1') : raw;
      case Kind.RawString:
        this.literal = true;
        return raw.slice(1, -1);
      case Kind.AnsiCString:
        this.literal = true;
        return raw.slice(2, -1);
      case Kind.String:
        // Only `$` and backquotes expand inside double quotes.
        this.literal = !(raw.includes('$') || raw.includes('`')) || this.childrenLiteral();
        return raw.includes('\\') ? raw.slice(1, -1).replace(/\\([$`"\\\n])/g, '$1') : raw.slice(1, -1);
      case Kind.Concatenation: {
        let value = '';
        let literal = true;
        if (c.gotoFirstChild()) {
          do {
            value += this.value(c.nodeTypeId, c.startIndex, c.endIndex);
            literal &&= this.literal;
          } while (c.gotoNextSibling());
          c.gotoParent();
        }
        this.literal = literal;
        return value;
      }
      default:
        this.literal = !(this.bits[typeId] & EXPANDS) && this.childrenLiteral();
        return raw;
    }
  }

  private childrenLiteral(depth = 0): boolean {
    const c = this.cursor;
    if (depth > MAX_DEPTH) return false;
    if (!c.gotoFirstChild()) return true;
    let literal = true;
    do {
      if (this.bits[c.nodeTypeId] & EXPANDS || !this.childrenLiteral(depth + 1)) literal = false;
    } while (literal && c.gotoNextSibling());
    c.gotoParent();
    return literal;
  }
}
