/**
 * Browser automation and scraping libraries: Puppeteer, Playwright (the library, not the test
 * runner, see testFrameworkApis.ts) and Crawlee. What an expression holds is told by where it comes
 * from, so that code analysed without the libraries' types (plain JavaScript, a checkout without
 * `node_modules`) is still understood:
 *
 * - a browser from `puppeteer.launch()` / `connect()` or `chromium.launch()` (`firefox`, `webkit`,
 *   `connect()`, `connectOverCDP()`), a context from `launchPersistentContext()` or `browser.newContext()`,
 *   a page from `browser.newPage()` / `context.newPage()`, a locator from `page.locator(...)`,
 *   `getByRole(...)` and the like;
 * - a variable declared (or first assigned) with one, `this.browser` assigned one in its class, a
 *   parameter typed with the library's type (`page: Page`), or one every call of its function in
 *   the file passes such an object;
 * - the route a `page.route(pattern, (route) => ...)` handler gets, the request a `page.on('request',
 *   (req) => ...)` listener gets, and what a Crawlee request handler destructures (`{ page,
 *   enqueueLinks, pushData }`); a crawler made with `new PlaywrightCrawler(...)` and the like.
 *
 * With types, the checker's answer (a `Page` of `puppeteer-core`, a `Browser` of `playwright-core`)
 * counts first.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import * as ts from 'typescript';
import type { TsRuleContext } from './context';
import { memberName } from './imports';
import { enclosingClass, isFunction, isLoop, memberPropertyName as propertyOf, unwrapTypeOnly, visit, type FunctionNode } from './util';

type Node = TSESTree.Node;

export type AutomationKind = 'browser' | 'context' | 'page' | 'locator' | 'input' | 'route' | 'request' | 'crawler' | 'crawling-context';

const PUPPETEER_MODULES = /^(puppeteer|puppeteer-core|puppeteer-extra)$/;
const PLAYWRIGHT_MODULES = /^(playwright|playwright-core|playwright-chromium|playwright-firefox|playwright-webkit|@playwright\/test)$/;
const CRAWLEE_MODULES = /^(crawlee|@crawlee\/[\w-]+|apify)$/;
const MODULES = /puppeteer|playwright|crawlee|apify/;

/** Methods that give a promise, by the kind of their receiver. */
const ASYNC_METHODS: Record<AutomationKind, ReadonlySet<string>> = {
  browser: new Set(['close', 'newPage', 'newContext', 'createBrowserContext', 'createIncognitoBrowserContext', 'disconnect', 'userAgent', 'startTracing', 'stopTracing', 'newBrowserCDPSession']),
  context: new Set([
    'newPage', 'close', 'addCookies', 'cookies', 'clearCookies', 'grantPermissions', 'clearPermissions', 'overridePermissions', 'setExtraHTTPHeaders',
    'setGeolocation', 'setOffline', 'setHTTPCredentials', 'addInitScript', 'exposeBinding', 'exposeFunction', 'route', 'unroute', 'unrouteAll', 'storageState',
    'waitForEvent', 'newCDPSession', 'routeFromHAR',
  ]),
  page: new Set([
    'goto', 'reload', 'goBack', 'goForward', 'close', 'click', 'dblclick', 'fill', 'type', 'press', 'check', 'uncheck', 'setChecked', 'hover', 'tap', 'focus',
    'select', 'selectOption', 'setInputFiles', 'dragAndDrop', 'dispatchEvent', 'waitForSelector', 'waitForURL', 'waitForLoadState', 'waitForTimeout',
    'waitForResponse', 'waitForRequest', 'waitForEvent', 'waitForFunction', 'waitForNavigation', 'waitForNetworkIdle', 'waitForFrame', 'waitForXPath',
    'evaluate', 'evaluateHandle', 'evaluateOnNewDocument', 'screenshot', 'pdf', 'content', 'title', 'setContent', 'setViewportSize', 'setViewport',
    'route', 'unroute', 'unrouteAll', 'emulate', 'emulateMedia', 'emulateMediaType', 'addInitScript', 'exposeFunction', 'exposeBinding', 'bringToFront',
    'setExtraHTTPHeaders', 'setUserAgent', 'setCookie', 'cookies', 'deleteCookie', 'setRequestInterception', 'authenticate', 'setJavaScriptEnabled',
    'setBypassCSP', 'setCacheEnabled', 'setGeolocation', 'addScriptTag', 'addStyleTag', 'pause', '$', '$$', '$eval', '$$eval', '$x', 'textContent',
    'innerText', 'innerHTML', 'getAttribute', 'inputValue', 'isVisible', 'isHidden', 'isEnabled', 'isDisabled', 'isChecked', 'isEditable', 'createCDPSession',
    'metrics', 'queryObjects', 'removeExposedFunction', 'removeScriptToEvaluateOnNewDocument', 'routeFromHAR', 'requestGC',
  ]),
  locator: new Set([
    'click', 'dblclick', 'fill', 'type', 'pressSequentially', 'press', 'check', 'uncheck', 'setChecked', 'hover', 'tap', 'focus', 'blur', 'clear',
    'selectOption', 'selectText', 'setInputFiles', 'dragTo', 'dispatchEvent', 'scrollIntoViewIfNeeded', 'waitFor', 'screenshot', 'highlight', 'evaluate',
    'evaluateAll', 'evaluateHandle', 'textContent', 'innerText', 'innerHTML', 'getAttribute', 'inputValue', 'isVisible', 'isHidden', 'isEnabled',
    'isDisabled', 'isChecked', 'isEditable', 'count', 'allTextContents', 'allInnerTexts', 'all', 'boundingBox', 'elementHandle', 'elementHandles',
    'ariaSnapshot', 'scroll', 'wait', 'waitHandle',
  ]),
  // `page.keyboard`, `page.mouse`, `page.touchscreen`: every method returns a promise.
  input: new Set(),
  route: new Set(['fulfill', 'continue', 'abort', 'fallback', 'fetch']),
  // Puppeteer's intercepted request (`page.on('request', (req) => req.continue())`).
  request: new Set(['continue', 'abort', 'respond']),
  crawler: new Set(['run', 'addRequests', 'getData', 'exportData', 'pushData', 'teardown', 'getRequestQueue', 'getDataset', 'useState']),
  'crawling-context': new Set([
    'enqueueLinks', 'pushData', 'addRequests', 'sendRequest', 'parseWithCheerio', 'infiniteScroll', 'saveSnapshot', 'enqueueLinksByClickingElements',
    'waitForSelector', 'blockRequests', 'injectJQuery', 'injectFile', 'getKeyValueStore', 'useState', 'closeCookieModals', 'handleCloudflareChallenge',
  ]),
};

