/** npm run docs: rewrites the README's rule table from the rule metadata. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { imageRulesMarkdown, rulesMarkdown } from '../../src/cli/rules-command';

const file = path.resolve(__dirname, '../../../README.md');
const readme = fs.readFileSync(file, 'utf8');
const next = readme
  .replace(/(<!-- rules:start -->\n)[\s\S]*?(<!-- rules:end -->)/, `$1${rulesMarkdown()}$2`)
  .replace(/(<!-- image-rules:start -->\n)[\s\S]*?(<!-- image-rules:end -->)/, `$1${imageRulesMarkdown()}$2`);
fs.writeFileSync(file, next);
console.log(next === readme ? 'README rule table already up to date' : 'README rule table updated');
