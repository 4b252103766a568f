/**
 * Assertions and test steps that return promises, known by their syntax, for test code analysed
 * without the frameworks' types (plain JavaScript, a checkout without `node_modules`, where
 * `expect` is typed `any`):
 * - `expect(p).resolves.<matcher>(...)` / `.rejects.<matcher>(...)` (Jest, Vitest, Bun, Playwright),
 *   Vitest's and Playwright's `expect.poll(fn).<matcher>(...)`, Vitest's `expect.element(...)`;
 * - Playwright's web-first matchers (`expect(page).toHaveURL(...)`, `expect(locator).toBeVisible()`),
 *   `toPass()`, `test.step(...)`, and the actions of the `page` a test receives (`page.goto(...)`,
 *   `page.getByRole(...).click()`);
 * - chai-as-promised (`expect(p).to.eventually.equal(1)`, `.to.be.rejectedWith(...)`,
 *   `p.should.be.fulfilled`) and Jasmine's `expectAsync(p).toBeResolved()`.
 * `expect` counts when imported from one of these frameworks (or `chai`), or when it is the global
 * of a test file; a local `expect` of the file, or one of unknown origin, says nothing.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import * as ts from 'typescript';
import type { TsRuleContext } from './context';
import type { ModuleMember } from './imports';
import { enclosingFunction, isFunction, isTestPath, patternNames, visit } from './util';

type Node = TSESTree.Node;

/** Where an `expect` comes from. `global`: the undeclared global of a test file (Jest, Vitest's globals, mocha + chai). */
type ExpectKind = 'jest' | 'playwright' | 'chai' | 'global';

const JEST_LIKE = new Set(['@jest/globals', 'vitest', 'bun:test']);
/** Playwright Test, also its component testing packages (`@playwright/experimental-ct-react`...), which export the same `test` and `expect`. */
const PLAYWRIGHT = { has: (module: string): boolean => /^(@playwright\/test|playwright\/test|@playwright\/experimental-ct-[\w-]+)$/.test(module) };

/** Playwright's matchers that retry until they pass and return a promise (its "web-first" assertions). */
const PLAYWRIGHT_ASYNC_MATCHERS = new Set([
  'toBeAttached', 'toBeChecked', 'toBeDisabled', 'toBeEditable', 'toBeEmpty', 'toBeEnabled', 'toBeFocused', 'toBeHidden',
  'toBeInViewport', 'toBeVisible', 'toContainClass', 'toContainText', 'toHaveAccessibleDescription', 'toHaveAccessibleErrorMessage',
  'toHaveAccessibleName', 'toHaveAttribute', 'toHaveClass', 'toHaveCount', 'toHaveCSS', 'toHaveId', 'toHaveJSProperty', 'toHaveRole',
  'toHaveScreenshot', 'toHaveText', 'toHaveTitle', 'toHaveURL', 'toHaveValue', 'toHaveValues', 'toMatchAriaSnapshot', 'toBeOK', 'toPass',
]);

