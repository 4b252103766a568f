/**
 * blocking-call-in-async (TS/JS): synchronous Node APIs called inside an async function, or in a
 * callback that runs during its call (`paths.map((p) => fs.readFileSync(p))`, an IIFE). Callees
 * are resolved through imports and `require` (ctx.imports), dynamic `await import()` and local
 * `const` aliases of module bindings, so an unrelated `obj.readFileSync()` or a shadowing local
 * is never reported.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import * as ts from 'typescript';
import type { Fix, TextEdit } from '../../engine/types';
import type { TsRuleContext } from '../context';
import { normalizeModule, type ModuleMember } from '../imports';
import { awaitText, denoMember, enclosingFunction, functionDisplayName, insertImportEdit, isFunction, patternNames, visit, type FunctionNode } from '../util';

type Node = TSESTree.Node;

/** `fs` functions whose `fs/promises` twin takes the same arguments and resolves to the same value. */
const FS_PROMISE_TWINS: Readonly<Record<string, string>> = {
  readFileSync: 'readFile',
  writeFileSync: 'writeFile',
  appendFileSync: 'appendFile',
  mkdirSync: 'mkdir',
  readdirSync: 'readdir',
  unlinkSync: 'unlink',
  rmSync: 'rm',
  rmdirSync: 'rmdir',
  renameSync: 'rename',
  copyFileSync: 'copyFile',
  cpSync: 'cp',
  accessSync: 'access',
  realpathSync: 'realpath',
  mkdtempSync: 'mkdtemp',
  chmodSync: 'chmod',
  chownSync: 'chown',
  lchownSync: 'lchown',
  symlinkSync: 'symlink',
  readlinkSync: 'readlink',
  truncateSync: 'truncate',
  utimesSync: 'utimes',
  lutimesSync: 'lutimes',
  linkSync: 'link',
  // stat/lstat: only without options (`throwIfNoEntry` has no promise equivalent).
  statSync: 'stat',
  lstatSync: 'lstat',
};
const ONE_ARG_ONLY = new Set(['statSync', 'lstatSync']);

const CHILD_PROCESS_SYNC = new Set(['execSync', 'execFileSync', 'spawnSync']);
const CRYPTO_SYNC = new Set(['pbkdf2Sync', 'scryptSync', 'generateKeyPairSync', 'generatePrimeSync']);
/** bcrypt's (and bcryptjs's) synchronous hashing, with the promise twin that takes the same two arguments. */
const BCRYPT_TWINS: Readonly<Record<string, string>> = { hashSync: 'hash', compareSync: 'compare' };

/**
 * Deno's synchronous file-system functions, with the asynchronous twin that takes the same
 * arguments and resolves to the same value (none for `readDirSync`, whose twin is an async iterable).
 */
const DENO_SYNC: Readonly<Record<string, string | undefined>> = {
  readFileSync: 'readFile',
  readTextFileSync: 'readTextFile',
  writeFileSync: 'writeFile',
  writeTextFileSync: 'writeTextFile',
  statSync: 'stat',
  lstatSync: 'lstat',
  mkdirSync: 'mkdir',
  removeSync: 'remove',
  renameSync: 'rename',
  copyFileSync: 'copyFile',
  truncateSync: 'truncate',
  chmodSync: 'chmod',
  chownSync: 'chown',
  linkSync: 'link',
  symlinkSync: 'symlink',
  readLinkSync: 'readLink',
  realPathSync: 'realPath',
  makeTempDirSync: 'makeTempDir',
  makeTempFileSync: 'makeTempFile',
  utimeSync: 'utime',
  openSync: 'open',
  createSync: 'create',
  readDirSync: undefined,
};

const GLOB_SYNC = /^(?:glob\.)?(?:sync|globSync|globbySync)$/;

