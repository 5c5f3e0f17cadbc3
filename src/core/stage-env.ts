import type { Dockerfile, Instr, Stage } from './model';
import { stageChain } from './users';

/**
 * Environment a RUN at `offset` sees from ENV instructions: its stage's and those of the stages it
 * builds on. Values are as written (no expansion).
 */
export function envBefore(model: Dockerfile, stage: Stage | undefined, offset: number): Map<string, string> {
  const env = new Map<string, string>();
  if (!stage) {
    collect(
      model.instructions.filter((i) => i.stage < 0),
      offset,
      env,
    );
    return env;
  }
  for (const s of stageChain(model, stage)) collect(s.instructions, s === stage ? offset : Infinity, env);
  return env;
}

function collect(instrs: readonly Instr[], offset: number, env: Map<string, string>): void {
  for (const ins of instrs) {
    if (ins.range.start >= offset) break;
    if (ins.kind === 'env') for (const p of ins.pairs) env.set(p.name, p.value ?? '');
  }
}

/** Truthy the way pip reads its environment variables (`1`, `yes`, `on`, `true`). */
export function isTruthy(value: string | undefined): boolean {
  return value !== undefined && /^(1|y|yes|on|true)$/i.test(value.trim());
}
