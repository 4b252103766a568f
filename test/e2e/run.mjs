#!/usr/bin/env node
// `npm run test:e2e`: prepares a real VS Code (test/e2e/setup.sh), builds, then runs
//   A. the mocha suite inside the real extension host (test/e2e/suite),
//   B. the UI scenarios against the installed .vsix, and the Neovim check (test/e2e/host/*.ui.ts).
// The last line is "e2e: N passed, N failed, N pending" or "e2e: skipped: <reason>".
//   node test/e2e/run.mjs [--no-build] [--only a|b]
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const seconds = (t0) => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
const timings = [];
let passed = 0;
let failed = 0;
let pending = 0;

function finish(code) {
  console.log('\n== E2E summary ==');
  for (const t of timings) console.log(`  ${t}`);
  console.log(`e2e: ${passed} passed, ${failed} failed, ${pending} pending`);
  process.exit(code);
}

// 1. Set-up (cached outside the repo; a second run takes well under a second).
let t0 = Date.now();
const setup = spawnSync('bash', [path.join(root, 'test/e2e/setup.sh')], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
process.stdout.write(setup.stdout ?? '');
if (setup.status !== 0) {
  const reason = /^skipped: (.*)$/m.exec(setup.stdout ?? '')?.[1] ?? `setup.sh exited with ${setup.status ?? setup.signal}`;
  console.log('\n== E2E summary ==');
  console.log(`E2E SKIPPED — not run, not passed: ${reason}`);
  console.log(`e2e: skipped: ${reason}`);
  process.exit(0);
}
timings.push(`set-up: ${seconds(t0)}`);

// 2. Build (development build for mode A; mode B packages its own production .vsix).
if (!process.argv.includes('--no-build')) {
  t0 = Date.now();
  // Stale compiled tests of renamed files would otherwise still run.
  fs.rmSync(path.join(root, 'out/test/e2e'), { recursive: true, force: true });
  const build = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) {
    console.log('build failed');
    failed++;
    finish(1);
  }
  timings.push(`build: ${seconds(t0)}`);
}
fs.mkdirSync(path.join(root, 'test/e2e/artifacts'), { recursive: true });

// 3. Mode A: inside the extension host.
if (!only || only === 'a') {
  t0 = Date.now();
  console.log('\n== Mode A: extension-host tests (real VS Code, Node 24) ==');
  const { runExtensionHostTests } = require(path.join(root, 'out/test/e2e/host/modeA.js'));
  const { readEnv } = require(path.join(root, 'out/test/e2e/host/harness.js'));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'asyncsense-e2e-a-'));
  try {
    const results = await runExtensionHostTests(readEnv(), tmp);
    for (const t of results.tests) {
      const mark = t.state === 'passed' ? '✔' : t.state === 'failed' ? '✘' : '-';
      console.log(`  ${mark} ${t.title}${t.durationMs !== undefined ? ` (${t.durationMs} ms)` : ''}${t.state === 'pending' && t.error ? ` — pending: ${t.error}` : ''}`);
      if (t.state === 'failed') console.log(`      ${String(t.error).split('\n').slice(0, 8).join('\n      ')}`);
    }
    passed += results.passes;
    failed += results.failures;
    pending += results.pending;
    console.log(`mode A: ${results.passes} passed, ${results.failures} failed, ${results.pending} pending`);
  } catch (e) {
    console.log(`mode A could not run: ${e instanceof Error ? e.stack : e}`);
    failed++;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  timings.push(`mode A: ${seconds(t0)}`);
}

// 4. Mode B: the UI scenarios and the Neovim check, each a mocha test file run from here.
if (!only || only === 'b') {
  t0 = Date.now();
  console.log('\n== Mode B: UI scenarios on the installed .vsix, Neovim ==');
  const files = fs.readdirSync(path.join(root, 'out/test/e2e/host')).filter((f) => f.endsWith('.ui.js')).sort().map((f) => path.join('out/test/e2e/host', f));
  const mocha = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules/mocha/bin/mocha.js'), '--reporter', path.join(root, 'scripts/mocha-reporter.cjs'), '--timeout', '120000', ...(process.env.ASYNCSENSE_E2E_GREP ? ['--grep', process.env.ASYNCSENSE_E2E_GREP] : []), ...files],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  process.stdout.write(mocha.stdout ?? '');
  const m = /(\d+) passed, (\d+) failed\s*$/.exec(mocha.stdout ?? '');
  if (m) {
    passed += Number(m[1]);
    failed += Number(m[2]);
    pending += Number(/(\d+) pending/.exec(mocha.stdout ?? '')?.[1] ?? 0);
  } else {
    console.log(`mode B did not report a summary (exit ${mocha.status ?? mocha.signal})`);
    failed++;
  }
  timings.push(`mode B + Neovim: ${seconds(t0)}`);
}
finish(failed ? 1 : 0);
