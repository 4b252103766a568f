/**
 * floating-promise: an expression statement whose value is a promise (per the TypeScript checker;
 * without types, a call of an async function declared in the file) that is neither awaited,
 * returned, `void`-ed, nor given a rejection handler.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Fix } from '../../engine/types';
import type { TsRuleContext } from '../context';
import { mobilePromiseApi } from '../mobileApis';
import { extensionPromiseApi } from '../webExtensions';
import { prismaCall } from '../prismaApis';
import { koaNext, serverSdkPromise } from '../serverSdkApis';
import { chatBotPromise } from '../chatBotApis';
import { web3AgentPromise } from '../web3AgentApis';
import { testFrameworkPromise } from '../testFrameworkApis';
import { automationPromise } from '../browserAutomationApis';
import * as ts from 'typescript';
import { callNeverThenable, isPromiseArray, isPromiseLike, isThenable, type TypeServices } from '../project';
import { callNeverRejects, chainHandlersSettle, declaredInPackage, isHandledChain, hasAsyncModifier, isAiSdkConsumeStream, isRepeaterPush, ownNodes, resolvedThenNeverRejects, skipParens, thenOnCallNeverRejects, thenOnResolveOnlyPromise } from '../rejection';
import { awaitText, denoMember, enclosingClass, enclosingFunction, endsProcess, isFunction, localAsyncFunctions, shadowedAt, visit } from '../util';
import { awaitInitFix, isJavaScriptFile, promiseVariables, shownText } from './promiseVariables';
import { syncParsesOfAsyncActions, yargsParseWithoutAsyncHandlers } from './commanderParse';
import { callsAsyncGenerator, innerCall, localAsyncGenerators } from '../asyncGenerators';
import * as path from 'node:path';

type Node = TSESTree.Node;

export function checkFloatingPromises(ctx: TsRuleContext): void {
  let services: TypeServices | undefined | null = null;
  const types = () => {
    if (services === null) services = ctx.types();
    return services;
  };
  const asyncNames = localAsyncFunctions(ctx.ast);
  const generatorNames = localAsyncGenerators(ctx.ast);
  for (const name of generatorNames) asyncNames.delete(name);
  // Which calls make async generators. In JavaScript, by the file's own declarations only: the checker's
  // answers there depend on the order of its queries (a class member's type inferred from its
  // assignments), and a query for every awaited call changed what other checks of the file saw.
  const generatorTypes = (): TypeServices | undefined => (isJavaScriptFile(ctx.filePath) ? undefined : types());
  const isPromise = (node: Node): boolean => {
    if (node.type === 'NewExpression' && node.callee.type === 'Identifier' && node.callee.name === 'Promise') return true;
    if (node.type === 'CallExpression' && isFunction(unwrap(node.callee)) && (unwrap(node.callee) as { async?: boolean }).async) return true;
    const s = types();
    // `x.then(onFulfilled)` is a promise chain whatever `x` is typed: an untyped receiver (`any`,
    // or no type information) does not make it less of one.
    if (node.type === 'CallExpression' && isThenWithOneHandler(node)) {
      // `cy.get('.welcome').then(...)`: a Cypress command chain, not a promise (untyped in JS suites).
      if (cypressChain(ctx, node)) return false;
      if (!s) return true;
      const t = s.tsNodeFor(node);
      if (t && s.checker.getTypeAtLocation(t).flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return true;
    }
    if (s) {
      if (node.type === 'CallExpression' && (callNeverThenable(s, node) || calleeReadByUntypedKey(s, node))) return false;
      if (isPromiseLike(s, node) || isPromiseArray(s, node)) return true;
      // A call typed `any` (a module without types): what the syntax says, as without types. So
      // is a property read typed `any` (chai-as-promised's `expect(p).to.be.rejected`).
      if (node.type !== 'CallExpression' && node.type !== 'MemberExpression') return false;
      const t = s.tsNodeFor(node);
      if (!t || !(s.checker.getTypeAtLocation(t).flags & ts.TypeFlags.Any)) return false;
    }
    // A test framework's assertion or step known by its syntax (`expect(p).resolves.toBe(1)`,
    // Playwright's `expect(page).toHaveURL(...)`, chai-as-promised's `.eventually`).
    if (testFrameworkPromise(ctx, node)) return true;
    // Without type information: calls of async functions declared in this file, and of Node's
    // promise APIs (`fs.promises.unlink(p)`, `pipeline` from `stream/promises`, a `promisify(...)`d function),
    // those of mobile app libraries (AsyncStorage, Expo's `...Async` functions, Capacitor plugins),
    // and a browser extension's (`chrome.storage.local.set(...)` without its callback).
    if (node.type !== 'CallExpression') return false;
    if (node.callee.type === 'Identifier' && asyncNames.has(node.callee.name) && !shadowedAt(node, node.callee.name)) return true;
    return nodePromiseApi(ctx, node.callee) || mobilePromiseApi(ctx, node.callee) || extensionPromiseApi(ctx, node) || prismaCall(ctx, node) !== undefined || serverSdkPromise(ctx, node) || chatBotPromise(ctx, node) || web3AgentPromise(ctx, node) || automationPromise(ctx, node) || koaNext(ctx, node) || (node.callee.type === 'Identifier' && (promisified ??= promisifiedNames(ctx)).has(node.callee.name));
  };
  let promisified: Set<string> | undefined;
  /** An array of promises: typed so, or `items.map(async ...)` whatever `items` is. */
  const arrayOfPromises = (node: Node): boolean => {
    const s = types();
    return isUntypedAsyncMap(node, s) || (s !== undefined && isPromiseArray(s, node));
  };

  /**
   * A call that makes no promise to wait for here (an alias, a sync-mode or callback-style call,
   * an override of a plain member, microtask scheduling), or whose promise never rejects (see
   * rejection.ts). The latter only counts where the code cannot wait anyway, or where waiting is
   * plainly not meant: outside async functions, and for an async IIFE. An async function that
   * leaves such a call unawaited may still rely on work that has not finished.
   */
  const nothingToWaitFor = (node: Node, where: Node, returned = false): boolean => {
    const s = types();
    const call = unwrap(node);
    if (!s || call.type !== 'CallExpression') return false;
    // `ids.map((id) => app.ready(() => order.push(id)))`: an array of what the callback's call
    // gives, so nothing to wait for when that call gives nothing to wait for.
    const mapped = mappedCall(call);
    if (mapped) return nothingToWaitFor(mapped, where, returned);
    const tsCall = s.tsNodeFor(call);
    if (!tsCall || !ts.isCallExpression(tsCall)) return false;
    if (returnsFirstArgument(tsCall) || takenFromArray(s.checker, tsCall) || returnsReceiver(s.checker, tsCall) || resolvesToItself(s.checker, tsCall) || syncModeCall(tsCall) || resolvedThenNeverRejects(s.checker, tsCall, false) || callbackStyleCall(s.checker, tsCall) || overridesPlainMember(s.checker, tsCall) || isRepeaterPush(s.checker, tsCall) || isAiSdkConsumeStream(s.checker, tsCall)) return true;
    const iife = isFunction(unwrap(call.callee));
    return (returned || iife || !enclosingFunction(where)?.async) && (callNeverRejects(s.checker, tsCall) || thenOnCallNeverRejects(s.checker, tsCall) || thenOnResolveOnlyPromise(s.checker, tsCall) || resolvedThenNeverRejects(s.checker, tsCall) || returnsHandledParameter(s.checker, tsCall));
  };

  /**
   * Whether a rejection handler handles the rejection: not `undefined`/`null`, nor a name typed as
   * possibly undefined (`.catch(onError)` with `onError?: (err) => void`, undefined when omitted).
   */
  const handles = (arg: Node): boolean => {
    if (isNoHandler(arg)) return false;
    const a = unwrap(arg);
    if (isFunction(a)) return true;
    const s = types();
    const t = s?.tsNodeFor(a);
    if (!s || !t) return true;
    const type = s.checker.getTypeAtLocation(t);
    return !(type.isUnion() && type.types.some((u) => u.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Void)));
  };

  visit(ctx.ast, (node) => {
    if (node.type === 'AwaitExpression') {
      // `await pages()`: awaiting an async generator object gives the object itself.
      const call = innerCall(node.argument);
      if (call && callsAsyncGenerator(generatorTypes(), generatorNames, call)) {
        ctx.report({
          message: `'${shownText(ctx, call)}' makes an async generator: awaiting it gives the generator object, and its body never runs; iterate it with 'for await', or step it with next()`,
          range: ctx.rangeOf(node),
          anchors: [],
        });
      }
      return;
    }
    if (node.type !== 'ExpressionStatement' || (node as TSESTree.ExpressionStatement & { directive?: string }).directive) return;
    const dropped = innerCall(node.expression);
    if (dropped && callsAsyncGenerator(generatorTypes(), generatorNames, dropped)) {
      ctx.report({
        message: `The async generator from '${shownText(ctx, dropped)}' is never iterated, so its body never runs: iterate it with 'for await'`,
        range: ctx.rangeOf(node.expression),
        anchors: [],
      });
      return;
    }
    const floating = floatingPart(node.expression, (n) => isPromise(n) || isUntypedAsyncMap(n, types()), handles);
    if (!floating) {
      unexecutedKyselyQuery(ctx, types(), node);
      return;
    }
    if (expectedToThrow(node)) return;
    if (isRunnerTrackedTest(ctx, floating) || nothingToWaitFor(floating, node) || raisesUnhandledRejection(node) || keptAndReturnedAfter(types(), floating, node)) return;
    if (denoCronRegistration(ctx, floating)) return;
    // yargs' `parse()`, typed `Arguments | Promise<Arguments>`, with only synchronous handlers.
    if (yargsParseWithoutAsyncHandlers(ctx, types(), floating)) return;
    // `runHooks().finally(() => process.exit(0))`: finally passes on what the promise does.
    const chained = unwrap(floating);
    if (chained.type === 'CallExpression' && isMethodCall(chained, 'finally') && nothingToWaitFor((unwrap(chained.callee) as TSESTree.MemberExpression).object, node)) return;
    const fn = enclosingFunction(node);
    const inAsync = !!fn && fn.async;
    // `closeDb().finally(() => process.exit(0))`: the process ends before a rejection could go
    // unhandled (like a function whose `finally` calls `process.exit()`, outside async functions).
    if (!inAsync && chained.type === 'CallExpression' && isMethodCall(chained, 'finally') && endsProcess(chained.arguments[0])) return;
    const expr = node.expression;
    const exprText = ctx.text.slice(expr.range[0], expr.range[1]);
    const s = types();
    const isArray = expr.type === 'ArrayExpression' || arrayOfPromises(floating);
    // `await` where the statement's value is the promise (`store?.persist()`, `cached ? render() :
    // refresh()`, `ready && save()`): awaiting a value that is not a promise changes nothing. It is
    // a suggestion, not a safe fix, where the code shows it leaves the promise running on purpose.
    const awaitFix: Fix | undefined =
      inAsync && !isArray && carries(expr, floating) ? { title: 'Await the promise', safe: true, edits: [{ range: ctx.rangeOf(expr), newText: awaitText(expr, exprText) }] } : undefined;
    const onPurpose = awaitFix !== undefined && (leftRunningOnPurpose(node) || runsUntilStopped(floating, types()));
    const fix = onPurpose ? undefined : awaitFix;
    const voidFix: Fix = { title: "Mark it as intentionally not awaited with 'void'", safe: false, edits: [{ range: ctx.rangeOf(expr), newText: `void ${needsParens(expr) ? `(${exprText})` : exprText}` }] };
    const allFix: Fix | undefined =
      isArray && inAsync ? { title: 'Wait for all of them with Promise.all', safe: false, edits: [{ range: ctx.rangeOf(expr), newText: `await Promise.all(${exprText})` }] } : undefined;
    // A lazy query (Prisma's, mongoose's, knex's) starts only when awaited or given `then()`:
    // dropped, it never runs, and `void` would not run it either.
    const floatingCall = unwrap(floating);
    // In a Worker's handler (`fetch(request, env, ctx)`), a service worker's listener or a Hono route,
    // work left running after the response is cancelled unless handed to `waitUntil()`.
    const keeper = isArray || !carries(expr, floating) ? undefined : keepAliveReceiver(ctx, node, s);
    const waitUntilFix: Fix | undefined = keeper
      ? { title: `Keep it running after the handler returns with ${keeper}.waitUntil()`, safe: false, edits: [{ range: ctx.rangeOf(expr), newText: `${keeper}.waitUntil(${exprText})` }] }
      : undefined;
    const lazy = (s !== undefined && lazyQuery(s, floating)) || (floatingCall.type === 'CallExpression' && prismaCall(ctx, floatingCall) === 'query');
    // A test framework's assertion or step: the test can end before it settles.
    const inTest = !lazy && testFrameworkPromise(ctx, floating);
    ctx.report({
      message: lazy
        ? `The query from '${shownText(ctx, floating)}' is neither awaited nor handled: it is lazy and only runs once awaited (or given then()), so it never runs`
        : inTest
          ? `The promise from '${shownText(ctx, floating)}' is neither awaited nor returned: the test can end before it settles, so a failure is lost or shows up in another test`
          : keeper
            ? `The promise from '${shownText(ctx, floating)}' is neither awaited nor handled: the runtime may cancel the work once the handler has returned, and a rejection goes unhandled — ${inAsync ? 'await it, or ' : ''}hand it to ${keeper}.waitUntil()`
            : `The promise from '${shownText(ctx, floating)}' is neither awaited nor handled: a rejection goes unhandled and the work may outlive its caller`,
      range: ctx.rangeOf(expr),
      anchors: ['@typescript-eslint/no-floating-promises'],
      fix,
      suggestions: lazy ? undefined : allFix ? [allFix, voidFix] : waitUntilFix ? [waitUntilFix, ...(onPurpose && awaitFix ? [{ ...awaitFix, safe: false }] : [])] : onPurpose && awaitFix ? [voidFix, { ...awaitFix, safe: false }] : [voidFix],
    });
  });

  // commander's `program.parse()` with an async action or hook: parse() drops its promise.
  for (const { call, action } of syncParsesOfAsyncActions(ctx, types)) {
    const callee = call.callee as TSESTree.MemberExpression;
    const receiver = unwrap(callee.object);
    const where = action.file ? `${path.relative(path.dirname(ctx.filePath), action.file).split(path.sep).join('/')}:${action.line}` : `line ${action.line}`;
    const inAsync = !!enclosingFunction(call)?.async;
    const rename = { range: ctx.rangeOf(callee.property), newText: 'parseAsync' };
    // The indentation of the line the call ends on (a chain's `.parse()` line).
    const lineStart = ctx.text.lastIndexOf('\n', call.range[1] - 1) + 1;
    const indent = /^[ \t]*/.exec(ctx.text.slice(lineStart))![0];
    const suggestion: Fix = inAsync
      ? { title: 'Wait for the actions with await parseAsync()', safe: false, edits: [{ range: { start: ctx.rangeOf(call).start, end: ctx.rangeOf(call).start }, newText: 'await ' }, rename] }
      : {
          title: 'Use parseAsync() and end the process on a rejection',
          safe: false,
          edits: [rename, { range: { start: ctx.rangeOf(call).end, end: ctx.rangeOf(call).end }, newText: `.catch((err) => {\n${indent}  console.error(err);\n${indent}  process.exit(1);\n${indent}})` }],
        };
    ctx.report({
      message: `'${receiver.type === 'Identifier' || receiver.type === 'MemberExpression' ? `${shownText(ctx, receiver)}.` : ''}parse()' runs the async ${action.what} (${where}) without waiting for it: a rejection of it goes unhandled and the code after parse() runs before it is done. Use parseAsync() and wait for it`,
      range: ctx.rangeOf(call),
      anchors: [],
      suggestions: [suggestion],
    });
  }

  // `try { return load(); } catch { ... }`: the rejection settles after the try has been left.
  visit(ctx.ast, (node) => {
    if (node.type !== 'ReturnStatement' || !node.argument) return;
    const arg = unwrap(node.argument);
    const shapes = ['CallExpression', 'NewExpression', 'Identifier', 'MemberExpression', 'LogicalExpression', 'ConditionalExpression'];
    if (arg.type === 'AwaitExpression' || !shapes.includes(arg.type)) return;
    // In an async generator, `return p` awaits `p` before leaving the try.
    const owner = enclosingFunction(node);
    if (owner?.async && owner.generator) return;
    const guard = guardingTry(node);
    // Without a finally, a promise that cannot reject loses nothing to the catch. An array of
    // promises (`return ids.map(async ...)`) is no promise: awaiting it would change nothing.
    if (!guard || !isPromise(node.argument) || (!guard.finalizer && nothingToWaitFor(node.argument, node, true))) return;
    // `try { return query(sql).catch(translateError); } catch (e) { throw wrap(e); }`: the promise
    // has its own rejection handler, and the catch is for what throws before it is made.
    if (!guard.finalizer && ownRejectionHandler(arg)) return;
    // `try { ...; if (bad) return Promise.reject(new Error('...')); } catch (e) { return Promise.reject(wrap(e)); }`:
    // a rejection made on the spot, already settled, routed past the catch on purpose (a `throw`
    // would go through it). No work is left for the catch or a finally to wait for.
    if (settledRejection(arg)) return;
    const s = types();
    if (s && isPromiseArray(s, node.argument)) return;
    const text = ctx.text.slice(node.argument.range[0], node.argument.range[1]);
    const missed = [guard.handler ? 'the catch never sees its rejection' : '', guard.finalizer ? 'the finally runs before it settles' : ''].filter(Boolean).join(', and ');
    ctx.report({
      message: `The promise from '${shownText(ctx, node.argument)}' is returned from inside '${guard.inside}' without await: ${missed}`,
      range: ctx.rangeOf(node.argument),
      anchors: ['@typescript-eslint/return-await'],
      fix: { title: 'Await it before returning', safe: true, edits: [{ range: ctx.rangeOf(node.argument), newText: awaitText(node.argument, text) }] },
    });
  });

  // `const p = save(x)` and `p` never read again: the promise floats just the same.
  // An array literal holds promises when one of its elements makes one that something should wait for.
  const holdsPromise = (init: Node): boolean => {
    const e = unwrap(init);
    if (e.type !== 'ArrayExpression') return isPromise(init);
    return e.elements.some((el) => {
      if (!el || el.type === 'SpreadElement') return false;
      const made = unwrap(el);
      if (made.type !== 'CallExpression' && made.type !== 'NewExpression') return false;
      // `store.save(row).catch(log)` is handled, as it would be as a statement.
      const floating = floatingPart(el, isPromise, handles);
      return !!floating && !nothingToWaitFor(floating, el);
    });
  };
  for (const v of promiseVariables(ctx, holdsPromise, false)) {
    if (nothingToWaitFor(v.init, v.init)) continue;
    const s = types();
    const lazy = s !== undefined && lazyQuery(s, v.init);
    const literal = unwrap(v.init).type === 'ArrayExpression';
    ctx.report({
      message: lazy
        ? `The query from '${shownText(ctx, v.init)}' is stored in '${v.name}' and never used: it is lazy and only runs once awaited (or given then()), so it never runs`
        : literal
          ? `The promises in '${shownText(ctx, v.init)}' are stored in '${v.name}' and never used: nothing waits for them, and a rejection goes unhandled`
          : `The promise from '${shownText(ctx, v.init)}' is stored in '${v.name}' and never used: nothing waits for it, and a rejection goes unhandled`,
      range: ctx.rangeOf(v.init),
      // No ESLint rule reports this shape.
      anchors: [],
      fix: awaitInitFix(ctx, v, literal || arrayOfPromises(v.init)),
    });
  }
}

