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
import type { FrontEnd, ParsedFile } from '../engine/frontend';
import { LineIndex } from '../engine/text';
import type { Range, Report, RuleSettings, SourceComment } from '../engine/types';
import type { TsRuleContext } from './context';
import { TsImports } from './imports';
import { ProjectManager, type TypeServices } from './project';
import { indexTree } from './util';

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
      ast: estree as unknown as TSESTree.Program,
      sourceFile,
      esTreeToTs: astMaps.esTreeNodeToTSNodeMap as unknown as WeakMap<object, ts.Node>,
      syntaxErrors: diagnostics.length,
    };
  } finally {
    sf.parseDiagnostics = diagnostics;
  }
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

export class TsFrontEnd implements FrontEnd<TsRuleContext> {
  readonly language = 'typescript' as const;
  readonly extensions = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'] as const;
  readonly projects: ProjectManager;
  /** Whether rules get type information (a TypeScript program); off, they fall back to syntax. */
  readonly typeAware: boolean;

  constructor(options: { projects?: ProjectManager; typeAware?: boolean } = {}) {
    this.projects = options.projects ?? new ProjectManager();
    this.typeAware = options.typeAware ?? true;
  }

  init(): Promise<void> {
    return Promise.resolve();
  }

  updateFile(filePath: string, text: string | undefined): void {
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
    try {
      const found = this.typeAware ? this.programFor(filePath, text) : undefined;
      if (found) {
        const converted = convertSourceFile(found.sourceFile);
        parsed = converted;
        types = { ...found, tsNodeFor: (node) => converted.esTreeToTs.get(node as object) };
      } else parsed = parseTs(filePath, text);
    } catch (e) {
      // Pathological input (nesting deep enough to exhaust the converter's stack), or a
      // recovered tree the converter cannot handle (it assumes nodes a syntax error left out,
      // e.g. `Promise<` at the end of the file): analyse nothing in this version of the file
      // rather than fail the run. A file without syntax errors that fails is a real bug.
      if (!(e instanceof RangeError) && !hasSyntaxErrors(filePath, text)) throw e;
      parsed = undefined;
    }
    const ast = parsed?.ast ?? emptyProgram(text);
    const lines = new LineIndex(text);
    // Suppression directives all contain `asyncsense-`: without it there is nothing to collect.
    const comments: SourceComment[] = (text.includes('asyncsense-') ? (ast.comments ?? []) : []).map((c) => {
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
          imports ??= new TsImports(ast);
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
