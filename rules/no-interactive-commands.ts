import { commandsNamed } from '../src/core/command-flags';
import { defineRule } from '../src/engine/define-rule';

const POINTLESS = ['free', 'kill', 'mount', 'ps', 'service', 'shutdown', 'ssh', 'top', 'vim'];

export const rule = defineRule({
  id: 'no-interactive-commands',
  aliases: ['DL3001'],
  severity: 'info',
  description: 'Do not run interactive or host-management commands in a build.',
  docs:
    'A build step has no terminal, no running services and no other processes: `ssh`, `vim`, `top`, ' +
    '`ps`, `free`, `kill`, `mount`, `service` and `shutdown` either hang, fail, or report on the build ' +
    'container, which is thrown away. Install packages and write files instead; start services in the ' +
    "container's command.",
  messages: { pointless: '{{name}} makes no sense in a build step.' },
  fix: 'none',
  check(model, ctx) {
    for (const c of commandsNamed(model, POINTLESS)) {
      ctx.report({ messageId: 'pointless', data: { name: c.name }, range: c.command.name.range });
    }
  },
});
