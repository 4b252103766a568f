/**
 * legacy-event-loop-api: event-loop management and APIs that are deprecated, removed, or fail at
 * runtime in modern Python — and the modern form to use instead.
 */
import type { SyntaxNode as Node } from '../syntax';
import type { Fix, Report } from '../../engine/types';
import { type AwaitableResolver, awaitablesOf, isEventLoopClassName } from '../awaitables';
import { isAsyncFunction, loopRunnerIn } from '../project';
import { checkCallbackKeywords } from './callbackKeywords';
import { qasyncSlot, textualLoopMethod } from '../textual';
import type { PythonRuleContext } from '../context';
import { isNotCoroutine } from '../knowledge/awaitables';
import { assignedValue, asyncioModule, moduleAlias, awaitEdits, callArguments, calleeName, canInsertAwait, decoratorTarget, expectedToRaise, field, isAttributeName, nodesOfType, parameterAnnotation, pythonVersionBelow, textOf, typeOf, withItemValues } from '../util';

/** asyncio callables whose `loop=` argument was removed in Python 3.10. */
const LOOP_KWARG_REMOVED = new Set([
  'asyncio.sleep', 'asyncio.wait_for', 'asyncio.wait', 'asyncio.gather', 'asyncio.shield', 'asyncio.as_completed',
  'asyncio.Queue', 'asyncio.PriorityQueue', 'asyncio.LifoQueue', 'asyncio.Lock', 'asyncio.Event', 'asyncio.Condition',
  'asyncio.Semaphore', 'asyncio.BoundedSemaphore', 'asyncio.open_connection', 'asyncio.start_server',
  'asyncio.create_subprocess_exec', 'asyncio.create_subprocess_shell',
]);

function resolveCallee(ctx: PythonRuleContext, call: Node): string | undefined {
  return calleeName(ctx, call, /^(asyncio|httpx)\./);
}

/** A call's first argument, comments skipped. */
function firstArgument(call: Node): Node | undefined {
  return callArguments(call)[0];
}

/**
 * Whether a call surely makes a coroutine object: a project `async def` (not a generator) or a
 * library coroutine function. Futures, request context managers and query objects are not.
 */
function makesCoroutine(resolver: AwaitableResolver, call: Node): boolean {
  const awaitable = resolver.awaitableCall(call);
  if (!awaitable || awaitable.generator || awaitable.mayBeFuture) return false;
  return !awaitable.library || !isNotCoroutine(awaitable.name ?? '');
}

/**
 * Whether a call is known to give an awaitable that is not a coroutine: a future
 * (`loop.run_in_executor(...)`, `gather(...)`, `wrap_future(...)`), another library awaitable, a
 * project function or method annotated to return a `Future`/`Task`/`Awaitable`, or the result of
 * a parameter annotated as returning one. Calls of unknown callees are taken
 * for the coroutines they usually are.
 */
function makesOtherAwaitable(ctx: PythonRuleContext, resolver: AwaitableResolver, call: Node): boolean {
  const awaitable = resolver.awaitableCall(call);
  if (awaitable) return !makesCoroutine(resolver, call);
  if (resolver.givesOtherAwaitable(call)) return true;
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'identifier') return false;
  // `for f in factories` / `[... f() for f in factories]`: what the parameter iterated holds.
  let name: Node = fn;
  for (let n = call.parent; n && n.type !== 'function_definition'; n = n.parent) {
    const loop = n.type === 'for_statement' ? n : n.type.endsWith('comprehension') || n.type === 'generator_expression' ? n.namedChildren.find((c) => c?.type === 'for_in_clause') : null;
    if (loop?.childForFieldName('left')?.text === fn.text && loop.childForFieldName('right')?.type === 'identifier') {
      name = loop.childForFieldName('right')!;
      break;
    }
  }
  const binding = ctx.scope.lookup(name.text, name)?.bindings;
  const annotation = binding?.length === 1 && binding[0].kind === 'param' ? parameterAnnotation(binding[0].node)?.text : undefined;
  return !!annotation && /\b(Awaitable|Future)\b/.test(annotation) && !/\bCoroutine\b/.test(annotation);
}

/**
 * `asyncio.get_event_loop()` → `asyncio.get_running_loop()`, through the module as the file names
 * it; a bare `get_event_loop()` (imported from asyncio) becomes `asyncio.get_running_loop()`,
 * importing asyncio if the file does not.
 */
function runningLoopFix(ctx: PythonRuleContext, call: Node, fnNode: Node): Fix | undefined {
  const title = 'Use asyncio.get_running_loop()';
  if (fnNode.type === 'attribute') return { title, safe: true, edits: [{ range: ctx.rangeOf(fnNode), newText: fnNode.text.replace(/get_event_loop$/, 'get_running_loop') }] };
  const module = asyncioModule(ctx, call);
  if (!module) return undefined;
  return { title, safe: true, edits: [{ range: ctx.rangeOf(fnNode), newText: `${module.name}.get_running_loop` }, ...module.importEdits] };
}

function keywordArgument(call: Node, name: string): Node | undefined {
  const args = call.childForFieldName('arguments');
  return args?.namedChildren.find((a): a is Node => a?.type === 'keyword_argument' && a.childForFieldName('name')?.text === name);
}

/**
 * An edit removing one argument together with the comma that separates it; the only argument
 * takes everything between the parentheses with it (a trailing comma too).
 */
function removeArgumentFix(ctx: PythonRuleContext, arg: Node, title: string): Fix | undefined {
  const args = arg.parent!;
  const all = args.namedChildren.filter((a): a is Node => a !== null);
  // A comment inside the argument list could be swallowed with it.
  if (all.some((a) => a.type === 'comment')) return undefined;
  const i = all.findIndex((a) => a.id === arg.id);
  let start = arg.startIndex;
  let end = arg.endIndex;
  if (all.length === 1) {
    start = args.startIndex + 1;
    end = args.endIndex - 1;
  } else if (i > 0) start = all[i - 1].endIndex;
  else end = all[i + 1].startIndex;
  return { title, safe: true, edits: [{ range: ctx.lines.range(start, end), newText: '' }] };
}

