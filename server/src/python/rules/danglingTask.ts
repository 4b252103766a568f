/**
 * dangling-task: `asyncio.create_task(...)` / `ensure_future(...)` / `loop.create_task(...)`
 * whose task is not kept anywhere.
 */
import type { SyntaxNode as Node } from '../syntax';
import type { Fix, TextEdit } from '../../engine/types';
import type { PythonRuleContext } from '../context';
import { type AwaitableResolver, awaitablesOf, isEventLoopClassName } from '../awaitables';
import { classNameOfAnnotation } from '../project';
import { guiCallerOfLambda } from '../guiCallbacks';
import { addImportEdit, argumentFor, assignedValue, callArguments, callbackArgument, definitionsIn, enclosingClassNode, expectedToRaise, field, isAttributeName, isKeywordName, nodesOfType, parameterAnnotation, parentOf, selfAttributeHoldsLoop, textOf, typeOf } from '../util';
import { LOOP_GETTERS } from '../knowledge/awaitables';
import { TASK_FACTORIES } from '../tasks';

const LOOP_NAMES = new Set(['loop', '_loop', 'event_loop', '_event_loop']);
const REGISTRY = '_background_tasks';

export function checkDanglingTasks(ctx: PythonRuleContext): void {
  checkFactoryAsCallback(ctx);
  let resolver: AwaitableResolver | undefined;
  const resolve = (): AwaitableResolver => (resolver ??= awaitablesOf(ctx));
  for (const call of nodesOfType(ctx.tree.rootNode, 'call')) {
    if (droppedThreadsafeFuture(ctx, call)) continue;
    let factory = taskFactory(ctx, call, resolve);
    // A project helper that returns the task it creates (`utils.create_task(coro)`), dropped here.
    if (!factory && parentOf(call)?.type === 'expression_statement') factory = resolve().projectTaskFactory(call);
    if (!factory) continue;
    // `with pytest.raises(RuntimeError): asyncio.create_task(coro)`: no task is made.
    if (expectedToRaise(call)) continue;
    const parent = parentOf(call);
    if (!parent) continue;
    if (parent.type === 'expression_statement' && parent.namedChildCount === 1) {
      ctx.report({
        message: `The task from ${factory}() is not kept: it can be garbage-collected before it finishes, and its exception is never retrieved`,
        range: ctx.rangeOf(call),
        suggestions: keepReferenceFix(ctx, parent, call, undefined),
      });
      continue;
    }
    if (parent.type === 'assignment' && parent.parent?.type === 'expression_statement') {
      const left = parent.childForFieldName('left');
      if (left?.type !== 'identifier' || parent.childForFieldName('right')?.id !== call.id) continue;
      const overwritten = overwrittenBeforeRead(ctx, left, parent.parent);
      if (overwritten) {
        ctx.report({
          message: `Task '${left.text}' from ${factory}() is replaced on line ${overwritten.startPosition.row + 1} before anything uses it: nothing keeps this task, so it can be garbage-collected before it finishes, and its exception is never retrieved`,
          range: ctx.rangeOf(call),
        });
        continue;
      }
      if (isUsedElsewhere(ctx, left)) {
        const race = onlyRaced(ctx, left);
        if (race) {
          ctx.report({
            message: `Task '${left.text}' from ${factory}() is only raced by asyncio.wait(..., ${race}), which drops the tasks it leaves pending: when the wait returns without it, it runs on with nothing to cancel or await it, can be garbage-collected mid-flight, and its exception is never retrieved. Cancel the pending tasks (and await them)`,
            range: ctx.rangeOf(call),
          });
        }
        continue;
      }
      const callbackOnly = ctx.scope.scopeAt(left).node.descendantsOfType('identifier').some((id) => !!id && id.text === left.text && onlyGivesCallback(id));
      const weakOnly = ctx.scope.scopeAt(left).node.descendantsOfType('identifier').some((id) => !!id && id.text === left.text && heldWeakly(ctx, id));
      ctx.report({
        message: weakOnly
          ? `Task '${left.text}' from ${factory}() is only held by a weak container: a weak reference does not keep it alive, so it can be garbage-collected before it finishes`
          : callbackOnly
          ? `Task '${left.text}' from ${factory}() is only given a done callback: a callback does not keep it alive, so it can be garbage-collected before it finishes`
          : `Task '${left.text}' from ${factory}() is never used: it can be garbage-collected before it finishes, and its exception is never retrieved`,
        range: ctx.rangeOf(call),
        suggestions: keepReferenceFix(ctx, parent.parent, call, left.text),
      });
      continue;
    }
    // `asyncio.create_task(job()).add_done_callback(log_errors)` as a statement: the callback
    // sees the exception, but nothing holds the task itself.
    if (parent.type === 'attribute' && parent.childForFieldName('attribute')?.text === 'add_done_callback') {
      const chained = parentOf(parent);
      const statement = chained?.type === 'call' ? parentOf(chained) : null;
      // Also the body of a lambda (`loop.call_later(1, lambda: asyncio.ensure_future(job()).add_done_callback(cb))`):
      // the lambda gives back what add_done_callback() returns, None, and the task is dropped there.
      const lambdaBody = statement?.type === 'lambda' && statement.childForFieldName('body')?.id === chained?.id;
      if ((statement?.type === 'expression_statement' && statement.namedChildCount === 1) || lambdaBody) {
        ctx.report({
          message: `The task from ${factory}() gets a done callback but is not kept: a callback does not keep it alive, so it can be garbage-collected before it finishes`,
          range: ctx.rangeOf(call),
        });
      }
      continue;
    }
    // `loop.add_signal_handler(sig, lambda: asyncio.create_task(shutdown()))`: the loop drops
    // what the callback returns.
    if (parent.type === 'lambda' && parent.childForFieldName('body')?.id === call.id) {
      const gui = callbackRegistrar(parent) ? undefined : guiCallerOfLambda(ctx, parent);
      const registrar = callbackRegistrar(parent) ?? (gui ? `${gui.caller.replace(/\(\).*$/, '')}` : undefined);
      if (registrar) {
        ctx.report({
          message: `The task from ${factory}() is returned by a callback given to ${registrar}(), which drops it: nothing keeps the task, so it can be garbage-collected before it finishes, and its exception is never retrieved`,
          range: ctx.rangeOf(call),
        });
      }
      continue;
    }
    // `await asyncio.wait([done_event, asyncio.ensure_future(stop.wait())], return_when=FIRST_COMPLETED)`
    // with the pending set dropped: the task made in the list is left running if it loses.
    if (parent.type === 'list' || parent.type === 'set' || parent.type === 'tuple') {
      const race = raceDroppingPending(ctx, parent);
      if (race) {
        ctx.report({
          message: `The task from ${factory}() is raced by asyncio.wait(..., ${race}), which drops the tasks it leaves pending: when the wait returns without it, it runs on with nothing to cancel or await it, and its exception is never retrieved. Keep it and cancel it when it loses`,
          range: ctx.rangeOf(call),
        });
      }
      continue;
    }
    // `[asyncio.create_task(c) for c in coros]` as a statement: every task is dropped.
    if ((parent.type === 'list_comprehension' || parent.type === 'set_comprehension') && parent.parent?.type === 'expression_statement') {
      ctx.report({
        message: `The tasks from ${factory}() are not kept: they can be garbage-collected before they finish, and their exceptions are never retrieved`,
        range: ctx.rangeOf(call),
      });
    }
  }
}