/** `Promise.reject(reason)` of the global Promise. */
function settledRejection(e: TSESTree.Node): boolean {
  if (e.type !== 'CallExpression' || e.callee.type !== 'MemberExpression' || e.callee.computed) return false;
  const { object, property } = e.callee;
  return object.type === 'Identifier' && object.name === 'Promise' && property.type === 'Identifier' && property.name === 'reject' && !shadowedAt(e, 'Promise');
}

/**
 * `Promise.reject(error);` alone in a function that neither is async nor returns a value (an event
 * emitter's `_emit('error')` with no listener): the statement's only effect is the unhandled
 * rejection, raised on purpose so that the error is not lost. In an async function, or one that
 * returns a value, it is rather a `return` or `throw` left out, and stays reported.
 */
function raisesUnhandledRejection(statement: TSESTree.ExpressionStatement): boolean {
  let e: TSESTree.Node = statement.expression;
  while (e.type === 'TSAsExpression' || e.type === 'TSNonNullExpression' || e.type === 'TSSatisfiesExpression') e = e.expression;
  if (e.type !== 'CallExpression' || e.callee.type !== 'MemberExpression' || e.callee.computed) return false;
  const { object, property } = e.callee;
  if (object.type !== 'Identifier' || object.name !== 'Promise' || property.type !== 'Identifier' || property.name !== 'reject' || shadowedAt(e, 'Promise')) return false;
  const fn = enclosingFunction(statement);
  if (!fn || fn.async || fn.generator || fn.body?.type !== 'BlockStatement') return false;
  let returnsValue = false;
  visit(fn.body, (n) => {
    if (n.type === 'ReturnStatement' && n.argument && enclosingFunction(n) === fn) returnsValue = true;
  });
  return !returnsValue;
}

