import { defineRule } from '../src/engine/define-rule';

const PRAGMA = /^(?:hadolint|harden-dockerfile)\s+(?:global\s+)?ignore\s*=/i;

export const rule = defineRule({
  id: 'no-inline-ignore',
  aliases: ['DL1001'],
  severity: 'style',
  defaultOff: true,
  description: 'Do not silence rules with inline ignore comments.',
  docs:
    'Teams that want every exception in one reviewed place (the configuration file) turn this on: it ' +
    'reports each `# hadolint ignore=…` or `# harden-dockerfile ignore=…` comment. Off by default, as in ' +
    "hadolint; enable it with `severity: { no-inline-ignore: style }` or hadolint's `override`.",
  messages: { pragma: 'inline ignore comment: move the exception to the configuration file.' },
  fix: 'none',
  check(model, ctx) {
    for (const c of model.comments)
      if (PRAGMA.test(c.text)) ctx.report({ messageId: 'pragma', range: c.range });
  },
});