function isBlocking(m: ModuleMember): boolean {
  const name = m.path[m.path.length - 1];
  if (!name) return false;
  switch (m.module) {
    case 'fs':
    // fs-extra and graceful-fs re-export Node's own synchronous functions (and add a few);
    // Electron's `original-fs` is Node's fs without its asar patches.
    case 'fs-extra':
    case 'graceful-fs':
    case 'original-fs':
      return m.path.length === 1 && name.endsWith('Sync');
    case 'child_process':
      return m.path.length === 1 && CHILD_PROCESS_SYNC.has(name);
    // execa's synchronous variants (`execaSync`, `execaCommandSync`, `$sync` and `$.sync`) and cross-spawn's `sync`.
    case 'execa':
      return (m.path.length === 1 && /^(execaSync|execaCommandSync|\$sync)$/.test(name)) || (m.path.length === 2 && m.path[0] === '$' && name === 'sync');
    case 'cross-spawn':
      return m.path.join('.').replace(/^default\./, '') === 'sync';
    case 'zlib':
      return m.path.length === 1 && name.endsWith('Sync');
    // Glob walks of the file system: fast-glob's `fg.sync`/`globSync`, glob's `globSync`/`glob.sync`,
    // globby's `globbySync` (`globby.sync` before v12), tinyglobby's `globSync`.
    case 'fast-glob':
    case 'glob':
    case 'globby':
    case 'tinyglobby':
      return GLOB_SYNC.test(m.path.join('.').replace(/^default\./, ''));
    // Babel's `transformFileSync` reads the file (and its config files) synchronously: `transformFileAsync` does not.
    case '@babel/core':
      return m.path.join('.').replace(/^default\./, '') === 'transformFileSync';
    case 'crypto':
      return m.path.length === 1 && CRYPTO_SYNC.has(name);
    case 'bcrypt':
    case 'bcryptjs':
      return m.path.length === 1 && Object.hasOwn(BCRYPT_TWINS, name);
    default:
      return false;
  }
}

/** Array (and Map/Set) methods that call their callback before they return. */
const INLINE_CALLBACK_METHODS = new Set([
  'map', 'forEach', 'filter', 'reduce', 'reduceRight', 'some', 'every', 'find', 'findIndex', 'findLast', 'findLastIndex', 'flatMap', 'sort', 'toSorted',
]);

/** Why a plain function runs during the call of the function around it, if it does. */
function inlineReason(ctx: TsRuleContext, fn: FunctionNode): string | undefined {
  if (fn.async || fn.generator) return undefined;
  const parent = fn.parent;
  if (parent?.type === 'CallExpression') {
    if (parent.callee === fn) return 'the function is called on the spot';
    const callee = parent.callee;
    if (callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier') {
      const method = callee.property.name;
      if (INLINE_CALLBACK_METHODS.has(method) && parent.arguments[0] === fn && receiverRunsCallbacksInline(ctx, callee.object)) return `the callback of ${method}() runs before it returns`;
      // Array.from(items, (x) => ...)
      if (method === 'from' && parent.arguments[1] === fn && callee.object.type === 'Identifier' && callee.object.name === 'Array' && ctx.imports.isGlobalReference(callee.object)) {
        return 'the callback of Array.from() runs before it returns';
      }
    }
  }
  // (function () { ... }).call(this)
  if (parent?.type === 'MemberExpression' && parent.object === fn && !parent.computed && parent.property.type === 'Identifier'
    && (parent.property.name === 'call' || parent.property.name === 'apply') && parent.parent?.type === 'CallExpression' && parent.parent.callee === parent) {
    return 'the function is called on the spot';
  }
  return undefined;
}

/**
 * Whether `receiver.map(cb)` calls `cb` right away: without types, any receiver; with types, an
 * array, tuple, typed array, Map or Set (not a stream, a cursor or an observable, whose callbacks
 * run later).
 */
function receiverRunsCallbacksInline(ctx: TsRuleContext, receiver: Node): boolean {
  const services = ctx.types();
  const tsNode = services?.tsNodeFor(receiver);
  if (!services || !tsNode) return true;
  const { checker } = services;
  const type = checker.getTypeAtLocation(tsNode);
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return true;
  const parts = (type.isUnion() ? type.types : [type]).filter((t) => !(t.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined)));
  return parts.length > 0 && parts.every((part) => {
    const t = checker.getApparentType(part);
    if (t.flags & ts.TypeFlags.Any) return true;
    if (checker.isArrayType(t) || checker.isTupleType(t)) return true;
    const name = t.getSymbol()?.getName();
    return !!name && /^(?:ReadonlyArray|Array|Map|ReadonlyMap|Set|ReadonlySet|(?:Big)?(?:Int|Uint|Float)(?:8|16|32|64)(?:Clamped)?Array)$/.test(name);
  });
}