/**
 * `catchRejection(promise)`: a plain function that attaches a rejection handler that cannot reject
 * to a promise it was given, then returns that same promise (`promise.catch(onError); return
 * promise;`). What the call gives is the promise already handled: dropping it leaves no rejection
 * unhandled. So does one that makes the promise itself (`const written = Promise.all(writes);
 * written.catch(log); return written;`), or that returns the call of such a function (`return
 * this.persist();`). Every other `return` of the function must give nothing (`if (!writes.length)
 * return;`), and nothing may replace the promise. Not for a handler that rethrows
 * (`promise.catch((e) => { throw wrap(e) })`), whose own chain rejects.
 */
function returnsHandledParameter(checker: ts.TypeChecker, call: ts.CallExpression, depth = 0): boolean {
  if (depth > 2) return false;
  let declaration: ts.Node | undefined;
  try {
    declaration = checker.getResolvedSignature(call)?.declaration;
  } catch {
    return false;
  }
  if (!declaration || !(ts.isFunctionDeclaration(declaration) || ts.isArrowFunction(declaration) || ts.isFunctionExpression(declaration) || ts.isMethodDeclaration(declaration))) return false;
  if (!declaration.body || !ts.isBlock(declaration.body) || declaration.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword) || declaration.asteriskToken) return false;
  const statements = declaration.body.statements;
  const last = statements[statements.length - 1];
  if (!last || !ts.isReturnStatement(last) || !last.expression) return false;
  if (ownNodes(declaration.body, ts.isReturnStatement).some((r) => r !== last && !!r.expression)) return false;
  const returned = skipParens(last.expression);
  // `return this.persist();`: the call of a function that itself hands back a handled promise.
  if (ts.isCallExpression(returned)) return returnsHandledParameter(checker, returned, depth + 1);
  if (!ts.isIdentifier(returned)) return false;
  const name = returned.text;
  const before = statements.slice(0, -1);
  const parameter = declaration.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === name && !p.dotDotDotToken);
  const made = before.findIndex((st) => ts.isVariableStatement(st) && (st.declarationList.flags & ts.NodeFlags.Const) !== 0 && st.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name));
  if ((!parameter && made < 0) || assigns(declaration.body, name)) return false;
  return before.slice(made + 1).some((st) => {
    if (!ts.isExpressionStatement(st)) return false;
    const e = skipParens(st.expression);
    if (!ts.isCallExpression(e) || !isHandledChain(e)) return false;
    const receiver = skipParens((e.expression as ts.PropertyAccessExpression).expression);
    return ts.isIdentifier(receiver) && receiver.text === name && chainHandlersSettle(checker, e, 1);
  });
}

/** Whether an expression assigns to a name (outside nested functions). */
function assigns(node: ts.Node, name: string): boolean {
  let found = false;
  const walk = (n: ts.Node): void => {
    if (found || ts.isFunctionLike(n)) return;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment && ts.isIdentifier(skipParens(n.left)) && (skipParens(n.left) as ts.Identifier).text === name) found = true;
    else ts.forEachChild(n, walk);
  };
  walk(node);
  return found;
}

/**
 * `Object.defineProperties(p, ...)`, `Object.assign(p, ...)`: the call returns its first argument,
 * a promise that already exists; the statement makes no new one (the promise is judged where it
 * is made). So does `Object.defineProperty(this, ...)` in a thenable class's constructor.
 */
function returnsFirstArgument(call: ts.CallExpression): boolean {
  const callee = call.expression;
  return (
    ts.isPropertyAccessExpression(callee) &&
    ts.isIdentifier(callee.expression) &&
    callee.expression.text === 'Object' &&
    /^(defineProperty|defineProperties|assign|setPrototypeOf|freeze|seal|preventExtensions)$/.test(callee.name.text) &&
    call.arguments.length > 0 &&
    (ts.isIdentifier(call.arguments[0]) || call.arguments[0].kind === ts.SyntaxKind.ThisKeyword)
  );
}

/**
 * `app[method](path, handler)` with `method` typed `any` (an untyped parameter in JavaScript): the
 * checker cannot tell which member is called, and the type it gives the read is no answer (on
 * fastify's instance, that of its `[Symbol.asyncDispose]`).
 */
function calleeReadByUntypedKey(s: TypeServices, call: TSESTree.CallExpression): boolean {
  const callee = s.tsNodeFor(call.callee);
  if (!callee || !ts.isElementAccessExpression(callee)) return false;
  return !!(s.checker.getTypeAtLocation(callee.argumentExpression).flags & ts.TypeFlags.Any);
}

/**
 * A fluent method that returns its receiver (`reply.code(404).send(body)` on a thenable `Reply`):
 * the statement makes no new promise. Every `return` of the callee's body returns `this`, or the
 * declared result is an intersection of the receiver's type (or `this`) with a thenable (fastify's
 * `register(plugin): Instance & PromiseLike<undefined>`).
 */
function returnsReceiver(checker: ts.TypeChecker, call: ts.CallExpression): boolean {
  if (!returnsItsReceiver(checker, call)) return false;
  // `request(app).post('/orders').expect(201)`, `expect(p).to.eventually.equal(1)`: the receiver is
  // a promise the statement itself makes, and the whole chain floats.
  return !madeInChain(checker, call);
}

/**
 * Whether the thenable a chain of fluent calls passes along was made within the chain: the
 * deepest thenable of the receiver chain (through calls and property reads) is a call (or a tagged template), or a
 * property read of a non-thenable (chai-as-promised's `.eventually`), rather than a value the
 * code already held (`reply.code(404)`, `cy.get(...)`, a builder in a variable).
 */