/** Methods that give a locator (synchronously). */
const LOCATOR_STEPS = new Set([
  'locator', 'getByRole', 'getByText', 'getByLabel', 'getByPlaceholder', 'getByAltText', 'getByTitle', 'getByTestId', 'first', 'last', 'nth', 'filter', 'and', 'or',
  'frameLocator', 'contentFrame', 'setTimeout',
]);
/** Static promise APIs of Crawlee's storages (`Dataset.pushData(item)`, `KeyValueStore.setValue(key, v)`). */
const CRAWLEE_STATICS = /^(Dataset\.(pushData|open|getData|exportToJSON|exportToCSV|forEach|map|reduce|drop)|KeyValueStore\.(open|getValue|setValue|getInput|recordExists|getAutoSavedValue)|RequestQueue\.open|RequestList\.open|Actor\.(init|exit|pushData|setValue|getValue|getInput|openDataset|openKeyValueStore|openRequestQueue|fail|main))$/;
/** Options of a crawler that take a function run per request, given the crawling context. */
const HANDLER_OPTIONS = /^(requestHandler|failedRequestHandler|errorHandler|handlePageFunction|handleFailedRequestFunction)$/;
const HOOK_OPTIONS = /^(preNavigationHooks|postNavigationHooks)$/;

/** Type names the libraries give, by kind. */
const TYPE_KINDS: Record<string, AutomationKind> = {
  Browser: 'browser', BrowserContext: 'context', Page: 'page', Frame: 'page', Locator: 'locator', FrameLocator: 'locator', Keyboard: 'input',
  Mouse: 'input', Touchscreen: 'input', Route: 'route', HTTPRequest: 'request',
};

