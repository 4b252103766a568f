/**
 * Cancellation hygiene around tasks and scopes:
 * - cancelled-task-not-awaited: `task.cancel()` and nothing waits for the task afterwards;
 * - timeout-without-await: a timeout scope whose body never awaits, so it can never fire (ASYNC100);
 * - yield-in-context-manager: `yield` inside `with`/`async with` (ASYNC119), a timeout or a
 *   TaskGroup (ASYNC101) in an async generator.
 */
import type { SyntaxNode as Node } from '../syntax';
import type { PythonRuleContext } from '../context';
import { assignedValue, builtinCalled, callArguments, calleeName, decoratedWith, enclosingClassNode, field, localBaseClasses, hasOwnYield, nodesOfType, textOf, typeOf, withItemValues } from '../util';
import { hasCheckpoint } from './cancellation';
import { holdsTask, isPlainFuture, makesTask, resolvedCallee as resolved } from '../tasks';
import { type AwaitableResolver, awaitablesOf } from '../awaitables';
import { decoratorName, translatesErrorsOnly } from '../project';

const TIMEOUT_SCOPES = new Set([
  'asyncio.timeout', 'asyncio.timeout_at', 'anyio.fail_after', 'anyio.fail_at', 'anyio.move_on_after', 'anyio.move_on_at',
  'trio.fail_after', 'trio.fail_at', 'trio.move_on_after', 'trio.move_on_at', 'async_timeout.timeout',
]);
const SUSPENDING_SCOPES = new Set([...TIMEOUT_SCOPES, 'asyncio.TaskGroup', 'anyio.create_task_group', 'trio.open_nursery', 'trio.CancelScope', 'anyio.CancelScope']);
/** The anyio/trio cancel scopes: synchronous context managers, entered with a plain `with`. */
const SYNC_CANCEL_SCOPES = new Set([
  'anyio.fail_after', 'anyio.fail_at', 'anyio.move_on_after', 'anyio.move_on_at', 'anyio.CancelScope',
  'trio.fail_after', 'trio.fail_at', 'trio.move_on_after', 'trio.move_on_at', 'trio.CancelScope',
]);
/** Methods of loggers that only record their arguments. */
const LOG_METHODS = new Set(['debug', 'info', 'warning', 'warn', 'error', 'exception', 'critical', 'fatal', 'log', 'trace']);


/**
 * A list, tuple, set or dict of new tasks: `[create_task(...) for ...]`, `[t1, t2]`, `(t1, t2)`, `{create_task(a), ...}`,
 * `{name: create_task(...) for ...}`, or an empty one the function fills with tasks only
 * (`tasks.append(create_task(...))`, `tasks[name] = create_task(...)`). `target`: the name bound.
 */
function newTasks(ctx: PythonRuleContext, value: Node | null | undefined, depth = 0, target?: Node): boolean {
  if (!value) return false;
  if (value.type === 'list_comprehension' || value.type === 'set_comprehension') {
    const body = value.childForFieldName('body');
    return !!body && makesTask(ctx, body);
  }
  if (value.type === 'dictionary_comprehension') {
    const body = value.childForFieldName('body');
    const item = body?.type === 'pair' ? body.childForFieldName('value') : null;
    return !!item && makesTask(ctx, item);
  }
  if (target && EMPTY_CONTAINER.test(value.text)) return filledWithTasks(ctx, target);
  if (value.type === 'identifier') return depth < 2 && (taskList(ctx, value, depth + 1) || holdsTask(ctx, value, { local: true }));
  // `(loop.create_task(a()), loop.create_task(b()))`: a tuple literal holds its tasks like a list.
  if (value.type === 'parenthesized_expression' && value.namedChildren.length === 1) return newTasks(ctx, value.namedChildren[0], depth, target);
  return (value.type === 'list' || value.type === 'set' || value.type === 'tuple') && value.namedChildren.length > 0 && value.namedChildren.every((e) => newTask(ctx, e));
}

/** A task made in place (`create_task(...)`) or a local name holding one. */
function newTask(ctx: PythonRuleContext, value: Node | null | undefined): boolean {
  return !!value && (makesTask(ctx, value) || (value.type === 'identifier' && holdsTask(ctx, value, { local: true })));
}

const EMPTY_CONTAINER = /^(\[\]|\{\}|(list|set|dict)\(\))$/;
const FILLING_METHODS = new Set(['append', 'add', 'insert', 'appendleft']);

/**
 * Whether the function around `target` (an empty container's name) puts something in it, and
 * only new tasks: `tasks.append(create_task(...))`, `tasks.add(t)` with `t = create_task(...)`,
 * `tasks[name] = create_task(...)`. Any other change (`extend`, `update`, `tasks[k] = x`) says
 * nothing certain.
 */
function filledWithTasks(ctx: PythonRuleContext, target: Node): boolean {
  const owner = ctx.scope.enclosingFunction(target)?.node;
  if (!owner) return false;
  let filled = false;
  for (const id of owner.descendantsOfType('identifier')) {
    if (!id || id.text !== target.text || id.id === target.id) continue;
    const parent = id.parent;
    if (parent?.type === 'attribute' && parent.childForFieldName('object')?.id === id.id) {
      const method = parent.childForFieldName('attribute')?.text ?? '';
      const call = parent.parent?.type === 'call' && parent.parent.childForFieldName('function')?.id === parent.id ? parent.parent : null;
      if (!call) continue;
      if (FILLING_METHODS.has(method)) {
        const args = callArguments(call);
        if (!newTask(ctx, args[args.length - 1])) return false;
        filled = true;
      } else if (/^(extend|update|setdefault|__setitem__)$/.test(method)) return false;
    } else if (parent?.type === 'subscript' && parent.childForFieldName('value')?.id === id.id) {
      const assignment = parent.parent;
      if (assignment?.type === 'assignment' && assignment.childForFieldName('left')?.id === parent.id) {
        if (!newTask(ctx, assignment.childForFieldName('right'))) return false;
        filled = true;
      }
    }
  }
  return filled;
}

/**
 * What `asyncio.wait` was given, for a name bound as one of the two sets it returns:
 * `tasks` for `done, pending = await asyncio.wait(tasks, ...)`; null for any other binding.
 */
