/** Settings apply live: no reload, no restart. */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { asyncsenseDiagnostics, openAndWait, waitFor, wsUri } from './util';

describe('settings take effect without reload', () => {
  const config = () => vscode.workspace.getConfiguration('asyncsense');
  afterEach(async () => {
    await config().update('rules.customizations', undefined, vscode.ConfigurationTarget.Workspace);
    await config().update('enable', undefined, vscode.ConfigurationTarget.Workspace);
  });
  after(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('a severity override changes the diagnostic, "off" removes it, resetting restores it', async () => {
    const uri = wsUri('python-service/app/worker.py');
    const { diagnostics } = await openAndWait(uri);
    assert.equal(diagnostics[0].severity, vscode.DiagnosticSeverity.Error);
    const severity = () => asyncsenseDiagnostics(uri)[0]?.severity;
    await config().update('rules.customizations', [{ rule: 'blocking-call-in-async', severity: 'info' }], vscode.ConfigurationTarget.Workspace);
    await waitFor(() => severity() === vscode.DiagnosticSeverity.Information, 20_000, 'severity info', () => String(severity()));
    await config().update('rules.customizations', [{ rule: 'blocking-*', severity: 'off' }], vscode.ConfigurationTarget.Workspace);
    await waitFor(() => asyncsenseDiagnostics(uri).length === 0, 20_000, 'the finding turned off');
    await config().update('rules.customizations', undefined, vscode.ConfigurationTarget.Workspace);
    await waitFor(() => severity() === vscode.DiagnosticSeverity.Error, 20_000, 'the default severity back', () => String(severity()));
  });

  it('asyncsense.enable = false clears the findings, true brings them back', async () => {
    const uri = wsUri('node-service/src/uploads.ts');
    await openAndWait(uri);
    await config().update('enable', false, vscode.ConfigurationTarget.Workspace);
    await waitFor(() => asyncsenseDiagnostics(uri).length === 0, 20_000, 'findings cleared');
    await config().update('enable', true, vscode.ConfigurationTarget.Workspace);
    await waitFor(() => asyncsenseDiagnostics(uri).length === 1, 20_000, 'findings back');
  });
});
