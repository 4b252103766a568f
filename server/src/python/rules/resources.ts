/**
 * unclosed-resource and session-per-request: HTTP sessions, clients, connection pools and files
 * that are opened without `async with` and not closed on every path, responses whose connection
 * is never released, and sessions created again for every request or loop iteration.
 *
 * Ownership is followed conservatively: a resource that is returned, yielded, stored on an
 * object or in a container, handed to another call, or entered as a context manager belongs to
 * someone else, and nothing is reported.
 */
import { checkUnclosedMemoryChannels } from './channels';
import { checkHeldLocks } from './locks';
import { checkQueueJoins } from './queues';
import type { SyntaxNode as Node } from '../syntax';
import type { Fix } from '../../engine/types';
import { type AwaitableResolver, awaitablesOf } from '../awaitables';
import { ccxtExchangeClass } from '../knowledge/awaitables';
import { routeReferences } from '../project';
import type { PythonRuleContext } from '../context';
import type { Scope } from '../scope';
import { TEST_MODULE, argumentFor, assignedValue, callArguments, ccxtModuleOfExchangeGetter, calleeName, decoratedWith, decoratorTarget, definitionsIn, enclosingClassNode, field, hasOwnYield, inNestedScope, isAttributeName, isKeywordName, mentions, opensScope, nodesOfType, parentOf, textOf, typeOf, usesOf } from '../util';



interface ResourceKind {
  /** How to say it in messages. */
  what: string;
  /** Methods that close it. */
  close: readonly string[];
  /** Whether it is created by `await factory(...)` rather than a plain constructor call. */
  awaited: boolean;
  /** `async with` (true) or `with` (false) in the suggested form. */
  asyncWith: boolean;
  /** Not a context manager: only `close()` in a `finally` block applies. */
  noWith?: boolean;
  /** Methods of whatever lent it that take it back as their first argument (`pool.release(conn)`). */
  giveBack?: readonly string[];
  /** Made as one item of a tuple (`reader, writer = await asyncio.open_connection(...)`): its index. */
  tupleIndex?: number;
  /** Holds nothing until one of these methods is called on it (`await scanner.start()`). */
  startedBy?: readonly string[];
  /** Entered as `async with await factory(...)`: the factory is a coroutine giving the context manager (trio, anyio). */
  enterAwaited?: boolean;
  /**
   * Callees (by their name as written) that only wrap it without taking it over: gRPC's generated
   * `GreeterStub(channel)` sends calls over the channel and never closes it.
   */
  wrappedBy?: RegExp;
  /**
   * Library callees (by their resolved name) that use it without ever closing it, whatever becomes
   * of what they make: an Azure SDK client made with a credential (`BlobServiceClient(url, credential=cred)`)
   * never closes the credential, nor do the bulk helpers of a search client (`async_bulk(es, actions)`) close it.
   */
  neverTakenBy?: RegExp;
}

/** A trio or anyio stream, file or process: `x = await factory(...)`, closed by `aclose()` (`async with await factory(...)`). */
const structured = (what: string, close: readonly string[] = ['aclose']): ResourceKind => ({ what, close, awaited: true, asyncWith: true, enterAwaited: true });

/** A test module, by its name: `test_x.py`, `x_test.py`, `conftest.py`. */

/** The writer of a stream connection: closing it closes the transport (the reader with it). */
const STREAM_WRITER: ResourceKind = { what: 'stream connection (its StreamWriter)', close: ['close'], awaited: true, asyncWith: false, noWith: true, tupleIndex: 1 };

/** A gRPC asyncio channel; the generated stubs made over it do not own it. */
const GRPC_CHANNEL: ResourceKind = { what: 'grpc.aio channel', close: ['close'], awaited: false, asyncWith: true, wrappedBy: /(^|\.)\w+Stub$/ };

/** A kubernetes_asyncio ApiClient; the API classes made over it (`client.CoreV1Api(api)`) do not own it. */
const KUBE_API_CLIENT: ResourceKind = { what: 'kubernetes_asyncio ApiClient', close: ['close'], awaited: false, asyncWith: true, wrappedBy: /(^|\.)\w+Api$/ };
/** An Azure SDK client (`BlobServiceClient(...)`, `ServiceBusClient.from_connection_string(...)`): its transport's aiohttp session. */
const AZURE_CLIENT: Omit<ResourceKind, 'what'> = { close: ['close'], awaited: false, asyncWith: true };
/** An Azure async credential: its HTTP pipeline (and token cache) stay open until closed; no client it is given closes it. */
const AZURE_CREDENTIAL: Omit<ResourceKind, 'what'> = {
  close: ['close'],
  awaited: false,
  asyncWith: true,
  neverTakenBy: /^azure\.[\w.]*\.\w*Client(\.from_\w+)?$/,
};
/** Azure's async clients, by module: each made by its constructor or one of its `from_*` class methods. */
const AZURE_AIO_CLIENTS: Readonly<Record<string, readonly string[]>> = {
  'azure.storage.blob.aio': ['BlobServiceClient', 'ContainerClient', 'BlobClient'],
  'azure.storage.queue.aio': ['QueueServiceClient', 'QueueClient'],
  'azure.storage.filedatalake.aio': ['DataLakeServiceClient', 'FileSystemClient', 'DataLakeFileClient', 'DataLakeDirectoryClient'],
  'azure.storage.fileshare.aio': ['ShareServiceClient', 'ShareClient', 'ShareFileClient', 'ShareDirectoryClient'],
  'azure.data.tables.aio': ['TableServiceClient', 'TableClient'],
  'azure.servicebus.aio': ['ServiceBusClient'],
  'azure.servicebus.aio.management': ['ServiceBusAdministrationClient'],
  'azure.eventhub.aio': ['EventHubProducerClient', 'EventHubConsumerClient'],
  'azure.cosmos.aio': ['CosmosClient'],
  'azure.keyvault.secrets.aio': ['SecretClient'],
  'azure.keyvault.keys.aio': ['KeyClient'],
  'azure.keyvault.certificates.aio': ['CertificateClient'],
  'azure.appconfiguration.aio': ['AzureAppConfigurationClient'],
};
const AZURE_CLIENT_FACTORIES = ['from_connection_string', 'from_container_url', 'from_blob_url', 'from_queue_url', 'from_table_url', 'from_file_url', 'from_share_url', 'from_directory_url', 'from_account_url'];
const AZURE_AIO_CREDENTIALS = [
  'DefaultAzureCredential', 'ManagedIdentityCredential', 'ClientSecretCredential', 'CertificateCredential', 'WorkloadIdentityCredential',
  'AzureCliCredential', 'AzureDeveloperCliCredential', 'AzurePowerShellCredential', 'EnvironmentCredential', 'ClientAssertionCredential',
  'OnBehalfOfCredential', 'AuthorizationCodeCredential', 'SharedTokenCacheCredential', 'ChainedTokenCredential',
];
/** A MySQL connection (aiomysql's and asyncmy's `await connect(...)`): `close()` drops it, `ensure_closed()` says goodbye first. */
const MYSQL_CONNECTION: ResourceKind = { what: 'MySQL connection', close: ['close', 'ensure_closed'], awaited: true, asyncWith: true };
const MYSQL_POOL: ResourceKind = { what: 'MySQL connection pool', close: ['close', 'terminate'], awaited: true, asyncWith: true };
/** Search clients over an aiohttp/httpx connection pool. */
const SEARCH_CLIENT = (what: string): ResourceKind => ({
  what,
  close: ['close'],
  awaited: false,
  asyncWith: true,
  // The client's bulk and scan helpers (`await async_bulk(es, actions)`) use it and leave it open.
  neverTakenBy: /^(elasticsearch|opensearchpy)(\._async)?\.helpers\.(async_bulk|async_streaming_bulk|async_scan|async_reindex)$/,
});

