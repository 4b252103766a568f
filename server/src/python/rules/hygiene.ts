/**
 * Async hygiene checks for Python: an `async def` that never awaits (RUF029), busy-wait polling
 * loops (ASYNC110), and async functions that take their own `timeout` parameter (ASYNC109).
 */
import type { SyntaxNode as Node } from '../syntax';
import type { PythonRuleContext } from '../context';
import { type AwaitableResolver, awaitablesOf } from '../awaitables';
import { awaitedHookReferences, handlerArguments, isAsyncFunction } from '../project';
import type { TextEdit } from '../../engine/types';
import { addImportEdit, assignedValue, callArguments, field, importsFrom, importsModule, isStubBody, mentions, moduleAlias, moduleAt, nodesOfType, ownNodes, TEST_MODULE, typeOf } from '../util';
import { holdsThreadEvent, makesBlockingCall } from './blockingCall';

const HOMEASSISTANT_MENTION = /\bhomeassistant\b/;

/** Methods whose protocol requires `async def` even when they do not await. */
const ASYNC_PROTOCOL = new Set(['__aenter__', '__aexit__', '__aiter__', '__anext__', '__await__', 'asyncSetUp', 'asyncTearDown']);

/** Whether the function's own body (not nested functions or classes) awaits or iterates asynchronously. */
function hasOwnCheckpoint(fn: Node): boolean {
  const body = fn.childForFieldName('body');
  if (!body) return true;
  const stack: Node[] = [body];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'await' || n.type === 'yield') return true;
    if ((n.type === 'for_statement' || n.type === 'with_statement' || n.type === 'for_in_clause') && n.children.some((c) => c?.type === 'async')) return true;
    for (const c of n.namedChildren) {
      if (!c || c.type === 'function_definition' || c.type === 'class_definition' || c.type === 'lambda') continue;
      if (c.type === 'decorated_definition') continue;
      stack.push(c);
    }
  }
  return false;
}

/** aiohttp's route registrations, which require a coroutine function. */
const AIOHTTP_ROUTE_METHODS = new Set(['add_get', 'add_post', 'add_put', 'add_patch', 'add_delete', 'add_head', 'add_route', 'add_view']);
const AIOHTTP_WEB_ROUTES = /^aiohttp\.web\.(get|post|put|patch|delete|head|route|view)$/;

/**
 * Names of functions of the file registered where the framework awaits them: aiohttp's
 * `app.router.add_get("/", index)`, `web.get("/", index)`, and the hooks of awaitedHookReferences
 * (`app.on_startup.append(init)`, aiohttp_jinja2's `context_processors=[...]`, BlackSheep's `app.on_start += init`).
 */
function awaitedRegistrations(ctx: PythonRuleContext): Set<string> {
  const names = new Set<string>();
  if (!/\b(aiohttp|blacksheep)\b/.test(ctx.text)) return names;
  for (const hook of awaitedHookReferences(ctx.tree.rootNode)) if (hook.attribute === undefined) names.add(hook.local);
  for (const call of nodesOfType(ctx.tree.rootNode, 'call')) {
    const fn = call.childForFieldName('function');
    if (!fn) continue;
    const method = fn.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
    const registers = (method !== undefined && AIOHTTP_ROUTE_METHODS.has(method)) || ((fn.type === 'attribute' || fn.type === 'identifier') && AIOHTTP_WEB_ROUTES.test(ctx.scope.resolve(fn)?.name ?? ''));
    if (!registers) continue;
    for (const handler of handlerArguments(call)) {
      if (handler.attribute === undefined) names.add(handler.local);
      // `app.router.add_get("/metrics", self._metrics)`: a method of the class.
      else if (handler.local === 'self') names.add(`self.${handler.attribute}`);
    }
  }
  return names;
}

/**
 * Falcon's ASGI app awaits its resources' responders (`on_get`, `on_post_item`, ...) and its
 * middleware's `process_*` methods: a plain def there is refused at start-up.
 */