/**
 * Where a loop expression comes from: the asyncio function whose call produced it
 * (`asyncio.get_event_loop`, `asyncio.new_event_loop`, `asyncio.get_running_loop`), 'loop' for
 * something that only looks like a loop (`self.loop`, a `loop` parameter), or undefined.
 */
function loopOrigin(ctx: PythonRuleContext, receiver: Node): string | undefined {
  if (receiver.type === 'call') {
    const r = resolveCallee(ctx, receiver);
    return r === 'asyncio.get_event_loop' || r === 'asyncio.new_event_loop' || r === 'asyncio.get_running_loop' ? r : undefined;
  }
  if (receiver.type !== 'identifier') return /(^|\.)_?loop$/.test(receiver.text) ? 'loop' : undefined;
  const found = ctx.scope.lookup(receiver.text, receiver);
  if (!found) return receiver.text === 'loop' ? 'loop' : undefined;
  for (const b of found.bindings) {
    const value = b.node.parent?.type === 'assignment' ? b.node.parent.childForFieldName('right') : null;
    const origin = value?.type === 'call' ? loopOrigin(ctx, value) : undefined;
    if (origin) return origin;
  }
  if (!found.bindings.every((b) => b.kind === 'param')) return undefined;
  // `loop`, pytest-asyncio's `event_loop`, or a parameter annotated as an event loop.
  const annotation = parameterAnnotation(found.bindings[0].node)?.text;
  return /^_?(event_)?loop$/.test(receiver.text) || (annotation !== undefined && isEventLoopClassName(annotation.replace(/\s+/g, ''))) ? 'loop' : undefined;
}

/**
 * Whether the run is the loop's only use: at module level, as a statement (its result unused), the
 * loop name read nowhere else (its `close()` aside), and no task scheduled on the current loop before it.
 */
