/**
 * The language server as a separate process, spoken to over stdio with the real JSON-RPC
 * protocol. No sleeps: every test waits for the message it needs, with a deadline.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Hover, MarkupContent, PublishDiagnosticsParams, ShowMessageParams } from 'vscode-languageserver-protocol/node';
import { CLI, apply, editsOf, startServer, type Client } from './helpers/lspClient';
import { tempDir } from './helpers/temp';

const SLEEPY = 'import time\n\n\nasync def handler():\n    time.sleep(1)\n';

describe('language server over stdio', function () {
  this.timeout(60_000);
  let workspace: string;
  let client: Client;

  before(async () => {
    workspace = tempDir('asyncsense-lsp-');
    client = startServer();
    await client.initialize(workspace);
  });

  after(async () => {
    await client.stop();
  });

  it('pulls diagnostics, offers fixes, and the quick fix removes the finding', async () => {
    const uri = pathToFileURL(path.join(workspace, 'handler.py')).href;
    await client.open(uri, 'python', SLEEPY);
    const diags = await client.diagnostics(uri);
    assert.equal(diags.length, 1);
    const d = diags[0];
    assert.equal(d.code, 'blocking-call-in-async');
    assert.equal(d.source, 'asyncsense');
    assert.equal(d.severity, 2);
    assert.deepEqual(d.range, { start: { line: 4, character: 4 }, end: { line: 4, character: 17 } });
    assert.match(d.codeDescription!.href, /docs\/rules\/blocking-call-in-async\.md$/);

    const actions = await client.codeActions(uri, diags);
    const quick = actions.find((a) => a.kind === 'quickfix' && a.isPreferred);
    assert.ok(quick, JSON.stringify(actions.map((a) => a.title)));
    assert.match(quick.title, /await asyncio\.sleep/);
    assert.ok(actions.some((a) => a.title === 'Disable blocking-call-in-async for this line'));
    assert.ok(actions.some((a) => a.kind === 'source.fixAll.asyncsense'));

    const fixed = apply(SLEEPY, editsOf(quick.edit, uri));
    assert.equal(fixed, 'import asyncio\nimport time\n\n\nasync def handler():\n    await asyncio.sleep(1)\n');
    await client.change(uri, 2, fixed);
    assert.deepEqual(await client.diagnostics(uri), []);
  });

  it('reports each analysis time for the status item', async () => {
    const uri = pathToFileURL(path.join(workspace, 'timed.py')).href;
    await client.open(uri, 'python', SLEEPY);
    await client.diagnostics(uri);
    const status = await client.notification<{ uri: string; durationMs: number; findings: number }>('asyncsense/status', (p) => p.uri === uri);
    assert.equal(status.findings, 1);
    assert.ok(status.durationMs >= 0 && status.durationMs < 10_000);
  });

  it('"disable for this line" silences the finding', async () => {
    const uri = pathToFileURL(path.join(workspace, 'disable.py')).href;
    await client.open(uri, 'python', SLEEPY);
    const diags = await client.diagnostics(uri);
    const actions = await client.codeActions(uri, diags);
    const disable = actions.find((a) => a.title.startsWith('Disable'))!;
    const text = apply(SLEEPY, editsOf(disable.edit, uri));
    assert.match(text, /time\.sleep\(1\) {2}# asyncsense: ignore\[blocking-call-in-async\]/);
    await client.change(uri, 2, text);
    assert.deepEqual(await client.diagnostics(uri), []);
  });

  it('source.fixAll applies only safe fixes', async () => {
    const uri = pathToFileURL(path.join(workspace, 'all.ts')).href;
    const text = [
      "import * as fs from 'node:fs';",
      "import { execSync } from 'node:child_process';",
      'export async function f(p: string) {',
      "  const a = fs.readFileSync(p, 'utf8');",
      "  const b = execSync('ls');",
      '  return a + b;',
      '}',
      '',
    ].join('\n');
    await client.open(uri, 'typescript', text);
    const diags = await client.diagnostics(uri);
    assert.equal(diags.length, 2);
    const [fixAll] = await client.codeActions(uri, [], ['source.fixAll.asyncsense']);
    assert.equal(fixAll.kind, 'source.fixAll.asyncsense');
    const fixed = apply(text, editsOf(fixAll.edit, uri));
    assert.match(fixed, /await fs\.promises\.readFile\(p, 'utf8'\)/);
    assert.match(fixed, /execSync\('ls'\)/);
    await client.change(uri, 2, fixed);
    const after = await client.diagnostics(uri);
    assert.deepEqual(after.map((d) => d.code), ['blocking-call-in-async']);
    assert.match(String(after[0].message), /execSync/);
  });

  it('explains a finding on hover with a bad and a good example', async () => {
    const uri = pathToFileURL(path.join(workspace, 'hover.py')).href;
    await client.open(uri, 'python', SLEEPY);
    await client.diagnostics(uri);
    const hover = (await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: { line: 4, character: 8 },
    })) as Hover;
    const value = (hover.contents as MarkupContent).value;
    assert.match(value, /blocking-call-in-async/);
    assert.match(value, /```python[\s\S]*time\.sleep[\s\S]*```[\s\S]*asyncio\.sleep/);
    const none = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } });
    assert.equal(none, null);
  });

  it('offers "Show the safe pattern" for rules the pattern catalog links, opening the catalog at that rule', async () => {
    const py = pathToFileURL(path.join(workspace, 'pattern.py')).href;
    const source = 'import asyncio\n\n\nasync def notify():\n    await asyncio.sleep(0)\n\n\nasync def handle():\n    asyncio.create_task(notify())\n';
    await client.open(py, 'python', source);
    const diags = await client.diagnostics(py);
    assert.deepEqual(diags.map((d) => d.code), ['dangling-task']);
    const actions = await client.codeActions(py, diags, ['quickfix']);
    const pattern = actions.find((a) => a.title === 'Show the safe pattern for dangling-task');
    assert.ok(pattern, JSON.stringify(actions.map((a) => a.title)));
    assert.equal(pattern.kind, 'quickfix');
    assert.equal(pattern.isPreferred, false);
    assert.equal(pattern.edit, undefined);
    assert.deepEqual(pattern.command, { title: 'Show the safe pattern for dangling-task', command: 'asyncsense.openCatalog', arguments: [{ ruleId: 'dangling-task' }] });
    assert.deepEqual(pattern.diagnostics?.map((d) => d.code), ['dangling-task']);

    const ts = pathToFileURL(path.join(workspace, 'pattern.ts')).href;
    await client.open(ts, 'typescript', "import { readFileSync } from 'node:fs';\n\nexport async function load(): Promise<string> {\n  return readFileSync('a.txt', 'utf8');\n}\n");
    const tsDiags = await client.diagnostics(ts);
    assert.deepEqual(tsDiags.map((d) => d.code), ['blocking-call-in-async']);
    const tsActions = await client.codeActions(ts, tsDiags, ['quickfix']);
    assert.deepEqual(
      tsActions.find((a) => a.command?.command === 'asyncsense.openCatalog')?.command?.arguments,
      [{ ruleId: 'blocking-call-in-async' }],
    );

    // A rule no pattern is about gets no such action.
    const stale = pathToFileURL(path.join(workspace, 'stale-suppression.py')).href;
    await client.open(stale, 'python', 'x = 1  # asyncsense: ignore[blocking-call-in-async]\n');
    const staleDiags = await client.diagnostics(stale);
    assert.deepEqual(staleDiags.map((d) => d.code), ['unused-suppression']);
    const staleActions = await client.codeActions(stale, staleDiags, ['quickfix']);
    assert.ok(staleActions.length > 0);
    assert.ok(!staleActions.some((a) => a.command?.command === 'asyncsense.openCatalog'));
  });

  it('answers a code action for an older document version with nothing', async () => {
    const uri = pathToFileURL(path.join(workspace, 'stale.py')).href;
    await client.open(uri, 'python', SLEEPY);
    const diags = await client.diagnostics(uri);
    await client.change(uri, 2, `# a new first line\n${SLEEPY}`);
    const actions = await client.codeActions(uri, diags, ['quickfix']);
    assert.deepEqual(actions, []);
  });

  it('survives syntax errors, binary text and untitled documents', async () => {
    const broken = pathToFileURL(path.join(workspace, 'broken.py')).href;
    await client.open(broken, 'python', 'import time\nasync def f(:\n    x = (\nasync def g():\n    time.sleep(1)\n');
    const d1 = await client.diagnostics(broken);
    assert.ok(Array.isArray(d1));
    const binary = pathToFileURL(path.join(workspace, 'blob.ts')).href;
    await client.open(binary, 'typescript', 'a\u0000b\u0000\u0001');
    assert.deepEqual(await client.diagnostics(binary), []);
    const untitled = 'untitled:Untitled-1';
    await client.open(untitled, 'python', SLEEPY);
    const d3 = await client.diagnostics(untitled);
    assert.deepEqual(d3.map((d) => d.code), ['blocking-call-in-async']);
    // Still answering.
    assert.equal((await client.diagnostics(pathToFileURL(path.join(workspace, 'handler.py')).href)).length, 0);
  });
});

describe('language server: push diagnostics and configuration', function () {
  this.timeout(60_000);

  it('pushes diagnostics to a client without pull support, and clears them on close', async () => {
    const workspace = tempDir('asyncsense-lsp-push-');
    const client = startServer();
    try {
      await client.initialize(workspace, false);
      const uri = pathToFileURL(path.join(workspace, 'a.py')).href;
      await client.open(uri, 'python', SLEEPY);
      const pushed = await client.notification<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (p) => p.uri === uri && p.diagnostics.length > 0);
      assert.equal(pushed.diagnostics[0].code, 'blocking-call-in-async');
      await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
      await client.notification<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (p) => p.uri === uri && p.diagnostics.length === 0);
    } finally {
      await client.stop();
    }
  });

  it('reports a bad configuration once, naming the file and key, and goes on with defaults', async () => {
    const workspace = tempDir('asyncsense-lsp-config-');
    fs.writeFileSync(path.join(workspace, 'asyncsense.json'), JSON.stringify({ ignore: ['no-such-rule'], severity: { 'blocking-call-in-async': 'error' } }));
    const client = startServer();
    try {
      await client.initialize(workspace);
      const uri = pathToFileURL(path.join(workspace, 'a.py')).href;
      await client.open(uri, 'python', SLEEPY);
      const diags = await client.diagnostics(uri);
      assert.equal(diags.length, 1);
      assert.equal(diags[0].severity, 1, 'the valid severity setting still applies');
      const msg = await client.notification<ShowMessageParams>('window/showMessage');
      assert.match(msg.message, /asyncsense\.json \(key 'ignore'\).*no-such-rule/);
      await client.change(uri, 2, `${SLEEPY}\n`);
      await client.diagnostics(uri);
      assert.equal(client.received.filter((r) => r.method === 'window/showMessage').length, 1, 'shown once, not per keystroke');
    } finally {
      await client.stop();
    }
  });

  it('starts as `asyncsense server --stdio` for other editors', async () => {
    const workspace = tempDir('asyncsense-lsp-cli-');
    const client = startServer([CLI, 'server', '--stdio']);
    try {
      await client.initialize(workspace);
      const uri = pathToFileURL(path.join(workspace, 'a.ts')).href;
      await client.open(uri, 'typescript', "import fs from 'fs';\nexport const f = async () => fs.readFileSync('x');\n");
      const diags = await client.diagnostics(uri);
      assert.deepEqual(diags.map((d) => d.code), ['blocking-call-in-async']);
    } finally {
      await client.stop();
    }
  });
});
