/**
 * Locks, semaphores, conditions and capacity limiters acquired by hand (`await lock.acquire()`)
 * and released by a later `lock.release()` that an exception or a cancellation can skip: the lock
 * stays held for good, and every task that waits for it hangs. Part of `unclosed-resource`.
 */
import type { Fix } from '../../engine/types';
import { type AwaitableResolver, awaitablesOf } from '../awaitables';
import type { PythonRuleContext } from '../context';
import type { SyntaxNode as Node } from '../syntax';
import { TEST_MODULE, field, inNestedScope, nodesOfType, opensScope } from '../util';

/** Library classes held from `await x.acquire()` until `x.release()`. */
const LOCK_CLASSES = new Set([
  'asyncio.Lock', 'asyncio.Semaphore', 'asyncio.BoundedSemaphore', 'asyncio.Condition',
  'trio.Lock', 'trio.StrictFIFOLock', 'trio.Semaphore', 'trio.CapacityLimiter', 'trio.Condition',
  'anyio.Lock', 'anyio.Semaphore', 'anyio.CapacityLimiter', 'anyio.Condition',
]);

/** `x.<method>(...)` on the receiver written `receiver`. */
function methodCall(call: Node, receiver: string, method: string): boolean {
  const callee = field(call, 'function');
  return callee?.type === 'attribute' && field(callee, 'attribute')?.text === method && field(callee, 'object')?.text === receiver;
}

/** The `try` statement whose `finally` block (or catch-all handler that re-raises) holds `node`, in `owner`. */
function guardingTry(node: Node, owner: Node): Node | undefined {
  for (let n: Node | null = node.parent; n && n.id !== owner.id; n = n.parent) {
    if (opensScope(n)) return undefined;
    if (n.type === 'finally_clause') return n.parent?.type === 'try_statement' ? n.parent : undefined;
    if (n.type === 'except_clause' && catchesEverything(n) && n.descendantsOfType('raise_statement').length > 0) return n.parent?.type === 'try_statement' ? n.parent : undefined;
  }
  return undefined;
}

/** `except:`, `except BaseException:` or a handler naming a cancellation class. */
function catchesEverything(clause: Node): boolean {
  const caught = clause.namedChildren.find((c) => c?.type !== 'block' && c?.type !== 'comment');
  const type = caught?.type === 'as_pattern' ? caught.namedChildren[0] : caught;
  return !type || /(^|\.)(BaseException|CancelledError|Cancelled)\b/.test(type.text);
}

/**
 * The handlers that run only when the acquire itself failed: `try: await wait_for(sem.acquire(), t)`
 * with the acquire last in the `try` body, then `except TimeoutError: raise Busy()`. Nothing is held there.
 */
function failedAcquireHandlers(statement: Node): Node[] {
  const block = statement.parent;
  const tryStatement = block?.parent;
  if (block?.type !== 'block' || tryStatement?.type !== 'try_statement' || field(tryStatement, 'body')?.id !== block.id) return [];
  const last = block.namedChildren.filter((c) => c && c.type !== 'comment').at(-1);
  if (last?.id !== statement.id) return [];
  return tryStatement.namedChildren.filter((c): c is Node => !!c && (c.type === 'except_clause' || c.type === 'except_group_clause'));
}

const within = (n: Node, spans: readonly Node[]): boolean => spans.some((h) => n.startIndex >= h.startIndex && n.endIndex <= h.endIndex);

/** The first await, `async with`, `async for` or `yield` of `owner` (not of a nested scope) in `[from, to)`, outside `skip`. */
function checkpointBetween(owner: Node, from: number, to: number, skip: readonly Node[]): Node | undefined {
  const candidates = owner.descendantsOfType(['await', 'with_statement', 'for_statement', 'yield']);
  for (const n of candidates) {
    if (!n || n.startIndex < from || n.startIndex >= to || inNestedScope(n, owner) || within(n, skip)) continue;
    if ((n.type === 'with_statement' || n.type === 'for_statement') && n.child(0)?.type !== 'async') continue;
    return n;
  }
  return undefined;
}

/** A `return` or `raise` of `owner` in `[from, to)`, outside `skip`, that no release (of `receiver`) precedes in its own block. */
function exitBetween(owner: Node, from: number, to: number, receiver: string, skip: readonly Node[]): Node | undefined {
  for (const exit of owner.descendantsOfType(['return_statement', 'raise_statement'])) {
    if (!exit || exit.startIndex < from || exit.startIndex >= to || inNestedScope(exit, owner) || within(exit, skip)) continue;
    const block = exit.parent;
    const releasedFirst = block?.namedChildren.some((s) => s && s.startIndex < exit.startIndex && s.descendantsOfType('call').some((c) => c && methodCall(c, receiver, 'release')));
    if (!releasedFirst) return exit;
  }
  return undefined;
}

