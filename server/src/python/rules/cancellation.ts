/**
 * swallowed-cancellation: handlers and `finally` blocks in async code that stop a
 * `CancelledError` from propagating, so the task cannot be cancelled any more.
 */
import type { SyntaxNode as Node } from '../syntax';
import type { Fix, TextEdit } from '../../engine/types';
import type { PythonRuleContext } from '../context';
import type { Resolution } from '../scope';
import { holdsTask, resolvedCallee } from '../tasks';
import { NESTED_SCOPE_TYPES, asyncioModule, callArguments, decoratedWith, definitionsIn, enclosingClassNode, eventLoopModule, hasOwnYield, importsFrom, mentions, moduleAlias, nodesOfType, ownNodes, valueBoundOnce, withItemValues } from '../util';

const CANCELLED = new Set(['asyncio.CancelledError', 'asyncio.exceptions.CancelledError', 'concurrent.futures.CancelledError', 'trio.Cancelled']);
/** `except anyio.get_cancelled_exc_class():` names the running backend's cancellation exception. */
const CANCELLED_CLASS_GETTERS = new Set(['anyio.get_cancelled_exc_class']);
const BASE = new Set(['builtins.BaseException']);
/** asyncio's deadline context managers: their own cancellation leaves them as TimeoutError. */
const DEADLINES = new Set(['asyncio.timeout', 'asyncio.timeout_at', 'asyncio.timeouts.timeout', 'async_timeout.timeout', 'async_timeout.timeout_at']);

/** Whether the subtree (not nested functions) has an await point: await, async for, async with. */
export function hasCheckpoint(node: Node): boolean {
  for (const n of ownNodes(node)) {
    if (n.type === 'await') return true;
    // `async for`/`async with` statements, and `[x async for x in src]` comprehensions.
    if ((n.type === 'for_statement' || n.type === 'with_statement' || n.type === 'for_in_clause') && n.children.some((c) => c?.type === 'async')) return true;
  }
  return false;
}

/** A `yield` (of the function itself) in `body`, in a generator made a context manager by `@asynccontextmanager`. */
function yieldsToWithBody(ctx: PythonRuleContext, body: Node, fn: Node | undefined): boolean {
  return !!fn && decoratedWith(ctx, fn, ['asynccontextmanager']) && hasOwnYield(body);
}

/** Statements of a block, ignoring comments. */
function statements(block: Node | null): Node[] {
  return (block?.namedChildren ?? []).filter((s): s is Node => s !== null && s.type !== 'comment');
}

/** The statements of one type (`raise_statement`, `return_statement`) in a handler, outside nested functions. */
function statementsIn(handler: Node, type: string): Node[] {
  return Array.from(ownNodes(handler)).filter((n) => n.type === type);
}

const REPORTING_CALLS = new Set([
  'print', 'str', 'repr', 'format', 'type', 'isinstance',
  // Error trackers and tracing record it and move on.
  'capture_exception', 'capture_message', 'captureException', 'record_exception', 'report_exception', 'print_exception', 'format_exception',
]);
const LOG_METHODS = new Set(['debug', 'info', 'warning', 'warn', 'error', 'exception', 'critical', 'log', 'print_exc', 'format_exc']);

/**
 * `except BaseException as exc:` whose handler passes `exc` on — `fut.set_exception(exc)`,
 * `errors.append(exc)`, `self._add_exc(exc)`, `context = {'exception': exc}` — delivers the
 * exception (CancelledError included) elsewhere instead of swallowing it: the pattern of event
 * loops, schedulers and futures. Only logging, printing or formatting it does not count.
 */
function handsOff(clause: Node, handler: Node): boolean {
  if (handsOnExcInfo(handler)) return true;
  const pattern = clause.namedChildren.find((c) => c?.type === 'as_pattern');
  const alias = pattern?.childForFieldName('alias');
  const name = alias?.type === 'identifier' ? alias : alias?.namedChildren.find((c) => c?.type === 'identifier');
  if (!name) return false;
  for (const id of nodesOfType(handler, 'identifier')) {
    if (id.text !== name.text) continue;
    // The exception itself (not `exc.args`) passed to a call, assigned, or put in a container.
    const parent = id.parent;
    if (!parent) continue;
    if (parent.type === 'argument_list' && passedOn(parent)) return true;
    if (parent.type === 'assignment' && parent.childForFieldName('right')?.id === id.id) return true;
    if (['list', 'tuple', 'set', 'pair', 'expression_list'].includes(parent.type)) return true;
  }
  return false;
}

/** An argument list of a call that is not one of logging, printing or formatting. */
function passedOn(args: Node): boolean {
  const f = args.parent?.childForFieldName('function');
  const callee = f?.type === 'attribute' ? f.childForFieldName('attribute')?.text : f?.text;
  return !!callee && !REPORTING_CALLS.has(callee) && !LOG_METHODS.has(callee);
}

/**
 * A handler without a name for the exception that reads it back and passes it on in the same
 * breath: `gen.throw(*sys.exc_info())` (a trampoline driving a generator or greenlet, which raises
 * it there), `retry_state.set_exception(sys.exc_info())`, `fut.set_exception(sys.exc_info()[1])`.
 */
