/**
 * The extension-test entry (`run()`, as with @vscode/test-electron), executed inside the real
 * extension host: runs every *.e2e.js next to it with mocha and writes the results where the
 * launcher (test/e2e/host/modeA.ts) waits for them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

const RESULTS = path.resolve(__dirname, '../../../../test/e2e/artifacts/mode-a-results.json');

interface Result {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

export async function run(): Promise<void> {
  // ASYNCSENSE_E2E_GREP (inherited from the VS Code server's environment) selects tests while iterating.
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec', grep: process.env.ASYNCSENSE_E2E_GREP || undefined });
  for (const f of fs.readdirSync(__dirname).filter((f) => f.endsWith('.e2e.js')).sort()) mocha.addFile(path.join(__dirname, f));
  await mocha.loadFilesAsync();
  const tests: Result[] = [];
  const failures = await new Promise<number>((resolve) => {
    const runner = mocha.run((n) => resolve(n));
    runner.on('pass', (t) => tests.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration }));
    runner.on('fail', (t, err: Error) => tests.push({ title: t.fullTitle(), state: 'failed', error: err?.stack ?? String(err) }));
    runner.on('pending', (t) => tests.push({ title: t.fullTitle(), state: 'pending', error: (t as Mocha.Test & { skipReason?: string }).skipReason }));
  });
  const count = (s: Result['state']) => tests.filter((t) => t.state === s).length;
  fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
  fs.writeFileSync(RESULTS, JSON.stringify({ passes: count('passed'), failures: count('failed'), pending: count('pending'), tests }, null, 2));
  if (failures > 0) throw new Error(`${failures} extension-host test(s) failed`);
}
