/**
 * unclosed-resource (TS/JS): a handle that holds an OS or pool resource — a `FileHandle` from
 * `fs/promises`, a socket, a `readline` interface, a file stream, a pool client, an HTTP server
 * in a test, a database client or pool made per call (`pg`, `mysql2`, `mongodb`), a headless browser
 * (Puppeteer, Playwright), a build tool's handle (an esbuild context, a Vite dev server, a Rollup
 * bundle; a chokidar watcher per request or in a test; an ethers WebSocketProvider, a ccxt pro
 * exchange, a connected MCP client or Agents SDK MCP server) — kept in a local
 * variable and not closed on every path.
 *
 * Ownership is followed the way the Python rule does it: a handle that is returned, yielded,
 * stored, passed to another call, aliased or declared with `using` / `await using` belongs to
 * someone else and is not reported. Closing it inside a callback (`socket.on('end', () =>
 * socket.destroy())`) counts as closing it: event-driven code closes where the events say.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import * as ts from 'typescript';
import type { Fix } from '../../engine/types';
import type { TsRuleContext } from '../context';
import { type ModuleMember, memberName } from '../imports';
import { isPromiseLike, type TypeServices } from '../project';
import { automationKind, declarationOf, mentionsAutomation } from '../browserAutomationApis';
import { enclosingClass, enclosingFunction, finallyTry, isFunction, isTestPath, jumpTarget, platformHandler, visit, type FunctionNode } from '../util';

type Node = TSESTree.Node;

interface ResourceKind {
  /** How messages name it. */
  what: string;
  /** Methods that release it. */
  close: readonly string[];
  /** The call a `finally` block gets in the try/finally suggestion. */
  finallyCall: string;
  /** The release returns a promise. */
  asyncClose?: boolean;
  /** Being iterated with `for await` or driven by listeners ends its life by itself. */
  consumable?: boolean;
  /** Only a handle on which one of these methods is called holds anything (`listen()` of a server, `connect()` of a pg client). */
  activatedBy?: readonly string[];
  /** Methods whose result keeps the resource alive and can take it elsewhere (`client.db()` of MongoDB). */
  handles?: readonly string[];
  /** Meant to be made once and shared: the message says so. */
  shared?: boolean;
  /** How messages say it is done with, when not 'closed' (a transaction is 'committed or rolled back'). */
  closedWord?: string;
  /** The remedy messages give, when a `finally` with the close call is not it (no try/finally suggestion then). */
  remedy?: string;
  /** No try/finally suggestion: the close fails on a handle never activated (a finally that also covers a failed `initialize()`). */
  noFinallyFix?: boolean;
  /**
   * Reported only where it is made per request or per message (a serverless handler, a route
   * callback, a queue consumer's callback): a command line or a start-up function that makes one
   * for the life of the process is fine.
   */
  perRequest?: boolean;
  /** Reported made per request (with `perRequest`) and in test files (`*.test.*`, `*.spec.*`), whose runner it keeps from exiting. */
  inTests?: boolean;
  /**
   * Members that make it live as long as the program when called or read (`ctx.watch()` of an esbuild
   * context, `app.use(vite.middlewares)`): a dev process's context or server, not reported. So is one a
   * nested function uses (a request handler of the app it serves): it outlives the call that made it.
   */
  keptAliveBy?: readonly string[];
}

const FILE_HANDLE: ResourceKind = { what: 'file handle', close: ['close'], finallyCall: 'close', asyncClose: true };
// end() rather than destroy(): data written just before is still flushed.
const SOCKET: ResourceKind = { what: 'socket', close: ['end', 'destroy', 'destroySoon', 'resetAndDestroy'], finallyCall: 'end' };
const READLINE: ResourceKind = { what: 'readline interface', close: ['close'], finallyCall: 'close', consumable: true };
const READ_STREAM: ResourceKind = { what: 'file stream', close: ['close', 'destroy'], finallyCall: 'destroy', consumable: true };
const WRITE_STREAM: ResourceKind = { what: 'file stream', close: ['end', 'close', 'destroy'], finallyCall: 'end' };
const SERVER: ResourceKind = { what: 'server', close: ['close', 'closeAllConnections'], finallyCall: 'close', activatedBy: ['listen'] };
/** What `listen()` gives back: the server, already listening. */
const LISTENING_SERVER: ResourceKind = { ...SERVER, activatedBy: undefined };
// `close()`: how node-oracledb hands a pooled connection back.
const POOL_CLIENT: ResourceKind = { what: 'pool client', close: ['release', 'end', 'destroy', 'close'], finallyCall: 'release' };
/** TypeORM's `dataSource.createQueryRunner()`: a pooled connection held from its first query until `release()`. */
const QUERY_RUNNER: ResourceKind = { what: 'query runner', close: ['release'], finallyCall: 'release', asyncClose: true };
// Database clients and pools made inside a function: one connection (or pool of them) per call.
const PG_CLIENT: ResourceKind = { what: 'database client', close: ['end'], finallyCall: 'end', asyncClose: true, activatedBy: ['connect'] };
const PG_POOL: ResourceKind = { what: 'connection pool', close: ['end'], finallyCall: 'end', asyncClose: true, activatedBy: ['query', 'connect'], shared: true };
// `conn.promise()` wraps the connection (or pool) in its promise API.
const MYSQL_CONNECTION: ResourceKind = { what: 'database connection', close: ['end', 'destroy'], finallyCall: 'end', asyncClose: true, handles: ['promise'] };
const MYSQL_POOL: ResourceKind = { what: 'connection pool', close: ['end'], finallyCall: 'end', asyncClose: true, activatedBy: ['query', 'execute', 'getConnection'], handles: ['promise'], shared: true };
// `client.connect()` resolves to the client itself; `db()`, `startSession()` and `watch()` keep it alive.
const MONGO_HANDLES = ['connect', 'db', 'collection', 'startSession', 'watch'];
const MONGO_CONNECTED: ResourceKind = { what: 'database client', close: ['close'], finallyCall: 'close', asyncClose: true, handles: MONGO_HANDLES, shared: true };
const MONGO_NEW: ResourceKind = { ...MONGO_CONNECTED, activatedBy: ['connect', ...MONGO_HANDLES] };
// A mongoose connection of its own (`mongoose.createConnection(uri)`, also awaited through `.asPromise()`):
// a pool of sockets apart from the default connection, open until `close()`.
const MONGOOSE_CONNECTION: ResourceKind = { what: 'mongoose connection', close: ['close', 'destroy'], finallyCall: 'close', asyncClose: true, shared: true };
// A Prisma client per call opens its own connection pool on the first query.
const PRISMA_CLIENT: ResourceKind = { what: 'Prisma client', close: ['$disconnect'], finallyCall: '$disconnect', asyncClose: true, shared: true };
// node-redis connects on connect(); ioredis at once.
const REDIS_CLIENT: ResourceKind = { what: 'redis client', close: ['quit', 'disconnect', 'close', 'destroy'], finallyCall: 'quit', asyncClose: true, activatedBy: ['connect'], shared: true };
const IOREDIS_CLIENT: ResourceKind = { what: 'redis client', close: ['quit', 'disconnect'], finallyCall: 'quit', asyncClose: true, shared: true };
// Query builders and ORMs over a pool of their own: knex's `knex(config)` and `new Kysely(...)` end it
// with `destroy()`, `new Sequelize(...)` with `close()`, a TypeORM `DataSource` once `initialize()`d with
// `destroy()`, `await MikroORM.init(...)` with `close()`. Until then the pool's connections stay open (a
// script does not exit).
const KNEX_INSTANCE: ResourceKind = { what: 'knex instance', close: ['destroy'], finallyCall: 'destroy', asyncClose: true, shared: true };
const KYSELY_INSTANCE: ResourceKind = { what: 'Kysely instance', close: ['destroy'], finallyCall: 'destroy', asyncClose: true, shared: true };
const SEQUELIZE_INSTANCE: ResourceKind = { what: 'Sequelize instance', close: ['close'], finallyCall: 'close', asyncClose: true, shared: true };
const TYPEORM_DATA_SOURCE: ResourceKind = { what: 'TypeORM data source', close: ['destroy'], finallyCall: 'destroy', asyncClose: true, activatedBy: ['initialize'], shared: true, noFinallyFix: true };
const MIKRO_ORM: ResourceKind = { what: 'MikroORM instance', close: ['close'], finallyCall: 'close', asyncClose: true, shared: true };
// A transaction begun by hand holds a pooled connection (and its row locks) until it is committed or
// rolled back: knex's `await knex.transaction()`, Sequelize's `await sequelize.transaction()`, Kysely's
// `await db.startTransaction().execute()`. A `finally` with `rollback()` after a commit fails, so the
// remedy is a rollback in a catch that rethrows, or the callback form, which does both.
const TRANSACTION: ResourceKind = {
  what: 'transaction',
  close: ['commit', 'rollback'],
  finallyCall: 'rollback',
  asyncClose: true,
  closedWord: 'committed or rolled back',
  remedy: "roll it back in a catch that rethrows (catch (err) { await trx.rollback(); throw err; }), or pass the work as a callback (transaction(async (trx) => ...)), which commits or rolls back by itself; until then it holds a pooled connection and its locks",
};
// A MongoDB session (`client.startSession()`, mongoose's `await mongoose.startSession()`): ended with
// `endSession()`; one left open is only reaped by the server after 30 minutes.
const CLIENT_SESSION: ResourceKind = { what: 'MongoDB session', close: ['endSession'], finallyCall: 'endSession', asyncClose: true };

// Messaging and cloud clients: each holds its own connections (an AWS SDK v3 client its HTTP
// agent's sockets), and the platform keeps the process alive between invocations.
// nodemailer's pooled SMTP transport (`pool: true`) keeps its connections open until close(); a
// transport without a pool opens one per message and closes it.
const MAIL_POOL: ResourceKind = { what: 'pooled mail transport', close: ['close'], finallyCall: 'close', shared: true };
const AWS_CLIENT: ResourceKind = { what: 'AWS SDK client', close: ['destroy'], finallyCall: 'destroy', activatedBy: ['send'], shared: true, perRequest: true };
const AMQP_CONNECTION: ResourceKind = { what: 'AMQP connection', close: ['close'], finallyCall: 'close', asyncClose: true, handles: ['createChannel', 'createConfirmChannel'], shared: true, perRequest: true };
const KAFKA_CLIENT: ResourceKind = { what: 'Kafka client', close: ['disconnect'], finallyCall: 'disconnect', asyncClose: true, activatedBy: ['connect'], shared: true, perRequest: true };
const KAFKA_CLIENTS: Record<string, ResourceKind> = {
  producer: { ...KAFKA_CLIENT, what: 'Kafka producer' },
  consumer: { ...KAFKA_CLIENT, what: 'Kafka consumer' },
  admin: { ...KAFKA_CLIENT, what: 'Kafka admin client' },
};
// A BullMQ / Bull / Bee-Queue queue or worker opens its redis connections when it is made.
const JOB_QUEUE: ResourceKind = { what: 'job queue', close: ['close', 'disconnect'], finallyCall: 'close', asyncClose: true, shared: true, perRequest: true };
const QUEUE_WORKER: ResourceKind = { ...JOB_QUEUE, what: 'queue worker' };
// A Temporal client's connection (`Connection.connect()`, a worker's `NativeConnection.connect()`): a
// gRPC channel to the cluster, meant to be made once; a `Client` made over it never closes it.
const TEMPORAL_CONNECTION: ResourceKind = { what: 'Temporal connection', close: ['close'], finallyCall: 'close', asyncClose: true, shared: true, perRequest: true };
// Postgres job queues: a pg-boss instance opens its pool on `start()`; graphile-worker's
// `makeWorkerUtils()` opens one at once (released with `release()`).
const PG_BOSS: ResourceKind = { what: 'pg-boss instance', close: ['stop'], finallyCall: 'stop', asyncClose: true, activatedBy: ['start'], shared: true, perRequest: true };
const WORKER_UTILS: ResourceKind = { what: 'graphile-worker WorkerUtils', close: ['release'], finallyCall: 'release', asyncClose: true, shared: true, perRequest: true };
// A headless browser is a child process (Chrome, Firefox) with its profile on disk: one left open
// when the work throws outlives the caller's catch, and a retrying script piles them up.
const BROWSER: ResourceKind = { what: 'browser', close: ['close'], finallyCall: 'close', asyncClose: true };
// `puppeteer.connect()` / `chromium.connect()` attach to a running browser: disconnecting lets it go too.
const CONNECTED_BROWSER: ResourceKind = { ...BROWSER, close: ['close', 'disconnect'] };
// `launchPersistentContext()` starts a browser owned by the context it gives.
const PERSISTENT_CONTEXT: ResourceKind = { ...BROWSER, what: 'browser context' };
// A page (a tab) or a context opened on a browser that outlives the call (held by a class, a module,
// or handed out by a getter): each call that does not close it leaves one open in that browser.
const SHARED_BROWSER_PAGE: ResourceKind = { what: 'page of a long-lived browser', close: ['close'], finallyCall: 'close', asyncClose: true };
const SHARED_BROWSER_CONTEXT: ResourceKind = { ...SHARED_BROWSER_PAGE, what: 'browser context of a long-lived browser' };
const BROWSER_KINDS = new Set([BROWSER, CONNECTED_BROWSER, PERSISTENT_CONTEXT]);
// Build tools. An esbuild context keeps esbuild's service (a child process) and the Node process
// alive until `dispose()`; a Vite dev server its file watcher, websocket and optimiser; a Rollup
// bundle its plugins' `closeBundle` clean-up until `close()`; a chokidar watcher its inotify
// handles and the process.
const ESBUILD_CONTEXT: ResourceKind = { what: 'esbuild context', close: ['dispose'], finallyCall: 'dispose', asyncClose: true, keptAliveBy: ['watch', 'serve'] };
const VITE_SERVER: ResourceKind = { what: 'Vite dev server', close: ['close'], finallyCall: 'close', asyncClose: true, keptAliveBy: ['listen', 'middlewares', 'httpServer', 'restart'] };
const ROLLUP_BUNDLE: ResourceKind = { what: 'Rollup bundle', close: ['close'], finallyCall: 'close', asyncClose: true, keptAliveBy: [] };
const FILE_WATCHER: ResourceKind = { what: 'file watcher', close: ['close', 'unwatch'], finallyCall: 'close', asyncClose: true, perRequest: true, inTests: true, keptAliveBy: [] };
// An HTTP/2 client session (`http2.connect(origin)`) holds its socket, and keeps the process alive,
// until `close()`: its streams ending leave it open for the next request.
const HTTP2_SESSION: ResourceKind = { what: 'HTTP/2 session', close: ['close', 'destroy'], finallyCall: 'close' };
// An undici dispatcher made in a function (`new Pool(origin)`, `new Client(origin)`, `new Agent()`):
// its keep-alive sockets stay open after the requests, one set per call, until `close()`.
const UNDICI_DISPATCHER: ResourceKind = {
  what: 'undici dispatcher',
  close: ['close', 'destroy'],
  finallyCall: 'close',
  asyncClose: true,
  activatedBy: ['request', 'stream', 'pipeline', 'dispatch', 'connect', 'upgrade'],
  shared: true,
};
// Web3 and trading clients that hold a websocket, and MCP clients that hold a server (a child process
// over stdio, or an HTTP session): each keeps its connection, and the Node process, until it is closed.
// An ethers v6 `WebSocketProvider` (v5's `providers.WebSocketProvider`) opens its socket when it is made.
// One the function subscribes with (`provider.on('block', fn)`), or a function it makes uses, lives on for them.
const WEBSOCKET_PROVIDER: ResourceKind = { what: 'WebSocket provider', close: ['destroy'], finallyCall: 'destroy', asyncClose: true, shared: true, keptAliveBy: ['on', 'addListener'] };
// A ccxt pro exchange (`new ccxt.pro.binance()`) opens its websocket on the first `watch…` call.
const CCXT_PRO_EXCHANGE: ResourceKind = {
  what: 'ccxt pro exchange',
  close: ['close'],
  finallyCall: 'close',
  asyncClose: true,
  shared: true,
  keptAliveBy: [],
  activatedBy: [
    'watchTicker', 'watchTickers', 'watchOrderBook', 'watchOrderBookForSymbols', 'watchTrades', 'watchTradesForSymbols', 'watchOHLCV',
    'watchOHLCVForSymbols', 'watchBidsAsks', 'watchOrders', 'watchMyTrades', 'watchBalance', 'watchPositions', 'watchLiquidations',
    'watchFundingRate', 'watchMarkPrice', 'createOrderWs', 'editOrderWs', 'cancelOrderWs', 'fetchBalanceWs', 'fetchOrderWs',
  ],
};
// An MCP `Client` once `connect()`ed owns its transport: a stdio server's child process, an HTTP
// session. The OpenAI Agents SDK's MCP servers (`new MCPServerStdio(...)`) likewise once `connect()`ed.
// One that handles the server's notifications (`client.setNotificationHandler(...)`), or that a function it
// makes uses (a listener, a handler it serves), lives on for them.
const MCP_CLIENT: ResourceKind = { what: 'MCP client', close: ['close'], finallyCall: 'close', asyncClose: true, activatedBy: ['connect'], keptAliveBy: ['setNotificationHandler', 'setRequestHandler'] };
const AGENTS_MCP_SERVER: ResourceKind = { what: 'MCP server connection', close: ['close'], finallyCall: 'close', asyncClose: true, activatedBy: ['connect'], keptAliveBy: [] };
const MCP_CLIENT_MODULE = /^@modelcontextprotocol\/sdk\/client(\/index(\.js)?)?$/;
const AGENTS_MODULE = /^@openai\/agents(-core)?$/;

