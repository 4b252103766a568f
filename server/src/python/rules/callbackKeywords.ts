/**
 * Keyword arguments given to APIs that call a function for you and pass it only positional
 * arguments: `loop.run_in_executor(None, requests.get, url, timeout=5)`,
 * `nursery.start_soon(fetch, url, retries=3)`, `anyio.to_thread.run_sync(open, path, mode="rb")`.
 * The API itself rejects the keyword (TypeError) before the function runs; functools.partial
 * binds it to the function instead.
 */
import type { Fix } from '../../engine/types';
import { type AwaitableResolver, awaitablesOf } from '../awaitables';
import type { PythonRuleContext } from '../context';
import type { SyntaxNode as Node } from '../syntax';
import { callArguments, importsFrom, moduleAlias, moduleAt, nodesOfType } from '../util';

/** An API's own keywords, and where its function argument sits among the positional ones. */
interface Runner {
  own: readonly string[];
  functionAt: number;
}

/** Event-loop methods (on a receiver known to be an asyncio loop). */
const LOOP_METHODS: Readonly<Record<string, Runner>> = {
  run_in_executor: { own: [], functionAt: 1 },
  call_soon: { own: ['context'], functionAt: 0 },
  call_soon_threadsafe: { own: ['context'], functionAt: 0 },
  call_later: { own: ['context'], functionAt: 1 },
  call_at: { own: ['context'], functionAt: 1 },
  add_signal_handler: { own: [], functionAt: 1 },
  add_reader: { own: [], functionAt: 1 },
  add_writer: { own: [], functionAt: 1 },
};

/** Nursery and task-group methods. */
const SPAWN_METHODS: Readonly<Record<string, Runner>> = {
  start_soon: { own: ['name'], functionAt: 0 },
  start: { own: ['name'], functionAt: 0 },
};

/** Functions of trio and anyio, by qualified name. */
const RUNNER_FUNCTIONS: Readonly<Record<string, Runner>> = {
  'trio.to_thread.run_sync': { own: ['thread_name', 'abandon_on_cancel', 'cancellable', 'limiter'], functionAt: 0 },
  'anyio.to_thread.run_sync': { own: ['abandon_on_cancel', 'cancellable', 'limiter'], functionAt: 0 },
  'trio.from_thread.run': { own: ['trio_token'], functionAt: 0 },
  'trio.from_thread.run_sync': { own: ['trio_token'], functionAt: 0 },
  'anyio.from_thread.run': { own: ['token'], functionAt: 0 },
  'anyio.from_thread.run_sync': { own: ['token'], functionAt: 0 },
  'trio.run': { own: ['clock', 'instruments', 'restrict_keyboard_interrupt_to_checkpoints', 'strict_exception_groups'], functionAt: 0 },
  'anyio.run': { own: ['backend', 'backend_options'], functionAt: 0 },
};