function handsOnExcInfo(handler: Node): boolean {
  if (!/\bsys\.(exc_info|exception)\s*\(/.test(handler.text)) return false;
  return nodesOfType(handler, 'call').some((call) => {
    if (!/^sys\.(exc_info|exception)$/.test(call.childForFieldName('function')?.text ?? '')) return false;
    let arg: Node = call;
    // `*sys.exc_info()`, `sys.exc_info()[1]`: the exception all the same (not `sys.exc_info()[0]`, its type).
    if (arg.parent?.type === 'list_splat') arg = arg.parent;
    else if (arg.parent?.type === 'subscript' && arg.parent.childForFieldName('subscript')?.text === '1') arg = arg.parent;
    return arg.parent?.type === 'argument_list' && passedOn(arg.parent);
  });
}

type Caught = 'cancelled' | 'base' | 'bare' | undefined;

/** What an except clause catches, and how to name the cancellation exception it catches. */
interface CaughtBy {
  kind: Caught;
  /** How to name the cancellation exception caught (`CancelledError`, `trio.Cancelled`). */
  label: string;
  /** Other exceptions caught by the same clause (`except (CancelledError, ConnectionError):`). */
  mixed: boolean;
}

function caught(ctx: PythonRuleContext, clause: Node): CaughtBy {
  // The caught expression is the first named child that is not the body block.
  const body = clause.namedChildren.find((c) => c?.type === 'block');
  const expr = clause.namedChildren.find((c) => c !== null && c.type !== 'block' && c.type !== 'comment');
  if (!expr || (body && expr.id === body.id)) return { kind: 'bare', label: 'CancelledError', mixed: false };
  let types: Node[] = [expr];
  if (expr.type === 'as_pattern') types = [expr.namedChildren[0]!].filter(Boolean);
  const flat: Node[] = [];
  for (const t of types) {
    if (t.type === 'tuple' || t.type === 'parenthesized_expression') flat.push(...t.namedChildren.filter((c): c is Node => c !== null));
    else flat.push(t);
  }
  let kind: Caught;
  let label = 'CancelledError';
  let mixed = false;
  for (const t of flat) {
    const c = catchesExpr(ctx, t);
    if (c?.kind === 'cancelled') {
      if (kind !== 'cancelled') label = c.label;
      kind = 'cancelled';
    } else if (c?.kind === 'base' && kind === undefined) kind = 'base';
    else if (!c) mixed = true;
  }
  return { kind, label, mixed };
}

/**
 * Whether an exception expression is a cancellation exception (asyncio's CancelledError,
 * `trio.Cancelled`, `anyio.get_cancelled_exc_class()`) or BaseException.
 */
function catchesExpr(ctx: PythonRuleContext, t: Node): { kind: 'cancelled' | 'base'; label: string } | undefined {
  if (t.type === 'call') {
    const fn = t.childForFieldName('function');
    const r = fn && (fn.type === 'identifier' || fn.type === 'attribute') ? ctx.scope.resolve(fn) : undefined;
    if (r && CANCELLED_CLASS_GETTERS.has(r.name) && (r.via !== 'unbound' || r.name.startsWith('anyio.'))) return { kind: 'cancelled', label: `${t.text}` };
    return undefined;
  }
  if (t.type !== 'identifier' && t.type !== 'attribute') return undefined;
  // `cancelled = anyio.get_cancelled_exc_class()` (bound once), then `except cancelled:`.
  if (t.type === 'identifier') {
    const value = valueBoundOnce(ctx, t);
    if (value?.type === 'call') return catchesExpr(ctx, value);
  }
  const r = ctx.scope.resolve(t);
  const kind = catches(r);
  if (!kind) return undefined;
  return { kind, label: r?.name === 'trio.Cancelled' ? 'trio.Cancelled' : 'CancelledError' };
}

/** Whether an exception class, resolved, is CancelledError itself or BaseException. */
function catches(r: Resolution | undefined): 'cancelled' | 'base' | undefined {
  if (!r) return undefined;
  if (CANCELLED.has(r.name) && (r.via !== 'unbound' || r.name.startsWith('asyncio.') || r.name.startsWith('trio.'))) return 'cancelled';
  return BASE.has(r.name) ? 'base' : undefined;
}

/**
 * What the file cancels: the texts `x` of every `x.cancel()` call or `x.cancel` callback
 * (`loop.call_soon(task.cancel)`), and the functions that cancel a loop variable
 * (`for t in pending: t.cancel()`), whose tasks are then only known by the loop.
 */
interface Cancels {
  texts: Map<string, Node[]>;
  /** Per function (by node id), the names a `for t in tasks: t.cancel()` loop cancels (`tasks` and `t`), with the loop's cancel call. */
  loopCancels: Map<number, { name: string; site: Node }[]>;
}

function cancelsIn(ctx: PythonRuleContext): Cancels {
  const texts = new Map<string, Node[]>();
  const loopCancels = new Map<number, { name: string; site: Node }[]>();
  // Few places say `.cancel`: find them in the text rather than among every attribute node.
  const found = /\.\s*cancel\b/g;
  for (let m = found.exec(ctx.text); m; m = found.exec(ctx.text)) {
    const name = ctx.tree.rootNode.descendantForIndex(m.index + m[0].length - 1);
    const attr = name?.parent;
    if (!name || name.type !== 'identifier' || attr?.type !== 'attribute' || attr.childForFieldName('attribute')?.id !== name.id) continue;
    const obj = attr.childForFieldName('object');
    if (!obj) continue;
    let list = texts.get(obj.text);
    if (!list) texts.set(obj.text, (list = []));
    list.push(attr);
    if (obj.type !== 'identifier') continue;
    for (let n = attr.parent; n && n.type !== 'function_definition'; n = n.parent) {
      // `for t in tasks: t.cancel()`, or `[t.cancel() for t in tasks]`.
      const loop = n.type === 'for_statement' ? n : /comprehension|generator_expression/.test(n.type) ? n.namedChildren.find((c) => c?.type === 'for_in_clause') : undefined;
      if (loop && loop.childForFieldName('left')?.text === obj.text) {
        const iterable = loop.childForFieldName('right');
        const fn = ctx.scope.enclosingFunction(attr);
        if (fn) {
          let names = loopCancels.get(fn.node.id);
          if (!names) loopCancels.set(fn.node.id, (names = []));
          names.push({ name: obj.text, site: attr });
          if (iterable) names.push({ name: iterable.text, site: attr });
        }
        break;
      }
    }
  }
  return { texts, loopCancels };
}

/**
 * The try body only waits for tasks or futures that this code cancels: the expected "cancel, then
 * wait for the task to finish" pattern, where the CancelledError comes from the awaited task.
 * A task held by a local name must be cancelled in the same function (before the wait, or by a
 * callback scheduled before it); one held by an attribute (`self._reader`) anywhere in the file,
 * typically in a `close()` method.
 */
function awaitsTaskItCancelled(ctx: PythonRuleContext, cancels: Cancels, tryBody: Node | null, fnNode: Node | undefined): boolean {
  const stmts = statements(tryBody);
  if (!fnNode || !tryBody || stmts.length === 0 || (cancels.texts.size === 0 && cancels.loopCancels.size === 0 && !/\bwait(_for)?\b/.test(fnNode.text))) return false;
  // A cancel loop in this try's own handlers (`except CancelledError: for t in tasks: t.cancel()`)
  // reacts to a cancellation that reached the body: it did not cancel what the body awaits.
  const tryNode = tryBody.parent;
  const ownHandlers = (site: Node): boolean => !!tryNode && site.startIndex >= tryBody.endIndex && site.endIndex <= tryNode.endIndex;
  const loopedNames = (cancels.loopCancels.get(fnNode.id) ?? []).filter((c) => !ownHandlers(c.site)).map((c) => c.name);
  const looped = loopedNames.length > 0 ? new Set(loopedNames) : undefined;
  const loopSites = (cancels.loopCancels.get(fnNode.id) ?? []).filter((c) => !ownHandlers(c.site)).map((c) => c.site);
  // A task made only after every cancel loop of the function cannot be one of the tasks it cancelled.
  const boundBeforeLoopCancel = (ref: Node): boolean => {
    const bindings = (ctx.scope.lookup(ref.text, ref)?.bindings ?? []).filter((b) => b.node.startIndex >= fnNode.startIndex && b.node.endIndex <= fnNode.endIndex);
    return bindings.length === 0 || bindings.some((b) => loopSites.some((site) => b.node.startIndex < site.startIndex));
  };
  // A local task is cancelled before the wait: before the block, or in it ahead of the wait
  // (`with suppress(CancelledError): fut.cancel(); await fut`).
  const cancelledText = (text: string, identifier: boolean, before: Node = tryBody): boolean => {
    const sites = cancels.texts.get(text);
    if (!identifier) return !!sites?.length;
    if (sites?.some((s) => s.startIndex < before.startIndex && s.startIndex >= fnNode.startIndex && s.endIndex <= fnNode.endIndex)) return true;
    return !!looped?.has(text);
  };
  const cancelledHere = (ref: Node): boolean => {
    if (ref.type !== 'identifier' && ref.type !== 'attribute' && ref.type !== 'subscript') return false;
    if (cancelledText(ref.text, ref.type === 'identifier', ref)) return true;
    if (timedOutBy(tryBody, ref.text)) return true;
    // `done, _ = await asyncio.wait(tasks)` then `for t in done: await t`: a finished future, whose
    // await does not suspend; the only CancelledError it can raise is its own.
    if (ref.type === 'identifier' && doneFromWait(ctx, ref, fnNode)) return true;
    // `for task in self._cancel_all(): await task`, a helper that cancels every task it hands back.
    if (ref.type === 'identifier' && fromCancellingHelper(ctx, cancels, ref, fnNode)) return true;
    // `async def _stop(self, task)` whose every caller hands it a task cancelled before the call.
    if (ref.type === 'identifier' && paramCancelledByCallers(ctx, cancels, ref, fnNode)) return true;
    // `for t in pending: t.cancel()` then `await slow`: a task of this function, likely among them.
    if (ref.type === 'identifier' && looped && holdsTask(ctx, ref, { managed: true }) && boundBeforeLoopCancel(ref)) return true;
    // `task, self._task = self._task, None` then `await task`: an alias of a cancelled task.
    return ref.type === 'identifier' && aliasOf(fnNode, ref, tryBody).some((source) => cancelledText(source.text, source.type === 'identifier'));
  };
  // Texts cancelled earlier in this function, for arguments built from them (`*[t for t in tasks]`).
  const earlier = [...cancels.texts]
    .filter(([, sites]) => sites.some((s) => s.startIndex < tryBody.startIndex && s.startIndex >= fnNode.startIndex))
    .map(([text]) => text)
    .concat([...(looped ?? [])])
    .map((text) => new RegExp(`(^|[^\\w.])${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\w])`));
  const waitsForCancelled = (s: Node): boolean => {
    // `async with asyncio.timeout(t): await task`: a deadline on the wait, whose own
    // cancellation comes out as TimeoutError; what is caught is still the task's.
    if (s.type === 'with_statement' && s.child(0)?.type === 'async') {
      const items = withItemValues(s);
      const deadlines = items.length > 0 && items.every((v) => {
        const f = v.type === 'call' ? v.childForFieldName('function') : null;
        return !!f && isDeadline(ctx, f);
      });
      const inner = statements(s.childForFieldName('body')).filter((b) => hasCheckpoint(b));
      return deadlines && inner.length > 0 && inner.every(waitsForCancelled);
    }
    const e = s.type === 'expression_statement' ? s.namedChildren[0] : s.type === 'return_statement' ? s.namedChildren[0] : null;
    let awaited = e?.type === 'assignment' ? e.childForFieldName('right') : e;
    if (awaited?.type !== 'await') return false;
    awaited = awaited.namedChildren[0] ?? null;
    if (!awaited) return false;
    if (cancelledHere(awaited)) return true;
    // await asyncio.gather(*tasks) / asyncio.wait(tasks) / asyncio.wait_for(task, t) after cancelling them.
    if (awaited.type === 'call') {
      const args = awaited.childForFieldName('arguments')?.namedChildren ?? [];
      return args.some((a) => {
        if (!a) return false;
        const ref = a.type === 'list_splat' ? a.namedChildren[0] : a;
        return !!ref && (cancelledHere(ref) || earlier.some((c) => c.test(a.text)));
      });
    }
    return false;
  };
  // Statements that do not await (a log line) cannot be where the cancellation lands.
  const awaiting = stmts.filter((s) => hasCheckpoint(s));
  return awaiting.length > 0 && awaiting.every(waitsForCancelled) && ctx.scope.isAsyncContext(tryBody);
}

/**
 * A deadline context manager: `asyncio.timeout`, also under a name imported from one module or
 * the other by Python version (`from asyncio import timeout as t` / `from async_timeout import
 * timeout as t`).
 */
function isDeadline(ctx: PythonRuleContext, f: Node): boolean {
  if (f.type !== 'identifier' && f.type !== 'attribute') return false;
  // Imported from one place or another: each of them must be a deadline (scope resolution would
  // only give the first).
  const bindings = f.type === 'identifier' ? ctx.scope.lookup(f.text, f)?.bindings : undefined;
  if (bindings && bindings.length > 1 && bindings.every((b) => b.kind === 'import')) return bindings.every((b) => !!b.target && DEADLINES.has(b.target));
  const r = ctx.scope.resolve(f);
  return !!r && r.via !== 'unbound' && DEADLINES.has(r.name);
}

/**
 * `try: await asyncio.wait_for(pending, t)` / `except asyncio.TimeoutError:` with `await pending`
 * in the handler: on the timeout wait_for cancelled `pending`, so awaiting it raises the
 * CancelledError of that cancellation.
 */
function timedOutBy(inner: Node, text: string): boolean {
  for (let n = inner.parent; n && n.type !== 'function_definition'; n = n.parent) {
    if (n.type !== 'except_clause' || !/\bTimeoutError\b/.test(n.namedChildren.find((c) => c?.type !== 'block')?.text ?? '')) continue;
    const body = n.parent?.type === 'try_statement' ? n.parent.childForFieldName('body') : null;
    if (!body) continue;
    const waited = nodesOfType(body, 'call').some((call) => {
      const fn = call.childForFieldName('function');
      const name = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn?.text;
      return name === 'wait_for' && call.parent?.type === 'await' && callArguments(call)[0]?.text === text;
    });
    if (waited) return true;
  }
  return false;
}

/**
 * Whether `ref` is the variable of a `for` loop (around `ref`, in `fnNode`) over the done set of an
 * `asyncio.wait()`: `done, pending = await asyncio.wait(tasks)`, then `for t in done:`.
 */
function doneFromWait(ctx: PythonRuleContext, ref: Node, fnNode: Node): boolean {
  for (let n = ref.parent; n && n.id !== fnNode.id; n = n.parent) {
    if (n.type !== 'for_statement' || n.childForFieldName('left')?.text !== ref.text) continue;
    const iterable = n.childForFieldName('right');
    if (iterable?.type !== 'identifier') return false;
    const found = ctx.scope.lookup(iterable.text, iterable);
    if (!found || found.bindings.length !== 1) return false;
    const assignment = found.bindings[0].node.parent?.parent;
    if (assignment?.type !== 'assignment' || assignment.startIndex >= n.startIndex) return false;
    const left = assignment.childForFieldName('left');
    const right = assignment.childForFieldName('right');
    const call = right?.type === 'await' ? right.namedChildren[0] : null;
    if ((left?.type !== 'pattern_list' && left?.type !== 'tuple_pattern') || left.namedChildren[0]?.text !== iterable.text) return false;
    return call?.type === 'call' && resolvedCallee(ctx, call) === 'asyncio.wait';
  }
  return false;
}

/**
 * Whether `ref` is the variable of a `for` loop (around `ref`, in `fnNode`) over what a helper of
 * the file returns, when that helper cancels each task of the list it returns: `def _cancel_all(self):
 * tasks = list(self._tasks.values()); for t in tasks: t.cancel(); return tasks`, then
 * `for task in self._cancel_all(): await task`.
 */
function fromCancellingHelper(ctx: PythonRuleContext, cancels: Cancels, ref: Node, fnNode: Node): boolean {
  for (let n = ref.parent; n && n.id !== fnNode.id; n = n.parent) {
    if (n.type !== 'for_statement' || n.childForFieldName('left')?.text !== ref.text) continue;
    let iterable = n.childForFieldName('right');
    if (iterable?.type === 'await') iterable = iterable.namedChildren[0] ?? null;
    const callee = iterable?.type === 'call' ? iterable.childForFieldName('function') : null;
    let helper: Node | undefined;
    if (callee?.type === 'attribute' && callee.childForFieldName('object')?.text === 'self') {
      const cls = enclosingClassNode(n);
      helper = cls ? definitionsIn(cls.childForFieldName('body'), 'function_definition', callee.childForFieldName('attribute')?.text)[0] : undefined;
    } else if (callee?.type === 'identifier') {
      const found = ctx.scope.lookup(callee.text, callee);
      helper = found?.bindings.length === 1 && found.bindings[0].kind === 'def' ? found.bindings[0].node : undefined;
    }
    const body = helper?.childForFieldName('body');
    if (!helper || !body) return false;
    // The names a cancel loop of the helper goes over (`tasks` of `for t in tasks: t.cancel()`).
    const cancelled = new Set((cancels.loopCancels.get(helper.id) ?? []).map((c) => c.name));
    const returns = [...ownNodes(body)].filter((r) => r.type === 'return_statement');
    return returns.length > 0 && returns.every((r) => {
      const value = r.namedChildren[0];
      return value?.type === 'identifier' && cancelled.has(value.text) && (cancels.loopCancels.get(helper.id) ?? []).some((c) => c.site.startIndex < r.startIndex);
    });
  }
  return false;
}

/**
 * Whether `ref` is a parameter of `fnNode` (never assigned in it) that every call of the function in
 * the file (`self._stop(conn, task)` for a method, `stop(conn, task)` for a module function) gives a
 * task cancelled before the call: an attribute the file cancels (`self._loop_task`), or a local of
 * the caller cancelled before the call or taken from such an attribute (`task = self._loop_task`).
 */
function paramCancelledByCallers(ctx: PythonRuleContext, cancels: Cancels, ref: Node, fnNode: Node): boolean {
  const found = ctx.scope.lookup(ref.text, ref);
  if (!found || found.bindings.length !== 1 || found.bindings[0].kind !== 'param' || found.scope.node.id !== fnNode.id) return false;
  const name = fnNode.childForFieldName('name')?.text;
  const params = (fnNode.childForFieldName('parameters')?.namedChildren ?? []).filter((p): p is Node => !!p);
  const paramName = (p: Node): string | undefined => (p.type === 'identifier' ? p.text : p.type === 'typed_parameter' ? p.namedChildren.find((c) => c?.type === 'identifier')?.text : p.childForFieldName('name')?.text);
  let index = params.findIndex((p) => paramName(p) === ref.text);
  if (!name || index < 0 || params.slice(0, index + 1).some((p) => p.type === 'list_splat_pattern' || p.type === 'dictionary_splat_pattern')) return false;
  const cls = fnNode.parent?.parent?.type === 'class_definition' ? fnNode.parent.parent
    : fnNode.parent?.type === 'decorated_definition' && fnNode.parent.parent?.parent?.type === 'class_definition' ? fnNode.parent.parent.parent : null;
  if (cls) {
    if (paramName(params[0]) !== 'self') return false;
    index -= 1;
  }
  const calls = nodesOfType(cls ?? ctx.tree.rootNode, 'call').filter((call) => {
    const f = call.childForFieldName('function');
    return cls ? f?.type === 'attribute' && f.childForFieldName('object')?.text === 'self' && f.childForFieldName('attribute')?.text === name : f?.type === 'identifier' && f.text === name;
  });
  if (calls.length === 0) return false;
  const cancelledBefore = (text: string, caller: Node, call: Node): boolean =>
    (cancels.texts.get(text) ?? []).some((site) => site.startIndex < call.startIndex && site.startIndex >= caller.startIndex);
  return calls.every((call) => {
    const args = callArguments(call);
    const arg = args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === ref.text)?.childForFieldName('value')
      ?? (args[index] && args.slice(0, index + 1).every((a) => a.type !== 'keyword_argument' && a.type !== 'list_splat' && a.type !== 'dictionary_splat') ? args[index] : undefined);
    if (!arg) return false;
    if (arg.type === 'attribute') return cancels.texts.has(arg.text);
    const caller = ctx.scope.enclosingFunction(call)?.node;
    if (arg.type !== 'identifier' || !caller) return false;
    if (cancelledBefore(arg.text, caller, call)) return true;
    return aliasOf(caller, arg, call).some((source) => (source.type === 'attribute' ? cancels.texts.has(source.text) : source.type === 'identifier' && cancelledBefore(source.text, caller, call)));
  });
}

