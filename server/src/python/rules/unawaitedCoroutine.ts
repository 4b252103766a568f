/**
 * unawaited-coroutine: a call that creates a coroutine (or another awaitable that does nothing
 * until awaited) whose result is dropped.
 */
import type { SyntaxNode as Node } from '../syntax';
import { type AwaitableCall, type AwaitableResolver, awaitablesOf } from '../awaitables';
import type { PythonRuleContext } from '../context';
import type { Fix } from '../../engine/types';
import { isNotCoroutine, METHOD_RESULTS } from '../knowledge/awaitables';
import { importedBinding, isAsyncFunction } from '../project';
import { guiCallbacks, type GuiCallbacks } from '../guiCallbacks';
import { assignedValue, awaitEdits, builtinCalled, callArguments, callbackArgument, canInsertAwait, decoratorTarget, enclosingClassNode, expectedToRaise, field, importsFrom, importsModule, isAttributeName, isKeywordName, mentions, nodesOfType, parameterAnnotation, parentOf, selfAttributeHoldsLoop, SYNC_CALLBACK_SLOTS, textOf, typeOf, withItemValues } from '../util';

/** Library awaitables that start their work when called (futures), unlike coroutines; Home Assistant's executor jobs run in a thread at once. */
const SCHEDULED = new Set(['gather', 'shield', 'run_in_executor', 'wrap_future', 'async_add_executor_job', 'async_add_import_executor_job']);

function isScheduled(awaitable: AwaitableCall): boolean {
  return awaitable.library && (SCHEDULED.has(awaitable.display.split('.').pop() ?? '') || isGrpcCall(awaitable));
}

/** An RPC of a generated gRPC stub over a grpc.aio channel: the call starts when made, like scheduled work. */
function isGrpcCall(awaitable: AwaitableCall): boolean {
  return awaitable.library && !!awaitable.name?.startsWith('grpc.aio.Stub.');
}

/** What the call's value is, as a message names it: a library's other awaitables (`anext(it)`) are no coroutine objects. */
function madeObject(awaitable: AwaitableCall): string {
  return awaitable.library && isNotCoroutine(awaitable.name ?? '') ? 'an awaitable object' : 'a coroutine object';
}

/** How a message names what the call made. */
function describe(awaitable: AwaitableCall): string {
  return awaitable.library ? `${awaitable.display}() returns an awaitable that` : `The coroutine from ${awaitable.display}()`;
}

const LOOP_METHODS = new Set(['call_soon', 'call_soon_threadsafe', 'call_later', 'call_at', 'add_signal_handler', 'add_reader', 'add_writer', 'run_in_executor']);

/**
 * Whether the callee is the synchronous caller it is named after: an asyncio loop's method (a
 * receiver named `loop`, or `asyncio.get_running_loop()`), an executor's `submit`, the thread
 * classes, `asyncio.to_thread`, `atexit.register`, `signal.signal`. Other libraries' `call_soon`
 * or `submit` (Tornado's IOLoop, dask's client) run coroutine functions themselves.
 */
function syncCaller(ctx: PythonRuleContext, fn: Node, name: string): boolean {
  const receiver = typeOf(fn) === 'attribute' ? field(fn, 'object') : null;
  const last = receiver ? (/([A-Za-z_]\w*)\s*$/.exec(textOf(receiver))?.[1] ?? '') : '';
  if (LOOP_METHODS.has(name)) {
    return /^_?(loop|event_loop)$/.test(last) || /get_(running|event)_loop\(\s*\)$/.test(receiver ? textOf(receiver) : '') || (!!receiver && selfAttributeHoldsLoop(ctx, receiver));
  }
  if (name === 'add_done_callback') return true;
  if (name === 'submit') return /(executor|pool)$/i.test(last);
  // pytest calls finalizers synchronously; unittest calls cleanups synchronously, except
  // IsolatedAsyncioTestCase, which awaits coroutine functions given to addCleanup().
  if (name === 'addfinalizer') return last === 'request';
  if (name === 'addCleanup') {
    if (last !== 'self') return false;
    const cls = enclosingClassNode(fn);
    const bases = cls?.childForFieldName('superclasses')?.text ?? '';
    return /\bTestCase\b/.test(bases) && !/Async/.test(bases);
  }
  const r = ctx.scope.resolve(fn)?.name ?? '';
  return /^(threading\.(Thread|Timer)|asyncio\.to_thread|atexit\.register|signal\.signal)$/.test(r);
}

/** `loop.call_soon(self.flush)`, `Thread(target=worker)` with an async function: never awaited. */
function checkAsyncCallbacks(ctx: PythonRuleContext, resolver: () => AwaitableResolver): void {
  if (!/call_soon|call_later|call_at|add_done_callback|add_signal_handler|add_reader|add_writer|run_in_executor|submit|to_thread|Thread|Timer|register|signal|addfinalizer|addCleanup/.test(ctx.text)) return;
  for (const call of nodesOfType(ctx.tree.rootNode, 'call')) {
    const fn = field(call, 'function');
    if (!fn) continue;
    const name = typeOf(fn) === 'attribute' ? textOf(field(fn, 'attribute')!) : typeOf(fn) === 'identifier' ? textOf(fn) : undefined;
    if (name === undefined || !SYNC_CALLBACK_SLOTS.has(name) || !syncCaller(ctx, fn, name)) continue;
    const arg = callbackArgument(call, name);
    if (!arg) continue;
    const shown = fn.text.replace(/\s*\n\s*/g, '');
    // A lambda given to a thread (`to_thread`, `run_in_executor`, `submit`) runs there; its result is theirs.
    const dropped = droppedByCallback(ctx, resolver, arg, name !== 'to_thread' && name !== 'run_in_executor' && name !== 'submit');
    if (!dropped) continue;
    ctx.report({
      message:
        'made' in dropped
          ? `${describe(dropped.made)} is made by a callback that ${shown}() calls without awaiting: it never runs (schedule it with asyncio.create_task(...) and keep the task)`
          : name === 'add_signal_handler'
            ? `${dropped.what}: ${shown}() raises TypeError on a coroutine function; hand it a plain function that schedules it (lambda: asyncio.create_task(...), keeping the task)`
            : `${dropped.what}, but ${shown}() calls it without awaiting: each call makes a coroutine that never runs`,
      range: ctx.rangeOf(dropped.at),
      anchors: [],
    });
  }
}

/**
 * What a callback, given to a caller that calls it plainly and drops what it returns, makes that
 * never runs: the coroutine the body of a lambda makes (`loop.call_later(5, lambda: refresh())`,
 * when `lambdas`), or a coroutine at each call of a coroutine function given by name or through
 * `functools.partial` (`loop.call_later(1, functools.partial(publish, event))`, or a name bound once
 * to one).
 */
function droppedByCallback(
  ctx: PythonRuleContext,
  resolver: () => AwaitableResolver,
  arg: Node,
  lambdas: boolean,
): { made: AwaitableCall; at: Node } | { what: string; at: Node } | undefined {
  const body = arg.type === 'lambda' ? arg.childForFieldName('body') : null;
  if (lambdas && body?.type === 'call') {
    const made = resolver().awaitableCall(body);
    return made && !made.generator && !isScheduled(made) ? { made, at: body } : undefined;
  }
  const ref = partialOf(ctx, arg) ?? arg;
  if ((ref.type !== 'identifier' && ref.type !== 'attribute') || !resolver().isCoroutineFunctionRef(ref)) return undefined;
  return { what: ref === arg ? `'${arg.text}' is an async function` : `'${ref.text}', called by functools.partial, is an async function`, at: arg };
}

/**
 * `self.button.clicked.connect(self.fetch)`, `ttk.Button(command=self.reload)`, `root.after(1000, self.poll)`,
 * `Clock.schedule_interval(self.poll, 5)` with an `async def`: the GUI toolkit calls it plainly, and each call
 * makes a coroutine that never runs; likewise a lambda there whose body makes one.
 */
function checkGuiCallbacks(ctx: PythonRuleContext, resolver: () => AwaitableResolver): void {
  const advice: Record<GuiCallbacks['toolkit'], string> = {
    Qt: "decorate it with qasync's @asyncSlot(), or connect a plain function that schedules it (asyncio.ensure_future(...), keeping the task)",
    Tkinter: 'give a plain function that schedules it on the loop the app runs (loop.create_task(...) or asyncio.run_coroutine_threadsafe(...), keeping what it gives), or wrap it with async_tkinter_loop\'s async_handler()',
    Kivy: 'give a plain function that schedules it (asyncio.ensure_future(...) under App.async_run(), keeping the task)',
    urwid: 'give a plain function that schedules it on the asyncio loop (loop.create_task(...), keeping the task)',
  };
  for (const call of nodesOfType(ctx.tree.rootNode, 'call')) {
    const gui = guiCallbacks(ctx, call);
    if (!gui) continue;
    // `self.bus.changed.connect(cb)` on a project class's own `connect()`: it may await what it is given.
    const signal = gui.toolkit === 'Qt' ? call.childForFieldName('function')?.childForFieldName('object') : null;
    if (signal && resolver().classOfReceiver(signal)?.kind === 'project') continue;
    for (const arg of gui.callbacks) {
      const dropped = droppedByCallback(ctx, resolver, arg, true);
      if (!dropped) continue;
      ctx.report({
        message:
          'made' in dropped
            ? `${describe(dropped.made)} is made by a callback that ${gui.caller} calls without awaiting (${gui.toolkit} drops what it returns): it never runs; ${advice[gui.toolkit]}`
            : `${dropped.what}, but ${gui.caller} calls it without awaiting (${gui.toolkit} calls its callbacks plainly): each call makes a coroutine that never runs; ${advice[gui.toolkit]}`,
        range: ctx.rangeOf(dropped.at),
        anchors: [],
      });
    }
  }
}

/** paho-mqtt's client classes: the network loop calls their `on_*` callbacks plainly, on its own thread. */
const PAHO_CLIENT = /^paho\.mqtt\.client\.Client$/;
const PAHO_CALLBACKS = new Set([
  'on_connect', 'on_connect_fail', 'on_disconnect', 'on_message', 'on_publish', 'on_subscribe', 'on_unsubscribe', 'on_log',
  'on_pre_connect', 'on_socket_open', 'on_socket_close', 'on_socket_register_write', 'on_socket_unregister_write',
]);
/** Calls whose `disconnected_callback=` bleak calls plainly (unlike its detection and notification callbacks, which may be async). */
const BLEAK_DISCONNECT = /^(bleak\.BleakClient|bleak_retry_connector\.BleakClientWithServiceCache|bleak_retry_connector\.establish_connection)$/;

/** Whether a name or `self.x` holds a paho-mqtt client made here (`mqtt.Client(...)`) or is annotated as one. */
function pahoClient(ctx: PythonRuleContext, receiver: Node): boolean {
  const isPaho = (value: Node | null | undefined): boolean => {
    const fn = value?.type === 'call' ? field(value, 'function') : value;
    return !!fn && (fn.type === 'identifier' || fn.type === 'attribute') && PAHO_CLIENT.test(ctx.scope.resolve(fn)?.name ?? '');
  };
  if (receiver.type === 'identifier') {
    const found = ctx.scope.lookup(receiver.text, receiver);
    if (found?.bindings.length !== 1) return false;
    const annotation = parameterAnnotation(found.bindings[0].node);
    return annotation ? isPaho(annotation.namedChildren[0] ?? annotation) : isPaho(assignedValue(found.bindings[0].node));
  }
  // `self._client = mqtt.Client(...)` in a method of the class (every such assignment).
  if (receiver.type !== 'attribute' || field(receiver, 'object')?.text !== 'self') return false;
  const name = field(receiver, 'attribute')?.text;
  const body = enclosingClassNode(receiver)?.childForFieldName('body');
  if (!body || !name) return false;
  const made = nodesOfType(body, 'assignment').filter((a) => {
    const left = field(a, 'left');
    return left?.type === 'attribute' && field(left, 'object')?.text === 'self' && field(left, 'attribute')?.text === name;
  });
  return made.length > 0 && made.every((a) => isPaho(field(a, 'right')));
}

/**
 * Coroutine functions given to libraries that call their callbacks plainly: paho-mqtt's
 * `client.on_message = handler` (on its network thread) and bleak's `disconnected_callback=`.
 * Each call makes a coroutine that never runs.
 */
