/**
 * An IndexedDB transaction held across an `await` of something else (idb-transaction-across-await).
 *
 * IndexedDB commits a transaction as soon as control returns to the event loop with no request of
 * it pending. Promise continuations of its own requests run while it is still active (microtasks),
 * so `await tx.store.get(k)` keeps it alive; `await fetch(...)`, a timer or another database does
 * not, and the next request on the transaction throws `TransactionInactiveError`.
 *
 * - idb (`openDB` from 'idb') or the raw API: `const tx = db.transaction(...)`, its stores, indexes
 *   and cursors are tracked in the function; an `await` that mentions none of them, after the
 *   transaction is made and before one of them is used again, is reported.
 * - Dexie: in the callback of `db.transaction(mode, tables, async () => ...)`, an `await` of clearly
 *   foreign work (fetch, a timer, `crypto.subtle`, `navigator.*`, a response body, or with types a
 *   library call that gives a native promise) commits the transaction early.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import * as ts from 'typescript';
import type { TsRuleContext } from '../context';
import { isThenable, type TypeServices } from '../project';
import { enclosingFunction, isFunction, isLoop, patternNames, visit, type FunctionNode } from '../util';

type Node = TSESTree.Node;

const RULE_TEXT = /\.transaction\s*\(/;
/** Dexie's transaction modes (`'rw'`, `'r'`, `'readwrite'`, with `!`/`?` for nesting). */
const DEXIE_MODE = /^(r|rw|readonly|readwrite)[!?]?$/;
const IDB_MODE = /^(readonly|readwrite|versionchange)$/;
/** Calls that give a cursor of the transaction (awaited, unlike stores and indexes). */
const CURSOR_CALLS = new Set(['openCursor', 'openKeyCursor', 'continue', 'advance', 'continuePrimaryKey']);
/** Members only an IndexedDB transaction has (idb's or the raw API's). */
const TX_MEMBERS = new Set(['objectStore', 'store', 'done', 'oncomplete', 'objectStoreNames']);
const HTTP_MODULES = /^(axios|redaxios|ky|got|ofetch|node-fetch|cross-fetch|isomorphic-fetch|undici|wretch|superagent)$/;
const BODY_READS = new Set(['json', 'text', 'blob', 'arrayBuffer', 'formData', 'bytes']);
/** Globals whose promises settle in a later task: browser and extension APIs. */
const FOREIGN_ROOTS = new Set(['navigator', 'caches', 'chrome', 'browser', 'indexedDB', 'cookieStore']);
const TIMER_HELPERS = /^(sleep|delay)$/i;
const EXECUTOR_TASKS = new Set(['setTimeout', 'setInterval', 'requestAnimationFrame', 'requestIdleCallback', 'addEventListener', 'postMessage', 'fetch']);
/** What reading from a cursor, store or transaction gives without a request. */
const DATA_PROPS = new Set(['value', 'key', 'primaryKey', 'mode', 'name', 'keyPath', 'autoIncrement', 'indexNames', 'objectStoreNames', 'durability', 'direction', 'source', 'multiEntry', 'unique']);
const PROMISE_COMBINATORS = new Set(['all', 'allSettled', 'race', 'any']);

function unwrap(node: Node): Node {
  let n = node;
  while (n.type === 'TSAsExpression' || n.type === 'TSNonNullExpression' || n.type === 'TSSatisfiesExpression' || n.type === 'TSTypeAssertion' || n.type === 'ChainExpression') n = n.expression;
  return n;
}

function propName(node: Node): string | undefined {
  return node.type === 'MemberExpression' && !node.computed && node.property.type === 'Identifier' ? node.property.name : undefined;
}

function isTransactionCall(node: Node): node is TSESTree.CallExpression {
  return node.type === 'CallExpression' && propName(unwrap(node.callee)) === 'transaction';
}

function stringValue(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0].value.cooked ?? undefined;
  return undefined;
}

