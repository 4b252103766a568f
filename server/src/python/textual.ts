/**
 * Textual apps: their synchronous handlers run on the app's asyncio event loop, as coroutines do.
 * A blocking call there freezes the whole UI (Textual's docs send such work to `@work(thread=True)`).
 */
import type { SyntaxNode as Node } from './syntax';
import type { PythonRuleContext } from './context';
import { decoratedWith, decoratorTarget, localBaseClasses, nodesOfType } from './util';

/** Method names Textual calls on its loop: message handlers, actions, watchers, validators, compose/render. */
const LOOP_METHOD = /^(_?on_\w+|action_\w+|watch_\w+|validate_\w+|compute_\w+|compose|render|render_line)$/;
/** Methods that take a callback Textual calls on its loop (`self.set_interval(5, self.reload)`). */
const CALLBACK_TAKERS = new Set(['set_interval', 'set_timer', 'call_later', 'call_after_refresh', 'call_next']);

const textualClasses = new WeakMap<PythonRuleContext, Map<number, boolean>>();

/** Whether a class of this file derives from a Textual class (`App`, `Screen`, `Widget`, `Static`, ...), here or through its bases of the file. */
function isTextualClass(ctx: PythonRuleContext, cls: Node): boolean {
  let cache = textualClasses.get(ctx);
  if (!cache) textualClasses.set(ctx, (cache = new Map()));
  const known = cache.get(cls.id);
  if (known !== undefined) return known;
  const textual = [cls, ...localBaseClasses(ctx, cls)].some((c) =>
    (c.childForFieldName('superclasses')?.namedChildren ?? []).some((base) => {
      let head: Node | null | undefined = base;
      // `ModalScreen[bool]`: the generic class.
      if (head?.type === 'subscript') head = head.childForFieldName('value');
      if (head?.type !== 'identifier' && head?.type !== 'attribute') return false;
      return /^textual\./.test(ctx.scope.resolve(head)?.name ?? '');
    }),
  );
  cache.set(cls.id, textual);
  return textual;
}

/**
 * Under `with self.suspend():` (or `self.app.suspend()`), Textual's documented way to hand the terminal
 * to a program (`subprocess.run([editor, path])`): the app waits for it on purpose.
 */
function insideSuspend(node: Node): boolean {
  for (let n = node.parent; n && n.type !== 'function_definition'; n = n.parent) {
    if (n.type !== 'with_statement') continue;
    if (/^self(\.app)?\.suspend\(\s*\)/.test(n.namedChildren.find((c) => c?.type === 'with_clause')?.text ?? '')) return true;
  }
  return false;
}

/**
 * The synchronous method of a Textual class that `node` is directly in, when Textual runs it on its
 * event loop: a handler (`on_button_pressed`, `@on(Button.Pressed)`), an action, a watcher,
 * `compose`/`render`, or a method the class hands to `set_interval`/`set_timer`/`call_later`/...;
 * not a `@work(thread=True)` worker, which runs in a thread.
 */
export function textualLoopMethod(ctx: PythonRuleContext, node: Node): string | undefined {
  if (!ctx.text.includes('textual')) return undefined;
  if (insideSuspend(node)) return undefined;
  const fn = ctx.scope.enclosingFunction(node);
  if (!fn || fn.kind !== 'function' || fn.isAsync || fn.parent?.kind !== 'class') return undefined;
  const def = fn.node;
  const cls = fn.parent.node;
  if (def.type !== 'function_definition' || cls.type !== 'class_definition' || !isTextualClass(ctx, cls)) return undefined;
  const decorated = def.parent?.type === 'decorated_definition' ? def.parent : null;
  const decorators = (decorated?.namedChildren ?? []).filter((d): d is Node => d?.type === 'decorator');
  // A synchronous `@work` must be a thread worker (`@work(thread=True)`).
  if (decoratedWith(ctx, def, ['work'])) return undefined;
  const name = fn.name;
  if (LOOP_METHOD.test(name)) return name;
  // `@on(Button.Pressed, "#ok")`.
  if (decorators.some((d) => { const t = decoratorTarget(d); return !!t && (t.type === 'identifier' || t.type === 'attribute') && ctx.scope.resolve(t)?.name === 'textual.on'; })) return name;
  // `self.set_interval(5, self.reload)`: a callback of the class's timers.
  const handedOn = nodesOfType(cls, 'call').some((call) => {
    const callee = call.childForFieldName('function');
    const method = callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text : undefined;
    if (!method || !CALLBACK_TAKERS.has(method)) return false;
    return (call.childForFieldName('arguments')?.namedChildren ?? []).some((a) => a?.type === 'attribute' && a.text === `self.${name}`);
  });
  return handedOn ? name : undefined;
}

/** Qt's event handlers a widget overrides (`keyPressEvent`, `closeEvent`, `timerEvent`, ...). */
const QT_EVENT_HANDLER = /^[a-z]\w*Event$/;

/**
 * The synchronous slot of a Qt class that `node` is directly in, in a module running its app on
 * qasync's `QEventLoop`: such slots run inside the asyncio loop. A slot is a method the class
 * connects to a signal (`button.clicked.connect(self.on_click)`), one decorated `@Slot()`/`@pyqtSlot()`,
 * or an override of a Qt event handler or of QDialog's `accept`/`reject`/`done`; not one wrapped by
 * `@asyncSlot`/`@asyncClose`, nor one of a QThread or QRunnable, nor of a worker QObject when the module
 * moves objects to a thread (`moveToThread`).
 */
export function qasyncSlot(ctx: PythonRuleContext, node: Node): string | undefined {
  if (!/\bqasync\b/.test(ctx.text)) return undefined;
  const fn = ctx.scope.enclosingFunction(node);
  if (!fn || fn.kind !== 'function' || fn.isAsync || fn.parent?.kind !== 'class') return undefined;
  const def = fn.node;
  const cls = fn.parent.node;
  if (def.type !== 'function_definition' || cls.type !== 'class_definition') return undefined;
  const qtBases = [cls, ...localBaseClasses(ctx, cls)].flatMap((c) =>
    (c.childForFieldName('superclasses')?.namedChildren ?? []).flatMap((base) => {
      if (base?.type !== 'identifier' && base?.type !== 'attribute') return [];
      const name = ctx.scope.resolve(base)?.name ?? '';
      return /^(PyQt[56]|PySide[26]|qtpy)\./.test(name) ? [name] : [];
    }),
  );
  if (qtBases.length === 0) return undefined;
  // A QThread's `run()` and a QRunnable's run in another thread, and so do the slots of a worker
  // QObject the module moves to a QThread (`worker.moveToThread(thread)`): Qt's way to get work off the loop.
  if (qtBases.some((b) => /\.(QThread|QRunnable)$/.test(b))) return undefined;
  if (qtBases.every((b) => /\.QObject$/.test(b)) && ctx.text.includes('.moveToThread(')) return undefined;
  const name = fn.name;
  // Event handlers, and QDialog's virtual slots, which Qt calls on its (and so the loop's) thread.
  if (QT_EVENT_HANDLER.test(name) || /^(accept|reject|done)$/.test(name)) return name;
  if (decoratedWith(ctx, def, ['Slot', 'pyqtSlot'])) return name;
  const connected = nodesOfType(cls, 'call').some((call) => {
    const callee = call.childForFieldName('function');
    if (callee?.type !== 'attribute' || callee.childForFieldName('attribute')?.text !== 'connect') return false;
    return (call.childForFieldName('arguments')?.namedChildren ?? []).some((a) => a?.type === 'attribute' && a.text === `self.${name}`);
  });
  return connected ? name : undefined;
}