/** Methods of a Playwright `Page` that return a promise (not `locator()`, `getBy...()`, `url()`, `on()`...). */
const PAGE_ASYNC = new Set([
  'goto', 'reload', 'goBack', 'goForward', 'close', 'click', 'dblclick', 'fill', 'type', 'press', 'check', 'uncheck', 'setChecked',
  'hover', 'tap', 'focus', 'selectOption', 'setInputFiles', 'dragAndDrop', 'dispatchEvent', 'waitForSelector', 'waitForURL',
  'waitForLoadState', 'waitForTimeout', 'waitForResponse', 'waitForRequest', 'waitForEvent', 'waitForFunction', 'evaluate',
  'evaluateHandle', 'screenshot', 'pdf', 'setContent', 'setViewportSize', 'route', 'unroute', 'emulateMedia', 'addInitScript',
  'exposeFunction', 'exposeBinding', 'bringToFront', 'setExtraHTTPHeaders', 'addScriptTag', 'addStyleTag', 'pause',
]);
/** Methods of a Playwright `Locator` that return a promise. */
const LOCATOR_ASYNC = new Set([
  'click', 'dblclick', 'fill', 'type', 'pressSequentially', 'press', 'check', 'uncheck', 'setChecked', 'hover', 'tap', 'focus', 'blur',
  'clear', 'selectOption', 'selectText', 'setInputFiles', 'dragTo', 'dispatchEvent', 'scrollIntoViewIfNeeded', 'waitFor', 'screenshot',
  'highlight', 'evaluate', 'evaluateAll', 'evaluateHandle',
]);
/** Methods of a `Page` or `Locator` that give a `Locator` (synchronously). */
const LOCATOR_STEPS = new Set([
  'locator', 'getByRole', 'getByText', 'getByLabel', 'getByPlaceholder', 'getByAltText', 'getByTitle', 'getByTestId', 'first', 'last',
  'nth', 'filter', 'and', 'or',
]);
/** `page.keyboard.press(...)`, `page.mouse.click(...)`: every method of these two returns a promise. */
const INPUT_DEVICES = new Set(['keyboard', 'mouse']);

/** A link of a member chain after its root: a property read, or a method call. */
interface Link {
  name: string;
  call: boolean;
}

function unwrap(node: Node): Node {
  let n = node;
  while (n.type === 'TSAsExpression' || n.type === 'TSNonNullExpression' || n.type === 'TSSatisfiesExpression' || n.type === 'ChainExpression') n = n.expression;
  return n;
}

function propName(m: TSESTree.MemberExpression): string | undefined {
  return !m.computed && m.property.type === 'Identifier' ? m.property.name : undefined;
}

/** The root of a member chain (`expect(p)` of `expect(p).resolves.toBe(1)`) and the links after it. */
function chainOf(node: Node, isRoot: (n: Node) => boolean): { root: Node; links: Link[] } | undefined {
  const links: Link[] = [];
  let n = unwrap(node);
  for (let depth = 0; depth < 64; depth++) {
    if (isRoot(n)) return { root: n, links };
    if (n.type === 'CallExpression') {
      const callee = unwrap(n.callee);
      if (callee.type !== 'MemberExpression') return undefined;
      const name = propName(callee);
      if (!name) return undefined;
      links.unshift({ name, call: true });
      n = unwrap(callee.object);
    } else if (n.type === 'MemberExpression') {
      const name = propName(n);
      if (!name) return undefined;
      links.unshift({ name, call: false });
      n = unwrap(n.object);
    } else return undefined;
  }
  return undefined;
}

/**
 * Whether a statement's value (a call, or a property read such as chai-as-promised's
 * `expect(p).to.be.rejected`) is a promise of a test framework's assertion or step.
 */
export function testFrameworkPromise(ctx: TsRuleContext, node: Node): boolean {
  const n = unwrap(node);
  if (n.type !== 'CallExpression' && n.type !== 'MemberExpression') return false;
  return expectPromise(ctx, n) || shouldPromise(ctx, n) || (n.type === 'CallExpression' && (chaiAssertPromise(ctx, n) || playwrightStep(ctx, n) || pageAction(ctx, n) || testingLibraryPromise(ctx, n)));
}

/** `expect(x)`, `expect.soft(x)`, `expect.poll(fn)`, `expect.element(el)` or `expectAsync(x)`, with the kind of `expect`. */
function expectRoot(ctx: TsRuleContext, n: Node): { kind: ExpectKind; form: 'plain' | 'soft' | 'poll' | 'element' | 'async' } | undefined {
  if (n.type !== 'CallExpression') return undefined;
  const callee = unwrap(n.callee);
  if (callee.type === 'Identifier') {
    if (callee.name === 'expectAsync') return ctx.imports.isGlobalReference(callee) && testFile(ctx) ? { kind: 'global', form: 'async' } : undefined;
    const kind = expectKind(ctx, callee);
    return kind ? { kind, form: 'plain' } : undefined;
  }
  if (callee.type !== 'MemberExpression') return undefined;
  // `chai.expect(p)`
  const chai = ctx.imports.resolve(callee);
  if (chai?.module === 'chai' && chai.path.join('.') === 'expect') return { kind: 'chai', form: 'plain' };
  const object = unwrap(callee.object);
  const name = propName(callee);
  if (object.type !== 'Identifier' || (name !== 'soft' && name !== 'poll' && name !== 'element')) return undefined;
  const kind = expectKind(ctx, object);
  return kind && kind !== 'chai' ? { kind, form: name } : undefined;
}

