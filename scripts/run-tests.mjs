// Runs the test suite over the built output. The last line printed is "N passed, N failed".
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const extra = process.argv.slice(2);
const mocha = path.join(root, 'node_modules/mocha/bin/mocha.js');
const args = [
  mocha,
  '--reporter', path.join(root, 'scripts/mocha-reporter.cjs'),
  '--timeout', '60000',
  '--enable-source-maps',
  ...(extra.length ? extra : ['out/test/**/*.test.js']),
];
const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
if (result.error) {
  console.error(result.error.message);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
process.exit(result.status ?? 1);
