import type { Log, ReportingDescriptor, Result } from 'sarif';
import { maskText } from '../core/secrets';
import { escapeData, escapeProperty, LEVEL as GITHUB_LEVEL } from './github';
import type { ImageRule } from '../engine/define-image-rule';
import type { Rule } from '../engine/define-rule';
import type { ImageModel } from '../image/model';
import { platformName } from '../image/reader';
import type { TriageResult } from '../image/triage';

export const TRIAGE_REPORT_VERSION = 1;

type AnyRule = Pick<Rule | ImageRule, 'id' | 'aliases' | 'severity' | 'description' | 'docs'>;

export interface TriageMeta {
  readonly version: string;
  readonly rules: readonly AnyRule[];
  readonly color: boolean;
}

const masked = (v: string | undefined) => (v === undefined ? undefined : maskText(v));
const maskAll = (vs: readonly string[] | null | undefined) => (vs ? vs.map(maskText) : vs);

function keys(record: Readonly<Record<string, unknown>> | undefined): string[] {
  return Object.keys(record ?? {}).sort();
}

/**
 * The image as the JSON contract gives it: what `docker inspect` and `docker history` show, with
 * every secret masked (a value is never printed, in any format).
 */
export function imageSummary(model: ImageModel) {
  const { image, facts } = model;
  const c = image.config;
  const history = image.history.map((h, index) => {
    const made = model.historyLayers[index];
    return {
      index,
      created: h.created ?? null,
      createdBy: masked(h.created_by) ?? '',
      emptyLayer: h.empty_layer === true,
      layer: made ?? null,
      size: made === undefined ? null : image.layers[made].size,
      ...(h.comment ? { comment: masked(h.comment) } : {}),
    };
  });
  return {
    reference: image.reference,
    name: `${image.registry}/${image.repository}`,
    tag: image.tag ?? null,
    digest: image.digest,
    manifestDigest: image.manifestDigest,
    platform: platformName(image.platform),
    platforms: image.platforms.map(platformName),
    created: image.created ?? null,
    author: masked(image.author) ?? null,
    user: c.User ?? '',
    entrypoint: maskAll(c.Entrypoint) ?? null,
    cmd: maskAll(c.Cmd) ?? null,
    env: maskAll(c.Env) ?? [],
    exposedPorts: keys(c.ExposedPorts),
    volumes: keys(c.Volumes),
    workdir: c.WorkingDir ?? '',
    labels: Object.fromEntries(Object.entries(c.Labels ?? {}).map(([k, v]) => [k, maskText(v)])),
    healthcheck: maskAll(c.Healthcheck?.Test) ?? null,
    stopSignal: c.StopSignal ?? null,
    history,
    size: image.layers.reduce((n, l) => n + l.size, 0),
    layers: image.layers.map((l, i) => {
      const stats = model.layers?.analysis.layers[i];
      return {
        index: i,
        digest: l.digest,
        mediaType: l.mediaType,
        size: l.size,
        ...(stats
          ? {
              bytes: stats.bytes,
              added: stats.added,
              changed: stats.changed,
              removed: stats.removed,
              wastedBytes: stats.wastedBytes,
              biggest: stats.biggest.map((b) => ({ path: `/${b.path}`, size: b.size })),
              ...(stats.incomplete ? { incomplete: stats.incomplete } : {}),
            }
          : {}),
      };
    }),
    ...(model.layers
      ? {
          efficiency: efficiency(model),
          wastedBytes: model.layers.analysis.wastedBytes,
        }
      : {}),
    facts: {
      os: facts.osName ?? facts.osId ?? null,
      family: facts.family ?? null,
      release: facts.release ? `${facts.release.distro} ${facts.release.release}` : null,
      packageManager: facts.packageManager ?? null,
      shells: facts.shells,
      users: facts.users.map((u) => `${u.name}:${u.uid}`),
      userTool: facts.userTool,
      python: facts.python ?? null,
    },
  };
}

/** dive's efficiency: the share of the image's bytes that are not wasted. */
function efficiency(model: ImageModel): number {
  const a = model.layers?.analysis;
  if (!a || a.totalBytes === 0) return 1;
  return Math.round((1 - a.wastedBytes / a.totalBytes) * 10000) / 10000;
}

export function formatTriageJson(result: TriageResult): string {
  return `${JSON.stringify(
    {
      version: TRIAGE_REPORT_VERSION,
      image: imageSummary(result.model),
      findings: result.findings,
    },
    null,
    2,
  )}\n`;
}

/** Bytes in kB, MB, GB (powers of 1000, as docker prints image sizes). */
export function human(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB'];
  let v = bytes;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}

function oneLine(s: string, width: number): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
}

const COLORS: Record<string, string> = { error: '31', warning: '33', info: '36', style: '90' };