/**
 * `loop.call_soon_threadsafe(asyncio.create_task, coro)`: the task factory itself given as the
 * callback; the loop drops the task it makes.
 */
function checkFactoryAsCallback(ctx: PythonRuleContext): void {
  if (!/call_soon|call_later|call_at/.test(ctx.text)) return;
  for (const call of nodesOfType(ctx.tree.rootNode, 'call')) {
    const fn = field(call, 'function');
    const method = fn && typeOf(fn) === 'attribute' ? field(fn, 'attribute')?.text : undefined;
    if (!method || !/^call_(soon|soon_threadsafe|later|at)$/.test(method)) continue;
    const callback = callbackArgument(call, method);
    if (!callback || (callback.type !== 'identifier' && callback.type !== 'attribute')) continue;
    const r = ctx.scope.resolve(callback);
    if (!r || !TASK_FACTORIES.has(r.name) || (r.via === 'unbound' && !r.name.startsWith('asyncio.'))) continue;
    ctx.report({
      message: `The task that ${callback.text.replace(/\s+/g, '')}() makes when ${fn!.text.replace(/\s+/g, '')}() calls it is dropped: nothing keeps it, so it can be garbage-collected before it finishes, and its exception is never retrieved`,
      range: ctx.rangeOf(call),
    });
  }
}

