import type { Dockerfile, Instr, RunInstr, ShellScript } from '../src/core/model';
import { stageChain } from '../src/core/users';
import { joinedText } from '../src/core/segments';
import { isShellBuiltin } from '../src/core/shell-builtins';
import { appendCommand, runOfFinding } from '../src/engine/append-command';
import { defineFixer, isSkip, skip, type Skip, type TextEdit } from '../src/engine/define-fixer';
import { insertAt } from '../src/engine/edits';
import { removesAptLists, runsAptUpdate } from '../rules/apt-clean-lists';

const APT = ['apt-get', 'apt', 'aptitude'];
/** What reads the package lists an earlier `update` left. */
const READS_LISTS = new Set([
  'install',
  'upgrade',
  'dist-upgrade',
  'full-upgrade',
  'build-dep',
  'source',
  'download',
]);

const CLEAN = 'rm -rf /var/lib/apt/lists/*';

/** One top-level list of simple commands and pipelines joined by `&&`, and nothing else. */
function andList(model: Dockerfile, script: ShellScript | undefined): boolean {
  if (!script || script.hasError || script.heredoc || script.statements.length !== 1) return false;
  const top = script.commands.filter((c) => !c.nested);
  const [statement] = script.statements;
  if (top.length === 0 || top[0].range.start !== statement.start) return false;
  if (top[top.length - 1].range.end !== statement.end) return false;
  const text = model.source.text;
  return top.slice(1).every((c, i) => {
    const gap = joinedText(text, top[i].range.end, c.range.start, model.escapeChar);
    return /^\s*(&&|\|)\s*$/.test(gap);
  });
}

/** The reason a fix leaves the lists: the RUN on that line reads them. */
const readsWhy = (reader: RunInstr) =>
  `the RUN on line ${reader.line + 1} installs with apt without an update of its own: it reads the lists this RUN leaves`;

/**
 * `RUN apt-get update` followed on the next line by the `RUN` that installs from its lists: the two
 * become one RUN (` \` + `&& install…`), so no layer keeps the lists. Only where the first RUN runs
 * nothing but apt (no directory, variable or option of the shell to carry over), both are one `&&`
 * list in shell form without flags, and only a line break and the keyword stand between them. The
 * caller removes the lists at the joined RUN's end.
 */
function mergeWithReader(model: Dockerfile, run: RunInstr, reader: RunInstr): TextEdit[] | Skip {
  const why = readsWhy(reader);
  const [a, b] = [run.script, reader.script];
  if (!a || !b || !plain(run) || !plain(reader) || !andList(model, a) || !andList(model, b)) return skip(why);
  const calls = model.callsIn({ instr: run });
  const onlyApt =
    a.commands.every((c) => !c.nested && c.assignments.length === 0) &&
    calls.length === a.commands.length &&
    calls.every((c) => APT.includes(c.tool) && c.toolWord === c.command.name);
  if (!onlyApt) return skip(`${why}; the RUNs are not joined, since this one runs more than apt`);
  const text = model.source.text;
  // From the end of the first RUN's list to the start of the next one's: a line break and the
  // keyword, nothing else (a comment there would swallow what the join puts after it).
  const [end, start] = [a.statements[a.statements.length - 1].end, b.statements[0].start];
  const between = text.slice(end, start);
  if (!new RegExp(`^[ \\t]*\\r?\\n[ \\t]*${reader.keyword}[ \\t]+$`).test(between))
    return skip(
      `${why}; the RUNs are not joined, since more than a line break stands between their commands`,
    );
  return [
    {
      range: { start: end, end: start },
      text: ` ${model.escapeChar}${model.eol}    && `,
      intent: { kind: 'merge-run' as const },
    },
  ];
}

const plain = (r: RunInstr) => r.form === 'shell' && r.flags.length === 0;

/**
 * What in a RUN may change the apt sources: a file under /etc/apt, a key, a repository added, a
 * package installed by dpkg (keyrings and `*-apt-config` packages add sources), a script run by
 * its path or piped to a shell.
 */