function madeInChain(checker: ts.TypeChecker, call: ts.CallExpression): boolean {
  /** The value a chain link is read from: a method call's receiver, a property's object. */
  const receiverOf = (x: ts.Expression): ts.Expression | undefined => {
    if (ts.isCallExpression(x)) {
      const callee = skipParens(x.expression);
      return ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee) ? callee.expression : undefined;
    }
    return ts.isPropertyAccessExpression(x) || ts.isElementAccessExpression(x) ? x.expression : undefined;
  };
  let origin: ts.Expression | undefined;
  let e = receiverOf(call);
  for (let depth = 0; e && depth < 32; depth++) {
    e = skipParens(e);
    if (!isThenable(checker, checker.getTypeAtLocation(e), e)) break;
    origin = e;
    e = receiverOf(e);
  }
  if (!origin) return false;
  if (ts.isCallExpression(origin)) return !returnsItsReceiver(checker, origin);
  // `new Query(t, 'posts').where(...)`: a builder the statement itself made; so is a zx command,
  // `$\`docker system prune\`.nothrow()`.
  if (ts.isNewExpression(origin) || ts.isTaggedTemplateExpression(origin)) return true;
  // `knex.schema.dropTableIfExists('t')`: knex's `schema` is a getter that makes a new SchemaBuilder
  // on every read, so the chain starts a builder of its own.
  if (ts.isPropertyAccessExpression(origin) && origin.name.text === 'schema' && knexSchemaBuilder(checker.getTypeAtLocation(origin))) return true;
  return (ts.isPropertyAccessExpression(origin) || ts.isElementAccessExpression(origin)) && !isThenable(checker, checker.getTypeAtLocation(origin.expression), origin.expression) && !ts.isIdentifier(origin.expression) && origin.expression.kind !== ts.SyntaxKind.ThisKeyword;
}

/** knex's `SchemaBuilder` (by the package that declares it). */
function knexSchemaBuilder(type: ts.Type): boolean {
  const symbol = type.getSymbol() ?? type.aliasSymbol;
  const file = symbol?.declarations?.[0]?.getSourceFile().fileName ?? '';
  return symbol?.getName() === 'SchemaBuilder' && /[\\/]knex[\\/]/.test(file);
}

/** Whether a call's result is its receiver (see returnsReceiver). */
function returnsItsReceiver(checker: ts.TypeChecker, call: ts.CallExpression): boolean {
  if (returnsReceiverType(checker, call)) return true;
  const signature = checker.getResolvedSignature(call);
  if (signature && returnsReceiverIntersection(checker, call, signature)) return true;
  const declaration = signature?.declaration;
  if (!declaration || !(ts.isMethodDeclaration(declaration) || ts.isFunctionExpression(declaration)) || !declaration.body) return false;
  let returns = 0;
  let other = false;
  const walk = (n: ts.Node): void => {
    if (other || ts.isFunctionLike(n) || ts.isClassLike(n)) return;
    if (ts.isReturnStatement(n)) {
      if (n.expression && n.expression.kind === ts.SyntaxKind.ThisKeyword) returns++;
      else other = true;
      return;
    }
    ts.forEachChild(n, walk);
  };
  ts.forEachChild(declaration.body, walk);
  return returns > 0 && !other;
}

/**
 * A method declared to give the receiver's own type (`where(...): QueryBuilder<R, T>` on a knex
 * `QueryBuilder<R, T>`, `code(n): FastifyReply` on a `FastifyReply`, `send(): this`): a builder
 * step, not a new promise. Declaration files show no body, so the declared type is what tells.
 * A promise's own `then`/`catch`/`finally` make a new promise, even of the same type.
 */
function returnsReceiverType(checker: ts.TypeChecker, call: ts.CallExpression): boolean {
  let callee: ts.Expression = call.expression;
  while (ts.isParenthesizedExpression(callee)) callee = callee.expression;
  if (!ts.isPropertyAccessExpression(callee) || /^(then|catch|finally)$/.test(callee.name.text)) return false;
  const receiver = checker.getNonNullableType(checker.getTypeAtLocation(callee.expression));
  const result = checker.getNonNullableType(checker.getTypeAtLocation(call));
  if (result.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return false;
  if (result === receiver) return true;
  // `reply.code(200)` on a route whose reply type narrows the status codes gives the same
  // interface with other type arguments; so does a step of any builder whose `then` makes no
  // promise. (knex's `first()`, a new instantiation of a builder whose `then` makes a promise, is
  // still a query to run.)
  const symbol = result.getSymbol();
  return !!symbol && symbol === receiver.getSymbol() && !!(symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.Class)) && thenDeclaredVoid(checker, result, call) && thenDeclaredVoid(checker, receiver, call);
}

/** `Inst & PromiseLike<undefined>` / `this & PromiseLike<void>` returned by a method of `Inst`. */
function returnsReceiverIntersection(checker: ts.TypeChecker, call: ts.CallExpression, signature: ts.Signature): boolean {
  let callee: ts.Expression = call.expression;
  while (ts.isParenthesizedExpression(callee)) callee = callee.expression;
  if (!ts.isPropertyAccessExpression(callee) && !ts.isElementAccessExpression(callee)) return false;
  // Without the `undefined` an optional chain (`maybe?.register(p)`) adds.
  const result = checker.getNonNullableType(checker.getReturnTypeOfSignature(signature));
  if (!(result.flags & ts.TypeFlags.Intersection)) return false;
  const parts = (result as ts.IntersectionType).types;
  const declared = signature.declaration?.type;
  if (declared && ts.isIntersectionTypeNode(declared) && declared.types.some((t) => t.kind === ts.SyntaxKind.ThisType)) return true;
  const receiver = checker.getNonNullableType(checker.getTypeAtLocation(callee.expression));
  const own = receiver.flags & ts.TypeFlags.Intersection ? (receiver as ts.IntersectionType).types : [receiver];
  const isThenable = (t: ts.Type): boolean => !!checker.getPropertyOfType(t, 'then');
  return parts.some((t) => !isThenable(t) && own.includes(t));
}

/**
 * A thenable type whose every `then` is declared to return nothing (fastify's
 * `then(fulfilled, rejected): void` on a `FastifyReply`): no promise chain is made from it, so a
 * method giving another instantiation of the same interface is a step of a builder.
 */
function thenDeclaredVoid(checker: ts.TypeChecker, type: ts.Type, node: ts.Node): boolean {
  const then = type.getProperty('then');
  if (!then) return false;
  const signatures = checker.getTypeOfSymbolAtLocation(then, node).getCallSignatures();
  return signatures.length > 0 && signatures.every((sig) => {
    const declaration = sig.declaration;
    return !!declaration && !ts.isJSDocSignature(declaration) && declaration.type?.kind === ts.SyntaxKind.VoidKeyword;
  });
}

/**
 * A call giving an instance that is also a thenable of itself (`fastify(opts)`, typed
 * `FastifyInstance & PromiseLike<FastifyInstance>`): awaiting it waits for the instance to be
 * ready and gives it back; dropped, it is an object made and not used, not a promise. A call of a
 * method of such an instance that resolves to something else (`app.ready()`, resolving to
 * `undefined`) and an intersection that resolves to another value (execa's `Subprocess &
 * Promise<Result>`) are still promises.
 */
function resolvesToItself(checker: ts.TypeChecker, call: ts.CallExpression): boolean {
  const type = checker.getNonNullableType(checker.getTypeAtLocation(call));
  if (!(type.flags & ts.TypeFlags.Intersection)) return false;
  const parts = (type as ts.IntersectionType).types;
  const own = parts.filter((t) => !checker.getPropertyOfType(t, 'then') && t.getProperties().length > 0);
  if (own.length === 0 || own.length === parts.length) return false;
  const awaited = checker.getAwaitedType(type);
  if (!awaited || awaited === type || awaited.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Undefined | ts.TypeFlags.Void)) return false;
  return own.some((t) => t === awaited || (checker.isTypeAssignableTo(t, awaited) && checker.isTypeAssignableTo(awaited, t)));
}

/** The call an arrow given to `.map()` gives as its value (`ids.map((id) => save(id))`), if that is all it does. */
function mappedCall(call: TSESTree.CallExpression): TSESTree.CallExpression | undefined {
  if (!isMethodCall(call, 'map') || call.arguments.length !== 1) return undefined;
  const fn = unwrap(call.arguments[0]);
  if (fn.type !== 'ArrowFunctionExpression' || fn.async || fn.body.type === 'BlockStatement') return undefined;
  const body = unwrap(fn.body);
  return body.type === 'CallExpression' ? body : undefined;
}

/**
 * `queue.shift()` / `queue.pop()` on an array of promises: the statement takes out a promise made
 * (and kept) earlier, to forget it, and makes none; whether that promise is handled is decided
 * where it was made.
 */
