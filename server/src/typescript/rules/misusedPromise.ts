/**
 * misused-promise: a promise (or a promise-returning function) used where it cannot work.
 * - a promise-returning function passed or assigned where the receiver ignores the result
 *   (a parameter, property, variable or JSX attribute typed as a void-returning function;
 *   `forEach`, event listeners, timers);
 * - an async array predicate (`filter`, `some`, ...): a promise is always truthy;
 * - a promise as a condition (`if (isReady())`, `!p`, `p && x`) or spread into an object;
 * - an async `new Promise` executor.
 * With the TypeScript checker, signatures decide (like typescript-eslint's no-misused-promises:
 * every overload is considered, so a parameter that also accepts a promise-returning function is
 * fine). Without types — or when the callee is `any`, as in untyped JS — only inline async
 * functions and async functions declared in the file are recognised, at well-known callees.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import * as ts from 'typescript';
import { asyncBodyNeverRejects, asyncGeneratorBody, declaredInPackage, functionNeverRejects, functionOfSymbol, functionsOfBinding, ownNodes, resolveAlias, returnedFunctions, skipParens } from '../rejection';
import type { Fix, Range } from '../../engine/types';
import type { TsRuleContext } from '../context';
import { mobilePromiseApi } from '../mobileApis';
import { mcpEventCallback } from '../web3AgentApis';
import { expressMajor } from '../serverSdkApis';
import { extensionPath, extensionPromiseApi, isMessageEvent } from '../webExtensions';
import { PROMISE_MEMBERS, awaitInitFix, isJavaScriptFile, promiseVariables, shownText } from './promiseVariables';
import type { TypeServices } from '../project';
import { callsAsyncGenerator, innerCall, localAsyncGenerators } from '../asyncGenerators';
import { awaitText, enclosingClass, enclosingFunction, isFunction, shadowedAt, visit, type FunctionNode } from '../util';

type Node = TSESTree.Node;

const MISUSED = '@typescript-eslint/no-misused-promises';
const EXECUTOR = 'no-async-promise-executor';

const PREDICATES = new Set(['filter', 'some', 'every', 'find', 'findIndex', 'findLast', 'findLastIndex']);
const LISTENER_METHODS = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener']);
/** Global functions that call their first argument and ignore what it returns. */
const EFFECT_HOOKS = new Set(['useEffect', 'useLayoutEffect', 'useInsertionEffect']);
const TIMERS = new Set(['setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask']);
/** An Express app's or router's registrations: each argument may be a handler. */
const ROUTE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'use', 'options', 'head', 'param']);
const REMOVERS = new Set(['off', 'removeListener', 'removeEventListener']);
const GLOBAL_OBJECTS = new Set(['window', 'globalThis', 'self', 'global']);
/** Vue's packages, and the functions of them that run a callback with its async error handling. */
const VUE_MODULES = /^(vue|@vue\/runtime-core|@vue\/composition-api|vue-demi)$/;
const VUE_ASYNC_SAFE = new Set([
  'watch', 'watchEffect', 'watchPostEffect', 'watchSyncEffect', 'onMounted', 'onUpdated', 'onUnmounted', 'onBeforeMount',
  'onBeforeUpdate', 'onBeforeUnmount', 'onActivated', 'onDeactivated', 'onServerPrefetch',
]);

/** Whether a thenable type has members besides a promise's own (`then`, `catch`, `finally`, symbols): an object of its own. */
function hasOwnMembers(checker: ts.TypeChecker, type: ts.Type): boolean {
  return checker.getPropertiesOfType(type).some((p) => !PROMISE_MEMBERS.has(p.name) && !p.name.startsWith('__@'));
}

