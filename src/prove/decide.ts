// Whether a hardened image does what the original did: built, the same end state (running, or the
// same exit code and output), every port the original answered answered alike, and not root when asked.
import type { Observation } from './observe';

export interface Verdict {
  readonly proven: boolean;
  /** Why not, with the evidence: the failing build step, the exit code and log line, the silent port. */
  readonly evidence?: string;
}

const statusClass = (s: number | undefined) =>
  s === undefined ? 'no HTTP answer' : `${Math.floor(s / 100)}xx`;

/** The last line of a log worth quoting. */
export const lastLine = (lines: readonly string[]) => lines[lines.length - 1] ?? '';

/** `: <last log line>`, when the container said anything. */
const saying = (o: Observation) => (o.logTail.length ? `: ${lastLine(o.logTail)}` : '');

export function decide(original: Observation, hardened: Observation, nonRoot: boolean): Verdict {
  if (!hardened.built)
    return {
      proven: false,
      evidence: `the build fails: ${lastLine((hardened.buildError ?? '').split('\n'))}`,
    };
  if (hardened.state === 'not started')
    return { proven: false, evidence: `it does not start: ${hardened.runError ?? ''}`.trim() };
  if (original.state === 'running' && hardened.state !== 'running')
    return {
      proven: false,
      evidence: `it exits with code ${hardened.exitCode ?? '?'} where the original keeps running${saying(hardened)}`,
    };
  if (original.state === 'exited') {
    if (hardened.state !== 'exited')
      return { proven: false, evidence: 'it keeps running where the original exits by itself' };
    if (hardened.exitCode !== original.exitCode)
      return {
        proven: false,
        evidence: `it exits with code ${hardened.exitCode} where the original exits with ${original.exitCode}${saying(hardened)}`,
      };
    if (hardened.logTail.join('\n') !== original.logTail.join('\n'))
      return { proven: false, evidence: `its output differs: ${lastLine(hardened.logTail)}` };
  }
  for (const before of original.ports) {
    if (!before.accepted) continue;
    const after = hardened.ports.find((p) => p.port === before.port);
    if (!after?.accepted) return { proven: false, evidence: `port ${before.port} stopped answering` };
    if (statusClass(after.status) !== statusClass(before.status))
      return {
        proven: false,
        evidence: `port ${before.port} answers ${after.status ?? 'no HTTP'} where the original answered ${before.status ?? 'no HTTP'}`,
      };
  }
  if (nonRoot && hardened.state === 'running' && hardened.uid === 0)
    return { proven: false, evidence: 'its main process still runs as uid 0' };
  return { proven: true };
}