function checkLibraryCallbacks(ctx: PythonRuleContext, resolver: () => AwaitableResolver): void {
  const report = (ref: Node, arg: Node, caller: string): void => {
    const what = ref === arg ? `'${arg.text}' is an async function` : `'${ref.text}', called by functools.partial, is an async function`;
    ctx.report({
      message: `${what}, but ${caller} calls it without awaiting: each call makes a coroutine that never runs (give a plain function that schedules it on the loop, e.g. with asyncio.run_coroutine_threadsafe(...) from another thread)`,
      range: ctx.rangeOf(arg),
      anchors: [],
    });
  };
  const coroutineFunction = (arg: Node): Node | undefined => {
    const ref = partialOf(ctx, arg) ?? arg;
    return (ref.type === 'identifier' || ref.type === 'attribute') && resolver().isCoroutineFunctionRef(ref) ? ref : undefined;
  };
  if (/\bpaho\b/.test(ctx.text)) {
    for (const assignment of nodesOfType(ctx.tree.rootNode, 'assignment')) {
      const left = field(assignment, 'left');
      const right = field(assignment, 'right');
      const slot = left?.type === 'attribute' ? field(left, 'attribute')?.text : undefined;
      const receiver = left?.type === 'attribute' ? field(left, 'object') : null;
      if (!slot || !PAHO_CALLBACKS.has(slot) || !receiver || !right || !pahoClient(ctx, receiver)) continue;
      const ref = coroutineFunction(right);
      if (ref) report(ref, right, `paho-mqtt's network loop (${slot})`);
    }
  }
  if (/\bbleak/.test(ctx.text)) {
    for (const call of nodesOfType(ctx.tree.rootNode, 'call')) {
      const fn = field(call, 'function');
      if (!fn || (fn.type !== 'identifier' && fn.type !== 'attribute') || !BLEAK_DISCONNECT.test(ctx.scope.resolve(fn)?.name ?? '')) continue;
      const keyword = callArguments(call).find((a) => a.type === 'keyword_argument' && field(a, 'name')?.text === 'disconnected_callback');
      const value = keyword && field(keyword, 'value');
      const ref = value && coroutineFunction(value);
      if (ref) report(ref, value, `bleak (disconnected_callback)`);
    }
  }
}

/** FastAPI's/Starlette's background tasks (a parameter annotated with the class). */
const BACKGROUND_TASKS = /^(fastapi\.BackgroundTasks|fastapi\.background\.BackgroundTasks|starlette\.background\.BackgroundTasks)$/;

/**
 * `tasks.add_task(notify(email))` on FastAPI's BackgroundTasks: it takes the function and its
 * arguments; a coroutine object given instead is never awaited (and calling it fails after the response).
 */
function checkBackgroundTasks(ctx: PythonRuleContext, resolver: () => AwaitableResolver): void {
  const quart = mentions(ctx.text, QUART_MENTION);
  for (const call of nodesOfType(ctx.tree.rootNode, 'call')) {
    const fn = field(call, 'function');
    // `BackgroundTask(send_receipt(email))` (Starlette, Litestar), `app.add_background_task(job(x))` (Quart).
    const taker = fn ? (backgroundTaker(ctx, fn, quart) ?? socketioBackgroundTask(fn, resolver)) : undefined;
    if (taker) {
      const first = callArguments(call)[0];
      const awaitable = first?.type === 'call' ? resolver().awaitableCall(first) : undefined;
      if (!awaitable || awaitable.generator || awaitable.library || isScheduled(awaitable)) continue;
      ctx.report({
        message: `${describe(awaitable)} is given to ${taker}() as a coroutine object: ${taker}() takes the function and its arguments (${taker}(${awaitable.display}, ...)); this coroutine never runs`,
        range: ctx.rangeOf(first!),
        anchors: [],
      });
      continue;
    }
    if (!fn || typeOf(fn) !== 'attribute' || field(fn, 'attribute')?.text !== 'add_task') continue;
    const receiver = field(fn, 'object');
    if (!receiver || typeOf(receiver) !== 'identifier') continue;
    const binding = ctx.scope.lookup(textOf(receiver), receiver)?.bindings;
    const annotation = binding?.length === 1 && binding[0].kind === 'param' ? parameterAnnotation(binding[0].node) : null;
    const cls = annotation && (annotation.namedChildren[0] ?? annotation);
    const r = cls && (cls.type === 'identifier' || cls.type === 'attribute') ? ctx.scope.resolve(cls) : undefined;
    if (!r || !BACKGROUND_TASKS.test(r.name)) continue;
    const first = callArguments(call)[0];
    if (first?.type !== 'call') continue;
    const awaitable = resolver().awaitableCall(first);
    if (!awaitable || awaitable.generator || awaitable.library || isScheduled(awaitable)) continue;
    ctx.report({
      message: `${describe(awaitable)} is given to add_task() as a coroutine object: add_task() takes the function and its arguments (add_task(${awaitable.display}, ...)); this coroutine never runs`,
      range: ctx.rangeOf(first),
      anchors: [],
    });
  }
}

/** Code on trio or anyio (a module that imports either and not asyncio): no gather(), nurseries and task groups instead. */
function structuredCode(ctx: PythonRuleContext): boolean {
  return !importsFrom(ctx, 'asyncio') && (importsFrom(ctx, 'trio') || importsFrom(ctx, 'anyio'));
}

/** trio's and anyio's runners, which take the async function and its arguments, not a coroutine. */
const FUNCTION_RUNNERS = new Set(['trio.run', 'anyio.run', 'trio.from_thread.run', 'anyio.from_thread.run']);
const NURSERIES = new Set(['trio.Nursery', 'anyio.abc.TaskGroup']);

/**
 * `nursery.start_soon(fetch(url))`, `await tg.start(serve(port))`, `trio.run(main())`: trio and
 * anyio take the async function and its arguments and call it themselves. A coroutine object
 * given instead raises TypeError, and is never awaited. `start_soon` on a receiver of unknown
 * class counts in a file that imports trio or anyio (a nursery handed in by a pytest-trio
 * fixture or a parameter); `start` only on a known nursery or task group.
 */
function checkStructuredSpawns(ctx: PythonRuleContext, resolver: () => AwaitableResolver): void {
  const structured = importsFrom(ctx, 'trio') || importsFrom(ctx, 'anyio');
  if (!structured) return;
  for (const call of nodesOfType(ctx.tree.rootNode, 'call')) {
    const fn = field(call, 'function');
    if (!fn) continue;
    let shown: string;
    if (typeOf(fn) === 'attribute') {
      const method = field(fn, 'attribute')?.text;
      if (method !== 'start_soon' && method !== 'start') {
        if (!FUNCTION_RUNNERS.has(ctx.scope.resolve(fn)?.name ?? '')) continue;
        shown = fn.text;
      } else {
        const receiver = field(fn, 'object');
        const cls = receiver ? resolver().classOfReceiver(receiver) : undefined;
        const nursery = cls?.kind === 'library' && NURSERIES.has(cls.name);
        if (!nursery && (method === 'start' || cls)) continue;
        shown = method;
      }
    } else if (typeOf(fn) === 'identifier' && FUNCTION_RUNNERS.has(ctx.scope.resolve(fn)?.name ?? '')) {
      shown = fn.text;
    } else continue;
    const args = callArguments(call);
    const first = args[0];
    if (first?.type !== 'call') continue;
    const awaitable = resolver().awaitableCall(first);
    if (!awaitable || awaitable.generator || isScheduled(awaitable)) continue;
    const callee = field(first, 'function');
    const inner = callArguments(first);
    const positional = args.filter((a) => a.type !== 'keyword_argument');
    // `start_soon(fetch(url))` → `start_soon(fetch, url)`: only when every argument of the inner
    // call is positional (the runners pass no keywords on) and nothing follows it but keywords.
    const keywords = inner.some((a) => a.type === 'keyword_argument' || a.type === 'dictionary_splat');
    const fixable = !!callee && positional.length === 1 && !keywords;
    const spelled = callee ? [callee.text, ...inner.map((a) => a.text)].join(', ') : '';
    // Keywords reach the function through functools.partial.
    const advice = callee ? ` (${shown}(${keywords ? `functools.partial(${spelled})` : spelled}))` : '';
    ctx.report({
      message: `${describe(awaitable)} is given to ${shown}() as a coroutine object: ${shown}() takes the async function and its arguments${advice} and raises TypeError on a coroutine, which never runs`,
      range: ctx.rangeOf(first),
      anchors: [],
      fix: fixable ? { title: `Pass ${callee!.text} and its arguments to ${shown}()`, safe: true, edits: [{ range: ctx.rangeOf(first), newText: spelled }] } : undefined,
    });
  }
}

/** Background task classes that take a function and its arguments, not a coroutine. */
const BACKGROUND_TASK = /^(starlette\.background|fastapi\.background|litestar\.background_tasks|litestar)\.BackgroundTask$/;
const QUART_MENTION = importsModule('quart');

/**
 * What a callee that takes a background function is called, when `fn` is one: Starlette's and
 * Litestar's `BackgroundTask(...)`, and Quart's `add_background_task(...)` (on the app or
 * `current_app`, in a file that imports Quart).
 */
function backgroundTaker(ctx: PythonRuleContext, fn: Node, quart: boolean): string | undefined {
  if (quart && typeOf(fn) === 'attribute' && field(fn, 'attribute')?.text === 'add_background_task') return 'add_background_task';
  if (typeOf(fn) !== 'identifier' && typeOf(fn) !== 'attribute') return undefined;
  const r = textOf(fn).includes('Task') ? ctx.scope.resolve(fn) : undefined;
  return r && r.via !== 'unbound' && BACKGROUND_TASK.test(r.name) ? 'BackgroundTask' : undefined;
}

/** python-socketio's asyncio server, client and namespaces, whose `start_background_task(fn, *args)` calls `fn(*args)`. */
const SOCKETIO_ASYNC = new Set(['socketio.AsyncServer', 'socketio.AsyncClient', 'socketio.AsyncNamespace', 'socketio.AsyncClientNamespace']);

/** `sio.start_background_task` on a python-socketio asyncio server or client (or `self` in a namespace), when `fn` is one. */
function socketioBackgroundTask(fn: Node, resolver: () => AwaitableResolver): string | undefined {
  if (typeOf(fn) !== 'attribute' || field(fn, 'attribute')?.text !== 'start_background_task') return undefined;
  const receiver = field(fn, 'object');
  return receiver && resolver().libraryClassOfReceiver(receiver, (name) => SOCKETIO_ASYNC.has(name)) ? 'start_background_task' : undefined;
}

/** Quart's request attributes that are awaitables, unlike Flask's (`form = await request.form`). */
const QUART_AWAITABLE_PROPERTIES = /^(form|files|json|data|values)$/;

/**
 * `request.form["name"]`, `request.json.get("id")`, or `form = request.form` then `form["name"]`: Quart's
 * request gives its body through awaitable properties; read without await (the Flask habit), they are
 * coroutine objects, and the item or attribute read fails.
 */
function checkQuartProperties(ctx: PythonRuleContext): void {
  for (const attribute of nodesOfType(ctx.tree.rootNode, 'attribute')) {
    const name = field(attribute, 'attribute')?.text ?? '';
    const object = field(attribute, 'object');
    if (!QUART_AWAITABLE_PROPERTIES.test(name) || !object || (object.type !== 'identifier' && object.type !== 'attribute')) continue;
    if (ctx.scope.resolve(object)?.name !== 'quart.request' || parentOf(attribute)?.type === 'await') continue;
    const parent = parentOf(attribute);
    // Read at once: an item, an attribute (`request.json.get(...)`), or kept in a name read as the value.
    const readAtOnce = !!parent && ((parent.type === 'subscript' && field(parent, 'value')?.id === attribute.id) || (parent.type === 'attribute' && field(parent, 'object')?.id === attribute.id));
    const stored = readAtOnce ? undefined : usedOnlyAsResult(ctx, attribute, COROUTINE_API);
    if (!readAtOnce && (!stored || stored.entered)) continue;
    const shown = attribute.text.replace(/\s+/g, '');
    ctx.report({
      message: stored
        ? `${shown} is awaitable in Quart (unlike Flask): '${stored.name}' holds a coroutine object, not the request's ${name}, and is used as its value; await it ('${stored.name} = await ${shown}')`
        : `${shown} is awaitable in Quart (unlike Flask): read without await it is a coroutine object, not the request's ${name}; await it ('(await ${shown})')`,
      range: ctx.rangeOf(attribute),
      anchors: [],
      fix: canInsertAwait(ctx, attribute) ? { title: `Await ${shown}`, safe: true, edits: awaitEdits(ctx, attribute) } : undefined,
    });
  }
}

/** The function a `functools.partial(fn, ...)` calls, written in place or bound once to a name. */
function partialOf(ctx: PythonRuleContext, expr: Node): Node | undefined {
  let value: Node | null = expr;
  if (expr.type === 'identifier') {
    const found = ctx.scope.lookup(expr.text, expr);
    value = found?.bindings.length === 1 ? assignedValue(found.bindings[0].node) : null;
  }
  if (value?.type !== 'call' || ctx.scope.resolve(field(value, 'function') ?? value)?.name !== 'functools.partial') return undefined;
  const first = callArguments(value)[0];
  return first && first.type !== 'keyword_argument' ? first : undefined;
}