const FALCON_RESPONDER = /^on_(get|post|put|patch|delete|head|options|websocket)(_\w+)?$|^process_(request|resource|response|request_ws|resource_ws)$/;
const FALCON_LIFESPAN = /^process_(startup|shutdown)$/;

/** A method of Falcon's shape: a responder or middleware method taking `(self, req, resp, ...)`, or `process_startup(self, scope, event)`. */
function falconMethod(fn: Node, name: string): boolean {
  const params = (fn.childForFieldName('parameters')?.namedChildren ?? []).map((p) => (p?.type === 'identifier' ? p.text : (p?.childForFieldName('name') ?? p?.namedChildren[0])?.text));
  if (FALCON_RESPONDER.test(name)) return /^req(uest)?$/.test(params[1] ?? '') && /^resp(onse)?$/.test(params[2] ?? '');
  return FALCON_LIFESPAN.test(name) && params[1] === 'scope' && params[2] === 'event';
}

/** Module-level hooks of Home Assistant integrations and platforms, which it calls by name and awaits. */
const HA_HOOKS = /^async_(setup|setup_entry|setup_platform|unload_entry|migrate_entry|remove_entry|remove_config_entry_device|reset_platform|get_config_entry_diagnostics|get_device_diagnostics|get_(triggers|actions|conditions)|get_(trigger|action|condition)_capabilities|attach_trigger|validate_(trigger|action|condition)_config|call_action_from_config|condition_from_config|get_service|get_media_source|register|get_options_flow|setup_services|get_engine|describe_events|validate_config)$/;

export function checkAsyncWithoutAwait(ctx: PythonRuleContext): void {
  let resolver: AwaitableResolver | undefined;
  let registered: Set<string> | undefined;
  let arqListed: Set<string> | undefined;
  for (const fn of nodesOfType(ctx.tree.rootNode, 'function_definition')) {
    if (!isAsyncFunction(fn)) continue;
    const name = fn.childForFieldName('name');
    const body = fn.childForFieldName('body');
    if (!name || !body) continue;
    if (ASYNC_PROTOCOL.has(name.text)) continue;
    // Decorated functions are usually registered with a framework that requires `async def`.
    if (fn.parent?.type === 'decorated_definition') continue;
    // Home Assistant looks up a platform's module-level hooks by name and awaits them.
    if (fn.parent?.type === 'module' && HA_HOOKS.test(name.text) && mentions(ctx.text, HOMEASSISTANT_MENTION)) continue;
    if (isStubBody(body) || hasOwnCheckpoint(fn)) continue;
    // An override keeps its base's signature: callers await it through the base class.
    if (fn.parent?.parent?.type === 'class_definition' && (resolver ??= awaitablesOf(ctx)).mayOverride(fn, name.text)) continue;
    // Registered with aiohttp by a call (`app.router.add_get("/healthz", healthz)`,
    // `app.on_startup.append(init)`): aiohttp requires a coroutine function there.
    // Also by a routing module next to it (`app.router.add_get("/healthz", handlers.healthz)` in app.py).
    if (fn.parent?.type === 'module' && ((registered ??= awaitedRegistrations(ctx)).has(name.text) || ctx.project.registeredNextDoor(ctx.filePath, name.text, true))) continue;
    if (fn.parent?.parent?.type === 'class_definition' && (registered ??= awaitedRegistrations(ctx)).has(`self.${name.text}`)) continue;
    if (fn.parent?.parent?.type === 'class_definition' && falconMethod(fn, name.text)) continue;
    // arq's worker awaits the functions its settings class lists (`functions = [download]`, `on_startup = startup`).
    // Also by a module next to it that imports the function (`functions = [jobs.download]` in worker.py).
    if (fn.parent?.type === 'module' && ((arqListed ??= arqSettingsFunctions(ctx)).has(name.text) || ctx.project.arqListedNearby(ctx.filePath, name.text))) continue;
    // A test that needs a running loop (`asyncio.get_running_loop()`, `create_task(...)`): the test
    // runner gives an async test one; as a plain function it would raise.
    if (/^test/.test(name.text) && needsRunningLoop(ctx, fn)) continue;
    // Handed on by name (`every(1, job)`, `monkeypatch.setattr(asyncio, "sleep", no_sleep)`): the
    // receiver calls and awaits it, so it must stay a coroutine function.
    if (handedOnByName(ctx, fn, name)) continue;
    // The default of a hook that subclasses override: callers await it through the base.
    if (fn.parent?.parent?.type === 'class_definition' && overriddenInFile(ctx, fn.parent.parent, name.text)) continue;
    // A hook its docstring offers for overriding ("override it to ...", "can be overridden"): users of
    // the class replace it, and the class awaits it.
    if (fn.parent?.parent?.type === 'class_definition' && documentedHook(body)) continue;
    ctx.report({
      message: `Async function '${name.text}' never awaits: it could be a plain function, and callers pay for a coroutine for nothing`,
      range: ctx.rangeOf(name),
    });
  }
}