/** Whether the file can use one of these libraries at all (a cheap check before the work). */
export function mentionsAutomation(ctx: TsRuleContext): boolean {
  return MODULES.test(ctx.text);
}

const caches = new WeakMap<TSESTree.Program, Map<Node, AutomationKind | null>>();
const paramCaches = new WeakMap<TSESTree.Program, Map<Node, AutomationKind | null>>();

/** What a Puppeteer, Playwright or Crawlee expression holds (see the module comment), if known. */
export function automationKind(ctx: TsRuleContext, expr: Node, depth = 0): AutomationKind | undefined {
  if (depth > 24 || !mentionsAutomation(ctx)) return undefined;
  let cache = caches.get(ctx.ast);
  if (!cache) caches.set(ctx.ast, (cache = new Map()));
  const known = cache.get(expr);
  if (known !== undefined) return known ?? undefined;
  cache.set(expr, null); // a cycle (`a = b; b = a`) says nothing
  const kind = typedKind(ctx, expr) ?? syntacticKind(ctx, expr, depth);
  cache.set(expr, kind ?? null);
  return kind;
}

function unwrap(node: Node): Node {
  let n = unwrapTypeOnly(node);
  while (n.type === 'AwaitExpression' || n.type === 'ChainExpression' || n.type === 'TSNonNullExpression') n = n.type === 'AwaitExpression' ? n.argument : n.expression;
  return n;
}

/** With types: the library's own type (declared in its package). */
function typedKind(ctx: TsRuleContext, expr: Node): AutomationKind | undefined {
  const s = ctx.types();
  const tsNode = s?.tsNodeFor(expr);
  if (!s || !tsNode) return undefined;
  let type = s.checker.getTypeAtLocation(tsNode);
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return undefined;
  type = s.checker.getAwaitedType(type) ?? type;
  for (const part of type.isUnion() ? type.types : [type]) {
    const symbol = part.getSymbol() ?? part.aliasSymbol;
    const kind = symbol && TYPE_KINDS[symbol.getName()];
    if (!kind) continue;
    // Declared in the package, or in a `declare module 'puppeteer-core'`.
    if (/^"(puppeteer|puppeteer-core|playwright|playwright-core|@playwright\/test)"\./.test(s.checker.getFullyQualifiedName(symbol))) return kind;
    if ((symbol.declarations ?? []).some((d) => /[\\/](puppeteer-core|puppeteer|playwright-core|playwright)[\\/]/.test(d.getSourceFile().fileName))) return kind;
  }
  return undefined;
}

/** `puppeteer.launch()`, `chromium.launch()`, `new PlaywrightCrawler(...)`: what a library call makes. */
function madeByModule(ctx: TsRuleContext, node: Node): AutomationKind | undefined {
  if (node.type !== 'CallExpression' && node.type !== 'NewExpression') return undefined;
  const m = ctx.imports.resolve(unwrapTypeOnly(node.callee));
  if (!m) return undefined;
  const p = memberName(m).replace(/^default\./, '');
  if (node.type === 'NewExpression') return CRAWLEE_MODULES.test(m.module) && /^\w*Crawler$/.test(p) ? 'crawler' : undefined;
  if (PUPPETEER_MODULES.test(m.module)) return p === 'launch' || p === 'connect' ? 'browser' : undefined;
  if (PLAYWRIGHT_MODULES.test(m.module)) {
    const [type, method, ...rest] = p.split('.');
    if (rest.length || !/^(chromium|firefox|webkit)$/.test(type)) return undefined;
    if (method === 'launch' || method === 'connect' || method === 'connectOverCDP') return 'browser';
    if (method === 'launchPersistentContext') return 'context';
  }
  return undefined;
}

