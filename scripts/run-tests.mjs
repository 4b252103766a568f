// Builds, then runs the test suite over the built output. The last line printed is always
// "N passed, N failed", also when the build itself fails.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const extra = process.argv.slice(2).filter((a) => a !== '--no-build');

if (!process.argv.includes('--no-build')) {
  const build = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) {
    console.log('build failed');
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}

const mocha = path.join(root, 'node_modules/mocha/bin/mocha.js');
const args = [
  '--enable-source-maps',
  mocha,
  '--reporter', path.join(root, 'scripts/mocha-reporter.cjs'),
  '--timeout', '60000',
  // The whole suite runs its test files on two workers (the fixtures file alone is about half of it).
  ...(extra.length ? extra : ['--parallel', '--jobs', '2', 'out/test/**/*.test.js']),
];
const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
if (result.error || result.signal) {
  console.error(result.error?.message ?? `mocha killed by ${result.signal}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
process.exit(result.status ?? 1);
