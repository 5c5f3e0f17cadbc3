import type { LabelType } from '../engine/config';
import type { Dockerfile, KeyValue, PairsInstr, Stage } from './model';

/** The LABEL instructions of the file (ONBUILD triggers included), in order. */
export function labelInstrs(model: Dockerfile): PairsInstr[] {
  const out: PairsInstr[] = [];
  for (const ins of model.instructions) {
    const i = ins.kind === 'onbuild' ? ins.trigger : ins;
    if (i?.kind === 'label') out.push(i as PairsInstr);
  }
  return out;
}

/** The label pairs a stage sets itself. */
export function stageLabels(stage: Stage): KeyValue[] {
  return stage.instructions.flatMap((i) => (i.kind === 'label' ? (i as PairsInstr).pairs : []));
}

let spdx: ReadonlySet<string> | undefined;

function spdxIds(): ReadonlySet<string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  spdx ??= new Set<string>([...require('spdx-license-ids'), ...require('spdx-license-ids/deprecated')]);
  return spdx;
}

const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const URI = /^[A-Za-z][A-Za-z0-9+.-]*:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*$/;
const ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const EMAIL = new RegExp(`^${ATOM}(\\.${ATOM})*@(${ATOM}(\\.${ATOM})*|\\[[^\\]\\s]*\\])$`);

function validDate(v: string): boolean {
  const m = RFC3339.exec(v);
  if (!m) return false;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number);
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return mo >= 1 && mo <= 12 && d >= 1 && d <= days && h < 24 && mi < 60 && s <= 60;
}

/** Whether a label value has the form its schema type asks for (`text` takes anything). */
export function labelValueValid(type: LabelType, value: string): boolean {
  switch (type) {
    case 'text':
      return true;
    case 'url':
      return URI.test(value);
    case 'spdx':
      return spdxIds().has(value);
    case 'hash':
      return /^(?:[0-9a-f]{7}|[0-9a-f]{40})$/.test(value);
    case 'rfc3339':
      return validDate(value);
    case 'semver':
      return SEMVER.test(value);
    case 'email':
      return EMAIL.test(value);
  }
}
