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
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
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
  ProposedFeatures,
  TextDocumentSyncKind,
  TextDocuments,
  type TextEdit as LspTextEdit,
  type WorkspaceEdit,
  createConnection,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { TOOL_VERSION, createEngine, ruleDocUrl } from './analyzer';
import { ConfigResolver, defaultConfig } from './engine/config';
import { DEFAULT_EDITOR_SETTINGS, type EditorSettings, applyEditorSettings, fixableOnSave, normalizeSettings } from './editorSettings';
import type { AnalysisResult, Engine } from './engine/engine';
import { nonOverlappingFixes } from './engine/fixes';
import { disableForLineEdit } from './engine/suppressions';
import { rangeContains } from './engine/text';
import { hasSafePattern } from './patterns';
import type { Finding, Fix, Language, Severity } from './engine/types';

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

interface Analysed {
  version: number;
  settings: EditorSettings;
  result: AnalysisResult;
}

export function startServer(connection: Connection = createConnection(ProposedFeatures.all)): void {
  const documents = new TextDocuments(TextDocument);
  let engine: Engine | undefined;
  let enginePromise: Promise<Engine> | undefined;
  let resolver: ConfigResolver | undefined;
  let workspaceRoot = process.cwd();
  let pullSupported = false;
  let versionedEdits = false;
  let watchRegistration = false;
  let refreshSupported = false;
  const cache = new Map<string, Analysed>();
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
    const hit = cache.get(doc.uri);
    if (hit && hit.settings === settings) {
      if (hit.version === doc.version) return hit.result;
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
    cache.set(doc.uri, { version: doc.version, settings, result });
    return result;
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
    pullSupported = !!params.capabilities.textDocument?.diagnostic;
    configurationSupported = !!params.capabilities.workspace?.configuration;
    refreshSupported = !!params.capabilities.workspace?.diagnostics?.refreshSupport;
    versionedEdits = !!params.capabilities.workspace?.workspaceEdit?.documentChanges;
    watchRegistration = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    void getEngine().catch((e) => log(`cannot start the analysis engine: ${e}`));
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        diagnosticProvider: pullSupported ? { identifier: 'asyncsense', interFileDependencies: false, workspaceDiagnostics: false } : undefined,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
        hoverProvider: true,
      },
      serverInfo: { name: 'asyncsense', version: TOOL_VERSION },
    };
  });

  connection.onInitialized(() => {
    if (watchRegistration) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: '**/{asyncsense.json,pyproject.toml,package.json}' }, { globPattern: '**/*.{py,pyi}' }],
      });
    }
  });

  connection.onDidChangeWatchedFiles((params) => {
    let configChanged = false;
    for (const change of params.changes) {
      const name = change.uri.split('/').pop() ?? '';
      if (['asyncsense.json', 'pyproject.toml', 'package.json'].includes(name)) configChanged = true;
      else if (change.uri.startsWith('file:') && engine && !documents.get(change.uri)) {
        // A module changed on disk: forget its summary (the index re-reads it lazily).
        engine.updateFile(fileURLToPath(change.uri), undefined);
      }
    }
    if (configChanged) {
      resolver?.clear();
      reportedConfigProblems.clear();
    }
    refreshAll();
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

  documents.onDidOpen((e) => {
    dueOnSave.add(e.document.uri);
    schedulePush(e.document);
  });
  documents.onDidChangeContent((e) => schedulePush(e.document));
  documents.onDidSave((e) => {
    dueOnSave.add(e.document.uri);
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
    refreshAll();
  });

  connection.onDidChangeConfiguration(() => {
    settingsCache.clear();
    reportedSettingProblems.clear();
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
            actions.push({
              title: fix.title,
              kind: CodeActionKind.QuickFix,
              diagnostics: [diagnostic],
              isPreferred: fix.safe,
              edit: workspaceEdit(doc, fix.edits),
            });
          }
          const comments = settings.disableRuleCommentEnable ? engine!.commentsOf(filePathOf(doc) ?? doc.uri, doc.getText(), LANGUAGE_IDS[doc.languageId]) : undefined;
          if (comments) {
            const language = LANGUAGE_IDS[doc.languageId];
            const edit = disableForLineEdit(language, doc.getText(), comments, diagnostic.range.start.line, data.rule);
            actions.push({
              title: `Disable ${data.rule} for this line`,
              kind: CodeActionKind.QuickFix,
              diagnostics: [diagnostic],
              edit: workspaceEdit(doc, [edit]),
            });
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
        const { edits } = nonOverlappingFixes(current.filter((f) => fixableOnSave(settings, f.rule)));
        if (edits.length > 0 || (only && only.some((k) => FIX_ALL_KIND.startsWith(k)))) {
          actions.push({ title: 'Fix all auto-fixable AsyncSense problems', kind: FIX_ALL_KIND, edit: workspaceEdit(doc, edits) });
        }
      }
      return actions;
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

/** `file://` URI of a path (exported for tests and other adapters). */
export function uriOf(filePath: string): string {
  return pathToFileURL(filePath).href;
}

if (require.main === module) startServer();
