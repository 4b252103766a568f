/**
 * Name resolution for Python rules: which module member a name or attribute chain refers to,
 * following imports and aliases and honouring local shadowing with Python's scoping rules
 * (function scopes enclose nested functions, class bodies do not; comprehensions and lambdas
 * have their own scopes). Built in one iterative pass over the tree, shared by every rule.
 */
import type { SyntaxNode as Node } from './syntax';
import { importBindings } from './project';
import { field, nodesOfType, textOf, typeOf } from './util';

export type ScopeKind = 'module' | 'function' | 'lambda' | 'class' | 'comprehension';

export interface Binding {
  kind: 'import' | 'def' | 'class' | 'param' | 'assign' | 'other';
  /** For imports: the qualified name the local name stands for (`time`, `time.sleep`, `.models.User`). */
  target?: string;
  node: Node;
}

export interface Scope {
  kind: ScopeKind;
  node: Node;
  /** Text range (UTF-16 offsets) evaluated inside this scope. */
  start: number;
  end: number;
  parent: Scope | undefined;
  isAsync: boolean;
  name: string;
  bindings: Map<string, Binding[]>;
  globals: Set<string>;
  nonlocals: Set<string>;
  /** Modules of `from m import *` in this scope, in order. */
  starImports: string[];
  /** The `from m import *` statements of this scope, in order. */
  starStatements: Node[];
}

/**
 * Whether a `from m import *` statement of the file binds `name`: `m` is a module of the project
 * that defines or imports it (and lists it in its `__all__`, if it has one). False for a library
 * module, where nothing is known (its names stay resolved as `via: 'star'`).
 */
export type StarExports = (statement: Node, name: string) => boolean;

export interface Resolution {
  /** Qualified name, e.g. `time.sleep`, `os.path.join`. */
  name: string;
  /**
   * How the base name was found: through an import (`import`), a star import (`star`), or not
   * bound at all in the file and taken to be the module of that name (`unbound`, e.g. a snippet
   * without its imports).
   */
  via: 'import' | 'star' | 'unbound';
}

const SCOPE_NODES: Record<string, ScopeKind> = {
  function_definition: 'function',
  lambda: 'lambda',
  class_definition: 'class',
  list_comprehension: 'comprehension',
  set_comprehension: 'comprehension',
  dictionary_comprehension: 'comprehension',
  generator_expression: 'comprehension',
};

const BUILTINS = new Set([
  'abs', 'aiter', 'all', 'anext', 'any', 'ascii', 'bin', 'bool', 'breakpoint', 'bytearray', 'bytes', 'callable', 'chr',
  'classmethod', 'compile', 'complex', 'delattr', 'dict', 'dir', 'divmod', 'enumerate', 'eval', 'exec', 'filter', 'float',
  'format', 'frozenset', 'getattr', 'globals', 'hasattr', 'hash', 'help', 'hex', 'id', 'input', 'int', 'isinstance',
  'issubclass', 'iter', 'len', 'list', 'locals', 'map', 'max', 'memoryview', 'min', 'next', 'object', 'oct', 'open', 'ord',
  'pow', 'print', 'property', 'range', 'repr', 'reversed', 'round', 'set', 'setattr', 'slice', 'sorted', 'staticmethod',
  'str', 'sum', 'super', 'tuple', 'type', 'vars', 'zip', '__import__', 'self', 'cls',
  'BaseException', 'BaseExceptionGroup', 'Exception', 'ExceptionGroup', 'GeneratorExit', 'KeyboardInterrupt',
  'SystemExit', 'ArithmeticError', 'AssertionError', 'AttributeError', 'BufferError', 'EOFError', 'ImportError',
  'LookupError', 'MemoryError', 'NameError', 'OSError', 'ReferenceError', 'RuntimeError', 'StopAsyncIteration',
  'StopIteration', 'SyntaxError', 'SystemError', 'TypeError', 'ValueError', 'TimeoutError', 'ConnectionError',
  'NotImplementedError', 'RecursionError', 'KeyError', 'IndexError', 'FileNotFoundError', 'PermissionError',
]);