/** click's decorators that only attach parameters and give the function back (below `@cli.command()`, it is still the `async def`). */
const CLICK_PARAMETERS = /^click\.(argument|option|pass_context|pass_obj|version_option|help_option|password_option|confirmation_option|make_pass_decorator)$/;

/**
 * The library a decorator registers a function with that calls it plainly, never awaiting what
 * it returns: `atexit` (`@atexit.register`), click (`@click.command()`, `@cli.command()` on a
 * group of the file; not asyncclick) and Celery (`@shared_task`, `@app.task` on a `Celery(...)`
 * app made in the file or imported from the project).
 */
function plainCaller(ctx: PythonRuleContext, decorator: Node, depth = 0): 'atexit' | 'click' | 'Celery' | undefined {
  const target = decoratorTarget(decorator);
  if (!target || (target.type !== 'identifier' && target.type !== 'attribute') || depth > 4) return undefined;
  const name = ctx.scope.resolve(target)?.name ?? '';
  if (name === 'atexit.register') return 'atexit';
  // `@click.group(cls=AsyncGroup)`: a class of the project's may run coroutine commands.
  const custom = (decorator.namedChildren[0]?.type === 'call' ? callArguments(decorator.namedChildren[0]) : []).some((a) => a.type === 'keyword_argument' && field(a, 'name')?.text === 'cls');
  if (/^click\.(command|group)$/.test(name)) return custom ? undefined : 'click';
  // celery-aio-pool's AsyncIOPool runs coroutine tasks: a file that names it is left alone.
  const celery = !/\baio_pool\b|AsyncIOPool/.test(ctx.text);
  if (/^celery\.(app\.)?shared_task$/.test(name)) return celery ? 'Celery' : undefined;
  const method = target.type === 'attribute' ? field(target, 'attribute')?.text : undefined;
  const receiver = target.type === 'attribute' ? field(target, 'object') : null;
  if (!method || receiver?.type !== 'identifier') return undefined;
  const found = ctx.scope.lookup(receiver.text, receiver);
  const b = found?.bindings.length === 1 ? found.bindings[0] : undefined;
  if (!b) return undefined;
  // `@cli.command()` with `@click.group() def cli(): ...` in this file.
  if ((method === 'command' || method === 'group') && !custom && b.kind === 'def' && b.node.parent?.type === 'decorated_definition') {
    const groups = b.node.parent.namedChildren.filter((d): d is Node => d?.type === 'decorator');
    return groups.some((d) => plainCaller(ctx, d, depth + 1) === 'click') ? 'click' : undefined;
  }
  if (method !== 'task') return undefined;
  // `app = Celery("proj")` here, or `from .celery_app import app` with that there.
  if (b.kind === 'assign') {
    const value = assignedValue(b.node);
    const ctor = value?.type === 'call' ? field(value, 'function') : null;
    return celery && ctor && (ctor.type === 'identifier' || ctor.type === 'attribute') && /^celery\.(app\.(base\.)?)?Celery$/.test(ctx.scope.resolve(ctor)?.name ?? '') ? 'Celery' : undefined;
  }
  if (b.kind === 'import') {
    const binding = importedBinding(b.node, receiver.text);
    const file = binding?.name ? ctx.project.resolveModule(ctx.filePath, binding.module, binding.level) : undefined;
    const ctor = file && binding?.name ? ctx.project.summary(file)?.instances.get(binding.name) : undefined;
    return celery && ctor && /(^|\.)Celery$/.test(ctor) ? 'Celery' : undefined;
  }
  return undefined;
}

/**
 * An `async def` registered with a library that calls it plainly: `@atexit.register`, a click
 * command, a Celery task. The library calls it, gets a coroutine and drops it (click, atexit) or
 * tries to store it as the task's result (Celery): the body never runs.
 */
function checkPlainlyCalledDefinitions(ctx: PythonRuleContext): void {
  if (!/atexit|click|celery|shared_task/.test(ctx.text)) return;
  for (const def of nodesOfType(ctx.tree.rootNode, 'function_definition')) {
    if (!isAsyncFunction(def) || def.parent?.type !== 'decorated_definition') continue;
    const decorators = def.parent.namedChildren.filter((d): d is Node => d?.type === 'decorator');
    // The registrar must get the `async def` itself: decorators below it other than click's
    // parameter ones may wrap it in a plain function (`@coro` running `asyncio.run(f(...))`).
    for (let i = decorators.length - 1; i >= 0; i--) {
      const library = plainCaller(ctx, decorators[i]);
      if (library) {
        const name = def.childForFieldName('name');
        const fix =
          library === 'click'
            ? 'make the command a plain function that runs the coroutine with asyncio.run(...), or use asyncclick'
            : library === 'Celery'
              ? 'make the task a plain function that runs the coroutine with asyncio.run(...)'
              : 'register a plain function that runs the coroutine with asyncio.run(...)';
        const what = library === 'click' ? 'click calls its commands' : library === 'Celery' ? 'Celery calls its tasks' : 'atexit calls its handlers';
        if (name) ctx.report({ message: `'${name.text}' is an async function, but ${what} without awaiting: the coroutine never runs (${fix})`, range: ctx.rangeOf(name), anchors: [] });
        break;
      }
      const target = decoratorTarget(decorators[i]);
      const resolved = target && (target.type === 'identifier' || target.type === 'attribute') ? ctx.scope.resolve(target)?.name ?? '' : '';
      const parameter = CLICK_PARAMETERS.test(resolved) || (target?.type === 'attribute' && /^(argument|option)$/.test(field(target, 'attribute')?.text ?? '') && /^click\./.test(resolved));
      if (!parameter) break;
    }
  }
}