/** Whether an identifier is a reference (not a property name, key or label). */
function isReference(id: TSESTree.Identifier): boolean {
  const p = id.parent;
  if (!p) return true;
  if (p.type === 'MemberExpression' && p.property === id && !p.computed) return false;
  if ((p.type === 'Property' || p.type === 'MethodDefinition' || p.type === 'PropertyDefinition') && p.key === id && !p.computed && !(p.type === 'Property' && p.shorthand)) return false;
  if (p.type === 'LabeledStatement' || p.type === 'BreakStatement' || p.type === 'ContinueStatement') return false;
  return true;
}

/**
 * Whether an identifier of a tracked name stands for the transaction's object itself: not a read
 * of its data (`cursor.value`, `cursor.key`, `tx.mode`, `store.name`), which makes no request.
 */
function liveUse(id: TSESTree.Identifier, names: ReadonlySet<string>): boolean {
  if (!names.has(id.name) || !isReference(id)) return false;
  const p = id.parent;
  if (p?.type === 'MemberExpression' && p.object === id && DATA_PROPS.has(propName(p) ?? '')) return p.parent?.type === 'CallExpression' && p.parent.callee === p;
  return true;
}

function mentions(node: Node, names: ReadonlySet<string>): boolean {
  let found = false;
  visit(node, (n) => {
    if (!found && n.type === 'Identifier' && liveUse(n, names)) found = true;
  });
  return found;
}

function contains(outer: Node, inner: Node): boolean {
  return outer.range[0] <= inner.range[0] && inner.range[1] <= outer.range[1];
}

/** The awaits of a function's own body (not of functions nested in it), and its `for await` loops. */
function ownAwaits(fn: FunctionNode): { node: Node; awaited: Node }[] {
  const out: { node: Node; awaited: Node }[] = [];
  visit(fn.body, (n) => {
    if (n.type === 'AwaitExpression') out.push({ node: n, awaited: n.argument });
    else if (n.type === 'ForOfStatement' && n.await) out.push({ node: n, awaited: n.right });
  }, (n) => isFunction(n));
  return out;
}

function typeAt(s: TypeServices | undefined, node: Node): { type: ts.Type; at: ts.Node } | undefined {
  const at = s?.tsNodeFor(node);
  if (!s || !at) return undefined;
  const type = s.checker.getTypeAtLocation(at);
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return undefined;
  return { type, at };
}

/** Whether a type is (or may be) an IndexedDB transaction: true, false, or undefined when unknown. */
function idbTransactionType(s: TypeServices | undefined, call: Node): boolean | undefined {
  const t = typeAt(s, call);
  if (!t) return undefined;
  const names = (t.type.isUnion() ? t.type.types : [t.type]).map((x) => declaredName(x.getSymbol() ?? x.aliasSymbol));
  return names.some((n) => n === 'IDBTransaction' || n === 'IDBPTransaction');
}

/** A symbol's name, a default export's by its declaration (`export default class Dexie`). */
function declaredName(symbol: ts.Symbol | undefined): string | undefined {
  const name = symbol?.getName();
  if (name !== 'default') return name;
  const decl = symbol?.declarations?.[0];
  return decl && (ts.isClassDeclaration(decl) || ts.isInterfaceDeclaration(decl)) ? decl.name?.text : name;
}

/** Whether a type is Dexie's (an instance of `Dexie` or a subclass): undefined when unknown. */
function dexieType(checker: ts.TypeChecker, type: ts.Type, depth = 0): boolean | undefined {
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown) || depth > 6) return undefined;
  let unknown = false;
  for (const t of type.isUnion() ? type.types : [type]) {
    if (declaredName(t.getSymbol()) === 'Dexie') return true;
    const target = (t as ts.TypeReference).target ?? t;
    if (target.isClassOrInterface()) {
      for (const base of checker.getBaseTypes(target)) {
        const verdict = dexieType(checker, base, depth + 1);
        if (verdict) return true;
        if (verdict === undefined) unknown = true;
      }
      // A class whose `extends` names something the program cannot resolve.
      const decl = t.getSymbol()?.declarations?.find((d) => ts.isClassDeclaration(d) || ts.isClassExpression(d)) as ts.ClassLikeDeclaration | undefined;
      if (decl?.heritageClauses?.some((h) => h.token === ts.SyntaxKind.ExtendsKeyword) && checker.getBaseTypes(target).length === 0) unknown = true;
    }
  }
  return unknown ? undefined : false;
}