function waitedOn(ctx: PythonRuleContext, target: Node): Node | null | undefined {
  const pattern = target.parent;
  if (pattern?.type !== 'pattern_list' && pattern?.type !== 'tuple_pattern') return undefined;
  const assignment = pattern.parent;
  const awaited = assignment?.type === 'assignment' && assignment.childForFieldName('left')?.id === pattern.id ? assignment.childForFieldName('right') : null;
  const call = awaited?.type === 'await' ? awaited.namedChildren[0] : null;
  if (call?.type !== 'call' || resolved(ctx, call) !== 'asyncio.wait' || pattern.namedChildren.length !== 2) return null;
  return call.childForFieldName('arguments')?.namedChildren[0] ?? null;
}

/**
 * Whether every binding of the local `name` is a list of new tasks, or the still-running ones
 * of such a list: `done, pending = await asyncio.wait(tasks, return_when=FIRST_COMPLETED)`, also
 * of the name itself (`pending = [...]`, then `done, pending = await asyncio.wait(pending, ...)` in a loop).
 */
function taskList(ctx: PythonRuleContext, name: Node, depth = 0): boolean {
  const found = ctx.scope.lookup(name.text, name);
  if (!found || found.scope.kind === 'module' || found.bindings.length === 0) return false;
  // `done, pending = await asyncio.wait(pending, ...)` in a loop: the still-running ones of what the
  // name already held, whatever its other bindings say.
  const refined = (b: { node: Node }) => {
    const waited = waitedOn(ctx, b.node);
    return waited?.type === 'identifier' && waited.text === name.text;
  };
  if (!found.bindings.some((b) => !refined(b))) return false;
  return found.bindings.every((b) => {
    if (refined(b)) return true;
    const waited = waitedOn(ctx, b.node);
    return newTasks(ctx, waited === undefined ? assignedValue(b.node) : waited, depth, waited === undefined ? b.node : undefined);
  });
}

/** The names a task list is taken from: `tasks` for `done, pending = await asyncio.wait(tasks)`, `a`, `b` for `asyncio.wait([a, b])` or `asyncio.wait((a, b))`. */
function sourcesOf(ctx: PythonRuleContext, name: Node): string[] {
  const out: string[] = [];
  for (const b of ctx.scope.lookup(name.text, name)?.bindings ?? []) {
    const first = waitedOn(ctx, b.node);
    if (first?.type === 'identifier') out.push(first.text);
    // `asyncio.wait([fast, slow])` (or a set or tuple of them): awaiting `slow` afterwards awaits what it held.
    else if (first?.type === 'list' || first?.type === 'set' || first?.type === 'tuple') for (const e of first.namedChildren) if (e?.type === 'identifier') out.push(e.text);
  }
  return out;
}

/** `for w in workers:` (or `workers.values()`) where every binding of `workers` is a container of new tasks: the container's name. */
function taskListIterated(ctx: PythonRuleContext, id: Node): Node | undefined {
  const loop = id.parent;
  if (!loop || (loop.type !== 'for_statement' && !droppedComprehensionOf(loop)) || loop.childForFieldName('left')?.id !== id.id) return undefined;
  let list = loop.childForFieldName('right');
  const fn = list?.type === 'call' && list.childForFieldName('arguments')?.namedChildCount === 0 ? list.childForFieldName('function') : null;
  if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'values') list = fn.childForFieldName('object');
  return list?.type === 'identifier' && taskList(ctx, list) ? list : undefined;
}

/**
 * The comprehension a `for ... in` clause belongs to, when the comprehension is a statement of its
 * own whose list is dropped: `[task.cancel() for task in pending]` is a cancel loop written on one line.
 */
function droppedComprehensionOf(clause: Node | null): Node | undefined {
  if (clause?.type !== 'for_in_clause') return undefined;
  const comprehension = clause.parent;
  if (!comprehension || !/^(list|set|generator)_comprehension$/.test(comprehension.type) || comprehension.parent?.type !== 'expression_statement') return undefined;
  // One `for` clause: every item is cancelled, or every item a condition lets through
  // (`[t.cancel() for t in pending if not t.done()]`), which still leaves those unawaited.
  if (comprehension.namedChildren.filter((c) => c?.type === 'for_in_clause').length !== 1) return undefined;
  const body = comprehension.childForFieldName('body');
  return body?.type === 'call' ? comprehension : undefined;
}

/**
 * The first statement after the cancel's that is not a plain expression statement (a log line),
 * when neither it nor those before it mention the task: where this path goes next.
 */
function nextStepAfter(call: Node, name: string): Node | undefined {
  const statement = call.parent?.type === 'expression_statement' ? call.parent : null;
  for (let next = statement?.nextNamedSibling; next; next = next.nextNamedSibling) {
    if (next.type === 'comment') continue;
    if (next.descendantsOfType('identifier').some((i) => i?.text === name)) return undefined;
    if (next.type !== 'expression_statement') return next;
  }
  return undefined;
}

/**
 * The statements right after the cancel leave the function (`task.cancel(); raise TimeoutError`)
 * without mentioning the task: whatever other paths do with it, this one never waits.
 */
function leavesRightAfter(call: Node, name: string): boolean {
  const next = nextStepAfter(call, name);
  if (next?.type === 'return_statement') return true;
  if (next?.type !== 'raise_statement') return false;
  // A bare `raise` in a handler of the function's own cancellation passes it on (the usual
  // clean-up of children on the way out): not this case. In a handler of ordinary errors
  // (`except Exception: task.cancel(); raise`) it leaves like any other raise.
  const bare = !next.namedChildren.some((c) => c?.type !== 'comment');
  return !bare || handlesOrdinaryErrorsOnly(call);
}

/** `task.cancel()`, then (after plain statements that do not mention the task) `return`. */
function returnsRightAfter(call: Node, name: string): boolean {
  return nextStepAfter(call, name)?.type === 'return_statement';
}

/** Whether the `except` clause around `node` catches only ordinary errors: not CancelledError, BaseException, nor everything. */
function handlesOrdinaryErrorsOnly(node: Node): boolean {
  return handlerKind(node) === 'ordinary';
}

