/** Small helpers shared by Python rules: iterative tree walks and common edits. */
import type { SyntaxNode as Node } from './syntax';
import type { TextEdit } from '../engine/types';
import type { PythonRuleContext } from './context';
import { LOOP_GETTERS } from './knowledge/awaitables';

export const NESTED_SCOPE_TYPES: ReadonlySet<string> = new Set(['function_definition', 'lambda', 'class_definition', 'decorated_definition']);

/** The nodes that open a scope of their own: code inside runs when that scope does. */
export const SCOPE_OPENERS: readonly string[] = ['function_definition', 'lambda', 'class_definition'];
const SCOPE_OPENER_SET: ReadonlySet<string> = new Set(SCOPE_OPENERS);

/**
 * Whether `node` sits in a function, lambda or (unless `functionsOnly`) class nested in `owner`,
 * that is, outside `owner`'s own flow of control.
 */
export function inNestedScope(node: Node, owner: Node, functionsOnly = false): boolean {
  for (let n: Node | null = node.parent; n && n.id !== owner.id; n = n.parent) {
    if (SCOPE_OPENER_SET.has(n.type) && !(functionsOnly && n.type === 'class_definition')) return true;
  }
  return false;
}

/** Whether `node` opens a scope of its own (see SCOPE_OPENERS). */
export function opensScope(node: Node): boolean {
  return SCOPE_OPENER_SET.has(node.type);
}

const textTests = new WeakMap<RegExp, { text: string; hit: boolean }>();

/**
 * `pattern.test(text)` (a pattern without the `g` flag, held in a constant), remembered for the
 * last text each pattern was tried on: rules that ask whether the file mentions a library do it
 * for each call, and each test reads the whole text.
 */
export function mentions(text: string, pattern: RegExp): boolean {
  const last = textTests.get(pattern);
  if (last !== undefined && last.text === text) return last.hit;
  const hit = pattern.test(text);
  textTests.set(pattern, { text, hit });
  return hit;
}

/**
 * A pattern for a file that imports `module` (`import quart`, `from quart import request`), to give
 * mentions(); made once per module at load time, so that mentions() can remember its last answer.
 */
export function importsModule(module: string): RegExp {
  const m = module.replace(/\./g, '\\.');
  return new RegExp(`^\\s*(from\\s+${m}\\b|import\\s+${m}\\b)`, 'm');
}

/** The named nodes of a subtree that run as part of it: nested functions, lambdas and classes left out (no recursion). */
export function* ownNodes(node: Node): Generator<Node> {
  const stack: Node[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    yield n;
    for (const c of n.namedChildren) if (c && !NESTED_SCOPE_TYPES.has(c.type)) stack.push(c);
  }
}

/** Whether the subtree (not nested functions, lambdas or classes) yields. */
export function hasOwnYield(node: Node): boolean {
  for (const n of ownNodes(node)) if (n.type === 'yield') return true;
  return false;
}

/**
 * The qualified name a call's callee resolves to (`asyncio.sleep`, `aiohttp.ClientSession`).
 * Names the file never binds count only when `unbound` matches them: `asyncio.sleep` with a
 * missing import is still asyncio's, an unknown `session.get` is nothing.
 */
export function calleeName(ctx: PythonRuleContext, call: Node | null, unbound?: RegExp): string | undefined {
  if (!call || typeOf(call) !== 'call') return undefined;
  const fn = field(call, 'function');
  if (!fn || (typeOf(fn) !== 'identifier' && typeOf(fn) !== 'attribute')) return undefined;
  const r = ctx.scope.resolve(fn);
  if (!r || (r.via === 'unbound' && !unbound?.test(r.name))) return undefined;
  return r.name;
}

/** The builtin (`len`, not a shadowing definition) that `call` calls, if it is one of `names`. */
export function builtinCalled(ctx: PythonRuleContext, call: Node | null | undefined, names: ReadonlySet<string>): string | undefined {
  const fn = call && typeOf(call) === 'call' ? field(call, 'function') : null;
  if (!fn || typeOf(fn) !== 'identifier' || !names.has(fn.text)) return undefined;
  return ctx.scope.resolve(fn)?.name === `builtins.${fn.text}` ? fn.text : undefined;
}

