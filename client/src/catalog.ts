/**
 * "AsyncSense: Open Pattern Catalog": a QuickPick of the safe async patterns (grouped by
 * category, filtered to the active editor's language), a read-only preview of the chosen one,
 * and actions to insert it as a live snippet, copy it or open the docs of the rules it avoids.
 * The catalog logic itself lives in catalogModel.ts, which does not depend on VS Code.
 */
import * as vscode from 'vscode';
import {
  LANGUAGE_LABELS,
  type PatternEntry,
  type PatternLanguage,
  catalogLanguageOf,
  entryIdOfPreviewPath,
  expandSnippet,
  filterEntries,
  parseCatalog,
  pickRows,
  previewPath,
  previewText,
} from './catalogModel';

export const PATTERN_SCHEME = 'asyncsense-pattern';

/** Arguments of `asyncsense.openCatalog` (the server's "Show the safe pattern" action passes `ruleId`). */
export interface OpenCatalogArgs {
  ruleId?: string;
  language?: PatternLanguage;
}

type EntryItem = vscode.QuickPickItem & { entry?: PatternEntry };

const ALL = 'all' as const;
type LanguageChoice = PatternLanguage | typeof ALL;
const NEXT_LANGUAGE: Record<LanguageChoice, LanguageChoice> = { python: 'typescript', typescript: ALL, all: 'python' };