/** What an identifier was assigned from before `before` in a function: `t = self._task`, `t, self._task = self._task, None`. */
function aliasOf(fnNode: Node, id: Node, before: Node): Node[] {
  const out: Node[] = [];
  for (const a of fnNode.descendantsOfType('assignment')) {
    if (!a || a.startIndex >= before.startIndex) continue;
    const left = a.childForFieldName('left');
    const right = a.childForFieldName('right');
    if (!left || !right) continue;
    if (left.type === 'identifier' && left.text === id.text) out.push(right);
    else if ((left.type === 'pattern_list' || left.type === 'tuple_pattern') && (right.type === 'expression_list' || right.type === 'tuple')) {
      const targets = left.namedChildren;
      const values = right.namedChildren;
      const i = targets.findIndex((t) => t?.type === 'identifier' && t.text === id.text);
      if (i >= 0 && values.length === targets.length && values[i]) out.push(values[i]!);
    }
  }
  return out;
}

const SIMPLE_STATEMENTS = new Set(['expression_statement', 'pass_statement', 'delete_statement', 'assert_statement', 'global_statement', 'nonlocal_statement', 'comment']);

/**
 * Whether the code after a statement raises on every path before it can return, break or loop:
 * a `try` inside an `except CancelledError:` handler that ends with `raise` swallows nothing (its
 * own handler only keeps a clean-up error from replacing the cancellation in flight).
 */
