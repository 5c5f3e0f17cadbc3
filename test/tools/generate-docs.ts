/**
 * npm run docs: rewrites every generated part of the documentation from the rule metadata: the
 * marked sections of README.md and docs/rules.md, and the page of every rule in docs/rules/ (a page
 * whose rule is gone is removed).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generatedDocs, fillSections, RULE_PAGES_DIR } from '../../src/cli/rules-command';

const root = path.resolve(__dirname, '../../..');
const changed: string[] = [];

function write(file: string, text: string): void {
  const full = path.join(root, file);
  const old = fs.existsSync(full) ? fs.readFileSync(full, 'utf8') : undefined;
  if (old === text) return;
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, text);
  changed.push(file);
}

const docs = generatedDocs();
for (const [file, sections] of docs.sections)
  write(file, fillSections(fs.readFileSync(path.join(root, file), 'utf8'), sections));
for (const [file, text] of docs.pages) write(file, text);
for (const name of fs.readdirSync(path.join(root, RULE_PAGES_DIR))) {
  const file = `${RULE_PAGES_DIR}/${name}`;
  if (name.endsWith('.md') && !docs.pages.has(file)) {
    fs.rmSync(path.join(root, file));
    changed.push(`${file} (removed)`);
  }
}
if (changed.length === 0) console.log('docs already up to date');
else console.log(`docs updated (${changed.length} files):\n  ${changed.join('\n  ')}`);
