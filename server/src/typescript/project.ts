/**
 * Type information for TS/JS rules: one TypeScript LanguageService per `tsconfig.json` (with
 * `extends` and project references read as JSON, never executed), and, for files outside any
 * tsconfig, one inferred project per package (the nearest folder with a `package.json`), as
 * editors infer them. Open editor documents live in an overlay with versions, so an edit
 * re-checks incrementally instead of rebuilding the program.
 *
 * Services are created lazily, the first time a rule asks for types in a file, and only the
 * most recently used few keep their program: a scan of a checkout of many packages holds one
 * package's program at a time, not all of them at once.
 *
 * A program's roots are the files a scan announces, the tsconfig's files that declare globals,
 * and the last documents analysed one at a time; the rest of the tsconfig enters only as their
 * imports. An editor with a few files open in a large project parses what those files depend
 * on, not the whole project.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { changedSpan, digest } from '../engine/text';
import { readJsonIn } from './util';

export interface TypeServices {
  program: ts.Program;
  checker: ts.TypeChecker;
  sourceFile: ts.SourceFile;
  /** The checker's node for an ESTree node of this file (same kind and range), if any. */
  tsNodeFor(node: TSESTree.Node): ts.Node | undefined;
  /**
   * The files of the project (its program's, and its tsconfig's outside the program, parsed on
   * their own) whose text holds every needle, declaration files and node_modules left out:
   * where a rule looks for the modules that import this one, which its program need not hold.
   */
  filesContaining(needles: readonly string[]): ts.SourceFile[];
}

type CheckedProgram = { program: ts.Program; sourceFile: ts.SourceFile; checker: ts.TypeChecker };

interface Project {
  key: string;
  /** The last program the service gave, the manager's state then, and how long that took (ms). */
  lastSync?: { state: number; at: number; program: ts.Program; cost: number };
  options: ts.CompilerOptions;
  /** The files its tsconfig lists (`files`, `include`), roots or not. */
  configFiles: readonly string[];
  /** Roots that stay: the tsconfig's files that declare globals, and the files of a scan (never in `recent`). */
  pinned: Set<string>;
  /** Files analysed one at a time (editor documents), least recently asked for first; at most MAX_RECENT_ROOTS. */
  recent: Set<string>;
  /** Made when types are first asked for, dropped when it has been the least recently used too long (see MAX_LIVE_SERVICES). */
  service?: ts.LanguageService;
  host: ts.LanguageServiceHost;
  /** When its program was last asked for (the manager's use counter). */
  used: number;
}

