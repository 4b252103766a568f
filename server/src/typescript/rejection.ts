/**
 * Promises that cannot reject. An async function whose every `await` sits in a `try` whose
 * `catch` neither throws nor awaits unguarded — `(async () => { try { ... } catch (e) { log(e) } })()`,
 * the usual fire-and-forget idiom — settles with a value whatever its awaits do: leaving its
 * promise unawaited loses no error. An await of a promise that cannot reject itself (a clean-up
 * `await writer.abort(e).catch(() => undefined)` in the catch) needs no guard. The same holds
 * for a function that returns such a call, a `new Promise((resolve) => ...)` or a chain ending
 * in a rejection handler. A body with nothing to await shows no handling and is not counted: it
 * is usually a stub meant to be awaited.
 *
 * Synchronous mistakes in plain calls (a property of undefined) are not counted as rejections:
 * they are programming errors a non-async version of the code would throw just the same.
 * Everything else errs on the side of "may reject".
 */
import * as ts from 'typescript';

/**
 * Answers by checker, then by function: a program change makes a new checker, and an answer can
 * depend on other files (the callees), whose SourceFiles the new program may not share.
 */
const answers = new WeakMap<ts.TypeChecker | object, WeakMap<ts.Node, boolean>>();
const NO_CHECKER = {};
const MAX_DEPTH = 3;

/** Whether a call's callee is a function of the program whose promise never rejects. */
export function callNeverRejects(checker: ts.TypeChecker, call: ts.CallExpression, depth = 0): boolean {
  if (depth > MAX_DEPTH) return false;
  if (isThunkPromise(checker, call) || isRepeaterPush(checker, call)) return true;
  const callee = skipParens(call.expression);
  // `Promise.allSettled([...])` resolves with every outcome: it never rejects.
  if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'allSettled' && ts.isIdentifier(callee.expression) && callee.expression.text === 'Promise') return true;
  if (ts.isFunctionExpression(callee) || ts.isArrowFunction(callee)) return functionNeverRejects(checker, callee, depth);
  let declaration: ts.Node | undefined;
  try {
    declaration = checker.getResolvedSignature(call)?.declaration;
  } catch {
    return false;
  }
  // `f.call(this, ...)` resolves to Function.prototype.call: judge `f` itself.
  if (declaration && !isFunctionWithBody(declaration) && ts.isPropertyAccessExpression(callee) && (callee.name.text === 'call' || callee.name.text === 'apply')) {
    declaration = functionOfSymbol(checker.getSymbolAtLocation(callee.expression));
  }
  // OpenTelemetry's `tracer.startActiveSpan(name, [options, [context,]] fn)` and
  // `context.with(ctx, fn)` call `fn` and return what it returns: judge `fn`.
  const runsCallback = declaration && otelCallbackRunner(declaration) ? otelCallback(call, declaration) : undefined;
  if (runsCallback) {
    const fn = skipParens(runsCallback);
    if (ts.isFunctionExpression(fn) || ts.isArrowFunction(fn)) return functionNeverRejects(checker, fn, depth + 1);
    const named = ts.isIdentifier(fn) || ts.isPropertyAccessExpression(fn) ? functionOfSymbol(checker.getSymbolAtLocation(fn)) : undefined;
    return !!named && isFunctionWithBody(named) && functionNeverRejects(checker, named, depth + 1);
  }
  if (declaration && dataLibraryCallSettles(call, declaration)) return true;
  // A service worker's `self.skipWaiting()`: its promise resolves once the worker is told to
  // activate, and never rejects (the spec has no step that rejects it).
  if (declaration && ts.isMethodSignature(declaration) && declaration.name.getText() === 'skipWaiting' && /[\\/]lib\.webworker\.d\.ts$/.test(declaration.getSourceFile().fileName)) return true;
  if (declaration && !isFunctionWithBody(declaration)) {
    // `fetchTodos()` typed by a member of the project's own interface (a Zustand store's
    // `fetchTodos: () => Promise<void>`): judged by the object literals of that file that implement it.
    const implementations = memberImplementations(checker, declaration);
    return !!implementations && implementations.every((fn) => functionNeverRejects(checker, fn, depth + 1));
  }
  return !!declaration && isFunctionWithBody(declaration) && functionNeverRejects(checker, declaration, depth);
}

const implementationsOf = new WeakMap<ts.TypeChecker, WeakMap<ts.Node, ts.Node[] | null>>();

/**
 * The functions that implement a member of an interface or type literal declared in a source file
 * of the project (`interface TodoState { fetchTodos: () => Promise<void> }`): the object literals of
 * that same file whose contextual type carries that member (a Zustand store's `create<TodoState>()((set)
 * => ({ fetchTodos: async () => { ... } }))`, a context value), each giving it a function written in
 * place. Undefined when there is none, or when one gives it anything else.
 */