interface AsyncContext {
  /** The async function (or promise-returning function, or executor) whose call is stalled. */
  fn: FunctionNode;
  /** Why the blocking call runs during that call when it sits in a nested function. */
  via?: string;
}

/**
 * The function a blocking call would stall the event loop from: an `async` function, a function
 * declared to return a `Promise`, or the executor of `new Promise(...)` (which runs synchronously
 * inside the caller that expects a promise); through callbacks that run before the call that
 * takes them returns (array methods, IIFEs).
 */
function asyncContext(ctx: TsRuleContext, node: Node): AsyncContext | undefined {
  const fn = enclosingFunction(node);
  if (!fn || isNextBuildTimeFunction(fn)) return undefined;
  if (fn.async) return { fn };
  const downlevelled = downlevelledAsync(fn);
  if (downlevelled) return { fn: downlevelled };
  const returnType = fn.returnType?.typeAnnotation;
  if (returnType?.type === 'TSTypeReference' && returnType.typeName.type === 'Identifier' && returnType.typeName.name === 'Promise') return { fn };
  const parent = fn.parent;
  if (parent?.type === 'NewExpression' && parent.arguments[0] === fn && parent.callee.type === 'Identifier' && parent.callee.name === 'Promise') {
    return asyncContext(ctx, parent) ?? { fn };
  }
  const reason = inlineReason(ctx, fn);
  if (!reason) return undefined;
  const outer = asyncContext(ctx, fn);
  return outer && { fn: outer.fn, via: outer.via ?? reason };
}

/** `(0, tslib_1.__awaiter)` → `__awaiter`; `_asyncToGenerator` → itself. */
function helperName(callee: Node): string | undefined {
  let c = callee;
  if (c.type === 'SequenceExpression' && c.expressions.length === 2) c = c.expressions[1];
  if (c.type === 'Identifier') return c.name;
  if (c.type === 'MemberExpression' && !c.computed && c.property.type === 'Identifier') return c.property.name;
  return undefined;
}

/**
 * The body of an async function as compilers down-level it, a generator whose `yield`s are the
 * awaits: TypeScript's `__awaiter(this, void 0, void 0, function* () {...})`, esbuild's
 * `__async(this, null, function* () {...})`, Babel's `_asyncToGenerator(function* () {...})`. The
 * function it stands for: the one returning the helper's promise (`function f() { return
 * __awaiter(...) }`), or else the generator itself.
 */
function downlevelledAsync(fn: FunctionNode): FunctionNode | undefined {
  if (!fn.generator || fn.type !== 'FunctionExpression') return undefined;
  const call = fn.parent;
  if (call?.type !== 'CallExpression') return undefined;
  const name = helperName(call.callee);
  const index = call.arguments.indexOf(fn);
  const matches = (name === '__awaiter' && index === 3) || (name === '__async' && index === 2) || (!!name && /^_asyncToGenerator\d*$/.test(name) && index === 0);
  if (!matches) return undefined;
  const holder = call.parent;
  const outer = holder?.type === 'ReturnStatement' ? enclosingFunction(holder) : holder && isFunction(holder) && holder.body === call ? holder : undefined;
  return outer ?? fn;
}

/**
 * Next.js's build-time functions, exported from a page or layout: `generateStaticParams` (App
 * Router) and `getStaticPaths` (Pages Router) list the pages to render when the site is built
 * (a dev server runs them on a request, one at a time): reading the content folder with
 * `readdirSync` there stalls no request being served.
 */
function isNextBuildTimeFunction(fn: FunctionNode): boolean {
  const parent = fn.parent;
  const declarator = parent?.type === 'VariableDeclarator' && parent.init === fn ? parent : undefined;
  const name = fn.type === 'FunctionDeclaration' ? fn.id?.name : declarator?.id.type === 'Identifier' ? declarator.id.name : undefined;
  if (name !== 'generateStaticParams' && name !== 'getStaticPaths') return false;
  const statement = declarator ? declarator.parent?.parent : parent;
  return statement?.type === 'ExportNamedDeclaration' && statement.parent?.type === 'Program';
}