export function checkIdbTransactionAcrossAwait(ctx: TsRuleContext): void {
  if (!RULE_TEXT.test(ctx.text) || !/\bawait\b/.test(ctx.text)) return;
  const calls: TSESTree.CallExpression[] = [];
  visit(ctx.ast, (n) => {
    if (isTransactionCall(n)) calls.push(n);
  });
  if (calls.length === 0) return;
  let services: TypeServices | undefined | null = null;
  const types = (): TypeServices | undefined => (services === null ? (services = ctx.types()) : services);
  for (const call of calls) {
    const last = call.arguments[call.arguments.length - 1];
    if (last && isFunction(unwrap(last))) checkDexie(ctx, types, call, unwrap(last) as FunctionNode);
    else checkIdb(ctx, types, call);
  }
}

// ---------------------------------------------------------------------------------------------
// idb and the raw API

/** The names a transaction call binds: `const tx = db.transaction(...)`, `const store = db.transaction(...).objectStore(...)`. */
function boundNames(call: TSESTree.CallExpression): { names: string[]; declarator: TSESTree.VariableDeclarator; chained: boolean } | undefined {
  let n: Node = call;
  let chained = false;
  for (;;) {
    const p: Node | undefined = n.parent;
    if (!p) return undefined;
    if (p.type === 'MemberExpression' && p.object === n && (propName(p) === 'objectStore' || propName(p) === 'store')) {
      chained = true;
      n = p.parent?.type === 'CallExpression' && p.parent.callee === p ? p.parent : p;
      continue;
    }
    if (p.type === 'TSAsExpression' || p.type === 'TSNonNullExpression' || p.type === 'TSSatisfiesExpression') {
      n = p;
      continue;
    }
    if (p.type === 'VariableDeclarator' && p.init === n) {
      const names = patternNames(p.id);
      return names.length ? { names, declarator: p, chained } : undefined;
    }
    return undefined;
  }
}