function loopUsedOnlyHere(ctx: PythonRuleContext, call: Node, receiver: Node): boolean {
  if (ctx.scope.enclosingFunction(call) || receiver.type !== 'identifier') return false;
  // `app = loop.run_until_complete(init_app())`: what the run made (a session, an app) lives on
  // that loop, which asyncio.run() would close.
  if (call.parent?.type !== 'expression_statement') return false;
  for (const id of nodesOfType(ctx.tree.rootNode, 'identifier')) {
    if (id.text !== receiver.text || id.id === receiver.id || isAttributeName(id)) continue;
    const p = id.parent;
    // Its binding (`loop = asyncio.get_event_loop()`) and `loop.close()`.
    if (p?.type === 'assignment' && p.childForFieldName('left')?.id === id.id) continue;
    if (p?.type === 'attribute' && p.childForFieldName('attribute')?.text === 'close') continue;
    return false;
  }
  // `futures = [asyncio.ensure_future(f()) ...]` at module level: tasks on the loop being replaced.
  const before = ctx.text.slice(0, call.startIndex);
  return !/\b(ensure_future|create_task|run_until_complete|run_forever|add_signal_handler)\s*\(/.test(before.replace(/^(\s+|def |async def |class ).*$/gm, ''));
}

/** The calls appended to the list a name holds (`pending.append(upload(b))`), in the function that binds it. */
function appendedCalls(ctx: PythonRuleContext, name: Node): Node[] {
  const found = ctx.scope.lookup(name.text, name);
  if (!found || found.bindings.length !== 1) return [];
  const out: Node[] = [];
  for (const id of nodesOfType(found.scope.node, 'identifier')) {
    if (id.text !== name.text) continue;
    const attr = id.parent;
    if (attr?.type !== 'attribute' || attr.childForFieldName('object')?.id !== id.id || attr.childForFieldName('attribute')?.text !== 'append') continue;
    const call = attr.parent;
    const arg = call?.type === 'call' ? callArguments(call)[0] : undefined;
    if (arg?.type === 'call') out.push(arg);
  }
  return out;
}

/** Whether `node` runs inside `with <name>:` (or `with <name> as x:`). */
function enteredByWith(node: Node, name: string | undefined): boolean {
  if (!name) return false;
  for (let n = node.parent; n; n = n.parent) {
    if (n.type === 'function_definition') return false;
    if (n.type !== 'with_statement') continue;
    if (withItemValues(n).some((v) => v.text === name)) return true;
  }
  return false;
}

/** The `run_until_complete`/`run_forever` method a call makes on a loop, if it makes one. */
function runMethod(call: Node): { method: string; receiver: Node } | undefined {
  const fn = field(call, 'function');
  // The method is the callee's last token: look closer only when it can be one of the two.
  if (!fn || typeOf(fn) !== 'attribute' || !/run_(until_complete|forever)$/.test(textOf(fn))) return undefined;
  const method = textOf(field(fn, 'attribute')!);
  const receiver = field(fn, 'object');
  return receiver && (method === 'run_until_complete' || method === 'run_forever') ? { method, receiver } : undefined;
}

/**
 * Whether a synchronous `asyncio.get_event_loop()` call certainly runs with no loop running: at
 * import time, or where the same code then runs the loop it got (`loop.run_until_complete(...)`).
 * A sync helper or constructor called from a coroutine gets the running loop back, without a
 * warning, so it is left alone.
 */
function startsALoop(ctx: PythonRuleContext, call: Node): boolean {
  const fn = ctx.scope.enclosingFunction(call);
  if (!fn) return true;
  const parent = call.parent;
  if (parent?.type === 'attribute' && parent.parent?.type === 'call' && runMethod(parent.parent)) return true;
  const target = parent?.type === 'assignment' && parent.childForFieldName('right')?.id === call.id ? parent.childForFieldName('left') : null;
  if (target?.type !== 'identifier') return false;
  return nodesOfType(fn.node, 'call').some((c) => {
    const run = runMethod(c);
    return !!run && run.receiver.type === 'identifier' && run.receiver.text === target.text && ctx.scope.enclosingFunction(c) === fn;
  });
}

/**
 * Whether `call` is in the body of a `try` of its function that handles RuntimeError (by name,
 * in a tuple, or through `Exception`/`BaseException`/a bare `except`): the compatibility shim
 * that falls back to a new loop where `get_event_loop()` raises (Python 3.14 without a loop).
 *
 *     try:
 *         loop = asyncio.get_event_loop()
 *     except RuntimeError:
 *         loop = asyncio.new_event_loop()
 *         asyncio.set_event_loop(loop)
 */
function noLoopHandled(ctx: PythonRuleContext, call: Node): boolean {
  return handledInTry(ctx, call, /^(builtins\.)?(RuntimeError|Exception|BaseException)$/, true);
}

/**
 * Whether `call` is in the body of a `try` of its function with an `except` clause naming an
 * exception `caughtName` matches (alone or in a tuple); a bare `except:` counts when `bare` is set.
 */
function handledInTry(ctx: PythonRuleContext, call: Node, caughtName: RegExp, bare: boolean): boolean {
  const fn = ctx.scope.enclosingFunction(call);
  for (let n: Node | null = call.parent; n && n !== fn?.node; n = n.parent) {
    if (n.type !== 'block' || n.parent?.type !== 'try_statement' || field(n.parent, 'body')?.id !== n.id) continue;
    const handles = n.parent.namedChildren.some((h) => {
      if (h?.type !== 'except_clause') return false;
      const caught = h.namedChildren.find((c) => c?.type !== 'block' && c?.type !== 'comment');
      if (!caught) return bare;
      const value = caught.type === 'as_pattern' ? caught.namedChildren[0] : caught;
      const names = value?.type === 'tuple' || value?.type === 'parenthesized_expression' ? value.namedChildren : [value];
      return names.some((x) => !!x && caughtName.test(x.text));
    });
    if (handles) return true;
  }
  return false;
}

/**
 * Whether `node` runs only once `asyncio.get_running_loop()` has succeeded in the same function:
 * after a `try:` that calls it and whose every `except` handler leaves (returns or raises), in
 * that `try` body after the call, in its `else:` or further down the block that holds it. The
 * usual shape of a helper that runs a coroutine for sync callers whether or not a loop runs:
 *
 *     try:
 *         asyncio.get_running_loop()
 *     except RuntimeError:
 *         return asyncio.run(coro)
 *     ...  # a loop is running in this thread here
 */
function runningLoopEnsured(ctx: PythonRuleContext, node: Node): boolean {
  const fn = ctx.scope.enclosingFunction(node);
  if (!fn || !ctx.text.includes('get_running_loop')) return false;
  const within = (outer: Node | null | undefined) => !!outer && outer.startIndex <= node.startIndex && node.endIndex <= outer.endIndex;
  for (const t of nodesOfType(fn.node, 'try_statement')) {
    if (!within(t.parent) || ctx.scope.enclosingFunction(t) !== fn) continue;
    const body = field(t, 'body');
    const probe = body ? nodesOfType(body, 'call').find((c) => ctx.scope.enclosingFunction(c) === fn && resolveCallee(ctx, c) === 'asyncio.get_running_loop') : undefined;
    if (!probe) continue;
    const handlers = t.namedChildren.filter((c): c is Node => c?.type === 'except_clause');
    const leaves = (h: Node) => {
      const block = h.namedChildren.find((c) => c?.type === 'block');
      const last = block?.namedChildren.filter((c) => c && c.type !== 'comment').pop();
      return last?.type === 'return_statement' || last?.type === 'raise_statement';
    };
    if (handlers.length === 0 || !handlers.every(leaves)) continue;
    if (within(body) && node.startIndex >= probe.endIndex) return true;
    if (within(t.namedChildren.find((c) => c?.type === 'else_clause'))) return true;
    if (!within(t) && node.startIndex >= t.endIndex) return true;
  }
  return false;
}

/** Decorators a loop-running helper may carry and still run its body when called: caches. */
const TRANSPARENT_DECORATORS = /^(functools\.)?(lru_cache|cache|wraps)$/;

/**
 * The loop runner (`asyncio.run`, `loop.run_until_complete`) a plain project function called here
 * runs in its own body with no check for a running loop (see loopRunnerIn): a `def` of this file
 * or one imported from the project, undecorated or only cached.
 */
function helperRunningALoop(call: Node, resolver: AwaitableResolver): string | undefined {
  const callee = resolver.projectFunctionCalled(call);
  if (!callee) return undefined;
  if (callee.def) {
    if (isAsyncFunction(callee.def)) return undefined;
    const decorated = callee.def.parent?.type === 'decorated_definition' ? callee.def.parent : null;
    const decorators = (decorated?.namedChildren ?? []).filter((d): d is Node => d?.type === 'decorator').map((d) => decoratorTarget(d)?.text.replace(/\s+/g, '') ?? '');
    return decorators.every((d) => TRANSPARENT_DECORATORS.test(d)) ? loopRunnerIn(callee.def) : undefined;
  }
  if (callee.summary.isAsync || !callee.summary.runsLoop || callee.summary.kind !== 'function') return undefined;
  // A module that applies nest_asyncio runs loops inside running ones on purpose.
  if (callee.module.imports.has('nest_asyncio') || [...callee.module.imports.values()].some((i) => i.module === 'nest_asyncio')) return undefined;
  return callee.summary.decorators.every((d) => TRANSPARENT_DECORATORS.test(d)) ? callee.summary.runsLoop : undefined;
}

/** The synchronous handler `node` is in when a framework runs it inside a running asyncio loop (Textual, qasync). */
function runningLoopHandler(ctx: PythonRuleContext, node: Node): { name: string; framework: 'Textual' | 'qasync' } | undefined {
  const textual = textualLoopMethod(ctx, node);
  if (textual) return { name: textual, framework: 'Textual' };
  const slot = qasyncSlot(ctx, node);
  return slot ? { name: slot, framework: 'qasync' } : undefined;
}

/** trio's and anyio's calls from a worker thread back into the event loop. */
const FROM_THREAD = new Set(['trio.from_thread.run', 'trio.from_thread.run_sync', 'anyio.from_thread.run', 'anyio.from_thread.run_sync']);
/** Blocking server entry points that start their own event loop, and what to await inside a coroutine instead. */
const SERVER_RUNNERS: Readonly<Record<string, string>> = {
  'aiohttp.web.run_app': "start the app with 'runner = web.AppRunner(app)', 'await runner.setup()' and 'await web.TCPSite(runner, port=...).start()'",
  'uvicorn.run': "await 'uvicorn.Server(uvicorn.Config(app, ...)).serve()' instead",
  // The OpenAI Agents SDK's synchronous runner runs the loop until the run completes: not inside a running one.
  'agents.Runner.run_sync': "await 'Runner.run(...)' instead",
  'agents.run.Runner.run_sync': "await 'Runner.run(...)' instead",
};
/** Runners built on `loop.run_until_complete()` or `asyncio.run()`, which nest_asyncio lets run inside a running loop (a notebook's). */
const NESTABLE_RUNNERS = new Set(['agents.Runner.run_sync', 'agents.run.Runner.run_sync', 'pydantic_ai.Agent.run_sync', 'crewai.flow.flow.Flow.kickoff']);

/**
 * Library methods that run an event loop of their own (`anyio.run`, `run_until_complete`), by the receiver's class:
 * an MCP server's `run()` and a pydantic-ai agent's `run_sync()`. What to await instead (`{}` stands for the receiver).
 */
const LIBRARY_LOOP_RUNNERS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'mcp.server.fastmcp.FastMCP': { run: "await '{}.run_stdio_async()' instead (or run_streamable_http_async(), run_sse_async())" },
  'mcp.server.mcpserver.MCPServer': { run: "await '{}.run_stdio_async()' instead (or run_streamable_http_async(), run_sse_async())" },
  'fastmcp.FastMCP': { run: "await '{}.run_async(...)' instead" },
  'pydantic_ai.Agent': { run_sync: "await '{}.run(...)' instead" },
  // A CrewAI Flow's `kickoff()` is `asyncio.run(self.kickoff_async(...))`.
  'crewai.flow.flow.Flow': { kickoff: "await '{}.kickoff_async(...)' instead" },
};

