import { isOfficialImage } from '../core/image-ref';
import type { CopyInstr, Dockerfile, Instr, Stage } from '../core/model';
import { createdUsers, effectiveUser, isRootUser, lastRootNeedingInstr, stageChain } from '../core/users';
import type { ImageFacts } from '../image/facts';
import { keepsBaseStartup, stepsDown } from '../core/startup';
import type { NewUser } from './config';
import { skip, type FixContext, type Skip, type TextEdit } from './define-fixer';
import type { ContextFiles, Finding } from './define-rule';
import { baseFacts } from './base-facts';
import { insertAfter, insertLinesAfter, insertLinesBefore, keyword } from './edits';

interface UserPlan {
  readonly user: string;
  readonly owner: string;
  /** Shell command that creates the user, when the image does not have one. */
  readonly create?: string;
}

const SYSTEM_DIRS = /^\/(usr\/(?!src\/)|etc\/|bin\/|sbin\/|lib\/|lib64\/|var\/lib\/|opt\/[^/]+\/bin\/)/;

/** The command that creates the user, with a home (caches such as ~/.cache and ~/.npm live there). */
function createCommand(tool: 'useradd' | 'busybox-adduser', user: NewUser): string {
  const { name, uid } = user;
  if (tool === 'useradd') {
    // A large uid: -l keeps useradd from growing /var/log/lastlog and faillog to its size.
    const [g, u] =
      uid === undefined ? ['', ''] : [` --gid ${uid}`, `${String(uid).length > 5 ? ' -l' : ''} --uid ${uid}`];
    return `groupadd --system${g} ${name} && useradd --system${u} --gid ${name} --create-home ${name}`;
  }
  // busybox adduser gives the user a home (/home/NAME) unless told -H.
  const [g, u] = uid === undefined ? ['', ''] : [` -g ${uid}`, ` -u ${uid}`];
  return `addgroup -S${g} ${name} && adduser -S${u} -G ${name} ${name}`;
}
const NUMERIC: UserPlan = { user: '65532:65532', owner: '65532:65532' };

/**
 * The plan the image itself dictates, read from the registry: its own non-root user (its default,
 * `nonroot`, `node`), else the user tool it really has, else a numeric user, since nothing in the
 * image can create one.
 */
function planFromFacts(facts: ImageFacts, user: NewUser): UserPlan {
  const { defaultUser, users, userTool } = facts;
  if (defaultUser && !isRootUser(defaultUser)) return { user: defaultUser, owner: defaultUser };
  for (const name of ['nonroot', 'node']) {
    const u = users.find((x) => x.name === name && x.uid !== 0);
    if (u) return { user: name, owner: users.some((g) => g.name === name) ? `${name}:${name}` : name };
  }
  if (userTool === 'none') return NUMERIC;
  // A uid asked for that the image already has (ubuntu:24.04's `ubuntu` is 1000): that user runs it.
  const taken = user.uid !== undefined ? users.find((x) => x.uid === user.uid) : undefined;
  if (taken) return { user: taken.name, owner: `${taken.uid}:${taken.gid}` };
  return { user: user.name, owner: `${user.name}:${user.name}`, create: createCommand(userTool, user) };
}

function planUser(model: Dockerfile, stage: Stage, user: NewUser, facts?: ImageFacts): UserPlan | Skip {
  const existing = effectiveUser(model, stage);
  if (existing && !isRootUser(existing.words[0].value)) {
    return { user: existing.words[0].value, owner: existing.words[0].value };
  }
  const created = createdUsers(model, stage).filter((u) => !isRootUser(u));
  if (created.length > 0) return { user: created[created.length - 1], owner: created[created.length - 1] };
  if (facts) return planFromFacts(facts, user);
  const root = stageChain(model, stage)[0];
  const ref = root.from.image.ref;
  if (ref && isOfficialImage(ref) && ref.name === 'node') return { user: 'node', owner: 'node:node' };
  switch (stage.family) {
    case 'distroless':
      return { user: 'nonroot:nonroot', owner: 'nonroot:nonroot' };
    case 'scratch':
      return NUMERIC;
    case 'alpine':
      return {
        user: user.name,
        owner: `${user.name}:${user.name}`,
        create: createCommand('busybox-adduser', user),
      };
    case 'ubuntu':
      // Ubuntu's images since 23.04 have a user `ubuntu` with uid 1000.
      if (user.uid === 1000 && ref && isOfficialImage(ref) && ref.name === 'ubuntu' && ubuntuHasUser(ref.tag))
        return { user: 'ubuntu', owner: '1000:1000' };
      return { user: user.name, owner: `${user.name}:${user.name}`, create: createCommand('useradd', user) };
    case 'debian':
    case 'rhel':
      return { user: user.name, owner: `${user.name}:${user.name}`, create: createCommand('useradd', user) };
    case 'windows':
      return skip('Windows images manage users differently');
    default:
      return skip('the base image OS is unknown, so it is unclear how to add a user');
  }
}

