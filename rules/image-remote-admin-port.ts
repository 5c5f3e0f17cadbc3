import { defineImageRule } from '../src/engine/define-image-rule';

const ADMIN_PORTS: Readonly<Record<number, string>> = {
  22: 'SSH',
  23: 'Telnet',
  2375: 'the Docker API (plain)',
  2376: 'the Docker API (TLS)',
  3389: 'RDP',
  5900: 'VNC',
  5901: 'VNC',
};

export const rule = defineImageRule({
  id: 'image-remote-admin-port',
  aliases: [],
  severity: 'warning',
  description: 'The image should not expose remote administration ports.',
  docs:
    'An EXPOSEd SSH, Telnet, RDP, VNC or Docker API port means the image runs a remote shell or ' +
    'desktop, or expects to drive an engine: a door in, usually with a default password. Containers are ' +
    'administered with `docker exec`; publish nothing you did not mean to.',
  messages: { port: 'the image exposes {{port}} ({{what}}).' },
  check(image, ctx) {
    for (const key of Object.keys(image.image.config.ExposedPorts ?? {})) {
      const port = Number(key.split('/')[0]);
      const what = ADMIN_PORTS[port];
      if (what)
        ctx.report({ messageId: 'port', data: { port: key, what }, where: `config.ExposedPorts["${key}"]` });
    }
  },
});