const NURSERIES = new Set(['trio.Nursery', 'anyio.abc.TaskGroup']);
const MENTION = /\b(run_in_executor|call_soon|call_soon_threadsafe|call_later|call_at|add_signal_handler|add_reader|add_writer|start_soon|start|run_sync|run)\(/;

export function checkCallbackKeywords(ctx: PythonRuleContext, isLoop: (receiver: Node) => boolean): void {
  if (!MENTION.test(ctx.text)) return;
  let resolver: AwaitableResolver | undefined;
  const structured = importsFrom(ctx, 'trio') || importsFrom(ctx, 'anyio');
  for (const call of nodesOfType(ctx.tree.rootNode, 'call')) {
    const args = callArguments(call);
    if (!args.some((a) => a.type === 'keyword_argument')) continue;
    const fn = call.childForFieldName('function');
    if (!fn) continue;
    let runner: Runner | undefined;
    let shown: string;
    const method = fn.type === 'attribute' ? fn.childForFieldName('attribute')?.text ?? '' : '';
    const qualified = fn.type === 'attribute' || fn.type === 'identifier' ? ctx.scope.resolve(fn)?.name : undefined;
    if (qualified && RUNNER_FUNCTIONS[qualified]) {
      runner = RUNNER_FUNCTIONS[qualified];
      shown = qualified;
    } else if (Object.hasOwn(LOOP_METHODS, method)) {
      const receiver = fn.childForFieldName('object');
      if (!receiver || !isLoop(receiver)) continue;
      runner = LOOP_METHODS[method];
      shown = `loop.${method}`;
    } else if (Object.hasOwn(SPAWN_METHODS, method) && structured) {
      const receiver = fn.childForFieldName('object');
      const cls = receiver ? (resolver ??= awaitablesOf(ctx)).classOfReceiver(receiver) : undefined;
      // A known nursery or task group; `start_soon` also on a receiver of unknown class (a
      // nursery handed in as a parameter or by a fixture), as the coroutine-object check does.
      const nursery = cls?.kind === 'library' && NURSERIES.has(cls.name);
      if (!nursery && (method === 'start' || cls)) continue;
      runner = SPAWN_METHODS[method];
      shown = method;
    } else continue;
    const positional = args.filter((a) => a.type !== 'keyword_argument' && a.type !== 'dictionary_splat');
    // A `*args` before the function hides where it is.
    if (positional.slice(0, runner.functionAt + 1).some((a) => a.type === 'list_splat')) continue;
    const target = positional[runner.functionAt];
    if (!target) continue;
    const foreign = args.filter((a) => a.type === 'keyword_argument' && !runner!.own.includes(a.childForFieldName('name')?.text ?? ''));
    if (!foreign.length) continue;
    const names = foreign.map((a) => `'${a.childForFieldName('name')?.text}'`).join(', ');
    ctx.report({
      message: `${shown}() passes only positional arguments to ${target.text}: the keyword${foreign.length > 1 ? 's' : ''} ${names} make${foreign.length > 1 ? '' : 's'} ${shown}() itself raise TypeError before ${target.text} runs. Bind ${foreign.length > 1 ? 'them' : 'it'} with functools.partial(${target.text}, ...)`,
      range: ctx.rangeOf(foreign[0]),
      anchors: [],
      fix: partialFix(ctx, call, target, positional.slice(runner.functionAt + 1), foreign),
    });
  }
}

/**
 * `run_in_executor(None, fetch, url, timeout=5)` → `run_in_executor(None, functools.partial(fetch, url, timeout=5))`:
 * the function, the arguments after it and the foreign keywords move into the partial, in their
 * order; the API's own keywords stay. Arguments are evaluated at the same point as before.
 */
function partialFix(ctx: PythonRuleContext, call: Node, target: Node, rest: readonly Node[], foreign: readonly Node[]): Fix | undefined {
  const moved = new Set([target, ...rest, ...foreign].map((n) => n.id));
  const args = callArguments(call);
  // Keeps the call's argument order: the moved arguments must follow one another from the function on.
  const first = args.findIndex((a) => a.id === target.id);
  const last = Math.max(...args.map((a, i) => (moved.has(a.id) ? i : -1)));
  if (args.slice(first, last + 1).some((a) => !moved.has(a.id))) return undefined;
  if (args.some((a) => a.type === 'dictionary_splat')) return undefined;
  if (ctx.text.slice(args[first].startIndex, args[last].endIndex).includes('#')) return undefined;
  // The file's own `from functools import partial` (under its local name), else `functools.partial`.
  const imported = moduleAlias(ctx, 'functools.partial', call);
  const functools = imported ? undefined : moduleAt(ctx, 'functools', call);
  const partial = imported ? { name: imported, importEdits: [] } : functools && { name: `${functools.name}.partial`, importEdits: functools.importEdits };
  if (!partial) return undefined;
  const inner = args.slice(first, last + 1).map((a) => a.text).join(', ');
  return {
    title: `Bind the arguments with ${partial.name}(...)`,
    safe: true,
    edits: [{ range: ctx.lines.range(args[first].startIndex, args[last].endIndex), newText: `${partial.name}(${inner})` }, ...partial.importEdits],
  };
}
