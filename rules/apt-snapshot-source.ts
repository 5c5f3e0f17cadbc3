import { releaseOfStage } from '../src/core/release';
import { defineRule } from '../src/engine/define-rule';
import { aptSnapshotRequest } from '../src/resolve/requests';
import { mentions } from '../src/core/shell-commands';

export const rule = defineRule({
  id: 'apt-snapshot-source',
  aliases: [],
  severity: 'info',
  description: 'With the apt snapshot policy, install from a snapshot archive of the pinning date.',
  docs:
    'Active only with `--pin-policy apt=snapshot` (or `pinPolicy: {apt: snapshot}`). Debian archives ' +
    'drop superseded versions, so an exact pin stops installing when an update lands. A snapshot ' +
    'archive keeps every version: the fix adds its source lines, stamped with the date the pins were ' +
    'looked up, to the sources before `apt-get update`, so the pinned versions keep installing. The ' +
    'snapshot mirror comes from HARDEN_DEBIAN_SNAPSHOT_MIRROR.',
  messages: { noSnapshot: 'apt-get update in a {{release}} stage has no snapshot source for its pins.' },
  fix: 'safe',
  check(model, ctx) {
    if (!ctx.settings.aptSnapshot) return;
    for (const { stage, instr } of model.runs) {
      const release = stage ? releaseOfStage(model.stages, stage) : undefined;
      if (!release || release.distro !== 'debian' || !mentions(instr, ['apt-get'])) continue;
      if (!instr.script || instr.script.heredoc) continue;
      const update = instr.script.commands.find(
        (c) => c.call?.tool === 'apt-get' && c.call.sub?.value === 'update',
      );
      if (!update) continue;
      const text = model.source.text.slice(instr.range.start, instr.range.end);
      if (text.includes('/etc/apt/sources.list.d/snapshot.list')) continue;
      ctx.report({
        messageId: 'noSnapshot',
        data: { release: release.release },
        range: update.name.range,
        needs: [aptSnapshotRequest(release.distro, release.release)],
      });
    }
  },
});
