/**
 * The TypeScript/JavaScript front end. Syntax comes from typescript-estree (ESTree nodes, as
 * ESLint rules see them); types, when a rule asks, from a TypeScript LanguageService.
 *
 * Tolerance: typescript-estree's `parse` throws on the first syntax error. TypeScript's own
 * parser always recovers, so the file is parsed with `ts.createSourceFile` and converted with
 * typescript-estree's converter (its `use-at-your-own-risk` entry point) with the parse
 * diagnostics set aside, and `allowInvalidAST` so recovered nodes convert too. Findings before
 * and after a syntax error are therefore still reported.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { astConverter } from '@typescript-eslint/typescript-estree/use-at-your-own-risk';
import { iterateComments } from 'ts-api-utils';
import * as path from 'node:path';
import * as ts from 'typescript';
import { type FrontEnd, type ParsedFile, SkipFileError } from '../engine/frontend';
import { mayHaveSuppressions } from '../engine/suppressions';
import { LineIndex, changedSpan } from '../engine/text';
import type { Range, Report, RuleSettings, SourceComment } from '../engine/types';
import type { TsRuleContext } from './context';
import { TS_EXTENSIONS } from './extensions';
import { TsImports } from './imports';
import { DECLARATION_FILE, ProjectManager, type TypeServices } from './project';
import { flatTreeOf, indexTree } from './util';
import { forgetAppPackages } from './mobileApis';
import { forgetExpressVersions } from './serverSdkApis';
import { forgetManifests } from './webExtensions';
import { autoImportsFor, forgetAutoImports } from './autoImports';

const SCRIPT_KIND: Record<string, ts.ScriptKind> = {
  '.ts': ts.ScriptKind.TS,
  '.mts': ts.ScriptKind.TS,
  '.cts': ts.ScriptKind.TS,
  '.tsx': ts.ScriptKind.TSX,
  '.js': ts.ScriptKind.JS,
  '.mjs': ts.ScriptKind.JS,
  '.cjs': ts.ScriptKind.JS,
  '.jsx': ts.ScriptKind.JSX,
};

export interface ParsedTs {
  ast: TSESTree.Program;
  sourceFile: ts.SourceFile;
  esTreeToTs: WeakMap<object, ts.Node> | Map<object, ts.Node>;
  syntaxErrors: number;
}

/** Parses TS/JS text into ESTree, recovering from syntax errors. Throws only on catastrophic input. */
export function parseTs(filePath: string, text: string): ParsedTs {
  const ext = path.extname(filePath).toLowerCase();
  const kind = SCRIPT_KIND[ext] ?? ts.ScriptKind.TS;
  return convertSourceFile(ts.createSourceFile(filePath, text, ts.ScriptTarget.Latest, true, kind));
}

/**
 * Converts a parsed (or, with a program, bound) SourceFile to ESTree. With the program's own
 * SourceFile the file is parsed once, and ESTree nodes map straight to the checker's nodes.
 */
export function convertSourceFile(sourceFile: ts.SourceFile): ParsedTs {
  const { estree, map } = convertRaw(sourceFile);
  return finish(estree, sourceFile, map);
}

/** typescript-estree's conversion of a SourceFile (or of a view of it), syntax errors set aside. */
function convertRaw(sourceFile: ts.SourceFile): { estree: TSESTree.Program; map: WeakMap<object, ts.Node> } {
  const sf = sourceFile as ts.SourceFile & { parseDiagnostics: ts.Diagnostic[] };
  const diagnostics = sf.parseDiagnostics;
  sf.parseDiagnostics = [];
  try {
    const { estree, astMaps } = astConverter(
      sourceFile,
      {
        allowInvalidAST: true,
        errorOnUnknownASTType: false,
        range: true,
        // The converter computes `loc` anyway; `false` only deletes it afterwards, in a walk that
        // leaves every node a slow dictionary-mode object.
        loc: true,
        tokens: false,
        // Comments are collected lazily (see below): most files need none.
        comment: false,
        suppressDeprecatedPropertyWarnings: true,
      } as never,
      true,
    );
    return { estree: estree as unknown as TSESTree.Program, map: astMaps.esTreeNodeToTSNodeMap as unknown as WeakMap<object, ts.Node> };
  } finally {
    sf.parseDiagnostics = diagnostics;
  }
}

