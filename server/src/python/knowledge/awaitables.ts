/**
 * Well-known library callables whose result must be awaited (coroutines, or awaitables such as
 * futures and request context managers whose work is lost when discarded).
 *
 * Module-level functions are keyed by their qualified name. Methods are keyed by the qualified
 * name of the class that owns them: the unawaited-coroutine rule infers a receiver's class from
 * a constructor call, an `async with ... as x`, or an annotation, and only then consults these.
 */

/** Module-level functions returning something that must be awaited. */
export const AWAITABLE_FUNCTIONS: ReadonlySet<string> = new Set([
  // asyncio
  'asyncio.sleep',
  'asyncio.wait_for',
  'asyncio.wait',
  'asyncio.gather',
  'asyncio.shield',
  'asyncio.to_thread',
  'asyncio.open_connection',
  'asyncio.open_unix_connection',
  'asyncio.start_server',
  'asyncio.start_unix_server',
  'asyncio.create_subprocess_exec',
  'asyncio.create_subprocess_shell',
  'asyncio.staggered.staggered_race',
  // aiohttp
  'aiohttp.request',
  // httpx: module-level functions are synchronous; only AsyncClient methods are awaitable.
  // asyncpg
  'asyncpg.connect',
  'asyncpg.create_pool',
  // aiofiles
  'aiofiles.os.stat',
  'aiofiles.os.remove',
  'aiofiles.os.rename',
  'aiofiles.os.mkdir',
  'aiofiles.os.makedirs',
  'aiofiles.os.listdir',
  'aiofiles.os.path.exists',
  'aiofiles.os.path.isfile',
  'aiofiles.os.path.isdir',
  // anyio / trio style helpers that users mix with asyncio code
  'anyio.sleep',
  'anyio.to_thread.run_sync',
  'anyio.open_file',
  'anyio.connect_tcp',
  // redis.asyncio
  'redis.asyncio.from_url',
]);

/** Methods returning something that must be awaited, by owner class. */
export const AWAITABLE_METHODS: Readonly<Record<string, ReadonlySet<string>>> = {
  'asyncio.Queue': new Set(['put', 'get', 'join']),
  'asyncio.PriorityQueue': new Set(['put', 'get', 'join']),
  'asyncio.LifoQueue': new Set(['put', 'get', 'join']),
  'asyncio.Lock': new Set(['acquire']),
  'asyncio.Semaphore': new Set(['acquire']),
  'asyncio.BoundedSemaphore': new Set(['acquire']),
  'asyncio.Event': new Set(['wait']),
  'asyncio.Condition': new Set(['acquire', 'wait', 'wait_for']),
  'asyncio.Barrier': new Set(['wait', 'reset', 'abort']),
  'asyncio.StreamReader': new Set(['read', 'readline', 'readexactly', 'readuntil']),
  'asyncio.StreamWriter': new Set(['drain', 'wait_closed', 'start_tls']),
  'asyncio.subprocess.Process': new Set(['wait', 'communicate']),
  'asyncio.AbstractEventLoop': new Set([
    'run_in_executor', 'sock_recv', 'sock_sendall', 'sock_connect', 'sock_accept', 'getaddrinfo',
    'create_connection', 'create_server', 'shutdown_asyncgens', 'shutdown_default_executor',
  ]),
  'aiohttp.ClientSession': new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request', 'ws_connect', 'close']),
  'aiohttp.ClientResponse': new Set(['text', 'json', 'read']),
  'aiohttp.ClientWebSocketResponse': new Set(['send_str', 'send_bytes', 'send_json', 'receive', 'receive_str', 'receive_json', 'close']),
  'aiohttp.web.WebSocketResponse': new Set(['prepare', 'send_str', 'send_bytes', 'send_json', 'receive', 'receive_str', 'receive_json', 'close']),
  'aiohttp.web.Request': new Set(['json', 'text', 'read', 'post']),
  'aiohttp.web.AppRunner': new Set(['setup', 'cleanup']),
  'aiohttp.web.TCPSite': new Set(['start', 'stop']),
  'httpx.AsyncClient': new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request', 'send', 'aclose']),
  'httpx.Response': new Set(['aread', 'aclose']),
  'asyncpg.Connection': new Set([
    'execute', 'executemany', 'fetch', 'fetchrow', 'fetchval', 'prepare', 'close', 'copy_from_table',
    'copy_to_table', 'copy_records_to_table', 'set_type_codec', 'reload_schema_state', 'add_listener', 'remove_listener',
  ]),
  'asyncpg.Pool': new Set(['execute', 'executemany', 'fetch', 'fetchrow', 'fetchval', 'acquire', 'release', 'close', 'expire_connections']),
  'motor.motor_asyncio.AsyncIOMotorClient': new Set(['server_info', 'list_database_names', 'drop_database', 'start_session']),
  'motor.motor_asyncio.AsyncIOMotorCollection': new Set([
    'find_one', 'insert_one', 'insert_many', 'update_one', 'update_many', 'replace_one', 'delete_one', 'delete_many',
    'count_documents', 'estimated_document_count', 'create_index', 'drop', 'find_one_and_update', 'find_one_and_delete',
    'find_one_and_replace', 'bulk_write', 'distinct',
  ]),
  'fastapi.WebSocket': new Set(['accept', 'receive_text', 'receive_bytes', 'receive_json', 'send_text', 'send_bytes', 'send_json', 'close']),
  'starlette.websockets.WebSocket': new Set(['accept', 'receive_text', 'receive_bytes', 'receive_json', 'send_text', 'send_bytes', 'send_json', 'close']),
  'fastapi.Request': new Set(['json', 'body', 'form']),
  'starlette.requests.Request': new Set(['json', 'body', 'form']),
};

