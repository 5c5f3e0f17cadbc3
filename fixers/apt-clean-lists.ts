import type { Dockerfile, RunInstr, ShellScript, Stage } from '../src/core/model';
import { joinedText } from '../src/core/segments';
import { appendCommand, runOfFinding } from '../src/engine/append-command';
import { defineFixer, isSkip, skip, type Skip, type TextEdit } from '../src/engine/define-fixer';

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

/**
 * A later RUN of the same stage, or of a stage built on it, that installs with apt without an
 * update of its own: it reads the lists `run` leaves, and removing them would make it fail.
 */
export function laterReader(model: Dockerfile, run: RunInstr): RunInstr | undefined {
  const stage = model.runs.find((r) => r.instr === run)?.stage;
  const family = new Set<Stage | undefined>([stage]);
  for (const s of model.stages)
    if (s.index > (stage?.index ?? -1) && [...family].some((f) => f?.name && f.name === s.from.image.text))
      family.add(s);
  let after = false;
  for (const r of model.runs) {
    if (r.instr === run) {
      after = true;
      continue;
    }
    if (!after || !family.has(r.stage)) continue;
    const apt = model.callsIn(r).filter((c) => APT.includes(c.tool) && c.sub !== undefined);
    // A RUN that updates reads its own lists, and so do the RUNs after it.
    if (apt.some((c) => c.sub?.value === 'update')) return undefined;
    if (apt.some((c) => READS_LISTS.has(c.sub?.value ?? ''))) return r.instr;
  }
  return undefined;
}

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

/**
 * `RUN apt-get update` followed on the next line by the `RUN` that installs from its lists: the two
 * become one RUN (` \` + `&& install…`) that removes the lists at its end, so no layer keeps them.
 * Only where the first RUN runs nothing but apt (no directory, variable or option of the shell to
 * carry over), both are one `&&` list in shell form without flags, and no later RUN reads the lists.
 */
function mergeWithReader(model: Dockerfile, run: RunInstr, reader: RunInstr): TextEdit[] | Skip {
  const why = `the RUN on line ${reader.line + 1} installs with apt without an update of its own: it reads the lists this RUN leaves`;
  const [a, b] = [run.script, reader.script];
  const plain = (r: RunInstr) => r.form === 'shell' && r.flags.length === 0;
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
  const next = laterReader(model, reader);
  if (next)
    return skip(`the RUN on line ${next.line + 1} still reads the lists after the next RUN, which installs`);
  const clean = appendCommand(model, reader, CLEAN);
  if (isSkip(clean)) return clean;
  const join = {
    range: { start: end, end: start },
    text: ` ${model.escapeChar}${model.eol}    && `,
    intent: { kind: 'merge-run' as const },
  };
  return [join, ...clean];
}

export const fixer = defineFixer({
  ruleId: 'apt-clean-lists',
  fix(finding, { model }) {
    const run = runOfFinding(model, finding);
    const reader = run && laterReader(model, run);
    if (run && reader) return mergeWithReader(model, run, reader);
    return appendCommand(model, run, CLEAN);
  },
});