/** The `class` statement whose body holds `node` (through its methods), if any. */
/** The base classes of `cls` defined in this file, and theirs (a few levels up). */
export function localBaseClasses(ctx: PythonRuleContext, cls: Node, depth = 0): Node[] {
  if (depth > 3) return [];
  const out: Node[] = [];
  for (const base of cls.childForFieldName('superclasses')?.namedChildren ?? []) {
    if (base?.type !== 'identifier') continue;
    const found = ctx.scope.lookup(base.text, base);
    const def = found?.bindings.length === 1 && found.bindings[0].kind === 'class' ? found.bindings[0].node : undefined;
    const node = def?.type === 'class_definition' ? def : def?.parent?.type === 'class_definition' ? def.parent : undefined;
    if (node && node.id !== cls.id) out.push(node, ...localBaseClasses(ctx, node, depth + 1));
  }
  return out;
}

export function enclosingClassNode(node: Node): Node | null {
  let cls = parentOf(node);
  while (cls && typeOf(cls) !== 'class_definition') cls = parentOf(cls);
  return cls;
}

/**
 * Whether `self.<name>` holds an event loop the class made or fetched itself: every assignment of the
 * attribute in the class is a call of asyncio's loop getters (`self.aloop = asyncio.new_event_loop()`),
 * whatever the attribute is called, or the loop a parameter gave when one of them falls back on a
 * getter (`self.eventloop = eventloop` in one branch and `get_event_loop()` in the other, or
 * `self.ev = ev or asyncio.get_event_loop()`). A `self.x = None` placeholder (before the loop is made, after it is closed) is no other value.
 */
export function selfAttributeHoldsLoop(ctx: PythonRuleContext, receiver: Node): boolean {
  if (receiver.type !== 'attribute' || receiver.childForFieldName('object')?.text !== 'self') return false;
  const name = receiver.childForFieldName('attribute')?.text;
  const body = enclosingClassNode(receiver)?.childForFieldName('body');
  if (!name || !body) return false;
  const made = nodesOfType(body, 'assignment').filter((a) => {
    const left = a.childForFieldName('left');
    return left?.type === 'attribute' && left.childForFieldName('object')?.text === 'self' && left.childForFieldName('attribute')?.text === name;
  });
  const getter = (value: Node | null | undefined): boolean => {
    const fn = value?.type === 'call' ? value.childForFieldName('function') : null;
    return !!fn && (fn.type === 'identifier' || fn.type === 'attribute') && LOOP_GETTERS.has(ctx.scope.resolve(fn)?.name ?? '');
  };
  // `self.loop = loop` from a parameter of the method: the caller's loop, when another assignment
  // (or the right of `loop or asyncio.get_event_loop()`) falls back on a loop getter.
  const parameter = (value: Node | null | undefined): boolean => {
    if (value?.type !== 'identifier') return false;
    const binding = ctx.scope.lookup(value.text, value)?.bindings;
    return !!binding?.length && binding.every((b) => b.kind === 'param');
  };
  let fetched = false;
  const loopValue = (a: Node): boolean => {
    const value = a.childForFieldName('right');
    if (getter(value)) return (fetched = true);
    if (value?.type === 'boolean_operator' && value.childForFieldName('operator')?.text === 'or' && parameter(value.childForFieldName('left')) && getter(value.childForFieldName('right'))) return (fetched = true);
    return parameter(value);
  };
  // `self._loop = None` in __init__ (or on stop) until the loop is made: a placeholder, no other value.
  const valued = made.filter((a) => a.childForFieldName('right')?.type !== 'none');
  return valued.length > 0 && valued.every(loopValue) && fetched;
}

/** The annotation of the parameter a binding names (`loop: AbstractEventLoop`), if it has one. */
export function parameterAnnotation(name: Node): Node | null {
  const param = name.parent;
  return param?.type === 'typed_parameter' || param?.type === 'typed_default_parameter' ? param.childForFieldName('type') : null;
}

/** The name of a keyword argument (`page` in `get(page=1)`): it names a parameter, it reads no variable. */
export function isKeywordName(id: Node): boolean {
  return id.parent?.type === 'keyword_argument' && id.parent.childForFieldName('name')?.id === id.id;
}

