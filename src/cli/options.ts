import type { Severity } from '../engine/define-rule';

export type OutputFormat = 'text' | 'json' | 'sarif' | 'github';
export const FORMATS: readonly OutputFormat[] = ['text', 'json', 'sarif', 'github'];

export interface RunOptions {
  readonly mode: 'lint' | 'fix' | 'harden';
  readonly paths: readonly string[];
  readonly format: OutputFormat;
  readonly write: boolean;
  readonly diff: boolean;
  readonly offline: boolean;
  /** Ignore cached answers (and store fresh ones). */
  readonly refresh: boolean;
  readonly registryMirror?: string;
  /** Pin base images by tag only. */
  readonly noDigest: boolean;
  /** Add `--hash` options to pinned requirements. */
  readonly hashes: boolean;
  /** `apk=fuzzy` and the like. */
  readonly pinPolicy: readonly string[];
  readonly safeOnly: boolean;
  /** The user the non-root fix creates (`--user-name`, `--uid`). */
  readonly userName?: string;
  readonly uid?: number;
  readonly config?: string;
  /** Build context directory (default: the Dockerfile's directory). */
  readonly context?: string;
  readonly color: boolean;
  readonly failureThreshold?: Severity | 'none';
  /** lint: also run ShellCheck on each RUN body. */
  readonly shellcheck?: boolean;
  /** fix --prove: build and run the original and the hardened image, keep only fixes that pass. */
  readonly prove?: ProveFlags;
}

/** How --prove builds and runs the images. */
export interface ProveFlags {
  /** `KEY=VAL` for both containers. */
  readonly env: readonly string[];
  readonly timeoutMs: number;
  /** The path asked over HTTP on every exposed port. */
  readonly path: string;
  readonly maxBuilds: number;
  /** Keep the proven hardened image under this name. */
  readonly tag?: string;
}

export interface Io {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  readonly readStdin: () => Promise<string>;
  readonly cwd: string;
  /** Environment the run reads its endpoints, mirrors and cache location from. */
  readonly env: NodeJS.ProcessEnv;
  /** Standard error is a terminal: long runs show a progress line there. */
  readonly progress?: boolean;
  /**
   * Called before the shell parser loads in a one-shot process: the command-line entry tunes V8 for
   * it (see main.ts). Library callers leave it out.
   */
  readonly shortRun?: () => void;
}
