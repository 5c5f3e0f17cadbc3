import type { Dockerfile, Instr, Stage, WordsInstr } from './model';
import { invocations } from './shell-commands';

/** `root`, `0`, `root:staff`, `0:0`. */
export function isRootUser(spec: string): boolean {
  const user = spec.split(':')[0].trim();
  return user === 'root' || user === '0';
}

/**
 * Whether a user spec, as an image config or a container's settings give it, runs as uid 0: empty
 * (the image default), `root`, or zeros in any number (`0`, `00:0`), whatever the group.
 */
export function runsAsRoot(spec: string | undefined): boolean {
  const name = (spec ?? '').trim().split(':')[0];
  return name === '' || name === 'root' || /^0+$/.test(name);
}

/** The stage and the stages it builds on, base first. */
export function stageChain(model: Dockerfile, stage: Stage): Stage[] {
  const chain: Stage[] = [];
  for (let s: Stage | undefined = stage; s && chain.length <= model.stages.length;) {
    chain.unshift(s);
    s = s.from.baseStage !== undefined ? model.stages[s.from.baseStage] : undefined;
  }
  return chain;
}

/** USER instructions of a stage, in order. */
export function userInstrs(stage: Stage): WordsInstr[] {
  return stage.instructions.filter((i): i is WordsInstr => i.kind === 'user' && i.words.length > 0);
}

/** The last USER in effect at the end of a stage, looking through the stages it builds on. */
export function effectiveUser(model: Dockerfile, stage: Stage): WordsInstr | undefined {
  const chain = stageChain(model, stage);
  for (let i = chain.length - 1; i >= 0; i--) {
    const users = userInstrs(chain[i]);
    if (users.length > 0) return users[users.length - 1];
  }
  return undefined;
}

/** Users the stage creates with useradd/adduser (last operand of each call). */
export function createdUsers(model: Dockerfile, stage: Stage): string[] {
  const names: string[] = [];
  const chain = new Set(stageChain(model, stage));
  for (const inv of invocations(model, ['useradd', 'adduser'])) {
    if (!inv.stage || !chain.has(inv.stage)) continue;
    const ops = operandsOf(inv.args.map((w) => w.value));
    if (ops.length > 0) names.push(ops[ops.length - 1]);
  }
  return names;
}

const USER_VALUE_OPTS = new Set([
  '-u',
  '--uid',
  '-g',
  '--gid',
  '-G',
  '--groups',
  '-d',
  '--home',
  '--home-dir',
  '-s',
  '--shell',
  '-c',
  '--comment',
  '-k',
  '--skel',
  '-e',
  '--expiredate',
  '-f',
  '--inactive',
  '-K',
  '--key',
  '-p',
  '--password',
  '-h',
  '--ingroup',
  '--gecos',
  '--firstuid',
  '--lastuid',
  '-R',
  '--root',
  '-b',
  '--base-dir',
  '-Z',
  '--selinux-user',
]);

function operandsOf(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i].startsWith('-')) {
      if (USER_VALUE_OPTS.has(args[i])) i++;
      continue;
    }
    out.push(args[i]);
  }
  return out;
}

/** Instructions of a stage that run as the build user and may need root: RUN and USER. */
export function lastRootNeedingInstr(stage: Stage): Instr {
  let anchor: Instr = stage.from;
  for (const ins of stage.instructions) if (ins.kind === 'run' || ins.kind === 'user') anchor = ins;
  return anchor;
}