function takenFromArray(checker: ts.TypeChecker, call: ts.CallExpression): boolean {
  const callee = skipParens(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !/^(shift|pop)$/.test(callee.name.text) || call.arguments.length > 0) return false;
  return checker.isArrayType(checker.getNonNullableType(checker.getTypeAtLocation(callee.expression)));
}

/**
 * `this.load(); return this.fetching ? this.promise : this.value;`: a plain (not async) function
 * of the program whose every value it returns is the promise it keeps in a member
 * (`return this.promise`, a memoised load; ioredis' `execPipeline()` returning `_this.promise`),
 * called as a statement right before the caller returns that same member (also after the `if`
 * around the call): the promise is handed on there, not dropped.
 */
function keptAndReturnedAfter(s: TypeServices | undefined, floating: Node, statement: Node): boolean {
  const call = unwrap(floating);
  if (!s || call.type !== 'CallExpression') return false;
  const tsCall = s.tsNodeFor(call);
  if (!tsCall || !ts.isCallExpression(tsCall)) return false;
  const member = keptMemberReturned(s.checker, tsCall);
  if (!member) return false;
  let node: Node = statement;
  for (let depth = 0; depth < 6; depth++) {
    const parent = node.parent;
    if (!parent) return false;
    if (parent.type === 'IfStatement') {
      node = parent;
      continue;
    }
    if (parent.type !== 'BlockStatement') return false;
    const index = parent.body.indexOf(node as TSESTree.Statement);
    const next = parent.body[index + 1];
    if (!next) {
      node = parent;
      continue;
    }
    return next.type === 'ReturnStatement' && !!next.argument && readsMember(next.argument, member);
  }
  return false;
}

/** The member every `return` of a plain function's body gives (`return this.promise`, `return _this.promise`). */
function keptMemberReturned(checker: ts.TypeChecker, call: ts.CallExpression): string | undefined {
  const declaration = checker.getResolvedSignature(call)?.declaration;
  if (!declaration || !(ts.isFunctionDeclaration(declaration) || ts.isMethodDeclaration(declaration) || ts.isFunctionExpression(declaration) || ts.isArrowFunction(declaration))) return undefined;
  if (!declaration.body || !ts.isBlock(declaration.body) || hasAsyncModifier(declaration) || declaration.asteriskToken) return undefined;
  let member: string | undefined;
  let other = false;
  const walk = (n: ts.Node): void => {
    if (other || ts.isFunctionLike(n) || ts.isClassLike(n)) return;
    if (ts.isReturnStatement(n)) {
      if (!n.expression) return;
      const e = skipParens(n.expression);
      const kept = ts.isPropertyAccessExpression(e) && (e.expression.kind === ts.SyntaxKind.ThisKeyword || ts.isIdentifier(e.expression)) ? e.name.text : undefined;
      if (!kept || (member !== undefined && member !== kept)) other = true;
      else member = kept;
      return;
    }
    ts.forEachChild(n, walk);
  };
  ts.forEachChild(declaration.body, walk);
  return other ? undefined : member;
}

/** Whether an expression reads `this.<name>` (or `<identifier>.<name>`) outside nested functions. */
function readsMember(expr: Node, name: string): boolean {
  let found = false;
  visit(
    expr,
    (n) => {
      if (n.type === 'MemberExpression' && !n.computed && n.property.type === 'Identifier' && n.property.name === name && (n.object.type === 'ThisExpression' || n.object.type === 'Identifier')) found = true;
    },
    (n) => isFunction(n),
  );
  return found;
}

/**
 * `list({ file, sync: true })`: APIs with a sync mode (tar, glob) return a promise only in async
 * mode, and the checker's union of both modes says nothing of this call.
 */
function syncModeCall(call: ts.CallExpression): boolean {
  return call.arguments.some(
    (a) => ts.isObjectLiteralExpression(a) && a.properties.some((p) => ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === 'sync' && p.initializer.kind === ts.SyntaxKind.TrueKeyword),
  );
}

/**
 * A call of a callback-or-promise API given its callback: the callee's result is a union of a
 * promise and void/undefined (`request(opts, cb)` returns a promise only without `cb`), and the
 * last argument is a function. Overloads typed apart are already resolved by the checker.
 */
function callbackStyleCall(checker: ts.TypeChecker, call: ts.CallExpression): boolean {
  const last = call.arguments[call.arguments.length - 1];
  if (!last) return false;
  let arg: ts.Expression = last;
  while (ts.isParenthesizedExpression(arg)) arg = arg.expression;
  const inline = ts.isArrowFunction(arg) || ts.isFunctionExpression(arg) ? arg : undefined;
  const callee = call.expression;
  const promiseMethod = ts.isPropertyAccessExpression(callee) && /^(then|catch|finally)$/.test(callee.name.text);
  // A Node-style callback, `(err, result) => ...`, given to a function that is not itself async:
  // the dual API (`maybePromise(cb)`) answers through it and makes no promise. Not a promise's
  // own `then((e) => ...)`, whose callback gets the value (an event, an entry) and makes another.
  if (inline && inline.parameters.length > 0 && !promiseMethod) {
    const first = inline.parameters[0].name;
    if (ts.isIdentifier(first) && /^(err|error|er|e|ex|exc)$/.test(first.text)) {
      const declaration = checker.getResolvedSignature(call)?.declaration;
      if (!declaration || !hasAsyncModifier(declaration)) return true;
    }
  }
  // An inline callback that ignores the error (`io.close(() => process.exit(0))`) where the API
  // declares a Node-style one (socket.io's `close(fn?: (err?: Error) => void): Promise<void>`):
  // the callback is how the call answers.
  if (inline && inline.parameters.length === 0 && nodeStyleParameter(checker, call, call.arguments.length - 1)) return true;
  // A completion callback handed on by name (`request(app).get('/').expect(200, done)` in a test
  // that takes `done`): the call reports through it. Not Express's `next`: an async handler
  // called as `fn(req, res, next)` does not pass its rejection to `next`.
  if (!promiseMethod && ts.isIdentifier(arg) && /^(done|cb|callback)$/.test(arg.text) && checker.getTypeAtLocation(arg).getCallSignatures().length > 0) {
    const declaration = checker.getResolvedSignature(call)?.declaration;
    if (!declaration || !hasAsyncModifier(declaration)) return true;
  }
  // In an optional chain (`store?.persist().then(cb)`) the result also has the `undefined` of
  // the chain, which says nothing of the API: only `void` counts there.
  const type = checker.getTypeAtLocation(call);
  const noResult = ts.isOptionalChain(call) ? ts.TypeFlags.Void : ts.TypeFlags.Void | ts.TypeFlags.Undefined;
  // Every member a promise or nothing: `Buffer | undefined | Promise<Buffer>` is a cache-or-load result, no dual API.
  if (!type.isUnion() || !type.types.some((t) => t.flags & noResult)) return false;
  if (!type.types.every((t) => t.flags & noResult || !!t.getProperty('then'))) return false;
  if (inline) return true;
  return checker.getTypeAtLocation(arg).getCallSignatures().length > 0;
}

/**
 * Whether the parameter at `index` of the resolved (non-async) signature is typed as a Node-style
 * callback: a function whose first parameter is named `err` or `error`.
 */
function nodeStyleParameter(checker: ts.TypeChecker, call: ts.CallExpression, index: number): boolean {
  const signature = checker.getResolvedSignature(call);
  const declaration = signature?.declaration;
  const param = signature?.parameters[index];
  if (!signature || !param || (declaration && hasAsyncModifier(declaration))) return false;
  const type = checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(param, call));
  return type.getCallSignatures().some((s) => s.parameters.length > 0 && /^(err|error)$/.test(s.parameters[0].name));
}

/**
 * A method that overrides a member of its base class whose signatures return no thenable
 * (`emit()` of an EventEmitter subclass returning `boolean | Promise` in one branch): callers
 * keep the base member's contract and ignore the result.
 */
function overridesPlainMember(checker: ts.TypeChecker, call: ts.CallExpression): boolean {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const declaration = checker.getResolvedSignature(call)?.declaration;
  if (!declaration || !ts.isMethodDeclaration(declaration) || !ts.isClassLike(declaration.parent)) return false;
  // A library's declared override (`question(): Promise<string>` of readline/promises' Interface
  // over the callback one) is its promise API, not a void member implemented with async code.
  if (declaration.getSourceFile().isDeclarationFile) return false;
  const name = callee.name.text;
  for (const clause of declaration.parent.heritageClauses ?? []) {
    if (clause.token !== ts.SyntaxKind.ExtendsKeyword) continue;
    for (const base of clause.types) {
      const member = checker.getPropertyOfType(checker.getTypeAtLocation(base), name);
      if (!member) continue;
      const signatures = checker.getTypeOfSymbolAtLocation(member, base).getCallSignatures();
      if (signatures.length === 0) return false;
      return signatures.every((sig) => {
        const returned = sig.getReturnType();
        if (returned.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.TypeParameter)) return false;
        return !(returned.isUnion() ? returned.types : [returned]).some((t) => !!t.getProperty('then'));
      });
    }
  }
  return false;
}