/** Whether an ubuntu tag is 23.04 or later (or names such a release): its image has `ubuntu` as 1000. */
function ubuntuHasUser(tag: string | undefined): boolean {
  const v = /^(\d+)\.(\d+)/.exec(tag ?? '');
  if (v) return Number(v[1]) * 100 + Number(v[2]) >= 2304;
  return /^(lunar|mantic|noble|oracular|plucky|questing|latest|rolling|devel)\b/.test(tag ?? 'latest');
}

function needsChown(copy: CopyInstr): boolean {
  if (copy.flags.some((f) => f.name === 'chown') || copy.heredoc || !copy.dest) return false;
  return !SYSTEM_DIRS.test(copy.dest.value);
}

/** Where the maintainers publish an image that runs the same server unprivileged: the advice. */
function unprivilegedVariant(how: string): string {
  return /^nginx/.test(how)
    ? ' (to run nginx itself unprivileged, nginxinc/nginx-unprivileged listens on 8080 as uid 101)'
    : '';
}

/** The literal absolute paths of a stage's VOLUME instructions, with the first such instruction. */
function volumes(model: Dockerfile, stage: Stage): { paths: string[]; first?: Instr } {
  const paths: string[] = [];
  let first: Instr | undefined;
  for (const ins of stage.instructions) {
    if (ins.keyword.toUpperCase() !== 'VOLUME') continue;
    first ??= ins;
    const args = model.source.text.slice(ins.argsRange.start, ins.argsRange.end).trim();
    let list: unknown = undefined;
    if (args.startsWith('[')) {
      try {
        list = JSON.parse(args);
      } catch {
        list = undefined;
      }
    }
    const found = Array.isArray(list)
      ? list.filter((x): x is string => typeof x === 'string')
      : args.split(/\s+/);
    for (const p of found) if (/^\/[\w./@+-]*$/.test(p) && !paths.includes(p)) paths.push(p);
  }
  return { paths, first };
}

/**
 * Runs a final stage as an unprivileged user: creates one the way the image's OS does (or uses the
 * image's own), switches to it after the last instruction that may need root, gives the app the
 * files it copies afterwards, and the folders of its VOLUMEs (a fresh volume takes the owner of the
 * image's folder), before the first VOLUME. An image whose start-up drops privileges by itself
 * (see core/startup.ts) must start as root, and gets no USER.
 */
export function nonRootEdits(
  model: Dockerfile,
  stage: Stage,
  user: NewUser,
  files: ContextFiles,
  facts?: ImageFacts,
): TextEdit[] | Skip {
  if (!stage.isFinal) return skip('a build stage may run as root; only the final image is changed');
  // Its own start-up, else the base image's (read from its layers) when the Dockerfile keeps it.
  const base = facts?.startup;
  const down =
    stepsDown(model, stage, (p) => files.read(p)) ??
    (base && keepsBaseStartup(model, stage, base.from)
      ? { ...base, where: `the base image's ${base.where.replace(/^its /, '')}` }
      : undefined);
  if (down) {
    if (down.to && isRootUser(down.to))
      return skip(`the image's start-up (${down.how}, in ${down.where}) runs as root; change it by hand`);
    return skip(
      `the image drops privileges itself: ${down.how} in ${down.where}, to ${down.to ?? 'another user'}; a USER line would stop it from starting${unprivilegedVariant(down.how)}`,
    );
  }
  const plan = planUser(model, stage, user, facts);
  if ('skipped' in plan) return plan;
  const anchor = lastRootNeedingInstr(stage);
  const vols = volumes(model, stage);
  // A numeric user is what an image with no way to create one gets; its VOLUME folders need a
  // shell to be given to it, which only the image's facts can show (scratch has none).
  if (vols.paths.length > 0 && plan === NUMERIC && !(facts && facts.shells.length > 0))
    return skip('the image has no shell to give its VOLUME folders to the new user');
  const prepare = (cmd: string | undefined, paths: readonly string[]) => {
    const parts = cmd ? [cmd] : [];
    if (paths.length > 0) parts.push(`mkdir -p ${paths.join(' ')} && chown ${plan.owner} ${paths.join(' ')}`);
    return parts.length > 0 ? [`${keyword(model, 'RUN')} ${parts.join(' && ')}`] : [];
  };
  const lines: string[] = [];
  const edits: TextEdit[] = [];
  // The user and its volume folders come before the first VOLUME when that comes first.
  const volumeFirst = vols.first !== undefined && vols.first.range.start < anchor.range.start;
  if (volumeFirst && vols.first) {
    edits.push(insertLinesBefore(model, vols.first, prepare(plan.create, vols.paths)));
  } else lines.push(...prepare(plan.create, vols.paths));
  lines.push(`${keyword(model, 'USER')} ${plan.user}`);
  edits.push(...insertLinesAfter(model, anchor, lines));
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
  { resolutions, files, newUser }: FixContext,
): TextEdit[] | Skip {
  const facts = baseFacts(finding, resolutions);
  if (facts && 'skipped' in facts) return facts;
  return nonRootEdits(model, stage, newUser, files, facts);
}
