/**
 * blocking-call-in-async (TS/JS): synchronous Node APIs called directly inside an async
 * function. Callees are resolved through imports and `require` (ctx.imports), so an unrelated
 * `obj.readFileSync()` or a shadowing local is never reported.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { Fix, TextEdit } from '../../engine/types';
import type { TsRuleContext } from '../context';
import type { ModuleMember } from '../imports';
import { awaitText, enclosingFunction, functionDisplayName, insertImportEdit, visit } from '../util';

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

export function checkTsBlockingCalls(ctx: TsRuleContext): void {
  visit(ctx.ast, (node) => {
    if (node.type !== 'CallExpression' || node.optional) return;
    const member = ctx.imports.resolve(node.callee);
    if (!member || !isBlocking(member)) return;
    const fn = enclosingFunction(node);
    if (!fn || !fn.async) return;
    const qualified = `${member.module}.${member.path.join('.')}`;
    const written = ctx.text.slice(node.callee.range[0], node.callee.range[1]).replace(/\s+/g, '');
    const shown = written === qualified || written.endsWith(`.${member.path.join('.')}`) ? `${written}()` : `${written}() (${qualified})`;
    ctx.report({
      message: `${shown} blocks the event loop inside async function '${functionDisplayName(fn)}'`,
      range: ctx.rangeOf(node),
      anchors: ['n/no-sync'],
      fix: fixFor(ctx, node, member),
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