/** For a person: an aligned summary, the history table, the layers (when read), then the findings. */
export function formatTriageText(result: TriageResult, meta: TriageMeta): string {
  const s = imageSummary(result.model);
  const rows: [string, string][] = [
    ['Image', s.reference],
    ['Digest', s.digest],
    ['Platform', s.platform + (s.manifestDigest !== s.digest ? ` (${s.manifestDigest})` : '')],
    ['Platforms', s.platforms.join(', ') || '(single platform)'],
    ['Created', s.created ?? '(unknown)'],
    ['Author', s.author ?? ''],
    ['User', s.user || '(root)'],
    ['Entrypoint', s.entrypoint ? JSON.stringify(s.entrypoint) : ''],
    ['Cmd', s.cmd ? JSON.stringify(s.cmd) : ''],
    ['Workdir', s.workdir],
    ['Exposed ports', s.exposedPorts.join(', ')],
    ['Volumes', s.volumes.join(', ')],
    ['Healthcheck', s.healthcheck ? JSON.stringify(s.healthcheck) : ''],
    ['Size', `${human(s.size)} compressed in ${s.layers.length} layers`],
    ['OS', [s.facts.os, s.facts.packageManager].filter(Boolean).join(', ')],
    ['Python', s.facts.python ?? ''],
  ];
  const out: string[] = [];
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) if (v) out.push(`${`${k}:`.padEnd(width + 2)}${v}`);
  if (s.env.length > 0) {
    out.push(`${'Env:'.padEnd(width + 2)}${s.env[0]}`);
    for (const e of s.env.slice(1)) out.push(`${''.padEnd(width + 2)}${e}`);
  }
  const labels = Object.entries(s.labels);
  if (labels.length > 0) {
    out.push(`${'Labels:'.padEnd(width + 2)}${labels[0][0]}=${labels[0][1]}`);
    for (const [k, v] of labels.slice(1)) out.push(`${''.padEnd(width + 2)}${k}=${v}`);
  }
  out.push('', 'History (oldest first):', '  #  CREATED               SIZE      CREATED BY');
  for (const h of s.history) {
    const size = h.size === null ? '' : human(h.size);
    out.push(
      `${String(h.index).padStart(3)}  ${(h.created ?? '').slice(0, 19).replace('T', ' ').padEnd(20)}  ${size.padEnd(8)}  ${oneLine(h.createdBy, 100)}`,
    );
  }
  if (result.model.layers) {
    out.push('', 'Layers:', '  #  COMPRESSED  FILES +/~/-        WASTED    BIGGEST');
    for (const l of s.layers) {
      const files = `${l.added ?? 0}/${l.changed ?? 0}/${l.removed ?? 0}`;
      const biggest = (l.biggest ?? [])
        .slice(0, 2)
        .map((b) => `${b.path} ${human(b.size)}`)
        .join(', ');
      out.push(
        `${String(l.index).padStart(3)}  ${human(l.size).padEnd(10)}  ${files.padEnd(17)}  ${human(l.wastedBytes ?? 0).padEnd(8)}  ${
          l.incomplete ? `(not read whole: ${l.incomplete})` : biggest
        }`,
      );
    }
    out.push(`Efficiency: ${((s.efficiency ?? 1) * 100).toFixed(1)}%, wasted ${human(s.wastedBytes ?? 0)}`);
  }
  out.push('', result.findings.length === 0 ? 'No findings.' : 'Findings:');
  for (const f of result.findings) {
    const sev = meta.color ? `\u001b[${COLORS[f.severity]}m${f.severity}\u001b[0m` : f.severity;
    out.push(`  ${sev} ${f.rule} ${f.where}: ${f.message}`);
  }
  return `${out.join('\n')}\n`;
}

/** A finding named by its place (`config.User`, `services.web.read_only`) rather than a line. */
export interface PlaceFinding {
  readonly rule: string;
  readonly severity: string;
  readonly message: string;
  readonly where: string;
}

/** GitHub workflow commands for findings that have places, not lines. */
export function formatPlacesGithub(findings: readonly PlaceFinding[]): string {
  return findings
    .map(
      (f) =>
        `::${GITHUB_LEVEL[f.severity]} title=${escapeProperty(`${f.rule} ${f.where}`)}::${escapeData(f.message)}\n`,
    )
    .join('');
}

export function formatTriageGithub(result: TriageResult): string {
  return formatPlacesGithub(result.findings);
}

const SARIF_LEVEL: Record<string, Result.level> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
  style: 'note',
};

/** SARIF 2.1.0 for findings with places: one artifact, each place a logical location. */
export function formatPlacesSarif(
  findings: readonly PlaceFinding[],
  rulesListed: readonly AnyRule[],
  version: string,
  artifact: { readonly uri: string; readonly description: string },
  tags: readonly string[],
): string {
  const rules: ReportingDescriptor[] = rulesListed.map((r) => ({
    id: r.id,
    shortDescription: { text: r.description },
    fullDescription: { text: r.docs },
    help: { text: r.docs },
    defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
    properties: { tags: [...tags], ...(r.aliases.length ? { aliases: [...r.aliases] } : {}) },
  }));
  const index = new Map(rulesListed.map((r, i) => [r.id, i]));
  const results: Result[] = findings.map((f) => ({
    ruleId: f.rule,
    ruleIndex: index.get(f.rule),
    level: SARIF_LEVEL[f.severity],
    message: { text: `${f.where}: ${f.message}` },
    locations: [
      {
        physicalLocation: { artifactLocation: { uri: artifact.uri } },
        logicalLocations: [{ fullyQualifiedName: f.where, kind: 'member' }],
      },
    ],
  }));
  const log: Log = {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: { driver: { name: 'harden-dockerfile', version, rules } },
        artifacts: [{ location: { uri: artifact.uri }, description: { text: artifact.description } }],
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

/** SARIF 2.1.0: the image is the artifact (by digest), each finding's place a logical location. */
export function formatTriageSarif(result: TriageResult, meta: TriageMeta): string {
  const { image } = result.model;
  const used = new Set(result.findings.map((f) => f.rule));
  const listed = meta.rules.filter((r) => used.has(r.id) || r.id.startsWith('image-'));
  const uri = `oci://${image.registry}/${image.repository}@${image.digest}`;
  return formatPlacesSarif(result.findings, listed, meta.version, { uri, description: image.reference }, [
    'container-image',
    'security',
  ]);
}