export function checkHeldLocks(ctx: PythonRuleContext): void {
  if (!ctx.text.includes('.acquire(') || !ctx.text.includes('.release(')) return;
  // Tests drive locks by hand on purpose (a failing test ends with its loop, nothing waits on).
  if (TEST_MODULE.test(ctx.filePath.split(/[\\/]/).join('/'))) return;
  let resolver: AwaitableResolver | undefined;
  for (const call of nodesOfType(ctx.tree.rootNode, 'call')) {
    const callee = field(call, 'function');
    if (callee?.type !== 'attribute' || field(callee, 'attribute')?.text !== 'acquire') continue;
    const receiver = field(callee, 'object');
    if (!receiver || (receiver.type !== 'identifier' && receiver.type !== 'attribute')) continue;
    // `await lock.acquire()` as a statement, or `await asyncio.wait_for(lock.acquire(), 5)`.
    let value: Node = call;
    const wrapper = call.parent?.type === 'argument_list' && call.parent.namedChildren[0]?.id === call.id ? call.parent.parent : null;
    const timed = wrapper?.type === 'call' && /(^|\.)(wait_for|shield)$/.test(field(wrapper, 'function')?.text ?? '');
    if (timed) value = wrapper!;
    if (value.parent?.type !== 'await' || value.parent.parent?.type !== 'expression_statement') continue;
    const statement = value.parent.parent;
    const owner = ctx.scope.enclosingFunction(call);
    // In `__aenter__`, the lock is held until `__aexit__` releases it: that is the context manager's point.
    if (!owner || owner.kind !== 'function' || owner.name === '__aenter__') continue;
    resolver ??= awaitablesOf(ctx);
    const cls = resolver.classOfReceiver(receiver);
    if (cls?.kind !== 'library' || !LOCK_CLASSES.has(cls.name)) continue;
    const fn = owner.node;
    const calls = fn.descendantsOfType('call').filter((c): c is Node => !!c && c.startIndex > statement.endIndex && !inNestedScope(c, fn));
    // The releases up to the next acquire of the same lock.
    const nextAcquire = calls.find((c) => methodCall(c, receiver.text, 'acquire'));
    const releases = calls.filter((c) => methodCall(c, receiver.text, 'release') && (!nextAcquire || c.startIndex < nextAcquire.startIndex));
    // Released elsewhere (a done-callback, another method, `__aexit__`): ownership moves on.
    if (releases.length === 0) continue;
    const guard = releases.map((r) => guardingTry(r, fn)).find((t) => t !== undefined);
    let window: [number, number];
    if (guard) {
      // `try: await lock.acquire() ... finally: lock.release()`: every path after the acquire releases.
      if (guard.startIndex < statement.startIndex) continue;
      // `await lock.acquire()`, then work, then `try:`: that work is unguarded.
      window = [statement.endIndex, guard.startIndex];
    } else window = [statement.endIndex, releases[releases.length - 1].startIndex];
    const failed = failedAcquireHandlers(statement);
    const checkpoint = checkpointBetween(fn, ...window, failed);
    const exit = checkpoint ? undefined : exitBetween(fn, ...window, receiver.text, failed);
    if (!checkpoint && !exit) continue;
    const name = receiver.text;
    const why = checkpoint
      ? `the ${checkpoint.type === 'yield' ? 'yield' : checkpoint.type === 'await' ? 'await' : `'async ${checkpoint.type === 'with_statement' ? 'with' : 'for'}'`} on line ${checkpoint.startPosition.row + 1} can ${checkpoint.type === 'yield' ? 'be the last step the consumer takes' : 'be cancelled (a timeout, a failing TaskGroup sibling, shutdown) or raise'}`
      : `the '${exit!.type === 'return_statement' ? 'return' : 'raise'}' on line ${exit!.startPosition.row + 1} leaves without releasing it`;
    ctx.report({
      message: `'${name}' is acquired by hand and ${guard ? "released in a finally block that starts only later" : 'released only if nothing goes wrong before release()'}: ${why}, and then it stays held for good and every task waiting for it hangs. Use 'async with ${name}:'${guard ? ' (or acquire it just before the try)' : ' (or release it in a finally block)'}`,
      range: ctx.rangeOf(statement),
      suggestions: guard || timed ? undefined : asyncWithFix(ctx, statement, releases, name),
    });
  }
}

/**
 * `await lock.acquire()` … `lock.release()` as statements of one block, with no other release in
 * between: the statements between go into `async with lock:`.
 */
function asyncWithFix(ctx: PythonRuleContext, acquire: Node, releases: Node[], name: string): Fix[] | undefined {
  if (releases.length !== 1) return undefined;
  const release = releases[0].parent;
  const block = acquire.parent;
  if (!block || block.type !== 'block' || release?.type !== 'expression_statement' || release.parent?.id !== block.id) return undefined;
  const first = acquire.startPosition.row;
  const last = release.endPosition.row;
  const lineText = ctx.lines.lineText(first);
  const indent = /^[ \t]*/.exec(lineText)![0];
  // A trailing comment of the acquire line stays on the new header line.
  const trailing = lineText.slice(acquire.endPosition.column).trimEnd();
  if (indent.length !== acquire.startPosition.column || acquire.endPosition.row !== first || (trailing.trim() !== '' && !trailing.trim().startsWith('#'))) return undefined;
  if (ctx.lines.lineText(last).slice(0, release.startPosition.column).trim() !== '' || ctx.lines.lineText(last).slice(release.endPosition.column).trim() !== '') return undefined;
  if (release.startPosition.row === first + 1) return undefined;
  const between = block.namedChildren.filter((s): s is Node => !!s && s.startIndex > acquire.endIndex && s.startIndex < release.startIndex);
  // Re-indenting would change the content of multi-line strings.
  if (between.some((s) => s.descendantsOfType('string').some((str) => str !== null && str.startPosition.row !== str.endPosition.row))) return undefined;
  const unit = indent.includes('\t') ? '\t' : '    ';
  const eol = ctx.lines.eol(first);
  const body: string[] = [];
  for (let row = first + 1; row < release.startPosition.row; row++) {
    const text = ctx.lines.lineText(row);
    body.push(text.trim() === '' ? text : `${unit}${text}`);
  }
  return [
    {
      title: `Hold '${name}' with 'async with ${name}:'`,
      safe: false,
      edits: [{ range: { start: { line: first, character: 0 }, end: { line: last, character: ctx.lines.lineText(last).length } }, newText: [`${indent}async with ${name}:${trailing}`, ...body].join(eol) }],
    },
  ];
}
