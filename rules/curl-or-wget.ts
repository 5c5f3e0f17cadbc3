import { commandsNamed } from '../src/core/command-flags';
import { defineRule } from '../src/engine/define-rule';

export const rule = defineRule({
  id: 'curl-or-wget',
  aliases: ['DL4001'],
  severity: 'warning',
  description: 'Use either wget or curl in a stage, not both.',
  docs:
    'Both download files; needing both means two tools (and their libraries) in the image where one ' +
    'would do. Reported on each RUN that uses the second one.',
  messages: { both: 'this stage uses both curl and wget.' },
  fix: 'none',
  check(model, ctx) {
    const used = new Map<number, Set<string>>();
    let last: unknown;
    for (const c of commandsNamed(model, ['curl', 'wget'])) {
      const key = c.stage?.index ?? -1;
      const tools = used.get(key) ?? new Set<string>();
      used.set(key, tools.add(c.name));
      if (tools.size >= 2 && last !== c.run) {
        ctx.report({ messageId: 'both', range: c.run.keywordRange });
        last = c.run;
      }
    }
  },
});
