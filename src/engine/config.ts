import type { Severity } from './severity';

/** Settings after merging config files and flags. Built at the edge, read by the engine. */
export interface Config {
  /** Rule ids or hadolint codes to skip everywhere. */
  readonly ignored: readonly string[];
  /** Severity per rule id or hadolint code; `off` disables. */
  readonly severity: Readonly<Record<string, Severity | 'off'>>;
  readonly failureThreshold: Severity | 'none';
  /** When non-empty, base images must come from one of these registries. */
  readonly trustedRegistries: readonly string[];
  /** Skip fixes marked `review`. */
  readonly safeOnly: boolean;
  /** How package pins are written, per package manager. */
  readonly pinPolicy: PinPolicy;
  /** Add `--hash=sha256:` options to pinned requirements (pip's hash-checking mode). */
  readonly requireHashes: boolean;
  /** Labels every image must carry, with the form of their value (hadolint's `label-schema`). */
  readonly labelSchema: Readonly<Record<string, LabelType>>;
  /** Only the labels of `labelSchema` are allowed (hadolint's `strict-labels`). */
  readonly strictLabels: boolean;
  /** The user the non-root fix creates when the image has none. */
  readonly newUser: NewUser;
}

/** The user the fix creates: its name, and a fixed uid (and gid of its group) when asked. */
export interface NewUser {
  readonly name: string;
  readonly uid?: number;
}

/** The forms a label's value can be required to take, named as in hadolint's `label-schema`. */
export const LABEL_TYPES = ['text', 'url', 'spdx', 'hash', 'rfc3339', 'semver', 'email'] as const;
export type LabelType = (typeof LABEL_TYPES)[number];

/**
 * `exact` writes the version the index serves today (apk `curl=8.5.0-r0`); apk `fuzzy` writes the
 * release line (`curl~8.5`), which keeps building after Alpine drops the exact version.
 */
export interface PinPolicy {
  readonly apk: 'exact' | 'fuzzy';
  /** `snapshot` also adds a snapshot-archive source of the pinning date, so exact pins keep installing. */
  readonly apt: 'exact' | 'snapshot';
}

export const DEFAULT_CONFIG: Config = {
  ignored: [],
  severity: {},
  failureThreshold: 'info',
  trustedRegistries: [],
  safeOnly: false,
  pinPolicy: { apk: 'exact', apt: 'exact' },
  requireHashes: false,
  labelSchema: {},
  strictLabels: false,
  newUser: { name: 'app' },
};