/** Loop and signal APIs that call a callback and ignore what it returns. */
const CALLBACK_REGISTRARS = new Set(['add_signal_handler', 'call_soon', 'call_soon_threadsafe', 'call_later', 'call_at', 'add_done_callback', 'add_reader', 'add_writer']);

/** The method a lambda is handed to as a callback, when that method ignores the callback's result. */
function callbackRegistrar(lambda: Node): string | undefined {
  let arg: Node = lambda;
  if (arg.parent?.type === 'keyword_argument') arg = arg.parent;
  const call = arg.parent?.type === 'argument_list' ? arg.parent.parent : null;
  const fn = call?.type === 'call' ? call.childForFieldName('function') : null;
  if (!fn) return undefined;
  const name = fn.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn.type === 'identifier' ? fn.text : undefined;
  if (name && CALLBACK_REGISTRARS.has(name)) return fn.text.replace(/\s+/g, '');
  return fn.text.replace(/\s+/g, '') === 'signal.signal' ? 'signal.signal' : undefined;
}

/** The factory's display name when `call` creates a task that nothing owns yet. */
function taskFactory(ctx: PythonRuleContext, call: Node, resolve: () => AwaitableResolver): string | undefined {
  const fn = field(call, 'function');
  if (!fn) return undefined;
  const type = typeOf(fn);
  const resolved = type === 'identifier' || type === 'attribute' ? ctx.scope.resolve(fn) : undefined;
  if (resolved && TASK_FACTORIES.has(resolved.name) && (resolved.via !== 'unbound' || resolved.name.startsWith('asyncio.'))) {
    return textOf(fn).replace(/\s+/g, '');
  }
  // The attribute is the last token of the callee: a callee not ending with it is not a `.create_task`.
  if (type !== 'attribute' || !textOf(fn).endsWith('create_task')) return undefined;
  const attribute = field(fn, 'attribute');
  if (!attribute || textOf(attribute) !== 'create_task') return undefined;
  const receiver = field(fn, 'object');
  if (!receiver) return undefined;
  if (isEventLoop(ctx, receiver, resolve)) return `${receiver.text.replace(/\s+/g, '')}.create_task`;
  return undefined;
}

/**
 * `asyncio.run_coroutine_threadsafe(coro, loop)` from another thread with its future dropped (a
 * bare statement, or a name never used): the coroutine runs, but its exception goes into a
 * `concurrent.futures.Future` nobody reads, which logs nothing. Reported; true when handled.
 */
function droppedThreadsafeFuture(ctx: PythonRuleContext, call: Node): boolean {
  const fn = field(call, 'function');
  if (!fn || !textOf(fn).endsWith('run_coroutine_threadsafe') || (fn.type !== 'identifier' && fn.type !== 'attribute')) return false;
  const name = ctx.scope.resolve(fn)?.name;
  if (name !== 'asyncio.run_coroutine_threadsafe' && name !== 'asyncio.tasks.run_coroutine_threadsafe') return false;
  if (expectedToRaise(call)) return true;
  // `run_coroutine_threadsafe(queue.put(item), loop)` on an asyncio queue: a put cannot fail, there is no outcome to lose.
  if (queuePut(ctx, callArguments(call)[0])) return true;
  // `run_coroutine_threadsafe(self.send(data), loop)` where `send` wraps its whole body in
  // `try: ... except Exception: log(...)`: no exception leaves the coroutine, there is no outcome to lose.
  if (handlesEveryError(ctx, callArguments(call)[0])) return true;
  const parent = parentOf(call);
  const shown = textOf(fn).replace(/\s+/g, '');
  const advice = "keep the future and call its .result(), or give it a done callback that logs the exception";
  if (parent?.type === 'expression_statement' && parent.namedChildCount === 1) {
    ctx.report({ message: `The future from ${shown}() is dropped: nothing reads the coroutine's outcome, so an exception it raises is lost without a trace (${advice})`, range: ctx.rangeOf(call) });
  } else if (parent?.type === 'assignment' && parent.parent?.type === 'expression_statement' && parent.childForFieldName('right')?.id === call.id) {
    const left = parent.childForFieldName('left');
    // Any read counts (a done callback reads the outcome too).
    const scope = left?.type === 'identifier' ? ctx.scope.scopeAt(left) : undefined;
    const owner = scope?.kind === 'module' ? ctx.tree.rootNode : scope?.node;
    const read = !!owner && owner.descendantsOfType('identifier').some((id) => !!id && id.text === left!.text && id.id !== left!.id && !isKeywordName(id) && !isAttributeName(id));
    if (left?.type === 'identifier' && scope?.kind !== 'module' && !read && !scope?.globals.has(left.text) && !scope?.nonlocals.has(left.text)) {
      ctx.report({ message: `Future '${left.text}' from ${shown}() is never used: nothing reads the coroutine's outcome, so an exception it raises is lost without a trace (${advice})`, range: ctx.rangeOf(call) });
    }
  }
  return true;
}