function raisesAfter(stmt: Node): boolean {
  let node: Node | null = stmt;
  while (node?.parent?.type === 'block') {
    for (let s = node.nextNamedSibling; s; s = s.nextNamedSibling) {
      if (s.type === 'raise_statement') return true;
      if (!SIMPLE_STATEMENTS.has(s.type)) return false;
    }
    // The end of the block: go on after the statement that holds it (not around a loop).
    const owner: Node | null = node.parent.parent;
    if (!owner) return false;
    if (owner.type === 'if_statement' || owner.type === 'with_statement') node = owner;
    else if (owner.type === 'elif_clause' || owner.type === 'else_clause') node = owner.parent?.type === 'if_statement' ? owner.parent : null;
    else if (owner.type === 'except_clause' || owner.type === 'finally_clause') node = owner.parent;
    else return false;
  }
  return false;
}

/** Calls that never return: the process (or the test) ends instead of the handler. */
const NO_RETURN = new Set(['sys.exit', 'os._exit', 'os.abort', 'exit', 'quit', 'pytest.fail', 'pytest.skip', 'pytest.exit']);

/**
 * How control can leave a statement: by completing normally (`normal`), or by a `return`, or a
 * `break`/`continue` of a loop around the handler (`escape`). Raising is neither.
 */
interface Flow {
  normal: boolean;
  escape: boolean;
}

/** Where the statements of a block can go, in order: a statement after one that cannot complete is unreachable. */
function blockFlow(ctx: PythonRuleContext, block: Node | null, inLoop: boolean, typeTest: RegExp): Flow {
  let escape = false;
  for (const s of statements(block)) {
    const f = statementFlow(ctx, s, inLoop, typeTest);
    escape ||= f.escape;
    if (!f.normal) return { normal: false, escape };
  }
  return { normal: true, escape };
}

/**
 * An `if` that tests which exception was caught dispatches on it: by type
 * (`isinstance(e, asyncio.CancelledError)`) or by identity (`if exc is not value: raise` in an
 * `__aexit__`, where returning re-raises the exception of the `with` body), also of the exception
 * a bare `except:` reads back (`if sys.exc_info()[1] is value: return False`, as in contextlib).
 */
function typeTestFor(clause: Node): RegExp {
  const type =
    '\\b(?:isinstance|issubclass|type)\\s*\\(|CancelledError|\\bCancelled\\b|get_cancelled_exc_class|__class__' +
    '|\\bsys\\.exc_info\\(\\)\\s*\\[\\s*1\\s*\\]\\s+is\\b|\\bsys\\.exception\\(\\)\\s+is\\b|\\bis\\s+(?:not\\s+)?sys\\.(?:exc_info\\(\\)\\s*\\[\\s*1\\s*\\]|exception\\(\\))';
  const pattern = clause.namedChildren.find((c) => c?.type === 'as_pattern');
  const alias = pattern?.childForFieldName('alias');
  const name = alias?.type === 'identifier' ? alias : alias?.namedChildren.find((c) => c?.type === 'identifier');
  if (!name || !/^\w+$/.test(name.text)) return new RegExp(type);
  return new RegExp(`${type}|\\b${name.text}\\s+is\\b|\\bis\\s+(?:not\\s+)?${name.text}\\b`);
}

/**
 * `isinstance(exc, (KeyboardInterrupt, SystemExit))`: a type test that names only classes that
 * are not the cancellation (nor a base of it), so its branch says nothing of CancelledError.
 */
function testsOtherClassesOnly(condition: string): boolean {
  const m = /^\s*isinstance\(\s*\w+\s*,\s*(?:\(([^()]*)\)|([\w.]+))\s*\)\s*$/.exec(condition);
  if (!m) return false;
  const names = (m[1] ?? m[2]).split(',').map((n) => n.trim()).filter(Boolean);
  return names.length > 0 && names.every((n) => /^([\w.]+\.)?(KeyboardInterrupt|SystemExit|GeneratorExit|Exception|[A-Z]\w*Error|[A-Z]\w*Exception)$/.test(n) && !/(Cancelled|BaseException)/.test(n));
}

function statementFlow(ctx: PythonRuleContext, s: Node, inLoop: boolean, typeTest: RegExp): Flow {
  const block = (n: Node | null | undefined) => blockFlow(ctx, n?.type === 'block' ? n : (n?.namedChildren.find((c) => c?.type === 'block') ?? null), inLoop, typeTest);
  switch (s.type) {
    case 'raise_statement':
      return { normal: false, escape: false };
    case 'return_statement':
      return { normal: false, escape: true };
    case 'break_statement':
    case 'continue_statement':
      return { normal: false, escape: !inLoop };
    case 'expression_statement': {
      const call = s.namedChildren[0];
      const fn = call?.type === 'call' ? call.childForFieldName('function') : null;
      const r = fn && (fn.type === 'identifier' || fn.type === 'attribute') ? ctx.scope.resolve(fn) : undefined;
      return { normal: !(r && NO_RETURN.has(r.name)), escape: false };
    }
    case 'if_statement': {
      const branches = [block(s.childForFieldName('consequence'))];
      let hasElse = false;
      for (const c of s.namedChildren) {
        if (c?.type === 'elif_clause') branches.push(block(c.childForFieldName('consequence')));
        if (c?.type === 'else_clause') {
          hasElse = true;
          branches.push(block(c.childForFieldName('body') ?? c));
        }
      }
      // `if isinstance(e, asyncio.CancelledError): raise` lets the cancellation through, whatever
      // the other branches do with the other exceptions (not a test of other classes only).
      const condition = s.childForFieldName('condition')?.text ?? '';
      if (typeTest.test(condition)) {
        if (!testsOtherClassesOnly(condition)) return branches.some((b) => !b.normal && !b.escape) ? { normal: false, escape: false } : { normal: true, escape: false };
        // `if isinstance(e, TimeoutError): continue`: a cancellation never takes that branch.
        const others = branches.slice(1);
        return { normal: !hasElse || others.some((b) => b.normal), escape: others.some((b) => b.escape) };
      }
      return { normal: !hasElse || branches.some((b) => b.normal), escape: branches.some((b) => b.escape) };
    }
    case 'try_statement': {
      const body = block(s.childForFieldName('body'));
      const handlers = s.namedChildren.filter((c): c is Node => c?.type === 'except_clause' || c?.type === 'except_group_clause').map((c) => block(c));
      const elseClause = s.namedChildren.find((c) => c?.type === 'else_clause');
      const elseFlow = elseClause ? block(elseClause.childForFieldName('body') ?? elseClause) : { normal: true, escape: false };
      const fin = s.namedChildren.find((c) => c?.type === 'finally_clause');
      const finFlow = fin ? block(fin) : undefined;
      // A finally that cannot complete decides for every path.
      if (finFlow && !finFlow.normal) return finFlow;
      return {
        normal: (body.normal && elseFlow.normal) || handlers.some((h) => h.normal),
        escape: body.escape || elseFlow.escape || handlers.some((h) => h.escape) || !!finFlow?.escape,
      };
    }
    case 'with_statement':
      return block(s.childForFieldName('body'));
    case 'for_statement':
    case 'while_statement': {
      const body = blockFlow(ctx, s.childForFieldName('body'), true, typeTest);
      const elseClause = s.namedChildren.find((c) => c?.type === 'else_clause');
      const elseFlow = elseClause ? block(elseClause.childForFieldName('body') ?? elseClause) : undefined;
      const condition = s.type === 'while_statement' ? s.childForFieldName('condition') : null;
      // A `break` of this loop (not of a nested one) ends it.
      const forever = (condition?.type === 'true' || condition?.text === '1') && !jumpsOutOf(s.childForFieldName('body')).some((j) => j.type === 'break_statement');
      return { normal: !forever && (elseFlow?.normal ?? true), escape: body.escape || !!elseFlow?.escape };
    }
    case 'match_statement': {
      const cases = nodesOfType(s, 'case_clause').map((c) => block(c));
      return { normal: true, escape: cases.some((c) => c.escape) };
    }
    default:
      return { normal: true, escape: false };
  }
}

