/**
 * The Python syntax tree the rules read: a plain JavaScript copy of tree-sitter's tree, made
 * once per parse.
 *
 * Every read through web-tree-sitter's Node API crosses into the WebAssembly module and makes a
 * new Node object (a child, a parent, a field, a type): rules that ask many questions of many
 * nodes spent most of their time there. The copy is read at JavaScript speed, its nodes are
 * shared (a node's parent is the same object as the one its siblings point to), and each node
 * type is indexed once for the whole-file searches the rules make.
 *
 * The members keep web-tree-sitter's names and meaning (`type`, `text`, `childForFieldName`,
 * `namedChildren`, `descendantsOfType`, ...), so a rule reads it as it would read a Node.
 */
import type { Language, Tree } from 'web-tree-sitter';
import { changedSpan } from '../engine/text';

export interface Point {
  row: number;
  column: number;
}

export class SyntaxNode {
  /** Unique within the tree: its number in document (pre-)order. */
  id: number;
  /** The parent's children, `this` included, at `indexInParent`. */
  parent: SyntaxNode | null;
  indexInParent = 0;
  /** Shared and empty until a first child is added (most nodes are leaves). Do not modify. */
  children: SyntaxNode[] = NO_CHILDREN;
  private named: SyntaxNode[] | undefined = undefined;
  private cachedText: string | undefined = undefined;
  /** MISSING, and what hasError found (once asked). */
  private flags: number;

  constructor(
    public tree: SyntaxTree,
    id: number,
    readonly typeId: number,
    /** The field the parent holds this node under (0: none). */
    readonly fieldId: number,
    public startIndex: number,
    public endIndex: number,
    parent: SyntaxNode | null,
    isMissing: boolean,
  ) {
    this.id = id;
    this.parent = parent;
    this.flags = isMissing ? MISSING : 0;
  }

  /** A token tree-sitter inserted to recover from a syntax error (zero-width). */
  get isMissing(): boolean {
    return (this.flags & MISSING) !== 0;
  }

  get type(): string {
    return this.tree.types[this.typeId] || 'ERROR';
  }

  get isNamed(): boolean {
    return this.tree.isNamedSymbol(this.typeId);
  }

  get isError(): boolean {
    return this.typeId === ERROR_SYMBOL;
  }

  /** Whether the node is, or holds, a syntax error or a missing token. */
  get hasError(): boolean {
    if ((this.flags & ERROR_KNOWN) === 0) {
      if (!this.tree.anyError) this.flags |= ERROR_KNOWN;
      else {
        // Bottom-up over the subtree, without recursion.
        const order: SyntaxNode[] = [];
        const stack: SyntaxNode[] = [this];
        while (stack.length) {
          const n = stack.pop()!;
          if ((n.flags & ERROR_KNOWN) !== 0) continue;
          order.push(n);
          for (const c of n.children) stack.push(c);
        }
        for (let i = order.length - 1; i >= 0; i--) {
          const n = order[i];
          const error = n.typeId === ERROR_SYMBOL || (n.flags & MISSING) !== 0 || n.children.some((c) => (c.flags & HAS_ERROR) !== 0);
          n.flags |= ERROR_KNOWN | (error ? HAS_ERROR : 0);
        }
      }
    }
    return (this.flags & HAS_ERROR) !== 0;
  }

  get text(): string {
    return (this.cachedText ??= this.tree.text.slice(this.startIndex, this.endIndex));
  }

  get startPosition(): Point {
    return this.tree.pointAt(this.startIndex);
  }

  get endPosition(): Point {
    return this.tree.pointAt(this.endIndex);
  }

  get namedChildren(): SyntaxNode[] {
    return (this.named ??= this.children.filter((c) => c.isNamed));
  }

  get childCount(): number {
    return this.children.length;
  }

  get namedChildCount(): number {
    return this.namedChildren.length;
  }

  child(index: number): SyntaxNode | null {
    return this.children[index] ?? null;
  }

  namedChild(index: number): SyntaxNode | null {
    return this.namedChildren[index] ?? null;
  }

  get firstChild(): SyntaxNode | null {
    return this.children[0] ?? null;
  }

  get lastChild(): SyntaxNode | null {
    return this.children[this.children.length - 1] ?? null;
  }

  get firstNamedChild(): SyntaxNode | null {
    return this.namedChildren[0] ?? null;
  }