/** Docstring wording that offers a method for overriding. */
const OVERRIDE_OFFER = /\b(overridden|override (it|this|them)\b|useful to override|(subclass(es)?|you|users?) (can|may|should|must) (override|replace|reimplement|redefine))/i;

/** Whether the body opens with a docstring offering the method for overriding. */
function documentedHook(body: Node): boolean {
  const first = body.namedChildren.find((c) => c?.type !== 'comment');
  const doc = first?.type === 'expression_statement' ? first.namedChildren[0] : null;
  return doc?.type === 'string' && OVERRIDE_OFFER.test(doc.text);
}

const ARQ_IMPORT = importsModule('arq');

/**
 * In a file that imports arq, the names a class body assigns (`functions = [download, noop]`,
 * `on_startup = startup`, `cron_jobs = [cron(report, hour=1)]`): arq's worker settings, whose
 * job functions and hooks the worker awaits.
 */
function arqSettingsFunctions(ctx: PythonRuleContext): Set<string> {
  const names = new Set<string>();
  if (!mentions(ctx.text, ARQ_IMPORT)) return names;
  for (const cls of nodesOfType(ctx.tree.rootNode, 'class_definition')) {
    for (const stmt of cls.childForFieldName('body')?.namedChildren ?? []) {
      const assignment = stmt?.type === 'expression_statement' ? stmt.namedChildren[0] : null;
      const right = assignment?.type === 'assignment' ? assignment.childForFieldName('right') : null;
      if (!right) continue;
      if (right.type === 'identifier') names.add(right.text);
      for (const id of right.descendantsOfType('identifier')) if (id) names.add(id.text);
    }
  }
  return names;
}

/** Calls that raise without a running event loop. */
const LOOP_BOUND = new Set(['asyncio.get_running_loop', 'asyncio.current_task', 'asyncio.all_tasks', 'asyncio.create_task', 'anyio.get_current_task', 'trio.lowlevel.current_task', 'sniffio.current_async_library']);

/** Whether the function's own body calls one of LOOP_BOUND. */
function needsRunningLoop(ctx: PythonRuleContext, fn: Node): boolean {
  if (!/get_running_loop|current_task|all_tasks|create_task|current_async_library/.test(fn.text)) return false;
  for (const n of ownNodes(fn.childForFieldName('body')!)) {
    const callee = n.type === 'call' ? n.childForFieldName('function') : null;
    if (callee && (callee.type === 'identifier' || callee.type === 'attribute') && LOOP_BOUND.has(ctx.scope.resolve(callee)?.name ?? '')) return true;
  }
  return false;
}

const EITHER_REGISTRARS = /(^|\.)(Route|WebSocketRoute|Mount|path|re_path|url|add_route|add_api_route|add_api_websocket_route|add_websocket_route|add_url_rule|add_event_handler|add_exception_handler|add_task|add_job)$/;

