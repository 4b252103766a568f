/**
 * The AsyncSense language server: LSP wiring only. Analysis, fixes and suppressions come from
 * the engine, exactly as in the CLI.
 *
 * - Pull diagnostics (`textDocument/diagnostic`), with `publishDiagnostics` for clients that
 *   cannot pull.
 * - Code actions: the finding's fix (preferred when safe), its suggestions, "disable for this
 *   line", and `source.fixAll.asyncsense` (safe fixes only).
 * - Hover on a finding: why it hurts, with a bad and a good example.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as v8 from 'node:v8';
import {
  type CodeAction,
  CodeActionKind,
  type Connection,
  type Diagnostic,
  DiagnosticSeverity,
  DiagnosticTag,
  DidChangeWatchedFilesNotification,
  type DocumentDiagnosticReport,
  DocumentDiagnosticReportKind,
  type Hover,
  type InitializeParams,
  type InitializeResult,
  MarkupKind,
  MessageType,
  NotebookCellKind,
  NotebookDocuments,
  ProposedFeatures,
  TextDocumentSyncKind,
  TextDocuments,
  type TextEdit as LspTextEdit,
  type WorkspaceEdit,
  type WorkspaceDocumentDiagnosticReport,
  createConnection,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { TOOL_VERSION, createEngine, ruleDocUrl } from './analyzer';
import { ConfigResolver, defaultConfig } from './engine/config';
import { DEFAULT_EDITOR_SETTINGS, type EditorSettings, applyEditorSettings, fixableOnSave, normalizeSettings } from './editorSettings';
import type { AnalysisResult, Engine } from './engine/engine';
import { nonOverlappingFixes } from './engine/fixes';
import { disableForLineEdit } from './engine/suppressions';
import { readSource } from './engine/source';
import { rangeContains } from './engine/text';
import { hasSafePattern } from './patterns';
import { walkFiles } from './engine/walker';
import type { Finding, Fix, Language, Range, Severity } from './engine/types';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.asyncsense`;

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

const LANGUAGE_IDS: Record<string, Language> = {
  python: 'python',
  typescript: 'typescript',
  typescriptreact: 'typescript',
  javascript: 'typescript',
  javascriptreact: 'typescript',
};

/** What a diagnostic carries for code actions, so they never re-run the analysis. */
interface DiagnosticData {
  rule: string;
  version: number;
  fix?: Fix;
  suggestions?: Fix[];
}

/** What a code action carries to `codeAction/resolve`. */
type ActionData =
  | { type: 'fix'; uri: string; version: number; edits: LspTextEdit[] }
  | { type: 'disable'; uri: string; version: number; rule: string; line: number }
  | { type: 'fixAll'; uri: string; version: number };

interface Analysed {
  version: number;
  settings: EditorSettings;
  result: AnalysisResult;
  /** The open documents' content generation it was computed against (absent: any). */
  generation?: number;
}

/**
 * A language server lives as long as the editor, and its heap is mostly the TypeScript program
 * (which stays) plus per-analysis garbage (ESTree conversions, findings). V8 lets a large heap
 * grow up to several times its live size before a full collection; a server that has opened a
 * 100k-line TS project then holds about as much garbage as live data. Growing by at most 30%
 * between full collections keeps the resident size near the live size, for a few per cent more
 * time in bulk analysis (see the README's performance section). Read when V8 next sizes the
 * heap, so it applies to a running process.
 */
function collectGarbageSooner(): void {
  try {
    v8.setFlagsFromString('--heap-growing-percent=30');
  } catch {
    // An engine without the flag: keep its defaults.
  }
}

