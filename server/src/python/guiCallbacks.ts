/**
 * GUI toolkits that call their callbacks plainly and drop what they return: Qt's signals
 * (`button.clicked.connect(cb)`), Tkinter's `command=`, `after()` and `bind()`, Kivy's `Clock` and
 * event bindings, urwid's signals and alarms. A coroutine function given to them makes, at each
 * call, a coroutine nothing awaits; a task a lambda makes there is dropped at once.
 * Toolkits that await coroutine handlers (Toga, Textual, prompt_toolkit's key bindings, qasync's
 * `@asyncSlot`, which is no coroutine function) are not listed.
 */
import type { SyntaxNode as Node } from './syntax';
import type { PythonRuleContext } from './context';
import { callArguments, importsModule, mentions } from './util';

const QT = /^\s*(from|import)\s+(PyQt[56]|PySide[26]|qtpy)\b/m;
/** PySide6's QtAsyncio: left alone, its handling of coroutine slots has changed between releases. */
const QT_ASYNCIO = /\bQtAsyncio\b/;
const TK = /^\s*(from|import)\s+(tkinter|customtkinter|ttkbootstrap)\b/m;
const KIVY = importsModule('kivy');
const URWID = importsModule('urwid');

/** Tk widget methods that take a callback, and its position among the positional arguments. */
const TK_METHODS: ReadonlyMap<string, number> = new Map([
  ['after', 1], ['after_idle', 0], ['bind', 1], ['bind_all', 1], ['bind_class', 2], ['tag_bind', 2], ['protocol', 1], ['trace_add', 1],
]);
/** Signals commonly connected by keyword in a Qt class's constructor (`QAction(..., triggered=self.open)`). */
const QT_SIGNAL_KEYWORDS = new Set(['triggered', 'toggled', 'clicked', 'pressed', 'released', 'timeout', 'activated', 'textChanged', 'returnPressed', 'valueChanged', 'currentIndexChanged', 'stateChanged', 'finished']);
/** Kivy's `Clock` methods that take a callback first. */
const KIVY_CLOCK = new Set(['schedule_interval', 'schedule_once', 'create_trigger', 'schedule_del_safe']);

export interface GuiCallbacks {
  /** How a message names the caller: `self.button.clicked.connect()`, `Tk's command=`, ... */
  caller: string;
  /** The toolkit, for the message. */
  toolkit: 'Qt' | 'Tkinter' | 'Kivy' | 'urwid';
  /** The arguments it takes as callbacks. */
  callbacks: Node[];
}

/** Kivy's global `Clock` (`from kivy.clock import Clock`). */
function kivyClock(ctx: PythonRuleContext, receiver: Node | null): boolean {
  return !!receiver && (receiver.type === 'identifier' || receiver.type === 'attribute') && /^kivy\.clock\.Clock$/.test(ctx.scope.resolve(receiver)?.name ?? '');
}

function shown(fn: Node): string {
  return `${fn.text.replace(/\s+/g, '')}()`;
}

function positional(call: Node, index: number): Node | undefined {
  return callArguments(call).filter((a) => a.type !== 'keyword_argument' && a.type !== 'list_splat' && a.type !== 'dictionary_splat')[index];
}

function keywordValues(call: Node, names?: ReadonlySet<string>): Node[] {
  return callArguments(call).flatMap((a) => {
    if (a.type !== 'keyword_argument') return [];
    const name = a.childForFieldName('name')?.text ?? '';
    const value = a.childForFieldName('value');
    return value && (!names || names.has(name)) ? [value] : [];
  });
}