export function checkMisusedPromises(ctx: TsRuleContext): void {
  let services: TypeServices | undefined | null = null;
  const types = (): TypeServices | undefined => {
    if (services === null) services = ctx.types();
    return services;
  };
  const asyncNames = localAsyncFunctions(ctx.ast);
  // An async generator function makes no promise: its calls are judged apart (see ForOfStatement).
  const generatorNames = localAsyncGenerators(ctx.ast);
  for (const name of generatorNames) asyncNames.delete(name);
  const checked = new Set<Node>();

  /** The checker's node and type of an ESTree expression. */
  const typed = (node: Node): { s: TypeServices; tsNode: ts.Node; type: ts.Type } | undefined => {
    const s = types();
    const tsNode = s?.tsNodeFor(node);
    if (!s || !tsNode) return undefined;
    return { s, tsNode, type: s.checker.getTypeAtLocation(tsNode) };
  };

  /**
   * The function an identity wrapper returns bound to a context: OpenTelemetry's
   * `context.bind(ctx, fn)` (from `@opentelemetry/api`) and node:async_hooks'
   * `AsyncResource.bind(fn)`, `AsyncLocalStorage.bind(fn)` or `resource.bind(fn)` of an
   * `AsyncResource` (by its type, or made in the file by `new AsyncResource(...)`). The wrapper is
   * recognised only through its import or its type: a `bind` of the program is not one.
   */
  const identityWrapped = (node: Node): Node | undefined => {
    if (node.type !== 'CallExpression') return undefined;
    const callee = unwrap(node.callee);
    if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier' || callee.property.name !== 'bind') return undefined;
    const m = ctx.imports.resolve(callee);
    const path = m ? m.path.join('.').replace(/^default\./, '') : '';
    if (m?.module === '@opentelemetry/api' && path === 'context.bind') return node.arguments[1] as Node | undefined;
    if (m?.module === 'async_hooks' && /^(AsyncResource|AsyncLocalStorage)\.bind$/.test(path)) return node.arguments[0] as Node | undefined;
    const receiver = unwrap(callee.object);
    if (receiver.type !== 'Identifier' && receiver.type !== 'MemberExpression' && receiver.type !== 'ThisExpression') return undefined;
    // `resource.bind(fn)` on an AsyncResource (or a subclass): by the declaration of its `bind`.
    const s = types();
    const tsCallee = s?.tsNodeFor(callee);
    if (s && tsCallee) {
      const declaration = s.checker.getSymbolAtLocation(tsCallee)?.declarations?.[0];
      const owner = declaration?.parent;
      if (owner && ts.isClassDeclaration(owner) && owner.name?.text === 'AsyncResource' && declaredInPackage(owner, /^(node:)?async_hooks$|^@types\/node$/)) return node.arguments[0] as Node | undefined;
    }
    // Untyped: `const resource = new AsyncResource('job')` in the file.
    if (receiver.type === 'Identifier') {
      const made = madeBy(ctx.ast, receiver.name);
      const maker = made ? ctx.imports.resolve(unwrap(made.callee)) : undefined;
      if (maker?.module === 'async_hooks' && maker.path.join('.') === 'AsyncResource') return node.arguments[0] as Node | undefined;
    }
    return undefined;
  };

  /** The function behind its wrappers: `fn.bind(this)`, `context.bind(ctx, fn)`. */
  const wrappedFunction = (node: Node): Node | undefined => {
    let target: Node | undefined;
    for (let e = node, depth = 0; depth < 4; depth++) {
      const inner = identityWrapped(e) ?? boundFunction(e);
      if (!inner) break;
      target = e = unwrap(inner);
    }
    return target;
  };

  /** Syntax only: an inline async function, or the name of an async function declared here. */
  const syntacticallyAsync = (node: Node): boolean => {
    const wrapped = identityWrapped(unwrap(node));
    if (wrapped) return syntacticallyAsync(wrapped);
    const e = unwrap(node);
    if (isFunction(e)) return (e.async && !e.generator) || returnsLocalAsyncCall(e);
    return e.type === 'Identifier' && asyncNames.has(e.name) && !shadowedAt(e, e.name);
  };

  /** `(id) => deleteItem(db, id)`, `function (i) { return save(i); }`: gives the promise of a local async function. */
  const returnsLocalAsyncCall = (fn: FunctionNode): boolean => {
    let result: Node | null | undefined;
    if (fn.body.type !== 'BlockStatement') result = fn.body;
    else if (fn.body.body.length === 1 && fn.body.body[0].type === 'ReturnStatement') result = fn.body.body[0].argument;
    const call = result ? unwrap(result) : undefined;
    if (call?.type !== 'CallExpression') return false;
    const callee = unwrap(call.callee);
    return (callee.type === 'Identifier' && asyncNames.has(callee.name) && !shadowedAt(callee, callee.name)) || mobilePromiseApi(ctx, callee) || extensionPromiseApi(ctx, call);
  };

  /** Whether a function-valued expression returns a thenable. */
  const returnsPromise = (node: Node): boolean => {
    const e = unwrap(node);
    // `context.bind(ctx, async () => ...)`: the wrapper's type may be unknown (untyped JavaScript).
    const wrapped = identityWrapped(e);
    if (wrapped) return returnsPromise(wrapped);
    if (isFunction(e) && e.async && !e.generator) return true;
    // A plain function that returns nothing, or a generator, cannot give a promise: no type query.
    if (isFunction(e) && (e.generator || returnsNothing(e))) return false;
    const t = typed(node);
    if (t) return (returnsThenable(t.s.checker, t.type, t.tsNode) && !(isFunction(e) && givesOwnObject(t.s.checker, t.type))) || (isFunction(e) && returnsAny(t.s.checker, t.type) && returnsLocalAsyncCall(e));
    return syntacticallyAsync(node);
  };

  /**
   * Whether a plain function gives an object that is only also awaitable, with members of its own
   * besides `then` (`() => reply.send(data)` with Fastify's reply): the object is what is made,
   * not work left to wait for.
   */
  const givesOwnObject = (checker: ts.TypeChecker, type: ts.Type): boolean => {
    const results = checker.getSignaturesOfType(type, ts.SignatureKind.Call).map((sig) => checker.getReturnTypeOfSignature(sig));
    return results.length > 0 && results.every((r) => (r.isUnion() ? r.types : [r]).every((u) => hasOwnMembers(checker, u)));
  };

  /** Whether an expression's value is a promise (used as a condition or spread). */
  const isPromiseValue = (node: Node, always: boolean): boolean => {
    const e = unwrap(node);
    if (e.type === 'AwaitExpression') return false;
    const t = typed(node);
    if (t) return always ? isAlwaysThenable(t.s.checker, t.type, t.tsNode) : isSometimesThenable(t.s.checker, t.type, t.tsNode);
    if (e.type === 'NewExpression' && e.callee.type === 'Identifier' && e.callee.name === 'Promise') return true;
    if (e.type !== 'CallExpression') return false;
    const callee = unwrap(e.callee);
    return (isFunction(callee) && callee.async && !callee.generator) || (callee.type === 'Identifier' && asyncNames.has(callee.name));
  };

  /**
   * `const app = Fastify(); app.register(...)`: a thenable that is also an object of its own (a
   * server awaited for readiness, a query builder) has members besides `then`; reading one of them
   * uses the object, not the value it resolves to.
   */
  const readsOwnMember = (init: Node, use: Node): boolean => {
    const member = use.parent;
    if (member?.type !== 'MemberExpression' || member.object !== use) return false;
    if (!member.computed && member.property.type === 'Identifier' && PROMISE_MEMBERS.has(member.property.name)) return false;
    const t = typed(init);
    // Any member besides the promise's own (`then`, `catch`, `finally`, `Symbol.toStringTag`)
    // makes it such an object; a computed or undeclared read of it (JavaScript adds members at
    // will) is taken as a read of the object too.
    return !!t && hasOwnMembers(t.s.checker, t.type);
  };

  /**
   * `const prepared = sheet.prepareRows(rows)` where `prepareRows` is a plain function whose JSDoc
   * says `@returns {Promise<...>}` but whose every `return` gives an object or array literal: the
   * comment, often carried over into compiled output from TypeScript sources (where JSDoc types are
   * never checked), has drifted from the code; the body is what runs.
   */
  const returnTagContradicted = (init: Node): boolean => {
    const call = unwrap(init);
    if (call.type !== 'CallExpression') return false;
    const t = typed(init);
    if (!t || !ts.isCallExpression(t.tsNode)) return false;
    const decl = t.s.checker.getResolvedSignature(t.tsNode)?.declaration;
    if (!decl || !(ts.isMethodDeclaration(decl) || ts.isFunctionDeclaration(decl) || ts.isFunctionExpression(decl)) || !decl.body) return false;
    if (decl.asteriskToken || ts.getCombinedModifierFlags(decl) & ts.ModifierFlags.Async || !ts.getJSDocReturnTag(decl)) return false;
    if (!/\.(c|m)?jsx?$/i.test(decl.getSourceFile().fileName)) return false;
    const returns = ownNodes(decl.body, ts.isReturnStatement);
    const returned = returns.flatMap((r) => (r.expression ? [r.expression] : []));
    const bare = returns.some((r) => !r.expression);
    const plain = (e: ts.Expression): boolean => {
      while (ts.isParenthesizedExpression(e)) e = e.expression;
      return ts.isObjectLiteralExpression(e) || ts.isArrayLiteralExpression(e) || ts.isStringLiteralLike(e) || ts.isNumericLiteral(e) || ts.isTemplateExpression(e) ||
        e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword || e.kind === ts.SyntaxKind.NullKeyword;
    };
    return !bare && returned.length > 0 && returned.every(plain);
  };

  // JavaScript: `const data = res.json()` read only as the value (`data.items`).
  if (isJavaScriptFile(ctx.filePath)) {
    for (const v of promiseVariables(ctx, (init) => isPromiseValue(init, true), true)) {
      if (v.kind !== 'value' || !v.firstUse || readsOwnMember(v.init, v.firstUse) || returnTagContradicted(v.init)) continue;
      const read = v.firstUse.parent && (v.firstUse.parent.type === 'MemberExpression' || v.firstUse.parent.type === 'BinaryExpression') ? shownText(ctx, v.firstUse.parent, 40) : v.name;
      ctx.report({
        message: `The promise from '${shownText(ctx, v.init)}' is stored in '${v.name}' and read as its value ('${read}'): that reads the promise, not what it resolves to — await it first`,
        range: ctx.rangeOf(v.init),
        // No ESLint rule reports this shape.
        anchors: [],
        fix: awaitInitFix(ctx, v),
      });
    }
  }

  /** `p.finally(async () => ...)` waits for the promise its callback returns (and passes on its rejection). */
  const isPromiseFinally = (calleeNode: Node): boolean => {
    const callee = unwrap(calleeNode);
    if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier' || callee.property.name !== 'finally') return false;
    const t = typed(callee.object);
    return !t || isSometimesThenable(t.s.checker, t.type, t.tsNode) || !!(t.type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown));
  };

  /** An inline function (or a function of the program named here) whose promise never rejects. */
  const neverRejects = (fnNode: Node): boolean => {
    const s = ctx.types();
    if (!s) return false;
    const e = wrappedFunction(unwrap(fnNode)) ?? unwrap(fnNode);
    const tsNode = s.tsNodeFor(e);
    if (!tsNode) return false;
    if (isFunction(e)) return functionNeverRejects(s.checker, tsNode);
    if (e.type === 'CallExpression') {
      // Babel's `_asyncToGenerator(function* () {...})`: the generator's body, its yields as awaits.
      const body = asyncGeneratorBody(tsNode);
      if (body) return asyncBodyNeverRejects(s.checker, body);
      return koaCallback(s.checker, e, tsNode) || fetchServerAdapter(s.checker, tsNode) || factoryNeverRejects(s.checker, tsNode) || formSubmitNeverRejects(s.checker, tsNode);
    }
    if (e.type !== 'Identifier' && e.type !== 'MemberExpression') return false;
    if (fetchServerAdapter(s.checker, tsNode)) return true;
    // Also a function imported from another module of the program (`app.use(slidingWindow)`), or
    // given by a custom hook of the program (`const { run } = useAsyncCallback(save)`).
    const symbol = resolveAlias(s.checker, s.checker.getSymbolAtLocation(tsNode));
    const declaration = functionOfSymbol(symbol);
    if (declaration && functionNeverRejects(s.checker, declaration)) return true;
    const fromHook = functionsOfBinding(s.checker, symbol);
    return !!fromHook && fromHook.every((fn) => functionNeverRejects(s.checker, fn));
  };

  /**
   * Whether a callback that cannot reject may go unreported. Not when `forEach` runs it inside an
   * async function: its promises are made while the function runs, which could wait for them
   * and may rely on the work being done (floating-promise's policy for such calls). A listener,
   * a timer or a stored handler runs after the function has returned: nothing could wait for it.
   */
  const exemptIfNeverRejects = (fnNode: Node): boolean => {
    const call = fnNode.parent;
    if (call?.type !== 'CallExpression' || !call.arguments.includes(fnNode as TSESTree.CallExpressionArgument)) return true;
    const callee = unwrap(call.callee);
    // forEach and the walks that run their callback on the spot (PostCSS's walkDecls, cheerio's each).
    const runsNow = callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier' && /^(?:forEach|each|walk\w*)$/.test(callee.property.name);
    return !runsNow || !enclosingFunction(call)?.async;
  };

  /** A short name for a callee: `ids.forEach`, `emitter.on`, `….then` for long receivers. */
  const calleeName = (calleeNode: Node): string => {
    const callee = unwrap(calleeNode);
    if (callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier') {
      const object = ctx.text.slice(callee.object.range[0], callee.object.range[1]);
      return `${object.length <= 30 && !/[\r\n]/.test(object) ? object : '…'}.${callee.property.name}`;
    }
    return shown(calleeNode);
  };

  const headRange = (node: Node): Range => {
    const e = unwrap(node);
    if (isFunction(e) && e.body) {
      let end = e.body.range[0];
      while (end > e.range[0] && /\s/.test(ctx.text[end - 1])) end--;
      if (e.type === 'ArrowFunctionExpression' && ctx.text.slice(end - 2, end) === '=>') {
        end -= 2;
        while (end > e.range[0] && /\s/.test(ctx.text[end - 1])) end--;
      }
      if (end > e.range[0]) return { start: ctx.lines.positionAt(node.range[0]), end: ctx.lines.positionAt(end) };
    }
    return ctx.rangeOf(node);
  };

  const shown = (node: Node): string => shownText(ctx, node, 50);

  /** `judged`: whether the function may reject was already decided (a choice between functions). */
  const reportVoid = (fnNode: Node, where: string, judged = false): void => {
    if (checked.has(fnNode) && !judged) return;
    checked.add(fnNode);
    // An effect's callback may return only a clean-up function: any promise breaks that contract.
    // An async message listener answering after an await loses its answer, and a service worker's
    // listener extending its event after an await throws: whether it can reject or not.
    const respond = lateResponder(fnNode);
    const extend = respond ? undefined : lateEventExtension(fnNode);
    const safe = !judged && !isEffectCallback(fnNode) && exemptIfNeverRejects(fnNode) && neverRejects(fnNode);
    if (safe && !respond && !extend) return;
    const rejection = safe ? '' : ' (a rejection also goes unhandled)';
    ctx.report({
      message: respond
        ? `Async listener ${where}: it returns a promise, not true, so the message channel closes at its first await and '${respond}' called after it is never delivered${rejection}. Make the listener synchronous: start the work, answer from its then(), and return true`
        : extend
          ? `Async listener ${where}: '${extend}()' is called after an await, once the event has been dispatched: it throws an InvalidStateError, and the worker may be stopped before the work is done${rejection}. Call ${extend}() synchronously with the promise of the async work: ${extend}((async () => { ... })())`
          : `Promise-returning function ${where} where a void-returning function is expected: its promise is ignored, so nothing waits for it and a rejection goes unhandled`,
      range: headRange(fnNode),
      anchors: [MISUSED],
    });
  };

  /** `await x` where the position allows it: inside the body of an async function. */
  const awaitFix = (node: Node, spread: boolean): Fix | undefined => {
    const fn = enclosingFunction(node);
    if (!fn || !fn.async || !fn.body || node.range[0] < fn.body.range[0] || node.range[1] > fn.body.range[1]) return undefined;
    const text = ctx.text.slice(node.range[0], node.range[1]);
    const low = lowPrecedence(node);
    const awaited = low ? `await (${text})` : awaitText(node, text);
    return {
      title: 'Await the promise',
      safe: !spread,
      edits: [{ range: ctx.rangeOf(node), newText: spread ? `(${awaited})` : awaited }],
    };
  };

  /**
   * `if (room.syncPromise) return room.syncPromise; room.syncPromise = sync(room);`: a promise made
   * on first use and kept. Whatever its declared type says (a field typed without `?`, a project
   * without strict null checks), the function tests it before assigning it, never after: the
   * test asks whether one was made yet.
   */
  const lazilyAssigned = (e: Node, text: string): boolean => {
    const fn = enclosingFunction(e);
    if (!fn?.body) return false;
    let before = false;
    let after = false;
    visit(fn.body, (m) => {
      if (m.type !== 'AssignmentExpression' || enclosingFunction(m) !== fn) return;
      const left = unwrap(m.left);
      if (ctx.text.slice(left.range[0], left.range[1]).replace(/\s+/g, '') !== text) return;
      if (m.range[1] <= e.range[0]) before = true;
      else if (m.range[0] >= e.range[1]) after = true;
    });
    return after && !before;
  };

  /**
   * `if (this.timer) this.timer.cancel();`: a thenable with members of its own (a cancellable
   * timeout, a deferred) tested before one of them is used: whether it is there, not what it resolves to.
   */
  const existenceCheck = (node: Node): boolean => {
    const e = unwrap(node);
    if (e.type !== 'Identifier' && e.type !== 'MemberExpression') return false;
    const p = node.parent;
    const guarded =
      (p?.type === 'IfStatement' || p?.type === 'ConditionalExpression') && p.test === node ? p.consequent : p?.type === 'LogicalExpression' && p.operator === '&&' && p.left === node ? p.right : undefined;
    const text = ctx.text.slice(e.range[0], e.range[1]).replace(/\s+/g, '');
    if (lazilyAssigned(e, text) || declaredOptional(e) || clearedElsewhere(e)) return true;
    // `if (done && typeof done.then === 'function')`, `p && p instanceof Promise`: a test of
    // whether the value is a thenable at all, written for code that may return either.
    if (p?.type === 'LogicalExpression' && p.operator === '&&' && p.left === node && thenableTest(p.right, text)) return true;
    if (!guarded) return false;
    let used = false;
    visit(guarded, (m) => {
      if (used || m.type !== 'MemberExpression' || m.computed || m.property.type !== 'Identifier') return;
      // `target && typeof target.then === 'function'`: a test whether the value is a thenable at
      // all (duck typing before it is awaited), not a read of what it resolves to.
      const duckTyped = m.property.name === 'then' && m.parent?.type === 'UnaryExpression' && m.parent.operator === 'typeof';
      if (!duckTyped && /^(then|catch|finally)$/.test(m.property.name)) return;
      const o = unwrap(m.object);
      if (ctx.text.slice(o.range[0], o.range[1]).replace(/\s+/g, '') === text) used = true;
    });
    return used;
  };

  /**
   * `if (this.ready) await this.ready;` where the class also writes `this.ready = undefined` (or
   * `null`, `void 0`, `delete this.ready`) once the work is done: JavaScript declares no type, and
   * the checker infers the promise from the first assignment alone, but the class itself says the
   * member is sometimes empty. Likewise a module variable the file resets (`pending = null`). Not
   * right after the function itself stored a promise there (`pending = load(); if (pending)`): that
   * test is always true.
   */
  const clearedElsewhere = (e: Node): boolean => {
    if (!isJavaScriptFile(ctx.filePath)) return false;
    const fn = enclosingFunction(e);
    const text = ctx.text.slice(e.range[0], e.range[1]).replace(/\s+/g, '');
    let storedBefore = false;
    if (fn?.body) {
      visit(fn.body, (m) => {
        if (m.type !== 'AssignmentExpression' || enclosingFunction(m) !== fn || m.range[1] > e.range[0]) return;
        const left = unwrap(m.left);
        if (ctx.text.slice(left.range[0], left.range[1]).replace(/\s+/g, '') === text) storedBefore = true;
      });
    }
    if (storedBefore) return false;
    const member = e.type === 'MemberExpression' && !e.computed && e.property.type === 'Identifier' && unwrap(e.object).type === 'ThisExpression' ? e.property.name : undefined;
    if (!member && e.type !== 'Identifier') return false;
    const empty = (v: Node): boolean => {
      const x = unwrap(v);
      return (x.type === 'Identifier' && x.name === 'undefined') || (x.type === 'Literal' && x.value === null && !('regex' in x)) || (x.type === 'UnaryExpression' && x.operator === 'void');
    };
    const scope: Node | undefined = member ? enclosingClass(e) : ctx.ast;
    if (!scope) return false;
    const t = member ? undefined : typed(e);
    const symbol = t ? t.s.checker.getSymbolAtLocation(t.tsNode) : undefined;
    if (!member && !symbol) return false;
    const same = (target: Node): boolean => {
      const x = unwrap(target);
      if (member) return x.type === 'MemberExpression' && !x.computed && x.property.type === 'Identifier' && x.property.name === member && unwrap(x.object).type === 'ThisExpression';
      if (x.type !== 'Identifier' || x.name !== (e as TSESTree.Identifier).name) return false;
      const u = typed(x);
      return !!u && u.s.checker.getSymbolAtLocation(u.tsNode) === symbol;
    };
    let cleared = false;
    visit(scope, (m) => {
      if (cleared) return;
      if (m.type === 'AssignmentExpression' && m.operator === '=' && empty(m.right) && same(m.left)) cleared = true;
      else if (m.type === 'UnaryExpression' && m.operator === 'delete' && same(m.argument)) cleared = true;
    });
    return cleared;
  };

  /**
   * `private gate?: Promise<void>` tested with `if (this.gate)`: a name declared as possibly absent
   * (an optional property or parameter, or a type that lists `undefined` or `null`). Without
   * `strictNullChecks` the checker drops the `undefined`, but the declaration still says so.
   */
  const declaredOptional = (e: Node): boolean => {
    const t = typed(e);
    if (!t) return false;
    const name = ts.isPropertyAccessExpression(t.tsNode) ? t.tsNode.name : t.tsNode;
    const symbol = t.s.checker.getSymbolAtLocation(name);
    // With strictNullChecks the declared type keeps its `undefined`, and a test right after an
    // assignment is narrowed to the promise, as it should be.
    if (!symbol || !isAlwaysThenable(t.s.checker, t.s.checker.getTypeOfSymbol(symbol), t.tsNode)) return false;
    return (symbol.declarations ?? []).some((d) => {
      if ((ts.isPropertyDeclaration(d) || ts.isPropertySignature(d) || ts.isParameter(d)) && d.questionToken) return true;
      const type = (ts.isPropertyDeclaration(d) || ts.isPropertySignature(d) || ts.isParameter(d) || ts.isVariableDeclaration(d)) ? d.type : undefined;
      return !!type && ts.isUnionTypeNode(type) && type.types.some((u) => u.kind === ts.SyntaxKind.UndefinedKeyword || (ts.isLiteralTypeNode(u) && u.literal.kind === ts.SyntaxKind.NullKeyword));
    });
  };

  /** `typeof x.then === 'function'` or `x instanceof Promise` (either side of the comparison) for the text `x`. */
  const thenableTest = (test: Node, text: string): boolean => {
    const t = unwrap(test);
    if (t.type === 'LogicalExpression' && t.operator === '&&') return thenableTest(t.left, text);
    const same = (n: Node): boolean => ctx.text.slice(n.range[0], n.range[1]).replace(/\s+/g, '') === text;
    // `p && p.then`: the `then` member itself tested, the shortest duck-typing of a thenable.
    if (t.type === 'MemberExpression') return !t.computed && t.property.type === 'Identifier' && t.property.name === 'then' && same(unwrap(t.object));
    if (t.type !== 'BinaryExpression') return false;
    if (t.operator === 'instanceof') return same(unwrap(t.left)) && t.right.type === 'Identifier' && t.right.name === 'Promise';
    if (!['===', '==', '!==', '!='].includes(t.operator)) return false;
    const typeofThen = (n: Node): boolean => {
      const u = unwrap(n);
      if (u.type !== 'UnaryExpression' || u.operator !== 'typeof') return false;
      const m = unwrap(u.argument);
      return m.type === 'MemberExpression' && !m.computed && m.property.type === 'Identifier' && m.property.name === 'then' && same(unwrap(m.object));
    };
    return typeofThen(t.left) || typeofThen(t.right);
  };

  /**
   * `await (pending ||= load()); if (!pending) return;`: a variable of the module (or a member of
   * `this`) declared to hold a promise or nothing, tested after an await. The checker narrows it to
   * the promise just assigned, but other code can reset it while the function is suspended: the
   * test asks whether it still holds one.
   */
  const resetWhileSuspended = (node: Node): boolean => {
    const e = unwrap(node);
    const member = e.type === 'MemberExpression' && !e.computed && unwrap(e.object).type === 'ThisExpression';
    if (e.type !== 'Identifier' && !member) return false;
    const fn = enclosingFunction(node);
    if (!fn?.body) return false;
    let suspended = false;
    visit(fn.body, (m) => {
      if (!suspended && (m.type === 'AwaitExpression' || m.type === 'YieldExpression') && m.range[1] <= e.range[0] && enclosingFunction(m) === fn) suspended = true;
    });
    if (!suspended) return false;
    const t = typed(e);
    if (!t) return false;
    const name = ts.isPropertyAccessExpression(t.tsNode) ? t.tsNode.name : t.tsNode;
    const symbol = t.s.checker.getSymbolAtLocation(name);
    const declaration = symbol?.valueDeclaration;
    if (!symbol || !declaration) return false;
    if (!member && declaration.getSourceFile() === t.tsNode.getSourceFile() && declaration.getStart() >= fn.range[0] && declaration.getStart() < fn.range[1]) return false;
    return !isAlwaysThenable(t.s.checker, t.s.checker.getTypeOfSymbol(symbol), t.tsNode);
  };

  const checkCondition = (node: Node, isTest: boolean): void => {
    if (checked.has(node)) return;
    checked.add(node);
    if (node.type === 'LogicalExpression') {
      if (node.operator !== '??' || isTest) checkCondition(node.left, isTest);
      if (isTest) checkCondition(node.right, isTest);
      return;
    }
    if (!isPromiseValue(node, true) || existenceCheck(node) || resetWhileSuspended(node)) return;
    const fix = awaitFix(node, false);
    ctx.report({
      message: `The promise from '${shown(node)}' is used as a condition: a promise is always truthy — it must be awaited first`,
      range: ctx.rangeOf(node),
      anchors: [MISUSED],
      fix,
    });
  };

  /**
   * `this.cycle = [Headers.type]; this.cycle.push(Headers.state)`: an array whose element type the
   * checker took from what it first held (no annotation, no JSDoc type). A sync function there
   * makes no contract that the next ones return nothing; the code that runs them decides.
   */
  const insertIntoInferredArray = (call: TSESTree.CallExpression): boolean => {
    const callee = unwrap(call.callee);
    if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier' || !/^(push|unshift|splice)$/.test(callee.property.name)) return false;
    const t = typed(callee.object);
    if (!t || !t.s.checker.isArrayType(t.type)) return false;
    const node = ts.isPropertyAccessExpression(t.tsNode) ? t.tsNode.name : t.tsNode;
    const declarations = t.s.checker.getSymbolAtLocation(node)?.declarations ?? [];
    const declaredType = (d: ts.Node): boolean => {
      if ((ts.isVariableDeclaration(d) || ts.isPropertyDeclaration(d) || ts.isParameter(d) || ts.isPropertySignature(d)) && d.type) return true;
      // JSDoc `@type` on the declaration or on the statement that assigns it (`/** @type {X[]} */ this.x = []`).
      for (let n: ts.Node | undefined = d, i = 0; n && i < 3; n = n.parent, i++) if (ts.getJSDocTags(n).some((tag) => ts.isJSDocTypeTag(tag))) return true;
      return !(ts.isVariableDeclaration(d) || ts.isPropertyDeclaration(d) || ts.isBinaryExpression(d) || ts.isPropertyAccessExpression(d) || ts.isPropertyAssignment(d));
    };
    return declarations.length > 0 && !declarations.some(declaredType);
  };

  const checkArguments = (call: TSESTree.CallExpression | TSESTree.NewExpression): void => {
    // Only function-valued arguments matter: skip the type queries for calls without one.
    // Every report below needs an argument that returns a promise: asking that of each argument
    // is much cheaper than resolving the call's signatures, so it comes first.
    if (call.type === 'CallExpression' && untypedViemWatch(call)) return;
    if (!call.arguments.some((a) => a.type !== 'SpreadElement' && mayBeFunction(a) && returnsPromise(a))) return;
    if (isRemoval(call.callee) || isPromiseFinally(call.callee) || isCapturingListener(call.callee) || vueHandlesRejection(call.callee)) return;
    if (checkCronerJob(call)) return;
    if (call.type === 'CallExpression' && insertIntoInferredArray(call)) return;
    const t = typed(call);
    const calleeType = t ? typed(call.callee) : undefined;
    const calleeUntyped = !t || !calleeType || (calleeType.type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) !== 0;
    const where = `passed to '${calleeName(call.callee)}'`;
    if (!calleeUntyped && t && (ts.isCallExpression(t.tsNode) || ts.isNewExpression(t.tsNode))) {
      const voidArgs = voidFunctionArguments(t.s.checker, t.tsNode, (i) => {
        const arg = call.arguments[i];
        const argTs = arg && arg.type !== 'SpreadElement' ? t.s.tsNodeFor(arg) : undefined;
        return argTs && ts.isExpression(argTs) ? t.s.checker.getContextualType(argTs) : undefined;
      });
      call.arguments.forEach((arg, i) => {
        if (arg.type === 'SpreadElement') return;
        if (voidArgs.void.has(i) && returnsPromise(arg)) reportVoid(arg, where);
      });
      // The DOM types a timer's callback as `Function`: the checker cannot tell, the runtime ignores it.
      if (call.type === 'CallExpression' && isTimer(call.callee) && !voidArgs.thenable.has(0) && call.arguments[0] && returnsPromise(call.arguments[0])) {
        reportVoid(call.arguments[0], where);
      }
      return;
    }
    // Untyped: well-known callees that ignore their callback's result.
    const verify = passportVerifyIndex(call);
    if (verify !== undefined) {
      const arg = call.arguments[verify];
      if (arg && arg.type !== 'SpreadElement' && returnsPromise(arg)) reportVoid(arg, where);
      return;
    }
    if (call.type !== 'CallExpression') return;
    if (expressRoute(call)) {
      for (const arg of call.arguments) if (arg.type !== 'SpreadElement' && returnsPromise(arg)) reportVoid(arg, where);
      return;
    }
    const index = ignoredCallbackIndex(call);
    if (index === undefined) return;
    const arg = call.arguments[index];
    // A timer's callback the checker types as giving a promise (`() => this.poll()`); elsewhere,
    // what the syntax says (`req.once('close', () => watcher.close())` closes, it is no work to wait for).
    const givesPromise = isTimer(unwrap(call.callee)) ? returnsPromise : syntacticallyAsync;
    if (arg && arg.type !== 'SpreadElement' && givesPromise(arg)) reportVoid(arg, where);
  };

  /**
   * Untyped: viem's watch actions (`client.watchContractEvent({ address, abi, onLogs })`, `watchBlocks`,
   * ...) call their `on…` callbacks from a poll or a subscription and drop what they return. Returns
   * whether the call is one (judged here).
   */
  const untypedViemWatch = (call: TSESTree.CallExpression): boolean => {
    const callee = unwrap(call.callee);
    if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier' || !VIEM_WATCHES.has(callee.property.name)) return false;
    const options = call.arguments.length === 1 ? unwrap(call.arguments[0] as Node) : undefined;
    if (options?.type !== 'ObjectExpression') return false;
    const calleeType = typed(call.callee);
    if (calleeType && !(calleeType.type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown))) return false;
    for (const p of options.properties) {
      if (p.type !== 'Property' || p.computed || p.key.type !== 'Identifier' || !/^on[A-Z]\w*$/.test(p.key.name)) continue;
      if (syntacticallyAsync(p.value)) reportVoid(p.value, `given as property '${p.key.name}' of '${calleeName(call.callee)}'`);
    }
    return true;
  };

  /**
   * croner's `new Cron(pattern, [options,] fn)` (also called without `new`): its typings accept a
   * function returning a promise, and it awaits the run (for `protect`), but it starts each run from
   * its timer without handling the rejection unless the options carry a `catch` handler: an async
   * job that throws is an unhandled rejection, which ends Node. Returns whether the call is one.
   */
  const checkCronerJob = (call: TSESTree.CallExpression | TSESTree.NewExpression): boolean => {
    const m = ctx.imports.resolve(call.callee);
    if (!m || m.module !== 'croner' || !/^(Cron|default)$/.test(m.path.join('.'))) return false;
    const rest = call.arguments.slice(1, 3);
    const fnArg = rest.find((a) => a.type !== 'SpreadElement' && mayBeFunction(a) && unwrap(a).type !== 'ObjectExpression');
    const options = rest.find((a) => a !== fnArg);
    if (!fnArg || fnArg.type === 'SpreadElement' || call.arguments.some((a) => a.type === 'SpreadElement')) return true;
    if (options) {
      const o = unwrap(options);
      // Options we cannot see into may carry `catch`.
      if (o.type !== 'ObjectExpression' || o.properties.some((p) => p.type === 'SpreadElement')) return true;
      const handler = o.properties.find((p) => p.type === 'Property' && !p.computed && ((p.key.type === 'Identifier' && p.key.name === 'catch') || (p.key.type === 'Literal' && p.key.value === 'catch'))) as TSESTree.Property | undefined;
      if (handler && !(handler.value.type === 'Literal' && handler.value.value === false)) return true;
    }
    if (!returnsPromise(fnArg) || checked.has(fnArg) || neverRejects(fnArg)) return true;
    checked.add(fnArg);
    ctx.report({
      message: `Promise-returning job passed to croner's '${calleeName(call.callee)}' without a 'catch' option: croner starts each run from its timer without handling its rejection, so a run that fails is an unhandled rejection (which ends Node) — pass \`catch: (err) => ...\` in the options, or catch inside the job`,
      range: headRange(fnArg),
      anchors: [],
    });
    return true;
  };

  /**
   * `emitter.on(...)` on an emitter made with `captureRejections: true` (or after the process-wide
   * `EventEmitter.captureRejections = true`): Node handles the rejection of an async listener's
   * promise and routes it to the `'error'` event.
   */
  let capturing: { all: boolean; receivers: Set<string> } | undefined;
  const isCapturingListener = (calleeNode: Node): boolean => {
    const callee = unwrap(calleeNode);
    if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier' || !LISTENER_METHODS.has(callee.property.name)) return false;
    if (discordJsClient(unwrap(callee.object))) return true;
    if (!ctx.text.includes('captureRejections')) return importedCapturingEmitter(unwrap(callee.object));
    capturing ??= capturingEmitters(ctx);
    if (capturing.all) return true;
    const receiver = unwrap(callee.object);
    if (receiver.type === 'ThisExpression') {
      const cls = enclosingClass(receiver);
      return !!cls && capturing.receivers.has(`class:${cls.range[0]}`);
    }
    if (capturing.receivers.has(ctx.text.slice(receiver.range[0], receiver.range[1])) || importedCapturingEmitter(receiver)) return true;
    // `bus.on(...)` on an instance of a class of this file whose constructor passes the option to `super()`.
    const t = typed(receiver);
    const declaration = t?.type.getSymbol()?.valueDeclaration;
    return !!declaration && ts.isClassLike(declaration) && !!declaration.name && declaration.getSourceFile() === t!.tsNode.getSourceFile() && capturing.receivers.has(`class-name:${declaration.name.getStart()}`);
  };

  /**
   * A discord.js client (`Client`, `WebhookClient`, or a class of the program extending one): discord.js
   * makes its `BaseClient` with `captureRejections: true`, so a listener's rejection is emitted as the
   * client's 'error' event. With types, by the receiver's class; without, by `new Client(...)` of an
   * import from discord.js in the file, or a class of the program whose `extends` names one.
   */
  const discordJsClient = (receiver: Node): boolean => {
    if (!ctx.text.includes('discord') && !ctx.text.includes('Client')) return false;
    if (receiver.type === 'Identifier') {
      const made = madeBy(ctx.ast, receiver.name);
      const m = made ? ctx.imports.resolve(unwrap(made.callee)) : undefined;
      if (m?.module === 'discord.js' && DISCORD_CLIENTS.has(m.path.join('.'))) return true;
    }
    const t = typed(receiver);
    if (!t) return false;
    const symbol = (t.type.isUnion() ? t.type.types.find((u) => u.getSymbol()) : t.type)?.getSymbol();
    return discordClientClass(t.s.checker, symbol, 0);
  };

  /** `import { mailEvents } from './emitter'`, made there with `new EventEmitter({ captureRejections: true })`. */
  const importedCapturingEmitter = (receiver: Node): boolean => {
    if (receiver.type !== 'Identifier') return false;
    const s = types();
    const tsNode = s?.tsNodeFor(receiver);
    if (!s || !tsNode) return false;
    let symbol = s.checker.getSymbolAtLocation(tsNode);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = s.checker.getAliasedSymbol(symbol);
    const declaration = symbol?.valueDeclaration;
    const init = declaration && ts.isVariableDeclaration(declaration) && declaration.initializer ? skipParens(declaration.initializer) : undefined;
    return (
      !!init &&
      ts.isNewExpression(init) &&
      (init.arguments ?? []).some(
        (a) => ts.isObjectLiteralExpression(a) && a.properties.some((p) => ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === 'captureRejections' && p.initializer.kind === ts.SyntaxKind.TrueKeyword),
      )
    );
  };

  /**
   * `async [Symbol.dispose]()`: `using` calls Symbol.dispose and drops what it returns, so the
   * clean-up is not waited for and its rejection goes unhandled (Symbol.asyncDispose is the async one).
   */
  const checkSyncDispose = (key: Node, value: Node | null | undefined): boolean => {
    const k = unwrap(key);
    if (k.type !== 'MemberExpression' || k.computed || unwrap(k.object).type !== 'Identifier' || (unwrap(k.object) as TSESTree.Identifier).name !== 'Symbol') return false;
    if (k.property.type !== 'Identifier' || k.property.name !== 'dispose' || !value) return false;
    const v = unwrap(value);
    const promising = isFunction(v) ? v.async && !v.generator : returnsPromise(value);
    if (!promising) return true;
    if (checked.has(value) || neverRejects(value)) return true;
    checked.add(value);
    ctx.report({
      message: 'Async [Symbol.dispose]: `using` calls it without waiting and drops its promise, so the clean-up may not be done when the block ends and a rejection goes unhandled — implement [Symbol.asyncDispose] and use `await using`',
      range: headRange(value),
      anchors: [MISUSED],
    });
    return true;
  };

  const checkPredicate = (call: TSESTree.CallExpression): void => {
    const callee = unwrap(call.callee);
    if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier' || !PREDICATES.has(callee.property.name)) return;
    const arg = call.arguments[0];
    if (!arg || arg.type === 'SpreadElement') return;
    const receiver = typed(callee.object);
    if (receiver && !(receiver.type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown))) {
      if (!isArrayLike(receiver.s.checker, receiver.type)) return;
      if (!returnsPromise(arg)) return;
    } else if (!syntacticallyAsync(arg)) return;
    checked.add(arg);
    ctx.report({
      message: `Async predicate passed to '${callee.property.name}': it returns a promise, which is always truthy, so the result ignores what the predicate resolves to`,
      range: headRange(arg),
      anchors: [MISUSED],
    });
  };

  /**
   * `db.transaction(async () => ...)` on a synchronous SQLite driver: better-sqlite3's `Database`
   * (its transaction function throws "Transaction function cannot return a promise", after running
   * the callback up to its first `await`), and a Drizzle database or transaction of a synchronous
   * driver (`BaseSQLiteDatabase<'sync', ...>`: better-sqlite3, bun:sqlite), which runs the callback
   * in such a transaction. Without types, a receiver made in the file by `new Database(...)` from
   * `better-sqlite3`.
   */
  const checkSyncTransaction = (call: TSESTree.CallExpression): void => {
    const callee = unwrap(call.callee);
    if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier' || callee.property.name !== 'transaction') return;
    const arg = call.arguments[0];
    if (!arg || arg.type === 'SpreadElement' || checked.has(arg)) return;
    const receiver = typed(callee.object);
    let library: string | undefined;
    if (receiver && !(receiver.type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown))) library = syncSqliteReceiver(receiver.s.checker, receiver.type);
    else if (betterSqliteDatabase(ctx, callee.object)) library = "better-sqlite3's";
    if (!library || !returnsPromise(arg)) return;
    checked.add(arg);
    ctx.report({
      message: `Async function given to ${library} transaction(): its transactions are synchronous, so the callback runs only up to its first await inside it — better-sqlite3 then throws 'Transaction function cannot return a promise' and rolls back, and nothing after the await is part of the transaction. Do the async work first and pass a synchronous function`,
      range: headRange(arg),
      anchors: [],
    });
  };

  const checkExecutor = (call: TSESTree.NewExpression): boolean => {
    if (call.callee.type !== 'Identifier' || call.callee.name !== 'Promise') return false;
    const executor = call.arguments[0];
    if (!executor || executor.type === 'SpreadElement') return true;
    const e = unwrap(executor);
    const isAsync = isFunction(e) ? e.async && !e.generator : !!typed(executor) && returnsPromise(executor);
    if (!isAsync) return true;
    checked.add(executor);
    if (isFunction(e) && executorRejectsEverything(e)) return true;
    ctx.report({
      message: 'Async Promise executor: an error thrown inside it rejects a promise nobody sees, and the constructed promise never settles — do the async work outside `new Promise`, or chain it with .then()',
      range: headRange(executor),
      anchors: [EXECUTOR],
    });
    return true;
  };

  /**
   * `new Promise(async (resolve, reject) => { try { ... } catch (err) { reject(err); } })`: the
   * whole body is a `try` whose `catch` hands the error to the executor's `reject` (and neither
   * the catch nor a `finally` awaits or throws), so nothing escapes to the executor's own promise.
   */
  const executorRejectsEverything = (fn: FunctionNode): boolean => {
    const reject = fn.params[1];
    if (reject?.type !== 'Identifier' || fn.body.type !== 'BlockStatement') return false;
    const statements = fn.body.body.filter((st) => st.type !== 'FunctionDeclaration');
    if (statements.length === 0) return false;
    const quiet = (block: TSESTree.BlockStatement | null | undefined): boolean => {
      if (!block) return true;
      let ok = true;
      visit(block, (n) => {
        if (n.type === 'AwaitExpression' || n.type === 'ThrowStatement' || (n.type === 'ForOfStatement' && n.await)) ok = false;
      }, isFunction);
      return ok;
    };
    return statements.every((st) => {
      if (st.type !== 'TryStatement' || !st.handler || st.handler.param?.type !== 'Identifier') return false;
      const caught = st.handler.param.name;
      const handsOver = st.handler.body.body.some((h) => {
        if (h.type !== 'ExpressionStatement' && h.type !== 'ReturnStatement') return false;
        const call = h.type === 'ExpressionStatement' ? unwrap(h.expression) : h.argument && unwrap(h.argument);
        return call?.type === 'CallExpression' && unwrap(call.callee).type === 'Identifier' && (unwrap(call.callee) as TSESTree.Identifier).name === reject.name &&
          call.arguments.length >= 1 && unwrap(call.arguments[0] as Node).type === 'Identifier' && (unwrap(call.arguments[0] as Node) as TSESTree.Identifier).name === caught;
      });
      return handsOver && quiet(st.handler.body) && quiet(st.finalizer);
    });
  };

  /** A value assigned where a void-returning function type is expected (typed code only). */
  const checkContextual = (value: Node | null | undefined, where: string): void => {
    if (!value || checked.has(value)) return;
    const v = unwrap(value);
    // A choice between functions (`flag ? persist : logOnly`): each branch has the same expected
    // type; one promise-returning branch that could reject is enough (reported once, on the choice).
    if (v.type === 'ConditionalExpression') {
      checked.add(value);
      const branch = [v.consequent, v.alternate].find((b) => misusedWhereVoidExpected(b) && !neverRejects(b));
      if (branch) reportVoid(value, where, true);
      return;
    }
    if (misusedWhereVoidExpected(value)) reportVoid(value, where);
  };

  /** A promise-returning function given where the expected (contextual) type is a void-returning function. */
  const misusedWhereVoidExpected = (value: Node): boolean => {
    const v = unwrap(value);
    // Function-valued expressions: a function, a name, `this.onMessage.bind(this)`, or a call
    // that returns a function (`makeHandler()`).
    if (!isFunction(v) && v.type !== 'Identifier' && v.type !== 'MemberExpression' && v.type !== 'CallExpression') return false;
    // The cheap "no"s first: a function that returns nothing (no query at all), a name or a member
    // that is no function (its symbol's type). The expected type resolves the enclosing call, its
    // overloads and the types of all its arguments (seconds on a generic-heavy call in
    // JavaScript), and what a function returns may have to be inferred from its body: both are
    // asked only of values that could be functions giving a promise.
    if (isFunction(v) && !v.async && (v.generator || returnsNothing(v))) return false;
    if (v.type === 'Identifier' || v.type === 'MemberExpression') {
      const t = typed(value);
      if (t && !isCallable(t.s.checker, t.type)) return false;
    }
    const s = types();
    const tsNode = s?.tsNodeFor(value);
    if (!s || !tsNode || !ts.isExpression(tsNode)) return false;
    const contextual = s.checker.getContextualType(tsNode);
    if (!contextual || !isVoidReturningFunctionType(s.checker, contextual, tsNode)) return false;
    if (v.type === 'CallExpression') {
      const type = s.checker.getTypeAtLocation(tsNode);
      if (type.getCallSignatures().length === 0 && !(type.isUnion() && type.types.every((u) => u.getCallSignatures().length > 0))) return false;
    }
    return returnsPromise(value);
  };

  const checkInheritedMembers = (cls: TSESTree.ClassDeclaration | TSESTree.ClassExpression): void => {
    if (!cls.superClass && !(cls.implements?.length)) return;
    const t = typed(cls);
    if (!t || !(ts.isClassDeclaration(t.tsNode) || ts.isClassExpression(t.tsNode))) return;
    const { checker } = t.s;
    const bases: ts.Type[] = [];
    for (const clause of t.tsNode.heritageClauses ?? []) for (const h of clause.types) bases.push(checker.getTypeAtLocation(h));
    const keyOf = (m: TSESTree.MethodDefinition | TSESTree.PropertyDefinition): string | undefined =>
      m.key.type === 'Identifier' ? m.key.name : m.key.type === 'Literal' ? String(m.key.value) : undefined;
    // A method with overloads, one of which returns no promise (`close(cb): void` beside
    // `close(): Promise<void>`, a callback-or-promise API): callers through a base member that
    // returns void take the callback overload, which gives them nothing to wait for.
    const voidOverload = new Set<string>();
    for (const member of cls.body.body) {
      if (member.type !== 'MethodDefinition' || member.static || member.computed || member.kind !== 'method' || member.value.type !== 'TSEmptyBodyFunctionExpression') continue;
      const name = keyOf(member);
      const memberTs = t.s.tsNodeFor(member);
      if (name === undefined || !memberTs || !ts.isMethodDeclaration(memberTs) || !memberTs.type) continue;
      const sig = checker.getSignatureFromDeclaration(memberTs);
      if (sig && !someThenable(checker, sig.getReturnType(), memberTs)) voidOverload.add(name);
    }
    for (const member of cls.body.body) {
      if ((member.type !== 'MethodDefinition' && member.type !== 'PropertyDefinition') || member.static || member.computed) continue;
      if (member.type === 'MethodDefinition' && member.kind !== 'method') continue;
      const name = keyOf(member);
      if (name === undefined) continue;
      if (member.type === 'MethodDefinition' && voidOverload.has(name)) continue;
      const memberTs = t.s.tsNodeFor(member);
      if (!memberTs) continue;
      let thenable = false;
      if (member.type === 'MethodDefinition' && ts.isMethodDeclaration(memberTs)) {
        if (member.value.async && !member.value.generator) thenable = true;
        // `on(event, fn): this { super.on(event, fn); return this; }` of a thenable class (a promise
        // that is also an event emitter): it hands back the receiver for chaining, which the caller
        // already holds, not a new promise to wait for.
        else if (memberTs.type?.kind === ts.SyntaxKind.ThisType) continue;
        else {
          const sig = checker.getSignatureFromDeclaration(memberTs);
          thenable = !!sig && someThenable(checker, sig.getReturnType(), memberTs);
        }
      } else if (member.type === 'PropertyDefinition' && member.value) {
        const v = unwrap(member.value);
        if (!isFunction(v) && v.type !== 'Identifier' && v.type !== 'MemberExpression') continue;
        thenable = returnsPromise(member.value);
      }
      if (!thenable) continue;
      const base = bases.find((b) => {
        const prop = checker.getPropertyOfType(b, name);
        return !!prop && !isThrowingStub(prop) && !baseAwaitsItsOwnCall(prop, name) && isVoidReturningFunctionType(checker, checker.getTypeOfSymbolAtLocation(prop, t.tsNode), t.tsNode);
      });
      if (!base) continue;
      // An async member whose every await is guarded cannot reject (Angular's `async ngOnInit()`
      // with a try/catch that shows the error): callers through the base type lose nothing. Asked
      // last: it types every await of the body.
      if (member.type === 'MethodDefinition' ? functionNeverRejects(checker, memberTs) : !!member.value && neverRejects(member.value)) continue;
      if (member.value) checked.add(member.value);
      ctx.report({
        message: `${member.type === 'MethodDefinition' && member.value.async ? 'Async member' : 'Member'} '${name}' returns a promise but overrides or implements a member of '${checker.typeToString(base)}' that returns void: callers through the base type ignore its promise`,
        range: ctx.rangeOf(member.key),
        anchors: [MISUSED],
      });
    }
  };

  visit(ctx.ast, (node) => {
    switch (node.type) {
      case 'IfStatement':
      case 'WhileStatement':
      case 'DoWhileStatement':
      case 'ConditionalExpression':
        if (node.test) checkCondition(node.test, true);
        return;
      case 'ForStatement':
        if (node.test) checkCondition(node.test, true);
        return;
      case 'LogicalExpression':
        checkCondition(node, false);
        return;
      case 'UnaryExpression':
        if (node.operator === '!') checkCondition(node.argument, true);
        return;
      case 'ForOfStatement': {
        // `for (const line of lines(file))` over an async generator: TypeError (not iterable). The
        // compiler rejects it in typed code; plain JavaScript has nothing else to say so.
        if (node.await || (!isJavaScriptFile(ctx.filePath) && types())) return;
        const call = innerCall(node.right);
        // Types only when already asked for: asking for them here would turn the whole file's other checks typed.
        if (!call || !callsAsyncGenerator(services ?? undefined, generatorNames, call)) return;
        ctx.report({
          message: `'${shown(call)}' makes an async generator: a plain 'for...of' over it throws TypeError (it is not iterable), iterate it with 'for await'`,
          range: ctx.rangeOf(node.right),
          anchors: [],
          fix: enclosingFunction(node)?.async ? { title: "Use 'for await'", safe: true, edits: [{ range: ctx.lines.range(node.range[0] + 3, node.range[0] + 3), newText: ' await' }] } : undefined,
        });
        return;
      }
      case 'SpreadElement': {
        if (node.parent?.type !== 'ObjectExpression' || !isPromiseValue(node.argument, false)) return;
        const fix = awaitFix(node.argument, true);
        ctx.report({
          message: `Spreading the promise from '${shown(node.argument)}' copies none of its result: await it first`,
          range: ctx.rangeOf(node),
          anchors: [MISUSED],
          suggestions: fix ? [fix] : undefined,
        });
        return;
      }
      case 'NewExpression':
        if (!checkExecutor(node)) checkArguments(node);
        return;
      case 'CallExpression':
        checkSyncTransaction(node);
        checkPredicate(node);
        checkArguments(node);
        checkEffect(node);
        checkMessageListener(node);
        return;
      case 'JSXAttribute':
        checkJsxAttribute(node);
        return;
      case 'Property':
        if (node.computed && checkSyncDispose(node.key, node.value)) return;
        if (node.parent?.type === 'ObjectExpression' && !node.computed && (node.kind === 'init' || node.kind === undefined)) {
          const name = node.key.type === 'Identifier' ? node.key.name : node.key.type === 'Literal' ? String(node.key.value) : '';
          if (node.method) checkMethodProperty(node, name);
          else checkContextual(node.value, `given as property '${name}'`);
        }
        return;
      case 'PropertyDefinition':
        if (node.typeAnnotation && !node.computed) checkContextual(node.value, `assigned to '${shown(node.key)}'`);
        return;
      case 'VariableDeclarator':
        if (node.id.type === 'Identifier' && node.id.typeAnnotation) checkContextual(node.init, `assigned to '${node.id.name}'`);
        return;
      case 'AssignmentExpression':
        if (node.operator === '=') checkContextual(node.right, `assigned to '${shown(node.left)}'`);
        // Untyped: `transport.onclose = async () => ...` on an MCP client, server or transport of the file.
        if (node.operator === '=' && !checked.has(node.right) && syntacticallyAsync(node.right) && mcpEventCallback(ctx, node.left)) {
          const left = typed(node.left);
          if (!left || left.type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) reportVoid(node.right, `assigned to '${shown(node.left)}'`);
        }
        return;
      case 'ReturnStatement':
        checkContextual(node.argument, 'returned');
        return;
      case 'ArrayExpression':
        // `const startup: Array<() => void> = [..., async () => ...]`: each element has the element type.
        for (const el of node.elements) {
          if (el && el.type !== 'SpreadElement' && isFunction(unwrap(el))) checkContextual(el, 'given as an array element');
        }
        return;
      case 'ArrowFunctionExpression':
        if (node.expression) checkContextual(node.body, 'returned');
        return;
      case 'MethodDefinition':
        if (node.computed) checkSyncDispose(node.key, node.value);
        return;
      case 'ClassDeclaration':
      case 'ClassExpression':
        checkInheritedMembers(node);
        return;
      default:
        return;
    }
  });

  function checkJsxAttribute(attr: TSESTree.JSXAttribute): void {
    const container = attr.value;
    if (!container || container.type !== 'JSXExpressionContainer' || container.expression.type === 'JSXEmptyExpression') return;
    const value = container.expression;
    const name = attr.name.type === 'JSXIdentifier' ? attr.name.name : `${attr.name.namespace.name}:${attr.name.name.name}`;
    const t = typed(value);
    const contextual = t && ts.isExpression(t.tsNode) ? t.s.checker.getContextualType(t.tsNode) : undefined;
    if (t && contextual && !(contextual.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown))) {
      if (isVoidReturningFunctionType(t.s.checker, contextual, t.tsNode) && returnsPromise(value)) reportVoid(value, `given as the '${name}' attribute`);
      return;
    }
    // Untyped: an event handler on an intrinsic element (the DOM ignores what a handler returns),
    // async, or typed by the checker as giving a promise (`() => navigator.clipboard.writeText(url)`).
    const element = attr.parent?.type === 'JSXOpeningElement' ? attr.parent : undefined;
    const intrinsic = element?.name.type === 'JSXIdentifier' && /^[a-z]/.test(element.name.name);
    if (intrinsic && /^on[A-Z]/.test(name) && (syntacticallyAsync(value) || (isFunction(unwrap(value)) && returnsPromise(value)) || untypedFormSubmit(value))) reportVoid(value, `given as the '${name}' attribute`);
  }

  /**
   * Without react-hook-form's types: `handleSubmit(onSubmit)` of a `useForm()`/`useFormContext()`
   * of the component (destructured, or `form.handleSubmit`) given an async callback of the file that
   * may reject: the submit handler it makes rethrows what the callback throws.
   */
  function untypedFormSubmit(node: Node): boolean {
    const call = unwrap(node);
    if (call.type !== 'CallExpression' || call.arguments.length === 0) return false;
    const callee = unwrap(call.callee);
    const local = callee.type === 'Identifier' ? callee.name : undefined;
    const holder = callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier' && callee.property.name === 'handleSubmit' && callee.object.type === 'Identifier' ? callee.object.name : undefined;
    if (!local && !holder) return false;
    let made = false;
    for (let fn = enclosingFunction(call); fn && !made; fn = enclosingFunction(fn)) {
      if (fn.body.type !== 'BlockStatement') continue;
      for (const st of fn.body.body) {
        if (st.type !== 'VariableDeclaration') continue;
        for (const d of st.declarations) {
          const init = d.init && unwrap(d.init);
          if (init?.type !== 'CallExpression') continue;
          const imported = ctx.imports.resolve(unwrap(init.callee));
          if (imported?.module !== 'react-hook-form' || !/^(useForm|useFormContext)$/.test(imported.path[imported.path.length - 1] ?? '')) continue;
          if (holder && d.id.type === 'Identifier' && d.id.name === holder) made = true;
          if (local && d.id.type === 'ObjectPattern' && d.id.properties.some((p) => p.type === 'Property' && !p.computed && p.key.type === 'Identifier' && p.key.name === 'handleSubmit' && p.value.type === 'Identifier' && p.value.name === local)) made = true;
        }
      }
    }
    if (!made) return false;
    const callbacks = call.arguments.filter((a) => syntacticallyAsync(a));
    return callbacks.length > 0 && callbacks.some((a) => !neverRejects(a));
  }

  function checkMethodProperty(prop: TSESTree.Property, name: string): void {
    const fn = prop.value;
    if (!isFunction(fn) || !fn.async || fn.generator) return;
    const obj = prop.parent;
    if (!obj) return;
    const t = typed(obj);
    if (!t || !ts.isExpression(t.tsNode)) return;
    const { checker } = t.s;
    const contextual = checker.getContextualType(t.tsNode);
    if (!contextual) return;
    const expected = unionParts(contextual).some((part) => {
      const apparent = checker.getApparentType(part);
      const p = checker.getPropertyOfType(apparent, name);
      // A `Record<string, () => void>` has no property of that name, only an index signature.
      const expectedType = p ? checker.getTypeOfSymbolAtLocation(p, t.tsNode) : checker.getIndexTypeOfType(apparent, ts.IndexKind.String);
      return !!expectedType && isVoidReturningFunctionType(checker, expectedType, t.tsNode);
    });
    if (!expected || checked.has(prop)) return;
    checked.add(prop);
    // A method whose every await is guarded cannot reject (a stream's `async transform(chunk, enc, cb)`
    // wrapped in a try/catch that hands the error to `cb`), as for an arrow given in its place.
    if (neverRejects(fn)) return;
    ctx.report({
      message: `Async method '${name}' is given where a void-returning function is expected: nothing waits for its promise and a rejection goes unhandled`,
      range: ctx.rangeOf(prop.key),
      anchors: [MISUSED],
    });
  }

  /**
   * `useEffect(async () => ...)` with React's types, which type the effect as returning
   * `void | Destructor` (no void function for the check of arguments), and an effect that returns
   * an async clean-up (`return async () => { await ws.close(); }`): React ignores what the clean-up
   * returns, so its rejection goes unhandled.
   */
  /**
   * A browser extension's `runtime.onMessage` listener (also `onMessageExternal`) that answers later —
   * its `sendResponse` called in a promise callback, a timer or an extension API's callback, or handed
   * to `.then(...)` — with no `return true` after it: the message channel closes when the listener
   * returns, so the answer is never delivered (the sender gets `undefined`).
   */
  function checkMessageListener(call: TSESTree.CallExpression): void {
    const callee = unwrap(call.callee);
    if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier' || callee.property.name !== 'addListener') return;
    if (!ctx.text.includes('onMessage') || !isMessageEvent(ctx, callee.object)) return;
    const arg = call.arguments[0];
    const listener = arg && arg.type !== 'SpreadElement' ? listenerFunction(unwrap(arg)) : undefined;
    if (!listener || listener.async || listener.generator || listener.body?.type !== 'BlockStatement') return;
    const respond = listener.params[2];
    if (respond?.type !== 'Identifier') return;
    const reported = new Set<Node>();
    visit(listener.body, (n) => {
      if (n.type !== 'Identifier' || n.name !== respond.name || !isReadReference(n) || shadowedBetween(n, listener, respond.name)) return;
      if (!answersLate(n, listener)) return;
      const statement = statementIn(n, listener);
      if (!statement || reported.has(statement) || channelKeptOpen(statement, listener)) return;
      reported.add(statement);
      const use = n.parent?.type === 'CallExpression' && n.parent.callee === n ? n.parent : n;
      ctx.report({
        message: `'${respond.name}' answers from a callback that runs after the listener has returned, and the listener does not return true: the message channel closes when it returns, so the answer is never delivered (the sender gets undefined). Return true from the listener once the work is started`,
        range: ctx.rangeOf(use),
        // No ESLint rule reports this shape.
        anchors: [],
      });
    });
  }

  /**
   * An async `runtime.onMessage` listener that answers through its `sendResponse` parameter: the name
   * of that parameter. Chrome takes only `true` as the promise of a later answer.
   */
  function lateResponder(fnNode: Node): string | undefined {
    const call = fnNode.parent;
    if (call?.type !== 'CallExpression' || call.arguments[0] !== fnNode) return undefined;
    const c = unwrap(call.callee);
    if (c.type !== 'MemberExpression' || c.computed || c.property.type !== 'Identifier' || c.property.name !== 'addListener' || !isMessageEvent(ctx, c.object)) return undefined;
    const fn = listenerFunction(unwrap(fnNode));
    const respond = fn?.params[2];
    if (!fn || !fn.async || respond?.type !== 'Identifier') return undefined;
    // Answered after the first await (or from a callback): answered before it, it is delivered.
    const firstAwait = firstAwaitIn(fn);
    let late = false;
    visit(fn.body, (n) => {
      if (n.type === 'Identifier' && n.name === respond.name && isReadReference(n) && !shadowedBetween(n, fn, respond.name) && (runsAfter(n, firstAwait) || answersLate(n, fn))) late = true;
    });
    return late ? respond.name : undefined;
  }

  function firefoxMessageEvent(node: Node): boolean {
    const root = unwrap(node).type === 'MemberExpression' ? unwrap((unwrap(node) as TSESTree.MemberExpression).object) : undefined;
    return isMessageEvent(ctx, node) && root?.type === 'MemberExpression' && unwrap(root.object).type === 'Identifier' && (unwrap(root.object) as TSESTree.Identifier).name === 'browser';
  }

  /**
   * An async event listener (`self.addEventListener('fetch', async (event) => ...)`) that calls its
   * event's `waitUntil`/`respondWith` after an await: `event.respondWith` as written. Both must be
   * called while the event is dispatched, before the listener's first await.
   */
  function lateEventExtension(fnNode: Node): string | undefined {
    const call = fnNode.parent;
    if (call?.type !== 'CallExpression' || call.arguments[1] !== fnNode) return undefined;
    const c = unwrap(call.callee);
    if (c.type !== 'MemberExpression' || c.computed || c.property.type !== 'Identifier' || c.property.name !== 'addEventListener') return undefined;
    const fn = listenerFunction(unwrap(fnNode));
    const event = fn?.params[0];
    if (!fn || !fn.async || event?.type !== 'Identifier' || fn.body.type !== 'BlockStatement') return undefined;
    const firstAwait = firstAwaitIn(fn);
    let late: string | undefined;
    visit(fn.body, (n) => {
      if (late || n.type !== 'CallExpression') return;
      const m = unwrap(n.callee);
      if (m.type !== 'MemberExpression' || m.computed || m.property.type !== 'Identifier' || !/^(waitUntil|respondWith)$/.test(m.property.name)) return;
      const o = unwrap(m.object);
      if (o.type !== 'Identifier' || o.name !== event.name || shadowedBetween(o, fn, event.name)) return;
      if (runsAfter(n, firstAwait) || answersLate(o, fn)) late = `${event.name}.${m.property.name}`;
    });
    return late;
  }

  /**
   * Whether a use runs after the await starting at `at`: it comes after it, or it is a call (or
   * the callee of one) whose arguments wait for it first, `sendResponse(await load())`.
   */
  function runsAfter(use: Node, at: number): boolean {
    let n: Node = use;
    if (n.parent?.type === 'MemberExpression' && n.parent.object === n) n = n.parent;
    if (n.parent?.type === 'CallExpression' && n.parent.callee === n) n = n.parent;
    return n.range[1] > at && (use.range[0] > at || (n.type === 'CallExpression' && n.arguments.some((a) => a.range[0] <= at && a.range[1] > at)));
  }

  /** Where the first await of a function's own body starts (nested functions aside). */
  function firstAwaitIn(fn: FunctionNode): number {
    let first = Infinity;
    visit(fn.body, (n) => {
      if ((n.type === 'AwaitExpression' || (n.type === 'ForOfStatement' && n.await)) && n.range[0] < first) first = n.range[0];
    }, isFunction);
    return first;
  }

  /** The listener itself: an inline function, or a function of the file given by name. */
  function listenerFunction(e: Node): FunctionNode | undefined {
    if (isFunction(e)) return e;
    if (e.type !== 'Identifier') return undefined;
    let found: FunctionNode | undefined;
    for (const st of ctx.ast.body) {
      const d = st.type === 'ExportNamedDeclaration' && st.declaration ? st.declaration : st;
      if (d.type === 'FunctionDeclaration' && d.id?.name === e.name) found = d;
      else if (d.type === 'VariableDeclaration') {
        for (const v of d.declarations) if (v.id.type === 'Identifier' && v.id.name === e.name && v.init && isFunction(unwrap(v.init))) found = unwrap(v.init) as FunctionNode;
      }
    }
    return found;
  }

  function isReadReference(id: TSESTree.Identifier): boolean {
    const p = id.parent;
    if (!p) return false;
    if (p.type === 'MemberExpression' && p.property === id && !p.computed) return false;
    if ((p.type === 'Property' && p.key === id && !p.computed && !p.shorthand) || (isFunction(p) && p.params.includes(id as TSESTree.Parameter))) return false;
    return !(p.type === 'VariableDeclarator' && p.id === id);
  }

  /** A nested function between `id` and the listener that declares the name again. */
  function shadowedBetween(id: Node, listener: FunctionNode, name: string): boolean {
    for (let f = enclosingFunction(id); f && f !== listener; f = enclosingFunction(f)) {
      if (f.params.some((p) => p.type === 'Identifier' && p.name === name)) return true;
    }
    return false;
  }

  /**
   * Whether a use of the listener's `sendResponse` runs after the listener has returned: handed to
   * `.then`/`.catch`/`.finally`, a timer or an extension API (`chrome.storage.local.get(key, sendResponse)`),
   * or inside a function given to one of them.
   */
  function answersLate(id: Node, listener: FunctionNode): boolean {
    const laterCall = (call: Node | undefined, arg: Node): boolean => {
      if (call?.type !== 'CallExpression' || !call.arguments.includes(arg as TSESTree.CallExpressionArgument)) return false;
      const c = unwrap(call.callee);
      if (isTimer(c) || (c.type === 'Identifier' && /^(requestAnimationFrame|requestIdleCallback)$/.test(c.name) && !ctx.imports.isDeclared(c.name))) return true;
      if (c.type === 'MemberExpression' && !c.computed && c.property.type === 'Identifier' && /^(then|catch|finally)$/.test(c.property.name)) return true;
      return !!extensionPath(ctx, c);
    };
    if (laterCall(id.parent, id)) return true;
    for (let f = enclosingFunction(id); f && f !== listener; f = enclosingFunction(f)) {
      if (laterCall(f.parent, f)) return true;
      // An async function of the listener (`(async () => { ... })()`) goes on after its first await.
      if (f.async && runsAfter(id, firstAwaitIn(f))) return true;
    }
    return false;
  }

  /** The statement of the listener's body (or of a block in it, outside nested functions) that holds `node`. */
  function statementIn(node: Node, listener: FunctionNode): Node | undefined {
    let child: Node = node;
    for (let p = node.parent; p && p !== listener; child = p, p = p.parent) {
      if (isFunction(p)) continue;
      if ((p.type === 'BlockStatement' || p.type === 'SwitchCase') && enclosingFunction(p) === listener) return child;
    }
    return undefined;
  }

  /**
   * Whether the listener may return something truthy after `statement` has started the work: a
   * `return` after it, in its block or an enclosing one, whose value is not `false`, `undefined`,
   * nothing or the like. A bare `return` or falling off the end closes the channel.
   */
  function channelKeptOpen(statement: Node, listener: FunctionNode): boolean {
    const falsy = (r: TSESTree.ReturnStatement): boolean => {
      const a = r.argument ? unwrap(r.argument) : undefined;
      if (!a) return true;
      if (a.type === 'Literal') return !a.value;
      if (a.type === 'Identifier') return a.name === 'undefined';
      return a.type === 'UnaryExpression' && a.operator === 'void';
    };
    const mayReturnTrue = (st: Node): boolean => {
      let found = false;
      visit(st, (n) => {
        if (n.type === 'ReturnStatement' && !falsy(n)) found = true;
      }, isFunction);
      return found;
    };
    let child: Node = statement;
    for (let p = statement.parent; p; child = p, p = p.parent) {
      if (isFunction(p)) return false;
      let following: Node[] = [];
      if (p.type === 'BlockStatement') following = p.body.slice(p.body.indexOf(child as TSESTree.Statement) + 1);
      else if (p.type === 'SwitchCase') {
        following = p.consequent.slice(p.consequent.indexOf(child as TSESTree.Statement) + 1);
        // A case may fall through into the next ones.
        const sw = p.parent as TSESTree.SwitchStatement;
        following.push(...sw.cases.slice(sw.cases.indexOf(p) + 1).flatMap((c) => c.consequent));
      }
      for (const st of following) {
        if (mayReturnTrue(st)) return true;
        if (st.type === 'ReturnStatement') return false;
      }
      if (p === listener.body) return false;
    }
    return false;
  }

  function checkEffect(call: TSESTree.CallExpression): void {
    checkSvelteMount(call);
    if (!isEffectHook(unwrap(call.callee))) return;
    const effect = call.arguments[0];
    if (!effect || effect.type === 'SpreadElement') return;
    const fn = unwrap(effect);
    if (!checked.has(effect) && (isFunction(fn) ? fn.async && !fn.generator : returnsPromise(effect))) {
      reportVoid(effect, `passed to '${calleeName(call.callee)}'`);
      return;
    }
    if (!isFunction(fn) || fn.async) return;
    const cleanups: Node[] = [];
    if (fn.body.type !== 'BlockStatement') cleanups.push(fn.body);
    else visit(fn.body, (n) => n.type === 'ReturnStatement' && n.argument && cleanups.push(n.argument), (n) => isFunction(n));
    for (const returned of cleanups) {
      const cleanup = unwrap(returned);
      if (!isFunction(cleanup) || !cleanup.async || cleanup.generator || checked.has(cleanup)) continue;
      checked.add(cleanup);
      ctx.report({
        message: `Async clean-up returned from '${calleeName(call.callee)}': React ignores what a clean-up returns, so nothing waits for its promise and a rejection goes unhandled`,
        range: headRange(cleanup),
        anchors: [MISUSED],
      });
    }
  }

  /**
   * Svelte's `onMount(async () => { ...; return () => clearInterval(id); })`: an async function
   * returns a promise, so Svelte never sees (nor calls) the clean-up it resolves to. Svelte accepts
   * an async `onMount` that returns nothing.
   */
  function checkSvelteMount(call: TSESTree.CallExpression): void {
    const callee = unwrap(call.callee);
    // Svelte 5's `$effect(fn)` / `$effect.pre(fn)` runes (globals): the same contract as onMount.
    const runeBase = callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier' && callee.property.name === 'pre' ? unwrap(callee.object) : callee;
    const rune = runeBase.type === 'Identifier' && runeBase.name === '$effect' && ctx.imports.isGlobalReference(runeBase);
    if (callee.type !== 'Identifier' && !rune) return;
    const m = rune ? undefined : ctx.imports.resolve(callee);
    const fn = call.arguments[0] ? unwrap(call.arguments[0]) : undefined;
    if ((!rune && (m?.module !== 'svelte' || m.path.join('.') !== 'onMount')) || !fn || !isFunction(fn) || !fn.async || fn.generator || fn.body.type !== 'BlockStatement') return;
    const hook = rune ? ctx.text.slice(callee.range[0], callee.range[1]) : 'onMount';
    const local = new Map<string, boolean>();
    visit(fn.body, (n) => {
      if (n.type === 'VariableDeclarator' && n.id.type === 'Identifier' && n.init) local.set(n.id.name, isFunction(unwrap(n.init)));
      else if (n.type === 'FunctionDeclaration' && n.id) local.set(n.id.name, true);
    }, (n) => isFunction(n) && n !== fn);
    let returned: Node | undefined;
    visit(fn.body, (n) => {
      if (returned || n.type !== 'ReturnStatement' || !n.argument) return;
      const value = unwrap(n.argument);
      if (isFunction(value) || (value.type === 'Identifier' && local.get(value.name))) returned = n;
    }, isFunction);
    if (!returned || checked.has(fn)) return;
    checked.add(fn);
    ctx.report({
      message: `Async function passed to '${hook}' returns a clean-up: Svelte gets a promise, so the clean-up is never called (what it undoes stays after ${rune ? 'the effect runs again or ' : ''}the component is destroyed). Make the function synchronous and start the async work inside it`,
      range: headRange(fn),
      anchors: [MISUSED],
    });
  }

  /** React's useEffect/useLayoutEffect/useInsertionEffect, imported from `react`. */
  function isEffectHook(callee: Node): boolean {
    const imported = ctx.imports.resolve(callee);
    return imported?.module === 'react' && EFFECT_HOOKS.has(imported.path[imported.path.length - 1] ?? '');
  }

  function isEffectCallback(fnNode: Node): boolean {
    const call = fnNode.parent;
    return call?.type === 'CallExpression' && call.arguments[0] === fnNode && isEffectHook(unwrap(call.callee));
  }

  /**
   * Untyped fallback: Passport's verify callbacks, which answer through `done` and whose promise
   * Passport ignores — the last argument of a strategy of a `passport-*` module
   * (`new LocalStrategy(async (username, password, done) => ...)`), and the function given to
   * `passport.serializeUser(...)`/`deserializeUser(...)`. A rejection there never reaches `done`:
   * the request hangs, and the rejection goes unhandled.
   */
  function passportVerifyIndex(call: TSESTree.CallExpression | TSESTree.NewExpression): number | undefined {
    const m = ctx.imports.resolve(unwrap(call.callee));
    if (!m) return undefined;
    const path = (m.path[0] === 'default' ? m.path.slice(1) : m.path).join('.');
    if (call.type === 'NewExpression') {
      if (!/^passport-[\w-]+$/.test(m.module) || !(path === '' || /Strategy$/.test(path)) || call.arguments.length === 0) return undefined;
      return call.arguments.length - 1;
    }
    if (m.module === 'passport' && /^(serializeUser|deserializeUser)$/.test(path) && call.arguments.length === 1) return 0;
    return undefined;
  }

  /**
   * Untyped fallback: a route or middleware registration (`app.get(path, ...handlers)`, `router.use(...)`,
   * `router.route(path).post(...)`, `router.param(name, handler)`) on an app or router made in the file by
   * `express()` or `express.Router()`, in a package whose `package.json` depends on Express 4 or older, which
   * ignores what a handler returns (Express 5 passes a rejection to `next(err)`).
   */
  function expressRoute(call: TSESTree.CallExpression): boolean {
    const callee = unwrap(call.callee);
    if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier' || !ROUTE_METHODS.has(callee.property.name)) return false;
    if (!expressReceiver(callee.object)) return false;
    const major = expressMajor(ctx.filePath);
    return major !== undefined && major < 5;
  }

  function expressReceiver(node: Node): boolean {
    let e = unwrap(node);
    // `router.route('/items').get(...).post(...)`
    while (e.type === 'CallExpression') {
      const c = unwrap(e.callee);
      if (c.type !== 'MemberExpression' || c.computed || c.property.type !== 'Identifier' || !(c.property.name === 'route' || ROUTE_METHODS.has(c.property.name))) return false;
      e = unwrap(c.object);
    }
    if (e.type !== 'Identifier') return false;
    const name = e.name;
    let made = false;
    let declarations = 0;
    visit(ctx.ast, (n) => {
      if (n.type !== 'VariableDeclarator' || n.id.type !== 'Identifier' || n.id.name !== name) return;
      declarations++;
      const init = n.init && unwrap(n.init);
      if (init?.type !== 'CallExpression') return;
      const m = ctx.imports.resolve(unwrap(init.callee));
      const path = m && (m.path[0] === 'default' ? m.path.slice(1) : m.path).join('.');
      if (m?.module === 'express' && (path === '' || path === 'Router')) made = true;
    });
    return made && declarations === 1;
  }

  /** `req.session` for express-session's `destroy`/`regenerate`/`save`/`reload`, `req` for Passport's `login`/`logout`, a request parameter. */
  function sessionCallbackHost(object: Node, method: string): boolean {
    const o = unwrap(object);
    const isRequest = (n: Node): boolean => n.type === 'Identifier' && /^(req|request)$/.test(n.name);
    if (/^(destroy|regenerate|save|reload)$/.test(method)) return o.type === 'MemberExpression' && !o.computed && o.property.type === 'Identifier' && o.property.name === 'session' && isRequest(unwrap(o.object));
    return /^(login|logIn|logout|logOut)$/.test(method) && isRequest(o);
  }

  /** Untyped fallback: index of the callback a well-known callee invokes and ignores. */
  function ignoredCallbackIndex(call: TSESTree.CallExpression): number | undefined {
    const callee = unwrap(call.callee);
    if (isTimer(callee)) return 0;
    // React effects: the callback may return a clean-up function, never a promise.
    if (isEffectHook(callee)) return 0;
    const method = callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier' ? callee.property.name : undefined;
    if (callee.type === 'Identifier' && callee.name === 'addEventListener' && !ctx.imports.isDeclared(callee.name)) return 1;
    // jsonwebtoken's callback forms (`jwt.verify(token, key, options, (err, payload) => ...)`, `jwt.sign(...)`).
    const jwt = ctx.imports.resolve(callee);
    if (jwt?.module === 'jsonwebtoken' && /^(default\.)?(verify|sign)$/.test(jwt.path.join('.')) && call.arguments.length >= 3) return call.arguments.length - 1;
    if (!method || callee.type !== 'MemberExpression') return undefined;
    if (method === 'forEach') return 0;
    // express-session's and Passport's completion callbacks on a request: `req.session.destroy(cb)`,
    // `req.session.regenerate(cb)`, `req.login(user, cb)`, `req.logout(cb)`.
    if (sessionCallbackHost(callee.object, method) && call.arguments.length >= 1) return call.arguments.length - 1;
    if (method === 'nextTick' && callee.object.type === 'Identifier' && callee.object.name === 'process') return 0;
    // A subscription without an event name (`NetInfo.addEventListener(listener)`, expo-sensors'
    // `Accelerometer.addListener(listener)`) or a position watch: the listener is the only callback.
    // Except Firefox's `browser.runtime.onMessage` (and webextension-polyfill's), where a listener's
    // promise is its answer.
    if (/^add\w*Listener$/.test(method) && call.arguments.length === 1) return firefoxMessageEvent(callee.object) ? undefined : 0;
    if (WATCHES.has(method) && call.arguments.length === 2) return 1;
    // `Animated.timing(value, config).start(callback)`: React Native calls it when the animation ends.
    if (method === 'start' && call.arguments.length === 1 && reactNativeAnimation(callee.object)) return 0;
    if (method === 'addEventListener') return 1;
    // `app.listen(port, async () => ...)` on an Express app or an http(s) server made in the file: the
    // callback is the server's 'listening' listener.
    if (method === 'listen' && call.arguments.length >= 2 && isFunction(unwrap(call.arguments[call.arguments.length - 1] as Node)) && madeServer(callee.object)) return call.arguments.length - 1;
    // Event emitters: `emitter.on('event', listener)`, except bots and emitters that await their
    // handlers (Telegraf, grammY, Emittery).
    if (LISTENER_METHODS.has(method) && call.arguments.length === 2 && isEventName(call.arguments[0]) && !awaitsHandlers(callee.object) && !contextHandler(call.arguments[1])) return 1;
    return undefined;
  }

  /** `const app = express()`, `http.createServer(handler)`, `https.createServer(options, handler)` of the file (declared once). */
  function madeServer(receiver: Node): boolean {
    const r = unwrap(receiver);
    if (r.type !== 'Identifier') return false;
    let made: Node | undefined;
    let count = 0;
    visit(ctx.ast, (n) => {
      if (n.type !== 'VariableDeclarator' || n.id.type !== 'Identifier' || n.id.name !== r.name) return;
      count++;
      made = n.init ? unwrap(n.init) : undefined;
    });
    if (count !== 1 || made?.type !== 'CallExpression') return false;
    const m = ctx.imports.resolve(unwrap(made.callee));
    const path = m ? m.path.join('.').replace(/^default\.?/, '') : undefined;
    return (m?.module === 'express' && path === '') || (!!m && /^(node:)?https?$/.test(m.module) && path === 'createServer');
  }

  /**
   * Untyped: a handler whose first parameter is `ctx` (`bot.on('text', async (ctx) => ...)` on a bot
   * handed in as a parameter): a Telegraf or grammY update handler, which the bot awaits, not an
   * emitter's listener (those get the event's payload).
   */
  function contextHandler(arg: Node | undefined): boolean {
    const fn = arg && unwrap(arg);
    if (!fn || !isFunction(fn)) return false;
    const first = fn.params[0];
    return first?.type === 'Identifier' && /^(ctx|context)$/.test(first.name);
  }

  /**
   * Vue's watchers and lifecycle hooks (`watchEffect(async () => ...)`, `onMounted(async () => ...)`):
   * Vue runs them through its async error handling, which catches a rejected promise and hands it
   * to `app.config.errorHandler`.
   */
  function vueHandlesRejection(calleeNode: Node): boolean {
    const callee = unwrap(calleeNode);
    if (callee.type !== 'Identifier') return false;
    const m = ctx.imports.resolve(callee);
    return !!m && VUE_MODULES.test(m.module) && m.path.length === 1 && VUE_ASYNC_SAFE.has(m.path[0]);
  }

  /** A receiver made by `new Telegraf(...)`, `new Bot(...)` from grammy, `new Emittery()`, `new Bottleneck()` or Rollup's `watch()`: they await their handlers. */
  function awaitsHandlers(receiver: Node): boolean {
    const r = unwrap(receiver);
    if (r.type !== 'Identifier') return false;
    let made: Node | undefined;
    visit(ctx.ast, (n) => {
      if (!made && n.type === 'VariableDeclarator' && n.id.type === 'Identifier' && n.id.name === r.name && n.init) made = unwrap(n.init);
    });
    // `const watcher = rollup.watch(options)`: Rollup's watcher awaits its listeners too.
    if (made?.type === 'CallExpression') {
      const w = ctx.imports.resolve(unwrap(made.callee));
      return !!w && w.module === 'rollup' && /^(default\.)?watch$/.test(w.path.join('.'));
    }
    if (made?.type !== 'NewExpression') return false;
    const m = ctx.imports.resolve(made.callee);
    // Bottleneck's limiters and groups await their listeners (a `failed` listener gives the retry
    // delay, possibly as a promise) and hand a listener's rejection to their `error` event.
    return !!m && /^(telegraf|grammy|emittery|bottleneck(\/light|\/es5)?(\.js)?)$/.test(m.module);
  }

  /** `Animated.timing(...)`, `Animated.sequence([...])`, ... of React Native: an animation to start. */
  function reactNativeAnimation(node: Node): boolean {
    const e = unwrap(node);
    if (e.type !== 'CallExpression') return false;
    const m = ctx.imports.resolve(unwrap(e.callee));
    return m?.module === 'react-native' && m.path.length === 2 && m.path[0] === 'Animated' && ANIMATIONS.has(m.path[1]);
  }

  function isTimer(calleeNode: Node): boolean {
    const callee = unwrap(calleeNode);
    if (callee.type === 'Identifier') return TIMERS.has(callee.name) && !ctx.imports.isDeclared(callee.name);
    if (callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier' && callee.object.type === 'Identifier') {
      if (callee.property.name === 'nextTick') return callee.object.name === 'process' && !ctx.imports.isDeclared('process');
      return TIMERS.has(callee.property.name) && GLOBAL_OBJECTS.has(callee.object.name) && !ctx.imports.isDeclared(callee.object.name);
    }
    return false;
  }
}