/** Whether the function is given by name as an argument of a call (not called): `every(1, job)`. */
function handedOnByName(ctx: PythonRuleContext, fn: Node, name: Node): boolean {
  // A method handed on as `self.on_response` from its class (`queue.consume(self.on_response)`).
  const cls = fn.parent?.parent?.type === 'class_definition' ? fn.parent.parent : null;
  if (cls) {
    return nodesOfType(cls, 'attribute').some((a) => a.childForFieldName('object')?.text === 'self' && a.childForFieldName('attribute')?.text === name.text && givenAsArgument(a));
  }
  const scope = fn.parent?.type === 'module' ? ctx.tree.rootNode : fn.parent?.parent?.type === 'function_definition' ? fn.parent.parent : null;
  if (!scope) return false;
  return nodesOfType(scope, 'identifier').some((id) => {
    if (id.text !== name.text || id.id === name.id || !givenAsArgument(id)) return false;
    const binding = ctx.scope.lookup(id.text, id)?.bindings;
    return binding?.length === 1 && (binding[0].node.id === name.id || binding[0].node.id === fn.id);
  });
}

/**
 * Whether the expression is an argument of a call that needs a coroutine function there: not a
 * registration that also takes plain functions (Starlette's `Route(...)` and `add_event_handler(...)`,
 * Django's `path(...)`, Flask's `add_url_rule(...)`).
 */
function givenAsArgument(expr: Node): boolean {
  // In a list, tuple or dict handed to a call: httpx's `event_hooks={"request": [log_request]}`,
  // which an AsyncClient awaits.
  while (expr.parent && (['list', 'tuple', 'set', 'dictionary'].includes(expr.parent.type) || (expr.parent.type === 'pair' && expr.parent.childForFieldName('value')?.id === expr.id))) expr = expr.parent;
  const p = expr.parent;
  const argument = p?.type === 'argument_list' || (p?.type === 'keyword_argument' && p.childForFieldName('value')?.id === expr.id);
  if (!argument) return false;
  const call = (p!.type === 'argument_list' ? p : p!.parent)?.parent;
  const callee = call?.type === 'call' ? call.childForFieldName('function') : null;
  return !(callee && EITHER_REGISTRARS.test(callee.text.replace(/\s+/g, '')));
}

/**
 * Whether the method is a default meant to be overridden: its class is an interface (a
 * `Protocol` base, or abstract methods of its own; a bare `ABC` base is not enough), or a class of
 * the file that names it as a base defines the method too.
 */
function overriddenInFile(ctx: PythonRuleContext, cls: Node, method: string): boolean {
  const className = cls.childForFieldName('name')?.text;
  if (!className) return false;
  const ownBases = cls.childForFieldName('superclasses')?.text ?? '';
  if (/\bProtocol\b/.test(ownBases) || /@(abc\.)?abstractmethod\b/.test(cls.childForFieldName('body')?.text ?? '')) return true;
  return nodesOfType(ctx.tree.rootNode, 'class_definition').some((other) => {
    const bases = other.childForFieldName('superclasses')?.namedChildren ?? [];
    if (!bases.some((b) => b?.text === className || b?.text.endsWith(`.${className}`))) return false;
    return (other.childForFieldName('body')?.namedChildren ?? []).some((stmt) => {
      const def = stmt?.type === 'decorated_definition' ? stmt.childForFieldName('definition') : stmt;
      return def?.type === 'function_definition' && def.childForFieldName('name')?.text === method;
    });
  });
}

const SLEEPS = new Set(['asyncio.sleep', 'anyio.sleep', 'trio.sleep']);

