import { imageRules, rules as dockerfileRules } from '../../rules';
import { parseDockerfile } from '../core/parse-dockerfile';
import type { ShellParser } from '../core/parse-shell';
import type { Config } from '../engine/config';
import { runImageRules, type ImageRule } from '../engine/define-image-rule';
import type { Severity } from '../engine/define-rule';
import { runRules } from '../engine/run-rules';
import type { RegistryClient } from '../resolve/registry-client';
import { imageFacts } from './facts';
import { historyDockerfile, historyLayers, readHistory } from './history';
import { analyseLayers } from './layer-analysis';
import { envOf, type ImageModel } from './model';
import { ImageReader, type Platform } from './reader';
import { readLayers } from './read-layers';

/**
 * Dockerfile rules run on the history read back: the ones about what a build step did to the image
 * (ran a remote script, opened permissions, fetched unverified files). Rules about reproducible
 * builds (pins, tags, caches) say nothing of an image already built, and the user, secret and debug
 * rules have image-level twins that read the config itself.
 */
export const HISTORY_RULES = new Set([
  'no-curl-pipe-shell',
  'no-chmod-777',
  'no-add-url',
  'no-sudo',
  'no-ssh',
  'no-download-exec',
]);

export interface TriageOptions {
  readonly platform?: Platform;
  /** Read the layers too (streamed, bounded). */
  readonly layers: boolean;
  /** Compressed bytes read per layer, and for the whole image. */
  readonly maxLayerBytes?: number;
  readonly maxImageBytes?: number;
  readonly maxAgeMs: number;
  readonly config: Config;
  readonly shell: ShellParser;
  readonly now: number;
}

export interface TriageFinding {
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
  /** `config.User`, `config.Env[2]`, `history[4]`, `layer[3]:/usr/bin/x`. */
  readonly where: string;
}

export interface TriageResult {
  readonly model: ImageModel;
  readonly findings: readonly TriageFinding[];
  /** The history as a Dockerfile, and the history index of each of its lines. */
  readonly dockerfile: { readonly text: string; readonly lineHistory: readonly (number | undefined)[] };
}

/**
 * Triage: what `docker inspect`, `docker history` and `dive` would show of a published image, read
 * from its registry without an engine, and the findings of the image rules and of the Dockerfile
 * rules that apply to its history.
 */
export async function triageImage(
  client: RegistryClient,
  reference: string,
  opts: TriageOptions,
): Promise<TriageResult> {
  const reader = new ImageReader(client);
  const image = await reader.read(reference, opts.platform);
  const scans = opts.layers ? await readLayers(client, reader, image, opts) : undefined;
  const analysis = scans ? analyseLayers(scans) : undefined;
  const steps = readHistory(image.history, image.layers.length);
  const model: ImageModel = {
    image,
    env: envOf(image.config.Env),
    steps,
    historyLayers: historyLayers(image.history, image.layers.length),
    facts: imageFacts(image.manifestDigest, image.config, analysis?.visible ?? new Map()),
    ...(scans && analysis ? { layers: { scans, analysis } } : {}),
    now: opts.now,
    maxAgeMs: opts.maxAgeMs,
  };
  const applicable: ImageRule[] = imageRules.filter((r) => opts.layers || !r.needsLayers);
  const findings: TriageFinding[] = runImageRules(model, applicable, opts.config).map((f) => ({
    rule: f.ruleId,
    severity: f.severity,
    message: f.message,
    where: f.where,
  }));
  const dockerfile = historyDockerfile(`${image.registry}/${image.repository}@${image.digest}`, steps);
  const parsed = parseDockerfile({ path: 'history', text: dockerfile.text }, opts.shell);
  const historyRules = dockerfileRules.filter((r) => HISTORY_RULES.has(r.id));
  for (const f of runRules(parsed, historyRules, opts.config)) {
    const line = parsed.lines.positionAt(f.range.start).line - 1;
    const index = dockerfile.lineHistory[line];
    findings.push({
      rule: f.ruleId,
      severity: f.severity,
      message: f.message,
      where: index === undefined ? 'history' : `history[${index}]`,
    });
  }
  return { model, findings, dockerfile };
}