/**
 * Whether `node` lies in a default value (or an annotation) of a function scope's parameters:
 * evaluated when the `def` runs, not in the function. Parameter names are the function's own.
 */
function inDefault(s: Scope, node: Node): boolean {
  const params = s.node.childForFieldName('parameters');
  if (!params || node.startIndex < params.startIndex || node.endIndex > params.endIndex) return false;
  for (let n: Node | null = node; n && n.id !== params.id; n = n.parent) {
    const p = n.parent;
    if (!p) return false;
    if ((p.type === 'default_parameter' || p.type === 'typed_default_parameter') && p.childForFieldName('value')?.id === n.id) return true;
    if (n.type === 'type') return true;
  }
  return false;
}

export class PythonScope {
  readonly module: Scope;
  private readonly scopes = new Map<number, Scope>();
  /** Scopes other than the module, sorted by start offset. */
  private readonly ordered: Scope[] = [];
  private readonly resolved = new Map<number, Resolution | undefined>();

  /** Names bound by a star import of a project module, by name (the import statement, or null: none). */
  private readonly starBound = new Map<string, Binding | null>();

  constructor(
    root: Node,
    private readonly starExports?: StarExports,
  ) {
    this.module = this.newScope('module', root, undefined, false, '<module>', 0, Number.MAX_SAFE_INTEGER);
    this.build(root);
    this.ordered.sort((a, b) => a.start - b.start);
  }

  /** The scope a node's own scope-creating node opens (function, class, lambda, comprehension). */
  scopeOfNode(node: Node): Scope | undefined {
    return this.scopes.get(node.id);
  }

