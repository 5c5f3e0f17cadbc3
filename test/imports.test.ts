import * as fs from 'node:fs';
import * as path from 'node:path';

/** Every relative import of src/, rules/ and fixers/, type-only ones included, as file → files. */
function importGraph(root: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const walk = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const p = path.join(dir, e.name);
      return e.isDirectory() ? walk(p) : e.name.endsWith('.ts') ? [p] : [];
    });
  for (const file of ['src', 'rules', 'fixers'].flatMap((d) => walk(path.join(root, d)))) {
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
    const root = path.resolve(__dirname, '..');
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
});
