/**
 * The Python front end: tree-sitter (WebAssembly) parsing, tolerant of syntax errors. The
 * grammar is loaded from the package's own files, never from the network.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Edit, Language, Parser, type Tree } from 'web-tree-sitter';
import { type FrontEnd, type ParsedFile, SkipFileError, isSkipFileError } from '../engine/frontend';
import { LineIndex, changedSpan } from '../engine/text';
import type { Range, Report, RuleSettings, SourceComment } from '../engine/types';
import type { PythonRuleContext, SharedAnalyses } from './context';
import { PythonProjectIndex, fromModule } from './project';
import { PythonScope } from './scope';
import { type SyntaxNode as Node, SyntaxTree, cursorExports } from './syntax';
import { nodesOfType } from './util';

/** Longest a single parse may take. */
export const PARSE_BUDGET_MS = 8000;

function locate(file: string, packagePath: string): string {
  const bundled = path.join(__dirname, 'wasm', file);
  if (fs.existsSync(bundled)) return bundled;
  return require.resolve(packagePath);
}

/**
 * The options given to web-tree-sitter's `Parser.init`, which its WebAssembly module fills with
 * its exports (see SyntaxTree.copy). The module is made once per process, by the first init: one
 * object for every front end.
 */
const WASM_MODULE = { locateFile: () => locate('web-tree-sitter.wasm', 'web-tree-sitter/web-tree-sitter.wasm') };

/** The raw cursor functions SyntaxTree.copy uses, once a front end is initialised (for tests). */
export function rawCursorExports(): ReturnType<typeof cursorExports> {
  return cursorExports(WASM_MODULE);
}

export class PythonFrontEnd implements FrontEnd<PythonRuleContext> {
  readonly language = 'python' as const;
  readonly extensions = ['.py', '.pyi'] as const;
  private parser: Parser | undefined;
  private ready: Promise<void> | undefined;
  private projectIndex: PythonProjectIndex | undefined;

  init(): Promise<void> {
    this.ready ??= (async () => {
      await Parser.init(WASM_MODULE);
      const grammar = await Language.load(locate('tree-sitter-python.wasm', 'tree-sitter-python/tree-sitter-python.wasm'));
      const parser = new Parser();
      parser.setLanguage(grammar);
      this.parser = parser;
      // A module read for its summary is often analysed next (or was just before): one tree.
      this.projectIndex = new PythonProjectIndex((filePath, text) => this.syntaxTree(filePath, text));
    })();
    return this.ready;
  }

  get project(): PythonProjectIndex {
    if (!this.projectIndex) throw new Error('PythonFrontEnd.init() was not awaited');
    return this.projectIndex;
  }

  /** A scan analyses each module after the modules it imports (see PythonProjectIndex.analysisOrder). */
  prepareFiles(filePaths: readonly string[]): string[] {
    return this.project.analysisOrder(filePaths);
  }

  mayReport(filePath: string, text: string): boolean {
    // The disk is looked at afresh: a module imported may have changed since the last analysis.
    this.project.beginPass();
    this.gated = undefined;
    const may = this.project.mayReport(filePath, text);
    if (may) this.gated = { filePath, text };
    return may;
  }

  /**
   * The text the gate has just let through. The engine parses it right after, in the same
   * synchronous step: that parse reads the disk as the gate found it, without a second pass.
   */
  private gated: { filePath: string; text: string } | undefined;

  updateFile(filePath: string, text: string | undefined): void {
    this.projectIndex?.updateFile(filePath, text);
    if (text === undefined) this.forgetTree(filePath);
  }

  /**
   * The last tree of each recently analysed file (a copy owned by this cache), so that the next
   * version of the file is re-parsed incrementally: tree-sitter reuses every subtree outside
   * the changed span.
   */
  private readonly lastTrees = new Map<string, { text: string; tree: Tree }>();

  private forgetTree(filePath: string): void {
    this.lastCopies.delete(filePath);
    const last = this.lastTrees.get(filePath);
    if (!last) return;
    last.tree.delete();
    this.lastTrees.delete(filePath);
  }

  /** Parses `text`, starting from the file's previous tree when there is one. */
  private parseIncrementally(filePath: string, text: string): Tree {
    const last = this.lastTrees.get(filePath);
    this.lastTrees.delete(filePath);
    let tree: Tree;
    try {
      if (last) for (const edit of editsBetween(last.text, text)) last.tree.edit(edit);
      tree = this.parseTree(text, last?.tree);
    } finally {
      last?.tree.delete();
    }
    this.lastTrees.set(filePath, { text, tree: tree.copy() });
    if (this.lastTrees.size > MAX_KEPT_TREES) this.forgetTree(this.lastTrees.keys().next().value!);
    return tree;
  }

  private rawCursor: ReturnType<typeof cursorExports> | undefined;

  private get raw(): ReturnType<typeof cursorExports> {
    return (this.rawCursor ??= rawCursorExports());
  }