/** The name of an attribute (`text` in `resp.text`): it reads no variable. */
export function isAttributeName(id: Node): boolean {
  const p = parentOf(id);
  return !!p && typeOf(p) === 'attribute' && field(p, 'attribute')?.id === id.id;
}

/** A call's arguments (positional and keyword), comments left out. */
export function callArguments(call: Node): Node[] {
  return (call.childForFieldName('arguments')?.namedChildren ?? []).filter((a): a is Node => !!a && a.type !== 'comment');
}

/**
 * Where the APIs that call a callback synchronously and drop its result take the callback: an
 * asyncio loop's `call_soon(cb)`/`call_later(delay, cb)`/`add_signal_handler(sig, cb)`/...,
 * `add_done_callback(cb)`, `executor.submit(cb)`, `threading.Thread(target=cb)`, `atexit.register(cb)`,
 * `signal.signal(sig, cb)`, pytest's `request.addfinalizer(cb)`, unittest's `self.addCleanup(cb)`:
 * by method or function name, a position or a keyword.
 */
export const SYNC_CALLBACK_SLOTS: ReadonlyMap<string, number | string> = new Map<string, number | string>([
  ['call_soon', 0], ['call_soon_threadsafe', 0], ['call_later', 1], ['call_at', 1], ['add_done_callback', 0],
  ['add_signal_handler', 1], ['add_reader', 1], ['add_writer', 1], ['run_in_executor', 1], ['submit', 0],
  ['to_thread', 0], ['Thread', 'target'], ['Timer', 1], ['register', 0], ['signal', 1],
  ['addfinalizer', 0], ['addCleanup', 0],
]);

/** The callback argument of a call to one of SYNC_CALLBACK_SLOTS's APIs (named `name`), if given. */
export function callbackArgument(call: Node, name: string): Node | undefined {
  const slot = SYNC_CALLBACK_SLOTS.get(name);
  if (slot === undefined) return undefined;
  return typeof slot === 'string' ? argumentFor(call, undefined, slot) : argumentFor(call, slot);
}

/**
 * What a call passes for a parameter: the value of the keyword argument `keyword`, else the
 * positional argument at `index` (keyword arguments not counted).
 */
export function argumentFor(call: Node, index: number | undefined, keyword?: string): Node | undefined {
  const args = callArguments(call);
  const named = keyword === undefined ? undefined : args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === keyword);
  if (named) return named.childForFieldName('value') ?? undefined;
  return index === undefined ? undefined : args.filter((a) => a.type !== 'keyword_argument')[index];
}

/**
 * The mentions of `target`'s name after it inside `owner`: identifiers with its text, other than
 * keyword-argument and attribute names. Nested scopes that bind the name again are not told apart.
 */
export function usesOf(owner: Node, target: Node): Node[] {
  return owner
    .descendantsOfType('identifier')
    .filter((id): id is Node => id !== null && id.text === target.text && id.id !== target.id && id.startIndex > target.startIndex && !isKeywordName(id) && !isAttributeName(id));
}

/** The value a name is bound to by `name = value` (the name being the whole left side), or null. */
export function assignedValue(target: Node): Node | null {
  const a = target.parent;
  return a?.type === 'assignment' && a.childForFieldName('left')?.id === target.id ? a.childForFieldName('right') : null;
}

/** The value of a name bound once, by a plain assignment (`cancelled = anyio.get_cancelled_exc_class()`), where `name` is read. */
export function valueBoundOnce(ctx: PythonRuleContext, name: Node): Node | null {
  const found = ctx.scope.lookup(name.text, name);
  return found?.bindings.length === 1 && found.bindings[0].kind === 'assign' ? assignedValue(found.bindings[0].node) : null;
}

/**
 * The ccxt module whose exchange a callee picks by its id: `getattr(ccxt, exchange_id)` (in `getattr(ccxt, exchange_id)(config)`),
 * or a name bound once to that (`exchange_class = getattr(ccxt, exchange_id)`). `ccxt.async_support`, `ccxt.pro` or `ccxt`.
 */