const CHANGES_SOURCES = new RegExp(
  [
    String.raw`/etc/apt`,
    String.raw`sources\.list`,
    String.raw`apt-key`,
    String.raw`(add-apt|apt-add)-repository`,
    String.raw`extrepo`,
    String.raw`\bdpkg\s+(-\w*i|--install)`,
    String.raw`\.sh\b`,
    String.raw`\|\s*(sudo(\s+-\S+)*\s+)?(env\s+)?(\S*/)?(ba|da|z|k)?sh\b`,
    String.raw`\b(ba|da|z|k)?sh\s+-c\b`,
  ].join('|'),
);
/** Builtins that change what the commands after them see. */
const SHELL_STATE = new Set([
  'export',
  'declare',
  'typeset',
  'readonly',
  'local',
  'set',
  'unset',
  'source',
  '.',
  'eval',
]);

/**
 * The update `run` makes, as the command a later RUN can start with: its words from the tool on
 * (`apt-get update -qq`), on one line; or why it cannot be repeated as it ran. The RUN is one `&&`
 * list in shell form without flags (a mount could hold its sources or credentials), sets no variable
 * or option of the shell, makes one update directly or as `sudo apt-get update`, with no variable set
 * for it, and changes no apt source after it.
 */
function updateCommand(model: Dockerfile, run: RunInstr): string | { why: string } {
  if (!plain(run) || !andList(model, run.script))
    return { why: 'the update here is not one step of an && list in shell form without flags' };
  const commands = run.script?.commands ?? [];
  if (commands.some((c) => c.assignments.length > 0 || SHELL_STATE.has(c.name.value)))
    return { why: 'the RUN here sets variables or shell options for its update' };
  const updates = model
    .callsIn({ instr: run })
    .filter((c) => APT.includes(c.tool) && c.sub?.value === 'update');
  if (updates.length !== 1) return { why: 'the RUN here updates more than once' };
  const [u] = updates;
  // Through sudo, the words from the tool on: the RUN that repeats it runs apt as the user it is.
  const direct = u.toolWord === u.command.name;
  const sudo = u.command.name.value === 'sudo' && u.command.args[0] === u.toolWord;
  if (u.command.nested || (!direct && !sudo))
    return { why: 'the update here runs through another command than a plain sudo' };
  const text = model.source.text;
  const update = text.slice(u.toolWord.range.start, u.command.range.end);
  if (!/^[\w./ =:+-]+$/.test(update))
    return { why: 'the update here has words other than plain options (a variable, a redirection)' };
  if (CHANGES_SOURCES.test(text.slice(u.command.range.end, run.range.end)))
    return { why: 'the RUN here may change the apt sources after its update' };
  return update;
}

/**
 * A later RUN that installs from the lists `run` leaves gets an update of its own, the same one `run`
 * makes, at the start of its list, so it fetches lists from the same sources it would have read, and
 * removes them at its end. Only where the RUN is one `&&` list in shell form without flags that runs
 * apt by its own name, and nothing between the two (earlier readers included) changes the apt
 * sources or the user.
 */