/**
 * A call of a coroutine function of this file (`self.method(...)` of the enclosing class, or a
 * function of the module) whose body, past its docstring, is a single `try` with a handler for
 * every `Exception` (`except Exception:`, `except BaseException:`, a bare `except:`) that neither
 * raises nor awaits, and no `else` or `finally` clause: nothing it raises reaches its caller.
 */
function handlesEveryError(ctx: PythonRuleContext, arg: Node | undefined): boolean {
  const fn = arg?.type === 'call' ? field(arg, 'function') : null;
  let defs: Node[] = [];
  if (fn?.type === 'attribute' && field(fn, 'object')?.text === 'self') {
    const cls = enclosingClassNode(fn);
    defs = definitionsIn(cls ? field(cls, 'body') : null, 'function_definition', field(fn, 'attribute')?.text);
  } else if (fn?.type === 'identifier') {
    defs = definitionsIn(ctx.tree.rootNode, 'function_definition', fn.text);
  }
  if (defs.length !== 1 || !/^async\b/.test(defs[0].text)) return false;
  const statements = (field(defs[0], 'body')?.namedChildren ?? []).filter((c): c is Node => !!c && c.type !== 'comment');
  const body = statements[0]?.type === 'expression_statement' && statements[0].namedChildren[0]?.type === 'string' ? statements.slice(1) : statements;
  const only = body.length === 1 && body[0].type === 'try_statement' ? body[0] : undefined;
  if (!only || only.namedChildren.some((c) => c?.type === 'else_clause' || c?.type === 'finally_clause')) return false;
  const handlers = only.namedChildren.filter((c): c is Node => c?.type === 'except_clause');
  if (handlers.some((h) => h.descendantsOfType(['raise_statement', 'await']).length > 0)) return false;
  return handlers.some((h) => {
    const caught = h.namedChildren.find((c) => c?.type !== 'block' && c?.type !== 'comment');
    const type = caught?.type === 'as_pattern' ? caught.namedChildren[0] : caught;
    return !type || /^(builtins\.)?(Exception|BaseException)$/.test(type.text);
  });
}

const ASYNCIO_QUEUES = new Set(['asyncio.Queue', 'asyncio.LifoQueue', 'asyncio.PriorityQueue', 'asyncio.queues.Queue', 'asyncio.queues.LifoQueue', 'asyncio.queues.PriorityQueue']);

/**
 * `queue.put(item)` on an asyncio queue, known by its class (made here, annotated, or held on
 * `self`), or reached through another object's attribute (`track._queue.put(frame)` from a worker
 * thread given the track) that every assignment in the file makes an asyncio queue.
 */
function queuePut(ctx: PythonRuleContext, arg: Node | undefined): boolean {
  const fn = arg?.type === 'call' ? field(arg, 'function') : null;
  if (fn?.type !== 'attribute' || field(fn, 'attribute')?.text !== 'put') return false;
  const receiver = field(fn, 'object');
  const cls = receiver ? awaitablesOf(ctx).classOfReceiver(receiver) : undefined;
  if (cls) return cls.kind === 'library' && ASYNCIO_QUEUES.has(cls.name);
  const attribute = receiver?.type === 'attribute' ? field(receiver, 'attribute')?.text : undefined;
  return !!attribute && attributeAlwaysQueue(ctx, attribute);
}

/**
 * Whether the file assigns `<object>.<attribute>` an asyncio queue made on the spot at least once,
 * and nothing else but `None` (a placeholder until the queue is made).
 */