/** `mcp.run()` of a FastMCP server or `agent.run_sync(...)` of a pydantic-ai agent: what to await instead, or undefined. */
function libraryLoopRunner(call: Node, resolver: AwaitableResolver, nested: boolean): string | undefined {
  const fn = field(call, 'function');
  if (!fn || typeOf(fn) !== 'attribute') return undefined;
  const method = field(fn, 'attribute')?.text ?? '';
  const receiver = field(fn, 'object');
  if (!receiver || !Object.values(LIBRARY_LOOP_RUNNERS).some((methods) => methods[method])) return undefined;
  const lib = resolver.libraryClassOfReceiver(receiver, (l) => !!LIBRARY_LOOP_RUNNERS[l]?.[method] && !(nested && NESTABLE_RUNNERS.has(`${l}.${method}`)));
  return lib ? LIBRARY_LOOP_RUNNERS[lib][method].replace('{}', textOf(receiver).replace(/\s*\n\s*/g, '')) : undefined;
}

/** prompt_toolkit's prompts, which run an Application (and so a loop of their own), and their coroutine twins. */
const PTK_PROMPTS: Readonly<Record<string, string>> = {
  prompt: "await PromptSession().prompt_async(...) instead",
  confirm: "await create_confirm_session(...).prompt_async() instead",
};
const PTK_SHORTCUTS = /^prompt_toolkit(\.shortcuts(\.prompt)?)?\.(prompt|confirm)$/;
const PTK_DIALOGS = /^prompt_toolkit\.shortcuts(\.dialogs)?\.\w+_dialog$/;

/**
 * Terminal UIs' blocking entry points, which start a loop of their own (`asyncio.run`): Textual's
 * `App.run()`, prompt_toolkit's `Application.run()`, `PromptSession.prompt()`, `prompt()`, `confirm()`
 * and its dialogs' `run()`. What to await instead, or undefined.
 */
function terminalUiRunner(ctx: PythonRuleContext, call: Node, name: string | undefined, resolver: AwaitableResolver): { shown: string; instead: string } | undefined {
  const fn = field(call, 'function');
  if (!fn) return undefined;
  if (name && PTK_SHORTCUTS.test(name)) {
    const short = name.slice(name.lastIndexOf('.') + 1);
    return { shown: `${fn.text}()`, instead: PTK_PROMPTS[short] };
  }
  if (typeOf(fn) !== 'attribute') return undefined;
  const method = field(fn, 'attribute')?.text;
  const receiver = field(fn, 'object');
  if (!receiver || (method !== 'run' && method !== 'prompt')) return undefined;
  const shown = `${fn.text.replace(/\s*\n\s*/g, '')}()`;
  const target = textOf(receiver).replace(/\s*\n\s*/g, '');
  if (method === 'prompt') {
    return resolver.libraryClassOfReceiver(receiver, (lib) => lib === 'prompt_toolkit.PromptSession') ? { shown, instead: `await ${target}.prompt_async(...) instead` } : undefined;
  }
  // `input_dialog(title="...").run()`: the dialog is an Application.
  const maker = typeOf(receiver) === 'call' ? field(receiver, 'function') : null;
  const made = maker && (typeOf(maker) === 'identifier' || typeOf(maker) === 'attribute') ? ctx.scope.resolve(maker)?.name : undefined;
  if (made && PTK_DIALOGS.test(made)) return { shown, instead: `await ${target}.run_async() instead` };
  const lib = resolver.libraryClassOfReceiver(receiver, (l) => l === 'textual.app.App' || l === 'prompt_toolkit.application.Application');
  return lib ? { shown, instead: `await ${target}.run_async() instead` } : undefined;
}