/**
 * What a `return` (within an async function) leaves behind: the `catch` of each `try` whose block
 * holds it, the `finally` of each `try` whose block or `catch` holds it. `inside` names the
 * innermost such block. Undefined when there is none, or outside async functions.
 */
function guardingTry(ret: TSESTree.ReturnStatement): { inside: 'try' | 'catch'; handler: boolean; finalizer: boolean } | undefined {
  let child: Node = ret;
  let found: { inside: 'try' | 'catch'; handler: boolean; finalizer: boolean } | undefined;
  for (let n: Node | undefined = ret.parent; n; child = n, n = n.parent) {
    if (isFunction(n)) return n.async ? found : undefined;
    if (n.type !== 'TryStatement') continue;
    const inTry = n.block === child;
    const inCatch = !!n.handler && n.handler === child;
    if (!(inTry && (n.handler || n.finalizer)) && !(inCatch && n.finalizer)) continue;
    found ??= { inside: inTry ? 'try' : 'catch', handler: false, finalizer: false };
    if (inTry && n.handler) found.handler = true;
    if (n.finalizer) found.finalizer = true;
  }
  return undefined;
}

function unwrap(node: Node): Node {
  let n = node;
  while (n.type === 'TSAsExpression' || n.type === 'TSNonNullExpression' || n.type === 'TSSatisfiesExpression' || n.type === 'ChainExpression') n = n.expression;
  return n;
}

function isMethodCall(call: TSESTree.CallExpression, name: string): boolean {
  const callee = unwrap(call.callee);
  return callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier' && callee.property.name === name;
}

/** Node's promise APIs by module (`fs/promises`, `fs.promises`, `stream/promises`, `timers/promises`, `dns/promises`). */
function nodePromiseApi(ctx: TsRuleContext, callee: Node): boolean {
  const m = ctx.imports.resolve(unwrap(callee));
  if (!m || m.path.length === 0) return false;
  const path = m.path[0] === 'default' ? m.path.slice(1) : m.path;
  const last = path[path.length - 1];
  switch (m.module) {
    case 'fs/promises':
      return path.length === 1 && !NOT_PROMISES.has(last);
    case 'fs':
      return path.length === 2 && path[0] === 'promises' && !NOT_PROMISES.has(last);
    case 'stream/promises':
      return path.length === 1 && (last === 'pipeline' || last === 'finished');
    case 'timers/promises':
      return path.length === 1 && (last === 'setTimeout' || last === 'setImmediate');
    // `assert.rejects(fn)`, `assert.doesNotReject(p)`: they wait for the promise and settle after it.
    case 'assert':
    case 'assert/strict':
      return (path.length === 1 || (path.length === 2 && path[0] === 'strict')) && (last === 'rejects' || last === 'doesNotReject');
    case 'dns/promises':
      return path.length === 1 && /^(lookup|lookupService|resolve\w*|reverse)$/.test(last);
    default:
      return false;
  }
}

/** Members of `fs/promises` that give no promise. */
const NOT_PROMISES = new Set(['constants', 'watch', 'glob']);

/** Names bound to `promisify(fn)` / `util.promisify(fn)` in the file: calling them gives a promise. */
function promisifiedNames(ctx: TsRuleContext): Set<string> {
  const out = new Set<string>();
  visit(ctx.ast, (n) => {
    if (n.type !== 'VariableDeclarator' || n.id.type !== 'Identifier' || !n.init) return;
    const init = unwrap(n.init);
    if (init.type !== 'CallExpression') return;
    const m = ctx.imports.resolve(unwrap(init.callee));
    if (m?.module === 'util' && m.path[m.path.length - 1] === 'promisify') out.add(n.id.name);
  });
  return out;
}

/** A call chain rooted at Cypress's global `cy` (not a name the file declares). */
function cypressChain(ctx: TsRuleContext, call: TSESTree.CallExpression): boolean {
  let n: Node = call;
  for (;;) {
    const u = unwrap(n);
    if (u.type === 'CallExpression') n = u.callee;
    else if (u.type === 'MemberExpression') n = u.object;
    else return u.type === 'Identifier' && u.name === 'cy' && !ctx.imports.isDeclared('cy');
  }
}

function isThenWithOneHandler(call: TSESTree.CallExpression): boolean {
  const callee = unwrap(call.callee);
  if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier' || callee.property.name !== 'then') return false;
  const first = call.arguments[0] ? unwrap(call.arguments[0] as Node) : undefined;
  // A callback written in place or named (`.then(render)`).
  const callback = !!first && (isFunction(first) || first.type === 'Identifier' || first.type === 'MemberExpression');
  return (call.arguments.length === 1 || (call.arguments.length === 2 && isNoHandler(call.arguments[1]))) && callback;
}

/** `undefined`, `null` or `void 0` given as a rejection handler: it handles nothing. */
function isNoHandler(arg: Node): boolean {
  const a = unwrap(arg);
  return (a.type === 'Identifier' && a.name === 'undefined') || (a.type === 'Literal' && a.value === null && !('regex' in a) && !('bigint' in a)) || (a.type === 'UnaryExpression' && a.operator === 'void');
}

/**
 * `rows.map(async (row) => ...)` on a receiver without a type (untyped JavaScript, `any`): an
 * array of promises, whatever `rows` is, as far as syntax can tell. Typed receivers are judged
 * by their types.
 */
function isUntypedAsyncMap(node: Node, s: TypeServices | undefined): boolean {
  const e = unwrap(node);
  if (e.type !== 'CallExpression' || e.arguments.length === 0) return false;
  const callee = unwrap(e.callee);
  if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier' || callee.property.name !== 'map') return false;
  const fn = unwrap(e.arguments[0] as Node);
  if (!isFunction(fn) || !fn.async || fn.generator) return false;
  if (!s) return true;
  const t = s.tsNodeFor(e);
  return !t || !!(s.checker.getTypeAtLocation(t).flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown));
}

/** Kysely's query builders: immutable, no thenables, they run only through `execute()` and its kin. */
const KYSELY_BUILDER = /^(Select|Insert|Update|Delete|Merge|WheneableMerge)QueryBuilder$/;

/**
 * `db.deleteFrom('t').where('id', '=', id);` as a statement, with Kysely: the builder is made and
 * dropped, and no query ever runs (it needs `.execute()`). Reported with types only.
 */
function unexecutedKyselyQuery(ctx: TsRuleContext, s: TypeServices | undefined, statement: TSESTree.ExpressionStatement): void {
  const expr = unwrap(statement.expression);
  if (!s || expr.type !== 'CallExpression') return;
  const t = s.tsNodeFor(expr);
  if (!t) return;
  const symbol = s.checker.getTypeAtLocation(t).getSymbol();
  const file = symbol?.declarations?.[0]?.getSourceFile().fileName ?? '';
  if (!symbol) return;
  if (unsentHttpRequest(ctx, s, statement, expr, t, symbol)) return;
  let library: string;
  if (KYSELY_BUILDER.test(symbol.getName()) && /[\\/]kysely([\\/]|\.d\.ts$)/.test(file)) library = 'a Kysely builder runs only with execute() (or executeTakeFirst())';
  // TypeORM's builders are mutable: `qb.where(...)` on a builder kept in a name adds to it. Only a
  // chain that makes its builder in the statement (`repo.createQueryBuilder()...`) is dropped.
  else if (/QueryBuilder$/.test(symbol.getName()) && !!symbol.declarations?.[0] && declaredInPackage(symbol.declarations[0], /^typeorm$/) && chainCalls(expr, 'createQueryBuilder')) library = 'a TypeORM query builder runs only with execute() (or getMany(), getOne(), ...)';
  else return;
  const text = ctx.text.slice(expr.range[0], expr.range[1]);
  const fn = enclosingFunction(statement);
  ctx.report({
    message: `The query built by '${shownText(ctx, expr)}' is never executed: ${library}, so this statement does nothing`,
    range: ctx.rangeOf(statement.expression),
    anchors: [],
    suggestions: fn?.async ? [{ title: 'Execute the query and await it', safe: false, edits: [{ range: ctx.rangeOf(statement.expression), newText: `await ${text}.execute()` }] }] : undefined,
  });
}

/**
 * `this.http.post('/api/audit', body);` as a statement, with Angular's HttpClient: its observables
 * are cold, so the request is sent only when something subscribes, and this one is never sent.
 */
function unsentHttpRequest(ctx: TsRuleContext, s: TypeServices, statement: TSESTree.ExpressionStatement, expr: TSESTree.CallExpression, t: ts.Node, symbol: ts.Symbol): boolean {
  if (symbol.getName() !== 'Observable' || !ts.isCallExpression(t)) return false;
  // Through operators: `this.http.post(url, body).pipe(retry(2));`
  let call: ts.CallExpression = t;
  while (ts.isPropertyAccessExpression(call.expression) && call.expression.name.text === 'pipe' && ts.isCallExpression(skipParens(call.expression.expression))) call = skipParens(call.expression.expression) as ts.CallExpression;
  if (!ts.isPropertyAccessExpression(call.expression)) return false;
  const receiver = s.checker.getTypeAtLocation(call.expression.expression).getSymbol();
  const declaration = receiver?.declarations?.[0];
  if (receiver?.getName() !== 'HttpClient' || !declaration || !declaredInPackage(declaration, /^@angular\/common(\/http)?$/)) return false;
  ctx.report({
    message: `The request built by '${shownText(ctx, expr)}' is never sent: an HttpClient observable sends its request only when subscribed (subscribe(), or await firstValueFrom(...)), so this statement does nothing`,
    range: ctx.rangeOf(statement.expression),
    anchors: [],
  });
  return true;
}

