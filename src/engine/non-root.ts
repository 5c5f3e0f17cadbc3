import { isOfficialImage } from '../core/image-ref';
import type { CopyInstr, Dockerfile, Stage } from '../core/model';
import { createdUsers, effectiveUser, isRootUser, lastRootNeedingInstr, stageChain } from '../core/users';
import { skip, type Skip, type TextEdit } from './define-fixer';
import { insertAfter, insertLinesAfter, keyword } from './edits';

interface UserPlan {
  readonly user: string;
  readonly owner: string;
  /** Shell command that creates the user, when the image does not have one. */
  readonly create?: string;
}

const APP = 'app';
const SYSTEM_DIRS = /^\/(usr\/(?!src\/)|etc\/|bin\/|sbin\/|lib\/|lib64\/|var\/lib\/|opt\/[^/]+\/bin\/)/;

function planUser(model: Dockerfile, stage: Stage): UserPlan | Skip {
  const existing = effectiveUser(model, stage);
  if (existing && !isRootUser(existing.words[0].value)) {
    return { user: existing.words[0].value, owner: existing.words[0].value };
  }
  const created = createdUsers(model, stage).filter((u) => !isRootUser(u));
  if (created.length > 0) return { user: created[created.length - 1], owner: created[created.length - 1] };
  const root = stageChain(model, stage)[0];
  const ref = root.from.image.ref;
  if (ref && isOfficialImage(ref) && ref.name === 'node') return { user: 'node', owner: 'node:node' };
  switch (stage.family) {
    case 'distroless':
      return { user: 'nonroot:nonroot', owner: 'nonroot:nonroot' };
    case 'scratch':
      return { user: '65532:65532', owner: '65532:65532' };
    case 'alpine':
      return {
        user: APP,
        owner: `${APP}:${APP}`,
        create: `addgroup -S ${APP} && adduser -S -G ${APP} ${APP}`,
      };
    case 'debian':
    case 'ubuntu':
    case 'rhel':
      return {
        user: APP,
        owner: `${APP}:${APP}`,
        create: `groupadd --system ${APP} && useradd --system --gid ${APP} --no-create-home ${APP}`,
      };
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
export function nonRootEdits(model: Dockerfile, stage: Stage): TextEdit[] | Skip {
  if (!stage.isFinal) return skip('a build stage may run as root; only the final image is changed');
  const plan = planUser(model, stage);
  if ('skipped' in plan) return plan;
  const anchor = lastRootNeedingInstr(stage);
  const lines: string[] = [];
  if (plan.create) lines.push(`${keyword(model, 'RUN')} ${plan.create}`);
  lines.push(`${keyword(model, 'USER')} ${plan.user}`);
  const edits: TextEdit[] = [insertLinesAfter(model, anchor, lines)];
  for (const ins of stage.instructions) {
    if (ins.range.start <= anchor.range.start) continue;
    if ((ins.kind === 'copy' || ins.kind === 'add') && needsChown(ins)) {
      edits.push(insertAfter(ins.keywordRange, ` --chown=${plan.owner}`));
    }
  }
  return edits;
}
