/**
 * swallowed-cancellation: handlers and `finally` blocks in async code that stop a
 * `CancelledError` from propagating, so the task cannot be cancelled any more.
 */
import type { Node } from 'web-tree-sitter';
import type { Fix } from '../../engine/types';
import type { PythonRuleContext } from '../context';
import type { Resolution } from '../scope';
import { addImportEdit, moduleAlias, nodesOfType, withItemValues } from '../util';

const CANCELLED = new Set(['asyncio.CancelledError', 'asyncio.exceptions.CancelledError', 'concurrent.futures.CancelledError']);
const BASE = new Set(['builtins.BaseException']);

/** Whether the subtree (not nested functions) has an await point: await, async for, async with. */
export function hasCheckpoint(node: Node): boolean {
  const stack: Node[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'await') return true;
    if ((n.type === 'for_statement' || n.type === 'with_statement') && n.children.some((c) => c?.type === 'async')) return true;
    for (const c of n.namedChildren) {
      if (!c || c.type === 'function_definition' || c.type === 'lambda' || c.type === 'class_definition' || c.type === 'decorated_definition') continue;
      stack.push(c);
    }
  }
  return false;
}

/** Statements of a block, ignoring comments. */
function statements(block: Node | null): Node[] {
  return (block?.namedChildren ?? []).filter((s): s is Node => s !== null && s.type !== 'comment');
}

/** The statements of one type (`raise_statement`, `return_statement`) in a handler, outside nested functions. */
function statementsIn(handler: Node, type: string): Node[] {
  const out: Node[] = [];
  const stack: Node[] = [handler];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === type) out.push(n);
    for (const c of n.namedChildren) {
      if (!c || c.type === 'function_definition' || c.type === 'lambda' || c.type === 'class_definition') continue;
      stack.push(c);
    }
  }
  return out;
}

const REPORTING_CALLS = new Set(['print', 'str', 'repr', 'format', 'type', 'isinstance']);
const LOG_METHODS = new Set(['debug', 'info', 'warning', 'warn', 'error', 'exception', 'critical', 'log', 'print_exc', 'format_exc']);

/**
 * `except BaseException as exc:` whose handler passes `exc` on — `fut.set_exception(exc)`,
 * `errors.append(exc)`, `self._add_exc(exc)`, `context = {'exception': exc}` — delivers the
 * exception (CancelledError included) elsewhere instead of swallowing it: the pattern of event
 * loops, schedulers and futures. Only logging, printing or formatting it does not count.
 */
function handsOff(clause: Node, handler: Node): boolean {
  const pattern = clause.namedChildren.find((c) => c?.type === 'as_pattern');
  const alias = pattern?.childForFieldName('alias');
  const name = alias?.type === 'identifier' ? alias : alias?.namedChildren.find((c) => c?.type === 'identifier');
  if (!name) return false;
  for (const id of nodesOfType(handler, 'identifier')) {
    if (id.text !== name.text) continue;
    // The exception itself (not `exc.args`) passed to a call, assigned, or put in a container.
    const parent = id.parent;
    if (!parent) continue;
    if (parent.type === 'argument_list') {
      const f = parent.parent?.childForFieldName('function');
      const callee = f?.type === 'attribute' ? f.childForFieldName('attribute')?.text : f?.text;
      if (callee && !REPORTING_CALLS.has(callee) && !LOG_METHODS.has(callee)) return true;
    }
    if (parent.type === 'assignment' && parent.childForFieldName('right')?.id === id.id) return true;
    if (['list', 'tuple', 'set', 'pair', 'expression_list'].includes(parent.type)) return true;
  }
  return false;
}

type Caught = 'cancelled' | 'base' | 'bare' | undefined;

function caughtKind(ctx: PythonRuleContext, clause: Node): Caught {
  // The caught expression is the first named child that is not the body block.
  const body = clause.namedChildren.find((c) => c?.type === 'block');
  const expr = clause.namedChildren.find((c) => c !== null && c.type !== 'block' && c.type !== 'comment');
  if (!expr || (body && expr.id === body.id)) return 'bare';
  let types: Node[] = [expr];
  if (expr.type === 'as_pattern') types = [expr.namedChildren[0]!].filter(Boolean);
  const flat: Node[] = [];
  for (const t of types) {
    if (t.type === 'tuple' || t.type === 'parenthesized_expression') flat.push(...t.namedChildren.filter((c): c is Node => c !== null));
    else flat.push(t);
  }
  let kind: Caught;
  for (const t of flat) {
    if (t.type !== 'identifier' && t.type !== 'attribute') continue;
    const caught = catches(ctx.scope.resolve(t));
    if (caught === 'cancelled') kind = 'cancelled';
    else if (caught === 'base' && kind === undefined) kind = 'base';
  }
  return kind;
}

/** Whether an exception class, resolved, is CancelledError itself or BaseException. */
function catches(r: Resolution | undefined): 'cancelled' | 'base' | undefined {
  if (!r) return undefined;
  if (CANCELLED.has(r.name) && (r.via !== 'unbound' || r.name.startsWith('asyncio.'))) return 'cancelled';
  return BASE.has(r.name) ? 'base' : undefined;
}

/**
 * What the file cancels: the texts `x` of every `x.cancel()` call or `x.cancel` callback
 * (`loop.call_soon(task.cancel)`), and the functions that cancel a loop variable
 * (`for t in pending: t.cancel()`), whose tasks are then only known by the loop.
 */
interface Cancels {
  texts: Map<string, Node[]>;
  loopCancels: Set<number>;
}

