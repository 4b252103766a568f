/**
 * blocking-call-in-async (TS/JS): synchronous Node APIs called directly inside an async
 * function. Callees are resolved through imports and `require` (ctx.imports), so an unrelated
 * `obj.readFileSync()` or a shadowing local is never reported.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Fix, TextEdit } from '../../engine/types';
import type { TsRuleContext } from '../context';
import type { ModuleMember } from '../imports';
import { awaitText, enclosingFunction, functionDisplayName, insertImportEdit, visit, type FunctionNode } from '../util';

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

function isBlocking(m: ModuleMember): boolean {
  const name = m.path[m.path.length - 1];
  if (!name) return false;
  switch (m.module) {
    case 'fs':
      return m.path.length === 1 && name.endsWith('Sync');
    case 'child_process':
      return m.path.length === 1 && CHILD_PROCESS_SYNC.has(name);
    case 'zlib':
      return m.path.length === 1 && name.endsWith('Sync');
    case 'crypto':
      return m.path.length === 1 && CRYPTO_SYNC.has(name);
    default:
      return false;
  }
}

/**
 * The function a blocking call would stall the event loop from: an `async` function, a function
 * declared to return a `Promise`, or the executor of `new Promise(...)` (which runs synchronously
 * inside the caller that expects a promise).
 */
function asyncContext(node: TSESTree.Node): FunctionNode | undefined {
  const fn = enclosingFunction(node);
  if (!fn) return undefined;
  if (fn.async) return fn;
  const returnType = fn.returnType?.typeAnnotation;
  if (returnType?.type === 'TSTypeReference' && returnType.typeName.type === 'Identifier' && returnType.typeName.name === 'Promise') return fn;
  const parent = fn.parent;
  if (parent?.type === 'NewExpression' && parent.arguments[0] === fn && parent.callee.type === 'Identifier' && parent.callee.name === 'Promise') {
    return asyncContext(parent) ?? fn;
  }
  return undefined;
}

function contextName(fn: FunctionNode): string {
  if (fn.async) return `async function '${functionDisplayName(fn)}'`;
  const parent = fn.parent;
  if (parent?.type === 'NewExpression' && parent.arguments[0] === fn) return 'a Promise executor';
  return `promise-returning function '${functionDisplayName(fn)}'`;
}

/** `Date.now()` / `performance.now()` / `new Date().getTime()`: a clock read. */
function readsClock(node: TSESTree.Node): boolean {
  let found = false;
  visit(node, (n) => {
    if (found || n.type !== 'CallExpression' || n.callee.type !== 'MemberExpression' || n.callee.computed) return;
    const obj = n.callee.object;
    const prop = n.callee.property.type === 'Identifier' ? n.callee.property.name : '';
    if (prop === 'now' && obj.type === 'Identifier' && (obj.name === 'Date' || obj.name === 'performance')) found = true;
    if (prop === 'getTime' && obj.type === 'NewExpression' && obj.callee.type === 'Identifier' && obj.callee.name === 'Date') found = true;
  });
  return found;
}

function hasAwait(node: TSESTree.Node): boolean {
  let found = false;
  visit(node, (n) => {
    if (n.type === 'AwaitExpression' || (n.type === 'ForOfStatement' && n.await)) found = true;
  });
  return found;
}

export function checkTsBlockingCalls(ctx: TsRuleContext): void {
  visit(ctx.ast, (node) => {
    // Busy-wait: `while (Date.now() < deadline) {}` spins the thread until the clock moves on.
    if ((node.type === 'WhileStatement' || node.type === 'DoWhileStatement' || node.type === 'ForStatement') && node.test && readsClock(node.test) && !hasAwait(node.body)) {
      const fn = asyncContext(node);
      if (!fn) return;
      ctx.report({
        message: `This loop spins until the clock moves on: it blocks the event loop inside ${contextName(fn)}. Wait with 'await setTimeout(ms)' from 'timers/promises'`,
        range: ctx.rangeOf(node.test),
      });
      return;
    }
    if (node.type !== 'CallExpression' || node.optional) return;
    // Atomics.wait blocks the calling thread (the main thread of Node included).
    if (node.callee.type === 'MemberExpression' && !node.callee.computed && node.callee.object.type === 'Identifier' && node.callee.object.name === 'Atomics'
      && node.callee.property.type === 'Identifier' && node.callee.property.name === 'wait' && ctx.imports.isGlobalReference(node.callee.object)) {
      const fn = asyncContext(node);
      if (!fn) return;
      ctx.report({
        message: `Atomics.wait() blocks the thread inside ${contextName(fn)}: use 'await Atomics.waitAsync(...).value' instead`,
        range: ctx.rangeOf(node),
      });
      return;
    }
    const member = ctx.imports.resolve(node.callee);
    if (!member || !isBlocking(member)) return;
    const fn = asyncContext(node);
    if (!fn) return;
    const qualified = `${member.module}.${member.path.join('.')}`;
    const written = ctx.text.slice(node.callee.range[0], node.callee.range[1]).replace(/\s+/g, '');
    const shown = written === qualified || written.endsWith(`.${member.path.join('.')}`) ? `${written}()` : `${written}() (${qualified})`;
    ctx.report({
      message: `${shown} blocks the event loop inside ${contextName(fn)}`,
      range: ctx.rangeOf(node),
      anchors: ['n/no-sync'],
      // `await` is only valid inside an async function.
      fix: fn.async ? fixFor(ctx, node, member) : undefined,
    });
  });
}

function fixFor(ctx: TsRuleContext, call: TSESTree.CallExpression, member: ModuleMember): Fix | undefined {
  if (member.module !== 'fs') return undefined;
  const name = member.path[0];
  const twin = FS_PROMISE_TWINS[name];
  if (!twin) return undefined;
  if (ONE_ARG_ONLY.has(name) && call.arguments.length !== 1) return undefined;
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
