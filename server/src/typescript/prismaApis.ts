/**
 * Prisma Client calls recognised without its generated types. Before `prisma generate` has run
 * (a fresh checkout, a CI job that lints before it builds), `@prisma/client` declares
 * `PrismaClient: any`, so every query is typed `any`: the model operations (`prisma.user.update(...)`)
 * are known by their shape on a client made with `new PrismaClient(...)` in the file, a `prisma`
 * imported from the project's own modules (`import { prisma } from '@/lib/prisma'`), `this.prisma`,
 * or the `tx` of an interactive `$transaction(async (tx) => ...)` on one of these.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { TsRuleContext } from './context';
import { isFunction, memberPropertyName as memberName, unwrapTypeOnly as unwrap, visit } from './util';

type Node = TSESTree.Node;

/** The operations of a model delegate: each returns a lazy `PrismaPromise`. */
const MODEL_OPERATIONS = new Set([
  'findUnique', 'findUniqueOrThrow', 'findFirst', 'findFirstOrThrow', 'findMany',
  'create', 'createMany', 'createManyAndReturn', 'update', 'updateMany', 'updateManyAndReturn',
  'upsert', 'delete', 'deleteMany', 'count', 'aggregate', 'groupBy',
]);
/** The client's own methods that return a promise. */
const CLIENT_METHODS = new Set(['$connect', '$disconnect', '$transaction', '$executeRaw', '$queryRaw', '$executeRawUnsafe', '$queryRawUnsafe', '$runCommandRaw']);

/** Whether an expression contains `new PrismaClient(...)` of `@prisma/client` (`globalForPrisma.prisma ?? new PrismaClient()`). */
function makesClient(ctx: TsRuleContext, expr: Node): boolean {
  let found = false;
  visit(expr, (n) => {
    if (found || n.type !== 'NewExpression') return;
    const m = ctx.imports.resolve(n.callee);
    if (m && /^@prisma\/client(\/|$)/.test(m.module) && m.path[m.path.length - 1] === 'PrismaClient') found = true;
  }, isFunction);
  return found;
}

/** Whether a project module is named like a path alias or a relative import. */
function ownModule(module: string): boolean {
  return /^(\.{1,2}(\/|$)|@\/|~~?\/|\$lib(\/|$)|#)/.test(module);
}

/** Whether `root` names a Prisma client (see the module comment). */
function isClient(ctx: TsRuleContext, root: Node, depth = 0): boolean {
  const r = unwrap(root);
  if (r.type === 'MemberExpression') return r.object.type === 'ThisExpression' && memberName(r) === 'prisma';
  if (r.type !== 'Identifier') return false;
  const m = ctx.imports.resolve(r);
  if (m) return r.name === 'prisma' && ownModule(m.module);
  let made = false;
  let txParam = false;
  visit(ctx.ast, (n) => {
    if (made || txParam) return;
    if (n.type === 'VariableDeclarator' && n.id.type === 'Identifier' && n.id.name === r.name && n.init && makesClient(ctx, n.init)) made = true;
    // `prisma.$transaction(async (tx) => { ... tx.user.update(...) ... })`
    if (depth === 0 && isFunction(n) && n.params[0]?.type === 'Identifier' && n.params[0].name === r.name && n.range[0] <= r.range[0] && r.range[1] <= n.range[1]) {
      const call = n.parent;
      if (call?.type === 'CallExpression' && call.arguments[0] === n) {
        const callee = unwrap(call.callee);
        if (memberName(callee) === '$transaction' && callee.type === 'MemberExpression' && isClient(ctx, callee.object, depth + 1)) txParam = true;
      }
    }
  });
  return made || txParam;
}

/** A model operation (`prisma.user.update(...)`) or a client method (`prisma.$disconnect()`) on a Prisma client. */
export function prismaCall(ctx: TsRuleContext, call: TSESTree.CallExpression): 'query' | 'client' | undefined {
  const callee = unwrap(call.callee);
  const method = memberName(callee);
  if (!method || callee.type !== 'MemberExpression') return undefined;
  if (CLIENT_METHODS.has(method)) return isClient(ctx, callee.object) ? 'client' : undefined;
  if (!MODEL_OPERATIONS.has(method)) return undefined;
  const delegate = unwrap(callee.object);
  const model = memberName(delegate);
  if (!model || delegate.type !== 'MemberExpression' || !/^[a-z]/.test(model)) return undefined;
  return isClient(ctx, delegate.object) ? 'query' : undefined;
}