/** The callbacks `call` gives a GUI toolkit that calls them plainly, if it is such a call. */
export function guiCallbacks(ctx: PythonRuleContext, call: Node): GuiCallbacks | undefined {
  const fn = call.childForFieldName('function');
  if (!fn) return undefined;
  const method = fn.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
  const text = ctx.text;
  if (mentions(text, QT) && !QT_ASYNCIO.test(text)) {
    if (method === 'connect') {
      // `self.button.clicked.connect(cb)`, `timer.timeout.connect(cb)`: a signal is an attribute of its object.
      if (fn.childForFieldName('object')?.type !== 'attribute') return undefined;
      const cb = positional(call, 0);
      return cb ? { caller: shown(fn), toolkit: 'Qt', callbacks: [cb] } : undefined;
    }
    const qtName = fn.type === 'identifier' || fn.type === 'attribute' ? (ctx.scope.resolve(fn)?.name ?? '') : '';
    // `QTimer.singleShot(500, self.refresh)`: the last argument is the slot.
    if (/^(PyQt[56]|PySide[26]|qtpy)\.QtCore\.QTimer\.singleShot$/.test(qtName)) {
      const args = callArguments(call).filter((a) => a.type !== 'keyword_argument');
      const cb = args[args.length - 1];
      return cb && args.length >= 2 ? { caller: shown(fn), toolkit: 'Qt', callbacks: [cb] } : undefined;
    }
    // `menu.addAction("Open", self.open_file)`, `toolbar.addAction(icon, "Open", self.open_file)`: connected to `triggered`.
    if (method === 'addAction') {
      const args = callArguments(call).filter((a) => a.type !== 'keyword_argument');
      const cb = args.length >= 2 ? args[args.length - 1] : undefined;
      return cb && (cb.type === 'identifier' || cb.type === 'attribute' || cb.type === 'lambda' || cb.type === 'call') ? { caller: shown(fn), toolkit: 'Qt', callbacks: [cb] } : undefined;
    }
    // `QAction("Open", self, triggered=self.open_file)`: a Qt class's constructor connects signals given by keyword.
    if (/^(PyQt[56]|PySide[26]|qtpy)\.\w+\.Q\w+$/.test(qtName)) {
      const callbacks = keywordValues(call, QT_SIGNAL_KEYWORDS);
      if (callbacks.length > 0) return { caller: shown(fn), toolkit: 'Qt', callbacks };
    }
  }
  if (mentions(text, TK)) {
    const command = keywordValues(call, new Set(['command', 'postcommand', 'validatecommand', 'xscrollcommand', 'yscrollcommand']));
    if (command.length > 0) return { caller: `${shown(fn)} (command=)`, toolkit: 'Tkinter', callbacks: command };
    const index = method ? TK_METHODS.get(method) : undefined;
    const cb = index !== undefined ? positional(call, index) : undefined;
    if (cb) return { caller: shown(fn), toolkit: 'Tkinter', callbacks: [cb] };
  }
  if (mentions(text, KIVY)) {
    if (method && KIVY_CLOCK.has(method) && kivyClock(ctx, fn.childForFieldName('object'))) {
      const cb = positional(call, 0);
      return cb ? { caller: shown(fn), toolkit: 'Kivy', callbacks: [cb] } : undefined;
    }
    // `button.bind(on_press=self.fetch)`, `widget.fbind("on_release", cb)`.
    if (method === 'bind') {
      const callbacks = keywordValues(call);
      if (callbacks.length > 0) return { caller: shown(fn), toolkit: 'Kivy', callbacks };
    }
    if (method === 'fbind') {
      const cb = positional(call, 1);
      return cb ? { caller: shown(fn), toolkit: 'Kivy', callbacks: [cb] } : undefined;
    }
  }
  if (mentions(text, URWID)) {
    const name = fn.type === 'identifier' || fn.type === 'attribute' ? (ctx.scope.resolve(fn)?.name ?? '') : '';
    if (name === 'urwid.connect_signal') {
      const cb = positional(call, 2) ?? keywordValues(call, new Set(['callback']))[0];
      return cb ? { caller: shown(fn), toolkit: 'urwid', callbacks: [cb] } : undefined;
    }
    if (method === 'set_alarm_in' || method === 'set_alarm_at') {
      const cb = positional(call, 1);
      return cb ? { caller: shown(fn), toolkit: 'urwid', callbacks: [cb] } : undefined;
    }
    if (name === 'urwid.MainLoop' || name === 'urwid.main_loop.MainLoop') {
      const callbacks = keywordValues(call, new Set(['unhandled_input', 'input_filter']));
      if (callbacks.length > 0) return { caller: shown(fn), toolkit: 'urwid', callbacks };
    }
  }
  return undefined;
}

/** The GUI call a lambda is handed to as one of its callbacks, if any. */
export function guiCallerOfLambda(ctx: PythonRuleContext, lambda: Node): GuiCallbacks | undefined {
  let arg: Node = lambda;
  if (arg.parent?.type === 'keyword_argument') arg = arg.parent;
  const call = arg.parent?.type === 'argument_list' ? arg.parent.parent : null;
  if (call?.type !== 'call') return undefined;
  const gui = guiCallbacks(ctx, call);
  return gui?.callbacks.some((c) => c.id === lambda.id) ? gui : undefined;
}
