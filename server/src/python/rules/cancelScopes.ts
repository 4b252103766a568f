/**
 * Cancellation hygiene around tasks and scopes:
 * - cancelled-task-not-awaited: `task.cancel()` and nothing waits for the task afterwards;
 * - timeout-without-await: a timeout scope whose body never awaits, so it can never fire (ASYNC100);
 * - yield-in-context-manager: `yield` inside `with`/`async with` (ASYNC119), a timeout or a
 *   TaskGroup (ASYNC101) in an async generator.
 */
import type { Node } from 'web-tree-sitter';
import type { PythonRuleContext } from '../context';
import { field, nodesOfType, textOf, typeOf, withItemValues } from '../util';
import { hasCheckpoint } from './cancellation';

const TASK_FACTORIES = new Set(['asyncio.create_task', 'asyncio.ensure_future']);
const TIMEOUT_SCOPES = new Set([
  'asyncio.timeout', 'asyncio.timeout_at', 'anyio.fail_after', 'anyio.fail_at', 'anyio.move_on_after', 'anyio.move_on_at',
  'trio.fail_after', 'trio.fail_at', 'trio.move_on_after', 'trio.move_on_at', 'async_timeout.timeout',
]);
const SUSPENDING_SCOPES = new Set([...TIMEOUT_SCOPES, 'asyncio.TaskGroup', 'anyio.create_task_group', 'trio.open_nursery']);

function resolved(ctx: PythonRuleContext, call: Node | null): string | undefined {
  if (!call || typeOf(call) !== 'call') return undefined;
  const fn = field(call, 'function');
  if (!fn || (typeOf(fn) !== 'identifier' && typeOf(fn) !== 'attribute')) return undefined;
  const r = ctx.scope.resolve(fn);
  if (!r || (r.via === 'unbound' && !/^(asyncio|anyio|trio)\./.test(r.name))) return undefined;
  return r.name;
}

/** Whether the variable was assigned a task (`asyncio.create_task(...)`, `loop.create_task(...)`). */
function isTaskVariable(ctx: PythonRuleContext, id: Node): boolean {
  const found = ctx.scope.lookup(id.text, id);
  if (!found || found.scope.kind === 'module') return false;
  return found.bindings.every((b) => {
    const value = b.node.parent?.type === 'assignment' && b.node.parent.childForFieldName('left')?.id === b.node.id ? b.node.parent.childForFieldName('right') : null;
    if (value?.type !== 'call') return false;
    const name = resolved(ctx, value);
    if (name && TASK_FACTORIES.has(name)) return true;
    const fn = value.childForFieldName('function');
    return fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'create_task' && /(^|\.)_?loop$|get_running_loop\(\)$/.test(fn.childForFieldName('object')?.text ?? '');
  });
}

export function checkCancelledNotAwaited(ctx: PythonRuleContext): void {
  for (const call of nodesOfType(ctx.tree.rootNode, 'call')) {
    const fn = field(call, 'function');
    // The attribute is the callee's last token.
    if (!fn || typeOf(fn) !== 'attribute' || !textOf(fn).endsWith('cancel')) continue;
    const attribute = field(fn, 'attribute');
    if (!attribute || textOf(attribute) !== 'cancel') continue;
    const task = field(fn, 'object');
    if (task?.type !== 'identifier') continue;
    if (!ctx.scope.isAsyncContext(call)) continue;
    if (!isTaskVariable(ctx, task)) continue;
    const owner = ctx.scope.enclosingFunction(call);
    if (!owner) continue;
    // Any later mention hands the task on (await, gather, wait, return, a container...).
    const later = owner.node
      .descendantsOfType('identifier')
      .some((id) => id !== null && id.text === task.text && id.startIndex > call.endIndex);
    // A mention earlier inside an enclosing loop also runs after the cancel.
    const inLoopBefore = enclosingLoops(call).some((loop) =>
      loop.descendantsOfType('identifier').some((id) => id !== null && id.text === task.text && id.startIndex < call.startIndex && id.id !== task.id && isAwaitedUse(id)),
    );
    if (later || inLoopBefore) continue;
    ctx.report({
      message: `Task '${task.text}' is cancelled but never awaited: its clean-up may not run before the function moves on, and asyncio may report "Task was destroyed but it is pending". Await it (suppressing CancelledError) after cancel()`,
      range: ctx.rangeOf(call),
    });
  }
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
    if (!withNode.children.some((c) => c?.type === 'async')) continue;
    const clause = withNode.namedChildren.find((c) => c?.type === 'with_clause');
    const items = clause?.namedChildren.filter((c): c is Node => c?.type === 'with_item') ?? [];
    const body = withNode.childForFieldName('body');
    if (!body || items.length !== 1) continue;
    const name = resolved(ctx, withItemValues(withNode)[0] ?? null);
    if (!name || !TIMEOUT_SCOPES.has(name)) continue;
    if (hasCheckpoint(body)) continue;
    ctx.report({
      message: `The ${name}() scope contains no await: cancellation is only delivered at an await, so this timeout can never fire`,
      range: ctx.rangeOf(items[0]),
      anchors: ['ASYNC100'],
    });
  }
}

export function checkYieldInContextManager(ctx: PythonRuleContext): void {
  for (const y of nodesOfType(ctx.tree.rootNode, 'yield')) {
    const fn = ctx.scope.enclosingFunction(y);
    if (!fn || fn.kind !== 'function' || !fn.isAsync) continue;
    // @asynccontextmanager / pytest fixtures yield inside `with` on purpose.
    const decorated = fn.node.parent?.type === 'decorated_definition' ? fn.node.parent : null;
    if (decorated && /contextmanager|fixture/.test(decorated.namedChildren.filter((d) => d?.type === 'decorator').map((d) => d!.text).join(' '))) continue;
    // A single yield outside any loop is the context-manager shape (FastAPI `Depends` generators,
    // fixtures, hand-rolled managers): the framework drives it to completion.
    if (isSingleShot(fn.node)) continue;
    for (let n: Node | null = y.parent; n && n.id !== fn.node.id; n = n.parent) {
      if (n.type !== 'with_statement') continue;
      const isAsync = n.children.some((c) => c?.type === 'async');
      const scopeNames = withItemValues(n).map((value) => resolved(ctx, value));
      // `async with aclosing(source()) as items:` is the remedy itself: it closes the inner generator.
      if (scopeNames.length > 0 && scopeNames.every((s) => !!s && /(^|\.)a?closing$/.test(s))) continue;
      const suspending = scopeNames.find((s) => s && SUSPENDING_SCOPES.has(s));
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
