import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..');

/** Every .ts file under `dir`. */
const sources = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : e.name.endsWith('.ts') ? [p] : [];
  });

/** Every relative import of src/, rules/ and fixers/, type-only ones included, as file → files. */
function importGraph(root: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of ['src', 'rules', 'fixers'].flatMap((d) => sources(path.join(root, d)))) {
    const deps: string[] = [];
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/(?:import|export)[^'"]*?from '(\.[^']+)'/g)) {
      const target = path.resolve(path.dirname(file), m[1]);
      const found = [`${target}.ts`, path.join(target, 'index.ts')].find((p) => fs.existsSync(p));
      if (found) deps.push(found);
    }
    graph.set(file, deps);
  }
  return graph;
}

describe('the module layers', () => {
  it('have no import circle: every arrow points one way', () => {
    const root = ROOT;
    const graph = importGraph(root);
    const circles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, trail: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        circles.push(
          [...trail.slice(trail.indexOf(file)), file].map((f) => path.relative(root, f)).join(' → '),
        );
        return;
      }
      state.set(file, 'open');
      for (const dep of graph.get(file) ?? []) visit(dep, [...trail, file]);
      state.set(file, 'done');
    };
    for (const file of graph.keys()) visit(file, []);
    expect(graph.size).toBeGreaterThan(200);
    expect(circles).toEqual([]);
  });

  it('keep every source file under 400 lines', () => {
    const long = ['src', 'rules', 'fixers']
      .flatMap((d) => sources(path.join(ROOT, d)))
      .map((f) => ({
        file: path.relative(ROOT, f),
        lines: fs.readFileSync(f, 'utf8').split('\n').length - 1,
      }))
      .filter((f) => f.lines > 400);
    expect(long).toEqual([]);
  });

  it('give each command module and each reader a two-line comment on what it owns', () => {
    const readers = [
      'instr-args',
      'exec-form',
      'segments',
      'shell-body',
      'pairs',
      'instr-nodes',
      'shell-walker',
      'tree-sitter-shell',
      'parse-shell',
    ].map((n) => path.join(ROOT, 'src/core', `${n}.ts`));
    const files = [...sources(path.join(ROOT, 'src/cli/commands')), ...readers];
    expect(files.length).toBeGreaterThan(15);
    const bare = files.filter((f) => !/^\/\/ \S.*\n\/\/ \S/.test(fs.readFileSync(f, 'utf8')));
    expect(bare.map((f) => path.relative(ROOT, f))).toEqual([]);
  });
});