  /** The JavaScript copy of a freshly parsed tree the rules read; the tree-sitter tree is deleted. */
  private copied(parsed: Tree, text: string): SyntaxTree {
    try {
      return SyntaxTree.copy(parsed, text, this.raw);
    } finally {
      parsed.delete();
    }
  }

  parseTree(text: string, previous?: Tree): Tree {
    if (!this.parser) throw new Error('PythonFrontEnd.init() was not awaited');
    // A time budget: some inputs (thousands of consecutive comment lines) make the grammar's
    // indentation scanner quadratic. Give up on those rather than block the server.
    const deadline = performance.now() + PARSE_BUDGET_MS;
    const tree = this.parser.parse(text, previous ?? null, { progressCallback: () => performance.now() > deadline });
    if (!tree) {
      this.parser.reset();
      throw new SkipFileError(`parsing took longer than ${PARSE_BUDGET_MS / 1000} s`);
    }
    return tree;
  }

  /**
   * The last syntax tree of each recently analysed file: the next version of the file re-parses
   * only the top-level statements an edit touched (see SyntaxTree.splice), and the same version
   * is not parsed again.
   */
  private readonly lastCopies = new Map<string, SyntaxTree>();

  /** The trees of the analyses under way: not to be spliced into another version. */
  private readonly inUse = new Map<SyntaxTree, number>();

  private syntaxTree(filePath: string, text: string): SyntaxTree {
    const last = this.lastCopies.get(filePath);
    if (last && last.text !== text && this.inUse.has(last)) {
      // Another version of a file under analysis (its text on disk, read for a summary).
      return this.copied(this.parseTree(text), text);
    }
    this.lastCopies.delete(filePath);
    let tree = last?.text === text ? last : undefined;
    if (!tree && last) tree = SyntaxTree.splice(last, text, (region) => this.tryParse(region), this.raw);
    tree ??= this.copied(this.parseIncrementally(filePath, text), text);
    this.lastCopies.set(filePath, tree);
    if (this.lastCopies.size > MAX_KEPT_TREES) this.lastCopies.delete(this.lastCopies.keys().next().value!);
    return tree;
  }

  private tryParse(text: string): Tree | undefined {
    try {
      return this.parseTree(text);
    } catch (e) {
      if (isSkipFileError(e)) return undefined;
      throw e;
    }
  }

  parse(filePath: string, text: string): ParsedFile<PythonRuleContext> {
    const tree = this.syntaxTree(filePath, text);
    this.inUse.set(tree, (this.inUse.get(tree) ?? 0) + 1);
    const lines = new LineIndex(text);
    let scope: PythonScope | undefined;
    const project = this.project;
    // Within the analysis of one file, the disk is looked at once per imported module.
    if (this.gated?.filePath !== filePath || this.gated.text !== text) project.beginPass();
    this.gated = undefined;
    const rangeOf = (node: Node): Range => ({
      start: { line: node.startPosition.row, character: node.startPosition.column },
      end: { line: node.endPosition.row, character: node.endPosition.column },
    });
    let comments: SourceComment[] | undefined;
    const shared: SharedAnalyses = {};
    return {
      // Collected on first use: only suppressions and comment edits need them.
      get comments() {
        comments ??= collectComments(tree.rootNode, lines);
        return comments;
      },
      makeContext: (report: (r: Report) => void, settings: RuleSettings = {}): PythonRuleContext => ({
        settings,
        language: 'python',
        filePath,
        text,
        tree,
        lines,
        get scope() {
          // `from .api import *` binds the names the project module exports.
          scope ??= new PythonScope(tree.rootNode, (statement, name) => project.starExports(filePath, fromModule(statement), name));
          return scope;
        },
        project,
        shared,
        report,
        rangeOf,
      }),
      dispose: () => {
        const uses = this.inUse.get(tree) ?? 0;
        if (uses > 1) this.inUse.set(tree, uses - 1);
        else this.inUse.delete(tree);
      },
    };
  }
}

const MAX_KEPT_TREES = 32;

/** A changed region: `before[oldStart, oldEnd)` became `after[newStart, newEnd)`. */
interface Hunk {
  oldStart: number;
  oldEnd: number;
  newStart: number;
  newEnd: number;
}

/**
 * The edits that turn `before` into `after`, in the UTF-16 code units and rows/columns
 * web-tree-sitter uses, to be applied in order (the last change first, so that each edit's
 * positions are those of `before`). Within the span between the common prefix and suffix,
 * lines that did not change separate the changes: a text changed in two places (two edits
 * between analyses) is re-parsed around each of them, not across all the lines in between.
 */