function contextName({ fn, via }: AsyncContext): string {
  const suffix = via ? ` (${via})` : '';
  if (fn.async) return `async function '${functionDisplayName(fn)}'${suffix}`;
  const parent = fn.parent;
  if (parent?.type === 'NewExpression' && parent.arguments[0] === fn) return `a Promise executor${suffix}`;
  return `promise-returning function '${functionDisplayName(fn)}'${suffix}`;
}

/** `Date.now()` / `performance.now()` / `new Date().getTime()`: a clock read. */
function readsClock(node: TSESTree.Node): boolean {
  let found = false;
  visit(node, (n) => {
    if (!found && isClockRead(n)) found = true;
  });
  return found;
}

function isClockRead(n: TSESTree.Node): boolean {
  if (n.type !== 'CallExpression' || n.callee.type !== 'MemberExpression' || n.callee.computed) return false;
  const obj = n.callee.object;
  const prop = n.callee.property.type === 'Identifier' ? n.callee.property.name : '';
  if (prop === 'now' && obj.type === 'Identifier' && (obj.name === 'Date' || obj.name === 'performance')) return true;
  return prop === 'getTime' && obj.type === 'NewExpression' && obj.callee.type === 'Identifier' && obj.callee.name === 'Date';
}

/** Whether every call in `node` reads the clock (an empty body calls nothing). */
function onlyReadsClock(node: TSESTree.Node): boolean {
  let other = false;
  visit(node, (n) => {
    if ((n.type === 'CallExpression' || n.type === 'NewExpression') && !isClockRead(n) && !(n.type === 'NewExpression' && n.callee.type === 'Identifier' && n.callee.name === 'Date')) other = true;
  });
  return !other;
}

function hasAwait(node: TSESTree.Node): boolean {
  let found = false;
  visit(node, (n) => {
    if (n.type === 'AwaitExpression' || (n.type === 'ForOfStatement' && n.await)) found = true;
  });
  return found;
}

/**
 * Whether `await` may be written at `node` in `fn`: directly inside an async function (not in
 * its callbacks or executors), and not in a parameter's default value.
 */
function awaitAllowedAt(node: Node, fn: FunctionNode): boolean {
  return fn.async && enclosingFunction(node) === fn && node.range[0] >= fn.body.range[0];
}

