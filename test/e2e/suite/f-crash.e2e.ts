/** Crash recovery: when the language server process dies, the client restarts it and diagnostics come back. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { asyncsenseDiagnostics, openAndWait, waitFor, wsUri } from './util';

/** PIDs of AsyncSense server processes started by this extension host. */
function serverPids(): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (ppid === process.pid && cmdline.includes('server/out/server.js')) out.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

describe('crash recovery', () => {
  afterEach(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('restarts a killed server and reports findings again', async function () {
    if (process.platform !== 'linux') this.skip();
    const uri = wsUri('python-service/app/worker.py');
    const { editor } = await openAndWait(uri);
    const before = await waitFor(() => serverPids().length === 1 && serverPids(), 20_000, 'the server process');
    process.kill(before[0], 'SIGKILL');
    // The client notices, restarts the server (bounded by its error handler) and re-syncs open documents.
    const after = await waitFor(
      () => {
        const pids = serverPids();
        return pids.length === 1 && pids[0] !== before[0] && pids;
      },
      30_000,
      'a new server process',
    );
    assert.notEqual(after[0], before[0]);
    // An edit after the restart is analysed by the new server.
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), '# after the crash\n'));
    await waitFor(
      () => {
        const d = asyncsenseDiagnostics(uri);
        return d.length > 0 && d.every((x) => x.range.start.line > 0) && d;
      },
      30_000,
      'diagnostics from the restarted server',
    );
    await vscode.commands.executeCommand('undo');
  });
});
