/**
 * Browser extension APIs (Manifest V3): the global `chrome`/`browser` objects and
 * webextension-polyfill's `browser`, known by shape so that plain JavaScript without
 * @types/chrome is analysed as if it were typed.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { TsRuleContext } from './context';
import { nearestAbove, readJsonIn } from './util';

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
  if (!ctx.imports.isGlobalReference(n)) {
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

const STORAGE = ['get', 'set', 'remove', 'clear', 'getBytesInUse', 'getKeys', 'setAccessLevel'];

/**
 * The methods of Manifest V3's `chrome.*` (and Firefox's `browser.*`) that return a promise when
 * called without their callback, by namespace. Not the synchronous ones (`runtime.getURL`,
 * `i18n.getMessage`, `contextMenus.create`, which returns the item's id, `downloads.open`...).
 */
const PROMISE_METHODS: Record<string, Set<string>> = {
  'storage.local': new Set(STORAGE),
  'storage.sync': new Set(STORAGE),
  'storage.session': new Set(STORAGE),
  'storage.managed': new Set(STORAGE),
  tabs: new Set(['query', 'create', 'update', 'remove', 'reload', 'sendMessage', 'get', 'getCurrent', 'duplicate', 'move', 'highlight', 'group', 'ungroup', 'discard', 'captureVisibleTab', 'detectLanguage', 'goBack', 'goForward', 'setZoom', 'getZoom', 'setZoomSettings', 'executeScript', 'insertCSS', 'removeCSS']),
  runtime: new Set(['sendMessage', 'sendNativeMessage', 'openOptionsPage', 'setUninstallURL', 'getPlatformInfo', 'getContexts', 'requestUpdateCheck', 'getBackgroundPage']),
  scripting: new Set(['executeScript', 'insertCSS', 'removeCSS', 'registerContentScripts', 'unregisterContentScripts', 'getRegisteredContentScripts', 'updateContentScripts']),
  action: new Set(['setBadgeText', 'setBadgeBackgroundColor', 'setBadgeTextColor', 'setIcon', 'setTitle', 'setPopup', 'enable', 'disable', 'getBadgeText', 'getTitle', 'getPopup', 'openPopup', 'getUserSettings', 'isEnabled']),
  browserAction: new Set(['setBadgeText', 'setBadgeBackgroundColor', 'setIcon', 'setTitle', 'setPopup', 'enable', 'disable', 'getBadgeText', 'getTitle', 'getPopup', 'openPopup']),
  alarms: new Set(['create', 'clear', 'clearAll', 'get', 'getAll']),
  notifications: new Set(['create', 'update', 'clear', 'getAll', 'getPermissionLevel']),
  windows: new Set(['create', 'update', 'remove', 'get', 'getAll', 'getCurrent', 'getLastFocused']),
  contextMenus: new Set(['update', 'remove', 'removeAll']),
  downloads: new Set(['download', 'search', 'pause', 'resume', 'cancel', 'erase', 'removeFile', 'getFileIcon']),
  offscreen: new Set(['createDocument', 'closeDocument', 'hasDocument']),
  sidePanel: new Set(['setOptions', 'getOptions', 'setPanelBehavior', 'getPanelBehavior', 'open']),
  declarativeNetRequest: new Set(['updateDynamicRules', 'updateSessionRules', 'getDynamicRules', 'getSessionRules', 'updateEnabledRulesets', 'getEnabledRulesets', 'updateStaticRules', 'setExtensionActionOptions', 'isRegexSupported', 'getMatchedRules', 'getAvailableStaticRuleCount']),
  permissions: new Set(['request', 'remove', 'contains', 'getAll']),
  cookies: new Set(['get', 'getAll', 'set', 'remove', 'getAllCookieStores']),
  bookmarks: new Set(['get', 'getTree', 'getChildren', 'getRecent', 'getSubTree', 'search', 'create', 'move', 'update', 'remove', 'removeTree']),
  history: new Set(['search', 'getVisits', 'addUrl', 'deleteUrl', 'deleteRange', 'deleteAll']),
  identity: new Set(['getAuthToken', 'removeCachedAuthToken', 'launchWebAuthFlow', 'clearAllCachedAuthTokens', 'getProfileUserInfo']),
  i18n: new Set(['detectLanguage', 'getAcceptLanguages']),
  idle: new Set(['queryState']),
  tabGroups: new Set(['get', 'query', 'update', 'move']),
  webNavigation: new Set(['getFrame', 'getAllFrames']),
  management: new Set(['getAll', 'get', 'getSelf', 'setEnabled', 'uninstall', 'uninstallSelf']),
  commands: new Set(['getAll']),
  sessions: new Set(['getRecentlyClosed', 'restore', 'getDevices']),
  topSites: new Set(['get']),
  userScripts: new Set(['register', 'unregister', 'update', 'getScripts', 'configureWorld', 'resetWorldConfiguration']),
};

