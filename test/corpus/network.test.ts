/**
 * The corpus fixed with the network on, against a loopback world that answers every look-up a fix
 * makes in the real formats (test/harness/corpus-world.ts). Every output is checked: it parses and
 * a second fix leaves it alone; no fix is dropped; each version lands once on an install operand of
 * the original; a FROM whose tag changed names the same image (the world serves the same digest),
 * and every digest written is the one served for its tag; apt pins are the newest of release,
 * -updates and -security (worked out here with `dpkg --compare-versions`), apk pins the newest of
 * main and community, pip pins a release the index serves whose requires-python admits the image's
 * Python; and no request left the loopback servers or asked for something the world does not have.
 * The expectations are worked out here from what the world served, never with the product's code.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { diffArrays } from 'diff';
import { buildResolver, httpClientFor } from '../../src/cli/resolvers';
import { contextReader, inOrder } from '../../src/cli/run';
import type { ImageRef } from '../../src/core/image-ref';
import type { Dockerfile, Stage } from '../../src/core/model';
import { parseDockerfile } from '../../src/core/parse-dockerfile';
import type { ShellParser } from '../../src/core/parse-shell';
import { nodeFileSystem } from '../../src/effects/fs';
import type { HttpClient, HttpRequest, HttpStreamResponse } from '../../src/effects/http';
import type { ContextReader } from '../../src/engine/context-files';
import { harden, type HardenResult } from '../../src/engine/harden';
import { verifyRewrite } from '../../src/engine/verify';
import { corpusDir, loadCorpus, type CorpusEntry } from '../harness/corpus';
import {
  compareDotted,
  goModuleOf,
  startCorpusWorld,
  type CorpusWorld,
  type PypiRelease,
  type WorldImage,
} from '../harness/corpus-world';
import { fixOptions } from '../harness/fix-options';
import { outcomeGaps } from '../harness/outcomes';
import { fixersByRule } from '../../fixers';
import { testShell } from '../harness/rule-tester';

// ---------------------------------------------------------------------------------------------
// Shell words and install commands, read here without the product's parser

interface Tok {
  readonly raw: string;
  readonly value: string;
  /** An operator (`&&`, `;`, a newline, a pipe, a parenthesis) or a redirection. */
  readonly op?: boolean;
  /** The word a redirection writes to or reads from. */
  readonly target?: boolean;
}