export function ccxtModuleOfExchangeGetter(ctx: PythonRuleContext, callee: Node | null): string | undefined {
  let getter = callee;
  if (getter && typeOf(getter) === 'identifier') getter = valueBoundOnce(ctx, getter);
  if (!getter || typeOf(getter) !== 'call') return undefined;
  const fn = field(getter, 'function');
  if (!fn || typeOf(fn) !== 'identifier' || fn.text !== 'getattr' || ctx.scope.resolve(fn)?.name !== 'builtins.getattr') return undefined;
  const args = callArguments(getter);
  const module = args.length === 2 && (typeOf(args[0]) === 'identifier' || typeOf(args[0]) === 'attribute') ? ctx.scope.resolve(args[0]) : undefined;
  return module && module.via !== 'unbound' && /^ccxt(\.(async_support|pro))?$/.test(module.name) ? module.name : undefined;
}

/** Test modules by their path (with `/` separators): `test_*.py`, `*_test.py`, `conftest.py`. */
export const TEST_MODULE = /(^|\/)(test_[^/]*|[^/]*_test|conftest)\.py$/;

/**
 * Every named node of a given type (or types) below `root`, in document order. Searches of the
 * whole file read the tree's index of node types; do not modify the list.
 */
export function nodesOfType(root: Node, types: string | readonly string[]): readonly Node[] {
  if (root === root.tree.rootNode) return root.tree.namedNodesOfTypes(types);
  return root.descendantsOfType(types).filter((n) => n.isNamed);
}

/** `node.type`. */
export function typeOf(node: Node): string {
  return node.type;
}

/** `node.text`. */
export function textOf(node: Node): string {
  return node.text;
}

/** `node.parent`. */
export function parentOf(node: Node): Node | null {
  return node.parent;
}

/** `node.childForFieldName(name)`. */
export function field(node: Node, name: string): Node | null {
  return node.childForFieldName(name);
}

/** The definitions of a kind directly in a block (decorated ones unwrapped), only those named `name` when given. */
export function definitionsIn(block: Node | null | undefined, type: 'function_definition' | 'class_definition', name?: string): Node[] {
  const out: Node[] = [];
  for (const statement of block?.namedChildren ?? []) {
    const def = statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
    if (def?.type === type && (name === undefined || def.childForFieldName('name')?.text === name)) out.push(def);
  }
  return out;
}

/** The context managers a `with` statement enters: each item's expression, without its `as` target. */
export function withItemValues(statement: Node): Node[] {
  const clause = statement.namedChildren.find((c) => c?.type === 'with_clause');
  const out: Node[] = [];
  for (const item of clause?.namedChildren ?? []) {
    if (item?.type !== 'with_item') continue;
    const value = item.childForFieldName('value');
    const expr = value?.type === 'as_pattern' ? value.namedChildren[0] : value;
    if (expr) out.push(expr);
  }
  return out;
}

/** The expression a decorator applies, without call arguments: `app.get` for `@app.get("/")`. */
export function decoratorTarget(decorator: Node): Node | null {
  let expr: Node | null = decorator.namedChildren[0];
  while (expr && expr.type === 'call') expr = expr.childForFieldName('function');
  return expr;
}

/**
 * Whether a function definition carries one of the decorators `names` (last dotted part:
 * `asynccontextmanager` matches `@contextlib.asynccontextmanager` and `@asynccontextmanager(...)`),
 * also when imported under another name (`from contextlib import asynccontextmanager as acm`).
 */
export function decoratedWith(ctx: PythonRuleContext, fn: Node, names: readonly string[]): boolean {
  const decorated = fn.parent?.type === 'decorated_definition' ? fn.parent : null;
  if (!decorated) return false;
  const last = (dotted: string | undefined) => dotted !== undefined && names.includes(dotted.slice(dotted.lastIndexOf('.') + 1));
  return decorated.namedChildren.some((d) => {
    if (d?.type !== 'decorator') return false;
    const target = decoratorTarget(d);
    if (!target || (target.type !== 'identifier' && target.type !== 'attribute')) return false;
    return last(target.text) || last(ctx.scope.resolve(target)?.name);
  });
}

const RAISES = /(^|\.)(assertRaises|assertRaisesRegex|assertWarns|assertWarnsRegex|raises|warns|catch_warnings)$/;

