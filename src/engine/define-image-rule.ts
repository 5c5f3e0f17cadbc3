import type { ImageModel } from '../image/model';
import type { Config } from './config';
import { configuredSeverity, formatMessage, type Severity } from './define-rule';

export interface ImageReport<M extends string> {
  readonly messageId: M;
  readonly data?: Readonly<Record<string, string>>;
  /** The place in the image: `config.User`, `config.Env[2]`, `history[4]`, `layer[3]:/usr/bin/x`. */
  readonly where: string;
}

export interface ImageRuleContext<M extends string> {
  report(report: ImageReport<M>): void;
}

/** A rule over a published image (config, history, layers), with the metadata Dockerfile rules have. */
export interface ImageRule<M extends string = string> {
  readonly id: string;
  /** Codes of other tools with the same meaning (dockle's CIS-DI-…), for their users' ignores. */
  readonly aliases: readonly string[];
  readonly severity: Severity;
  readonly description: string;
  readonly docs: string;
  readonly messages: Readonly<Record<M, string>>;
  /** Reads layers: silent unless they were read (`--layers`). */
  readonly needsLayers?: boolean;
  check(image: ImageModel, ctx: ImageRuleContext<M>): void;
}

export function defineImageRule<M extends string>(rule: ImageRule<M>): ImageRule<M> {
  return Object.freeze(rule);
}

export interface ImageFinding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly message: string;
  readonly where: string;
}

/** Runs the enabled image rules; findings in rule order, then in the order each rule reported. */
export function runImageRules(
  image: ImageModel,
  rules: readonly ImageRule[],
  config: Config,
): ImageFinding[] {
  const findings: ImageFinding[] = [];
  for (const rule of rules) {
    const severity = configuredSeverity(rule, config);
    if (severity === 'off') continue;
    rule.check(image, {
      report(r) {
        const template = rule.messages[r.messageId];
        if (template === undefined)
          throw new Error(`rule ${rule.id} reported unknown messageId ${r.messageId}`);
        findings.push({
          ruleId: rule.id,
          severity,
          message: formatMessage(template, r.data ?? {}),
          where: r.where,
        });
      },
    });
  }
  return findings;
}