  /** The innermost scope in which `node` is evaluated (found by position, without walking the tree). */
  scopeAt(node: Node): Scope {
    const pos = node.startIndex;
    let lo = 0;
    let hi = this.ordered.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.ordered[mid].start <= pos) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    for (let s: Scope | undefined = found >= 0 ? this.ordered[found] : undefined; s; s = s.parent) {
      if (s.start <= pos && pos < s.end) return s;
    }
    return this.module;
  }

  /**
   * The innermost function (`def` or `lambda`) around a node, skipping comprehensions; undefined
   * at module level or directly in a class body. A parameter's default value runs when the `def`
   * runs: in the function around that one.
   */
  enclosingFunction(node: Node): Scope | undefined {
    for (let s: Scope | undefined = this.scopeAt(node); s; s = s.parent) {
      if ((s.kind === 'function' || s.kind === 'lambda') && inDefault(s, node)) continue;
      if (s.kind === 'function' || s.kind === 'lambda') return s;
      if (s.kind === 'class' || s.kind === 'module') return undefined;
    }
    return undefined;
  }

  /**
   * Whether code at `node` runs in the body of an `async def` (so `await` is allowed and blocking
   * hurts the loop): not through a nested sync `def`, `lambda`, class body or generator expression.
   */
  isAsyncContext(node: Node): boolean {
    for (let s: Scope | undefined = this.scopeAt(node); s; s = s.parent) {
      if (s.kind === 'comprehension') {
        // A generator runs when it is iterated: here only if that happens on the spot.
        if (s.node.type === 'generator_expression' && !consumedOnTheSpot(s.node)) return false;
        continue;
      }
      // Default values (`loop=asyncio.get_event_loop()`) run when the `def` runs, in the scope around it.
      if ((s.kind === 'function' || s.kind === 'lambda') && inDefault(s, node)) continue;
      return s.kind === 'function' && s.isAsync;
    }
    return false;
  }

  /** The bindings a name has in the scope that defines it for `node` (LEGB), or undefined. */
  lookup(name: string, node: Node): { scope: Scope; bindings: Binding[] } | undefined {
    let s: Scope | undefined = this.scopeAt(node);
    const start = s;
    while (s) {
      // `global x` sends the lookup to the module (at module level itself, where Python allows
      // the statement and it changes nothing, there is nowhere further to go).
      if (s.globals.has(name) && s !== this.module) {
        s = this.module;
        continue;
      }
      // Class bodies are visible only to code directly in them.
      if (s.kind !== 'class' || s === start) {
        const b = s.bindings.get(name);
        if (b && b.length && !s.nonlocals.has(name)) return { scope: s, bindings: b };
      }
      if (s === this.module) break;
      s = s.parent;
    }
    // `from .api import *` binds the names the project module `api` exports.
    const star = this.starBinding(name);
    return star ? { scope: this.module, bindings: [star] } : undefined;
  }

  /** The binding of `name` by the last star import of a project module that exports it. */
  private starBinding(name: string): Binding | undefined {
    const statements = this.module.starStatements;
    if (!this.starExports || statements.length === 0) return undefined;
    let b = this.starBound.get(name);
    if (b === undefined) {
      b = null;
      for (let i = statements.length - 1; i >= 0 && !b; i--) {
        if (this.starExports(statements[i], name)) b = { kind: 'import', target: `${this.module.starImports[i]}.${name}`, node: statements[i] };
      }
      this.starBound.set(name, b);
    }
    return b ?? undefined;
  }

  /** Whether `name` is bound anywhere in the file (any scope). */
  isBoundAnywhere(name: string): boolean {
    for (const s of this.scopes.values()) if (s.bindings.has(name)) return true;
    return this.module.bindings.has(name);
  }

  /**
   * Resolves an identifier or attribute chain (`t.sleep`, `os.path.join`, `nap`) to the qualified
   * name it refers to at that point, or undefined when the base is a local value, a parameter, a
   * shadowing definition, or ambiguous. Memoised per node: rules share the answers.
   */
  resolve(expr: Node): Resolution | undefined {
    if (this.resolved.has(expr.id)) return this.resolved.get(expr.id);
    const r = this.resolveUncached(expr);
    this.resolved.set(expr.id, r);
    return r;
  }

  private resolveUncached(expr: Node): Resolution | undefined {
    const fromText = typeOf(expr) === 'attribute' ? plainChain(expr) : undefined;
    if (fromText) return this.resolveChain(fromText[0], fromText.slice(1), expr);
    const chain: string[] = [];
    let base: Node | null = expr;
    while (base && typeOf(base) === 'attribute') {
      const attr = field(base, 'attribute');
      if (!attr) return undefined;
      chain.unshift(textOf(attr));
      base = field(base, 'object');
    }
    if (!base || typeOf(base) !== 'identifier') return undefined;
    return this.resolveChain(textOf(base), chain, base);
  }

  /**
   * Resolves a dotted name written as text (`queue.Queue`, read out of a quoted annotation) as if
   * it were written where `at` is. Not memoised: the text has no node of its own.
   */
  resolveText(dotted: string, at: Node): Resolution | undefined {
    const parts = dotted.split('.');
    if (parts.some((p) => !/^[A-Za-z_]\w*$/.test(p))) return undefined;
    return this.resolveChain(parts[0], parts.slice(1), at);
  }

  /** The qualified name of `name.chain...`, `name` looked up where `base` (the chain's first identifier) is. */
  private resolveChain(name: string, chain: string[], base: Node): Resolution | undefined {
    const found = this.lookup(name, base);
    if (found) {
      const targets = new Set<string>();
      for (const b of found.bindings) {
        if (b.kind !== 'import' || !b.target) return undefined;
        targets.add(b.target);
      }
      if (targets.size !== 1 && !alternativeImports(found.bindings)) return undefined;
      // One name imported from two places, one or the other by the Python version or by what is
      // installed: the first, the one the code prefers, stands for both.
      return { name: [found.bindings[0].target!, ...chain].join('.'), via: 'import' };
    }
    if (BUILTINS.has(name)) return chain.length === 0 ? { name: `builtins.${name}`, via: 'import' } : undefined;
    const stars = this.module.starImports;
    if (stars.length) return { name: [stars[stars.length - 1], name, ...chain].join('.'), via: 'star' };
    return { name: [name, ...chain].join('.'), via: 'unbound' };
  }

  /** All scopes of the file (module first). */
  allScopes(): Scope[] {
    return [this.module, ...this.scopes.values()];
  }

  private newScope(kind: ScopeKind, node: Node, parent: Scope | undefined, isAsync: boolean, name: string, start: number, end: number): Scope {
    const s: Scope = { kind, node, start, end, parent, isAsync, name, bindings: new Map(), globals: new Set(), nonlocals: new Set(), starImports: [], starStatements: [] };
    if (kind !== 'module') {
      this.scopes.set(node.id, s);
      this.ordered.push(s);
    }
    return s;
  }

  private bind(scope: Scope, name: string, binding: Binding): void {
    // `global x` in a function binds x in the module.
    const target = scope.globals.has(name) ? this.module : scope;
    let list = target.bindings.get(name);
    if (!list) target.bindings.set(name, (list = []));
    list.push(binding);
  }

  private bindTargets(scope: Scope, target: Node | null, kind: Binding['kind']): void {
    if (!target) return;
    const stack: Node[] = [target];
    while (stack.length) {
      const n = stack.pop()!;
      const type = n.type;
      if (type === 'identifier') this.bind(scope, n.text, { kind, node: n });
      else if (type === 'pattern_list' || type === 'tuple_pattern' || type === 'list_pattern' || type === 'list_splat_pattern' || type === 'parenthesized_expression' || type === 'tuple' || type === 'list' || type === 'as_pattern_target') {
        for (const c of n.namedChildren) if (c) stack.push(c);
      }
      // attributes and subscripts do not bind names.
    }
  }

  /**
   * The names a `case` pattern captures: `case {"send": send}`, `case Point(x=px)`, `case [a, *rest]`,
   * `case str() as text`, `case other`. Dotted names (`Color.RED`) and `_` capture nothing.
   */
  private bindCaptures(scope: Scope, clause: Node): void {
    const capture = (n: Node | null | undefined) => {
      const id = n?.type === 'dotted_name' && n.namedChildCount === 1 ? n.namedChildren[0] : n;
      if (id?.type === 'identifier' && id.text !== '_') this.bind(scope, id.text, { kind: 'assign', node: id });
    };
    const stack = clause.namedChildren.filter((c): c is Node => c?.type === 'case_pattern');
    while (stack.length) {
      const n = stack.pop()!;
      const kids = n.namedChildren.filter((c): c is Node => !!c);
      switch (n.type) {
        case 'case_pattern':
          if (kids.length === 1 && kids[0].type === 'dotted_name') capture(kids[0]);
          else stack.push(...kids);
          break;
        case 'keyword_pattern':
          if (kids[1]?.type === 'dotted_name') capture(kids[1]);
          else if (kids[1]) stack.push(kids[1]);
          break;
        case 'splat_pattern':
          capture(kids[0]);
          break;
        case 'as_pattern':
          capture(kids[kids.length - 1]);
          stack.push(...kids.slice(0, -1));
          break;
        default:
          // tuple, list, dict, union and class patterns: their sub-patterns (a class pattern's
          // class and a dict pattern's keys are dotted names or literals, and capture nothing).
          if (n.type.endsWith('_pattern')) stack.push(...kids.filter((c) => c.type !== 'dotted_name'));
          break;
      }
    }
  }

  private bindParameters(scope: Scope, params: Node | null): void {
    if (!params) return;
    for (const p of params.namedChildren) {
      if (!p) continue;
      let id: Node | null = null;
      switch (p.type) {
        case 'identifier':
          id = p;
          break;
        case 'typed_parameter':
        case 'list_splat_pattern':
        case 'dictionary_splat_pattern':
          id = p.namedChildren.find((c) => c?.type === 'identifier') ?? null;
          if (!id) {
            const inner = p.namedChildren[0];
            if (inner && (inner.type === 'list_splat_pattern' || inner.type === 'dictionary_splat_pattern')) id = inner.namedChildren[0] ?? null;
          }
          break;
        case 'default_parameter':
        case 'typed_default_parameter':
          id = p.childForFieldName('name');
          break;
        default:
          break;
      }
      if (id && id.type === 'identifier') this.bind(scope, id.text, { kind: 'param', node: id });
    }
  }

  /**
   * One pass over the binding-relevant nodes only (fetched in document order inside the WASM
   * module), keeping a stack of open scopes by position.
   */
  private build(root: Node): void {
    const nodes = nodesOfType(root, BUILD_TYPES);
    const open: Scope[] = [this.module];
    const typeChecking: { start: number; end: number }[] = [];
    for (const node of nodes) {
      const pos = node.startIndex;
      while (open.length > 1 && pos >= open[open.length - 1].end) open.pop();
      while (typeChecking.length && pos >= typeChecking[typeChecking.length - 1].end) typeChecking.pop();
      const scope = open[open.length - 1];
      const type = typeOf(node);
      const kind = SCOPE_NODES[type];
      if (kind) {
        const name = node.childForFieldName('name')?.text ?? (kind === 'lambda' ? '<lambda>' : kind === 'comprehension' ? '<comprehension>' : '');
        const isAsync = kind === 'function' && node.child(0)?.type === 'async';
        const params = kind === 'function' || kind === 'lambda' ? node.childForFieldName('parameters') : null;
        if (kind === 'function') this.bind(scope, name, { kind: 'def', node });
        if (kind === 'class') this.bind(scope, name, { kind: 'class', node });
        let start = node.startIndex;
        let end = node.endIndex;
        if (kind === 'function') {
          start = params?.startIndex ?? start;
        } else if (kind === 'class') {
          const body = node.childForFieldName('body');
          start = body?.startIndex ?? end;
          end = body?.endIndex ?? end;
        }
        const inner = this.newScope(kind, node, scope, isAsync, name, start, end);
        if (kind === 'function' || kind === 'lambda') this.bindParameters(inner, params);
        open.push(inner);
        continue;
      }
      const inTypeChecking = typeChecking.length > 0;
      switch (type) {
        case 'import_statement':
        case 'import_from_statement': {
          if (inTypeChecking) break;
          if (node.namedChildren.some((c) => c?.type === 'wildcard_import')) {
            const mod = node.childForFieldName('module_name')?.text.replace(/\s+/g, '');
            if (mod) {
              scope.starImports.push(mod);
              scope.starStatements.push(node);
            }
            break;
          }
          for (const [local, b] of importBindings(node)) {
            const prefix = '.'.repeat(b.level);
            // `import a.b` binds `a` to package `a`; `import a.b as m` binds `m` to `a.b`.
            const target = type === 'import_statement' ? b.module : `${prefix}${b.module}${b.module && b.name ? '.' : ''}${b.name ?? ''}`;
            this.bind(scope, local, { kind: 'import', target, node });
          }
          break;
        }
        case 'global_statement':
          for (const c of node.namedChildren) if (c?.type === 'identifier') scope.globals.add(c.text);
          break;
        case 'nonlocal_statement':
          for (const c of node.namedChildren) if (c?.type === 'identifier') scope.nonlocals.add(c.text);
          break;
        case 'assignment':
        case 'augmented_assignment':
        case 'for_statement':
        case 'for_in_clause':
          this.bindTargets(scope, node.childForFieldName('left'), 'assign');
          break;
        case 'named_expression': {
          // The walrus binds in the nearest enclosing non-comprehension scope.
          let s = scope;
          while (s.kind === 'comprehension' && s.parent) s = s.parent;
          this.bindTargets(s, node.childForFieldName('name'), 'assign');
          break;
        }
        case 'as_pattern':
          this.bindTargets(scope, node.childForFieldName('alias'), 'other');
          break;
        case 'case_clause':
          this.bindCaptures(scope, node);
          break;
        case 'except_clause': {
          // Older grammars: `except E as e` puts the name directly after the `as` keyword.
          const kids = node.children;
          for (let i = 0; i + 1 < kids.length; i++) {
            if (kids[i]?.type === 'as' && kids[i + 1]?.type === 'identifier') this.bind(scope, kids[i + 1]!.text, { kind: 'other', node: kids[i + 1]! });
          }
          break;
        }
        case 'if_statement': {
          const cond = node.childForFieldName('condition');
          const body = node.childForFieldName('consequence');
          // The body only runs under a type checker; its else branch runs at runtime.
          if (cond && body && /^(typing\.)?TYPE_CHECKING$/.test(cond.text.trim())) typeChecking.push({ start: body.startIndex, end: body.endIndex });
          break;
        }
        default:
          break;
      }
    }
  }
}

