import type { Dockerfile, RunInstr, ToolCall } from '../core/model';
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

function cleansCache(run: RunInstr, tools: readonly string[]): boolean {
  return (run.script?.commands ?? []).some((c) => {
    const inv = c.call;
    if (inv && tools.includes(inv.tool) && inv.sub?.value === 'clean') return true;
    return c.name.value === 'rm' && c.args.some((a) => /^\/var\/cache\/(yum|dnf)/.test(a.value));
  });
}

/** Reports RUNs that install with yum/dnf but leave the package cache in the layer. */
export function checkRpmClean(
  model: Dockerfile,
  ctx: RuleContext<'noClean'>,
  tools: readonly string[],
): void {
  for (const { instr } of model.runs) {
    if (!mentions(instr, tools)) continue;
    let first: ToolCall | undefined;
    for (const c of instr.script?.commands ?? []) {
      const inv = c.call;
      if (inv && tools.includes(inv.tool) && (inv.sub?.value === 'install' || inv.sub?.value === 'module')) {
        first ??= inv;
      }
    }
    if (first && !cleansCache(instr, tools)) {
      ctx.report({ messageId: 'noClean', data: { tool: first.tool }, range: instr.keywordRange });
    }
  }
}