function memberImplementations(checker: ts.TypeChecker, declaration: ts.Node): ts.Node[] | undefined {
  const member = ts.isFunctionTypeNode(declaration) && ts.isPropertySignature(declaration.parent) ? declaration.parent : ts.isMethodSignature(declaration) ? declaration : undefined;
  if (!member || !ts.isIdentifier(member.name) || !(ts.isInterfaceDeclaration(member.parent) || ts.isTypeLiteralNode(member.parent))) return undefined;
  const file = member.getSourceFile();
  if (file.isDeclarationFile || /[\\/]node_modules[\\/]/.test(file.fileName)) return undefined;
  let cache = implementationsOf.get(checker);
  if (!cache) implementationsOf.set(checker, (cache = new WeakMap()));
  const known = cache.get(member);
  if (known !== undefined) return known ?? undefined;
  cache.set(member, null);
  const name = member.name.text;
  const symbol = checker.getSymbolAtLocation(member.name);
  const found: ts.Node[] = [];
  let other = false;
  const walk = (n: ts.Node): void => {
    if (other) return;
    if (ts.isObjectLiteralExpression(n)) {
      for (const p of n.properties) {
        if (!p.name || !ts.isIdentifier(p.name) || p.name.text !== name) continue;
        let contextual: ts.Type | undefined;
        try {
          contextual = checker.getContextualType(n);
        } catch {
          contextual = undefined;
        }
        const parts = contextual ? (contextual.isUnion() ? contextual.types : [contextual]) : [];
        if (!symbol || !parts.some((t) => t.getProperty(name) === symbol)) continue;
        const fn = ts.isMethodDeclaration(p) ? p : ts.isPropertyAssignment(p) ? skipParens(p.initializer) : undefined;
        if (fn && (ts.isMethodDeclaration(fn) || ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) found.push(fn);
        else other = true;
      }
    }
    ts.forEachChild(n, walk);
  };
  walk(file);
  const result = !other && found.length > 0 ? found : null;
  cache.set(member, result);
  return result ?? undefined;
}

/**
 * Calls of the data-fetching libraries of React apps whose promise never rejects, as their
 * sources write them. TanStack Query's `QueryClient`: `cancelQueries`, `prefetchQuery` and
 * `prefetchInfiniteQuery` end in `.catch(noop)`, and `invalidateQueries`, `refetchQueries`,
 * `resetQueries` and an observer's (or `useQuery` result's) `refetch()`, `fetchNextPage()` and
 * `fetchPreviousPage()` catch every failing refetch
 * unless their options say `throwOnError: true` (options written in place without it). SWR's
 * `mutate()` of `useSWR` without arguments, or the global `mutate(key)` without data, only
 * revalidates, and revalidation keeps a failure in the hook's `error`. Giving them a promise's
 * place, a listener's `() => queryClient.invalidateQueries(...)`, loses no error.
 */
function dataLibraryCallSettles(call: ts.CallExpression, declaration: ts.Node): boolean {
  let named: ts.Node = declaration;
  // `refetch: (options?) => Promise<...>`, `type KeyedMutator<Data> = (...) => Promise<...>`: the name is the holder's.
  if (ts.isFunctionTypeNode(named) || ts.isCallSignatureDeclaration(named)) named = named.parent;
  const nameNode = (named as ts.NamedDeclaration).name;
  const name = nameNode && ts.isIdentifier(nameNode) ? nameNode.text : undefined;
  if (!name) return false;
  const args = call.arguments;
  if (name === 'KeyedMutator' || name === 'ScopedMutator') {
    return args.length <= (name === 'KeyedMutator' ? 0 : 1) && !args.some(ts.isSpreadElement) && declaredInPackage(declaration, /^swr$/);
  }
  const always = name === 'cancelQueries' || name === 'prefetchQuery' || name === 'prefetchInfiniteQuery';
  const optionsAt = name === 'refetch' || name === 'fetchNextPage' || name === 'fetchPreviousPage' ? 0 : name === 'invalidateQueries' || name === 'refetchQueries' || name === 'resetQueries' ? 1 : -1;
  if (!always && optionsAt < 0) return false;
  if (!declaredInPackage(declaration, /^@tanstack\/query-core$/)) return false;
  if (always) return true;
  if (args.some(ts.isSpreadElement)) return false;
  const options = args[optionsAt] && skipParens(args[optionsAt]);
  if (!options) return true;
  if (!ts.isObjectLiteralExpression(options)) return false;
  return options.properties.every((p) => {
    if (ts.isSpreadAssignment(p)) return false;
    const key = p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : undefined;
    if (key !== 'throwOnError') return !!key;
    return ts.isPropertyAssignment(p) && skipParens(p.initializer).kind === ts.SyntaxKind.FalseKeyword;
  });
}

/** `startActiveSpan` of a Tracer, or `with` of the context API, as @opentelemetry/api declares them. */
function otelCallbackRunner(declaration: ts.Node): boolean {
  const name = (declaration as ts.NamedDeclaration).name;
  if (!name || !ts.isIdentifier(name) || (name.text !== 'startActiveSpan' && name.text !== 'with')) return false;
  return declaredInPackage(declaration, /^@opentelemetry\/api$/);
}

/** The function a runner calls: `startActiveSpan`'s last argument, `with`'s second. */
function otelCallback(call: ts.CallExpression, declaration: ts.Node): ts.Expression | undefined {
  const name = ((declaration as ts.NamedDeclaration).name as ts.Identifier).text;
  return name === 'with' ? call.arguments[1] : call.arguments[call.arguments.length - 1];
}

/**
 * Redux Toolkit's `dispatch(fetchUsers())`: the promise of an async thunk action (it carries
 * `abort`, `requestId`, `arg` and `unwrap`) resolves with the `rejected` action when the thunk
 * fails; only `unwrap()` gives a promise that rejects.
 */
function isThunkPromise(checker: ts.TypeChecker, call: ts.CallExpression): boolean {
  let type: ts.Type;
  try {
    type = checker.getTypeAtLocation(call);
  } catch {
    return false;
  }
  return ['unwrap', 'abort', 'requestId', 'arg'].every((name) => !!type.getProperty(name)) && !!type.getProperty('then');
}

/**
 * The `push` a Repeater hands its executor (`new Repeater(async (push, stop) => ...)`, from
 * `@repeaterjs/repeater`, also re-exported by graphql-yoga): its promise resolves once the value
 * is consumed and never rejects (a failing value is passed to the consumer instead), so pushing
 * without waiting — from a timer, a listener — is the documented use.
 */
export function isRepeaterPush(checker: ts.TypeChecker, call: ts.CallExpression): boolean {
  let alias: ts.Symbol | undefined;
  try {
    alias = checker.getTypeAtLocation(call.expression).aliasSymbol;
  } catch {
    return false;
  }
  return alias?.getName() === 'Push' && (alias.declarations ?? []).some((d) => declaredInPackage(d, /^@repeaterjs\/repeater$/));
}

/**
 * The AI SDK's `consumeStream()` (the method of a `streamText`/`streamObject` result, or the
 * function `ai` exports): it reads the stream to its end, so that `onFinish` still runs once the
 * client has gone, and hands a stream error to its `onError` instead of rejecting; the SDK's docs
 * (and its chatbot template) call it without `await`, next to the response that streams the result.
 */
export function isAiSdkConsumeStream(checker: ts.TypeChecker, call: ts.CallExpression): boolean {
  const callee = skipParens(call.expression);
  const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
  if (name !== 'consumeStream') return false;
  let declaration: ts.Node | undefined;
  try {
    declaration = checker.getResolvedSignature(call)?.declaration;
  } catch {
    return false;
  }
  return !!declaration && declaredInPackage(declaration, /^ai$/);
}

/**
 * Whether a declaration belongs to the typings of a package: a file under `node_modules/<name>/`,
 * or a `declare module '<name>' { ... }` block.
 */
export function declaredInPackage(declaration: ts.Node, name: RegExp): boolean {
  const file = declaration.getSourceFile().fileName.replace(/\\/g, '/');
  const i = file.lastIndexOf('/node_modules/');
  if (i >= 0) {
    const parts = file.slice(i + '/node_modules/'.length).split('/');
    if (name.test(parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0])) return true;
  }
  for (let n: ts.Node | undefined = declaration.parent; n; n = n.parent) {
    if (ts.isModuleDeclaration(n) && ts.isStringLiteral(n.name)) return name.test(n.name.text);
  }
  return false;
}