/** What the `except` clause around `node` catches: ordinary errors only, or also cancellation (CancelledError, BaseException, everything). */
function handlerKind(node: Node): 'ordinary' | 'cancellation' | undefined {
  let clause: Node | null = node.parent;
  while (clause && clause.type !== 'except_clause' && clause.type !== 'function_definition') clause = clause.parent;
  if (clause?.type !== 'except_clause') return undefined;
  const caught = clause.namedChildren.find((c) => c !== null && c.type !== 'block' && c.type !== 'comment');
  if (!caught) return 'cancellation';
  const names = (caught.type === 'as_pattern' ? caught.namedChildren[0] : caught)?.text ?? '';
  return names !== '' && !/\b(BaseException|CancelledError|Cancelled|KeyboardInterrupt|SystemExit|get_cancelled_exc_class)\b/.test(names) ? 'ordinary' : 'cancellation';
}

/**
 * `except CancelledError: task.cancel(); await cleanup(); raise` (or `except BaseException:`):
 * the function's own cancellation is passed on, and the task it was waiting for is cancelled on
 * the way out (asyncio has already cancelled the awaited task; there is nothing to wait for).
 */
function passesCancellationOn(call: Node): boolean {
  if (handlerKind(call) !== 'cancellation') return false;
  const statement = call.parent?.type === 'expression_statement' ? call.parent : null;
  for (let next = statement?.nextNamedSibling; next; next = next.nextNamedSibling) {
    if (next.type === 'comment' || next.type === 'expression_statement') continue;
    return next.type === 'raise_statement' && !next.namedChildren.some((c) => c?.type !== 'comment');
  }
  return false;
}

/**
 * Whether a mention of the task only records it: an argument of `print(...)` or of a logger
 * method (`logging.info("cancelled %s", t)`, `self.log.debug(f"{t}")`), which does not wait
 * for it.
 */
function onlyLogged(id: Node): boolean {
  for (let n: Node | null = id.parent; n; n = n.parent) {
    if (n.type.endsWith('statement') || n.type === 'block' || n.type === 'lambda' || n.type === 'await') return false;
    if (n.type !== 'argument_list') continue;
    const fn = n.parent?.type === 'call' ? n.parent.childForFieldName('function') : null;
    if (!fn) continue;
    if (fn.type === 'identifier' && (fn.text === 'print' || fn.text === 'pprint')) return true;
    if (fn.type !== 'attribute') continue;
    const method = fn.childForFieldName('attribute')?.text ?? '';
    const receiver = fn.childForFieldName('object')?.text ?? '';
    if (LOG_METHODS.has(method) && /log/i.test(receiver)) return true;
  }
  return false;
}

/** Whether a node is `self.<name>`. */
function isSelfAttribute(n: Node | null | undefined, name: string): n is Node {
  return n?.type === 'attribute' && field(n, 'object')?.text === 'self' && field(n, 'attribute')?.text === name;
}

export function checkCancelledNotAwaited(ctx: PythonRuleContext): void {
  for (const call of nodesOfType(ctx.tree.rootNode, 'call')) {
    const fn = field(call, 'function');
    // The attribute is the callee's last token.
    if (!fn || typeOf(fn) !== 'attribute' || !textOf(fn).endsWith('cancel')) continue;
    const attribute = field(fn, 'attribute');
    if (!attribute || textOf(attribute) !== 'cancel') continue;
    const task = field(fn, 'object');
    if (task?.type === 'subscript') {
      if (ctx.scope.isAsyncContext(call)) checkCancelledEntry(ctx, call, task);
      continue;
    }
    if (task?.type === 'attribute' && field(task, 'object')?.text === 'self') {
      if (ctx.scope.isAsyncContext(call)) checkCancelledSelfTask(ctx, call, task);
      continue;
    }
    if (task?.type === 'attribute') {
      if (ctx.scope.isAsyncContext(call)) checkCancelledItemTasks(ctx, call, task);
      continue;
    }
    if (task?.type !== 'identifier') continue;
    if (!ctx.scope.isAsyncContext(call)) continue;
    // `for w in workers: w.cancel()` over a list of new tasks: the list is what gets awaited.
    const bindings = ctx.scope.lookup(task.text, task)?.bindings ?? [];
    const loopTarget = cancelLoopTarget(call, task.text, bindings);
    const list = loopTarget ? taskListIterated(ctx, loopTarget) : undefined;
    // `for task in self._tasks: task.cancel()` over the instance's own set of background tasks.
    const held = !list && loopTarget ? taskAttributeIterated(ctx, loopTarget) : undefined;
    if (held) {
      checkCancelledAttributeTasks(ctx, call, task, loopTarget!, held);
      continue;
    }
    if (!list && !holdsTask(ctx, task, { local: true })) continue;
    const owner = ctx.scope.enclosingFunction(call);
    if (!owner || passesCancellationOn(call)) continue;
    // The still-running tasks of `asyncio.wait(tasks)` are awaited through `tasks` as well.
    const watched = new Set(list ? [list.text, ...sourcesOf(ctx, list)] : [task.text]);
    // Any later mention hands the task on (await, gather, wait, return, a container...), except
    // a log line or a print, which only record it.
    // In a cancel loop, the loop variable mentioned after the cancel in the same turn (`task.cancel();
    // await task`) waits for that task.
    // In `[task.cancel() for task in pending]` the clause naming the loop variable and the list
    // comes after the cancel in the text: only what follows the comprehension runs later.
    const comprehension = list && loopTarget ? droppedComprehensionOf(loopTarget.parent) : undefined;
    const loopBody = list && loopTarget && !comprehension ? loopTarget.parent : undefined;
    const after = comprehension ? comprehension.endIndex : call.endIndex;
    const later =
      !(list === undefined && leavesRightAfter(call, task.text)) &&
      owner.node.descendantsOfType('identifier').some(
        (id) =>
          id !== null &&
          id.startIndex > after &&
          !onlyLogged(id) &&
          !(onlyInspected(id) && !awaitsBetween(owner.node, call, id)) &&
          ((watched.has(id.text) && !(list && onlyDropped(id))) || (!!loopBody && id.text === task.text && id.endIndex <= loopBody.endIndex)),
      );
    // A mention earlier inside an enclosing loop also runs after the cancel, unless the function
    // returns right after it: the loop never comes round again.
    const inLoopBefore = !returnsRightAfter(call, task.text) && enclosingLoops(call).some((loop) =>
      loop.descendantsOfType('identifier').some((id) => id !== null && id.text === task.text && id.startIndex < call.startIndex && id.id !== task.id && isAwaitedUse(id)),
    );
    if (later || inLoopBefore || awaitedByOuterFunction(ctx, task, owner) || awaitsEveryTaskAfter(ctx, owner.node, call)) continue;
    ctx.report({
      message: list
        ? `The tasks in '${list.text}' are cancelled but never awaited: their clean-up may not run before the function moves on, and asyncio may report "Task was destroyed but it is pending". Await them after cancel() (asyncio.gather(*${loopTarget!.parent?.childForFieldName('right')?.text ?? list.text}, return_exceptions=True))`
        : `Task '${task.text}' is cancelled but never awaited: its clean-up may not run before the function moves on, and asyncio may report "Task was destroyed but it is pending". Await it (suppressing CancelledError) after cancel()`,
      range: ctx.rangeOf(call),
    });
  }
}