function checkIdb(ctx: TsRuleContext, types: () => TypeServices | undefined, call: TSESTree.CallExpression): void {
  if (call.arguments.length === 0 || call.arguments.length > 3) return;
  const bound = boundNames(call);
  if (!bound) return;
  const fn = enclosingFunction(bound.declarator);
  if (!fn || !fn.async) return;
  const tracked = new Set(bound.names);

  // With types, the call's type decides; without, its shape and the way the function uses it.
  const typed = idbTransactionType(types(), call);
  if (typed === false) return;
  if (typed === undefined) {
    const mode = stringValue(call.arguments[1]);
    let txMember = bound.chained || (mode !== undefined && IDB_MODE.test(mode));
    if (!txMember) {
      visit(fn.body, (n) => {
        if (!txMember && n.type === 'MemberExpression' && n.object.type === 'Identifier' && tracked.has(n.object.name) && TX_MEMBERS.has(propName(n) ?? '')) txMember = true;
      });
    }
    if (!txMember) return;
  }

  // Stores, indexes, cursors and pending requests derived from the transaction, in order.
  visit(fn.body, (n) => {
    if (n.type === 'VariableDeclarator' && n.init && n.range[0] > bound.declarator.range[0]) {
      const init = unwrap(n.init);
      if (!mentions(init, tracked)) return;
      if (init.type !== 'AwaitExpression') for (const name of patternNames(n.id)) tracked.add(name);
      else {
        // A cursor: `await store.openCursor()`, also through a hand-written `promisify(index.openCursor())`.
        let cursor = false;
        visit(init.argument, (c) => {
          if (!cursor && c.type === 'CallExpression' && CURSOR_CALLS.has(propName(unwrap(c.callee)) ?? '') && mentions(c.callee, tracked)) cursor = true;
        }, (c) => isFunction(c));
        if (cursor) for (const name of patternNames(n.id)) tracked.add(name);
      }
    } else if (n.type === 'ForOfStatement' && mentions(n.right, tracked)) {
      const left = n.left.type === 'VariableDeclaration' ? n.left.declarations[0]?.id : n.left;
      for (const name of patternNames(left)) tracked.add(name);
    }
  }, (n) => isFunction(n));

  const creation = bound.declarator;
  const txNames = new Set(bound.chained ? [] : bound.names);
  let doneAt = Infinity;
  for (const { node, awaited } of ownAwaits(fn)) {
    if (node.range[0] < creation.range[1] || node.range[0] > doneAt) continue;
    const a = unwrap(awaited);
    // `await tx.done`: the transaction is over; later awaits are free.
    if (a.type === 'MemberExpression' && propName(a) === 'done' && a.object.type === 'Identifier' && txNames.has(a.object.name)) {
      doneAt = node.range[1];
      continue;
    }
    if (mentions(awaited, tracked)) continue;
    if (harmless(types(), a)) continue;
    const use = laterUse(fn, node, creation, tracked);
    if (!use) continue;
    const txName = bound.names[0];
    ctx.report({
      message:
        `This \`await\` waits on something outside the IndexedDB transaction \`${txName}\` (line ${creation.loc.start.line}): the transaction commits as soon as it has no request pending, ` +
        `so the use of \`${use.name}\` on line ${use.loc.start.line} runs after it has finished and throws TransactionInactiveError. Do this work before opening the transaction, or open a new one after it.`,
      range: ctx.rangeOf(awaited),
    });
  }
}

/**
 * `tx.done`: the transaction's end, which a transaction that already committed still reaches
 * (the promise resolves). Waiting for it after other work throws nothing: no later use.
 */
function settles(id: TSESTree.Identifier): boolean {
  const p = id.parent;
  return p?.type === 'MemberExpression' && p.object === id && propName(p) === 'done';
}

/** Whether a function nested in `fn` around an identifier binds its name anew (`items.map((store) => ...)`). */
function rebound(id: TSESTree.Identifier, fn: FunctionNode): boolean {
  for (let n: Node | undefined = id.parent; n && n !== fn; n = n.parent) {
    if (isFunction(n) && n.params.some((p) => patternNames(p).includes(id.name))) return true;
  }
  return false;
}

/** An await that cannot let the transaction lapse: a value that is no promise, `Promise.resolve(x)`. */
function harmless(s: TypeServices | undefined, a: Node): boolean {
  if (a.type === 'Literal' || a.type === 'ArrayExpression' || a.type === 'ObjectExpression') return true;
  if (a.type === 'CallExpression' && a.callee.type === 'MemberExpression' && a.callee.object.type === 'Identifier' && a.callee.object.name === 'Promise' && propName(a.callee) === 'resolve') return true;
  const t = typeAt(s, a);
  return !!t && !isThenable(s!.checker, t.type, t.at);
}

/**
 * The first use of the tracked names the code can reach after an await: later in the enclosing
 * blocks (up to a `return`/`throw`), or anywhere in a loop around the await that the transaction
 * outlives (its next turn).
 */