  get lastNamedChild(): SyntaxNode | null {
    const named = this.namedChildren;
    return named[named.length - 1] ?? null;
  }

  get nextSibling(): SyntaxNode | null {
    return this.parent?.children[this.indexInParent + 1] ?? null;
  }

  get previousSibling(): SyntaxNode | null {
    return this.parent?.children[this.indexInParent - 1] ?? null;
  }

  get nextNamedSibling(): SyntaxNode | null {
    const siblings = this.parent?.children ?? [];
    for (let i = this.indexInParent + 1; i < siblings.length; i++) if (siblings[i].isNamed) return siblings[i];
    return null;
  }

  get previousNamedSibling(): SyntaxNode | null {
    const siblings = this.parent?.children ?? [];
    for (let i = this.indexInParent - 1; i >= 0; i--) if (siblings[i].isNamed) return siblings[i];
    return null;
  }

  /** The first child held under the field `name`, as tree-sitter's `childForFieldName`. */
  childForFieldName(name: string): SyntaxNode | null {
    const id = this.tree.fieldId(name);
    if (id === 0) return null;
    for (const c of this.children) if (c.fieldId === id) return c;
    return null;
  }

  childrenForFieldName(name: string): SyntaxNode[] {
    const id = this.tree.fieldId(name);
    return id === 0 ? [] : this.children.filter((c) => c.fieldId === id);
  }

  /** The name of the field the `index`th child is held under, or null. */
  fieldNameForChild(index: number): string | null {
    const c = this.children[index];
    return c && c.fieldId ? this.tree.fieldName(c.fieldId) : null;
  }

  /** The descendants (not the node itself) of the given types, named or not, in document order. */
  descendantsOfType(types: string | readonly string[]): SyntaxNode[] {
    if (this === this.tree.rootNode && typeof types === 'string') return this.tree.nodesOfType(types).slice();
    const wanted = typeof types === 'string' ? [types] : types;
    const out: SyntaxNode[] = [];
    const stack: SyntaxNode[] = [];
    for (let i = this.children.length - 1; i >= 0; i--) stack.push(this.children[i]);
    while (stack.length) {
      const n = stack.pop()!;
      if (wanted.includes(n.type)) out.push(n);
      for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
    }
    return out;
  }

  /** The smallest node that spans `[start, end]`, as tree-sitter's: it must reach past `start`. */
  descendantForIndex(start: number, end = start): SyntaxNode {
    let node: SyntaxNode = this;
    for (;;) {
      const next = node.children.find((c) => c.startIndex <= start && end <= c.endIndex && start < c.endIndex);
      if (!next) return node;
      node = next;
    }
  }

  equals(other: SyntaxNode): boolean {
    return this === other;
  }

  toString(): string {
    return `(${this.type})`;
  }
}

const ERROR_SYMBOL = 65535;
const MISSING = 1;
const ERROR_KNOWN = 2;
const HAS_ERROR = 4;
const NO_CHILDREN: SyntaxNode[] = [];

function adopt(parent: SyntaxNode, child: SyntaxNode): void {
  if (parent.children === NO_CHILDREN) parent.children = [child];
  else {
    child.indexInParent = parent.children.length;
    parent.children.push(child);
  }
}

export class SyntaxTree {
  rootNode!: SyntaxNode;
  /** Node type names by symbol, as `language.types`. */
  readonly types: readonly string[];
  /** The nodes below the root by symbol (ERROR's last), in document order. */
  private bySymbol: (SyntaxNode[] | undefined)[] = [];
  /** How many nodes the tree has (the next id). */
  private size = 0;
  private readonly lists = new Map<string, readonly SyntaxNode[]>();
  private readonly fieldIds = new Map<string, number>();
  private lineStarts: number[] | undefined;

  constructor(
    public text: string,
    readonly language: Language,
    /** Whether tree-sitter found a syntax error or left out a token anywhere. */
    public anyError: boolean,
  ) {
    this.types = language.types;
    this.namedTable = namedTableOf(language);
    this.symbols = symbolsNamed(language);
  }

  /** The symbols of each node type name. */
  private readonly symbols: ReadonlyMap<string, readonly number[]>;

  /** The slot of a symbol in `bySymbol`. */
  private slot(symbol: number): number {
    return symbol === ERROR_SYMBOL ? this.types.length : symbol;
  }

