/**
 * The floor and the peer of the whole-process bench, as processes a user would run over a folder:
 * `node whole-process.js parse DIR` parses every Dockerfile with dockerfile-ast and nothing else;
 * `node whole-process.js peer DIR` validates each with dockerfile-utils.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

function dockerfiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory()
        ? dockerfiles(path.join(dir, e.name))
        : e.name === 'Dockerfile'
          ? [path.join(dir, e.name)]
          : [],
    );
}

async function main(): Promise<void> {
  const [mode, dir] = process.argv.slice(2);
  const files = dockerfiles(dir);
  if (mode === 'parse') {
    const { DockerfileParser } = await import('dockerfile-ast');
    for (const f of files) DockerfileParser.parse(fs.readFileSync(f, 'utf8')).getInstructions();
  } else {
    const { validate } = await import('dockerfile-utils');
    for (const f of files) validate(fs.readFileSync(f, 'utf8'));
  }
}

void main();