/**
 * The function a symbol names: its declaration, or the initializer of `const f = () => ...`, also
 * through React's `useCallback(fn, deps)`, which gives back `fn` itself (`const save =
 * useCallback(async () => { ... }, [id])`).
 */
export function functionOfSymbol(symbol: ts.Symbol | undefined): ts.Node | undefined {
  const declaration = symbol?.valueDeclaration;
  // `private poll = async () => { ... }`: a class field holding a function.
  if (declaration && ts.isPropertyDeclaration(declaration) && declaration.initializer) {
    const init = skipParens(declaration.initializer);
    return ts.isArrowFunction(init) || ts.isFunctionExpression(init) ? init : declaration;
  }
  if (!declaration || !ts.isVariableDeclaration(declaration)) return declaration;
  const init = declaration.initializer && skipParens(declaration.initializer);
  if (init && ts.isCallExpression(init) && isUseCallback(init.expression) && init.arguments.length >= 1) {
    const fn = skipParens(init.arguments[0]);
    if (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) return fn;
  }
  return init;
}

/**
 * The functions a name destructured from a call of a function of the program stands for: what
 * every `return { ... }` of that function gives under the name (a custom hook's `const { run } =
 * useAsyncCallback(save)` with `return { run, pending }` and `const run = useCallback(async () =>
 * ..., [fn])`). Undefined when a return gives anything else, or the function is not in sight.
 */
export function functionsOfBinding(checker: ts.TypeChecker, symbol: ts.Symbol | undefined): ts.Node[] | undefined {
  const d = symbol?.valueDeclaration;
  if (!d || !ts.isBindingElement(d) || d.dotDotDotToken || !ts.isObjectBindingPattern(d.parent) || !ts.isVariableDeclaration(d.parent.parent)) return undefined;
  const init = d.parent.parent.initializer && skipParens(d.parent.parent.initializer);
  const key = d.propertyName ? (ts.isIdentifier(d.propertyName) ? d.propertyName.text : undefined) : ts.isIdentifier(d.name) ? d.name.text : undefined;
  if (!init || !ts.isCallExpression(init) || !key) return undefined;
  let factory: ts.Node | undefined;
  try {
    factory = checker.getResolvedSignature(init)?.declaration;
  } catch {
    return undefined;
  }
  if (!factory || !isFunctionWithBody(factory) || factory.getSourceFile().isDeclarationFile) return undefined;
  const returned: ts.Expression[] = [];
  if (ts.isBlock(factory.body)) {
    const walk = (n: ts.Node): void => {
      if (ts.isFunctionLike(n) || ts.isClassLike(n)) return;
      if (ts.isReturnStatement(n) && n.expression) returned.push(skipParens(n.expression));
      ts.forEachChild(n, walk);
    };
    factory.body.statements.forEach(walk);
  } else returned.push(skipParens(factory.body as ts.Expression));
  const out: ts.Node[] = [];
  for (const r of returned) {
    if (!ts.isObjectLiteralExpression(r)) return undefined;
    const p = r.properties.find((q) => q.name && ts.isIdentifier(q.name) && q.name.text === key);
    let fn: ts.Node | undefined;
    if (p && ts.isShorthandPropertyAssignment(p)) fn = functionOfSymbol(checker.getShorthandAssignmentValueSymbol(p));
    else if (p && ts.isPropertyAssignment(p)) {
      const v = skipParens(p.initializer);
      fn = ts.isArrowFunction(v) || ts.isFunctionExpression(v) ? v : ts.isIdentifier(v) ? functionOfSymbol(checker.getSymbolAtLocation(v)) : undefined;
    } else if (p && ts.isMethodDeclaration(p)) fn = p;
    if (!fn || !isFunctionWithBody(fn)) return undefined;
    out.push(fn);
  }
  return out.length > 0 ? out : undefined;
}

/** `useCallback` or `React.useCallback`. */
function isUseCallback(callee: ts.Expression): boolean {
  const c = skipParens(callee);
  return (ts.isIdentifier(c) && c.text === 'useCallback') || (ts.isPropertyAccessExpression(c) && c.name.text === 'useCallback' && ts.isIdentifier(c.expression) && c.expression.text === 'React');
}

/** The symbol a name stands for, through an import (`import { handler } from './routes'`). */
export function resolveAlias(checker: ts.TypeChecker, symbol: ts.Symbol | undefined): ts.Symbol | undefined {
  return symbol && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
}

/**
 * The functions a factory of the program returns (`function rateLimit(max) { return async (req,
 * res, next) => ... }`), when every return of its own body gives a function written there;
 * undefined otherwise (a factory that returns a variable or another call is not followed).
 */
export function returnedFunctions(factory: ts.Node): ts.Node[] | undefined {
  if (!isFunctionWithBody(factory) || factory.asteriskToken || hasAsyncModifier(factory)) return undefined;
  const isFn = (e: ts.Expression): boolean => ts.isArrowFunction(e) || ts.isFunctionExpression(e);
  if (!ts.isBlock(factory.body)) {
    const e = skipParens(factory.body as ts.Expression);
    return isFn(e) ? [e] : undefined;
  }
  const out: ts.Node[] = [];
  let other = false;
  const walk = (n: ts.Node): void => {
    if (other || ts.isFunctionLike(n) || ts.isClassLike(n)) return;
    if (ts.isReturnStatement(n)) {
      const e = n.expression && skipParens(n.expression);
      if (e && isFn(e)) out.push(e);
      else other = true;
      return;
    }
    ts.forEachChild(n, walk);
  };
  factory.body.statements.forEach(walk);
  return !other && out.length > 0 ? out : undefined;
}