/** Whether a call chain (`a.b().c().d()`) goes through a call of the method `name`. */
function chainCalls(expr: Node, name: string): boolean {
  let e = unwrap(expr);
  for (;;) {
    if (e.type === 'CallExpression') {
      const c = unwrap(e.callee);
      if (c.type === 'MemberExpression' && !c.computed && c.property.type === 'Identifier' && c.property.name === name) return true;
      e = c;
    } else if (e.type === 'MemberExpression') e = unwrap(e.object);
    else return false;
  }
}

/** Thenables that only start their work when `then()` is called: Prisma's, mongoose's, knex's and Drizzle's queries. */
function lazyQuery(s: TypeServices, floating: Node): boolean {
  const t = s.tsNodeFor(unwrap(floating));
  if (!t) return false;
  const type = s.checker.getTypeAtLocation(t);
  const symbol = type.getSymbol();
  const name = symbol?.getName();
  if (name === 'PrismaPromise' || name === 'PrismaClientPromise') return true;
  const file = symbol?.declarations?.[0]?.getSourceFile().fileName ?? '';
  if ((name === 'Query' && /[\\/]mongoose[\\/]/.test(file)) || ((name === 'QueryBuilder' || name === 'SchemaBuilder') && /[\\/]knex[\\/]/.test(file))) return true;
  // Drizzle's builders (`db.update(t).set(v).where(c)`, `db.query.users.findMany()`, also behind
  // its `Omit<...>` shapes) run in the `then()` of their base class `QueryPromise`.
  return (type.isUnion() ? type.types : [type]).every((part) => {
    const then = part.getProperty('then')?.declarations?.[0];
    const owner = then?.parent;
    return !!owner && ts.isClassDeclaration(owner) && owner.name?.text === 'QueryPromise' && /drizzle-orm/.test(then.getSourceFile().fileName);
  });
}

/**
 * Whether the value of a statement's expression is the floating promise (or, on another path, a
 * value that is no promise): the expression itself, a branch of `?:`, the right side of `&&`,
 * `||` or `??`, through parentheses, `!`, `as` and optional chains.
 */
function carries(expr: Node, floating: Node): boolean {
  const e = unwrap(expr);
  if (e === floating || unwrap(floating) === e) return true;
  if (e.type === 'ConditionalExpression') return carries(e.consequent, floating) || carries(e.alternate, floating);
  if (e.type === 'LogicalExpression') return carries(e.right, floating);
  return false;
}

/**
 * Signs that a promise is left running on purpose, where adding `await` would change when the
 * function goes on: a timer started right after it (a watchdog, `server.close();
 * setTimeout(forceExit, 10_000).unref()`), a return right after it in a branch (stale-while-
 * revalidate, `this.refresh(key); return cached;`).
 */
/** Handler methods of a Cloudflare Worker's exported object, whose third parameter is its ExecutionContext. */
const WORKER_HANDLERS = /^(fetch|scheduled|queue|tail|email|trace)$/;

/**
 * What keeps a promise's work alive past the response in the handler around `statement`, as the
 * text of its receiver: a parameter whose type has a `waitUntil` method (a Worker's
 * `ctx: ExecutionContext`, a service worker's `event: FetchEvent`, Netlify's `context`), a Hono
 * context's `c.executionCtx`; without types, the third parameter of a handler method of a
 * Worker's `export default { async fetch(request, env, ctx) { ... } }`.
 */
function keepAliveReceiver(ctx: TsRuleContext, statement: Node, s: TypeServices | undefined): string | undefined {
  for (let fn = enclosingFunction(statement); fn; fn = enclosingFunction(fn)) {
    for (const param of fn.params) {
      if (param.type !== 'Identifier') continue;
      const tsParam = s?.tsNodeFor(param);
      if (s && tsParam) {
        const type = s.checker.getTypeAtLocation(tsParam);
        if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) {
          if (workerHandlerContext(ctx, fn, param)) return param.name;
          continue;
        }
        if (hasMethod(s.checker, type, 'waitUntil')) return param.name;
        const executionCtx = type.getProperty('executionCtx');
        if (executionCtx && hasMethod(s.checker, s.checker.getTypeOfSymbolAtLocation(executionCtx, tsParam), 'waitUntil')) return `${param.name}.executionCtx`;
        continue;
      }
      if (workerHandlerContext(ctx, fn, param)) return param.name;
    }
  }
  // A Durable Object's method: `this.ctx` (or `this.state`), its DurableObjectState, has `waitUntil`.
  let method = enclosingFunction(statement);
  while (method?.type === 'ArrowFunctionExpression') method = enclosingFunction(method);
  const holder = method?.parent;
  const cls = holder?.type === 'MethodDefinition' && !holder.static && holder.value === method ? enclosingClass(holder) : undefined;
  const tsClass = cls && s?.tsNodeFor(cls);
  if (s && tsClass) {
    const instance = s.checker.getTypeAtLocation(tsClass);
    for (const name of ['ctx', 'state']) {
      const member = instance.getProperty(name);
      if (member && hasMethod(s.checker, s.checker.getTypeOfSymbolAtLocation(member, tsClass), 'waitUntil')) return `this.${name}`;
    }
  }
  return undefined;
}

function hasMethod(checker: ts.TypeChecker, type: ts.Type, name: string): boolean {
  const member = type.getNonNullableType().getProperty(name);
  const declaration = member?.valueDeclaration ?? member?.declarations?.[0];
  return !!member && !!declaration && checker.getTypeOfSymbolAtLocation(member, declaration).getCallSignatures().length > 0;
}

/** `ctx` of `export default { async fetch(request, env, ctx) { ... } }`: a Worker's handler, by its shape. */
function workerHandlerContext(ctx: TsRuleContext, fn: TSESTree.FunctionLike, param: TSESTree.Identifier): boolean {
  if (fn.params.length < 3 || fn.params[2] !== param) return false;
  const holder = fn.parent;
  if (holder?.type !== 'Property' || holder.value !== fn || !WORKER_HANDLERS.test(keyName(holder) ?? '')) return false;
  let object: Node | undefined = holder.parent;
  while (object?.parent && (object.parent.type === 'TSSatisfiesExpression' || object.parent.type === 'TSAsExpression')) object = object.parent;
  return object?.parent?.type === 'ExportDefaultDeclaration' && ctx.ast.body.includes(object.parent);
}

function keyName(p: TSESTree.Property): string | undefined {
  if (p.computed) return undefined;
  return p.key.type === 'Identifier' ? p.key.name : p.key.type === 'Literal' ? String(p.key.value) : undefined;
}

/**
 * `expect(() => { cache.get({}) }).toThrow()`, `assert.throws(() => parse(input))`: a test that the
 * call throws before it makes any promise (an argument checked up front). The statement is the
 * function's whole body, and the assertion fails unless it throws; `.not.toThrow()` and
 * `.rejects` still leave a promise behind.
 */
function expectedToThrow(statement: TSESTree.ExpressionStatement): boolean {
  const body = statement.parent;
  const fn = body?.type === 'BlockStatement' && body.body.length === 1 ? body.parent : undefined;
  if (!fn || (fn.type !== 'ArrowFunctionExpression' && fn.type !== 'FunctionExpression') || fn.async || fn.body !== body) return false;
  const call = fn.parent;
  if (call?.type !== 'CallExpression' || call.arguments[0] !== fn) return false;
  const callee = unwrap(call.callee);
  const name = callee.type === 'Identifier' ? callee.name : callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier' ? callee.property.name : undefined;
  if (name === 'throws' && callee.type === 'MemberExpression' && unwrap(callee.object).type === 'Identifier' && /^assert$/.test((unwrap(callee.object) as TSESTree.Identifier).name)) return true;
  if (name !== 'expect') return false;
  // The chain after `expect(fn)`: `.toThrow()`, `.toThrowError(...)`, chai's `.to.throw()`.
  const members: string[] = [];
  let n: Node = call;
  while (n.parent?.type === 'MemberExpression' && n.parent.object === n && !n.parent.computed && n.parent.property.type === 'Identifier') {
    members.push(n.parent.property.name);
    n = n.parent;
  }
  if (members.includes('not') || members.includes('rejects')) return false;
  const last = members[members.length - 1];
  return !!last && /^(toThrow|toThrowError|throw|throws)$/.test(last) && n.parent?.type === 'CallExpression' && n.parent.callee === n;
}