function finish(estree: TSESTree.Program, sourceFile: ts.SourceFile, map: WeakMap<object, ts.Node>): ParsedTs {
  // Rules walk upwards (innermost function, statement position): `parent` is set on every
  // node, and the node order is recorded for the rules' walks.
  indexTree(estree as unknown as TSESTree.Node);
  // `ast.comments` is computed on first use: scanning every comment of a file costs as much
  // as a fifth of the conversion, and only suppressions and a few rule checks look at them.
  let comments: TSESTree.Comment[] | undefined;
  Object.defineProperty(estree, 'comments', {
    configurable: true,
    enumerable: true,
    get: () =>
      (comments ??= Array.from(iterateComments(sourceFile), ({ pos, end, kind, value }) => ({
        type: kind === ts.SyntaxKind.SingleLineCommentTrivia ? 'Line' : 'Block',
        value,
        range: [pos, end],
      })) as TSESTree.Comment[]),
  });
  return {
    ast: estree,
    sourceFile,
    esTreeToTs: map,
    syntaxErrors: (sourceFile as ts.SourceFile & { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics.length,
  };
}

interface ReusableStatement {
  es: TSESTree.ProgramStatement;
  /** Offset and (0-based) line of the TS statement's start when converted. */
  start: number;
  line: number;
  /** Position of `es` in its Program's flat tree. */
  at: number;
}

/** What one conversion of a file leaves for the next. */
export interface ConvertedFile {
  parsed: ParsedTs;
  text: string;
  /** Each top-level statement's ESTree node, with its start offset and place in the flat tree when converted. */
  statements: Map<ts.Node, ReusableStatement>;
}

/**
 * Converts the SourceFile of an edited file, reusing the ESTree of the top-level statements the
 * TypeScript parser itself reused from the previous version (same node objects): those are moved
 * by the edit's offset and line delta instead of being converted again. A statement on the line
 * where the edit ends is converted afresh (its columns may have changed), as is anything the
 * reuse cannot account for (directive prologues, a different tree). The result equals a fresh
 * conversion; a property test checks it.
 */
export function convertIncrementally(sourceFile: ts.SourceFile, previous: ConvertedFile | undefined): ConvertedFile {
  if (previous?.parsed.sourceFile === sourceFile) return previous;
  const statements = sourceFile.statements;
  const plan = previous ? planReuse(sourceFile, previous) : undefined;
  if (!plan) return convertWhole(sourceFile);
  // Fresh statements are converted together, through a view of the SourceFile that holds only them.
  // Its tokens are the file's own (the converter looks for the token after `export`).
  const view = Object.create(sourceFile, {
    statements: { value: plan.fresh },
    getChildren: { value: () => sourceFile.getChildren(sourceFile) },
  }) as ts.SourceFile;
  const { estree, map } = convertRaw(view);
  if (estree.body.length !== plan.fresh.length) return convertWhole(sourceFile);
  const old = flatTreeOf(previous!.parsed.ast as unknown as TSESTree.Node)!;
  const persistent = previous!.parsed.esTreeToTs as WeakMap<object, ts.Node>;
  const seen = new Set<object>();
  let freshAt = 0;
  const body: TSESTree.ProgramStatement[] = [];
  for (const step of plan.steps) {
    if (step.kind === 'fresh') {
      body.push(estree.body[freshAt++]);
      continue;
    }
    const { es, at } = step.reused;
    if (step.delta !== 0 || step.lines !== 0) {
      for (let i = at, stop = old.end[at]; i < stop; i++) {
        const n = old.nodes[i] as TSESTree.Node;
        if (!seen.has(n.range)) {
          seen.add(n.range);
          n.range[0] += step.delta;
          n.range[1] += step.delta;
        }
        if (step.lines !== 0) {
          if (!seen.has(n.loc.start)) {
            seen.add(n.loc.start);
            n.loc.start.line += step.lines;
          }
          if (!seen.has(n.loc.end)) {
            seen.add(n.loc.end);
            n.loc.end.line += step.lines;
          }
        }
      }
    }
    body.push(es);
  }
  estree.body = body;
  persistent.set(estree, sourceFile);
  const parsed = finish(estree, sourceFile, persistent);
  // The fresh statements' nodes join the file's ESTree-to-TS map.
  const flat = flatTreeOf(estree as unknown as TSESTree.Node)!;
  const index = statementIndex(estree, statements, sourceFile);
  // Statements and ESTree that do not pair up are not expected: convert the whole file then.
  if (!index) return convertWhole(sourceFile);
  for (const stmt of plan.fresh) {
    const at = index.get(stmt)!.at;
    for (let i = at, stop = flat.end[at]; i < stop; i++) {
      const tsNode = map.get(flat.nodes[i]);
      if (tsNode) persistent.set(flat.nodes[i], tsNode);
    }
  }
  return { parsed, text: sourceFile.text, statements: index };
}

/** A whole conversion, with what the next version needs to reuse it. */
function convertWhole(sourceFile: ts.SourceFile): ConvertedFile {
  const parsed = convertSourceFile(sourceFile);
  return { parsed, text: sourceFile.text, statements: statementIndex(parsed.ast, sourceFile.statements, sourceFile) ?? new Map() };
}

type ReuseStep =
  | { kind: 'fresh' }
  | { kind: 'reused'; reused: ReusableStatement; delta: number; lines: number };

/** Which statements keep their ESTree (and by how much they move), or undefined to convert all. */
function planReuse(sourceFile: ts.SourceFile, previous: ConvertedFile): { steps: ReuseStep[]; fresh: ts.Statement[] } | undefined {
  const text = sourceFile.text;
  const { prefix, suffix } = changedSpan(previous.text, text);
  const changeEnd = text.length - suffix;
  const lineStarts = sourceFile.getLineStarts();
  const steps: ReuseStep[] = [];
  const fresh: ts.Statement[] = [];
  let reused = 0;
  // Directives (`'use client'`, `'use strict'`) are the string statements that open the file.
  let prologue = true;
  for (const stmt of sourceFile.statements) {
    const isString = ts.isExpressionStatement(stmt) && ts.isStringLiteral(stmt.expression);
    prologue &&= isString;
    const before = previous.statements.get(stmt);
    if (before && (!isString || ((before.es as { directive?: string }).directive !== undefined) === prologue)) {
      if (stmt.end <= prefix) {
        steps.push({ kind: 'reused', reused: before, delta: 0, lines: 0 });
        reused++;
        continue;
      }
      const start = stmt.getStart(sourceFile);
      const line = ts.getLineAndCharacterOfPosition(sourceFile, start).line;
      // The whole line, from the newline before it, lies after the change: columns are as before.
      if (lineStarts[line] > changeEnd) {
        steps.push({ kind: 'reused', reused: before, delta: start - before.start, lines: line - before.line });
        reused++;
        continue;
      }
    }
    // Converted on its own, a string statement would be taken for a directive or not by the
    // statements around it in the view, not in the file.
    if (isString) return undefined;
    steps.push({ kind: 'fresh' });
    fresh.push(stmt);
  }
  return reused > 0 ? { steps, fresh } : undefined;
}

/** Top-level statements by TS node, or undefined when ESTree and TS statements do not pair up. */
function statementIndex(ast: TSESTree.Program, statements: readonly ts.Statement[], sourceFile: ts.SourceFile): ConvertedFile['statements'] | undefined {
  if (ast.body.length !== statements.length) return undefined;
  const flat = flatTreeOf(ast as unknown as TSESTree.Node);
  if (!flat) return undefined;
  const index: ConvertedFile['statements'] = new Map();
  // In document order, each statement's subtree follows the previous one's (the Program is first).
  let at = 1;
  for (let k = 0; k < statements.length; k++) {
    if (flat.nodes[at] !== ast.body[k]) return undefined;
    const start = statements[k].getStart(sourceFile);
    index.set(statements[k], { es: ast.body[k], start, line: ts.getLineAndCharacterOfPosition(sourceFile, start).line, at });
    at = flat.end[at];
  }
  return index;
}

function hasSyntaxErrors(filePath: string, text: string): boolean {
  const kind = SCRIPT_KIND[path.extname(filePath).toLowerCase()] ?? ts.ScriptKind.TS;
  const sf = ts.createSourceFile(filePath, text, ts.ScriptTarget.Latest, false, kind) as ts.SourceFile & { parseDiagnostics: ts.Diagnostic[] };
  return sf.parseDiagnostics.length > 0;
}

function emptyProgram(text: string): TSESTree.Program {
  return {
    type: 'Program',
    body: [],
    sourceType: 'module',
    comments: [],
    tokens: [],
    range: [0, text.length],
    loc: { start: { line: 1, column: 0 }, end: { line: 1, column: 0 } },
  } as unknown as TSESTree.Program;
}

/**
 * Forgets the token nodes TypeScript caches for a file's syntax tree once the converter has asked
 * for them (`getChildren()`): they are rebuilt if asked for again, and on a large project they
 * hold about a tenth of the heap. Kept for the files being edited (their last conversions).
 */
function dropTokenCache(sourceFile: ts.SourceFile): void {
  // Internal to the compiler (moving a file's cache to another key): absent, nothing is freed.
  const transfer = (ts as unknown as { transferSourceFileChildren?: (from: ts.SourceFile, to: object) => void }).transferSourceFileChildren;
  if (typeof transfer === 'function') transfer(sourceFile, {});
}

/** How many files' last conversions are kept (the files being edited). */
const KEPT_CONVERSIONS = 8;

export class TsFrontEnd implements FrontEnd<TsRuleContext> {
  readonly language = 'typescript' as const;
  readonly extensions = TS_EXTENSIONS;
  readonly projects: ProjectManager;
  /** Whether rules get type information (a TypeScript program); off, they fall back to syntax. */
  readonly typeAware: boolean;
  /** The last conversion of recently analysed files, for the next version's incremental conversion. */
  private readonly converted = new Map<string, ConvertedFile>();

  constructor(options: { projects?: ProjectManager; typeAware?: boolean } = {}) {
    this.projects = options.projects ?? new ProjectManager();
    this.typeAware = options.typeAware ?? true;
  }

  init(): Promise<void> {
    return Promise.resolve();
  }

  updateFile(filePath: string, text: string | undefined): void {
    // A package.json tells which packages are mobile apps (see inMobileAppPackage); it is no source file.
    if (path.basename(filePath) === 'package.json') {
      forgetAppPackages();
      forgetAutoImports();
      forgetExpressVersions();
      return;
    }
    // A browser extension's manifest.json tells its Manifest version (see extensionPromiseApi).
    if (path.basename(filePath) === 'manifest.json') {
      forgetManifests();
      return;
    }
    // The files that declare a project's auto-imports (see autoImportsFor).
    if (/^(imports\.d\.ts|auto-imports\.d\.ts|nuxt\.config\.[cm]?[jt]s)$/.test(path.basename(filePath))) forgetAutoImports();
    // Other files of no front end's (a pyproject.toml) are nothing to the programs.
    if (!(TS_EXTENSIONS as readonly string[]).includes(path.extname(filePath).toLowerCase())) return;
    this.projects.updateFile(filePath, text);
  }

  prepareFiles(filePaths: readonly string[]): void {
    if (this.typeAware) this.projects.addRootFiles(filePaths);
  }

  /** The program's SourceFile for the text, when a program can be built (never throws). */
  private programFor(filePath: string, text: string) {
    try {
      return this.projects.programFor(filePath, text);
    } catch (e) {
      this.projects.messages.push(`type information unavailable for ${filePath}: ${(e as Error).message}`);
      return undefined;
    }
  }

  parse(filePath: string, text: string): ParsedFile<TsRuleContext> {
    let parsed: ParsedTs | undefined;
    // Type information comes with the parse: a file that has types is parsed by its program.
    let types: TypeServices | undefined;
    // A declaration file holds types only: no code of it ever runs, so no rule has anything to
    // find there (its declarations still reach the program through the files importing it).
    const declarations = DECLARATION_FILE.test(filePath);
    try {
      const found = this.typeAware && !declarations ? this.programFor(filePath, text) : undefined;
      if (found) {
        const key = path.resolve(filePath);
        // Taken out first: a conversion that throws leaves nothing half-updated behind.
        const previous = this.converted.get(key);
        this.converted.delete(key);
        const entry = convertIncrementally(found.sourceFile, previous);
        this.converted.set(key, entry);
        if (this.converted.size > KEPT_CONVERSIONS) {
          const [oldest, dropped] = this.converted.entries().next().value!;
          this.converted.delete(oldest);
          dropTokenCache(dropped.parsed.sourceFile);
        }
        const converted = entry.parsed;
        parsed = converted;
        types = { ...found, tsNodeFor: (node) => converted.esTreeToTs.get(node as object) };
      } else if (!declarations) parsed = parseTs(filePath, text);
    } catch (e) {
      // Nesting deep enough to exhaust the converter's stack: the file is skipped, with the
      // reason, rather than reported clean.
      if (e instanceof RangeError && /call stack/i.test(e.message)) throw new SkipFileError('nested too deeply to analyse');
      // A recovered tree the converter cannot handle (it assumes nodes a syntax error left out,
      // e.g. `Promise<` at the end of the file): analyse nothing in this version of the file
      // rather than fail the run. A file without syntax errors that fails is a real bug.
      if (!hasSyntaxErrors(filePath, text)) throw e;
      parsed = undefined;
    }
    const ast = parsed?.ast ?? emptyProgram(text);
    const lines = new LineIndex(text);
    // Only suppression directives are read from comments: without one there is nothing to collect.
    const comments: SourceComment[] = (mayHaveSuppressions(text, 'typescript') ? (ast.comments ?? []) : []).map((c) => {
      const start = lines.positionAt(c.range[0]);
      const before = lines.lineText(start.line).slice(0, start.character);
      return {
        text: c.type === 'Line' ? `//${c.value}` : `/*${c.value}*/`,
        range: lines.range(c.range[0], c.range[1]),
        ownLine: before.trim() === '',
      };
    });
    let imports: TsImports | undefined;
    const rangeOf = (node: TSESTree.Node | TSESTree.Token): Range => lines.range(node.range[0], node.range[1]);
    return {
      comments,
      makeContext: (report: (r: Report) => void, settings: RuleSettings = {}): TsRuleContext => ({
        settings,
        language: 'typescript',
        filePath,
        text,
        ast,
        lines,
        get imports() {
          imports ??= new TsImports(ast, autoImportsFor(filePath));
          return imports;
        },
        types: () => types,
        report,
        rangeOf,
      }),
      dispose: () => undefined,
    };
  }
}