function editsBetween(before: string, after: string): Edit[] {
  const { prefix, suffix } = changedSpan(before, after);
  const hunks = changedLines(before, after, prefix, before.length - suffix, after.length - suffix);
  const points = pointsAt(before, hunks.flatMap((h) => [h.oldStart, h.oldEnd]));
  const edits: Edit[] = [];
  for (let i = hunks.length - 1; i >= 0; i--) {
    const h = hunks[i];
    const start = points[2 * i];
    edits.push(
      new Edit({
        startIndex: h.oldStart,
        oldEndIndex: h.oldEnd,
        newEndIndex: h.oldStart + (h.newEnd - h.newStart),
        startPosition: start,
        oldEndPosition: points[2 * i + 1],
        newEndPosition: advance(start, after, h.newStart, h.newEnd),
      }),
    );
  }
  return edits;
}

/** Below this, one edit: splitting would save little re-parsing. */
const MIN_SPLIT_SPAN = 256;
/** Beyond this many regions (a replace-all), one edit. */
const MAX_HUNKS = 16;

/**
 * The changed regions of the span `[start, oldEnd)` / `[start, newEnd)`, cut at the lines equal
 * in both versions, compared pairwise from the top; the lines left when one side runs out (or
 * the suffix is reached) belong to the last region.
 */
function changedLines(before: string, after: string, start: number, oldEnd: number, newEnd: number): Hunk[] {
  const whole = [{ oldStart: start, oldEnd, newStart: start, newEnd }];
  if (oldEnd - start < MIN_SPLIT_SPAN || newEnd - start < MIN_SPLIT_SPAN) return whole;
  const hunks: Hunk[] = [];
  let open: { oldStart: number; newStart: number } | undefined;
  let o = start;
  let n = start;
  for (;;) {
    const oldLineEnd = before.indexOf('\n', o) + 1;
    const newLineEnd = after.indexOf('\n', n) + 1;
    if (oldLineEnd === 0 || newLineEnd === 0 || oldLineEnd > oldEnd || newLineEnd > newEnd) break;
    const same = oldLineEnd - o === newLineEnd - n && before.slice(o, oldLineEnd) === after.slice(n, newLineEnd);
    if (same && open) {
      hunks.push({ oldStart: open.oldStart, oldEnd: o, newStart: open.newStart, newEnd: n });
      open = undefined;
    } else if (!same && !open) open = { oldStart: o, newStart: n };
    o = oldLineEnd;
    n = newLineEnd;
  }
  if (open) hunks.push({ oldStart: open.oldStart, oldEnd, newStart: open.newStart, newEnd });
  else if (o < oldEnd || n < newEnd) hunks.push({ oldStart: o, oldEnd, newStart: n, newEnd });
  return hunks.length > MAX_HUNKS ? whole : hunks.map((h) => narrowed(before, after, h));
}

/**
 * A region cut to the characters that differ. Whole lines would start every edit at column 0:
 * tree-sitter-python then re-reads the line's indentation, and its indentation scanner state
 * stops it from reusing anything after the edit (a re-parse of the rest of the file, 4 ms on
 * 2,000 lines, instead of 0.5 ms).
 */
function narrowed(before: string, after: string, h: Hunk): Hunk {
  let { oldStart, oldEnd, newStart, newEnd } = h;
  while (oldStart < oldEnd && newStart < newEnd && before.charCodeAt(oldStart) === after.charCodeAt(newStart)) {
    oldStart++;
    newStart++;
  }
  while (oldEnd > oldStart && newEnd > newStart && before.charCodeAt(oldEnd - 1) === after.charCodeAt(newEnd - 1)) {
    oldEnd--;
    newEnd--;
  }
  return { oldStart, oldEnd, newStart, newEnd };
}

/** The rows/columns of ascending offsets of `text`, in one pass. */
function pointsAt(text: string, offsets: readonly number[]): { row: number; column: number }[] {
  let row = 0;
  let lineStart = 0;
  let next = text.indexOf('\n');
  return offsets.map((index) => {
    while (next !== -1 && next < index) {
      row++;
      lineStart = next + 1;
      next = text.indexOf('\n', next + 1);
    }
    return { row, column: index - lineStart };
  });
}

/** The point reached from `start` by writing `text[from, to)`. */
function advance(start: { row: number; column: number }, text: string, from: number, to: number): { row: number; column: number } {
  let row = start.row;
  let lineStart = -1;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return lineStart < 0 ? { row, column: start.column + (to - from) } : { row, column: to - lineStart };
}

/** Every comment node (searched inside the WASM module: no recursion in JS, deep nesting is fine). */
function collectComments(root: Node, lines: LineIndex): SourceComment[] {
  const out: SourceComment[] = [];
  for (const c of nodesOfType(root, 'comment')) {
    const start = c.startPosition;
    const end = c.endPosition;
    const before = lines.lineText(start.row).slice(0, start.column);
    out.push({
      text: c.text,
      range: { start: { line: start.row, character: start.column }, end: { line: end.row, character: end.column } },
      ownLine: before.trim() === '',
    });
  }
  return out;
}