function refreshReader(
  model: Dockerfile,
  run: RunInstr,
  reader: RunInstr,
  update: string,
): TextEdit[] | Skip {
  const b = reader.script;
  if (reader.onbuild) return skip('it is an ONBUILD trigger, which runs in the images built on this one');
  if (!b || !plain(reader) || !andList(model, b))
    return skip('it is not one && list in shell form without flags');
  const reads = model.callsIn({ instr: reader }).filter((c) => APT.includes(c.tool) && c.sub);
  if (reads.some((c) => c.toolWord !== c.command.name || c.command.nested))
    return skip('it runs apt through another command or inside a branch');
  const text = model.source.text;
  const line = lineageBefore(model, reader);
  const etcWorkdir = line.some(
    (i) =>
      i.kind === 'workdir' && /^["']?\/etc\b/.test(text.slice(i.argsRange.start, i.argsRange.end).trim()),
  );
  for (const ins of line) {
    if (ins.range.start <= run.range.end) continue;
    const body = text.slice(ins.argsRange.start, ins.argsRange.end);
    const kw = ins.keyword.toUpperCase();
    const dest = body.trim().split(/\s+/).pop() ?? '';
    const copies =
      (kw === 'COPY' || kw === 'ADD') &&
      (/\/etc\/apt/.test(body) ||
        /^["']?\/(etc\/?)?["']?$/.test(dest) ||
        (etcWorkdir && !dest.startsWith('/')));
    if (kw === 'USER' || (kw === 'RUN' && CHANGES_SOURCES.test(body)) || copies)
      return skip(`line ${ins.line + 1} may change the apt sources or the user in between`);
  }
  const edits = [
    insertAt(b.statements[0].start, `${update} && `, { kind: 'prepend' as const, command: update }),
  ];
  // A reader that updates later on is a finding of its own, whose fix removes its lists.
  if (removesAptLists(reader) || runsAptUpdate(reader)) return edits;
  const clean = appendCommand(model, reader, CLEAN);
  if (isSkip(clean)) return clean;
  return [...edits, ...clean];
}

/** Whether a RUN does nothing but update the lists (and builtins such as `cd`). */
function onlyUpdates(model: Dockerfile, run: RunInstr): boolean {
  const calls = model.callsIn({ instr: run });
  return (run.script?.commands ?? []).every((c) => {
    const call = calls.find((x) => x.command.range.start === c.range.start);
    return call && APT.includes(call.tool) ? call.sub?.value === 'update' : isShellBuiltin(c.name.value);
  });
}

/** The instructions before `later` on the stages it builds on (its own included), in order. */
function lineageBefore(model: Dockerfile, later: Instr): Instr[] {
  const stage = model.stages[later.stage];
  const line = new Set(stage ? stageChain(model, stage).map((s) => s.index) : []);
  return model.instructions.filter((i) => i.range.start < later.range.start && line.has(i.stage));
}

/**
 * The later RUNs, in `run`'s stage or a stage built on it, that install from the lists `run` leaves:
 * no RUN between them on their line of stages updates, and they read before any update of their own.
 * One walk in order: a stage comes after every stage it builds on, so what updated earlier is known.
 */
function readersAfter(model: Dockerfile, run: RunInstr): RunInstr[] {
  const readers: RunInstr[] = [];
  const updated = new Set<number>();
  const lines = new Map<number, ReadonlySet<number>>();
  const lineOf = (stage: number) => {
    let line = lines.get(stage);
    if (!line) {
      const s = model.stages[stage];
      lines.set(stage, (line = new Set(s ? stageChain(model, s).map((x) => x.index) : [])));
    }
    return line;
  };
  for (const { instr } of model.runs) {
    if (instr.range.start <= run.range.end) continue;
    const line = lineOf(instr.stage);
    if (!line.has(run.stage) || [...line].some((s) => updated.has(s))) continue;
    const calls = model.callsIn({ instr }).filter((c) => APT.includes(c.tool) && c.sub);
    const read = calls.find((c) => READS_LISTS.has(c.sub?.value ?? ''));
    const update = calls.find((c) => c.sub?.value === 'update');
    if (read && !(update && update.command.range.start < read.command.range.start)) readers.push(instr);
    // An ONBUILD trigger updates in the images built on this one, not here.
    if (update && !instr.onbuild) updated.add(instr.stage);
  }
  return readers;
}

/**
 * Removes the lists where `run` leaves them read by later RUNs: the first of these, on the next line,
 * is joined with it, and the others update for themselves (see refreshReader); the lists go at the
 * end of each.
 */
function cleanBeforeReaders(model: Dockerfile, run: RunInstr, readers: RunInstr[]): TextEdit[] | Skip {
  const [first] = readers;
  const merged = mergeWithReader(model, run, first);
  // A RUN that only updates would be left updating and removing what it fetched: it is joined or left.
  if (isSkip(merged) && onlyUpdates(model, run)) return merged;
  const [joined, rest] = isSkip(merged) ? [run, readers] : [first, readers.slice(1)];
  const edits: TextEdit[] = isSkip(merged) ? [] : [...merged];
  const clean = appendCommand(model, joined, CLEAN);
  if (isSkip(clean)) return clean;
  edits.push(...clean);
  const update = updateCommand(model, run);
  for (const r of rest) {
    const more = typeof update === 'string' ? refreshReader(model, run, r, update) : skip(update.why);
    if (isSkip(more)) {
      const why = r === first && isSkip(merged) ? merged.skipped : readsWhy(r);
      return skip(`${why}; nor can it update for itself: ${more.skipped}`);
    }
    edits.push(...more);
  }
  return edits;
}

export const fixer = defineFixer({
  ruleId: 'apt-clean-lists',
  fix(finding, { model }) {
    const run = runOfFinding(model, finding);
    const readers = run ? readersAfter(model, run) : [];
    if (run && readers.length > 0) return cleanBeforeReaders(model, run, readers);
    return appendCommand(model, run, CLEAN);
  },
});
