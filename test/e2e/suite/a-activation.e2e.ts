/** Activation and diagnostics: the editor shows exactly what the CLI finds in the bundled examples. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, cliFindings, openAndWait, summary, workspaceDir, wsUri } from './util';

function exampleFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(py|ts|js)$/.test(f) && !f.includes('node_modules')).map((f) => path.join(dir, f));
}

/**
 * Activation time (activate() until it returns; the server starts in the background) and the time
 * until the server is ready, written for `npm run bench`. Activation must not hold VS Code up.
 */
async function recordActivationTime(): Promise<void> {
  const timings = await vscode.commands.executeCommand<{ activationMs?: number; serverReadyMs?: number }>('asyncsense.internal.timings');
  assert.ok(timings?.activationMs !== undefined && timings.serverReadyMs !== undefined, JSON.stringify(timings));
  assert.ok(timings.activationMs < 1_000, `activation took ${timings.activationMs} ms`);
  const out = path.resolve(__dirname, '../../../../test/e2e/artifacts/activation.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify({ ...timings, vscode: vscode.version, measuredAt: new Date().toISOString() }, null, 2));
}

describe('activation and diagnostics', () => {
  it('activates when a Python file opens', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is installed`);
    assert.equal(ext.isActive, false, 'not active before any Python/TS file or asyncsense.json');
    const { diagnostics } = await openAndWait(wsUri('python-service/app/worker.py'));
    assert.ok(ext.isActive);
    assert.deepEqual(summary(diagnostics), ['blocking-call-in-async@17']);
    assert.equal(diagnostics[0].severity, vscode.DiagnosticSeverity.Error);
    await recordActivationTime();
  });

  it('serves TypeScript files (activation events cover TS/JS)', async () => {
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { activationEvents: string[] };
    for (const lang of ['python', 'typescript', 'typescriptreact', 'javascript', 'javascriptreact']) {
      assert.ok(manifest.activationEvents.includes(`onLanguage:${lang}`), lang);
    }
    const { diagnostics } = await openAndWait(wsUri('node-service/src/uploads.ts'));
    assert.deepEqual(summary(diagnostics), ['blocking-call-in-async@5']);
  });

  it('getDiagnostics gives, for every examples/ file, the findings of the CLI', async () => {
    const root = workspaceDir();
    const expected = cliFindings(root);
    assert.ok(expected.size >= 5, `the CLI finds issues in the examples (${[...expected.keys()].join(', ')})`);
    for (const file of exampleFiles(root)) {
      const want = expected.get(file) ?? [];
      const same = (d: vscode.Diagnostic[]) => JSON.stringify(summary(d)) === JSON.stringify(want);
      // Files without findings: wait for the analysis (the status notification) rather than for diagnostics.
      const { diagnostics } = await openAndWait(vscode.Uri.file(file), same);
      assert.deepEqual(summary(diagnostics), want, file);
      for (const d of diagnostics) {
        assert.equal(d.source, 'asyncsense');
        assert.ok(d.message.length > 10, d.message);
      }
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