/** A type annotation naming one of the libraries' types (`page: Page` with `import type { Page } from 'puppeteer'`). */
function annotatedKind(ctx: TsRuleContext, annotation: TSESTree.TypeNode | undefined): AutomationKind | undefined {
  if (annotation?.type !== 'TSTypeReference' || annotation.typeName.type !== 'Identifier') return undefined;
  const m = ctx.imports.resolve(annotation.typeName);
  if (!m || !(PUPPETEER_MODULES.test(m.module) || PLAYWRIGHT_MODULES.test(m.module))) return undefined;
  return TYPE_KINDS[memberName(m)];
}

function syntacticKind(ctx: TsRuleContext, expr: Node, depth: number): AutomationKind | undefined {
  const e = unwrap(expr);
  const made = madeByModule(ctx, e);
  if (made) return made;
  if (e.type === 'CallExpression') {
    const callee = unwrapTypeOnly(e.callee);
    const method = propertyOf(callee);
    if (!method || callee.type !== 'MemberExpression') return undefined;
    const receiver = automationKind(ctx, callee.object, depth + 1);
    if (receiver === 'browser') return method === 'newPage' ? 'page' : /^(newContext|createBrowserContext|createIncognitoBrowserContext|defaultBrowserContext)$/.test(method) ? 'context' : undefined;
    if (receiver === 'context') return method === 'newPage' ? 'page' : undefined;
    if (receiver === 'page' || receiver === 'locator') return LOCATOR_STEPS.has(method) ? 'locator' : method === 'mainFrame' ? 'page' : undefined;
    return undefined;
  }
  if (e.type === 'MemberExpression') {
    const name = propertyOf(e);
    if (!name) return undefined;
    const object = unwrap(e.object);
    // `this.browser`, `this.page`: what the class assigns it.
    if (object.type === 'ThisExpression') return classMemberKind(ctx, e, name, depth);
    const owner = automationKind(ctx, object, depth + 1);
    if (owner === 'page' && /^(keyboard|mouse|touchscreen)$/.test(name)) return 'input';
    if (owner === 'crawling-context') return name === 'page' ? 'page' : undefined;
    return undefined;
  }
  if (e.type === 'Identifier') return identifierKind(ctx, e, depth);
  return undefined;
}

/** What `this.name` holds: the kinds the class's assignments give it (`this.browser = await puppeteer.launch()`), or its declared type. */
function classMemberKind(ctx: TsRuleContext, member: TSESTree.MemberExpression, name: string, depth: number): AutomationKind | undefined {
  const cls = enclosingClass(member);
  if (!cls) return undefined;
  let kind: AutomationKind | undefined;
  visit(cls.body, (n) => {
    if (kind) return;
    if (n.type === 'PropertyDefinition' && !n.computed && n.key.type === 'Identifier' && n.key.name === name) {
      kind = annotatedKind(ctx, n.typeAnnotation?.typeAnnotation) ?? (n.value ? automationKind(ctx, n.value, depth + 1) : undefined);
    }
    if (n.type === 'AssignmentExpression' && n.operator === '=' && n.left.type === 'MemberExpression' && unwrap(n.left.object).type === 'ThisExpression' && propertyOf(n.left) === name) {
      kind = automationKind(ctx, n.right, depth + 1);
    }
  });
  return kind;
}

/** The declaration a name refers to where it is read: a variable of a block or the program, or a parameter. */
export function declarationOf(id: TSESTree.Identifier): { declarator?: TSESTree.VariableDeclarator; param?: Node; fn?: FunctionNode; scope: Node } | undefined {
  for (let n: Node | undefined = id.parent; n; n = n.parent) {
    if (isFunction(n)) {
      for (const p of n.params) {
        const found = paramBinding(p, id.name);
        if (found) return { param: found, fn: n, scope: n };
      }
      continue;
    }
    if (n.type !== 'BlockStatement' && n.type !== 'Program' && n.type !== 'StaticBlock') continue;
    for (const st of n.body) {
      const decl = st.type === 'ExportNamedDeclaration' && st.declaration ? st.declaration : st;
      if (decl.type !== 'VariableDeclaration') continue;
      for (const d of decl.declarations) if (d.id.type === 'Identifier' && d.id.name === id.name) return { declarator: d, scope: n };
    }
  }
  return undefined;
}