/**
 * A base member whose body only throws (`close() { throw new Error('not implemented') }`) is an
 * abstract placeholder: its inferred `void` says nothing of the contract its overrides keep.
 */
/**
 * Whose synchronous transactions a receiver's `transaction()` makes: better-sqlite3's `Database`
 * (by the typings that declare it), or a Drizzle SQLite database or transaction whose result kind
 * is `'sync'`. Undefined for anything else.
 */
function syncSqliteReceiver(checker: ts.TypeChecker, type: ts.Type, depth = 0): string | undefined {
  for (const part of type.isIntersection() ? type.types : [type]) {
    const symbol = part.getSymbol() ?? part.aliasSymbol;
    const file = symbol?.declarations?.[0]?.getSourceFile().fileName ?? '';
    const name = symbol?.getName() ?? '';
    if (name === 'Database' && /[\\/](@types[\\/])?better-sqlite3[\\/]/.test(file)) return "better-sqlite3's";
    if (/^(BaseSQLiteDatabase|SQLiteTransaction)$/.test(name) && /[\\/]drizzle-orm[\\/]/.test(file)) {
      const kind = (part.flags & ts.TypeFlags.Object) && ((part as ts.ObjectType).objectFlags & ts.ObjectFlags.Reference) ? checker.getTypeArguments(part as ts.TypeReference)[0] : undefined;
      if (kind?.isStringLiteral() && kind.value === 'sync') return "a synchronous SQLite driver's (Drizzle over better-sqlite3)";
    }
    // `BetterSQLite3Database<TSchema> extends BaseSQLiteDatabase<'sync', RunResult, TSchema>`
    if (depth < 4 && (part.flags & ts.TypeFlags.Object)) {
      const obj = part as ts.ObjectType;
      const target = obj.objectFlags & ts.ObjectFlags.Reference ? (part as ts.TypeReference).target : obj;
      if (target.objectFlags & (ts.ObjectFlags.Class | ts.ObjectFlags.Interface)) {
        for (const base of checker.getBaseTypes(target as ts.InterfaceType)) {
          const found = syncSqliteReceiver(checker, base, depth + 1);
          if (found) return found;
        }
      }
    }
  }
  return undefined;
}

