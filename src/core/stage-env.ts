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

/**
 * The environment a RUN sees, build arguments included: an ARG without a default (its value comes
 * with the build, unknown here) reads as `${NAME}`.
 */
export function buildEnvBefore(
  model: Dockerfile,
  stage: Stage | undefined,
  offset: number,
): Map<string, string> {
  const env = new Map<string, string>();
  const chain = stage ? stageChain(model, stage) : [];
  for (const s of chain)
    for (const ins of s.instructions) {
      if (s === stage && ins.range.start >= offset) break;
      if (ins.kind === 'arg') for (const p of ins.pairs) env.set(p.name, p.value ?? `\${${p.name}}`);
    }
  for (const [k, v] of envBefore(model, stage, offset)) env.set(k, v);
  return env;
}

/** Truthy the way pip reads its environment variables (`1`, `yes`, `on`, `true`). */
export function isTruthy(value: string | undefined): boolean {
  return value !== undefined && /^(1|y|yes|on|true)$/i.test(value.trim());
}