export function checkTsBlockingCalls(ctx: TsRuleContext): void {
  let aliases: LocalAliases | undefined;
  visit(ctx.ast, (node) => {
    // Busy-wait: `while (Date.now() < deadline) {}` spins the thread until the clock moves on.
    // A loop that does work on a time budget (`while (i < n && performance.now() - t0 < 8) run(items[i++])`)
    // is no spin: only a body that calls nothing but the clock is.
    if ((node.type === 'WhileStatement' || node.type === 'DoWhileStatement' || node.type === 'ForStatement') && node.test && readsClock(node.test) && !hasAwait(node.body) && onlyReadsClock(node.body)) {
      const context = asyncContext(ctx, node);
      if (!context) return;
      ctx.report({
        message: `This loop spins until the clock moves on: it blocks the event loop inside ${contextName(context)}. Wait with 'await setTimeout(ms)' from 'timers/promises'`,
        range: ctx.rangeOf(node.test),
      });
      return;
    }
    // execa's and zx's synchronous template tag: `$.sync\`git status\``, `$sync\`...\``.
    if (node.type === 'TaggedTemplateExpression') {
      const tag = ctx.imports.resolve(node.tag);
      if (!tag || !(isBlocking(tag) || (tag.module === 'zx' && tag.path.join('.') === '$.sync'))) return;
      const context = asyncContext(ctx, node);
      if (!context) return;
      ctx.report({
        message: `${ctx.text.slice(node.tag.range[0], node.tag.range[1])}\`...\` runs the command synchronously: it blocks the event loop inside ${contextName(context)}. Use the asynchronous form, awaited`,
        range: ctx.rangeOf(node),
        anchors: ['n/no-sync'],
      });
      return;
    }
    if (node.type !== 'CallExpression' || node.optional) return;
    // Atomics.wait blocks the calling thread (the main thread of Node included).
    if (node.callee.type === 'MemberExpression' && !node.callee.computed && node.callee.object.type === 'Identifier' && node.callee.object.name === 'Atomics'
      && node.callee.property.type === 'Identifier' && node.callee.property.name === 'wait' && ctx.imports.isGlobalReference(node.callee.object)) {
      const context = asyncContext(ctx, node);
      if (!context) return;
      ctx.report({
        message: `Atomics.wait() blocks the thread inside ${contextName(context)}: use 'await Atomics.waitAsync(...).value' instead`,
        range: ctx.rangeOf(node),
      });
      return;
    }
    // `Deno.readFileSync(path)`: Deno's synchronous file system blocks its event loop as Node's does.
    const deno = denoMember(ctx, node.callee);
    if (deno !== undefined && Object.hasOwn(DENO_SYNC, deno)) {
      const context = asyncContext(ctx, node);
      if (!context) return;
      const name = deno;
      const twin = DENO_SYNC[name];
      const { fn } = context;
      const inPlace = awaitAllowedAt(node, fn) && !node.typeArguments;
      ctx.report({
        message: `Deno.${name}() blocks the event loop inside ${contextName(context)}${twin ? `: use 'await Deno.${twin}(...)'` : ''}`,
        range: ctx.rangeOf(node),
        fix: twin && inPlace
          ? { title: `Use the asynchronous API: await Deno.${twin}(...)`, safe: true, edits: [{ range: ctx.rangeOf(node), newText: awaitText(node, `Deno.${twin}${ctx.text.slice(node.callee.range[1], node.range[1])}`) }] }
          : undefined,
      });
      return;
    }
    let member = ctx.imports.resolve(node.callee);
    let fixable = true;
    if (!member) {
      aliases ??= new LocalAliases(ctx);
      const local = aliases.resolve(node.callee);
      if (!local) return;
      member = local.member;
      fixable = local.fixable;
    }
    if (!isBlocking(member)) return;
    const context = asyncContext(ctx, node);
    if (!context) return;
    const { fn } = context;
    const qualified = `${member.module}.${member.path.join('.')}`;
    const written = ctx.text.slice(node.callee.range[0], node.callee.range[1]).replace(/\s+/g, '');
    const shown = !/^[\w$.]+$/.test(written) ? `${qualified}()` : written === qualified || written.endsWith(`.${member.path.join('.')}`) ? `${written}()` : `${written}() (${qualified})`;
    ctx.report({
      message: `${shown} blocks the event loop inside ${contextName(context)}`,
      range: ctx.rangeOf(node),
      anchors: ['n/no-sync'],
      fix: fixable && awaitAllowedAt(node, fn) ? fixFor(ctx, node, member) : undefined,
    });
  });
}

/**
 * `const` bindings inside the file that stand for a module or one of its members and that
 * ctx.imports does not follow: a dynamic import (`const fs = await import('node:fs')`,
 * `const { readFileSync } = await import('fs')`), and an alias of a module binding
 * (`const { readFileSync: read } = fs` after `import fs from 'node:fs'`, `const read = fs.readFileSync`).
 */
class LocalAliases {
  private readonly byName = new Map<string, LocalAlias[]>();
  private readonly declarationCounts = new Map<Node, Map<string, number>>();

  constructor(private readonly ctx: TsRuleContext) {
    // In document order, so that an alias of an alias resolves.
    visit(ctx.ast, (n) => {
      if (n.type !== 'VariableDeclarator' || !n.init || n.parent?.type !== 'VariableDeclaration' || n.parent.kind !== 'const') return;
      const base = this.memberOf(n.init);
      if (!base) return;
      const scope = scopeOf(n.parent);
      if (!scope) return;
      if (n.id.type === 'Identifier') {
        this.add({ id: n.id, scope, member: base.member, fixable: base.fixable && base.member.binding === 'namespace' });
        return;
      }
      if (n.id.type !== 'ObjectPattern') return;
      for (const prop of n.id.properties) {
        if (prop.type !== 'Property' || prop.computed) continue;
        const key = prop.key.type === 'Identifier' ? prop.key.name : prop.key.type === 'Literal' && typeof prop.key.value === 'string' ? prop.key.value : undefined;
        const value = prop.value.type === 'AssignmentPattern' ? prop.value.left : prop.value;
        if (key === undefined || value.type !== 'Identifier') continue;
        const path = key === 'default' && base.member.path.length === 0 ? [] : [...base.member.path, key];
        // A named alias gets no fix: the fix would add a static import the file chose not to have.
        this.add({ id: value, scope, member: { module: base.member.module, path, binding: path.length ? 'named' : 'namespace' }, fixable: path.length === 0 });
      }
    });
  }

