import { isDirectReference } from './package-spec';
import type { Range } from './source';

/** One requirement line of a pip requirements file, with offsets into the file's text. */
export interface RequirementLine {
  /** 0-based line where the requirement starts. */
  readonly line: number;
  readonly name: string;
  /** Range of the project name (and extras) as written. */
  readonly nameRange: Range;
  readonly specifier: string;
  /** Range of the specifier (`>=1,<2`), or an empty range right after the name when there is none. */
  readonly specifierRange: Range;
  readonly marker?: string;
  /** `==1.2` / `===1.2`: the line installs exactly one version. */
  readonly pinned: boolean;
  readonly hasHash: boolean;
  /** Name and specifier stand on the line's first physical line, where edits can find them. */
  readonly editable: boolean;
  /** End of the requirement and its marker and options, before any comment (one-line requirements). */
  readonly contentEnd?: number;
}

export interface RequirementsFile {
  readonly requirements: readonly RequirementLine[];
  /** `-r other.txt` / `-c constraints.txt` includes, as written. */
  readonly includes: readonly { readonly path: string; readonly constraint: boolean }[];
  /** `--index-url` / `-i` given in the file. */
  readonly indexUrl?: string;
  /** The file also installs from elsewhere (`--no-index`, `--find-links`, `--extra-index-url`): which. */
  readonly elsewhere?: string;
}

const REQ = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(\[[^\]]*\])?\s*([^;]*?)\s*(;.*)?$/;

/**
 * Reads a requirements file the way pip does: `#` comments (at the start or after whitespace),
 * backslash continuations, options lines, and `name[extras] specifier ; marker --hash=…` requirements.
 * Editable, URL, VCS and path requirements are not version requirements and are skipped.
 */
export function parseRequirements(text: string): RequirementsFile {
  // The loader and several rules read the same file of a run: parse each text once.
  let parsed = PARSED.get(text);
  if (!parsed) {
    if (PARSED.size >= 64) PARSED.delete(PARSED.keys().next().value as string);
    PARSED.set(text, (parsed = Object.freeze(parseText(text))));
  }
  return parsed;
}

const PARSED = new Map<string, RequirementsFile>();

function parseText(text: string): RequirementsFile {
  const requirements: RequirementLine[] = [];
  const includes: { path: string; constraint: boolean }[] = [];
  let indexUrl: string | undefined;
  let elsewhere: string | undefined;
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < lines.length; i++) {
    const startLine = i;
    const start = offset;
    // Join continuation lines, remembering where each piece starts so offsets stay true.
    let logical = lines[i].replace(/\r$/, '');
    offset += lines[i].length + 1;
    while (logical.endsWith('\\') && i + 1 < lines.length) {
      i++;
      logical = `${logical.slice(0, -1)} ${lines[i].replace(/\r$/, '')}`;
      offset += lines[i].length + 1;
    }
    const comment = logical.search(/(^|\s)#/);
    const content = comment >= 0 ? logical.slice(0, comment) : logical;
    const trimmed = content.trim();
    if (trimmed === '') continue;
    if (trimmed.startsWith('-')) {
      const other = /^(--no-index|--find-links|-f|--extra-index-url)\b/.exec(trimmed);
      if (other) elsewhere ??= other[1];
      const m = /^(-r|--requirement|-c|--constraint|-i|--index-url)(?:\s*=\s*|\s+)(\S+)/.exec(trimmed);
      if (m && (m[1] === '-i' || m[1] === '--index-url')) indexUrl = m[2];
      else if (m) includes.push({ path: m[2], constraint: m[1] === '-c' || m[1] === '--constraint' });
      continue;
    }
    const hashAt = trimmed.search(/\s--hash[=\s]/);
    const spec = (hashAt >= 0 ? trimmed.slice(0, hashAt) : trimmed).replace(/\s+-{1,2}[a-z].*$/, '').trim();
    if (isDirectReference(spec.split(';')[0].trim())) continue;
    const m = REQ.exec(spec);
    if (!m) continue;
    // Offsets: only the first physical line of a requirement is edited; find the pieces in it.
    const lead = logical.length - logical.trimStart().length;
    const nameStart = start + lead;
    const nameEnd = nameStart + m[1].length + (m[2] ? spec.indexOf(m[2]) + m[2].length - m[1].length : 0);
    const specifier = (m[3] ?? '').trim();
    const specOffset = specifier ? logical.indexOf(specifier, nameEnd - start) : -1;
    const specifierRange =
      specOffset >= 0
        ? { start: start + specOffset, end: start + specOffset + specifier.length }
        : { start: nameEnd, end: nameEnd };
    const firstLength = lines[startLine].replace(/\r$/, '').length;
    requirements.push({
      line: startLine,
      name: m[1],
      nameRange: { start: nameStart, end: nameEnd },
      specifier,
      specifierRange,
      marker: m[4]?.slice(1).trim(),
      pinned: /^===?\s*[^,*\s]+$/.test(specifier),
      hasHash: hashAt >= 0,
      editable: specifierRange.end - start <= firstLength && nameEnd - start <= firstLength,
      contentEnd: i === startLine ? start + content.trimEnd().length : undefined,
    });
  }
  return { requirements, includes, indexUrl, ...(elsewhere ? { elsewhere } : {}) };
}