/**
 * `for player in self.players.values(): player.task.cancel()` in an async method, where the class declares
 * `self.players: dict[int, MusicPlayer]` (or a list or set of them) and `MusicPlayer`, a class of this file,
 * keeps a new task in `self.task`: reported when the method never mentions `.task` again after the cancel
 * (`await asyncio.gather(*(p.task for p in players), return_exceptions=True)`), nor the item in the same turn.
 */
function checkCancelledItemTasks(ctx: PythonRuleContext, call: Node, task: Node): void {
  const item = task.childForFieldName('object');
  const attr = task.childForFieldName('attribute')?.text ?? '';
  if (item?.type !== 'identifier' || !attr) return;
  const bindings = ctx.scope.lookup(item.text, item)?.bindings ?? [];
  const target = cancelLoopTarget(call, item.text, bindings);
  const loop = target?.parent;
  if (loop?.type !== 'for_statement' || loop.childForFieldName('left')?.id !== target!.id) return;
  let source = loop.childForFieldName('right');
  if (source?.type === 'call' && /^(list|tuple)$/.test(source.childForFieldName('function')?.text ?? '') && source.childForFieldName('arguments')?.namedChildCount === 1) {
    source = source.childForFieldName('arguments')!.namedChildren[0];
  }
  const values = source?.type === 'call' && source.childForFieldName('arguments')?.namedChildCount === 0 ? source.childForFieldName('function') : null;
  if (values?.type === 'attribute' && values.childForFieldName('attribute')?.text === 'values') source = values.childForFieldName('object');
  if (source?.type !== 'attribute' || source.childForFieldName('object')?.text !== 'self') return;
  const name = source.childForFieldName('attribute')?.text ?? '';
  const enclosing = enclosingClassNode(loop);
  if (!enclosing || !name) return;
  // `self.players: dict[int, MusicPlayer] = {}`: the class of the items.
  const itemClass = nodesOfType(enclosing, 'assignment')
    .map((a) => {
      const own = isSelfAttribute(a.childForFieldName('left'), name);
      const m = own ? /^(?:typing\.)?(?:dict|Dict|list|List|set|Set)\[(?:\s*[\w.]+\s*,)?\s*(\w+)\s*\]$/.exec(a.childForFieldName('type')?.text ?? '') : null;
      return m?.[1];
    })
    .find((c): c is string => !!c);
  const found = itemClass ? ctx.scope.lookup(itemClass, enclosing)?.bindings : undefined;
  const cls = found?.length === 1 && found[0].node.type === 'class_definition' ? found[0].node : found?.length === 1 && found[0].node.parent?.type === 'class_definition' ? found[0].node.parent : undefined;
  if (!cls) return;
  // The item class keeps a new task in `self.<attr>`, and nothing else there.
  const assigned = nodesOfType(cls, 'assignment').filter((a) => isSelfAttribute(a.childForFieldName('left'), attr));
  if (assigned.length === 0 || !assigned.every((a) => { const v = a.childForFieldName('right'); return !!v && makesTask(ctx, v); })) return;
  const owner = ctx.scope.enclosingFunction(call);
  if (!owner || passesCancellationOn(call) || inTaskGroup(ctx, call)) return;
  // A later `.task` (a gather over the items' tasks, `await player.task` in the same turn) waits for them.
  const later = owner.node.descendantsOfType('attribute').some(
    (n) => !!n && n.startIndex > call.endIndex && n.childForFieldName('attribute')?.text === attr && !onlyLogged(n),
  );
  if (later) return;
  ctx.report({
    message: `The tasks in '${attr}' of the items of '${source.text}' are cancelled but never awaited: their clean-up may not run before the function moves on, and asyncio may report "Task was destroyed but it is pending". Await them after cancel() (await asyncio.gather(*(${item.text}.${attr} for ${item.text} in ${loop.childForFieldName('right')?.text}), return_exceptions=True))`,
    range: ctx.rangeOf(call),
  });
}