/**
 * The names of an attribute chain read from its text (`os.path.join` → os, path, join) when the
 * text is nothing but plain identifiers and dots: then the tree can only be that chain, and one
 * read of the text replaces three reads per level. Anything else (spaces, comments, calls,
 * subscripts, keywords that are not identifiers, non-ASCII names, syntax errors) returns
 * undefined, and the tree is walked.
 */
function plainChain(expr: Node): string[] | undefined {
  const text = textOf(expr);
  if (!PLAIN_CHAIN.test(text)) return undefined;
  const parts = text.split('.');
  if (parts.some((p) => NOT_PLAIN_IDENTIFIERS.has(p)) || expr.hasError) return undefined;
  return parts;
}

const PLAIN_CHAIN = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$/;
/** Keywords, soft keywords and the grammar's keyword identifiers: their nodes may not be plain identifiers. */
const NOT_PLAIN_IDENTIFIERS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif',
  'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or',
  'pass', 'raise', 'return', 'try', 'while', 'with', 'yield', 'match', 'case', 'type', '_', 'print', 'exec',
]);

const BUILD_TYPES = [
  ...Object.keys(SCOPE_NODES),
  'import_statement', 'import_from_statement', 'global_statement', 'nonlocal_statement', 'assignment', 'augmented_assignment',
  'for_statement', 'for_in_clause', 'named_expression', 'as_pattern', 'except_clause', 'if_statement', 'case_clause',
];