/**
 * The package member an identifier stands for: its import, or, for one imported from a module of
 * the project, what that module re-exports (`export { test, expect } from '@playwright/test'`,
 * `export const test = base.extend({...})` with `base` Playwright's `test`), through the checker,
 * which follows the project's modules even when the package itself has no types.
 */
function originOf(ctx: TsRuleContext, id: TSESTree.Identifier): Pick<ModuleMember, 'module' | 'path'> | undefined {
  const member = ctx.imports.resolve(id);
  if (!member || !member.module.startsWith('.')) return member;
  const s = ctx.types();
  const node = s?.tsNodeFor(id);
  if (!s || !node) return undefined;
  let symbol: ts.Symbol | undefined;
  try {
    symbol = s.checker.getSymbolAtLocation(node);
  } catch {
    return undefined;
  }
  const path = member.path.slice(1);
  for (let depth = 0; symbol && depth < 8; depth++) {
    const declaration = symbol.declarations?.[0];
    if (!declaration) return undefined;
    if (ts.isImportSpecifier(declaration) || ts.isExportSpecifier(declaration)) {
      const from = ts.isImportSpecifier(declaration) ? declaration.parent.parent.parent.moduleSpecifier : declaration.parent.parent.moduleSpecifier;
      if (from && ts.isStringLiteral(from) && !from.text.startsWith('.')) return { module: from.text.replace(/^node:/, ''), path: [(declaration.propertyName ?? declaration.name).text, ...path] };
    } else if (ts.isVariableDeclaration(declaration) && declaration.initializer && ts.isCallExpression(declaration.initializer)) {
      // `export const test = base.extend<Fixtures>({...})`: Playwright's `test` with the project's fixtures.
      const callee = declaration.initializer.expression;
      if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'extend' || !ts.isIdentifier(callee.expression)) return undefined;
      symbol = s.checker.getSymbolAtLocation(callee.expression);
      continue;
    } else return undefined;
    if (!(symbol.flags & ts.SymbolFlags.Alias)) return undefined;
    symbol = s.checker.getImmediateAliasedSymbol(symbol);
  }
  return undefined;
}

/** What an identifier named `expect` stands for, if it is a test framework's. */
function expectKind(ctx: TsRuleContext, id: TSESTree.Identifier): ExpectKind | undefined {
  // Imported under any name (`import { expect as check } from 'vitest'`); otherwise named `expect`.
  // Through a module of the project only under its own name: other calls of the project's modules are no `expect`.
  const imported = ctx.imports.resolve(id);
  const member = imported?.module.startsWith('.') ? (id.name === 'expect' ? originOf(ctx, id) : undefined) : imported;
  if (imported?.module.startsWith('.') && !member) return undefined;
  if (!member && id.name !== 'expect') return undefined;
  if (member) {
    const path = member.path.join('.');
    if (JEST_LIKE.has(member.module) && path === 'expect') return 'jest';
    if (member.module === 'expect' && (path === '' || path === 'expect')) return 'jest';
    if (PLAYWRIGHT.has(member.module) && path === 'expect') return 'playwright';
    if (member.module === 'chai' && path === 'expect') return 'chai';
    return undefined;
  }
  if (ctx.imports.isGlobalReference(id)) return testFile(ctx) ? 'global' : undefined;
  // Vitest's test context: `test('...', async ({ expect }) => ...)`.
  const binder = bindingFunction(id);
  if (binder) return destructuredFromTest(ctx, binder, 'expect', (m) => m.module === 'vitest') ? 'jest' : undefined;
  // `const { expect } = chai;`, `const expect = chai.expect;` with `chai` from `require('chai')`.
  return chaiExpectVariable(ctx) ? 'chai' : undefined;
}