/** The node binding `name` in a parameter: the parameter itself, or a property of a destructuring. */
function paramBinding(p: Node, name: string): Node | undefined {
  if (p.type === 'Identifier') return p.name === name ? p : undefined;
  if (p.type === 'AssignmentPattern') return paramBinding(p.left, name);
  if (p.type === 'TSParameterProperty') return paramBinding(p.parameter, name);
  if (p.type === 'ObjectPattern') {
    for (const q of p.properties) {
      if (q.type === 'Property' && (paramBinding(q.value, name))) return q;
    }
  }
  return undefined;
}

function identifierKind(ctx: TsRuleContext, id: TSESTree.Identifier, depth: number): AutomationKind | undefined {
  const decl = declarationOf(id);
  if (!decl) return undefined;
  if (decl.declarator) {
    if (decl.declarator.init) return automationKind(ctx, decl.declarator.init, depth + 1);
    // `let browser;` then `browser = await puppeteer.launch()`: what an assignment in its scope gives.
    let kind: AutomationKind | undefined;
    visit(decl.scope, (n) => {
      if (!kind && n.type === 'AssignmentExpression' && n.operator === '=' && n.left.type === 'Identifier' && n.left.name === id.name) kind = automationKind(ctx, n.right, depth + 1);
    });
    return kind;
  }
  // The parameter's kind is the same at every use: worked out once (it may look at every call of the function).
  const param = decl.param!;
  let cache = paramCaches.get(ctx.ast);
  if (!cache) paramCaches.set(ctx.ast, (cache = new Map()));
  const known = cache.get(param);
  if (known !== undefined) return known ?? undefined;
  cache.set(param, null);
  const kind = paramKind(ctx, decl.fn!, param, depth);
  cache.set(param, kind ?? null);
  return kind;
}

function paramKind(ctx: TsRuleContext, fn: FunctionNode, param: Node, depth: number): AutomationKind | undefined {
  const index = fn.params.findIndex((p) => p === param || (p.range[0] <= param.range[0] && param.range[1] <= p.range[1]));
  if (param.type === 'Property') {
    // `async requestHandler({ page, enqueueLinks })` of a crawler: the crawling context's members.
    if (index !== 0 || !crawleeHandler(ctx, fn)) return undefined;
    const key = param.key.type === 'Identifier' ? param.key.name : undefined;
    return key === 'page' ? 'page' : undefined;
  }
  if (param.type !== 'Identifier') return undefined;
  const annotated = annotatedKind(ctx, param.typeAnnotation?.typeAnnotation);
  if (annotated) return annotated;
  if (index === 0 && crawleeHandler(ctx, fn)) return 'crawling-context';
  const listener = listenerOf(ctx, fn, depth);
  if (listener && index === 0) return listener;
  return argumentKind(ctx, fn, index, depth);
}

/** `page.route(pattern, (route) => ...)`: a route; `page.on('request', (req) => ...)`: a request (Puppeteer's interception). */
function listenerOf(ctx: TsRuleContext, fn: FunctionNode, depth: number): AutomationKind | undefined {
  const call = fn.parent;
  if (call?.type !== 'CallExpression' || call.arguments[1] !== fn) return undefined;
  const callee = unwrapTypeOnly(call.callee);
  const method = propertyOf(callee);
  if (callee.type !== 'MemberExpression' || !method) return undefined;
  const owner = automationKind(ctx, callee.object, depth + 1);
  if (owner !== 'page' && owner !== 'context') return undefined;
  if (method === 'route') return 'route';
  const event = call.arguments[0];
  if (/^(on|once|addListener)$/.test(method) && event?.type === 'Literal' && event.value === 'request') return 'request';
  return undefined;
}