function laterUse(fn: FunctionNode, awaitNode: Node, creation: Node, tracked: ReadonlySet<string>): TSESTree.Identifier | undefined {
  // The block the transaction is declared in: a name used past it is another binding.
  const scope = creation.parent?.parent ?? fn.body;
  const firstIn = (node: Node, after = -1): TSESTree.Identifier | undefined => {
    let found: TSESTree.Identifier | undefined;
    visit(node, (n) => {
      if (!found && n.type === 'Identifier' && n.range[0] > after && contains(scope, n) && liveUse(n, tracked) && !settles(n) && !rebound(n, fn)) found = n;
    });
    return found;
  };
  for (let n: Node = awaitNode; n !== fn.body && n.parent; n = n.parent) {
    const p: Node = n.parent;
    if (p.type === 'BlockStatement' || p.type === 'Program' || p.type === 'SwitchCase' || p.type === 'StaticBlock') {
      const list = (p.type === 'SwitchCase' ? p.consequent : p.body) as Node[];
      const at = list.indexOf(n);
      for (const s of list.slice(at + 1)) {
        const use = firstIn(s);
        if (use) return use;
        if (s.type === 'ReturnStatement' || s.type === 'ThrowStatement') return undefined;
      }
    } else if (isLoop(p) && !contains(p, creation)) {
      const use = firstIn(p);
      if (use) return use;
    } else if (p.type === 'IfStatement' || p.type === 'ConditionalExpression') {
      if (n === p.test) {
        const use = firstIn(p);
        if (use) return use;
      }
    } else if (p.type === 'TryStatement') {
      if (n === p.block) {
        const use = (p.handler && firstIn(p.handler)) || (p.finalizer && firstIn(p.finalizer));
        if (use) return use;
      }
    } else if (!isFunction(p)) {
      const use = firstIn(p, awaitNode.range[1]);
      if (use && !contains(n, use)) return use;
    }
    if (isFunction(p)) return undefined;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Dexie

function isDexieTransaction(ctx: TsRuleContext, types: () => TypeServices | undefined, call: TSESTree.CallExpression): boolean {
  const mode = stringValue(call.arguments[0]);
  if (mode === undefined || !DEXIE_MODE.test(mode) || call.arguments.length < 3) return false;
  const callee = unwrap(call.callee) as TSESTree.MemberExpression;
  const s = types();
  const t = typeAt(s, callee.object);
  if (s && t) {
    const verdict = dexieType(s.checker, t.type);
    if (verdict !== undefined) return verdict;
  }
  // No types: the shape (a mode, the tables, a function) is Dexie's alone among `transaction` APIs.
  void ctx;
  return true;
}

function checkDexie(ctx: TsRuleContext, types: () => TypeServices | undefined, call: TSESTree.CallExpression, scope: FunctionNode): void {
  if (!scope.async || !isDexieTransaction(ctx, types, call)) return;
  for (const { node, awaited } of ownAwaits(scope)) {
    if (node.type !== 'AwaitExpression') continue;
    const what = foreign(ctx, types, unwrap(awaited));
    if (!what) continue;
    ctx.report({
      message:
        `Awaiting ${what} inside a Dexie transaction (line ${call.loc.start.line}) lets the IndexedDB transaction commit while it waits: the next database call throws ` +
        'PrematureCommitError or TransactionInactiveError. Do this work before the transaction, or wrap it in `Dexie.waitFor(...)`.',
      range: ctx.rangeOf(awaited),
    });
  }
}

/** Roots a member chain: `crypto` of `crypto.subtle.digest`. */
function rootOf(node: Node): Node {
  let n = unwrap(node);
  for (;;) {
    if (n.type === 'MemberExpression') n = unwrap(n.object);
    else if (n.type === 'CallExpression') n = unwrap(n.callee);
    else return n;
  }
}

function chainNames(node: Node): string[] {
  const out: string[] = [];
  let n = unwrap(node);
  for (;;) {
    if (n.type === 'MemberExpression') {
      const p = propName(n);
      if (p) out.unshift(p);
      n = unwrap(n.object);
    } else if (n.type === 'CallExpression') n = unwrap(n.callee);
    else {
      if (n.type === 'Identifier') out.unshift(n.name);
      return out;
    }
  }
}

/** Whether the types say an expression gives no promise (a `text()` of the project's own that returns a string). */
function noPromise(s: TypeServices | undefined, a: Node): boolean {
  const t = typeAt(s, a);
  return !!t && !isThenable(s!.checker, t.type, t.at);
}

/** A short description of clearly foreign async work, or undefined. */
function foreign(ctx: TsRuleContext, types: () => TypeServices | undefined, a: Node, depth = 0): string | undefined {
  if (depth > 3) return undefined;
  if (a.type === 'ImportExpression') return 'a dynamic `import()`';
  if (a.type === 'NewExpression' && a.callee.type === 'Identifier' && a.callee.name === 'Promise') {
    const executor = a.arguments[0] && unwrap(a.arguments[0]);
    let task: string | undefined;
    if (executor && isFunction(executor)) {
      visit(executor.body, (n) => {
        if (task || n.type !== 'CallExpression') return;
        const c = unwrap(n.callee);
        const name = c.type === 'Identifier' ? c.name : propName(c);
        if (name && EXECUTOR_TASKS.has(name)) task = name;
      });
    }
    return task ? `a promise settled by \`${task}\`` : undefined;
  }
  if (a.type !== 'CallExpression') return undefined;
  const callee = unwrap(a.callee);
  const names = chainNames(callee);
  const root = rootOf(callee);
  const method = propName(callee);

  // Promise.all([...]): judged by its elements.
  if (callee.type === 'MemberExpression' && root.type === 'Identifier' && root.name === 'Promise' && PROMISE_COMBINATORS.has(method ?? '')) {
    const arg = a.arguments[0] && unwrap(a.arguments[0]);
    if (arg?.type === 'ArrayExpression') {
      for (const el of arg.elements) {
        const what = el && el.type !== 'SpreadElement' ? foreign(ctx, types, unwrap(el), depth + 1) : undefined;
        if (what) return what;
      }
    }
    return undefined;
  }
  if (root.type === 'Identifier') {
    const m = ctx.imports.resolve(root);
    if (m && HTTP_MODULES.test(m.module)) return `\`${m.module}\``;
    if (m && (m.module === 'timers/promises' || m.module === 'timers')) return 'a timer';
    const global = !m && ctx.imports.isGlobalReference(root);
    if (callee.type === 'Identifier') {
      if (root.name === 'fetch' && global) return '`fetch()`';
      if (TIMER_HELPERS.test(root.name)) return `\`${root.name}()\``;
    }
    if (global && FOREIGN_ROOTS.has(root.name)) return `\`${names.join('.')}()\``;
    if (global && (names.slice(0, 2).join('.') === 'crypto.subtle' || /^(window|self|globalThis)\.(crypto\.subtle|navigator|caches|fetch)/.test(names.join('.')))) return `\`${names.join('.')}()\``;
  }
  if (method && BODY_READS.has(method) && a.arguments.length === 0 && !noPromise(types(), a)) return `a response body (\`.${method}()\`)`;

  // With types: a library call (declared in a declaration file other than Dexie's) that gives a native promise.
  const s = types();
  const at = s?.tsNodeFor(a);
  if (s && at && ts.isCallExpression(at)) {
    const sig = s.checker.getResolvedSignature(at);
    const decl = sig?.getDeclaration();
    const file = decl?.getSourceFile();
    if (!decl || !file || !file.isDeclarationFile || /[\\/]dexie/i.test(file.fileName)) return undefined;
    if (/^lib\.es/.test(file.fileName.replace(/^.*[\\/]/, ''))) return undefined;
    const returned = sig!.getReturnType();
    if (!isThenable(s.checker, returned, at)) return undefined;
    const sym = returned.getSymbol();
    if (sym && /Dexie|Collection|Table|PromiseExtended/.test(sym.getName())) return undefined;
    return `\`${names.join('.') || 'this call'}()\``;
  }
  return undefined;
}