/** Whether a declaration carries the `async` modifier. */
export function hasAsyncModifier(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && !!ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
}

function isFunctionWithBody(node: ts.Node): node is ts.FunctionLikeDeclaration & { body: ts.Node } {
  return (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node)) && !!node.body;
}

/**
 * Whether the function (with a body in the program) gives a promise that never rejects.
 * `requireHandling` false: a callback of a promise chain, judged as it stands (no try/catch
 * needed); `throwRejects`: a `.catch()`/`.then()` handler, whose `throw` rejects the chain even
 * when the handler itself is not async.
 */
export function functionNeverRejects(checker: ts.TypeChecker | undefined, fn: ts.Node, depth = 0, requireHandling = true, throwRejects = false): boolean {
  // A generator is judged only as the body of a down-levelled async function (asyncBodyNeverRejects).
  if (!isFunctionWithBody(fn) || fn.asteriskToken) return false;
  return judgeFunction(checker, fn, depth, requireHandling, throwRejects, false);
}

/**
 * The generator that Babel's helper runs as an async function, each `yield` standing for an
 * `await`: `_asyncToGenerator(function* () {...})`, the helper written into the file it compiled.
 * Undefined for any other call.
 */
export function asyncGeneratorBody(call: ts.Node): ts.FunctionExpression | undefined {
  if (!ts.isCallExpression(call)) return undefined;
  const callee = skipParens(call.expression);
  if (!ts.isIdentifier(callee) || !/^_asyncToGenerator\d*$/.test(callee.text)) return undefined;
  const fn = call.arguments[0] && skipParens(call.arguments[0]);
  return fn && ts.isFunctionExpression(fn) && fn.asteriskToken ? fn : undefined;
}

/** Whether the generator of a down-levelled async function (see asyncGeneratorBody) gives a promise that never rejects. */
export function asyncBodyNeverRejects(checker: ts.TypeChecker | undefined, generator: ts.FunctionExpression): boolean {
  return judgeFunction(checker, generator, 0, true, false, true);
}

function judgeFunction(checker: ts.TypeChecker | undefined, fn: ts.FunctionLikeDeclaration & { body: ts.Node }, depth: number, requireHandling: boolean, throwRejects: boolean, yieldAwaits: boolean): boolean {
  let cache = answers.get(checker ?? NO_CHECKER);
  if (!cache) answers.set(checker ?? NO_CHECKER, (cache = new WeakMap()));
  const known = cache.get(fn);
  if (requireHandling && known !== undefined) return known;
  // Provisional answer while the body is judged: recursion through itself proves nothing.
  if (requireHandling) cache.set(fn, false);
  const isAsync = hasAsyncModifier(fn) || throwRejects || yieldAwaits;
  const judge = new Judge(checker, depth, isAsync, !requireHandling, yieldAwaits);
  let result: boolean;
  if (!ts.isBlock(fn.body)) result = isAsync ? judge.safeExpression(fn.body, false) && judge.returnedValueSettles(fn.body) : judge.returnedValueSettles(fn.body);
  else result = judge.safeBlock(fn.body.statements, false);
  // Only a body that handles its errors on purpose (a try/catch, or a hand-off to such a
  // function) counts: an async function that merely has nothing to await yet (a stub, a
  // placeholder, `async () => undefined`) is still a promise its callers are meant to await.
  if (!requireHandling) return result;
  // `async () => { await runSafely(); }`: a body made only of awaits of calls that cannot reject
  // hands off to them, as `() => runSafely()` does (nothing runs after them that could throw).
  if (result && !judge.handles && (hasAsyncModifier(fn) || yieldAwaits) && onlyAwaitsOf(fn.body, (e) => judge.awaitedNeverRejects(e), yieldAwaits)) judge.handles = true;
  result &&= judge.handles;
  cache.set(fn, result);
  return result;
}

class Judge {
  /** Whether the body guards an await with a catch, or forwards to a function that never rejects. */
  handles = false;

  constructor(
    private readonly checker: ts.TypeChecker | undefined,
    private readonly depth: number,
    private readonly isAsync: boolean,
    /** A plain `.then()` callback: a call result typed `any` (untyped code) is taken as a plain value. */
    private readonly lenient = false,
    /** The generator of a down-levelled async function: each `yield` is an `await`. */
    private readonly yieldAwaits = false,
  ) {}

  /** `await x`, or `yield x` in the generator of a down-levelled async function: the awaited expression. */
  private awaited(n: ts.Node): ts.Expression | undefined {
    if (ts.isAwaitExpression(n)) return n.expression;
    if (this.yieldAwaits && ts.isYieldExpression(n) && !n.asteriskToken) return n.expression;
    return undefined;
  }

  safeBlock(statements: readonly ts.Statement[], guarded: boolean): boolean {
    return statements.every((s) => this.safeStatement(s, guarded));
  }

