import type { Severity } from './define-rule';

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
}

export const DEFAULT_CONFIG: Config = {
  ignored: [],
  severity: {},
  failureThreshold: 'info',
  trustedRegistries: [],
  safeOnly: false,
};
