/**
 * asyncio queues whose `await queue.join()` can never return: join waits until every item put
 * has been marked done with `task_done()`. It hangs when nothing calls `task_done()` on the queue,
 * or when a consumer calls it only after handling the item, so an exception or a cancellation in
 * between skips it. Part of `unclosed-resource`.
 */
import type { Fix } from '../../engine/types';
import { type AwaitableResolver, awaitablesOf } from '../awaitables';
import type { PythonRuleContext } from '../context';
import type { SyntaxNode as Node } from '../syntax';
import { callArguments, field, inNestedScope, nodesOfType, opensScope } from '../util';

const QUEUE_CLASSES = new Set(['asyncio.Queue', 'asyncio.PriorityQueue', 'asyncio.LifoQueue', 'asyncio.queues.Queue', 'asyncio.queues.PriorityQueue', 'asyncio.queues.LifoQueue']);

/** `receiver.method(...)` calls, with the receiver `self.x` or a plain name. */
function methodCalls(root: Node, method: string): { call: Node; receiver: Node }[] {
  const out: { call: Node; receiver: Node }[] = [];
  for (const call of nodesOfType(root, 'call')) {
    const callee = field(call, 'function');
    if (callee?.type !== 'attribute' || field(callee, 'attribute')?.text !== method) continue;
    const receiver = field(callee, 'object');
    if (!receiver) continue;
    if (receiver.type === 'identifier' || (receiver.type === 'attribute' && field(receiver, 'object')?.text === 'self' && field(receiver, 'object')?.type === 'identifier')) out.push({ call, receiver });
  }
  return out;
}

type Join = { call: Node; receiver: Node };

const awaited = (call: Node): boolean => call.parent?.type === 'await';

function classOf(node: Node): Node | undefined {
  for (let n = node.parent; n; n = n.parent) if (n.type === 'class_definition') return n;
  return undefined;
}

/** The statement of a block that holds `node`. */
function statementOf(node: Node): Node | undefined {
  let n: Node | null = node;
  while (n && n.parent && n.parent.type !== 'block' && n.parent.type !== 'module') n = n.parent;
  return n ?? undefined;
}

/** Whether `node` is inside an `except` handler or a `finally` block of `owner` (not of a nested scope). */
function inHandlerOrFinally(node: Node, owner: Node): boolean {
  for (let n: Node | null = node.parent; n && n.id !== owner.id; n = n.parent) {
    if (opensScope(n)) return false;
    if (n.type === 'finally_clause' || n.type === 'except_clause' || n.type === 'except_group_clause') return true;
  }
  return false;
}

/**
 * Whether `node` is in the body of a `try` that lies between `from` and `to` and has a handler of
 * `Exception` (or broader) that does not raise: only a cancellation gets past it.
 */
function caughtBefore(node: Node, from: Node, to: Node): boolean {
  for (let n: Node | null = node.parent; n; n = n.parent) {
    if (opensScope(n)) return false;
    const tryStatement = n.parent;
    if (tryStatement?.type !== 'try_statement') continue;
    // Its body, or one of its handlers (logging the error): not its `else` or `finally`.
    if (field(tryStatement, 'body')?.id !== n.id && n.type !== 'except_clause') continue;
    if (tryStatement.startIndex < from.endIndex || tryStatement.endIndex > to.startIndex) continue;
    for (const clause of tryStatement.namedChildren) {
      if (clause?.type !== 'except_clause') continue;
      const caught = clause.namedChildren.find((c) => c?.type !== 'block' && c?.type !== 'comment');
      const type = caught?.type === 'as_pattern' ? caught.namedChildren[0] : caught;
      if ((!type || /^(Exception|BaseException|builtins\.Exception)$/.test(type.text)) && clause.descendantsOfType('raise_statement').length === 0) return true;
    }
  }
  return false;
}

/** Whether `node` is in a handler of a `try` whose body holds the get: it runs only when no item was got. */
function afterFailedGet(node: Node, get: Node): boolean {
  for (let n: Node | null = node.parent; n; n = n.parent) {
    if (opensScope(n)) return false;
    if (n.type !== 'except_clause' && n.type !== 'except_group_clause') continue;
    const body = n.parent?.type === 'try_statement' ? field(n.parent, 'body') : null;
    if (body && get.startIndex >= body.startIndex && get.endIndex <= body.endIndex) return true;
  }
  return false;
}

