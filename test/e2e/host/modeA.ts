/**
 * Mode A: the mocha suite in test/e2e/suite runs inside a real VS Code extension host (code-server's
 * VS Code server, Node 24), loaded through the standard extensionDevelopmentPath /
 * extensionTestsPath `run()` entry. The server honours the page's `payload` only with
 * --enable-smoke-test-driver, which code-server's own CLI rejects, so server-main.js runs directly.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ARTIFACTS, type E2eEnv, copyExamples, freePort, httpOk, isolatedEnv, launchBrowser, repoRoot, start, stop, waitFor, writeJson } from './harness';

export interface TestResult {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}
export interface SuiteResults {
  passes: number;
  failures: number;
  pending: number;
  tests: TestResult[];
}

export const MODE_A_RESULTS = path.join(ARTIFACTS, 'mode-a-results.json');

export async function runExtensionHostTests(env: E2eEnv, tmp: string, deadlineMs = 8 * 60_000): Promise<SuiteResults> {
  fs.rmSync(MODE_A_RESULTS, { force: true });
  const ws = copyExamples(path.join(tmp, 'workspace'));
  const userData = path.join(tmp, 'user-data');
  // No trust prompt, no welcome page: nothing that steals focus from the tests.
  writeJson(path.join(userData, 'User/settings.json'), {
    'security.workspace.trust.enabled': false,
    'workbench.startupEditor': 'none',
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'update.mode': 'none',
  });
  const port = await freePort();
  const server = start(
    env.NODE24,
    [
      env.VSCODE_SERVER_MAIN,
      '--host', '127.0.0.1',
      '--port', String(port),
      '--without-connection-token',
      '--accept-server-license-terms',
      '--disable-telemetry',
      '--enable-smoke-test-driver',
      '--extensions-dir', path.join(tmp, 'extensions'),
      '--user-data-dir', userData,
      '--server-data-dir', path.join(tmp, 'server-data'),
    ],
    isolatedEnv(tmp, { ASYNCSENSE_E2E_WORKSPACE: ws }),
    path.join(ARTIFACTS, 'mode-a-server.log'),
  );
  const browser = await launchBrowser(env, tmp);
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitFor(() => server.proc.exitCode === null && httpOk(base), 60_000, `the VS Code server on ${base}`);
    const remote = (p: string) => `vscode-remote://127.0.0.1:${port}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(repoRoot)],
      ['extensionTestsPath', remote(path.join(repoRoot, 'out/test/e2e/suite/index.js'))],
    ];
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const consoleLog: string[] = [];
    page.on('console', (m) => consoleLog.push(`[${m.type()}] ${m.text()}`));
    await page.goto(`${base}/?folder=${encodeURIComponent(ws)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    try {
      await waitFor(() => fs.existsSync(MODE_A_RESULTS) || server.proc.exitCode !== null, deadlineMs, 'the extension-host test run to finish', 500);
    } finally {
      await page.screenshot({ path: path.join(ARTIFACTS, 'mode-a-final.png') }).catch(() => undefined);
      fs.writeFileSync(path.join(ARTIFACTS, 'mode-a-console.log'), consoleLog.join('\n'));
    }
    if (!fs.existsSync(MODE_A_RESULTS)) throw new Error(`the VS Code server exited (${server.proc.exitCode}) before the tests finished; see ${server.log}`);
    return JSON.parse(fs.readFileSync(MODE_A_RESULTS, 'utf8')) as SuiteResults;
  } finally {
    await browser.close().catch(() => undefined);
    await stop(server);
  }
}