  /** Adds a node to the index by type, after the nodes before it in document order. */
  private index(n: SyntaxNode): void {
    const slot = this.slot(n.typeId);
    const list = this.bySymbol[slot];
    if (list) list.push(n);
    else this.bySymbol[slot] = [n];
  }

  /** Sets the root and indexes the nodes by type (`all` in document order, the root first). */
  private finish(root: SyntaxNode, all: readonly SyntaxNode[]): this {
    this.rootNode = root;
    this.size = all.length;
    for (let i = 1; i < all.length; i++) this.index(all[i]);
    return this;
  }

  /** Every node of a type (named or not) below the root, in document order. Do not modify. */
  nodesOfType(type: string): readonly SyntaxNode[] {
    const symbols = this.symbols.get(type);
    if (!symbols) return EMPTY;
    if (symbols.length === 1) return this.bySymbol[this.slot(symbols[0])] ?? EMPTY;
    let list = this.lists.get(`*${type}`);
    if (!list) this.lists.set(`*${type}`, (list = symbols.flatMap((s) => this.bySymbol[this.slot(s)] ?? []).sort((a, b) => a.id - b.id)));
    return list;
  }

  /**
   * Every named node of the given types below the root, in document order (keywords share
   * their node's type name: `yield`, `await`). Made once per tree. Do not modify.
   */
  namedNodesOfTypes(types: string | readonly string[]): readonly SyntaxNode[] {
    const key = typeof types === 'string' ? types : types.join(',');
    let list = this.lists.get(key);
    if (!list) {
      const named = (t: string) => {
        const nodes = this.nodesOfType(t);
        return nodes.every((n) => n.isNamed) ? nodes : nodes.filter((n) => n.isNamed);
      };
      // Node ids are numbered in document order.
      list = typeof types === 'string' ? named(types) : types.length === 1 ? named(types[0]) : types.flatMap(named).sort((a, b) => a.id - b.id);
      this.lists.set(key, list);
    }
    return list;
  }

  /** Whether each symbol names a named node (ERROR is one). */
  private readonly namedTable: readonly boolean[];

  isNamedSymbol(symbol: number): boolean {
    return symbol === ERROR_SYMBOL || this.namedTable[symbol] === true;
  }

  fieldId(name: string): number {
    let id = this.fieldIds.get(name);
    if (id === undefined) this.fieldIds.set(name, (id = this.language.fieldIdForName(name) ?? 0));
    return id;
  }

  fieldName(id: number): string | null {
    return this.language.fieldNameForId(id);
  }

