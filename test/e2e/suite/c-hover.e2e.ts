/** Hover text through VS Code's hover providers. */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { openAndWait, wsUri } from './util';

function hoverText(hovers: vscode.Hover[]): string {
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

describe('hover', () => {
  after(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  for (const [rel, rule] of [
    ['python-service/app/handlers.py', 'dangling-task'],
    ['node-service/src/uploads.ts', 'blocking-call-in-async'],
  ]) {
    it(`explains ${rule} in ${rel}`, async () => {
      const uri = wsUri(rel);
      const { diagnostics } = await openAndWait(uri);
      const d = diagnostics.find((x) => String(x.code) === rule || (typeof x.code === 'object' && String(x.code.value) === rule))!;
      assert.ok(d, rule);
      const at = d.range.start.translate(0, 1);
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, at);
      const text = hoverText(hovers);
      assert.match(text, new RegExp(`AsyncSense · \`${rule}\``));
      assert.match(text, /Flagged:/);
      assert.match(text, /Fixed:/);
      assert.match(text, /Rule documentation/);
      // Away from any finding the extension adds nothing.
      const none = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(0, 0));
      assert.doesNotMatch(hoverText(none), /AsyncSense ·/);
    });
  }
});
