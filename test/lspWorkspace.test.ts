/**
 * The language server over stdio: lazy code action edits (`codeAction/resolve`), workspace
 * diagnostics with result ids, and Jupyter notebooks.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CancellationTokenSource, type CodeAction, WorkspaceDiagnosticRequest, type WorkspaceDiagnosticReport } from 'vscode-languageserver-protocol/node';
import { type Client, apply, editsOf, startServer, withDeadline } from './helpers/lspClient';
import { tempDir } from './helpers/temp';

const SLEEPY = 'import asyncio\nimport time\n\n\nasync def handler():\n    time.sleep(1)\n';

describe('language server: code action resolve', function () {
  this.timeout(60_000);
  let workspace: string;
  let client: Client;

  before(async () => {
    workspace = tempDir('asyncsense-resolve-');
    client = startServer();
    await client.initialize(workspace, true, { textDocument: { codeAction: { resolveSupport: { properties: ['edit'] }, dataSupport: true } } });
  });
  after(() => client.stop());

  const resolve = (action: CodeAction) => withDeadline(client.connection.sendRequest('codeAction/resolve', action) as Promise<CodeAction>, 20_000, 'resolve');

  it('sends actions without edits and resolves the chosen one', async () => {
    const uri = pathToFileURL(path.join(workspace, 'lazy.py')).href;
    await client.open(uri, 'python', SLEEPY);
    const diags = await client.diagnostics(uri);
    const actions = await client.codeActions(uri, diags);
    const quick = actions.find((a) => a.isPreferred)!;
    const disable = actions.find((a) => a.title.startsWith('Disable'))!;
    const fixAll = (await client.codeActions(uri, [], ['source.fixAll.asyncsense']))[0];
    for (const a of [quick, disable, fixAll]) {
      assert.ok(a, JSON.stringify(actions.map((x) => x.title)));
      assert.equal(a.edit, undefined, `${a.title} should be resolved lazily`);
    }
    const resolved = await resolve(quick);
    assert.equal(apply(SLEEPY, editsOf(resolved.edit, uri)), SLEEPY.replace('time.sleep(1)', 'await asyncio.sleep(1)'));
    const silenced = apply(SLEEPY, editsOf((await resolve(disable)).edit, uri));
    assert.match(silenced, /time\.sleep\(1\)  # asyncsense: ignore\[blocking-call-in-async\]/);
    assert.equal(apply(SLEEPY, editsOf((await resolve(fixAll)).edit, uri)), SLEEPY.replace('time.sleep(1)', 'await asyncio.sleep(1)'));
  });

  it('resolves an action offered for an older version to no edit', async () => {
    const uri = pathToFileURL(path.join(workspace, 'stale.py')).href;
    await client.open(uri, 'python', SLEEPY);
    const diags = await client.diagnostics(uri);
    const quick = (await client.codeActions(uri, diags)).find((a) => a.isPreferred)!;
    await client.change(uri, 2, `# moved down\n${SLEEPY}`);
    const resolved = await resolve(quick);
    assert.equal(resolved.edit, undefined);
  });
});

describe('language server: workspace diagnostics', function () {
  this.timeout(60_000);
  let workspace: string;
  let client: Client;

  const pull = (previousResultIds: { uri: string; value: string }[], token?: CancellationTokenSource) =>
    withDeadline(
      client.connection.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds }, token?.token) as Promise<WorkspaceDiagnosticReport>,
      30_000,
      'workspace/diagnostic',
    );
  const ids = (report: WorkspaceDiagnosticReport) => report.items.filter((i) => 'resultId' in i && i.resultId).map((i) => ({ uri: i.uri, value: i.resultId! }));
  const byName = (report: WorkspaceDiagnosticReport) => new Map(report.items.map((i) => [path.basename(i.uri), i]));

  before(async () => {
    workspace = tempDir('asyncsense-wsdiag-');
    fs.writeFileSync(path.join(workspace, 'sleepy.py'), SLEEPY);
    fs.writeFileSync(path.join(workspace, 'clean.py'), 'import asyncio\n\n\nasync def main():\n    await asyncio.sleep(1)\n');
    fs.writeFileSync(path.join(workspace, 'read.mjs'), "import fs from 'node:fs';\nexport async function f() { return fs.readFileSync('x'); }\n");
    fs.mkdirSync(path.join(workspace, 'build'));
    fs.writeFileSync(path.join(workspace, 'build', 'generated.py'), SLEEPY);
    fs.writeFileSync(path.join(workspace, '.gitignore'), 'build/\n');
    client = startServer();
    client.settings = { diagnosticMode: 'workspace' };
    await client.initialize(workspace);
  });
  after(() => client.stop());

  it('reports every file of the folder, honouring .gitignore, then only what changed', async () => {
    const first = await pull([]);
    const files = byName(first);
    assert.deepEqual([...files.keys()].sort(), ['clean.py', 'read.mjs', 'sleepy.py']);
    const sleepy = files.get('sleepy.py')!;
    assert.equal(sleepy.kind, 'full');
    assert.deepEqual(sleepy.kind === 'full' && sleepy.items.map((d) => d.code), ['blocking-call-in-async']);
    const read = files.get('read.mjs')!;
    assert.deepEqual(read.kind === 'full' && read.items.map((d) => d.code), ['blocking-call-in-async']);
    assert.deepEqual(files.get('clean.py')!.kind === 'full' && (files.get('clean.py') as { items: unknown[] }).items, []);

    // One file fixed on disk, one deleted: the rest is answered "unchanged".
    fs.writeFileSync(path.join(workspace, 'sleepy.py'), SLEEPY.replace('time.sleep(1)', 'await asyncio.sleep(1)'));
    fs.rmSync(path.join(workspace, 'read.mjs'));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [
        { uri: pathToFileURL(path.join(workspace, 'sleepy.py')).href, type: 2 },
        { uri: pathToFileURL(path.join(workspace, 'read.mjs')).href, type: 3 },
      ],
    });
    const second = byName(await pull(ids(first)));
    const fixed = second.get('sleepy.py')!;
    assert.equal(fixed.kind, 'full');
    assert.deepEqual(fixed.kind === 'full' && fixed.items, []);
    const gone = second.get('read.mjs')!;
    assert.deepEqual(gone.kind === 'full' && gone.items, [], 'a deleted file is cleared');
    assert.equal(second.get('clean.py')!.kind, 'full', 'a change on disk re-analyses dependents too');

  });

  it('holds an up-to-date request until a change (long poll), and ends it on cancellation', async () => {
    const baseline = await pull([]);
    let settled = false;
    const held = pull(ids(baseline)).finally(() => (settled = true));
    await client.diagnostics(pathToFileURL(path.join(workspace, 'clean.py')).href).catch(() => undefined);
    await client.open(pathToFileURL(path.join(workspace, 'probe.py')).href, 'python', 'x = 1\n');
    await client.diagnostics(pathToFileURL(path.join(workspace, 'probe.py')).href);
    assert.equal(settled, false, 'an up-to-date workspace report is not answered at once');
    fs.writeFileSync(path.join(workspace, 'new.py'), SLEEPY);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(path.join(workspace, 'new.py')).href, type: 1 }] });
    const woken = byName(await held);
    const created = woken.get('new.py')!;
    assert.deepEqual(created.kind === 'full' && created.items.map((d) => d.code), ['blocking-call-in-async']);

    const source = new CancellationTokenSource();
    const cancelled = pull(ids({ items: [...woken.values()] } as WorkspaceDiagnosticReport), source).then(
      () => 'answered',
      () => 'rejected',
    );
    await client.diagnostics(pathToFileURL(path.join(workspace, 'probe.py')).href);
    source.cancel();
    assert.ok(['answered', 'rejected'].includes(await withDeadline(cancelled, 10_000, 'the cancelled workspace pull')));
  });

  it('answers nothing in openFiles mode', async () => {
    client.settings = { diagnosticMode: 'openFiles' };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    const report = await pull([]);
    assert.ok(report.items.every((i) => i.kind === 'full' && i.items.length === 0), JSON.stringify(report.items));
    client.settings = { diagnosticMode: 'workspace' };
  });
});

describe('language server: Jupyter notebooks', function () {
  this.timeout(60_000);
  let workspace: string;
  let client: Client;

  before(async () => {
    workspace = tempDir('asyncsense-nb-');
    client = startServer();
    await client.initialize(workspace, true, { workspace: {} });
  });
  after(() => client.stop());

  it('analyses the Python cells together and reports findings on their cell', async () => {
    const notebook = pathToFileURL(path.join(workspace, 'analysis.ipynb')).href;
    const cell = (n: number) => `vscode-notebook-cell:${path.join(workspace, 'analysis.ipynb')}#cell${n}`;
    const texts = ['import time\n%load_ext autoreload\n!pip install aiohttp', '# notes', 'async def poll():\n    time.sleep(1)\n    return 1', 'x = ('];
    await client.connection.sendNotification('notebookDocument/didOpen', {
      notebookDocument: {
        uri: notebook,
        notebookType: 'jupyter-notebook',
        version: 1,
        cells: texts.map((_, i) => ({ kind: i === 1 ? 1 : 2, document: cell(i) })),
      },
      cellTextDocuments: texts.map((text, i) => ({ uri: cell(i), languageId: i === 1 ? 'markdown' : 'python', version: 1, text })),
    });
    const third = await client.diagnostics(cell(2));
    assert.deepEqual(
      third.map((d) => [d.code, d.range.start.line, d.range.start.character]),
      [['blocking-call-in-async', 1, 4]],
    );
    assert.deepEqual(await client.diagnostics(cell(0)), []);
    assert.deepEqual(await client.diagnostics(cell(3)), [], 'a cell with a syntax error is harmless');
    // The quick fix would need `import asyncio` in the first cell: it is not offered in this cell.
    const before = await client.codeActions(cell(2), third);
    assert.equal(before.find((a) => a.title.includes('asyncio.sleep')), undefined);

    // With asyncio imported in the first cell, the fix edits only its own cell.
    const edit = (n: number, version: number, text: string) =>
      client.connection.sendNotification('notebookDocument/didChange', {
        notebookDocument: { uri: notebook, version },
        change: { cells: { textContent: [{ document: { uri: cell(n), version }, changes: [{ text }] }] } },
      });
    await edit(0, 2, 'import asyncio\nimport time\n');
    const again = await client.diagnostics(cell(2));
    assert.equal(again.length, 1);
    const fix = (await client.codeActions(cell(2), again)).find((a) => a.title.includes('asyncio.sleep'));
    assert.ok(fix);
    assert.equal(apply(texts[2], editsOf(fix.edit, cell(2))), 'async def poll():\n    await asyncio.sleep(1)\n    return 1');
    await edit(2, 3, 'async def poll():\n    await asyncio.sleep(1)\n    return 1');
    assert.deepEqual(await client.diagnostics(cell(2)), []);
    await client.connection.sendNotification('notebookDocument/didClose', { notebookDocument: { uri: notebook }, cellTextDocuments: texts.map((_, i) => ({ uri: cell(i) })) });
  });
});

describe('language server: dependencies between open documents', function () {
  this.timeout(60_000);
  let workspace: string;
  let client: Client;

  before(async () => {
    workspace = tempDir('asyncsense-deps-');
    client = startServer();
    await client.initialize(workspace);
  });
  after(() => client.stop());

  it("re-analyses an importer when a module's async def changes in the editor", async () => {
    const store = 'async def save(row):\n    return row\n';
    const caller = 'from store import save\n\n\nasync def handler(row):\n    save(row)\n';
    fs.writeFileSync(path.join(workspace, 'store.py'), store);
    fs.writeFileSync(path.join(workspace, 'handler.py'), caller);
    const storeUri = pathToFileURL(path.join(workspace, 'store.py')).href;
    const callerUri = pathToFileURL(path.join(workspace, 'handler.py')).href;
    await client.open(storeUri, 'python', store);
    await client.open(callerUri, 'python', caller);
    assert.deepEqual((await client.diagnostics(callerUri)).map((d) => d.code), ['unawaited-coroutine']);
    // `save` becomes a plain function in the editor (unsaved): the importer's finding goes away.
    await client.change(storeUri, 2, 'def save(row):\n    return row\n');
    await client.diagnostics(storeUri);
    assert.deepEqual(await client.diagnostics(callerUri), []);
    await client.change(storeUri, 3, store);
    await client.diagnostics(storeUri);
    assert.deepEqual((await client.diagnostics(callerUri)).map((d) => d.code), ['unawaited-coroutine']);
  });
});