/**
 * A function a crawler runs for each request: its `requestHandler` (or `failedRequestHandler`,
 * a navigation hook), or a handler given to a router (`router.addDefaultHandler(fn)`,
 * `router.addHandler('detail', fn)` on `createPlaywrightRouter()`).
 */
function crawleeHandler(ctx: TsRuleContext, fn: FunctionNode): boolean {
  let holder: Node = fn;
  let parent = fn.parent;
  // `preNavigationHooks: [async ({ page }) => ...]`
  if (parent?.type === 'ArrayExpression') {
    holder = parent;
    parent = parent.parent;
  }
  if (parent?.type === 'Property' || parent?.type === 'MethodDefinition') {
    const key = parent.key.type === 'Identifier' ? parent.key.name : '';
    const options = parent.parent;
    const made = options?.parent;
    if (!(holder === fn ? HANDLER_OPTIONS : HOOK_OPTIONS).test(key)) return false;
    return options?.type === 'ObjectExpression' && made?.type === 'NewExpression' && madeByModule(ctx, made) === 'crawler';
  }
  if (parent?.type === 'CallExpression' && parent.arguments.includes(fn as TSESTree.CallExpressionArgument)) {
    const callee = unwrapTypeOnly(parent.callee);
    const method = propertyOf(callee);
    if (callee.type !== 'MemberExpression' || !method || !/^(addHandler|addDefaultHandler)$/.test(method)) return false;
    return crawleeRouter(ctx, unwrap(callee.object));
  }
  return false;
}

/** `createPlaywrightRouter()`, `Router.create()` of Crawlee, or a crawler's own `crawler.router`. */
function crawleeRouter(ctx: TsRuleContext, node: Node): boolean {
  let e: Node | undefined = node;
  if (e.type === 'Identifier') {
    const decl = declarationOf(e);
    e = decl?.declarator?.init ? unwrap(decl.declarator.init) : undefined;
  }
  if (!e) return false;
  if (e.type === 'MemberExpression' && propertyOf(e) === 'router') return automationKind(ctx, e.object) === 'crawler';
  if (e.type !== 'CallExpression') return false;
  const m = ctx.imports.resolve(unwrapTypeOnly(e.callee));
  return !!m && CRAWLEE_MODULES.test(m.module) && /^(create\w*Router|Router\.create)$/.test(memberName(m));
}

/** The kind every call of `fn` in the file passes at `index` (`logConsole(page, url)` with `page` a page); none without a call. */
function argumentKind(ctx: TsRuleContext, fn: FunctionNode, index: number, depth: number): AutomationKind | undefined {
  const name = functionName(fn);
  if (!name) return undefined;
  const method = fn.parent?.type === 'MethodDefinition';
  const cls = method ? enclosingClass(fn) : undefined;
  let kind: AutomationKind | undefined;
  let mixed = false;
  visit(ctx.ast, (n) => {
    if (mixed || n.type !== 'CallExpression') return;
    const callee = unwrapTypeOnly(n.callee);
    const calls = method
      ? callee.type === 'MemberExpression' && unwrap(callee.object).type === 'ThisExpression' && propertyOf(callee) === name && enclosingClass(n) === cls
      : callee.type === 'Identifier' && callee.name === name;
    if (!calls) return;
    const arg = n.arguments[index];
    const k = arg && arg.type !== 'SpreadElement' ? automationKind(ctx, arg, depth + 1) : undefined;
    if (!k || (kind && k !== kind)) mixed = true;
    else kind = k;
  });
  return mixed ? undefined : kind;
}

/** The name a function is called by: its declaration's, its variable's, or its method's. */
export function functionName(fn: FunctionNode): string | undefined {
  if (fn.type === 'FunctionDeclaration') return fn.id?.name;
  const p = fn.parent;
  if (p?.type === 'VariableDeclarator' && p.id.type === 'Identifier') return p.id.name;
  if (p?.type === 'MethodDefinition' && !p.computed && p.key.type === 'Identifier') return p.key.name;
  return undefined;
}