  private add(alias: LocalAlias): void {
    const list = this.byName.get(alias.id.name) ?? [];
    list.push(alias);
    this.byName.set(alias.id.name, list);
  }

  /** The module member an expression denotes: `await import('fs')`, a module binding, a local alias, and members of them. */
  private memberOf(expr: Node): { member: ModuleMember; fixable: boolean } | undefined {
    const path: string[] = [];
    let base = expr;
    for (;;) {
      if (base.type === 'TSAsExpression' || base.type === 'TSNonNullExpression' || base.type === 'TSSatisfiesExpression' || base.type === 'ChainExpression') base = base.expression;
      else if (base.type === 'MemberExpression') {
        const key = !base.computed && base.property.type === 'Identifier' ? base.property.name : base.computed && base.property.type === 'Literal' && typeof base.property.value === 'string' ? base.property.value : undefined;
        if (key === undefined) return undefined;
        path.unshift(key);
        base = base.object;
      } else break;
    }
    if (base.type === 'AwaitExpression' && base.argument.type === 'ImportExpression') {
      const source = base.argument.source;
      if (source.type !== 'Literal' || typeof source.value !== 'string') return undefined;
      // The namespace of a built-in module has its exports both as members and as `default`.
      if (path[0] === 'default') path.shift();
      return { member: { module: normalizeModule(source.value), path, binding: 'namespace' }, fixable: true };
    }
    if (base.type !== 'Identifier') return undefined;
    const imported = this.ctx.imports.resolve(base);
    if (imported) return { member: { ...imported, path: [...imported.path, ...path] }, fixable: imported.binding !== 'named' };
    const alias = this.lookup(base);
    if (!alias) return undefined;
    return { member: { ...alias.member, path: [...alias.member.path, ...path], binding: alias.member.binding }, fixable: alias.fixable };
  }

  /** The module member a callee denotes through a local alias, if any. */
  resolve(callee: Node): { member: ModuleMember; fixable: boolean } | undefined {
    const found = this.memberOf(callee);
    if (!found) return undefined;
    // A named alias called directly (`read(p)`), or a namespace alias's member (`fs.readFileSync(p)`).
    // `(await import('fs')).readFileSync(p)`: the fix would have to re-parenthesise the import.
    const fixable = found.fixable && callee.type === 'MemberExpression' && callee.object.type !== 'AwaitExpression' && found.member.binding === 'namespace';
    return { member: found.member, fixable };
  }

  /** The alias an identifier refers to: declared before it, in a scope around it, and not redeclared inside that scope. */
  private lookup(id: TSESTree.Identifier): LocalAlias | undefined {
    const candidates = this.byName.get(id.name);
    if (!candidates) return undefined;
    for (const alias of candidates) {
      if (alias.id === id || id.range[0] < alias.id.range[1]) continue;
      if (id.range[0] < alias.scope.range[0] || id.range[1] > alias.scope.range[1]) continue;
      if (this.declarationsIn(alias.scope).get(id.name) !== 1) continue;
      return alias;
    }
    return undefined;
  }

  private declarationsIn(scope: Node): Map<string, number> {
    let counts = this.declarationCounts.get(scope);
    if (counts) return counts;
    counts = new Map();
    const declare = (p: Node | null | undefined) => {
      for (const name of patternNames(p)) counts!.set(name, (counts!.get(name) ?? 0) + 1);
    };
    visit(scope, (n) => {
      if (n.type === 'VariableDeclarator') declare(n.id);
      else if (isFunction(n)) {
        declare(n.id);
        for (const p of n.params) declare(p);
      } else if ((n.type === 'ClassDeclaration' || n.type === 'ClassExpression') && n.id) declare(n.id);
      else if (n.type === 'CatchClause') declare(n.param);
      else if (n.type === 'ImportSpecifier' || n.type === 'ImportDefaultSpecifier' || n.type === 'ImportNamespaceSpecifier') declare(n.local);
      else if (n.type === 'TSImportEqualsDeclaration') declare(n.id);
    });
    this.declarationCounts.set(scope, counts);
    return counts;
  }
}

