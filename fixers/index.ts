import type { Fixer } from '../src/engine/define-fixer';
import { fixer as apkNoCache } from './apk-no-cache';
import { fixer as apkPinVersions } from './apk-pin-versions';
import { fixer as aptAssumeYes } from './apt-assume-yes';
import { fixer as aptCleanLists } from './apt-clean-lists';
import { fixer as aptGetNotApt } from './apt-get-not-apt';
import { fixer as aptNoInstallRecommends } from './apt-no-install-recommends';
import { fixer as aptPinVersions } from './apt-pin-versions';
import { fixer as aptSnapshotSource } from './apt-snapshot-source';
import { fixer as baseImageSpecificTag } from './base-image-specific-tag';
import { fixer as baseImageTagged } from './base-image-tagged';
import { fixer as cargoPinVersions } from './cargo-pin-versions';
import { fixer as copyMultiDestSlash } from './copy-multi-dest-slash';
import { fixer as dnfAssumeYes } from './dnf-assume-yes';
import { fixer as dnfCleanCache } from './dnf-clean-cache';
import { fixer as execFormCmd } from './exec-form-cmd';
import { fixer as gemPinVersions } from './gem-pin-versions';
import { fixer as goPinVersions } from './go-pin-versions';
import { fixer as noAddForLocalFiles } from './no-add-for-local-files';
import { fixer as noDebugFlags } from './no-debug-flags';
import { fixer as noLatestTag } from './no-latest-tag';
import { fixer as noMaintainer } from './no-maintainer';
import { fixer as noRootUser } from './no-root-user';
import { fixer as npmPinVersions } from './npm-pin-versions';
import { fixer as pinBaseImageDigest } from './pin-base-image-digest';
import { fixer as pipNoCacheDir } from './pip-no-cache-dir';
import { fixer as pipPinVersions } from './pip-pin-versions';
import { fixer as pipRequireHashes } from './pip-require-hashes';
import { fixer as pipRequirementsPinned } from './pip-requirements-pinned';
import { fixer as preferSlimBase } from './prefer-slim-base';
import { fixer as pythonLockedInstall } from './python-locked-install';
import { fixer as requirePipefail } from './require-pipefail';
import { fixer as runAsNonRoot } from './run-as-non-root';
import { fixer as useShellInstruction } from './use-shell-instruction';
import { fixer as useraddNoLogInit } from './useradd-no-log-init';
import { fixer as wgetProgress } from './wget-progress';
import { fixer as yarnCacheClean } from './yarn-cache-clean';
import { fixer as yumAssumeYes } from './yum-assume-yes';
import { fixer as yumCleanCache } from './yum-clean-cache';
import { fixer as zypperClean } from './zypper-clean';
import { fixer as zypperNonInteractive } from './zypper-non-interactive';

/** Every fixer, sorted by rule id. */
export const fixers: readonly Fixer[] = [
  apkNoCache,
  apkPinVersions,
  aptAssumeYes,
  aptCleanLists,
  aptGetNotApt,
  aptNoInstallRecommends,
  aptPinVersions,
  aptSnapshotSource,
  baseImageSpecificTag,
  baseImageTagged,
  cargoPinVersions,
  copyMultiDestSlash,
  dnfAssumeYes,
  dnfCleanCache,
  execFormCmd,
  gemPinVersions,
  goPinVersions,
  noAddForLocalFiles,
  noDebugFlags,
  noLatestTag,
  noMaintainer,
  noRootUser,
  npmPinVersions,
  pinBaseImageDigest,
  pipNoCacheDir,
  pipPinVersions,
  pipRequireHashes,
  pipRequirementsPinned,
  preferSlimBase,
  pythonLockedInstall,
  requirePipefail,
  runAsNonRoot,
  useShellInstruction,
  useraddNoLogInit,
  wgetProgress,
  yarnCacheClean,
  yumAssumeYes,
  yumCleanCache,
  zypperClean,
  zypperNonInteractive,
];

export const fixersByRule: ReadonlyMap<string, Fixer> = new Map(fixers.map((f) => [f.ruleId, f]));
