/**
 * Promise APIs of back-end SDKs recognised without their types (a checkout without
 * `node_modules`, plain JavaScript): each of these calls returns a promise.
 *
 * - Stripe: a resource method (`stripe.customers.update(id, data)`, `stripe.checkout.sessions.create(...)`)
 *   on a client made in the file (`new Stripe(key)`, `Stripe(key)`, `require('stripe')(key)`) or a `stripe`
 *   imported from the project's own modules; not `stripe.webhooks.constructEvent(...)` nor
 *   `stripe.oauth.authorizeUrl(...)`, which are synchronous;
 * - Twilio: `create`/`fetch`/`update`/`remove`/`list`/`page` of a resource (`client.messages.create(...)`,
 *   `client.verify.v2.services(sid).verifications.create(...)`) on a client made by `twilio(sid, token)` or
 *   `new Twilio(...)` in the file;
 * - Redis: a command of an ioredis (`new Redis(...)`) or node-redis (`createClient(...)`) client made in the
 *   file, or a `redis` imported from the project's own modules (`redis.del(key)`, `redis.expire(key, 60)`,
 *   `client.multi()...exec()`); not the client's synchronous methods (`on`, `duplicate`, `pipeline`,
 *   `multi`, ...) nor a command given a callback;
 * - nodemailer: `sendMail(message)` without its callback, and `verify()`, on a transport made by
 *   `createTransport(...)` in the file;
 * - an AWS SDK v3 client made in the file (`new SESClient(...)`): `send(command)`;
 * - SendGrid's `@sendgrid/mail`: `send(message)` and `sendMultiple(message)` without a callback;
 * - a Fastify server made in the file (`Fastify()`): `listen(options)`, `close()` and `ready()` without a callback.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { TsRuleContext } from './context';
import { isFunction, memberPropertyName as propertyOf, nearestAbove, packageDependencies, readJsonIn, unwrapTypeOnly as unwrap, visit } from './util';

type Node = TSESTree.Node;
type Sdk = 'stripe' | 'twilio' | 'redis' | 'mail' | 'aws' | 'sendgrid' | 'fastify';

/** Methods of an ioredis or node-redis client that return no promise. */
const REDIS_SYNC = new Set([
  'on', 'once', 'off', 'addListener', 'prependListener', 'removeListener', 'removeAllListeners', 'emit',
  'setMaxListeners', 'getMaxListeners', 'listeners', 'listenerCount', 'eventNames', 'duplicate', 'pipeline',
  'multi', 'batch', 'defineCommand', 'createBuiltinCommand', 'scanStream', 'sscanStream', 'hscanStream',
  'zscanStream', 'scanIterator', 'hScanIterator', 'sScanIterator', 'zScanIterator', 'unref', 'ref',
  'withTypeMapping', 'withCommandOptions', 'isolated', 'legacy', 'disconnect', 'destroy', 'end',
]);
const TWILIO_METHODS = new Set(['create', 'fetch', 'update', 'remove', 'list', 'page']);
/** Stripe members that do not call the API. */
const STRIPE_SYNC_ROOTS = new Set(['webhooks', 'errors']);
const STRIPE_SYNC_METHODS = new Set(['authorizeUrl', 'on', 'once', 'off', 'getApiField', 'getConstant', 'getMaxNetworkRetries', 'setAppInfo', 'setTelemetryEnabled', 'createFetchHttpClient', 'createNodeHttpClient', 'createSubtleCryptoProvider', 'createNodeCryptoProvider']);

