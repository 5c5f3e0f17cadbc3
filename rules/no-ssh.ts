import { invocations, operands } from '../src/core/shell-commands';
import { defineRule } from '../src/engine/define-rule';

export const rule = defineRule({
  id: 'no-ssh',
  aliases: [],
  severity: 'warning',
  description: 'Do not run an SSH server in a container.',
  docs:
    'An sshd in the image is one more service with keys to leak and a port to attack, and it bypasses ' +
    'the orchestrator’s access control. Use `docker exec` / `kubectl exec` to get a shell. Flags ' +
    '`EXPOSE 22` and installing openssh-server / dropbear.',
  messages: {
    port: 'EXPOSE 22 publishes an SSH port.',
    server: 'installs the SSH server {{name}}.',
  },
  fix: 'none',
  check(model, ctx) {
    for (const ins of model.instructions) {
      if (ins.kind !== 'expose') continue;
      for (const w of ins.words)
        if (/^22(\/tcp)?$/.test(w.value)) ctx.report({ messageId: 'port', range: w.range });
    }
    for (const inv of invocations(
      model,
      ['apt-get', 'apt', 'apk', 'yum', 'dnf', 'microdnf'],
      ['install', 'add'],
    )) {
      for (const w of operands(inv)) {
        const name = w.value.split(/[=~<>:]/)[0];
        if (/^(openssh-server|dropbear)$/.test(name))
          ctx.report({ messageId: 'server', data: { name }, range: w.range });
      }
    }
  },
});