  /** The row and column (UTF-16 code units) of an offset: rows end at `\n`, as in tree-sitter. */
  pointAt(index: number): Point {
    const starts = (this.lineStarts ??= lineStartsOf(this.text));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= index) lo = mid;
      else hi = mid - 1;
    }
    return { row: lo, column: index - starts[lo] };
  }

  /** A copy of `tree` (parsed from `text`). The tree-sitter tree stays the caller's to delete. */
  static copy(tree: Tree, text: string, raw: CursorExports | undefined): SyntaxTree {
    const into = new SyntaxTree(text, tree.language, tree.rootNode.hasError);
    const all: SyntaxNode[] = [];
    const root = raw ? copyFast(tree, into, raw, 0, all) : copyPublic(tree, into, all);
    return into.finish(root, all);
  }

  /**
   * `previous`, brought to `text` (an edited version of its text) by re-parsing only the
   * top-level statements the edit touched: the nodes of the others are kept (those after the
   * edit move by its length). The result is node for node the tree a parse of the whole text
   * gives (a test compares the two on random edits). The tree is changed in place: whoever read
   * the previous version must be done with it.
   *
   * The statements re-parsed run from the last top-level statement starting at column 0 at or
   * before the edit to the first one after it, so that the trailing comments of a block stay with
   * it. Undefined, and `previous` unchanged (parse the whole text instead), when the re-parsed
   * statements hold a syntax error, whose recovery can reach beyond them, when the previous tree
   * has one outside them, or when the edit spans most of the file.
   */
  static splice(previous: SyntaxTree, text: string, parse: (text: string) => Tree | undefined, raw: CursorExports | undefined): SyntaxTree | undefined {
    if (!raw) return undefined;
    const before = previous.text;
    const { prefix, suffix } = changedSpan(before, text);
    const oldEnd = before.length - suffix;
    const delta = text.length - before.length;
    const old = previous.rootNode;
    const kids = old.children;
    const boundary = (n: SyntaxNode): boolean => n.type !== 'comment' && (n.startIndex === 0 || before.charCodeAt(n.startIndex - 1) === 10);
    let first = 0;
    for (let k = 0; k < kids.length && kids[k].startIndex <= prefix; k++) if (boundary(kids[k])) first = k;
    let last = kids.length;
    for (let k = first + 1; k < kids.length; k++) {
      if (kids[k].startIndex > oldEnd && boundary(kids[k])) {
        last = k;
        break;
      }
    }
    // A syntax error the edit may be mending is fine inside the re-parsed statements; outside
    // them it may have shaped how the rest was parsed.
    if (previous.anyError && kids.some((k, i) => (i < first || i >= last) && k.hasError)) return undefined;
    const regionStart = first < kids.length && kids[first].startIndex <= prefix ? kids[first].startIndex : 0;
    const regionEnd = last < kids.length ? kids[last].startIndex : before.length;
    if (regionEnd - regionStart > before.length / 2) return undefined;
    const region = parse(text.slice(regionStart, regionEnd + delta));
    if (!region) return undefined;
    let fresh: SyntaxNode;
    try {
      if (region.rootNode.hasError) return undefined;
      fresh = copyFast(region, previous, raw, regionStart, []);
    } finally {
      region.delete();
    }
    const children = [...kids.slice(0, first), ...fresh.children, ...kids.slice(last)];
    if (children.length === 0) return undefined;
    // From here on the tree changes. Nodes before the edit keep their ids (document order);
    // the others are numbered after them.
    const firstId = first < kids.length ? kids[first].id : previous.size;
    for (const list of previous.bySymbol) {
      if (!list || list.length === 0 || list[list.length - 1].id < firstId) continue;
      let lo = 0;
      let hi = list.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (list[mid].id < firstId) lo = mid + 1;
        else hi = mid;
      }
      list.length = lo;
    }
    const root = new SyntaxNode(previous, 0, old.typeId, 0, old.startIndex, last < kids.length ? old.endIndex + delta : fresh.endIndex, null, false);
    root.children = children;
    let id = firstId;
    const movedFrom = first + fresh.children.length;
    for (let k = 0; k < children.length; k++) {
      const c = children[k];
      c.parent = root;
      c.indexInParent = k;
      if (k < first) continue;
      const shift = k >= movedFrom ? delta : 0;
      const stack = [c];
      while (stack.length) {
        const n = stack.pop()!;
        n.id = id++;
        n.startIndex += shift;
        n.endIndex += shift;
        previous.index(n);
        for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
      }
    }
    // The module starts at its first statement (or comment).
    if (first === 0) root.startIndex = children[0].startIndex;
    previous.rootNode = root;
    previous.anyError = false;
    previous.text = text;
    previous.size = id;
    previous.lists.clear();
    previous.lineStarts = undefined;
    return previous;
  }
}

const EMPTY: readonly SyntaxNode[] = Object.freeze([]);

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

const symbolsByLanguage = new WeakMap<Language, Map<string, number[]>>();

/** The symbols of each node type name (a keyword and a node may share one: `yield`). */
function symbolsNamed(language: Language): Map<string, number[]> {
  let map = symbolsByLanguage.get(language);
  if (!map) {
    map = new Map([['ERROR', [ERROR_SYMBOL]]]);
    language.types.forEach((name, symbol) => {
      if (!name) return;
      const list = map!.get(name);
      if (list) list.push(symbol);
      else map!.set(name, [symbol]);
    });
    symbolsByLanguage.set(language, map);
  }
  return map;
}

const namedByLanguage = new WeakMap<Language, boolean[]>();

function namedTableOf(language: Language): boolean[] {
  let named = namedByLanguage.get(language);
  if (!named) {
    named = [];
    for (let s = 0; s < language.types.length; s++) named.push(language.nodeTypeIsNamed(s));
    namedByLanguage.set(language, named);
  }
  return named;
}

/**
 * The raw cursor functions of web-tree-sitter's WebAssembly module (the object handed to
 * `Parser.init`, which the module fills with its exports). They read and move the cursor held
 * in the module's transfer buffer, where the public TreeCursor puts it before each call: called
 * directly, one after the other, they skip the copy in and out of that buffer that each public
 * call makes (3× faster). When the module does not expose them, the public API is used.
 */