export function registerCatalog(context: vscode.ExtensionContext): void {
  let entries: PatternEntry[] | undefined;
  const load = async (): Promise<PatternEntry[]> => {
    if (!entries) {
      const uri = vscode.Uri.joinPath(context.extensionUri, 'snippets', 'catalog.json');
      try {
        entries = parseCatalog(JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)))).entries;
      } catch (e) {
        void vscode.window.showErrorMessage(`AsyncSense: the pattern catalog could not be read (${e instanceof Error ? e.message : String(e)}).`);
        entries = [];
      }
    }
    return entries;
  };

  // The editor a pattern is inserted into: the last text editor that was not a pattern preview.
  let target: vscode.TextEditor | undefined = vscode.window.activeTextEditor;
  const track = (editor: vscode.TextEditor | undefined) => {
    if (editor && editor.document.uri.scheme !== PATTERN_SCHEME && editor.document.uri.scheme !== 'output') target = editor;
  };
  track(vscode.window.activeTextEditor);

  const provider: vscode.TextDocumentContentProvider = {
    async provideTextDocumentContent(uri) {
      const entry = (await load()).find((e) => e.id === entryIdOfPreviewPath(uri.path));
      return entry ? previewText(entry) : `Unknown pattern ${uri.path}\n`;
    },
  };

  context.subscriptions.push(
    vscode.window.onDidChangeActiveTextEditor(track),
    vscode.workspace.registerTextDocumentContentProvider(PATTERN_SCHEME, provider),
    vscode.commands.registerCommand('asyncsense.openCatalog', async (args?: OpenCatalogArgs) => {
      const all = await load();
      const ruleId = typeof args?.ruleId === 'string' ? args.ruleId : undefined;
      const editorLanguage = target?.document.languageId;
      let language: LanguageChoice = args?.language ?? catalogLanguageOf(editorLanguage) ?? ALL;
      // A rule's patterns in the editor's language, else in any language.
      if (ruleId && language !== ALL && filterEntries(all, { language, ruleId }).length === 0) language = ALL;
      const matching = filterEntries(all, { language: language === ALL ? undefined : language, ruleId });
      if (ruleId && matching.length === 1) return showPattern(matching[0]);
      await pick(all, language, ruleId);
    }),
  );

  const javascriptEditor = () => /^javascript/.test(target?.document.languageId ?? '');

  async function pick(all: PatternEntry[], initial: LanguageChoice, ruleId: string | undefined): Promise<void> {
    const quickPick = vscode.window.createQuickPick<EntryItem>();
    quickPick.matchOnDescription = true;
    quickPick.matchOnDetail = true;
    quickPick.placeholder = 'Search patterns by title, tag, prefix or pitfall';
    const insertButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('insert'), tooltip: 'Insert at cursor' };
    let language = initial;
    const render = () => {
      const shown = filterEntries(all, { language: language === ALL ? undefined : language, ruleId });
      const rows = pickRows(shown, language === ALL);
      quickPick.items = rows.map((row) =>
        row.kind === 'separator'
          ? { label: row.label, kind: vscode.QuickPickItemKind.Separator }
          : { label: row.label, description: row.description, detail: row.detail, entry: row.entry, buttons: [insertButton] },
      );
      const scope = language === ALL ? 'all languages' : LANGUAGE_LABELS[language];
      quickPick.title = `AsyncSense Patterns: ${scope}${ruleId ? ` · avoiding ${ruleId}` : ''}`;
      const next = NEXT_LANGUAGE[language];
      quickPick.buttons = [
        {
          iconPath: new vscode.ThemeIcon('globe'),
          tooltip: `Show ${next === ALL ? 'all languages' : `${LANGUAGE_LABELS[next]} patterns`}`,
        },
      ];
    };
    render();
    const done = new Promise<void>((resolve) => {
      quickPick.onDidTriggerButton(() => {
        language = NEXT_LANGUAGE[language];
        render();
      });
      quickPick.onDidTriggerItemButton((e) => {
        const entry = e.item.entry;
        quickPick.hide();
        if (entry) void insert(entry);
      });
      quickPick.onDidAccept(() => {
        const entry = quickPick.selectedItems[0]?.entry;
        quickPick.hide();
        if (entry) void showPattern(entry);
      });
      quickPick.onDidHide(() => {
        quickPick.dispose();
        resolve();
      });
    });
    quickPick.show();
    await done;
  }

  /** Opens the read-only preview beside the editor, then offers what to do with the pattern. */
  async function showPattern(entry: PatternEntry): Promise<void> {
    const uri = vscode.Uri.from({ scheme: PATTERN_SCHEME, path: previewPath(entry) });
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: true, preserveFocus: true, viewColumn: vscode.ViewColumn.Beside });
    type Action = vscode.QuickPickItem & { run: () => Thenable<unknown> };
    const where = target ? ` into ${vscode.workspace.asRelativePath(target.document.uri)}` : '';
    const mismatch = target && catalogLanguageOf(target.document.languageId) !== entry.language;
    const actions: Action[] = [
      ...(target
        ? [
            {
              label: '$(insert) Insert at cursor',
              description: `${where}${mismatch ? ' (a different language)' : javascriptEditor() && !entry.javascript ? ' (TypeScript syntax)' : ''}`,
              run: () => insert(entry),
            },
          ]
        : []),
      { label: '$(copy) Copy', description: 'the code with its imports', run: () => copy(entry) },
      ...entry.rules.map((rule) => ({
        label: `$(book) Open rule docs: ${rule}`,
        run: () => vscode.commands.executeCommand('asyncsense.showDocumentation', rule),
      })),
    ];
    const chosen = await vscode.window.showQuickPick(actions, { title: entry.title, placeHolder: `${entry.requires} · prefix ${entry.prefix}` });
    if (chosen) await chosen.run();
  }

  async function insert(entry: PatternEntry): Promise<void> {
    if (!target || target.document.isClosed) {
      void vscode.window.showWarningMessage('AsyncSense: open a file to insert the pattern into.');
      return;
    }
    // Tab stops are live only in the active editor: focus the target first.
    const editor = await vscode.window.showTextDocument(target.document, { viewColumn: target.viewColumn, selection: target.selection });
    await editor.insertSnippet(new vscode.SnippetString(entry.body.join('\n')), editor.selections);
  }

  async function copy(entry: PatternEntry): Promise<void> {
    const code = [...entry.imports, ...(entry.imports.length ? [''] : []), expandSnippet(entry.body)].join('\n');
    await vscode.env.clipboard.writeText(`${code}\n`);
    void vscode.window.setStatusBarMessage(`AsyncSense: copied "${entry.title}"`, 3000);
  }
}