/**
 * Inside `with pytest.raises(...)` / `with self.assertRaises(...)`: the call is made to see it
 * raise (bad arguments, no running loop), not for a result that someone should await. Likewise
 * under `pytest.warns(...)`, `assertWarns(...)`, `warnings.catch_warnings(record=True)`: a test of
 * the "never awaited" warning.
 */
export function expectedToRaise(call: Node): boolean {
  for (let n = call.parent; n; n = n.parent) {
    const type = n.type;
    if (type === 'function_definition' || type === 'lambda' || type === 'class_definition') return false;
    if (type !== 'with_statement') continue;
    for (const value of withItemValues(n)) {
      const fn = value.type === 'call' ? value.childForFieldName('function') : null;
      if (fn && RAISES.test(fn.text)) return true;
    }
  }
  return false;
}

/** The callee of a call node, unwrapping nothing else. */
export function callee(call: Node): Node | null {
  return call.childForFieldName('function');
}

/** Dotted text of an identifier/attribute chain, or undefined for anything else. */
export function dottedText(expr: Node | null): string | undefined {
  if (!expr) return undefined;
  if (expr.type === 'identifier') return expr.text;
  if (expr.type === 'attribute') {
    const obj = dottedText(expr.childForFieldName('object'));
    const attr = expr.childForFieldName('attribute')?.text;
    return obj && attr ? `${obj}.${attr}` : undefined;
  }
  return undefined;
}

/** Whether an `await` put in front of `expr` needs parentheses because of its position. */
export function needsParensForAwait(expr: Node): boolean {
  const parent = expr.parent;
  if (!parent) return false;
  switch (parent.type) {
    case 'attribute':
      return parent.childForFieldName('object')?.id === expr.id;
    case 'subscript':
      return parent.childForFieldName('value')?.id === expr.id;
    case 'call':
      return parent.childForFieldName('function')?.id === expr.id;
    default:
      return false;
  }
}

/**
 * Whether `await` may be put in front of `node`: it runs directly in an `async def` body, not in
 * a decorator, a default value or an annotation (evaluated outside the coroutine).
 */
export function canInsertAwait(ctx: PythonRuleContext, node: Node): boolean {
  if (!ctx.scope.isAsyncContext(node)) return false;
  for (let n: Node | null = node.parent; n; n = n.parent) {
    if (n.type === 'decorator' || n.type === 'parameters' || n.type === 'lambda_parameters' || n.type === 'type') return false;
    // `sum(await f(p) for p in paths)` would make an async generator, which `sum` cannot iterate.
    if (n.type === 'generator_expression') return false;
    if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') return true;
  }
  return true;
}

/** Edit that turns `expr` into `await expr` (parenthesised where precedence requires). */
export function awaitEdits(ctx: PythonRuleContext, expr: Node, replacementText?: string): TextEdit[] {
  const text = replacementText ?? expr.text;
  // `await time.sleep(1)` already awaits (and fails): the replacement needs no second await.
  if (expr.parent?.type === 'await') return replacementText === undefined ? [] : [{ range: ctx.rangeOf(expr), newText: text }];
  const awaited = needsParensForAwait(expr) ? `(await ${text})` : `await ${text}`;
  return [{ range: ctx.rangeOf(expr), newText: awaited }];
}

/**
 * The local name under which module `module` is usable in the module scope: itself if imported
 * plainly, its alias if imported as one; `null` if the name is taken by something else;
 * `undefined` if not imported (and free to import).
 */
export function moduleAlias(ctx: PythonRuleContext, module: string, at: Node): string | null | undefined {
  const scope = ctx.scope;
  const direct = scope.lookup(module, at);
  if (direct && direct.bindings.every((b) => b.kind === 'import' && b.target === module)) return module;
  for (const [local, bindings] of scope.module.bindings) {
    if (!bindings.length || !bindings.every((b) => b.kind === 'import' && b.target === module)) continue;
    // Usable at `at` only if no inner scope shadows the name.
    if (scope.lookup(local, at)?.scope === scope.module) return local;
  }
  return direct ? null : undefined;
}