  /**
   * `guarded`: inside the block of a `try` whose `catch` swallows: awaits and throws there are
   * caught; only returned promises escape (they settle after the try is left).
   */
  safeStatement(s: ts.Statement, guarded: boolean): boolean {
    if (ts.isTryStatement(s)) {
      // `finally { process.exit() }`: the function ends the process instead of rejecting.
      if (s.finallyBlock && s.finallyBlock.statements.some(isProcessExit)) {
        this.handles = true;
        return true;
      }
      const handler = s.catchClause;
      if (handler && !this.safeBlock(handler.block.statements, guarded)) return false;
      if (handler) this.handles = true;
      if (s.finallyBlock && !this.safeBlock(s.finallyBlock.statements, guarded)) return false;
      return this.safeBlock(s.tryBlock.statements, guarded || !!handler);
    }
    if (ts.isBlock(s)) return this.safeBlock(s.statements, guarded);
    // In a plain function a throw is synchronous: the caller sees it, no promise carries it.
    if (ts.isThrowStatement(s)) return guarded || !this.isAsync;
    if (ts.isReturnStatement(s)) return !s.expression || ((guarded || this.safeExpression(s.expression, guarded)) && this.returnedValueSettles(s.expression));
    if (ts.isIfStatement(s)) return this.safeExpression(s.expression, guarded) && this.safeStatement(s.thenStatement, guarded) && (!s.elseStatement || this.safeStatement(s.elseStatement, guarded));
    if (ts.isForOfStatement(s) && s.awaitModifier && !guarded) return false;
    if (ts.isForStatement(s)) {
      return [s.initializer, s.condition, s.incrementor].every((e) => !e || this.safeExpression(e, guarded)) && this.safeStatement(s.statement, guarded);
    }
    if (ts.isForOfStatement(s) || ts.isForInStatement(s)) return this.safeExpression(s.initializer, guarded) && this.safeExpression(s.expression, guarded) && this.safeStatement(s.statement, guarded);
    if (ts.isWhileStatement(s) || ts.isDoStatement(s)) return this.safeExpression(s.expression, guarded) && this.safeStatement(s.statement, guarded);
    if (ts.isLabeledStatement(s)) return this.safeStatement(s.statement, guarded);
    if (ts.isSwitchStatement(s)) return this.safeExpression(s.expression, guarded) && s.caseBlock.clauses.every((c) => (!ts.isCaseClause(c) || this.safeExpression(c.expression, guarded)) && this.safeBlock(c.statements, guarded));
    if (ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s) || ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s) || ts.isEmptyStatement(s)) return true;
    if (ts.isExpressionStatement(s) || ts.isVariableStatement(s) || ts.isBreakOrContinueStatement(s)) return this.safeExpression(s, guarded);
    return false;
  }

  /** No unguarded await (awaits in nested functions do not count). */
  safeExpression(node: ts.Node, guarded: boolean): boolean {
    if (guarded) return true;
    let safe = true;
    const walk = (n: ts.Node): void => {
      if (!safe) return;
      const awaited = this.awaited(n);
      if (awaited || ts.isAwaitExpression(n) || (this.yieldAwaits && ts.isYieldExpression(n))) {
        // `await x` where x cannot reject (a call of such a function, a chain ending in a
        // rejection handler that cannot reject) is as safe as any call.
        if (!awaited || !this.awaitedNeverRejects(awaited)) safe = false;
        else {
          // Not evidence of handling by itself: the code after it may throw (an assertion in a test),
          // nor is a clean-up that drops the error (`await writer.close().catch(() => undefined)`).
          // A handler written at the await that takes the error and does something with it is, as
          // a try/catch around it would be: `await unsubscribe().catch((err) => log(err))`.
          const e = skipParens(awaited);
          if (ts.isCallExpression(e) && isHandledChain(e) && handlerUsesError(e)) this.handles = true;
          ts.forEachChild(awaited, walk);
        }
        return;
      }
      if (ts.isFunctionLike(n) || ts.isClassLike(n)) return;
      ts.forEachChild(n, walk);
    };
    walk(node);
    return safe;
  }

  /**
   * An awaited promise that cannot reject: a call of a function that never rejects, a chain
   * ending in a rejection handler that cannot reject itself (`await writer.abort(err).catch(() => undefined)`,
   * the usual clean-up in a catch), or `p.catch(log).then(fn)` with a plain `fn`.
   */
  awaitedNeverRejects(expr: ts.Expression): boolean {
    const e = skipParens(expr);
    if (!ts.isCallExpression(e)) return false;
    if (isHandledChain(e)) return chainHandlersSettle(this.checker, e, this.depth + 1);
    return !!this.checker && (callNeverRejects(this.checker, e, this.depth + 1) || resolvedThenNeverRejects(this.checker, e));
  }

  /** A returned value the function's promise adopts without rejecting. */
  returnedValueSettles(expr: ts.Expression): boolean {
    const e = skipParens(expr);
    if (ts.isAwaitExpression(e) || (this.yieldAwaits && ts.isYieldExpression(e))) return this.isAsync;
    // `x.done ? resolve(x.value) : Promise.resolve(x.value).then(fulfilled, rejected)` (the step of
    // esbuild's `__async` helper): each branch settles.
    if (ts.isConditionalExpression(e)) return this.safeExpression(e.condition, false) && this.returnedValueSettles(e.whenTrue) && this.returnedValueSettles(e.whenFalse);
    if (ts.isLiteralExpression(e) || ts.isNoSubstitutionTemplateLiteral(e) || ts.isObjectLiteralExpression(e) || ts.isArrayLiteralExpression(e)) return true;
    if (e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword || e.kind === ts.SyntaxKind.NullKeyword || e.kind === ts.SyntaxKind.ThisKeyword) return true;
    if (ts.isIdentifier(e) && e.text === 'undefined') return true;
    if (ts.isVoidExpression(e) || ts.isTypeOfExpression(e) || ts.isPrefixUnaryExpression(e) || ts.isTemplateExpression(e)) return true;
    if (ts.isBinaryExpression(e) && e.operatorToken.kind !== ts.SyntaxKind.BarBarToken && e.operatorToken.kind !== ts.SyntaxKind.AmpersandAmpersandToken && e.operatorToken.kind !== ts.SyntaxKind.QuestionQuestionToken && e.operatorToken.kind !== ts.SyntaxKind.CommaToken && e.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return true;
    // `new Promise((resolve) => ...)`: an executor that never takes `reject` cannot reject it,
    // unless it throws (`catch (err) { if (retry) ... else throw err; }` rejects the promise).
    if (ts.isNewExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'Promise' && e.arguments?.length === 1) {
      const executor = skipParens(e.arguments[0]);
      if ((ts.isArrowFunction(executor) || ts.isFunctionExpression(executor)) && executor.parameters.length <= 1 && !throwsOwn(executor.body)) {
        this.handles = true;
        return true;
      }
      return false;
    }
    // A chain that ends in a rejection handler that cannot reject itself: `p.catch(log)`,
    // `p.then(onValue, onError)` (not `p.catch(() => retry())`, nor one that rethrows).
    if (ts.isCallExpression(e) && isHandledChain(e)) {
      if (!chainHandlersSettle(this.checker, e, this.depth + 1)) return false;
      this.handles = true;
      return true;
    }
    // `p.catch(() => {}).then(() => log('done'))`: a step after the handler, which rejects only by throwing.
    if (ts.isCallExpression(e) && this.checker) {
      const callee = skipParens(e.expression);
      const receiver = ts.isPropertyAccessExpression(callee) && callee.name.text === 'then' && e.arguments.length === 1 ? skipParens(callee.expression) : undefined;
      if (receiver && ts.isCallExpression(receiver) && isHandledChain(receiver) && resolvedThenNeverRejects(this.checker, e)) {
        this.handles = true;
        return true;
      }
    }
    // `Promise.resolve()`, or `Promise.resolve(value)` of a value that is no thenable (`cancel()`
    // returning `pending ? pending.catch(noop) : Promise.resolve()` when nothing is in flight):
    // already fulfilled. Not `Promise.resolve(load())`, which adopts the rejection of `load()`.
    if (ts.isCallExpression(e) && isPromiseResolve(e) && (e.arguments.length === 0 || (!!this.checker && !ts.isSpreadElement(e.arguments[0]) && !mayBeThenable(this.checker, e.arguments[0])))) return true;
    if (ts.isCallExpression(e) && this.checker) {
      if (!mayBeThenable(this.checker, e)) return true;
      // `return done(err)`: an untyped completion callback the function was given (Passport's
      // `done`, a Node-style `cb`) answers the caller and gives nothing to wait for.
      if (completionCallback(this.checker, e)) return true;
      if (this.lenient && this.checker.getTypeAtLocation(e).flags & ts.TypeFlags.Any) return true;
      if (!callNeverRejects(this.checker, e, this.depth + 1)) return false;
      this.handles = true;
      return true;
    }
    // A value the checker types as a non-thenable (a number, a plain object type).
    if (this.checker && (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e))) return !mayBeThenable(this.checker, e);
    return false;
  }
}