/** Without types: a name the file binds to `new Database(...)` of `better-sqlite3` (also `new (require('better-sqlite3'))(...)` through a name). */
function betterSqliteDatabase(ctx: TsRuleContext, expr: Node): boolean {
  const e = unwrap(expr);
  if (e.type !== 'Identifier') return false;
  let made = false;
  visit(ctx.ast, (n) => {
    if (made || n.type !== 'VariableDeclarator' || n.id.type !== 'Identifier' || n.id.name !== e.name || !n.init) return;
    const init = unwrap(n.init);
    if (init.type !== 'NewExpression') return;
    const m = ctx.imports.resolve(init.callee);
    if (m?.module === 'better-sqlite3') made = true;
  });
  return made;
}

function isThrowingStub(member: ts.Symbol): boolean {
  const declarations = member.declarations ?? [];
  return (
    declarations.length > 0 &&
    declarations.every(
      (d) =>
        (ts.isMethodDeclaration(d) || ts.isFunctionExpression(d)) &&
        !!d.body &&
        (d.body.statements.length > 0 ? d.body.statements.every(ts.isThrowStatement) : isUntypedJsPlaceholder(d)),
    )
  );
}

/**
 * A base class that itself waits for the member it leaves to subclasses:
 * `run() { return this.perform().catch(report); }` or `await this.perform()` next to a
 * placeholder `perform() { this.error('subclass this'); }`. Its `void` is only what the
 * placeholder's body infers; the class's own dispatch takes the promise, so an async override
 * keeps the contract.
 */