export function checkQueueJoins(ctx: PythonRuleContext): void {
  if (!ctx.text.includes('.join(') || !/\bQueue\b/.test(ctx.text)) return;
  const root = ctx.tree.rootNode;
  let resolver: AwaitableResolver | undefined;
  const isQueue = (receiver: Node): boolean => {
    resolver ??= awaitablesOf(ctx);
    const cls = resolver.classOfReceiver(receiver);
    return cls?.kind === 'library' && QUEUE_CLASSES.has(cls.name);
  };
  // `q.shutdown()` (Python 3.13) with `immediate=True` releases join: queues shut down are left alone.
  const shutdowns = methodCalls(root, 'shutdown');
  const shutDown = (receiver: Node): boolean =>
    shutdowns.some((m) => m.receiver.text === receiver.text && (receiver.type === 'identifier' || classOf(m.call)?.id === classOf(receiver)?.id));
  const joins = methodCalls(root, 'join').filter((j) => awaited(j.call) && !shutDown(j.receiver) && isQueue(j.receiver));
  if (joins.length === 0) return;
  // Any mention of `x.task_done` in code (a call, a callback): not the word in a docstring or a comment.
  if (!/\btask_done\b/.test(ctx.text) || !nodesOfType(root, 'attribute').some((a) => field(a, 'attribute')?.text === 'task_done')) {
    const gets = [...methodCalls(root, 'get'), ...methodCalls(root, 'get_nowait')];
    for (const join of joins) {
      // Its consumers must be in sight: a queue only filled and joined here may be read elsewhere.
      const read = join.receiver.type === 'attribute' ? gets.some((g) => g.receiver.text === join.receiver.text && classOf(g.call)?.id === classOf(join.call)?.id) : gets.length > 0;
      if (!read || !consumersVisible(ctx, join.receiver)) continue;
      ctx.report({
        message: `'await ${join.receiver.text}.join()' waits until every item put on '${join.receiver.text}' is marked done with task_done(), and nothing in this module calls task_done(): once anything is put, it never returns. Call ${join.receiver.text}.task_done() in a finally block after handling each item got`,
        range: ctx.rangeOf(join.call.parent!),
      });
    }
    return;
  }
  for (const getter of ['get', 'get_nowait']) {
    for (const { call, receiver } of methodCalls(root, getter)) {
      // `await q.get()`, or `await asyncio.wait_for(q.get(), 5)`.
      const wrapper = call.parent?.type === 'argument_list' && call.parent.namedChildren[0]?.id === call.id ? call.parent.parent : null;
      const timed = wrapper?.type === 'call' && /(^|\.)wait_for$/.test(field(wrapper, 'function')?.text ?? '') && awaited(wrapper);
      if (getter === 'get' && !awaited(call) && !timed) continue;
      if (shutDown(receiver)) continue;
      const owner = ctx.scope.enclosingFunction(call);
      if (!owner || owner.kind !== 'function' || !ctx.scope.isAsyncContext(call)) continue;
      const fn = owner.node;
      const statement = statementOf(call);
      if (!statement) continue;
      // The task_done calls up to the next get of the same queue.
      const nextGet = methodCalls(fn, getter).find((g) => g.receiver.text === receiver.text && g.call.startIndex > statement.endIndex && !inNestedScope(g.call, fn));
      const dones = methodCalls(fn, 'task_done').filter((d) => d.receiver.text === receiver.text && d.call.startIndex > statement.endIndex && (!nextGet || d.call.startIndex < nextGet.call.startIndex) && !inNestedScope(d.call, fn));
      if (dones.length === 0) continue;
      // Marked done on the error path too (a finally block, or a handler as well as the normal path).
      if (dones.some((d) => inHandlerOrFinally(d.call, fn))) continue;
      // The one on the normal path: in the block of the get (others end early branches: `if item is None: q.task_done(); break`).
      const done = dones.find((d) => d.call.parent?.parent?.id === statement.parent?.id) ?? dones[dones.length - 1];
      const doneStatement = done.call.parent;
      if (doneStatement?.type !== 'expression_statement') continue;
      // What can raise out between the get and the task_done (an `except Exception:` that does not re-raise keeps errors in).
      const between = nodesOfType(fn, ['call', 'await']).find((n) => n.startIndex > statement.endIndex && n.startIndex < doneStatement.startIndex && !inNestedScope(n, fn) && !dones.some((d) => d.call.id === n.id) && !caughtBefore(n, statement, doneStatement) && !afterFailedGet(n, statement));
      if (!between) continue;
      const join = joinOf(ctx, receiver, fn, joins, isQueue);
      if (!join) continue;
      ctx.report({
        message: `'${receiver.text}.task_done()' is called only if nothing before it raises: when the ${between.type === 'await' ? 'await' : 'call'} on line ${between.startPosition.row + 1} raises or is cancelled, the item is never marked done and 'await ${join.receiver.text}.join()' on line ${join.call.startPosition.row + 1} waits forever. Call ${receiver.text}.task_done() in a finally block`,
        range: ctx.rangeOf(statement),
        suggestions: dones.length === 1 ? finallyFix(ctx, statement, doneStatement, receiver.text) : undefined,
      });
    }
  }
}