/** Builtins that iterate a generator they are given to the end before returning. */
const CONSUMING_BUILTINS = new Set(['sum', 'any', 'all', 'min', 'max', 'list', 'tuple', 'set', 'frozenset', 'sorted', 'dict']);

/**
 * A generator expression iterated where it is written: the argument of `sum(...)`, `any(...)`,
 * `list(...)`, `"".join(...)`..., or the iterable of a `for` loop.
 */
function consumedOnTheSpot(gen: Node): boolean {
  let parent = gen.parent;
  if (parent?.type === 'argument_list') parent = parent.parent;
  if (parent?.type === 'call') {
    const fn = parent.childForFieldName('function');
    if (fn?.type === 'identifier') return CONSUMING_BUILTINS.has(fn.text);
    return fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'join';
  }
  return parent?.type === 'for_statement' && parent.childForFieldName('right')?.id === gen.id;
}

/**
 * Imports of one name in the branches of one `try`/`except ImportError` or `if`/`else` (a
 * compatibility shim: `if sys.version_info >= (3, 11): from asyncio import timeout` /
 * `else: from async_timeout import timeout`), each branch binding it once: only one of them runs.
 */
function alternativeImports(bindings: readonly Binding[]): boolean {
  if (bindings.length < 2) return false;
  const branchOf = (b: Binding): { statement: Node; branch: Node } | undefined => {
    let branch: Node = b.node;
    for (let n = b.node.parent; n; branch = n, n = n.parent) {
      if (n.type === 'try_statement' || n.type === 'if_statement') return { statement: n, branch };
      if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'module') return undefined;
    }
    return undefined;
  };
  const first = branchOf(bindings[0]);
  if (!first) return false;
  const branches = new Set<number>();
  for (const b of bindings) {
    const at = branchOf(b);
    if (!at || at.statement.id !== first.statement.id || branches.has(at.branch.id)) return false;
    branches.add(at.branch.id);
  }
  return true;
}
