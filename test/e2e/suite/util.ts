/** Helpers for the tests inside the extension host. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'asyncsense.asyncsense';

export function workspaceDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder open');
  return folder.uri.fsPath;
}

export function wsUri(rel: string): vscode.Uri {
  return vscode.Uri.file(path.join(workspaceDir(), rel));
}

export function extensionPath(): string {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed`);
  return ext.extensionPath;
}

/** Polls until `probe` gives a truthy value; fails after `ms` with the last value seen. */
export async function waitFor<T>(probe: () => T | undefined | null | false | Promise<T | undefined | null | false>, ms: number, what: string, describe?: () => string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}${describe ? `: ${describe()}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function asyncsenseDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'asyncsense');
}

export function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

export function summary(diags: vscode.Diagnostic[]): string[] {
  return diags.map((d) => `${codeOf(d)}@${d.range.start.line}`).sort();
}

/** Opens a file in an editor and waits for its AsyncSense diagnostics to match `ready`. */
export async function openAndWait(
  uri: vscode.Uri,
  ready: (d: vscode.Diagnostic[]) => boolean = (d) => d.length > 0,
  ms = 45_000,
): Promise<{ editor: vscode.TextEditor; diagnostics: vscode.Diagnostic[] }> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  const diagnostics = await waitFor(
    () => {
      const d = asyncsenseDiagnostics(uri);
      return ready(d) && d;
    },
    ms,
    `AsyncSense diagnostics of ${path.basename(uri.fsPath)}`,
    () => JSON.stringify(summary(asyncsenseDiagnostics(uri))),
  );
  return { editor, diagnostics };
}

/** The CLI's findings for `dir` (its own analysis, the reference the editor must agree with): abs path -> ["rule@line0"]. */
export function cliFindings(dir: string, extraArgs: string[] = []): Map<string, string[]> {
  const cli = path.join(extensionPath(), 'bin/asyncsense.js');
  const r = spawnSync(process.execPath, [cli, 'check', '--format', 'json', ...extraArgs, '.'], { cwd: dir, encoding: 'utf8' });
  const report = JSON.parse(r.stdout) as { findings?: { path: string; rule: string; range: { start: { line: number } } }[] };
  const out = new Map<string, string[]>();
  for (const f of report.findings ?? []) {
    const file = path.resolve(dir, f.path);
    out.set(file, [...(out.get(file) ?? []), `${f.rule}@${f.range.start.line - 1}`].sort());
  }
  return out;
}

/** A copy of `rel` (a file of the workspace) fixed by the CLI with `--fix`: the safe fixes only. */
export function cliFixed(rel: string): string {
  const src = path.join(workspaceDir(), rel);
  const project = path.join(workspaceDir(), rel.split('/')[0]);
  const copy = fs.mkdtempSync(path.join(path.dirname(project), '.cli-fix-'));
  try {
    fs.cpSync(project, copy, { recursive: true });
    const target = path.join(copy, path.relative(project, src));
    spawnSync(process.execPath, [path.join(extensionPath(), 'bin/asyncsense.js'), 'check', '--fix', '-q', target], { cwd: copy, encoding: 'utf8' });
    return fs.readFileSync(target, 'utf8');
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}

export async function closeAll(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