/** Constructors whose instance has the methods above, by the qualified name a call resolves to. */
export const CLASS_ALIASES: Readonly<Record<string, string>> = {
  'aiohttp.client.ClientSession': 'aiohttp.ClientSession',
  'aiohttp.web_ws.WebSocketResponse': 'aiohttp.web.WebSocketResponse',
  'aiohttp.web.Request': 'aiohttp.web.Request',
  'asyncio.queues.Queue': 'asyncio.Queue',
  'asyncio.locks.Lock': 'asyncio.Lock',
  'asyncio.locks.Event': 'asyncio.Event',
  'asyncio.locks.Semaphore': 'asyncio.Semaphore',
  'asyncio.locks.Condition': 'asyncio.Condition',
  'motor.motor_asyncio.AsyncIOMotorDatabase': 'motor.motor_asyncio.AsyncIOMotorDatabase',
  'starlette.websockets.WebSocket': 'starlette.websockets.WebSocket',
};

/** Functions whose awaited result is an instance of a known class (for receiver inference). */
/**
 * What a library method gives once awaited (or entered with `async with`):
 * `resp = await session.get(url)`, `async with session.get(url) as resp`.
 */
const HTTP_VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request'];
export const METHOD_RESULTS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'aiohttp.ClientSession': {
    ...Object.fromEntries(HTTP_VERBS.map((m) => [m, 'aiohttp.ClientResponse'])),
    ws_connect: 'aiohttp.ClientWebSocketResponse',
  },
  'httpx.AsyncClient': Object.fromEntries([...HTTP_VERBS, 'send'].map((m) => [m, 'httpx.Response'])),
  'asyncpg.Pool': { acquire: 'asyncpg.Connection' },
};

/** The calls that give the event loop. */
export const LOOP_GETTERS: ReadonlySet<string> = new Set([
  'asyncio.get_running_loop', 'asyncio.get_event_loop', 'asyncio.new_event_loop', 'asyncio.events.get_running_loop', 'asyncio.events.get_event_loop',
]);

/** Factories whose awaited result is a tuple: the class of each element (`reader, writer = await ...`). */
export const FACTORY_TUPLE_RESULTS: Readonly<Record<string, readonly string[]>> = {
  'asyncio.open_connection': ['asyncio.StreamReader', 'asyncio.StreamWriter'],
  'asyncio.open_unix_connection': ['asyncio.StreamReader', 'asyncio.StreamWriter'],
  'asyncio.streams.open_connection': ['asyncio.StreamReader', 'asyncio.StreamWriter'],
};

export const FACTORY_RESULTS: Readonly<Record<string, string>> = {
  'asyncpg.connect': 'asyncpg.Connection',
  'asyncpg.create_pool': 'asyncpg.Pool',
  'asyncio.get_running_loop': 'asyncio.AbstractEventLoop',
  'asyncio.get_event_loop': 'asyncio.AbstractEventLoop',
  'asyncio.create_subprocess_exec': 'asyncio.subprocess.Process',
  'asyncio.create_subprocess_shell': 'asyncio.subprocess.Process',
};