interface LocalAlias {
  id: TSESTree.Identifier;
  /** The block (or program) the `const` is visible in. */
  scope: Node;
  member: ModuleMember;
  /** Whether the promise-API fix applies to calls through it. */
  fixable: boolean;
}

function scopeOf(declaration: Node): Node | undefined {
  const parent = declaration.parent;
  if (!parent) return undefined;
  if (parent.type === 'BlockStatement' || parent.type === 'Program' || parent.type === 'StaticBlock' || parent.type === 'SwitchCase') return parent.type === 'SwitchCase' ? parent.parent : parent;
  if (parent.type === 'ExportNamedDeclaration' && parent.parent?.type === 'Program') return parent.parent;
  return undefined;
}

function fixFor(ctx: TsRuleContext, call: TSESTree.CallExpression, member: ModuleMember): Fix | undefined {
  if (member.module === 'bcrypt' || member.module === 'bcryptjs') return bcryptFix(ctx, call, member);
  if (member.module !== 'fs') return undefined;
  const name = member.path[0];
  const twin = FS_PROMISE_TWINS[name];
  if (!twin) return undefined;
  if (ONE_ARG_ONLY.has(name) && call.arguments.length !== 1) return undefined;
  // `readFileSync(0)`, `writeFileSync(process.stdout.fd, s)`: the promise API takes no file descriptor.
  const target = call.arguments[0];
  if (target && (target.type === 'Literal' ? typeof target.value === 'number' : target.type === 'MemberExpression' && !target.computed && target.property.type === 'Identifier' && target.property.name === 'fd')) return undefined;
  if (call.arguments.some((a) => a.type === 'SpreadElement') && ONE_ARG_ONLY.has(name)) return undefined;
  const argsText = ctx.text.slice(call.callee.range[1], call.range[1]);
  if (call.typeArguments) return undefined;
  const callee = call.callee;
  const edits: TextEdit[] = [];
  let newCall: string;
  if (member.binding === 'named') {
    if (callee.type !== 'Identifier') return undefined;
    if (ctx.imports.isDeclared(twin)) return undefined;
    const edit = insertImportEdit(ctx, twin, 'fs/promises');
    if (!edit) return undefined;
    edits.push(edit);
    newCall = `${twin}${argsText}`;
  } else {
    if (callee.type !== 'MemberExpression' || callee.computed || callee.optional) return undefined;
    const objectText = ctx.text.slice(callee.object.range[0], callee.object.range[1]);
    newCall = `${objectText}.promises.${twin}${argsText}`;
  }
  edits.unshift({ range: ctx.rangeOf(call), newText: awaitText(call, newCall) });
  return { title: `Use the promise API: await ${twin}(...)`, safe: true, edits };
}

/**
 * `bcrypt.hashSync(pw, rounds)` → `await bcrypt.hash(pw, rounds)`, `compareSync(pw, hash)` →
 * `await bcrypt.compare(pw, hash)`: without a callback the twin returns a promise of the same
 * value. Only with both arguments, and through the module object (a named import would need a new one).
 */
function bcryptFix(ctx: TsRuleContext, call: TSESTree.CallExpression, member: ModuleMember): Fix | undefined {
  const twin = BCRYPT_TWINS[member.path[0]];
  const callee = call.callee;
  if (!twin || member.binding === 'named' || call.typeArguments || callee.type !== 'MemberExpression' || callee.computed || callee.optional) return undefined;
  if (call.arguments.length !== 2 || call.arguments.some((a) => a.type === 'SpreadElement')) return undefined;
  const objectText = ctx.text.slice(callee.object.range[0], callee.object.range[1]);
  const newCall = `${objectText}.${twin}${ctx.text.slice(callee.range[1], call.range[1])}`;
  return { title: `Use the promise API: await ${objectText}.${twin}(...)`, safe: true, edits: [{ range: ctx.rangeOf(call), newText: awaitText(call, newCall) }] };
}