export function checkLegacyApi(ctx: PythonRuleContext): void {
  const report = (r: Report) => ctx.report(r);
  let resolver: AwaitableResolver | undefined;
  // A `loop=` keyword argument needs the word in the text.
  const mayPassLoop = ctx.text.includes('loop');
  /** Hand-made runners already reported (a function's or the module's loop, by its name). */
  const reportedRunners = new Set<string>();
  // `nest_asyncio.apply()` patches asyncio so that a loop may run inside a running loop (Jupyter):
  // nested runs inside a coroutine are what the module asks for, and do not raise. (A get_event_loop()
  // runner is still reported: outside a notebook's loop it is the deprecated call it always was.)
  const nested = /\bnest_asyncio\b/.test(ctx.text) && /\bapply\s*\(/.test(ctx.text);
  for (const call of nodesOfType(ctx.tree.rootNode, 'call')) {
    const name = resolveCallee(ctx, call);
    const inAsync = ctx.scope.isAsyncContext(call);
    const fnNode = field(call, 'function')!;

    if (name === 'asyncio.get_event_loop') {
      // In a branch only older Pythons take (`else:` of `if sys.version_info >= (3, 7):`), the modern
      // call is the other branch's.
      if (inAsync) {
        if (!onlyBefore(ctx, call, 3, 7)) report({
          message: 'asyncio.get_event_loop() inside a coroutine: use asyncio.get_running_loop(), which cannot create a stray loop',
          range: ctx.rangeOf(call),
          fix: runningLoopFix(ctx, call, fnNode),
        });
      } else if (startsALoop(ctx, call) && !runningLoopHandler(ctx, call) && !runningLoopEnsured(ctx, call) && !noLoopHandled(ctx, call)) {
        report({
          message: 'asyncio.get_event_loop() outside a running loop is deprecated (a warning since 3.12, an error in 3.14): start the program with asyncio.run(main())',
          range: ctx.rangeOf(call),
        });
      }
      continue;
    }

    // `rate_now(base, quote)` inside a coroutine, with `def rate_now(...): return asyncio.run(get_rate(...))`
    // in the project: the helper's loop cannot start inside the running one.
    if (inAsync && !nested && (fnNode.type === 'identifier' || fnNode.type === 'attribute')) {
      const runner = helperRunningALoop(call, (resolver ??= awaitablesOf(ctx)));
      if (runner) {
        report({
          message: `${fnNode.text.replace(/\s+/g, '')}() runs ${runner}() itself, which raises RuntimeError inside this coroutine (a loop is already running in this thread): await the coroutine it runs instead, or call the helper in a worker thread (await asyncio.to_thread(...))`,
          range: ctx.rangeOf(call),
        });
        continue;
      }
    }

    // `async_to_sync(layer.group_send)("lobby", event)` inside a coroutine: asgiref refuses to
    // run in the thread of a running loop.
    if (inAsync && fnNode.type === 'call' && ctx.text.includes('async_to_sync')) {
      const inner = field(fnNode, 'function');
      const wrapped = callArguments(fnNode)[0];
      if (inner && (inner.type === 'identifier' || inner.type === 'attribute') && ctx.scope.resolve(inner)?.name === 'asgiref.sync.async_to_sync' && wrapped && wrapped.type !== 'keyword_argument') {
        const args = field(call, 'arguments');
        report({
          message: `async_to_sync(${wrapped.text})() inside a coroutine raises RuntimeError (it cannot run in the thread of a running loop): await ${wrapped.text}(...) directly`,
          range: ctx.rangeOf(call),
          suggestions: args && canInsertAwait(ctx, call) ? [{ title: `Await ${wrapped.text}(...) directly`, safe: false, edits: awaitEdits(ctx, call, `${wrapped.text}${args.text}`) }] : undefined,
        });
        continue;
      }
    }

    if (name === 'asyncio.run' && inAsync && !nested) {
      report({ message: 'asyncio.run() inside a coroutine raises RuntimeError (a loop is already running): await the coroutine instead', range: ctx.rangeOf(call) });
      continue;
    }
    // A synchronous handler of a Textual app, or a Qt slot under qasync, runs on the running loop:
    // asyncio.run() and run_until_complete() there raise too.
    const runsALoop = !inAsync && !nested && (name === 'asyncio.run' || runMethod(call)?.method === 'run_until_complete');
    // `try: asyncio.get_running_loop()` / `except RuntimeError: return asyncio.run(coro)`, then
    // `loop.run_until_complete(coro)`: the one case where it runs is the one where it raises.
    if (runsALoop && runningLoopEnsured(ctx, call)) {
      report({
        message: `${name === 'asyncio.run' ? 'asyncio.run()' : 'loop.run_until_complete()'} where asyncio.get_running_loop() has just succeeded raises RuntimeError (a loop is already running in this thread): let the caller await the coroutine, or run it on a loop of its own in a worker thread`,
        range: ctx.rangeOf(call),
      });
      continue;
    }
    const onLoop = runsALoop ? runningLoopHandler(ctx, call) : undefined;
    if (onLoop) {
      report({
        message: `${name === 'asyncio.run' ? 'asyncio.run()' : 'loop.run_until_complete()'} inside '${onLoop.name}', which ${onLoop.framework === 'Textual' ? 'Textual runs on its event loop' : "runs inside qasync's running event loop"}, raises RuntimeError (a loop is already running): ${onLoop.framework === 'Textual' ? 'make the handler async and await the coroutine, or run it as a worker (self.run_worker(...))' : 'make it an @asyncSlot() coroutine and await, or schedule the coroutine with asyncio.ensure_future(...) and keep the task'}`,
        range: ctx.rangeOf(call),
      });
      continue;
    }

    // `trio.run(main)` / `anyio.run(main)` in a coroutine: anyio refuses to start inside any running
    // async library, trio inside trio; run under asyncio, trio's loop would block the running one.
    if ((name === 'trio.run' || name === 'anyio.run') && inAsync && !expectedToRaise(call)) {
      report({
        message: `${name}() inside a coroutine raises RuntimeError (${name === 'trio.run' ? 'trio is' : 'an event loop is'} already running in this thread): await the function instead`,
        range: ctx.rangeOf(call),
      });
      continue;
    }
    // `trio.from_thread.run(...)` is how a worker thread calls back into the loop: on the loop's
    // own thread it raises RuntimeError (to_thread is the other way round).
    if (name && FROM_THREAD.has(name) && inAsync && !expectedToRaise(call)) {
      report({
        message: `${name}() inside a coroutine raises RuntimeError: it is for worker threads calling back into the event loop; ${name.endsWith('_sync') ? 'call the function directly' : 'await the function directly'}`,
        range: ctx.rangeOf(call),
      });
      continue;
    }
    // Servers' blocking entry points run a loop of their own: inside a coroutine one is already running.
    if (name && inAsync && SERVER_RUNNERS[name] && !(nested && NESTABLE_RUNNERS.has(name)) && !(resolver ??= awaitablesOf(ctx)).shadowedByProject(name)) {
      report({ message: `${fnNode.text.replace(/\s+/g, '')}() inside a coroutine raises RuntimeError (it runs an event loop of its own, and one is already running): ${SERVER_RUNNERS[name]}`, range: ctx.rangeOf(call) });
      continue;
    }

    // An MCP server's `run()`, a pydantic-ai agent's `run_sync()`: a loop of their own too.
    if (inAsync && /\.\s*(run(_sync)?|kickoff)$/.test(fnNode.text) && !expectedToRaise(call)) {
      const instead = libraryLoopRunner(call, (resolver ??= awaitablesOf(ctx)), nested);
      if (instead) {
        report({ message: `${fnNode.text.replace(/\s+/g, '')}() inside a coroutine raises RuntimeError (it runs an event loop of its own, and one is already running): ${instead}`, range: ctx.rangeOf(call) });
        continue;
      }
    }

    // Textual's and prompt_toolkit's entry points start a loop of their own, as asyncio.run() does.
    if (inAsync && /\b(run|prompt|confirm)\s*\(/.test(fnNode.text + '(') && !expectedToRaise(call)) {
      const ui = terminalUiRunner(ctx, call, name, (resolver ??= awaitablesOf(ctx)));
      if (ui) {
        report({ message: `${ui.shown} inside a coroutine raises RuntimeError (it runs an event loop of its own, and one is already running): ${ui.instead}`, range: ctx.rangeOf(call) });
        continue;
      }
    }

    if (name === 'asyncio.run') {
      const first = firstArgument(call);
      if (first?.type === 'call') {
        const inner = resolveCallee(ctx, first);
        if (inner === 'asyncio.gather' || inner === 'asyncio.wait' || inner === 'asyncio.ensure_future') {
          report({
            message: `asyncio.run(${inner}(...)) raises TypeError: asyncio.run() needs a coroutine, and ${inner.slice(8)}() returns a future. Gather inside an 'async def main()' and run that`,
            range: ctx.rangeOf(call),
            suggestions: wrapInMainFix(ctx, call, first),
          });
        }
      }
      continue;
    }

    const run = runMethod(call);
    if (run) {
      const { method, receiver } = run;
      const origin = loopOrigin(ctx, receiver);
      if (origin && inAsync && !nested) {
        report({ message: `loop.${method}() inside a coroutine raises RuntimeError: the loop is already running; await instead`, range: ctx.rangeOf(call) });
      } else if (
        method === 'run_until_complete' &&
        // A statement, or `result = loop.run_until_complete(main())`. Not `return loop.run_until_complete(coro)`:
        // the shape of helpers that run coroutines for sync callers on one shared loop, where
        // asyncio.run() would make a new loop per call.
        (call.parent?.type === 'expression_statement' || (call.parent?.type === 'assignment' && call.parent.parent?.type === 'expression_statement' && field(call.parent, 'right')?.id === call.id)) &&
        // get_event_loop() + run_until_complete is the legacy entry point; a loop made with
        // new_event_loop() and run by hand is a runner (a thread's own loop, a test fixture).
        (origin === 'asyncio.get_event_loop' || (origin !== undefined && !ctx.scope.enclosingFunction(call)))
      ) {
        const arg = firstArgument(call);
        // The runner's own clean-up (`loop.run_until_complete(loop.shutdown_asyncgens())`) is part
        // of the one hand-made runner, reported once at its first run.
        const argFn = arg?.type === 'call' ? arg.childForFieldName('function') : null;
        const cleanup = argFn?.type === 'attribute' && argFn.childForFieldName('object')?.text === receiver.text;
        const runner = `${ctx.scope.enclosingFunction(call)?.node.id ?? 'module'}:${receiver.text}`;
        // `with client: client.loop.run_until_complete(main())` (Telethon's idiom): the client
        // connected on its own loop, which asyncio.run() would not be.
        const ownersLoop = receiver.type === 'attribute' && enteredByWith(call, receiver.childForFieldName('object')?.text);
        if (!cleanup && !ownersLoop && !reportedRunners.has(runner)) {
          reportedRunners.add(runner);
          // An object's own loop (`bot.loop`) is not one asyncio.run() can stand in for, nor is a loop
          // the code uses for anything else (tasks made on it beforehand, signal handlers,
          // settings, other runs, objects made on it and used later): asyncio.run() makes a new one.
          const module = receiver.type === 'attribute' || !loopUsedOnlyHere(ctx, call, receiver) ? null : asyncioModule(ctx, call);
          const fix: Fix[] | undefined =
            module && arg && arg.type === 'call' && call.childForFieldName('arguments')!.namedChildren.length === 1
              ? [
                  {
                    title: 'Use asyncio.run(...)',
                    safe: false,
                    edits: [{ range: ctx.rangeOf(call), newText: `${module.name}.run(${arg.text})` }, ...module.importEdits],
                  },
                ]
              : undefined;
          report({
            message: `Managing the event loop by hand (${origin!.replace(/^asyncio\.(events\.)?/, '')} + run_until_complete) is legacy: asyncio.run() creates the loop, runs the coroutine, cancels leftovers and closes the loop`,
            range: ctx.rangeOf(call),
            suggestions: fix,
          });
        }
      }
      if (origin) continue;
    }

    if (name === 'asyncio.wait') {
      // asyncio.wait([coro(), ...]): coroutines are rejected since Python 3.11 (futures and
      // other awaitables are not).
      let first = firstArgument(call);
      const named = first?.type === 'identifier' ? first : undefined;
      // `coros = [upload(p) for p in paths]` then `asyncio.wait(coros)`: the list as it was made.
      if (first?.type === 'identifier') {
        const found = ctx.scope.lookup(first.text, first);
        const value = found?.bindings.length === 1 ? assignedValue(found.bindings[0].node) : null;
        if (value && ['list', 'set', 'tuple', 'list_comprehension', 'set_comprehension'].includes(value.type)) first = value;
      }
      // `pending = []`, `pending.append(upload(b))` in a loop, then `asyncio.wait(pending)`.
      const appended = named && first?.type === 'list' && first.namedChildren.length === 0 ? appendedCalls(ctx, named) : [];
      const elements =
        first && ['list', 'set', 'tuple'].includes(first.type)
          ? first.namedChildren
          : first && ['list_comprehension', 'set_comprehension', 'generator_expression'].includes(first.type)
            ? [first.childForFieldName('body')]
            : [];
      resolver ??= awaitablesOf(ctx);
      const coroutine = [...elements, ...appended].find((e): e is Node => e?.type === 'call' && makesCoroutine(resolver!, e));
      if (coroutine && !onlyBefore(ctx, call, 3, 11)) {
        report({
          message: before(ctx, 3, 11)
            ? 'asyncio.wait() on coroutines is deprecated and raises TypeError from Python 3.11: wrap each one in asyncio.create_task(), or use asyncio.gather()'
            : 'asyncio.wait() does not accept coroutines (TypeError since Python 3.11): wrap each one in asyncio.create_task(), or use asyncio.gather()/TaskGroup',
          range: ctx.rangeOf(named ?? coroutine),
        });
      }
      continue;
    }

    if (name === 'asyncio.ensure_future' && inAsync) {
      // On a future or another awaitable, ensure_future() is the right call (create_task() would raise).
      const arg = firstArgument(call);
      resolver ??= awaitablesOf(ctx);
      // Not where the argument is a plain function of the project (a tornado `@gen.coroutine`, a
      // function returning a future): ensure_future() is the right call there (create_task() raises).
      if (arg?.type === 'call' && call.parent?.type !== 'expression_statement' && !resolver.callsPlainProjectFunction(arg) && !makesOtherAwaitable(ctx, resolver, arg)) {
        report({
          message: 'asyncio.ensure_future() on a coroutine: asyncio.create_task() says what it does and rejects non-coroutines',
          range: ctx.rangeOf(fnNode),
          // create_task() takes no loop=: `ensure_future(c, loop=x)` is `x.create_task(c)`, left to the reader.
          suggestions: keywordArgument(call, 'loop') ? undefined : createTaskSuggestion(ctx, fnNode),
        });
      }
      continue;
    }

    if (name === 'httpx.AsyncClient' || name === 'httpx.Client') {
      const app = keywordArgument(call, 'app');
      if (app) {
        const value = app.childForFieldName('value');
        const transport = name === 'httpx.AsyncClient' ? 'ASGITransport' : 'WSGITransport';
        const prefix = fnNode.type === 'attribute' ? fnNode.childForFieldName('object')!.text : undefined;
        report({
          message: `${name}(app=...) was removed in httpx 0.28: pass transport=httpx.${transport}(app=...)`,
          range: ctx.rangeOf(app),
          fix:
            prefix && value
              ? { title: `Use transport=${prefix}.${transport}(app=...)`, safe: true, edits: [{ range: ctx.rangeOf(app), newText: `transport=${prefix}.${transport}(app=${value.text})` }] }
              : undefined,
        });
      }
      continue;
    }

    if (name && LOOP_KWARG_REMOVED.has(name)) {
      // `try: asyncio.Condition(loop=loop)` / `except TypeError: asyncio.Condition()`: the shim of a
      // library that still supports older Pythons, which falls back where the argument is gone.
      const loopArg = mayPassLoop && !onlyBefore(ctx, call, 3, 10) ? keywordArgument(call, 'loop') : undefined;
      if (loopArg && !handledInTry(ctx, call, /^(builtins\.)?TypeError$/, false)) {
        report({
          message: before(ctx, 3, 10)
            ? `The loop= argument of ${name}() is deprecated since Python 3.8 and removed in 3.10: the running loop is used automatically`
            : `The loop= argument of ${name}() was removed in Python 3.10 (TypeError): the running loop is used automatically`,
          range: ctx.rangeOf(loopArg),
          // Outside a coroutine the call would look the loop up itself (`get_event_loop()`), which
          // may be another one (a thread's own loop, run by hand): no fix there.
          fix: inAsync ? removeArgumentFix(ctx, loopArg, 'Remove the loop= argument') : undefined,
        });
      }
      continue;
    }

    // `try: asyncio.Task.all_tasks()` / `except AttributeError: asyncio.all_tasks()`: the shim of a
    // library that still supports older Pythons, which falls back where the class method is gone.
    if ((name === 'asyncio.Task.all_tasks' || name === 'asyncio.Task.current_task') && !onlyBefore(ctx, call, 3, 9) && !handledInTry(ctx, call, /^(builtins\.)?AttributeError$/, false)) {
      const modern = name.endsWith('all_tasks') ? 'all_tasks' : 'current_task';
      // `asyncio.Task.all_tasks` → `asyncio.all_tasks`; `Task.all_tasks` (imported from asyncio) →
      // `asyncio.all_tasks`, through the module as the file names it (or imports it).
      const written = /^(.*)\.Task\.(all_tasks|current_task)$/.exec(fnNode.text.replace(/\s+/g, ''));
      const module = written ? undefined : asyncioModule(ctx, call);
      const prefix = written ? written[1] : module?.name;
      const importEdits = module?.importEdits ?? [];
      report({
        message: `asyncio.Task.${modern}() was removed in Python 3.9: use asyncio.${modern}()`,
        range: ctx.rangeOf(call),
        // asyncio.all_tasks() needs a running loop (Task.all_tasks() took the current one): outside
        // a coroutine it would raise, so only there is it a fix.
        fix: inAsync && prefix !== undefined ? { title: `Use asyncio.${modern}()`, safe: true, edits: [{ range: ctx.rangeOf(fnNode), newText: `${prefix}.${modern}` }, ...importEdits] } : undefined,
      });
    }
  }

  for (const decorator of nodesOfType(ctx.tree.rootNode, 'decorator')) {
    const first = decorator.namedChildren[0];
    const call = first?.type === 'call' ? first : null;
    const expr = decoratorTarget(decorator);
    if (!expr || (expr.type !== 'identifier' && expr.type !== 'attribute')) continue;
    const r = ctx.scope.resolve(expr);
    if (r?.name === 'asyncio.coroutine') {
      if (!onlyBefore(ctx, decorator, 3, 11)) report({ message: '@asyncio.coroutine was removed in Python 3.11: write an async def and use await instead of yield from', range: ctx.rangeOf(decorator) });
      continue;
    }
    // FastAPI / Starlette `@app.on_event("startup")`.
    if (expr.type === 'attribute' && expr.childForFieldName('attribute')?.text === 'on_event' && call) {
      const arg = firstArgument(call);
      if (arg?.type === 'string' && /^["'](startup|shutdown)["']$/.test(arg.text) && fileUsesFastApiOrStarlette(ctx)) {
        report({
          message: '@app.on_event() is deprecated in FastAPI and Starlette: manage start-up and shutdown with a lifespan context manager (FastAPI(lifespan=...))',
          range: ctx.rangeOf(decorator),
        });
      }
    }
  }
  // `with await self._lock:` / `with (yield from lock):` on an asyncio lock: the lock's `__await__`
  // (and `__iter__`) that made it work went in 3.9, and the statement raises TypeError since.
  if (/\bwith\b[^\n:]*\b(await|yield\s+from)\b/.test(ctx.text)) {
    for (const statement of nodesOfType(ctx.tree.rootNode, 'with_statement')) {
      if (statement.child(0)?.type === 'async') continue;
      for (const value of withItemValues(statement)) {
        let inner: Node | null | undefined = value.type === 'parenthesized_expression' && value.namedChildren.length === 1 ? value.namedChildren[0] : value;
        if (inner?.type === 'await') inner = inner.namedChildren[0];
        else if (inner?.type === 'yield' && /^yield\s+from\b/.test(inner.text)) inner = inner.namedChildren[0];
        else continue;
        if (!inner || (inner.type !== 'identifier' && inner.type !== 'attribute') || onlyBefore(ctx, statement, 3, 9)) continue;
        const cls = (resolver ??= awaitablesOf(ctx)).classOfReceiver(inner);
        if (cls?.kind !== 'library' || !ASYNCIO_LOCKS.has(cls.name)) continue;
        report({
          message: `'with ${value.text.replace(/\s+/g, ' ')}' on an ${cls.name} was removed in Python 3.9 (TypeError): use 'async with ${inner.text}:'`,
          range: ctx.rangeOf(value),
        });
      }
    }
  }
  checkCallbackKeywords(ctx, (receiver) => loopOrigin(ctx, receiver) !== undefined);
}

/** asyncio's locks, which `with await lock:` used to take before Python 3.9. */
const ASYNCIO_LOCKS = new Set(['asyncio.Lock', 'asyncio.Semaphore', 'asyncio.BoundedSemaphore', 'asyncio.Condition']);

function fileUsesFastApiOrStarlette(ctx: PythonRuleContext): boolean {
  for (const bindings of ctx.scope.module.bindings.values()) {
    if (bindings.some((b) => b.kind === 'import' && /^(fastapi|starlette)(\.|$)/.test(b.target ?? ''))) return true;
  }
  return false;
}

/**
 * Whether `node` only runs on a Python older than major.minor (a `sys.version_info` branch for
 * older releases): what changed in major.minor does not concern it.
 */
function onlyBefore(ctx: PythonRuleContext, node: Node, major: number, minor: number): boolean {
  const below = pythonVersionBelow(ctx, node);
  return !!below && (below[0] < major || (below[0] === major && below[1] <= minor));
}

/** Whether the project still supports a Python older than major.minor. */
function before(ctx: PythonRuleContext, major: number, minor: number): boolean {
  const v = ctx.settings.pythonVersion;
  return v !== undefined && (v[0] < major || (v[0] === major && v[1] < minor));
}

/**
 * `asyncio.run(asyncio.gather(a(), b()))` → an `async def` that awaits the future, run by
 * `asyncio.run`. A suggestion: it adds a function next to the statement.
 */
function wrapInMainFix(ctx: PythonRuleContext, run: Node, future: Node): Fix[] | undefined {
  // The edit rewrites the call around the future: a comment there would be lost.
  if (run.childForFieldName('arguments')?.namedChildren.some((n) => n?.type === 'comment')) return undefined;
  let statement: Node | null = run.parent;
  while (statement && statement.type !== 'expression_statement' && statement.type !== 'return_statement' && statement.type !== 'assignment') statement = statement.parent;
  if (statement?.type === 'assignment') statement = statement.parent;
  if (!statement || (statement.type !== 'expression_statement' && statement.type !== 'return_statement')) return undefined;
  const lineText = ctx.lines.lineText(statement.startPosition.row);
  const indent = /^[ \t]*/.exec(lineText)![0];
  if (indent.length !== statement.startPosition.column) return undefined;
  let name = '_main';
  for (let i = 2; ctx.scope.lookup(name, run) || ctx.scope.isBoundAnywhere(name); i++) name = `_main${i}`;
  const unit = indent.includes('\t') ? '\t' : '    ';
  const eol = ctx.lines.eol(statement.startPosition.row);
  const fnNode = run.childForFieldName('function')!;
  const at = { line: statement.startPosition.row, character: 0 };
  return [
    {
      title: `Await it in 'async def ${name}()' and run that`,
      safe: false,
      edits: [
        { range: { start: at, end: at }, newText: `${indent}async def ${name}():${eol}${indent}${unit}return await ${future.text}${eol}${eol}` },
        { range: ctx.rangeOf(run), newText: `${fnNode.text}(${name}())` },
      ],
    },
  ];
}

/**
 * `asyncio.create_task` for the `ensure_future` that `fn` names: the attribute renamed
 * (`aio.ensure_future` → `aio.create_task`); for a bare name imported from asyncio
 * (`from asyncio import ensure_future as ef`), the file's own import of create_task, or the
 * module's (`asyncio.create_task`, with `import asyncio` added if missing).
 */
function createTaskSuggestion(ctx: PythonRuleContext, fn: Node): Fix[] | undefined {
  const use = (text: string, importEdits: Fix['edits'] = []): Fix[] => [{ title: 'Use asyncio.create_task()', safe: false, edits: [{ range: ctx.rangeOf(fn), newText: text }, ...importEdits] }];
  if (typeOf(fn) === 'attribute') return use(fn.text.replace(/ensure_future$/, 'create_task'));
  const imported = moduleAlias(ctx, 'asyncio.create_task', fn);
  if (typeof imported === 'string') return use(imported);
  const module = asyncioModule(ctx, fn);
  return module ? use(`${module.name}.create_task`, module.importEdits) : undefined;
}