/** A handler that calls `uncancel()` deals with the cancellation on purpose. */
function uncancels(handler: Node): boolean {
  return handler.text.includes('uncancel') && nodesOfType(handler, 'attribute').some((a) => a.childForFieldName('attribute')?.text === 'uncancel');
}

/**
 * `async def __aexit__(...): ...; return True` that returns True whatever the exception: the
 * `async with` body's CancelledError (and every other exception) is suppressed.
 */
function checkSuppressingExit(ctx: PythonRuleContext): void {
  if (!ctx.text.includes('__aexit__')) return;
  for (const def of nodesOfType(ctx.tree.rootNode, 'function_definition')) {
    if (def.childForFieldName('name')?.text !== '__aexit__' || !def.children.some((c) => c?.type === 'async')) continue;
    const body = def.childForFieldName('body');
    if (!body) continue;
    const returns = statementsIn(body, 'return_statement');
    if (returns.length === 0 || !returns.every((r) => r.namedChildren[0]?.text === 'True')) continue;
    // Parameters after `self` name the exception: a `return True` under a test of them chooses
    // what to suppress.
    const params = (def.childForFieldName('parameters')?.namedChildren ?? []).filter((p): p is Node => !!p && p.type === 'identifier').slice(1).map((p) => p.text);
    const chosen = (r: Node): boolean => {
      for (let n = r.parent; n && n.id !== body.id; n = n.parent) {
        const condition = n.type === 'if_statement' || n.type === 'elif_clause' ? n.childForFieldName('condition') : null;
        if (condition && (condition.type === 'identifier' ? [condition] : condition.descendantsOfType('identifier')).some((id) => !!id && params.includes(id.text))) return true;
      }
      return false;
    };
    const last = returns.find((r) => !chosen(r));
    if (!last) continue;
    ctx.report({
      message: '__aexit__ returns True whatever the exception: the body\'s CancelledError is suppressed with every other error, and a task cancelled inside this \'async with\' goes on as if nothing happened. Return True only for the exceptions it means to suppress',
      range: ctx.rangeOf(last),
    });
  }
}

export function checkSwallowedCancellation(ctx: PythonRuleContext): void {
  checkSuppressingExit(ctx);
  let cancels: Cancels | undefined;
  for (const tryNode of nodesOfType(ctx.tree.rootNode, 'try_statement')) {
    if (!ctx.scope.isAsyncContext(tryNode)) continue;
    const body = tryNode.childForFieldName('body');
    const fn = ctx.scope.enclosingFunction(tryNode);
    const fnName = fn?.name ?? '?';
    const clauses = tryNode.namedChildren.filter((c): c is Node => c !== null && c.type === 'except_clause');
    // Walked on first need: most handlers catch something else than CancelledError.
    let checkpoint: boolean | undefined;
    // In an `@asynccontextmanager`, the `async with` body's cancellation is thrown in at the `yield`.
    // Awaits inside a shielded trio/anyio scope (`with trio.CancelScope(shield=True):`) cannot
    // receive an outer cancellation: a handler around them has none to swallow.
    const bodyAwaits = () => (checkpoint ??= body ? hasUnshieldedCheckpoint(ctx, body) || yieldsToWithBody(ctx, body, fn?.node) : false);
    // What each clause catches, worked out once: later clauses look back at earlier ones.
    const caughtBy = clauses.map((c) => caught(ctx, c));
    for (const [index, clause] of clauses.entries()) {
      const by = caughtBy[index];
      const { kind, label, mixed } = by;
      if (!kind) continue;
      const handler = clause.namedChildren.find((c) => c?.type === 'block') ?? null;
      if (!handler) continue;
      // A handler that raises (anything) on every path lets the task end with an error; one that
      // returns, breaks, continues or ends on some path swallows the cancellation there.
      const flow = blockFlow(ctx, handler, false, typeTestFor(clause));
      // One that raises on every path, but only exceptions of its own making, turns the
      // cancellation into another error (flake8-async ASYNC104).
      const into = !flow.normal && !flow.escape ? convertedInto(ctx, clause, handler, fn?.node) : undefined;
      if (!flow.normal && !flow.escape && !into) continue;
      if (!bodyAwaits()) continue;
      if (!into && raisesAfter(tryNode)) continue;
      if (handsOff(clause, handler)) continue;
      if (kind === 'cancelled' && (uncancels(handler) || awaitsTaskItCancelled(ctx, (cancels ??= cancelsIn(ctx)), body, fn?.node))) continue;
      // An earlier clause naming CancelledError (alone or in a tuple, `except (CancelledError,
      // TimeoutError): raise`) already takes cancellation: it is judged itself.
      if ((kind !== 'cancelled' || mixed) && caughtBy.slice(0, index).some((earlier) => earlier.kind === 'cancelled')) continue;
      if (into) {
        const turned = kind === 'cancelled' ? `${label} is caught and replaced by ${into}` : `${kind === 'base' ? '`except BaseException`' : 'A bare `except:`'} turns CancelledError into ${into}`;
        ctx.report({
          message: `${turned} in async function '${fnName}': whoever cancelled the task (a timeout, a TaskGroup, shutdown) gets ${into} instead of the cancellation, and the task ends failed, not cancelled. Let the cancellation through`,
          range: { start: ctx.rangeOf(clause).start, end: ctx.rangeOf(handler).start },
          anchors: ['ASYNC104'],
          ...conversionFix(ctx, clause, handler, by),
        });
        continue;
      }
      const what = kind === 'cancelled' ? `${label} is caught` : kind === 'base' ? '`except BaseException` catches CancelledError' : 'A bare `except:` catches CancelledError';
      // Some path raises: say which ones do not.
      const partial = statementsIn(handler, 'raise_statement').length > 0;
      const partialWhat =
        kind === 'cancelled' ? `${label} is caught but not re-raised on every path` : `${what} but does not re-raise it on every path`;
      const exits = [...new Set(jumpsOutOf(handler).map((j) => ({ return_statement: 'returns', break_statement: 'breaks', continue_statement: 'continues' })[j.type] ?? 'returns'))];
      if (flow.normal) exits.push('ends');
      ctx.report({
        message: partial
          ? `${partialWhat} in async function '${fnName}': where the handler ${exits.join(' or ')} without raising, the task can no longer be cancelled (timeouts, TaskGroup and shutdown stop working)`
          : `${what} without re-raising it in async function '${fnName}': the task can no longer be cancelled (timeouts, TaskGroup and shutdown stop working)`,
        range: { start: ctx.rangeOf(clause).start, end: ctx.rangeOf(handler).start },
        anchors: ['ASYNC103'],
        ...fixFor(ctx, clause, handler, by),
      });
    }
    const fin = tryNode.namedChildren.find((c) => c?.type === 'finally_clause');
    if (fin && bodyAwaits()) {
      const finBody = fin.namedChildren.find((c) => c?.type === 'block') ?? null;
      for (const jump of jumpsOutOf(finBody)) {
        ctx.report({
          message: `'${jump.text.split(/\s/)[0]}' inside 'finally' discards the exception in flight, CancelledError included, in async function '${fnName}'`,
          range: ctx.rangeOf(jump),
          anchors: ['ASYNC104', 'B012'],
        });
      }
    }
  }
  checkSuppressedCancellation(ctx, () => (cancels ??= cancelsIn(ctx)));
}

