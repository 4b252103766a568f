/**
 * The AsyncSense VS Code extension: starts the bundled language server over IPC and wires the
 * commands. The server never executes workspace code, so the extension runs in untrusted
 * workspaces too.
 */
import * as vscode from 'vscode';
import { LanguageClient, type LanguageClientOptions, type ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { registerCatalog } from './catalog';
import { type StatusReport, statusView } from './status';

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel | undefined;

const DOCUMENT_SELECTOR = [
  ...['python', 'typescript', 'typescriptreact', 'javascript', 'javascriptreact'].flatMap((language) => [
    { scheme: 'file', language },
    { scheme: 'untitled', language },
  ]),
  // Python cells of Jupyter notebooks (synchronised as notebooks, analysed together).
  { notebook: '*', language: 'python' },
];

function createClient(context: vscode.ExtensionContext): LanguageClient {
  const module = context.asAbsolutePath('server/out/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    outputChannel: output,
    traceOutputChannel: output,
    synchronize: {
      // Without it the client never sends workspace/didChangeConfiguration: settings would apply only after a reload.
      configurationSection: 'asyncsense',
      fileEvents: vscode.workspace.createFileSystemWatcher(
        '**/{asyncsense.json,pyproject.toml,package.json,tsconfig.json,jsconfig.json,*.py,*.pyi,*.ts,*.tsx,*.mts,*.cts,*.js,*.jsx,*.mjs,*.cjs}',
      ),
    },
  };
  return new LanguageClient('asyncsense', 'AsyncSense', serverOptions, clientOptions);
}

/** How long activation took, and when the server answered (for `npm run bench` and the E2E suite). */
const timings: { activationMs?: number; serverReadyMs?: number } = {};

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const started = performance.now();
  output = vscode.window.createOutputChannel('AsyncSense', { log: true });
  context.subscriptions.push(output);
  client = createClient(context);
  context.subscriptions.push(
    vscode.commands.registerCommand('asyncsense.restartServer', async () => {
      output?.info('Restarting the AsyncSense server');
      if (client) await client.restart();
    }),
    vscode.commands.registerCommand('asyncsense.showOutput', () => output?.show(true)),
    vscode.commands.registerCommand('asyncsense.revalidateAll', async () => {
      await client?.sendNotification('asyncsense/revalidate');
    }),
    vscode.commands.registerCommand('asyncsense.showDocumentation', (ruleId: string) => showRuleDoc(context, ruleId)),
    vscode.commands.registerCommand('asyncsense.explainRule', async () => {
      const docs = vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules');
      const entries = await vscode.workspace.fs.readDirectory(docs);
      const ids = entries.filter(([name]) => name.endsWith('.md')).map(([name]) => name.slice(0, -3)).sort();
      const picked = await vscode.window.showQuickPick(ids, { placeHolder: 'Explain which AsyncSense rule?' });
      if (picked) await showRuleDoc(context, picked);
    }),
  );
  registerCatalog(context);
  // A language status item: the last analysis time of the active file, a warning when slow.
  const status = vscode.languages.createLanguageStatusItem('asyncsense.status', DOCUMENT_SELECTOR);
  status.name = 'AsyncSense';
  status.command = { title: 'Show Output', command: 'asyncsense.showOutput' };
  context.subscriptions.push(status);
  const lastReport = new Map<string, StatusReport>();
  const render = () => {
    const uri = vscode.window.activeTextEditor?.document.uri.toString();
    const budget = vscode.workspace.getConfiguration('asyncsense').get<number>('status.timeBudget', 500);
    const view = statusView(uri ? lastReport.get(uri) : undefined, budget);
    status.text = view.text;
    status.detail = view.detail;
    status.severity = view.severity === 1 ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
  };
  context.subscriptions.push(vscode.window.onDidChangeActiveTextEditor(render));
  client.onNotification('asyncsense/status', (report: StatusReport) => {
    lastReport.set(report.uri, report);
    if (report.durationMs > 2000) output?.warn(`Slow analysis: ${report.uri} took ${report.durationMs} ms`);
    render();
  });
  render();
  // Not a contributed command: read by the E2E suite and the benchmark.
  context.subscriptions.push(vscode.commands.registerCommand('asyncsense.internal.timings', () => ({ ...timings })));
  // The server starts in the background: activation does not wait for it, so it never delays
  // VS Code (diagnostics arrive as soon as the server is up).
  const log = output;
  client.start().then(
    () => {
      timings.serverReadyMs = Math.round(performance.now() - started);
      log.info(`Server ready ${timings.serverReadyMs} ms after activation began`);
    },
    (e: unknown) => log.error(`The AsyncSense server could not start: ${e instanceof Error ? e.message : String(e)}`),
  );
  timings.activationMs = +(performance.now() - started).toFixed(1);
}

/** Opens a rule's page (shipped in the extension) in the Markdown preview. */
async function showRuleDoc(context: vscode.ExtensionContext, ruleId: string): Promise<void> {
  if (!/^[a-z0-9-]+$/.test(ruleId)) return;
  const uri = vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules', `${ruleId}.md`);
  await vscode.commands.executeCommand('markdown.showPreview', uri);
}

export async function deactivate(): Promise<void> {
  if (client) await client.stop();
  client = undefined;
}
