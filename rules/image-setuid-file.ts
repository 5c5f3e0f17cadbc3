import { defineImageRule } from '../src/engine/define-image-rule';
import { deletionNote, layerPlace, MAX_LAYER_FINDINGS } from '../src/image/model';

/** Set-id programs distros ship on purpose (paths without the leading `/`, merged-/usr or not). */
const USUAL = new Set(
  [
    'passwd',
    'su',
    'sudo',
    'mount',
    'umount',
    'chsh',
    'chfn',
    'gpasswd',
    'newgrp',
    'chage',
    'expiry',
    'wall',
    'write',
    'ping',
    'ping6',
    'unix_chkpwd',
    'pam_timestamp_check',
    'ssh-agent',
    'crontab',
    'at',
    'fusermount',
    'fusermount3',
    'newuidmap',
    'newgidmap',
    'pkexec',
    'dbus-daemon-launch-helper',
    'ssh-keysign',
    'bsd-write',
    'mlocate',
    'plocate',
    'staprun',
    'Xorg.wrap',
    'traceroute6.iputils',
  ].map((n) => n.toLowerCase()),
);
const USUAL_DIRS = /^(usr\/)?(s?bin|lib(exec)?(\/[^/]+)*)\/[^/]+$/;

export const rule = defineImageRule({
  id: 'image-setuid-file',
  aliases: ['CIS-DI-0008'],
  severity: 'warning',
  description: 'The image should have no unusual setuid or setgid files.',
  docs:
    'A setuid or setgid program runs with its owner’s or group’s rights whoever starts it: the classic ' +
    'step from an application bug to root. Distros ship a known handful (passwd, su, mount …) in their ' +
    'system folders; anything else, or anything outside them, is reported. Remove the bit ' +
    '(`chmod a-s`) or run with `--security-opt no-new-privileges` (airlock does).',
  messages: {
    setid: '{{path}} is {{bits}}{{note}}.',
    more: '{{count}} more setuid/setgid files not listed.',
  },
  needsLayers: true,
  check(image, ctx) {
    let n = 0;
    for (const rec of image.layers?.analysis.records ?? []) {
      const { entry } = rec;
      if (entry.type !== 'file' || (entry.mode & 0o6000) === 0) continue;
      const base = entry.path.slice(entry.path.lastIndexOf('/') + 1).toLowerCase();
      if (USUAL.has(base) && USUAL_DIRS.test(entry.path)) continue;
      if (++n > MAX_LAYER_FINDINGS) continue;
      const bits = [entry.mode & 0o4000 ? 'setuid' : '', entry.mode & 0o2000 ? 'setgid' : '']
        .filter(Boolean)
        .join(' and ');
      ctx.report({
        messageId: 'setid',
        data: { path: `/${entry.path}`, bits, note: deletionNote(rec) },
        where: layerPlace(rec.layer, entry.path),
      });
    }
    if (n > MAX_LAYER_FINDINGS)
      ctx.report({ messageId: 'more', data: { count: String(n - MAX_LAYER_FINDINGS) }, where: 'layers' });
  },
});