function leftRunningOnPurpose(statement: TSESTree.ExpressionStatement): boolean {
  const parent = statement.parent;
  const siblings = parent?.type === 'BlockStatement' || parent?.type === 'Program' ? parent.body : parent?.type === 'SwitchCase' ? parent.consequent : undefined;
  const later = siblings ? siblings.slice(siblings.indexOf(statement) + 1) : [];
  // `writer.write(chunk); return new Response(readable)`: a stream's writes (its `pipeTo`, its
  // `closed`, a pump) settle only once the response is read, after it is returned.
  if (later.some((s) => s.type === 'ReturnStatement' && s.argument && streamResponse(s.argument))) return true;
  const next = later[0];
  if (!next) return false;
  if (startsTimer(next)) return true;
  return next.type === 'ReturnStatement' && !!next.argument && parent?.type === 'BlockStatement' && parent.parent?.type === 'IfStatement';
}

/** `new Response(readable)`, `new NextResponse(stream, init)`: a response whose body is a stream being written. */
function streamResponse(value: Node): boolean {
  const e = unwrap(value);
  if (e.type !== 'NewExpression' || e.callee.type !== 'Identifier' || !/Response$/.test(e.callee.name)) return false;
  const body = e.arguments[0] && unwrap(e.arguments[0]);
  const name = body?.type === 'Identifier' ? body.name : body?.type === 'MemberExpression' && body.property.type === 'Identifier' ? body.property.name : '';
  return /readable|stream/i.test(name);
}

/**
 * A call whose promise settles only when the work is stopped: a function of the file whose body
 * loops until then (`for (;;)`, `while (true)`, `while (!this.stopped)`), or a BullMQ worker's
 * `run()`. Awaiting it never goes on (a lifecycle hook that awaits it hangs the start-up).
 */
function runsUntilStopped(floating: Node, s: TypeServices | undefined): boolean {
  const call = unwrap(floating);
  if (call.type !== 'CallExpression' || !s) return false;
  const tsCall = s.tsNodeFor(call);
  if (!tsCall || !ts.isCallExpression(tsCall)) return false;
  const declaration = s.checker.getResolvedSignature(tsCall)?.getDeclaration();
  if (!declaration) return false;
  const owner = declaration.parent;
  if (ts.isMethodDeclaration(declaration) && declaration.name.getText() === 'run' && owner && ts.isClassDeclaration(owner) && owner.name?.text === 'Worker' && /[\\/]bullmq[\\/]/.test(declaration.getSourceFile().fileName)) return true;
  const body = (ts.isFunctionDeclaration(declaration) || ts.isMethodDeclaration(declaration) || ts.isFunctionExpression(declaration) || ts.isArrowFunction(declaration)) ? declaration.body : undefined;
  if (!body || !ts.isBlock(body)) return false;
  const endless = (statement: ts.Statement): boolean => {
    if (ts.isForStatement(statement)) return !statement.condition || statement.condition.kind === ts.SyntaxKind.TrueKeyword;
    if (ts.isWhileStatement(statement)) {
      let c: ts.Expression = statement.expression;
      if (ts.isPrefixUnaryExpression(c) && c.operator === ts.SyntaxKind.ExclamationToken) c = c.operand;
      return c.kind === ts.SyntaxKind.TrueKeyword || (ts.isPropertyAccessExpression(c) && c.expression.kind === ts.SyntaxKind.ThisKeyword);
    }
    if (ts.isTryStatement(statement)) return statement.tryBlock.statements.some(endless);
    return false;
  };
  return body.statements.some(endless);
}

/**
 * `Deno.cron(name, schedule, handler)` on the global `Deno`: its promise settles only when the job
 * is stopped (awaiting it never goes on), and Deno logs what the handler throws; Deno's docs
 * register jobs without `await`.
 */
function denoCronRegistration(ctx: TsRuleContext, floating: Node): boolean {
  const call = unwrap(floating);
  return call.type === 'CallExpression' && denoMember(ctx, call.callee) === 'cron';
}

/** `setTimeout(...)`, `const t = setTimeout(...).unref()`, `timer = setInterval(...)`. */
function startsTimer(statement: Node): boolean {
  let e: Node | null | undefined =
    statement.type === 'ExpressionStatement' ? statement.expression : statement.type === 'VariableDeclaration' && statement.declarations.length === 1 ? statement.declarations[0].init : undefined;
  if (e?.type === 'AssignmentExpression') e = e.right;
  while (e) {
    e = unwrap(e);
    if (e.type !== 'CallExpression') return false;
    const callee = unwrap(e.callee);
    if (callee.type === 'Identifier') return ['setTimeout', 'setInterval'].includes(callee.name);
    if (callee.type !== 'MemberExpression' || callee.property.type !== 'Identifier') return false;
    if (['setTimeout', 'setInterval'].includes(callee.property.name)) return true;
    // `setTimeout(...).unref()`
    e = callee.object;
  }
  return false;
}

function needsParens(expr: Node): boolean {
  // `void [a(), b()] as const` would be `(void [a(), b()]) as const`, which does not compile.
  return ['SequenceExpression', 'ConditionalExpression', 'LogicalExpression', 'AssignmentExpression', 'ArrowFunctionExpression', 'BinaryExpression', 'TSAsExpression', 'TSSatisfiesExpression'].includes(expr.type);
}

/** The part of a statement's expression that leaves a promise unhandled, if any. */
function floatingPart(expr: Node, isPromise: (n: Node) => boolean, handles: (handler: Node) => boolean): Node | undefined {
  const e = unwrap(expr);
  switch (e.type) {
    case 'UnaryExpression':
    case 'AwaitExpression':
    case 'AssignmentExpression':
    case 'YieldExpression':
      return undefined;
    case 'SequenceExpression':
      for (const part of e.expressions) {
        const f = floatingPart(part, isPromise, handles);
        if (f) return f;
      }
      return undefined;
    case 'ConditionalExpression': {
      // A branch that only reads a value the code already holds is not dropped here, as the left
      // side of `&&` is not: `(_a = this.p) !== null && _a !== void 0 ? _a : (this.p = load())`,
      // the down-levelled `this.p ??= load()` of TypeScript and Babel output, keeps the promise.
      const branch = (b: Node): Node | undefined => {
        const read = unwrap(b);
        return read.type === 'Identifier' || read.type === 'MemberExpression' ? undefined : floatingPart(b, isPromise, handles);
      };
      return branch(e.consequent) ?? branch(e.alternate);
    }
    case 'LogicalExpression': {
      // The left side floats only if the statement makes it (`save() && log()`): an existing value
      // tested for truth (`flushes && subscribe()`) is not dropped here.
      const left = unwrap(e.left);
      const made = left.type === 'CallExpression' || left.type === 'NewExpression' || left.type === 'AwaitExpression';
      return floatingPart(e.right, isPromise, handles) ?? (made && isPromise(e.left) ? e.left : undefined);
    }
    case 'ArrayExpression':
      return e.elements.find((el): el is TSESTree.Expression => !!el && el.type !== 'SpreadElement' && isPromise(el));
    case 'CallExpression': {
      const callee = unwrap(e.callee);
      if (callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier') {
        const method = callee.property.name;
        // A rejection handler makes the chain handled (as long as the object is a promise);
        // `undefined` or `null` in its place handles nothing.
        if (method === 'catch' && e.arguments.length >= 1 && handles(e.arguments[0]) && isPromise(callee.object)) return undefined;
        if (method === 'then' && e.arguments.length >= 2 && handles(e.arguments[1]) && isPromise(callee.object)) return undefined;
        // `finally` passes a rejection through: the chain floats if its object does.
        if (method === 'finally' && isPromise(callee.object)) return floatingPart(callee.object, isPromise, handles) ? e : undefined;
      }
      return isPromise(e) ? e : undefined;
    }
    case 'NewExpression':
    case 'MemberExpression':
    case 'Identifier':
    case 'TaggedTemplateExpression':
      return isPromise(e) ? e : undefined;
    default:
      return undefined;
  }
}

/**
 * `test(...)`, `describe(...)`, `it(...)` imported from `node:test`: the runner tracks them
 * itself, so their promise is deliberately not awaited. (Subtests through the context,
 * `t.test(...)`, must be awaited and are still reported.)
 */
function isRunnerTrackedTest(ctx: TsRuleContext, floating: Node): boolean {
  if (floating.type !== 'CallExpression') return false;
  const member = ctx.imports.resolve(floating.callee);
  if (!member || member.module !== 'test') return false;
  const name = member.path[member.path.length - 1];
  return member.path.length === 0 || ['test', 'it', 'describe', 'suite', 'only', 'skip', 'todo'].includes(name ?? '');
}

/** `p.catch(handler)` or `p.then(onFulfilled, onRejected)` with a handler given. */
function ownRejectionHandler(expr: Node): boolean {
  if (expr.type !== 'CallExpression') return false;
  const callee = unwrap(expr.callee);
  if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier') return false;
  const handler = callee.property.name === 'catch' ? expr.arguments[0] : callee.property.name === 'then' ? expr.arguments[1] : undefined;
  return !!handler && handler.type !== 'SpreadElement' && !(handler.type === 'Identifier' && handler.name === 'undefined') && handler.type !== 'Literal';
}
