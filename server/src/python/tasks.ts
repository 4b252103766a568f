/**
 * What makes a task, for the rules about tasks (dangling-task, cancelled-task-not-awaited,
 * swallowed-cancellation): the factories, event loops, and the calls and names that hold a new task.
 */
import type { SyntaxNode as Node } from './syntax';
import type { PythonRuleContext } from './context';
import { LOOP_GETTERS } from './knowledge/awaitables';
import { assignedValue, calleeName } from './util';

/** Functions that wrap a coroutine in a new task (and their `asyncio.tasks` spellings). */
export const TASK_FACTORIES: ReadonlySet<string> = new Set(['asyncio.create_task', 'asyncio.ensure_future', 'asyncio.tasks.create_task', 'asyncio.tasks.ensure_future']);

/**
 * The qualified name a callee resolves to, for `asyncio`/`anyio`/`trio` names even when the
 * module is not imported (a snippet, a missing import), not for other unbound names.
 */
export function resolvedCallee(ctx: PythonRuleContext, call: Node | null): string | undefined {
  return calleeName(ctx, call, /^(asyncio|anyio|trio)\./);
}

/**
 * An event loop by construction: `asyncio.get_running_loop()` (or `get_event_loop()`,
 * `new_event_loop()`) itself, or a local name every binding of which is one of those calls
 * (`ev_loop = asyncio.get_running_loop()`).
 */
export function isEventLoop(ctx: PythonRuleContext, expr: Node): boolean {
  if (expr.type === 'call') {
    const name = resolvedCallee(ctx, expr);
    return !!name && LOOP_GETTERS.has(name);
  }
  if (expr.type !== 'identifier') return false;
  const found = ctx.scope.lookup(expr.text, expr);
  if (!found) return false;
  return found.bindings.every((b) => {
    const value = assignedValue(b.node);
    return value?.type === 'call' && isEventLoop(ctx, value);
  });
}

/**
 * `asyncio.create_task(...)`, `ensure_future(...)`, `loop.create_task(...)`: a call that makes a
 * task nobody manages (a TaskGroup's `tg.create_task(...)` is awaited by its group).
 */
export function makesTask(ctx: PythonRuleContext, value: Node): boolean {
  if (value.type !== 'call') return false;
  const name = resolvedCallee(ctx, value);
  if (name && TASK_FACTORIES.has(name)) return true;
  const fn = value.childForFieldName('function');
  if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'create_task') return false;
  const receiver = fn.childForFieldName('object');
  return !!receiver && isLoopReceiver(ctx, receiver);
}

/** An event loop as a receiver: named like one (`loop`, `self._loop`), or one by construction. */
export function isLoopReceiver(ctx: PythonRuleContext, receiver: Node): boolean {
  return /(^|\.)_?loop$/.test(receiver.text) || isEventLoop(ctx, receiver);
}

/**
 * A name every binding of which makes a task. `managed` also counts any `.create_task(...)` (a
 * TaskGroup's, an object's) and `ensure_future` however reached: for "a task of this function",
 * where who owns it does not matter. `local`: module-level names do not count.
 */
export function holdsTask(ctx: PythonRuleContext, id: Node, { managed = false, local = false } = {}): boolean {
  const found = ctx.scope.lookup(id.text, id);
  if (!found || found.bindings.length === 0 || (local && found.scope.kind === 'module')) return false;
  return found.bindings.every((b) => {
    const value = assignedValue(b.node);
    if (!value) return false;
    if (makesTask(ctx, value)) return true;
    const fn = managed && value.type === 'call' ? value.childForFieldName('function') : null;
    return !!fn && /(^|\.)(create_task|ensure_future)$/.test(fn.text);
  });
}

/**
 * `loop.create_future()` or `asyncio.Future()`: a future with no coroutine behind it, which its
 * producer resolves. Cancelling one runs no clean-up: there is nothing to wait for after cancel().
 */
export function makesPlainFuture(ctx: PythonRuleContext, value: Node): boolean {
  if (value.type !== 'call') return false;
  if (resolvedCallee(ctx, value) === 'asyncio.Future') return true;
  const fn = value.childForFieldName('function');
  if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'create_future') return false;
  const receiver = fn.childForFieldName('object');
  return !!receiver && isLoopReceiver(ctx, receiver);
}

/** A plain future (see makesPlainFuture), or a name every binding of which is one. */
export function isPlainFuture(ctx: PythonRuleContext, value: Node): boolean {
  if (value.type !== 'identifier') return makesPlainFuture(ctx, value);
  const found = ctx.scope.lookup(value.text, value);
  if (!found || found.bindings.length === 0) return false;
  return found.bindings.every((b) => {
    const assigned = assignedValue(b.node);
    return !!assigned && makesPlainFuture(ctx, assigned);
  });
}