/** The nearest enclosing function whose parameters bind the identifier's name. */
function bindingFunction(id: TSESTree.Identifier): ReturnType<typeof enclosingFunction> {
  for (let fn = enclosingFunction(id); fn; fn = enclosingFunction(fn)) if (fn.params.some((p) => patternNames(p).includes(id.name))) return fn;
  return undefined;
}

/**
 * Whether `fn` is a test's (or hook's) callback whose first parameter destructures `name`
 * (`async ({ page }) => ...`), given to a call of the framework `framework` accepts.
 */
function destructuredFromTest(ctx: TsRuleContext, fn: NonNullable<ReturnType<typeof enclosingFunction>>, name: string, framework: (m: Pick<ModuleMember, 'module' | 'path'>) => boolean): boolean {
  const first = fn.params[0];
  if (first?.type !== 'ObjectPattern' || !first.properties.some((p) => p.type === 'Property' && !p.computed && p.key.type === 'Identifier' && p.key.name === name && p.value.type === 'Identifier' && p.value.name === name)) return false;
  if (fn.params.slice(1).some((p) => patternNames(p).includes(name))) return false;
  const call = fn.parent;
  if (call?.type !== 'CallExpression' || !call.arguments.includes(fn as TSESTree.CallExpressionArgument)) return false;
  let callee = unwrap(call.callee);
  // `test.beforeEach(...)`, `test.describe.serial(...)`, `test.only(...)`: the test object's members.
  while (callee.type === 'MemberExpression') callee = unwrap(callee.object);
  if (callee.type !== 'Identifier') return false;
  const member = originOf(ctx, callee);
  if (member) return framework(member);
  return framework === isPlaywrightTest && extendedPlaywrightTest(ctx, callee.name);
}

/** Whether the file binds `expect` once, to chai's (`const { expect } = chai`, `const expect = chai.expect`). */
function chaiExpectVariable(ctx: TsRuleContext): boolean {
  if (ctx.imports.declarationCount('expect') !== 1) return false;
  const cached = chaiExpects.get(ctx.ast);
  if (cached !== undefined) return cached;
  let found = false;
  visit(ctx.ast, (n) => {
    if (found || n.type !== 'VariableDeclarator' || !n.init) return;
    const init = unwrap(n.init);
    if (n.id.type === 'Identifier' && n.id.name === 'expect') {
      const m = ctx.imports.resolve(init);
      found = m?.module === 'chai' && m.path.join('.') === 'expect';
    } else if (n.id.type === 'ObjectPattern' && patternNames(n.id).includes('expect')) {
      const m = ctx.imports.resolve(init);
      found = m?.module === 'chai' && m.path.length === 0;
    }
  });
  chaiExpects.set(ctx.ast, found);
  return found;
}
const chaiExpects = new WeakMap<TSESTree.Program, boolean>();

/** The links of chai-as-promised that make an assertion a promise. */
const CHAI_AS_PROMISED = new Set(['eventually', 'rejected', 'fulfilled', 'rejectedWith', 'become']);

/** A chai-as-promised chain: a link of its own, and not handed to a `done` callback by `notify(done)`. */
function chaiAsPromised(links: Link[]): boolean {
  return links.some((l) => CHAI_AS_PROMISED.has(l.name)) && links[links.length - 1]?.name !== 'notify';
}

