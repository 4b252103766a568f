/**
 * trio memory channels and anyio memory object streams whose sending side is never closed while
 * the receiving side is read with `async for`: the loop only ends when every send handle is
 * closed, so it waits forever once the producers are done, and the nursery or task group around
 * it never exits.
 */
import type { PythonRuleContext } from '../context';
import type { SyntaxNode as Node } from '../syntax';
import { callArguments, nodesOfType, usesOf, withItemValues } from '../util';

const FACTORIES = new Set(['trio.open_memory_channel', 'anyio.create_memory_object_stream']);

/** Spawning calls: the first argument is the function, the rest its positional arguments. */
const SPAWNS = new Set(['start_soon', 'start']);

/** What happens to one handle of a channel in a function. */
type Outcome = 'closed' | 'unknown' | 'open';

export function checkUnclosedMemoryChannels(ctx: PythonRuleContext): void {
  if (!/\b(open_memory_channel|create_memory_object_stream)\b/.test(ctx.text)) return;
  for (const call of nodesOfType(ctx.tree.rootNode, 'call')) {
    let fn = call.childForFieldName('function');
    // `anyio.create_memory_object_stream[int](10)`
    if (fn?.type === 'subscript') fn = fn.childForFieldName('value');
    if (!fn || (fn.type !== 'identifier' && fn.type !== 'attribute')) continue;
    const factory = ctx.scope.resolve(fn)?.name;
    if (!factory || !FACTORIES.has(factory)) continue;
    const assignment = call.parent;
    if (assignment?.type !== 'assignment' || assignment.childForFieldName('right')?.id !== call.id) continue;
    const left = assignment.childForFieldName('left');
    const items = left?.type === 'pattern_list' || left?.type === 'tuple_pattern' ? left.namedChildren.filter((c): c is Node => c !== null) : [];
    if (items.length !== 2 || items.some((i) => i.type !== 'identifier')) continue;
    const [send, receive] = items;
    const owner = ctx.scope.enclosingFunction(call);
    if (!owner || owner.kind !== 'function' || !ctx.scope.isAsyncContext(call)) continue;
    const body = owner.node.childForFieldName('body');
    if (!body) continue;
    const reader = readerOf(ctx, body, receive);
    if (!reader) continue;
    // `nursery.cancel_scope.cancel()` once the work is done ends the reading task too.
    if (/\.cancel_scope\.cancel\(/.test(body.text)) continue;
    const sendOutcome = outcomeOf(ctx, body, send, 0);
    if (sendOutcome.outcome !== 'open') continue;
    const library = factory.startsWith('trio.') ? 'trio' : 'anyio';
    const what = library === 'trio' ? 'memory channel' : 'memory object stream';
    const by = sendOutcome.producers.length ? ` (${sendOutcome.producers.map((p) => `'${p}'`).join(', ')} ${sendOutcome.producers.length === 1 ? 'sends' : 'send'} on it without closing it)` : '';
    ctx.report({
      message: `The sending side of this ${what}, '${send.text}', is never closed${by}: the 'async for' over '${receive.text}'${reader === 'here' ? '' : ` in '${reader}'`} never ends, and the ${library === 'trio' ? 'nursery' : 'task group'} around it waits forever. Close it when sending is done: 'async with ${send.text}:' around the sends, or ${send.text}.close() once every clone is handed out`,
      range: ctx.rangeOf(assignment),
      anchors: [],
    });
  }
}

/** The uses of `target`'s name after it inside `block` that read that binding (not a nested scope's own). */
function usesAfter(ctx: PythonRuleContext, block: Node, target: Node): Node[] {
  const scope = ctx.scope.scopeAt(target);
  return usesOf(block, target).filter((id) => ctx.scope.lookup(id.text, id)?.scope === scope);
}

/**
 * Where the receiving side is read to its end with `async for`: in the function itself ('here'),
 * or in a function of the module it is handed to (its name). Undefined when nothing iterates it,
 * or it escapes where it cannot be followed.
 */
function readerOf(ctx: PythonRuleContext, body: Node, receive: Node): string | undefined {
  for (const use of usesAfter(ctx, body, receive)) {
    if (iteratedAsync(use)) return 'here';
    const handed = handedTo(ctx, use);
    if (handed && handed.def !== 'unknown' && paramIteratedAsync(ctx, handed.def, handed.index)) return handed.name;
  }
  return undefined;
}

/**
 * `async for x in channel`, read until the channel closes: a loop that can leave by itself
 * (`break` on a sentinel, `return`) ends without it.
 */
function iteratedAsync(use: Node): boolean {
  const loop = use.parent;
  if (loop?.type !== 'for_statement' || loop.childForFieldName('right')?.id !== use.id || !loop.children.some((c) => c?.type === 'async')) return false;
  return !leavesLoop(loop.childForFieldName('body'));
}

/** Whether a loop body holds a `break` of its own loop, or a `return`/`raise` (not in nested functions). */
function leavesLoop(body: Node | null, nested = false): boolean {
  for (const child of body?.namedChildren ?? []) {
    if (!child) continue;
    if (child.type === 'return_statement' || child.type === 'raise_statement') return true;
    if (child.type === 'break_statement' && !nested) return true;
    if (child.type === 'function_definition' || child.type === 'class_definition' || child.type === 'lambda') continue;
    if (leavesLoop(child, nested || child.type === 'for_statement' || child.type === 'while_statement')) return true;
  }
  return false;
}

/** Whether the function's parameter at `index` is read with `async for` in its body. */
function paramIteratedAsync(ctx: PythonRuleContext, def: Node, index: number): boolean {
  const param = parameterAt(def, index);
  const body = def.childForFieldName('body');
  if (!param || !body) return false;
  return usesAfter(ctx, body, param).some(iteratedAsync);
}

/** The identifier of a function's positional parameter at `index` (`self` of a method not counted by callers: not followed). */
function parameterAt(def: Node, index: number): Node | undefined {
  const params = (def.childForFieldName('parameters')?.namedChildren ?? []).filter((p): p is Node => p !== null);
  const p = params[index];
  if (!p) return undefined;
  if (p.type === 'identifier') return p;
  if (p.type === 'typed_parameter') return p.namedChildren.find((c): c is Node => c?.type === 'identifier') ?? undefined;
  if (p.type === 'default_parameter' || p.type === 'typed_default_parameter') {
    const name = p.childForFieldName('name');
    return name?.type === 'identifier' ? name : undefined;
  }
  return undefined;
}

/**
 * The function a handle is given to, by position: `nursery.start_soon(producer, send)` (index 0 of
 * `producer`), `await producer(send)`. `def` is the module-level `async def` of that name, or
 * 'unknown' when the callee is anything else (an import, a method, a lambda).
 */
function handedTo(ctx: PythonRuleContext, use: Node): { def: Node | 'unknown'; index: number; name: string } | undefined {
  const args = use.parent;
  if (args?.type !== 'argument_list') return undefined;
  const call = args.parent;
  if (call?.type !== 'call') return undefined;
  const positional = callArguments(call);
  const at = positional.findIndex((a) => a.id === use.id);
  if (at < 0 || positional.slice(0, at).some((a) => a.type === 'keyword_argument' || a.type === 'list_splat' || a.type === 'dictionary_splat')) {
    return { def: 'unknown', index: -1, name: '' };
  }
  const fn = call.childForFieldName('function');
  let target: Node | undefined;
  let index = at;
  if (fn?.type === 'attribute' && SPAWNS.has(fn.childForFieldName('attribute')?.text ?? '')) {
    if (at === 0) return { def: 'unknown', index: -1, name: '' };
    target = positional[0];
    index = at - 1;
  } else target = fn ?? undefined;
  if (target?.type !== 'identifier') return { def: 'unknown', index: -1, name: '' };
  const found = ctx.scope.lookup(target.text, target);
  const def = found?.scope === ctx.scope.module && found.bindings.length === 1 && found.bindings[0].kind === 'def' ? found.bindings[0].node : undefined;
  if (!def || def.child(0)?.type !== 'async') return { def: 'unknown', index: -1, name: target.text };
  return { def, index, name: target.text };
}

/**
 * What becomes of a send handle in a block: closed (`async with send`, `send.close()`,
 * `await send.aclose()`, handed to a function that closes it), unknown (stored, returned, handed
 * to code that cannot be followed), or open. `producers` names the module functions it was
 * handed to that send on it and leave it open.
 */
function outcomeOf(ctx: PythonRuleContext, block: Node, handle: Node, depth: number): { outcome: Outcome; producers: string[] } {
  let outcome: Outcome = 'open';
  const producers: string[] = [];
  for (const use of usesAfter(ctx, block, handle)) {
    const parent = use.parent;
    if (!parent) continue;
    // `send.send(x)`, `send.send_nowait(x)`, `send.clone()`, `send.close()`, `await send.aclose()`
    if (parent.type === 'attribute' && parent.childForFieldName('object')?.id === use.id) {
      const method = parent.childForFieldName('attribute')?.text ?? '';
      if ((method === 'close' || method === 'aclose') && parent.parent?.type === 'call') return { outcome: 'closed', producers };
      if (method === 'send' || method === 'send_nowait' || method === 'clone' || method === 'statistics') continue;
      outcome = 'unknown';
      continue;
    }
    // `async with send:` / `async with send, receive:` / `with send:`
    const withStatement = parent.type === 'with_item' ? parent.parent?.parent : undefined;
    if (withStatement?.type === 'with_statement' && withItemValues(withStatement).some((v) => v.id === use.id)) return { outcome: 'closed', producers };
    if (parent.type === 'argument_list') {
      const handed = handedTo(ctx, use);
      if (!handed || handed.def === 'unknown' || depth > 2) {
        outcome = 'unknown';
        continue;
      }
      const param = parameterAt(handed.def, handed.index);
      const body = handed.def.childForFieldName('body');
      if (!param || !body) {
        outcome = 'unknown';
        continue;
      }
      const inner = outcomeOf(ctx, body, param, depth + 1);
      if (inner.outcome === 'closed') return { outcome: 'closed', producers };
      if (inner.outcome === 'unknown') outcome = 'unknown';
      else if (!producers.includes(handed.name)) producers.push(handed.name, ...inner.producers.filter((p) => !producers.includes(p)));
      continue;
    }
    // Anything else (stored, returned, put in a container, compared): not followed.
    outcome = 'unknown';
  }
  return { outcome, producers };
}