const DISK_VERSION_TTL_MS = 2_000;
/** A declaration file (`.d.ts`, `.d.mts`, `.d.cts`). */
export const DECLARATION_FILE = /\.d\.[cm]?ts$/i;
/** A top-level import or export statement (not `import(...)`), at the start of a line. */
const MODULE_SYNTAX = /^[ \t]*(import[\s{*'"]|import\.meta\b|export[\s{*=]|export\s+default\b)/m;
/** What makes a JS file a CommonJS module to TypeScript. */
const COMMONJS_SYNTAX = /\brequire\s*\(|\bmodule\.exports\b|\bexports\.[A-Za-z_$]/;
/**
 * With nothing changed, a program is reused for ten times what its last check took, at least the
 * time above and at most this: on a program of thousands of files, asking the LanguageService
 * whether the disk changed walks every file and would otherwise take a large share of a scan.
 */
const MAX_REUSE_MS = 30_000;
const MAX_UNTYPED = 64;
/**
 * LanguageServices that keep their program (and checker) in memory. Asking for a project beyond
 * them disposes the least recently used one; its files stay known, and the program is built
 * again if that project is asked for later.
 */
const MAX_LIVE_SERVICES = 6;
/**
 * Files analysed one at a time (an editor's documents) that stay roots of their project's
 * program. A program holds its roots' imports, not every file of the tsconfig: what a file's
 * types depend on is what it imports, plus the files that declare globals, which are always
 * roots (see declaresGlobals). Asking for a file beyond these drops the least recently asked
 * for, so a server with hundreds of documents open holds the imports of the last ones only.
 */
const MAX_RECENT_ROOTS = 32;
/** How many files outside the program that filesContaining parsed on their own are kept. */
const MAX_LOOSE_FILES = 32;

const INFERRED_OPTIONS: ts.CompilerOptions = {
  allowJs: true,
  checkJs: false,
  strict: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  noEmit: true,
  skipLibCheck: true,
};

/** TypeScript's own lib files (`lib.*.d.ts` next to the compiler), which never change while a process runs. */
const LIB_DIR = comparablePath(path.dirname(ts.getDefaultLibFilePath({})));

function comparablePath(p: string): string {
  const slashed = p.replace(/\\/g, '/');
  return ts.sys.useCaseSensitiveFileNames ? slashed : slashed.toLowerCase();
}

function isLibFile(p: string): boolean {
  const c = comparablePath(p);
  const slash = c.lastIndexOf('/');
  return c.slice(0, slash) === LIB_DIR && /^lib\.[^/]*\.d\.ts$/.test(c.slice(slash + 1));
}

/** A document registry that parses JSDoc only where it carries types (see ProjectManager.registry). */
function newRegistry(): ts.DocumentRegistry {
  return ts.createDocumentRegistry(ts.sys.useCaseSensitiveFileNames, undefined, ts.JSDocParsingMode.ParseForTypeInfo);
}

/**
 * Compiler settings (as the registry keys them: target, module, jsx…) whose lib files stay parsed
 * while no program uses them. One set of lib files takes about 30 MB.
 */
const KEPT_LIB_SETTINGS = 2;

let libRegistry: ts.DocumentRegistry | undefined;
/** The lib files kept parsed, by settings key, least recently used first: each with the release of its extra reference. */
const keptLibs = new Map<string, Map<string, () => void>>();

/**
 * `own`, except that TypeScript's lib files (lib.dom.d.ts alone is 40,000 lines) come from one
 * registry of the whole process: every program of the process, of every engine, shares them once
 * parsed and bound. Those of the last KEPT_LIB_SETTINGS settings used are also kept when no
 * program holds them, for a program rebuilt after its service was dropped, or the next engine's.
 */
function sharingLibFiles(own: ts.DocumentRegistry): ts.DocumentRegistry {
  const libs = (libRegistry ??= newRegistry());
  const pick = (p: string): ts.DocumentRegistry => (isLibFile(p) ? libs : own);
  return {
    acquireDocument: (fileName, ...rest) => pick(fileName).acquireDocument(fileName, ...rest),
    acquireDocumentWithKey: (fileName, p, settings, key, snapshot, version, kind, options) => {
      if (!isLibFile(p)) return own.acquireDocumentWithKey(fileName, p, settings, key, snapshot, version, kind, options);
      const file = libs.acquireDocumentWithKey(fileName, p, settings, key, snapshot, version, kind, options);
      let kept = keptLibs.get(key);
      if (kept) keptLibs.delete(key);
      keptLibs.set(key, (kept ??= new Map()));
      if (!kept.has(p)) {
        // One more reference, which only the settings' eviction below gives back.
        libs.acquireDocumentWithKey(fileName, p, settings, key, snapshot, version, kind, options);
        const fileKind = (file as { scriptKind?: ts.ScriptKind }).scriptKind ?? kind ?? ts.ScriptKind.TS;
        kept.set(p, () => libs.releaseDocumentWithKey(p, key, fileKind, file.impliedNodeFormat));
      }
      for (const [oldKey, files] of keptLibs) {
        if (keptLibs.size <= KEPT_LIB_SETTINGS) break;
        keptLibs.delete(oldKey);
        for (const release of files.values()) release();
      }
      return file;
    },
    updateDocument: (fileName, ...rest) => pick(fileName).updateDocument(fileName, ...rest),
    updateDocumentWithKey: (fileName, p, ...rest) => pick(p).updateDocumentWithKey(fileName, p, ...rest),
    getKeyForCompilationSettings: (settings) => own.getKeyForCompilationSettings(settings),
    releaseDocument: (fileName: string, settings: ts.CompilerOptions, kind?: ts.ScriptKind, format?: ts.ResolutionMode) => pick(fileName).releaseDocument(fileName, settings, kind!, format),
    releaseDocumentWithKey: (p: ts.Path, key: ts.DocumentRegistryBucketKey, kind?: ts.ScriptKind, format?: ts.ResolutionMode) => pick(p).releaseDocumentWithKey(p, key, kind!, format),
    reportStats: () => own.reportStats(),
  };
}

export class ProjectManager {
  private readonly overlay = new Map<string, { text: string; version: number; snapshot: EditSnapshot }>();
  private readonly projects = new Map<string, Project>();
  private readonly configForDir = new Map<string, string | undefined>();
  private readonly packageForDir = new Map<string, string | undefined>();
  private readonly workspaceRoots = new Map<string, boolean>();
  /** Counts uses of projects' programs, to tell the least recently used. */
  private uses = 0;
  /**
   * JSDoc is parsed in JS files only, where it carries types; in TS files (lib.dom.d.ts is mostly
   * JSDoc) it is skipped, which makes parsing faster and programs smaller. Nothing here reads it.
   */
  private readonly registry = sharingLibFiles(newRegistry());
  private readonly diskVersions = new Map<string, { version: string; at: number }>();
  /**
   * Snapshots of files read from disk, by version. The LanguageService asks for the snapshot of
   * every file of the program on each update, before it compares versions: without this, every
   * edit would read the lib .d.ts files (megabytes) and every unchanged module again.
   */
  private readonly diskSnapshots = new Map<string, { version: string; snapshot: ts.IScriptSnapshot }>();
  /** Files left out of their project because their text made its program fail, with that text's digest. */
  private readonly untyped = new Map<string, string>();
  /** Whether a file of a tsconfig declares globals (see declaresGlobals), by its disk version. */
  private readonly globalsVerdicts = new Map<string, { version: string; globals: boolean }>();
  /** Files outside their program parsed on their own for filesContaining, least recently parsed first. */
  private readonly looseFiles = new Map<string, { version: string; sourceFile: ts.SourceFile }>();
  /** Bumped by every change that can alter a program (overlay text, files on disk, roots). */
  private state = 0;
  private version = 0;
  /** Problems met while reading tsconfig files (shown in logs, never thrown). */
  readonly messages: string[] = [];

  /**
   * The version of a file on disk (its mtime). The LanguageService asks for every file of the
   * program on each use; stats are cached for a moment, so a scan of n files costs n stats, not
   * n² (a file changed on disk is forgotten at once through `updateFile(path, undefined)`).
   */
  private diskVersion(abs: string): string {
    const now = Date.now();
    const hit = this.diskVersions.get(abs);
    if (hit && now - hit.at < DISK_VERSION_TTL_MS) return hit.version;
    let version: string;
    try {
      version = `d${fs.statSync(abs).mtimeMs}`;
    } catch {
      version = 'missing';
    }
    this.diskVersions.set(abs, { version, at: now });
    return version;
  }

  private diskSnapshot(abs: string): ts.IScriptSnapshot | undefined {
    const version = this.diskVersion(abs);
    const hit = this.diskSnapshots.get(abs);
    if (hit?.version === version) return hit.snapshot;
    const text = ts.sys.readFile(abs);
    if (text === undefined) {
      this.diskSnapshots.delete(abs);
      return undefined;
    }
    const snapshot = ts.ScriptSnapshot.fromString(text);
    this.diskSnapshots.set(abs, { version, snapshot });
    return snapshot;
  }

  /** A file's text on disk, through the snapshot the program reads too (one read per version). */
  private diskText(abs: string): string | undefined {
    const snapshot = this.diskSnapshot(abs);
    return snapshot?.getText(0, snapshot.getLength());
  }

  updateFile(filePath: string, text: string | undefined): void {
    const key = path.resolve(filePath);
    if (text === undefined) {
      this.overlay.delete(key);
      this.diskVersions.delete(key);
      this.diskSnapshots.delete(key);
      this.state++;
      return;
    }
    const open = this.overlay.get(key);
    if (open?.text === text) return;
    // A file analysed as it is on disk (a CLI or workspace scan, a document just opened) stays
    // out of the overlay: its version is unchanged, so the program and its checker are reused
    // instead of being rebuilt for every file.
    if (!open && this.diskText(key) === text) return;
    this.overlay.set(key, { text, version: ++this.version, snapshot: new EditSnapshot(text) });
    this.state++;
  }

  /**
   * Makes files roots of their projects before a scan analyses them, so that one program serves
   * them all (adding them one at a time would rebuild a program and checker per file).
   */
  addRootFiles(filePaths: readonly string[]): void {
    for (const f of filePaths) {
      const abs = path.resolve(f);
      const project = this.projectFor(abs);
      if (!project.pinned.has(abs)) {
        project.pinned.add(abs);
        project.recent.delete(abs);
        this.state++;
      }
    }
  }

  /**
   * The program of the file's project, and the file's SourceFile in it, for the current `text`;
   * undefined if no program can be built. The checker is created (binding every file, which also
   * sets the parent pointers the ESTree converter relies on).
   */
  programFor(filePath: string, text: string): (CheckedProgram & Pick<TypeServices, 'filesContaining'>) | undefined {
    const abs = path.resolve(filePath);
    this.updateFile(abs, text);
    // A file whose text made the program fail (see below) is analysed without types.
    if (this.untyped.has(abs)) {
      if (this.untyped.get(abs) === digest(text)) return undefined;
      this.untyped.delete(abs);
    }
    const project = this.projectFor(abs);
    let added = false;
    let found: ReturnType<ProjectManager['checkedProgram']> | undefined;
    if (project.recent.delete(abs)) project.recent.add(abs);
    else if (!project.pinned.has(abs)) {
      // A file the last program holds as an import of its roots is analysed in it as it is: a
      // new root would rebuild the program and its checker for nothing.
      if (project.lastSync?.program.getSourceFile(abs)) {
        found = this.checkedProgram(project, abs, text);
        if ('program' in found && !found.program) found = undefined;
      }
      if (!found) {
        added = true;
        project.recent.add(abs);
        if (project.recent.size > MAX_RECENT_ROOTS) project.recent.delete(project.recent.values().next().value!);
        this.state++;
      }
    }
    found ??= this.checkedProgram(project, abs, text);
    if (!('error' in found)) return found.program ? this.withProjectFiles(project, found) : undefined;
    // Input deep enough to exhaust the compiler's stack (nesting, endless operator chains) fails
    // every program that holds it. Such files leave their project and are analysed without
    // types; its other files keep theirs. First the files the parser itself cannot get through
    // (a generated file the tsconfig includes, say), then, failing that, the file just added.
    const unparsable = this.leaveOutUnparsable(project);
    if (unparsable.length) {
      if (unparsable.includes(abs)) return undefined;
      found = this.checkedProgram(project, abs, text);
      if (!('error' in found)) return found.program ? this.withProjectFiles(project, found) : undefined;
    }
    if (added) {
      project.recent.delete(abs);
      this.state++;
      if (!('error' in this.checkedProgram(project, undefined, undefined))) this.leaveOut(abs, text);
    }
    this.messages.push(`type information unavailable for ${abs}: ${found.error}`);
    return undefined;
  }

  /** Takes the root files whose text the parser cannot get through out of the project. */
  private leaveOutUnparsable(project: Project): string[] {
    const out: string[] = [];
    for (const file of [...project.pinned, ...project.recent]) {
      const text = this.overlay.get(file)?.text ?? this.diskText(file);
      if (text === undefined) continue;
      try {
        ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
      } catch {
        project.pinned.delete(file);
        project.recent.delete(file);
        this.state++;
        this.leaveOut(file, text);
        this.messages.push(`${file} is analysed without type information: it is nested too deeply for the TypeScript compiler`);
        out.push(file);
      }
    }
    return out;
  }

  private withProjectFiles(project: Project, found: CheckedProgram): CheckedProgram & Pick<TypeServices, 'filesContaining'> {
    return { ...found, filesContaining: (needles) => this.filesContaining(project, found.program, needles) };
  }

  private filesContaining(project: Project, program: ts.Program, needles: readonly string[]): ts.SourceFile[] {
    const out: ts.SourceFile[] = [];
    const holds = (text: string) => needles.every((n) => text.includes(n));
    const skip = (f: string) => DECLARATION_FILE.test(f) || /[\\/]node_modules[\\/]/.test(f);
    for (const sf of program.getSourceFiles()) if (!sf.isDeclarationFile && !skip(sf.fileName) && holds(sf.text)) out.push(sf);
    for (const f of project.configFiles) {
      if (skip(f) || program.getSourceFile(f)) continue;
      const text = this.overlay.get(f)?.text ?? this.diskText(f);
      if (text === undefined || !holds(text)) continue;
      const version = this.overlay.has(f) ? `o${this.overlay.get(f)!.version}` : this.diskVersion(f);
      let loose = this.looseFiles.get(f);
      if (loose?.version !== version) {
        loose = { version, sourceFile: ts.createSourceFile(f, text, project.options.target ?? ts.ScriptTarget.Latest, true) };
        this.looseFiles.delete(f);
        this.looseFiles.set(f, loose);
        if (this.looseFiles.size > MAX_LOOSE_FILES) this.looseFiles.delete(this.looseFiles.keys().next().value!);
      }
      out.push(loose.sourceFile);
    }
    return out;
  }

  /**
   * Whether a file of a tsconfig can declare what other files see without importing it: a
   * declaration file, a script (no top-level import or export: its declarations are global),
   * a module with `declare global` or `declare module` (an augmentation), or one with a
   * `/// <reference>` directive (which brings its target into the program). Read from the text
   * (a false "yes" only makes a program larger), and cached by the file's version.
   */
  private declaresGlobals(file: string, options: ts.CompilerOptions): boolean {
    if (DECLARATION_FILE.test(file)) return true;
    const version = this.diskVersion(file);
    const hit = this.globalsVerdicts.get(file);
    if (hit?.version === version) return hit.globals;
    const text = ts.sys.readFile(file) ?? '';
    const forced = options.moduleDetection === ts.ModuleDetectionKind.Force;
    const globals = /\bdeclare\s+(global|module|namespace)\b|^\/\/\/\s*<reference\b/m.test(text) || (!forced && !MODULE_SYNTAX.test(text) && !(/\.[cm]?jsx?$/i.test(file) && COMMONJS_SYNTAX.test(text)));
    this.globalsVerdicts.set(file, { version, globals });
    return globals;
  }

  private leaveOut(file: string, text: string): void {
    this.untyped.set(file, digest(text));
    if (this.untyped.size > MAX_UNTYPED) this.untyped.delete(this.untyped.keys().next().value!);
  }

  /** The project's program (reused while nothing changed) with its checker, and `file`'s SourceFile if it holds `text`. */
  private checkedProgram(
    project: Project,
    file: string | undefined,
    text: string | undefined,
  ): { program: ts.Program; sourceFile: ts.SourceFile; checker: ts.TypeChecker } | { program: undefined } | { error: string } {
    try {
      // Asking the LanguageService walks every file of the program to compare versions: with
      // nothing changed since the last answer (and that answer fresh), reuse its program.
      const now = Date.now();
      const last = project.lastSync;
      let program: ts.Program | undefined;
      if (last && last.state === this.state && now - last.at < Math.min(MAX_REUSE_MS, Math.max(DISK_VERSION_TTL_MS, 10 * last.cost))) program = last.program;
      else {
        project.lastSync = undefined;
        program = this.serviceOf(project).getProgram();
        if (program) program.getTypeChecker();
        const done = Date.now();
        project.lastSync = program ? { state: this.state, at: done, program, cost: done - now } : undefined;
      }
      const sourceFile = file === undefined ? undefined : program?.getSourceFile(file);
      if (!program || !sourceFile || sourceFile.text !== text) return { program: undefined };
      return { program, sourceFile, checker: program.getTypeChecker() };
    } catch (e) {
      return { error: (e as Error).message };
    }
  }

  private projectFor(file: string): Project {
    const config = this.findConfig(path.dirname(file));
    if (config) {
      // A JS file under a tsconfig without `allowJs` is not part of that program: it gets a
      // companion project with the same options plus allowJs, so it still sees its imports' types.
      const isJs = /\.[cm]?jsx?$/i.test(file);
      const existing = this.projects.get(config);
      if (existing && (!isJs || existing.options.allowJs)) return existing;
      const jsKey = `${config}#js`;
      if (existing && isJs) return this.projects.get(jsKey) ?? this.createProject(jsKey, { ...existing.options, allowJs: true, checkJs: false }, []);
      const parsed = this.readConfig(config);
      if (parsed) {
        // A file the tsconfig does not include is still analysed inside that project.
        const p = this.createProject(config, parsed.options, parsed.fileNames);
        if (isJs && !p.options.allowJs) return this.createProject(jsKey, { ...p.options, allowJs: true, checkJs: false }, []);
        return p;
      }
    }
    // Outside any tsconfig: the package's inferred project (one program per package of a
    // checkout or monorepo, not one holding every file of them all).
    const pkg = this.findPackage(path.dirname(file));
    const key = pkg ? `inferred:${pkg}` : 'inferred';
    return this.projects.get(key) ?? this.createProject(key, INFERRED_OPTIONS, [], pkg ?? process.cwd());
  }

  /**
   * The folder whose inferred project holds the files of `dir` that no tsconfig covers: the
   * outermost folder with a package.json at or above it (a package's examples or fixtures with
   * a package.json of their own run against the package around them), except that in a
   * monorepo (a package.json with `workspaces`, a pnpm-workspace.yaml or a lerna.json) each
   * package is one. Undefined outside any package; never looks above a node_modules folder.
   */
  private findPackage(dir: string): string | undefined {
    if (this.packageForDir.has(dir)) return this.packageForDir.get(dir);
    let found: string | undefined;
    const own = fs.existsSync(path.join(dir, 'package.json'));
    const parent = path.dirname(dir);
    if (own && this.isWorkspaceRoot(dir)) found = dir;
    else if (parent === dir || path.basename(dir) === 'node_modules') found = own ? dir : undefined;
    else {
      const above = this.findPackage(parent);
      found = own && (above === undefined || this.isWorkspaceRoot(above)) ? dir : above;
    }
    this.packageForDir.set(dir, found);
    return found;
  }

  /** Whether a folder is the root of a monorepo's workspaces (npm, yarn, pnpm or lerna). */
  private isWorkspaceRoot(dir: string): boolean {
    let known = this.workspaceRoots.get(dir);
    if (known === undefined) {
      const pkg = readJsonIn(dir, 'package.json');
      known = (!!pkg && typeof pkg === 'object' && 'workspaces' in pkg) || fs.existsSync(path.join(dir, 'pnpm-workspace.yaml')) || fs.existsSync(path.join(dir, 'lerna.json'));
      this.workspaceRoots.set(dir, known);
    }
    return known;
  }

  /** The project's LanguageService, made if it has none; the least recently used beyond MAX_LIVE_SERVICES is disposed. */
  private serviceOf(project: Project): ts.LanguageService {
    project.used = ++this.uses;
    if (project.service) return project.service;
    const live = [...this.projects.values()].filter((p) => p.service);
    if (live.length >= MAX_LIVE_SERVICES) {
      const oldest = live.reduce((a, b) => (b.used < a.used ? b : a));
      // Its files' texts go too (a file another program holds is read again when that one next syncs).
      for (const f of oldest.lastSync?.program.getSourceFiles() ?? []) this.diskSnapshots.delete(path.resolve(f.fileName));
      oldest.service!.dispose();
      oldest.service = undefined;
      oldest.lastSync = undefined;
    }
    project.service = ts.createLanguageService(project.host, this.registry);
    return project.service;
  }

  private findConfig(dir: string): string | undefined {
    if (this.configForDir.has(dir)) return this.configForDir.get(dir);
    let found: string | undefined;
    const candidate = ['tsconfig.json', 'jsconfig.json'].map((name) => path.join(dir, name)).find((c) => fs.existsSync(c));
    if (candidate) found = candidate;
    else {
      const parent = path.dirname(dir);
      found = parent === dir || path.basename(dir) === 'node_modules' ? undefined : this.findConfig(parent);
    }
    this.configForDir.set(dir, found);
    return found;
  }

  private readConfig(configPath: string): ts.ParsedCommandLine | undefined {
    const read = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
    if (read.error) {
      this.messages.push(`${configPath}: ${ts.flattenDiagnosticMessageText(read.error.messageText, '\n')}`);
      return undefined;
    }
    // jsconfig.json is a tsconfig.json with allowJs implied (as in VS Code).
    const existing = path.basename(configPath) === 'jsconfig.json' ? { allowJs: true, maxNodeModuleJsDepth: 2, allowSyntheticDefaultImports: true, skipLibCheck: true } : undefined;
    const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(configPath), existing, configPath);
    const fatal = parsed.errors.filter((d) => d.category === ts.DiagnosticCategory.Error && d.code !== 18003 /* no inputs */);
    for (const d of fatal) this.messages.push(`${configPath}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    if (fatal.some((d) => d.code === 18000 /* circularity */ || d.code === 6053 /* extends not found */)) return undefined;
    return parsed;
  }

  private createProject(key: string, options: ts.CompilerOptions, fileNames: readonly string[], dir = path.dirname(key.replace(/#js$/, ''))): Project {
    const configFiles = fileNames.map((f) => path.resolve(f));
    const compilerOptions: ts.CompilerOptions = { ...options, noEmit: true };
    const pinned = new Set(configFiles.filter((f) => this.declaresGlobals(f, compilerOptions)));
    const recent = new Set<string>();
    const host: ts.LanguageServiceHost = {
      getCompilationSettings: () => compilerOptions,
      getScriptFileNames: () => [...pinned, ...recent],
      getScriptVersion: (f) => {
        const abs = path.resolve(f);
        const open = this.overlay.get(abs);
        if (open) return `o${open.version}`;
        return this.diskVersion(abs);
      },
      getScriptSnapshot: (f) => {
        const open = this.overlay.get(path.resolve(f));
        if (open) return open.snapshot;
        return this.diskSnapshot(path.resolve(f));
      },
      getCurrentDirectory: () => dir,
      getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
      fileExists: (f) => this.overlay.has(path.resolve(f)) || ts.sys.fileExists(f),
      readFile: (f) => this.overlay.get(path.resolve(f))?.text ?? ts.sys.readFile(f),
      readDirectory: ts.sys.readDirectory,
      directoryExists: ts.sys.directoryExists,
      getDirectories: ts.sys.getDirectories,
      useCaseSensitiveFileNames: () => ts.sys.useCaseSensitiveFileNames,
      jsDocParsingMode: ts.JSDocParsingMode.ParseForTypeInfo,
    };
    const project: Project = { key, options: compilerOptions, configFiles, pinned, recent, host, used: 0 };
    this.projects.set(key, project);
    return project;
  }

  dispose(): void {
    for (const p of this.projects.values()) p.service?.dispose();
    this.projects.clear();
    this.diskSnapshots.clear();
  }
}

/**
 * A snapshot that tells the LanguageService what changed since the previous one (the common
 * prefix and suffix of the two texts), so an edit is re-parsed incrementally: only the changed
 * region, reusing the rest of the syntax tree, as tsserver does.
 */
class EditSnapshot implements ts.IScriptSnapshot {
  constructor(readonly text: string) {}

  getText(start: number, end: number): string {
    return this.text.substring(start, end);
  }

  getLength(): number {
    return this.text.length;
  }

  getChangeRange(old: ts.IScriptSnapshot): ts.TextChangeRange | undefined {
    if (!(old instanceof EditSnapshot)) return undefined;
    const a = old.text;
    const b = this.text;
    const { prefix, suffix } = changedSpan(a, b);
    return ts.createTextChangeRange(ts.createTextSpan(prefix, a.length - prefix - suffix), b.length - prefix - suffix);
  }
}

/** Whether a type is thenable: it (or a member of a union) has a callable `then`. */
export function isThenable(checker: ts.TypeChecker, type: ts.Type, node: ts.Node): boolean {
  for (const t of type.isUnion() ? type.types : [type]) {
    const then = t.getProperty('then');
    if (!then || isCypressChainable(checker, t)) continue;
    const thenType = checker.getTypeOfSymbolAtLocation(then, node);
    if (thenType.getCallSignatures().some((sig) => takesCallback(checker, sig, node))) return true;
  }
  return false;
}

/**
 * Whether a `then` signature takes a callback first (`then(onFulfilled, onRejected)`), as a
 * thenable's does: a DSL's `then(next: Step): Step` makes no thenable.
 */
function takesCallback(checker: ts.TypeChecker, sig: ts.Signature, node: ts.Node): boolean {
  const first = sig.getParameters()[0];
  if (!first) return true;
  const type = checker.getTypeOfSymbolAtLocation(first, node);
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.TypeParameter)) return true;
  return (type.isUnion() ? type.types : [type]).some((t) => t.getCallSignatures().length > 0 || !!(t.flags & (ts.TypeFlags.Any | ts.TypeFlags.TypeParameter)));
}

/**
 * Cypress commands (`cy.get(...)`): their `then` is a command of the queue, not a promise's, and
 * they must not be awaited.
 */
function isCypressChainable(checker: ts.TypeChecker, type: ts.Type): boolean {
  const symbol = type.getSymbol() ?? type.aliasSymbol;
  return symbol?.getName() === 'Chainable' && checker.getFullyQualifiedName(symbol) === 'Cypress.Chainable';
}

/**
 * A cheap "no" for calls: when every call signature of the callee has a concrete return type
 * (no type parameters) that is neither thenable nor an array of thenables, the call cannot give
 * a promise, and resolving the call itself (overloads, contextual typing of the arguments) is
 * skipped. False means "unknown", not "yes".
 */
export function callNeverThenable(services: TypeServices, call: TSESTree.CallExpression): boolean {
  const calleeTs = services.tsNodeFor(call.callee);
  if (!calleeTs) return false;
  const checker = services.checker;
  const calleeType = checker.getTypeAtLocation(calleeTs);
  if (calleeType.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return false;
  const signatures = calleeType.getNonNullableType().getCallSignatures();
  if (signatures.length === 0) return false;
  for (const signature of signatures) {
    if (signature.typeParameters?.length) return false;
    const returned = signature.getReturnType();
    if (returned.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Instantiable)) return false;
    if (isThenable(checker, returned, calleeTs)) return false;
    const element = returned.getNumberIndexType();
    if (element && (element.flags & ts.TypeFlags.Any || isThenable(checker, element, calleeTs))) return false;
  }
  return true;
}

/** Whether an expression's type is thenable, per the checker. */
export function isPromiseLike(services: TypeServices, node: TSESTree.Node): boolean {
  const tsNode = services.tsNodeFor(node);
  if (!tsNode) return false;
  return isThenable(services.checker, services.checker.getTypeAtLocation(tsNode), tsNode);
}

/** Whether an expression is an array (or tuple) of thenables, e.g. the result of `items.map(async ...)`. */
export function isPromiseArray(services: TypeServices, node: TSESTree.Node): boolean {
  const tsNode = services.tsNodeFor(node);
  if (!tsNode) return false;
  const type = services.checker.getTypeAtLocation(tsNode);
  if (isThenable(services.checker, type, tsNode)) return false;
  const element = type.getNumberIndexType();
  return element !== undefined && isThenable(services.checker, element, tsNode);
}