/** The join of the queue read through `receiver` in `fn`: in its class (`self.x`), in `fn`, or by a caller that hands it over. */
function joinOf(ctx: PythonRuleContext, receiver: Node, fn: Node, joins: Join[], isQueue: (r: Node) => boolean): Join | undefined {
  if (receiver.type === 'attribute') {
    const cls = classOf(fn);
    return cls && isQueue(receiver) ? joins.find((j) => j.receiver.text === receiver.text && classOf(j.call)?.id === cls.id) : undefined;
  }
  const local = joins.find((j) => j.receiver.text === receiver.text && ctx.scope.enclosingFunction(j.call)?.node.id === fn.id);
  if (local) return local;
  return joinedParameter(ctx, receiver, fn, joins);
}

/**
 * A plain name read in `fn`: joined when it is bound in `fn` and joined there, or it is a
 * parameter of a module function that is called with a queue the caller joins.
 */
function joinedParameter(ctx: PythonRuleContext, receiver: Node, fn: Node, joins: Join[]): Join | undefined {
  if (receiver.type !== 'identifier') return undefined;
  const found = ctx.scope.lookup(receiver.text, receiver);
  if (!found || found.bindings.length !== 1 || found.bindings[0].kind !== 'param') return undefined;
  const params = (field(fn, 'parameters')?.namedChildren ?? []).filter((p): p is Node => p !== null);
  const index = params.findIndex((p) => p.id === found.bindings[0].node.id || p.namedChildren.some((c) => c?.id === found.bindings[0].node.id));
  const name = field(fn, 'name')?.text;
  if (index < 0 || !name || fn.parent?.type !== 'module' && fn.parent?.parent?.type !== 'module') return undefined;
  for (const call of nodesOfType(ctx.tree.rootNode, 'call')) {
    if (field(call, 'function')?.text !== name) continue;
    const arg = callArguments(call)[index];
    if (arg?.type !== 'identifier') continue;
    const caller = ctx.scope.enclosingFunction(call);
    const join = joins.find((j) => j.receiver.text === arg.text && ctx.scope.enclosingFunction(j.call)?.node.id === caller?.node.id);
    if (join) return join;
  }
  return undefined;
}

/**
 * Whether every consumer of the joined queue can be seen in this module: a local made here and
 * handed only to this module's functions, or `self.x` never handed out.
 */
