import { SEVERITIES, type Severity } from '../engine/define-rule';
import type { FixRecord, HardenResult } from '../engine/harden';
import { GitHubError, type GitHubPort } from '../effects/github';
import type { Proof } from '../prove/prove';
import { proofTableMarkdown } from '../report/proof-table';

export interface HardenedFile {
  readonly path: string;
  readonly result: HardenResult;
  /** --prove: the original and the hardened image, built and run. */
  readonly proof?: Proof;
  /** The path --prove asked over HTTP. */
  readonly provePath?: string;
}

/** The pull request body: findings, what was fixed and where pins came from, what is left for a person. */
export function prBody(results: readonly HardenedFile[], slug: string, ref: string): string {
  const counts = new Map<string, number>();
  for (const { result } of results)
    for (const f of result.findings)
      counts.set(`${f.severity} ${f.ruleId}`, (counts.get(`${f.severity} ${f.ruleId}`) ?? 0) + 1);
  const rows = [...counts]
    .map(([k, n]) => ({ severity: k.split(' ')[0], rule: k.split(' ')[1], n }))
    .sort(
      (a, b) =>
        SEVERITIES.indexOf(b.severity as Severity) - SEVERITIES.indexOf(a.severity as Severity) ||
        (a.rule < b.rule ? -1 : 1),
    );
  const fixed = (r: FixRecord) =>
    `- line ${r.line}: \`${r.ruleId}\`${r.review ? ' **(needs review)**' : ''}: ${r.message}${
      r.from ? ` _(from ${r.from.join('; ')})_` : ''
    }`;
  const out = [
    'Hardening by harden-dockerfile: pinned bases and packages, an unprivileged user, nothing that leaks.',
    '',
    '### Findings',
    '',
    '| severity | rule | count |',
    '| --- | --- | --- |',
    ...rows.map((r) => `| ${r.severity} | \`${r.rule}\` | ${r.n} |`),
    '',
  ];
  for (const { path: p, result, proof, provePath } of results) {
    if (result.applied.length === 0 && result.skipped.length === 0 && result.remaining.length === 0) continue;
    out.push(`### ${p}`, '');
    if (proof) out.push(proofTableMarkdown(proof, provePath ?? '/'), '');
    if (result.applied.length > 0) out.push('Fixed:', ...result.applied.map(fixed), '');
    const left = [
      ...result.skipped.map((r) => `- line ${r.line}: \`${r.ruleId}\`: ${r.reason}`),
      ...result.remaining
        .filter((f) => !result.skipped.some((s) => s.ruleId === f.ruleId))
        .map((f) => `- \`${f.ruleId}\` (${f.severity}): ${f.message}`),
    ];
    if (left.length > 0) out.push('Left for a person:', ...left, '');
  }
  out.push(
    'Changes marked **needs review** can change what the image does; please check them before merging.',
    '',
    'To reproduce locally:',
    '',
    '```sh',
    `npx harden-dockerfile repo ${slug} --ref ${ref}`,
    '```',
  );
  return out.join('\n');
}

/** The one branch harden-dockerfile keeps per base branch: the same on every run. */
export function branchFor(base: string): string {
  return `harden-dockerfile/${base.replace(/[^\w./-]+/g, '-')}`;
}

/**
 * Opens the pull request, or keeps the one an earlier run opened current: one branch per base, one
 * commit on top of the base. A run with nothing new changes nothing; a run after the base moved or
 * new fixes appeared force-updates the branch and the same pull request's body. Without push rights
 * the branch lives in the token's fork. Returns what it did, for the report.
 */
export async function openOrUpdatePullRequest(
  github: GitHubPort,
  req: {
    owner: string;
    repo: string;
    base: string;
    canPush: boolean;
    files: readonly { path: string; content: string }[];
    title: string;
    body: string;
  },
): Promise<string> {
  const { owner, repo, base } = req;
  const branch = branchFor(base);
  const baseSha = await github.branchHead(owner, repo, base);
  if (!baseSha)
    throw new GitHubError(
      `GitHub: --pr needs a branch to merge into; ${base} is not a branch of ${owner}/${repo}`,
    );
  const headOwner = req.canPush ? owner : await github.fork(owner, repo);
  const head = headOwner === owner ? branch : `${headOwner}:${branch}`;
  const open = await github.findPullRequest(owner, repo, `${headOwner}:${branch}`, base);
  if (req.files.length === 0)
    return open
      ? `nothing to change; pull request #${open.number} from an earlier run is left as it is: ${open.url}`
      : 'nothing to change: no branch, no pull request';
  const existing = await github.branchHead(headOwner, repo, branch);
  let current = false;
  if (existing && (await github.parentOf(headOwner, repo, existing)) === baseSha) {
    current = true;
    for (const f of req.files)
      if ((await github.readFile(headOwner, repo, f.path, branch)) !== f.content) {
        current = false;
        break;
      }
  }
  if (!current) {
    const sha = await github.commit({
      owner: headOwner,
      repo,
      parent: baseSha,
      message: req.title,
      files: req.files,
    });
    await github.setBranch(headOwner, repo, branch, sha);
  }
  if (open) {
    if (current) return `nothing new: pull request #${open.number} is current: ${open.url}`;
    await github.updatePullRequest(owner, repo, open.number, req.body);
    return `pull request #${open.number} updated: ${open.url}`;
  }
  const pr = await github.createPullRequest({ owner, repo, base, head, title: req.title, body: req.body });
  return `pull request: ${pr.url}`;
}