/**
 * In untyped code (the call typed `any`): a call of a parameter named `done`, `cb` or `callback`
 * (or `resolve`/`reject`, a promise's resolving functions handed to a helper), of
 * an Express handler's `next` (`(req, res, next)`: `return next(err)`), or of a method of its response
 * (`return res.status(404).json(...)`, also a `reply`), which answer the request and give nothing to wait for.
 */
function completionCallback(checker: ts.TypeChecker, call: ts.CallExpression): boolean {
  if (!(checker.getTypeAtLocation(call).flags & ts.TypeFlags.Any)) return false;
  const parameterOf = (e: ts.Expression): ts.ParameterDeclaration | undefined => {
    const declaration = ts.isIdentifier(e) ? checker.getSymbolAtLocation(e)?.valueDeclaration : undefined;
    return declaration && ts.isParameter(declaration) ? declaration : undefined;
  };
  const callee = skipParens(call.expression);
  if (ts.isIdentifier(callee)) {
    const param = parameterOf(callee);
    if (!param) return false;
    // `return resolve(result)` in a helper handed a promise's resolving functions
    // (`new Promise((resolve, reject) => poll(resolve, reject))`): they return undefined.
    if (/^(done|cb|callback|resolve|reject)$/.test(callee.text)) return true;
    return callee.text === 'next' && param.parent.parameters.indexOf(param) === 2;
  }
  // `res.status(400).json(body)`: down the chain of calls and members to the response.
  let root: ts.Expression = callee;
  while (ts.isPropertyAccessExpression(root) || ts.isCallExpression(root)) root = skipParens(ts.isCallExpression(root) ? root.expression : root.expression);
  return ts.isIdentifier(root) && /^(res|response|reply)$/.test(root.text) && !!parameterOf(root);
}

/** A function body that is one or more `await call()` statements (or `await call()` as an arrow's body), each one passing `safe`. */
function onlyAwaitsOf(body: ts.ConciseBody, safe: (awaited: ts.Expression) => boolean, yieldAwaits = false): boolean {
  const awaitsSafely = (e: ts.Expression, top = true): boolean => {
    const x = skipParens(e);
    // `healthy = await probe();`: storing the result in a name or a property of `this` throws nothing.
    if (top && ts.isBinaryExpression(x) && x.operatorToken.kind === ts.SyntaxKind.EqualsToken && isPlainTarget(x.left)) return awaitsSafely(x.right, false);
    if (yieldAwaits && ts.isYieldExpression(x)) return !x.asteriskToken && !!x.expression && safe(x.expression);
    return ts.isAwaitExpression(x) && safe(x.expression);
  };
  if (!ts.isBlock(body)) return awaitsSafely(body);
  // `await Promise.allSettled(closers); process.exit(0);`: ending the process after them throws nothing.
  const statements = body.statements.length > 1 && isProcessExit(body.statements[body.statements.length - 1]) ? body.statements.slice(0, -1) : body.statements;
  return statements.length > 0 && statements.every((st) => ts.isExpressionStatement(st) && awaitsSafely(st.expression));
}

/** `Promise.resolve(...)`. */
function isPromiseResolve(call: ts.CallExpression): boolean {
  const callee = skipParens(call.expression);
  return ts.isPropertyAccessExpression(callee) && callee.name.text === 'resolve' && ts.isIdentifier(callee.expression) && callee.expression.text === 'Promise';
}

/** A local or module name, or a property of `this`: an assignment target whose write cannot throw. */
function isPlainTarget(e: ts.Expression): boolean {
  return ts.isIdentifier(e) || (ts.isPropertyAccessExpression(e) && e.expression.kind === ts.SyntaxKind.ThisKeyword && ts.isIdentifier(e.name));
}

function isProcessExit(s: ts.Statement): boolean {
  if (!ts.isExpressionStatement(s) || !ts.isCallExpression(s.expression)) return false;
  const callee = s.expression.expression;
  return ts.isPropertyAccessExpression(callee) && callee.name.text === 'exit' && ts.isIdentifier(callee.expression) && callee.expression.text === 'process';
}