function consumersVisible(ctx: PythonRuleContext, receiver: Node): boolean {
  if (receiver.type === 'attribute') {
    const cls = classOf(receiver);
    if (!cls) return false;
    // A base from elsewhere may consume it.
    if (field(cls, 'superclasses')?.namedChildren.some((b) => b && b.text !== 'object')) return false;
    for (const a of nodesOfType(cls, 'attribute')) {
      if (a.text !== receiver.text) continue;
      const p = a.parent;
      if (p?.type === 'attribute' && field(p, 'object')?.id === a.id) continue;
      if (p?.type === 'assignment' && field(p, 'left')?.id === a.id) continue;
      return false;
    }
    // `self` handed on: whoever gets it may consume the queue.
    return !nodesOfType(cls, 'identifier').some((id) => id.text === 'self' && id.parent?.type === 'argument_list');
  }
  const found = ctx.scope.lookup(receiver.text, receiver);
  if (!found || found.bindings.some((b) => b.kind !== 'assign')) return false;
  const scopeNode = found.scope.node;
  for (const id of nodesOfType(scopeNode, 'identifier')) {
    if (id.text !== receiver.text || ctx.scope.lookup(id.text, id)?.scope !== found.scope) continue;
    const p = id.parent;
    if (!p) continue;
    if (p.type === 'attribute' && field(p, 'object')?.id === id.id) continue;
    if (p.type === 'assignment' && field(p, 'left')?.id === id.id) continue;
    if (p.type === 'argument_list') {
      const callee = field(p.parent!, 'function');
      if (callee?.type !== 'identifier') return false;
      const def = ctx.scope.lookup(callee.text, callee);
      if (def?.scope !== ctx.scope.module || def.bindings.some((b) => b.kind !== 'def')) return false;
      // That function must not hand it on in turn.
      const index = callArguments(p.parent!).findIndex((a) => a.id === id.id);
      const params = def.bindings.map((b) => b.node).flatMap((d) => (field(d, 'parameters')?.namedChildren ?? []).filter((c): c is Node => c !== null));
      const param = params[index];
      const paramName = param?.type === 'identifier' ? param : param?.namedChildren.find((c): c is Node => c?.type === 'identifier');
      if (!paramName || def.bindings.length !== 1) return false;
      const body = field(def.bindings[0].node, 'body');
      if (!body || nodesOfType(body, 'identifier').some((u) => u.text === paramName.text && u.parent?.type === 'argument_list')) return false;
      continue;
    }
    return false;
  }
  return true;
}

/**
 * `item = await q.get()` … `q.task_done()` as one-line statements of one block: the statements
 * between go into `try:` and the task_done into its `finally:`.
 */
function finallyFix(ctx: PythonRuleContext, get: Node, done: Node, name: string): Fix[] | undefined {
  const block = get.parent;
  if (block?.type !== 'block' || done.parent?.id !== block.id) return undefined;
  const first = get.endPosition.row;
  const last = done.startPosition.row;
  if (last <= first + 1 || done.endPosition.row !== last) return undefined;
  const indent = /^[ \t]*/.exec(ctx.lines.lineText(first))![0];
  if (ctx.lines.lineText(last).trim() !== done.text) return undefined;
  const between = block.namedChildren.filter((s): s is Node => !!s && s.type !== 'comment' && s.startIndex > get.endIndex && s.startIndex < done.startIndex);
  if (between.length === 0 || between.some((s) => s.descendantsOfType('string').some((str) => str !== null && str.startPosition.row !== str.endPosition.row))) return undefined;
  if (get.startPosition.column !== indent.length || done.startPosition.column !== indent.length) return undefined;
  const unit = indent.includes('\t') ? '\t' : '    ';
  const eol = ctx.lines.eol(first);
  const title = `Call '${name}.task_done()' in a finally block`;
  // A `try` with handlers and no `finally` right before: the task_done becomes its `finally`.
  if (between.length === 1 && between[0].type === 'try_statement' && !between[0].namedChildren.some((c) => c?.type === 'finally_clause' || c?.type === 'else_clause') && between[0].startPosition.column === indent.length) {
    return [{ title, safe: false, edits: [{ range: { start: { line: last, character: 0 }, end: { line: last, character: ctx.lines.lineText(last).length } }, newText: [`${indent}finally:`, `${indent}${unit}${done.text}`].join(eol) }] }];
  }
  const body: string[] = [];
  for (let row = first + 1; row < last; row++) {
    const text = ctx.lines.lineText(row);
    body.push(text.trim() === '' ? text : `${unit}${text}`);
  }
  return [
    {
      title,
      safe: false,
      edits: [{ range: { start: { line: first + 1, character: 0 }, end: { line: last, character: ctx.lines.lineText(last).length } }, newText: [`${indent}try:`, ...body, `${indent}finally:`, `${indent}${unit}${done.text}`].join(eol) }],
    },
  ];
}