/** Whether the module imports `module` or anything from it (`import anyio`, `from trio import sleep`). */
export function importsFrom(ctx: PythonRuleContext, module: string): boolean {
  for (const bindings of ctx.scope.module.bindings.values()) {
    if (bindings.some((b) => b.kind === 'import' && (b.target === module || b.target?.startsWith(`${module}.`)))) return true;
  }
  return false;
}

/**
 * The async library code at `at` runs on, by the module's imports, with the name to write it
 * under and the import to add: asyncio where the module imports it; otherwise anyio where it
 * uses anyio (whose code may run on trio, where asyncio's sleep raises), trio where it uses trio,
 * and asyncio (imported) for the rest. Null where it cannot be told (trio and asyncio both,
 * without anyio) or the name means something else.
 */
export function eventLoopModule(ctx: PythonRuleContext, at: Node): { library: 'asyncio' | 'anyio' | 'trio'; name: string; importEdits: TextEdit[] } | null {
  const anyio = importsFrom(ctx, 'anyio');
  const trio = importsFrom(ctx, 'trio');
  const library = importsFrom(ctx, 'asyncio') ? (trio && !anyio ? undefined : 'asyncio') : anyio ? 'anyio' : trio ? 'trio' : 'asyncio';
  if (!library) return null;
  const module = moduleAt(ctx, library, at);
  return module && { library, ...module };
}

/**
 * How code at `at` names the asyncio module: as the file imports it (under its alias), or as
 * `asyncio` with the `import asyncio` edit to add. Null where `asyncio` means something else.
 */
export function asyncioModule(ctx: PythonRuleContext, at: Node): { name: string; importEdits: TextEdit[] } | null {
  return moduleAt(ctx, 'asyncio', at);
}

/** How code at `at` names `module`: its alias, or the module's own name with the `import` to add; null where that name means something else. */
export function moduleAt(ctx: PythonRuleContext, module: string, at: Node): { name: string; importEdits: TextEdit[] } | null {
  const alias = moduleAlias(ctx, module, at);
  if (alias === null) return null;
  return { name: alias ?? module, importEdits: alias === undefined ? [addImportEdit(ctx, `import ${module}`)] : [] };
}

/**
 * An edit adding a statement at the top of the file, after the docstring and `from __future__`
 * imports: an `import x` joins the leading import block in sorted position; anything else goes
 * after the block, separated by a blank line.
 */
