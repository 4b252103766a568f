/**
 * unawaited-coroutine: a call that creates a coroutine (or another awaitable that does nothing
 * until awaited) whose result is dropped.
 */
import type { Node } from 'web-tree-sitter';
import { AwaitableResolver } from '../awaitables';
import type { PythonRuleContext } from '../context';
import { awaitEdits, canInsertAwait, nodesOfType } from '../util';

export function checkUnawaitedCoroutines(ctx: PythonRuleContext): void {
  let resolver: AwaitableResolver | undefined;
  for (const call of nodesOfType(ctx.tree.rootNode, 'call')) {
    const discarded = discardKind(ctx, call);
    if (!discarded) continue;
    resolver ??= new AwaitableResolver(ctx);
    const awaitable = resolver.awaitableCall(call);
    if (!awaitable) continue;
    const what = awaitable.library ? `${awaitable.display}() returns an awaitable that` : `The coroutine from ${awaitable.display}()`;
    const tail = discarded === 'statement' ? 'is never awaited, so it never runs' : `is stored in '${discarded}' but never awaited, so it never runs`;
    const canAwait = canInsertAwait(ctx, call);
    ctx.report({
      message: `${what} ${tail}`,
      range: ctx.rangeOf(call),
      fix: canAwait ? { title: `Await ${awaitable.display}()`, safe: true, edits: awaitEdits(ctx, call) } : undefined,
    });
  }
}

/** 'statement' when the call is a bare statement, the variable name when assigned and never read. */
function discardKind(ctx: PythonRuleContext, call: Node): string | undefined {
  const parent = call.parent;
  if (!parent) return undefined;
  if (parent.type === 'expression_statement' && parent.namedChildCount === 1) return 'statement';
  if (parent.type === 'assignment' && parent.parent?.type === 'expression_statement' && parent.childForFieldName('right')?.id === call.id) {
    const left = parent.childForFieldName('left');
    if (left?.type !== 'identifier' || left.text === '_') return undefined;
    const scope = ctx.scope.scopeAt(left);
    if (scope.kind === 'module' || scope.globals.has(left.text) || scope.nonlocals.has(left.text)) return undefined;
    for (const id of scope.node.descendantsOfType('identifier')) {
      if (id && id.text === left.text && id.id !== left.id) return undefined;
    }
    return left.text;
  }
  return undefined;
}
