/**
 * The AsyncSense VS Code extension: starts the bundled language server over IPC and wires the
 * commands. The server never executes workspace code, so the extension runs in untrusted
 * workspaces too.
 */
import * as vscode from 'vscode';
import { LanguageClient, type LanguageClientOptions, type ServerOptions, TransportKind } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel | undefined;

const DOCUMENT_SELECTOR = ['python', 'typescript', 'typescriptreact', 'javascript', 'javascriptreact'].flatMap((language) => [
  { scheme: 'file', language },
  { scheme: 'untitled', language },
]);

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
      fileEvents: vscode.workspace.createFileSystemWatcher('**/{asyncsense.json,pyproject.toml,package.json,*.py,*.pyi}'),
    },
  };
  return new LanguageClient('asyncsense', 'AsyncSense', serverOptions, clientOptions);
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('AsyncSense', { log: true });
  context.subscriptions.push(output);
  client = createClient(context);
  context.subscriptions.push(
    vscode.commands.registerCommand('asyncsense.restartServer', async () => {
      output?.info('Restarting the AsyncSense server');
      if (client) await client.restart();
    }),
    vscode.commands.registerCommand('asyncsense.showOutput', () => output?.show(true)),
  );
  try {
    await client.start();
  } catch (e) {
    output.error(`The AsyncSense server could not start: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export async function deactivate(): Promise<void> {
  if (client) await client.stop();
  client = undefined;
}