function baseAwaitsItsOwnCall(member: ts.Symbol, name: string): boolean {
  for (const d of member.declarations ?? []) {
    const cls = d.parent;
    if (!(ts.isMethodDeclaration(d) || ts.isPropertyDeclaration(d)) || !ts.isClassLike(cls)) continue;
    let found = false;
    const walk = (n: ts.Node): void => {
      if (found) return;
      if (
        ts.isCallExpression(n) &&
        ts.isPropertyAccessExpression(n.expression) &&
        n.expression.expression.kind === ts.SyntaxKind.ThisKeyword &&
        n.expression.name.text === name
      ) {
        let p: ts.Node = n.parent;
        while (ts.isParenthesizedExpression(p)) p = p.parent;
        if (ts.isAwaitExpression(p)) found = true;
        else if (ts.isPropertyAccessExpression(p) && p.expression === n || (ts.isPropertyAccessExpression(p) && ts.isParenthesizedExpression(p.expression))) {
          if (['then', 'catch', 'finally'].includes(p.name.text) && ts.isCallExpression(p.parent) && p.parent.expression === p) found = true;
        }
      }
      ts.forEachChild(n, walk);
    };
    for (const m of cls.members) if (m !== d) walk(m);
    if (found) return true;
  }
  return false;
}

/**
 * `setNSFW() {}` in a JavaScript class, without a JSDoc return type: a placeholder for
 * documentation or a mixin to fill in, whose `void` is only what an empty body infers (in
 * TypeScript, an empty hook is a contract its callers rely on, and stays one).
 */