function expectPromise(ctx: TsRuleContext, node: Node): boolean {
  let root: ReturnType<typeof expectRoot>;
  const chain = chainOf(node, (n) => n.type === 'CallExpression' && !!(root = expectRoot(ctx, n)));
  if (!chain || !root || chain.links.length === 0) return false;
  const { links } = chain;
  const { kind, form } = root;
  if ((kind === 'chai' || kind === 'global') && form === 'plain' && chaiAsPromised(links)) return true;
  if (kind === 'chai') return false;
  // Jest-style: `[.resolves|.rejects][.not].matcher(...)`.
  const last = links[links.length - 1];
  const between = links.slice(0, -1);
  // Jasmine: `expectAsync(p).withContext('saving').not.toBeRejected()`.
  if (form === 'async') return last.call && last.name !== 'withContext';
  if (!last.call || between.some((l) => l.call || !['resolves', 'rejects', 'not'].includes(l.name))) return false;
  if (form === 'poll' || form === 'element') return true;
  if (between.some((l) => l.name === 'resolves' || l.name === 'rejects')) return true;
  // Vitest's `toMatchFileSnapshot(path)` writes or reads a file: it returns a promise.
  if (last.name === 'toMatchFileSnapshot' && kind !== 'playwright') return true;
  return kind === 'playwright' && PLAYWRIGHT_ASYNC_MATCHERS.has(last.name);
}

/** chai-as-promised's assert interface: `assert.isRejected(p, Error)`, `assert.becomes(p, v)`, `assert.eventually.equal(p, v)`. */
function chaiAssertPromise(ctx: TsRuleContext, call: TSESTree.CallExpression): boolean {
  const m = ctx.imports.resolve(unwrap(call.callee));
  if (m?.module !== 'chai' || m.path[0] !== 'assert') return false;
  return (m.path.length === 2 && ['isFulfilled', 'isRejected', 'becomes', 'doesNotBecome'].includes(m.path[1])) || (m.path.length === 3 && m.path[1] === 'eventually');
}

/** `p.should.eventually.equal(1)`, `p.should.be.rejectedWith(Error)` in a test file (or one importing chai). */
function shouldPromise(ctx: TsRuleContext, node: Node): boolean {
  const chain = chainOf(node, (n) => n.type === 'MemberExpression' && propName(n) === 'should');
  if (!chain || !chaiAsPromised(chain.links)) return false;
  return testFile(ctx) || ctx.imports.usesModule('chai') || ctx.imports.usesModule('chai-as-promised');
}

/**
 * A test file by its name (`*.test.*`, `*.spec.*`, ...) or under a `__tests__` folder (Jest's
 * convention): not any file under a `test/` folder, which holds helpers too.
 */
function testFile(ctx: TsRuleContext): boolean {
  return isTestPath(ctx.filePath, false) || /[\\/]__tests__[\\/]/.test(ctx.filePath);
}

function isPlaywrightTest(m: Pick<ModuleMember, 'module' | 'path'>): boolean {
  return PLAYWRIGHT.has(m.module) && m.path.join('.') === 'test';
}

/** `const test = base.extend<Fixtures>({...})` with `base` Playwright's `test` (a project's fixtures). */
function extendedPlaywrightTest(ctx: TsRuleContext, name: string): boolean {
  if (ctx.imports.declarationCount(name) !== 1) return false;
  let names = extendedTests.get(ctx.ast);
  if (!names) extendedTests.set(ctx.ast, (names = new Map()));
  const cached = names.get(name);
  if (cached !== undefined) return cached;
  let found = false;
  visit(ctx.ast, (n) => {
    if (found || n.type !== 'VariableDeclarator' || n.id.type !== 'Identifier' || n.id.name !== name || !n.init) return;
    const init = unwrap(n.init);
    if (init.type !== 'CallExpression') return;
    const callee = unwrap(init.callee);
    if (callee.type !== 'MemberExpression' || propName(callee) !== 'extend') return;
    const m = ctx.imports.resolve(unwrap(callee.object));
    found = !!m && isPlaywrightTest(m);
  });
  names.set(name, found);
  return found;
}
const extendedTests = new WeakMap<TSESTree.Program, Map<string, boolean>>();

