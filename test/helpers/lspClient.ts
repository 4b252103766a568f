/** A real LSP client over stdio for tests: JSON-RPC to the built server process, no sleeps. */
import { strict as assert } from 'node:assert';
import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type CodeAction,
  type Diagnostic,
  type FullDocumentDiagnosticReport,
  type InitializeParams,
  type ProtocolConnection,
  type TextEdit,
  type WorkspaceEdit,
  StreamMessageReader,
  StreamMessageWriter,
  createProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { repoRoot } from './engine';

export const SERVER = path.join(repoRoot, 'server/out/server.js');
export const CLI = path.join(repoRoot, 'bin/asyncsense.js');

export function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
    }),
  ]);
}

export class Client {
  readonly connection: ProtocolConnection;
  private readonly waiters: { method: string; match: (p: unknown) => boolean; resolve: (p: unknown) => void }[] = [];
  readonly received: { method: string; params: unknown }[] = [];
  stderr = '';
  /** What the client answers to `workspace/configuration` (the `asyncsense` section). */
  settings: unknown = {};

  constructor(readonly proc: ChildProcess) {
    this.connection = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    proc.stderr!.on('data', (d) => (this.stderr += String(d)));
    for (const method of ['textDocument/publishDiagnostics', 'window/showMessage', 'window/logMessage', 'asyncsense/status']) {
      this.connection.onNotification(method, (params: unknown) => {
        this.received.push({ method, params });
        for (const w of [...this.waiters]) {
          if (w.method === method && w.match(params)) {
            this.waiters.splice(this.waiters.indexOf(w), 1);
            w.resolve(params);
          }
        }
      });
    }
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => this.settings));
    this.connection.onRequest('workspace/diagnostic/refresh', () => null);
    this.connection.listen();
  }

  /** Resolves with the first notification (already received or future) that matches. */
  notification<T>(method: string, match: (p: T) => boolean = () => true, ms = 20_000): Promise<T> {
    const seen = this.received.find((r) => r.method === method && match(r.params as T));
    if (seen) return Promise.resolve(seen.params as T);
    return withDeadline(
      new Promise<T>((resolve) => this.waiters.push({ method, match: match as (p: unknown) => boolean, resolve: resolve as (p: unknown) => void })),
      ms,
      method,
    );
  }

  async initialize(rootDir: string, pull = true, extra: { textDocument?: object; workspace?: object } = {}): Promise<void> {
    const params: InitializeParams = {
      processId: process.pid,
      rootUri: pathToFileURL(rootDir).href,
      workspaceFolders: [{ uri: pathToFileURL(rootDir).href, name: 'ws' }],
      capabilities: {
        textDocument: { ...(pull ? { diagnostic: { dynamicRegistration: false }, publishDiagnostics: {} } : { publishDiagnostics: {} }), ...extra.textDocument },
        workspace: { workspaceEdit: { documentChanges: true }, configuration: true, ...extra.workspace },
      },
    };
    const result = (await withDeadline(this.connection.sendRequest('initialize', params), 20_000, 'initialize')) as {
      capabilities: Record<string, unknown>;
    };
    if (pull) assert.deepEqual((result.capabilities.diagnosticProvider as { identifier: string }).identifier, 'asyncsense');
    else assert.equal(result.capabilities.diagnosticProvider, undefined);
    await this.connection.sendNotification('initialized', {});
  }

  open(uri: string, languageId: string, text: string, version = 1): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  change(uri: string, version: number, text: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  async diagnostics(uri: string): Promise<Diagnostic[]> {
    const report = (await withDeadline(
      this.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } }),
      20_000,
      'textDocument/diagnostic',
    )) as FullDocumentDiagnosticReport;
    assert.equal(report.kind, 'full');
    return report.items;
  }

  codeActions(uri: string, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return withDeadline(
      this.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics, only } }) as Promise<CodeAction[]>,
      20_000,
      'textDocument/codeAction',
    );
  }

  async stop(): Promise<void> {
    try {
      await withDeadline(this.connection.sendRequest('shutdown'), 5_000, 'shutdown');
      await this.connection.sendNotification('exit');
    } catch {
      // the process is killed below anyway
    }
    await withDeadline(new Promise<void>((resolve) => (this.proc.exitCode !== null ? resolve() : this.proc.once('exit', () => resolve()))), 5_000, 'exit').catch(() => undefined);
    this.proc.kill();
    this.connection.dispose();
  }
}

export function startServer(args: string[] = [SERVER, '--stdio']): Client {
  const proc = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  return new Client(proc);
}

export function editsOf(edit: WorkspaceEdit | undefined, uri: string): TextEdit[] {
  if (!edit) return [];
  if (edit.documentChanges) {
    return edit.documentChanges.flatMap((c) => ('textDocument' in c && c.textDocument.uri === uri ? (c.edits as TextEdit[]) : []));
  }
  return edit.changes?.[uri] ?? [];
}

export function apply(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('x', 'x', 0, text), edits);
}

