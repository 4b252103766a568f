/**
 * Stress over the real language server on stdio: fast typing interleaved with requests and
 * cancellations must leave exactly the diagnostics of a fresh analysis, never answer for the
 * wrong version, and keep memory bounded.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CancellationTokenSource,
  type CodeAction,
  type Diagnostic,
  type FullDocumentDiagnosticReport,
  type ProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  createProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { ConfigResolver } from '../server/src/engine/config';
import { repoRoot, testEngine } from './helpers/engine';
import { tempDir } from './helpers/temp';

const SERVER = path.join(repoRoot, 'server/out/server.js');

function peakRssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function start(dir: string): Promise<{ conn: ProtocolConnection; pid: number; stop: () => Promise<void> }> {
  const proc = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const conn = createProtocolConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  for (const method of ['window/showMessage', 'window/logMessage', 'textDocument/publishDiagnostics']) conn.onNotification(method, () => undefined);
  for (const method of ['client/registerCapability', 'workspace/diagnostic/refresh']) conn.onRequest(method, () => null);
  conn.listen();
  await conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(dir).href,
    workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'stress' }],
    capabilities: { textDocument: { diagnostic: {} }, workspace: { workspaceEdit: { documentChanges: true }, didChangeWatchedFiles: { dynamicRegistration: true } } },
  });
  await conn.sendNotification('initialized', {});
  return {
    conn,
    pid: proc.pid!,
    stop: async () => {
      await conn.sendRequest('shutdown').catch(() => undefined);
      await conn.sendNotification('exit').catch(() => undefined);
      proc.kill();
      conn.dispose();
    },
  };
}

const BASE = ['import asyncio', 'import time', '', '', 'async def handler(queue):', '    item = await queue.get()', '    time.sleep(1)', '    return item', ''];

describe('language server under stress', function () {
  this.timeout(300_000);

  it('1,000 rapid edits with interleaved requests and cancellations end in exactly the fresh result', async () => {
    const dir = tempDir('asyncsense-stress-');
    const file = path.join(dir, 'handler.py');
    const uri = pathToFileURL(file).href;
    const server = await start(dir);
    try {
      let text = BASE.join('\n');
      await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text } });
      const pending: Promise<void>[] = [];
      const wrongVersion: string[] = [];
      for (let v = 2; v <= 1001; v++) {
        // Alternate between adding a blocking call, removing one, and editing a comment.
        const lines = text.split('\n');
        if (v % 3 === 0) lines.splice(6, 0, `    time.sleep(${v})`);
        else if (v % 3 === 1 && lines.filter((l) => l.includes('time.sleep')).length > 3) lines.splice(lines.findIndex((l) => l.includes('time.sleep')), 1);
        else lines.push(`# edit ${v}`);
        text = lines.join('\n');
        await server.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ text }] });
        if (v % 10 === 0) {
          const sent = v;
          pending.push(
            (server.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } }) as Promise<FullDocumentDiagnosticReport>).then((r) => {
              // Every answer is for a version at least as new as the one current when asked.
              if (r.resultId !== undefined && Number(r.resultId) < sent) wrongVersion.push(`diagnostic for ${r.resultId} asked at ${sent}`);
            }),
          );
        }
        if (v % 25 === 0) {
          const staleDiag: Diagnostic = {
            range: { start: { line: 6, character: 4 }, end: { line: 6, character: 17 } },
            message: 'stale',
            source: 'asyncsense',
            code: 'blocking-call-in-async',
            data: { rule: 'blocking-call-in-async', version: v - 5 },
          };
          pending.push(
            (server.conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: staleDiag.range, context: { diagnostics: [staleDiag], only: ['quickfix'] } }) as Promise<CodeAction[]>).then((actions) => {
              if (actions.length) wrongVersion.push(`code actions answered for stale version ${v - 5}`);
            }),
          );
        }
        if (v % 50 === 0) {
          const source = new CancellationTokenSource();
          const req = server.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } }, source.token).then(
            () => undefined,
            () => undefined,
          );
          source.cancel();
          pending.push(req);
        }
      }
      await Promise.all(pending);
      assert.deepEqual(wrongVersion, []);
      const final = (await server.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } })) as FullDocumentDiagnosticReport;
      assert.equal(final.resultId, '1001');
      const engine = await testEngine();
      const fresh = engine.analyze({ filePath: file, text }, new ConfigResolver(engine.ruleIds, dir).forFile(file).config);
      assert.deepEqual(
        final.items.map((d) => [d.code, d.range.start.line, d.range.start.character, d.message]),
        fresh.findings.map((f) => [f.rule, f.range.start.line, f.range.start.character, f.message]),
      );
      assert.ok(final.items.length > 1);
      const rss = peakRssMb(server.pid);
      assert.ok(rss < 400, `peak RSS ${rss.toFixed(0)} MB`);
    } finally {
      await server.stop();
    }
  });

  it('TypeScript edits anywhere in a typed file (re-parsed incrementally) end in exactly the fresh result', async () => {
    const dir = tempDir('asyncsense-stress-ts-');
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', types: [] } }));
    const file = path.join(dir, 'jobs.ts');
    const uri = pathToFileURL(file).href;
    const server = await start(dir);
    try {
      const lines = [
        'async function save(id: string): Promise<void> {',
        '  await Promise.resolve(id);',
        '}',
        'export async function run(ids: string[]) {',
        '  for (const id of ids) {',
        '    await save(id);',
        '  }',
        '}',
      ];
      let text = lines.join('\n');
      await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text } });
      let seed = 7;
      const next = (n: number) => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed % n;
      };
      const snippets = ['    save(id);', '    void save(id);', '    // note', '    const p = save(id);', '    if (save(id)) {}', '  ]', '    save(id'];
      for (let v = 2; v <= 151; v++) {
        const at = 5 + next(Math.max(1, lines.length - 7));
        // Insert, delete, or edit inside a line: every kind of change, syntax errors included.
        const op = next(3);
        if (op === 0) lines.splice(at, 0, snippets[next(snippets.length)]);
        else if (op === 1 && lines.length > 9) lines.splice(at, 1);
        else lines[at] = `${lines[at]} `;
        text = lines.join('\n');
        await server.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ text }] });
        // Analyse every version, so each parse starts from the previous tree.
        await server.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
      }
      const final = (await server.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } })) as FullDocumentDiagnosticReport;
      fs.writeFileSync(file, text);
      const engine = await testEngine();
      const fresh = engine.analyze({ filePath: file, text }, new ConfigResolver(engine.ruleIds, dir).forFile(file).config);
      assert.deepEqual(
        final.items.map((d) => [d.code, d.range.start.line, d.range.start.character, d.message]),
        fresh.findings.map((f) => [f.rule, f.range.start.line, f.range.start.character, f.message]),
      );
      assert.ok(final.items.length > 0, 'the edits leave floating promises behind');
    } finally {
      await server.stop();
    }
  });

  it('opens and closes 500 documents, and follows a configuration change mid-stream', async () => {
    const dir = tempDir('asyncsense-stress-open-');
    const server = await start(dir);
    try {
      const text = BASE.join('\n');
      for (let i = 0; i < 500; i++) {
        const uri = pathToFileURL(path.join(dir, `m${i}.py`)).href;
        await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text } });
        if (i % 50 === 0) {
          const r = (await server.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } })) as FullDocumentDiagnosticReport;
          assert.equal(r.items.length, 1);
        }
        await server.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
      }
      const uri = pathToFileURL(path.join(dir, 'live.py')).href;
      await server.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text } });
      const before = (await server.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } })) as FullDocumentDiagnosticReport;
      assert.equal(before.items[0].severity, 2);
      fs.writeFileSync(path.join(dir, 'asyncsense.json'), JSON.stringify({ severity: { 'blocking-call-in-async': 'error' } }));
      await server.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(path.join(dir, 'asyncsense.json')).href, type: 1 }] });
      const after = (await server.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } })) as FullDocumentDiagnosticReport;
      assert.equal(after.items[0].severity, 1, 'the new severity applies without a restart');
      // Closed documents leave nothing behind that is answered later.
      const closed = (await server.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri: pathToFileURL(path.join(dir, 'm3.py')).href } })) as FullDocumentDiagnosticReport;
      assert.deepEqual(closed.items, []);
      const rss = peakRssMb(server.pid);
      assert.ok(rss < 400, `peak RSS ${rss.toFixed(0)} MB`);
    } finally {
      await server.stop();
    }
  });
});