function isUntypedJsPlaceholder(d: ts.MethodDeclaration | ts.FunctionExpression): boolean {
  return /\.(c|m)?jsx?$/i.test(d.getSourceFile().fileName) && !ts.getJSDocReturnTag(d) && !ts.getJSDocTypeTag(d);
}

/** discord.js classes made on `BaseClient`, an EventEmitter with `captureRejections: true`. */
const DISCORD_CLIENTS = new Set(['Client', 'BaseClient', 'WebhookClient']);

/** Whether a class symbol is a discord.js client, or a class of the program extending one (also when discord.js is not installed). */
function discordClientClass(checker: ts.TypeChecker, symbol: ts.Symbol | undefined, depth: number): boolean {
  if (!symbol || depth > 4) return false;
  for (const d of symbol.declarations ?? []) {
    if (!ts.isClassLike(d)) continue;
    if (declaredInPackage(d, /^discord\.js$/)) return !!d.name && DISCORD_CLIENTS.has(d.name.text);
    const base = d.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
    if (!base) continue;
    const baseSymbol = checker.getSymbolAtLocation(base);
    // `class BotClient extends Client` with `import { Client } from 'discord.js'`, resolved or not.
    const spec = baseSymbol?.declarations?.find(ts.isImportSpecifier);
    const from = spec?.parent.parent.parent.moduleSpecifier;
    if (spec && from && ts.isStringLiteral(from) && from.text === 'discord.js') return DISCORD_CLIENTS.has((spec.propertyName ?? spec.name).text);
    if (baseSymbol && discordClientClass(checker, baseSymbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(baseSymbol) : baseSymbol, depth + 1)) return true;
  }
  return false;
}

