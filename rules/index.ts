import type { ImageRule } from '../src/engine/define-image-rule';
import type { Rule } from '../src/engine/define-rule';
import { rule as addToExtract } from './add-to-extract';
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
import { rule as cargoPinVersions } from './cargo-pin-versions';
import { rule as consolidateRuns } from './consolidate-runs';
import { rule as copyFromKnownStage } from './copy-from-known-stage';
import { rule as copyFromSelf } from './copy-from-self';
import { rule as copyMultiDestSlash } from './copy-multi-dest-slash';
import { rule as copyRelativeDest } from './copy-relative-dest';
import { rule as copyWholeFilesystem } from './copy-whole-filesystem';
import { rule as curlOrWget } from './curl-or-wget';
import { rule as dnfAssumeYes } from './dnf-assume-yes';
import { rule as dnfCleanCache } from './dnf-clean-cache';
import { rule as dnfPinVersions } from './dnf-pin-versions';
import { rule as dockerfileSyntax } from './dockerfile-syntax';
import { rule as envSelfReference } from './env-self-reference';
import { rule as execFormCmd } from './exec-form-cmd';
import { rule as exposeValidPort } from './expose-valid-port';
import { rule as fromFirst } from './from-first';
import { rule as fromPlatformRedundant } from './from-platform-redundant';
import { rule as gemPinVersions } from './gem-pin-versions';
import { rule as goPinVersions } from './go-pin-versions';
import { rule as healthcheckPresent } from './healthcheck-present';
import { rule as labelEmail } from './label-email';
import { rule as labelGitHash } from './label-git-hash';
import { rule as labelKeyValid } from './label-key-valid';
import { rule as labelNotEmpty } from './label-not-empty';
import { rule as labelRequired } from './label-required';
import { rule as labelRfc3339 } from './label-rfc3339';
import { rule as labelSemver } from './label-semver';
import { rule as labelSpdx } from './label-spdx';
import { rule as labelSuperfluous } from './label-superfluous';
import { rule as labelUrl } from './label-url';
import { rule as noAddForLocalFiles } from './no-add-for-local-files';
import { rule as noAddUrl } from './no-add-url';
import { rule as noChmod777 } from './no-chmod-777';
import { rule as noCurlPipeShell } from './no-curl-pipe-shell';
import { rule as noDebugFlags } from './no-debug-flags';
import { rule as noDownloadExec } from './no-download-exec';
import { rule as noFromPlatform } from './no-from-platform';
import { rule as noInlineIgnore } from './no-inline-ignore';
import { rule as noInteractiveCommands } from './no-interactive-commands';
import { rule as noLatestTag } from './no-latest-tag';
import { rule as noMaintainer } from './no-maintainer';
import { rule as noRootUser } from './no-root-user';
import { rule as noSecretInEnv } from './no-secret-in-env';
import { rule as noSsh } from './no-ssh';
import { rule as noSudo } from './no-sudo';
import { rule as noZypperDistUpgrade } from './no-zypper-dist-upgrade';
import { rule as npmPinVersions } from './npm-pin-versions';
import { rule as onbuildTrigger } from './onbuild-trigger';
import { rule as pinBaseImageDigest } from './pin-base-image-digest';
import { rule as pipNoCacheDir } from './pip-no-cache-dir';
import { rule as pipPinVersions } from './pip-pin-versions';
import { rule as pipRequireHashes } from './pip-require-hashes';
import { rule as pipRequirementsPinned } from './pip-requirements-pinned';
import { rule as preferSlimBase } from './prefer-slim-base';
import { rule as pythonLockedInstall } from './python-locked-install';
import { rule as requirePipefail } from './require-pipefail';
import { rule as runAsNonRoot } from './run-as-non-root';
import { rule as secretNameInArgEnv } from './secret-name-in-arg-env';
import { rule as singleCmd } from './single-cmd';
import { rule as singleEntrypoint } from './single-entrypoint';
import { rule as singleHealthcheck } from './single-healthcheck';
import { rule as stageNameReserved } from './stage-name-reserved';
import { rule as trustedBaseRegistry } from './trusted-base-registry';
import { rule as uniqueStageNames } from './unique-stage-names';
import { rule as useShellInstruction } from './use-shell-instruction';
import { rule as useWorkdir } from './use-workdir';
import { rule as userNumeric } from './user-numeric';
import { rule as useraddNoLogInit } from './useradd-no-log-init';
import { rule as wgetProgress } from './wget-progress';
import { rule as workdirAbsolute } from './workdir-absolute';
import { rule as yarnCacheClean } from './yarn-cache-clean';
import { rule as yumAssumeYes } from './yum-assume-yes';
import { rule as yumCleanCache } from './yum-clean-cache';
import { rule as yumPinVersions } from './yum-pin-versions';
import { rule as zypperClean } from './zypper-clean';
import { rule as zypperNonInteractive } from './zypper-non-interactive';
import { rule as zypperPinVersions } from './zypper-pin-versions';

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
  addToExtract,
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
  cargoPinVersions,
  consolidateRuns,
  copyFromKnownStage,
  copyFromSelf,
  copyMultiDestSlash,
  copyRelativeDest,
  copyWholeFilesystem,
  curlOrWget,
  dnfAssumeYes,
  dnfCleanCache,
  dnfPinVersions,
  dockerfileSyntax,
  envSelfReference,
  execFormCmd,
  exposeValidPort,
  fromFirst,
  fromPlatformRedundant,
  gemPinVersions,
  goPinVersions,
  healthcheckPresent,
  labelEmail,
  labelGitHash,
  labelKeyValid,
  labelNotEmpty,
  labelRequired,
  labelRfc3339,
  labelSemver,
  labelSpdx,
  labelSuperfluous,
  labelUrl,
  noAddForLocalFiles,
  noAddUrl,
  noChmod777,
  noCurlPipeShell,
  noDebugFlags,
  noDownloadExec,
  noFromPlatform,
  noInlineIgnore,
  noInteractiveCommands,
  noLatestTag,
  noMaintainer,
  noRootUser,
  noSecretInEnv,
  noSsh,
  noSudo,
  noZypperDistUpgrade,
  npmPinVersions,
  onbuildTrigger,
  pinBaseImageDigest,
  pipNoCacheDir,
  pipPinVersions,
  pipRequireHashes,
  pipRequirementsPinned,
  preferSlimBase,
  pythonLockedInstall,
  requirePipefail,
  runAsNonRoot,
  secretNameInArgEnv,
  singleCmd,
  singleEntrypoint,
  singleHealthcheck,
  stageNameReserved,
  trustedBaseRegistry,
  uniqueStageNames,
  useShellInstruction,
  useWorkdir,
  userNumeric,
  useraddNoLogInit,
  wgetProgress,
  workdirAbsolute,
  yarnCacheClean,
  yumAssumeYes,
  yumCleanCache,
  yumPinVersions,
  zypperClean,
  zypperNonInteractive,
  zypperPinVersions,
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
