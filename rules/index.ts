import type { ImageRule } from '../src/engine/define-image-rule';
import type { Rule } from '../src/engine/define-rule';
import { rule as apkNoCache } from './apk-no-cache';
import { rule as apkPinVersions } from './apk-pin-versions';
import { rule as aptAssumeYes } from './apt-assume-yes';
import { rule as aptCleanLists } from './apt-clean-lists';
import { rule as aptGetNotApt } from './apt-get-not-apt';
import { rule as aptNoInstallRecommends } from './apt-no-install-recommends';
import { rule as aptPinVersions } from './apt-pin-versions';
import { rule as aptSnapshotSource } from './apt-snapshot-source';
import { rule as aptUpdateWithInstall } from './apt-update-with-install';
import { rule as baseImageSpecificTag } from './base-image-specific-tag';
import { rule as baseImageTagged } from './base-image-tagged';
import { rule as dnfCleanCache } from './dnf-clean-cache';
import { rule as dnfPinVersions } from './dnf-pin-versions';
import { rule as dockerfileSyntax } from './dockerfile-syntax';
import { rule as execFormCmd } from './exec-form-cmd';
import { rule as noAddForLocalFiles } from './no-add-for-local-files';
import { rule as noAddUrl } from './no-add-url';
import { rule as noChmod777 } from './no-chmod-777';
import { rule as noCurlPipeShell } from './no-curl-pipe-shell';
import { rule as noDebugFlags } from './no-debug-flags';
import { rule as noDownloadExec } from './no-download-exec';
import { rule as noLatestTag } from './no-latest-tag';
import { rule as noMaintainer } from './no-maintainer';
import { rule as noRootUser } from './no-root-user';
import { rule as noSecretInEnv } from './no-secret-in-env';
import { rule as noSsh } from './no-ssh';
import { rule as noSudo } from './no-sudo';
import { rule as pinBaseImageDigest } from './pin-base-image-digest';
import { rule as pipNoCacheDir } from './pip-no-cache-dir';
import { rule as pipPinVersions } from './pip-pin-versions';
import { rule as pipRequireHashes } from './pip-require-hashes';
import { rule as pipRequirementsPinned } from './pip-requirements-pinned';
import { rule as preferSlimBase } from './prefer-slim-base';
import { rule as requirePipefail } from './require-pipefail';
import { rule as runAsNonRoot } from './run-as-non-root';
import { rule as trustedBaseRegistry } from './trusted-base-registry';
import { rule as yumCleanCache } from './yum-clean-cache';
import { rule as yumPinVersions } from './yum-pin-versions';

import { rule as imageDebugSwitch } from './image-debug-switch';
import { rule as imageEolRelease } from './image-eol-release';
import { rule as imageExecInTemp } from './image-exec-in-temp';
import { rule as imageHostileLayer } from './image-hostile-layer';
import { rule as imageLayerUnread } from './image-layer-unread';
import { rule as imageMiner } from './image-miner';
import { rule as imageRemoteAdminPort } from './image-remote-admin-port';
import { rule as imageRunsAsRoot } from './image-runs-as-root';
import { rule as imageSecretFile } from './image-secret-file';
import { rule as imageSecretInEnv } from './image-secret-in-env';
import { rule as imageSecretInHistory } from './image-secret-in-history';
import { rule as imageSetuidFile } from './image-setuid-file';
import { rule as imageStale } from './image-stale';
import { rule as imageWorldWritable } from './image-world-writable';

/** Every rule, sorted by id. */
export const rules: readonly Rule[] = [
  apkNoCache,
  apkPinVersions,
  aptAssumeYes,
  aptCleanLists,
  aptGetNotApt,
  aptNoInstallRecommends,
  aptPinVersions,
  aptSnapshotSource,
  aptUpdateWithInstall,
  baseImageSpecificTag,
  baseImageTagged,
  dnfCleanCache,
  dnfPinVersions,
  dockerfileSyntax,
  execFormCmd,
  noAddForLocalFiles,
  noAddUrl,
  noChmod777,
  noCurlPipeShell,
  noDebugFlags,
  noDownloadExec,
  noLatestTag,
  noMaintainer,
  noRootUser,
  noSecretInEnv,
  noSsh,
  noSudo,
  pinBaseImageDigest,
  pipNoCacheDir,
  pipPinVersions,
  pipRequireHashes,
  pipRequirementsPinned,
  preferSlimBase,
  requirePipefail,
  runAsNonRoot,
  trustedBaseRegistry,
  yumCleanCache,
  yumPinVersions,
];

/** Every rule over published images (triage), sorted by id. */
export const imageRules: readonly ImageRule[] = [
  imageDebugSwitch,
  imageEolRelease,
  imageExecInTemp,
  imageHostileLayer,
  imageLayerUnread,
  imageMiner,
  imageRemoteAdminPort,
  imageRunsAsRoot,
  imageSecretFile,
  imageSecretInEnv,
  imageSecretInHistory,
  imageSetuidFile,
  imageStale,
  imageWorldWritable,
];