/** The `new X(...)` a name of the file is declared with, when the file declares it once. */
function madeBy(ast: TSESTree.Program, name: string): TSESTree.NewExpression | undefined {
  let found: TSESTree.NewExpression | undefined;
  let count = 0;
  visit(ast, (n) => {
    if (n.type !== 'VariableDeclarator' || n.id.type !== 'Identifier' || n.id.name !== name) return;
    count++;
    const init = n.init ? unwrap(n.init) : undefined;
    if (init?.type === 'NewExpression') found = init;
  });
  return count === 1 ? found : undefined;
}

/** `f` of `f.bind(thisArg, ...)`: the same function, bound. */
function boundFunction(node: Node): Node | undefined {
  if (node.type !== 'CallExpression') return undefined;
  const callee = unwrap(node.callee);
  if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier' || callee.property.name !== 'bind') return undefined;
  const target = unwrap(callee.object);
  return isFunction(target) || target.type === 'Identifier' || target.type === 'MemberExpression' ? target : undefined;
}

/** Whether an argument can evaluate to a function (literals, objects, arrays, templates cannot). */
/** A function with a block body and no `return <value>` of its own. */
function returnsNothing(fn: TSESTree.FunctionLike): boolean {
  if (!fn.body || fn.body.type !== 'BlockStatement') return false;
  let value = false;
  visit(
    fn.body,
    (n) => {
      if (n.type === 'ReturnStatement' && n.argument) value = true;
    },
    (n) => value || isFunction(n),
  );
  return !value;
}

function mayBeFunction(arg: Node): boolean {
  const e = unwrap(arg);
  switch (e.type) {
    case 'Literal':
    case 'TemplateLiteral':
    case 'ObjectExpression':
    case 'ArrayExpression':
    case 'BinaryExpression':
    case 'UnaryExpression':
    case 'UpdateExpression':
    case 'NewExpression':
    case 'SpreadElement':
    case 'ClassExpression':
      return false;
    default:
      return true;
  }
}

/** `off`/`removeListener`/`removeEventListener` only compare the function: they never call it. */
/**
 * Emitters of this file made with `captureRejections: true`: the names they are bound to
 * (`const bus = new EventEmitter({...})`, `this.events = ...`), `class:<start>` for a subclass
 * passing the option to `super()`; `all` after `EventEmitter.captureRejections = true`.
 */
function capturingEmitters(ctx: TsRuleContext): { all: boolean; receivers: Set<string> } {
  const receivers = new Set<string>();
  let all = false;
  const isTrue = (n: Node | null | undefined): boolean => !!n && n.type === 'Literal' && n.value === true;
  visit(ctx.ast, (node) => {
    if (node.type === 'AssignmentExpression' && node.left.type === 'MemberExpression' && !node.left.computed && node.left.property.type === 'Identifier' && node.left.property.name === 'captureRejections' && isTrue(node.right)) {
      all = true;
      return;
    }
    if (node.type !== 'NewExpression' && !(node.type === 'CallExpression' && node.callee.type === 'Super')) return;
    const options = node.arguments.find((a) => a.type === 'ObjectExpression');
    if (options?.type !== 'ObjectExpression') return;
    const captures = options.properties.some(
      (p) => p.type === 'Property' && !p.computed && p.key.type === 'Identifier' && p.key.name === 'captureRejections' && isTrue(p.value),
    );
    if (!captures) return;
    if (node.type === 'CallExpression') {
      const cls = enclosingClass(node);
      if (cls) receivers.add(`class:${cls.range[0]}`);
      if (cls?.id) receivers.add(`class-name:${cls.id.range[0]}`);
      return;
    }
    const parent = node.parent;
    if (parent?.type === 'VariableDeclarator' && parent.id.type === 'Identifier') receivers.add(parent.id.name);
    else if (parent?.type === 'AssignmentExpression') receivers.add(ctx.text.slice(parent.left.range[0], parent.left.range[1]));
    else if (parent?.type === 'PropertyDefinition' && !parent.computed && parent.key.type === 'Identifier') receivers.add(`this.${parent.key.name}`);
  });
  return { all, receivers };
}

/**
 * `http.createServer(app.callback())` on a Koa application: the request handler it gives ends
 * every request's promise with `.catch(ctx.onerror)`, so that promise cannot reject.
 */
/**
 * A call of a factory of the program every return of which is a function that never rejects:
 * middleware made by `rateLimit(5)` whose handler catches its own errors.
 */
function factoryNeverRejects(checker: ts.TypeChecker, tsCall: ts.Node): boolean {
  if (!ts.isCallExpression(tsCall)) return false;
  const declaration = checker.getResolvedSignature(tsCall)?.declaration;
  const returned = declaration && returnedFunctions(declaration);
  return !!returned && returned.every((fn) => functionNeverRejects(checker, fn));
}

/**
 * react-hook-form's `handleSubmit(onValid, onInvalid?)` (a `UseFormHandleSubmit`): the submit handler
 * it makes catches what validation and the callbacks throw, updates the form state, and rejects
 * only with the callbacks' own errors. It is judged as its callbacks: each a plain function giving
 * no promise (`(values) => mutation.mutate(values)`) or one that never rejects (an async `onSubmit`
 * with a try/catch), inline or named.
 */
