import { imageRules, rules } from '../../rules';
import { atOrAbove, type Severity } from '../engine/define-rule';
import { loadShellParser } from '../effects/shell';
import { ImageError, parsePlatform } from '../image/reader';
import { triageImage } from '../image/triage';
import { maskText } from '../core/secrets';
import { ConfigError, ConfigLoader } from './config';
import type { Io, OutputFormat } from './options';
import { registryClientFor } from './resolvers';
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK } from './run';
import { VERSION } from './version';
import { nodeFileSystem } from '../effects/fs';

export interface TriageCliOptions {
  readonly image: string;
  readonly format: OutputFormat;
  readonly platform?: string;
  readonly layers: boolean;
  readonly maxBytes?: string;
  readonly maxLayerBytes?: string;
  readonly maxAge: string;
  readonly dockerfile: boolean;
  readonly config?: string;
  readonly failureThreshold?: Severity | 'none';
  readonly registryMirror?: string;
  readonly color: boolean;
}

const UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** `512M`, `2G`, `1048576` → bytes. */
export function parseBytes(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]?)i?b?$/i.exec(text.trim());
  if (!m) throw new ConfigError(`"${text}" is not a size (like 512M or 2G)`);
  return Math.floor(Number(m[1]) * UNITS[m[2].toLowerCase()]);
}

const DAY = 86_400_000;

/** `12m` (months), `365d`, `2y`, `8w` → milliseconds. */
export function parseAge(text: string): number {
  const m = /^(\d+)\s*([dwmy])$/i.exec(text.trim());
  if (!m) throw new ConfigError(`"${text}" is not an age (like 12m, 365d, 2y)`);
  const days = { d: 1, w: 7, m: 30.44, y: 365.25 }[m[2].toLowerCase() as 'd' | 'w' | 'm' | 'y'];
  return Math.round(Number(m[1]) * days * DAY);
}

/** `harden-dockerfile triage IMAGE`: read the image from its registry and report; the exit code. */
export async function runTriage(opts: TriageCliOptions, io: Io): Promise<number> {
  let config;
  let maxAgeMs: number;
  let maxImageBytes: number | undefined;
  let maxLayerBytes: number | undefined;
  try {
    config = await new ConfigLoader(nodeFileSystem, opts.config).forDirectory(io.cwd);
    maxAgeMs = parseAge(opts.maxAge);
    maxImageBytes = opts.maxBytes ? parseBytes(opts.maxBytes) : undefined;
    maxLayerBytes = opts.maxLayerBytes ? parseBytes(opts.maxLayerBytes) : undefined;
  } catch (err) {
    io.stderr(`harden-dockerfile: ${(err as Error).message}\n`);
    return EXIT_ERROR;
  }
  const client = registryClientFor(io.env, opts.registryMirror);
  let result;
  try {
    io.shortRun?.();
    result = await triageImage(client, opts.image, {
      ...(opts.platform ? { platform: parsePlatform(opts.platform) } : {}),
      layers: opts.layers,
      maxImageBytes,
      maxLayerBytes,
      maxAgeMs,
      config,
      shell: await loadShellParser(),
      now: Date.now(),
    });
  } catch (err) {
    if (err instanceof ImageError) {
      io.stderr(`harden-dockerfile: ${maskText(opts.image)}: ${err.message}\n`);
      return EXIT_ERROR;
    }
    throw err;
  }
  if (opts.dockerfile) {
    io.stdout(maskText(result.dockerfile.text));
  } else {
    const meta = { version: VERSION, rules: [...rules, ...imageRules], color: opts.color };
    const report = await import('../report/triage');
    const format = {
      json: report.formatTriageJson,
      sarif: report.formatTriageSarif,
      github: report.formatTriageGithub,
      text: report.formatTriageText,
    }[opts.format];
    io.stdout(format(result, meta));
  }
  const threshold = opts.failureThreshold ?? config.failureThreshold;
  return atOrAbove(result.findings, threshold) ? EXIT_FINDINGS : EXIT_OK;
}