/**
 * `with contextlib.suppress(asyncio.CancelledError):` around code that awaits: the same swallowing
 * as an `except CancelledError: pass`, unless the block only waits for tasks the code cancelled.
 */
function checkSuppressedCancellation(ctx: PythonRuleContext, cancels: () => Cancels): void {
  if (!ctx.text.includes('suppress')) return;
  for (const statement of nodesOfType(ctx.tree.rootNode, 'with_statement')) {
    if (statement.child(0)?.type === 'async' || !ctx.scope.isAsyncContext(statement)) continue;
    const suppressed = withItemValues(statement).some((call) => {
      const fn = call.type === 'call' ? call.childForFieldName('function') : null;
      const r = fn && (fn.type === 'identifier' || fn.type === 'attribute') ? ctx.scope.resolve(fn) : undefined;
      if (r?.name !== 'contextlib.suppress' || r.via === 'unbound') return false;
      return (call.childForFieldName('arguments')?.namedChildren ?? []).some((a) => !!a && catchesExpr(ctx, a) !== undefined);
    });
    if (!suppressed) continue;
    const body = statement.childForFieldName('body');
    if (!body || !hasCheckpoint(body)) continue;
    const fn = ctx.scope.enclosingFunction(statement);
    if (awaitsTaskItCancelled(ctx, cancels(), body, fn?.node)) continue;
    ctx.report({
      message: `contextlib.suppress() swallows CancelledError in async function '${fn?.name ?? '?'}': the task can no longer be cancelled (timeouts, TaskGroup and shutdown stop working)`,
      range: ctx.rangeOf(statement.namedChildren.find((c) => c?.type === 'with_clause') ?? statement),
      anchors: [],
    });
  }
}

/** `return`/`break`/`continue` in a finally block that leave it (not inside nested loops/functions for break/continue). */
function jumpsOutOf(block: Node | null): Node[] {
  if (!block) return [];
  const out: Node[] = [];
  const stack: { n: Node; inLoop: boolean }[] = [{ n: block, inLoop: false }];
  while (stack.length) {
    const { n, inLoop } = stack.pop()!;
    if (n.type === 'return_statement') out.push(n);
    if (!inLoop && (n.type === 'break_statement' || n.type === 'continue_statement')) out.push(n);
    for (const c of n.namedChildren) {
      if (!c || c.type === 'function_definition' || c.type === 'lambda' || c.type === 'class_definition') continue;
      stack.push({ n: c, inLoop: inLoop || n.type === 'for_statement' || n.type === 'while_statement' });
    }
  }
  return out.sort((a, b) => a.startIndex - b.startIndex);
}

/** Exceptions a cancellation may become without being lost: another cancellation, or the end of the process. */
const STILL_STOPS = /Cancel|^(KeyboardInterrupt|SystemExit|GeneratorExit)$/;

/**
 * The exception a handler raises instead of the cancellation it caught (`raise ConnectionFailed(...)
 * from exc`), when every `raise` in it makes a new exception of a class that is no cancellation;
 * undefined when some `raise` hands the caught exception on (`raise`, `raise exc`), raises what a
 * variable holds, or the handler tests what it caught. A TimeoutError from a function that cancels
 * work itself (a timeout written by hand: `loop.call_later(delay, task.cancel)`) is its own.
 */
function convertedInto(ctx: PythonRuleContext, clause: Node, handler: Node, fnNode: Node | undefined): string | undefined {
  const typeTest = typeTestFor(clause);
  let into: string | undefined;
  for (const n of ownNodes(handler)) {
    if ((n.type === 'if_statement' || n.type === 'elif_clause' || n.type === 'conditional_expression') && typeTest.test((n.type === 'conditional_expression' ? n.namedChildren[1] : n.childForFieldName('condition'))?.text ?? '')) return undefined;
    if (n.type !== 'raise_statement') continue;
    const value = n.namedChildren.find((c) => c !== null && c.type !== 'comment');
    if (!value || value.id === n.childForFieldName('cause')?.id) return undefined;
    const cls = value.type === 'call' ? value.childForFieldName('function') : value;
    if (!cls || (cls.type !== 'identifier' && cls.type !== 'attribute')) return undefined;
    const name = cls.type === 'attribute' ? (cls.childForFieldName('attribute')?.text ?? '') : cls.text;
    // A class, by the name's case (`raise err` or `raise self.error` may hold the caught exception).
    if (!/^_?[A-Z]/.test(name) || STILL_STOPS.test(name)) return undefined;
    const resolved = ctx.scope.resolve(cls);
    if (resolved && CANCELLED.has(resolved.name)) return undefined;
    // A class of this file that derives from a cancellation (or from BaseException alone).
    const local = cls.type === 'identifier' ? ctx.scope.lookup(name, cls)?.bindings : undefined;
    const def = local?.length === 1 ? (local[0].node.type === 'class_definition' ? local[0].node : local[0].node.parent) : undefined;
    if (def?.type === 'class_definition' && /Cancel|BaseException/.test(def.childForFieldName('superclasses')?.text ?? '')) return undefined;
    if (/Timeout|TooSlow/.test(name) && fnNode && /\.cancel\b/.test(fnNode.text)) return undefined;
    into ??= cls.text.replace(/\s+/g, '');
  }
  return into;
}

/**
 * A cancellation turned into another error: let it through in a clause of its own before the
 * handler (a bare `except:`, `BaseException`, or a tuple with other exceptions), or re-raise it
 * instead of the other error (`except CancelledError: raise Failed()` with one `raise`). A
 * suggestion: the code chose to convert it, and its callers may count on the other error.
 */
function conversionFix(ctx: PythonRuleContext, clause: Node, handler: Node, by: CaughtBy): { suggestions?: Fix[] } {
  if (by.kind === 'cancelled' && !by.mixed) {
    const raises = statementsIn(handler, 'raise_statement');
    if (raises.length !== 1) return {};
    return { suggestions: [{ title: 'Re-raise the CancelledError instead', safe: false, edits: [{ range: ctx.rangeOf(raises[0]), newText: 'raise' }] }] };
  }
  const inFront = clauseInFront(ctx, clause, handler, by.kind, by.label);
  return inFront ? { suggestions: [{ title: 'Let CancelledError through before this handler', safe: false, edits: inFront.edits }] } : {};
}

function fixFor(ctx: PythonRuleContext, clause: Node, handler: Node, { kind, label, mixed }: CaughtBy): { fix?: Fix; suggestions?: Fix[] } {
  const stmts = statements(handler);
  const last = stmts[stmts.length - 1];
  const clauseLine = ctx.lines.lineText(clause.startPosition.row);
  const clauseIndent = /^[ \t]*/.exec(clauseLine)![0];
  if (clauseIndent.length !== clause.startPosition.column) return {};
  // `except*` clauses: a plain `except` cannot join them (SyntaxError).
  const star = /^except\s*\*/.test(clause.text) ? '*' : '';
  // `except (CancelledError, ConnectionError):` — re-raising in the handler would re-raise the
  // others too: let cancellation through in a clause of its own instead.
  if (kind === 'cancelled' && !mixed) {
    if (!last) return {};
    // A `break`/`continue` of the loop around the handler: a `raise` at the end would not cover it.
    if (jumpsOutOf(handler).some((j) => j.type !== 'return_statement')) return {};
    // A handler that ends with a bare `return` (its only one): the `return` becomes `raise`.
    const returns = statementsIn(handler, 'return_statement');
    if (returns.length > 0) {
      const value = last.namedChildren[0];
      if (returns.length !== 1 || returns[0].id !== last.id || (value && value.text !== 'None')) return {};
      return { fix: { title: 'Re-raise CancelledError instead of returning', safe: true, edits: [{ range: ctx.rangeOf(last), newText: 'raise' }] } };
    }
    // Add `raise` after the handler's last statement, at its indentation.
    const lastLine = ctx.lines.lineText(last.startPosition.row);
    const indent = /^[ \t]*/.exec(lastLine)![0];
    if (indent.length !== last.startPosition.column || last.startPosition.row === clause.startPosition.row) return {};
    const endRow = last.endPosition.row;
    const end = { line: endRow, character: ctx.lines.lineText(endRow).length };
    return {
      fix: { title: 'Re-raise CancelledError at the end of the handler', safe: true, edits: [{ range: { start: end, end }, newText: `${ctx.lines.eol(endRow)}${indent}raise` }] },
    };
  }
  const inFront = clauseInFront(ctx, clause, handler, kind, label);
  if (!inFront) return {};
  const { expr, importEdits, edits } = inFront;
  // A handler that cleans up (`await device.close()`): a clause in front would skip the clean-up
  // on cancellation. Re-raise at its end instead, when the exception is a CancelledError.
  if (cleansUp(handler)) {
    const atEnd = reRaiseAtEnd(ctx, clause, handler, expr, star);
    if (atEnd) return { fix: { ...atEnd, edits: [...atEnd.edits, ...importEdits] } };
    return { suggestions: [{ title: 'Let CancelledError through before this handler (its clean-up then no longer runs on cancellation)', safe: false, edits }] };
  }
  return { fix: { title: 'Let CancelledError through before this handler', safe: true, edits } };
}