/** Whether an identifier stands for Playwright's `test` (imported, or extended with fixtures in the file). */
function playwrightTestName(ctx: TsRuleContext, id: Node): boolean {
  if (id.type !== 'Identifier') return false;
  const m = originOf(ctx, id);
  if (m) return isPlaywrightTest(m);
  return ctx.imports.usesImport && !ctx.imports.isGlobalReference(id) && extendedPlaywrightTest(ctx, id.name);
}

/** `test.step('...', async () => ...)` of Playwright: it returns a promise that must be awaited. */
function playwrightStep(ctx: TsRuleContext, call: TSESTree.CallExpression): boolean {
  const callee = unwrap(call.callee);
  if (callee.type !== 'MemberExpression' || propName(callee) !== 'step') return false;
  return playwrightTestName(ctx, unwrap(callee.object));
}

/**
 * An action of the `page` a Playwright test or hook receives (`async ({ page }) => ...`):
 * `page.goto(url)`, `page.getByRole('button').click()`, `page.keyboard.press('Enter')`, or of a
 * locator of that page kept in a `const` of the test (`const submit = page.getByRole('button');
 * submit.click();`).
 */
function pageAction(ctx: TsRuleContext, call: TSESTree.CallExpression): boolean {
  const chain = chainOf(call, (n) => n.type === 'Identifier');
  if (!chain || chain.root.type !== 'Identifier') return false;
  const root = chain.root;
  const { links } = chain;
  const last = links[links.length - 1];
  if (!last?.call) return false;
  const between = links.slice(0, -1);
  const locatorAction = between.every((l) => l.call && LOCATOR_STEPS.has(l.name)) && LOCATOR_ASYNC.has(last.name);
  if (root.name === 'page') {
    let async: boolean;
    if (between.length === 0) async = PAGE_ASYNC.has(last.name);
    else if (between.length === 1 && !between[0].call && INPUT_DEVICES.has(between[0].name)) async = true;
    else async = locatorAction;
    if (async && pageFixture(ctx, root)) return true;
  }
  if (!locatorAction) return false;
  const init = constInit(root);
  return !!init && pageLocator(ctx, init);
}

/** Whether `page` is the fixture of a Playwright test or hook. */
function pageFixture(ctx: TsRuleContext, page: TSESTree.Identifier): boolean {
  const fn = bindingFunction(page);
  return !!fn && isFunction(fn) && destructuredFromTest(ctx, fn, 'page', isPlaywrightTest);
}

/** `page.getByRole('button')`, `page.locator('li').first()`: a locator of the `page` fixture. */
function pageLocator(ctx: TsRuleContext, node: Node): boolean {
  const chain = chainOf(node, (n) => n.type === 'Identifier' && n.name === 'page');
  return !!chain && chain.root.type === 'Identifier' && chain.links.length > 0 && chain.links.every((l) => l.call && LOCATOR_STEPS.has(l.name)) && pageFixture(ctx, chain.root);
}

/**
 * The initializer of the `const` a name read in a function refers to, when that function (or a
 * block around the read, within it) declares it: `const submit = page.getByRole('button')`.
 */
function constInit(id: TSESTree.Identifier): Node | undefined {
  let child: Node = id;
  for (let n: Node | undefined = id.parent; n; child = n, n = n.parent) {
    if (isFunction(n)) {
      if (n.params.some((p) => patternNames(p).includes(id.name))) return undefined;
      if (n.body.type !== 'BlockStatement') continue;
    }
    if (n.type !== 'BlockStatement') continue;
    for (const statement of n.body) {
      if (statement === child) break;
      if (statement.type !== 'VariableDeclaration') continue;
      for (const d of statement.declarations) {
        if (d.id.type === 'Identifier' && d.id.name === id.name) return statement.kind === 'const' && d.init ? unwrap(d.init) : undefined;
      }
    }
    if (isFunction(n.parent as Node)) return undefined;
  }
  return undefined;
}