function attributeAlwaysQueue(ctx: PythonRuleContext, attribute: string): boolean {
  let made = 0;
  for (const a of nodesOfType(ctx.tree.rootNode, 'assignment')) {
    const left = field(a, 'left');
    if (left?.type !== 'attribute' || field(left, 'attribute')?.text !== attribute) continue;
    const right = field(a, 'right');
    if (!right || right.type === 'none') continue;
    const ctor = right?.type === 'call' ? field(right, 'function') : null;
    const name = ctor && (ctor.type === 'identifier' || ctor.type === 'attribute') ? ctx.scope.resolve(ctor)?.name : undefined;
    if (!name || !ASYNCIO_QUEUES.has(name)) return false;
    made++;
  }
  return made > 0;
}

/** A call that gives an event loop: asyncio's getters, or a project function annotated to return one. */
function isLoopGetterCall(ctx: PythonRuleContext, call: Node, resolve: () => AwaitableResolver): boolean {
  const f = call.childForFieldName('function');
  const r = f && (f.type === 'identifier' || f.type === 'attribute') ? ctx.scope.resolve(f) : undefined;
  if (r && LOOP_GETTERS.has(r.name)) return true;
  return r?.via !== 'unbound' && resolve().returnsEventLoop(call);
}

function isEventLoop(ctx: PythonRuleContext, receiver: Node, resolve: () => AwaitableResolver): boolean {
  if (receiver.type === 'call') return isLoopGetterCall(ctx, receiver, resolve);
  if (receiver.type === 'identifier') {
    const found = ctx.scope.lookup(receiver.text, receiver);
    if (found) {
      // A name bound by `async with TaskGroup() as x` (or anything but a loop getter) is not a loop.
      let sawLoop = false;
      for (const b of found.bindings) {
        const value = b.node.parent?.type === 'assignment' ? b.node.parent.childForFieldName('right') : null;
        if (value?.type === 'call' && isLoopGetterCall(ctx, value, resolve)) {
          sawLoop = true;
          continue;
        }
        if (b.kind === 'param' && LOOP_NAMES.has(receiver.text)) {
          // `loop: TrainingLoop`: an annotation naming another class says it is not an event loop.
          const type = parameterAnnotation(b.node);
          const annotated = type ? classNameOfAnnotation(type) : undefined;
          if (annotated !== undefined && !isEventLoopClassName(annotated)) return false;
          sawLoop = true;
          continue;
        }
        return false;
      }
      return sawLoop;
    }
    return false;
  }
  if (receiver.type === 'attribute') {
    // `self.loop.create_task(...)`, `self.bot.loop.create_task(...)` (discord.py), `self._loop...`,
    // unless the attribute is known to hold something else (`self.loop = TrainingLoop()`).
    // `self.aloop = asyncio.new_event_loop()` in the class: a loop, whatever its name.
    if (selfAttributeHoldsLoop(ctx, receiver)) return true;
    if (!LOOP_NAMES.has(receiver.childForFieldName('attribute')?.text ?? '')) return false;
    const held = resolve().classOfReceiver(receiver);
    return !held || (held.kind === 'library' && isEventLoopClassName(held.name));
  }
  return false;
}

/** Reads of a task that neither keep, cancel nor await it: `task in done`, `task.done()`, `task.result()`. */
const LOOKS_ONLY = new Set(['done', 'cancelled', 'result', 'exception', 'get_name', 'get_coro']);

/**
 * `task` is read only as an entry of races that drop what they leave pending (see
 * raceDroppingPending), and otherwise only looked at: how the first such race ends early
 * (`return_when=FIRST_COMPLETED`, `timeout=5`), or undefined. A local of a function only.
 */
function onlyRaced(ctx: PythonRuleContext, target: Node): string | undefined {
  const scope = ctx.scope.scopeAt(target);
  if (scope.kind === 'module' || scope.globals.has(target.text) || scope.nonlocals.has(target.text)) return undefined;
  let race: string | undefined;
  for (const id of scope.node.descendantsOfType('identifier')) {
    if (!id || id.text !== target.text || id.id === target.id || isKeywordName(id) || isAttributeName(id)) continue;
    // Another binding of the name (`task = create_task(...)` again in a loop) is no read.
    const up = id.parent;
    if (up?.type === 'assignment' && up.childForFieldName('left')?.id === id.id) continue;
    if (up?.type === 'comparison_operator' && up.namedChildren[0]?.id === id.id && /^\S+\s+(not\s+)?in\b/.test(up.text)) continue;
    if (up?.type === 'attribute' && up.childForFieldName('object')?.id === id.id && LOOKS_ONLY.has(up.childForFieldName('attribute')?.text ?? '') && up.parent?.type === 'call') continue;
    const entry = up && (up.type === 'list' || up.type === 'set' || up.type === 'tuple') ? raceDroppingPending(ctx, up) : undefined;
    if (!entry) return undefined;
    race ??= entry;
  }
  return race;
}

