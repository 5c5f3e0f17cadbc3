import type { HistoryEntry } from './reader';

/** One history step read back as a Dockerfile instruction. */
export interface HistoryStep {
  /** Index in the config's `history`. */
  readonly index: number;
  /** The instruction, one line (continuations kept as `\` + newline inside RUN bodies). */
  readonly instruction: string;
  /** Index of the layer this step made, when it made one. */
  readonly layer?: number;
}

const KEYWORDS =
  /^(RUN|COPY|ADD|ENV|ARG|LABEL|USER|WORKDIR|EXPOSE|VOLUME|CMD|ENTRYPOINT|SHELL|HEALTHCHECK|STOPSIGNAL|ONBUILD|MAINTAINER)\b/;
const SHELL_PREFIX = /^\/bin\/(?:ba)?sh -c /;
/** `|2 A=1 B=2 /bin/sh -c …`: a RUN with build arguments in its environment. */
const ARGS_PREFIX = /^\|\d+ (?:(?:[A-Za-z_][\w]*=(?:'[^']*'|"[^"]*"|\S*))\s+)*/;

/** Go's `map[8080/tcp:{} 9090/tcp:{}]` (how BuildKit writes EXPOSE) → `8080/tcp 9090/tcp`. */
function goMapKeys(text: string): string {
  const m = /^map\[(.*)\]$/.exec(text.trim());
  if (!m) return text;
  return [...m[1].matchAll(/([^\s:]+):\{\}/g)].map((k) => k[1]).join(' ');
}

/** `[/data /logs]` (BuildKit's VOLUME) → `["/data", "/logs"]`. */
function goList(text: string): string {
  const m = /^\[(.*)\]$/.exec(text.trim());
  if (!m || text.trim().startsWith('["')) return text;
  return JSON.stringify(m[1].split(/\s+/).filter(Boolean));
}

function normaliseMetadata(line: string): string {
  const m = /^(EXPOSE|VOLUME)\s+(.*)$/s.exec(line);
  if (!m) return line;
  return `${m[1]} ${m[1] === 'EXPOSE' ? goMapKeys(m[2]) : goList(m[2])}`;
}

/** A RUN body on one Dockerfile line: newlines become continued lines, as they ran. */
function runLine(body: string): string {
  return `RUN ${body.replace(/\s*\n/g, ' \\\n    ')}`;
}

/**
 * One history entry as an instruction: the legacy builder's `/bin/sh -c #(nop)  ENV A=b` and
 * `/bin/sh -c apt-get …`, and BuildKit's `RUN /bin/sh -c … # buildkit`, `ENV A=b`,
 * `EXPOSE map[8080/tcp:{}]`. Undefined when the entry says nothing (no `created_by`).
 */
export function instructionOf(createdBy: string): string | undefined {
  let text = createdBy.trim();
  if (!text) return undefined;
  text = text.replace(/\s+# buildkit$/, '');
  const nop = /^\/bin\/(?:ba)?sh -c #\(nop\)\s*(.*)$/s.exec(text);
  if (nop) {
    const meta = nop[1].trim();
    // `ADD file:abc… in / ` and `COPY dir:… in /app`: the source is the builder's name for it.
    const copy = /^(ADD|COPY) (\S+) in (\S+)\s*$/.exec(meta);
    if (copy) return `${copy[1]} ${copy[2]} ${copy[3]}`;
    return KEYWORDS.test(meta) ? normaliseMetadata(meta) : `# ${meta}`;
  }
  const buildkitRun = /^RUN (.*)$/s.exec(text);
  if (buildkitRun) {
    const body = buildkitRun[1].replace(ARGS_PREFIX, '').replace(SHELL_PREFIX, '');
    return runLine(body);
  }
  if (KEYWORDS.test(text)) return normaliseMetadata(text);
  // The legacy builder records a RUN as its command line: `/bin/sh -c …` for the shell form, the
  // program and its arguments for the exec form.
  return runLine(text.replace(ARGS_PREFIX, '').replace(SHELL_PREFIX, ''));
}

/** Every history entry read back, matched to the layer it made (empty_layer steps make none). */
export function readHistory(history: readonly HistoryEntry[], layerCount: number): HistoryStep[] {
  const layers = historyLayers(history, layerCount);
  return history.flatMap((h, index) => {
    const instruction = instructionOf(h.created_by ?? '');
    const layer = layers[index];
    return instruction ? [{ index, instruction, ...(layer !== undefined ? { layer } : {}) }] : [];
  });
}

/** The layer each history entry made, by history index (undefined for empty_layer steps). */
export function historyLayers(history: readonly HistoryEntry[], layerCount: number): (number | undefined)[] {
  let layer = 0;
  return history.map((h) => (!h.empty_layer && layer < layerCount ? layer++ : undefined));
}

/**
 * The history as a Dockerfile, the starting point to rebuild and own the image: a comment naming
 * where it was read from, `FROM scratch`, then one instruction per step. `lines[i]` is the history
 * index of line i (0-based), so findings on the text lead back to `history[n]`.
 */
export function historyDockerfile(
  reference: string,
  steps: readonly HistoryStep[],
): { text: string; lineHistory: (number | undefined)[] } {
  const lines: string[] = [
    `# Read back from ${reference} by harden-dockerfile triage: the image's build history, not its`,
    '# original Dockerfile. COPY/ADD sources are the builder’s names for them; rebuild before you run it.',
    'FROM scratch',
  ];
  const lineHistory: (number | undefined)[] = [undefined, undefined, undefined];
  for (const step of steps) {
    for (const line of step.instruction.split('\n')) {
      lines.push(line);
      lineHistory.push(step.index);
    }
  }
  return { text: `${lines.join('\n')}\n`, lineHistory };
}
