import * as fs from 'node:fs';
import * as path from 'node:path';

export interface CorpusEntry {
  readonly id: string;
  readonly dir: string;
  readonly dockerfile: string;
  readonly tags: readonly string[];
}

/** The shared corpus of real-world Dockerfiles (never copied into the repo). */
export function corpusDir(): string {
  return process.env.HARDEN_CORPUS_DIR ?? path.resolve(__dirname, '../../../shared/corpus');
}

export function loadCorpus(): CorpusEntry[] {
  const dir = corpusDir();
  const manifest = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifest)) {
    throw new Error(`corpus not found at ${dir}: set HARDEN_CORPUS_DIR`);
  }
  const entries = JSON.parse(fs.readFileSync(manifest, 'utf8')) as {
    id: string;
    path: string;
    tags: string[];
  }[];
  return entries.map((e) => ({
    id: e.id,
    dir: path.join(dir, e.id),
    dockerfile: path.join(dir, e.id, 'Dockerfile'),
    tags: e.tags,
  }));
}