/**
 * `items` is the first argument of an awaited `asyncio.wait(items, return_when=FIRST_COMPLETED)`
 * (or FIRST_EXCEPTION, or with a `timeout`) whose set of pending tasks is dropped: the await a
 * statement of its own, or `done, pending = await ...` with `pending` (or `_`) never read. How
 * the race ends early, or undefined.
 */
function raceDroppingPending(ctx: PythonRuleContext, items: Node): string | undefined {
  const args = items.parent;
  const call = args?.type === 'argument_list' ? args.parent : null;
  if (call?.type !== 'call' || argumentFor(call, 0)?.id !== items.id) return undefined;
  const fn = field(call, 'function');
  const r = fn && (typeOf(fn) === 'identifier' || typeOf(fn) === 'attribute') ? ctx.scope.resolve(fn) : undefined;
  if (!r || r.via === 'unbound' || (r.name !== 'asyncio.wait' && r.name !== 'asyncio.tasks.wait')) return undefined;
  const when = argumentFor(call, undefined, 'return_when');
  const timeout = argumentFor(call, undefined, 'timeout');
  const early = when && /FIRST_(COMPLETED|EXCEPTION)$/.test(when.text) ? `return_when=${when.text.replace(/^.*\./, '')}` : timeout && timeout.type !== 'none' ? 'timeout=' : undefined;
  if (!early) return undefined;
  const awaited = parentOf(call);
  if (awaited?.type !== 'await') return undefined;
  const holder = parentOf(awaited);
  if (holder?.type === 'expression_statement') return early;
  if (holder?.type !== 'assignment' || holder.parent?.type !== 'expression_statement') return undefined;
  const left = holder.childForFieldName('left');
  const names = left && (left.type === 'pattern_list' || left.type === 'tuple_pattern') ? left.namedChildren : [];
  const pending = names.length === 2 ? names[1] : undefined;
  if (pending?.type !== 'identifier') return undefined;
  if (pending.text === '_') return early;
  const scope = ctx.scope.scopeAt(pending);
  if (scope.kind === 'module' || scope.globals.has(pending.text) || scope.nonlocals.has(pending.text)) return undefined;
  const read = scope.node.descendantsOfType('identifier').some((id) => !!id && id.text === pending.text && id.id !== pending.id && !isKeywordName(id) && !isAttributeName(id) && !(id.parent?.type === 'pattern_list' || id.parent?.type === 'tuple_pattern'));
  return read ? undefined : early;
}

/** Whether the name assigned at `target` is read anywhere else in its scope. */
function isUsedElsewhere(ctx: PythonRuleContext, target: Node): boolean {
  const scope = ctx.scope.scopeAt(target);
  const owner = scope.kind === 'module' ? ctx.tree.rootNode : scope.node;
  for (const id of owner.descendantsOfType('identifier')) {
    // `task.add_done_callback(cb)` as a statement: a callback does not keep the task alive.
    if (id && id.text === target.text && id.id !== target.id && !onlyGivesCallback(id) && !heldWeakly(ctx, id) && !isKeywordName(id) && !isAttributeName(id)) return true;
  }
  // `global`/`nonlocal` declarations or uses in other functions: stay silent.
  return scope.kind === 'module' || scope.globals.has(target.text) || scope.nonlocals.has(target.text);
}

/**
 * `t = create_task(a())` then `t = create_task(b())` in the same block, with no read of `t` in
 * between (nor in the second value): the first task's only reference is gone. The statement
 * that rebinds it, if so.
 */
