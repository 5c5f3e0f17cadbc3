// Shell bodies and heredocs: the pieces of a shell-form body Docker joins across continuations, and
// the heredoc a RUN, COPY or ADD opens, read as a script when the RUN runs it.
import type { Copy, Run } from 'dockerfile-ast';
import { type SourceInstr } from './instr-source';
import type { ShellScript } from './model';
import { SegmentMap } from './parse-shell';
import { type Range } from './source';
import { type InstrContext } from './instr-args';
import { shellSegments, joinSegments } from './segments';

export function parseShellBody(ctx: InstrContext, body: Range): ShellScript {
  const map = shellSegments(ctx.text, body.start, body.end, ctx.escapeChar);
  return ctx.shell.parse(joinSegments(ctx.text, map), map);
}

export const SHELLS = new Set([
  'sh',
  'bash',
  'ash',
  'dash',
  'zsh',
  '/bin/sh',
  '/bin/bash',
  '/bin/ash',
  '/usr/bin/env',
]);

/** `RUN <<EOF` (or `RUN bash <<EOF`) runs the heredoc as a script; otherwise the heredoc is data. */
export function heredocScript(content: Range | undefined, ctx: InstrContext, head: Range): ShellScript {
  const firstLine = parseShellBody(ctx, head);
  const lead = firstLine.commands[0];
  const bare =
    firstLine.commands.length === 0 || ctx.text.slice(head.start, head.end).trimStart().startsWith('<<');
  if (content && (bare || (lead && SHELLS.has(lead.name.value)))) {
    const script = ctx.shell.parse(
      ctx.text.slice(content.start, content.end),
      SegmentMap.identity(content.start, content.end - content.start),
      true,
    );
    return bare ? script : { ...script, commands: [...firstLine.commands, ...script.commands] };
  }
  return firstLine;
}

/** Whether `<<` occurs in the range (a heredoc is possible). */
export function mentionsHeredoc(text: string, r: Range): boolean {
  const at = text.indexOf('<<', r.start);
  return at >= 0 && at + 2 <= r.end;
}

/** Text with quotes and backslashes removed: every word a shell reads from it is a substring. */
export function plain(text: string): string {
  return text.replace(/[\\'"]/g, '');
}

/**
 * The first heredoc a RUN, COPY or ADD opens in `args`, if any, with the range of its content
 * (undefined when dockerfile-ast places none): from the scan when it could tell, else from
 * dockerfile-ast.
 */
export function firstHeredoc(
  ins: SourceInstr,
  ctx: InstrContext,
  args: Range,
): { content?: Range } | undefined {
  if (ctx.readsPlain && ins.heredocContent) return { content: ins.heredocContent };
  if (!mentionsHeredoc(ctx.text, args)) return undefined;
  const view = ins.ast();
  const first = (view.ins as Run | Copy).getHeredocs()[0];
  if (!first) return undefined;
  const content = first.getContentRange();
  return { content: content ? view.toRange(content) : undefined };
}