/** Containers whose annotation says they hold tasks: `set[asyncio.Task[Any]]`, `dict[str, Task]`, `list[asyncio.Future]`. */
const TASK_CONTAINER_ANNOTATION = /^(typing\.)?(set|Set|list|List|dict|Dict|MutableSet|WeakSet|weakref\.WeakSet)\[(\s*[\w.]+\s*,)?\s*(asyncio\.)?(Task|Future)\b/;

/**
 * `for task in self._tasks:` (also `list(self._tasks)`, `self._tasks.values()`), where the class declares
 * `self._tasks` a container of tasks (`set[asyncio.Task[Any]]`) or only ever adds new tasks to it
 * (`self._tasks.add(task)` with `task = asyncio.create_task(...)`): the attribute.
 */
function taskAttributeIterated(ctx: PythonRuleContext, id: Node): Node | undefined {
  const loop = id.parent;
  if (loop?.type !== 'for_statement' || loop.childForFieldName('left')?.id !== id.id) return undefined;
  let source = loop.childForFieldName('right');
  // `list(self._tasks)`, `tuple(...)`, `set(...)`: a copy to iterate while tasks remove themselves.
  if (source?.type === 'call' && /^(list|tuple|set|sorted)$/.test(source.childForFieldName('function')?.text ?? '') && source.childForFieldName('arguments')?.namedChildCount === 1) {
    source = source.childForFieldName('arguments')!.namedChildren[0];
  }
  const values = source?.type === 'call' && source.childForFieldName('arguments')?.namedChildCount === 0 ? source.childForFieldName('function') : null;
  if (values?.type === 'attribute' && values.childForFieldName('attribute')?.text === 'values') source = values.childForFieldName('object');
  if (source?.type !== 'attribute' || source.childForFieldName('object')?.text !== 'self') return undefined;
  const name = source.childForFieldName('attribute')?.text ?? '';
  const enclosing = enclosingClassNode(loop);
  if (!enclosing || !name) return undefined;
  // The class and its base classes of this file (`class QuickPool(WorkerPool)` with `self._workers` declared in WorkerPool).
  const classes = [enclosing, ...localBaseClasses(ctx, enclosing)];
  const own = (n: Node | null | undefined): boolean => isSelfAttribute(n, name);
  // Declared: `self._tasks: set[asyncio.Task[Any]] = set()` (or in the class body, `_tasks: set[Task]`).
  const declared = classes.flatMap((cls) => nodesOfType(cls, 'assignment')).some((a) => {
    const left = a.childForFieldName('left');
    const type = a.childForFieldName('type');
    return !!type && (own(left) || (left?.type === 'identifier' && left.text === name)) && TASK_CONTAINER_ANNOTATION.test(type.text);
  });
  // Filled with new tasks only: `self._tasks.add(task)`, `.append(create_task(...))`, `self._tasks[key] = create_task(...)`.
  const fills: Node[] = [];
  for (const call of classes.flatMap((cls) => nodesOfType(cls, 'call'))) {
    const fn = call.childForFieldName('function');
    if (fn?.type !== 'attribute' || !own(fn.childForFieldName('object')) || !/^(add|append)$/.test(fn.childForFieldName('attribute')?.text ?? '')) continue;
    const arg = call.childForFieldName('arguments')?.namedChildren[0];
    if (arg) fills.push(arg);
  }
  for (const a of classes.flatMap((cls) => nodesOfType(cls, 'assignment'))) {
    const left = a.childForFieldName('left');
    if (left?.type === 'subscript' && own(left.childForFieldName('value')) && a.childForFieldName('right')) fills.push(a.childForFieldName('right')!);
  }
  const isTask = (v: Node) => makesTask(ctx, v) || (v.type === 'identifier' && holdsTask(ctx, v, { local: true }));
  // `self._waiters[msg_id] = loop.create_future()`: futures a reader resolves, with no coroutine to clean up.
  if (fills.length > 0 && fills.every((v) => isPlainFuture(ctx, v))) return undefined;
  if (declared) return fills.some((v) => !isTask(v) && groupTask(ctx, v)) ? undefined : source;
  return fills.length > 0 && fills.every(isTask) ? source : undefined;
}

/**
 * The cancel loop over `self._tasks` in an async method: reported when the method never mentions
 * `self._tasks` again after the cancel (a gather, a wait...), nor the loop's task in the same turn.
 */
function checkCancelledAttributeTasks(ctx: PythonRuleContext, call: Node, task: Node, loopTarget: Node, held: Node): void {
  const owner = ctx.scope.enclosingFunction(call);
  if (!owner || passesCancellationOn(call)) return;
  const loopBody = loopTarget.parent!;
  // A task group's tasks (`tg.create_task(...)`) are awaited by the group when its block ends.
  if (inTaskGroup(ctx, call)) return;
  const heldText = held.text.replace(/\s+/g, '');
  const sameAttribute = (n: Node | null): n is Node => !!n && n.text.replace(/\s+/g, '') === heldText;
  // Local copies of the container (`tasks = list(self._tasks)`), which a later gather may wait on instead.
  const copies = new Set(
    nodesOfType(owner.node, 'assignment')
      .filter((a) => a.childForFieldName('left')?.type === 'identifier' && (a.childForFieldName('right')?.descendantsOfType('attribute') ?? []).some(sameAttribute))
      .map((a) => a.childForFieldName('left')!.text),
  );
  // Emptying the container (`self._tasks.clear()`, `self._tasks = []`, `del self._tasks`) waits for nothing.
  const later =
    owner.node.descendantsOfType('attribute').some((n) => sameAttribute(n) && n.startIndex > call.endIndex && !onlyLogged(n) && !onlyDropped(n)) ||
    owner.node.descendantsOfType('identifier').some(
      (id) =>
        !!id &&
        id.startIndex > call.endIndex &&
        !onlyLogged(id) &&
        ((copies.has(id.text) && !onlyDropped(id)) ||
          (id.endIndex <= loopBody.endIndex && id.text === task.text && !(onlyInspected(id) && !awaitsBetween(owner.node, call, id)))),
    );
  if (later) return;
  const iterated = /\.values\(\)\)?$/.test(loopBody.childForFieldName('right')?.text ?? '') ? `${held.text}.values()` : held.text;
  ctx.report({
    message: `The tasks in '${held.text}' are cancelled but never awaited: their clean-up may not run before the function moves on, and asyncio may report "Task was destroyed but it is pending". Await them after cancel() (await asyncio.gather(*${iterated}, return_exceptions=True))`,
    range: ctx.rangeOf(call),
  });
}

/**
 * `self._reader.cancel()` in an async method, where the class (or a base class of the file) only
 * ever sets `self._reader` to a new task (`asyncio.create_task(...)`, a loop's `create_task`) or to
 * None: reported when the method never mentions the attribute again after the cancel (an await, a
 * gather, a hand-off) and no other function of the class waits for it (`async def wait_closed(self):
 * await self._reader`). Setting it to None afterwards drops the task; setting it to a new task
 * restarts the work (a debouncer) and is not reported.
 */