/** Whether a call of one of these libraries gives a promise: `page.goto(url)`, `route.fulfill(...)`, `crawler.run()`, `enqueueLinks()`, `Dataset.pushData(item)`. */
export function automationPromise(ctx: TsRuleContext, call: TSESTree.CallExpression): boolean {
  if (!mentionsAutomation(ctx)) return false;
  const callee = unwrapTypeOnly(call.callee);
  if (callee.type === 'Identifier') {
    // `enqueueLinks()`, `pushData(item)` destructured from a crawling context.
    const decl = declarationOf(callee);
    if (decl?.param?.type !== 'Property' || decl.fn!.params[0] !== decl.param.parent || !crawleeHandler(ctx, decl.fn!)) return false;
    const key = decl.param.key.type === 'Identifier' ? decl.param.key.name : '';
    return ASYNC_METHODS['crawling-context'].has(key);
  }
  const method = propertyOf(callee);
  if (callee.type !== 'MemberExpression' || !method) return false;
  const m = ctx.imports.resolve(callee);
  if (m && CRAWLEE_MODULES.test(m.module)) return CRAWLEE_STATICS.test(memberName(m));
  const kind = automationKind(ctx, callee.object);
  if (!kind) return false;
  return kind === 'input' || ASYNC_METHODS[kind].has(method);
}

/**
 * A parameter that holds a browser, context or page for more than one call of its function: one
 * typed with the library's type (as the rules take any typed emitter parameter), or, without types,
 * one a call of the file passes a page the caller keeps (`this.page`, a module's page) or passes the
 * same page on every turn of a loop. Not a destructured one (`async ({ page }) => ...` of a test or
 * a crawler's handler gets a page of its own each time).
 */
export function longLivedAutomationParam(ctx: TsRuleContext, id: TSESTree.Identifier): boolean {
  if (!mentionsAutomation(ctx)) return false;
  const decl = declarationOf(id);
  if (decl?.param?.type !== 'Identifier' || !decl.fn) return false;
  const kind = automationKind(ctx, id);
  if (kind !== 'page' && kind !== 'context' && kind !== 'browser') return false;
  if (typedKind(ctx, id) || annotatedKind(ctx, decl.param.typeAnnotation?.typeAnnotation)) return true;
  const fn = decl.fn;
  const index = fn.params.indexOf(decl.param as TSESTree.Parameter);
  const name = functionName(fn);
  if (!name || index < 0) return false;
  const method = fn.parent?.type === 'MethodDefinition';
  const cls = method ? enclosingClass(fn) : undefined;
  let shared = false;
  visit(ctx.ast, (n) => {
    if (shared || n.type !== 'CallExpression') return;
    const callee = unwrapTypeOnly(n.callee);
    const calls = method
      ? callee.type === 'MemberExpression' && unwrap(callee.object).type === 'ThisExpression' && propertyOf(callee) === name && enclosingClass(n) === cls
      : callee.type === 'Identifier' && callee.name === name;
    const arg = calls ? n.arguments[index] : undefined;
    if (!arg || arg.type === 'SpreadElement') return;
    const a = unwrap(arg);
    if (a.type === 'MemberExpression' && unwrap(a.object).type === 'ThisExpression') shared = true;
    else if (a.type === 'Identifier') {
      const where = declarationOf(a);
      if (where?.scope.type === 'Program') shared = true;
      // `for (const url of urls) await logConsole(page, url)`: the same page on every turn.
      else for (let p: Node | undefined = n.parent; p && p !== where?.scope && !isFunction(p); p = p.parent) {
        if (isLoop(p) && !(a.range[0] >= p.range[0] && where?.declarator && where.declarator.range[0] >= p.range[0] && where.declarator.range[1] <= p.range[1])) shared = true;
      }
    }
  });
  return shared;
}