/** A psycopg 3 async connection, entered as `async with await AsyncConnection.connect(...)`. */
const PSYCOPG_CONNECTION: ResourceKind = { what: 'psycopg AsyncConnection', close: ['close'], awaited: true, asyncWith: true, enterAwaited: true };
/** A psycopg_pool AsyncConnectionPool made in a function. */
const PSYCOPG_POOL: ResourceKind = { what: 'psycopg_pool AsyncConnectionPool', close: ['close'], awaited: false, asyncWith: true };
/** A SQLAlchemy async engine (`create_async_engine(url)`): its pool stays open until `await engine.dispose()`. */
const ASYNC_ENGINE: ResourceKind = { what: 'SQLAlchemy AsyncEngine', close: ['dispose'], awaited: false, asyncWith: true, noWith: true };
/** A SQLAlchemy AsyncSession: the connection of its transaction stays checked out until it ends or the session is closed. */
const ASYNC_SESSION: ResourceKind = { what: 'SQLAlchemy AsyncSession', close: ['close'], awaited: false, asyncWith: true };
/** A SQLAlchemy AsyncConnection from `await engine.connect()`: checked out of the pool until closed. */
const ASYNC_CONNECTION: ResourceKind = { what: 'SQLAlchemy AsyncConnection', close: ['close'], awaited: true, asyncWith: true };
/** The transport of `transport, protocol = await loop.create_datagram_endpoint(...)`: its socket stays bound until closed. */
const DATAGRAM_TRANSPORT: ResourceKind = { what: 'datagram transport', close: ['close', 'abort'], awaited: true, asyncWith: false, noWith: true, tupleIndex: 0 };
/** Whether a protocol class of the file (one defining `connection_made` or `datagram_received`) closes its transport itself. */
function protocolClosesTransport(ctx: PythonRuleContext): boolean {
  return nodesOfType(ctx.tree.rootNode, 'class_definition').some((cls) => {
    const body = cls.childForFieldName('body');
    return definitionsIn(body, 'function_definition').some((f) => /^(connection_made|datagram_received)$/.test(f.childForFieldName('name')?.text ?? ''))
      && /\bself\.\w*transport\w*\.(close|abort)\(/.test(body?.text ?? '');
  });
}

/** A redis.asyncio PubSub (`r.pubsub()`): it takes a connection of the client's pool at its first subscribe, until closed. */
const REDIS_PUBSUB: ResourceKind = { what: 'redis.asyncio PubSub', close: ['aclose', 'close', 'reset'], awaited: false, asyncWith: true };

/** python-binance's AsyncClient: its aiohttp session stays open until `await client.close_connection()`. */
const BINANCE_ASYNC_CLIENT: ResourceKind = { what: 'python-binance AsyncClient', close: ['close_connection'], awaited: true, asyncWith: false, noWith: true };
/** A ccxt asyncio exchange (`ccxt.async_support.binance(...)`, `ccxt.pro.kraken()`): its aiohttp session stays open until `await exchange.close()`. */
const CCXT_ASYNC_EXCHANGE: ResourceKind = { what: 'ccxt async exchange', close: ['close'], awaited: false, asyncWith: true };

/** The kind of resource a callee (by its resolved name) makes, if any. */
function resourceKindOf(name: string): ResourceKind | undefined {
  if (Object.hasOwn(RESOURCES, name)) return RESOURCES[name];
  return /^ccxt\.(async_support|pro)\./.test(name) && ccxtExchangeClass(name) ? CCXT_ASYNC_EXCHANGE : undefined;
}

const RESOURCES: Readonly<Record<string, ResourceKind>> = {
  'aiohttp.ClientSession': { what: 'aiohttp ClientSession', close: ['close'], awaited: false, asyncWith: true },
  'aiohttp.TCPConnector': { what: 'aiohttp TCPConnector', close: ['close'], awaited: false, asyncWith: true },
  'httpx.AsyncClient': { what: 'httpx AsyncClient', close: ['aclose'], awaited: false, asyncWith: true },
  'httpx.Client': { what: 'httpx Client', close: ['close'], awaited: false, asyncWith: false },
  'asyncpg.connect': { what: 'asyncpg connection', close: ['close', 'terminate'], awaited: true, asyncWith: false, noWith: true },
  'asyncpg.create_pool': { what: 'asyncpg pool', close: ['close', 'terminate'], awaited: true, asyncWith: true },
  'aiofiles.open': { what: 'aiofiles file', close: ['close'], awaited: true, asyncWith: true },
  'asyncssh.connect': { what: 'asyncssh connection', close: ['close', 'abort'], awaited: true, asyncWith: true },
  'aiodocker.Docker': { what: 'aiodocker client', close: ['close'], awaited: false, asyncWith: true },
  // The API classes made over it (`client.CoreV1Api(api)`) send calls through it and never close it.
  'kubernetes_asyncio.client.ApiClient': KUBE_API_CLIENT,
  'kubernetes_asyncio.client.api_client.ApiClient': KUBE_API_CLIENT,
  // Cloud SDKs' async clients: each holds an HTTP connection pool (and Azure's credentials their own) until closed.
  ...Object.fromEntries(
    Object.entries(AZURE_AIO_CLIENTS).flatMap(([module, classes]) =>
      classes.flatMap((c) => [`${module}.${c}`, ...AZURE_CLIENT_FACTORIES.map((f) => `${module}.${c}.${f}`)].map((n) => [n, { ...AZURE_CLIENT, what: `Azure ${c}` }])),
    ),
  ),
  ...Object.fromEntries(AZURE_AIO_CREDENTIALS.map((c) => [`azure.identity.aio.${c}`, { ...AZURE_CREDENTIAL, what: `Azure credential (${c})` }])),
  'gcloud.aio.storage.Storage': { what: 'gcloud-aio Storage client', close: ['close'], awaited: false, asyncWith: true },
  'gcloud.aio.pubsub.PublisherClient': { what: 'gcloud-aio PublisherClient', close: ['close'], awaited: false, asyncWith: true },
  'gcloud.aio.pubsub.SubscriberClient': { what: 'gcloud-aio SubscriberClient', close: ['close'], awaited: false, asyncWith: true },
  // Model-serving clients: Hugging Face's AsyncInferenceClient keeps aiohttp sessions, Triton's asyncio clients a gRPC
  // channel or an aiohttp session, until `await client.close()` (or `async with`).
  ...Object.fromEntries(
    ['huggingface_hub.AsyncInferenceClient', 'huggingface_hub.inference._generated._async_client.AsyncInferenceClient'].map((n) => [
      n,
      { what: 'huggingface_hub AsyncInferenceClient', close: ['close'], awaited: false, asyncWith: true },
    ]),
  ),
  ...Object.fromEntries(
    ['grpc', 'http'].map((p) => [`tritonclient.${p}.aio.InferenceServerClient`, { what: `Triton ${p} InferenceServerClient`, close: ['close'], awaited: false, asyncWith: true }]),
  ),
  'elasticsearch.AsyncElasticsearch': SEARCH_CLIENT('AsyncElasticsearch client'),
  'elasticsearch._async.client.AsyncElasticsearch': SEARCH_CLIENT('AsyncElasticsearch client'),
  'opensearchpy.AsyncOpenSearch': SEARCH_CLIENT('AsyncOpenSearch client'),
  // Database drivers: a connection holds its socket (aiosqlite its worker thread), a pool its connections.
  'aiomysql.connect': MYSQL_CONNECTION,
  'aiomysql.create_pool': MYSQL_POOL,
  'asyncmy.connect': { ...MYSQL_CONNECTION, noWith: true },
  'asyncmy.create_pool': { ...MYSQL_POOL, noWith: true },
  'aiosqlite.connect': { what: 'aiosqlite connection', close: ['close'], awaited: true, asyncWith: true },
  // An SMTP client holds nothing until connected (`async with smtp:` connects and quits).
  'aiosmtplib.SMTP': { what: 'aiosmtplib SMTP connection', close: ['quit', 'close'], awaited: false, asyncWith: true, noWith: true, startedBy: ['connect'] },
  // aiohttp's test client: its ClientSession (and, once started, its test server) stay open until close().
  'aiohttp.test_utils.TestClient': { what: 'aiohttp TestClient', close: ['close'], awaited: false, asyncWith: true },
  // A client made per call holds a connection pool until closed.
  ...Object.fromEntries(
    ['redis.asyncio.Redis', 'redis.asyncio.StrictRedis', 'redis.asyncio.client.Redis', 'redis.asyncio.from_url', 'redis.asyncio.Redis.from_url', 'redis.asyncio.utils.from_url'].map((n) => [
      n,
      { what: 'redis.asyncio client', close: ['aclose', 'close'], awaited: false, asyncWith: true },
    ]),
  ),
  'motor.motor_asyncio.AsyncIOMotorClient': { what: 'motor client', close: ['close'], awaited: false, asyncWith: false, noWith: true },
  // PyMongo's own asyncio client (`await client.close()`; `async with AsyncMongoClient(url) as client:`).
  'pymongo.AsyncMongoClient': { what: 'pymongo AsyncMongoClient', close: ['close', 'aclose'], awaited: false, asyncWith: true },
  'pymongo.asynchronous.mongo_client.AsyncMongoClient': { what: 'pymongo AsyncMongoClient', close: ['close', 'aclose'], awaited: false, asyncWith: true },
  // psycopg 3: `await AsyncConnection.connect(conninfo)` holds its socket (`async with await AsyncConnection.connect(...)`).
  'psycopg.AsyncConnection.connect': PSYCOPG_CONNECTION,
  'psycopg.connection_async.AsyncConnection.connect': PSYCOPG_CONNECTION,
  // SQLAlchemy: an engine holds a connection pool until disposed; a session the connection of its
  // transaction (checked out at its first query) until it ends or the session is closed. What a
  // session factory makes (`SessionLocal()` with `SessionLocal = async_sessionmaker(engine)`) is
  // found through the factory, see sessionFromFactory().
  'sqlalchemy.ext.asyncio.create_async_engine': ASYNC_ENGINE,
  'sqlalchemy.ext.asyncio.engine.create_async_engine': ASYNC_ENGINE,
  'sqlalchemy.ext.asyncio.AsyncSession': ASYNC_SESSION,
  'sqlalchemy.ext.asyncio.session.AsyncSession': ASYNC_SESSION,
  'sqlmodel.ext.asyncio.session.AsyncSession': ASYNC_SESSION,
  // psycopg_pool: a pool opens its connections (and a scheduler task) until closed (`async with AsyncConnectionPool(...) as pool:`).
  'psycopg_pool.AsyncConnectionPool': PSYCOPG_POOL,
  'psycopg_pool.pool_async.AsyncConnectionPool': PSYCOPG_POOL,
  // Entering them starts them: code that calls start() itself can only stop them in a finally.
  'aiokafka.AIOKafkaProducer': { what: 'aiokafka producer', close: ['stop'], awaited: false, asyncWith: true, noWith: true },
  'aiokafka.AIOKafkaConsumer': { what: 'aiokafka consumer', close: ['stop'], awaited: false, asyncWith: true, noWith: true },
  'builtins.open': { what: 'file', close: ['close'], awaited: false, asyncWith: false },
  // Message brokers and RPC: a connection (and its heartbeats, reconnects and channels) lives until closed.
  // `connect()` is a coroutine function, so `async with` only applies to the connection it gives
  // (`async with connection:`): no `async with connect(...)` form to suggest.
  'aio_pika.connect': { what: 'aio-pika connection', close: ['close'], awaited: true, asyncWith: true, noWith: true },
  'aio_pika.connect_robust': { what: 'aio-pika connection', close: ['close'], awaited: true, asyncWith: true, noWith: true },
  'nats.connect': { what: 'NATS connection', close: ['close', 'drain'], awaited: true, asyncWith: true, noWith: true },
  'grpc.aio.insecure_channel': GRPC_CHANNEL,
  'grpc.aio.secure_channel': GRPC_CHANNEL,
  // Device links: a BLE connection (once connected) and a Modbus session stay open until closed.
  // Entering them connects: code that calls connect() itself can only close them in a finally.
  'asyncio.open_connection': STREAM_WRITER,
  'asyncio.open_unix_connection': STREAM_WRITER,
  'asyncio.streams.open_connection': STREAM_WRITER,
  'serial_asyncio.open_serial_connection': STREAM_WRITER,
  'serial_asyncio_fast.open_serial_connection': STREAM_WRITER,
  'bleak.BleakClient': { what: 'bleak BleakClient', close: ['disconnect'], awaited: false, asyncWith: true, noWith: true },
  // bleak-retry-connector: `client = await establish_connection(BleakClient, device, name)` gives a connected client.
  'bleak_retry_connector.establish_connection': { what: 'bleak client (from establish_connection)', close: ['disconnect'], awaited: true, asyncWith: true, noWith: true },
  // matrix-nio's AsyncClient: its aiohttp session (opened by the first request) stays open until `await client.close()`.
  ...Object.fromEntries(
    ['nio.AsyncClient', 'nio.client.AsyncClient', 'nio.client.async_client.AsyncClient'].map((n) => [n, { what: 'matrix-nio AsyncClient', close: ['close'], awaited: false, asyncWith: false, noWith: true }]),
  ),
  // zeroconf's asyncio API: its sockets, listeners and engine stay open until `await aiozc.async_close()`.
  'zeroconf.asyncio.AsyncZeroconf': { what: 'zeroconf AsyncZeroconf', close: ['async_close'], awaited: false, asyncWith: true },
  // aiocoap: a client or server context keeps its transports (UDP sockets, TCP/TLS/WebSocket links) until `await ctx.shutdown()`.
  ...Object.fromEntries(
    ['aiocoap.Context', 'aiocoap.protocol.Context'].flatMap((c) => ['create_client_context', 'create_server_context'].map((f) => [
      `${c}.${f}`,
      { what: 'aiocoap Context', close: ['shutdown'], awaited: true, asyncWith: false, noWith: true },
    ])),
  ),
  // The OpenAI Agents SDK's MCP servers: once connected, a server process (stdio) or an HTTP session stays open until
  // `await server.cleanup()` (`async with MCPServerStdio(...) as server:` connects and cleans up). The agents given it
  // in `mcp_servers=[...]` list its tools and never clean it up.
  ...Object.fromEntries(
    ['MCPServerStdio', 'MCPServerSse', 'MCPServerStreamableHttp'].flatMap((c) => [`agents.mcp.${c}`, `agents.mcp.server.${c}`]).map((n) => [
      n,
      {
        what: `Agents SDK ${n.slice(n.lastIndexOf('.') + 1)}`, close: ['cleanup'], awaited: false, asyncWith: true, noWith: true, startedBy: ['connect'],
        neverTakenBy: /^agents(\.agent)?\.Agent$/,
      },
    ]),
  ),
  // A scanner only scans (and holds the adapter) once started; one never started holds nothing.
  'bleak.BleakScanner': { what: 'bleak BleakScanner', close: ['stop'], awaited: false, asyncWith: true, noWith: true, startedBy: ['start'] },
  ...Object.fromEntries(
    [
      'pymodbus.client.AsyncModbusTcpClient', 'pymodbus.client.AsyncModbusSerialClient', 'pymodbus.client.AsyncModbusUdpClient',
      'pymodbus.client.AsyncModbusTlsClient', 'pymodbus.client.tcp.AsyncModbusTcpClient', 'pymodbus.client.serial.AsyncModbusSerialClient',
      'pymodbus.client.udp.AsyncModbusUdpClient', 'pymodbus.client.tls.AsyncModbusTlsClient',
    ].map((n) => [n, { what: 'pymodbus async client', close: ['close'], awaited: false, asyncWith: true, noWith: true }]),
  ),
  // trio's and anyio's streams, files and processes (a process is also done with once waited for).
  'trio.open_tcp_stream': structured('trio TCP stream'),
  'trio.open_ssl_over_tcp_stream': structured('trio TLS stream'),
  'trio.open_unix_socket': structured('trio Unix socket stream'),
  'trio.open_file': structured('trio async file'),
  'trio.lowlevel.open_process': structured('trio process', ['aclose', 'wait']),
  'anyio.connect_tcp': structured('anyio TCP stream'),
  'anyio.connect_unix': structured('anyio Unix socket stream'),
  'anyio.open_file': structured('anyio async file'),
  'anyio.open_process': structured('anyio process', ['aclose', 'wait']),
  // Crypto SDKs' asyncio clients, each over an aiohttp session: python-binance's AsyncClient (made by awaiting
  // `AsyncClient.create(key, secret)`, or by its constructor, closed by `close_connection()`) and solana-py's AsyncClient.
  // ccxt's asyncio exchanges are found by their class name (see resourceKindOf).
  ...Object.fromEntries(
    ['binance.AsyncClient', 'binance.client.AsyncClient', 'binance.async_client.AsyncClient'].flatMap((c) => [
      [`${c}.create`, BINANCE_ASYNC_CLIENT],
      [c, { ...BINANCE_ASYNC_CLIENT, awaited: false }],
    ]),
  ),
  'solana.rpc.async_api.AsyncClient': { what: 'solana AsyncClient', close: ['close'], awaited: false, asyncWith: true },
  // `ws = await websockets.connect(uri)` (not `async for ws in connect(uri)`, which reconnects and closes each one).
  ...Object.fromEntries(
    ['websockets', 'websockets.client', 'websockets.asyncio.client', 'websockets.legacy.client'].map((m) => [
      `${m}.connect`,
      { what: 'websockets connection', close: ['close'], awaited: true, asyncWith: true },
    ]),
  ),
};

/** What awsSessionClient() calls a client made by an aioboto3/aiobotocore session. */
const AWS_SESSION_CLIENT = 'aioboto3 client';
/** HTTP clients with a connection pool: aiohttp's and httpx's, and the async LLM SDK clients built on httpx. */
const SESSION_CLASSES = new Set([
  'aiohttp.ClientSession', 'httpx.AsyncClient', 'openai.AsyncOpenAI', 'openai.AsyncAzureOpenAI', 'anthropic.AsyncAnthropic', 'groq.AsyncGroq',
  // A gRPC channel holds its HTTP/2 connection: one per server, shared by every call.
  'grpc.aio.insecure_channel', 'grpc.aio.secure_channel',
  // Search clients: each holds an aiohttp/httpx pool to the cluster (and sniffs its nodes).
  'elasticsearch.AsyncElasticsearch', 'elasticsearch._async.client.AsyncElasticsearch', 'opensearchpy.AsyncOpenSearch',
  // gcloud-aio's clients make an aiohttp session of their own (unless given one), aioboto3's and
  // aiobotocore's clients an aiohttp connector (and resolve credentials) each.
  'gcloud.aio.storage.Storage', 'gcloud.aio.pubsub.PublisherClient', 'gcloud.aio.pubsub.SubscriberClient', AWS_SESSION_CLIENT,
]);
/**
 * Data-store clients that own a connection pool (and, for Mongo, monitor tasks): one made per request
 * or message opens a pool each time. Judged in request handlers, dependencies and message handlers
 * only, not in loops (a loop over databases or tenants makes one per database).
 */
const DATASTORE_CLIENTS = new Set([
  'redis.asyncio.Redis', 'redis.asyncio.StrictRedis', 'redis.asyncio.client.Redis', 'redis.asyncio.from_url', 'redis.asyncio.Redis.from_url', 'redis.asyncio.utils.from_url',
  'motor.motor_asyncio.AsyncIOMotorClient', 'pymongo.AsyncMongoClient', 'pymongo.asynchronous.mongo_client.AsyncMongoClient',
  'sqlalchemy.ext.asyncio.create_async_engine', 'sqlalchemy.ext.asyncio.engine.create_async_engine',
  'asyncpg.create_pool', 'aiomysql.create_pool', 'psycopg_pool.AsyncConnectionPool', 'psycopg_pool.pool_async.AsyncConnectionPool',
]);
/** Search clients: the cluster they connect to is given by position too (`AsyncElasticsearch(url)`), or as `hosts=`/`cloud_id=`. */
const SEARCH_CLIENTS = /^(elasticsearch\.(_async\.client\.)?AsyncElasticsearch|opensearchpy\.AsyncOpenSearch)$/;
/** gRPC channels: the server they connect to is given by position (`insecure_channel(target)`). */
const GRPC_CHANNELS = /^grpc\.aio\.(insecure|secure)_channel$/;
const ROUTE_DECORATOR = /\.(get|post|put|patch|delete|head|options|route|api_route|websocket|view)$/;
/** A module using Flask (whose async views each run on a fresh event loop), not Quart. */
const FLASK_IMPORT = /^\s*(from\s+flask(\.\w+)*\s+import|import\s+flask)\b/m;
/** Route decorators imported as functions: Litestar's and BlackSheep's `@get("/x")` (also in controllers). */
const ROUTE_FUNCTION_DECORATOR = /^(litestar(\.handlers)?|blacksheep(\.server\.(routing|controllers))?)\.(get|post|put|patch|delete|head|route|websocket)$/;
/** Message handlers of chat-bot frameworks (aiogram's `@router.message(...)`, discord.py's `@bot.command()`): run for every message. */
const BOT_HANDLER_DECORATOR: ReadonlyArray<[RegExp, RegExp, RegExp?]> = [
  [/\baiogram\b/, /\.(message|callback_query|inline_query|edited_message|channel_post|chosen_inline_result)$/],
  [/\bdiscord\b/, /^(\w+\.)?(command|hybrid_command)$/],
  // discord.py event listeners (`@commands.Cog.listener()`, `@client.event`) for each message or
  // reaction; not the ones that run once per connection.
  [/\bdiscord\b/, /(^|\.)(listener|event)$/, /^on_\w+$/],
  // Telethon's `@client.on(events.NewMessage(...))`, python-socketio's `@sio.event`/`@sio.on(...)`.
  [/\btelethon\b/, /\.on$/],
  [/\bsocketio\b/, /\.(event|on)$/],
  // Slack Bolt's `@app.command(...)`, `@app.event(...)`, `@app.message(...)`, `@app.action(...)`.
  [/\bslack_bolt\b/, /\.(command|event|message|action|shortcut|view|options)$/],
  // FastStream's `@broker.subscriber("orders")`: called for every message of the queue or topic.
  [/\bfaststream\b/, /\.subscriber$/],
];
/** The decorators that register an MCP request handler: FastMCP's (mcp's or fastmcp 2.x's) and the low-level server's, by the server's class. */
const MCP_HANDLER_DECORATORS: Readonly<Record<string, RegExp>> = {
  'mcp.server.fastmcp.FastMCP': /^(tool|resource|prompt)$/,
  'mcp.server.mcpserver.MCPServer': /^(tool|resource|prompt)$/,
  'fastmcp.FastMCP': /^(tool|resource|prompt)$/,
  'mcp.server.lowlevel.Server': /^(call_tool|read_resource|get_prompt)$/,
};

/** Whether a decorator's target (`mcp.tool`, `server.call_tool`) registers a handler of an MCP server's requests. */
function mcpRequestHandler(target: Node, resolver: AwaitableResolver): boolean {
  const method = target.type === 'attribute' ? (target.childForFieldName('attribute')?.text ?? '') : '';
  const server = target.type === 'attribute' ? target.childForFieldName('object') : null;
  if (!server || !Object.values(MCP_HANDLER_DECORATORS).some((re) => re.test(method))) return false;
  return !!resolver.libraryClassOfReceiver(server, (cls) => !!MCP_HANDLER_DECORATORS[cls]?.test(method));
}

/** Handlers of connection events, not of each message: `on_ready`, socketio's `connect`. */
const ONCE_PER_CONNECTION = /^(on_)?(ready|connect|disconnect|resumed|shard_ready|startup|shutdown|setup_hook)$/;
const RESPONSE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request']);
const RESPONSE_CONSUMERS = new Set(['text', 'json', 'read', 'release', 'close', 'raise_for_status_and_release', 'content']);

/**
 * `login()` where `login` is a plain (undecorated, not generator) function of this file whose every `return`
 * gives a resource it makes: the call itself (`return aiohttp.ClientSession()`, `return await asyncpg.connect(dsn)`)
 * or a local bound once to one and not closed there. The resource's name and kind, awaited when the factory is async.
 */
function factoryResource(ctx: PythonRuleContext, call: Node): readonly [string, ResourceKind] | undefined {
  const fn = call.childForFieldName('function')!;
  const found = ctx.scope.lookup(fn.text, fn);
  const def = found?.bindings.length === 1 && found.bindings[0].kind === 'def' ? found.bindings[0].node : undefined;
  if (def?.type !== 'function_definition' || def.parent?.type === 'decorated_definition' || hasOwnYield(def)) return undefined;
  const isAsync = def.child(0)?.type === 'async';
  const returns = nodesOfType(def, 'return_statement').filter((r) => !inNestedScope(r, def));
  if (returns.length === 0) return undefined;
  let result: readonly [string, ResourceKind] | undefined;
  for (const r of returns) {
    let value = r.namedChildren[0] ?? null;
    if (value?.type === 'identifier') {
      const name = value.text;
      const local = ctx.scope.lookup(name, value);
      if (local?.bindings.length !== 1 || local.bindings[0].kind === 'param') return undefined;
      const assigned = assignedValue(local.bindings[0].node);
      // Closed or entered in the factory itself: nothing open is handed out.
      if (!assigned || usesOf(def, value).some((u) => u.parent?.type === 'attribute' && (u.parent.parent?.type === 'call') && /^(a?close|dispose|shutdown|disconnect|release|quit|stop)$/.test(u.parent.childForFieldName('attribute')?.text ?? ''))) return undefined;
      value = assigned;
    }
    const awaited = value?.type === 'await';
    const made = awaited ? value!.namedChildren[0] : value;
    if (made?.type !== 'call') return undefined;
    const name = resolvedCallee(ctx, made);
    const kind = name ? resourceKindOf(name) : undefined;
    if (!name || !kind || kind.awaited !== awaited || kind.tupleIndex !== undefined || kind.startedBy) return undefined;
    if (result && result[0] !== name) return undefined;
    result = [name, { ...kind, awaited: isAsync, noWith: true, what: `${kind.what} from ${fn.text}()` }];
  }
  return result;
}

function resolvedCallee(ctx: PythonRuleContext, call: Node): string | undefined {
  return calleeName(ctx, call, /^(aiohttp|httpx|asyncpg|aiofiles)\./);
}

type Fate = 'owned-elsewhere' | 'closed-in-finally' | 'closed-on-success-path' | 'never-closed';

/** Builtins that only look at an object: passing a resource to them hands nothing on. */
const INSPECTING_BUILTINS = new Set(['isinstance', 'hasattr', 'getattr', 'print', 'repr', 'str', 'id', 'type', 'len', 'bool']);

/** Dunder methods that close any context manager: calling them (or handing them on) closes it too. */
const EXIT_METHODS = ['__aexit__', '__exit__'];

/**
 * What happens to the resource held in `target` within `owner`; for 'closed-in-finally', the
 * `try` statement whose `finally` block closes it.
 */
function fateOf(ctx: PythonRuleContext, uses: Node[], kind: ResourceKind, owner: Node): { fate: Fate; closingTry?: Node } {
  let closedSomewhere = false;
  let closedOnError = false;
  let lent = false;
  // Closed in a branch that then leaves (`if response.is_error: await response.aread(); raise
  // make_error(response)`), and the ends of those branches.
  const leavingCloses: Node[] = [];
  // Handed on by a `return` (`return Stream(response)`, `return await self._process(response)`).
  const returnedThrough: Node[] = [];
  // Where a call closes it: in a `finally` block, a catch-all handler or on the way.
  const closing = (call: Node): { fate: Fate; closingTry?: Node } | undefined => {
    const finallyClause = enclosingFinally(call);
    if (finallyClause) return { fate: 'closed-in-finally', closingTry: finallyClause.parent ?? undefined };
    // `except BaseException: await client.aclose(); raise` closes it on every error.
    if (inCatchAllHandler(call)) closedOnError = true;
    else {
      const leaving = branchLeftAfter(call, owner, uses[0]);
      if (leaving) leavingCloses.push(leaving);
      else closedSomewhere = true;
    }
    return undefined;
  };
  for (const use of uses) {
    const parent = use.parent;
    if (!parent) return { fate: 'owned-elsewhere' };
    // x.close() / await x.aclose()
    if (parent.type === 'attribute' && parent.childForFieldName('object')?.id === use.id) {
      const attr = parent.childForFieldName('attribute')?.text ?? '';
      if (kind.close.includes(attr) || EXIT_METHODS.includes(attr)) {
        const call = parent.parent;
        // The bound method handed on, not called: `stack.push_async_callback(client.aclose)`,
        // `stack.callback(f.close)`, `atexit.register(f.close)`. Whoever holds it closes it.
        if (call?.type !== 'call' || call.childForFieldName('function')?.id !== parent.id) return { fate: 'owned-elsewhere' };
        // Closed by a nested function (`async def on_unload(): await client.aclose()`, handed to a
        // framework or returned): whoever runs it closes the resource, after this function returns.
        if (inNestedScope(call, owner, true)) return { fate: 'owned-elsewhere' };
        const closed = closing(call);
        if (closed) return closed;
      }
      continue; // any other method use (session.get, f.read) keeps the resource here
    }
    // `await pool.release(conn)`: given back to the pool it came from.
    if (kind.giveBack && parent.type === 'argument_list' && parent.namedChildren[0]?.id === use.id) {
      const call = parent.parent;
      const method = call?.childForFieldName('function');
      if (call && method?.type === 'attribute' && kind.giveBack.includes(method.childForFieldName('attribute')?.text ?? '')) {
        const closed = closing(call);
        if (closed) return closed;
        continue;
      }
    }
    // async with x / with x
    if (parent.type === 'with_item' || parent.type === 'as_pattern' && parent.parent?.type === 'with_item') return { fate: 'owned-elsewhere' };
    // Passed to a call: handed on, unless the function closes it itself afterwards (a loan, see below).
    if (parent.type === 'argument_list' || parent.type === 'keyword_argument') {
      // `isinstance(f, ...)`, `print(f)`: looked at, not taken.
      const call = callTaking(parent);
      const callee = call?.childForFieldName('function');
      // `stub = GreeterStub(channel)`, the stub only called: the channel stays this function's to close.
      if (call && wraps(kind, call) && onlyCalledThrough(call, owner)) continue;
      // `BlobServiceClient(url, credential=cred)`: the client uses the credential and never closes it.
      if (kind.neverTakenBy && call && kind.neverTakenBy.test(calleeName(ctx, call) ?? '')) continue;
      // `await forward(session, url)` where the module's `forward` only calls methods on it: a loan.
      if (call && onlyBorrowedBy(ctx, call, use, kind)) continue;
      if (callee?.type !== 'identifier' || !INSPECTING_BUILTINS.has(callee.text)) {
        lent = true;
        if (call && inReturn(call, owner)) returnedThrough.push(use);
      }
      continue;
    }
    // `yield conn` in an `@asynccontextmanager`: the `async with` body borrows it and the generator
    // gets it back, to close it after the yield (an exception in the body is raised at the yield).
    if (parent.type === 'yield' && (decoratedWith(ctx, owner, ['asynccontextmanager', 'contextmanager']) || dependencyShaped(ctx, owner, parent))) {
      lent = true;
      continue;
    }
    // `Agent(name=..., mcp_servers=[server])`: listed for a library callee that uses it and never closes it.
    if (kind.neverTakenBy && parent.type === 'list' && (parent.parent?.type === 'keyword_argument' || parent.parent?.type === 'argument_list')) {
      const call = callTaking(parent.parent);
      if (call && kind.neverTakenBy.test(calleeName(ctx, call) ?? '')) continue;
    }
    // return x / yield x / stored / aliased
    if (parent.type === 'return_statement' || parent.type === 'yield') return { fate: 'owned-elsewhere' };
    if (parent.type === 'assignment' && parent.childForFieldName('right')?.id === use.id) return { fate: 'owned-elsewhere' };
    if (['list', 'tuple', 'set', 'dictionary', 'pair', 'expression_list', 'parenthesized_expression'].includes(parent.type)) return { fate: 'owned-elsewhere' };
    if (parent.type === 'global_statement' || parent.type === 'nonlocal_statement') return { fate: 'owned-elsewhere' };
  }
  // Closed by a catch-all handler and on the way out: every path closes it.
  if (closedSomewhere && closedOnError) return { fate: 'owned-elsewhere' };
  // Closed on the error branch that leaves, and handed on by a `return` after it on the other path
  // (`if response.is_error: await response.aclose(); raise ...`, then `return Stream(response)`):
  // every path either closes it or gives it away.
  if (leavingCloses.length > 0 && !closedSomewhere && !closedOnError
    && returnedThrough.some((use) => leavingCloses.every((branch) => branch.endIndex <= use.startIndex))) return { fate: 'owned-elsewhere' };
  if (leavingCloses.length > 0) closedSomewhere = true;
  // Passed to a call and never closed here: whoever took it closes it. Closed here as well, it
  // was only lent (`listing = await list_remote(session, url)`, then `await session.close()`).
  if (lent && !closedSomewhere && !closedOnError) return { fate: 'owned-elsewhere' };
  return { fate: closedSomewhere ? 'closed-on-success-path' : 'never-closed' };
}


/** The `yield x` of a dependency-shaped generator (see dependencyShaped) that hands out the resource `uses` name. */
function yieldedLikeDependency(ctx: PythonRuleContext, uses: readonly Node[], owner: Node): Node | undefined {
  const use = uses.find((u) => u.parent?.type === 'yield' && dependencyShaped(ctx, owner, u.parent));
  return use?.parent ?? undefined;
}

/** A module of a framework whose generator dependencies get the endpoint's error at their yield. */
const DEPENDENCY_FRAMEWORK = /^\s*(from|import)\s+(fastapi|litestar)\b/m;

/**
 * A generator shaped like a FastAPI dependency (`async def get_db(): db = SessionLocal(); yield db;
 * await db.close()`): not decorated, one `yield`, as a statement outside any loop, in a module that
 * uses FastAPI or Litestar, given to `Depends(...)` (here or by a module nearby) or `Provide(...)` (here), or wrapped by
 * `asynccontextmanager(get_db)`. Its driver raises the error of the code using the resource at the
 * yield: what follows the yield runs only when no error was raised. Not the generators of aiohttp's
 * `cleanup_ctx`, whose clean-up aiohttp always resumes (they take the application: a parameter named
 * `app` or annotated `...Application`); pytest fixtures are decorated.
 */
function dependencyShaped(ctx: PythonRuleContext, owner: Node, yieldNode: Node): boolean {
  if (owner.type !== 'function_definition' || owner.parent?.type === 'decorated_definition') return false;
  const name = owner.childForFieldName('name')?.text ?? '';
  const driven =
    DEPENDENCY_FRAMEWORK.test(ctx.text) ||
    new RegExp(`\\basynccontextmanager\\(\\s*${name}\\s*\\)`).test(ctx.text) ||
    requestDependencies(ctx).has(owner.id) ||
    (owner.parent?.type === 'module' && ctx.project.dependedOnNearby(ctx.filePath, name));
  if (!driven) return false;
  if (yieldNode.parent?.type !== 'expression_statement') return false;
  for (let n = yieldNode.parent.parent; n && n.id !== owner.id; n = n.parent) if (n.type === 'for_statement' || n.type === 'while_statement') return false;
  const yields = owner.descendantsOfType('yield').filter((y): y is Node => !!y && y.isNamed && !inNestedScope(y, owner, true));
  if (yields.length !== 1) return false;
  for (const param of owner.childForFieldName('parameters')?.namedChildren ?? []) {
    const name = param?.type === 'identifier' ? param : param?.namedChildren.find((c) => c?.type === 'identifier');
    const annotation = param?.childForFieldName('type')?.text ?? '';
    if (name?.text === 'app' || /Application\b/.test(annotation)) return false;
  }
  return true;
}

/**
 * The block of an `if` (or `elif`/`else`) branch or of an `except` handler holding the statement of `call` that ends by leaving:
 * its last statement is a `raise`, a `return`, or `x.raise_for_status()` on the resource (named by
 * `use`), which raises on the error status the branch tests.
 */
function branchLeftAfter(call: Node, owner: Node, use: Node | undefined): Node | undefined {
  let statement: Node | null = call;
  while (statement && statement.parent && statement.parent.type !== 'block') statement = statement.parent;
  const block = statement?.parent;
  if (!block || block.type !== 'block' || !encloses(owner, block) || block.id === owner.childForFieldName('body')?.id) return undefined;
  if (!['if_statement', 'elif_clause', 'else_clause', 'except_clause'].includes(block.parent?.type ?? '')) return undefined;
  const last = block.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment').pop();
  if (!last || last.startIndex < statement!.startIndex) return undefined;
  if (last.type === 'raise_statement' || last.type === 'return_statement') return block;
  const expr = last.type === 'expression_statement' ? last.namedChildren[0] : null;
  const callee = expr?.type === 'call' ? expr.childForFieldName('function') : null;
  if (callee?.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'raise_for_status' && !!use && callee.childForFieldName('object')?.text === use.text) return block;
  return undefined;
}

/** `call` is the value of a `return` of `owner` (also awaited: `return await self._process(response)`). */
function inReturn(call: Node, owner: Node): boolean {
  let n: Node | null = call.parent;
  while (n && (n.type === 'await' || n.type === 'parenthesized_expression')) n = n.parent;
  return n?.type === 'return_statement' && !inNestedScope(n, owner, true);
}

/** The call an argument list (or a keyword argument in it) belongs to. */
function callTaking(argument: Node): Node | null | undefined {
  return (argument.type === 'argument_list' ? argument : argument.parent)?.parent;
}

/**
 * Whether `call` is a call of a function of this module (`forward(session, url)`) or of a method of
 * the enclosing class (`self._post(session, url)`), defined once, whose parameter receiving `use` is
 * only the receiver of method calls other than a close (`async with session.post(url) as resp:`):
 * it borrows the resource, which stays the caller's to close. A parameter stored, returned, handed
 * on again, closed, or used in a nested function of the callee is taken over.
 */
function onlyBorrowedBy(ctx: PythonRuleContext, call: Node, use: Node, kind: ResourceKind): boolean {
  const callee = call.childForFieldName('function');
  let fn: Node | undefined;
  if (callee?.type === 'identifier') {
    const found = ctx.scope.lookup(callee.text, callee);
    if (found?.bindings.length !== 1 || found.bindings[0].kind !== 'def' || found.scope.kind !== 'module') return false;
    fn = found.bindings[0].node;
  } else if (callee?.type === 'attribute' && callee.childForFieldName('object')?.text === 'self') {
    const cls = enclosingClassNode(call);
    const defs = definitionsIn(cls?.childForFieldName('body'), 'function_definition', callee.childForFieldName('attribute')?.text);
    if (defs.length !== 1) return false;
    fn = defs[0];
  }
  if (fn?.type !== 'function_definition') return false;
  const param = parameterReceiving(fn, call, use, callee?.type === 'attribute');
  const body = fn.childForFieldName('body');
  if (!param || !body) return false;
  const mentions = body.descendantsOfType('identifier').filter((id): id is Node => id !== null && id.text === param && !isKeywordName(id) && !isAttributeName(id));
  return mentions.length > 0 && mentions.every((m) => {
    const attr = m.parent;
    if (attr?.type !== 'attribute' || attr.childForFieldName('object')?.id !== m.id || inNestedScope(m, fn, false)) return false;
    const method = attr.childForFieldName('attribute')?.text ?? '';
    if (kind.close.includes(method) || EXIT_METHODS.includes(method)) return false;
    const methodCall = attr.parent;
    return methodCall?.type === 'call' && methodCall.childForFieldName('function')?.id === attr.id;
  });
}

/** The name of the parameter of `fn` that `use`, an argument of `call`, is bound to (`self` skipped for a method), if plainly known. */
function parameterReceiving(fn: Node, call: Node, use: Node, method: boolean): string | undefined {
  const params = (fn.childForFieldName('parameters')?.namedChildren ?? []).slice(method ? 1 : 0);
  const nameOf = (p: Node): string | undefined => {
    if (p.type === 'identifier') return p.text;
    if (['typed_parameter', 'default_parameter', 'typed_default_parameter'].includes(p.type)) {
      const n = p.childForFieldName('name') ?? p.namedChildren[0];
      return n?.type === 'identifier' ? n.text : undefined;
    }
    return undefined;
  };
  if (use.parent?.type === 'keyword_argument') {
    const name = use.parent.childForFieldName('name')?.text;
    return params.some((p) => nameOf(p) === name) ? name : undefined;
  }
  const args = callArguments(call);
  const index = args.findIndex((a) => a.id === use.id);
  if (index < 0 || args.slice(0, index).some((a) => ['list_splat', 'dictionary_splat', 'keyword_argument'].includes(a.type))) return undefined;
  if (params.slice(0, index + 1).some((p) => !nameOf(p))) return undefined;
  const param = params[index];
  return param ? nameOf(param) : undefined;
}

/** `Storage(session=shared)`: a gcloud-aio client made over an aiohttp session it is given (it opens and closes none of its own). */
function overSharedSession(name: string, call: Node): boolean {
  return name.startsWith('gcloud.aio.') && callArguments(call).some((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'session');
}

/** Whether `call` only wraps a resource of `kind` it is given (`GreeterStub(channel)`), see ResourceKind.wrappedBy. */
function wraps(kind: ResourceKind, call: Node): boolean {
  const callee = call.childForFieldName('function');
  return !!kind.wrappedBy && !!callee && kind.wrappedBy.test(callee.text);
}

/**
 * `stub = GreeterStub(channel)` as a statement of `owner`, and `stub` used only to call its methods
 * (`await stub.SayHello(...)`), or a wrapper called as soon as it is made (`GreeterStub(channel).SayHello(...)`):
 * the wrapper does not leave the function, nor does what it wraps.
 */
function onlyCalledThrough(call: Node, owner: Node): boolean {
  // `await client.CoreV1Api(api).list_namespaced_pod(ns)`: made and called at once.
  const method = call.parent;
  if (method?.type === 'attribute' && method.childForFieldName('object')?.id === call.id && method.parent?.type === 'call' && method.parent.childForFieldName('function')?.id === method.id) return true;
  const assignment = call.parent;
  const name = assignment?.type === 'assignment' && assignment.childForFieldName('right')?.id === call.id ? assignment.childForFieldName('left') : null;
  if (name?.type !== 'identifier' || assignment!.parent?.type !== 'expression_statement') return false;
  return usesOf(owner, name).every((use) => {
    const parent = use.parent;
    return parent?.type === 'attribute' && parent.childForFieldName('object')?.id === use.id && parent.parent?.type === 'call' && parent.parent.childForFieldName('function')?.id === parent.id;
  });
}

/** Inside an `except:` / `except BaseException:` handler (of this function). */
function inCatchAllHandler(node: Node): boolean {
  for (let n: Node | null = node.parent; n; n = n.parent) {
    if (n.type === 'except_clause') {
      const caught = n.namedChildren.find((c) => c?.type !== 'block' && c?.type !== 'comment');
      const type = caught?.type === 'as_pattern' ? caught.namedChildren[0] : caught;
      return !type || /^(builtins\.)?BaseException$/.test(type.text);
    }
    if (n.type === 'function_definition' || n.type === 'lambda') return false;
  }
  return false;
}

function enclosingFinally(node: Node): Node | undefined {
  for (let n: Node | null = node.parent; n; n = n.parent) {
    if (n.type === 'finally_clause') return n;
    if (n.type === 'function_definition' || n.type === 'lambda') return undefined;
  }
  return undefined;
}

const LOOPS = new Set(['for_statement', 'while_statement']);

function encloses(outer: Node, inner: Node): boolean {
  return outer.startIndex <= inner.startIndex && inner.endIndex <= outer.endIndex;
}

/**
 * A `return`, `raise`, `break` or `continue` that leaves the function (or the loop iteration)
 * after the resource is created in `statement` and before the `try` whose `finally` closes it
 * (`session = ClientSession()`, `if not enabled: return None`, `try: ... finally: await
 * session.close()`): on that path the resource is never closed. Only exits in the statements that
 * follow `statement` (or one of its enclosing statements) in their block count, so that another
 * branch of an `if` is not taken for a path; nothing is reported when the resource is used in
 * between other than through its methods (it may be closed or handed on there).
 */
function exitBeforeClosingTry(statement: Node, closingTry: Node, uses: Node[], kind: ResourceKind, fnNode: Node): Node | undefined {
  if (closingTry.startIndex < statement.endIndex) return undefined;
  // Closed in a nested function: when that runs is not known here.
  if (inNestedScope(closingTry, fnNode)) return undefined;
  for (const use of uses) {
    if (use.startIndex >= closingTry.startIndex) break;
    const parent = use.parent;
    // `conn.fetch(...)` is used through its methods; `await conn_query(conn)` may close or keep it.
    if (parent?.type !== 'attribute' || parent.childForFieldName('object')?.id !== use.id) return undefined;
    const attr = parent.childForFieldName('attribute')?.text ?? '';
    if (kind.close.includes(attr) || EXIT_METHODS.includes(attr)) return undefined;
  }
  // The statements that run after `statement`, level by level, up to the one holding the `try`.
  const following: Node[] = [];
  let reached = false;
  for (let at: Node = statement; !reached && at.id !== fnNode.id; ) {
    const block = at.parent;
    if (!block) return undefined;
    if (block.type === 'block' || block.type === 'module') {
      for (const sibling of block.namedChildren) {
        if (!sibling || sibling.startIndex < at.endIndex) continue;
        if (encloses(sibling, closingTry)) {
          reached = true;
          if (sibling.id !== closingTry.id) following.push(sibling);
          break;
        }
        following.push(sibling);
      }
    }
    at = block;
  }
  if (!reached) return undefined;
  for (const region of following) {
    for (const exit of region.descendantsOfType(['return_statement', 'raise_statement', 'break_statement', 'continue_statement'])) {
      if (!exit || exit.startIndex >= closingTry.startIndex) continue;
      if (leavesBeforeTry(exit, statement, closingTry, fnNode, uses[0]?.text ?? '')) return exit;
    }
  }
  return undefined;
}

const EXIT_WORDS: Readonly<Record<string, string>> = {
  return_statement: 'the function returns',
  raise_statement: 'an exception is raised',
  break_statement: 'the loop is left (break)',
  continue_statement: 'the loop moves on (continue)',
};

function leavesBeforeTry(exit: Node, statement: Node, closingTry: Node, fnNode: Node, name: string): boolean {
  for (let n: Node | null = exit.parent; n && n.id !== fnNode.id; n = n.parent) {
    if (opensScope(n)) return false;
    if (LOOPS.has(n.type) && (exit.type === 'break_statement' || exit.type === 'continue_statement')) {
      // The loop it leaves must hold both the creation and the closing `try`.
      return encloses(n, statement) && encloses(n, closingTry);
    }
    // `if not await client.connect(): raise ConnectionError(...)`: a client that failed to connect holds nothing.
    if (n.type === 'if_statement' && failedToConnect(n.childForFieldName('condition'), name, fnNode) && encloses(n.childForFieldName('consequence') ?? n, exit)) return false;
    if (n.type === 'try_statement') {
      const body = n.childForFieldName('body');
      // A raise in a `try` with handlers may be caught; a `finally` on the way out may close it.
      if (exit.type === 'raise_statement' && body && encloses(body, exit) && n.namedChildren.some((c) => c?.type === 'except_clause' || c?.type === 'except_group_clause')) return false;
      const cleanUp = n.namedChildren.find((c) => c?.type === 'finally_clause');
      if (cleanUp && cleanUp.descendantsOfType('identifier').some((id) => id?.text === name)) return false;
    }
  }
  return exit.type === 'return_statement' || exit.type === 'raise_statement';
}

/**
 * `not await name.connect(...)` (also through a name bound once to it, `ok = await name.connect()`
 * then `not ok`), `not name.connected`, `not name.is_connected`: the test of a
 * connection attempt that failed (pymodbus' `connect()` answers False instead of raising).
 */
function failedToConnect(condition: Node | null, name: string, fnNode: Node): boolean {
  if (condition?.type !== 'not_operator') return false;
  let tested = condition.childForFieldName('argument');
  while (tested?.type === 'parenthesized_expression') tested = tested.namedChildren[0] ?? null;
  // `connected = await client.connect()`, then `if not connected:`.
  if (tested?.type === 'identifier') {
    const flag = tested.text;
    const bound = fnNode.descendantsOfType('assignment').filter((a): a is Node => a !== null && a.childForFieldName('left')?.type === 'identifier' && a.childForFieldName('left')?.text === flag);
    if (bound.length !== 1 || bound[0].startIndex > tested.startIndex) return false;
    tested = bound[0].childForFieldName('right');
  }
  if (tested?.type === 'await') tested = tested.namedChildren[0] ?? null;
  if (tested?.type === 'call') {
    const fn = tested.childForFieldName('function');
    return fn?.type === 'attribute' && fn.childForFieldName('object')?.text === name && fn.childForFieldName('attribute')?.text === 'connect';
  }
  return tested?.type === 'attribute' && tested.childForFieldName('object')?.text === name && /^(is_)?connected$/.test(tested.childForFieldName('attribute')?.text ?? '');
}

/**
 * Whether the first use of the resource is its close, in the statement that runs right after
 * the one that made it (the next one in the block, or the one after the `try` whose body the
 * creation ends): a readiness probe (`conn = await connect(dsn)` then `await conn.close()`).
 */
function closedStraightAway(made: Node, firstUse: Node | undefined, kind: ResourceKind): boolean {
  const method = firstUse?.parent;
  if (method?.type !== 'attribute' || !kind.close.includes(method.childForFieldName('attribute')?.text ?? '')) return false;
  let call: Node | null = method.parent;
  if (call?.parent?.type === 'await') call = call.parent;
  const closing = call?.parent;
  if (closing?.type !== 'expression_statement') return false;
  for (let stmt: Node = made; ; ) {
    let next = stmt.nextNamedSibling;
    while (next?.type === 'comment') next = next.nextNamedSibling;
    if (next) return next.id === closing.id;
    const block = stmt.parent;
    const owner = block?.parent;
    // The end of a `try` body without `else`/`finally`: the statement after the `try` runs next.
    if (block?.type !== 'block' || owner?.type !== 'try_statement' || owner.childForFieldName('body')?.id !== block.id) return false;
    if (owner.namedChildren.some((c) => c?.type === 'else_clause' || c?.type === 'finally_clause')) return false;
    stmt = owner;
  }
}

/** `scanner.start()` (or `await scanner.start()`): the use is a call of one of `methods` on it. */
function startedHere(use: Node, methods: readonly string[]): boolean {
  const method = use.parent;
  if (method?.type !== 'attribute' || method.childForFieldName('object')?.id !== use.id) return false;
  if (!methods.includes(method.childForFieldName('attribute')?.text ?? '')) return false;
  return method.parent?.type === 'call' && method.parent.childForFieldName('function')?.id === method.id;
}

/** Nested functions or lambdas that mention the name: the resource may outlive this block. */
function capturedByClosure(owner: Node, target: Node): boolean {
  for (const fn of owner.descendantsOfType(['function_definition', 'lambda'])) {
    if (!fn || fn.startIndex < target.startIndex) continue;
    if (fn.descendantsOfType('identifier').some((id) => id?.text === target.text)) return true;
  }
  return false;
}

/**
 * A generator the file gives to a web framework as its lifespan: an `@asynccontextmanager` named by a
 * `lifespan=` argument (`FastAPI(lifespan=lifespan)`, Litestar's `lifespan=[db_lifespan]`), or Quart's
 * `@app.while_serving`.
 */
function appLifespan(ctx: PythonRuleContext, def: Node): boolean {
  if (!hasOwnYield(def)) return false;
  if (decoratedWith(ctx, def, ['while_serving'])) return true;
  const name = def.childForFieldName('name')?.text;
  if (!name || !decoratedWith(ctx, def, ['asynccontextmanager'])) return false;
  return nodesOfType(ctx.tree.rootNode, 'keyword_argument').some((arg) => {
    if (arg.childForFieldName('name')?.text !== 'lifespan') return false;
    const value = arg.childForFieldName('value');
    if (!value) return false;
    const named = value.type === 'list' || value.type === 'tuple' ? value.namedChildren : [value];
    return named.some((v) => v?.type === 'identifier' && v.text === name);
  });
}

export function checkUnclosedResources(ctx: PythonRuleContext): void {
  const factories = SESSION_FACTORY_HINT.test(ctx.text);
  let resolver: AwaitableResolver | undefined;
  for (const call of nodesOfType(ctx.tree.rootNode, 'call')) {
    let name = resolvedCallee(ctx, call);
    let kind = name ? resourceKindOf(name) : undefined;
    // `from agents.mcp import MCPServerStdio` where `agents/` is the project's own package.
    if (kind && (resolver ??= awaitablesOf(ctx)).shadowedByProject(name!)) kind = undefined;
    // `session = SessionLocal()` with `SessionLocal = async_sessionmaker(engine)`, here or in the project's db module.
    if (!kind && factories && sessionFromFactory(ctx, (resolver ??= awaitablesOf(ctx)), call)) {
      name = 'sqlalchemy.ext.asyncio.AsyncSession';
      kind = ASYNC_SESSION;
    }
    // `exchange = getattr(ccxt, exchange_id)(config)` with `import ccxt.async_support as ccxt` (or `ccxt.pro`).
    const ccxtModule = kind ? undefined : ccxtModuleOfExchangeGetter(ctx, call.childForFieldName('function'));
    if (ccxtModule && ccxtModule !== 'ccxt') [name, kind] = [`${ccxtModule}.Exchange`, CCXT_ASYNC_EXCHANGE];
    // `ps = r.pubsub()` on a redis.asyncio client, `conn = await engine.connect()` on an AsyncEngine.
    const made = kind ? undefined : methodResource((resolver ??= awaitablesOf(ctx)), call);
    if (made) [name, kind] = made;
    // `client = await login()` with `async def login(): client = AsyncClient(...); ...; return client` in this file.
    const fromFactory = kind || call.childForFieldName('function')?.type !== 'identifier' ? undefined : factoryResource(ctx, call);
    if (fromFactory) [name, kind] = fromFactory;
    if (!kind) continue;
    // A protocol of the file that closes its own transport (`self.transport.close()` once its answer came) ends it.
    if (kind === DATAGRAM_TRANSPORT && protocolClosesTransport(ctx)) continue;
    // `page = await context.new_page()` with a context (or browser) made here: closing that, or leaving
    // `async with async_playwright()`, closes the page too.
    if (PW_KINDS.has(kind) && !receiverFromOutside(ctx, call)) continue;
    // `create_async_engine(url, poolclass=NullPool)`: it keeps no connection open between uses, disposing frees nothing.
    if (kind === ASYNC_ENGINE && callArguments(call).some((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'poolclass' && /(^|\.)NullPool$/.test(a.childForFieldName('value')?.text ?? ''))) continue;
    if (name === 'builtins.open' && !ctx.scope.isAsyncContext(call)) continue;
    // `Redis(connection_pool=pool)`: the client borrows a pool it does not own, closing it frees nothing.
    if (kind.what === 'redis.asyncio client' && callArguments(call).some((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'connection_pool')) continue;
    // `Storage(session=shared)`: gcloud-aio's clients over a session they were given close nothing of theirs.
    if (overSharedSession(name!, call)) continue;
    // `await aiohttp.ClientSession().get(url)`, `coll = AsyncIOMotorClient(url)["shop"]["orders"]`: never bound, never closed.
    if (!kind.awaited && name !== 'builtins.open') {
      const use = usedInline(ctx, call, kind);
      if (use) {
        ctx.report({
          message: `This ${kind.what} is made and used in one expression: nothing keeps it to close it, so it is never closed. Make it once and share it, or ${kind.noWith ? `keep it in a name and close it with ${kind.close[0]}() in a finally block` : `open it with '${kind.asyncWith ? 'async with' : 'with'}'`}`,
          range: ctx.rangeOf(call),
        });
        continue;
      }
    }
    // x = Ctor(...) / x = await factory(...), as a statement of a function body.
    let value: Node = call;
    if (kind.awaited) {
      // `await asyncio.wait_for(asyncpg.connect(dsn), timeout=5)`: the same connection.
      const wrapper = call.parent?.type === 'argument_list' && call.parent.namedChildren[0]?.id === call.id ? call.parent.parent : null;
      const wrapped = wrapper?.type === 'call' && wrapper.parent?.type === 'await' && /^(asyncio\.)?(wait_for|shield)$/.test(wrapper.childForFieldName('function')?.text ?? '') ? wrapper : null;
      if (call.parent?.type !== 'await' && !wrapped) continue;
      value = wrapped ? wrapped.parent! : call.parent!;
    }
    // `session = self.session or aiohttp.ClientSession()` (or `session if session is not None else
    // aiohttp.ClientSession()`): made here only when none was given, then judged as made here
    // (closing it is the function's job on that path).
    const fallback =
      (value.parent?.type === 'boolean_operator' && value.parent.childForFieldName('operator')?.text === 'or' && value.parent.childForFieldName('right')?.id === value.id) ||
      (value.parent?.type === 'conditional_expression' && [0, 2].some((i) => value.parent!.namedChildren[i]?.id === value.id));
    if (fallback) value = value.parent!;
    const assignment = value.parent;
    if (assignment?.type !== 'assignment' || assignment.childForFieldName('right')?.id !== value.id) continue;
    if (assignment.parent?.type !== 'expression_statement') continue;
    let target = assignment.childForFieldName('left');
    // `reader, writer = await asyncio.open_connection(host, port)`: the writer closes the connection.
    if (kind.tupleIndex !== undefined) {
      // Tests open connections to a test server that ends with them (and test the warnings of
      // unclosed writers on purpose).
      if (TEST_MODULE.test(ctx.filePath.split(/[\\/]/).join('/'))) continue;
      const items = target?.type === 'pattern_list' || target?.type === 'tuple_pattern' ? target.namedChildren.filter((c): c is Node => c !== null) : [];
      target = items.length === 2 ? items[kind.tupleIndex] : null;
    }
    // What a factory of the file makes is often kept for good (`self.client = await login()`): only locals are judged.
    if (fromFactory && target?.type !== 'identifier') continue;
    if (target?.type === 'attribute' && SESSION_OR_POOL.has(name!)) {
      checkOwnedByInstance(ctx, assignment, target, kind);
      continue;
    }
    if (target?.type !== 'identifier') continue;
    const fn = ctx.scope.enclosingFunction(call);
    if (!fn || fn.kind !== 'function') continue;
    const scope = ctx.scope.scopeAt(target);
    if (scope.globals.has(target.text) || scope.nonlocals.has(target.text)) continue;
    const uses = usesOf(fn.node, target);
    if (kind.startedBy && !uses.some((u) => startedHere(u, kind.startedBy!))) continue;
    // `session = SessionLocal()` used only inside `async with session.begin():`: the transaction's end gives its connection back.
    if (kind === ASYNC_SESSION && onlyInTransactions(uses)) continue;
    const { fate, closingTry } = fateOf(ctx, uses, kind, fn.node);
    if (fate === 'owned-elsewhere') continue;
    const closeName = kind.close[0];
    const withKeyword = kind.asyncWith ? 'async with' : 'with';
    if (fate === 'closed-in-finally') {
      const exit = closingTry && exitBeforeClosingTry(assignment.parent, closingTry, uses, kind, fn.node);
      if (!exit) continue;
      ctx.report({
        message: `This ${kind.what} is not closed when ${EXIT_WORDS[exit.type]} on line ${exit.startPosition.row + 1}, before the 'try' whose finally block closes it: create it just before that 'try'${kind.noWith ? '' : ` or use '${withKeyword}'`}`,
        range: ctx.rangeOf(assignment),
      });
      continue;
    }
    // `conn = await connect(); await conn.close()`: nothing runs in between that could raise.
    if (fate === 'closed-on-success-path' && closedStraightAway(assignment.parent, uses[0], kind)) continue;
    // A pytest fixture's clean-up after its yield: pytest resumes it after the test, whatever the test did.
    if (fate === 'closed-on-success-path' && decoratedWith(ctx, fn.node, ['fixture', 'yield_fixture']) && hasOwnYield(fn.node)) continue;
    // An application's lifespan handler: an error before its yield aborts the start-up (the process ends), and the
    // server resumes it at shutdown without raising into it.
    if (fate === 'closed-on-success-path' && appLifespan(ctx, fn.node)) continue;
    const remedy = fallback
      ? `close it with ${closeName}() in a finally block when it was made here (not the one given)`
      : kind.noWith
        ? `close it with ${closeName}() in a finally block`
        : `use '${withKeyword}' (or ${closeName}() in a finally block)`;
    const yielded = fate === 'closed-on-success-path' ? yieldedLikeDependency(ctx, uses, fn.node) : undefined;
    const message =
      fate === 'never-closed'
        ? `This ${kind.what} is never closed: ${remedy} so it is released`
        : yielded
          ? `This ${kind.what} is closed after the yield on line ${yielded.startPosition.row + 1} only when no exception is raised: an error of the code using it (the endpoint of a dependency) is raised at the yield and skips ${closeName}(). Close it in a finally block around the yield${kind.noWith ? '' : ` or use '${withKeyword}'`}`
          : `This ${kind.what} is closed only when no exception is raised before ${closeName}(): ${remedy}`;
    ctx.report({
      message,
      range: ctx.rangeOf(assignment),
      // Not for a fallback: 'async with' would close the one given too.
      suggestions: fate === 'never-closed' && !fallback && !capturedByClosure(fn.node, target) ? withBlockFix(ctx, assignment.parent, target.text, value, kind) : undefined,
    });
  }
  checkCheckedOut(ctx);
  if (ctx.text.includes('playwright_page')) checkScrapyPlaywrightPages(ctx);
  checkStreamedResponses(ctx);
  checkUnclosedMemoryChannels(ctx);
  checkHeldLocks(ctx);
  checkQueueJoins(ctx);
}

/**
 * A client made inside a function and used on the spot without being kept: the receiver of a chain
 * of attributes, items and method calls (`AsyncIOMotorClient(url)["shop"]["orders"]`,
 * `redis.from_url(url).get(key)`, `aiohttp.ClientSession().get(url)`) whose end is a statement, is
 * awaited as one, is entered with `async with`, or is held in a local that is itself only used as
 * such a receiver, or whose awaited result is returned. Not when the chain closes or enters it, nor when its end is returned, passed on or
 * stored (a database or collection keeps its client: `self.db = AsyncIOMotorClient(url)["shop"]`).
 */
function usedInline(ctx: PythonRuleContext, call: Node, kind: ResourceKind): Node | undefined {
  const first = call.parent;
  if (first?.type === 'attribute' && first.childForFieldName('object')?.id === call.id) {
    const member = first.childForFieldName('attribute')?.text ?? '';
    if (kind.close.includes(member) || EXIT_METHODS.includes(member) || member === '__aenter__' || member === '__enter__') return undefined;
    // `await BleakScanner().find_device_by_filter(...)`: a class-level helper reached through a fresh
    // instance; one that holds something only once started holds nothing unless this call starts it.
    if (kind.startedBy && !kind.startedBy.includes(member)) return undefined;
  } else if (first?.type !== 'subscript' || first.childForFieldName('value')?.id !== call.id || kind.startedBy) return undefined;
  const fn = ctx.scope.enclosingFunction(call);
  if (!fn || fn.kind !== 'function') return undefined;
  let end: Node = first;
  for (;;) {
    const p = end.parent;
    if (!p) return undefined;
    if ((p.type === 'attribute' && p.childForFieldName('object')?.id === end.id) || (p.type === 'subscript' && p.childForFieldName('value')?.id === end.id)
      || (p.type === 'call' && p.childForFieldName('function')?.id === end.id) || p.type === 'await' || p.type === 'parenthesized_expression') {
      end = p;
      continue;
    }
    break;
  }
  const holder = end.parent;
  if (!holder) return undefined;
  if (holder.type === 'expression_statement' || holder.type === 'with_item' || (holder.type === 'as_pattern' && holder.parent?.type === 'with_item')) return end;
  // `return await redis.from_url(url).get(key)`: the caller gets a result, and the client is lost.
  if (holder.type === 'return_statement' && end.type === 'await') return end;
  if (holder.type !== 'assignment' || holder.childForFieldName('right')?.id !== end.id || holder.parent?.type !== 'expression_statement') return undefined;
  const target = holder.childForFieldName('left');
  // `text = await ClientSession().get(url).text()`... a value read from it, unless it is still a part of the client.
  if (target?.type !== 'identifier') return undefined;
  const scope = ctx.scope.scopeAt(target);
  if (scope.globals.has(target.text) || scope.nonlocals.has(target.text)) return undefined;
  // Awaited: what the chain gives is a result, not a part of the client (`row = await redis.from_url(u).get(k)`).
  if (end.type === 'await') return end;
  const uses = usesOf(fn.node, target);
  const receiverOnly = uses.every((u) => {
    const p = u.parent;
    // `es = AsyncElasticsearch(url).options(request_timeout=5)`, then `await es.close()`: the copy closes the client's transport.
    if (p?.type === 'attribute' && kind.close.includes(p.childForFieldName('attribute')?.text ?? '')) return false;
    return (p?.type === 'attribute' && p.childForFieldName('object')?.id === u.id) || (p?.type === 'subscript' && p.childForFieldName('value')?.id === u.id);
  });
  return receiverOnly ? end : undefined;
}

/** Session methods that use no connection: they only stage objects (or close it). */
const SESSION_LOCAL_METHODS = new Set(['add', 'add_all', 'expunge', 'expunge_all', 'close', 'begin', 'in_transaction', 'is_active']);

/**
 * A session entered as `async with session.begin():` and otherwise used only inside such blocks
 * (or only to stage objects): the end of each transaction, commit or rollback, gives its connection back.
 */
function onlyInTransactions(uses: readonly Node[]): boolean {
  const blocks: Node[] = [];
  for (const use of uses) {
    const method = use.parent?.type === 'attribute' && use.parent.childForFieldName('object')?.id === use.id ? use.parent : null;
    const call = method?.parent?.type === 'call' && method.parent.childForFieldName('function')?.id === method.id ? method.parent : null;
    if (call && method!.childForFieldName('attribute')?.text === 'begin' && call.parent?.type === 'with_item') {
      const statement = call.parent.parent?.type === 'with_clause' ? call.parent.parent.parent : null;
      if (statement?.type === 'with_statement') blocks.push(statement);
    }
  }
  if (blocks.length === 0) return false;
  return uses.every((use) => {
    if (blocks.some((b) => b.startIndex <= use.startIndex && use.endIndex <= b.endIndex)) return true;
    const method = use.parent?.type === 'attribute' && use.parent.childForFieldName('object')?.id === use.id ? use.parent.childForFieldName('attribute')?.text : undefined;
    return !!method && SESSION_LOCAL_METHODS.has(method);
  });
}

/** `x = call` as a statement, or `call.method(...)`/`call[...]`: the shapes the rule judges (a binding or a use on the spot). */
function boundOrUsedAtOnce(call: Node): boolean {
  const parent = call.parent;
  if (parent?.type === 'attribute') return parent.childForFieldName('object')?.id === call.id;
  if (parent?.type === 'subscript') return parent.childForFieldName('value')?.id === call.id;
  return parent?.type === 'assignment' && parent.childForFieldName('right')?.id === call.id && parent.parent?.type === 'expression_statement' && parent.childForFieldName('left')?.type === 'identifier';
}

/**
 * A Playwright browser context or page: it lives (with its renderer's memory and the page's timers and
 * sockets) until closed, or until its browser closes. Judged only when made from a browser or context
 * this function did not make (a parameter, an attribute): one made per call of a helper.
 */
const PW_CONTEXT: ResourceKind = { what: 'Playwright browser context', close: ['close'], awaited: true, asyncWith: true, enterAwaited: true };
const PW_PAGE: ResourceKind = { what: 'Playwright page', close: ['close'], awaited: true, asyncWith: false, noWith: true };
const PW_KINDS: ReadonlySet<ResourceKind> = new Set([PW_CONTEXT, PW_PAGE]);

/** Resources a library object's method makes, by the object's class and the method. */
const METHOD_RESOURCES: Readonly<Record<string, Readonly<Record<string, readonly [string, ResourceKind]>>>> = {
  'playwright.async_api.Browser': { new_context: ['playwright.async_api.BrowserContext', PW_CONTEXT], new_page: ['playwright.async_api.Page', PW_PAGE] },
  'playwright.async_api.BrowserContext': { new_page: ['playwright.async_api.Page', PW_PAGE] },
  // `ps = r.pubsub()`: a connection of the client's pool once subscribed.
  'redis.asyncio.Redis': { pubsub: ['redis.asyncio.client.PubSub', REDIS_PUBSUB] },
  // `conn = await engine.connect()`: a connection checked out of the engine's pool (`async with engine.connect() as conn:`).
  'sqlalchemy.ext.asyncio.AsyncEngine': { connect: ['sqlalchemy.ext.asyncio.AsyncConnection', ASYNC_CONNECTION] },
  // `transport, protocol = await loop.create_datagram_endpoint(...)`: the transport holds its socket until closed.
  'asyncio.AbstractEventLoop': { create_datagram_endpoint: ['asyncio.DatagramTransport', DATAGRAM_TRANSPORT] },
};

/**
 * scrapy-playwright hands a callback the page of a request made with `playwright_include_page`
 * (`page = response.meta["playwright_page"]`), and leaves closing it to the callback: a page never
 * closed stays open in the browser, and once the context's page limit is reached new requests wait.
 */
function checkScrapyPlaywrightPages(ctx: PythonRuleContext): void {
  for (const sub of nodesOfType(ctx.tree.rootNode, 'subscript')) {
    const key = sub.childForFieldName('subscript');
    const meta = sub.childForFieldName('value');
    if (!/^["']playwright_page["']$/.test(key?.text ?? '') || meta?.type !== 'attribute' || meta.childForFieldName('attribute')?.text !== 'meta') continue;
    const assignment = sub.parent;
    const target = assignment?.type === 'assignment' && assignment.childForFieldName('right')?.id === sub.id ? assignment.childForFieldName('left') : null;
    if (target?.type !== 'identifier' || assignment?.parent?.type !== 'expression_statement') continue;
    const fn = ctx.scope.enclosingFunction(sub);
    if (!fn || fn.kind !== 'function' || !fn.isAsync) continue;
    const uses = usesOf(fn.node, target);
    const { fate } = fateOf(ctx, uses, PW_PAGE, fn.node);
    if (fate !== 'never-closed' && fate !== 'closed-on-success-path') continue;
    // An errback's `page = failure.request.meta["playwright_page"]` then `await page.close()`.
    if (fate === 'closed-on-success-path' && closedStraightAway(assignment.parent, uses[0], PW_PAGE)) continue;
    ctx.report({
      message:
        fate === 'never-closed'
          ? `This Playwright page, which scrapy-playwright hands to the callback (playwright_include_page), is never closed: it stays open in the browser, and once the context's page limit is reached new requests wait. Close it with 'await ${target.text}.close()' in a finally block (and in the request's errback)`
          : `This Playwright page, which scrapy-playwright hands to the callback (playwright_include_page), is closed only when no exception is raised before close(): close it in a finally block (and in the request's errback)`,
      range: ctx.rangeOf(assignment),
    });
  }
}

/**
 * Whether the receiver of `x.method(...)` comes from outside the function: a parameter, an attribute
 * (`self.browser`), or a module-level name; not a local the function made (and closes, or ends with).
 */
function receiverFromOutside(ctx: PythonRuleContext, call: Node): boolean {
  const fn = call.childForFieldName('function');
  let receiver = fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
  while (receiver?.type === 'attribute') receiver = receiver.childForFieldName('object');
  if (receiver?.type !== 'identifier') return false;
  const found = ctx.scope.lookup(receiver.text, receiver);
  if (!found) return false;
  return found.scope.kind === 'module' || found.bindings.every((b) => b.kind === 'param') || receiver.text === 'self';
}

/** `ps = r.pubsub()` (or `self.redis.pubsub()`) on a redis.asyncio client, `conn = await engine.connect()`: see METHOD_RESOURCES. */
function methodResource(resolver: AwaitableResolver, call: Node): readonly [string, ResourceKind] | undefined {
  const fn = call.childForFieldName('function');
  const method = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text ?? '' : '';
  if (!method || !Object.values(METHOD_RESOURCES).some((m) => Object.hasOwn(m, method))) return undefined;
  const made = call.parent?.type === 'await' ? call.parent : call;
  if (made !== call && made.parent?.type !== 'assignment') return undefined;
  if (made === call && !boundOrUsedAtOnce(call)) return undefined;
  const receiver = fn!.childForFieldName('object');
  const cls = receiver ? resolver.classOfReceiver(receiver) : undefined;
  const entry = cls?.kind === 'library' ? METHOD_RESOURCES[cls.name]?.[method] : undefined;
  return entry && (entry[1].awaited === (made !== call)) ? entry : undefined;
}

/** A file that may call an async session factory: it names one, or imports a name that may be one (`SessionLocal`). */
const SESSION_FACTORY_HINT = /sessionmaker|Session\w*\b|session_factory|session_maker/i;

/**
 * `session = SessionLocal()` (a name called with no arguments but keywords, as a statement of a
 * function) where `SessionLocal` is an `async_sessionmaker(...)` (or a `sessionmaker(..., class_=AsyncSession)`)
 * of this file or of the project module it is imported from: an AsyncSession.
 */
function sessionFromFactory(ctx: PythonRuleContext, resolver: AwaitableResolver, call: Node): boolean {
  const fn = call.childForFieldName('function');
  // `SessionLocal()`, or a factory held by the object: `self.session_factory()`.
  if ((fn?.type !== 'identifier' && (fn?.type !== 'attribute' || fn.childForFieldName('object')?.text !== 'self')) || !boundOrUsedAtOnce(call)) return false;
  // `Session = async_scoped_session(factory, ...)`: the task's session, closed by `await Session.remove()`.
  if (ctx.text.includes(`${fn.text}.remove(`)) return false;
  const found = fn.type === 'identifier' ? ctx.scope.lookup(fn.text, fn) : undefined;
  const bound = found?.bindings.length === 1 ? found.bindings[0].node.parent : null;
  if (bound?.type === 'assignment' && /scoped_session$/.test(bound.childForFieldName('right')?.childForFieldName('function')?.text ?? '')) return false;
  const cls = resolver.classOfReceiver(call);
  return cls?.kind === 'library' && /^(sqlalchemy\.ext\.asyncio\.AsyncSession|sqlmodel\.ext\.asyncio\.session\.AsyncSession)$/.test(cls.name);
}

/**
 * Functions of this file given to FastAPI's `Depends(...)` or Litestar's `Provide(...)` (not with
 * `use_cache=True`, which resolves it once): the framework calls them for every request (by node id of
 * their definition, to the wrapper's name).
 */
function requestDependencies(ctx: PythonRuleContext): Map<number, string> {
  const out = new Map<number, string>();
  if (!ctx.text.includes('Depends') && !ctx.text.includes('Provide')) return out;
  for (const call of nodesOfType(ctx.tree.rootNode, 'call')) {
    const fn = call.childForFieldName('function');
    if (!fn || !/(^|\.)(Depends|Provide)$/.test(fn.text)) continue;
    const r = ctx.scope.resolve(fn);
    if (!r || !/^((fastapi|fastapi\.params|fastapi\.param_functions)\.Depends|litestar\.(di\.)?(provide\.)?Provide)$/.test(r.name)) continue;
    const args = call.childForFieldName('arguments')?.namedChildren ?? [];
    if (args.some((a) => a?.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'use_cache' && a.childForFieldName('value')?.text === 'True')) continue;
    const arg = args[0];
    if (arg?.type !== 'identifier') continue;
    const found = ctx.scope.lookup(arg.text, arg);
    const def = found?.bindings.length === 1 && found.bindings[0].kind === 'def' ? found.bindings[0].node : undefined;
    if (def?.type === 'function_definition') out.set(def.id, r.name.endsWith('Provide') ? 'Provide' : 'Depends');
  }
  return out;
}

/** Long-lived clients an object typically keeps for its lifetime (files are not kept so). */
const SESSION_OR_POOL = new Set([
  'aiohttp.ClientSession', 'httpx.AsyncClient', 'httpx.Client', 'asyncpg.create_pool',
  // Broker and RPC clients: a producer's sender task, a connection's heartbeats, a channel's sockets.
  'aiokafka.AIOKafkaProducer', 'aiokafka.AIOKafkaConsumer', 'aio_pika.connect', 'aio_pika.connect_robust', 'nats.connect',
  'grpc.aio.insecure_channel', 'grpc.aio.secure_channel',
  // Cloud SDK and database clients an object keeps: a search client's pool, a MySQL pool, an Azure client's transport.
  'elasticsearch.AsyncElasticsearch', 'elasticsearch._async.client.AsyncElasticsearch', 'opensearchpy.AsyncOpenSearch', 'aiomysql.create_pool',
  // A SQLAlchemy async engine's connection pool, a psycopg pool.
  'sqlalchemy.ext.asyncio.create_async_engine', 'sqlalchemy.ext.asyncio.engine.create_async_engine',
  'psycopg_pool.AsyncConnectionPool', 'psycopg_pool.pool_async.AsyncConnectionPool',
  'gcloud.aio.storage.Storage',
  // zeroconf's asyncio instance: its sockets and listeners.
  'zeroconf.asyncio.AsyncZeroconf',
  ...Object.entries(AZURE_AIO_CLIENTS).flatMap(([module, classes]) => classes.flatMap((c) => [`${module}.${c}`, ...AZURE_CLIENT_FACTORIES.map((f) => `${module}.${c}.${f}`)])),
]);

/**
 * `self.session = aiohttp.ClientSession()` in a method, and no method of the class (nor of its
 * bases and subclasses in the file) ever closes `self.session` (nor enters it with `with`, nor
 * hands it to anything): every instance leaks its
 * connection pool ("Unclosed client session"). Any use other than calling its non-closing methods
 * counts as handing it on, and silences the report.
 */
/** Library classes of GUI frameworks, which never close what their subclasses keep. */
const GUI_FRAMEWORK_CLASS = /^(textual|PyQt[56]|PySide[26]|qtpy|toga|kivy)\./;

function checkOwnedByInstance(ctx: PythonRuleContext, assignment: Node, target: Node, kind: ResourceKind): void {
  const object = target.childForFieldName('object');
  const attr = target.childForFieldName('attribute')?.text;
  if (object?.type !== 'identifier' || object.text !== 'self' || !attr) return;
  const method = ctx.scope.enclosingFunction(assignment);
  const cls = method?.parent;
  if (!method || method.kind !== 'function' || cls?.kind !== 'class') return;
  // A base class defined elsewhere may close it: only classes whose bases are all in this file.
  const classes = new Map<string, Node>();
  for (const c of nodesOfType(ctx.tree.rootNode, 'class_definition')) {
    const n = c.childForFieldName('name')?.text;
    if (n) classes.set(n, c);
  }
  const basesOf = (c: Node) => (c.childForFieldName('superclasses')?.namedChildren ?? []).filter((b): b is Node => b !== null).map((b) => b.text);
  // A GUI framework's class (a Textual app or widget, a Qt widget, a Toga or Kivy app) closes none of
  // its subclass's attributes: `self.session = aiohttp.ClientSession()` in `on_mount` is the class's to close.
  const guiBase = (b: Node) =>
    (b.type === 'identifier' || b.type === 'attribute' || b.type === 'subscript') &&
    GUI_FRAMEWORK_CLASS.test(ctx.scope.resolve(b.type === 'subscript' ? b.childForFieldName('value')! : b)?.name ?? '');
  const foreign = (cls.node.childForFieldName('superclasses')?.namedChildren ?? []).filter((b): b is Node => b !== null);
  if (foreign.some((b) => !(classes.has(b.text) || /^(object|ABC|abc\.ABC)$/.test(b.text) || guiBase(b)))) return;
  // Closed from outside the class, on an instance made here (`app = PriceApp()`, then `await app.client.aclose()`).
  if (
    nodesOfType(ctx.tree.rootNode, 'attribute').some((a) => {
      const held = a.childForFieldName('object');
      const instance = held?.type === 'attribute' && held.childForFieldName('attribute')?.text === attr ? held.childForFieldName('object') : null;
      if (!kind.close.includes(a.childForFieldName('attribute')?.text ?? '') || instance?.type !== 'identifier' || instance.text === 'self') return false;
      return (ctx.scope.lookup(instance.text, instance)?.bindings ?? []).some((b) => {
        const value = assignedValue(b.node);
        return value?.type === 'call' && value.childForFieldName('function')?.text === cls.name;
      });
    })
  )
    return;
  // The class, its bases and its subclasses in this file may close it.
  const related = new Set<string>([cls.name]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [n, c] of classes) {
      const bases = basesOf(c);
      const linked = related.has(n) ? bases.filter((b) => classes.has(b) && !related.has(b)) : bases.some((b) => related.has(b)) ? [n] : [];
      for (const l of linked) if (!related.has(l)) (related.add(l), (grew = true));
    }
  }
  const inRelated = (node: Node) => [...related].some((n) => {
    const c = classes.get(n)!;
    return node.startIndex >= c.startIndex && node.endIndex <= c.endIndex;
  });
  // The methods (and properties) of these classes that hand it out: `def _get_session(self): ... return self._session`.
  const getters = new Set<string>();
  for (const ret of nodesOfType(ctx.tree.rootNode, 'return_statement')) {
    const value = ret.namedChildren[0];
    if (!inRelated(ret) || value?.type !== 'attribute' || value.childForFieldName('attribute')?.text !== attr || value.childForFieldName('object')?.text !== 'self') continue;
    const fn = ctx.scope.enclosingFunction(ret);
    if (fn?.kind === 'function' && fn.name) getters.add(fn.name);
  }
  // `await self._get_session().close()`, `await self.session.close()` through such a getter: closed.
  const closedThroughGetter = getters.size > 0 && nodesOfType(ctx.tree.rootNode, 'attribute').some((a) => {
    if (!inRelated(a) || !kind.close.includes(a.childForFieldName('attribute')?.text ?? '') || a.parent?.type !== 'call' || a.parent.childForFieldName('function')?.id !== a.id) return false;
    let held = a.childForFieldName('object');
    if (held?.type === 'call' && held.childForFieldName('arguments')?.namedChildren.length === 0) held = held.childForFieldName('function');
    return held?.type === 'attribute' && held.childForFieldName('object')?.text === 'self' && getters.has(held.childForFieldName('attribute')?.text ?? '');
  });
  if (closedThroughGetter) return;
  // Whether a method of these classes closes any attribute of `self` with a closing method of the kind.
  let closesSome: boolean | undefined;
  const closesAnyAttribute = () =>
    (closesSome ??= nodesOfType(ctx.tree.rootNode, 'attribute').some((a) => {
      if (!inRelated(a) || !kind.close.includes(a.childForFieldName('attribute')?.text ?? '') || a.parent?.type !== 'call' || a.parent.childForFieldName('function')?.id !== a.id) return false;
      const held = a.childForFieldName('object');
      return held?.type === 'attribute' && held.childForFieldName('object')?.text === 'self';
    }));
  for (const use of nodesOfType(ctx.tree.rootNode, 'attribute')) {
    if (!inRelated(use)) continue;
    if (use.id === target.id || use.childForFieldName('attribute')?.text !== attr) continue;
    const owner = use.childForFieldName('object');
    if (owner?.type !== 'identifier' || owner.text !== 'self') continue;
    // `super().__init__(url, session=self.session)`: a base class of the file keeps it in the same instance;
    // it stays this instance's to close, unless a method of these classes closes some attribute (perhaps the base's own name for it).
    if (passedToBaseInit(use) && !closesAnyAttribute()) continue;
    // `self.session.get(...)`: a call of one of its methods, other than a closing one.
    const parent = use.parent;
    const called = parent?.type === 'attribute' && parent.childForFieldName('object')?.id === use.id && parent.parent?.type === 'call' ? parent.childForFieldName('attribute')?.text : undefined;
    if (called !== undefined && (kind.close.includes(called) || called === '__aexit__' || called === '__exit__')) return;
    if (called === undefined && !keepsInstanceResource(ctx, use, kind)) return;
  }
  ctx.report({
    message: `This ${kind.what} is kept in self.${attr}, but no method of '${cls.name}' closes it: every instance leaks it. Close it in ${kind.asyncWith ? 'an async close()/__aexit__' : 'a close()/__exit__'} method (calling ${kind.close[0]}())`,
    range: ctx.rangeOf(assignment),
  });
}

/**
 * A use of `self.x` that neither closes the resource nor hands it on: assigning the attribute
 * (`self._session = None` in `__init__`, the lazy creation itself), testing it
 * (`if self._session is None`, `assert self._session`), reading one of its attributes
 * (`self._session.closed`), and returning it from a private helper or a property of the class
 * (`_get_session()`), whose callers are the class's own methods.
 */
/** An argument of `super().__init__(...)` (or `super(Cls, self).__init__(...)`), positional or by keyword. */
function passedToBaseInit(use: Node): boolean {
  let arg: Node = use;
  if (arg.parent?.type === 'keyword_argument' && arg.parent.childForFieldName('value')?.id === arg.id) arg = arg.parent;
  const list = arg.parent;
  const call = list?.type === 'argument_list' ? list.parent : null;
  const fn = call?.type === 'call' ? call.childForFieldName('function') : null;
  if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== '__init__') return false;
  const base = fn.childForFieldName('object');
  return base?.type === 'call' && base.childForFieldName('function')?.text === 'super';
}

function keepsInstanceResource(ctx: PythonRuleContext, use: Node, kind: ResourceKind): boolean {
  const parent = use.parent;
  if (!parent) return false;
  if (parent.type === 'assignment' && parent.childForFieldName('left')?.id === use.id) return true;
  if (parent.type === 'attribute' && parent.childForFieldName('object')?.id === use.id) {
    // `stack.push_async_callback(self._session.close)`: the bound close method handed on.
    const attr = parent.childForFieldName('attribute')?.text ?? '';
    return !kind.close.includes(attr) && !EXIT_METHODS.includes(attr);
  }
  if (['comparison_operator', 'not_operator', 'boolean_operator', 'assert_statement'].includes(parent.type)) return true;
  // `if not isinstance(self.session, aiohttp.ClientSession): raise ...`: a test of the object, as a comparison is.
  if (parent.type === 'argument_list' && parent.namedChildren[0]?.id === use.id) {
    const test = parent.parent?.type === 'call' ? parent.parent.childForFieldName('function') : null;
    if (test?.type === 'identifier' && /^(isinstance|hasattr|callable)$/.test(test.text) && !ctx.scope.lookup(test.text, test)) return true;
  }
  // `self._stub = GreeterStub(self._channel)`: the stub sends calls over the channel, the class still owns it.
  if (parent.type === 'argument_list' || parent.type === 'keyword_argument') {
    const call = callTaking(parent);
    if (call && wraps(kind, call)) return true;
  }
  if ((parent.type === 'if_statement' || parent.type === 'while_statement' || parent.type === 'elif_clause') && parent.childForFieldName('condition')?.id === use.id) return true;
  if (parent.type === 'return_statement') {
    const fn = ctx.scope.enclosingFunction(use);
    if (fn?.kind !== 'function') return false;
    const decorated = fn.node.parent?.type === 'decorated_definition' ? fn.node.parent : undefined;
    const isProperty = decorated?.namedChildren.some((d) => d?.type === 'decorator' && /^@\s*(property|functools\.cached_property|cached_property)\s*$/.test(d.text));
    return fn.name.startsWith('_') && !fn.name.startsWith('__') ? true : !!isProperty;
  }
  return false;
}

/**
 * `session = aiohttp.ClientSession()` followed by the rest of its block becomes
 * `async with aiohttp.ClientSession() as session:` with the rest of the block indented.
 */
function withBlockFix(ctx: PythonRuleContext, statement: Node, name: string, value: Node, kind: ResourceKind): Fix[] | undefined {
  const block = statement.parent;
  if (!block || block.type !== 'block') return undefined;
  const lineText = ctx.lines.lineText(statement.startPosition.row);
  const indent = /^[ \t]*/.exec(lineText)![0];
  if (indent.length !== statement.startPosition.column || statement.endPosition.row !== statement.startPosition.row) return undefined;
  const siblings = block.namedChildren.filter((s): s is Node => s !== null);
  const rest = siblings.filter((s) => s.startIndex > statement.endIndex);
  if (rest.length === 0) return undefined;
  const lastRow = rest[rest.length - 1].endPosition.row;
  // Re-indenting would change the content of multi-line strings.
  for (const s of rest) {
    if (s.descendantsOfType('string').some((str) => str !== null && str.startPosition.row !== str.endPosition.row)) return undefined;
  }
  const unit = indent.includes('\t') ? '\t' : '    ';
  const eol = ctx.lines.eol(statement.startPosition.row);
  // A trailing comment of the assignment line stays on the new header line.
  const trailing = lineText.slice(statement.endPosition.column).trimEnd();
  const header = `${indent}${kind.asyncWith ? 'async with' : 'with'} ${kind.enterAwaited ? value.text : value.text.replace(/^await\s+/, kind.asyncWith ? '' : 'await ')} as ${name}:${trailing}`;
  if (kind.noWith || (!kind.asyncWith && kind.awaited)) return undefined;
  // `x = await asyncio.wait_for(connect(...), 10)`: `async with` on a wait_for() is a TypeError.
  const inner = value.type === 'await' ? value.namedChildren[0] : value;
  const waiter = inner?.type === 'call' ? inner.childForFieldName('function') : null;
  if (waiter && (waiter.type === 'identifier' || waiter.type === 'attribute') && ctx.scope.resolve(waiter)?.name === 'asyncio.wait_for') return undefined;
  const body: string[] = [];
  for (let row = statement.startPosition.row + 1; row <= lastRow; row++) {
    const text = ctx.lines.lineText(row);
    body.push(text.trim() === '' ? text : `${unit}${text}`);
  }
  const start = { line: statement.startPosition.row, character: 0 };
  const end = { line: lastRow, character: ctx.lines.lineText(lastRow).length };
  return [
    {
      title: `Use '${kind.asyncWith ? 'async with' : 'with'} ... as ${name}' for the rest of the block`,
      safe: false,
      edits: [{ range: { start, end }, newText: [header, ...body].join(eol) }],
    },
  ];
}

/** Something a library object lends out when awaited, which must be given back. */
interface Lent {
  /** The lender's class, and the text without which no receiver can be known to be one. */
  owner: string;
  hint: RegExp;
  methods: ReadonlySet<string>;
  /** Methods of the lent object that give it back (read a response's body, release it). */
  consumers: ReadonlySet<string>;
  message: (callee: string, name: string) => string;
  /** When it is given back further down, but an exit before that leaves it out. */
  partial?: (callee: string, name: string, exit: Node) => string;
  /**
   * Given back by a call of the lender that takes it (`pool.release(conn)`), and then judged as
   * a resource: given back in a `finally` block, or reported when only the success path does it.
   */
  asResource?: ResourceKind;
  /** When it is given back on the success path only (`exit`: a way out before a closing `try`). */
  onSuccessOnly?: (callee: string, name: string, exit?: Node) => string;
}

/** A connection checked out of a pool of class `owner` (`conn = await pool.acquire()`), given back with `pool.release(conn)`. */
function pooledConnection(owner: string, take = 'acquire', giveBack = 'release', entered = take): Lent {
  return {
    owner,
    hint: new RegExp(`\\.${take}\\(`),
    methods: new Set([take]),
    consumers: new Set(),
    message: (callee, name) =>
      `The connection from ${callee}() is never released: it stays checked out of the pool, which runs dry after a few calls. Use 'async with ${withCallee(callee, take, entered)}() as ${name}:' (or ${giveBackWords(giveBack)} in a finally block)`,
    asResource: { what: 'pooled connection', close: [], giveBack: [giveBack], awaited: true, asyncWith: true },
    onSuccessOnly: (callee, name, exit) =>
      exit
        ? `The connection from ${callee}() is not released when ${EXIT_WORDS[exit.type]} on line ${exit.startPosition.row + 1}, before the 'try' whose finally block releases it: it stays checked out of the pool. ${take === 'acquire' ? 'Acquire' : 'Take'} it just before that 'try', or use 'async with ${withCallee(callee, take, entered)}() as ${name}:'`
        : `The connection from ${callee}() is released only when no exception is raised before ${giveBack}(): an error or a cancellation leaves it checked out of the pool. Use 'async with ${withCallee(callee, take, entered)}() as ${name}:' (or ${giveBackWords(giveBack)} in a finally block)`,
  };
}

/** `release it`, `give it back with putconn()`. */
function giveBackWords(giveBack: string): string {
  return giveBack === 'release' ? 'release it' : `give it back with ${giveBack}()`;
}

/** `pool.getconn` → `pool.connection`: the context manager that takes and gives back the connection. */
function withCallee(callee: string, take: string, entered: string): string {
  return take === entered ? callee : callee.slice(0, callee.length - take.length) + entered;
}

const LENT: readonly Lent[] = [
  {
    // `resp = await session.get(url)` whose body is never read nor the response released.
    owner: 'aiohttp.ClientSession',
    // A receiver is only known to be an aiohttp session through a name that spells the class (its
    // constructor, an annotation, an import), or as an entry of aiohttp's application state under a
    // typed key declared in another module (`request.app[http_key].get(url)`): otherwise there is nothing to find.
    hint: /ClientSession|\]\s*\.\s*(get|post|put|patch|delete|head|options|request)\s*\(/,
    methods: RESPONSE_METHODS,
    consumers: RESPONSE_CONSUMERS,
    message: (callee, name) => `The response from ${callee}() is never read nor released: its connection stays checked out of the pool. Use 'async with ${callee}(...) as ${name}:'`,
    partial: (callee, name, exit) =>
      `The response from ${callee}() is read or released on one path only: the '${exit.type === 'return_statement' ? 'return' : 'raise'}' on line ${exit.startPosition.row + 1} leaves with its connection checked out of the pool. Use 'async with ${callee}(...) as ${name}:'`,
  },
  // `conn = await pool.acquire()` on an asyncpg or aiomysql (asyncmy) pool, never given back with `pool.release(conn)`.
  pooledConnection('asyncpg.Pool'),
  pooledConnection('aiomysql.Pool'),
  // psycopg_pool's `conn = await pool.getconn()`, given back with `await pool.putconn(conn)` (`async with pool.connection() as conn:`).
  pooledConnection('psycopg_pool.AsyncConnectionPool', 'getconn', 'putconn', 'connection'),
];

/**
 * The `async for` loop over an aiohttp response's body stream (`resp.content`, `resp.content.iter_chunked(n)`,
 * `iter_any()`, `iter_chunks()`, `iter_line()`...) named by `use`, when its body yields to a generator's consumer.
 */
function contentLoopThatYields(use: Node): Node | undefined {
  let iterable: Node | null = use.parent;
  if (iterable?.type !== 'attribute' || iterable.childForFieldName('attribute')?.text !== 'content') return undefined;
  const method = iterable.parent;
  if (method?.type === 'attribute' && method.childForFieldName('object')?.id === iterable.id && /^iter_/.test(method.childForFieldName('attribute')?.text ?? '') && method.parent?.type === 'call') iterable = method.parent;
  const loop = iterable.parent;
  if (loop?.type !== 'for_statement' || loop.childForFieldName('right')?.id !== iterable.id || loop.child(0)?.type !== 'async') return undefined;
  const body = loop.childForFieldName('body');
  return body && hasOwnYield(body) ? loop : undefined;
}

/** Whether `block` calls one of the `consumers` methods of the variable `name` (`resp.release()`). */
function gives(block: Node, name: string, consumers: ReadonlySet<string>): boolean {
  return block.descendantsOfType('attribute').some((a) => a?.childForFieldName('object')?.text === name && consumers.has(a.childForFieldName('attribute')?.text ?? ''));
}

/**
 * A `return` or `raise` of `fn` (not of a nested scope, nor inside a `try` whose `finally` gives
 * the object back) between `from` and `to` that does not
 * hand on the variable `to` names: the path it ends skips whatever `to` does.
 */
function exitBetween(fn: Node, from: Node, to: Node, consumers: ReadonlySet<string>, closedName?: string, aiohttpResponse = false): Node | undefined {
  for (const exit of fn.descendantsOfType(['return_statement', 'raise_statement'])) {
    if (!exit || exit.startIndex <= from.endIndex || exit.startIndex >= to.startIndex) continue;
    // `await response.aclose()` then `raise ApiError(...)`: closed on the way out.
    if (closedName && closedOnTheWay(exit, fn, closedName, consumers)) continue;
    // `try: resp = await session.get(url)` / `except ClientError: return None`: the handler runs
    // only when the request itself raised, and there is no response then.
    if (inHandlerOfFailedTake(exit, from, fn, aiohttpResponse)) continue;
    // `if resp.status == HTTPStatus.NO_CONTENT: return None`: a response without a body gives its connection back at once.
    if (aiohttpResponse && inBodilessStatusBranch(exit, fn, to.text)) continue;
    let nested = false;
    for (let n = exit.parent; n && n.id !== fn.id; n = n.parent) {
      if (opensScope(n)) nested = true;
      // `try: return resp.status` / `finally: resp.release()`: the way out goes through the release.
      const cleanup = n.type === 'try_statement' ? n.namedChildren.find((c) => c?.type === 'finally_clause') : undefined;
      if (cleanup && gives(cleanup, to.text, consumers)) nested = true;
    }
    // `return resp` or `raise Failed(resp)` hand it on, `raise Failed(await resp.text())` reads
    // it; reading `resp.status` in the message does neither.
    const handsOn = exit.descendantsOfType('identifier').some((i) => {
      if (i?.text !== to.text) return false;
      const access = i.parent?.type === 'attribute' && i.parent.childForFieldName('object')?.id === i.id ? i.parent : undefined;
      return !access || consumers.has(access.childForFieldName('attribute')?.text ?? '');
    });
    if (nested || handsOn) continue;
    return exit;
  }
  return undefined;
}

/**
 * Whether `exit` is in an `except` clause of a `try` whose body ends with the statement of `take`
 * (the assignment that takes the resource): the handler runs only when something in the body
 * raised, and when the last statement raised, the assignment never happened. The assignment may
 * end the body of a `with` that ends the `try` body (`async with asyncio.timeout(10):
 * resp = await session.request(...)`): a timeout raises only by cancelling an await, and the
 * request is the last one.
 */
function inHandlerOfFailedTake(exit: Node, take: Node, fn: Node, aiohttpResponse = false): boolean {
  let statement = take.parent;
  if (statement?.type !== 'expression_statement') return false;
  const lastOf = (block: Node): Node | undefined => block.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment').pop();
  // `resp.raise_for_status()` statements, and nothing else: aiohttp's raise_for_status() releases
  // the response before it raises, so a handler after them sees no response or a released one.
  const name = take.childForFieldName('left')?.text;
  const onlyRaiseForStatus = (block: Node, after?: Node): boolean => {
    const rest = block.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment' && (!after || c.startIndex > after.startIndex));
    return aiohttpResponse && !!name && rest.length > 0 && rest.every((r) => raisesForStatusOf(r, name));
  };
  for (let n = exit.parent; n && n.id !== fn.id && !opensScope(n); n = n.parent) {
    if (n.type !== 'except_clause') continue;
    const body = n.parent?.type === 'try_statement' ? n.parent.childForFieldName('body') : null;
    if (!body) continue;
    // `resp = await session.get(url)`, then `try: resp.raise_for_status()` / `except ClientResponseError: raise ...`.
    if (statement.endIndex <= body.startIndex && onlyRaiseForStatus(body)) return true;
    // Up through the `with` statements whose body the assignment ends, to the `try` body.
    let s: Node = statement;
    while (s.parent && s.parent.id !== body.id && s.parent.type === 'block' && s.parent.parent?.type === 'with_statement' && (lastOf(s.parent)?.id === s.id || onlyRaiseForStatus(s.parent, s))) {
      s = s.parent.parent;
    }
    if (s.parent?.id !== body.id) continue;
    if (lastOf(body)?.id === s.id || onlyRaiseForStatus(body, s)) return true;
  }
  return false;
}

/** The statement `name.raise_for_status()`. */
function raisesForStatusOf(statement: Node, name: string): boolean {
  const call = statement.type === 'expression_statement' ? statement.namedChildren[0] : null;
  const callee = call?.type === 'call' ? call.childForFieldName('function') : null;
  return callee?.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'raise_for_status' && callee.childForFieldName('object')?.text === name;
}

/** Statuses whose responses carry no body: 204 No Content, 304 Not Modified. */
const BODILESS_STATUS = /^(204|304|(http\.)?HTTPStatus\.(NO_CONTENT|NOT_MODIFIED))$/;

/**
 * Whether `exit` is in the block of an `if` (or `elif`) of `fn` that tests `name.status == 204` (or
 * `HTTPStatus.NO_CONTENT`, 304) or `name.content_length == 0`: that response has no body, and aiohttp
 * gives its connection back as soon as the headers are read.
 */
function inBodilessStatusBranch(exit: Node, fn: Node, name: string): boolean {
  for (let n = exit.parent; n && n.id !== fn.id && !opensScope(n); n = n.parent) {
    if (n.type !== 'block' || (n.parent?.type !== 'if_statement' && n.parent?.type !== 'elif_clause')) continue;
    if (n.parent.childForFieldName('consequence')?.id !== n.id) continue;
    const test = n.parent.childForFieldName('condition');
    if (test && bodilessTest(test, name)) return true;
  }
  return false;
}

/**
 * Whether `test` holds only for a response `name` without a body: `name.status == 204`,
 * `name.status in (204, 304)`, `name.content_length == 0`, several of them joined by `or`, or one
 * of them in an `and`.
 */
function bodilessTest(test: Node, name: string): boolean {
  if (test.type === 'parenthesized_expression') return !!test.namedChildren[0] && bodilessTest(test.namedChildren[0], name);
  if (test.type === 'boolean_operator') {
    const op = test.childForFieldName('operator')?.text;
    const sides = [test.childForFieldName('left'), test.childForFieldName('right')].filter((c): c is Node => !!c);
    return op === 'or' ? sides.length === 2 && sides.every((c) => bodilessTest(c, name)) : op === 'and' && sides.some((c) => bodilessTest(c, name));
  }
  if (test.type !== 'comparison_operator' || test.namedChildren.length !== 2) return false;
  const ops = test.children.filter((c) => c && !c.isNamed).map((c) => c!.text);
  const [left, right] = test.namedChildren as Node[];
  // `resp.status in (204, 304)`: every status listed has no body.
  if (ops.length === 1 && ops[0] === 'in' && left.text === `${name}.status` && ['tuple', 'list', 'set'].includes(right.type)) {
    const items = right.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
    return items.length > 0 && items.every((c) => BODILESS_STATUS.test(c.text));
  }
  if (ops.length !== 1 || ops[0] !== '==') return false;
  const sides = [[left, right], [right, left]] as const;
  return sides.some(([a, b]) => (a.text === `${name}.status` && BODILESS_STATUS.test(b.text)) || (a.text === `${name}.content_length` && b.text === '0'));
}

/** A statement before `exit` on its way (in its block or an enclosing one of `fn`) that closes `name` (`name.aclose()`). */
function closedOnTheWay(exit: Node, fn: Node, name: string, consumers: ReadonlySet<string>): boolean {
  for (let child: Node = exit, n = exit.parent; n && n.id !== fn.id; child = n, n = n.parent) {
    if (n.type !== 'block') continue;
    for (const statement of n.namedChildren) {
      if (!statement || statement.startIndex >= child.startIndex) break;
      const closes = statement.descendantsOfType('call').some((call) => {
        const callee = call?.childForFieldName('function');
        return callee?.type === 'attribute' && callee.childForFieldName('object')?.text === name && consumers.has(callee.childForFieldName('attribute')?.text ?? '');
      });
      if (closes) return true;
    }
  }
  return false;
}

/**
 * The `return` statement that hands the resource on (`return Stream(response)`, `return await
 * wrap(response)`), when every use before it only calls its methods or reads its attributes.
 */
function returnedHandOff(uses: Node[], fn: Node): Node | undefined {
  for (const use of uses) {
    const parent = use.parent;
    if (parent?.type === 'attribute' && parent.childForFieldName('object')?.id === use.id) continue;
    let n: Node | null = parent;
    while (n && n.id !== fn.id && !opensScope(n) && n.type !== 'return_statement' && n.type !== 'expression_statement' && n.type !== 'block') n = n.parent;
    return n?.type === 'return_statement' ? n : undefined;
  }
  return undefined;
}

/**
 * `x = await lender.method(...)` whose result is never given back: not consumed through one of its
 * methods, nor returned, passed on, entered with `async with` or stored.
 */
function checkCheckedOut(ctx: PythonRuleContext): void {
  const kinds = LENT.filter((k) => k.hint.test(ctx.text));
  if (kinds.length === 0) return;
  let resolver: AwaitableResolver | undefined;
  // Through the calls (whose parents the rules have read) rather than a search for `await`
  // nodes: that would also collect every `await` keyword of the file.
  for (const call of nodesOfType(ctx.tree.rootNode, 'call')) {
    const awaitNode = parentOf(call);
    if (!awaitNode || typeOf(awaitNode) !== 'await' || awaitNode.namedChild(0)?.id !== call.id) continue;
    const fn = field(call, 'function');
    if (!fn || typeOf(fn) !== 'attribute') continue;
    const attribute = field(fn, 'attribute');
    const method = attribute ? textOf(attribute) : '';
    const candidates = kinds.filter((k) => k.methods.has(method));
    if (candidates.length === 0) continue;
    const assignment = awaitNode.parent;
    if (assignment?.type !== 'assignment' || assignment.parent?.type !== 'expression_statement') continue;
    const target = assignment.childForFieldName('left');
    if (target?.type !== 'identifier') continue;
    resolver ??= awaitablesOf(ctx);
    const receiver = fn.childForFieldName('object');
    const cls = receiver ? resolver.classOfReceiver(receiver) : undefined;
    const kind = cls?.kind === 'library' ? candidates.find((k) => k.owner === cls.name) : undefined;
    if (!kind) continue;
    const owner = ctx.scope.enclosingFunction(call);
    if (!owner) continue;
    // The response to a HEAD request has no body: aiohttp reaches its end as soon as the headers
    // are in and gives the connection back to the pool without anything reading it.
    if (kind.owner === 'aiohttp.ClientSession' && isHeadRequest(method, call)) continue;
    if (kind.asResource) {
      judgeLent(ctx, kind, kind.asResource, fn.text, assignment, target, owner.node);
      continue;
    }
    let consumed: Node | undefined;
    let handedOn = false;
    const consumers: Node[] = [];
    for (const use of usesOf(owner.node, target)) {
      const parent = use.parent;
      if (parent?.type === 'attribute' && parent.childForFieldName('object')?.id === use.id) {
        if (kind.consumers.has(parent.childForFieldName('attribute')?.text ?? '')) {
          consumed ??= use;
          consumers.push(use);
        }
        continue;
      }
      handedOn = true; // returned, passed on, entered with `async with`, stored...
    }
    if (handedOn) continue;
    // `async for raw in resp.content: yield ...` in a generator, and nothing else reads or releases it:
    // the consumer may stop at any yield, and the response is never released then.
    const yielding = consumers.length > 0 && consumers.every((u) => contentLoopThatYields(u)) ? contentLoopThatYields(consumers[0]) : undefined;
    if (yielding) {
      ctx.report({
        message: `The response from ${fn.text}() is read by a loop that yields (line ${yielding.startPosition.row + 1}): when the consumer stops early (a break, an error, a cancellation), it is never released and its connection stays checked out of the pool. Release it in a finally block around the loop ('finally: ${target.text}.release()')`,
        range: ctx.rangeOf(assignment),
      });
      continue;
    }
    if (!consumed) {
      ctx.report({ message: kind.message(fn.text, target.text), range: ctx.rangeOf(assignment) });
      continue;
    }
    // Read or released further down, but a `return`/`raise` before that leaves it checked out.
    const exit = exitBetween(owner.node, assignment, consumed, kind.consumers, undefined, kind.owner === 'aiohttp.ClientSession');
    // `async with ClientSession() as session: resp = await session.get(url)`: a `return` or `raise`
    // leaving the function leaves (or comes after) the session's block, which closes the session and
    // with it every connection of its pool, the response's one too.
    if (exit && receiver && enteredByAsyncWithAround(receiver, assignment, owner.node)) continue;
    if (exit && kind.partial) ctx.report({ message: kind.partial(fn.text, target.text, exit), range: ctx.rangeOf(assignment) });
  }
}

/** `receiver` names the target of an `async with X(...) as name:` of `fn` whose block holds `at`. */
function enteredByAsyncWithAround(receiver: Node, at: Node, fn: Node): boolean {
  if (receiver.type !== 'identifier') return false;
  for (let n: Node | null = at.parent; n && n.id !== fn.id && !opensScope(n); n = n.parent) {
    if (n.type !== 'with_statement' || n.child(0)?.type !== 'async') continue;
    const body = n.childForFieldName('body');
    if (!body || at.startIndex < body.startIndex) continue;
    const bound = n.descendantsOfType('as_pattern_target').some((t) => !!t && t.startIndex < body.startIndex && t.namedChildren[0]?.type === 'identifier' && t.namedChildren[0]?.text === receiver.text);
    if (bound) return true;
  }
  return false;
}

/** `session.head(url)`, `session.request("HEAD", url)`, `session.request(hdrs.METH_HEAD, url)`, `session.request(method="HEAD", ...)`. */
function isHeadRequest(method: string, call: Node): boolean {
  if (method === 'head') return true;
  if (method !== 'request') return false;
  const verb = argumentFor(call, 0, 'method');
  if (!verb) return false;
  return /^(['"])HEAD\1$/i.test(verb.text) || /(^|\.)METH_HEAD$/.test(verb.text);
}

/** httpx's clients and what closes a response of theirs opened in streaming mode (reading it to the end closes it too). */
const HTTPX_STREAMING: Readonly<Record<string, { close: string; read: string; iterators: RegExp; asyncWith: boolean }>> = {
  'httpx.AsyncClient': { close: 'aclose', read: 'aread', iterators: /^aiter_(bytes|text|lines|raw)$/, asyncWith: true },
  'httpx.Client': { close: 'close', read: 'read', iterators: /^iter_(bytes|text|lines|raw)$/, asyncWith: false },
};

/** `stream=True` among the arguments of a call. */
function streamedSend(call: Node): boolean {
  return callArguments(call).some((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'stream' && a.childForFieldName('value')?.text === 'True');
}

/** The `for` statement (or `async for`) over `use.aiter_bytes()` (or another of `iterators`), if `use` is iterated so. */
function loopOverIterator(use: Node, iterators: RegExp): Node | undefined {
  const method = use.parent;
  if (method?.type !== 'attribute' || method.childForFieldName('object')?.id !== use.id) return undefined;
  if (!iterators.test(method.childForFieldName('attribute')?.text ?? '')) return undefined;
  const call = method.parent;
  const loop = call?.parent;
  return call?.type === 'call' && loop?.type === 'for_statement' && loop.childForFieldName('right')?.id === call.id ? loop : undefined;
}

/**
 * The `for` statement (or `async for`) that iterates `use.aiter_bytes()` (or another of `iterators`)
 * to its end: no `break` or `return` leaves its body early (a partly read stream stays open).
 */
function iteratedToTheEnd(use: Node, iterators: RegExp, yieldsCount = false): Node | undefined {
  const loop = loopOverIterator(use, iterators);
  const body = loop?.childForFieldName('body');
  if (!loop || !body) return undefined;
  // A generator that yields from the loop hands control to its consumer, which may stop early.
  if (!yieldsCount && hasOwnYield(body)) return undefined;
  const leaves = body.descendantsOfType(['break_statement', 'return_statement']).some((exit) => {
    for (let n = exit?.parent ?? null; n && n.id !== body.id; n = n.parent) {
      if (opensScope(n)) return false;
      // A `break` of an inner loop stays in this one.
      if (exit?.type === 'break_statement' && LOOPS.has(n.type)) return false;
    }
    return true;
  });
  return leaves ? undefined : loop;
}

/** The loop over `use.aiter_bytes()` (or another of `iterators`) whose body yields, if there is one. */
function iteratedByYieldingLoop(use: Node, iterators: RegExp): Node | undefined {
  const loop = loopOverIterator(use, iterators);
  const body = loop?.childForFieldName('body');
  return body && hasOwnYield(body) ? loop : undefined;
}

/**
 * httpx responses opened in streaming mode: `resp = await client.send(request, stream=True)`
 * (`client.send(request, stream=True)` on a sync `Client`) holds its pooled connection until it is
 * closed (`aclose()`), read (`aread()`) or iterated to its end; and `client.stream(...)`, a context
 * manager, must be entered to send anything and to close the response.
 */
function checkStreamedResponses(ctx: PythonRuleContext): void {
  if (!/\bstream\b/.test(ctx.text) || !ctx.text.includes('httpx')) return;
  let resolver: AwaitableResolver | undefined;
  for (const call of nodesOfType(ctx.tree.rootNode, 'call')) {
    const fn = field(call, 'function');
    if (!fn || typeOf(fn) !== 'attribute') continue;
    const attribute = field(fn, 'attribute');
    const method = attribute ? textOf(attribute) : '';
    if (method !== 'send' && method !== 'stream') continue;
    if (method === 'send' && !streamedSend(call)) continue;
    resolver ??= awaitablesOf(ctx);
    const receiver = fn.childForFieldName('object');
    // Also a project subclass of the client (`class Api(httpx.AsyncClient)`); httpx's own classes are none.
    const cls = receiver ? resolver.libraryClassOfReceiver(receiver, (lib) => lib in HTTPX_STREAMING) : undefined;
    const client = cls ? HTTPX_STREAMING[cls] : undefined;
    if (!client) continue;
    const owner = ctx.scope.enclosingFunction(call);
    if (!owner || owner.kind !== 'function') continue;
    const withKeyword = client.asyncWith ? 'async with' : 'with';
    if (method === 'stream') {
      checkStreamContext(ctx, call, fn.text, client.asyncWith, owner.node);
      continue;
    }
    // resp = await client.send(request, stream=True) / resp = client.send(request, stream=True)
    const made = call.parent?.type === 'await' ? call.parent : call;
    if (client.asyncWith !== (made.type === 'await')) continue;
    const assignment = made.parent;
    if (assignment?.type !== 'assignment' || assignment.childForFieldName('right')?.id !== made.id || assignment.parent?.type !== 'expression_statement') continue;
    const target = assignment.childForFieldName('left');
    if (target?.type !== 'identifier') continue;
    const scope = ctx.scope.scopeAt(target);
    if (scope.globals.has(target.text) || scope.nonlocals.has(target.text)) continue;
    const uses = usesOf(owner.node, target);
    const kind: ResourceKind = { what: 'streamed httpx response', close: [client.close, client.read], awaited: client.asyncWith, asyncWith: client.asyncWith, noWith: true };
    const { fate, closingTry } = fateOf(ctx, uses, kind, owner.node);
    if (fate === 'owned-elsewhere') {
      // Handed on by a `return` (`return Stream(response)`), but a `raise` or `return` before it leaves without it.
      const handOff = returnedHandOff(uses, owner.node);
      const exit = handOff && exitBetween(owner.node, assignment, handOff, new Set([client.close, client.read]), target.text);
      // Only exits that follow the sending statement in its block (not another branch, where it was never sent).
      const block = assignment.parent?.parent;
      if (exit && block && encloses(block, exit))
        ctx.report({
          message: `This streamed httpx response is handed on by the return on line ${handOff.startPosition.row + 1}, but the '${exit.type === 'return_statement' ? 'return' : 'raise'}' on line ${exit.startPosition.row + 1} leaves before that without closing it: its connection stays checked out of the pool. Close it ('${client.asyncWith ? 'await ' : ''}${target.text}.${client.close}()') before leaving there`,
          range: ctx.rangeOf(assignment),
        });
      continue;
    }
    const remedy = `close it with '${client.asyncWith ? 'await ' : ''}${target.text}.${client.close}()' in a finally block, or use '${withKeyword} ${fn.text.replace(/\.send$/, '.stream')}(...) as ${target.text}:'`;
    if (fate === 'closed-in-finally') {
      const exit = closingTry && exitBeforeClosingTry(assignment.parent, closingTry, uses, kind, owner.node);
      if (exit)
        ctx.report({
          message: `This streamed httpx response is not closed when ${EXIT_WORDS[exit.type]} on line ${exit.startPosition.row + 1}, before the 'try' whose finally block closes it: its connection stays checked out of the pool. Send it just before that 'try'`,
          range: ctx.rangeOf(assignment),
        });
      continue;
    }
    // `resp = await client.send(req, stream=True)`, then `await resp.aread()`: read and closed at once.
    if (fate === 'closed-on-success-path' && closedStraightAway(assignment.parent, uses[0], kind)) continue;
    // Iterated to its end (`async for chunk in resp.aiter_bytes():`), which closes it, as an aiohttp
    // response whose body is read: reported only when a `return`/`raise` before leaves it open.
    // Closed somewhere by the function (`except BaseException: await response.aclose(); raise` also runs
    // when the consumer stops: GeneratorExit is thrown in at the yield): a loop that yields still reads it.
    const closesSomewhere = uses.some((u) => u.parent?.type === 'attribute' && [client.close, client.read].includes(u.parent.childForFieldName('attribute')?.text ?? ''));
    const iterated = uses.map((u) => iteratedToTheEnd(u, client.iterators, closesSomewhere)).find((loop) => loop !== undefined);
    if (iterated) {
      const exit = exitBetween(owner.node, assignment, iterated, new Set([client.close, client.read]));
      if (exit)
        ctx.report({
          message: `This streamed httpx response is read on one path only: the '${exit.type === 'return_statement' ? 'return' : 'raise'}' on line ${exit.startPosition.row + 1} leaves with its connection checked out of the pool. ${remedy[0].toUpperCase()}${remedy.slice(1)}`,
          range: ctx.rangeOf(assignment),
        });
      continue;
    }
    // `async for chunk in resp.aiter_bytes(): yield chunk` in a generator: the consumer may stop at
    // any yield (a `break`, an error, a cancellation), and nothing closes the response then.
    const yielding = fate === 'never-closed' && !closesSomewhere ? uses.map((u) => iteratedByYieldingLoop(u, client.iterators)).find((loop) => loop !== undefined) : undefined;
    if (yielding) {
      ctx.report({
        message: `This streamed httpx response is read by a loop that yields (line ${yielding.startPosition.row + 1}): when the consumer stops early (a break, an error, a cancellation), nothing closes it and its connection stays checked out of the pool. Close it with '${client.asyncWith ? 'await ' : ''}${target.text}.${client.close}()' in a finally block around the loop, or use '${withKeyword} ${fn.text.replace(/\.send$/, '.stream')}(...) as ${target.text}:'`,
        range: ctx.rangeOf(assignment),
      });
      continue;
    }
    ctx.report({
      message:
        fate === 'never-closed'
          ? `This response is sent with stream=True and never closed nor read to its end: its connection stays checked out of the pool. ${remedy[0].toUpperCase()}${remedy.slice(1)}`
          : `This response is sent with stream=True and closed (or read) only when no exception is raised before that: an error or a cancellation leaves its connection checked out of the pool. ${remedy[0].toUpperCase()}${remedy.slice(1)}`,
      range: ctx.rangeOf(assignment),
    });
  }
}

/**
 * `client.stream(...)` is a context manager: nothing is sent until it is entered, and only leaving
 * it closes the response. Reported: kept in a name that is never entered, handed on nor returned
 * (`cm = client.stream("GET", url)`), or entered with a plain `with` on an AsyncClient, whose stream
 * is an async context manager only.
 */
function checkStreamContext(ctx: PythonRuleContext, call: Node, callee: string, isAsync: boolean, fnNode: Node): void {
  const parent = call.parent;
  if (isAsync && (parent?.type === 'with_item' || (parent?.type === 'as_pattern' && parent.parent?.type === 'with_item'))) {
    const withStatement = parent.type === 'with_item' ? parent.parent?.parent : parent.parent?.parent?.parent;
    if (withStatement?.type === 'with_statement' && !withStatement.text.startsWith('async')) {
      ctx.report({
        message: `${callee}() on an httpx AsyncClient is an async context manager: a plain 'with' fails, enter it with 'async with ${callee}(...)'`,
        range: ctx.rangeOf(call),
      });
    }
    return;
  }
  if (parent?.type !== 'assignment' || parent.childForFieldName('right')?.id !== call.id || parent.parent?.type !== 'expression_statement') return;
  const target = parent.childForFieldName('left');
  if (target?.type !== 'identifier') return;
  const scope = ctx.scope.scopeAt(target);
  if (scope.globals.has(target.text) || scope.nonlocals.has(target.text)) return;
  // Used in any way (entered, `__aenter__()`, handed to an exit stack, returned): someone enters it.
  if (usesOf(fnNode, target).length > 0) return;
  ctx.report({
    message: `${callee}() is a context manager that is never entered: no request is sent. Use '${isAsync ? 'async with' : 'with'} ${callee}(...) as response:'`,
    range: ctx.rangeOf(parent),
  });
}

/** A lent object given back by its lender (`pool.release(conn)`), judged like a resource. */
function judgeLent(ctx: PythonRuleContext, lent: Lent, kind: ResourceKind, callee: string, assignment: Node, target: Node, fnNode: Node): void {
  const scope = ctx.scope.scopeAt(target);
  if (scope.globals.has(target.text) || scope.nonlocals.has(target.text)) return;
  const uses = usesOf(fnNode, target);
  const { fate, closingTry } = fateOf(ctx, uses, kind, fnNode);
  if (fate === 'owned-elsewhere') return;
  let message: string | undefined;
  const yielded = fate === 'closed-on-success-path' && lent.asResource?.giveBack ? yieldedLikeDependency(ctx, uses, fnNode) : undefined;
  if (fate === 'never-closed') message = lent.message(callee, target.text);
  else if (yielded) {
    const giveBack = lent.asResource!.giveBack![0];
    message = `The connection from ${callee}() is given back after the yield on line ${yielded.startPosition.row + 1} only when no exception is raised: an error of the code using it (the endpoint of a dependency) is raised at the yield and skips ${giveBack}(), leaving it checked out of the pool. Give it back in a finally block around the yield`;
  } else if (fate === 'closed-on-success-path') message = lent.onSuccessOnly?.(callee, target.text);
  else {
    const exit = closingTry && assignment.parent && exitBeforeClosingTry(assignment.parent, closingTry, uses, kind, fnNode);
    if (exit) message = lent.onSuccessOnly?.(callee, target.text, exit);
  }
  if (message) ctx.report({ message, range: ctx.rangeOf(assignment) });
}

/**
 * Settings a client fixes for its connections when it is made: a request cannot change them.
 * (`base_url`, `headers`, `auth`, `timeout`... can be given per request instead.)
 */
const CONNECTION_SETTINGS = new Set(['proxy', 'proxies', 'mounts', 'transport', 'verify', 'cert', 'http1', 'http2', 'limits', 'trust_env', 'connector', 'ssl', 'local_addr', 'target', 'credentials', 'options', 'hosts', 'cloud_id', 'region_name', 'endpoint_url', 'config']);

/** Whether a constructor call sets a connection setting from the loop's own variables. */
function configuredByLoop(call: Node, loop: Node, positional = false): boolean {
  const left = loop.childForFieldName('left');
  const targets = new Set((left?.descendantsOfType('identifier') ?? []).map((id) => id?.text));
  if (left?.type === 'identifier') targets.add(left.text);
  // Names the loop body derives from them: `ctx = ctx_for(tenant)` then `verify=ctx`.
  const mentionsTarget = (n: Node | null): boolean => !!n && (n.type === 'identifier' ? targets.has(n.text) : n.descendantsOfType('identifier').some((id) => !!id && targets.has(id.text)));
  const assignments = loop.childForFieldName('body')?.descendantsOfType('assignment') ?? [];
  for (let pass = 0; pass < 2; pass++) {
    for (const a of assignments) {
      const target = a?.childForFieldName('left');
      if (a && target?.type === 'identifier' && a.startIndex < call.startIndex && mentionsTarget(a.childForFieldName('right'))) targets.add(target.text);
    }
  }
  return (call.childForFieldName('arguments')?.namedChildren ?? []).some((arg) => {
    // `grpc.aio.insecure_channel(target)`: the server itself, by position.
    if (positional && arg && arg.type !== 'keyword_argument' && arg.type !== 'comment') return mentionsTarget(arg);
    if (arg?.type !== 'keyword_argument' || !CONNECTION_SETTINGS.has(arg.childForFieldName('name')?.text ?? '')) return false;
    return mentionsTarget(arg.childForFieldName('value'));
  });
}

/**
 * Whether a client made in a loop is kept beyond the function, one per upstream: put in a
 * container (`clients.append(c)`, `clients[url] = c`, `clients.append(httpx.AsyncClient(...))`) or
 * handed to an exit stack (`await stack.enter_async_context(c)`, `stack.push_async_callback(c.aclose)`)
 * that outlives the function: returned, held on `self`, a parameter, or a module-level name. A
 * container or stack local to the function closes its clients when it ends: one per request.
 */
function keptBeyondLoop(ctx: PythonRuleContext, call: Node, loop: Node, fnNode: Node): boolean {
  const holders: string[] = [];
  const args = call.parent?.type === 'argument_list' ? call.parent : null;
  const outer = args?.parent?.type === 'call' ? args.parent.childForFieldName('function') : null;
  if (outer?.type === 'attribute' && KEEPING_METHODS.includes(outer.childForFieldName('attribute')?.text ?? '')) holders.push(outer.childForFieldName('object')?.text ?? '');
  const assignment = call.parent?.type === 'assignment' && call.parent.childForFieldName('right')?.id === call.id ? call.parent : null;
  const target = assignment?.childForFieldName('left');
  if (target?.type === 'identifier') {
    const name = target.text;
    const body = loop.childForFieldName('body')?.text ?? '';
    const keeping = new RegExp(
      `([\\w.]+)(?:\\.(?:${KEEPING_METHODS.join('|')})\\(\\s*${name}\\s*\\)|\\[[^\\]\\n]*\\]\\s*=\\s*${name}\\s*(?:$|[\\n;#])|\\.push_async_callback\\(\\s*${name}\\.(?:aclose|close)\\s*\\))`,
      'gm',
    );
    for (let m = keeping.exec(body); m; m = keeping.exec(body)) holders.push(m[1]);
  }
  return holders.some((h) => h !== '' && outlives(ctx, h, fnNode, loop));
}

/** Whether the container or exit stack written `holder` outlives the function `fnNode`. */
function outlives(ctx: PythonRuleContext, holder: string, fnNode: Node, at: Node): boolean {
  if (/^(self|cls)\./.test(holder)) return true;
  if (!/^\w+$/.test(holder)) return false;
  const found = ctx.scope.lookup(holder, at);
  if (!found || found.scope.kind === 'module' || found.bindings.some((b) => b.kind === 'param')) return true;
  if (new RegExp(`\\b(return|yield)\\b[^\\n]*\\b${holder}\\b`).test(fnNode.text)) return true;
  // `async with AsyncExitStack() as stack: ... yield clients`: the stack stays open while the
  // generator (an `@asynccontextmanager`, a lifespan) is suspended at its yield.
  return found.bindings.some((b) => {
    let w: Node | null = b.node.parent;
    while (w && w.id !== fnNode.id && w.type !== 'with_statement') w = w.parent;
    return w?.type === 'with_statement' && /\byield\b/.test(w.childForFieldName('body')?.text ?? '');
  });
}

const KEEPING_METHODS = ['append', 'add', 'insert', 'appendleft', 'enter_async_context', 'setdefault'];

/** Route constructors that take the handler: `web.get('/x', handler)`, `Route('/x', endpoint)`. */
const ROUTE_FACTORIES = /^(aiohttp\.web\.(get|post|put|patch|delete|head|route|view)|starlette\.routing\.(Route|WebSocketRoute)|fastapi\.routing\.(APIRoute|APIWebSocketRoute))$/;

/** Names of functions this file registers as request handlers by a call (`app.router.add_get('/x', handler)`). */
function registeredHandlers(ctx: PythonRuleContext): Set<string> {
  const names = new Set<string>();
  if (!/add_|Route|web\./.test(ctx.text)) return names;
  const references = routeReferences(nodesOfType(ctx.tree.rootNode, 'call'), (call) => ROUTE_FACTORIES.test(resolvedCallee(ctx, call) ?? ''));
  for (const ref of references) if (ref.attribute === undefined) names.add(ref.local);
  return names;
}

/** Reading a response as a stream: `async for line in resp.content`, `resp.aiter_lines()`, `client.stream(...)`, SSE helpers. */
const STREAM_READ = /\basync\s+for\b[^\n]*\b(in\s+\w+\.content\b|\.aiter_(lines|bytes|text|raw)\s*\(|\.iter_(any|chunked|chunks|lines)\s*\(|\.aiter_sse\s*\()|\.stream\s*\(\s*["']GET|\baconnect_sse\s*\(|\bsse_client\s*\(/;

/**
 * A client stored in a name or attribute that a guard around it tests for `None` or falsiness
 * (`if self._session is None:`, `if not client:`): the lazy creation of one shared client.
 */
function madeOnce(call: Node, fnNode: Node): boolean {
  // `cdn = request.app.state.cdn = httpx.AsyncClient()`: every target of the chain.
  const targets: string[] = [];
  let assignment: Node | undefined;
  for (let value = call; value.parent?.type === 'assignment' && value.parent.childForFieldName('right')?.id === value.id; value = value.parent) {
    assignment = value.parent;
    const target = assignment.childForFieldName('left')?.text;
    if (target) targets.push(target);
  }
  if (!assignment || targets.length === 0) return false;
  const tests = targets.map((target) => {
    const t = target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`(^|[^\\w.])${t}\\s+is\\s+None\\b|\\bnot\\s+${t}\\b|${t}\\.closed\\b`);
  });
  for (let n: Node | null = assignment.parent; n && n.id !== fnNode.id; n = n.parent) {
    if (n.type === 'if_statement' && tests.some((tested) => tested.test(n!.childForFieldName('condition')?.text ?? ''))) return true;
  }
  return false;
}

/** A function memoised by a cache decorator (`@lru_cache`, `@functools.cache`): its client is made once. */
function memoised(fnNode: Node): boolean {
  const decorated = fnNode.parent?.type === 'decorated_definition' ? fnNode.parent : null;
  return !!decorated?.namedChildren.some((d) => d?.type === 'decorator' && /(@|\.)(lru_cache|cache|cached|alru_cache)\b/.test(d.text));
}

const HTTP_VERB_METHODS = /^(get|post|put|patch|delete|head|options)$/;
/** Class-based views: Django's `View` and its generic views, DRF's/adrf's `APIView` and viewsets. */
const VIEW_BASE = /(^|\.)(\w*View|\w*ViewSet)$/;
const CONSUMER_BASE = /(^|\.)\w*Consumer$/;
const SOCKETIO_NAMESPACE_BASE = /(^|\.)(AsyncNamespace|AsyncClientNamespace)$/;

/**
 * A method of a class-based view that serves a request (`async def get(self, request)` in a
 * `View`/`APIView` subclass), or of a Channels consumer that handles a message (`receive`), or of a
 * python-socketio namespace that handles an event (`on_chat`).
 */
function classHandlerKind(cls: Node, name: string): 'request' | 'message' | undefined {
  const bases = (cls.childForFieldName('superclasses')?.namedChildren ?? []).map((b) => b?.text.replace(/\s+/g, '') ?? '');
  if (HTTP_VERB_METHODS.test(name) && bases.some((b) => VIEW_BASE.test(b))) return 'request';
  if (/^(receive|receive_json|websocket_receive)$/.test(name) && bases.some((b) => CONSUMER_BASE.test(b))) return 'message';
  // python-socketio's class-based namespaces: `on_<event>` runs for every such event (not `on_connect`/`on_disconnect`).
  if (/^on_\w+$/.test(name) && !ONCE_PER_CONNECTION.test(name) && bases.some((b) => SOCKETIO_NAMESPACE_BASE.test(b))) return 'message';
  return undefined;
}

/** Broker clients that call a callback for every message: the method that registers it, and where the callback goes. */
const MESSAGE_CALLBACK_REGISTRARS: ReadonlyArray<{ owners: RegExp; method: string; keyword: string; position?: number }> = [
  // aio-pika's `await queue.consume(on_message)`.
  { owners: /^aio_pika\.abc\.AbstractQueue$/, method: 'consume', keyword: 'callback', position: 0 },
  // nats-py's `await nc.subscribe("subject", cb=handle)` (also on JetStream).
  { owners: /^nats\.(aio\.client\.Client|js\.JetStreamContext)$/, method: 'subscribe', keyword: 'cb' },
];

/**
 * The callbacks this file registers with a broker client for every message (`queue.consume(on_message)`,
 * `nc.subscribe("x", cb=handle)`): names of module-level functions, and `self.<name>` for methods.
 */
function messageCallbacks(ctx: PythonRuleContext): Set<string> {
  const names = new Set<string>();
  if (!/\.(consume|subscribe)\s*\(/.test(ctx.text)) return names;
  let resolver: AwaitableResolver | undefined;
  for (const call of nodesOfType(ctx.tree.rootNode, 'call')) {
    const fn = field(call, 'function');
    const method = fn && typeOf(fn) === 'attribute' ? field(fn, 'attribute')?.text : undefined;
    const registrars = MESSAGE_CALLBACK_REGISTRARS.filter((r) => r.method === method);
    if (registrars.length === 0) continue;
    const owner = (resolver ??= awaitablesOf(ctx)).classOfReceiver(field(fn!, 'object')!);
    const registrar = owner?.kind === 'library' ? registrars.find((r) => r.owners.test(owner.name)) : undefined;
    if (!registrar) continue;
    const args = callArguments(call);
    const keyword = args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === registrar.keyword)?.childForFieldName('value');
    const positional = registrar.position === undefined ? undefined : args.filter((a) => a.type !== 'keyword_argument')[registrar.position];
    const callback = keyword ?? positional;
    if (callback?.type === 'identifier') names.add(callback.text);
    else if (callback?.type === 'attribute' && callback.childForFieldName('object')?.text === 'self') names.add(`self.${callback.childForFieldName('attribute')?.text}`);
  }
  return names;
}

/**
 * `session.client("s3")` (or `session.resource(...)`) on an aioboto3 session, `session.create_client(...)`
 * on an aiobotocore one: a client with a connection pool of its own, named AWS_SESSION_CLIENT.
 */
function awsSessionClient(call: Node, resolver: AwaitableResolver): string | undefined {
  const fn = call.childForFieldName('function');
  const method = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
  if (!method || !/^(client|resource|create_client)$/.test(method)) return undefined;
  const cls = resolver.classOfReceiver(fn!.childForFieldName('object')!);
  if (cls?.kind !== 'library') return undefined;
  return (cls.name === 'aioboto3.Session' && method !== 'create_client') || (cls.name === 'aiobotocore.session.AioSession' && method === 'create_client') ? AWS_SESSION_CLIENT : undefined;
}

/**
 * Whether `call` sits in the body of a `try` (inside `loop`) that has an `except` clause and ends by
 * leaving the loop (a `return` or `break` as its last statement): the loop turns again only after a
 * failure. A `return` under a test (`if resp.ok: return ...`, a poll) does not count.
 */
function retriedUntilSuccess(call: Node, loop: Node): boolean {
  for (let n: Node | null = call.parent; n && n.id !== loop.id; n = n.parent) {
    if (n.type !== 'try_statement') continue;
    const body = n.childForFieldName('body');
    if (!body || call.startIndex < body.startIndex || call.endIndex > body.endIndex) continue;
    if (!n.namedChildren.some((c) => c?.type === 'except_clause')) continue;
    const last = body.namedChildren.filter((c) => c?.type !== 'comment').pop();
    if (last?.type === 'return_statement' || last?.type === 'break_statement') return true;
  }
  return false;
}

/** The plain HTTP clients judged per call of the function that makes them (the SDK clients are made with a per-user key, say). */
const SESSION_PER_CALL = /^(aiohttp\.ClientSession|httpx\.AsyncClient)$/;
const COMPREHENSIONS = new Set(['list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']);

/**
 * Where this file calls `fn` once per item of a loop (`for url in urls: await fetch(url)`,
 * `gather(*(fetch(u) for u in urls))`, `map(fetch, urls)`), directly or through one or two
 * functions that wrap the call (a semaphore-bounded `async def one(u)` around it), when `fn` makes
 * the client of `made` (entered with `async with` or bound to a name) for a single request: its
 * client is used in no loop of `fn`, and is neither kept, returned nor handed to another call (which
 * may make many requests with it).
 */
function calledPerItem(ctx: PythonRuleContext, made: Node, fn: Scope): PerItemSite | undefined {
  if (!fn.isAsync || !fn.parent || fn.parent.kind === 'comprehension' || fn.parent.kind === 'lambda') return undefined;
  const parent = made.parent;
  const target =
    parent?.type === 'as_pattern' && parent.parent?.type === 'with_item' ? parent.namedChildren.find((c) => c?.type === 'as_pattern_target')?.namedChildren[0]
    : parent?.type === 'assignment' && parent.childForFieldName('right')?.id === made.id ? parent.childForFieldName('left')
    : undefined;
  if (target?.type !== 'identifier') return undefined;
  const body = fn.node.childForFieldName('body');
  if (!body) return undefined;
  for (const use of usesOf(body, target)) {
    if (inNestedScope(use, fn.node)) return undefined;
    for (let n: Node | null = use.parent; n && n.id !== fn.node.id; n = n.parent) {
      if (LOOPS.has(n.type) || COMPREHENSIONS.has(n.type)) return undefined;
    }
    const holder = use.parent;
    if (holder?.type === 'argument_list' || holder?.type === 'keyword_argument' || holder?.type === 'return_statement' || holder?.type === 'yield' || holder?.type === 'assignment' || holder?.type === 'tuple' || holder?.type === 'list') return undefined;
  }
  return perItemSite(ctx, fn, 0);
}

/** A call that runs once per item of a loop, and the functions (wrapping the one judged) it reaches that one through. */
interface PerItemSite {
  site: Node;
  via: string[];
}

/**
 * A call of `fn` in this file that runs once per item of a loop, or a call of a function wrapping
 * it that does (up to two wrappers). Module-level and nested functions are followed by name, methods
 * through `self.<name>`. Retry loops, polls that sleep between turns, and `asyncio.run(fetch(url))`
 * (a loop per call) are not counted.
 */
function perItemSite(ctx: PythonRuleContext, fn: Scope, depth: number): PerItemSite | undefined {
  const owner = fn.parent;
  if (!owner || owner.kind === 'comprehension' || owner.kind === 'lambda') return undefined;
  const inClass = owner.kind === 'class';
  // The name at a call site must be this function, not a local of the caller's.
  const isThis = (id: Node): boolean => id.type === 'identifier' && id.text === fn.name && ctx.scope.lookup(fn.name, id)?.scope === owner;
  const callers: Scope[] = [];
  for (const call of nodesOfType(owner.node, 'call')) {
    const callee = call.childForFieldName('function');
    if (!inClass && callee?.type === 'identifier' && callee.text === 'map' && isThis(callArguments(call)[0] ?? callee)) return { site: call, via: [] };
    const site =
      inClass
        ? callee?.type === 'attribute' && callee.childForFieldName('attribute')?.text === fn.name && /^(self|cls)$/.test(callee.childForFieldName('object')?.text ?? '')
        : !!callee && isThis(callee);
    if (!site || encloses(fn.node, call)) continue;
    if (perItem(ctx, call)) return { site: call, via: [] };
    const caller = ctx.scope.enclosingFunction(call);
    if (caller?.kind === 'function' && caller.isAsync && !callers.includes(caller)) callers.push(caller);
  }
  if (depth >= 2) return undefined;
  for (const caller of callers) {
    const found = perItemSite(ctx, caller, depth + 1);
    if (found) return { site: found.site, via: [caller.name, ...found.via] };
  }
  return undefined;
}

/** Whether a call runs once per item of a loop or comprehension around it (in its own function). */
function perItem(ctx: PythonRuleContext, site: Node): boolean {
  let child: Node = site;
  for (let n: Node | null = site.parent; n; child = n, n = n.parent) {
    if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') return false;
    // `asyncio.run(fetch(url))`, `loop.run_until_complete(...)`.
    if (n.type === 'call' && (calleeName(ctx, n) === 'asyncio.run' || n.childForFieldName('function')?.childForFieldName('attribute')?.text === 'run_until_complete')) return false;
    if (COMPREHENSIONS.has(n.type)) {
      // The iterable of the first `for` clause is evaluated once, outside the comprehension's turns.
      const clauses = n.namedChildren.filter((c) => c?.type === 'for_in_clause');
      if (clauses[0] && child.id === clauses[0].id) continue;
      return true;
    }
    if (LOOPS.has(n.type)) {
      const loopBody = n.childForFieldName('body');
      if (!loopBody || child.id !== loopBody.id) continue;
      if (retriedUntilSuccess(site, n)) return false;
      if (n.type === 'while_statement' && /\bsleep\s*\(/.test(loopBody.text)) return false;
      return true;
    }
  }
  return false;
}

/** Methods Home Assistant calls at every poll: an entity's update, a coordinator's fetch. */
const HA_POLL_METHODS = new Set(['async_update', '_async_update_data']);

export function checkSessionPerRequest(ctx: PythonRuleContext): void {
  let dependencies: Map<number, string> | undefined;
  let registered: Set<string> | undefined;
  let callbacks: Set<string> | undefined;
  let resolver: AwaitableResolver | undefined;
  const usesAwsSessions = /\baio(boto3|botocore)\b/.test(ctx.text);
  for (const call of nodesOfType(ctx.tree.rootNode, 'call')) {
    const name = resolvedCallee(ctx, call) ?? (usesAwsSessions ? awsSessionClient(call, (resolver ??= awaitablesOf(ctx))) : undefined);
    if (!name || (!SESSION_CLASSES.has(name) && !DATASTORE_CLIENTS.has(name))) continue;
    // `Storage(session=shared)`: gcloud-aio's client over the app's aiohttp session.
    if (overSharedSession(name, call)) continue;
    const datastore = DATASTORE_CLIENTS.has(name);
    // `Redis(connection_pool=pool)` borrows the app's pool; `create_async_engine(url, poolclass=NullPool)` keeps none.
    if (datastore && callArguments(call).some((a) => a.type === 'keyword_argument' && (a.childForFieldName('name')?.text === 'connection_pool' || (a.childForFieldName('name')?.text === 'poolclass' && /(^|\.)NullPool$/.test(a.childForFieldName('value')?.text ?? ''))))) continue;
    const fn = ctx.scope.enclosingFunction(call);
    if (!fn || fn.kind !== 'function') continue;
    // `if _session is None: _session = ClientSession()`: made once, then reused.
    if (madeOnce(call, fn.node)) continue;
    // `ClientSession(connector=shared, connector_owner=False)`: a session over a shared pool (its
    // own cookie jar, headers), no new connections.
    if (callArguments(call).some((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'connector_owner' && a.childForFieldName('value')?.text === 'False')) continue;
    // `AsyncOpenAI(api_key=key, http_client=shared)`: an SDK client over the app's shared httpx
    // pool (a per-user key, say) opens no pool of its own.
    if (/^(openai|anthropic|groq)\./.test(name) && callArguments(call).some((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'http_client' && a.childForFieldName('value')?.type !== 'call')) continue;
    let where: string | undefined;
    for (let n: Node | null = datastore ? null : call.parent; n && n.id !== fn.node.id; n = n.parent) {
      if (n.type === 'for_statement' || n.type === 'while_statement') {
        // `for proxy in proxies: httpx.AsyncClient(proxy=proxy)`: a client per configuration
        // (proxies, certificates and base URLs are fixed when a client is made), not per request.
        // (An AWS client per service or region: `for service in ("s3", "sqs"): session.client(service)`.)
        if (n.type === 'for_statement' && configuredByLoop(call, n, GRPC_CHANNELS.test(name) || SEARCH_CLIENTS.test(name) || name === AWS_SESSION_CLIENT)) break;
        // `clients.append(client)`, `stack.push_async_callback(client.aclose)`: clients made in a
        // loop to be kept (one per upstream, at start-up), not one per request.
        if (keptBeyondLoop(ctx, call, n, fn.node)) break;
        // A reconnect loop: each session serves one long-lived websocket, or (in a `while` loop)
        // one long-lived stream read to its end (server-sent events, a chunked feed).
        // A retry loop (`for attempt in range(3): try: async with AsyncClient() as c: ...; return` with an
        // `except` that tries again): the loop turns again only after a failure, not per request.
        if (retriedUntilSuccess(call, n)) break;
        const body = n.childForFieldName('body')?.text ?? '';
        if (/\.ws_connect\s*\(/.test(body)) break;
        if (n.type === 'while_statement' && STREAM_READ.test(body)) break;
        where = 'in a loop: every iteration opens a new connection pool';
        break;
      }
    }
    if (!where) {
      const decorated = fn.node.parent?.type === 'decorated_definition' ? fn.node.parent : null;
      // What each decorator applies: `app.get` for `@app.get("/")`.
      const applied = (decorated?.namedChildren ?? []).map((d) => (d?.type === 'decorator' ? decoratorTarget(d) : null)).filter((e): e is Node => !!e);
      // Flask runs each async view on a loop of its own, closed after the request: no client can
      // outlive it, so one per request is the working pattern there.
      const isHandler =
        !mentions(ctx.text, FLASK_IMPORT) &&
        applied.some((e) => (e.type === 'attribute' && ROUTE_DECORATOR.test(e.text)) || (e.type === 'identifier' && ROUTE_FUNCTION_DECORATOR.test(ctx.scope.resolve(e)?.name ?? '')));
      // An MCP server's tools, resources and prompts (`@mcp.tool()`, fastmcp's `@mcp.tool`), run for every request of a client.
      const isMcpHandler = !isHandler && /mcp/i.test(ctx.text) && applied.some((e) => mcpRequestHandler(e, (resolver ??= awaitablesOf(ctx))));
      const isRegistered = !isHandler && !isMcpHandler && fn.parent?.kind === 'module' && ((registered ??= registeredHandlers(ctx)).has(fn.name) || ctx.project.registeredNextDoor(ctx.filePath, fn.name));
      const onMessage =
        !ONCE_PER_CONNECTION.test(fn.name) &&
        applied.some((e) => BOT_HANDLER_DECORATOR.some(([library, decorator, name]) => mentions(ctx.text, library) && decorator.test(e.text) && (!name || name.test(fn.name))));
      const viewMethod = !isHandler && !isRegistered && fn.parent?.kind === 'class' ? classHandlerKind(fn.parent.node, fn.name) : undefined;
      if (isHandler || isRegistered || viewMethod === 'request') where = `in request handler '${fn.name}': every request opens a new connection pool`;
      else if (isMcpHandler) where = `in MCP request handler '${fn.name}': every call of it by a client opens a new connection pool`;
      else if (viewMethod === 'message') where = `in message handler '${fn.name}': every message opens a new connection pool`;
      else if (onMessage) where = `in message handler '${fn.name}': every message opens a new connection pool`;
      // A broker's per-message callback registered in this file (`queue.consume(on_message)`, `nc.subscribe(..., cb=handle)`).
      else if (
        (fn.parent?.kind === 'module' || fn.parent?.kind === 'class') &&
        (callbacks ??= messageCallbacks(ctx)).has(fn.parent.kind === 'class' ? `self.${fn.name}` : fn.name)
      ) {
        where = `in message callback '${fn.name}': every message opens a new connection pool`;
      }
      // Home Assistant polls an entity's `async_update` and a coordinator's `_async_update_data`
      // every scan interval for the life of the process (HA's shared `async_get_clientsession(hass)` is the session to use).
      else if (fn.kind === 'function' && fn.parent?.kind === 'class' && HA_POLL_METHODS.has(fn.name) && ctx.text.includes('homeassistant')) {
        where = `in '${fn.name}', which Home Assistant calls at every poll: every poll opens a new connection pool (use async_get_clientsession(hass))`;
      } else if (
        ((dependencies ??= requestDependencies(ctx)).has(fn.node.id) || (fn.parent?.kind === 'module' && ctx.project.dependedOnNearby(ctx.filePath, fn.name))) &&
        !memoised(fn.node)
      ) {
        where = `in '${fn.name}', a dependency resolved for every request (${dependencies.get(fn.node.id) ?? 'Depends'}): every request opens a new connection pool`;
      }
    }
    // `async def fetch(url): async with ClientSession() as s: ...` called for every URL of a loop
    // (or a gather over a generator): one session, and one connection pool, per request.
    let remedy = 'Share one client for the application (created at start-up, e.g. in a lifespan handler) and reuse its connections';
    if (!where && !datastore && SESSION_PER_CALL.test(name)) {
      const found = calledPerItem(ctx, call, fn);
      if (found) {
        const through = found.via.length ? `, through ${found.via.map((v) => `'${v}'`).join(' and ')}` : '';
        where = `in '${fn.name}', which is called for every item of a loop (line ${found.site.startPosition.row + 1}${through}): every call opens a new connection pool for one request`;
        remedy = `Create one client before the loop and pass it to '${fn.name}', so that its requests reuse connections`;
      }
    }
    if (!where) continue;
    ctx.report({
      message: `A new ${GRPC_CHANNELS.test(name) ? 'grpc.aio channel' : name === AWS_SESSION_CLIENT ? `AWS client (${textOf(call.childForFieldName('function')!)}(...))` : datastore ? RESOURCES[name]!.what : name.replace(/\.(?=[^.]*$)/, ' ')} is created ${where}. ${remedy}`,
      range: ctx.rangeOf(call),
    });
  }
}