export function checkUnawaitedCoroutines(ctx: PythonRuleContext): void {
  checkPlainlyCalledDefinitions(ctx);
  let resolver: AwaitableResolver | undefined;
  checkAsyncCallbacks(ctx, () => (resolver ??= awaitablesOf(ctx)));
  checkLibraryCallbacks(ctx, () => (resolver ??= awaitablesOf(ctx)));
  if (/PyQt|PySide|qtpy|tkinter|customtkinter|ttkbootstrap|kivy|urwid/.test(ctx.text)) checkGuiCallbacks(ctx, () => (resolver ??= awaitablesOf(ctx)));
  checkSyncWith(ctx, () => (resolver ??= awaitablesOf(ctx)));
  checkAsyncWithCoroutine(ctx, () => (resolver ??= awaitablesOf(ctx)));
  checkGeneratorsUsedAsCoroutines(ctx, () => (resolver ??= awaitablesOf(ctx)));
  if (/add_task|add_background_task|BackgroundTask|start_background_task/.test(ctx.text)) checkBackgroundTasks(ctx, () => (resolver ??= awaitablesOf(ctx)));
  if (/\b(start_soon|start|run)\(/.test(ctx.text)) checkStructuredSpawns(ctx, () => (resolver ??= awaitablesOf(ctx)));
  if (/iscoroutinefunction|is_async_callable/.test(ctx.text)) checkGuardedCalls(ctx, () => (resolver ??= awaitablesOf(ctx)));
  if (mentions(ctx.text, QUART_MENTION)) checkQuartProperties(ctx);
  for (const call of nodesOfType(ctx.tree.rootNode, 'call')) {
    const use = syncUse(ctx, call);
    if (use) {
      // What a syntax error's recovery glued to the call (`await f(e)` read with the next
      // line's `except x` as `f(e) x`) says nothing about how the call is used.
      if (parentOf(call)?.hasError) continue;
      resolver ??= awaitablesOf(ctx);
      checkSyncUse(ctx, resolver, call, use);
      continue;
    }
    if (parentOf(call) && typeOf(parentOf(call)!) === 'return_statement') {
      resolver ??= awaitablesOf(ctx);
      checkReturned(ctx, resolver, call);
      continue;
    }
    // `results.extend(fetch(u) for u in urls)`, `results.append(fetch(u))` into a list whose items are never awaited.
    const container = filledContainer(call);
    if (container) {
      resolver ??= awaitablesOf(ctx);
      const made = resolver.awaitableCall(call);
      if (!made || made.generator || made.mayBeFuture || isScheduled(made) || (made.library && isNotCoroutine(made.name ?? '')) || !itemsNeverAwaited(ctx, container)) continue;
      ctx.report({
        message: `The coroutine${container.many ? 's' : ''} ${made.display}() makes ${container.many ? 'are' : 'is'} added to '${container.list.text}', whose items are never awaited (only read as values, or not at all): ${container.many ? 'none of them runs' : 'it never runs'}; ${structuredCode(ctx) ? 'start the function in a nursery or task group instead (start_soon(fn, arg))' : `await the items (asyncio.gather(*${container.list.text}), or a TaskGroup)`}`,
        range: ctx.rangeOf(call),
        anchors: [],
      });
      continue;
    }
    // `[fetch(u) for u in urls]` as a statement, or stored and never used: a list of coroutines.
    const comprehension = madeByComprehension(call);
    if (comprehension) {
      if (!maybeDiscarded(comprehension)) continue;
      resolver ??= awaitablesOf(ctx);
      const made = resolver.awaitableCall(call);
      if (!made || made.generator || isScheduled(made)) continue;
      const discarded = discardKind(ctx, comprehension);
      if (!discarded || expectedToRaise(call)) continue;
      const where = discarded === 'statement' ? 'are never awaited' : `are stored in '${discarded}' but never awaited`;
      ctx.report({
        message: `The coroutines this comprehension makes with ${made.display}() ${where}, so none of them runs: ${structuredCode(ctx) ? 'start the function in a nursery or task group instead (start_soon(fn, arg))' : 'await them (asyncio.gather(*coros), or a TaskGroup)'}`,
        range: ctx.rangeOf(call),
        // Not a shape pyright's reportUnusedCoroutine reports.
        anchors: [],
      });
      continue;
    }
    if (!maybeDiscarded(call)) continue;
    resolver ??= awaitablesOf(ctx);
    const found = resolver.awaitableCall(call);
    if (found?.generator) {
      const generator = found;
      const discarded = discardKind(ctx, call);
      if (discarded && !expectedToRaise(call)) {
        const where = discarded === 'statement' ? 'is never iterated' : `is stored in '${discarded}' but never iterated`;
        ctx.report({ message: `The async generator from ${generator.display}() ${where}, so its body never runs: iterate it with 'async for'`, range: ctx.rangeOf(call), anchors: [] });
      } else if (!discarded) checkStoredGenerator(ctx, call, generator);
      continue;
    }
    const awaitable = found;
    if (!awaitable) continue;
    // `if inspect.iscoroutinefunction(hook): ... else: hook(response)`: the code has just found it is no coroutine function.
    const callee = field(call, 'function');
    if (callee && /iscoroutinefunction|is_async_callable/.test(ctx.text) && guardedAsPlainFunction(ctx, call, callee.text)) continue;
    // Only now (most calls are not awaitables) look for later uses of an assigned result.
    const discarded = discardKind(ctx, call);
    if (!discarded) {
      // A scheduled future (`loop.run_in_executor(...)`) used through its own API is fine.
      const scheduled = isScheduled(awaitable);
      // `reply = ws.recv()` … `return reply` from an `async def`: the caller awaits the function and
      // gets the coroutine object (as with `return ws.recv()`, see checkReturned).
      const returned = !scheduled && !awaitable.generator && !awaitable.name?.startsWith('aiogram.');
      // `stream = client.chat.completions.create(..., stream=True)` then `async for chunk in stream`: a plain
      // coroutine (the project's own, or an LLM SDK's resource method) is no async iterator (TypeError).
      const plainCoroutine = !scheduled && !awaitable.generator && !awaitable.mayBeFuture && (!awaitable.library || SDK_RESOURCE_COROUTINE.test(awaitable.name ?? ''));
      const used = usedOnlyAsResult(ctx, call, isGrpcCall(awaitable) ? GRPC_CALL_API : scheduled ? FUTURE_API : queryObjectApi(awaitable.name) ?? COROUTINE_API, returned, plainCoroutine);
      // Entering it is only a mistake for a plain coroutine (see checkAsyncWithCoroutine).
      if (used && !(scheduled && used.entered) && (!used.entered || !awaitable.library || PLAIN_COROUTINE_OPENERS.has(awaitable.name ?? ''))) {
        const { name } = used;
        const what = describe(awaitable);
        ctx.report({
          message: used.entered
            ? `${what} is stored in '${name}' and entered with 'async with' without await: a coroutine is no async context manager (TypeError)`
            : `${what} is stored in '${name}' and used as its result without await: '${name}' holds ${isGrpcCall(awaitable) ? 'the gRPC call object' : scheduled ? 'a future' : madeObject(awaitable)}, not the value it would return`,
          range: ctx.rangeOf(call),
          // Not a shape pyright's reportUnusedCoroutine reports.
          anchors: [],
          fix: canInsertAwait(ctx, call) ? awaitFix(ctx, call, awaitable) : undefined,
        });
      } else if (!scheduled && !awaitable.generator && !awaitable.mayBeFuture) {
        const attribute = attributeUsedOnlyAsResult(call);
        if (attribute) {
          const what = describe(awaitable);
          const inAsync = ctx.scope.isAsyncContext(call);
          ctx.report({
            message: `${what} is stored in '${attribute.target}' without await, and '${attribute.use}' uses it as its result: '${attribute.target}' holds ${madeObject(awaitable)}, not the value it would return${inAsync ? '' : ' (await it in an async method, such as a start() or __aenter__())'}`,
            range: ctx.rangeOf(call),
            anchors: [],
            fix: inAsync && canInsertAwait(ctx, call) ? awaitFix(ctx, call, awaitable) : undefined,
          });
        }
      }
      continue;
    }
    if (expectedToRaise(call)) continue;
    const canAwait = canInsertAwait(ctx, call);
    // gather/shield/run_in_executor schedule their work at once: it runs, but nothing waits for
    // it and its exception is lost. A callable declared `Callable[..., Awaitable[T]]` may give a
    // coroutine that never runs or such a future. Awaiting either changes when the caller
    // resumes: a suggestion.
    const scheduled = isScheduled(awaitable);
    if (scheduled || awaitable.mayBeFuture) {
      const where = discarded === 'statement' ? 'is never awaited' : `is stored in '${discarded}' but never awaited`;
      ctx.report({
        message: isGrpcCall(awaitable)
          ? `The gRPC call from ${awaitable.display}() ${where}: the RPC starts, but nothing waits for its reply and its error is lost`
          : scheduled
          ? `The future from ${awaitable.display}() ${where}: the work runs, but nothing waits for it to finish and its exception is lost`
          : `The awaitable from ${awaitable.display}() ${where}: if it is a coroutine it never runs, and if it is a future its outcome is lost`,
        range: ctx.rangeOf(call),
        suggestions: canAwait ? [{ title: `Await ${awaitable.display}()`, safe: false, edits: awaitEdits(ctx, call) }] : undefined,
      });
      continue;
    }
    const what = describe(awaitable);
    const tail = discarded === 'statement' ? 'is never awaited, so it never runs' : `is stored in '${discarded}' but never awaited, so it never runs`;
    ctx.report({
      message: `${what} ${tail}`,
      range: ctx.rangeOf(call),
      fix: canAwait ? awaitFix(ctx, call, awaitable) : undefined,
    });
  }
}

/** Tests that a callable is a coroutine function: `inspect.iscoroutinefunction(cb)`, Starlette's `is_async_callable(cb)`. */
const COROUTINE_FUNCTION_TESTS = /^(inspect|asyncio(\.coroutines)?)\.iscoroutinefunction$|(^|\.)(is_async_callable|iscoroutinefunction_or_partial)$/;

/**
 * `if inspect.iscoroutinefunction(hook): hook(response)`: the branch has just tested that `hook` is a
 * coroutine function, and then calls it as a statement. The coroutine is dropped and never runs
 * (the shape of a dual sync/async callback dispatcher whose async branch was copied from the sync one).
 */
function checkGuardedCalls(ctx: PythonRuleContext, resolver: () => AwaitableResolver): void {
  for (const call of nodesOfType(ctx.tree.rootNode, 'call')) {
    const callee = field(call, 'function');
    if (!callee || (typeOf(callee) !== 'identifier' && typeOf(callee) !== 'attribute')) continue;
    const statement = parentOf(call);
    if (!statement || typeOf(statement) !== 'expression_statement' || statement.namedChildCount !== 1) continue;
    if (!guardedAsCoroutineFunction(ctx, statement, callee.text)) continue;
    // What the resolver knows as a coroutine is reported by the main check.
    if (resolver().awaitableCall(call)) continue;
    const canAwait = canInsertAwait(ctx, call);
    ctx.report({
      message: `'${callee.text}' was just tested to be a coroutine function, and ${callee.text}() is called without await: the coroutine is dropped and never runs${canAwait ? '' : ' (this function is not async: schedule it on the running loop, or make the function async)'}`,
      range: ctx.rangeOf(call),
      fix: canAwait ? { title: `Await ${callee.text}()`, safe: true, edits: awaitEdits(ctx, call) } : undefined,
    });
  }
}

/**
 * Whether `statement` sits (in the same function) in the body of an `if`/`elif` whose condition tests
 * `name` with a coroutine-function test (alone or in an `and`), and `name` is not rebound in that body before it.
 */
function guardedAsCoroutineFunction(ctx: PythonRuleContext, statement: Node, name: string): boolean {
  let inner: Node = statement;
  for (let n = parentOf(statement); n; inner = n, n = parentOf(n)) {
    const type = typeOf(n);
    if (type === 'function_definition' || type === 'lambda' || type === 'class_definition') return false;
    if (type !== 'block') continue;
    const branch = parentOf(n);
    if (!branch || (typeOf(branch) !== 'if_statement' && typeOf(branch) !== 'elif_clause') || field(branch, 'consequence')?.id !== n.id) continue;
    const condition = field(branch, 'condition');
    if (!condition || !testsCoroutineFunction(ctx, condition, name)) continue;
    // `if iscoroutinefunction(cb): cb = wrap(cb)` … `cb(x)`: rebound in between.
    const rebound = n.namedChildren.some((c) => c !== null && c.startIndex < inner.startIndex
      && c.descendantsOfType(['assignment', 'augmented_assignment']).some((a) => a !== null && (field(a, 'left')?.text ?? '') === name));
    return !rebound;
  }
  return false;
}

/**
 * Whether `node` sits (in the same function) where a coroutine-function test of `name` has just failed:
 * the `else` of `if iscoroutinefunction(name):` (or of its `elif`), or the body of `if not iscoroutinefunction(name):`.
 */
function guardedAsPlainFunction(ctx: PythonRuleContext, node: Node, name: string): boolean {
  for (let inner: Node = node, n = parentOf(node); n; inner = n, n = parentOf(n)) {
    const type = typeOf(n);
    if (type === 'function_definition' || type === 'lambda' || type === 'class_definition') return false;
    if (type === 'else_clause' || type === 'elif_clause') {
      // Every test before this branch failed: `if iscoroutinefunction(hook): ... else: hook(x)`.
      const statement = parentOf(n);
      if (!statement || typeOf(statement) !== 'if_statement') continue;
      const earlier = [field(statement, 'condition'), ...statement.namedChildren.filter((c) => c?.type === 'elif_clause' && c.startIndex < n!.startIndex).map((c) => field(c!, 'condition'))];
      // A test joined by `and` may fail for its other operand: only the test alone says the callable is plain.
      if (earlier.some((c) => !!c && unwrapped(c).type === 'call' && testsCoroutineFunction(ctx, c, name))) return true;
      continue;
    }
    if (type === 'block' && inner) {
      const branch = parentOf(n);
      if (branch && (typeOf(branch) === 'if_statement' || typeOf(branch) === 'elif_clause') && field(branch, 'consequence')?.id === n.id) {
        const condition = field(branch, 'condition');
        const negated = condition?.type === 'not_operator' ? condition.childForFieldName('argument') : null;
        if (negated && unwrapped(negated).type === 'call' && testsCoroutineFunction(ctx, negated, name)) return true;
      }
    }
  }
  return false;
}

function unwrapped(expr: Node): Node {
  let e = expr;
  while (typeOf(e) === 'parenthesized_expression' && e.namedChildren[0]) e = e.namedChildren[0];
  return e;
}

function testsCoroutineFunction(ctx: PythonRuleContext, condition: Node, name: string): boolean {
  let c = condition;
  while (typeOf(c) === 'parenthesized_expression' && c.namedChildren[0]) c = c.namedChildren[0];
  if (typeOf(c) === 'boolean_operator') {
    if (c.children.some((t) => t?.type === 'or')) return false;
    const left = field(c, 'left');
    const right = field(c, 'right');
    return (!!left && testsCoroutineFunction(ctx, left, name)) || (!!right && testsCoroutineFunction(ctx, right, name));
  }
  if (typeOf(c) !== 'call') return false;
  const args = callArguments(c);
  if (args.length !== 1 || args[0].text !== name) return false;
  const fn = field(c, 'function');
  if (!fn) return false;
  const resolved = ctx.scope.resolve(fn);
  // Imported (`from starlette._utils import is_async_callable`), or `inspect.…` in a snippet without its imports.
  if (resolved) return COROUTINE_FUNCTION_TESTS.test(resolved.via === 'unbound' && !/^(inspect|asyncio)\./.test(resolved.name) ? '' : resolved.name);
  // The project's own helper of that name (`def is_async_callable(obj): ...` in the module).
  return typeOf(fn) === 'identifier' && /^(is_async_callable|iscoroutinefunction_or_partial)$/.test(fn.text);
}

/** Async context managers made by a call (resolved name), and classes whose instances are ones. */
const ASYNC_CM_FACTORIES = new Set([
  'asyncio.timeout', 'asyncio.timeout_at', 'async_timeout.timeout', 'async_timeout.timeout_at', 'asyncio.TaskGroup', 'aiohttp.ClientSession', 'httpx.AsyncClient', 'anyio.create_task_group', 'trio.open_nursery',
  'contextlib.aclosing', 'contextlib.AsyncExitStack', 'grpc.aio.insecure_channel', 'grpc.aio.secure_channel',
  // MCP: the client session and the transports it runs over (`async with stdio_client(params) as (read, write)`),
  // fastmcp 2.x's Client, the OpenAI Agents SDK's MCP servers, LangGraph's async checkpointers.
  'mcp.ClientSession', 'mcp.client.session.ClientSession', 'mcp.stdio_client', 'mcp.client.stdio.stdio_client', 'mcp.client.sse.sse_client',
  'mcp.client.streamable_http.streamablehttp_client', 'mcp.client.streamable_http.streamable_http_client', 'mcp.client.websocket.websocket_client',
  'mcp.server.stdio.stdio_server', 'mcp.stdio_server', 'mcp.Client', 'mcp.client.client.Client',
  'mcp.client.session_group.ClientSessionGroup', 'fastmcp.Client', 'fastmcp.client.Client', 'agents.mcp.MCPServerStdio', 'agents.mcp.MCPServerSse', 'agents.mcp.MCPServerStreamableHttp',
  'langgraph.checkpoint.postgres.aio.AsyncPostgresSaver.from_conn_string', 'langgraph.checkpoint.sqlite.aio.AsyncSqliteSaver.from_conn_string',
]);
const ASYNC_CM_CLASSES = new Set(['asyncio.Lock', 'asyncio.Semaphore', 'asyncio.BoundedSemaphore', 'asyncio.Condition', 'aiohttp.ClientSession', 'httpx.AsyncClient']);
/**
 * Methods of library classes that make an async-only context manager: aio-pika's `message.process()`
 * (async since aio-pika 7), asyncpg's `conn.transaction()` and `pool.acquire()`, a `redis.asyncio`
 * lock, an aiohttp session's requests, python-socketio's `sio.session(sid)`.
 */
const ASYNC_CM_METHODS: Readonly<Record<string, ReadonlySet<string>>> = {
  'aio_pika.abc.AbstractIncomingMessage': new Set(['process']),
  'asyncpg.Connection': new Set(['transaction']),
  'asyncpg.Pool': new Set(['acquire']),
  'redis.asyncio.Redis': new Set(['lock']),
  // python-socketio's session of a client, `async with sio.session(sid) as session:`.
  'socketio.AsyncServer': new Set(['session']),
  'socketio.AsyncNamespace': new Set(['session']),
  // Its requests and `ws_connect()`: what they give once entered is what they give once awaited.
  'aiohttp.ClientSession': new Set(Object.keys(METHOD_RESULTS['aiohttp.ClientSession'])),
  // pydantic-ai's streamed and step-by-step runs: `async with agent.run_stream(prompt) as result:`.
  'pydantic_ai.Agent': new Set(['run_stream', 'iter']),
};

/** `with lock:` on an asyncio.Lock, `with aiohttp.ClientSession() as s:`: these need `async with`. */
function checkSyncWith(ctx: PythonRuleContext, resolver: () => AwaitableResolver): void {
  if (!ctx.text.includes('with')) return;
  for (const statement of nodesOfType(ctx.tree.rootNode, 'with_statement')) {
    if (statement.child(0)?.type === 'async') continue;
    const values = withItemValues(statement);
    for (const value of values) {
      let what: string | undefined;
      if (value.type === 'call') {
        const fn = value.childForFieldName('function');
        const r = fn && (fn.type === 'identifier' || fn.type === 'attribute') ? ctx.scope.resolve(fn) : undefined;
        if (r && ASYNC_CM_FACTORIES.has(r.name) && (r.via !== 'unbound' || r.name.startsWith('asyncio.'))) what = `${r.name}()`;
        // The project's own: `@asynccontextmanager def advisory_lock(...)`, a class with only `__aenter__`.
        else if (fn && resolver().asyncOnly(value, 'with')) what = `${fn.text.replace(/\s+/g, '')}()`;
        // `with message.process():` on an aio-pika message.
        // Also a method a project class inherits from such a library class (`self.session(sid)` in a socketio namespace).
        else if (fn?.type === 'attribute') {
          const method = fn.childForFieldName('attribute')?.text ?? '';
          if (resolver().libraryClassOfReceiver(fn.childForFieldName('object')!, (name) => !!ASYNC_CM_METHODS[name]?.has(method))) what = `${fn.text.replace(/\s+/g, '')}()`;
        }
      } else if (value.type === 'identifier' || value.type === 'attribute') {
        const cls = resolver().classOfReceiver(value);
        if (cls?.kind === 'library' && ASYNC_CM_CLASSES.has(cls.name)) what = `'${value.text}' (${cls.name})`;
        // An instance of a project class with only `__aenter__`.
        else if (cls?.kind === 'project' && resolver().asyncOnly(value, 'with')) what = `'${value.text}' (${cls.summary.name})`;
      }
      if (!what) continue;
      ctx.report({
        message: `${what} is an async context manager: a plain 'with' raises TypeError (or AttributeError), enter it with 'async with'`,
        range: ctx.rangeOf(value),
        // Not a shape pyright's reportUnusedCoroutine reports.
        anchors: [],
        // With other items in the same statement, `async with` would also apply to them.
        fix: values.length === 1 && ctx.scope.isAsyncContext(statement) ? prefixAsync(ctx, statement, "Use 'async with'") : undefined,
      });
      break;
    }
  }
}

/** Library functions that are plain coroutine functions giving an async context manager once awaited. */
const PLAIN_COROUTINE_OPENERS = new Set([
  'anyio.open_file', 'anyio.connect_tcp', 'anyio.connect_unix', 'anyio.open_process', 'trio.open_file', 'trio.open_tcp_stream',
  'trio.open_ssl_over_tcp_stream', 'trio.open_unix_socket',
]);

/**
 * `async with anyio.open_file(path) as f:`: the call makes a coroutine, which is no async context
 * manager (TypeError); what it gives once awaited is one: `async with await anyio.open_file(...)`.
 * Only the project's own coroutine functions and a few library ones known to be plain coroutines:
 * many library calls give an object both awaitable and an async context manager
 * (`session.get()`, `pool.acquire()`, `aiofiles.open()`, aiosqlite's `db.execute()`).
 */
/**
 * The LLM SDKs' resource methods (`client.chat.completions.create(..., stream=True)`): plain
 * coroutines that give the stream, neither async iterables nor async context managers themselves.
 */
const SDK_RESOURCE_COROUTINE = /^(openai|anthropic|groq)\.resources\./;

function checkAsyncWithCoroutine(ctx: PythonRuleContext, resolver: () => AwaitableResolver): void {
  if (!ctx.text.includes('async with')) return;
  for (const statement of nodesOfType(ctx.tree.rootNode, 'with_statement')) {
    if (statement.child(0)?.type !== 'async') continue;
    for (const value of withItemValues(statement)) {
      if (value.type !== 'call') continue;
      const made = resolver().awaitableCall(value);
      if (made?.generator) {
        // `@asynccontextmanager` makes the call an async context manager: the resolver does not take it for a generator.
        ctx.report({
          message: `${made.display}() is an async generator, not an async context manager: 'async with' on it raises TypeError; decorate the function with @contextlib.asynccontextmanager, or iterate it with 'async for'`,
          range: ctx.rangeOf(value),
          anchors: [],
        });
        continue;
      }
      if (!made || (made.library && !PLAIN_COROUTINE_OPENERS.has(made.name ?? '') && !SDK_RESOURCE_COROUTINE.test(made.name ?? ''))) continue;
      ctx.report({
        message: `The coroutine from ${made.display}() is entered with 'async with', but a coroutine is no async context manager (TypeError): await it first — 'async with await ${made.display}(...)'`,
        range: ctx.rangeOf(value),
        // Not a shape pyright's reportUnusedCoroutine reports.
        anchors: [],
        fix: { title: 'Await it before entering what it gives', safe: true, edits: [{ range: ctx.rangeOf(value), newText: `await ${value.text}` }] },
      });
    }
  }
}

/** asyncio functions that take a coroutine (or future) and raise TypeError on an async generator, by the positional arguments they take it in. */
const COROUTINE_TAKERS = new Map<string, 'first' | 'all'>([
  ['asyncio.create_task', 'first'], ['asyncio.ensure_future', 'first'], ['asyncio.wait_for', 'first'], ['asyncio.shield', 'first'],
  ['asyncio.run', 'first'], ['asyncio.run_coroutine_threadsafe', 'first'], ['asyncio.gather', 'all'],
]);

/** The last parts of those names (and `create_task`), looked at before resolving the callee. */
const TAKER_NAMES = new Set([...[...COROUTINE_TAKERS.keys()].map((n) => n.split('.').pop()!), 'create_task', 'run_until_complete']);

/** Where a call's value must be a coroutine: awaited (`await rows()`), or handed to asyncio.create_task/gather, a loop's or TaskGroup's create_task, or a loop's run_until_complete. */
function coroutineSlot(ctx: PythonRuleContext, call: Node): string | undefined {
  const parent = parentOf(call);
  if (!parent) return undefined;
  if (typeOf(parent) === 'await') return 'await';
  if (typeOf(parent) !== 'argument_list') return undefined;
  const outer = parentOf(parent);
  const callee = outer && field(outer, 'function');
  if (!callee || (typeOf(callee) !== 'identifier' && typeOf(callee) !== 'attribute')) return undefined;
  const name = typeOf(callee) === 'attribute' ? field(callee, 'attribute')?.text : textOf(callee);
  if (!name || !TAKER_NAMES.has(name)) return undefined;
  const positional = parent.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  const index = positional.findIndex((c) => c.id === call.id);
  if (index < 0 || positional.slice(0, index).some((c) => c.type === 'keyword_argument' || c.type === 'list_splat' || c.type === 'dictionary_splat')) return undefined;
  const resolved = ctx.scope.resolve(callee)?.name ?? '';
  const taker = COROUTINE_TAKERS.get(resolved);
  if (taker === 'all' || (taker === 'first' && index === 0)) return `${textOf(callee)}()`;
  // `loop.create_task(agen())`, `tg.create_task(agen())`.
  if (!taker && typeOf(callee) === 'attribute' && (name === 'create_task' || name === 'run_until_complete') && index === 0) return `${textOf(callee)}()`;
  return undefined;
}

/**
 * `await rows()`, `asyncio.create_task(rows())`, `asyncio.gather(rows())` where `rows` is an async
 * generator of the project: TypeError, since an async generator is iterated, not awaited.
 */
function checkGeneratorsUsedAsCoroutines(ctx: PythonRuleContext, resolver: () => AwaitableResolver): void {
  if (!/await|create_task|ensure_future|gather|wait_for|shield|run_until_complete|asyncio\.run/.test(ctx.text)) return;
  for (const call of nodesOfType(ctx.tree.rootNode, 'call')) {
    const slot = coroutineSlot(ctx, call);
    if (!slot) continue;
    const made = resolver().awaitableCall(call);
    if (!made?.generator) continue;
    ctx.report({
      message:
        slot === 'await'
          ? `${made.display}() is an async generator, not a coroutine: awaiting it raises TypeError; iterate it with 'async for', or collect it with [x async for x in ...]`
          : `${made.display}() is an async generator, not a coroutine: ${slot} raises TypeError on it; iterate it with 'async for' in a coroutine and hand that coroutine over`,
      range: ctx.rangeOf(call),
      anchors: [],
    });
  }
}

/** Where a call's value is consumed synchronously: tested for truth, or iterated by a plain `for`. */
type SyncUse = 'condition' | 'for' | 'value' | 'async-for';

/** What a coroutine object itself offers: using these is not a mistake. */
const COROUTINE_API = new Set(['send', 'throw', 'close', '__await__', 'cr_frame', 'cr_await', 'cr_code', 'cr_running', 'cr_origin', '__name__', '__qualname__']);
/** What a future offers (`fut.add_done_callback(...)`, `fut.result()`), for the futures of scheduled work. */
const FUTURE_API = new Set([
  ...COROUTINE_API, 'add_done_callback', 'remove_done_callback', 'cancel', 'cancelled', 'done', 'result', 'exception', 'get_loop',
  'set_result', 'set_exception', '__iter__',
]);
/** What a grpc.aio call object offers besides being awaited (`call.write(...)`, `call.code()`, `call.cancel()`). */
const GRPC_CALL_API = new Set([
  ...FUTURE_API, 'write', 'done_writing', 'read', 'code', 'details', 'initial_metadata', 'trailing_metadata', 'time_remaining',
  'wait_for_connection', 'debug_error_string', '__aiter__',
]);

/**
 * What the lazy query objects of ORMs and ODMs offer besides being awaited: Tortoise's
 * `Model.get(...)`/`first()`/`count()`/`update(...)` give queries that still build
 * (`await User.get(id=1).using_db(conn)`, `.prefetch_related(...)`), as does Beanie's
 * `find_one(...)` (`await Product.find_one(q).project(View)`). Calling these is not reading a result.
 */
const QUERY_OBJECT_API: ReadonlyArray<[RegExp, ReadonlySet<string>]> = [
  [/^tortoise\./, new Set(['using_db', 'prefetch_related', 'select_related', 'only', 'values', 'values_list', 'annotate', 'sql', 'explain', 'order_by', 'filter', 'exclude'])],
  [/^beanie\./, new Set(['project', 'update', 'upsert', 'set', 'inc', 'unset', 'current_date', 'delete', 'replace_one', 'update_one', 'sort', 'limit', 'skip'])],
  // websockets' legacy serve() object holds its server before it is awaited: `start = serve(...)`,
  // `self._server = start.ws_server`, `loop.run_until_complete(start)`.
  [/^websockets\.(server|legacy\.server)?\.?serve$/, new Set(['ws_server'])],
];

/** What a query object of the library awaitable `name` offers, its coroutine API included (see QUERY_OBJECT_API). */
function queryObjectApi(name: string | undefined): ReadonlySet<string> | undefined {
  const api = name ? QUERY_OBJECT_API.find(([library]) => library.test(name))?.[1] : undefined;
  return api ? new Set([...COROUTINE_API, ...api]) : undefined;
}

/** Whether `method`, called on what the library awaitable `name` gives, builds the query further (see QUERY_OBJECT_API). */
function buildsQuery(name: string | undefined, method: string | undefined): boolean {
  if (!name || !method) return false;
  return QUERY_OBJECT_API.some(([library, api]) => library.test(name) && api.has(method));
}

/** Builtins that compute with their positional arguments' values: given a coroutine, they raise TypeError. */
const VALUE_BUILTINS = new Set(['len', 'list', 'tuple', 'set', 'frozenset', 'dict', 'sum', 'min', 'max', 'sorted', 'int', 'float', 'abs', 'round', 'enumerate', 'zip', 'reversed', 'iter', 'next', 'divmod']);
/** Builtins that iterate their argument. */
const ITERATING_BUILTINS = new Set(['list', 'tuple', 'set', 'frozenset', 'sorted', 'sum', 'min', 'max', 'enumerate', 'zip', 'iter', 'dict', 'any', 'all']);
/** Builtins that consume the elements of a comprehension given to them. */
const ELEMENT_CONSUMERS = new Set(['any', 'all', 'sum', 'min', 'max', 'sorted']);
/** Builtins and methods that call a `key=` function and compare what it returns. */
const KEY_CALLERS = new Set(['sorted', 'min', 'max', 'sort']);
/** Builtins that test what their first argument, a function, returns. */
const FILTERS = new Set(['filter']);

/**
 * `x[...]`, `x.attr` (not the coroutine's own API), `for ... in x`, `x + 1`, `x == y`, `f"{x}"`,
 * `len(x)`, `a, b = x`: using `x` as the result it stands for.
 */
function consumesValue(ctx: PythonRuleContext, n: Node, p: Node, api: ReadonlySet<string> = COROUTINE_API): boolean {
  const t = typeOf(p);
  // `web.json_response({"echo": data})`, `json.dumps(data)`: serialising a coroutine object fails.
  if (SERIALISED_IN.has(t) && serialised(ctx, n)) return true;
  if (t === 'subscript') return field(p, 'value')?.id === n.id;
  if (t === 'attribute') return field(p, 'object')?.id === n.id && !api.has(field(p, 'attribute')?.text ?? '');
  if (t === 'for_in_clause' || t === 'for_statement') return field(p, 'right')?.id === n.id && p.child(0)?.type !== 'async';
  if (t === 'binary_operator' || t === 'comparison_operator' || t === 'unary_operator' || t === 'interpolation') return true;
  if (t === 'argument_list') return !!builtinCalled(ctx, parentOf(p), VALUE_BUILTINS) || extendedWith(p, n) || parsedAsDocument(ctx, p, n);
  if (t === 'keyword_argument') return field(p, 'value')?.id === n.id && DOCUMENT_KEYWORDS.has(field(p, 'name')?.text ?? '') && parsedAsDocument(ctx, parentOf(p), p);
  // `reader, writer = open_connection(...)`: unpacking iterates the coroutine object.
  if (t === 'assignment' && field(p, 'right')?.id === n.id) {
    const left = field(p, 'left');
    return !!left && (typeOf(left) === 'pattern_list' || typeOf(left) === 'tuple_pattern' || typeOf(left) === 'list_pattern');
  }
  return false;
}

/**
 * Parsers of an HTML, XML or JSON document given as their first argument (or `text=`/`markup=`):
 * `BeautifulSoup(html, "lxml")` with a coroutine object for `html` raises TypeError.
 */
const DOCUMENT_PARSERS = new Set([
  'bs4.BeautifulSoup', 'lxml.html.fromstring', 'lxml.html.document_fromstring', 'lxml.html.fragment_fromstring', 'lxml.etree.fromstring',
  'lxml.etree.HTML', 'lxml.etree.XML', 'xml.etree.ElementTree.fromstring', 'selectolax.parser.HTMLParser', 'selectolax.lexbor.LexborHTMLParser',
  'parsel.Selector', 'scrapy.Selector', 'scrapy.selector.Selector', 'pyquery.PyQuery', 'json.loads', 'orjson.loads', 'ujson.loads',
  'feedparser.parse', 'trafilatura.extract', 'html2text.html2text', 'markdownify.markdownify',
]);
const DOCUMENT_KEYWORDS = new Set(['text', 'markup', 'body', 'html', 'filecontent', 's']);

/** Whether `n`, the first argument (or a document keyword) of a call, is parsed as a document by a known parser. */
function parsedAsDocument(ctx: PythonRuleContext, args: Node | null, n: Node): boolean {
  if (!args || typeOf(args) !== 'argument_list') return false;
  if (typeOf(n) !== 'keyword_argument' && args.namedChildren.find((c) => c?.type !== 'comment')?.id !== n.id) return false;
  const call = parentOf(args);
  const fn = call && typeOf(call) === 'call' ? field(call, 'function') : null;
  const r = fn && (typeOf(fn) === 'identifier' || typeOf(fn) === 'attribute') ? ctx.scope.resolve(fn) : undefined;
  return !!r && r.via !== 'unbound' && DOCUMENT_PARSERS.has(r.name);
}

/** Where a value may sit on its way to a serialiser's argument list. */
const SERIALISED_IN = new Set(['pair', 'list', 'tuple', 'dictionary', 'argument_list', 'keyword_argument']);
/** Library calls that serialise their argument (as JSON): a coroutine object in it raises TypeError. */
const SERIALISERS = new Set([
  'json.dumps', 'json.dump', 'orjson.dumps', 'ujson.dumps', 'aiohttp.web.json_response', 'aiohttp.web_response.json_response',
  'flask.jsonify', 'quart.jsonify', 'sanic.json', 'sanic.response.json', 'starlette.responses.JSONResponse', 'fastapi.responses.JSONResponse',
]);

/**
 * Whether `n` is (an item of a literal that is) an argument of a JSON serialiser: `json.dumps(data)`,
 * `web.json_response({"echo": data})`, `jsonify([a, b])`.
 */
function serialised(ctx: PythonRuleContext, n: Node): boolean {
  let cur = n;
  for (let hops = 0; hops < 6; hops++) {
    const p = parentOf(cur);
    if (!p) return false;
    const t = typeOf(p);
    if (t === 'pair' && field(p, 'value')?.id !== cur.id) return false;
    if (t === 'keyword_argument' && field(p, 'value')?.id !== cur.id) return false;
    if (t === 'argument_list') {
      const call = parentOf(p);
      const fn = call && typeOf(call) === 'call' ? field(call, 'function') : null;
      const r = fn && (typeOf(fn) === 'identifier' || typeOf(fn) === 'attribute') ? ctx.scope.resolve(fn) : undefined;
      return !!r && r.via !== 'unbound' && SERIALISERS.has(r.name);
    }
    if (!SERIALISED_IN.has(t)) return false;
    cur = p;
  }
  return false;
}

/** `messages.extend(x)`: a list's (or deque's) `extend` iterates its one argument. */
function extendedWith(args: Node, n: Node): boolean {
  const call = parentOf(args);
  const fn = call && typeOf(call) === 'call' ? field(call, 'function') : null;
  if (!fn || typeOf(fn) !== 'attribute' || field(fn, 'attribute')?.text !== 'extend') return false;
  const parts = args.namedChildren.filter((c) => c?.type !== 'comment');
  return parts.length === 1 && parts[0]?.id === n.id;
}

/**
 * The element of a comprehension that a builtin consumes (`any(is_admin(u) for u in uids)`,
 * `sum([count(u) for u in uids])`), or the body of a lambda whose result is compared or tested
 * (`sorted(xs, key=lambda u: score(u))`, `filter(lambda u: is_admin(u), xs)`).
 */
function consumedByBuiltin(ctx: PythonRuleContext, call: Node, p: Node): SyncUse | undefined {
  const t = typeOf(p);
  if (field(p, 'body')?.id !== call.id) return undefined;
  if (t === 'generator_expression' || t === 'list_comprehension') {
    const up = parentOf(p);
    // `any(x for x in y)`: the generator expression is the call's whole argument list.
    const caller = up && typeOf(up) === 'argument_list' ? (up.namedChildren[0]?.id === p.id ? parentOf(up) : null) : up;
    const name = builtinCalled(ctx, caller, ELEMENT_CONSUMERS);
    return name === 'any' || name === 'all' ? 'condition' : name ? 'value' : undefined;
  }
  if (t !== 'lambda') return undefined;
  const up = parentOf(p);
  if (up && typeOf(up) === 'keyword_argument' && field(up, 'name')?.text === 'key') {
    const caller = parentOf(parentOf(up) ?? up);
    if (builtinCalled(ctx, caller, KEY_CALLERS)) return 'value';
    const fn = caller && typeOf(caller) === 'call' ? field(caller, 'function') : null;
    return fn && typeOf(fn) === 'attribute' && field(fn, 'attribute')?.text === 'sort' ? 'value' : undefined;
  }
  if (up && typeOf(up) === 'argument_list' && up.namedChildren[0]?.id === p.id && builtinCalled(ctx, parentOf(up), FILTERS)) return 'condition';
  return undefined;
}

function syncUse(ctx: PythonRuleContext, call: Node): SyncUse | undefined {
  let n = call;
  let p = parentOf(n);
  while (p) {
    const t = typeOf(p);
    // `(r := ready(k))` stands for what it binds: tested when the walrus is.
    if (t === 'parenthesized_expression' || (t === 'named_expression' && field(p, 'value')?.id === n.id)) {
      n = p;
      p = parentOf(p);
      continue;
    }
    if (t === 'not_operator') return 'condition';
    if (t === 'boolean_operator') {
      // The left operand is always tested; the right one only when the whole is.
      if (field(p, 'left')?.id === n.id) return 'condition';
      n = p;
      p = parentOf(p);
      continue;
    }
    if (t === 'if_statement' || t === 'elif_clause' || t === 'while_statement') return field(p, 'condition')?.id === n.id ? 'condition' : undefined;
    if (t === 'conditional_expression') return p.namedChildren[1]?.id === n.id ? 'condition' : undefined;
    if (t === 'assert_statement') return p.namedChildren[0]?.id === n.id ? 'condition' : undefined;
    if (t === 'if_clause') return 'condition';
    // `self.assertTrue(repo.exists(2))`: the assertion tests a coroutine object, always true.
    if (t === 'argument_list' && n.id === call.id && p.namedChildren[0]?.id === n.id) {
      const method = field(parentOf(p)!, 'function');
      const name = method && typeOf(method) === 'attribute' ? field(method, 'attribute')?.text : undefined;
      if (name && /^(assertTrue|assertFalse|assertIsNotNone|assertIsNone|assert_)$/.test(name)) return 'condition';
    }
    // `[r for r in db.rows()]` over an async generator: a plain comprehension, like a plain `for`.
    if (t === 'for_in_clause') return field(p, 'right')?.id === n.id && n.id === call.id && p.child(0)?.type !== 'async' ? 'for' : undefined;
    if (t === 'for_statement') {
      if (field(p, 'right')?.id !== n.id || n.id !== call.id) return undefined;
      // `async for chunk in stream()` where `stream()` is a coroutine (it returns the iterator).
      return p.child(0)?.type === 'async' ? 'async-for' : 'for';
    }
    if (n.id !== call.id) return undefined;
    return consumesValue(ctx, n, p) ? 'value' : consumedByBuiltin(ctx, call, p);
  }
  return undefined;
}

function checkSyncUse(ctx: PythonRuleContext, resolver: AwaitableResolver, call: Node, use: SyncUse): void {
  const awaitable = resolver.awaitableCall(call);
  if (!awaitable) {
    // `for page in Pager(db):` over a class of the project that only defines `__aiter__`.
    if (use === 'for' && resolver.asyncOnly(call, 'for')) {
      const loop = parentOf(call)!;
      ctx.report({
        message: `${textOf(field(call, 'function')!)}() gives an async iterator (its class defines __aiter__, not __iter__): a plain 'for' over it raises TypeError, iterate it with 'async for'`,
        range: ctx.rangeOf(call),
        anchors: [],
        fix: ctx.scope.isAsyncContext(loop) ? prefixAsync(ctx, loop, "Use 'async for'") : undefined,
      });
    }
    return;
  }
  if (use === 'async-for') {
    // Only the project's own coroutines, and the LLM SDKs' resource methods (`create(...,
    // stream=True)` is a coroutine that gives the stream): other library awaitables are often
    // async iterables too (asyncpg's cursor, an SDK's paginator).
    const coroutineOnly = !awaitable.library || SDK_RESOURCE_COROUTINE.test(awaitable.name ?? '');
    // A stub raising NotImplementedError says nothing of its overrides: they may be async generators.
    if (!awaitable.generator && coroutineOnly && !awaitable.mayBeFuture && !awaitable.abstractStub) {
      ctx.report({
        message: `${awaitable.display}() is a coroutine, not an async iterator: 'async for' over it raises TypeError; await it first ('async for x in await ${awaitable.display}(...)')`,
        range: ctx.rangeOf(call),
        anchors: [],
        fix: { title: 'Await it first', safe: true, edits: [{ range: ctx.lines.range(call.startIndex, call.startIndex), newText: 'await ' }] },
      });
    }
    return;
  }
  // `list(rows())`, `sorted(rows())` over an async generator: they iterate it synchronously.
  if (use === 'value' && awaitable.generator && builtinCalled(ctx, parentOf(parentOf(call) ?? call), ITERATING_BUILTINS)) {
    ctx.report({
      message: `${awaitable.display}() is an async generator: ${textOf(field(parentOf(parentOf(call)!)!, 'function')!)}() iterates it synchronously and raises TypeError; collect it with [x async for x in ...]`,
      range: ctx.rangeOf(call),
      anchors: [],
    });
    return;
  }
  if (use === 'for' && awaitable.generator) {
    const loop = parentOf(call)!;
    ctx.report({
      message: `${awaitable.display}() is an async generator: a plain 'for' over it raises TypeError, iterate it with 'async for'`,
      range: ctx.rangeOf(call),
      // Not a shape pyright's reportUnusedCoroutine reports.
      anchors: [],
      fix: ctx.scope.isAsyncContext(loop) ? prefixAsync(ctx, loop, "Use 'async for'") : undefined,
    });
    return;
  }
  // `for reply in stub.ListOrders(request)` over a grpc.aio stub: its streaming calls are async iterators only.
  if (use === 'for' && isGrpcCall(awaitable)) {
    const loop = parentOf(call)!;
    ctx.report({
      message: `${awaitable.display}() gives a grpc.aio call, iterated only asynchronously: a plain 'for' over it raises TypeError, iterate it with 'async for'`,
      range: ctx.rangeOf(call),
      anchors: [],
      fix: ctx.scope.isAsyncContext(loop) ? prefixAsync(ctx, loop, "Use 'async for'") : undefined,
    });
    return;
  }
  // `await User.get(id=1).using_db(conn)`: a Tortoise or Beanie query still being built.
  if (use === 'value' && awaitable.library) {
    const parent = parentOf(call);
    if (parent && typeOf(parent) === 'attribute' && buildsQuery(awaitable.name, field(parent, 'attribute')?.text)) return;
  }
  // An async generator is truthy too, but testing one is not this mistake. `for x in coro()`: a
  // coroutine is not iterable either, which is using it as its result.
  if (!awaitable.generator) reportSyncUse(ctx, call, awaitable, use === 'for' ? 'value' : use);
}

/** Methods of an async generator that return an awaitable (`agen.aclose()` closes nothing until awaited). */
const ASYNC_GENERATOR_METHODS = new Set(['aclose', 'asend', 'athrow', '__anext__']);

/**
 * An async generator kept in a local name (`stages = batch(rows, 100)`) and then iterated with a
 * plain `for` (TypeError), or given `stages.aclose()` as a statement without await: the
 * generator is not closed, its `finally` blocks never run.
 */
function checkStoredGenerator(ctx: PythonRuleContext, call: Node, generator: AwaitableCall): void {
  const assignment = parentOf(call);
  if (!assignment || typeOf(assignment) !== 'assignment' || field(assignment, 'right')?.id !== call.id || parentOf(assignment)?.type !== 'expression_statement') return;
  const left = field(assignment, 'left');
  if (left?.type !== 'identifier') return;
  const scope = ctx.scope.scopeAt(left);
  if (scope.kind !== 'function' || scope.globals.has(left.text) || scope.nonlocals.has(left.text)) return;
  const found = ctx.scope.lookup(left.text, left);
  // Bound once: another binding could put something else in the name before the use.
  if (found?.scope !== scope || found.bindings.length !== 1) return;
  for (const id of nodesOfType(scope.node, 'identifier')) {
    if (id.text !== left.text || id.startIndex <= left.startIndex || isKeywordName(id) || isAttributeName(id)) continue;
    if (ctx.scope.lookup(id.text, id)?.scope !== scope) continue;
    const p = parentOf(id);
    if (!p) continue;
    if ((typeOf(p) === 'for_statement' || typeOf(p) === 'for_in_clause') && field(p, 'right')?.id === id.id && p.child(0)?.type !== 'async') {
      ctx.report({
        message: `'${left.text}' holds the async generator from ${generator.display}(): a plain 'for' over it raises TypeError, iterate it with 'async for'`,
        range: ctx.rangeOf(id),
        anchors: [],
        fix: typeOf(p) === 'for_statement' && ctx.scope.isAsyncContext(p) ? prefixAsync(ctx, p, "Use 'async for'") : undefined,
      });
      continue;
    }
    const method = typeOf(p) === 'attribute' && field(p, 'object')?.id === id.id ? field(p, 'attribute')?.text : undefined;
    const methodCall = method && ASYNC_GENERATOR_METHODS.has(method) ? parentOf(p) : null;
    if (methodCall && typeOf(methodCall) === 'call' && parentOf(methodCall)?.type === 'expression_statement') {
      ctx.report({
        message: `${textOf(methodCall)} returns an awaitable that is never awaited: ${method === 'aclose' ? `the generator is not closed, and its clean-up (finally blocks, async with exits) never runs` : 'it never runs'}`,
        range: ctx.rangeOf(methodCall),
        fix: canInsertAwait(ctx, methodCall) ? { title: `Await ${left.text}.${method}()`, safe: true, edits: awaitEdits(ctx, methodCall) } : undefined,
      });
    }
  }
}

/** `async ` in front of a `for` or `with` statement. */
function prefixAsync(ctx: PythonRuleContext, statement: Node, title: string): Fix {
  return { title, safe: true, edits: [{ range: ctx.lines.range(statement.startIndex, statement.startIndex), newText: 'async ' }] };
}

/** `await` in front of the call. */
function awaitFix(ctx: PythonRuleContext, call: Node, awaitable: AwaitableCall): Fix {
  return { title: `Await ${awaitable.display}()`, safe: true, edits: awaitEdits(ctx, call) };
}

/**
 * `return fetch(x)` in an `async def`: awaiting the function gives the caller a coroutine object,
 * not the result (a plain function that returns a coroutine is fine: awaiting it awaits that).
 */
function checkReturned(ctx: PythonRuleContext, resolver: AwaitableResolver, call: Node): void {
  const fn = ctx.scope.enclosingFunction(call);
  if (!fn || fn.kind !== 'function' || !fn.isAsync || !ctx.scope.isAsyncContext(call)) return;
  const awaitable = resolver.awaitableCall(call);
  if (!awaitable || awaitable.generator || isScheduled(awaitable)) return;
  // aiogram sends an API method object that a handler returns (a reply "as the webhook response").
  if (awaitable.name?.startsWith('aiogram.')) return;
  // `return session.request(...)`, whose callers write `async with await api.request(...) as resp:`:
  // aiohttp's request object is an async context manager as well as an awaitable, handed on on purpose.
  if (awaitable.library && AIOHTTP_REQUEST_CONTEXT.test(awaitable.name ?? '') && enteredAfterAwait(ctx, fn.name)) return;
  const what = describe(awaitable);
  ctx.report({
    message: `${what} is returned without await from async function '${fn.name}': awaiting '${fn.name}' gives ${madeObject(awaitable)}, not its result`,
    range: ctx.rangeOf(call),
    anchors: [],
    fix: awaitFix(ctx, call, awaitable),
  });
}

/** aiohttp's request methods: what they give is awaited for the response, or entered with `async with`. */
const AIOHTTP_REQUEST_CONTEXT = /^aiohttp\.(ClientSession|test_utils\.TestClient)\.(request|get|post|put|patch|delete|head|options|ws_connect)$/;

/** Whether the file enters the result of awaiting a call of `name` (`async with await self.name(...) as x:`). */
function enteredAfterAwait(ctx: PythonRuleContext, name: string): boolean {
  if (!ctx.text.includes('async with await')) return false;
  return nodesOfType(ctx.tree.rootNode, 'with_item').some((item) => {
    let value: Node | null = item.childForFieldName('value');
    if (value?.type === 'as_pattern') value = value.namedChildren[0];
    if (value?.type !== 'await') return false;
    const call = value.namedChildren[0];
    const callee = call?.type === 'call' ? call.childForFieldName('function') : null;
    const called = callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text : callee?.type === 'identifier' ? callee.text : undefined;
    return called === name;
  });
}

function reportSyncUse(ctx: PythonRuleContext, call: Node, awaitable: AwaitableCall, use: SyncUse): void {
  if (isScheduled(awaitable)) return;
  const what = describe(awaitable);
  ctx.report({
    message:
      use === 'value'
        ? `${what} is used as its result without await: this reads a coroutine object, not the value it would return`
        : `${what} is tested for truth without await: it is always true, and it never runs`,
    range: ctx.rangeOf(call),
    // Not a shape pyright's reportUnusedCoroutine reports.
    anchors: [],
    fix: canInsertAwait(ctx, call) ? awaitFix(ctx, call, awaitable) : undefined,
  });
}

/** The method of a list a call puts items in through (its receiver), when `call` is one of the items. */
const FILLING_METHODS = new Set(['append', 'extend', 'insert']);

/**
 * The local list a call's value is put into: `results.append(fetch(u))`, or the element of a
 * generator or comprehension given whole to `results.extend(...)`.
 */
function filledContainer(call: Node): { list: Node; many: boolean } | undefined {
  let arg = call;
  let many = false;
  const up = parentOf(call);
  if (up && (typeOf(up) === 'generator_expression' || typeOf(up) === 'list_comprehension') && field(up, 'body')?.id === call.id) {
    arg = up;
    many = true;
  }
  const args = parentOf(arg);
  if (!args || (typeOf(args) !== 'argument_list' && !(many && typeOf(args) === 'call' && field(args, 'arguments')?.id === arg.id))) return undefined;
  // `results.extend(f(x) for x in xs)`: the generator expression stands for the argument list.
  const target = typeOf(args) === 'call' ? args : parentOf(args);
  const fn = target && typeOf(target) === 'call' ? field(target, 'function') : null;
  const method = fn && typeOf(fn) === 'attribute' ? field(fn, 'attribute')?.text : undefined;
  if (!method || !FILLING_METHODS.has(method) || (method === 'extend') !== many) return undefined;
  const parts = typeOf(args) === 'call' ? [arg] : args.namedChildren.filter((c) => c?.type !== 'comment');
  if (parts[parts.length - 1]?.id !== arg.id || (method !== 'insert' && parts.length !== 1)) return undefined;
  const list = field(fn!, 'object');
  if (!list || typeOf(list) !== 'identifier' || !statementCall(target!)) return undefined;
  return { list, many };
}

/** Whether a call is a statement of its own. */
function statementCall(call: Node): boolean {
  const p = parentOf(call);
  return !!p && typeOf(p) === 'expression_statement' && p.namedChildCount === 1;
}

/**
 * Whether the items of a local list (bound once, to a list display) are never handed on to be
 * awaited: every use of the name fills it, tests or prints it, or reads its items as values
 * (`"\n".join(results)`, `for r in results: r["id"]`). A return, an await, a call it is given to
 * (`asyncio.gather(*results)`), or a loop that does anything else with an item hands them on.
 */
function itemsNeverAwaited(ctx: PythonRuleContext, container: { list: Node }): boolean {
  const name = container.list.text;
  const scope = ctx.scope.scopeAt(container.list);
  if (scope.kind === 'module' || scope.globals.has(name) || scope.nonlocals.has(name)) return false;
  const found = ctx.scope.lookup(name, container.list);
  if (!found || found.scope !== scope || found.bindings.length !== 1) return false;
  const value = assignedValue(found.bindings[0].node);
  if (!value || (value.type !== 'list' && !(value.type === 'call' && value.childForFieldName('function')?.text === 'list' && callArguments(value).length === 0))) return false;
  for (const id of nodesOfType(scope.node, 'identifier')) {
    if (id.text !== name || id.id === found.bindings[0].node.id || isKeywordName(id) || isAttributeName(id)) continue;
    const p = parentOf(id);
    if (!p) return false;
    // `results.append(...)`: filling it.
    if (typeOf(p) === 'attribute' && field(p, 'object')?.id === id.id && FILLING_METHODS.has(field(p, 'attribute')?.text ?? '')) continue;
    if (!handlesValue(ctx, id)) continue;
    // `", ".join(results)`: a string join reads each item as a string (TypeError).
    const call = typeOf(p) === 'argument_list' ? parentOf(p) : null;
    const fn = call ? field(call, 'function') : null;
    if (fn && typeOf(fn) === 'attribute' && field(fn, 'attribute')?.text === 'join' && field(fn, 'object')?.type === 'string') continue;
    if (builtinCalled(ctx, call, new Set(['len']))) continue;
    // `for r in results:` where each use of `r` reads it as the result.
    if (typeOf(p) === 'for_statement' && field(p, 'right')?.id === id.id && p.child(0)?.type !== 'async' && loopReadsItemsAsValues(ctx, p)) continue;
    // `[r.content[0].text for r in results]`: likewise in a comprehension.
    if (typeOf(p) === 'for_in_clause' && field(p, 'right')?.id === id.id && p.child(0)?.type !== 'async' && comprehensionReadsItemsAsValues(ctx, p)) continue;
    return false;
  }
  return true;
}

/**
 * The only `for` clause of a comprehension (`[r.text for r in results]`, not `async for`) whose every use of its
 * variable, in the element and the conditions, reads it as a value.
 */
function comprehensionReadsItemsAsValues(ctx: PythonRuleContext, clause: Node): boolean {
  const comprehension = parentOf(clause);
  const left = field(clause, 'left');
  if (!comprehension || !left || typeOf(left) !== 'identifier') return false;
  if (comprehension.namedChildren.filter((c) => c?.type === 'for_in_clause').length !== 1) return false;
  let uses = 0;
  const seen = new Set<number>();
  for (const part of comprehension.namedChildren) {
    if (!part || part.id === clause.id) continue;
    for (const id of [...(part.type === 'identifier' ? [part] : []), ...nodesOfType(part, 'identifier')]) {
      if (seen.has(id.id) || id.text !== left.text || isKeywordName(id) || isAttributeName(id)) continue;
      seen.add(id.id);
      const p = parentOf(id);
      if (!p || !consumesValue(ctx, id, p)) return false;
      uses++;
    }
  }
  return uses > 0;
}

/** A plain `for x in ...:` whose every use of `x` reads it as a value (`x["id"]`, `x.text`, `x + 1`). */
function loopReadsItemsAsValues(ctx: PythonRuleContext, loop: Node): boolean {
  const left = field(loop, 'left');
  const body = field(loop, 'body');
  if (!left || typeOf(left) !== 'identifier' || !body) return false;
  let uses = 0;
  for (const id of nodesOfType(body, 'identifier')) {
    if (id.text !== left.text || isKeywordName(id) || isAttributeName(id)) continue;
    const p = parentOf(id);
    if (!p || !consumesValue(ctx, id, p)) return false;
    uses++;
  }
  return uses > 0;
}

/** The list or set comprehension whose element a call is (`[fetch(u) for u in urls]`). */
function madeByComprehension(call: Node): Node | undefined {
  const parent = parentOf(call);
  if (!parent || (typeOf(parent) !== 'list_comprehension' && typeOf(parent) !== 'set_comprehension')) return undefined;
  return field(parent, 'body')?.id === call.id ? parent : undefined;
}

/** A bare call statement, or `name = call(...)` as a statement: the shapes discardKind looks at. */
function maybeDiscarded(call: Node): boolean {
  const parent = parentOf(call);
  if (!parent) return false;
  if (droppedOperand(call)) return true;
  const type = typeOf(parent);
  if (type === 'expression_statement') return parent.namedChildCount === 1;
  if (type !== 'assignment') return false;
  const statement = parentOf(parent);
  return statement !== null && typeOf(statement) === 'expression_statement';
}

/**
 * `ready and notify(user)`, `flush() if dirty else None` as a statement: the value of the right
 * operand, or of either branch, is made and dropped.
 */
function droppedOperand(call: Node): boolean {
  let n = call;
  let p = parentOf(n);
  let operand = false;
  while (p && (typeOf(p) === 'parenthesized_expression' || (typeOf(p) === 'boolean_operator' && field(p, 'right')?.id === n.id) || conditionalBranch(p, n))) {
    operand ||= typeOf(p) !== 'parenthesized_expression';
    n = p;
    p = parentOf(p);
  }
  return operand && !!p && typeOf(p) === 'expression_statement' && p.namedChildCount === 1;
}

/** Whether `n` is a branch (not the condition) of the conditional expression `p`. */
function conditionalBranch(p: Node, n: Node): boolean {
  if (typeOf(p) !== 'conditional_expression') return false;
  const parts = p.namedChildren.filter((c) => c?.type !== 'comment');
  return parts[0]?.id === n.id || parts[2]?.id === n.id;
}

/** 'statement' when the call is a bare statement, the variable name when assigned and never read. */
function discardKind(ctx: PythonRuleContext, call: Node): string | undefined {
  const parent = parentOf(call);
  if (!parent) return undefined;
  if ((typeOf(parent) === 'expression_statement' && parent.namedChildCount === 1) || droppedOperand(call)) return 'statement';
  const statement = typeOf(parent) === 'assignment' ? parentOf(parent) : null;
  if (statement && typeOf(statement) === 'expression_statement' && field(parent, 'right')?.id === call.id) {
    const left = parent.childForFieldName('left');
    if (left?.type !== 'identifier' || left.text === '_') return undefined;
    const scope = ctx.scope.scopeAt(left);
    if (scope.kind === 'module' || scope.globals.has(left.text) || scope.nonlocals.has(left.text)) return undefined;
    for (const id of nodesOfType(scope.node, 'identifier')) {
      if (id.text === left.text && id.id !== left.id && !isKeywordName(id) && !isAttributeName(id) && handlesValue(ctx, id)) return undefined;
    }
    return left.text;
  }
  return undefined;
}

/**
 * `data = resp.json()` followed only by `data["key"]`, `data.get(...)` or `for x in data`: every use
 * takes the variable for the call's result. Returns the variable's name.
 */
/** `async with f as fh:` where `f` is the identifier: the statement enters `f`. */
function enteredByAsyncWith(id: Node): boolean {
  let n = id;
  let p = parentOf(n);
  if (p && typeOf(p) === 'as_pattern') {
    if (p.namedChildren[0]?.id !== n.id) return false;
    n = p;
    p = parentOf(p);
  }
  if (!p || typeOf(p) !== 'with_item' || field(p, 'value')?.id !== n.id) return false;
  const statement = parentOf(parentOf(p) ?? p);
  return !!statement && typeOf(statement) === 'with_statement' && statement.child(0)?.type === 'async';
}

/**
 * The name a coroutine is stored in when every later use takes it for its result: reads an
 * attribute or an item of it, iterates it, or (`entered`) enters it with `async with`.
 */
function usedOnlyAsResult(ctx: PythonRuleContext, call: Node, api: ReadonlySet<string>, returnIsUse = false, asyncForIsUse = false): { name: string; entered: boolean } | undefined {
  const parent = parentOf(call);
  if (!parent || typeOf(parent) !== 'assignment' || field(parent, 'right')?.id !== call.id) return undefined;
  const left = parent.childForFieldName('left');
  if (left?.type !== 'identifier') return undefined;
  const scope = ctx.scope.scopeAt(left);
  if (scope.globals.has(left.text) || scope.nonlocals.has(left.text)) return undefined;
  const found = ctx.scope.lookup(left.text, left);
  if (!found || found.bindings.length === 0) return undefined;
  // A module-level name (a notebook cell's `page = fetch_page()`, read by the next cell): a
  // function that rebinds it with `global` could give it another value.
  if (scope.kind === 'module' && new RegExp(`\\bglobal\\b[^\\n]*\\b${left.text}\\b`).test(ctx.text)) return undefined;
  // Bound again (`frames = gather(...)` in one cell, `frames = await gather(...)` in a later one):
  // in straight-line module code, the uses up to the next binding read this value.
  let from = -1;
  let until = Infinity;
  if (found.bindings.length > 1) {
    const topLevel = (n: Node): boolean => parentOf(n)?.type === 'assignment' && parentOf(parentOf(n)!)?.type === 'expression_statement' && parentOf(parentOf(parentOf(n)!)!)?.type === 'module';
    if (scope.kind !== 'module' || !found.bindings.every((b) => topLevel(b.node))) return undefined;
    from = left.endIndex;
    until = Math.min(...found.bindings.map((b) => b.node.startIndex).filter((i) => i > left.endIndex));
  }
  let uses = 0;
  let entered = false;
  // An attribute (not a private one) or an item read: a use as the result that fails at once.
  let failed = false;
  // The function's own name (`def profile(...)` holding `profile = load_profile(...)`) is no use of the local.
  const ownName = scope.kind === 'function' ? field(scope.node, 'name') : null;
  for (const id of nodesOfType(scope.node, 'identifier')) {
    if (id.text !== left.text || id.id === left.id || id.id === ownName?.id || isKeywordName(id) || isAttributeName(id)) continue;
    if (from >= 0 && (id.startIndex < from || id.startIndex >= until || ctx.scope.scopeAt(id).kind !== 'module')) continue;
    const p = parentOf(id);
    // `conn.close()` on the coroutine itself neither runs nor uses it: with a use as the result
    // elsewhere (`await conn.fetchval(...)` ... `finally: await conn.close()`), the await is missing.
    // (A future's own API — `outer.cancel()`, then `outer._callbacks` — says it is used as one.)
    if (api === COROUTINE_API && p && typeOf(p) === 'attribute' && field(p, 'object')?.id === id.id && api.has(field(p, 'attribute')?.text ?? '')) continue;
    // Entered by hand (`await conn.__aenter__()`, a pool's acquire): used as the context manager it also is.
    if (p && (enteredByAsyncWith(id) || (typeOf(p) === 'attribute' && field(p, 'object')?.id === id.id && field(p, 'attribute')?.text === '__aenter__'))) entered = true;
    else if (asyncForIsUse && p && (typeOf(p) === 'for_statement' || typeOf(p) === 'for_in_clause') && field(p, 'right')?.id === id.id && p.child(0)?.type === 'async') failed = true;
    else if (returnIsUse && p && typeOf(p) === 'return_statement' && ctx.scope.enclosingFunction(id)?.isAsync && ctx.scope.enclosingFunction(id)?.node.id === ctx.scope.enclosingFunction(call)?.node.id) failed = true;
    // A later use that could hand it on (`return response`) cannot undo an earlier use as the
    // result (`response.headers[...]`), which already failed.
    else if (!p || !consumesValue(ctx, id, p, api)) return failed ? { name: left.text, entered } : undefined;
    else if (typeOf(p) === 'subscript' || (typeOf(p) === 'attribute' && !(field(p, 'attribute')?.text ?? '_').startsWith('_'))) failed = true;
    uses++;
  }
  return uses > 0 ? { name: left.text, entered } : undefined;
}

/**
 * `self.conn = asyncpg.connect(dsn)` in a method, when the class then reads `self.conn` as the
 * connection (`self.conn.fetchval(...)`, `self.conn[...]`) and never awaits it nor hands it on
 * anywhere. Returns the attribute as written and the first such use.
 */
function attributeUsedOnlyAsResult(call: Node): { target: string; use: string } | undefined {
  const assignment = parentOf(call);
  if (!assignment || typeOf(assignment) !== 'assignment' || field(assignment, 'right')?.id !== call.id || parentOf(assignment)?.type !== 'expression_statement') return undefined;
  const target = field(assignment, 'left');
  const owner = target?.type === 'attribute' ? field(target, 'object') : null;
  const name = target ? field(target, 'attribute')?.text : undefined;
  if (!target || !owner || owner.type !== 'identifier' || owner.text !== 'self' || !name) return undefined;
  const cls = enclosingClassNode(call);
  if (!cls) return undefined;
  let failed: Node | undefined;
  for (const attr of nodesOfType(cls, 'attribute')) {
    if (attr.id === target.id || field(attr, 'attribute')?.text !== name) continue;
    const object = field(attr, 'object');
    if (object?.type !== 'identifier' || object.text !== 'self') continue;
    const p = parentOf(attr);
    if (!p) return undefined;
    // Another assignment (`self.conn = None` in __init__, `self.conn = await ...`) is no use.
    if (typeOf(p) === 'assignment' && field(p, 'left')?.id === attr.id) continue;
    // Tested or compared with None (`if self.conn is not None:`): says nothing.
    if (typeOf(p) === 'comparison_operator' || typeOf(p) === 'not_operator' || ((typeOf(p) === 'if_statement' || typeOf(p) === 'while_statement') && field(p, 'condition')?.id === attr.id)) continue;
    if (typeOf(p) === 'attribute' && field(p, 'object')?.id === attr.id) {
      const method = field(p, 'attribute')?.text ?? '';
      // The coroutine's own API (`self.conn.close()` on an unstarted coroutine) neither runs nor uses it.
      if (COROUTINE_API.has(method)) continue;
      if (method.startsWith('_')) return undefined;
      failed ??= p;
      continue;
    }
    if (typeOf(p) === 'subscript' && field(p, 'value')?.id === attr.id) {
      failed ??= p;
      continue;
    }
    // Awaited, returned, handed to a call, stored elsewhere, entered: it may be awaited there.
    return undefined;
  }
  if (!failed) return undefined;
  const use = typeOf(failed) === 'attribute' ? failed.text : `${textOf(field(failed, 'value')!)}[...]`;
  return { target: target.text, use };
}

/** Calls that look at a value without consuming it: a coroutine passed to them is still never run. */
const INSPECTING_CALLS = new Set(['builtins.print', 'builtins.str', 'builtins.repr', 'builtins.format', 'builtins.bool', 'builtins.type', 'builtins.id', 'builtins.isinstance']);
const LOG_METHODS = new Set(['debug', 'info', 'warning', 'warn', 'error', 'exception', 'critical', 'log']);

/**
 * Whether a use of a variable may hand the coroutine on (await, return, pass to a call, store):
 * anything but printing, logging, formatting or testing it. Unknown uses count as handling it.
 */
function handlesValue(ctx: PythonRuleContext, use: Node): boolean {
  const parent = use.parent;
  if (!parent) return true;
  if (parent.type === 'interpolation') return false;
  if (parent.type === 'if_statement' || parent.type === 'while_statement' || parent.type === 'not_operator') return false;
  // `assert user`: a test that a coroutine object always passes.
  if (parent.type === 'assert_statement' && parent.namedChildren[0]?.id === use.id) return false;
  if (parent.type === 'argument_list') {
    const call = parent.parent;
    const fn = call?.type === 'call' ? call.childForFieldName('function') : null;
    if (!fn) return true;
    const r = fn.type === 'identifier' || fn.type === 'attribute' ? ctx.scope.resolve(fn) : undefined;
    if (r && INSPECTING_CALLS.has(r.name)) return false;
    if (fn.type === 'attribute' && LOG_METHODS.has(fn.childForFieldName('attribute')?.text ?? '')) {
      const receiver = fn.childForFieldName('object')?.text ?? '';
      if (/^(log|logger|logging|_log|_logger|LOG|LOGGER)$/.test(receiver)) return false;
    }
    return true;
  }
  return true;
}
