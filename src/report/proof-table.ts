// The before/after table of fix --prove: built, size, state, each port's answer, user and build time
// of the original and the hardened image, as text or Markdown (the PR body, the review comment).
import type { Proof } from '../prove/prove';
import type { Observation } from '../prove/observe';
import { human } from './triage';

const size = (bytes: number | undefined) => (bytes === undefined ? '—' : human(bytes));

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function state(o: Observation): string {
  if (!o.built) return '—';
  if (o.state === 'exited') return `exited ${o.exitCode ?? '?'}`;
  return o.state ?? '—';
}

function answer(o: Observation, port: string): string {
  const p = o.ports.find((x) => x.port === port);
  if (!p) return '—';
  if (!p.accepted) return 'no answer';
  return p.status === undefined ? 'accepts (not HTTP)' : `${p.status}`;
}

function rows(proof: Proof, path: string): string[][] {
  const a = proof.original;
  const b = proof.hardened;
  const col = (f: (o: Observation) => string) => [f(a), b ? f(b) : '—'];
  const ports = [...new Set([...a.ports, ...(b?.ports ?? [])].map((p) => p.port))];
  return [
    ['built', ...col((o) => (o.built ? 'yes' : 'no'))],
    ['build time', ...col((o) => seconds(o.buildMs))],
    ['size', ...col((o) => size(o.sizeBytes))],
    ['state', ...col(state)],
    ...ports.map((p) => [`GET ${path} on ${p}`, ...col((o) => answer(o, p))]),
    ['user', ...col((o) => (o.uid === undefined ? '—' : `uid ${o.uid}`))],
  ];
}

/** One sentence a reviewer reads first. */
export function proofSummary(proof: Proof, path: string): string {
  const b = proof.hardened;
  if (!proof.proven || !b) return `not proven: ${proof.reason ?? 'no rewrite passed'}`;
  const answered = b.ports.filter((p) => p.accepted);
  const what =
    b.state === 'exited'
      ? `built and ran to exit code ${b.exitCode}, as the original`
      : `built and started${
          answered.length
            ? `, answered ${answered.map((p) => `GET ${path} ${p.status ?? '(not HTTP)'} on ${p.port}`).join(', ')}`
            : ''
        }`;
  const user = b.uid === undefined ? '' : ` as uid ${b.uid}`;
  const sizes =
    proof.original.sizeBytes !== undefined && b.sizeBytes !== undefined
      ? `, ${size(proof.original.sizeBytes)} → ${size(b.sizeBytes)}`
      : '';
  return `proven: ${what}${user}${sizes}`;
}

function dropped(proof: Proof): string[] {
  return proof.dropped.map((d) => `dropped ${d.rule}: breaks the image: ${d.evidence}`);
}

/** The table as text, for the end of the text report. */
export function proofTableText(display: string, proof: Proof, path: string): string {
  const table = [['', 'original', 'hardened'], ...rows(proof, path)];
  const widths = [0, 1, 2].map((i) => Math.max(...table.map((r) => r[i].length)));
  const lines = table.map((r) =>
    r
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd(),
  );
  const builds = `${proof.builds} hardened build${proof.builds === 1 ? '' : 's'}${proof.bisected ? ' (bisected)' : ''}, ${seconds(proof.wallMs)}`;
  return [
    `${display}: ${proofSummary(proof, path)}`,
    ...dropped(proof),
    ...lines.map((l) => `  ${l}`),
    `  ${builds}`,
    '',
  ].join('\n');
}

/** The table as Markdown, for a pull request's body and a review comment. */
export function proofTableMarkdown(proof: Proof, path: string): string {
  const md = rows(proof, path).map((r) => `| ${r.join(' | ')} |`);
  return [
    `**${proofSummary(proof, path)}**`,
    '',
    '| | original | hardened |',
    '| --- | --- | --- |',
    ...md,
    '',
    ...dropped(proof).map((d) => `- ${d}`),
  ].join('\n');
}
