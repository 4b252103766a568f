/** Quick fixes and source.fixAll.asyncsense through VS Code's own code-action machinery. */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { asyncsenseDiagnostics, cliFixed, codeOf, openAndWait, summary, waitFor, wsUri } from './util';

async function codeActions(uri: vscode.Uri, range: vscode.Range, kind?: string): Promise<vscode.CodeAction[]> {
  // itemResolveCount: resolve the lazily computed edits, as the light bulb does.
  const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', uri, range, kind, 100);
  return (actions ?? []).filter((a): a is vscode.CodeAction => 'kind' in a || 'edit' in a);
}

async function apply(action: vscode.CodeAction): Promise<void> {
  if (action.edit) assert.ok(await vscode.workspace.applyEdit(action.edit), `applyEdit(${action.title})`);
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
}

/**
 * Reverts every edited document, each made active first (`files.revert` acts on the active
 * editor only: on a loaded machine another editor can hold the focus), then closes them all, so
 * that no fixed text outlives its test.
 */
async function revert(): Promise<void> {
  for (const doc of vscode.workspace.textDocuments) {
    if (!doc.isDirty) continue;
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  const dirty = vscode.workspace.textDocuments.filter((d) => d.isDirty).map((d) => d.uri.fsPath);
  assert.deepEqual(dirty, [], 'documents left edited after the test');
}

describe('code actions', () => {
  afterEach(revert);

  it('a quick fix applies its edit and the finding disappears', async () => {
    const uri = wsUri('python-service/app/worker.py');
    const { editor, diagnostics } = await openAndWait(uri);
    const diag = diagnostics.find((d) => codeOf(d) === 'blocking-call-in-async')!;
    const actions = await codeActions(uri, diag.range, vscode.CodeActionKind.QuickFix.value);
    const titles = actions.map((a) => a.title);
    const fix = actions.find((a) => /asyncio\.sleep/.test(a.title));
    assert.ok(fix, `quick fixes offered: ${titles.join(' | ')}`);
    assert.ok(fix.isPreferred, 'the safe fix is the preferred one');
    assert.ok(titles.some((t) => /^Disable blocking-call-in-async/.test(t)), titles.join(' | '));
    await apply(fix);
    assert.match(editor.document.getText(), /await asyncio\.sleep\(self\.poll_interval\)/);
    await waitFor(() => asyncsenseDiagnostics(uri).length === 0, 20_000, 'the finding to disappear', () => JSON.stringify(summary(asyncsenseDiagnostics(uri))));
  });

  it('source.fixAll.asyncsense applies the safe fixes only (Python)', async () => {
    const rel = 'python-service/app/handlers.py';
    const uri = wsUri(rel);
    const { editor, diagnostics } = await openAndWait(uri);
    const before = summary(diagnostics);
    const doc = editor.document;
    const all = new vscode.Range(0, 0, doc.lineCount, 0);
    const actions = await codeActions(uri, all, 'source.fixAll.asyncsense');
    assert.equal(actions.length, 1, actions.map((a) => a.title).join(' | '));
    await apply(actions[0]);
    // The same text as the CLI's --fix (safe fixes only), which leaves the suggestion-only findings.
    assert.equal(doc.getText(), cliFixed(rel));
    const after = await waitFor(
      () => {
        const d = summary(asyncsenseDiagnostics(uri));
        return JSON.stringify(d) !== JSON.stringify(before) && d;
      },
      20_000,
      'diagnostics after fix-all',
    );
    assert.ok(after.some((s) => s.startsWith('dangling-task@')), `unsafe-only findings stay: ${after.join(', ')}`);
    assert.ok(after.some((s) => s.startsWith('unclosed-resource@')), after.join(', '));
    assert.ok(!after.some((s) => s.startsWith('unawaited-coroutine@')), `safe fixes applied: ${after.join(', ')}`);
  });

  it('source.fixAll.asyncsense applies the safe fixes only (TypeScript)', async () => {
    const rel = 'node-service/src/config.ts';
    const uri = wsUri(rel);
    const { editor } = await openAndWait(uri);
    const doc = editor.document;
    const actions = await codeActions(uri, new vscode.Range(0, 0, doc.lineCount, 0), 'source.fixAll.asyncsense');
    assert.equal(actions.length, 1);
    await apply(actions[0]);
    const expected = cliFixed(rel);
    assert.equal(doc.getText(), expected);
    assert.match(expected, /execSync\(/, 'the unsafe execSync finding is left alone');
    await waitFor(() => summary(asyncsenseDiagnostics(uri)).join() === 'blocking-call-in-async@19', 20_000, 'only the execSync finding left', () =>
      summary(asyncsenseDiagnostics(uri)).join(),
    );
  });
});