/**
 * A clause that lets the cancellation through in front of a bare `except:`, `except
 * BaseException` or a tuple with CancelledError, keeping the handler for the rest: its edits (the
 * import included), and how it names the exception. Only asyncio's CancelledError is written that way.
 */
function clauseInFront(ctx: PythonRuleContext, clause: Node, handler: Node, kind: Caught, label: string): { expr: string; importEdits: TextEdit[]; edits: TextEdit[] } | undefined {
  const clauseIndent = /^[ \t]*/.exec(ctx.lines.lineText(clause.startPosition.row))![0];
  if (clauseIndent.length !== clause.startPosition.column) return undefined;
  if (kind === 'cancelled' && label !== 'CancelledError') return undefined;
  const cancelled = cancelledClassAt(ctx, clause);
  if (!cancelled) return undefined;
  const { expr, importEdits } = cancelled;
  const star = /^except\s*\*/.test(clause.text) ? '*' : '';
  const firstInHandler = statements(handler)[0];
  const innerIndent = firstInHandler ? /^[ \t]*/.exec(ctx.lines.lineText(firstInHandler.startPosition.row))![0] : `${clauseIndent}    `;
  const eol = ctx.lines.eol(clause.startPosition.row);
  const at = { line: clause.startPosition.row, character: 0 };
  return { expr, importEdits, edits: [{ range: { start: at, end: at }, newText: `${clauseIndent}except${star} ${expr}:${eol}${innerIndent}raise${eol}` }, ...importEdits] };
}

/**
 * How the handler's fix names the cancellation exception: `asyncio.CancelledError` (with the
 * import to add), or `anyio.get_cancelled_exc_class()` in anyio code that does not import asyncio
 * (it may run on trio, whose `trio.Cancelled` an asyncio clause would not let through). None in
 * trio code (a module that imports trio, not asyncio nor anyio).
 */
function cancelledClassAt(ctx: PythonRuleContext, clause: Node): { expr: string; importEdits: TextEdit[] } | undefined {
  const module = asyncioModule(ctx, clause);
  if (!module) return undefined;
  if (module.importEdits.length === 0) return { expr: `${module.name}.CancelledError`, importEdits: [] };
  const loop = eventLoopModule(ctx, clause);
  if (loop?.library === 'anyio') return { expr: `${loop.name}.get_cancelled_exc_class()`, importEdits: loop.importEdits };
  // trio code cancels with trio.Cancelled: an asyncio clause would not let it through.
  if (typeof moduleAlias(ctx, 'trio', clause) === 'string') return undefined;
  return { expr: `${module.name}.CancelledError`, importEdits: module.importEdits };
}

/** Calls whose only effect is to report: a handler made of these (and `pass`) does no clean-up. */
const REPORTING = /^(print|(\w+\.)*(log|logger|logging|_log|_logger|LOG|LOGGER|log_|warnings|traceback|sentry_sdk|console)\.\w+|(\w+\.)*(debug|info|warning|warn|error|exception|critical|capture_exception|print_exc))$/;

/** Builtins that only look at a value. */
const LOOKING = new Set(['isinstance', 'issubclass', 'len', 'str', 'repr', 'type', 'getattr', 'hasattr', 'id', 'format', 'bool', 'int', 'float']);

/** Whether a handler does more than report: an `await`, or a call other than logging. */
function cleansUp(handler: Node): boolean {
  for (const n of ownNodes(handler)) {
    if (n.type === 'await' || (n.type === 'with_statement' && n.children.some((c) => c?.type === 'async'))) return true;
    if (n.type !== 'call') continue;
    const fn = n.childForFieldName('function');
    if (!fn || !(REPORTING.test(fn.text.replace(/\s+/g, '')) || LOOKING.has(fn.text))) return true;
  }
  return false;
}

/**
 * `if isinstance(exc, asyncio.CancelledError): raise` (or anyio's class) at the end of a handler that falls off its
 * end on every path (no return, break or continue), naming the exception `exc` where the clause
 * does not (a bare `except:` becomes `except BaseException as exc:`, the same thing).
 */
function reRaiseAtEnd(ctx: PythonRuleContext, clause: Node, handler: Node, cancelled: string, star: string): Fix | undefined {
  if (star || jumpsOutOf(handler).length > 0) return undefined;
  const stmts = statements(handler);
  const last = stmts[stmts.length - 1];
  if (!last || last.startPosition.row === clause.startPosition.row) return undefined;
  const indent = /^[ \t]*/.exec(ctx.lines.lineText(last.startPosition.row))![0];
  if (indent.length !== last.startPosition.column) return undefined;
  const unit = indent.slice(/^[ \t]*/.exec(ctx.lines.lineText(clause.startPosition.row))![0].length) || '    ';
  const edits: TextEdit[] = [];
  // `except (A, B) as exc:` (a name, not `except* ...`).
  const alias = clause.namedChildren.find((c) => c?.type === 'as_pattern');
  let name = alias?.namedChildren.find((c) => c?.type === 'as_pattern_target')?.text;
  if (!name) {
    name = 'exc';
    if (ctx.scope.lookup(name, handler) || new RegExp(`\\b${name}\\b`).test(handler.text)) return undefined;
    const colon = clause.children.find((c) => c?.type === ':');
    if (!colon) return undefined;
    const value = clause.namedChildren.find((c) => c !== null && c.type !== 'block' && c.type !== 'comment');
    if (value && value.endIndex > colon.startIndex) return undefined;
    // Bare `except:` catches what `except BaseException` does.
    const at = value ? value.endIndex : colon.startIndex;
    edits.push({ range: ctx.lines.range(at, at), newText: value ? ` as ${name}` : ` BaseException as ${name}` });
    if (!value) {
      const keyword = clause.child(0);
      if (keyword?.type !== 'except' || keyword.endIndex !== colon.startIndex) return undefined;
    }
  } else if (!/^[A-Za-z_]\w*$/.test(name)) return undefined;
  const endRow = last.endPosition.row;
  const end = { line: endRow, character: ctx.lines.lineText(endRow).length };
  const eol = ctx.lines.eol(endRow);
  edits.push({ range: { start: end, end }, newText: `${eol}${indent}if isinstance(${name}, ${cancelled}):${eol}${indent}${unit}raise` });
  return { title: 'Re-raise CancelledError at the end of the handler, after its clean-up', safe: true, edits };
}

/** The trio/anyio cancel scopes a shielded clean-up is written with. */
const SHIELDING_SCOPES = new Set([
  'trio.CancelScope', 'trio.move_on_after', 'trio.move_on_at', 'trio.fail_after', 'trio.fail_at',
  'anyio.CancelScope', 'anyio.move_on_after', 'anyio.move_on_at', 'anyio.fail_after', 'anyio.fail_at',
]);
/** Clean-up awaits made to finish under cancellation: `await stream.aclose()`, `aclose_forcefully(x)`. */
const CANCEL_SAFE_AWAITS = new Set(['trio.aclose_forcefully', 'anyio.aclose_forcefully', 'trio.lowlevel.cancel_shielded_checkpoint']);
const TRIO_OR_ANYIO = /\b(trio|anyio)\b/;

/**
 * unshielded-cleanup-await: in trio or anyio code, the first checkpoint (`await`, `async with`,
 * `async for`) of a `finally:` block, of an `except` clause that catches cancellation
 * (`trio.Cancelled`, `anyio.get_cancelled_exc_class()`, BaseException, bare), or of `__aexit__`,
 * outside a shielded cancel scope. Cancellation there is level-triggered: once a scope is
 * cancelled, every checkpoint in it raises again, so the clean-up stops at its first await.
 */