export interface CursorExports {
  _ts_tree_cursor_goto_first_child_wasm(tree: number): number;
  _ts_tree_cursor_goto_next_sibling_wasm(tree: number): number;
  _ts_tree_cursor_goto_parent_wasm(tree: number): number;
  _ts_tree_cursor_current_node_type_id_wasm(tree: number): number;
  _ts_tree_cursor_current_field_id_wasm(tree: number): number;
  _ts_tree_cursor_start_index_wasm(tree: number): number;
  _ts_tree_cursor_end_index_wasm(tree: number): number;
  _ts_tree_cursor_current_node_is_missing_wasm(tree: number): number;
}

const CURSOR_EXPORTS: readonly (keyof CursorExports)[] = [
  '_ts_tree_cursor_goto_first_child_wasm',
  '_ts_tree_cursor_goto_next_sibling_wasm',
  '_ts_tree_cursor_goto_parent_wasm',
  '_ts_tree_cursor_current_node_type_id_wasm',
  '_ts_tree_cursor_current_field_id_wasm',
  '_ts_tree_cursor_start_index_wasm',
  '_ts_tree_cursor_end_index_wasm',
  '_ts_tree_cursor_current_node_is_missing_wasm',
];

/** The module's cursor exports, if `module` (the object given to `Parser.init`) has them all. */
export function cursorExports(module: object): CursorExports | undefined {
  const m = module as Record<string, unknown>;
  return CURSOR_EXPORTS.every((name) => typeof m[name] === 'function') ? (module as CursorExports) : undefined;
}

/** Copies `tree` into `into`, its offsets moved by `offset`; returns the root, fills `all` in document order. */
function copyFast(tree: Tree, into: SyntaxTree, raw: CursorExports, offset: number, all: SyntaxNode[]): SyntaxNode {
  const cursor = tree.walk();
  try {
    // A public read puts the cursor in the transfer buffer; the raw calls below move it there.
    const rootType = cursor.nodeTypeId;
    const address = (tree as unknown as { [0]: number })[0];
    const first = raw._ts_tree_cursor_goto_first_child_wasm;
    const next = raw._ts_tree_cursor_goto_next_sibling_wasm;
    const up = raw._ts_tree_cursor_goto_parent_wasm;
    const symbol = raw._ts_tree_cursor_current_node_type_id_wasm;
    const field = raw._ts_tree_cursor_current_field_id_wasm;
    const start = raw._ts_tree_cursor_start_index_wasm;
    const end = raw._ts_tree_cursor_end_index_wasm;
    const missing = raw._ts_tree_cursor_current_node_is_missing_wasm;
    const make = (parent: SyntaxNode): SyntaxNode => {
      const s = start(address);
      const e = end(address);
      const n = new SyntaxNode(into, all.length, symbol(address), field(address), s + offset, e + offset, parent, s === e && missing(address) === 1);
      adopt(parent, n);
      all.push(n);
      return n;
    };
    const root = new SyntaxNode(into, all.length, rootType, 0, start(address) + offset, end(address) + offset, null, false);
    all.push(root);
    let current = root;
    for (;;) {
      if (first(address)) {
        current = make(current);
        continue;
      }
      for (;;) {
        if (current === root) return root;
        if (next(address)) {
          current = make(current.parent!);
          break;
        }
        up(address);
        current = current.parent!;
      }
    }
  } finally {
    // The cursor is back on the root, where its own copy of the position says it is.
    cursor.delete();
  }
}

function copyPublic(tree: Tree, into: SyntaxTree, all: SyntaxNode[]): SyntaxNode {
  const cursor = tree.walk();
  try {
    const make = (parent: SyntaxNode | null): SyntaxNode => {
      const s = cursor.startIndex;
      const e = cursor.endIndex;
      const n = new SyntaxNode(into, all.length, cursor.nodeTypeId, parent ? cursor.currentFieldId : 0, s, e, parent, s === e && cursor.nodeIsMissing);
      if (parent) adopt(parent, n);
      all.push(n);
      return n;
    };
    const root = make(null);
    let current = root;
    for (;;) {
      if (cursor.gotoFirstChild()) {
        current = make(current);
        continue;
      }
      for (;;) {
        if (current === root) return root;
        if (cursor.gotoNextSibling()) {
          current = make(current.parent!);
          break;
        }
        cursor.gotoParent();
        current = current.parent!;
      }
    }
  } finally {
    cursor.delete();
  }
}