const CALLBACK_NAME = /^(cb|callback|\w+Callback|done|next|resolve|reject|respond|reply|sendResponse|listener|handler|fn|on[A-Z]\w*|handle[A-Z]\w*)$/;

/**
 * Whether a call gives a promise as a browser extension's promise API, known by name for code
 * analysed without @types/chrome (`chrome.storage.local.set({ key })`, `chrome.tabs.sendMessage(id, msg)`):
 * a method of the table above called without a callback. A last argument that is a function (inline,
 * declared in the file, or named like one: `callback`, `sendResponse`, `onTabs`) is taken for the
 * callback: that form returns nothing.
 */
export function extensionPromiseApi(ctx: TsRuleContext, call: TSESTree.CallExpression): boolean {
  const names = extensionPath(ctx, call.callee);
  if (!names || names.length < 2) return false;
  const method = names[names.length - 1];
  if (!PROMISE_METHODS[names.slice(0, -1).join('.')]?.has(method)) return false;
  // Manifest V2's `chrome.*` takes callbacks only: called without one, it returns nothing.
  if (rootName(call.callee) === 'chrome' && manifestVersion(ctx.filePath) === 2) return false;
  const last = call.arguments[call.arguments.length - 1];
  if (!last) return true;
  if (last.type === 'SpreadElement') return false;
  const e = unwrap(last);
  if (e.type === 'ArrowFunctionExpression' || e.type === 'FunctionExpression') return false;
  if (e.type !== 'Identifier' && e.type !== 'MemberExpression') return true;
  const name = e.type === 'Identifier' ? e.name : !e.computed && e.property.type === 'Identifier' ? e.property.name : undefined;
  if (name && CALLBACK_NAME.test(name)) return false;
  const declared = e.type === 'Identifier' ? declaredValue(ctx, e.name) : undefined;
  if (declared === 'function') return false;
  if (declared === 'value') return true;
  // A name of unknown kind (a parameter, an import): data, unless named like a callback.
  return true;
}

function rootName(node: Node): string | undefined {
  let n = unwrap(node);
  while (n.type === 'MemberExpression') n = unwrap(n.object);
  return n.type === 'Identifier' ? n.name : undefined;
}

const manifests = new Map<string, number>();

/** Forgets what the manifest.json files said (one was edited, added or deleted). */
export function forgetManifests(): void {
  manifests.clear();
}

/** The `manifest_version` of the nearest extension manifest above the file (0: none). */
function manifestVersion(filePath: string): number {
  return nearestAbove(
    filePath,
    manifests,
    (dir) => {
      const doc = readJsonIn(dir, 'manifest.json');
      if (doc === undefined) return undefined;
      // A web app manifest has no version: keep looking above it.
      const version = doc && typeof doc === 'object' ? (doc as { manifest_version?: unknown }).manifest_version : undefined;
      return typeof version === 'number' ? version : undefined;
    },
    0,
  );
}

/** Whether a name is declared at the top of the file as a function or as another value. */
function declaredValue(ctx: TsRuleContext, name: string): 'function' | 'value' | undefined {
  for (const st of ctx.ast.body) {
    const d = (st.type === 'ExportNamedDeclaration' || st.type === 'ExportDefaultDeclaration') && st.declaration ? st.declaration : st;
    if (d.type === 'FunctionDeclaration' && d.id?.name === name) return 'function';
    if (d.type !== 'VariableDeclaration') continue;
    for (const v of d.declarations) {
      if (v.id.type !== 'Identifier' || v.id.name !== name) continue;
      const init = v.init ? unwrap(v.init) : undefined;
      return init && (init.type === 'ArrowFunctionExpression' || init.type === 'FunctionExpression') ? 'function' : 'value';
    }
  }
  return undefined;
}