/** The shell text of a RUN: flags gone, continuations joined, comment lines inside it dropped, heredoc bodies inlined. */
function runScript(instrText: string, escape: string): string {
  const body = instrText.replace(/^\s*run\s+/i, '').replace(/^(--\S+\s+)*/, '');
  const lines = body.split(/\r?\n/);
  const heredoc = /<<-?\s*(["']?)([A-Za-z_]\w*)\1/.exec(lines[0]);
  if (heredoc) {
    const end = lines.findIndex((l, i) => i > 0 && l.trim() === heredoc[2]);
    return [lines[0].replace(heredoc[0], ''), ...lines.slice(1, end < 0 ? undefined : end)].join('\n');
  }
  // Docker reads the escape character with only blanks after it as a line continuation.
  const continuation = new RegExp(`${escape.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}[ \t]*$`);
  let out = '';
  let continued = false;
  for (const line of lines) {
    if (continued && /^\s*#/.test(line)) continue;
    const m = continuation.exec(line);
    if (m) {
      out += `${line.slice(0, m.index)} `;
      continued = true;
    } else {
      out += `${line}\n`;
      continued = false;
    }
  }
  return out;
}

/** The words of a script, with the operators between commands as tokens of their own. */
function shellTokens(script: string): Tok[] {
  const trimmed = script.trim();
  if (trimmed.startsWith('[')) {
    try {
      const arr = JSON.parse(trimmed) as unknown;
      if (Array.isArray(arr) && arr.every((a) => typeof a === 'string'))
        return arr.map((a: string) => ({ raw: JSON.stringify(a), value: a }));
    } catch {
      // not exec form after all
    }
  }
  const toks: Tok[] = [];
  let raw = '';
  let value = '';
  let inWord = false;
  let target = false;
  const flush = () => {
    if (inWord) toks.push({ raw, value, ...(target ? { target: true } : {}) });
    if (inWord) target = false;
    raw = '';
    value = '';
    inWord = false;
  };
  const balanced = (from: number, open: string, close: string): number => {
    let depth = 0;
    for (let j = from; j < script.length; j++) {
      const c = script[j];
      if (c === '\\') j++;
      else if (c === "'") j = Math.max(j, script.indexOf("'", j + 1));
      else if (c === open) depth++;
      else if (c === close && --depth === 0) return j;
    }
    return script.length - 1;
  };
  for (let i = 0; i < script.length; i++) {
    const c = script[i];
    if (c === "'") {
      const j = script.indexOf("'", i + 1);
      const end = j < 0 ? script.length : j;
      raw += script.slice(i, end + 1);
      value += script.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      let v = '';
      for (; j < script.length && script[j] !== '"'; j++) {
        if (script[j] === '\\' && /["\\$`\n]/.test(script[j + 1] ?? '')) v += script[++j];
        else if (script[j] === '$' && script[j + 1] === '(') {
          const k = balanced(j + 1, '(', ')');
          v += script.slice(j, k + 1);
          j = k;
        } else v += script[j];
      }
      raw += script.slice(i, j + 1);
      value += v;
      inWord = true;
      i = j;
    } else if (c === '\\') {
      raw += script.slice(i, i + 2);
      value += script[i + 1] ?? '';
      inWord = true;
      i++;
    } else if (c === '$' && (script[i + 1] === '(' || script[i + 1] === '{')) {
      const k = balanced(i + 1, script[i + 1], script[i + 1] === '(' ? ')' : '}');
      raw += script.slice(i, k + 1);
      value += script.slice(i, k + 1);
      inWord = true;
      i = k;
    } else if (c === '`') {
      const k = script.indexOf('`', i + 1);
      const end = k < 0 ? script.length : k;
      raw += script.slice(i, end + 1);
      value += script.slice(i, end + 1);
      inWord = true;
      i = end;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      flush();
    } else if (c === '#' && !inWord) {
      const nl = script.indexOf('\n', i);
      i = (nl < 0 ? script.length : nl) - 1;
    } else if (c === '>' || c === '<') {
      const fd = inWord && /^\d+$/.test(raw);
      if (!fd) flush();
      let op = (fd ? raw : '') + c;
      while (/[>&<|]/.test(script[i + 1] ?? '') && op.length < 4) op += script[++i];
      raw = '';
      value = '';
      inWord = false;
      toks.push({ raw: op, value: op, op: true });
      // `2>&1` names no file.
      if (/&$/.test(op) && /\d|-/.test(script[i + 1] ?? '')) {
        toks.push({ raw: script[i + 1], value: script[i + 1], op: true });
        i++;
      } else target = true;
    } else if (/[;&|()\n]/.test(c)) {
      flush();
      let op = c;
      while (/[;&|]/.test(script[i + 1] ?? '') && op.length < 2 && c !== '\n') op += script[++i];
      toks.push({ raw: op === '\n' ? ';' : op, value: op, op: true });
    } else {
      raw += c;
      value += c;
      inWord = true;
    }
  }
  flush();
  return toks;
}

/** The commands of a token list, as lists of token indices. */
function commandsOf(toks: readonly Tok[]): number[][] {
  const out: number[][] = [];
  let cur: number[] = [];
  toks.forEach((t, i) => {
    if (t.op && !/^\d*[<>]/.test(t.raw) && !/^[\d-]$/.test(t.raw)) {
      if (cur.length) out.push(cur);
      cur = [];
    } else if (!t.op) cur.push(i);
  });
  if (cur.length) out.push(cur);
  return out;
}

type Tool = 'apt' | 'apk' | 'pip' | 'npm' | 'gem' | 'go' | 'cargo';

interface InstallCommand {
  readonly tool: Tool;
  /** Token indices of the package operands. */
  readonly operands: readonly number[];
  /** `gem install x -v 1` pins every gem of the command. */
  readonly allPinned: boolean;
  /** Token indices of `-r FILE` values (pip). */
  readonly requirementFiles: readonly number[];
}

const VALUE_OPTIONS: Record<Tool, ReadonlySet<string>> = {
  apt: new Set(['-o', '-c', '-t', '--target-release', '--option', '--config-file', '--default-release']),
  apk: new Set([
    '-t',
    '--virtual',
    '-X',
    '--repository',
    '--root',
    '-p',
    '--arch',
    '--keys-dir',
    '--repositories-file',
    '--cache-dir',
    '--cache-max-age',
  ]),
  pip: new Set([
    '-r',
    '--requirement',
    '-c',
    '--constraint',
    '-e',
    '--editable',
    '-i',
    '--index-url',
    '--extra-index-url',
    '-f',
    '--find-links',
    '-t',
    '--target',
    '--prefix',
    '--root',
    '--trusted-host',
    '--platform',
    '--python-version',
    '--implementation',
    '--abi',
    '--only-binary',
    '--no-binary',
    '--upgrade-strategy',
    '--progress-bar',
    '--src',
    '--global-option',
    '--install-option',
    '--config-settings',
    '-C',
    '--log',
    '--cache-dir',
    '--timeout',
    '--retries',
    '--proxy',
    '--cert',
    '--client-cert',
    '--exists-action',
    '--python',
    '-p',
    '--index-strategy',
    '--resolution',
    '--report',
    '--root-user-action',
    '--use-feature',
    '--extra-index',
    '--index',
    '--requirements',
    '--constraints',
    '--overrides',
    '--override',
    '--python-preference',
    '--python-platform',
    '--link-mode',
    '--keyring-provider',
    '--prerelease',
    '--exclude-newer',
    '--refresh-package',
    '--reinstall-package',
    '--upgrade-package',
    '-P',
    '--config-setting',
    '--build-constraints',
    '--group',
    '--extra',
  ]),
  npm: new Set([
    '--registry',
    '--loglevel',
    '--prefix',
    '--cache',
    '--userconfig',
    '--tag',
    '-w',
    '--workspace',
    '--omit',
  ]),
  gem: new Set(['-s', '--source', '-i', '--install-dir', '-n', '--bindir', '-b', '--platform', '--document']),
  go: new Set([
    '-ldflags',
    '-gcflags',
    '-asmflags',
    '-tags',
    '-o',
    '-mod',
    '-modfile',
    '-p',
    '-pkgdir',
    '-toolexec',
    '-overlay',
    '-C',
    '-exec',
  ]),
  cargo: new Set([
    '--version',
    '--vers',
    '--git',
    '--branch',
    '--tag',
    '--rev',
    '--path',
    '--root',
    '--index',
    '--registry',
    '--features',
    '-F',
    '--bin',
    '--example',
    '--target',
    '--profile',
    '-j',
    '--jobs',
    '--target-dir',
    '--config',
    '-Z',
    '--color',
  ]),
};

const SUBCOMMANDS: Record<Tool, ReadonlySet<string>> = {
  apt: new Set(['install']),
  apk: new Set(['add']),
  pip: new Set(['install']),
  npm: new Set(['install', 'i', 'add', 'isntall', 'in']),
  gem: new Set(['install', 'i']),
  go: new Set(['install', 'get', 'run']),
  cargo: new Set(['install']),
};

const PREFIX_WORDS = new Set([
  'sudo',
  'env',
  'time',
  'nice',
  'exec',
  'command',
  'then',
  'else',
  'do',
  '!',
  '{',
  'if',
  'while',
  'until',
  'elif',
  'nohup',
]);

/** Reads a command as a package install, when it is one. */
function installCommand(toks: readonly Tok[], cmd: readonly number[]): InstallCommand | undefined {
  const v = (k: number) => toks[cmd[k]]?.value ?? '';
  let i = 0;
  for (; i < cmd.length; i++) {
    const w = v(i);
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(w) || PREFIX_WORDS.has(w)) continue;
    if (w.startsWith('-') && ['sudo', 'env'].includes(v(i - 1))) continue;
    break;
  }
  let name = path.posix.basename(v(i));
  let rest = i + 1;
  if (/^python[\d.]*$/.test(name)) {
    const m = cmd.findIndex((_t, k) => k > i && k <= i + 3 && v(k) === '-m' && v(k + 1) === 'pip');
    if (m < 0) return undefined;
    name = 'pip';
    rest = m + 2;
  } else if (name === 'uv' && v(rest) === 'pip') {
    name = 'pip';
    rest++;
  } else if (name === 'yarn' && v(rest) === 'global' && v(rest + 1) === 'add') {
    return operandsAfter(toks, cmd, 'npm', rest + 2);
  }
  const tool: Tool | undefined = /^(apt-get|apt|aptitude)$/.test(name)
    ? 'apt'
    : name === 'apk'
      ? 'apk'
      : /^pip[\d.]*$/.test(name) || name === 'pipx'
        ? 'pip'
        : name === 'npm'
          ? 'npm'
          : name === 'gem'
            ? 'gem'
            : name === 'go'
              ? 'go'
              : name === 'cargo'
                ? 'cargo'
                : undefined;
  if (!tool) return undefined;
  let k = rest;
  for (; k < cmd.length && v(k).startsWith('-'); k++) if (VALUE_OPTIONS[tool].has(v(k))) k++;
  if (!SUBCOMMANDS[tool].has(v(k))) return undefined;
  const found = operandsAfter(toks, cmd, tool, k + 1);
  return tool === 'go' && v(k) === 'run' ? { ...found, operands: found.operands.slice(0, 1) } : found;
}

function operandsAfter(
  toks: readonly Tok[],
  cmd: readonly number[],
  tool: Tool,
  from: number,
): InstallCommand {
  const operands: number[] = [];
  const requirementFiles: number[] = [];
  let allPinned = false;
  for (let k = from; k < cmd.length; k++) {
    const t = toks[cmd[k]];
    const w = t.value;
    if (t.target) continue;
    if (w === '--') continue;
    if (w.startsWith('-')) {
      if (tool === 'gem' && (w === '-v' || w === '--version' || w.startsWith('--version='))) allPinned = true;
      if (tool === 'pip' && /^(-r|--requirements?)$/.test(w)) requirementFiles.push(cmd[k + 1]);
      if (tool === 'pip' && /^(-r|--requirements?=)./.test(w)) requirementFiles.push(cmd[k]);
      if (VALUE_OPTIONS[tool].has(w)) k++;
      continue;
    }
    if (w === '' || /[$`]/.test(w)) continue;
    const file =
      w.includes('/') && !(tool === 'npm' && /^@[\w.-]+\/[\w.-]+(@.*)?$/.test(w)) && tool !== 'go'
        ? true
        : tool === 'go'
          ? w.startsWith('.') || w.startsWith('/')
          : /^\.|\.(deb|apk|gem|whl|tar\.gz|tgz|zip)$|:\/\//.test(w);
    if (!file) operands.push(cmd[k]);
  }
  return { tool, operands, allPinned, requirementFiles };
}

/** A word an install already pins (a range counts only where the fix may rewrite it). */
function alreadyPinned(tool: Tool, w: string): boolean {
  switch (tool) {
    case 'apt':
      return w.includes('=');
    case 'apk':
      return /[=~<>]/.test(w);
    case 'pip':
      return /^[^<>=!~]*===?[^,*]+$/.test(w.split(';')[0]);
    case 'npm': {
      const at = w.indexOf('@', w.startsWith('@') ? 1 : 0);
      return at > 0 && w.slice(at + 1) !== 'latest';
    }
    case 'gem':
      return w.includes(':');
    case 'go':
      return w.includes('@') && !/@(latest|upgrade|patch)$/.test(w);
    default:
      return w.includes('@');
  }
}

const SEPARATOR: Record<Tool, string> = {
  apt: '=',
  apk: '=',
  pip: '==',
  npm: '@',
  gem: ':',
  go: '@',
  cargo: '@',
};
const VERSION = /^v?\d[A-Za-z0-9.+~_-]*(:[A-Za-z0-9.+~_-]+)?$/;

/** `W` → `W=ver`, `"x<5"` → `x==ver`, `pkg@latest` → `pkg@ver`: the version a word became, if that is all that changed. */
function pinOf(before: string, after: string): { base: string; sep: string; version: string } | undefined {
  const bases = new Set([
    before,
    before.replace(/@[^@/]*$/, ''),
    /^([A-Za-z0-9][A-Za-z0-9._-]*(\[[^\]]*\])?)\s*[<>=!~]/.exec(before)?.[1] ?? before,
  ]);
  for (const base of bases) {
    if (!base || !after.startsWith(base)) continue;
    const m = /^(==|=|@|:)(.+)$/.exec(after.slice(base.length));
    if (m && VERSION.test(m[2])) return { base, sep: m[1], version: m[2] };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Versions, compared here

function dpkgNewest(versions: readonly string[]): string {
  return versions.reduce((a, b) => {
    if (a === b) return a;
    const r = spawnSync('dpkg', ['--compare-versions', b, 'gt', a]);
    if (r.status !== 0 && r.status !== 1)
      throw new Error(`dpkg --compare-versions ${b} gt ${a}: ${r.stderr}`);
    return r.status === 0 ? b : a;
  });
}

/** apk's order for the shapes the world serves: numbers, a letter, `_p`N, then `-r`N. */
function compareApk(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^([\d.]+)([a-z]?)(?:_p(\d+))?-r(\d+)$/.exec(v);
    if (!m) throw new Error(`unexpected apk version ${v}`);
    return {
      nums: m[1].split('.').map(Number),
      letter: m[2],
      p: m[3] === undefined ? -1 : Number(m[3]),
      r: Number(m[4]),
    };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < Math.max(x.nums.length, y.nums.length); i++) {
    const d = (x.nums[i] ?? -1) - (y.nums[i] ?? -1);
    if (d) return d;
  }
  if (x.letter !== y.letter) return x.letter < y.letter ? -1 : 1;
  return x.p - y.p || x.r - y.r;
}

/** Whether a PEP 440 specifier (the plain shapes: >=, <=, >, <, ==, !=, ~=, with .*) admits a release; undefined when it cannot tell. */
function admits(spec: string, version: string): boolean | undefined {
  const v = version.split('.').map(Number);
  if (v.some(Number.isNaN)) return undefined;
  for (const clause of spec
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean)) {
    const m = /^(===|==|!=|>=|<=|~=|>|<)\s*v?([\d.]+?)(\.\*)?$/.exec(clause);
    if (!m) return undefined;
    const w = m[2].split('.').map(Number);
    const cmp = (() => {
      for (let i = 0; i < Math.max(v.length, w.length); i++) {
        const d = (v[i] ?? 0) - (w[i] ?? 0);
        if (d) return d;
      }
      return 0;
    })();
    const prefix = w.every((n, i) => v[i] === n);
    const ok =
      m[1] === '==' || m[1] === '==='
        ? m[3]
          ? prefix
          : cmp === 0
        : m[1] === '!='
          ? m[3]
            ? !prefix
            : cmp !== 0
          : m[1] === '>='
            ? cmp >= 0
            : m[1] === '<='
              ? cmp <= 0
              : m[1] === '>'
                ? cmp > 0
                : m[1] === '<'
                  ? cmp < 0
                  : cmp >= 0 && w.slice(0, -1).every((n, i) => v[i] === n);
    if (!ok) return false;
  }
  return true;
}

/** The versions of a package the world serves for a Debian or Ubuntu release (release, -updates, -security). */
const aptIndexCache = new Map<string, Map<string, string[]>>();
function aptCandidates(distro: 'debian' | 'ubuntu', release: string, arch: string, name: string): string[] {
  const key = `${distro}/${release}/${arch}`;
  let index = aptIndexCache.get(key);
  if (!index) {
    index = new Map();
    for (const served of world.aptIndexes(distro, release, arch)) {
      for (const stanza of served.text.split(/\n\n+/)) {
        const field = (f: string) => new RegExp(`^${f}: (.+)$`, 'm').exec(stanza)?.[1].trim();
        const [pkg, version, a] = [field('Package'), field('Version'), field('Architecture')];
        if (!pkg || !version || (a !== arch && a !== 'all')) continue;
        index.set(pkg, [...(index.get(pkg) ?? []), version]);
      }
    }
    aptIndexCache.set(key, index);
  }
  return index.get(name) ?? [];
}

/** The versions of a package the world serves for an Alpine branch (main and community). */
function apkCandidates(branch: string, arch: string, name: string): string[] {
  return world
    .apkIndexes(branch, arch)
    .flatMap((i) => [...i.text.matchAll(/^P:(.+)\nV:(.+)$/gm)].filter((m) => m[1] === name).map((m) => m[2]));
}

const DEBIAN_ARCH: Record<string, string> = { arm64: 'arm64', arm: 'armhf', '386': 'i386' };
const ALPINE_ARCH: Record<string, string> = { arm64: 'aarch64', arm: 'armv7', '386': 'x86' };

/**
 * Each RUN of the original paired with its RUN in the output (fixes insert RUNs of their own): in
 * order, within the same stage, the one that shares the most words.
 */
/** How many words of `mine` another RUN's words have, in order. */
function sharedWords(mine: string[], theirs: string[]): number {
  return diffArrays(mine, theirs)
    .filter((p) => !p.added && !p.removed)
    .reduce((n, p) => n + (p.count ?? p.value.length), 0);
}

/** Whether only blanks and one line break stand between a RUN and the one before it. */
function nextLine(m: Dockerfile, k: number): boolean {
  const [prev, cur] = [m.runs[k - 1].instr, m.runs[k].instr];
  return /^[ \t]*\r?\n[ \t]*$/.test(m.source.text.slice(prev.range.end, cur.range.start));
}

/**
 * The RUNs of the output each RUN of the original became, by index: two RUNs joined into one
 * (an update with the install on the next line) share an index.
 */
function pairRuns(before: Dockerfile, after: Dockerfile): number[] {
  // Words with any version a fix wrote taken off, so a RUN whose every package got pinned still pairs.
  const words = (m: Dockerfile, k: number) => {
    const r = m.runs[k].instr;
    return shellTokens(runScript(m.source.text.slice(r.range.start, r.range.end), m.escapeChar)).map((t) =>
      t.value.replace(/(==?|@|:)v?\d[\w.+~:-]*$/, ''),
    );
  };
  // A build split inserts a builder stage (a new name a later stage copies from) before the stage it
  // was made for, and moves RUNs of that stage into it: its RUNs count as that stage's.
  const names = new Set(before.stages.map((s) => s.name));
  const original: number[] = [];
  let builders = 0;
  for (const s of after.stages) {
    original[s.index] = s.index - builders;
    if (s.name !== undefined && !names.has(s.name) && s.usedBy.some((u) => u > s.index)) builders++;
  }
  const out: number[] = [];
  let j = 0;
  for (let k = 0; k < before.runs.length; k++) {
    const mine = words(before, k);
    let best: { at: number; shared: number } | undefined;
    for (let c = j; c < after.runs.length && c < j + 4; c++) {
      if (original[after.runs[c].instr.stage] !== before.runs[k].instr.stage) continue;
      const shared = sharedWords(mine, words(after, c));
      if (!best || shared > best.shared) best = { at: c, shared };
    }
    // A RUN on the line after the previous one may have been joined into the RUN that one became:
    // then all its words are there, and no later RUN has them all.
    const joined = j > 0 && original[after.runs[j - 1].instr.stage] === before.runs[k].instr.stage;
    if (joined && nextLine(before, k) && (!best || best.shared < mine.length)) {
      if (sharedWords(mine, words(after, j - 1)) === mine.length) best = { at: j - 1, shared: mine.length };
    }
    if (!best || best.shared * 3 < mine.length) return out;
    out.push(best.at);
    j = best.at + 1;
  }
  return out;
}

/** The identity key of an image's slim variant (the key is version|words|slim|os). */
function slimKey(key: string): string {
  const parts = key.split('|');
  parts[2] = 'slim';
  return parts.join('|');
}

const normalise = (name: string) => name.toLowerCase().replace(/[-_.]+/g, '-');

// ---------------------------------------------------------------------------------------------
// The run

interface FileRun {
  readonly entry: CorpusEntry;
  readonly text: string;
  readonly first: HardenResult;
  readonly second: HardenResult;
}

interface Tally {
  readonly pins: Map<string, number>;
  readonly failures: Map<string, string[]>;
  readonly notes: Map<string, string[]>;
}

const tally: Tally = { pins: new Map(), failures: new Map(), notes: new Map() };
const count = (kind: string, n = 1) => tally.pins.set(kind, (tally.pins.get(kind) ?? 0) + n);
const fail = (check: string, line: string) =>
  tally.failures.set(check, [...(tally.failures.get(check) ?? []), line]);
const note = (what: string, line: string) => tally.notes.set(what, [...(tally.notes.get(what) ?? []), line]);
const failuresOf = (check: string) => tally.failures.get(check) ?? [];

const corpus = loadCorpus();
let shell: ShellParser;
let world: CorpusWorld;
let runs: FileRun[] = [];
const sentUrls: string[] = [];
let distinctLookups = 0;
let seconds = 0;
const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'harden-network-corpus-'));

/** The stage a stage is built on in the end. */
function rootStage(model: Dockerfile, stage: Stage): Stage {
  let s = stage;
  for (let i = 0; s.from.baseStage !== undefined && i < model.stages.length; i++)
    s = model.stages[s.from.baseStage];
  return s;
}

/** The OCI architecture of the first literal `--platform` up a stage's chain ('' for none). */
function platformArch(model: Dockerfile, stage: Stage): string {
  let s: Stage | undefined = stage;
  for (let i = 0; s && i <= model.stages.length; i++) {
    const p = s.from.platform;
    if (p && !p.includes('$')) return p.split('/')[1] ?? '';
    s = s.from.baseStage !== undefined ? model.stages[s.from.baseStage] : undefined;
  }
  return '';
}

function worldImageOf(model: Dockerfile, stage: Stage): { ref?: ImageRef; image?: WorldImage } {
  const ref = rootStage(model, stage).from.image.ref;
  if (!ref || rootStage(model, stage).from.isScratch) return {};
  return {
    ref,
    image: ref.tag || !ref.digest ? world.imageOf(ref.registry, ref.repository, ref.tag ?? '') : undefined,
  };
}

/** The requirements files the manifest lists beside each Dockerfile. */
const requirementsOf = new Map(
  (
    JSON.parse(fs.readFileSync(path.join(corpusDir(), 'manifest.json'), 'utf8')) as {
      id: string;
      requirements?: string[];
    }[]
  ).map((e) => [e.id, e.requirements ?? []]),
);

function collectInput(texts: readonly { entry: CorpusEntry; text: string }[]) {
  const images = new Map<string, Set<string>>();
  const pinnedDigests = new Set<string>();
  const names = {
    apt: new Set<string>(),
    apk: new Set<string>(),
    pip: new Map<string, string[]>(),
    npm: new Set<string>(),
    gems: new Set<string>(),
    go: new Set<string>(),
    crates: new Set<string>(),
  };
  const addPip = (w: string) => {
    const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*([^;]*)/.exec(w);
    if (!m) return;
    const name = normalise(m[1]);
    const versions = [...m[3].matchAll(/[<>=!~]=?\s*v?(\d+(?:\.\d+)*)/g)].map((v) => v[1]);
    names.pip.set(name, [...new Set([...(names.pip.get(name) ?? []), ...versions])]);
  };
  for (const { entry, text } of texts) {
    const model = parseDockerfile({ path: entry.id, text }, shell);
    for (const stage of model.stages) {
      const ref = stage.from.image.ref;
      if (!ref || stage.from.baseStage !== undefined || stage.from.isScratch) continue;
      const key = `${ref.registry}/${ref.repository}`;
      const tags = images.get(key) ?? new Set<string>();
      if (ref.tag || !ref.digest) tags.add(ref.tag ?? '');
      images.set(key, tags);
      if (ref.digest) pinnedDigests.add(ref.digest);
    }
    for (const { instr } of model.runs) {
      const toks = shellTokens(runScript(text.slice(instr.range.start, instr.range.end), model.escapeChar));
      for (const cmd of commandsOf(toks)) {
        const inst = installCommand(toks, cmd);
        if (!inst) continue;
        for (const k of inst.operands) {
          const w = toks[k].value;
          const bare = w
            .replace(/^@/, '\u0000')
            .split(/[=~<>@:;[ ]/)[0]
            .replace('\u0000', '@');
          if (inst.tool === 'apt') names.apt.add(w.split(/[=:]/)[0]);
          else if (inst.tool === 'apk') names.apk.add(w.split(/[=~<>]/)[0]);
          else if (inst.tool === 'pip') addPip(w);
          else if (inst.tool === 'npm')
            names.npm.add(w.startsWith('@') ? `@${w.slice(1).split('@')[0]}` : bare);
          else if (inst.tool === 'gem') names.gems.add(w.split(':')[0]);
          else if (inst.tool === 'go') names.go.add(w.split('@')[0]);
          else names.crates.add(w.split('@')[0]);
        }
      }
    }
    // Requirements files beside the Dockerfile, with their -r includes.
    const seen = new Set<string>();
    const readReqs = (file: string) => {
      if (seen.has(file) || !fs.existsSync(file)) return;
      seen.add(file);
      for (const raw of fs.readFileSync(file, 'utf8').split(/\r?\n/)) {
        const line = raw.replace(/(^|\s)#.*$/, '').trim();
        const include = /^(-r|--requirement)\s*=?\s*(\S+)/.exec(line);
        if (include) readReqs(path.join(path.dirname(file), include[2]));
        else if (!line.startsWith('-') && !/:\/\/|^[./]/.test(line)) addPip(line);
      }
    };
    for (const file of requirementsOf.get(entry.id) ?? []) readReqs(path.join(entry.dir, file));
  }
  return { images, pinnedDigests, ...names };
}

/** Reads the build context, with the requirements files the first fix rewrote in their new form. */
function overlay(base: ContextReader, changes: HardenResult['contextChanges']): ContextReader {
  const changed = new Map(changes.map((c) => [c.path, c.after]));
  return { read: async (p) => changed.get(p) ?? (await base.read(p)) };
}

beforeAll(async () => {
  const started = Date.now();
  shell = await testShell();
  const texts = corpus.map((entry) => ({ entry, text: fs.readFileSync(entry.dockerfile, 'utf8') }));
  world = await startCorpusWorld(collectInput(texts));
  const env = { ...world.env, HARDEN_CACHE_DIR: cacheDir };
  const base = httpClientFor(env);
  const recording: HttpClient = {
    request(req) {
      sentUrls.push(req.url);
      return base.request(req);
    },
    stream<T>(req: HttpRequest, consume: (res: HttpStreamResponse) => Promise<T>): Promise<T> {
      sentUrls.push(req.url);
      if (!base.stream) throw new Error('the HTTP client cannot stream');
      return base.stream(req, consume);
    },
    get sent() {
      return base.sent;
    },
  };
  const built = buildResolver({ offline: false, refresh: false }, env, recording);
  const opts = fixOptions(shell, built.resolver);
  runs = [];
  await inOrder(
    texts,
    8,
    async ({ entry, text }) => {
      const context = contextReader(nodeFileSystem, entry.dir);
      const first = await harden({ path: entry.id, text }, { ...opts, context });
      const second = await harden(
        { path: entry.id, text: first.output },
        { ...opts, context: overlay(context, first.contextChanges) },
      );
      return { entry, text, first, second };
    },
    (r) => runs.push(r),
  );
  distinctLookups = built.resolver.stats().distinct;
  seconds = (Date.now() - started) / 1000;
}, 600000);

afterAll(async () => {
  await world?.close();
  fs.rmSync(cacheDir, { recursive: true, force: true });
  const pins = [...tally.pins].map(([k, n]) => `${k} ${n}`).join(', ');
  const failures = [...tally.failures].map(
    ([k, xs]) => `  ${k}: ${xs.length}\n${xs.map((x) => `    ${x}`).join('\n')}`,
  );
  const notes = [...tally.notes].map(
    ([k, xs]) => `  ${k}: ${xs.length}${xs.length ? `\n    ${xs.slice(0, 40).join('\n    ')}` : ''}`,
  );
  const skipped = new Map<string, number>();
  for (const r of runs)
    for (const k of r.first.skipped) {
      const why = `${k.ruleId}: ${(k.reason ?? '').replace(/\d[\w.:~+-]*|"[^"]*"|\S+\/\S+/g, '…')}`;
      skipped.set(why, (skipped.get(why) ?? 0) + 1);
    }
  const skips = [...skipped]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 20)
    .map(([k, n]) => `    ${n} ${k}`);
  const byNote = new Map<string, number>();
  for (const r of world?.log ?? []) byNote.set(r.note, (byNote.get(r.note) ?? 0) + 1);
  const byKind = new Map<string, number>();
  for (const r of world?.log ?? []) {
    const kind = r.service.startsWith('registry ')
      ? `registry ${r.method} ${/\/v2\/.+\/(tags|manifests|blobs)\//.exec(r.url)?.[1] ?? (r.url.startsWith('/token') ? 'token' : r.url)}`
      : `${r.service} ${/binary-\w+|\/(x86_64|aarch64)\//.exec(r.url)?.[0].replace(/\//g, '') ?? ''}`.trim();
    byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
  }
  console.log(
    [
      `network corpus: ${runs.length} files, ${runs.filter((r) => r.first.output !== r.text).length} changed, ${seconds.toFixed(1)} s to start the world and fix every file twice`,
      `  written: ${pins}`,
      `  dropped: ${runs.reduce((n, r) => n + r.first.dropped.length, 0)}`,
      `  requests: ${sentUrls.length} sent for ${distinctLookups} distinct look-ups; served: ${[...byNote].map(([k, n]) => `${k} ${n}`).join(', ')}`,
      `  by kind: ${[...byKind].map(([k, n]) => `${k} ${n}`).join('; ')}`,
      `failures by check:\n${failures.join('\n') || '  none'}`,
      `notes:\n${notes.join('\n') || '  none'}`,
      `fixes skipped, the 20 commonest rule and reason pairs:\n${skips.join('\n') || '    none'}`,
    ].join('\n'),
  );
});

describe('the corpus fixed against a loopback world, network on', () => {
  it('fixes all 310 files and changes most of them', () => {
    expect(runs.length).toBe(310);
    expect(runs.filter((r) => r.first.output !== r.text).length).toBeGreaterThan(250);
  });

  it('every output parses, adds no syntax error, and a second fix changes nothing', () => {
    for (const { entry, text, first, second } of runs) {
      const syntax = (found: readonly { ruleId: string }[]) =>
        found.filter((f) => f.ruleId === 'dockerfile-syntax').length;
      if (syntax(first.remaining) > syntax(first.findings))
        fail('syntax', `${entry.id}: the output has a dockerfile-syntax error the input did not`);
      let problem: string | undefined;
      try {
        problem = verifyRewrite(
          parseDockerfile({ path: entry.id, text }, shell),
          parseDockerfile({ path: entry.id, text: first.output }, shell),
        );
      } catch (err) {
        problem = `does not parse: ${String(err)}`;
      }
      if (problem) fail('syntax', `${entry.id}: ${problem}`);
      if (second.output !== first.output) {
        const parts = diffArrays(first.output.split('\n'), second.output.split('\n'));
        const changed = parts
          .filter((p) => p.added || p.removed)
          .map((p) => `${p.added ? '+' : '-'}${p.value.join('\\n')}`);
        fail('idempotent', `${entry.id}: a second fix changes ${changed.join(' ')}`);
      }
      for (const c of second.contextChanges)
        fail('idempotent', `${entry.id}: a second fix changes ${c.path} again: ${JSON.stringify(c.after)}`);
    }
    expect(failuresOf('syntax')).toEqual([]);
    expect(failuresOf('idempotent')).toEqual([]);
  });

  it('every fixable finding ends in exactly one outcome: fixed, skipped with a reason, or refused', () => {
    for (const { entry, first } of runs) {
      const { lost, twice } = outcomeGaps(entry.id, first, (id) => fixersByRule.has(id));
      for (const k of lost) fail('outcome', `${k}: no outcome`);
      for (const k of twice) fail('outcome', `${k}: fixed and skipped`);
    }
    expect(failuresOf('outcome')).toEqual([]);
  });

  it('a slim swap reported as fixed leaves the final stage on a slim tag', () => {
    // Read here from the text: the last FROM's image, its tag's words.
    let fixed = 0;
    for (const { entry, first } of runs) {
      if (!first.applied.some((a) => a.ruleId === 'prefer-slim-base')) continue;
      fixed++;
      const froms = [...first.output.matchAll(/^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)/gim)].map((m) => m[1]);
      // Global ARG defaults (before the first FROM) stand in for the variables they set.
      const head = first.output.split(/^\s*FROM\s/im)[0];
      const args = new Map(
        [...head.matchAll(/^\s*ARG\s+(\w+)=("?)([^\s"]*)\2/gim)].map((m) => [m[1], m[3]] as [string, string]),
      );
      const image = (froms[froms.length - 1] ?? '').replace(
        /\$\{?(\w+)\}?/g,
        (all, name: string) => args.get(name) ?? all,
      );
      if (!/:[^@/]*slim/.test(image))
        fail('slim', `${entry.id}: prefer-slim-base reported fixed, but the final FROM is ${image}`);
    }
    expect(fixed).toBeGreaterThan(20);
    expect(failuresOf('slim')).toEqual([]);
  });

  it('no fix is dropped by the meaning check', () => {
    for (const { entry, first } of runs)
      for (const d of first.dropped)
        fail('dropped', `${entry.id}:${d.line} ${d.ruleId}: ${d.reason} (${d.message})`);
    expect(failuresOf('dropped')).toEqual([]);
  });

  it('every version lands once on an install operand of the original, and is the one the world serves', async () => {
    for (const { entry, text, first } of runs) {
      if (first.output === text) continue;
      const before = first.model;
      const after = parseDockerfile({ path: entry.id, text: first.output }, shell);
      const pairs = pairRuns(before, after);
      if (pairs.length !== before.runs.length) {
        fail(
          'operands',
          `${entry.id}: only ${pairs.length} of ${before.runs.length} RUNs are found in the output`,
        );
        continue;
      }
      before.runs.forEach((run, k) => {
        if (k > 0 && pairs[k] === pairs[k - 1]) return;
        const oldText = text.slice(run.instr.range.start, run.instr.range.end);
        const newInstr = after.runs[pairs[k]].instr;
        const newText = first.output.slice(newInstr.range.start, newInstr.range.end);
        if (oldText === newText) return;
        const line = run.instr.line + 1;
        // The RUNs joined into this one, in order, as the one list the joined RUN runs.
        let oldScript = runScript(oldText, before.escapeChar);
        for (let n = k + 1; pairs[n] === pairs[k]; n++) {
          const r = before.runs[n].instr;
          oldScript = `${oldScript.trimEnd()} && ${runScript(text.slice(r.range.start, r.range.end), before.escapeChar)}`;
        }
        // A build split moves the RUNs between two RUNs of a stage into its builder; the two may then
        // stand on adjacent lines of the runtime stage and be joined there: the earlier one is then
        // this RUN's first part.
        const unpinned = (script: string) =>
          shellTokens(script).map((t) => t.value.replace(/(==?|@|:)v?\d[\w.+~:-]*$/, ''));
        const newWords = unpinned(runScript(newText, after.escapeChar));
        for (let e = k - 1; e >= 0; e--) {
          const r = before.runs[e];
          if (r.instr.stage !== run.instr.stage) break;
          const joined = `${runScript(text.slice(r.instr.range.start, r.instr.range.end), before.escapeChar).trimEnd()} && ${oldScript}`;
          if (sharedWords(unpinned(joined), newWords) === unpinned(joined).length) {
            oldScript = joined;
            break;
          }
        }
        const olds = shellTokens(oldScript);
        const news = shellTokens(runScript(newText, after.escapeChar));
        const operandOf = new Map<number, { tool: Tool; inst: InstallCommand }>();
        for (const cmd of commandsOf(olds)) {
          const inst = installCommand(olds, cmd);
          for (const o of inst?.operands ?? [])
            operandOf.set(o, { tool: (inst as InstallCommand).tool, inst: inst as InstallCommand });
        }
        let oi = 0;
        let ni = 0;
        let removed: number[] = [];
        let added: number[] = [];
        const settle = () => {
          for (const a of added) {
            const after1 = news[a].value;
            const pairs = removed.map((r) => ({ r, pin: pinOf(olds[r].value, after1) })).filter((p) => p.pin);
            if (pairs.length === 0) {
              if (/^(==?|@|:)v?\d/.test(after1) || /^[a-z0-9][a-z0-9._+-]*(==?|@)v?\d/.test(after1))
                fail(
                  'operands',
                  `${entry.id}:${line} wrote ${after1}, a version on a word the original did not have`,
                );
              continue;
            }
            const { r, pin } = pairs[0] as { r: number; pin: { base: string; sep: string; version: string } };
            const written = `${entry.id}:${line} ${olds[r].value} → ${after1}`;
            const op = operandOf.get(r);
            if (!op) {
              fail('operands', `${written}: a version on a word that is no package operand`);
              continue;
            }
            if (op.inst.allPinned || alreadyPinned(op.tool, olds[r].value))
              fail('operands', `${written}: the word was pinned already (a version twice)`);
            if (pin.sep !== SEPARATOR[op.tool]) {
              fail('operands', `${written}: ${op.tool} takes ${SEPARATOR[op.tool]}, not ${pin.sep}`);
              continue;
            }
            checkVersion(before, run.stage, op.tool, olds[r].value, pin.base, pin.version, written);
          }
          removed = [];
          added = [];
        };
        for (const part of diffArrays(
          olds.map((t) => t.raw),
          news.map((t) => t.raw),
        )) {
          const n = part.count ?? part.value.length;
          if (part.removed) for (let j = 0; j < n; j++) removed.push(oi++);
          else if (part.added) for (let j = 0; j < n; j++) added.push(ni++);
          else {
            settle();
            oi += n;
            ni += n;
          }
        }
        settle();
        checkGoInstalls(`${entry.id}:${line}`, news);
      });
      for (const change of first.contextChanges) checkRequirements(entry, first, change);
    }

    /**
     * `go install a@v b@v`: Go takes versions on the arguments of one install only when every argument
     * has one and all name packages of the same module at the same version.
     */
    function checkGoInstalls(where: string, toks: readonly Tok[]): void {
      for (const cmd of commandsOf(toks)) {
        const inst = installCommand(toks, cmd);
        if (inst?.tool !== 'go' || !cmd.some((k) => toks[k].value === 'install')) continue;
        const words = inst.operands.map((k) => toks[k].value);
        const versioned = words.filter((w) => /@v?\d/.test(w));
        if (versioned.length === 0) continue;
        const modules = new Set(
          words.map((w) => `${goModuleOf(w.split('@')[0])}@${w.split('@')[1] ?? '(none)'}`),
        );
        if (modules.size > 1)
          fail(
            'operands',
            `${where} go install ${words.join(' ')}: versions on arguments of different modules or versions`,
          );
      }
    }

    function checkVersion(
      model: Dockerfile,
      stage: Stage | undefined,
      tool: Tool,
      word: string,
      base: string,
      version: string,
      written: string,
    ): void {
      count(tool);
      const { ref, image } = stage ? worldImageOf(model, stage) : {};
      const arch = stage ? platformArch(model, stage) : '';
      if (tool === 'apt') {
        const colon = base.indexOf(':');
        const name = colon >= 0 ? base.slice(0, colon) : base;
        const debArch = colon >= 0 ? base.slice(colon + 1) : (DEBIAN_ARCH[arch] ?? 'amd64');
        if (!image || (image.os.family !== 'debian' && image.os.family !== 'ubuntu')) {
          fail(
            'apt',
            `${written}: an apt pin on ${ref ? `${ref.repository}:${ref.tag}` : 'no image'}, which is not a Debian or Ubuntu image in this world`,
          );
          return;
        }
        const candidates = aptCandidates(image.os.family, image.os.codename, debArch, name);
        if (candidates.length === 0) {
          fail('apt', `${written}: ${image.os.family} ${image.os.codename} ${debArch} serves no ${name}`);
          return;
        }
        const newest = dpkgNewest(candidates);
        if (newest !== version)
          fail(
            'apt',
            `${written}: expected ${name}=${newest}, the newest of ${candidates.join(', ')} in ${image.os.codename}, -updates and -security (${debArch})`,
          );
      } else if (tool === 'apk') {
        const name = base.split(':')[0];
        const apkArch = ALPINE_ARCH[arch] ?? 'x86_64';
        if (!image || image.os.family !== 'alpine') {
          fail(
            'apk',
            `${written}: an apk pin on ${ref?.repository}:${ref?.tag}, which is not an Alpine image in this world`,
          );
          return;
        }
        const candidates = apkCandidates(image.os.branch, apkArch, name);
        const newest = candidates.length
          ? candidates.reduce((a, b) => (compareApk(a, b) >= 0 ? a : b))
          : undefined;
        if (newest !== version)
          fail(
            'apk',
            `${written}: expected ${name}=${newest ?? '(none served)'} in alpine v${image.os.branch} (${candidates.join(', ')})`,
          );
      } else if (tool === 'pip') {
        checkPip(written, word, version, image ? [image] : []);
      } else {
        const name = tool === 'npm' ? base.replace(/(.)@.*$/, '$1') : base;
        const expected = world.latest(tool, name);
        if (expected !== version) fail(tool, `${written}: expected ${expected ?? '(nothing served)'}`);
      }
    }

    function checkPip(
      written: string,
      requirement: string,
      version: string,
      images: readonly WorldImage[],
    ): void {
      const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*([^;]*)/.exec(requirement.trim());
      const project = normalise(m?.[1] ?? requirement);
      const specifier = (m?.[3] ?? '').trim();
      const releases = world.pypi(project);
      if (!releases) {
        fail('pip', `${written}: the index serves no project ${project}`);
        return;
      }
      const fits = (r: PypiRelease, python: string) =>
        !/[a-z]/i.test(r.version) &&
        r.files.some(
          (f) =>
            !f.yanked && (!f.requiresPython || admits(f.requiresPython.replace(/\s+/g, ''), `${python}.0`)),
        );
      const release = releases.find((r) => r.version === version);
      if (!release) {
        fail(
          'pip',
          `${written}: ${project} has no release ${version} on the index (${releases.map((r) => r.version).join(', ')})`,
        );
        return;
      }
      if (/[a-z]/i.test(version) || release.files.every((f) => f.yanked)) {
        fail('pip', `${written}: ${project} ${version} is a pre-release or yanked`);
        return;
      }
      if (specifier && admits(specifier, version) === false)
        fail('pip', `${written}: ${version} does not satisfy the original ${specifier}`);
      const pythons = [...new Set(images.map((i) => i.python).filter((p): p is string => p !== undefined))];
      if (pythons.length === 0) {
        note('pip pins on an image whose Python this world does not know', written);
        return;
      }
      for (const python of pythons) {
        if (!fits(release, python)) {
          const requires = release.files.map((f) => f.requiresPython ?? 'any').join(' / ');
          fail(
            'pip',
            `${written}: ${project} ${version} requires Python ${requires}, the image has ${python}`,
          );
          continue;
        }
        const best = releases
          .filter((r) => fits(r, python) && (!specifier || admits(specifier, r.version) !== false))
          .map((r) => r.version)
          .reduce<string | undefined>(
            (a, b) => (a === undefined || compareDotted(b, a) > 0 ? b : a),
            undefined,
          );
        if (best !== version && (!specifier || admits(specifier, version) !== undefined))
          fail('pip', `${written}: the newest release for Python ${python} is ${best}, not ${version}`);
      }
    }

    function checkRequirements(
      entry: CorpusEntry,
      first: HardenResult,
      change: HardenResult['contextChanges'][number],
    ): void {
      const model = first.model;
      // The pythons of the stages that pip install this file (else of every stage that installs with -r).
      const images: WorldImage[] = [];
      const fallback: WorldImage[] = [];
      for (const run of model.runs) {
        const toks = shellTokens(
          runScript(first.source.text.slice(run.instr.range.start, run.instr.range.end), model.escapeChar),
        );
        for (const cmd of commandsOf(toks)) {
          const inst = installCommand(toks, cmd);
          if (inst?.tool !== 'pip' || inst.requirementFiles.length === 0 || !run.stage) continue;
          const image = worldImageOf(model, run.stage).image;
          if (!image) continue;
          fallback.push(image);
          const files = inst.requirementFiles.map(
            (k) => toks[k]?.value.replace(/^(-r|--requirements?=)/, '') ?? '',
          );
          if (files.some((f) => path.posix.basename(f) === path.posix.basename(change.path)))
            images.push(image);
        }
      }
      let oldLines: string[] = [];
      for (const part of diffArrays(change.before.split('\n'), change.after.split('\n'))) {
        if (part.removed) oldLines = part.value;
        else if (part.added) {
          part.value.forEach((newLine, i) => {
            const oldLine = oldLines[i] ?? '';
            const written = `${entry.id} ${change.path}: ${oldLine.trim()} → ${newLine.trim()}`;
            const name = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*(\[[^\]]*\])?)/.exec(oldLine)?.[1];
            const pin = name
              ? new RegExp(`^\\s*${name.replace(/[[\].]/g, '\\$&')}\\s*==([^\\s;,#]+)`).exec(newLine)
              : null;
            if (!name || !pin || (newLine.match(/==/g) ?? []).length !== 1) {
              fail('pip', `${written}: not one ==version on the requirement's name`);
              return;
            }
            count('pip (requirements file)');
            checkPip(written, oldLine.replace(/#.*$/, ''), pin[1], images.length ? images : fallback);
          });
          oldLines = [];
        } else oldLines = [];
      }
    }

    for (const check of ['operands', 'apt', 'apk', 'pip', 'npm', 'gem', 'go', 'cargo'])
      expect({ check, failures: failuresOf(check) }).toEqual({ check, failures: [] });
    expect(tally.pins.get('apt') ?? 0).toBeGreaterThan(200);
    expect(tally.pins.get('apk') ?? 0).toBeGreaterThan(50);
    expect((tally.pins.get('pip') ?? 0) + (tally.pins.get('pip (requirements file)') ?? 0)).toBeGreaterThan(
      100,
    );
  });

  it('a FROM whose tag changed names the same image, and every digest written is the one served for its tag', async () => {
    for (const { entry, first } of runs) {
      const after = parseDockerfile({ path: entry.id, text: first.output }, shell);
      for (const stage of first.model.stages) {
        const o = stage.from.image.ref;
        const n = after.stages[stage.index]?.from.image.ref;
        if (!o || !n || stage.from.baseStage !== undefined) continue;
        const oldText = `${o.registry}/${o.repository}${o.tag ? `:${o.tag}` : ''}${o.digest ? `@${o.digest}` : ''}`;
        const newText = `${n.registry}/${n.repository}${n.tag ? `:${n.tag}` : ''}${n.digest ? `@${n.digest}` : ''}`;
        if (oldText === newText) continue;
        const where = `${entry.id}:${stage.from.line + 1} ${oldText} → ${newText}`;
        if (n.registry !== o.registry || n.repository !== o.repository) {
          fail('from', `${where}: names another image`);
          continue;
        }
        if (o.digest && n.digest !== o.digest) fail('from', `${where}: the digest the file pinned changed`);
        if ((n.tag ?? '') !== (o.tag ?? '')) {
          const was = world.imageOf(o.registry, o.repository, o.tag ?? '');
          const now = n.tag ? world.imageOf(n.registry, n.repository, n.tag) : undefined;
          if (!now) fail('from', `${where}: the registry lists no tag ${n.tag ?? '(none)'}`);
          else if (
            was &&
            (await world.digestOf(o.registry, o.repository, o.tag ?? '')) ===
              (await world.digestOf(n.registry, n.repository, n.tag as string))
          )
            count('tag refined (same digest)');
          else if (was && now.slim && !was.slim && now.key === slimKey(was.key)) {
            count('slim variant');
            note('FROM changed to its slim variant (a different image, declared)', where);
          } else
            fail(
              'from',
              `${where}: ${n.tag} serves ${now.key}, ${o.tag ?? 'latest'} serves ${was?.key ?? '(nothing)'}: not the same image`,
            );
        }
        if (n.digest && n.digest !== o.digest) {
          const served = await world.digestOf(n.registry, n.repository, n.tag ?? 'latest');
          if (served !== n.digest)
            fail('from', `${where}: the registry serves ${served ?? 'nothing'} for ${n.tag ?? 'latest'}`);
          else count('digest');
        }
      }
    }
    expect(failuresOf('from')).toEqual([]);
    expect(tally.pins.get('digest') ?? 0).toBeGreaterThan(200);
    expect(tally.pins.get('tag refined (same digest)') ?? 0).toBeGreaterThan(50);
  });

  it('an apt or apk package the world serves for the stage release is not left unpinned', () => {
    // A package may be left alone for a true reason (the index lacks it, it is virtual); "the release
    // is not known" is not one when the FROM had no digest and the registry tells the release.
    for (const { entry, first } of runs) {
      const model = first.model;
      for (const k of first.skipped) {
        if (k.ruleId !== 'apt-pin-versions' && k.ruleId !== 'apk-pin-versions') continue;
        // True reasons: the index lacks the package, it is virtual, Docker would refuse the file.
        if (/not-found|virtual|Docker would refuse/.test(k.reason ?? '')) continue;
        const word = /package (\S+) has no version/.exec(k.message)?.[1];
        const ins = model.instructions.find(
          (i) => i.line + 1 <= k.line && model.lines.lineOf(i.range.end) + 1 >= k.line,
        );
        if (!word || !ins) {
          fail('unpinned', `${entry.id}:${k.line} cannot tell the package of "${k.message}"`);
          continue;
        }
        if (ins.stage < 0) continue;
        const stage = model.stages[ins.stage];
        const { ref, image } = worldImageOf(model, stage);
        if (!ref || ref.digest || !image) continue;
        const [name, wordArch] = word.split(':');
        const arch = platformArch(model, stage);
        const served =
          k.ruleId === 'apt-pin-versions'
            ? (image.os.family === 'debian' || image.os.family === 'ubuntu') &&
              aptCandidates(
                image.os.family,
                image.os.codename,
                wordArch ?? DEBIAN_ARCH[arch] ?? 'amd64',
                name,
              ).length > 0
            : image.os.family === 'alpine' &&
              apkCandidates(image.os.branch, ALPINE_ARCH[arch] ?? 'x86_64', name).length > 0;
        if (served)
          fail(
            'unpinned',
            `${entry.id}:${k.line} ${word} on ${ref.repository}:${ref.tag ?? 'latest'} (${image.key}) skipped: ${k.reason}`,
          );
      }
    }
    expect(failuresOf('unpinned')).toEqual([]);
  });

  it('every request stayed on the loopback world, and every look-up was one the world answers', () => {
    const offWorld = sentUrls.filter((u) => {
      const url = new URL(u);
      return url.hostname !== '127.0.0.1' || !world.ports.has(Number(url.port));
    });
    const gaps = world.log
      .filter((r) => r.note === 'missing' || r.note === 'unknown' || r.status >= 500)
      .map((r) => `${r.status} ${r.note} ${r.method} ${r.service} ${r.url}`);
    for (const r of world.log.filter((l) => l.note === 'corpus-digest'))
      note(
        'manifests asked for by a digest the corpus pinned (no world can serve those bytes)',
        `${r.service} ${r.url}`,
      );
    expect([...new Set(offWorld)]).toEqual([]);
    expect([...new Set(gaps)]).toEqual([]);
    expect(world.log.filter((r) => r.note === 'answered').length).toBeGreaterThan(500);
  });
});
