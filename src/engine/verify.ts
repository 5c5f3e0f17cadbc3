import type { Dockerfile, Instr } from '../core/model';

export const KNOWN_KEYWORDS: ReadonlySet<string> = new Set([
  'FROM',
  'RUN',
  'CMD',
  'LABEL',
  'MAINTAINER',
  'EXPOSE',
  'ENV',
  'ADD',
  'COPY',
  'ENTRYPOINT',
  'VOLUME',
  'USER',
  'WORKDIR',
  'ARG',
  'ONBUILD',
  'STOPSIGNAL',
  'HEALTHCHECK',
  'SHELL',
]);

interface Health {
  readonly stages: number;
  readonly unknownKeywords: number;
  readonly shellErrors: number;
  readonly brokenJson: number;
}

function health(model: Dockerfile, instructions: readonly Instr[]): Health {
  let unknownKeywords = 0;
  let shellErrors = 0;
  let brokenJson = 0;
  const visit = (ins: Instr) => {
    if (!KNOWN_KEYWORDS.has(ins.keyword.toUpperCase())) unknownKeywords++;
    if ((ins.kind === 'run' || ins.kind === 'cmd' || ins.kind === 'entrypoint') && ins.script?.hasError)
      shellErrors++;
    if (
      (ins.kind === 'run' || ins.kind === 'cmd' || ins.kind === 'entrypoint' || ins.kind === 'shell') &&
      ins.form === 'shell'
    ) {
      const args = model.source.text.slice(ins.argsRange.start, ins.argsRange.end).trimStart();
      if (args.startsWith('[') && args.trimEnd().endsWith(']')) brokenJson++;
    }
    if (ins.kind === 'onbuild' && ins.trigger) visit(ins.trigger);
  };
  instructions.forEach(visit);
  return { stages: model.stages.length, unknownKeywords, shellErrors, brokenJson };
}

/**
 * The instructions of `model` whose text `other` does not hold as well (each of other's copies
 * matches one). An instruction with the same text reads the same in both, so only these can differ.
 */
function notIn(model: Dockerfile, other: Dockerfile): Instr[] {
  if (model.escapeChar !== other.escapeChar) return [...model.instructions];
  const textOf = (m: Dockerfile, ins: Instr) => m.source.text.slice(ins.range.start, ins.range.end);
  const count = new Map<string, number>();
  for (const ins of other.instructions) {
    const t = textOf(other, ins);
    count.set(t, (count.get(t) ?? 0) + 1);
  }
  return model.instructions.filter((ins) => {
    const t = textOf(model, ins);
    const n = count.get(t) ?? 0;
    if (n > 0) count.set(t, n - 1);
    return n === 0;
  });
}

/**
 * Builder stages a rewrite added (a build split): named stages the original does not have, that a
 * later stage copies from.
 */
function addedBuilders(before: Dockerfile, after: Dockerfile): number {
  const names = new Set(before.stages.map((s) => s.name?.toLowerCase()));
  return after.stages.filter(
    (s) => s.name !== undefined && !names.has(s.name.toLowerCase()) && s.usedBy.some((u) => u > s.index),
  ).length;
}

/**
 * Checks that a rewrite still parses as the same Dockerfile: the same stages (and any builders it
 * added), and no new unknown instruction, shell syntax error or broken exec-form array. Returns the
 * reason when it does not.
 */
export function verifyRewrite(before: Dockerfile, after: Dockerfile): string | undefined {
  // Counted over the instructions the rewrite changed: the others count the same on both sides.
  const a = health(before, notIn(before, after));
  const b = health(after, notIn(after, before));
  const builders = addedBuilders(before, after);
  if (a.stages + builders !== b.stages) return `the number of stages changed from ${a.stages} to ${b.stages}`;
  if (b.unknownKeywords > a.unknownKeywords) return 'an instruction was no longer recognised';
  if (b.shellErrors > a.shellErrors) return 'a shell command no longer parses';
  if (b.brokenJson > a.brokenJson) return 'an exec-form array is no longer valid JSON';
  return undefined;
}
