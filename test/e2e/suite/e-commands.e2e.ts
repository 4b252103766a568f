/** Every command the manifest contributes runs in the real workbench and does what it says. */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, asyncsenseDiagnostics, openAndWait, waitFor, wsUri } from './util';

const manifest = () => vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { commands: { command: string }[] } };

/** Runs a command that may open quick picks, accepting the highlighted item until `done` holds. */
async function runAccepting(command: string, args: unknown[], done: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  let settled = false;
  let failure: unknown;
  const running = Promise.resolve(vscode.commands.executeCommand(command, ...args)).then(
    () => (settled = true),
    (e) => ((failure = e), (settled = true)),
  );
  await waitFor(
    async () => {
      if (failure) throw failure;
      if (await done()) return true;
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      return false;
    },
    ms,
    `${command} to complete`,
  );
  await waitFor(() => settled, ms, `${command} to return`);
  await running;
  if (failure) throw failure;
}

function previewTabs(): string[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => t.label)).filter((l) => /^Preview /.test(l));
}

describe('contributed commands', () => {
  const handled = new Set<string>();
  afterEach(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('asyncsense.restartServer: the restarted server reports again', async () => {
    handled.add('asyncsense.restartServer');
    const uri = wsUri('python-service/app/worker.py');
    await openAndWait(uri);
    await vscode.commands.executeCommand('asyncsense.restartServer');
    await waitFor(() => asyncsenseDiagnostics(uri).length === 1, 30_000, 'diagnostics after the restart');
    // Still answers requests.
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, asyncsenseDiagnostics(uri)[0].range.start);
    assert.ok(hovers.length > 0);
  });

  it('asyncsense.revalidateAll', async () => {
    handled.add('asyncsense.revalidateAll');
    const uri = wsUri('node-service/src/uploads.ts');
    await openAndWait(uri);
    await vscode.commands.executeCommand('asyncsense.revalidateAll');
    await waitFor(() => asyncsenseDiagnostics(uri).length === 1, 20_000, 'diagnostics after revalidation');
  });

  it('asyncsense.showOutput', async () => {
    handled.add('asyncsense.showOutput');
    await vscode.commands.executeCommand('asyncsense.showOutput');
  });

  it('asyncsense.showDocumentation opens the rule page in the Markdown preview', async () => {
    handled.add('asyncsense.showDocumentation');
    await vscode.commands.executeCommand('asyncsense.showDocumentation', 'dangling-task');
    await waitFor(() => previewTabs().some((l) => l.includes('dangling-task.md')), 20_000, 'the preview tab', () => previewTabs().join(', '));
  });

  it('asyncsense.explainRule: choosing a rule opens its page', async () => {
    handled.add('asyncsense.explainRule');
    await runAccepting('asyncsense.explainRule', [], () => previewTabs().length > 0);
    assert.match(previewTabs()[0], /Preview [a-z0-9-]+\.md/);
  });

  const catalogContributed = () => manifest().contributes.commands.some((c) => c.command === 'asyncsense.openCatalog');
  it('asyncsense.openCatalog: choosing a pattern inserts it at the cursor as a live snippet', async function () {
    handled.add('asyncsense.openCatalog');
    if (!catalogContributed()) {
      console.log('pending: asyncsense.openCatalog is not contributed yet');
      this.skip();
    }
    const doc = await vscode.workspace.openTextDocument({ language: 'python', content: '' });
    const editor = await vscode.window.showTextDocument(doc);
    await runAccepting('asyncsense.openCatalog', [], () => editor.document.getText().length > 0);
    const text = editor.document.getText();
    assert.match(text, /async|await|asyncio/, text);
    // Live tab stops: the snippet session is active, so "next placeholder" (Tab) moves the selection.
    const before = editor.selection;
    await vscode.commands.executeCommand('jumpToNextSnippetPlaceholder');
    await waitFor(() => !editor.selection.isEqual(before), 5_000, 'the next tab stop');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('every other contributed command runs without error', async () => {
    const rest = manifest().contributes.commands.map((c) => c.command).filter((c) => !handled.has(c));
    for (const command of rest) {
      await runAccepting(command, [], () => true, 20_000);
    }
    assert.ok(handled.size >= 5, 'the known commands were exercised above');
  });
});