/** Testing Library's packages (`@testing-library/react`, `/dom`, `/vue`, `/svelte`, `/angular`, `/preact`, `/react-native`...). */
const TESTING_LIBRARY = /^@testing-library\/(?!user-event$|jest-dom$)[\w-]+$/;
/** Its async utilities and queries: each returns a promise. */
const TESTING_LIBRARY_ASYNC = /^(waitFor|waitForElementToBeRemoved|find(All)?By(Role|LabelText|PlaceholderText|Text|DisplayValue|AltText|Title|TestId))$/;
/** What user-event 14's instance (made by `userEvent.setup()`, which 13 lacks) does: every action returns a promise. */
const USER_EVENT_ACTIONS = new Set(['click', 'dblClick', 'tripleClick', 'hover', 'unhover', 'tab', 'keyboard', 'type', 'clear', 'selectOptions', 'deselectOptions', 'upload', 'copy', 'cut', 'paste', 'pointer']);

/**
 * Testing Library: `waitFor(...)`, `waitForElementToBeRemoved(...)`, `screen.findByText(...)`,
 * `within(list).findAllByRole(...)`, React's `act(async () => ...)`, and the actions of a
 * user-event instance (`const user = userEvent.setup(); user.click(button)`).
 */
function testingLibraryPromise(ctx: TsRuleContext, call: TSESTree.CallExpression): boolean {
  const callee = unwrap(call.callee);
  const m = ctx.imports.resolve(callee);
  if (m && TESTING_LIBRARY.test(m.module)) {
    const path = m.path[0] === 'default' ? m.path.slice(1) : m.path;
    const last = path[path.length - 1] ?? '';
    if (path.length === 1 && last === 'act') return asyncCallback(call.arguments[0]);
    return (path.length === 1 || (path.length === 2 && path[0] === 'screen')) && TESTING_LIBRARY_ASYNC.test(last);
  }
  if (m && (m.module === 'react' || m.module === 'react-dom/test-utils') && m.path.join('.').replace(/^default\./, '') === 'act') return asyncCallback(call.arguments[0]);
  if (callee.type !== 'MemberExpression') return false;
  const name = propName(callee);
  const object = unwrap(callee.object);
  if (!name) return false;
  // `within(row).findByText('Paid')`
  if (object.type === 'CallExpression' && TESTING_LIBRARY_ASYNC.test(name)) {
    const w = ctx.imports.resolve(unwrap(object.callee));
    return !!w && TESTING_LIBRARY.test(w.module) && w.path.join('.') === 'within';
  }
  if (object.type !== 'Identifier' || !USER_EVENT_ACTIONS.has(name)) return false;
  const init = constInit(object) ?? moduleConstInit(ctx, object);
  if (init?.type !== 'CallExpression') return false;
  const setup = ctx.imports.resolve(unwrap(init.callee));
  return !!setup && setup.module === '@testing-library/user-event' && setup.path.join('.').replace(/^default\./, '') === 'setup';
}

/** An async function written in place: `act(async () => { ... })`. */
function asyncCallback(arg: Node | undefined): boolean {
  const fn = arg && unwrap(arg);
  return !!fn && isFunction(fn) && !!fn.async;
}

/** The initializer of a module-level `const` the file declares once (`const user = userEvent.setup()` above the tests). */
function moduleConstInit(ctx: TsRuleContext, id: TSESTree.Identifier): Node | undefined {
  if (ctx.imports.declarationCount(id.name) !== 1) return undefined;
  for (const statement of ctx.ast.body) {
    const declaration = statement.type === 'ExportNamedDeclaration' ? statement.declaration : statement;
    if (declaration?.type !== 'VariableDeclaration' || declaration.kind !== 'const') continue;
    for (const d of declaration.declarations) if (d.id.type === 'Identifier' && d.id.name === id.name && d.init) return unwrap(d.init);
  }
  return undefined;
}
