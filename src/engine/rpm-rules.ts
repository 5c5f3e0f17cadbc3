import type { Command, Dockerfile } from '../core/model';
import { cacheMountTargets } from '../core/run-mounts';
import { isNamedPackage, rpmPackageHasVersion } from '../core/package-spec';
import { invocations, mentions, operands, type Invocation } from '../core/shell-commands';
import type { RuleContext } from './define-rule';

/** `yum install`, `dnf install`, `yum module install`, `microdnf install` (and reinstall/upgrade of names). */
function* installs(
  model: Dockerfile,
  tools: readonly string[],
): Generator<{ inv: Invocation; isModule: boolean }> {
  for (const inv of invocations(model, tools)) {
    const sub = inv.sub?.value;
    if (sub === 'install' || sub === 'reinstall') yield { inv, isModule: false };
    else if (sub === 'module') {
      const next = operands(inv)[0];
      if (next?.value === 'install')
        yield { inv: { ...inv, sub: next, subIndex: inv.args.indexOf(next) }, isModule: true };
    }
  }
}

/** Reports every rpm package installed by name without a version. */
export function checkRpmPins(
  model: Dockerfile,
  ctx: RuleContext<'unpinned'>,
  tools: readonly string[],
): void {
  for (const { inv, isModule } of installs(model, tools)) {
    for (const word of operands(inv)) {
      if (!isNamedPackage(word.value) || word.value.endsWith('.rpm') || word.value.startsWith('@')) continue;
      if (rpmPackageHasVersion(word.value, isModule)) continue;
      ctx.report({ messageId: 'unpinned', data: { name: word.value, tool: inv.tool }, range: word.range });
    }
  }
}

/** Subcommands that download packages into the cache, per tool (dnf's short forms included). */
const FILLS_CACHE: Record<string, readonly string[]> = {
  yum: ['install', 'groupinstall', 'localinstall', 'reinstall', 'upgrade', 'update', 'module'],
  dnf: [
    'install',
    'in',
    'upgrade',
    'up',
    'update',
    'upgrade-minimal',
    'up-min',
    'reinstall',
    'rei',
    'module',
  ],
  microdnf: ['install', 'upgrade', 'update', 'reinstall', 'module'],
};

/** Where each tool keeps its cache: a cache or tmpfs mount there keeps it out of the layer. */
const CACHE_DIRS = ['/var/cache/yum', '/var/cache/dnf', '/var/cache/libdnf5', '.cache/libdnf5'];

function removesCache(c: Command): boolean {
  return (
    c.name.value === 'rm' && c.args.some((a) => /^\/var\/cache\/(yum|dnf|libdnf5)(\/|\*|$)/.test(a.value))
  );
}

/**
 * Reports RUNs that fill a tool's package cache (install, upgrade, reinstall, dnf's `in`/`up`/`rei` …)
 * without cleaning it afterwards in the same RUN: `TOOL clean` or `rm -rf /var/cache/…` must come after
 * the first command that fills it. A cache or tmpfs mount on the cache folder makes the RUN clean.
 */
export function checkRpmClean(
  model: Dockerfile,
  ctx: RuleContext<'noClean'>,
  tools: readonly string[],
): void {
  for (const { instr } of model.runs) {
    if (!mentions(instr, tools)) continue;
    if (cacheMountTargets(instr).some((t) => CACHE_DIRS.some((d) => t.includes(d)))) continue;
    const commands = instr.script?.commands ?? [];
    for (const tool of tools) {
      const fills = commands.findIndex(
        (c) => c.call?.tool === tool && FILLS_CACHE[tool].includes(c.call.sub?.value ?? ''),
      );
      if (fills < 0) continue;
      const cleans = commands.findIndex(
        (c, k) => k > fills && ((c.call?.tool === tool && c.call.sub?.value === 'clean') || removesCache(c)),
      );
      if (cleans < 0) {
        ctx.report({ messageId: 'noClean', data: { tool }, range: instr.keywordRange });
        break;
      }
    }
  }
}