/** Whether a project module is named like a path alias or a relative import. */
function ownModule(module: string): boolean {
  return /^(\.{1,2}(\/|$)|@\/|~~?\/|\$lib(\/|$)|#)/.test(module);
}

/** The SDK client an initialiser makes (`new Stripe(key)`, `createClient()`, `nodemailer.createTransport(...)`). */
function madeBy(ctx: TsRuleContext, init: Node): Sdk | undefined {
  let e = unwrap(init);
  if (e.type === 'AwaitExpression') e = unwrap(e.argument);
  if (e.type !== 'NewExpression' && e.type !== 'CallExpression') return undefined;
  const m = ctx.imports.resolve(unwrap(e.callee));
  if (!m) return undefined;
  const path = (m.path[0] === 'default' ? m.path.slice(1) : m.path).join('.');
  if (m.module === 'stripe') return path === '' || path === 'Stripe' ? 'stripe' : undefined;
  if (m.module === 'twilio') return path === '' || path === 'Twilio' || path === 'twilio' ? 'twilio' : undefined;
  if (m.module === 'ioredis') return e.type === 'NewExpression' && (path === '' || path === 'Redis') ? 'redis' : undefined;
  if (m.module === 'redis' || m.module === '@redis/client') return path === 'createClient' ? 'redis' : undefined;
  if (m.module === 'nodemailer') return path === 'createTransport' ? 'mail' : undefined;
  if (m.module === 'fastify') return e.type === 'CallExpression' && (path === '' || path === 'fastify') ? 'fastify' : undefined;
  if (m.module.startsWith('@aws-sdk/client-')) return e.type === 'NewExpression' && /^\w+Client$/.test(path) ? 'aws' : undefined;
  return undefined;
}

/** The SDK whose client `root` names, if any. */
function clientOf(ctx: TsRuleContext, root: Node): Sdk | undefined {
  const r = unwrap(root);
  if (r.type !== 'Identifier') return undefined;
  const m = ctx.imports.resolve(r);
  if (m) {
    if (m.module === '@sendgrid/mail' && (m.path.length === 0 || (m.path.length === 1 && m.path[0] === 'default'))) return 'sendgrid';
    if (ownModule(m.module) && (r.name === 'stripe' || r.name === 'redis')) return r.name;
    return undefined;
  }
  let found: Sdk | undefined;
  let declarations = 0;
  visit(ctx.ast, (n) => {
    if (n.type === 'VariableDeclarator' && n.id.type === 'Identifier' && n.id.name === r.name) {
      declarations++;
      if (n.init) found = madeBy(ctx, n.init);
    }
  });
  return declarations === 1 ? found : undefined;
}

/** Whether the last argument is a callback (a function written there, or a name like `callback`). */
function hasCallback(call: TSESTree.CallExpression): boolean {
  const last = call.arguments[call.arguments.length - 1];
  if (!last) return false;
  const a = unwrap(last);
  return isFunction(a) || (a.type === 'Identifier' && /^(cb|callback|done|next)$/.test(a.name));
}

/** Whether a call of a back-end SDK returns a promise (see the module comment). */
export function serverSdkPromise(ctx: TsRuleContext, call: TSESTree.CallExpression): boolean {
  const callee = unwrap(call.callee);
  const method = propertyOf(callee);
  if (!method || callee.type !== 'MemberExpression') return false;
  // The member names between the client and the method (`checkout.sessions` of `stripe.checkout.sessions.create`).
  const between: string[] = [];
  let root: Node = unwrap(callee.object);
  for (;;) {
    if (root.type === 'CallExpression') root = unwrap(root.callee);
    const name = propertyOf(root);
    if (name === undefined || root.type !== 'MemberExpression') break;
    between.unshift(name);
    root = unwrap(root.object);
  }
  if (root.type !== 'Identifier') return false;
  const sdk = clientOf(ctx, root);
  switch (sdk) {
    case 'stripe':
      if (between.length === 0 || STRIPE_SYNC_METHODS.has(method)) return false;
      return !STRIPE_SYNC_ROOTS.has(between[0]) || method === 'constructEventAsync';
    case 'twilio':
      return between.length > 0 && TWILIO_METHODS.has(method) && !hasCallback(call);
    case 'redis':
      if (hasCallback(call)) return false;
      // `redis.multi().incr(key).expire(key, 60).exec()`
      if (between.length === 0) return !REDIS_SYNC.has(method);
      return method === 'exec' && unwrap(callee.object).type === 'CallExpression';
    case 'mail':
      if (between.length > 0) return false;
      return (method === 'sendMail' && call.arguments.length === 1 && !hasCallback(call)) || (method === 'verify' && call.arguments.length === 0);
    case 'aws':
      return between.length === 0 && method === 'send' && call.arguments.length === 1;
    case 'fastify':
      // `app.listen({ port })`, `app.close()`, `app.ready()` without their callback; not `register()`,
      // whose plugin loads when the server starts.
      return between.length === 0 && /^(listen|close|ready)$/.test(method) && !hasCallback(call);
    case 'sendgrid':
      return between.length === 0 && (method === 'send' || method === 'sendMultiple') && !hasCallback(call);
    default:
      return false;
  }
}

/**
 * `next()` in a Koa middleware, `(ctx, next) => ...` of a file importing Koa or its router (or a
 * grammY or Telegraf middleware, of a file importing either): it returns the promise of the rest of
 * the chain (koa-compose, grammY's and Telegraf's composers), whose failure and end it must await.
 */
export function koaNext(ctx: TsRuleContext, call: TSESTree.CallExpression): boolean {
  const callee = unwrap(call.callee);
  if (callee.type !== 'Identifier' || call.arguments.length > 0) return false;
  let fn: Node | undefined = call.parent;
  while (fn && !isFunction(fn)) fn = fn.parent;
  for (; fn; fn = fn.parent) {
    if (!isFunction(fn)) continue;
    const params = fn.params;
    if (params.some((p) => p.type === 'Identifier' && p.name === callee.name)) {
      const [first, second] = params;
      if (second?.type !== 'Identifier' || second.name !== callee.name || first?.type !== 'Identifier' || !/^(ctx|context)$/.test(first.name)) return false;
      break;
    }
  }
  if (!fn) return false;
  let koa = false;
  visit(ctx.ast, (n) => {
    if (koa) return;
    if (n.type === 'ImportDeclaration' && /^(koa|@koa\/router|koa-router|grammy|telegraf)$/.test(n.source.value)) koa = true;
    if (n.type === 'CallExpression' && n.callee.type === 'Identifier' && n.callee.name === 'require' && n.arguments[0]?.type === 'Literal' && /^(koa|@koa\/router|koa-router|grammy|telegraf)$/.test(String(n.arguments[0].value))) koa = true;
  });
  return koa;
}

const expressMajors = new Map<string, number | null>();

/** Forgets what the package.json files said (one was edited, added or deleted). */
export function forgetExpressVersions(): void {
  expressMajors.clear();
}

/**
 * The major version of Express the nearest `package.json` above the file depends on (`"express":
 * "^4.18.2"` gives 4), or undefined when it names none. Express 4 ignores what a handler returns;
 * Express 5 passes a rejected promise to `next(err)`.
 */
export function expressMajor(filePath: string): number | undefined {
  const major = nearestAbove<number | null>(
    filePath,
    expressMajors,
    (dir) => {
      const doc = readJsonIn(dir, 'package.json');
      if (doc === undefined) return undefined;
      for (const [name, version] of packageDependencies(doc)) {
        const m = name === 'express' && typeof version === 'string' ? /^\D*(\d+)/.exec(version) : null;
        if (m) return Number(m[1]);
      }
      return null;
    },
    null,
  );
  return major ?? undefined;
}