export function addImportEdit(ctx: PythonRuleContext, statement: string): TextEdit {
  const root = ctx.tree.rootNode;
  let afterLine = -1;
  const kids = root.namedChildren.filter((n): n is Node => n !== null);
  const sortKey = /^import\s+([\w.]+)/.exec(statement)?.[1];
  const eol = ctx.lines.eol(0);
  // The first statement, if a string, is the module's docstring, also after comments (an encoding line).
  const firstStatement = kids.find((n) => n.type !== 'comment');
  for (let i = 0; i < kids.length; i++) {
    const n = kids[i];
    const isDocstring = n === firstStatement && n.type === 'expression_statement' && n.namedChildren[0]?.type === 'string';
    if (n.type === 'comment') continue;
    if (n.type === 'import_statement' && sortKey && n.startPosition.column === 0) {
      // Keep a plain `import x` block sorted, as isort and ruff do.
      const first = n.namedChildren[0];
      const name = (first?.type === 'aliased_import' ? first.childForFieldName('name') : first)?.text ?? '';
      if (name.localeCompare(sortKey) > 0) {
        const pos = { line: n.startPosition.row, character: 0 };
        return { range: { start: pos, end: pos }, newText: `${statement}${eol}` };
      }
    }
    if (isDocstring || n.type === 'import_statement' || n.type === 'import_from_statement' || n.type === 'future_import_statement') {
      afterLine = n.endPosition.row;
      continue;
    }
    break;
  }
  if (afterLine < 0) {
    // No leading imports: insert before the first statement (after a shebang / encoding comments).
    let line = 0;
    while (line < ctx.lines.lineCount && /^\s*#/.test(ctx.lines.lineText(line))) line++;
    const pos = { line, character: 0 };
    return { range: { start: pos, end: pos }, newText: `${statement}${eol}` };
  }
  const lineEnd = { line: afterLine, character: ctx.lines.lineText(afterLine).length };
  if (!sortKey) {
    // A definition, not an import: keep it apart from the import block by a blank line.
    return { range: { start: lineEnd, end: lineEnd }, newText: `${eol}${eol}${statement}` };
  }
  if (afterLine + 1 >= ctx.lines.lineCount) {
    return { range: { start: lineEnd, end: lineEnd }, newText: `${eol}${statement}` };
  }
  const pos = { line: afterLine + 1, character: 0 };
  return { range: { start: pos, end: pos }, newText: `${statement}${ctx.lines.eol(afterLine)}` };
}

/**
 * The Python version below which `node` alone can run, from the `sys.version_info` tests of the
 * `if`/`elif`/`else` branches around it (functions defined in a branch included): `if
 * sys.version_info < (3, 7):` → [3, 7], the `else:` of `if sys.version_info >= (3, 9):` → [3, 9],
 * `if sys.version_info[:2] == (3, 6):` → [3, 7]; a module-level flag bound once to such a test
 * (`PY_37 = sys.version_info >= (3, 7)`) counts too, and so does a test for a name asyncio gained
 * (the `else:` of `if hasattr(asyncio, "all_tasks"):` → [3, 7]). Undefined when no test bounds it
 * from above.
 */
export function pythonVersionBelow(ctx: PythonRuleContext, node: Node): [number, number] | undefined {
  let bound: [number, number] | undefined;
  const tighten = (b: [number, number] | undefined): void => {
    if (b && (!bound || b[0] < bound[0] || (b[0] === bound[0] && b[1] < bound[1]))) bound = b;
  };
  for (let child: Node = node, n = node.parent; n; child = n, n = n.parent) {
    if (n.type === 'if_statement' && n.childForFieldName('consequence')?.id === child.id) {
      tighten(versionBound(ctx, n.childForFieldName('condition'), true));
    } else if (n.type === 'elif_clause' && n.childForFieldName('consequence')?.id === child.id) {
      tighten(versionBound(ctx, n.childForFieldName('condition'), true));
    } else if (n.type === 'else_clause' && n.parent?.type === 'if_statement') {
      // The `else:` runs when every test before it failed; only the `if` test is read here (a
      // false `elif` test would only narrow further).
      tighten(versionBound(ctx, n.parent.childForFieldName('condition'), false));
    }
  }
  return bound;
}

/** The exclusive upper bound a `sys.version_info` comparison puts on the version when it is `truth`. */
function versionBound(ctx: PythonRuleContext, test: Node | null | undefined, truth: boolean, depth = 0): [number, number] | undefined {
  if (!test) return undefined;
  if (test.type === 'parenthesized_expression' && test.namedChildren.length === 1) return versionBound(ctx, test.namedChildren[0], truth, depth);
  if (test.type === 'not_operator') return versionBound(ctx, test.childForFieldName('argument'), !truth, depth);
  if (test.type === 'identifier' && depth === 0) return versionBound(ctx, valueBoundOnce(ctx, test), truth, depth + 1);
  // A feature test: `hasattr(asyncio, "all_tasks")` is false only before the release that added it.
  if (test.type === 'call') return truth ? undefined : asyncioFeatureTested(ctx, test);
  if (test.type !== 'comparison_operator' || test.namedChildren.length !== 2) return undefined;
  const [left, right] = test.namedChildren as [Node, Node];
  const op = test.children.find((c) => c !== null && !c.isNamed)?.text;
  let at: [number, number];
  if (isVersionInfo(ctx, left) && right.type === 'tuple') {
    const parts = right.namedChildren.map((p) => (p?.type === 'integer' ? Number(p.text) : NaN));
    if (parts.length < 2 || parts.some((p) => !Number.isInteger(p))) return undefined;
    at = [parts[0], parts[1]];
  } else if (isMinorVersion(ctx, left) && right.type === 'integer') {
    // `sys.version_info[1] < 7`, `sys.version_info.minor >= 8`: the minor release of Python 3.
    at = [3, Number(right.text)];
  } else {
    return undefined;
  }
  const next: [number, number] = [at[0], at[1] + 1];
  // Reduce to `version < at` or `version <= at` (`== at` only holds for that release).
  const holds = truth ? op : ({ '<': '>=', '<=': '>', '>': '<=', '>=': '<', '==': '!=', '!=': '==' } as Record<string, string>)[op ?? ''];
  if (holds === '<') return at;
  if (holds === '<=' || holds === '==') return next;
  return undefined;
}

/** Names asyncio gained after 3.6, with the release that added them. */
const ASYNCIO_ADDED: Record<string, [number, number]> = {
  all_tasks: [3, 7], current_task: [3, 7], get_running_loop: [3, 7], run: [3, 7], create_task: [3, 7], BufferedProtocol: [3, 7],
  to_thread: [3, 9], TaskGroup: [3, 11], Runner: [3, 11], timeout: [3, 11], timeout_at: [3, 11], Timeout: [3, 11], eager_task_factory: [3, 12],
};

/** The release that added the asyncio name a `hasattr(asyncio, "name")` call tests for. */
function asyncioFeatureTested(ctx: PythonRuleContext, call: Node): [number, number] | undefined {
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'identifier' || ctx.scope.resolve(fn)?.name !== 'builtins.hasattr') return undefined;
  const args = call.childForFieldName('arguments')?.namedChildren.filter((a): a is Node => !!a && a.type !== 'comment') ?? [];
  if (args.length !== 2 || (args[0].type !== 'identifier' && args[0].type !== 'attribute') || args[1].type !== 'string') return undefined;
  if (ctx.scope.resolve(args[0])?.name !== 'asyncio') return undefined;
  const name = /^[rbuRBU]?(['"])(\w+)\1$/.exec(args[1].text)?.[2];
  return name && Object.hasOwn(ASYNCIO_ADDED, name) ? ASYNCIO_ADDED[name] : undefined;
}

/** `sys.version_info[1]` or `sys.version_info.minor`. */
function isMinorVersion(ctx: PythonRuleContext, expr: Node): boolean {
  if (expr.type === 'subscript') {
    return expr.childForFieldName('subscript')?.text === '1' && isVersionInfo(ctx, expr.childForFieldName('value')!);
  }
  if (expr.type !== 'attribute' || expr.childForFieldName('attribute')?.text !== 'minor') return false;
  return isVersionInfo(ctx, expr.childForFieldName('object')!);
}

/** `sys.version_info`, or its `[:2]` / `[0:2]` slice. */
function isVersionInfo(ctx: PythonRuleContext, expr: Node): boolean {
  if (expr.type === 'subscript') {
    const slice = expr.childForFieldName('subscript');
    if (!slice || slice.type !== 'slice' || !/^(0?:2)$/.test(slice.text.replace(/\s+/g, ''))) return false;
    return isVersionInfo(ctx, expr.childForFieldName('value')!);
  }
  if (expr.type !== 'attribute' && expr.type !== 'identifier') return false;
  return ctx.scope.resolve(expr)?.name === 'sys.version_info';
}

/** Body statements that make a function a stub (abstract method, protocol, placeholder). */
export function isStubBody(body: Node): boolean {
  const stmts = body.namedChildren.filter((s): s is Node => s !== null && s.type !== 'comment');
  return stmts.every((s) => {
    if (s.type === 'pass_statement') return true;
    if (s.type === 'expression_statement') {
      const e = s.namedChildren[0];
      return e?.type === 'string' || e?.type === 'ellipsis';
    }
    if (s.type === 'raise_statement') return /NotImplementedError/.test(s.text);
    return false;
  });
}

/**
 * A method left for subclasses to write: a stub body that raises NotImplementedError, or any stub
 * body (a docstring, `...`, `pass`) under `@abstractmethod`. What a call to it gives (a coroutine,
 * an async generator) is decided by the override that runs.
 */
export function isAbstractStub(fn: Node): boolean {
  const body = fn.childForFieldName('body');
  if (!body || !isStubBody(body)) return false;
  if (body.namedChildren.some((s) => s?.type === 'raise_statement')) return true;
  const decorated = fn.parent?.type === 'decorated_definition' ? fn.parent : undefined;
  return !!decorated && decorated.namedChildren.some((d) => d?.type === 'decorator' && /^@\s*(?:abc\s*\.\s*)?abstractmethod\s*$/.test(d.text));
}
