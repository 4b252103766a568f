/**
 * Browser extension APIs (Manifest V3): the global `chrome`/`browser` objects and
 * webextension-polyfill's `browser`, known by shape so that plain JavaScript without
 * @types/chrome is analysed as if it were typed.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { TsRuleContext } from './context';
import { shadowedAt } from './util';

type Node = TSESTree.Node;

const ROOTS = new Set(['chrome', 'browser']);
const EVENT = /^on[A-Z]\w*$/;

function unwrap(node: Node): Node {
  let n = node;
  while (n.type === 'TSNonNullExpression' || n.type === 'TSAsExpression' || n.type === 'TSSatisfiesExpression' || n.type === 'ChainExpression') n = n.expression;
  return n;
}

function propName(m: TSESTree.MemberExpression): string | undefined {
  if (!m.computed && m.property.type === 'Identifier') return m.property.name;
  return m.property.type === 'Literal' && typeof m.property.value === 'string' ? m.property.value : undefined;
}

/** `chrome.tabs.query`: the root identifier and the property names after it, when the chain is plain names. */
export function extensionPath(ctx: TsRuleContext, node: Node): string[] | undefined {
  const names: string[] = [];
  let n = unwrap(node);
  while (n.type === 'MemberExpression') {
    const name = propName(n);
    if (!name) return undefined;
    names.unshift(name);
    n = unwrap(n.object);
  }
  if (n.type !== 'Identifier' || !ROOTS.has(n.name) || names.length === 0) return undefined;
  if (ctx.imports.isDeclared(n.name) || shadowedAt(n, n.name)) {
    const imported = ctx.imports.resolve(n);
    if (imported?.module !== 'webextension-polyfill' || imported.path.length !== 0) return undefined;
  }
  return names;
}

/**
 * A browser extension's event object: `chrome.tabs.onUpdated`, `chrome.storage.local.onChanged`,
 * `browser.runtime.onMessage`. It lives as long as the extension's page or service worker;
 * `addListener(fn, filter?)` takes the handler first (the object is the event), and
 * `removeListener(fn)` removes that function.
 */
export function isExtensionEvent(ctx: TsRuleContext, node: Node): boolean {
  const path = extensionPath(ctx, node);
  return !!path && path.length >= 2 && EVENT.test(path[path.length - 1]);
}

/** The event a runtime message arrives through: `runtime.onMessage`, `onMessageExternal`, `onUserScriptMessage`, `extension.onMessage`. */
export function isMessageEvent(ctx: TsRuleContext, node: Node): boolean {
  const path = extensionPath(ctx, node);
  return !!path && path.length === 2 && (path[0] === 'runtime' || path[0] === 'extension') && /^on(Message|MessageExternal|UserScriptMessage|Request|RequestExternal)$/.test(path[1]);
}

/** `chrome.tabs.onUpdated.addListener(fn)` (or another method): the extension event it is called on. */
export function extensionEventCall(ctx: TsRuleContext, call: TSESTree.CallExpression, method: string): Node | undefined {
  const callee = unwrap(call.callee);
  if (callee.type !== 'MemberExpression' || propName(callee) !== method || !call.arguments[0] || call.arguments[0].type === 'SpreadElement') return undefined;
  return isExtensionEvent(ctx, callee.object) ? callee.object : undefined;
}