function checkCancelledSelfTask(ctx: PythonRuleContext, call: Node, task: Node): void {
  const name = field(task, 'attribute')?.text;
  const cls = enclosingClassNode(call);
  const owner = ctx.scope.enclosingFunction(call);
  if (!name || !cls || !owner || passesCancellationOn(call) || inTaskGroup(ctx, call)) return;
  const own = (n: Node | null | undefined): n is Node => isSelfAttribute(n, name);
  const classes = [cls, ...localBaseClasses(ctx, cls)];
  let started = false;
  for (const a of classes.flatMap((c) => nodesOfType(c, 'assignment'))) {
    if (!own(field(a, 'left'))) continue;
    const value = field(a, 'right');
    if (!value || value.type === 'none') continue;
    if (!makesTask(ctx, value) && !(value.type === 'identifier' && holdsTask(ctx, value, { local: true }))) return;
    started = true;
  }
  if (!started) return;
  const mentions = classes.flatMap((c) => nodesOfType(c, 'attribute')).filter(own);
  const waits = (n: Node) => !onlyLogged(n) && (isAwaitedUse(n) || n.parent?.type === 'argument_list' || n.parent?.type === 'return_statement');
  // Another function of the class that waits for the task (a `wait_closed()`, a `run()` awaiting it).
  if (mentions.some((n) => !(n.startIndex >= owner.node.startIndex && n.endIndex <= owner.node.endIndex) && waits(n))) return;
  const later = mentions.some((n) => {
    if (n.startIndex <= call.endIndex || n.endIndex > owner.node.endIndex || onlyLogged(n)) return false;
    if (onlyInspected(n) && !awaitsBetween(owner.node, call, n)) return false;
    const assignment = n.parent?.type === 'assignment' && field(n.parent, 'left')?.id === n.id ? n.parent : null;
    // `self._reader = None` drops the task; a new task in its place restarts the work.
    return !assignment || field(assignment, 'right')?.type !== 'none';
  });
  if (later) return;
  ctx.report({
    message: `Task '${task.text}' is cancelled but never awaited: its clean-up may not run before the method returns, and asyncio may report "Task was destroyed but it is pending". Await it (suppressing CancelledError) after cancel()`,
    range: ctx.rangeOf(call),
  });
}

/**
 * `app["ticker"].cancel()` (or `app[ticker_key]`, `request.app[...]`) in an async clean-up, where the
 * file starts that task with `app["ticker"] = asyncio.create_task(...)` under the same key: reported
 * when the function never mentions the entry again (`await app["ticker"]`, a gather, ...).
 */
function checkCancelledEntry(ctx: PythonRuleContext, call: Node, entry: Node): void {
  const key = field(entry, 'subscript');
  if (!key || (key.type !== 'string' && key.type !== 'identifier' && key.type !== 'attribute')) return;
  const keyText = key.text.replace(/\s+/g, '');
  const sameKey = (n: Node) => n.type === 'subscript' && field(n, 'subscript')?.text.replace(/\s+/g, '') === keyText;
  const started = nodesOfType(ctx.tree.rootNode, 'assignment').some((a) => {
    const left = field(a, 'left');
    return !!left && sameKey(left) && makesTask(ctx, field(a, 'right') ?? left);
  });
  if (!started) return;
  const owner = ctx.scope.enclosingFunction(call);
  if (!owner || passesCancellationOn(call)) return;
  const later = owner.node.descendantsOfType('subscript').some((n) => !!n && n.startIndex > call.endIndex && sameKey(n) && !onlyLogged(n) && !(onlyInspected(n) && !awaitsBetween(owner.node, call, n)));
  if (later) return;
  ctx.report({
    message: `Task '${entry.text}' is cancelled but never awaited: its clean-up may not run before the function moves on (the application's resources may already be closed), and asyncio may report "Task was destroyed but it is pending". Await it (suppressing CancelledError) after cancel()`,
    range: ctx.rangeOf(call),
  });
}

/**
 * The target of the `for` loop around `call` that binds the cancelled name (`for task in tasks:
 * task.cancel()`), when no other binding of the name comes between: earlier loops over the same
 * list with the same variable (`for task in tasks: if task.done(): ...`) do not count.
 */
function cancelLoopTarget(call: Node, name: string, bindings: readonly { node: Node }[]): Node | undefined {
  if (bindings.length === 1) return bindings[0].node;
  const target = bindings.find((b) => {
    const loop = b.node.parent;
    return loop?.type === 'for_statement' && loop.childForFieldName('left')?.id === b.node.id && loop.startIndex <= call.startIndex && call.endIndex <= loop.endIndex;
  })?.node;
  if (!target || target.text !== name) return undefined;
  const loop = target.parent!;
  return bindings.every((b) => b.node.id === target.id || b.node.startIndex < loop.startIndex || b.node.startIndex > call.startIndex) ? target : undefined;
}

/**
 * Whether a mention of a task container only empties it: `tasks.clear()`, `self._tasks = []`
 * (any new value), `del self._tasks`. Dropping the tasks waits for none of them.
 */
function onlyDropped(n: Node): boolean {
  const parent = n.parent;
  if (!parent) return false;
  if (parent.type === 'assignment') return parent.childForFieldName('left')?.id === n.id;
  if (parent.type === 'delete_statement') return true;
  if (parent.type === 'expression_list' && parent.parent?.type === 'delete_statement') return true;
  if (parent.type !== 'attribute' || parent.childForFieldName('object')?.id !== n.id || parent.childForFieldName('attribute')?.text !== 'clear') return false;
  const call = parent.parent;
  return call?.type === 'call' && call.childForFieldName('function')?.id === parent.id && call.childForFieldName('arguments')?.namedChildCount === 0 && call.parent?.type === 'expression_statement';
}

/**
 * A task some group or object starts and owns (`tg.create_task(...)`, not a loop's),
 * or a local name holding one: its group waits for it, not the code that cancels it.
 */
function groupTask(ctx: PythonRuleContext, v: Node): boolean {
  if (v.type === 'identifier') return holdsTask(ctx, v, { local: true, managed: true });
  const fn = v.type === 'call' ? v.childForFieldName('function') : null;
  return fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'create_task';
}

/** Task groups and nurseries, which wait for every task they started when their block ends. */
const TASK_GROUPS = new Set(['asyncio.TaskGroup', 'asyncio.taskgroups.TaskGroup', 'anyio.create_task_group', 'trio.open_nursery']);