export function isHandledChain(call: ts.CallExpression): boolean {
  const callee = skipParens(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return false;
  return (callee.name.text === 'catch' && call.arguments.length === 1 && !isNoHandler(call.arguments[0])) || (callee.name.text === 'then' && call.arguments.length === 2 && !isNoHandler(call.arguments[1]));
}

/**
 * The rejection handler of a handled chain (`p.catch(h)`, `p.then(f, h)`) takes the error and uses
 * it (`(err) => log(err)`), or is a function named there (`.catch(report)`, `.catch(reject)`), which
 * is handed it: not a handler that only swallows (`() => undefined`, `(_e) => null`).
 */
function handlerUsesError(call: ts.CallExpression): boolean {
  const callee = skipParens(call.expression);
  const handler = ts.isPropertyAccessExpression(callee) && callee.name.text === 'then' ? call.arguments[1] : call.arguments[0];
  if (!handler) return false;
  const h = skipParens(handler);
  if (ts.isIdentifier(h) || ts.isPropertyAccessExpression(h)) return true;
  if (!ts.isArrowFunction(h) && !ts.isFunctionExpression(h)) return false;
  const param = h.parameters[0];
  if (!param || !ts.isIdentifier(param.name)) return false;
  const name = param.name.text;
  let used = false;
  const walk = (n: ts.Node): void => {
    if (used) return;
    if (ts.isIdentifier(n) && n.text === name && n !== param.name) used = true;
    else ts.forEachChild(n, walk);
  };
  walk(h.body);
  return used;
}

/** `undefined`, `null` or `void 0` given as a callback: no handler at all. */
export function isNoHandler(a: ts.Expression): boolean {
  const e = skipParens(a);
  return (ts.isIdentifier(e) && e.text === 'undefined') || e.kind === ts.SyntaxKind.NullKeyword || ts.isVoidExpression(e);
}

/**
 * The callbacks of a handled chain (`p.catch(h)`, `p.then(f, h)`) cannot reject it themselves: a
 * `throw`, or a returned promise that may reject (`.catch(() => retry())`), rejects the chain
 * as surely as the promise it handles.
 */
export function chainHandlersSettle(checker: ts.TypeChecker | undefined, call: ts.CallExpression, depth: number): boolean {
  return call.arguments.every((a) => handlerSettles(checker, a, depth));
}

/**
 * A callback of a promise chain that settles without rejecting: an inline function judged with
 * `throw` as a rejection (a call result typed `any` taken as a plain value), a function of the
 * program judged the same way, or another function whose signatures return no thenable (`log`,
 * `console.error`, a `done` callback: a plain call, whose synchronous mistakes are not counted).
 */
function handlerSettles(checker: ts.TypeChecker | undefined, handler: ts.Expression, depth: number): boolean {
  let h = skipParens(handler);
  if (depth > MAX_DEPTH) return false;
  // `this.onError.bind(this)`: the function itself.
  if (ts.isCallExpression(h) && ts.isPropertyAccessExpression(h.expression) && h.expression.name.text === 'bind') h = skipParens(h.expression.expression);
  if (ts.isArrowFunction(h) || ts.isFunctionExpression(h)) return functionNeverRejects(checker, h, depth, false, true);
  if (!checker) return ts.isIdentifier(h) || ts.isPropertyAccessExpression(h);
  const declaration = ts.isIdentifier(h) || ts.isPropertyAccessExpression(h) ? functionOfSymbol(checker.getSymbolAtLocation(h)) : undefined;
  if (declaration && isFunctionWithBody(declaration)) return functionNeverRejects(checker, declaration, depth, false, true);
  const type = checker.getTypeAtLocation(h);
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return true;
  // A function whose signatures say nothing (`Function`, a type parameter) is not judged, and a
  // result typed `any` is taken as a plain value.
  return type
    .getNonNullableType()
    .getCallSignatures()
    .every((sig) => {
      const returned = sig.getReturnType();
      return !!(returned.flags & ts.TypeFlags.Any) || !mayBeThenableType(returned);
    });
}

/** Whether the checker's type of an expression may be a thenable (any and unknown may). */
function mayBeThenable(checker: ts.TypeChecker, e: ts.Expression): boolean {
  return mayBeThenableType(checker.getTypeAtLocation(e));
}

function mayBeThenableType(type: ts.Type): boolean {
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.TypeParameter)) return true;
  return (type.isUnion() ? type.types : [type]).some((t) => !!t.getProperty('then') || !!(t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.TypeParameter)));
}

/**
 * `Promise.resolve().then(fn)` (microtask scheduling), or `p.catch(handler).then(fn)`: the chain
 * rejects only if `fn` does. The receiver must be a `Promise.resolve()` of nothing or of a
 * literal, or a chain whose rejection a handler has already taken. `settled` false: not a
 * `Promise.allSettled([...]).then(fn)`, which cannot reject but is work a caller could wait for.
 */
export function resolvedThenNeverRejects(checker: ts.TypeChecker, call: ts.CallExpression, settled = true): boolean {
  const receiver = thenReceiverCall(call);
  if (!receiver) return false;
  const head = skipParens(receiver.expression);
  if (!ts.isPropertyAccessExpression(head)) return false;
  // `p.catch(handler).then(fn)`, `p.then(a, onRejected).then(fn)`: the chain is handled before,
  // by callbacks that cannot reject it themselves.
  const handled = isHandledChain(receiver);
  if (handled && !chainHandlersSettle(checker, receiver, 1)) return false;
  if (!handled) {
    if (!ts.isIdentifier(head.expression) || head.expression.text !== 'Promise') return false;
    // `Promise.allSettled([...]).then(fn)`: allSettled never rejects.
    if (head.name.text === 'allSettled') {
      if (!settled || receiver.arguments.length !== 1) return false;
    } else {
      if (receiver.arguments.length > 1 || head.name.text !== 'resolve') return false;
      const value = receiver.arguments[0];
      if (value && !ts.isLiteralExpression(value) && value.kind !== ts.SyntaxKind.NullKeyword && value.kind !== ts.SyntaxKind.TrueKeyword && value.kind !== ts.SyntaxKind.FalseKeyword) return false;
    }
  }
  return plainCallbackNeverRejects(checker, call.arguments[0]);
}

/**
 * `uploadAll(files).then(cb)` (or `queue.idle().then(cb)`) with a function or method of the program
 * that cannot reject (it only forwards to `Promise.allSettled(...)`), and a plain callback: the chain cannot reject.
 */