/** `new ccxt.pro.binance(...)`, `new pro.kraken(...)` (`import { pro } from 'ccxt'`), `new ccxtpro.okx(...)` of the old `ccxt.pro` package. */
function ccxtProExchange(m: ModuleMember): boolean {
  const p = memberName(m).split('.');
  if (m.module === 'ccxt') return p.length === 2 && p[0] === 'pro' && /^[a-z][a-z0-9]*$/.test(p[1]);
  return m.module === 'ccxt.pro' && p.length === 1 && /^[a-z][a-z0-9]*$/.test(p[0]);
}

const PLAYWRIGHT_MODULES = /^(playwright|playwright-core|playwright-chromium|playwright-firefox|playwright-webkit|@playwright\/test)$/;

/** A browser from Puppeteer's `launch()`/`connect()` or a Playwright browser type's `launch()`/`connect()`/`launchPersistentContext()`. */
function kindOfBrowserCall(m: ModuleMember): ResourceKind | undefined {
  const p = m.path.join('.').replace(/^default\./, '');
  if (/^(puppeteer|puppeteer-core|puppeteer-extra)$/.test(m.module)) {
    return p === 'launch' ? BROWSER : p === 'connect' ? CONNECTED_BROWSER : undefined;
  }
  if (PLAYWRIGHT_MODULES.test(m.module)) {
    const [type, method, ...rest] = p.split('.');
    if (rest.length || !/^(chromium|firefox|webkit)$/.test(type)) return undefined;
    if (method === 'launch') return BROWSER;
    if (method === 'connect' || method === 'connectOverCDP') return CONNECTED_BROWSER;
    if (method === 'launchPersistentContext') return PERSISTENT_CONTEXT;
  }
  return undefined;
}

function kindOfModuleCall(m: ModuleMember): ResourceKind | undefined {
  const p = m.path.join('.');
  switch (m.module) {
    case 'fs/promises':
      return p === 'open' ? FILE_HANDLE : undefined;
    case 'fs':
      if (p === 'promises.open') return FILE_HANDLE;
      if (p === 'createReadStream') return READ_STREAM;
      if (p === 'createWriteStream') return WRITE_STREAM;
      return undefined;
    case 'net':
      return p === 'connect' || p === 'createConnection' ? SOCKET : p === 'createServer' ? SERVER : undefined;
    case 'tls':
      return p === 'connect' ? SOCKET : p === 'createServer' ? SERVER : undefined;
    case 'readline':
    case 'readline/promises':
      return p === 'createInterface' ? READLINE : undefined;
    case 'http':
    case 'https':
    case 'http2':
      if (m.module === 'http2' && (p === 'connect' || p === 'default.connect')) return HTTP2_SESSION;
      return p === 'createServer' || p === 'createSecureServer' ? SERVER : undefined;
    case 'mysql':
    case 'mysql2':
    case 'mysql2/promise':
      if (p === 'createConnection' || p === 'default.createConnection') return MYSQL_CONNECTION;
      if (p === 'createPool' || p === 'default.createPool') return MYSQL_POOL;
      return undefined;
    case 'mongodb':
      return p === 'MongoClient.connect' ? MONGO_CONNECTED : undefined;
    case 'amqplib':
      return p === 'connect' || p === 'default.connect' ? AMQP_CONNECTION : undefined;
    case 'graphile-worker':
      return p === 'makeWorkerUtils' ? WORKER_UTILS : undefined;
    case '@temporalio/client':
      return p === 'Connection.connect' || p === 'Connection.lazy' ? TEMPORAL_CONNECTION : undefined;
    case '@temporalio/worker':
      return p === 'NativeConnection.connect' ? TEMPORAL_CONNECTION : undefined;
    case 'esbuild':
      return p === 'context' || p === 'default.context' ? ESBUILD_CONTEXT : undefined;
    case 'vite':
      return p === 'createServer' || p === 'default.createServer' ? VITE_SERVER : undefined;
    case 'rollup':
      return p === 'rollup' || p === 'default.rollup' ? ROLLUP_BUNDLE : undefined;
    case 'chokidar':
      return p === 'watch' || p === 'default.watch' ? FILE_WATCHER : undefined;
    case 'nodemailer':
      return p === 'createTransport' || p === 'default.createTransport' ? MAIL_POOL : undefined;
    case 'redis':
    case '@redis/client':
      return p === 'createClient' || p === 'default.createClient' ? REDIS_CLIENT : undefined;
    case 'knex':
      // `knex(config)`, `Knex(config)` (the default export), `knex.knex(config)`.
      return p === '' || p === 'default' || p === 'knex' || p === 'default.knex' ? KNEX_INSTANCE : undefined;
    case 'mongoose':
      // `await mongoose.startSession()` resolves to a session.
      if (p === 'createConnection' || p === 'default.createConnection') return MONGOOSE_CONNECTION;
      return p === 'startSession' || p === 'default.startSession' ? CLIENT_SESSION : undefined;
    case '@mikro-orm/core':
    case '@mikro-orm/postgresql':
    case '@mikro-orm/mysql':
    case '@mikro-orm/mariadb':
    case '@mikro-orm/sqlite':
    case '@mikro-orm/better-sqlite':
    case '@mikro-orm/libsql':
    case '@mikro-orm/mongodb':
    case '@mikro-orm/mssql':
      return p === 'MikroORM.init' ? MIKRO_ORM : undefined;
    default:
      return kindOfBrowserCall(m);
  }
}

/** The expression itself, or for a name the value its first declaration in the file gives it (unwrapped). */
function valueMade(ctx: TsRuleContext, expr: Node): Node | undefined {
  const e = unwrap(expr);
  if (e.type !== 'Identifier') return e;
  const name = e.name;
  let init: Node | undefined;
  visit(ctx.ast, (n) => {
    if (!init && n.type === 'VariableDeclarator' && n.id.type === 'Identifier' && n.id.name === name && n.init) init = n.init;
  });
  return init ? unwrap(init) : undefined;
}

/** Whether an expression makes (or names a variable made by) an http server or an express/Koa app. */
function makesServer(ctx: TsRuleContext, expr: Node): boolean {
  // `const app = express()` anywhere in the file (usually at its top).
  const e = valueMade(ctx, expr);
  if (e?.type !== 'CallExpression' && e?.type !== 'NewExpression') return false;
  const m = ctx.imports.resolve(e.callee);
  if (!m) return false;
  const p = m.path.join('.').replace(/^default\.?/, '');
  if (e.type === 'CallExpression' && kindOfModuleCall(m) === SERVER) return true;
  return (m.module === 'express' && p === '' && e.type === 'CallExpression') || (m.module === 'koa' && p === '' && e.type === 'NewExpression');
}

/** `new Client(...)` / `new pg.Pool(...)` (pg), `new MongoClient(...)` (mongodb). */
function kindOfModuleClass(m: ModuleMember): ResourceKind | undefined {
  const p = memberName(m);
  if (m.module === 'pg') return p === 'Client' ? PG_CLIENT : p === 'Pool' ? PG_POOL : undefined;
  if (m.module === 'mongodb') return p === 'MongoClient' ? MONGO_NEW : undefined;
  if (m.module === '@prisma/client') return p === 'PrismaClient' ? PRISMA_CLIENT : undefined;
  if (m.module === 'ioredis') return p === 'default' || p === 'Redis' || p === '' ? IOREDIS_CLIENT : undefined;
  // `new S3Client({})`, `new SQSClient({})`: the service clients of the AWS SDK v3.
  if (m.module.startsWith('@aws-sdk/client-')) return /^\w+Client$/.test(p) ? AWS_CLIENT : undefined;
  if (m.module === 'bullmq') return p === 'Queue' || p === 'FlowProducer' ? JOB_QUEUE : p === 'Worker' || p === 'QueueEvents' ? QUEUE_WORKER : undefined;
  if (m.module === 'bull' || m.module === 'bee-queue') return p === 'default' || p === '' ? JOB_QUEUE : undefined;
  if (m.module === 'pg-boss') return p === 'default' || p === '' || p === 'PgBoss' ? PG_BOSS : undefined;
  if (m.module === 'kysely') return p === 'Kysely' ? KYSELY_INSTANCE : undefined;
  if (m.module === 'sequelize' || m.module === '@sequelize/core') return p === 'Sequelize' || p === 'default' || p === '' ? SEQUELIZE_INSTANCE : undefined;
  if (m.module === 'typeorm') return p === 'DataSource' ? TYPEORM_DATA_SOURCE : undefined;
  if (m.module === 'undici') return /^(Pool|Client|Agent|BalancedPool)$/.test(p) ? UNDICI_DISPATCHER : undefined;
  if (m.module === 'ethers') return /^((ethers|providers|ethers\.providers)\.)?WebSocketProvider$/.test(p) ? WEBSOCKET_PROVIDER : undefined;
  if (ccxtProExchange(m)) return CCXT_PRO_EXCHANGE;
  if (MCP_CLIENT_MODULE.test(m.module)) return p === 'Client' ? MCP_CLIENT : undefined;
  if (AGENTS_MODULE.test(m.module)) return /^MCPServer(Stdio|StreamableHttp|SSE)$/.test(p) ? AGENTS_MCP_SERVER : undefined;
  return undefined;
}

function unwrap(node: Node): Node {
  let n = node;
  while (n.type === 'TSAsExpression' || n.type === 'TSNonNullExpression' || n.type === 'TSSatisfiesExpression') n = n.expression;
  return n;
}