/** Whether `node` runs inside `async with asyncio.TaskGroup()` (or anyio's task group, trio's nursery) of its function. */
function inTaskGroup(ctx: PythonRuleContext, node: Node): boolean {
  for (let n: Node | null = node.parent; n && n.type !== 'function_definition' && n.type !== 'lambda'; n = n.parent) {
    if (n.type !== 'with_statement') continue;
    if (withItemValues(n).some((v) => v.type === 'call' && TASK_GROUPS.has(resolved(ctx, v) ?? ''))) return true;
  }
  return false;
}

/** Methods of a task that look at its state: calling them waits for nothing. */
const INSPECTING_METHODS = new Set(['cancelled', 'cancelling', 'done', 'result', 'exception', 'get_name', 'set_name', 'get_coro', 'get_context', 'get_loop', 'get_stack', 'print_stack']);

/**
 * `task.cancelled()`, `task.done()` right after the cancel: the task looked at, not waited for. Not
 * when the function awaits in between (`await asyncio.sleep(0)` lets the task run its clean-up,
 * as tests do), nor in a loop condition (`while not task.cancelled(): await asyncio.sleep(0.01)`).
 */
function onlyInspected(id: Node): boolean {
  // `if read_task in done:`: a membership test of the sets asyncio.wait returned.
  const comparison = id.parent?.type === 'comparison_operator' && id.parent.namedChildren[0]?.id === id.id ? id.parent : null;
  if (comparison) return comparison.children.some((c) => !!c && !c.isNamed && (c.type === 'in' || c.type === 'not in'));
  const attribute = id.parent?.type === 'attribute' && id.parent.childForFieldName('object')?.id === id.id ? id.parent : null;
  if (!attribute || !INSPECTING_METHODS.has(attribute.childForFieldName('attribute')?.text ?? '') || attribute.parent?.type !== 'call') return false;
  for (let n: Node | null = attribute.parent; n && n.type !== 'function_definition'; n = n.parent) if (n.type === 'while_statement') return false;
  return true;
}

/**
 * A task of the function around this one, cancelled from a nested function (a watcher of its own)
 * that the outer function awaits: `future = ensure_future(coro)`, `async def listen(): ...;
 * future.cancel()`, then `await asyncio.gather(asyncio.ensure_future(listen()), future)`.
 */
function awaitedByOuterFunction(ctx: PythonRuleContext, task: Node, owner: { node: Node }): boolean {
  const found = ctx.scope.lookup(task.text, task);
  const outer = found?.scope;
  if (!outer || outer.kind !== 'function' || outer.node.id === owner.node.id) return false;
  if (!(owner.node.startIndex >= outer.node.startIndex && owner.node.endIndex <= outer.node.endIndex)) return false;
  return outer.node.descendantsOfType('identifier').some(
    (id) => id !== null && id.text === task.text && (id.startIndex < owner.node.startIndex || id.startIndex >= owner.node.endIndex) && ctx.scope.enclosingFunction(id)?.node.id === outer.node.id && isAwaitedUse(id),
  );
}

/**
 * A shutdown that then cancels and awaits every task of the loop, this one included: `for t in
 * asyncio.all_tasks(): if t is not current: t.cancel(); await t` after the cancel.
 */
function awaitsEveryTaskAfter(ctx: PythonRuleContext, fn: Node, call: Node): boolean {
  return fn.descendantsOfType('for_statement').some((loop) => {
    if (!loop || loop.startIndex < call.endIndex || ctx.scope.enclosingFunction(loop)?.node.id !== fn.id) return false;
    const right = loop.childForFieldName('right');
    const source = right?.type === 'call' && resolved(ctx, right) === 'asyncio.all_tasks';
    const target = loop.childForFieldName('left');
    if (!source || target?.type !== 'identifier') return false;
    return (loop.childForFieldName('body')?.descendantsOfType('identifier') ?? []).some((id) => id !== null && id.text === target.text && isAwaitedUse(id));
  });
}

/** Whether `fn` awaits anything between the end of `from` and the start of `to`. */
function awaitsBetween(fn: Node, from: Node, to: Node): boolean {
  return fn.descendantsOfType('await').some((a) => !!a && a.startIndex >= from.endIndex && a.startIndex < to.startIndex);
}

function enclosingLoops(node: Node): Node[] {
  const out: Node[] = [];
  for (let n: Node | null = node.parent; n; n = n.parent) {
    if (n.type === 'function_definition' || n.type === 'lambda') break;
    if (n.type === 'for_statement' || n.type === 'while_statement') out.push(n);
  }
  return out;
}

function isAwaitedUse(id: Node): boolean {
  for (let n: Node | null = id.parent; n; n = n.parent) {
    if (n.type === 'await') return true;
    if (n.type.endsWith('statement') || n.type === 'block') return false;
  }
  return false;
}

export function checkTimeoutWithoutAwait(ctx: PythonRuleContext): void {
  for (const withNode of nodesOfType(ctx.tree.rootNode, 'with_statement')) {
    const isAsync = withNode.children.some((c) => c?.type === 'async');
    const clause = withNode.namedChildren.find((c) => c?.type === 'with_clause');
    const items = clause?.namedChildren.filter((c): c is Node => c?.type === 'with_item') ?? [];
    const body = withNode.childForFieldName('body');
    if (!body || items.length === 0) continue;
    const values = withItemValues(withNode);
    let name: string | undefined;
    let item: Node | undefined;
    if (isAsync) {
      // `async with asyncio.timeout(5), other():` awaits entering `other()` inside the scope.
      if (items.length !== 1) continue;
      name = resolved(ctx, values[0] ?? null);
      item = items[0];
      if (!name || !TIMEOUT_SCOPES.has(name)) continue;
    } else {
      // anyio/trio scopes are entered with a plain `with`; its other items cannot await.
      const at = values.findIndex((v) => SYNC_CANCEL_SCOPES.has(resolved(ctx, v) ?? ''));
      if (at < 0 || !items[at]) continue;
      name = resolved(ctx, values[at]);
      item = items[at];
    }
    if (!name || hasCheckpoint(body)) continue;
    // A yield hands control to the caller, which may reach a checkpoint: the scope of an
    // @asynccontextmanager (`with anyio.fail_after(5): yield`) is not dead (as in flake8-async).
    if (hasOwnYield(body)) continue;
    ctx.report({
      message: name.endsWith('CancelScope')
        ? `The ${name}() scope contains no await: cancellation is only delivered at an await, so this cancel scope has no effect`
        : `The ${name}() scope contains no await: cancellation is only delivered at an await, so this timeout can never fire`,
      range: ctx.rangeOf(item),
      anchors: ['ASYNC100'],
    });
  }
}