export function thenOnCallNeverRejects(checker: ts.TypeChecker, call: ts.CallExpression): boolean {
  // `this.poll().then()`: a `then` without callbacks settles as its receiver does.
  const callee = skipParens(call.expression);
  if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'then' && call.arguments.length === 0) {
    const inner = skipParens(callee.expression);
    if (!ts.isCallExpression(inner)) return false;
    const head = skipParens(inner.expression);
    return (ts.isIdentifier(head) || ts.isPropertyAccessExpression(head)) && callNeverRejects(checker, inner);
  }
  const receiver = thenReceiverCall(call);
  if (!receiver) return false;
  const head = skipParens(receiver.expression);
  return (ts.isIdentifier(head) || ts.isPropertyAccessExpression(head)) && callNeverRejects(checker, receiver) && plainCallbackNeverRejects(checker, call.arguments[0]);
}

/**
 * `ready.then((controller) => { this.controller = controller; })` where `ready` is a constant made
 * by `new Promise((resolve) => ...)`: an executor that never takes `reject` gives a promise that
 * only fulfils, and a plain callback that cannot throw keeps the chain from rejecting.
 */
export function thenOnResolveOnlyPromise(checker: ts.TypeChecker, call: ts.CallExpression): boolean {
  const callee = skipParens(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'then' || call.arguments.length !== 1) return false;
  const receiver = skipParens(callee.expression);
  if (!ts.isIdentifier(receiver)) return false;
  const declaration = checker.getSymbolAtLocation(receiver)?.valueDeclaration;
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer || !(ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const)) return false;
  const made = skipParens(declaration.initializer);
  if (!ts.isNewExpression(made) || !ts.isIdentifier(made.expression) || made.expression.text !== 'Promise' || made.arguments?.length !== 1) return false;
  const executor = skipParens(made.arguments[0]);
  if (!(ts.isArrowFunction(executor) || ts.isFunctionExpression(executor)) || executor.parameters.length > 1) return false;
  // An executor that throws rejects the promise: only one that hands `resolve` on (an assignment
  // of the deferred pattern, a timer) is taken as unable to.
  const steps = ts.isBlock(executor.body) ? executor.body.statements.map((st) => (ts.isExpressionStatement(st) ? st.expression : st)) : [executor.body];
  if (!steps.every((st) => ts.isExpression(st) && handsOnResolve(skipParens(st)))) return false;
  return plainCallbackNeverRejects(checker, call.arguments[0]);
}

/** `settle = resolve`, `this.settle = resolve`, `setTimeout(resolve, ms)`: a step that cannot throw. */
function handsOnResolve(e: ts.Expression): boolean {
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken) return ts.isIdentifier(skipParens(e.right)) && (ts.isIdentifier(e.left) || (ts.isPropertyAccessExpression(e.left) && e.left.expression.kind === ts.SyntaxKind.ThisKeyword));
  return ts.isCallExpression(e) && ts.isIdentifier(e.expression) && /^(setTimeout|setImmediate|queueMicrotask)$/.test(e.expression.text);
}

/** The call a `.then(callback)` with one argument is chained on (`f(x)` of `f(x).then(cb)`), if it is one. */
function thenReceiverCall(call: ts.CallExpression): ts.CallExpression | undefined {
  const callee = skipParens(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'then' || call.arguments.length !== 1) return undefined;
  const receiver = skipParens(callee.expression);
  return ts.isCallExpression(receiver) ? receiver : undefined;
}

/**
 * A plain (not async) callback, written in place or a function of the program named
 * (`.then(flush)`): it rejects the chain only by throwing, as a queueMicrotask() callback would crash.
 */
function plainCallbackNeverRejects(checker: ts.TypeChecker, arg: ts.Expression): boolean {
  let fn: ts.Node | undefined = skipParens(arg);
  if (ts.isIdentifier(fn) && isExecutorSettler(checker, fn)) return true;
  if (ts.isIdentifier(fn)) fn = functionOfSymbol(checker.getSymbolAtLocation(fn));
  return !!fn && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn) || ts.isFunctionDeclaration(fn)) && !hasAsyncModifier(fn) && functionNeverRejects(checker, fn, 0, false);
}

/**
 * `resolve` or `reject` of a `new Promise((resolve, reject) => ...)` executor: calling either never
 * throws, so `p.catch(reject).then(resolve)` inside the executor cannot reject.
 */
function isExecutorSettler(checker: ts.TypeChecker, name: ts.Identifier): boolean {
  const declaration = checker.getSymbolAtLocation(name)?.valueDeclaration;
  if (!declaration || !ts.isParameter(declaration) || !ts.isIdentifier(declaration.name)) return false;
  const executor = declaration.parent;
  if (!(ts.isArrowFunction(executor) || ts.isFunctionExpression(executor)) || executor.parameters.indexOf(declaration) > 1) return false;
  if (executor.body && assignsName(executor.body, declaration.name.text)) return false;
  const made = executor.parent;
  return ts.isNewExpression(made) && made.arguments?.[0] === executor && ts.isIdentifier(made.expression) && made.expression.text === 'Promise';
}

/** Whether a name is assigned anywhere inside a node (a settler replaced by another function). */
function assignsName(node: ts.Node, name: string): boolean {
  let found = false;
  const walk = (n: ts.Node): void => {
    if (found) return;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(n.left) && n.left.text === name) found = true;
    else ts.forEachChild(n, walk);
  };
  walk(node);
  return found;
}

/** The expression inside parentheses, `as` and `!`. */
export function skipParens(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
  return e;
}

/** The nodes of a function body that `test` picks, those of functions nested in it left out. */
export function ownNodes<T extends ts.Node>(body: ts.Node, test: (n: ts.Node) => n is T): T[] {
  const found: T[] = [];
  const walk = (n: ts.Node): void => {
    if (ts.isFunctionLike(n)) return;
    if (test(n)) found.push(n);
    ts.forEachChild(n, walk);
  };
  ts.forEachChild(body, walk);
  return found;
}

/** Whether a function body has a `throw` of its own (not one of a function nested in it). */
function throwsOwn(body: ts.Node): boolean {
  return ownNodes(body, ts.isThrowStatement).length > 0;
}