/** `while not done: await asyncio.sleep(x)` — polling a flag instead of waiting for an event. */
export function checkBusyWait(ctx: PythonRuleContext): void {
  const testModule = TEST_MODULE.test(ctx.filePath.split(/[\\/]/).join('/'));
  for (const loop of nodesOfType(ctx.tree.rootNode, 'while_statement')) {
    const body = loop.childForFieldName('body');
    const condition = loop.childForFieldName('condition');
    if (!body || !condition) continue;
    const forever = condition.type === 'true' || condition.text === '1';
    const stmts = body.namedChildren.filter((s): s is Node => s !== null && s.type !== 'comment');
    if (stmts.length === 0 || !stmts.every((s) => s.type === 'pass_statement' || isSleepStatement(ctx, s))) continue;
    if (!stmts.some((s) => s.type !== 'pass_statement')) continue;
    if (!ctx.scope.isAsyncContext(loop)) continue;
    // `while not await service.ready(): await asyncio.sleep(1)`: polling something only reachable
    // by asking it (a remote check) — no event could be set for it.
    if (!forever && (condition.type === 'await' || condition.descendantsOfType('await').length > 0)) continue;
    // `while not stop.is_set():` on a threading.Event: set by another thread, where an asyncio.Event
    // could only be set through loop.call_soon_threadsafe().
    if (!forever && threadEventPolled(ctx, condition)) continue;
    // `while not hook.check_for_key(key):`, `while not os.path.exists(path):`: a blocking call (reported
    // by blocking-call-in-async) polls state outside the program, which no event of it could stand for.
    if (!forever && makesBlockingCall(ctx, condition)) continue;
    // A test waiting for the code under test (`while key in scheduler.tasks: await asyncio.sleep(0.01)`):
    // that code offers no event for it, and adding one for the test would change what is tested.
    if (!forever && testModule) continue;
    // The library of the sleep names the remedy: trio's and anyio's have sleep_forever() and Events of their own.
    const library = stmts.map((st) => sleepName(ctx, st)?.split('.')[0]).find((l) => l === 'trio' || l === 'anyio') ?? 'asyncio';
    ctx.report({
      message: forever
        ? `This loop does nothing but sleep, forever: to wait until cancelled, ${library === 'asyncio' ? 'await an asyncio.Event that is never set (or a future)' : `await ${library}.sleep_forever()`} instead of waking up for nothing`
        : clockComparison(ctx, condition)
          ? `This loop sleeps in steps until a clock reaches a time: ${library === 'asyncio' ? 'sleep once for the time left (`await asyncio.sleep(max(0, deadline - loop.time()))`)' : `sleep once until it (\`await ${library}.sleep_until(deadline)\`)`}`
          : `This loop polls with sleep until a condition holds: wait for ${library === 'trio' ? 'a' : 'an'} ${library}.Event (or Condition) set by the code that changes it`,
      range: { start: ctx.rangeOf(loop).start, end: ctx.rangeOf(condition).end },
      anchors: ['ASYNC110'],
    });
  }
}

/** Clocks a loop may wait on (`time.monotonic() < deadline`). */
const CLOCKS: ReadonlySet<string> = new Set([
  'time.time', 'time.monotonic', 'time.perf_counter', 'time.time_ns', 'time.monotonic_ns', 'time.perf_counter_ns',
  'datetime.datetime.now', 'datetime.datetime.utcnow', 'trio.current_time', 'anyio.current_time',
]);

/**
 * A condition that only compares a clock with a time (`loop.time() < deadline`, `time.monotonic() -
 * start < 5`, `datetime.now() < until`): no event stands for the clock reaching a time, one sleep does.
 */
function clockComparison(ctx: PythonRuleContext, condition: Node): boolean {
  let c = condition;
  while (c.type === 'parenthesized_expression' && c.namedChildren[0]) c = c.namedChildren[0];
  if (c.type !== 'comparison_operator') return false;
  const calls = [c, ...c.descendantsOfType('call')].filter((n): n is Node => n?.type === 'call');
  return calls.length > 0 && calls.every((call) => {
    const fn = call.childForFieldName('function');
    if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'time' && callArguments(call).length === 0) {
      // `loop.time()`, `self._loop.time()`, `asyncio.get_running_loop().time()`.
      const receiver = fn.childForFieldName('object');
      if (receiver && /(^|[._])loop(\(\))?$/i.test(receiver.text)) return true;
    }
    const r = fn && (fn.type === 'identifier' || fn.type === 'attribute') ? ctx.scope.resolve(fn) : undefined;
    return r !== undefined && CLOCKS.has(r.name);
  });
}

/** `stop.is_set()` (or `self._stop.is_set()`) in a condition, on a `threading.Event`. */
function threadEventPolled(ctx: PythonRuleContext, condition: Node): boolean {
  return [condition, ...condition.descendantsOfType('call')].some((call) => {
    if (call?.type !== 'call') return false;
    const fn = call.childForFieldName('function');
    const object = fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'is_set' ? fn.childForFieldName('object') : null;
    return !!object && holdsThreadEvent(ctx, object);
  });
}

function isSleepStatement(ctx: PythonRuleContext, stmt: Node): boolean {
  return sleepName(ctx, stmt) !== undefined;
}

/** The sleep a statement awaits on its own (`await trio.sleep(1)` → `trio.sleep`), if it is one. */
function sleepName(ctx: PythonRuleContext, stmt: Node): string | undefined {
  if (stmt.type !== 'expression_statement') return undefined;
  const e = stmt.namedChildren[0];
  if (e?.type !== 'await') return undefined;
  const call = e.namedChildren[0];
  if (call?.type !== 'call') return undefined;
  const fn = call.childForFieldName('function');
  const r = fn && (fn.type === 'identifier' || fn.type === 'attribute') ? ctx.scope.resolve(fn) : undefined;
  return r !== undefined && SLEEPS.has(r.name) ? r.name : undefined;
}

/** `async def f(..., timeout=...)`: cancellation scopes at the call site compose better (ASYNC109). */
export function checkTimeoutParameter(ctx: PythonRuleContext): void {
  for (const fn of nodesOfType(ctx.tree.rootNode, 'function_definition')) {
    if (!isAsyncFunction(fn)) continue;
    const params = fn.childForFieldName('parameters');
    for (const p of params?.namedChildren ?? []) {
      if (!p) continue;
      const id = p.type === 'identifier' ? p : p.childForFieldName('name') ?? p.namedChildren.find((c) => c?.type === 'identifier') ?? null;
      if (id?.type !== 'identifier' || id.text !== 'timeout') continue;
      const name = fn.childForFieldName('name')?.text ?? '?';
      ctx.report({
        message: `Async function '${name}' takes a 'timeout' parameter: let callers ${timeoutAdvice(ctx)} instead`,
        range: ctx.rangeOf(p),
        anchors: ['ASYNC109'],
      });
    }
  }
}

/**
 * `await trio.sleep(0)` / `await anyio.sleep(0)`: a checkpoint written as a sleep (ASYNC115).
 * asyncio has no `checkpoint()`: its `sleep(0)` is the idiom and is left alone.
 */
export function checkZeroSleep(ctx: PythonRuleContext): void {
  for (const call of nodesOfType(ctx.tree.rootNode, 'call')) {
    const fn = field(call, 'function');
    const r = fn && (typeOf(fn) === 'identifier' || typeOf(fn) === 'attribute') ? ctx.scope.resolve(fn) : undefined;
    if (r?.name !== 'trio.sleep' && r?.name !== 'anyio.sleep') continue;
    const args = callArguments(call);
    if (args.length !== 1) continue;
    const arg = sleepDuration(call, r.name);
    if (!arg) continue;
    const value = arg.type === 'keyword_argument' ? arg.childForFieldName('value') : arg;
    if (!value || !isZeroLiteral(value)) continue;
    const library = r.name === 'trio.sleep' ? 'trio' : 'anyio';
    const checkpoint = checkpointCall(ctx, library, call);
    ctx.report({
      message: `${fn!.text}(${arg.text}) only yields to the scheduler: say so with ${library}.lowlevel.checkpoint()`,
      range: ctx.rangeOf(call),
      anchors: ['ASYNC115'],
      fix: checkpoint ? {
        title: `Use ${library}.lowlevel.checkpoint()`,
        safe: true,
        edits: [{ range: ctx.rangeOf(call), newText: checkpoint.text }, ...checkpoint.importEdits],
      } : undefined,
    });
  }
}

/** `0`, `0.0`, `0_0` and the like (not a name that happens to hold zero: its value may change). */
function isZeroLiteral(node: Node): boolean {
  if (node.type === 'parenthesized_expression') {
    const inner = node.namedChildren[0];
    return inner ? isZeroLiteral(inner) : false;
  }
  return (node.type === 'integer' || node.type === 'float') && Number(node.text.replace(/_/g, '')) === 0;
}

/**
 * How code at `at` calls `<library>.lowlevel.checkpoint()`: through a `checkpoint` or `lowlevel`
 * the file already imports, else through the library's module (trio imports `trio.lowlevel`
 * itself; for anyio, `import anyio.lowlevel` is added so that type checkers see the submodule).
 */
function checkpointCall(ctx: PythonRuleContext, library: 'trio' | 'anyio', at: Node): { text: string; importEdits: TextEdit[] } | null {
  const checkpoint = moduleAlias(ctx, `${library}.lowlevel.checkpoint`, at);
  if (checkpoint) return { text: `${checkpoint}()`, importEdits: [] };
  const lowlevel = moduleAlias(ctx, `${library}.lowlevel`, at);
  if (lowlevel) return { text: `${lowlevel}.checkpoint()`, importEdits: [] };
  const module = moduleAt(ctx, library, at);
  if (!module) return null;
  if (library === 'trio') return { text: `${module.name}.lowlevel.checkpoint()`, importEdits: module.importEdits };
  const submoduleImported = ctx.tree.rootNode.namedChildren.some((s) => s?.type === 'import_statement' && /^import\s+anyio\.lowlevel\s*$/.test(s.text));
  if (submoduleImported) return { text: `${module.name}.lowlevel.checkpoint()`, importEdits: [] };
  // `import anyio.lowlevel` binds `anyio` too: it stands in for an `import anyio` the file lacks.
  return { text: `${module.name}.lowlevel.checkpoint()`, importEdits: [addImportEdit(ctx, 'import anyio.lowlevel')] };
}

const DAY_SECONDS = 24 * 60 * 60;

/** `await asyncio.sleep(86401)`: a sleep meant as "forever" (ASYNC116). */
export function checkLongSleep(ctx: PythonRuleContext): void {
  for (const call of nodesOfType(ctx.tree.rootNode, 'call')) {
    const fn = field(call, 'function');
    const r = fn && (typeOf(fn) === 'identifier' || typeOf(fn) === 'attribute') ? ctx.scope.resolve(fn) : undefined;
    if (!r || !SLEEPS.has(r.name)) continue;
    const arg = sleepDuration(call, r.name);
    if (!arg) continue;
    const value = numericValue(arg.type === 'keyword_argument' ? arg.childForFieldName('value') ?? arg : arg, ctx);
    if (value === undefined || value <= DAY_SECONDS) continue;
    // A finite pause between rounds of a loop that does other work (a weekly job) is a period;
    // one followed by more code (a test on a fake clock) is meant to end.
    if (Number.isFinite(value) && (periodicPause(call) || (value < YEAR_SECONDS && followedByCode(ctx, call)))) continue;
    ctx.report({
      message: `${fn!.text}(${arg.text}) sleeps for more than a day: to wait until cancelled, ${
        r.name.startsWith('trio.') ? 'await trio.sleep_forever()' : r.name.startsWith('anyio.') ? 'await anyio.sleep_forever()' : 'await an asyncio.Event that is never set (or a future)'
      } instead`,
      range: ctx.rangeOf(call),
      anchors: ['ASYNC116'],
    });
  }
}

/**
 * The duration argument of a sleep call: the first positional argument, or the keyword that
 * names it (`asyncio.sleep(delay=...)`, `anyio.sleep(delay=...)`, `trio.sleep(seconds=...)`).
 */
function sleepDuration(call: Node, name: string): Node | undefined {
  const args = callArguments(call);
  const first = args[0];
  if (first && first.type !== 'keyword_argument' && first.type !== 'list_splat' && first.type !== 'dictionary_splat') return first;
  const keyword = name.startsWith('trio.') ? 'seconds' : 'delay';
  return args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === keyword);
}

const YEAR_SECONDS = 365 * DAY_SECONDS;

/** The statement a sleep call makes on its own (`await asyncio.sleep(x)`), if it is one. */
function sleepStatement(call: Node): Node | undefined {
  let statement: Node | null = call.parent;
  if (statement?.type === 'await') statement = statement.parent;
  return statement?.type === 'expression_statement' ? statement : undefined;
}

/** Whether code other than more sleeping follows the sleep's own statement in its block. */
function followedByCode(ctx: PythonRuleContext, call: Node): boolean {
  const statement = sleepStatement(call);
  for (let next = statement?.nextNamedSibling; next; next = next.nextNamedSibling) {
    if (next.type !== 'comment' && next.type !== 'pass_statement' && !isSleepStatement(ctx, next)) return true;
  }
  return false;
}

/** Whether a sleep is one statement of a loop body that awaits something else too. */
function periodicPause(call: Node): boolean {
  const statement = sleepStatement(call);
  if (!statement) return false;
  const body = statement.parent;
  const loop = body?.parent;
  if (body?.type !== 'block' || (loop?.type !== 'while_statement' && loop?.type !== 'for_statement')) return false;
  return body.namedChildren.some((s) => s && s.id !== statement.id && s.descendantsOfType('await').length > 0);
}

/**
 * The value of a numeric literal, `float("inf")`, a product of literals such as `60 * 60 * 48`,
 * a module-level constant holding one (`FOREVER = 10**9`), or arithmetic over those (`2 * DAY`).
 */
function numericValue(node: Node, ctx?: PythonRuleContext, depth = 0): number | undefined {
  if (node.type === 'identifier' && ctx && depth < 2) {
    const found = ctx.scope.lookup(node.text, node);
    const value = found?.scope === ctx.scope.module && found.bindings.length === 1 ? assignedValue(found.bindings[0].node) : null;
    return value ? numericValue(value, ctx, depth + 1) : undefined;
  }
  if (node.type === 'integer' || node.type === 'float') {
    const v = Number(node.text.replace(/_/g, ''));
    return Number.isFinite(v) ? v : undefined;
  }
  if (node.type === 'call' && /^(float|math\.inf)/.test(node.text) && /inf/i.test(node.text)) return Infinity;
  if (node.type === 'attribute' && node.text === 'math.inf') return Infinity;
  if (node.type === 'parenthesized_expression') {
    const inner = node.namedChildren[0];
    return inner ? numericValue(inner, ctx, depth) : undefined;
  }
  if (node.type === 'binary_operator') {
    const op = node.children.find((c) => c && !c.isNamed)?.type;
    const l = node.childForFieldName('left');
    const rgt = node.childForFieldName('right');
    const a = l ? numericValue(l, ctx, depth) : undefined;
    const b = rgt ? numericValue(rgt, ctx, depth) : undefined;
    if (a === undefined || b === undefined) return undefined;
    if (op === '*') return a * b;
    if (op === '+') return a + b;
    if (op === '**') return a ** b;
  }
  return undefined;
}

/**
 * How callers bound the call: trio's and anyio's cancel scopes in code on those libraries (a
 * module that imports them and not asyncio); `asyncio.timeout` from Python 3.11, `wait_for` before.
 */
function timeoutAdvice(ctx: PythonRuleContext): string {
  if (!importsFrom(ctx, 'asyncio')) {
    const library = importsFrom(ctx, 'anyio') ? 'anyio' : importsFrom(ctx, 'trio') ? 'trio' : undefined;
    if (library) return `wrap the call in 'with ${library}.fail_after(...)' (or 'move_on_after')`;
  }
  const v = ctx.settings.pythonVersion;
  return v && v[0] === 3 && v[1] < 11 ? "bound the call with 'await asyncio.wait_for(...)'" : "wrap the call in 'async with asyncio.timeout(...)'";
}