export function startServer(given?: Connection): void {
  if (!given) collectGarbageSooner();
  const connection = given ?? createConnection(ProposedFeatures.all);
  const documents = new TextDocuments(TextDocument);
  // Jupyter notebooks: Python cells arrive as text documents of `documents`, grouped here.
  const notebooks = new NotebookDocuments(documents);
  const notebookResults = new Map<string, { key: string; byCell: Map<string, AnalysisResult> }>();
  let engine: Engine | undefined;
  let enginePromise: Promise<Engine> | undefined;
  let resolver: ConfigResolver | undefined;
  let workspaceRoot = process.cwd();
  let workspaceFolders: string[] = [];
  /** Bumped whenever something any file's findings may depend on changes (files on disk, configuration, settings). */
  let generation = 0;
  let reportedGeneration = -1;
  /** Files listed by the last workspace report (to clear the ones that disappeared). */
  let workspaceUris = new Set<string>();
  const generationWaiters = new Set<() => void>();
  const bumpGeneration = () => {
    generation++;
    for (const wake of [...generationWaiters]) wake();
  };
  let pullSupported = false;
  let versionedEdits = false;
  let watchRegistration = false;
  let refreshSupported = false;
  let workspaceFoldersChangeSupported = false;
  /** The client resolves code action edits lazily (`codeAction/resolve`). */
  let resolveEdits = false;
  const cache = new Map<string, Analysed>();
  let contentGeneration = 0;
  let configurationSupported = false;
  const settingsCache = new Map<string, Promise<EditorSettings>>();
  const reportedSettingProblems = new Set<string>();
  /** Documents to analyse again in `onSave` mode (opened or saved since their last analysis). */
  const dueOnSave = new Set<string>();
  const reportedConfigProblems = new Set<string>();
  const pushTimers = new Map<string, NodeJS.Timeout>();

  const log = (message: string) => connection.console.log(message);

  const getEngine = (): Promise<Engine> => {
    enginePromise ??= createEngine({ log }).then((e) => {
      engine = e;
      resolver = new ConfigResolver(e.ruleIds, workspaceRoot);
      return e;
    });
    return enginePromise;
  };

  /** The editor settings of a document (per resource, so multi-root folders can differ). */
  function getSettings(uri: string): Promise<EditorSettings> {
    if (!configurationSupported) return Promise.resolve(DEFAULT_EDITOR_SETTINGS);
    let hit = settingsCache.get(uri);
    if (!hit) {
      hit = connection.workspace.getConfiguration({ scopeUri: uri, section: 'asyncsense' }).then(
        (raw) => {
          const { settings, problems } = normalizeSettings(raw);
          for (const p of problems) {
            if (reportedSettingProblems.has(p)) continue;
            reportedSettingProblems.add(p);
            log(`settings: ${p}; using the default`);
          }
          return settings;
        },
        () => DEFAULT_EDITOR_SETTINGS,
      );
      settingsCache.set(uri, hit);
    }
    return hit;
  }

  function filePathOf(doc: TextDocument): string | undefined {
    if (doc.uri.startsWith('file:')) {
      try {
        return fileURLToPath(doc.uri);
      } catch {
        return undefined;
      }
    }
    // Untitled and other in-memory documents: a pseudo path in the workspace, for configuration.
    const ext = doc.languageId === 'python' ? '.py' : doc.languageId.includes('react') ? '.tsx' : doc.languageId === 'javascript' ? '.js' : '.ts';
    return path.join(workspaceRoot, `untitled-${Buffer.from(doc.uri).toString('hex').slice(0, 16)}${ext}`);
  }

  function analyse(doc: TextDocument, settings: EditorSettings): AnalysisResult | undefined {
    if (!engine || !resolver) return undefined;
    const language = LANGUAGE_IDS[doc.languageId];
    if (!language) return undefined;
    if (!settings.enable || (language === 'python' && !settings.pythonEnable) || (language === 'typescript' && !settings.typescriptEnable)) {
      return { findings: [], ruleErrors: [] };
    }
    const notebook = notebooks.findNotebookDocumentForCell(doc.uri);
    if (notebook) return language === 'python' ? analyseNotebookCell(notebook.uri, doc, settings) : { findings: [], ruleErrors: [] };
    const hit = cache.get(doc.uri);
    if (hit && hit.settings === settings) {
      // Unchanged, and no other open document changed since: a Python module's async defs or
      // a TS file's exported types can change this file's findings (interFileDependencies).
      if (hit.version === doc.version && hit.generation === contentGeneration) return hit.result;
      // `run: onSave`: keep the last result until the document is saved.
      if (settings.run === 'onSave' && !dueOnSave.has(doc.uri)) return hit.result;
    }
    dueOnSave.delete(doc.uri);
    const filePath = filePathOf(doc);
    if (!filePath) return undefined;
    const loaded = resolver.forFile(filePath);
    for (const p of loaded.problems) {
      const key = `${p.file}\0${p.key ?? ''}\0${p.message}`;
      if (reportedConfigProblems.has(key)) continue;
      reportedConfigProblems.add(key);
      log(`configuration problem in ${p.file}${p.key ? ` (key '${p.key}')` : ''}: ${p.message}`);
      void connection.sendNotification('window/showMessage', {
        type: MessageType.Warning,
        message: `AsyncSense: invalid configuration in ${p.file}${p.key ? ` (key '${p.key}')` : ''}: ${p.message}. Using the valid settings and defaults.`,
      });
    }
    const text = doc.getText();
    // New text for this document: results of the other open documents may depend on it.
    if (!hit || hit.version !== doc.version) contentGeneration++;
    engine.updateFile(filePath, text);
    let result: AnalysisResult;
    try {
      const config = applyEditorSettings(loaded.config, defaultConfig(loaded.config.root), settings, engine.ruleIds);
      const started = performance.now();
      result = engine.analyze({ filePath, text, language }, config);
      // For the editor's status item: how long this file took.
      void connection.sendNotification('asyncsense/status', {
        uri: doc.uri,
        durationMs: Math.round(performance.now() - started),
        findings: result.findings.length,
        skipped: result.skipped,
      });
    } catch (e) {
      log(`analysis failed for ${doc.uri}: ${(e as Error).stack ?? e}`);
      result = { findings: [], ruleErrors: [] };
    }
    if (result.skipped) log(`skipped ${doc.uri}: ${result.skipped}`);
    cache.set(doc.uri, { version: doc.version, settings, result, generation: contentGeneration });
    return result;
  }

  /**
   * A notebook cell is analysed as part of the whole notebook: its Python code cells joined in
   * order (so an import in the first cell resolves calls in the last), IPython magics and shell
   * escapes (`%time`, `!pip`) turned into comments. Findings and fixes are mapped back to their
   * cell; a fix that would edit another cell is left out.
   */
  function analyseNotebookCell(notebookUri: string, doc: TextDocument, settings: EditorSettings): AnalysisResult {
    const notebook = notebooks.getNotebookDocument(notebookUri);
    const cells = (notebook?.cells ?? [])
      .filter((c) => c.kind === NotebookCellKind.Code)
      .map((c) => documents.get(c.document))
      .filter((d): d is TextDocument => !!d && d.languageId === 'python');
    const key = cells.map((c) => `${c.uri}@${c.version}`).join('|');
    const hit = notebookResults.get(notebookUri);
    if (hit?.key === key && cache.get(notebookUri)?.settings === settings) return hit.byCell.get(doc.uri) ?? { findings: [], ruleErrors: [] };
    const starts: number[] = [];
    const lines: string[] = [];
    for (const cell of cells) {
      starts.push(lines.length);
      const cellLines = cell.getText().split(/\r\n|\n|\r/);
      for (const line of cellLines) lines.push(/^\s*[%!]/.test(line) ? line.replace(/[%!]/, '#') : line);
    }
    const notebookPath = notebookUri.startsWith('file:') ? fileURLToPath(notebookUri) : path.join(workspaceRoot, 'notebook.ipynb');
    const filePath = `${notebookPath.replace(/\.ipynb$/i, '')}.notebook.py`;
    let result: AnalysisResult;
    try {
      const loaded = resolver!.forFile(filePath);
      const config = applyEditorSettings(loaded.config, defaultConfig(loaded.config.root), settings, engine!.ruleIds);
      result = engine!.analyze({ filePath, text: lines.join('\n'), language: 'python' }, config);
    } catch (e) {
      log(`analysis failed for ${notebookUri}: ${(e as Error).stack ?? e}`);
      result = { findings: [], ruleErrors: [] };
    }
    const byCell = new Map<string, AnalysisResult>(cells.map((c) => [c.uri, { findings: [], ruleErrors: [] }]));
    for (const f of result.findings) {
      let index = starts.length - 1;
      while (index >= 0 && starts[index] > f.range.start.line) index--;
      if (index < 0) continue;
      const start = starts[index];
      const end = index + 1 < starts.length ? starts[index + 1] : lines.length;
      const inCell = (r: Range) => r.start.line >= start && r.end.line < end;
      if (!inCell(f.range)) continue;
      const shift = (r: Range): Range => ({ start: { line: r.start.line - start, character: r.start.character }, end: { line: r.end.line - start, character: r.end.character } });
      const mapFix = (fix: Fix | undefined): Fix | undefined =>
        fix && fix.edits.every((e) => inCell(e.range)) ? { ...fix, edits: fix.edits.map((e) => ({ ...e, range: shift(e.range) })) } : undefined;
      const suggestions = (f.suggestions ?? []).map(mapFix).filter((x): x is Fix => !!x);
      byCell.get(cells[index].uri)!.findings.push({ ...f, range: shift(f.range), fix: mapFix(f.fix), suggestions: suggestions.length ? suggestions : undefined });
    }
    notebookResults.set(notebookUri, { key, byCell });
    cache.set(notebookUri, { version: 0, settings, result });
    const mine = byCell.get(doc.uri) ?? { findings: [], ruleErrors: [] };
    cache.set(doc.uri, { version: doc.version, settings, result: mine });
    return mine;
  }

  function toDiagnostic(f: Finding, version: number): Diagnostic {
    const data: DiagnosticData = { rule: f.rule, version, fix: f.fix, suggestions: f.suggestions };
    return {
      range: f.range,
      severity: SEVERITY[f.severity],
      code: f.rule,
      codeDescription: { href: ruleDocUrl(f.rule) },
      source: 'asyncsense',
      message: f.message,
      tags: f.rule === 'unused-suppression' ? [DiagnosticTag.Unnecessary] : undefined,
      data,
    };
  }

  async function diagnosticsFor(doc: TextDocument): Promise<Diagnostic[]> {
    await getEngine();
    const settings = await getSettings(doc.uri);
    const result = analyse(doc, settings);
    const version = cache.get(doc.uri)?.version ?? doc.version;
    return result ? result.findings.map((f) => toDiagnostic(f, version)) : [];
  }

  function schedulePush(doc: TextDocument): void {
    if (pullSupported) return;
    const pending = pushTimers.get(doc.uri);
    if (pending) clearTimeout(pending);
    pushTimers.set(
      doc.uri,
      setTimeout(() => {
        pushTimers.delete(doc.uri);
        const current = documents.get(doc.uri);
        if (!current) return;
        diagnosticsFor(current).then(
          (diagnostics) => connection.sendDiagnostics({ uri: current.uri, version: current.version, diagnostics }),
          (e) => log(`diagnostics failed: ${e}`),
        );
      }, 150),
    );
  }

  function refreshAll(): void {
    cache.clear();
    if (pullSupported) {
      if (refreshSupported) void connection.languages.diagnostics.refresh();
    } else {
      for (const doc of documents.all()) schedulePush(doc);
    }
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const folder = params.workspaceFolders?.[0]?.uri ?? params.rootUri;
    if (folder?.startsWith('file:')) workspaceRoot = fileURLToPath(folder);
    const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    workspaceFolders = folders.filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u));
    pullSupported = !!params.capabilities.textDocument?.diagnostic;
    configurationSupported = !!params.capabilities.workspace?.configuration;
    refreshSupported = !!params.capabilities.workspace?.diagnostics?.refreshSupport;
    versionedEdits = !!params.capabilities.workspace?.workspaceEdit?.documentChanges;
    watchRegistration = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    workspaceFoldersChangeSupported = !!params.capabilities.workspace?.workspaceFolders;
    resolveEdits = !!params.capabilities.textDocument?.codeAction?.resolveSupport?.properties?.includes('edit');
    void getEngine().catch((e) => log(`cannot start the analysis engine: ${e}`));
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        // interFileDependencies: a Python module's `async def`s and a TS file's exported types
        // change the findings of the files that import them.
        diagnosticProvider: pullSupported ? { identifier: 'asyncsense', interFileDependencies: true, workspaceDiagnostics: true } : undefined,
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: true },
        hoverProvider: true,
        notebookDocumentSync: { notebookSelector: [{ notebook: '*', cells: [{ language: 'python' }] }] },
      },
      serverInfo: { name: 'asyncsense', version: TOOL_VERSION },
    };
  });

  connection.onInitialized(() => {
    if (watchRegistration) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [
          { globPattern: '**/{asyncsense.json,pyproject.toml,package.json,tsconfig.json,jsconfig.json}' },
          { globPattern: '**/*.{py,pyi,ts,tsx,mts,cts,js,jsx,mjs,cjs}' },
          // A browser extension's manifest.json tells its Manifest version (see webExtensions.ts).
          { globPattern: '**/manifest.json' },
        ],
      });
    }
  });

  connection.onDidChangeWatchedFiles((params) => {
    let configChanged = false;
    for (const change of params.changes) {
      const name = change.uri.split('/').pop() ?? '';
      const isConfig = ['asyncsense.json', 'pyproject.toml', 'package.json', 'tsconfig.json', 'jsconfig.json'].includes(name);
      if (isConfig) configChanged = true;
      // pyproject.toml also marks where absolute Python imports are looked up from, and a
      // package.json whether a TS/JS package is a mobile app.
      if ((!isConfig || name === 'pyproject.toml' || name === 'package.json') && change.uri.startsWith('file:') && engine && !documents.get(change.uri)) {
        // A module changed on disk: forget its summary (the index re-reads it lazily).
        engine.updateFile(fileURLToPath(change.uri), undefined);
      }
    }
    if (configChanged) {
      resolver?.clear();
      reportedConfigProblems.clear();
    }
    bumpGeneration();
    refreshAll();
  });

  connection.onInitialized(() => {
    if (!workspaceFoldersChangeSupported) return;
    connection.workspace.onDidChangeWorkspaceFolders((e) => {
      const removed = new Set(e.removed.map((f) => f.uri));
      const kept = workspaceFolders.filter((f) => !removed.has(uriOf(f)));
      workspaceFolders = [...kept, ...e.added.filter((f) => f.uri.startsWith('file:')).map((f) => fileURLToPath(f.uri))];
      bumpGeneration();
      refreshAll();
    });
  });

  connection.languages.diagnostics.on(async (params, token): Promise<DocumentDiagnosticReport> => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
    const resultId = `${doc.version}`;
    try {
      await getEngine();
      if (token.isCancellationRequested) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
      const items = await diagnosticsFor(doc);
      const analysedVersion = `${cache.get(doc.uri)?.version ?? doc.version}`;
      if (params.previousResultId === analysedVersion && analysedVersion !== resultId) {
        // `run: onSave` and unsaved edits: the previous report still stands.
        return { kind: DocumentDiagnosticReportKind.Unchanged, resultId: analysedVersion };
      }
      return { kind: DocumentDiagnosticReportKind.Full, resultId: analysedVersion, items };
    } catch (e) {
      log(`diagnostics failed for ${doc.uri}: ${(e as Error).stack ?? e}`);
      return { kind: DocumentDiagnosticReportKind.Full, items: [] };
    }
  });

  /**
   * `workspace/diagnostic` (opt-in `asyncsense.diagnosticMode: workspace`): every file of each
   * folder, walked like the CLI walks it. A file's resultId is the analysis generation plus its
   * size and mtime, so a file that did not change since the client's previous report costs a
   * `stat` and is answered `unchanged`. Reports stream per file as partial results, with
   * progress. Open documents are left to the document pull (their text may be unsaved). When
   * nothing changed since the last report, the request is held until something does (long
   * poll), so an idle workspace costs nothing.
   */
  connection.languages.diagnostics.onWorkspace(async (params, token, workDone, resultProgress) => {
    const e = await getEngine();
    if (!resolver) return { items: [] };
    const previous = new Map(params.previousResultIds.map((p) => [p.uri, p.value]));
    if (previous.size > 0 && reportedGeneration === generation) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          generationWaiters.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, 60_000);
        generationWaiters.add(wake);
        token.onCancellationRequested(wake);
      });
      if (token.isCancellationRequested) return { items: [] };
    }
    const startedAt = generation;
    const folders: { folder: string; settings: EditorSettings }[] = [];
    for (const folder of workspaceFolders) {
      const settings = await getSettings(uriOf(folder));
      if (settings.enable && settings.diagnosticMode === 'workspace') folders.push({ folder, settings });
    }
    const items: WorkspaceDocumentDiagnosticReport[] = [];
    const emit = (item: WorkspaceDocumentDiagnosticReport) => {
      if (resultProgress) resultProgress.report({ items: [item] });
      else items.push(item);
    };
    const seen = new Set<string>();
    if (folders.length > 0) workDone.begin('AsyncSense: analysing the workspace', 0, undefined, true);
    for (const { folder, settings } of folders) {
      const walk = walkFiles([folder], { cwd: folder, extensions: e.extensions, resolver });
      const order = e.prepareFiles(walk.files);
      let done = 0;
      for (const file of order) {
        if (token.isCancellationRequested) return { items };
        done++;
        const uri = uriOf(file);
        seen.add(uri);
        if (documents.get(uri)) continue;
        const language = e.languageOf(file);
        if (!language || (language === 'python' && !settings.pythonEnable) || (language === 'typescript' && !settings.typescriptEnable)) continue;
        let stat: { size: number; mtimeMs: number };
        try {
          stat = statOf(file);
        } catch {
          continue;
        }
        const resultId = `${startedAt}:${stat.size}:${Math.round(stat.mtimeMs)}`;
        if (previous.get(uri) === resultId) {
          emit({ kind: DocumentDiagnosticReportKind.Unchanged, uri, version: null, resultId });
          continue;
        }
        const loaded = resolver.forFile(file);
        const config = applyEditorSettings(loaded.config, defaultConfig(loaded.config.root), settings, e.ruleIds);
        const source = readSource(file, config.maxFileSize);
        let diagnostics: Diagnostic[] = [];
        if ('text' in source) {
          try {
            const result = e.analyze({ filePath: file, text: source.text, language }, config);
            diagnostics = result.findings.map((f) => toDiagnostic(f, -1));
          } catch (err) {
            log(`analysis failed for ${file}: ${(err as Error).stack ?? err}`);
          }
        } else log(`skipped ${file}: ${source.skipped}`);
        emit({ kind: DocumentDiagnosticReportKind.Full, uri, version: null, resultId, items: diagnostics });
        if (done % 20 === 0) {
          workDone.report(Math.floor((done / walk.files.length) * 100), path.relative(folder, file));
          // Let other requests (the open document being edited) through between files.
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
    }
    // Files reported before that are gone (deleted, renamed, now excluded, mode switched off).
    for (const uri of workspaceUris) {
      if (!seen.has(uri) && !documents.get(uri)) emit({ kind: DocumentDiagnosticReportKind.Full, uri, version: null, items: [] });
    }
    workspaceUris = seen;
    if (folders.length > 0) workDone.done();
    reportedGeneration = startedAt;
    return { items };
  });

  documents.onDidOpen((e) => {
    dueOnSave.add(e.document.uri);
    schedulePush(e.document);
  });
  documents.onDidChangeContent((e) => schedulePush(e.document));
  documents.onDidSave((e) => {
    dueOnSave.add(e.document.uri);
    // Saved text may change the findings of files that import it (workspace mode).
    bumpGeneration();
    void getSettings(e.document.uri).then((settings) => {
      if (settings.run !== 'onSave') return;
      if (pullSupported) {
        if (refreshSupported) void connection.languages.diagnostics.refresh();
      } else schedulePush(e.document);
    });
  });

  // `AsyncSense: Revalidate All`: forget every cache (configuration, settings, results) and re-analyse.
  connection.onNotification('asyncsense/revalidate', () => {
    resolver?.clear();
    reportedConfigProblems.clear();
    settingsCache.clear();
    bumpGeneration();
    refreshAll();
  });

  connection.onDidChangeConfiguration(() => {
    settingsCache.clear();
    reportedSettingProblems.clear();
    bumpGeneration();
    refreshAll();
  });
  documents.onDidClose((e) => {
    cache.delete(e.document.uri);
    const filePath = e.document.uri.startsWith('file:') ? fileURLToPath(e.document.uri) : undefined;
    if (filePath) engine?.updateFile(filePath, undefined);
    if (!pullSupported) void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  function workspaceEdit(doc: TextDocument, edits: LspTextEdit[]): WorkspaceEdit {
    if (versionedEdits) return { documentChanges: [{ textDocument: { uri: doc.uri, version: doc.version }, edits }] };
    return { changes: { [doc.uri]: edits } };
  }

  /** The edit of a code action, computed for the document version it was offered for, or nothing if stale. */
  async function editFor(data: ActionData): Promise<WorkspaceEdit | undefined> {
    const doc = documents.get(data.uri);
    if (!doc || doc.version !== data.version || !engine) return undefined;
    const language = LANGUAGE_IDS[doc.languageId];
    switch (data.type) {
      case 'fix':
        return workspaceEdit(doc, data.edits);
      case 'disable': {
        const comments = engine.commentsOf(filePathOf(doc) ?? doc.uri, doc.getText(), language);
        if (!comments) return undefined;
        return workspaceEdit(doc, [disableForLineEdit(language, doc.getText(), comments, data.line, data.rule)]);
      }
      case 'fixAll': {
        const settings = await getSettings(doc.uri);
        const result = analyse(doc, settings);
        // Only findings of the current text, and never the rules excluded from fix-on-save.
        const current = result && cache.get(doc.uri)?.version === doc.version ? result.findings : [];
        return workspaceEdit(doc, nonOverlappingFixes(current.filter((f) => fixableOnSave(settings, f.rule))).edits);
      }
    }
  }

  /**
   * With `codeAction/resolve` support, actions travel without their edit (the client asks for it
   * when one is chosen); otherwise the edit is computed now, and an action whose edit went stale
   * is dropped.
   */
  async function withEdits(actions: CodeAction[]): Promise<CodeAction[]> {
    if (resolveEdits) return actions;
    const eager = await Promise.all(
      actions.map(async ({ data, ...action }) => (data ? { ...action, edit: await editFor(data as ActionData) } : action)),
    );
    return eager.filter((a) => a.edit || a.command);
  }

  const lazy = (action: CodeAction, data: ActionData): CodeAction => ({ ...action, data });

  connection.onCodeActionResolve(async (action) => {
    const data = action.data as ActionData | undefined;
    if (!data) return action;
    try {
      await getEngine();
      const edit = await editFor(data);
      // A stale request (the document changed since) gets no edit rather than a wrong one.
      return edit ? { ...action, edit } : action;
    } catch (e) {
      log(`code action resolve failed: ${(e as Error).stack ?? e}`);
      return action;
    }
  });

  connection.onCodeAction(async (params) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return [];
    try {
      await getEngine();
      const settings = await getSettings(doc.uri);
      const result = analyse(doc, settings);
      if (!result) return [];
      const actions: CodeAction[] = [];
      const only = params.context.only;
      const wants = (kind: string) => !only || only.some((k) => kind === k || kind.startsWith(`${k}.`));
      if (wants(CodeActionKind.QuickFix)) {
        for (const diagnostic of params.context.diagnostics) {
          if (diagnostic.source !== 'asyncsense') continue;
          const data = diagnostic.data as DiagnosticData | undefined;
          // A diagnostic from an older version of the document: its edits would be wrong.
          if (!data || data.version !== doc.version) continue;
          const fixes = [...(data.fix ? [data.fix] : []), ...(data.suggestions ?? [])];
          for (const fix of fixes) {
            actions.push(
              lazy(
                { title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: fix.safe },
                { type: 'fix', uri: doc.uri, version: doc.version, edits: fix.edits },
              ),
            );
          }
          if (settings.disableRuleCommentEnable) {
            actions.push(
              lazy(
                { title: `Disable ${data.rule} for this line`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic] },
                { type: 'disable', uri: doc.uri, version: doc.version, rule: data.rule, line: diagnostic.range.start.line },
              ),
            );
          }
          if (settings.showDocumentationEnable) {
            actions.push({
              title: `Show documentation for ${data.rule}`,
              kind: CodeActionKind.QuickFix,
              diagnostics: [diagnostic],
              command: { title: `Show documentation for ${data.rule}`, command: 'asyncsense.showDocumentation', arguments: [data.rule] },
            });
          }
          if (hasSafePattern(data.rule, LANGUAGE_IDS[doc.languageId])) {
            const title = `Show the safe pattern for ${data.rule}`;
            actions.push({
              title,
              kind: CodeActionKind.QuickFix,
              diagnostics: [diagnostic],
              isPreferred: false,
              command: { title, command: 'asyncsense.openCatalog', arguments: [{ ruleId: data.rule }] },
            });
          }
        }
      }
      if (wants(FIX_ALL_KIND) || wants(CodeActionKind.SourceFixAll)) {
        // Only findings of the current text, and never the rules excluded from fix-on-save.
        const current = cache.get(doc.uri)?.version === doc.version ? result.findings : [];
        const anyFix = current.some((f) => f.fix?.safe && fixableOnSave(settings, f.rule));
        if (anyFix || (only && only.some((k) => FIX_ALL_KIND.startsWith(k)))) {
          actions.push(lazy({ title: 'Fix all auto-fixable AsyncSense problems', kind: FIX_ALL_KIND }, { type: 'fixAll', uri: doc.uri, version: doc.version }));
        }
      }
      return await withEdits(actions);
    } catch (e) {
      log(`code actions failed for ${doc.uri}: ${(e as Error).stack ?? e}`);
      return [];
    }
  });

  connection.onHover(async (params): Promise<Hover | null> => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return null;
    try {
      await getEngine();
      const result = analyse(doc, await getSettings(doc.uri));
      if (!result) return null;
      const at = { start: params.position, end: params.position };
      const hits = result.findings.filter((f) => rangeContains(f.range, at));
      if (hits.length === 0) return null;
      const language = LANGUAGE_IDS[doc.languageId];
      const sections = hits.map((f) => hoverMarkdown(engine!, f, language));
      return { contents: { kind: MarkupKind.Markdown, value: sections.join('\n\n---\n\n') }, range: hits[0].range };
    } catch (e) {
      log(`hover failed: ${(e as Error).stack ?? e}`);
      return null;
    }
  });

  connection.onShutdown(() => {
    for (const t of pushTimers.values()) clearTimeout(t);
    pushTimers.clear();
  });

  notebooks.listen(connection);
  notebooks.onDidClose((e) => {
    notebookResults.delete(e.uri);
    cache.delete(e.uri);
  });
  documents.listen(connection);
  connection.listen();
}

function hoverMarkdown(engine: Engine, f: Finding, language: Language): string {
  const rule = engine.rule(f.rule);
  if (!rule) return f.message;
  const fence = language === 'python' ? 'python' : 'ts';
  const example = rule.docs.examples.find((e) => e.language === language) ?? rule.docs.examples[0];
  const parts = [`**AsyncSense · \`${rule.id}\`** — ${rule.docs.summary}`, '', rule.docs.why];
  if (example) {
    parts.push('', 'Flagged:', '```' + fence, example.bad, '```', 'Fixed:', '```' + fence, example.good, '```');
  }
  parts.push('', `[Rule documentation](${ruleDocUrl(rule.id)})`);
  return parts.join('\n');
}

function statOf(file: string): { size: number; mtimeMs: number } {
  const st = fs.statSync(file);
  return { size: st.size, mtimeMs: st.mtimeMs };
}

/** `file://` URI of a path (exported for tests and other adapters). */
export function uriOf(filePath: string): string {
  return pathToFileURL(filePath).href;
}

if (require.main === module) startServer();
