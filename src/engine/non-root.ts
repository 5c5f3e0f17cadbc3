import { isOfficialImage } from '../core/image-ref';
import type { CopyInstr, Dockerfile, Stage } from '../core/model';
import { createdUsers, effectiveUser, isRootUser, lastRootNeedingInstr, stageChain } from '../core/users';
import type { ImageFacts } from '../image/facts';
import type { Resolutions } from '../resolve/types';
import { skip, type Skip, type TextEdit } from './define-fixer';
import type { Finding } from './define-rule';
import { insertAfter, insertLinesAfter, keyword } from './edits';

interface UserPlan {
  readonly user: string;
  readonly owner: string;
  /** Shell command that creates the user, when the image does not have one. */
  readonly create?: string;
}

const APP = 'app';
const SYSTEM_DIRS = /^\/(usr\/(?!src\/)|etc\/|bin\/|sbin\/|lib\/|lib64\/|var\/lib\/|opt\/[^/]+\/bin\/)/;

const USER_COMMANDS: Record<'useradd' | 'busybox-adduser', string> = {
  useradd: `groupadd --system ${APP} && useradd --system --gid ${APP} --no-create-home ${APP}`,
  'busybox-adduser': `addgroup -S ${APP} && adduser -S -G ${APP} ${APP}`,
};
const NUMERIC: UserPlan = { user: '65532:65532', owner: '65532:65532' };

/**
 * The plan the image itself dictates, read from the registry: its own non-root user (its default,
 * `nonroot`, `node`), else the user tool it really has, else a numeric user, since nothing in the
 * image can create one.
 */
function planFromFacts(facts: ImageFacts): UserPlan {
  const { defaultUser, users, userTool } = facts;
  if (defaultUser && !isRootUser(defaultUser)) return { user: defaultUser, owner: defaultUser };
  for (const name of ['nonroot', 'node']) {
    const u = users.find((x) => x.name === name && x.uid !== 0);
    if (u) return { user: name, owner: users.some((g) => g.name === name) ? `${name}:${name}` : name };
  }
  if (userTool === 'none') return NUMERIC;
  return { user: APP, owner: `${APP}:${APP}`, create: USER_COMMANDS[userTool] };
}

/**
 * Facts of the stage's base image, when the finding asked for them. Offline, or when the registry
 * does not have the image, the name tables answer (undefined); when the registry could not be read
 * (down, refused, rate-limited), the fix is skipped rather than written on a guess.
 */
export function baseFacts(finding: Finding, resolutions: Resolutions): ImageFacts | Skip | undefined {
  const need = finding.needs.find((n) => n.kind === 'image-facts');
  if (!need) return undefined;
  const answer = resolutions.get(need);
  if (!answer.ok)
    return answer.reason === 'offline' || answer.reason === 'not-found'
      ? undefined
      : skip(`the base image could not be read (${answer.reason}: ${answer.detail ?? ''})`);
  try {
    return JSON.parse(answer.value) as ImageFacts;
  } catch {
    return skip('the base image facts are malformed');
  }
}

function planUser(model: Dockerfile, stage: Stage, facts?: ImageFacts): UserPlan | Skip {
  const existing = effectiveUser(model, stage);
  if (existing && !isRootUser(existing.words[0].value)) {
    return { user: existing.words[0].value, owner: existing.words[0].value };
  }
  const created = createdUsers(model, stage).filter((u) => !isRootUser(u));
  if (created.length > 0) return { user: created[created.length - 1], owner: created[created.length - 1] };
  if (facts) return planFromFacts(facts);
  const root = stageChain(model, stage)[0];
  const ref = root.from.image.ref;
  if (ref && isOfficialImage(ref) && ref.name === 'node') return { user: 'node', owner: 'node:node' };
  switch (stage.family) {
    case 'distroless':
      return { user: 'nonroot:nonroot', owner: 'nonroot:nonroot' };
    case 'scratch':
      return NUMERIC;
    case 'alpine':
      return { user: APP, owner: `${APP}:${APP}`, create: USER_COMMANDS['busybox-adduser'] };
    case 'debian':
    case 'ubuntu':
    case 'rhel':
      return { user: APP, owner: `${APP}:${APP}`, create: USER_COMMANDS.useradd };
    case 'windows':
      return skip('Windows images manage users differently');
    default:
      return skip('the base image OS is unknown, so it is unclear how to add a user');
  }
}

function needsChown(copy: CopyInstr): boolean {
  if (copy.flags.some((f) => f.name === 'chown') || copy.heredoc || !copy.dest) return false;
  return !SYSTEM_DIRS.test(copy.dest.value);
}

/**
 * Runs a final stage as an unprivileged user: creates one the way the image's OS does (or uses the
 * image's own), switches to it after the last instruction that may need root, and gives the app the
 * files it copies afterwards.
 */
export function nonRootEdits(model: Dockerfile, stage: Stage, facts?: ImageFacts): TextEdit[] | Skip {
  if (!stage.isFinal) return skip('a build stage may run as root; only the final image is changed');
  const plan = planUser(model, stage, facts);
  if ('skipped' in plan) return plan;
  const anchor = lastRootNeedingInstr(stage);
  const lines: string[] = [];
  if (plan.create) lines.push(`${keyword(model, 'RUN')} ${plan.create}`);
  lines.push(`${keyword(model, 'USER')} ${plan.user}`);
  const edits: TextEdit[] = insertLinesAfter(model, anchor, lines);
  for (const ins of stage.instructions) {
    if (ins.range.start <= anchor.range.start) continue;
    if ((ins.kind === 'copy' || ins.kind === 'add') && needsChown(ins)) {
      edits.push(insertAfter(ins.keywordRange, ` --chown=${plan.owner}`, { kind: 'flag', flag: '--chown' }));
    }
  }
  return edits;
}

/** The non-root edits for a finding, with the base image's facts when they were read. */
export function nonRootFix(
  finding: Finding,
  model: Dockerfile,
  stage: Stage,
  resolutions: Resolutions,
): TextEdit[] | Skip {
  const facts = baseFacts(finding, resolutions);
  if (facts && 'skipped' in facts) return facts;
  return nonRootEdits(model, stage, facts);
}