function cancelsIn(ctx: PythonRuleContext): Cancels {
  const texts = new Map<string, Node[]>();
  const loopCancels = new Set<number>();
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
      if (n.type === 'for_statement' && n.childForFieldName('left')?.text === obj.text) {
        const fn = ctx.scope.enclosingFunction(attr);
        if (fn) loopCancels.add(fn.node.id);
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
  if (!fnNode || !tryBody || stmts.length === 0 || (cancels.texts.size === 0 && cancels.loopCancels.size === 0)) return false;
  const cancelledHere = (ref: Node): boolean => {
    if (ref.type !== 'identifier' && ref.type !== 'attribute' && ref.type !== 'subscript') return false;
    const sites = cancels.texts.get(ref.text);
    if (ref.type === 'identifier') {
      if (sites?.some((s) => s.startIndex < tryBody.startIndex && s.startIndex >= fnNode.startIndex && s.endIndex <= fnNode.endIndex)) return true;
      return cancels.loopCancels.has(fnNode.id);
    }
    return !!sites?.length;
  };
  // Texts cancelled earlier in this function, for arguments built from them (`*[t for t in tasks]`).
  const earlier = [...cancels.texts].filter(([, sites]) => sites.some((s) => s.startIndex < tryBody.startIndex && s.startIndex >= fnNode.startIndex)).map(([text]) => text);
  const waitsForCancelled = (s: Node): boolean => {
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
        return !!ref && (cancelledHere(ref) || earlier.some((c) => a.text.includes(c)));
      });
    }
    return false;
  };
  // Statements that do not await (a log line) cannot be where the cancellation lands.
  const awaiting = stmts.filter((s) => hasCheckpoint(s));
  return awaiting.length > 0 && awaiting.every(waitsForCancelled) && ctx.scope.isAsyncContext(tryBody);
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

/** A handler that calls `uncancel()` deals with the cancellation on purpose. */
function uncancels(handler: Node): boolean {
  return handler.text.includes('uncancel') && nodesOfType(handler, 'attribute').some((a) => a.childForFieldName('attribute')?.text === 'uncancel');
}

export function checkSwallowedCancellation(ctx: PythonRuleContext): void {
  let cancels: Cancels | undefined;
  for (const tryNode of nodesOfType(ctx.tree.rootNode, 'try_statement')) {
    if (!ctx.scope.isAsyncContext(tryNode)) continue;
    const body = tryNode.childForFieldName('body');
    const fn = ctx.scope.enclosingFunction(tryNode);
    const fnName = fn?.name ?? '?';
    const clauses = tryNode.namedChildren.filter((c): c is Node => c !== null && c.type === 'except_clause');
    // Walked on first need: most handlers catch something else than CancelledError.
    let checkpoint: boolean | undefined;
    const bodyAwaits = () => (checkpoint ??= body ? hasCheckpoint(body) : false);
    for (const clause of clauses) {
      const kind = caughtKind(ctx, clause);
      if (!kind) continue;
      const handler = clause.namedChildren.find((c) => c?.type === 'block') ?? null;
      // A handler that raises (anything) on some path lets the task end with an error.
      if (!handler || statementsIn(handler, 'raise_statement').length > 0) continue;
      if (!bodyAwaits()) continue;
      if (raisesAfter(tryNode)) continue;
      if (handsOff(clause, handler)) continue;
      if (kind === 'cancelled' && (uncancels(handler) || awaitsTaskItCancelled(ctx, (cancels ??= cancelsIn(ctx)), body, fn?.node))) continue;
      // An earlier `except CancelledError: raise` already lets cancellation through.
      if (kind !== 'cancelled' && clauses.slice(0, clauses.indexOf(clause)).some((c) => caughtKind(ctx, c) === 'cancelled')) continue;
      const what = kind === 'cancelled' ? 'CancelledError is caught' : kind === 'base' ? '`except BaseException` catches CancelledError' : 'A bare `except:` catches CancelledError';
      ctx.report({
        message: `${what} without re-raising it in async function '${fnName}': the task can no longer be cancelled (timeouts, TaskGroup and shutdown stop working)`,
        range: { start: ctx.rangeOf(clause).start, end: ctx.rangeOf(handler).start },
        anchors: ['ASYNC103'],
        ...fixFor(ctx, clause, handler, kind),
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
      return (call.childForFieldName('arguments')?.namedChildren ?? []).some((a) => !!a && (a.type === 'identifier' || a.type === 'attribute') && catches(ctx.scope.resolve(a)) !== undefined);
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

function fixFor(ctx: PythonRuleContext, clause: Node, handler: Node, kind: Caught): { fix?: Fix } {
  const stmts = statements(handler);
  const last = stmts[stmts.length - 1];
  const clauseLine = ctx.lines.lineText(clause.startPosition.row);
  const clauseIndent = /^[ \t]*/.exec(clauseLine)![0];
  if (clauseIndent.length !== clause.startPosition.column) return {};
  if (kind === 'cancelled') {
    if (!last) return {};
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
  // bare except / BaseException: let cancellation through first, keep the handler for the rest.
  const alias = moduleAlias(ctx, 'asyncio', clause);
  if (alias === null) return {};
  const asyncio = alias ?? 'asyncio';
  const firstInHandler = stmts[0];
  const innerIndent = firstInHandler ? /^[ \t]*/.exec(ctx.lines.lineText(firstInHandler.startPosition.row))![0] : `${clauseIndent}    `;
  const eol = ctx.lines.eol(clause.startPosition.row);
  const at = { line: clause.startPosition.row, character: 0 };
  const edits = [{ range: { start: at, end: at }, newText: `${clauseIndent}except ${asyncio}.CancelledError:${eol}${innerIndent}raise${eol}` }];
  if (alias === undefined) edits.push(addImportEdit(ctx, 'import asyncio'));
  return { fix: { title: 'Let CancelledError through before this handler', safe: true, edits } };
}
