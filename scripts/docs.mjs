// Writes docs/rules/<id>.md and the README rule table from rule metadata (run after the build).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { allRules } = require(path.join(root, 'out/server/src/rules/index.js'));
const { renderRuleDoc, withRuleTable } = require(path.join(root, 'out/server/src/docs/generate.js'));

const dir = path.join(root, 'docs/rules');
await fs.mkdir(dir, { recursive: true });
const wanted = new Set(allRules.map((r) => `${r.id}.md`));
for (const name of await fs.readdir(dir)) {
  if (name.endsWith('.md') && !wanted.has(name)) await fs.rm(path.join(dir, name));
}
for (const rule of allRules) await fs.writeFile(path.join(dir, `${rule.id}.md`), renderRuleDoc(rule));
const readmePath = path.join(root, 'README.md');
await fs.writeFile(readmePath, withRuleTable(await fs.readFile(readmePath, 'utf8'), allRules));
console.log(`wrote ${allRules.length} rule pages and the README table`);