function formSubmitNeverRejects(checker: ts.TypeChecker, tsCall: ts.Node): boolean {
  if (!ts.isCallExpression(tsCall) || tsCall.arguments.length === 0) return false;
  const declaration = checker.getResolvedSignature(tsCall)?.declaration;
  const holder = declaration && (ts.isFunctionTypeNode(declaration) ? declaration.parent : declaration);
  if (!holder || !ts.isTypeAliasDeclaration(holder) || holder.name.text !== 'UseFormHandleSubmit' || !declaredInPackage(holder, /^react-hook-form$/)) return false;
  return tsCall.arguments.every((arg) => {
    const e = skipParens(arg);
    const fn = ts.isArrowFunction(e) || ts.isFunctionExpression(e) ? e : ts.isIdentifier(e) || ts.isPropertyAccessExpression(e) ? functionOfSymbol(resolveAlias(checker, checker.getSymbolAtLocation(e))) : undefined;
    if (!fn || !(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn) || ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) || !fn.body) return false;
    if (functionNeverRejects(checker, fn)) return true;
    // A plain callback: only a synchronous mistake in it could make the handler reject.
    if (fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) return false;
    const returned = checker.getSignatureFromDeclaration(fn)?.getReturnType();
    return !!returned && !(returned.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) && !isSometimesThenable(checker, returned, fn);
  });
}

function koaCallback(checker: ts.TypeChecker, call: TSESTree.CallExpression, tsCall: ts.Node): boolean {
  const callee = unwrap(call.callee);
  if (call.arguments.length > 0 || callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier' || callee.property.name !== 'callback') return false;
  if (!ts.isCallExpression(tsCall) || !ts.isPropertyAccessExpression(tsCall.expression)) return false;
  const symbol = checker.getTypeAtLocation(tsCall.expression.expression).getSymbol();
  return /^(Application|Koa)$/.test(symbol?.getName() ?? '') && (symbol?.declarations ?? []).some((d) => /[\\/]koa[\\/.]|koa\.d\.ts$/i.test(d.getSourceFile().fileName));
}

/**
 * A request handler made by @whatwg-node/server's `createServerAdapter` — a GraphQL Yoga instance
 * (`http.createServer(yoga)`), a Hive gateway —: its Node request listener ends every request's
 * promise with a 500 response and a final `.catch(...)`, so that promise cannot reject.
 */
function fetchServerAdapter(checker: ts.TypeChecker, tsNode: ts.Node): boolean {
  const listener = checker.getTypeAtLocation(tsNode).getProperty('requestListener');
  return (listener?.declarations ?? []).some((d) => declaredInPackage(d, /^@whatwg-node\/server$/));
}

function isRemoval(calleeNode: Node): boolean {
  const callee = unwrap(calleeNode);
  return callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier' && REMOVERS.has(callee.property.name);
}

function isEventName(node: Node): boolean {
  return (node.type === 'Literal' && typeof node.value === 'string') || (node.type === 'TemplateLiteral' && node.expressions.length === 0) || node.type === 'Identifier' || node.type === 'MemberExpression';
}

function unwrap(node: Node): Node {
  let n = node;
  while (n.type === 'TSAsExpression' || n.type === 'TSNonNullExpression' || n.type === 'TSSatisfiesExpression' || n.type === 'ChainExpression' || n.type === 'TSTypeAssertion') n = n.expression;
  return n;
}

function lowPrecedence(node: Node): boolean {
  return (
    node.type === 'SequenceExpression' ||
    node.type === 'ConditionalExpression' ||
    node.type === 'LogicalExpression' ||
    node.type === 'AssignmentExpression' ||
    node.type === 'ArrowFunctionExpression' ||
    node.type === 'YieldExpression' ||
    node.type === 'BinaryExpression' ||
    node.type === 'TSAsExpression' ||
    node.type === 'TSSatisfiesExpression'
  );
}

/** Names of async functions declared in the file (declarations and `const f = async () => ...`). */
function localAsyncFunctions(ast: TSESTree.Program): Set<string> {
  const names = new Set<string>();
  visit(ast, (n) => {
    if (n.type === 'FunctionDeclaration' && n.async && !n.generator && n.id) names.add(n.id.name);
    if (n.type === 'VariableDeclarator' && n.id.type === 'Identifier' && n.init && isFunction(n.init) && n.init.async && !n.init.generator) names.add(n.id.name);
  });
  return names;
}

// ---- Type predicates (after typescript-eslint's no-misused-promises) ----

function unionParts(type: ts.Type): readonly ts.Type[] {
  return type.isUnion() ? type.types : [type];
}

/** A `then` method whose first parameter is callable: the shape of a real thenable. */
function hasThenMethod(checker: ts.TypeChecker, type: ts.Type, node: ts.Node): boolean {
  const then = type.getProperty('then');
  if (!then) return false;
  const thenType = checker.getTypeOfSymbolAtLocation(then, node);
  for (const part of unionParts(thenType)) {
    for (const sig of part.getCallSignatures()) {
      const first = sig.parameters[0];
      if (!first) continue;
      const paramType = checker.getTypeOfSymbolAtLocation(first, node);
      if (unionParts(paramType).some((p) => p.getCallSignatures().length > 0)) return true;
    }
  }
  return false;
}

function isSometimesThenable(checker: ts.TypeChecker, type: ts.Type, node: ts.Node): boolean {
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return false;
  return unionParts(checker.getApparentType(type)).some((t) => hasThenMethod(checker, t, node));
}

/** Every member of the type is thenable (`Promise<T> | undefined` is a legitimate condition). */
function isAlwaysThenable(checker: ts.TypeChecker, type: ts.Type, node: ts.Node): boolean {
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Never)) return false;
  return unionParts(checker.getApparentType(type)).every((t) => hasThenMethod(checker, t, node));
}

function someThenable(checker: ts.TypeChecker, type: ts.Type, node: ts.Node): boolean {
  return isSometimesThenable(checker, type, node);
}

/** Some call signature of the (function) type returns a thenable. */
function returnsThenable(checker: ts.TypeChecker, type: ts.Type, node: ts.Node): boolean {
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return false;
  return unionParts(checker.getApparentType(type)).some((t) => t.getCallSignatures().some((sig) => someThenable(checker, sig.getReturnType(), node)));
}

/**
 * socket.io (server and client) types a listener of an untyped event as
 * `(...args: any[]) => void | Promise<void>`, and a typed one through that fallback; its emitter
 * calls listeners and drops what they return, so the promise is ignored all the same.
 */
const SOCKET_IO_TYPINGS = /[\\/]node_modules[\\/](socket\.io|socket\.io-client|@socket\.io[\\/]component-emitter)[\\/]/;

const SOCKET_IO_MODULES = /^(socket\.io|socket\.io-client|@socket\.io\/component-emitter)$/;

function inSocketIoTypings(declaration: ts.Node | undefined): boolean {
  if (!declaration) return false;
  if (SOCKET_IO_TYPINGS.test(declaration.getSourceFile().fileName)) return true;
  // `declare module 'socket.io' { ... }`: the same typings, declared ambiently.
  for (let n: ts.Node | undefined = declaration.parent; n; n = n.parent) {
    if (ts.isModuleDeclaration(n) && ts.isStringLiteral(n.name)) return SOCKET_IO_MODULES.test(n.name.text);
  }
  return false;
}

/**
 * A socket.io listener type: its fallback alias (`FallbackToUntypedListener<...>`, which a typed
 * event's listener goes through before it is resolved), or a function type declared there.
 */
function droppedPromiseListener(type: ts.Type, sig?: ts.Signature): boolean {
  if (type.aliasSymbol && (type.aliasSymbol.declarations ?? []).some(inSocketIoTypings)) return true;
  return !!sig && inSocketIoTypings(sig.getDeclaration() as ts.Declaration | undefined);
}

/** A function type whose signatures return void, none of them a thenable. */
function isVoidReturningFunctionType(checker: ts.TypeChecker, type: ts.Type, node: ts.Node): boolean {
  let hadVoid = false;
  if (droppedPromiseListener(type)) return true;
  for (const part of unionParts(type)) {
    for (const sig of part.getCallSignatures()) {
      const ret = sig.getReturnType();
      if (droppedPromiseListener(part, sig)) {
        hadVoid = true;
        continue;
      }
      if (someThenable(checker, ret, node)) return false;
      if (ret.flags & ts.TypeFlags.Void || voidOrBreak(ret)) hadVoid = true;
    }
  }
  return hadVoid;
}

/**
 * `false | void` or `boolean | void`: a walk or `each` callback whose `false` stops the iteration
 * (PostCSS's `root.walkDecls(cb)`, cheerio's and jQuery's `each`). A promise is not `false`: the walk
 * goes on and drops it, as a void callback's caller does.
 */
function voidOrBreak(ret: ts.Type): boolean {
  if (!ret.isUnion()) return false;
  let sawVoid = false;
  for (const t of ret.types) {
    if (t.flags & ts.TypeFlags.Void) sawVoid = true;
    else if (!(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.BooleanLiteral))) return false;
  }
  return sawVoid;
}

function isThenableReturningFunctionType(checker: ts.TypeChecker, type: ts.Type, node: ts.Node): boolean {
  if (droppedPromiseListener(type)) return false;
  return unionParts(type).some((t) => t.getCallSignatures().some((sig) => !droppedPromiseListener(t, sig) && someThenable(checker, sig.getReturnType(), node)));
}

/**
 * Argument positions that take a void-returning function in some signature of the callee and a
 * thenable-returning one in none. Every overload is inspected (the resolved signature would pick
 * the first `() => void` overload over a later `() => Promise<void>` one), except the overloads a
 * literal argument rules out: `on('progress', listener)` against `on(event: 'progress', l: (pct) => void)`
 * and `on(event: 'done', l: (url) => void | Promise<void>)` can only be the first.
 */
function voidFunctionArguments(
  checker: ts.TypeChecker,
  call: ts.CallExpression | ts.NewExpression,
  contextualTypeOf: (index: number) => ts.Type | undefined,
): { void: Set<number>; thenable: Set<number> } {
  const voidIdx = new Set<number>();
  const thenable = new Set<number>();
  const argCount = call.arguments?.length ?? 0;
  const classify = (type: ts.Type | undefined, index: number): void => {
    if (!type) return;
    if (isThenableReturningFunctionType(checker, type, call.expression)) thenable.add(index);
    else if (isVoidReturningFunctionType(checker, type, call.expression)) voidIdx.add(index);
  };
  const calleeType = checker.getTypeAtLocation(call.expression);
  for (const part of unionParts(calleeType)) {
    const all = ts.isCallExpression(call) ? part.getCallSignatures() : part.getConstructSignatures();
    const matching = all.filter((sig) => literalArgumentsFit(checker, sig, call));
    for (const sig of matching.length ? matching : all) {
      sig.parameters.forEach((param, index) => {
        if (index >= argCount) return;
        const decl = param.valueDeclaration;
        let type = checker.getTypeOfSymbolAtLocation(param, call.expression);
        if (decl && ts.isParameter(decl) && decl.dotDotDotToken) {
          if (checker.isArrayType(type)) {
            type = checker.getTypeArguments(type as ts.TypeReference)[0];
            for (let i = index; i < argCount; i++) classify(type, i);
          } else if (checker.isTupleType(type)) {
            const elements = checker.getTypeArguments(type as ts.TypeReference);
            for (let i = index; i < argCount && i - index < elements.length; i++) classify(elements[i - index], i);
          }
        } else classify(type, index);
      });
    }
  }
  for (let i = 0; i < argCount; i++) classify(contextualTypeOf(i), i);
  for (const i of thenable) voidIdx.delete(i);
  return { void: voidIdx, thenable };
}

/**
 * Whether every string or number literal argument of the call fits the signature's parameter at its
 * position (a generic signature is taken as fitting: its parameters are not instantiated here).
 */
function literalArgumentsFit(checker: ts.TypeChecker, sig: ts.Signature, call: ts.CallExpression | ts.NewExpression): boolean {
  if (sig.typeParameters?.length) return true;
  const params = sig.parameters;
  return (call.arguments ?? []).every((arg, i) => {
    const e = skipParens(arg);
    if (!ts.isStringLiteralLike(e) && !ts.isNumericLiteral(e)) return true;
    const last = params[params.length - 1]?.valueDeclaration;
    const rest = !!last && ts.isParameter(last) && !!last.dotDotDotToken;
    if (i >= params.length - (rest ? 1 : 0)) {
      if (!rest) return false;
      const restType = checker.getTypeOfSymbolAtLocation(params[params.length - 1], call.expression);
      if (!checker.isArrayType(restType)) return true;
      return checker.isTypeAssignableTo(checker.getTypeAtLocation(e), checker.getTypeArguments(restType as ts.TypeReference)[0]);
    }
    return checker.isTypeAssignableTo(checker.getTypeAtLocation(e), checker.getTypeOfSymbolAtLocation(params[i], call.expression));
  });
}

function isArrayLike(checker: ts.TypeChecker, type: ts.Type): boolean {
  const parts = unionParts(type).filter((t) => !(t.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined)));
  return parts.length > 0 && parts.every((part) => {
    const t = checker.getApparentType(part);
    if (checker.isArrayType(t) || checker.isTupleType(t)) return true;
    const name = t.getSymbol()?.getName();
    return name === 'ReadonlyArray' || (!!name && /^(?:Big)?(?:Int|Uint|Float)(?:8|16|32|64)(?:Clamped)?Array$/.test(name));
  });
}

/** React Native's animation makers, whose `start(callback)` calls back once the animation ends. */
const ANIMATIONS = new Set(['timing', 'spring', 'decay', 'sequence', 'parallel', 'stagger', 'loop', 'delay']);

/** viem's watch actions, which take their callbacks (`onLogs`, `onBlock`, ...) in one options object. */
const VIEM_WATCHES = new Set(['watchContractEvent', 'watchEvent', 'watchBlocks', 'watchBlockNumber', 'watchPendingTransactions']);

/** Watches that call their last argument on every update (expo-location, Capacitor's Geolocation). */
const WATCHES = new Set(['watchPositionAsync', 'watchHeadingAsync', 'watchPosition']);

/** Whether a function type's calls are typed `any` (its body calls into a module without types). */
function returnsAny(checker: ts.TypeChecker, type: ts.Type): boolean {
  const signatures = type.getCallSignatures();
  return signatures.length > 0 && signatures.every((sig) => (checker.getReturnTypeOfSignature(sig).flags & ts.TypeFlags.Any) !== 0);
}

/** Whether a value of this type can be called (some member of its union has a call signature). */
function isCallable(checker: ts.TypeChecker, type: ts.Type): boolean {
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return false;
  const apparent = checker.getApparentType(type);
  return (apparent.isUnion() ? apparent.types : [apparent]).some((t) => t.getCallSignatures().length > 0);
}