export function checkUnshieldedCleanupAwait(ctx: PythonRuleContext): void {
  if (!mentions(ctx.text, TRIO_OR_ANYIO)) return;
  const anyio = importsFrom(ctx, 'anyio');
  if (!anyio && !importsFrom(ctx, 'trio')) return;
  const library = anyio ? 'anyio' : 'trio';
  const reported = new Set<number>();
  const report = (checkpoint: Node, where: string) => {
    if (reported.has(checkpoint.id)) return;
    reported.add(checkpoint.id);
    const remedy = library === 'anyio'
      ? `'with anyio.move_on_after(<seconds>, shield=True):'`
      : `'with trio.move_on_after(<seconds>) as scope:' then 'scope.shield = True'`;
    ctx.report({
      message: `This ${checkpoint.type === 'await' ? 'await' : `'async ${checkpoint.type === 'for_statement' ? 'for' : 'with'}'`} in ${where} also runs when the task is cancelled: ${library} cancellation is level-triggered, so it raises again at once and the clean-up stops here. Shield the clean-up, with a time limit: ${remedy}`,
      range: ctx.rangeOf(checkpoint.type === 'await' ? checkpoint : (checkpoint.children.find((c) => c.type === 'async') ?? checkpoint)),
      anchors: ['ASYNC102'],
    });
  };
  for (const clause of nodesOfType(ctx.tree.rootNode, ['finally_clause', 'except_clause'])) {
    const fn = ctx.scope.enclosingFunction(clause);
    if (!fn || fn.kind !== 'function' || !fn.isAsync) continue;
    const tryStatement = clause.parent;
    if (tryStatement?.type !== 'try_statement') continue;
    // Cancellation is delivered at a checkpoint: a `try` body without one cannot be left by it.
    const tryBody = tryStatement.childForFieldName('body');
    if (!tryBody || !hasCheckpoint(tryBody)) continue;
    // The whole `try` sits in a shielded scope: the clean-up cannot be cancelled from outside, and a
    // time limit inside it (`with anyio.move_on_after(5):`) cancels only what it wraps.
    if (insideShield(ctx, tryStatement)) continue;
    let where = "a 'finally' block";
    if (clause.type === 'except_clause') {
      const by = caught(ctx, clause);
      if (by.kind === undefined) continue;
      where = by.kind === 'bare' ? "a bare 'except:'" : by.kind === 'base' ? "an 'except BaseException'" : `an 'except ${by.label}'`;
    }
    const body = clause.namedChildren.find((c) => c?.type === 'block');
    // A handler that never raises swallows the cancellation: swallowed-cancellation's finding.
    if (clause.type === 'except_clause' && body && ![...ownNodes(body)].some((n) => n.type === 'raise_statement')) continue;
    const checkpoint = body && firstUnshieldedCheckpoint(ctx, body);
    if (checkpoint) report(checkpoint, where);
  }
  for (const fn of nodesOfType(ctx.tree.rootNode, 'function_definition')) {
    if (fn.childForFieldName('name')?.text !== '__aexit__' || fn.children[0]?.type !== 'async') continue;
    const body = fn.childForFieldName('body');
    const checkpoint = body && firstUnshieldedCheckpoint(ctx, body);
    if (checkpoint) report(checkpoint, "'__aexit__'");
  }
}

/** Scopes that cancel what they wrap on their own: a task group or nursery when a child fails. */
const GROUP_SCOPES = new Set(['anyio.create_task_group', 'trio.open_nursery']);

/**
 * Whether `node` is inside a shielded cancel scope of its function, with no scope that can
 * cancel on its own (a time limit without shield, a task group) between the shield and `node`.
 */
function insideShield(ctx: PythonRuleContext, node: Node): boolean {
  for (let n = node.parent; n && !NESTED_SCOPE_TYPES.has(n.type); n = n.parent) {
    if (n.type !== 'with_statement') continue;
    const values = withItemValues(n).map((v) => (v.type === 'identifier' ? valueBoundOnce(ctx, v) ?? v : v));
    const callees = values.map((v) => (v.type === 'call' ? resolvedCallee(ctx, v) ?? '' : ''));
    // A shield with a deadline of its own (`move_on_after(5, shield=True)`) still cancels what it wraps when it expires.
    const deadline = values.some((v, i) => SHIELDING_SCOPES.has(callees[i]) && (!callees[i].endsWith('.CancelScope')
      || callArguments(v).some((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'deadline')));
    if (shields(ctx, n) && !deadline) return true;
    if (callees.some((c) => SHIELDING_SCOPES.has(c) || GROUP_SCOPES.has(c))) return false;
  }
  return false;
}

/** Whether `block` has a checkpoint outside shielded scopes and nested functions. */
function hasUnshieldedCheckpoint(ctx: PythonRuleContext, block: Node): boolean {
  const stack: Node[] = [block];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'await') return true;
    if ((n.type === 'for_statement' || n.type === 'with_statement' || n.type === 'for_in_clause') && n.children.some((c) => c?.type === 'async')) return true;
    if (n.type === 'with_statement' && shields(ctx, n)) continue;
    for (const c of n.namedChildren) if (c && !NESTED_SCOPE_TYPES.has(c.type)) stack.push(c);
  }
  return false;
}

/** The first checkpoint of `block` in source order, outside shielded scopes, nested functions and cancel-safe clean-ups. */
function firstUnshieldedCheckpoint(ctx: PythonRuleContext, block: Node, depth = 0): Node | undefined {
  let first: Node | undefined;
  const stack: Node[] = [block];
  while (stack.length) {
    const n = stack.pop()!;
    if (first && n.startIndex >= first.startIndex) continue;
    if (n.type === 'await' && !cancelSafe(ctx, n, depth)) first = n;
    else if ((n.type === 'for_statement' || n.type === 'with_statement') && n.children.some((c) => c.type === 'async')) {
      first = n;
      continue;
    }
    if (n.type === 'with_statement' && shields(ctx, n)) continue;
    for (const c of n.namedChildren) if (c && !NESTED_SCOPE_TYPES.has(c.type)) stack.push(c);
  }
  return first;
}

/** `await stream.aclose()`, `await trio.aclose_forcefully(stream)`: made to finish (forcefully) under cancellation. */
function cancelSafe(ctx: PythonRuleContext, awaitNode: Node, depth = 0): boolean {
  const call = awaitNode.namedChildren[0];
  if (call?.type !== 'call') return false;
  const fn = call.childForFieldName('function');
  const method = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
  if (method === 'aclose' && callArguments(call).length === 0) return true;
  // `await self._inner.__aexit__(*exc)`: a wrapper hands the exit to the manager it wraps, whose own
  // clean-up is its business.
  if (method === '__aexit__') return true;
  // `await self._close_stream()`, an `async def` of the class whose checkpoints are all cancel-safe
  // (`await self._stream.aclose()`): it finishes under cancellation as they do.
  if (method && depth < 2 && fn?.childForFieldName('object')?.text === 'self') {
    const cls = enclosingClassNode(awaitNode);
    const def = cls ? definitionsIn(cls.childForFieldName('body'), 'function_definition', method)[0] : undefined;
    const body = def?.children[0]?.type === 'async' ? def.childForFieldName('body') : null;
    if (body && !firstUnshieldedCheckpoint(ctx, body, depth + 1)) return true;
  }
  const r = fn && (fn.type === 'identifier' || fn.type === 'attribute') ? ctx.scope.resolve(fn) : undefined;
  if (!r || r.via === 'unbound') return false;
  // Imported from inside the library too (`from ._highlevel_generic import aclose_forcefully`).
  return CANCEL_SAFE_AWAITS.has(r.name) || (r.via === 'import' && /(^|\.)aclose_forcefully$/.test(r.name));
}

/**
 * `with trio.CancelScope(shield=True):`, `with anyio.move_on_after(5, shield=True):`, or
 * `with trio.move_on_after(5) as scope:` whose body sets `scope.shield = True`.
 */
function shields(ctx: PythonRuleContext, withNode: Node): boolean {
  const body = withNode.childForFieldName('body');
  const clause = withNode.namedChildren.find((c) => c?.type === 'with_clause');
  for (const item of clause?.namedChildren ?? []) {
    if (item?.type !== 'with_item') continue;
    let value = item.childForFieldName('value');
    let alias: string | undefined;
    if (value?.type === 'as_pattern') {
      alias = value.childForFieldName('alias')?.text ?? value.namedChildren[1]?.text;
      value = value.namedChildren[0];
    }
    // `scope = trio.CancelScope(shield=True)` bound once, then `with scope:`.
    if (value?.type === 'identifier') {
      alias ??= value.text;
      value = valueBoundOnce(ctx, value);
    }
    if (value?.type !== 'call' || !SHIELDING_SCOPES.has(resolvedCallee(ctx, value) ?? '')) continue;
    const shieldArg = callArguments(value).find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'shield');
    if (shieldArg && shieldArg.childForFieldName('value')?.text !== 'False') return true;
    if (alias && body && new RegExp(`^\\s*${alias.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.shield\\s*=\\s*True\\b`, 'm').test(body.text)) return true;
  }
  return false;
}