/** The resource a declaration's initialiser acquires, if any (`await` required where the API is async). */
function acquired(ctx: TsRuleContext, init: Node, isTestFile: boolean): ResourceKind | undefined {
  let value = unwrap(init);
  const awaited = value.type === 'AwaitExpression';
  if (awaited) value = unwrap((value as TSESTree.AwaitExpression).argument);
  if (value.type === 'NewExpression') {
    const member = ctx.imports.resolve(value.callee);
    return member && kindOfModuleClass(member);
  }
  if (value.type !== 'CallExpression') return undefined;
  const callee = value.callee;
  // `await new MongoClient(uri).connect()`: connect() resolves to the client itself.
  if (awaited && callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier' && callee.property.name === 'connect') {
    const made = unwrap(callee.object);
    if (made.type === 'NewExpression') {
      const member = ctx.imports.resolve(made.callee);
      if (member && kindOfModuleClass(member) === MONGO_NEW) return MONGO_CONNECTED;
    }
  }
  // `await mongoose.createConnection(uri).asPromise()`: asPromise() resolves to the connection itself.
  if (awaited && callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier' && callee.property.name === 'asPromise') {
    const made = unwrap(callee.object);
    const member = made.type === 'CallExpression' ? ctx.imports.resolve(made.callee) : undefined;
    if (made.type === 'CallExpression' && made.arguments.length > 0 && member && kindOfModuleCall(member) === MONGOOSE_CONNECTION) return MONGOOSE_CONNECTION;
  }
  // `createServer(handler).listen(0)`, `app.listen(0)` on an express or Koa app: a listening server.
  // `.listen(0)`: a test server on a free port, whatever made it.
  const port0 = value.arguments[0]?.type === 'Literal' && value.arguments[0].value === 0;
  if (isTestFile && callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier' && callee.property.name === 'listen' && (port0 || makesServer(ctx, callee.object))) {
    return LISTENING_SERVER;
  }
  const member = ctx.imports.resolve(callee);
  // A member of the project's own module (`const { pool } = require('./db')`, or through a path
  // alias, `import { pool } from '@/lib/db'`) is judged below by its name.
  const kindOfMember = member ? kindOfModuleCall(member) : undefined;
  if (member && (kindOfMember || !isOwnModule(ctx, member.module))) {
    const kind = kindOfMember;
    if (!kind) return undefined;
    if ((kind === FILE_HANDLE || kind.what.startsWith('browser') || kind === ESBUILD_CONTEXT || kind === VITE_SERVER || kind === ROLLUP_BUNDLE) && !awaited) return undefined;
    // The promise APIs resolve to the handle: without `await`, the variable holds a promise.
    if ((kind === MONGO_CONNECTED || kind === AMQP_CONNECTION || member.module === 'mysql2/promise' && kind === MYSQL_CONNECTION) && !awaited) return undefined;
    if (kind === TEMPORAL_CONNECTION && !awaited && !member.path.includes('lazy')) return undefined;
    if ((kind === WORKER_UTILS || kind === MIKRO_ORM || kind === CLIENT_SESSION) && !awaited) return undefined;
    // `createConnection()` without a URI opens nothing until `openUri(...)`.
    if (kind === MONGOOSE_CONNECTION && value.arguments.length === 0) return undefined;
    if (kind === SERVER && !isTestFile) return undefined;
    if (kind === MAIL_POOL && !pooledTransport(value)) return undefined;
    return kind;
  }
  if (callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier' && callee.property.name === 'createQueryRunner') return QUERY_RUNNER;
  const transaction = awaited ? handTransaction(ctx, value) : undefined;
  if (transaction) return transaction;
  // `await this.browser.newPage()`: a tab of a browser that outlives the call.
  const page = awaited ? pageOfSharedBrowser(ctx, value, isTestPath(ctx.filePath, false)) : undefined;
  if (page) return page;
  // `client.startSession()` on a MongoDB client: a session to end.
  if (callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier' && callee.property.name === 'startSession' && givesNamed(ctx, value, 'ClientSession', 'endSession')) return CLIENT_SESSION;
  // `kafka.producer()`, `kafka.consumer({ groupId })`, `kafka.admin()` on a kafkajs `Kafka`.
  if (!awaited && callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier' && /^(producer|consumer|admin)$/.test(callee.property.name) && kafkaInstance(ctx, callee.object)) return KAFKA_CLIENTS[callee.property.name];
  // `await pool.connect()` (pg) / `await pool.getConnection()` (mysql2): a client checked out of
  // a pool. The receiver's name says it is a pool; a connected `Client` is not a pool client.
  if (awaited && callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier') {
    const method = callee.property.name;
    if (method !== 'connect' && method !== 'getConnection') return undefined;
    // With types, what the call gives decides: a client to release (`release()`), whatever the
    // pool is called (`this.db.connect()` with `db: pg.Pool`).
    const released = givesReleasable(ctx, value);
    if (released !== undefined) return released ? POOL_CLIENT : undefined;
    const receiver = callee.object.type === 'MemberExpression' && !callee.object.computed ? callee.object.property : callee.object;
    if (receiver.type === 'Identifier' && /pool$/i.test(receiver.name)) return POOL_CLIENT;
  }
  return undefined;
}

/**
 * `await browser.newPage()` (`newContext()`, `createBrowserContext()`) on a Puppeteer or Playwright
 * browser (or `context.newPage()` on a context) that outlives the call: one a class holds
 * (`this.browser`), one of the module, or one a getter gives (`const browser = await getBrowser()`).
 * Not on a browser the function launches itself (closing that closes its pages), nor on one it is
 * given (whose owner may close it when done), nor in test files (a suite's browser closes in its teardown).
 */
function pageOfSharedBrowser(ctx: TsRuleContext, call: TSESTree.CallExpression, isTestFile: boolean): ResourceKind | undefined {
  const callee = unwrap(call.callee);
  const method = callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier' ? callee.property.name : undefined;
  if (!method || callee.type !== 'MemberExpression' || isTestFile) return undefined;
  const made = method === 'newPage' ? SHARED_BROWSER_PAGE : /^(newContext|createBrowserContext|createIncognitoBrowserContext)$/.test(method) ? SHARED_BROWSER_CONTEXT : undefined;
  if (!made || !mentionsAutomation(ctx)) return undefined;
  const receiver = unwrap(callee.object);
  const kind = automationKind(ctx, receiver);
  if (kind !== 'browser' && !(kind === 'context' && made === SHARED_BROWSER_PAGE)) return undefined;
  if (receiver.type === 'MemberExpression') {
    let root: Node = receiver;
    while (root.type === 'MemberExpression') root = unwrap(root.object);
    return root.type === 'ThisExpression' ? made : undefined;
  }
  if (receiver.type !== 'Identifier') return undefined;
  const decl = declarationOf(receiver);
  if (!decl?.declarator) return undefined;
  if (decl.scope.type === 'Program') return made;
  // `const browser = await getBrowser()`, `await this.browserFor(url)`: a browser kept by whoever gives it.
  const init = decl.declarator.init && unwrap(decl.declarator.init);
  const inner = init?.type === 'AwaitExpression' ? unwrap(init.argument) : init;
  if (inner?.type !== 'CallExpression') return undefined;
  const getter = unwrap(inner.callee);
  const local = getter.type === 'Identifier' ? !ctx.imports.resolve(getter) : getter.type === 'MemberExpression' && unwrap(getter.object).type === 'ThisExpression';
  return local ? made : undefined;
}

/**
 * Whether a page or context a browser opens (`browser.newContext()`, `browser.newPage()`) is kept
 * where it outlives the call (`this.context = await browser.newContext()`, a module variable) or
 * returned: whoever keeps it reaches the browser through it (`context.browser()`), and closes it.
 */
function browserHandleKept(call: TSESTree.CallExpression, fn: FunctionNode): boolean {
  const method = call.callee.type === 'MemberExpression' && !call.callee.computed && call.callee.property.type === 'Identifier' ? call.callee.property.name : '';
  if (!/^(newPage|newContext|createBrowserContext|createIncognitoBrowserContext)$/.test(method)) return false;
  let top: Node = call;
  if (top.parent?.type === 'AwaitExpression') top = top.parent;
  const keeps = (value: Node): boolean => {
    const p = value.parent;
    if (p?.type === 'ReturnStatement') return true;
    if (p?.type === 'AssignmentExpression' && p.right === value) {
      if (p.left.type === 'MemberExpression') return true;
      const decl = p.left.type === 'Identifier' ? declarationOf(p.left) : undefined;
      return decl?.scope.type === 'Program';
    }
    return false;
  };
  if (keeps(top)) return true;
  const holder = top.parent;
  if (holder?.type !== 'VariableDeclarator' || holder.id.type !== 'Identifier') return false;
  return usesOf(fn, holder.id).some(({ id }) => keeps(id));
}

/** Socket and stream set-up methods that return the object they are called on. */
const RETURNS_RECEIVER = new Set(['setNoDelay', 'setKeepAlive', 'setTimeout', 'setEncoding', 'ref', 'unref', 'setMaxListeners']);

/**
 * `socket.setNoDelay(true).setKeepAlive(true)` in a `return` (or as an arrow's body): a chain of
 * calls that each give back their receiver, so the value returned is the resource itself.
 */
function returnsReceiver(member: TSESTree.MemberExpression): boolean {
  let top: Node = member;
  let calls = 0;
  while (top.type === 'MemberExpression' && !top.computed && top.property.type === 'Identifier' && RETURNS_RECEIVER.has(top.property.name)) {
    const call: Node | undefined = top.parent;
    if (call?.type !== 'CallExpression' || call.callee !== top) return false;
    calls++;
    top = call;
    if (top.parent?.type === 'MemberExpression' && top.parent.object === top) top = top.parent;
    else break;
  }
  if (calls === 0 || top.type !== 'CallExpression') return false;
  const holder = top.parent;
  return holder?.type === 'ReturnStatement' || (holder?.type === 'ArrowFunctionExpression' && holder.body === top);
}

/**
 * Whether a call only borrows the resource it is given: it calls a function of the file (`await
 * scrape(browser, url)`, `this.render(page)`) that uses its parameter (method calls, reads, lending it
 * on to such a function) without closing, keeping, returning or handing it elsewhere. The caller
 * still owns it, and closes it.
 */
function onlyBorrows(ctx: TsRuleContext, call: TSESTree.CallExpression, arg: Node, kind: ResourceKind, depth = 0): boolean {
  const index = call.arguments.indexOf(arg as TSESTree.CallExpressionArgument);
  const helper = localCallee(ctx, call);
  if (index < 0 || !helper || depth > 3) return false;
  let param: Node | undefined = helper.params[index];
  if (param?.type === 'AssignmentPattern') param = param.left;
  if (param?.type !== 'Identifier') return false;
  const name = param.name;
  let borrows = true;
  visit(helper.body, (n) => {
    if (!borrows || n.type !== 'Identifier' || n.name !== name) return;
    const parent = n.parent;
    if (!parent) return;
    if (parent.type === 'MemberExpression' && parent.property === n && !parent.computed) return;
    if ((parent.type === 'Property' || parent.type === 'MethodDefinition' || parent.type === 'PropertyDefinition') && parent.key === n && !parent.computed && !(parent.type === 'Property' && parent.shorthand)) return;
    if (parent.type === 'MemberExpression' && parent.object === n) {
      const method = !parent.computed && parent.property.type === 'Identifier' ? parent.property.name : undefined;
      // `return socket.setNoDelay(true).setKeepAlive(true)`: set-up calls that give back the resource
      // itself, returned: the helper hands it back, and what the caller does with the result (returns
      // it, stores it) is what it does with the resource. A result dropped leaves it with the caller.
      if (returnsReceiver(parent)) {
        if (call.parent?.type !== 'ExpressionStatement') borrows = false;
        return;
      }
      // Closing it, or keeping it alive for later, makes the helper its owner.
      if (!method || kind.close.includes(method) || kind.keptAliveBy?.includes(method)) borrows = false;
      // Something made from it that can take it elsewhere (`client.db()`, a stream of a FileHandle, a listener of a stream).
      else if (kind.handles?.includes(method) || (kind === FILE_HANDLE && ['createReadStream', 'createWriteStream', 'readableWebStream', 'readLines'].includes(method))) borrows = false;
      else if (kind.consumable && ['on', 'once', 'addListener', 'pipe', 'resume', 'read'].includes(method)) borrows = false;
      // A page or context it opens and keeps takes the browser with it.
      else if (BROWSER_KINDS.has(kind) && parent.parent?.type === 'CallExpression' && parent.parent.callee === parent && browserHandleKept(parent.parent, helper)) borrows = false;
      return;
    }
    if (parent.type === 'CallExpression' && parent.arguments.includes(n as TSESTree.CallExpressionArgument)) {
      if (!onlyBorrows(ctx, parent, n, kind, depth + 1)) borrows = false;
      return;
    }
    if ((parent.type === 'UnaryExpression' && parent.operator === 'typeof') || parent.type === 'BinaryExpression' || parent.type === 'IfStatement' || parent.type === 'TemplateLiteral') return;
    borrows = false;
  });
  return borrows;
}

/** The function of the file a call runs: a function declared (or assigned to a `const`) with that name, or a method of the same class (`this.scrape(...)`). */
function localCallee(ctx: TsRuleContext, call: TSESTree.CallExpression): FunctionNode | undefined {
  const callee = unwrap(call.callee);
  if (callee.type === 'MemberExpression') {
    const name = !callee.computed && callee.property.type === 'Identifier' ? callee.property.name : undefined;
    const cls = unwrap(callee.object).type === 'ThisExpression' ? enclosingClass(call) : undefined;
    const method = cls?.body.body.find((m) => m.type === 'MethodDefinition' && !m.static && m.kind === 'method' && !m.computed && m.key.type === 'Identifier' && m.key.name === name);
    return method?.type === 'MethodDefinition' && isFunction(method.value) ? method.value : undefined;
  }
  if (callee.type !== 'Identifier' || ctx.imports.resolve(callee)) return undefined;
  const found: FunctionNode[] = [];
  visit(ctx.ast, (n) => {
    if (n.type === 'FunctionDeclaration' && n.id?.name === callee.name) found.push(n);
    else if (n.type === 'VariableDeclarator' && n.id.type === 'Identifier' && n.id.name === callee.name && n.init && isFunction(unwrap(n.init))) found.push(unwrap(n.init) as FunctionNode);
  });
  return found.length === 1 ? found[0] : undefined;
}

/** `createTransport({ pool: true, ... })` or `createTransport('smtps://...?pool=true')`: a pooled SMTP transport. */
function pooledTransport(call: TSESTree.CallExpression): boolean {
  const options = call.arguments[0] && unwrap(call.arguments[0]);
  if (options?.type === 'Literal' && typeof options.value === 'string') return /[?&]pool=true\b/.test(options.value);
  if (options?.type !== 'ObjectExpression') return false;
  return options.properties.some(
    (p) => p.type === 'Property' && !p.computed && ((p.key.type === 'Identifier' && p.key.name === 'pool') || (p.key.type === 'Literal' && p.key.value === 'pool')) && p.value.type === 'Literal' && p.value.value === true,
  );
}

/**
 * A transaction begun by hand, awaited: `knex.transaction()` and `sequelize.transaction()` (also
 * `sequelize.transaction({ isolationLevel })`) with no callback, which would commit or roll back by
 * itself; Kysely's `db.startTransaction().execute()`. With types, what the call gives decides (a
 * `Transaction` with `commit()` and `rollback()`); without, the receiver's name (`knex`, `sequelize`).
 */
function handTransaction(ctx: TsRuleContext, call: TSESTree.CallExpression): ResourceKind | undefined {
  const callee = call.callee;
  if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier') return undefined;
  const method = callee.property.name;
  // `db.startTransaction().execute()` (Kysely's controlled transaction)
  if (method === 'execute' && call.arguments.length === 0) {
    const inner = unwrap(callee.object);
    if (inner.type !== 'CallExpression' || inner.callee.type !== 'MemberExpression' || inner.callee.computed || inner.callee.property.type !== 'Identifier' || inner.callee.property.name !== 'startTransaction') return undefined;
    const typed = givesNamed(ctx, call, 'ControlledTransaction', 'rollback');
    return typed === false ? undefined : TRANSACTION;
  }
  if (method !== 'transaction' || call.arguments.some((a) => isFunction(a as Node) || a.type === 'Identifier')) return undefined;
  if (call.arguments.length > 1 || (call.arguments[0] && call.arguments[0].type !== 'ObjectExpression')) return undefined;
  const typed = givesNamed(ctx, call, 'Transaction', 'rollback');
  if (typed !== undefined) return typed && givesNamed(ctx, call, 'Transaction', 'commit') ? TRANSACTION : undefined;
  const receiver = unwrap(callee.object);
  const name = receiver.type === 'Identifier' ? receiver.name : receiver.type === 'MemberExpression' && !receiver.computed && receiver.property.type === 'Identifier' ? receiver.property.name : '';
  return /^(knex|sequelize)$/i.test(name) ? TRANSACTION : undefined;
}

/**
 * Whether what a call gives (awaited) is a type of that name with that method; undefined without a
 * typed answer (no types, or `any`).
 */
function givesNamed(ctx: TsRuleContext, call: TSESTree.CallExpression, name: string, method: string): boolean | undefined {
  const type = awaitedTypeOf(ctx, call)?.type;
  if (!type) return undefined;
  const typeName = type.getSymbol()?.getName() ?? type.aliasSymbol?.getName() ?? '';
  return typeName === name && !!type.getProperty(method);
}

/** The type a call gives once awaited, with the type services; undefined without a typed answer (no types, or `any`/`unknown`). */
function awaitedTypeOf(ctx: TsRuleContext, call: TSESTree.CallExpression): { s: TypeServices; type: ts.Type } | undefined {
  const s = ctx.types();
  const tsNode = s?.tsNodeFor(call);
  if (!s || !tsNode) return undefined;
  const promised = s.checker.getTypeAtLocation(tsNode);
  if (promised.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return undefined;
  const type = s.checker.getAwaitedType(promised) ?? promised;
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return undefined;
  return { s, type };
}

/** Path-alias prefixes that name the project's own folders by convention (Next.js `@/`, Nuxt and Remix `~/`, SvelteKit `$lib/`, subpath imports `#`). */
const ALIAS_PREFIX = /^(@\/|~~?\/|\$lib(\/|$)|#)/;

/**
 * Whether an import names a module of the project itself: a relative path, or a path alias that
 * resolves (with types, through the tsconfig's `paths`) to a file outside `node_modules`; without
 * types, an alias of the usual shapes (`@/lib/db`, `~/utils/db`, `$lib/server/db`).
 */
function isOwnModule(ctx: TsRuleContext, module: string): boolean {
  if (/^\.{1,2}(\/|$)/.test(module)) return true;
  const s = ctx.types();
  if (s) {
    const resolved = ts.resolveModuleName(module, s.sourceFile.fileName, s.program.getCompilerOptions(), ts.sys).resolvedModule;
    if (resolved) return !resolved.isExternalLibraryImport && !/[\\/]node_modules[\\/]/.test(resolved.resolvedFileName);
  }
  return ALIAS_PREFIX.test(module);
}

/** Whether an expression is a kafkajs `Kafka` (by its type, or by the `new Kafka(...)` that makes it in this file). */
function kafkaInstance(ctx: TsRuleContext, expr: Node): boolean {
  const s = ctx.types();
  const tsNode = s?.tsNodeFor(expr);
  if (s && tsNode) {
    const type = s.checker.getTypeAtLocation(tsNode);
    if (!(type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown))) return (type.getSymbol()?.getName() ?? type.aliasSymbol?.getName()) === 'Kafka';
  }
  const e = valueMade(ctx, expr);
  if (e?.type !== 'NewExpression') return false;
  const m = ctx.imports.resolve(e.callee);
  return m?.module === 'kafkajs' && memberName(m) === 'Kafka';
}

const ROUTE_METHODS = /^(get|post|put|patch|delete|del|all|head|options)$/;

/**
 * Whether `fn` (or a function around it) runs once per request or message: an exported serverless
 * handler, a request handler (`(req, res)`, `(request, reply)`, `(ctx, next)`, a callback given to
 * `app.get('/path', ...)`), or a consumer's callback (amqplib's `channel.consume(q, cb)`, kafkajs's
 * `eachMessage`, a BullMQ `Worker` or Bull `process` processor, sqs-consumer's `handleMessage`).
 */
function perRequest(ctx: TsRuleContext, fn: FunctionNode): boolean {
  for (let f: FunctionNode | undefined = fn; f; f = enclosingFunction(f)) {
    if (platformHandler(f) || requestCallback(f) || messageCallback(ctx, f)) return true;
  }
  return false;
}

function paramName(fn: FunctionNode, i: number): string | undefined {
  const p = fn.params[i];
  return p?.type === 'Identifier' ? p.name : undefined;
}

function requestCallback(fn: FunctionNode): boolean {
  const first = paramName(fn, 0);
  const second = paramName(fn, 1);
  if (first && /^(req|request)$/.test(first) && (fn.params.length === 1 || /^(res|response|reply|h|next|ctx|context|env)$/.test(second ?? ''))) return true;
  if (first && /^(ctx|context)$/.test(first) && second === 'next') return true;
  const call = fn.parent;
  if (call?.type !== 'CallExpression' || !call.arguments.includes(fn as TSESTree.CallExpressionArgument)) return false;
  const callee = call.callee;
  const route = call.arguments[0];
  return callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier' && ROUTE_METHODS.test(callee.property.name)
    && (route?.type === 'Literal' && typeof route.value === 'string' || route?.type === 'TemplateLiteral');
}

function messageCallback(ctx: TsRuleContext, fn: FunctionNode): boolean {
  const parent = fn.parent;
  // `{ eachMessage: async ({ message }) => ... }`, `{ handleMessage: async (message) => ... }`
  if (parent?.type === 'Property' && parent.value === fn && !parent.computed && parent.key.type === 'Identifier' && /^(eachMessage|eachBatch|handleMessage|handleMessageBatch)$/.test(parent.key.name)) return true;
  // trigger.dev's `task({ id, run: async (payload) => ... })` (also `schemaTask`, `schedules.task`): once per run.
  if (parent?.type === 'Property' && parent.value === fn && !parent.computed && parent.key.type === 'Identifier' && parent.key.name === 'run' && triggerTask(ctx, parent.parent)) return true;
  // A Temporal activity: an exported function of a module written against `@temporalio/activity`, run once per task.
  if (temporalActivity(ctx, fn)) return true;
  if ((parent?.type !== 'CallExpression' && parent?.type !== 'NewExpression') || !parent.arguments.includes(fn as TSESTree.CallExpressionArgument)) return false;
  const callee = unwrap(parent.callee);
  if (parent.type === 'NewExpression') {
    const m = ctx.imports.resolve(callee);
    return m?.module === 'bullmq' && memberName(m) === 'Worker';
  }
  if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier') return false;
  const method = callee.property.name;
  if (method === 'consume') return true;
  if (method === 'process') return paramName(fn, 0) === 'job';
  // Inngest's `inngest.createFunction(options, async ({ event, step }) => ...)`: once per event.
  if (method === 'createFunction') return parent.arguments[parent.arguments.length - 1] === fn;
  // pg-boss's `boss.work('queue', [options,] async (jobs) => ...)`: once per job (batch).
  if (method === 'work') {
    const queue = parent.arguments[0];
    return !!queue && ((queue.type === 'Literal' && typeof queue.value === 'string') || queue.type === 'TemplateLiteral') && parent.arguments[0] !== fn;
  }
  const event = parent.arguments[0];
  return (method === 'on' || method === 'once') && event?.type === 'Literal' && event.value === 'message';
}

/** The options object of trigger.dev's `task(...)`, `schemaTask(...)` or `schedules.task(...)`. */
function triggerTask(ctx: TsRuleContext, options: Node | undefined): boolean {
  const call = options?.parent;
  if (options?.type !== 'ObjectExpression' || call?.type !== 'CallExpression' || call.arguments[0] !== options) return false;
  const m = ctx.imports.resolve(unwrap(call.callee));
  return !!m && /^@trigger\.dev\/sdk(\/v3)?$/.test(m.module) && /^(task|schemaTask|schedules\.task)$/.test(m.path.join('.'));
}

/**
 * An exported module-level function (`export async function chargeOrder(...)`, `export const x = async () => ...`)
 * of a file that imports values from `@temporalio/activity`: an activity, which a worker runs once per task.
 */
function temporalActivity(ctx: TsRuleContext, fn: FunctionNode): boolean {
  let holder: Node | undefined = fn;
  if (fn.type !== 'FunctionDeclaration') {
    const declarator = fn.parent;
    if (declarator?.type !== 'VariableDeclarator' || declarator.init !== fn) return false;
    holder = declarator.parent;
  }
  if (holder?.parent?.type !== 'ExportNamedDeclaration' || holder.parent.parent?.type !== 'Program') return false;
  return ctx.ast.body.some((st) => st.type === 'ImportDeclaration' && st.importKind !== 'type' && st.source.value === '@temporalio/activity' && st.specifiers.some((sp) => sp.type !== 'ImportSpecifier' || sp.importKind !== 'type'));
}

/** Calls whose options' `context` builds the context of every GraphQL request. */
const GRAPHQL_CONTEXT_CALLS = /^(startStandaloneServer|expressMiddleware|koaMiddleware|fastifyApolloHandler|startServerAndCreateLambdaHandler|startServerAndCreateNextHandler|createYoga|createHandler|useServer|ApolloServer)$/;
const GRAPHQL_MODULES = /^(@apollo\/server(\/.*)?|@as-integrations\/.*|apollo-server(-.*)?|graphql-yoga|@graphql-yoga\/.*|graphql-ws(\/.*)?|graphql-http(\/.*)?|mercurius)$/;

/**
 * A GraphQL server's context factory: the `context` option of Apollo's `startStandaloneServer`/
 * `expressMiddleware` (and the other integrations), Yoga's `createYoga`, graphql-ws's `useServer`,
 * graphql-http's `createHandler`, or of `app.register(mercurius, { ... })` — written in place, or
 * a function of the file named there (`context: buildContext`). It runs for every request.
 */
function contextFactory(ctx: TsRuleContext, fn: FunctionNode): boolean {
  const options = (prop: Node | undefined): boolean => {
    if (prop?.type !== 'Property' || prop.computed || prop.key.type !== 'Identifier' || prop.key.name !== 'context') return false;
    const obj = prop.parent;
    const call = obj?.parent;
    if ((call?.type !== 'CallExpression' && call?.type !== 'NewExpression') || !call.arguments.includes(obj as TSESTree.CallExpressionArgument)) return false;
    const callee = unwrap(call.callee);
    const m = ctx.imports.resolve(callee);
    if (m && GRAPHQL_MODULES.test(m.module) && GRAPHQL_CONTEXT_CALLS.test(memberName(m).split('.').pop() ?? '')) return true;
    // `app.register(mercurius, { schema, context })`
    const plugin = call.arguments[0] ? ctx.imports.resolve(unwrap(call.arguments[0] as Node)) : undefined;
    return callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier' && callee.property.name === 'register' && plugin?.module === 'mercurius';
  };
  if (options(fn.parent)) return true;
  // `context: buildContext` with `async function buildContext(...)` (or `const buildContext = ...`) in the file.
  const name = fn.type === 'FunctionDeclaration' ? fn.id?.name : fn.parent?.type === 'VariableDeclarator' && fn.parent.id.type === 'Identifier' ? fn.parent.id.name : undefined;
  if (!name || enclosingFunction(fn)) return false;
  let named = false;
  visit(ctx.ast, (n) => {
    if (!named && n.type === 'Property' && n.value.type === 'Identifier' && n.value.name === name && options(n)) named = true;
  });
  return named;
}

/**
 * The keys of the context object under which a resource (or the Drizzle db made over it) is
 * returned, when the context is the only place it goes: every use that is no method call on it
 * sits in the object literal the factory returns. Undefined otherwise.
 */
function contextKeys(ctx: TsRuleContext, fn: FunctionNode, resource: TSESTree.Identifier): string[] | undefined {
  const returned: TSESTree.ObjectExpression[] = [];
  if (fn.body.type !== 'BlockStatement') {
    const b = unwrap(fn.body);
    if (b.type === 'ObjectExpression') returned.push(b);
  } else {
    visit(fn.body, (n) => {
      if (n.type === 'ReturnStatement' && n.argument && unwrap(n.argument).type === 'ObjectExpression') returned.push(unwrap(n.argument) as TSESTree.ObjectExpression);
    }, isFunction);
  }
  if (!returned.length) return undefined;
  const keys = new Set<string>();
  const follow = (id: TSESTree.Identifier, depth: number): boolean => {
    for (const { id: use } of usesOf(fn, id)) {
      const parent = use.parent;
      if (parent?.type === 'MemberExpression' && parent.object === use) continue;
      const inReturned = returned.find((o) => use.range[0] >= o.range[0] && use.range[1] <= o.range[1]);
      if (inReturned) {
        const top = inReturned.properties.find((p) => use.range[0] >= p.range[0] && use.range[1] <= p.range[1]);
        if (top?.type === 'Property' && !top.computed && top.key.type === 'Identifier') keys.add(top.key.name);
        else return false;
        continue;
      }
      // `const db = drizzle(tx, { schema })`: the db carries the client into the context.
      const call = parent?.type === 'CallExpression' && parent.arguments[0] === use ? parent : undefined;
      const made = call?.parent;
      if (depth === 0 && call && drizzleCall(ctx, call) && made?.type === 'VariableDeclarator' && made.id.type === 'Identifier' && follow(made.id, 1)) continue;
      return false;
    }
    return true;
  };
  return follow(resource, 0) && keys.size ? [...keys] : undefined;
}

/**
 * A resource acquired right in the object a GraphQL context factory returns
 * (`({ client: await pool.connect() })`), with no release of that entry in the file or the modules
 * it imports. Only kinds that hold something once made (not a `new Client()` that needs `connect()`).
 */
function checkInlineContextEntry(ctx: TsRuleContext, prop: TSESTree.Property, isTestFile: boolean): void {
  if (prop.computed || prop.key.type !== 'Identifier' || prop.value.type === 'AssignmentPattern') return;
  const obj = prop.parent as TSESTree.ObjectExpression;
  const fn = enclosingFunction(obj);
  if (!fn) return;
  const returned = fn.body.type !== 'BlockStatement' ? unwrap(fn.body) === obj : obj.parent?.type === 'ReturnStatement' && enclosingFunction(obj.parent) === fn;
  if (!returned) return;
  const kind = acquired(ctx, prop.value as Node, isTestFile);
  if (!kind || kind.activatedBy || !contextFactory(ctx, fn)) return;
  const key = prop.key.name;
  if (releasedFromContext(ctx, [key], kind)) return;
  ctx.report({ message: contextMessage(kind, key), range: ctx.rangeOf(prop) });
}

function contextMessage(kind: ResourceKind, key: string): string {
  const checkedOut = kind === POOL_CLIENT || kind === QUERY_RUNNER;
  return `This ${kind.what} is made for every GraphQL request and put in its context ('${key}'), and nothing ${checkedOut ? 'releases' : 'closes'} it when the request ends: `
    + (checkedOut
      ? `the pool runs dry after as many requests as it has clients. Release it when the response is sent (an Apollo plugin's willSendResponse, Yoga's onResponse, Mercurius' onResponse hook), or give resolvers the pool`
      : 'every request leaves one open. Make one when the server starts and share it');
}

/**
 * A release of a context entry in the file or in a module of the project it imports (a plugin in
 * `plugins.ts`): `contextValue.tx.release()`, `ctx.client?.end()`.
 */
function releasedFromContext(ctx: TsRuleContext, keys: string[], kind: ResourceKind): boolean {
  const escape = (name: string) => name.replace(/\$/g, '\\$');
  const pattern = new RegExp(`\\.(${keys.map(escape).join('|')})\\??\\.(${kind.close.map(escape).join('|')})\\s*\\(`);
  if (pattern.test(ctx.text)) return true;
  for (const st of ctx.ast.body) {
    if (st.type !== 'ImportDeclaration' || typeof st.source.value !== 'string' || !st.source.value.startsWith('.')) continue;
    const text = readRelativeModule(ctx.filePath, st.source.value);
    if (text !== undefined && pattern.test(text)) return true;
  }
  return false;
}

/** The text of a relative import (`./plugins.js` → `plugins.ts`, `./plugins` → `plugins/index.ts`), if found. */
function readRelativeModule(from: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(from), specifier);
  const stem = base.replace(/\.(c|m)?js$/, '');
  const candidates = [base, ...['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs'].map((e) => stem + e), ...['index.ts', 'index.js'].map((i) => path.join(base, i))];
  for (const c of candidates) {
    try {
      if (fs.statSync(c).isFile()) return fs.readFileSync(c, 'utf8');
    } catch {
      // not this one
    }
  }
  return undefined;
}

type Fate = 'owned-elsewhere' | 'closed' | 'closed-on-success-path' | 'closed-on-error-only' | 'never-closed';

interface Use {
  id: TSESTree.Identifier;
}

/** Every reference to `name` inside `fn` after the declaration (a name-based approximation of scope). */
function usesOf(fn: FunctionNode, declaration: TSESTree.Identifier): Use[] {
  const out: Use[] = [];
  visit(fn.body ?? fn, (node) => {
    if (node.type !== 'Identifier' || node === declaration || node.name !== declaration.name) return;
    const parent = node.parent;
    if (parent?.type === 'MemberExpression' && parent.property === node && !parent.computed) return;
    if ((parent?.type === 'Property' || parent?.type === 'MethodDefinition' || parent?.type === 'PropertyDefinition') && parent.key === node && !parent.computed && !(parent.type === 'Property' && parent.shorthand)) return;
    // `{ connection }`: the key and the value are two nodes; the value is the use.
    if (parent?.type === 'Property' && parent.shorthand && parent.key === node && parent.value !== node) return;
    if (node.range[0] < declaration.range[0]) return;
    out.push({ id: node });
  });
  return out;
}

/**
 * Whether `node` sits in a `catch` clause that does not also hold `origin` (where the resource is
 * made): a close in the `catch` that made the resource runs on that path's success too.
 */
function insideCatch(node: Node, stop: Node, origin?: Node): boolean {
  for (let n: Node | undefined = node; n && n !== stop; n = n.parent) {
    const clause = n.parent;
    if (clause?.type !== 'CatchClause') continue;
    if (origin && clause.range[0] <= origin.range[0] && origin.range[1] <= clause.range[1]) return false;
    return true;
  }
  return false;
}

type Exit = TSESTree.ReturnStatement | TSESTree.ThrowStatement | TSESTree.BreakStatement | TSESTree.ContinueStatement;

/** The keyword of an exit statement, for messages. */
const EXIT_KEYWORD: Record<Exit['type'], string> = { ReturnStatement: 'return', ThrowStatement: 'throw', BreakStatement: 'break', ContinueStatement: 'continue' };

/**
 * Whether an exit leaves the code that runs from the creation (at offset `from`) to `closingTry`:
 * a `return` or `throw` always does; a `break` or `continue` when the loop (or labelled statement)
 * it leaves holds both, not one that starts after the creation or ends before that `try`.
 */
function skipsClosingTry(exit: Exit, from: number, closingTry: TSESTree.TryStatement): boolean {
  if (exit.type === 'ReturnStatement' || exit.type === 'ThrowStatement') return true;
  const target = jumpTarget(exit);
  return !!target && target.range[0] < from && target.range[1] >= closingTry.range[1];
}

/**
 * Whether an exit sits in the `catch` of a `try` that makes the resource as its last step that
 * may throw (`try { fh = await open(f); } catch { return null; }`): it runs only when making it failed.
 */
function onlyWhenMakingFails(exit: Exit, from: number, fn: FunctionNode, name: string): boolean {
  for (let n: Node | undefined = exit; n && n !== fn; n = n.parent) {
    if (n.type !== 'CatchClause' || n.parent?.type !== 'TryStatement') continue;
    const block = n.parent.block;
    if (block.range[0] < from && from <= block.range[1]) return !mayThrowBetween(fn, from, block.range[1], name);
  }
  return false;
}

/**
 * An exit of `fn` (not of a nested function) between offsets `from` and `to` that leaves without
 * the resource and does not hand on the variable `name`: a `return` or `throw`, and, when the
 * resource is closed by `closingTry` (the `try` at `to`), a `break` or `continue` that skips it.
 * An exit in the `catch` of a `try` that makes the resource runs only when making it failed.
 */
function exitBefore(fn: FunctionNode, from: number, to: number, name: string, closingTry?: TSESTree.TryStatement): Exit | undefined {
  let found: Exit | undefined;
  visit(fn.body ?? fn, (n) => {
    const jump = n.type === 'BreakStatement' || n.type === 'ContinueStatement';
    if (found || !(n.type === 'ReturnStatement' || n.type === 'ThrowStatement' || (jump && closingTry))) return;
    if (n.range[0] < from || n.range[0] >= to) return;
    if ((closingTry && !skipsClosingTry(n as Exit, from, closingTry)) || onlyWhenMakingFails(n as Exit, from, fn, name)) return;
    let mentions = false;
    visit(n, (m) => {
      if (m.type === 'Identifier' && m.name === name) mentions = true;
    });
    if (!mentions) found = n as Exit;
  }, isFunction);
  return found;
}

function insideNestedFunction(node: Node, fn: FunctionNode): boolean {
  for (let n = node.parent; n && n !== fn; n = n.parent) if (isFunction(n)) return true;
  return false;
}

/** Whether `fn` closes the transport given to `client.connect(transport)` (`transport.close()`). */
function closesArgument(connect: TSESTree.CallExpression, fn: FunctionNode): boolean {
  const arg = connect.arguments[0] ? unwrap(connect.arguments[0] as Node) : undefined;
  if (arg?.type !== 'Identifier') return false;
  let closed = false;
  visit(fn.body ?? fn, (n) => {
    if (closed || n.type !== 'CallExpression') return;
    const callee = unwrap(n.callee);
    closed = callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier' && callee.property.name === 'close'
      && unwrap(callee.object).type === 'Identifier' && (unwrap(callee.object) as TSESTree.Identifier).name === arg.name;
  });
  return closed;
}

/** Array methods that call an inline callback before they return. */
const ON_THE_SPOT = /^(map|forEach|flatMap|filter|reduce|reduceRight|some|every|find|findIndex|findLast|findLastIndex)$/;

/**
 * Whether `node` is inside a function of `fn` that may run after `fn` is done: not an inline callback
 * an array method runs on the spot (`files.map((f) => client.callTool(...))`).
 */
function insideLaterFunction(node: Node, fn: FunctionNode): boolean {
  for (let n = node.parent; n && n !== fn; n = n.parent) {
    if (!isFunction(n)) continue;
    const call = n.parent;
    const callee = call?.type === 'CallExpression' && call.arguments[0] === n ? unwrap(call.callee) : undefined;
    const method = callee?.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier' ? callee.property.name : undefined;
    if (!method || !ON_THE_SPOT.test(method)) return true;
  }
  return false;
}

/**
 * Whether a use sits in a function that this one returns (`return async (req, res, next) => {
 * await client.incr(key) }`, also as a property of a returned object): a middleware or client
 * wrapper made by a factory, which keeps the resource for as long as it lives.
 */
function usedByReturnedFunction(node: Node, fn: FunctionNode): boolean {
  let inner: Node | undefined;
  for (let n = node.parent; n && n !== fn; n = n.parent) if (isFunction(n)) inner = n;
  if (!inner) return false;
  let e: Node = inner;
  let p = e.parent;
  while (p && (p.type === 'TSAsExpression' || p.type === 'TSSatisfiesExpression' || (p.type === 'Property' && p.value === e) || p.type === 'ObjectExpression' || p.type === 'ArrayExpression')) {
    e = p;
    p = p.parent;
  }
  if (p === fn) return fn.type === 'ArrowFunctionExpression' && fn.body === e;
  if (p?.type !== 'ReturnStatement') return false;
  for (let n: Node | undefined = p.parent; n; n = n.parent) if (isFunction(n)) return n === fn;
  return false;
}

function fateOf(
  ctx: TsRuleContext,
  uses: Use[],
  kind: ResourceKind,
  fn: FunctionNode,
  origin?: Node,
): { fate: Fate; activated: boolean; closeAt?: number; closingTry?: TSESTree.TryStatement; closeMethod?: string; lentAt?: number; activatedAt?: number } {
  let closedOnSuccess: number | undefined;
  let closedOnError = false;
  // The close method the code calls (`sock.destroy()`), for the message: on the success path if any.
  let closeMethod: string | undefined;
  let activated = false;
  // Lent to a call (`await fn(fh)`) that this function follows with its own close: a loan, not
  // a hand-off. Only decided once the whole function is seen.
  let lent = false;
  let lentAt: number | undefined;
  // Where the first call that makes it hold something (`await client.connect()`) ends: a throw
  // before then leaves nothing to close.
  let activatedAt: number | undefined;
  for (const { id } of uses) {
    const parent = id.parent;
    if (!parent) return { fate: 'owned-elsewhere', activated };
    if (usedByReturnedFunction(id, fn)) return { fate: 'owned-elsewhere', activated };
    if (parent.type === 'MemberExpression' && parent.object === id) {
      const method = !parent.computed && parent.property.type === 'Identifier' ? parent.property.name : undefined;
      const call = parent.parent;
      const called = call?.type === 'CallExpression' && call.callee === parent;
      if (method && kind.keptAliveBy?.includes(method)) return { fate: 'owned-elsewhere', activated };
      // `this.context = await browser.newContext()`: the browser goes with what it opened.
      if (BROWSER_KINDS.has(kind) && called && browserHandleKept(call as TSESTree.CallExpression, fn)) return { fate: 'owned-elsewhere', activated };
      // `await client.connect(transport)` and later `await transport.close()`: closing the transport
      // an MCP client runs over ends the client too.
      if (kind === MCP_CLIENT && method === 'connect' && called && closesArgument(call as TSESTree.CallExpression, fn)) return { fate: 'owned-elsewhere', activated };
      if (kind.keptAliveBy && !(method && called && kind.close.includes(method)) && insideLaterFunction(parent, fn)) return { fate: 'owned-elsewhere', activated };
      if (method && called && kind.close.includes(method)) {
        if (insideNestedFunction(call, fn)) return { fate: 'closed', activated };
        const closingTry = finallyTry(call);
        if (closingTry) return { fate: 'closed', activated, closingTry };
        if (insideCatch(call, fn, origin)) {
          closedOnError = true;
          closeMethod ??= method;
        } else if (closedOnSuccess === undefined) {
          closedOnSuccess = call.range[0];
          closeMethod = method;
        }
        continue;
      }
      if (method && called && kind.activatedBy?.includes(method)) {
        activated = true;
        // A `connect()`/`listen()` that fails leaves nothing open; a pool's first failed query does.
        if (method === 'connect' || method === 'listen') activatedAt ??= call!.range[1];
      }
      // `client.db()`: a handle that keeps the client alive, and may take it elsewhere.
      if (method && called && kind.handles?.includes(method) && handleEscapes(call, kind.handles, fn)) return { fate: 'owned-elsewhere', activated };
      // A stream made from a FileHandle closes the handle when it ends (autoClose).
      if (kind === FILE_HANDLE && called && method && ['createReadStream', 'createWriteStream', 'readableWebStream', 'readLines'].includes(method)) return { fate: 'owned-elsewhere', activated };
      // `session.on('close', done)`: it waits to be closed, by the other side or by whoever ends
      // the connection (`fastify.close()` ends a test's HTTP/2 session), as `once(sock, 'close')` does.
      if (called && method && ['on', 'once', 'addListener'].includes(method) && closedOnSuccess === undefined) {
        const event = call.arguments[0];
        if (event?.type === 'Literal' && (event.value === 'close' || event.value === 'end' || event.value === 'finish')) return { fate: 'closed', activated };
      }
      // Listeners, piping and reading hand the lifetime to the stream's own end.
      if (kind.consumable && called && method && ['on', 'once', 'addListener', 'pipe', 'resume', 'read'].includes(method)) return { fate: 'owned-elsewhere', activated };
      if (parent.computed) return { fate: 'owned-elsewhere', activated }; // x[Symbol.asyncIterator]() and the like
      continue; // any other member use (fh.read(), socket.write()) keeps it here
    }
    // `session.withTransaction(async () => { await orders.updateOne(q, u, { session }); })`: a use
    // inside the work given to its own withTransaction() runs while that method runs, on its behalf.
    if (inCallbackOfOwnMethod(id, fn)) continue;
    // `trx('tasks').insert(row)`, `db('users')`: a knex instance or transaction called as a query
    // builder factory is used, not handed on.
    if (parent.type === 'CallExpression' && parent.callee === id) continue;
    if (parent.type === 'ForOfStatement' && parent.right === id) {
      if (kind.consumable) return { fate: 'owned-elsewhere', activated };
      continue;
    }
    if (parent.type === 'UnaryExpression' && parent.operator === 'typeof') continue;
    if (parent.type === 'BinaryExpression' || parent.type === 'IfStatement' || parent.type === 'LogicalExpression' && parent.parent?.type === 'IfStatement') continue;
    if (parent.type === 'TemplateLiteral') continue;
    // `await once(socket, 'connect')`, `on(socket, 'data')` (node:events) wait on it without taking it.
    if (parent.type === 'CallExpression' && parent.arguments.includes(id as TSESTree.CallExpressionArgument) && isEventsWaiter(ctx, parent)) {
      // Waiting for it to end (`once(sock, 'close')`): the other side closes it.
      // After our own end() (`out.end(); await once(out, 'finish')`), it only waits for that close.
      const event = parent.arguments[1];
      if (closedOnSuccess === undefined && event?.type === 'Literal' && (event.value === 'close' || event.value === 'end' || event.value === 'finish')) return { fate: 'closed', activated };
      continue;
    }
    // `await finished(stream)`: waits for its end; after our own end() call, for that one.
    if (parent.type === 'CallExpression' && parent.arguments[0] === id && isFinishedWaiter(ctx, parent)) {
      if (closedOnSuccess === undefined) return { fate: 'closed', activated };
      continue;
    }
    // `await use(client)` in a Playwright/Vitest fixture: the test borrows it and `use()` never
    // rejects, so the teardown after it always runs.
    if (parent.type === 'CallExpression' && fixtureUse(parent, fn)) continue;
    // `drizzle(pool)`, `drizzle({ client: pool })`: Drizzle's db queries through the pool and never
    // ends it. The pool goes where that db goes: used here only (`db.select()...`), it stays ours.
    const wrapper = parent.type === 'CallExpression' && parent.arguments[0] === id ? parent : literalArgumentOf(id);
    if (wrapper?.type === 'CallExpression' && !insideNestedFunction(wrapper, fn) && drizzleCall(ctx, wrapper)) {
      const used = drizzleDbUses(wrapper, fn);
      if (used === undefined) return { fate: 'owned-elsewhere', activated };
      if (used) activated = true;
      continue;
    }
    // `new Client({ connection })` (Temporal): the client sends through the connection and never
    // closes it. The connection goes where the client goes; used here only (`client.workflow.start(...)`),
    // it stays ours. A read of `client.connection` may close it (`client.connection.close()`).
    if (wrapper?.type === 'NewExpression' && kind === TEMPORAL_CONNECTION && !insideNestedFunction(wrapper, fn) && temporalClientClass(ctx, wrapper)) {
      const used = drizzleDbUses(wrapper, fn, (use) => use.parent?.type === 'MemberExpression' && !use.parent.computed && use.parent.property.type === 'Identifier' && use.parent.property.name === 'connection');
      if (used === undefined) return { fate: 'owned-elsewhere', activated };
      continue;
    }
    // `new Agent({ mcpServers: [server] })` (OpenAI Agents SDK): the agent lists the server's tools and
    // never closes it. The server goes where the agent goes; only run here (`run(agent, input)`), it stays ours.
    const agent = agentOfMcpServer(ctx, id);
    if (agent && !insideNestedFunction(agent, fn)) {
      if (agentLeaves(agent, fn)) return { fate: 'owned-elsewhere', activated };
      continue;
    }
    // `await scrape(browser, url)` with `scrape` a function of the file that only uses it: a loan.
    if (parent.type === 'CallExpression' && !insideNestedFunction(parent, fn) && onlyBorrows(ctx, parent, id, kind)) continue;
    // `pipeline(stream, res)`, `new StreamableFile(stream)`: handed on where the call is made.
    if ((parent.type === 'CallExpression' || parent.type === 'NewExpression') && parent.arguments.includes(id as TSESTree.CallExpressionArgument) && !insideNestedFunction(parent, fn)) {
      lent = true;
      lentAt = Math.min(lentAt ?? Infinity, parent.range[0]);
      continue;
    }
    // `s3.send(new PutObjectCommand({ Bucket, Key, Body: body }))`, `new Upload({ params: { Body: stream } })`:
    // a property of an object literal given to a call is handed on where that call is made.
    const carrier = literalArgumentOf(id);
    if (carrier && !insideNestedFunction(carrier, fn)) {
      lent = true;
      lentAt = Math.min(lentAt ?? Infinity, carrier.range[0]);
      continue;
    }
    // Returned, yielded, passed, stored, aliased, captured into an object or array: owned elsewhere.
    return { fate: 'owned-elsewhere', activated };
  }
  // Passed on and never closed here: whoever got it closes it.
  if (lent && closedOnSuccess === undefined) return { fate: 'owned-elsewhere', activated, lentAt };
  // Closed only in a catch clause: on success it is never closed.
  if (closedOnSuccess === undefined) return { fate: closedOnError ? 'closed-on-error-only' : 'never-closed', activated, closeMethod };
  return { fate: closedOnError ? 'closed' : 'closed-on-success-path', activated, closeAt: closedOnSuccess, closeMethod, activatedAt };
}

/** Methods of a resource that run the callback they are given before they settle: a transaction's work. */
const RUNS_WORK_NOW = /^(withTransaction|transaction|transactional)$/;

/**
 * Whether `id` sits in a function given as an argument to a method call on a variable of the same
 * name, in `fn` itself (`session.withTransaction(async () => ... session ...)`).
 */
function inCallbackOfOwnMethod(id: TSESTree.Identifier, fn: FunctionNode): boolean {
  for (let n: Node | undefined = id.parent; n && n !== fn; n = n.parent) {
    if (!isFunction(n)) continue;
    const call = n.parent;
    if (call?.type !== 'CallExpression' || !call.arguments.includes(n as TSESTree.CallExpressionArgument)) return false;
    const callee = unwrap(call.callee);
    if (callee.type !== 'MemberExpression' || unwrap(callee.object).type !== 'Identifier' || (unwrap(callee.object) as TSESTree.Identifier).name !== id.name) return false;
    // Only methods that run the work while they run: a listener (`sock.on('data', () => done(sock))`)
    // runs later, where a call may well take the resource over.
    if (callee.computed || callee.property.type !== 'Identifier' || !RUNS_WORK_NOW.test(callee.property.name)) return false;
    return !insideNestedFunction(call, fn) && enclosingFunction(call) === fn;
  }
  return false;
}

/**
 * The call or `new` that takes, as an argument, an object literal holding `id` as a property value
 * (at any depth of nested literals: `{ params: { Body: id } }`).
 */
function literalArgumentOf(id: TSESTree.Identifier): TSESTree.CallExpression | TSESTree.NewExpression | undefined {
  let n: Node = id;
  let inLiteral = false;
  for (let depth = 0; depth < 6; depth++) {
    const p: Node | undefined = n.parent;
    if (p?.type === 'Property' && p.value === n && p.parent?.type === 'ObjectExpression') {
      n = p.parent;
      inLiteral = true;
      continue;
    }
    if (inLiteral && (p?.type === 'CallExpression' || p?.type === 'NewExpression') && p.arguments.includes(n as TSESTree.CallExpressionArgument)) return p;
    return undefined;
  }
  return undefined;
}

/**
 * Whether an awaited `x.connect()` / `x.getConnection()` gives a pool's client (an object with a
 * `release()` method, as pg's `PoolClient` and mysql2's `PoolConnection` have); undefined without
 * a typed answer (no types, or `any`).
 */
function givesReleasable(ctx: TsRuleContext, call: TSESTree.CallExpression): boolean | undefined {
  const typed = awaitedTypeOf(ctx, call);
  if (!typed) return undefined;
  const { s, type } = typed;
  const receiver = s.tsNodeFor(unwrap(call.callee as Node).type === 'MemberExpression' ? (unwrap(call.callee as Node) as TSESTree.MemberExpression).object : call.callee);
  const pool = receiver ? s.checker.getTypeAtLocation(receiver) : undefined;
  // The receiver must be a pool (a `Client`'s own `connect()` gives nothing to release).
  const poolName = pool?.getSymbol()?.getName() ?? pool?.aliasSymbol?.getName() ?? '';
  return !!type.getProperty('release') && /Pool/.test(poolName);
}

/** `finished(x)` from node:stream/promises (or `stream.promises.finished`). */
function isFinishedWaiter(ctx: TsRuleContext, call: TSESTree.CallExpression): boolean {
  const m = ctx.imports.resolve(call.callee);
  const p = m ? memberName(m) : undefined;
  return (m?.module === 'stream/promises' && p === 'finished') || (m?.module === 'stream' && p === 'promises.finished');
}

/** `events.once(x, ...)`, `events.on(x, ...)`, `EventEmitter.once(x, ...)` from node:events. */
function isEventsWaiter(ctx: TsRuleContext, call: TSESTree.CallExpression): boolean {
  const m = ctx.imports.resolve(call.callee);
  if (!m || m.module !== 'events') return false;
  const p = m.path.join('.').replace(/^(default\.)?(EventEmitter\.)?/, '');
  return p === 'once' || p === 'on';
}

/** The outermost expression of the member/call chain that starts at `node` (`a.b().c()` from `a`). */
function chainTop(node: Node): Node {
  let n = node;
  for (;;) {
    const p = n.parent;
    if (!p) return n;
    if ((p.type === 'MemberExpression' && p.object === n) || (p.type === 'CallExpression' && p.callee === n)
      || p.type === 'TSNonNullExpression' || p.type === 'ChainExpression' || p.type === 'TSAsExpression') n = p;
    else return n;
  }
}

/**
 * Whether a handle made from the resource (`client.db('app')`) leaves the function: returned,
 * stored, passed on, or kept in a variable that does. A chain that goes on to a query
 * (`client.db().collection('x').findOne()`) gives back data, not the handle.
 */
function handleEscapes(call: TSESTree.CallExpression, handles: readonly string[], fn: FunctionNode, depth = 0): boolean {
  let top = chainTop(call);
  const last = unwrap(top);
  const lastMethod = last.type === 'CallExpression' && last.callee.type === 'MemberExpression' && !last.callee.computed && last.callee.property.type === 'Identifier' ? last.callee.property.name : undefined;
  if (!lastMethod || !handles.includes(lastMethod)) return false;
  if (top.parent?.type === 'AwaitExpression') top = top.parent;
  const parent = top.parent;
  if (!parent || parent.type === 'ExpressionStatement') return false;
  if (parent.type !== 'VariableDeclarator' || parent.id.type !== 'Identifier' || depth > 3) return true;
  for (const { id } of usesOf(fn, parent.id)) {
    const p = id.parent;
    if (p?.type === 'MemberExpression' && p.object === id) {
      const c = p.parent;
      if (c?.type === 'CallExpression' && c.callee === p && handleEscapes(c, handles, fn, depth + 1)) return true;
      continue;
    }
    return true;
  }
  return false;
}

/** The `new Agent({ mcpServers: [..., server] })` (or `Agent.create(...)`) of the Agents SDK that lists `id` among its MCP servers. */
function agentOfMcpServer(ctx: TsRuleContext, id: TSESTree.Identifier): TSESTree.NewExpression | TSESTree.CallExpression | undefined {
  const list = id.parent;
  if (list?.type !== 'ArrayExpression') return undefined;
  const prop = list.parent;
  if (prop?.type !== 'Property' || prop.value !== list || prop.computed || prop.key.type !== 'Identifier' || prop.key.name !== 'mcpServers') return undefined;
  const options = prop.parent;
  const made = options?.parent;
  if (options?.type !== 'ObjectExpression' || (made?.type !== 'NewExpression' && made?.type !== 'CallExpression') || made.arguments[0] !== options) return undefined;
  const m = ctx.imports.resolve(made.callee);
  if (!m || !AGENTS_MODULE.test(m.module)) return undefined;
  const name = memberName(m);
  return (made.type === 'NewExpression' && name === 'Agent') || (made.type === 'CallExpression' && name === 'Agent.create') ? made : undefined;
}

/** Whether the agent leaves the function (returned, stored, put in an object or a list): whoever gets it may close its servers. */
function agentLeaves(agent: TSESTree.NewExpression | TSESTree.CallExpression, fn: FunctionNode): boolean {
  const parent = agent.parent;
  if (parent?.type !== 'VariableDeclarator' || parent.id.type !== 'Identifier') return parent?.type === 'ReturnStatement' || parent?.type === 'ArrowFunctionExpression';
  return usesOf(fn, parent.id).some(({ id }) => {
    const p = id.parent;
    return p?.type === 'ReturnStatement' || p?.type === 'ArrayExpression' || (p?.type === 'Property' && p.value === id) || (p?.type === 'AssignmentExpression' && p.right === id) || (p?.type === 'ArrowFunctionExpression' && p.body === id);
  });
}

/** `drizzle(...)` from one of drizzle-orm's drivers (`drizzle-orm/node-postgres`, `drizzle-orm/mysql2`, ...). */
function drizzleCall(ctx: TsRuleContext, call: TSESTree.CallExpression): boolean {
  const m = ctx.imports.resolve(call.callee);
  return !!m && /^drizzle-orm(\/|$)/.test(m.module) && memberName(m) === 'drizzle';
}

/** `new Client(...)`, `new WorkflowClient(...)`, `new ScheduleClient(...)`... of `@temporalio/client`: clients over a connection they do not own. */
function temporalClientClass(ctx: TsRuleContext, made: TSESTree.NewExpression): boolean {
  const m = ctx.imports.resolve(made.callee);
  return !!m && m.module === '@temporalio/client' && /^(Client|WorkflowClient|ScheduleClient|AsyncCompletionClient)$/.test(memberName(m));
}

/**
 * What becomes of the db a `drizzle(pool)` call makes: undefined when it leaves the function
 * (returned, stored, passed on: whoever gets it owns the pool), else whether it is queried
 * (`drizzle(pool).select()`, `const db = drizzle(pool)` then only `db.select()...`, `db.transaction(...)`).
 */
function drizzleDbUses(call: TSESTree.CallExpression | TSESTree.NewExpression, fn: FunctionNode, handsOn?: (use: TSESTree.Identifier) => boolean): boolean | undefined {
  const parent = call.parent;
  if (parent?.type === 'MemberExpression' && parent.object === call) return true;
  if (parent?.type === 'ExpressionStatement') return false;
  if (parent?.type !== 'VariableDeclarator' || parent.init !== call || parent.id.type !== 'Identifier') return undefined;
  let used = false;
  for (const { id } of usesOf(fn, parent.id)) {
    if (handsOn?.(id)) return undefined;
    if (id.parent?.type === 'MemberExpression' && id.parent.object === id) {
      used = true;
      continue;
    }
    return undefined;
  }
  return used;
}

/** Listener and option calls on the resource itself: they cannot throw. */
const CONFIGURING = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener', 'off', 'removeListener', 'setEncoding', 'setNoDelay', 'setKeepAlive', 'setTimeout', 'ref', 'unref']);

function configures(call: TSESTree.CallExpression, name: string): boolean {
  const callee = call.callee;
  return callee.type === 'MemberExpression' && !callee.computed && callee.object.type === 'Identifier' && callee.object.name === name
    && callee.property.type === 'Identifier' && CONFIGURING.has(callee.property.name);
}

/**
 * `out.write(chunk)` on the resource itself: a stream reports a failed write through its `'error'`
 * event and the write's callback, it does not throw.
 */
function writesTo(call: TSESTree.CallExpression, name: string): boolean {
  const callee = call.callee;
  return callee.type === 'MemberExpression' && !callee.computed && callee.object.type === 'Identifier' && callee.object.name === name
    && callee.property.type === 'Identifier' && /^(write|cork|uncork)$/.test(callee.property.name);
}

/**
 * `new Promise((resolve) => socket.once('connect', resolve))`: an executor without `reject`
 * that only sets up listeners on the resource, calls `resolve`, or makes a request of the resource
 * that answers through `resolve` (`rl.question(prompt, resolve)`). Awaiting it cannot throw.
 */
function quietPromise(node: Node, name: string): boolean {
  if (node.type !== 'NewExpression' || node.callee.type !== 'Identifier' || node.callee.name !== 'Promise') return false;
  const executor = node.arguments[0];
  if (!executor || !isFunction(executor) || executor.params.length > 1 || executor.async) return false;
  const resolve = executor.params[0]?.type === 'Identifier' ? executor.params[0].name : undefined;
  let quiet = true;
  visit(executor.body, (n) => {
    if (!quiet) return;
    if (n.type === 'CallExpression') {
      if (configures(n, name) || (n.callee.type === 'Identifier' && n.callee.name === resolve)) return;
      // `rl.question(prompt, resolve)`: the resource's own request, answering through `resolve`.
      const callee = n.callee;
      const onResource = callee.type === 'MemberExpression' && !callee.computed && callee.object.type === 'Identifier' && callee.object.name === name;
      if (onResource && resolve && n.arguments.some((a) => a.type === 'Identifier' && a.name === resolve) && n.arguments.every((a) => a.type === 'Identifier' || a.type === 'Literal' || a.type === 'TemplateLiteral')) return;
      quiet = false;
    } else if (n.type === 'AwaitExpression' || n.type === 'NewExpression' || n.type === 'ThrowStatement') quiet = false;
  }, isFunction);
  return quiet;
}

/**
 * Whether anything that can throw (a call, `await`, `new`, `throw`) lies between two offsets of
 * `fn`. Listener set-up and writes on the resource itself and awaiting a promise that cannot
 * reject are quiet; so are the bodies of callbacks (the call that takes one counts, and they run later).
 */
function mayThrowBetween(fn: FunctionNode, from: number, to: number, name: string, promiseCall?: (call: TSESTree.CallExpression) => boolean): boolean {
  let found = false;
  const inRange = (node: Node) => node.range[0] >= from && node.range[1] <= to;
  visit(fn.body ?? fn, (node) => {
    if (found || !inRange(node)) return;
    // A call typed as giving a promise reports a failure by rejecting, not by throwing: only an
    // `await` of it throws here (`rl.question(q);` left floating, then `rl.close()`). Its arguments still count.
    if (node.type === 'CallExpression' && promiseCall?.(node)) return;
    if (node.type === 'AwaitExpression' && quietPromise(unwrap(node.argument), name)) return;
    if (node.type === 'AwaitExpression' && unwrap(node.argument).type === 'CallExpression' && fixtureUse(unwrap(node.argument) as TSESTree.CallExpression, fn)) return;
    if (node.type === 'CallExpression' && (configures(node, name) || writesTo(node, name))) return;
    if (node.type === 'CallExpression' || node.type === 'AwaitExpression' || node.type === 'NewExpression' || node.type === 'ThrowStatement') found = true;
    // `for await (const chunk of body)` awaits every turn: an aborted or failed source throws there.
    if (node.type === 'ForOfStatement' && node.await && !(unwrap(node.right).type === 'Identifier' && (unwrap(node.right) as TSESTree.Identifier).name === name)) found = true;
  // A try whose catch only logs (or sets a flag) and that ends before the close, also one around the
  // creation itself (`try { bundle = await rollup(o); await write(bundle); } catch (e) { failed = true; }
  // if (bundle) await bundle.close();`, Rollup's own example): what it throws never gets past it.
  }, (node) => isFunction(node) || quietPromise(node, name) || (node.type === 'CallExpression' && fixtureUse(node, fn)) || (node.range[1] <= to && swallowingTry(node)));
  return found;
}

const LOGGERS = /^(console|logger|log|_?logger|debug)$/i;

/**
 * `try { ... } catch (err) { console.error(err); }` (no finally): whatever the block throws, the
 * catch takes it and only logs, and the code goes on after the statement. A catch that throws,
 * leaves (`return`, `break`, `continue`), awaits or calls anything but a logger is not such a one.
 */
function swallowingTry(node: Node): boolean {
  if (node.type !== 'TryStatement' || !node.handler || node.finalizer) return false;
  let quiet = true;
  visit(node.handler.body, (n) => {
    if (!quiet) return;
    if (n.type === 'ThrowStatement' || n.type === 'ReturnStatement' || n.type === 'BreakStatement' || n.type === 'ContinueStatement' || n.type === 'AwaitExpression' || n.type === 'NewExpression') quiet = false;
    else if (n.type === 'CallExpression') {
      const callee = unwrap(n.callee);
      const base = callee.type === 'MemberExpression' && !callee.computed ? unwrap(callee.object) : callee;
      if (!(base.type === 'Identifier' && LOGGERS.test(base.name))) quiet = false;
    }
  }, isFunction);
  return quiet;
}

/**
 * `use(value)` of a test fixture (`async ({ page }, use) => { ...; await use(x); teardown }`,
 * Playwright's and Vitest's shape): the runner's `use` resolves when the test is done, failed or not.
 */
function fixtureUse(call: TSESTree.CallExpression, fn: FunctionNode): boolean {
  const callee = unwrap(call.callee);
  if (callee.type !== 'Identifier' || callee.name !== 'use') return false;
  const second = fn.params[1];
  return fn.params[0]?.type === 'ObjectPattern' && second?.type === 'Identifier' && second.name === 'use';
}

/**
 * A local that receives a resource: declared with it (`const fh = await open(f)`), or a `let` of
 * the same function assigned it later (`let fh; ... fh = await open(f);`).
 */
interface Holder {
  id: TSESTree.Identifier;
  value: Node;
  /** What a finding covers. */
  at: Node;
  /** The declaration that makes it, for the `using` remedy and the suggestions; none for an assignment. */
  declaration?: TSESTree.VariableDeclaration;
  declarator?: TSESTree.VariableDeclarator;
}

/** The holder a declarator or an assignment statement makes (an assignment still to be checked with `firstAssignment`). */
function holderOf(node: Node): Holder | undefined {
  if (node.type === 'VariableDeclarator') {
    if (!node.init || node.id.type !== 'Identifier') return undefined;
    const declaration = node.parent;
    if (declaration?.type !== 'VariableDeclaration') return undefined;
    const declKind = declaration.kind as string;
    if (declKind === 'using' || declKind === 'await using') return undefined;
    return { id: node.id, value: node.init, at: declaration.declarations.length === 1 ? declaration : node, declaration, declarator: node };
  }
  if (node.type === 'AssignmentExpression' && node.operator === '=' && node.left.type === 'Identifier' && node.parent?.type === 'ExpressionStatement') {
    return { id: node.left, value: node.right, at: node };
  }
  return undefined;
}

/**
 * Whether `target` is the first use of a `let`/`var` that `fn` itself (not a nested function)
 * declares before it without a value (or with `null`/`undefined`). A variable read or set in
 * between (`out?.end(); out = createWriteStream(next)` in a rotating loop) may hold an earlier
 * resource: left alone.
 */
function firstAssignment(fn: FunctionNode, target: TSESTree.Identifier): boolean {
  let declared: TSESTree.VariableDeclarator | undefined;
  visit(fn.body ?? fn, (n) => {
    if (n.type === 'VariableDeclarator' && n.id.type === 'Identifier' && n.id.name === target.name && n.range[0] < target.range[0] && n.parent?.type === 'VariableDeclaration' && n.parent.kind !== 'const') declared = n;
  }, isFunction);
  const init = declared?.init && unwrap(declared.init);
  if (!declared || (init && !(init.type === 'Literal' && init.value === null) && !(init.type === 'Identifier' && init.name === 'undefined'))) return false;
  const after = declared.range[1];
  let between = false;
  visit(fn.body ?? fn, (n) => {
    if (n.type === 'Identifier' && n.name === target.name && n.range[0] > after && n.range[0] < target.range[0]) between = true;
  });
  return !between;
}

/**
 * `http2.connect(url, function () { ...; this.destroy() })`: a plain function given to the call that
 * makes the resource is its listener, called with the resource as `this`, and closes it there.
 */
function closedByOwnListener(value: TSESTree.Node, kind: ResourceKind): boolean {
  let v = value;
  while (v.type === 'AwaitExpression' || v.type === 'TSAsExpression' || v.type === 'TSNonNullExpression') v = v.type === 'AwaitExpression' ? v.argument : v.expression;
  if (v.type !== 'CallExpression' && v.type !== 'NewExpression') return false;
  return v.arguments.some((arg) => {
    if (arg.type !== 'FunctionExpression') return false;
    let closes = false;
    visit(arg.body, (n) => {
      if (closes || n.type !== 'CallExpression' || n.callee.type !== 'MemberExpression' || n.callee.object.type !== 'ThisExpression') return;
      const p = n.callee.property;
      if (!n.callee.computed && p.type === 'Identifier' && kind.close.includes(p.name)) closes = true;
    });
    return closes;
  });
}

/**
 * `const pool = await createPool(); try { const conn = await pool.getConnection(); ... } finally { await pool.end(); }`:
 * a client checked out of a pool the function made for itself and ends in a `finally` around the
 * checkout. Ending the pool closes every client it gave, released or not.
 */
function poolEndedInFinally(value: Node): boolean {
  let call: Node = unwrap(value);
  if (call.type === 'AwaitExpression') call = unwrap(call.argument);
  if (call.type !== 'CallExpression') return false;
  const callee = unwrap(call.callee);
  if (callee.type !== 'MemberExpression' || callee.object.type !== 'Identifier') return false;
  const pool = callee.object.name;
  for (let n: Node | undefined = call.parent; n && !isFunction(n); n = n.parent) {
    const p: Node | undefined = n.parent;
    if (p?.type !== 'TryStatement' || p.block !== n || !p.finalizer) continue;
    let ends = false;
    visit(p.finalizer, (m) => {
      if (ends || m.type !== 'CallExpression') return;
      const c = unwrap(m.callee);
      if (c.type === 'MemberExpression' && !c.computed && unwrap(c.object).type === 'Identifier' && (unwrap(c.object) as TSESTree.Identifier).name === pool &&
        c.property.type === 'Identifier' && /^(end|close|destroy|terminate)$/.test(c.property.name)) ends = true;
    }, isFunction);
    if (ends) return true;
  }
  return false;
}

export function checkUnclosedResources(ctx: TsRuleContext): void {
  const isTestFile = isTestPath(ctx.filePath);
  const isTsFile = /\.[cm]?tsx?$/.test(ctx.filePath);
  const promiseCall = (call: TSESTree.CallExpression): boolean => {
    const s = ctx.types();
    return !!s && isPromiseLike(s, call);
  };
  visit(ctx.ast, (node) => {
    // `context: async () => ({ db: await pool.connect() })`: checked out straight into the context.
    if (node.type === 'Property' && node.parent?.type === 'ObjectExpression') {
      checkInlineContextEntry(ctx, node, isTestFile);
      return;
    }
    if (node.type !== 'VariableDeclarator' && node.type !== 'AssignmentExpression') return;
    if (node.type === 'VariableDeclarator' && node.id.type === 'ObjectPattern' && node.init) checkDroppedUndiciBody(ctx, node.id, node.init);
    const fn = enclosingFunction(node);
    if (!fn) return; // module-level handles live as long as the program by design
    const holder = holderOf(node);
    if (!holder) return;
    const kind = acquired(ctx, holder.value, isTestFile);
    if (!kind || (!holder.declaration && !firstAssignment(fn, holder.id))) return;
    if (closedByOwnListener(holder.value, kind)) return;
    if (kind === POOL_CLIENT && poolEndedInFinally(holder.value)) return;
    if (kind.perRequest && !perRequest(ctx, fn) && !(kind.inTests && isTestPath(ctx.filePath, false))) return;
    const uses = usesOf(fn, holder.id);
    const name = holder.id.name;
    const { fate, activated, closeAt, closingTry, closeMethod, lentAt, activatedAt } = fateOf(ctx, uses, kind, fn, holder.value);
    const closed = kind.closedWord ?? (kind === POOL_CLIENT || kind === QUERY_RUNNER ? 'released' : 'closed');
    if (fate === 'owned-elsewhere' && lentAt !== undefined && (!kind.activatedBy || activated)) {
      // Handed to a call that closes it (`await pipeline(stream, res)`), but a `return` or `throw`
      // between its creation and that call leaves with it open.
      const exit = exitBefore(fn, node.range[1], lentAt, name);
      if (exit) {
        ctx.report({
          message: `This ${kind.what} is handed on at line ${ctx.lines.positionAt(lentAt).line + 1}, but the '${EXIT_KEYWORD[exit.type]}' on line ${exit.loc.start.line} leaves before that: on that path it is never ${closed}. Make it after the check, or close it before leaving`,
          range: ctx.rangeOf(holder.at),
        });
      }
      return;
    }
    if (fate === 'closed' && closingTry && (!kind.activatedBy || activated)) {
      // Closed in a `finally`, but a `return`/`throw`/`break`/`continue` between its creation and that `try` leaves without it.
      const exit = exitBefore(fn, node.range[1], closingTry.range[0], name, closingTry);
      if (exit) {
        ctx.report({
          message: `This ${kind.what} is ${closed} in a finally block, but the '${EXIT_KEYWORD[exit.type]}' on line ${exit.loc.start.line} leaves before that 'try': on that path it is never ${closed}. Make it just before the 'try', or check before making it`,
          range: ctx.rangeOf(holder.at),
        });
      }
      return;
    }
    if (fate === 'owned-elsewhere' && (!kind.activatedBy || activated)) {
      // Put in the context of a GraphQL request (`context: async () => ({ db: await pool.connect() })`):
      // a context has no end of its own, so nothing releases it unless the file does (a plugin's
      // `willSendResponse({ contextValue }) { contextValue.tx.release() }`).
      const keys = contextFactory(ctx, fn) ? contextKeys(ctx, fn, holder.id) : undefined;
      if (keys && !releasedFromContext(ctx, keys, kind)) {
        ctx.report({ message: contextMessage(kind, keys[0]), range: ctx.rangeOf(holder.at) });
      }
      return;
    }
    if (fate === 'owned-elsewhere' || fate === 'closed') return;
    if (kind.activatedBy && !activated) return;
    if (fate === 'closed-on-success-path' && closeAt !== undefined && !mayThrowBetween(fn, Math.max(node.range[1], activatedAt ?? 0), closeAt, name, promiseCall)) return;
    const closeName = closeMethod ?? kind.close[0];
    const { declaration, declarator } = holder;
    const disposal = isTsFile && declaration?.declarations.length === 1 && declarator ? disposeKind(ctx, declarator) : undefined;
    const usingKeyword = disposal === 'async' ? (fn.async ? 'await using' : undefined) : disposal === 'sync' ? 'using' : undefined;
    const remedy = kind.remedy?.replace(/\btrx\b/g, name) ?? ((usingKeyword ? `declare it with '${usingKeyword}', or call ${closeName}() in a finally block` : `call ${closeName}() in a finally block`)
      + (kind.shared ? ', or make one when the program starts and share it' : ''));
    const message =
      fate === 'never-closed'
        ? `This ${kind.what} is never ${closed}: ${remedy}`
        : fate === 'closed-on-error-only'
          ? `This ${kind.what} is ${closed} only in a catch, when something fails: on success it is never ${closed}. ${remedy[0].toUpperCase()}${remedy.slice(1)}`
          : `This ${kind.what} is ${closed} only when nothing throws before ${name}.${closeName}(): ${remedy}`;
    ctx.report({
      message,
      range: ctx.rangeOf(holder.at),
      suggestions: fate === 'never-closed' && declaration && !kind.remedy && !kind.noFinallyFix ? fixes(ctx, declaration, name, kind, fn, usingKeyword) : undefined,
    });
  });
}

/**
 * `const { statusCode } = await request(url)` (undici), or `await pool.request({ ... })` on an undici
 * dispatcher: the response's body is left out of the destructuring, so nothing reads or destroys it,
 * and its connection is not given back until it is (undici's documentation: always consume or
 * cancel the body). A HEAD request has no body to read.
 */
function checkDroppedUndiciBody(ctx: TsRuleContext, pattern: TSESTree.ObjectPattern, init: Node): void {
  const awaited = unwrap(init);
  if (awaited.type !== 'AwaitExpression') return;
  const call = unwrap(awaited.argument);
  if (call.type !== 'CallExpression') return;
  if (pattern.properties.some((p) => p.type === 'RestElement' || p.computed || (p.key.type === 'Identifier' ? p.key.name : p.key.type === 'Literal' ? String(p.key.value) : '') === 'body')) return;
  if (!undiciRequest(ctx, call)) return;
  const options = call.arguments.find((a) => a.type === 'ObjectExpression') as TSESTree.ObjectExpression | undefined;
  const method = options?.properties.find((p) => p.type === 'Property' && !p.computed && p.key.type === 'Identifier' && p.key.name === 'method');
  if (method?.type === 'Property' && method.value.type === 'Literal' && typeof method.value.value === 'string' && /^(HEAD|CONNECT)$/i.test(method.value.value)) return;
  ctx.report({
    message: "The body of this undici response is never read nor destroyed: its connection is not given back to the pool until it is. Take 'body' and read it, or drop it with 'await body.dump()'",
    range: ctx.rangeOf(pattern),
  });
}

/** undici's `request(url, options)`, or `request(options)` on an undici `Pool`/`Client`/`Agent` (by its type, or the `new Pool(...)` of the file that makes it). */
function undiciRequest(ctx: TsRuleContext, call: TSESTree.CallExpression): boolean {
  const callee = unwrap(call.callee);
  const m = ctx.imports.resolve(callee);
  if (m) return m.module === 'undici' && /^(default\.)?request$/.test(m.path.join('.'));
  if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier' || callee.property.name !== 'request') return false;
  const typed = awaitedTypeOf(ctx, call);
  if (typed) {
    const type = typed.type;
    return (type.getSymbol()?.getName() ?? type.aliasSymbol?.getName()) === 'ResponseData' && !!type.getProperty('body') && !!type.getProperty('statusCode');
  }
  const made = valueMade(ctx, callee.object);
  if (made?.type !== 'NewExpression') return false;
  const maker = ctx.imports.resolve(made.callee);
  return !!maker && kindOfModuleClass(maker) === UNDICI_DISPATCHER;
}

function fixes(ctx: TsRuleContext, declaration: TSESTree.VariableDeclaration, name: string, kind: ResourceKind, fn: FunctionNode, usingKeyword: string | undefined): Fix[] | undefined {
  if (declaration.declarations.length !== 1) return undefined;
  // Used by a callback (`return new Promise((r) => socket.once('connect', ...))`): closing it when
  // the function returns would close it before the callback runs.
  let captured = false;
  visit(fn.body ?? fn, (n) => {
    if (!captured && n.type === 'Identifier' && n.name === name && insideNestedFunction(n, fn)) captured = true;
  });
  if (captured) return undefined;
  const out: Fix[] = [];
  // `using` is not allowed directly in a `case` clause or at the top of a script.
  if (usingKeyword && declaration.parent?.type === 'BlockStatement') {
    const start = ctx.lines.positionAt(declaration.range[0]);
    const end = ctx.lines.positionAt(declaration.range[0] + declaration.kind.length);
    out.push({ title: `Declare '${name}' with '${usingKeyword}'`, safe: false, edits: [{ range: { start, end }, newText: usingKeyword }] });
  }
  const tryFinally = tryFinallyFix(ctx, declaration, name, kind, fn);
  if (tryFinally) out.push(tryFinally);
  return out.length ? out : undefined;
}

/** Whether the checker sees `[Symbol.asyncDispose]` / `[Symbol.dispose]` on the declared value. */
function disposeKind(ctx: TsRuleContext, declarator: TSESTree.VariableDeclarator): 'async' | 'sync' | undefined {
  const services = ctx.types();
  if (!services) return undefined;
  const tsNode = services.tsNodeFor(declarator.id);
  if (!tsNode) return undefined;
  const type = services.checker.getTypeAtLocation(tsNode);
  const names = type.getProperties().map((p) => String(p.escapedName));
  if (names.some((n) => n.startsWith('__@asyncDispose'))) return 'async';
  if (names.some((n) => n.startsWith('__@dispose'))) return 'sync';
  return undefined;
}

/** The statements after the declaration, up to the end of its block, moved into `try { } finally { x.close() }`. */
function tryFinallyFix(ctx: TsRuleContext, declaration: TSESTree.VariableDeclaration, name: string, kind: ResourceKind, fn: FunctionNode): Fix | undefined {
  const block = declaration.parent;
  if (block?.type !== 'BlockStatement') return undefined;
  const index = block.body.indexOf(declaration as TSESTree.Statement);
  const rest = block.body.slice(index + 1);
  if (index < 0 || rest.length === 0) return undefined;
  // A function declaration is hoisted to the top of its block: inside the `try` it would no longer
  // be seen by the code above the resource (nor would a class, type or enum declared there).
  const declarations = ['FunctionDeclaration', 'ClassDeclaration', 'TSTypeAliasDeclaration', 'TSInterfaceDeclaration', 'TSEnumDeclaration', 'TSModuleDeclaration'];
  if (rest.some((st) => declarations.includes(st.type))) return undefined;
  const declLine = ctx.lines.positionAt(declaration.range[0]).line;
  const lineText = ctx.lines.lineText(declLine);
  const indent = /^[ \t]*/.exec(lineText)![0];
  // Every moved statement must start its own line, so that re-indenting keeps the code intact.
  for (const s of rest) {
    const p = ctx.lines.positionAt(s.range[0]);
    if (ctx.lines.lineText(p.line).slice(0, p.character).trim() !== '') return undefined;
  }
  if (ctx.lines.positionAt(declaration.range[1]).line === ctx.lines.positionAt(rest[0].range[0]).line) return undefined;
  const unit = indent.includes('\t') ? '\t' : indentUnit(ctx, block, indent);
  const eol = ctx.lines.eol(declLine);
  const firstLine = ctx.lines.positionAt(rest[0].range[0]).line;
  const lastLine = ctx.lines.positionAt(rest[rest.length - 1].range[1]).line;
  const moved: string[] = [];
  for (let line = firstLine; line <= lastLine; line++) {
    const text = ctx.lines.lineText(line);
    moved.push(text.trim() === '' ? '' : unit + text);
  }
  // `return promise` inside the try would release the resource before the promise settles.
  if (returnsUnsettled(ctx, rest, fn)) return undefined;
  // A template literal spanning lines would change if re-indented.
  const span = ctx.text.slice(rest[0].range[0], rest[rest.length - 1].range[1]);
  if (/`[^`]*\n[^`]*`/.test(span)) return undefined;
  const release = `${kind.asyncClose && fn.async ? 'await ' : ''}${name}.${kind.finallyCall}();`;
  const newText = [`${indent}try {`, ...moved, `${indent}} finally {`, `${indent}${unit}${release}`, `${indent}}`].join(eol);
  const start = { line: firstLine, character: 0 };
  const end = { line: lastLine, character: ctx.lines.lineText(lastLine).length };
  return { title: `Release '${name}' in a finally block`, safe: false, edits: [{ range: { start, end }, newText }] };
}

function returnsUnsettled(ctx: TsRuleContext, statements: readonly Node[], fn: FunctionNode): boolean {
  let found = false;
  for (const statement of statements) {
    visit(statement, (node) => {
      if (found || node.type !== 'ReturnStatement' || !node.argument || enclosingFunction(node) !== fn) return;
      const arg = unwrap(node.argument);
      if (arg.type === 'AwaitExpression' || arg.type === 'Literal' || arg.type === 'TemplateLiteral' && arg.expressions.length === 0) return;
      const services = ctx.types();
      if (services && (arg.type === 'Identifier' || arg.type === 'MemberExpression' || arg.type === 'CallExpression')) {
        // A call the checker cannot type (from an unresolved import) may return a promise too.
        if (!isPromiseLike(services, arg) && !(arg.type === 'CallExpression' && untyped(services, arg))) return;
      }
      found = true;
    });
  }
  return found;
}

function untyped(services: TypeServices, node: Node): boolean {
  const tsNode = services.tsNodeFor(node);
  if (!tsNode) return true;
  return (services.checker.getTypeAtLocation(tsNode).flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) !== 0;
}

function indentUnit(ctx: TsRuleContext, block: TSESTree.BlockStatement, indent: string): string {
  const outer = /^[ \t]*/.exec(ctx.lines.lineText(ctx.lines.positionAt(block.range[0]).line))![0];
  const diff = indent.length - outer.length;
  return diff > 0 ? ' '.repeat(diff) : '  ';
}