function overwrittenBeforeRead(ctx: PythonRuleContext, target: Node, statement: Node): Node | undefined {
  const scope = ctx.scope.scopeAt(target);
  if (scope.kind === 'module' || scope.globals.has(target.text) || scope.nonlocals.has(target.text)) return undefined;
  let next = statement.nextNamedSibling;
  while (next && next.type === 'comment') next = next.nextNamedSibling;
  if (next?.type !== 'expression_statement') return undefined;
  const assignment = next.namedChildren[0];
  const left = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : null;
  const right = assignment?.childForFieldName('right');
  if (left?.type !== 'identifier' || left.text !== target.text || !right) return undefined;
  if (right.descendantsOfType('identifier').some((id) => !!id && id.text === target.text && !isAttributeName(id))) return undefined;
  return next;
}

/** Weak containers: they hold no strong reference to what they are given. */
const WEAK_CONTAINERS = new Set(['weakref.WeakSet', 'weakref.WeakValueDictionary']);

/**
 * `registry.add(task)` with `registry = weakref.WeakSet()`, or `registry[key] = task` with a
 * `WeakValueDictionary`: the container drops the task as soon as nothing else holds it.
 */
function heldWeakly(ctx: PythonRuleContext, id: Node): boolean {
  let container: Node | null = null;
  const args = id.parent;
  if (args?.type === 'argument_list' && args.namedChildCount === 1) {
    const fn = args.parent?.type === 'call' ? field(args.parent, 'function') : null;
    if (fn && typeOf(fn) === 'attribute' && field(fn, 'attribute')?.text === 'add' && args.parent!.parent?.type === 'expression_statement') container = field(fn, 'object');
  } else if (args?.type === 'assignment' && args.childForFieldName('right')?.id === id.id) {
    const left = args.childForFieldName('left');
    if (left?.type === 'subscript') container = field(left, 'value');
  }
  if (!container || typeOf(container) !== 'identifier') return false;
  const found = ctx.scope.lookup(textOf(container), container);
  if (!found || found.bindings.length !== 1 || found.bindings[0].kind !== 'assign') return false;
  const made = assignedValue(found.bindings[0].node);
  const ctor = made?.type === 'call' ? field(made, 'function') : null;
  if (!ctor || (typeOf(ctor) !== 'identifier' && typeOf(ctor) !== 'attribute')) return false;
  const r = ctx.scope.resolve(ctor);
  return !!r && r.via !== 'unbound' && WEAK_CONTAINERS.has(r.name);
}

function onlyGivesCallback(id: Node): boolean {
  const attr = id.parent;
  if (attr?.type !== 'attribute' || attr.childForFieldName('object')?.id !== id.id || attr.childForFieldName('attribute')?.text !== 'add_done_callback') return false;
  const call = attr.parent;
  return call?.type === 'call' && call.parent?.type === 'expression_statement';
}

function keepReferenceFix(ctx: PythonRuleContext, statement: Node, call: Node, existingName: string | undefined): Fix[] | undefined {
  // Only for a statement that starts its own line.
  const lineText = ctx.lines.lineText(statement.startPosition.row);
  const indent = /^[ \t]*/.exec(lineText)![0];
  if (indent.length !== statement.startPosition.column) return undefined;
  const moduleBinding = ctx.scope.module.bindings.get(REGISTRY);
  const edits: TextEdit[] = [];
  if (moduleBinding) {
    // Reuse it only when it is the plain module-level set this fix creates.
    const ok = moduleBinding.every((b) => b.node.parent?.type === 'assignment' && b.node.parent.childForFieldName('right')?.text === 'set()');
    if (!ok) return undefined;
  } else {
    edits.push(addImportEdit(ctx, `${REGISTRY} = set()  # strong references to running background tasks`));
  }
  let name = existingName;
  if (!name) {
    name = 'task';
    for (let i = 2; ctx.scope.lookup(name, call); i++) name = `task${i}`;
    edits.push({ range: { start: ctx.rangeOf(call).start, end: ctx.rangeOf(call).start }, newText: `${name} = ` });
  }
  // After the statement's line, keeping a trailing comment where it is.
  const eol = ctx.lines.eol(statement.endPosition.row);
  const end = { line: statement.endPosition.row, character: ctx.lines.lineText(statement.endPosition.row).length };
  edits.push({
    range: { start: end, end },
    newText: `${eol}${indent}${REGISTRY}.add(${name})${eol}${indent}${name}.add_done_callback(${REGISTRY}.discard)`,
  });
  return [{ title: `Keep a reference to the task in ${REGISTRY} until it is done`, safe: false, edits }];
}
