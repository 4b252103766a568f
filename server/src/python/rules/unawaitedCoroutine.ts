/**
 * unawaited-coroutine: a call that creates a coroutine (or another awaitable that does nothing
 * until awaited) whose result is dropped.
 */
import type { Node } from 'web-tree-sitter';
import { AwaitableResolver } from '../awaitables';
import type { PythonRuleContext } from '../context';
import { awaitEdits, canInsertAwait, field, nodesOfType, parentOf, typeOf } from '../util';

/** Library awaitables that start their work when called (futures), unlike coroutines. */
const SCHEDULED = new Set(['gather', 'shield', 'run_in_executor', 'wrap_future']);

export function checkUnawaitedCoroutines(ctx: PythonRuleContext): void {
  let resolver: AwaitableResolver | undefined;
  for (const call of nodesOfType(ctx.tree.rootNode, 'call')) {
    if (!maybeDiscarded(call)) continue;
    resolver ??= new AwaitableResolver(ctx);
    const awaitable = resolver.awaitableCall(call);
    if (!awaitable) continue;
    // Only now (most calls are not awaitables) look for later uses of an assigned result.
    const discarded = discardKind(ctx, call);
    if (!discarded || expectedToRaise(call)) continue;
    const canAwait = canInsertAwait(ctx, call);
    // gather/shield/run_in_executor schedule their work at once: it runs, but nothing waits for
    // it and its exception is lost. Awaiting it changes when the caller resumes: a suggestion.
    const scheduled = awaitable.library && SCHEDULED.has(awaitable.display.split('.').pop() ?? '');
    if (scheduled) {
      const where = discarded === 'statement' ? 'is never awaited' : `is stored in '${discarded}' but never awaited`;
      ctx.report({
        message: `The future from ${awaitable.display}() ${where}: the work runs, but nothing waits for it to finish and its exception is lost`,
        range: ctx.rangeOf(call),
        suggestions: canAwait ? [{ title: `Await ${awaitable.display}()`, safe: false, edits: awaitEdits(ctx, call) }] : undefined,
      });
      continue;
    }
    const what = awaitable.library ? `${awaitable.display}() returns an awaitable that` : `The coroutine from ${awaitable.display}()`;
    const tail = discarded === 'statement' ? 'is never awaited, so it never runs' : `is stored in '${discarded}' but never awaited, so it never runs`;
    ctx.report({
      message: `${what} ${tail}`,
      range: ctx.rangeOf(call),
      fix: canAwait ? { title: `Await ${awaitable.display}()`, safe: true, edits: awaitEdits(ctx, call) } : undefined,
    });
  }
}

const RAISES = /(^|\.)(assertRaises|assertRaisesRegex|assertWarns|assertWarnsRegex|raises|warns)$/;

/**
 * Inside `with pytest.raises(...)` / `with self.assertRaises(...)`: the call is made to see it
 * raise (bad arguments, no running loop), not for a result that someone should await.
 */
function expectedToRaise(call: Node): boolean {
  for (let n = parentOf(call); n; n = parentOf(n)) {
    const type = typeOf(n);
    if (type === 'function_definition' || type === 'lambda' || type === 'class_definition') return false;
    if (type !== 'with_statement') continue;
    const clause = n.namedChildren.find((c) => c?.type === 'with_clause');
    for (const item of clause?.namedChildren ?? []) {
      if (item?.type !== 'with_item') continue;
      const value = item.namedChildren[0];
      const call = value?.type === 'as_pattern' ? value.namedChildren[0] : value;
      const fn = call?.type === 'call' ? call.childForFieldName('function') : null;
      if (fn && RAISES.test(fn.text)) return true;
    }
  }
  return false;
}

/** A bare call statement, or `name = call(...)` as a statement: the shapes discardKind looks at. */
function maybeDiscarded(call: Node): boolean {
  const parent = parentOf(call);
  if (!parent) return false;
  const type = typeOf(parent);
  if (type === 'expression_statement') return parent.namedChildCount === 1;
  if (type !== 'assignment') return false;
  const statement = parentOf(parent);
  return statement !== null && typeOf(statement) === 'expression_statement';
}

/** 'statement' when the call is a bare statement, the variable name when assigned and never read. */
function discardKind(ctx: PythonRuleContext, call: Node): string | undefined {
  const parent = parentOf(call);
  if (!parent) return undefined;
  if (typeOf(parent) === 'expression_statement' && parent.namedChildCount === 1) return 'statement';
  const statement = typeOf(parent) === 'assignment' ? parentOf(parent) : null;
  if (statement && typeOf(statement) === 'expression_statement' && field(parent, 'right')?.id === call.id) {
    const left = parent.childForFieldName('left');
    if (left?.type !== 'identifier' || left.text === '_') return undefined;
    const scope = ctx.scope.scopeAt(left);
    if (scope.kind === 'module' || scope.globals.has(left.text) || scope.nonlocals.has(left.text)) return undefined;
    for (const id of nodesOfType(scope.node, 'identifier')) {
      if (id.text === left.text && id.id !== left.id && handlesValue(ctx, id)) return undefined;
    }
    return left.text;
  }
  return undefined;
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