export function checkYieldInContextManager(ctx: PythonRuleContext): void {
  let resolver: AwaitableResolver | undefined;
  for (const y of nodesOfType(ctx.tree.rootNode, 'yield')) {
    const fn = ctx.scope.enclosingFunction(y);
    if (!fn || fn.kind !== 'function' || !fn.isAsync) continue;
    // @asynccontextmanager / pytest fixtures (pytest-trio's @trio_fixture too) yield inside `with` on purpose.
    if (decoratedWith(ctx, fn.node, ['asynccontextmanager', 'contextmanager', 'fixture', 'yield_fixture', 'trio_fixture'])) continue;
    // httpx drives an `httpx.Auth` subclass's `async_auth_flow` and always closes it (`finally:
    // await auth_flow.aclose()`): holding a lock across its yields is the documented pattern.
    if (isHttpxAuthFlow(ctx, fn.node, fn.name)) continue;
    // A single yield outside any loop is the context-manager shape (FastAPI `Depends` generators,
    // fixtures, hand-rolled managers): the framework drives it to completion. Not inside a
    // timeout, a task group or a cancel scope, which still span the consumer's code.
    const singleShot = isSingleShot(fn.node);
    for (let n: Node | null = y.parent; n && n.id !== fn.node.id; n = n.parent) {
      if (n.type !== 'with_statement') continue;
      const isAsync = n.children.some((c) => c?.type === 'async');
      const scopeNames = withItemValues(n).map((value) => resolved(ctx, value));
      // `async with aclosing(source()) as items:` is the remedy itself: it closes the inner generator.
      if (scopeNames.length > 0 && scopeNames.every((s) => !!s && /(^|\.)a?closing$/.test(s))) continue;
      const suspending = scopeNames.find((s) => s && SUSPENDING_SCOPES.has(s));
      if (singleShot && !suspending) continue;
      // `with map_exceptions():` (a `@contextmanager` of the project that only turns one error into
      // another): closing the generator early runs none of its code, so nothing waits for the collector.
      if (!isAsync && !suspending && withItemValues(n).every((value) => errorTranslator((resolver ??= awaitablesOf(ctx)), value))) continue;
      // `with memoryview(data) as mv:` (or an in-memory buffer): its exit only drops a view of memory,
      // which the collector may as well do; no file, lock or connection waits for it.
      if (!isAsync && withItemValues(n).every((value) => inMemoryOnly(ctx, value))) continue;
      ctx.report({
        message: suspending
          ? `yield inside ${suspending}() in async generator '${fn.name}': the scope stays open while the consumer runs, and its cancellation lands in the wrong task`
          : `yield inside '${isAsync ? 'async with' : 'with'}' in async generator '${fn.name}': if the consumer stops early, the clean-up waits for garbage collection (wrap the iteration in contextlib.aclosing)`,
        range: ctx.rangeOf(y),
        anchors: [suspending ? 'ASYNC101' : 'ASYNC119'],
      });
      break;
    }
  }
}

/** Context managers whose exit only releases memory: a memoryview, an io.BytesIO/StringIO buffer. */
const IN_MEMORY_BUILTINS: ReadonlySet<string> = new Set(['memoryview']);
const IN_MEMORY_CLASSES: ReadonlySet<string> = new Set(['io.BytesIO', 'io.StringIO']);

function inMemoryOnly(ctx: PythonRuleContext, value: Node): boolean {
  if (value.type !== 'call') return false;
  if (builtinCalled(ctx, value, IN_MEMORY_BUILTINS)) return true;
  const name = calleeName(ctx, value);
  return !!name && IN_MEMORY_CLASSES.has(name);
}

/** A call of a project `@contextmanager` that only translates errors (see translatesErrorsOnly). */
function errorTranslator(resolver: AwaitableResolver, value: Node): boolean {
  if (value.type !== 'call') return false;
  const callee = resolver.projectFunctionCalled(value);
  if (!callee) return false;
  if (!callee.def) return !!callee.summary.translatesErrors;
  const decorated = callee.def.parent?.type === 'decorated_definition' ? callee.def.parent : null;
  const decorators = decorated?.namedChildren.filter((d): d is Node => d?.type === 'decorator').map(decoratorName) ?? [];
  return translatesErrorsOnly(callee.def, decorators);
}

/** `async_auth_flow` of a class that subclasses `httpx.Auth`: httpx closes the generator itself. */
function isHttpxAuthFlow(ctx: PythonRuleContext, fn: Node, name: string): boolean {
  if (name !== 'async_auth_flow') return false;
  const cls = enclosingClassNode(fn);
  if (!cls || enclosingFunctionBetween(fn, cls)) return false;
  return (cls.childForFieldName('superclasses')?.namedChildren ?? []).some((base) => {
    if (!base || (base.type !== 'identifier' && base.type !== 'attribute')) return false;
    const r = ctx.scope.resolve(base);
    return !!r && /^httpx(\._auth)?\.Auth$/.test(r.name);
  });
}

/** A function definition between `node` and `outer` (the method is nested in another function). */
function enclosingFunctionBetween(node: Node, outer: Node): boolean {
  for (let n: Node | null = node.parent; n && n.id !== outer.id; n = n.parent) {
    if (n.type === 'function_definition') return true;
  }
  return false;
}

/** The generator yields exactly once, not inside a loop. */
function isSingleShot(fn: Node): boolean {
  const yields = fn.descendantsOfType('yield').filter((y): y is Node => y !== null && y.isNamed && ownedBy(y, fn));
  if (yields.length !== 1) return false;
  for (let n: Node | null = yields[0].parent; n && n.id !== fn.id; n = n.parent) {
    if (n.type === 'for_statement' || n.type === 'while_statement') return false;
  }
  return true;
}

function ownedBy(node: Node, fn: Node): boolean {
  for (let n: Node | null = node.parent; n; n = n.parent) {
    if (n.type === 'function_definition' || n.type === 'lambda') return n.id === fn.id;
  }
  return false;
}
