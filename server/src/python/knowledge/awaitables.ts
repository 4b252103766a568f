/**
 * Well-known library callables whose result must be awaited (coroutines, or awaitables such as
 * futures and request context managers whose work is lost when discarded).
 *
 * Module-level functions are keyed by their qualified name. Methods are keyed by the qualified
 * name of the class that owns them: the unawaited-coroutine rule infers a receiver's class from
 * a constructor call, an `async with ... as x`, or an annotation, and only then consults these.
 */

/** websockets' asyncio `connect` and `serve`, under each module that exports them (websockets.sync is synchronous). */
const WEBSOCKET_CONNECTS = ['websockets', 'websockets.client', 'websockets.asyncio.client', 'websockets.legacy.client'].map((m) => `${m}.connect`);
const WEBSOCKET_SERVES = ['websockets', 'websockets.server', 'websockets.asyncio.server', 'websockets.legacy.server'].map((m) => `${m}.serve`);
const WEBSOCKET = 'websockets.asyncio.connection.Connection';

/** LiteLLM's coroutine twins of its module-level calls (`litellm.acompletion(...)`); also methods of its `Router`. */
const LITELLM_COROUTINES = ['acompletion', 'aembedding', 'atext_completion', 'aimage_generation', 'atranscription', 'aspeech', 'amoderation'];
/** bleak's `BleakScanner` class methods that scan (`await BleakScanner.discover()`). */
const BLEAK_SCANNER_CLASS_COROUTINES = ['discover', 'find_device_by_address', 'find_device_by_name', 'find_device_by_filter'];
/** pyserial-asyncio and its fork pyserial-asyncio-fast: `open_serial_connection` gives asyncio's (reader, writer) pair. */
const SERIAL_ASYNCIO = ['serial_asyncio', 'serial_asyncio_fast'];
/** Temporal's workflow API functions that are coroutines (`start_activity`/`start_local_activity` give a handle, a task, at once). */
const TEMPORAL_WORKFLOW_COROUTINES = [
  'execute_activity', 'execute_activity_class', 'execute_activity_method', 'execute_local_activity', 'execute_local_activity_class',
  'execute_local_activity_method', 'execute_child_workflow', 'start_child_workflow', 'wait_condition', 'sleep', 'wait',
];

/** Django's cache API async twins (4.0+), as methods of the default `cache` object. */
const DJANGO_CACHE_COROUTINES = [
  'aadd', 'aget', 'aset', 'atouch', 'adelete', 'aget_many', 'aget_or_set', 'ahas_key', 'aincr', 'adecr', 'aset_many',
  'adelete_many', 'aclear', 'aincr_version', 'adecr_version', 'aclose',
];

/** Quart's `request` global: body readers (`form`, `files`, `json` are awaitable properties, not calls). */
const QUART_REQUEST_COROUTINES = ['get_json', 'get_data', 'send_push_promise'];
/** Quart's `websocket` global. */
const QUART_WEBSOCKET_COROUTINES = ['receive', 'send', 'receive_json', 'send_json', 'accept', 'close'];
/** Quart's helpers that are coroutines, unlike Flask's. */
const QUART_HELPERS = ['render_template', 'render_template_string', 'make_response', 'make_push_promise', 'send_file', 'send_from_directory', 'flash', 'stream_template', 'stream_template_string'];

/** slack_sdk's Web API methods: coroutines on its `AsyncWebClient`, synchronous HTTP requests on its `WebClient`. */
export const SLACK_WEB_METHODS = [
  'api_call', 'chat_postMessage', 'chat_postEphemeral', 'chat_update', 'chat_delete', 'chat_scheduleMessage', 'chat_getPermalink',
  'conversations_list', 'conversations_history', 'conversations_replies', 'conversations_info', 'conversations_members', 'conversations_open',
  'conversations_join', 'conversations_invite', 'conversations_create', 'users_info', 'users_list', 'users_lookupByEmail', 'reactions_add',
  'reactions_remove', 'files_upload', 'files_upload_v2', 'files_info', 'views_open', 'views_publish', 'views_update', 'views_push', 'auth_test',
];

/** python-binance's AsyncClient, under each module that exports it. */
const BINANCE_ASYNC_CLIENTS = ['binance.AsyncClient', 'binance.client.AsyncClient', 'binance.async_client.AsyncClient'];

/** Module-level functions returning something that must be awaited. */
export const AWAITABLE_FUNCTIONS: ReadonlySet<string> = new Set([
  // Kivy's asyncio entry point for a root widget.
  'kivy.app.async_runTouchApp',
  'kivy.base.async_runTouchApp',
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
  // `anext(it)` gives an awaitable (not a coroutine) that steps the async iterator once awaited.
  'builtins.anext',
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
  // anyio and trio
  'anyio.sleep',
  'anyio.sleep_forever',
  'anyio.sleep_until',
  'anyio.to_thread.run_sync',
  'anyio.to_process.run_sync',
  'anyio.open_file',
  'anyio.open_process',
  'anyio.run_process',
  'anyio.connect_tcp',
  'anyio.connect_unix',
  'anyio.create_tcp_listener',
  'anyio.create_unix_listener',
  'anyio.getaddrinfo',
  'anyio.aclose_forcefully',
  'anyio.wait_all_tasks_blocked',
  'anyio.lowlevel.checkpoint',
  'anyio.lowlevel.checkpoint_if_cancelled',
  'anyio.lowlevel.cancel_shielded_checkpoint',
  'trio.sleep',
  'trio.sleep_forever',
  'trio.sleep_until',
  'trio.to_thread.run_sync',
  'trio.open_file',
  'trio.run_process',
  'trio.open_tcp_stream',
  'trio.open_ssl_over_tcp_stream',
  'trio.open_unix_socket',
  'trio.open_tcp_listeners',
  'trio.open_ssl_over_tcp_listeners',
  'trio.serve_tcp',
  'trio.serve_listeners',
  'trio.aclose_forcefully',
  'trio.lowlevel.checkpoint',
  'trio.lowlevel.checkpoint_if_cancelled',
  'trio.lowlevel.cancel_shielded_checkpoint',
  'trio.lowlevel.wait_readable',
  'trio.lowlevel.wait_writable',
  'trio.testing.wait_all_tasks_blocked',
  ...WEBSOCKET_CONNECTS,
  ...WEBSOCKET_SERVES,
  // databases, brokers, SSH
  'aiosqlite.connect',
  'aiomysql.connect',
  'aiomysql.create_pool',
  'psycopg.AsyncConnection.connect',
  'asyncssh.connect',
  'asyncssh.listen',
  'aio_pika.connect',
  'aio_pika.connect_robust',
  'nats.connect',
  // python-binance's client is made by awaiting its factory (`await AsyncClient.create(key, secret)`).
  ...BINANCE_ASYNC_CLIENTS.map((c) => `${c}.create`),
  // LLM routers and local model servers
  ...LITELLM_COROUTINES.map((f) => `litellm.${f}`),
  // Chroma's async client is made by awaiting a factory.
  'chromadb.AsyncHttpClient',
  // Bluetooth LE (bleak's scanner helpers are class methods), serial ports, mDNS
  ...BLEAK_SCANNER_CLASS_COROUTINES.map((m) => `bleak.BleakScanner.${m}`),
  ...SERIAL_ASYNCIO.flatMap((m) => ['open_serial_connection', 'create_serial_connection', 'connection_for_serial'].map((f) => `${m}.${f}`)),
  'zeroconf.asyncio.AsyncZeroconfServiceTypes.async_find',
  // Django's async API (4.1+)
  'django.contrib.auth.aauthenticate',
  'django.contrib.auth.alogin',
  'django.contrib.auth.alogout',
  'django.contrib.auth.aget_user',
  'django.shortcuts.aget_object_or_404',
  'django.shortcuts.aget_list_or_404',
  // The default cache's async twins (`from django.core.cache import cache`; `cache.aget(key)`).
  ...DJANGO_CACHE_COROUTINES.map((m) => `django.core.cache.cache.${m}`),
  // Quart, Flask's async twin: its request and websocket globals read the body and the socket
  // asynchronously, and its template and response helpers are coroutines (Flask habits drop the await).
  ...QUART_REQUEST_COROUTINES.map((m) => `quart.request.${m}`),
  ...QUART_WEBSOCKET_COROUTINES.map((m) => `quart.websocket.${m}`),
  ...QUART_HELPERS.map((f) => `quart.${f}`),
  // ODM and ORM set-up
  'beanie.init_beanie',
  'tortoise.Tortoise.init',
  'tortoise.Tortoise.generate_schemas',
  'tortoise.Tortoise.close_connections',
  // Temporal: the workflow API's steps (each waits for an event of the workflow's history), the
  // client's and test environment's factories, and an activity's waits.
  ...TEMPORAL_WORKFLOW_COROUTINES.map((f) => `temporalio.workflow.${f}`),
  'temporalio.activity.wait_for_cancelled',
  'temporalio.activity.wait_for_worker_shutdown',
  'temporalio.client.Client.connect',
  'temporalio.testing.WorkflowEnvironment.start_local',
  'temporalio.testing.WorkflowEnvironment.start_time_skipping',
  // arq's pool (an ArqRedis client).
  'arq.create_pool',
  'arq.connections.create_pool',
  // The OpenAI Agents SDK's runner (`await Runner.run(agent, input)`; `run_streamed()` gives its result at once).
  'agents.Runner.run',
  'agents.run.Runner.run',
  // AutoGen AgentChat's console UI, a coroutine that consumes a run's stream (`await Console(team.run_stream(task=...))`).
  'autogen_agentchat.ui.Console',
  // langchain-mcp-adapters' loaders over an MCP session (`tools = await load_mcp_tools(session)`).
  'langchain_mcp_adapters.tools.load_mcp_tools',
  'langchain_mcp_adapters.prompts.load_mcp_prompt',
  'langchain_mcp_adapters.resources.load_mcp_resources',
  // AutoGen's MCP adapter: the tools of an MCP server as AutoGen tools (`tools = await mcp_server_tools(params)`).
  'autogen_ext.tools.mcp.mcp_server_tools',
]);

/**
 * Functions whose result is an awaitable function: `sync_to_async(fn)(...)` makes a coroutine.
 */
/** Module-level functions returning a coroutine, by pattern: stripe-python's `_async` API methods (`stripe.Customer.create_async(...)`, `stripe.checkout.Session.retrieve_async(...)`). */
export const AWAITABLE_FUNCTION_PATTERN = /^stripe\.([a-z_]+\.)?[A-Z]\w*\.[a-z]\w*_async$/;

export const AWAITABLE_FUNCTION_FACTORIES: ReadonlySet<string> = new Set(['asgiref.sync.sync_to_async', 'channels.db.database_sync_to_async']);

/**
 * Libraries whose methods were synchronous in older major versions still in use
 * (python-telegram-bot before 20; Telethon with `telethon.sync`): their methods are only taken
 * for coroutines inside `async def`.
 */
export const SYNC_PAST = /^(telegram|telethon|pyrogram)\./;

/** Methods returning something that must be awaited, by owner class (the canonical name, see CLASS_ALIASES). */
const HTTP_VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request'];
const set = (...names: (string | readonly string[])[]): ReadonlySet<string> => new Set(names.flat());

export const REDIS_COMMANDS = [
  'get', 'set', 'setex', 'setnx', 'psetex', 'getset', 'getdel', 'getex', 'mget', 'mset', 'msetnx', 'delete', 'unlink', 'exists',
  'expire', 'expireat', 'pexpire', 'persist', 'ttl', 'pttl', 'type', 'rename', 'keys', 'scan', 'incr', 'incrby', 'incrbyfloat',
  'decr', 'decrby', 'append', 'strlen', 'hget', 'hset', 'hsetnx', 'hmget', 'hmset', 'hgetall', 'hdel', 'hexists', 'hincrby',
  'hincrbyfloat', 'hkeys', 'hvals', 'hlen', 'hscan', 'lpush', 'rpush', 'lpop', 'rpop', 'blpop', 'brpop', 'lrange', 'llen',
  'lindex', 'lrem', 'lset', 'ltrim', 'lpos', 'sadd', 'srem', 'smembers', 'sismember', 'scard', 'spop', 'srandmember', 'sinter',
  'sunion', 'sdiff', 'zadd', 'zrem', 'zrange', 'zrevrange', 'zrangebyscore', 'zrevrangebyscore', 'zscore', 'zincrby', 'zcard',
  'zcount', 'zrank', 'zrevrank', 'zremrangebyscore', 'zremrangebyrank', 'zpopmin', 'zpopmax', 'publish', 'ping', 'echo', 'info',
  'dbsize', 'flushdb', 'flushall', 'xadd', 'xread', 'xreadgroup', 'xack', 'xgroup_create', 'xlen', 'xrange', 'xrevrange', 'xdel',
  'xtrim', 'xclaim', 'xautoclaim', 'xpending', 'eval', 'evalsha', 'script_load', 'execute_command', 'aclose', 'close',
  'config_get', 'config_set', 'time', 'pfadd', 'pfcount', 'geoadd', 'geosearch', 'setbit', 'getbit', 'bitcount', 'copy',
  'initialize',
];
const FILE_METHODS = ['read', 'readline', 'readlines', 'write', 'writelines', 'flush', 'seek', 'tell', 'truncate', 'readinto'];
const ASYNC_PATH_METHODS = [
  'read_text', 'write_text', 'read_bytes', 'write_bytes', 'exists', 'is_file', 'is_dir', 'is_symlink', 'mkdir', 'unlink', 'rmdir',
  'stat', 'lstat', 'touch', 'rename', 'replace', 'open', 'chmod', 'readlink',
];
const SQLA_SESSION = [
  'execute', 'scalar', 'scalars', 'get', 'get_one', 'commit', 'rollback', 'flush', 'refresh', 'delete', 'close', 'merge', 'stream',
  'stream_scalars', 'run_sync', 'invalidate', 'connection', 'reset', 'begin', 'begin_nested',
];
const PAGE_ACTIONS = [
  'click', 'dblclick', 'fill', 'type', 'press', 'check', 'uncheck', 'set_checked', 'hover', 'focus', 'tap', 'select_option',
  'set_input_files', 'screenshot', 'text_content', 'inner_text', 'inner_html', 'get_attribute', 'input_value', 'is_visible',
  'is_hidden', 'is_enabled', 'is_disabled', 'is_checked', 'is_editable', 'dispatch_event', 'evaluate',
];
const PW_ASSERTIONS = [
  'to_have_text', 'to_contain_text', 'to_be_visible', 'to_be_hidden', 'to_have_title', 'to_have_url', 'to_have_count',
  'to_have_value', 'to_have_values', 'to_be_checked', 'to_be_enabled', 'to_be_disabled', 'to_be_editable', 'to_be_empty',
  'to_be_focused', 'to_be_attached', 'to_be_in_viewport', 'to_have_attribute', 'to_have_class', 'to_have_css', 'to_have_id',
  'to_have_js_property', 'to_be_ok',
];
/**
 * Django ORM calls that query the database at once, on a manager or queryset (building a
 * queryset is lazy), and on a model instance. Each has an async twin named with an `a` prefix
 * (Django 4.1+; 4.2 for instances).
 */
export const DJANGO_QUERIES: readonly string[] = [
  'get', 'create', 'get_or_create', 'update_or_create', 'bulk_create', 'bulk_update', 'count', 'exists', 'first', 'last',
  'earliest', 'latest', 'in_bulk', 'aggregate', 'update', 'delete', 'contains', 'explain',
  // A related manager's changes (`article.tags.add(tag)`): twins since Django 4.2.
  'add', 'remove', 'clear', 'set',
];
export const DJANGO_INSTANCE_QUERIES: readonly string[] = ['save', 'delete', 'refresh_from_db'];
const asyncTwins = (names: readonly string[]): string[] => names.map((m) => `a${m}`);
const DJANGO_QUERYSET_BUILDERS = [
  'all', 'filter', 'exclude', 'order_by', 'select_related', 'prefetch_related', 'annotate', 'alias', 'values', 'values_list',
  'distinct', 'only', 'defer', 'using', 'select_for_update', 'reverse', 'none', 'get_queryset',
];
// `typing()` gives a Typing context, awaitable too (`async with ctx.typing():`, or `await ctx.typing()` to show it once): dropped, it does nothing.
const DISCORD_MESSAGEABLE = ['send', 'fetch_message', 'pins', 'typing'];
const TORTOISE_BUILDERS = ['filter', 'exclude', 'all', 'annotate', 'order_by', 'limit', 'offset', 'distinct', 'select_related', 'prefetch_related', 'only'];
/**
 * Methods of the LLM SDKs' resources that are coroutines (`create`, `retrieve`...). Left out:
 * `list` (a paginator, awaited or iterated with `async for`) and `stream` (an async context manager).
 */
const LLM_RESOURCE_METHODS = [
  'create', 'retrieve', 'update', 'delete', 'cancel', 'parse', 'generate', 'edit', 'upload', 'count_tokens', 'content',
  'create_and_poll', 'create_and_run', 'create_and_run_poll', 'poll', 'submit_tool_outputs', 'submit_tool_outputs_and_poll',
  'create_variation', 'wait_for_processing', 'retrieve_content', 'results',
];
/** Coroutine methods of Home Assistant entities (`async_write_ha_state` and `async_schedule_update_ha_state` are plain callbacks). */
const HA_ENTITY_COROUTINES = [
  'async_update_ha_state', 'async_added_to_hass', 'async_will_remove_from_hass', 'async_remove', 'async_device_update',
  'async_internal_added_to_hass', 'async_internal_will_remove_from_hass',
];
const TG_SENDS = ['send_message', 'send_photo', 'send_document', 'send_video', 'send_audio', 'send_voice', 'send_sticker', 'send_animation', 'send_location', 'send_media_group', 'send_chat_action', 'send_poll', 'send_dice'];

/**
 * Every public method of a class but the `local` ones: each API operation of an aiobotocore (aioboto3)
 * client is a coroutine (`await s3.put_object(...)`), only its paginators and waiters are made locally.
 */
class EveryMethodBut extends Set<string> {
  constructor(private readonly local: ReadonlySet<string>) {
    super();
  }

  override has(method: string): boolean {
    return /^[a-z]\w*$/.test(method) && !this.local.has(method);
  }
}

/** The coroutine methods of Triton's asyncio clients (`tritonclient.grpc.aio` and `tritonclient.http.aio` alike). */
const TRITON_AIO_METHODS = [
  'infer', 'is_server_live', 'is_server_ready', 'is_model_ready', 'get_server_metadata', 'get_model_metadata', 'get_model_config',
  'get_model_repository_index', 'load_model', 'unload_model', 'get_inference_statistics', 'close',
];

/**
 * The coroutine methods of a ccxt exchange of `ccxt.async_support` (and of `ccxt.pro`, which adds the `watch_*` streams):
 * its unified API (`fetch_ticker`, `create_order`, `cancel_order`, `load_markets`, `close`, ...) and the implicit
 * endpoint methods (`public_get_ticker`, `private_post_order`, `sapi_get_account`). Its `set_sandbox_mode`, `market()`,
 * `amount_to_precision()` and the other helpers are plain.
 */
class CcxtExchangeCalls extends Set<string> {
  constructor(private readonly pro: boolean) {
    super();
  }

  override has(method: string): boolean {
    return (
      /^(fetch|cancel|edit|withdraw|transfer|repay|borrow|load)_\w+$/.test(method) ||
      /^create_\w*?(order|orders|deposit_address|sub_account|convert_trade)(_ws)?$/.test(method) ||
      /^set_(leverage|margin_mode|position_mode|margin)$/.test(method) ||
      /^(close|sleep|throttle|reduce_margin|add_margin)$/.test(method) ||
      /^[a-z]+\d*[a-z]*_(get|post|put|delete|patch)_\w+$/.test(method) ||
      (this.pro && /^(watch|un_?watch)_\w+$/.test(method))
    );
  }
}

/**
 * python-binance's AsyncClient (`await AsyncClient.create(key, secret)`): every public API method is a coroutine
 * (`get_symbol_ticker`, `create_order`, `futures_account`, `close_connection`, ...), but for its async generators
 * (`aggregate_trade_iter`, `*_historical_klines_generator`).
 */
class BinanceAsyncCalls extends Set<string> {
  override has(method: string): boolean {
    // `uuid22()` and `convert_ts_str()` are plain static helpers of its base class.
    return /^[a-z]\w*$/.test(method) && !/(_iter|_generator)$/.test(method) && method !== 'uuid22' && method !== 'convert_ts_str';
  }
}

/** The RPC calls of solana-py's `AsyncClient` (`solana.rpc.async_api`), each a coroutine. */
const SOLANA_ASYNC_CALLS = /^(get_\w+|is_connected|request_airdrop|send_transaction|send_raw_transaction|simulate_transaction|confirm_transaction|validator_exit|close)$/;
class SolanaAsyncCalls extends Set<string> {
  override has(method: string): boolean {
    return SOLANA_ASYNC_CALLS.test(method);
  }
}

/** web3.py's `AsyncWeb3(...).eth` module: its JSON-RPC calls (`await w3.eth.get_balance(addr)`); `contract(...)` and `account` are local. */
const WEB3_ASYNC_ETH = [
  'get_balance', 'get_block', 'get_block_number', 'get_transaction', 'get_raw_transaction', 'get_transaction_receipt',
  'wait_for_transaction_receipt', 'get_transaction_count', 'get_transaction_by_block', 'get_block_transaction_count', 'get_code',
  'get_storage_at', 'get_logs', 'get_proof', 'get_uncle_count', 'get_uncle_by_block', 'send_transaction', 'send_raw_transaction',
  'sign', 'sign_transaction', 'sign_typed_data', 'replace_transaction', 'modify_transaction', 'call', 'estimate_gas', 'fee_history',
  'create_access_list', 'filter', 'get_filter_changes', 'get_filter_logs', 'uninstall_filter', 'subscribe', 'unsubscribe',
];

/** structlog's async twins of the logging methods (`ainfo` for `info`), on its stdlib and filtering bound loggers. */
const STRUCTLOG_ASYNC_METHODS = ['adebug', 'ainfo', 'awarning', 'awarn', 'aerror', 'aexception', 'acritical', 'afatal', 'amsg', 'alog'];

/** The API calls of a kubernetes_asyncio API class, by the client generator's naming (`list_namespaced_pod`, `read_namespaced_pod_log`, ...). */
class KubeApiCalls extends Set<string> {
  override has(method: string): boolean {
    return /^(list|read|create|patch|replace|delete|connect)_\w+$/.test(method);
  }
}

/** The requests of the `mcp` SDK's client session (`await session.call_tool(name, args)`): every one a coroutine. */
const MCP_CLIENT_SESSION = [
  'initialize', 'send_ping', 'list_tools', 'call_tool', 'list_resources', 'list_resource_templates', 'read_resource', 'subscribe_resource',
  'unsubscribe_resource', 'list_prompts', 'get_prompt', 'complete', 'set_logging_level', 'send_progress_notification', 'send_roots_list_changed',
  'send_request', 'send_notification',
];
/** What a tool's request context does with the client: log, report progress, read resources, ask (mcp's FastMCP and fastmcp 2.x). */
const MCP_CONTEXT = ['info', 'debug', 'warning', 'error', 'log', 'report_progress', 'read_resource', 'elicit'];
/** The server side of an MCP session (`ctx.session`, a low-level server's `request_context.session`). */
const MCP_SERVER_SESSION = [
  'send_log_message', 'send_progress_notification', 'send_resource_updated', 'send_resource_list_changed', 'send_tool_list_changed',
  'send_prompt_list_changed', 'create_message', 'list_roots', 'elicit', 'send_ping', 'send_notification', 'send_request',
];
/** The async API of LangGraph's checkpointers (`alist()` is an async generator). */
const LANGGRAPH_SAVER = ['aget', 'aget_tuple', 'aput', 'aput_writes', 'adelete_thread', 'adelete_for_runs', 'acopy_thread', 'aprune'];
/** AutoGen AgentChat's agents and teams: a run, a reset, saved state (`run_stream()` is an async generator). */
const AUTOGEN_RUNNABLE = ['run', 'reset', 'save_state', 'load_state'];
/** AutoGen's model clients (autogen_ext): `create(...)` and `close()` are coroutines, `create_stream(...)` an async generator. */
const AUTOGEN_MODEL_CLIENTS = ['OpenAIChatCompletionClient', 'AzureOpenAIChatCompletionClient'].map((c) => `autogen_ext.models.openai.${c}`);

export const AWAITABLE_METHODS: Readonly<Record<string, ReadonlySet<string>>> = {
  // aiobotocore's (and aioboto3's) clients: `async with session.client("s3") as s3`, `session.create_client(...)`.
  'aiobotocore.client.AioBaseClient': new EveryMethodBut(new Set(['get_paginator', 'get_waiter', 'can_paginate'])),
  // kubernetes_asyncio's API classes (`client.CoreV1Api(api)`): each API call is a coroutine.
  'kubernetes_asyncio.client.Api': new KubeApiCalls(),
  // Azure's async clients (`get_blob_client(...)`, `get_container_client(...)` are local).
  'azure.storage.blob.aio.BlobServiceClient': set(
    'create_container', 'delete_container', 'get_service_properties', 'set_service_properties', 'get_service_stats', 'get_account_information',
    'get_user_delegation_key', 'undelete_container', 'close',
  ),
  'azure.storage.blob.aio.ContainerClient': set(
    'create_container', 'delete_container', 'exists', 'get_container_properties', 'set_container_metadata', 'upload_blob', 'download_blob',
    'delete_blob', 'delete_blobs', 'set_container_access_policy', 'get_container_access_policy', 'acquire_lease', 'close',
  ),
  'azure.storage.blob.aio.BlobClient': set(
    'upload_blob', 'download_blob', 'delete_blob', 'exists', 'get_blob_properties', 'set_blob_metadata', 'set_http_headers', 'start_copy_from_url',
    'abort_copy', 'create_snapshot', 'stage_block', 'commit_block_list', 'get_block_list', 'set_blob_tags', 'get_blob_tags', 'undelete_blob',
    'acquire_lease', 'set_standard_blob_tier', 'upload_blob_from_url', 'close',
  ),
  'azure.storage.blob.aio.StorageStreamDownloader': set('readall', 'readinto', 'content_as_bytes', 'content_as_text'),
  'azure.keyvault.secrets.aio.SecretClient': set('get_secret', 'set_secret', 'update_secret_properties', 'delete_secret', 'purge_deleted_secret', 'recover_deleted_secret', 'backup_secret', 'restore_secret_backup', 'close'),
  'azure.cosmos.aio.ContainerProxy': set('read_item', 'create_item', 'upsert_item', 'replace_item', 'delete_item', 'patch_item', 'read', 'delete_all_items_by_partition_key'),
  'azure.cosmos.aio.DatabaseProxy': set('create_container', 'create_container_if_not_exists', 'delete_container', 'read', 'replace_container'),
  'azure.servicebus.aio.ServiceBusSender': set('send_messages', 'schedule_messages', 'cancel_scheduled_messages', 'create_message_batch', 'close'),
  'azure.servicebus.aio.ServiceBusReceiver': set(
    'receive_messages', 'peek_messages', 'complete_message', 'abandon_message', 'defer_message', 'dead_letter_message', 'renew_message_lock',
    'receive_deferred_messages', 'close',
  ),
  // aiodocker: the client's collections (`docker.containers.run(...)`) and the containers they give.
  // Not `containers.container(id)` (a local handle), nor `log(follow=True)`/`stats()`, which may give async iterators.
  'aiodocker.Docker': set('close', 'version', 'auth'),
  'aiodocker.containers.DockerContainers': set('list', 'create', 'run', 'get', 'create_or_replace'),
  'aiodocker.containers.DockerContainer': set(
    'start', 'stop', 'restart', 'kill', 'delete', 'wait', 'show', 'exec', 'pause', 'unpause', 'rename', 'commit', 'port', 'put_archive', 'get_archive',
  ),
  'aiodocker.images.DockerImages': set('list', 'inspect', 'get', 'pull', 'push', 'tag', 'delete', 'build', 'export_image', 'import_image'),
  'aiodocker.volumes.DockerVolumes': set('list', 'create', 'get'),
  'aiodocker.networks.DockerNetworks': set('list', 'create', 'get'),
  'aiodocker.system.DockerSystem': set('info'),
  // google-cloud-firestore's async client: references and queries are built locally, their reads and writes awaited.
  'google.cloud.firestore.AsyncDocumentReference': set('get', 'set', 'update', 'delete', 'create'),
  'google.cloud.firestore.AsyncCollectionReference': set('add', 'get'),
  'google.cloud.firestore.AsyncQuery': set('get'),
  // asyncio
  'asyncio.Queue': set('put', 'get', 'join'),
  'asyncio.PriorityQueue': set('put', 'get', 'join'),
  'asyncio.LifoQueue': set('put', 'get', 'join'),
  'asyncio.Lock': set('acquire'),
  // Terminal UIs: their blocking entry points (`run()`, `prompt()`) have these coroutine twins.
  'textual.app.App': set('run_async'),
  // Textual's test driver: `async with app.run_test() as pilot`, then `await pilot.press("q")`.
  'textual.pilot.Pilot': set(
    'press', 'click', 'double_click', 'triple_click', 'hover', 'mouse_down', 'mouse_up', 'pause',
    'wait_for_animation', 'wait_for_scheduled_animations', 'exit', 'resize_terminal',
  ),
  // Kivy's asyncio entry point (`await app.async_run(async_lib="asyncio")`), the twin of `run()`.
  'kivy.app.App': set('async_run'),
  'prompt_toolkit.application.Application': set('run_async'),
  'prompt_toolkit.PromptSession': set('prompt_async'),
  'trio.Nursery': set('start'),
  // trio's and anyio's synchronisation primitives.
  'trio.Event': set('wait'),
  'trio.Lock': set('acquire'),
  'trio.StrictFIFOLock': set('acquire'),
  'trio.Semaphore': set('acquire'),
  'trio.CapacityLimiter': set('acquire', 'acquire_on_behalf_of'),
  'trio.Condition': set('acquire', 'wait'),
  'anyio.Event': set('wait'),
  'anyio.Lock': set('acquire'),
  'anyio.Semaphore': set('acquire'),
  'anyio.CapacityLimiter': set('acquire', 'acquire_on_behalf_of'),
  'anyio.Condition': set('acquire', 'wait'),
  'anyio.abc.TaskGroup': set('start'),
  // trio's memory channels and anyio's memory object streams (`send, receive = trio.open_memory_channel(0)`),
  // and the stream interfaces code is annotated with: `send()` without await sends nothing.
  'trio.MemorySendChannel': set('send', 'aclose'),
  'trio.MemoryReceiveChannel': set('receive', 'aclose'),
  'trio.abc.SendChannel': set('send', 'aclose'),
  'trio.abc.ReceiveChannel': set('receive', 'aclose'),
  'trio.abc.Stream': set('send_all', 'receive_some', 'wait_send_all_might_not_block', 'aclose'),
  'trio.abc.HalfCloseableStream': set('send_all', 'receive_some', 'wait_send_all_might_not_block', 'send_eof', 'aclose'),
  'trio.abc.SendStream': set('send_all', 'wait_send_all_might_not_block', 'aclose'),
  'trio.abc.ReceiveStream': set('receive_some', 'aclose'),
  'anyio.streams.memory.MemoryObjectSendStream': set('send', 'aclose'),
  'anyio.streams.memory.MemoryObjectReceiveStream': set('receive', 'aclose'),
  'anyio.abc.ObjectStream': set('send', 'receive', 'send_eof', 'aclose'),
  'anyio.abc.ByteStream': set('send', 'receive', 'send_eof', 'aclose'),
  'anyio.abc.ObjectSendStream': set('send', 'aclose'),
  'anyio.abc.ObjectReceiveStream': set('receive', 'aclose'),
  'anyio.abc.ByteSendStream': set('send', 'aclose'),
  'anyio.abc.ByteReceiveStream': set('receive', 'aclose'),
  'anyio.streams.buffered.BufferedByteReceiveStream': set('receive', 'receive_exactly', 'receive_until', 'aclose'),
  'asyncio.Semaphore': set('acquire'),
  'asyncio.BoundedSemaphore': set('acquire'),
  'asyncio.Event': set('wait'),
  'asyncio.Condition': set('acquire', 'wait', 'wait_for'),
  'asyncio.Barrier': set('wait', 'reset', 'abort'),
  'asyncio.StreamReader': set('read', 'readline', 'readexactly', 'readuntil'),
  'asyncio.StreamWriter': set('drain', 'wait_closed', 'start_tls'),
  'asyncio.subprocess.Process': set('wait', 'communicate'),
  'asyncio.Server': set('serve_forever', 'start_serving', 'wait_closed'),
  'asyncio.AbstractEventLoop': set(
    'run_in_executor', 'sock_recv', 'sock_recv_into', 'sock_recvfrom', 'sock_recvfrom_into', 'sock_sendall', 'sock_sendto',
    'sock_connect', 'sock_accept', 'sock_sendfile', 'getaddrinfo', 'getnameinfo', 'create_connection', 'create_server',
    'create_unix_connection', 'create_unix_server', 'create_datagram_endpoint', 'connect_read_pipe', 'connect_write_pipe',
    'subprocess_exec', 'subprocess_shell', 'sendfile', 'start_tls', 'shutdown_asyncgens', 'shutdown_default_executor',
  ),
  // aiohttp
  'aiohttp.ClientSession': set(HTTP_VERBS, 'ws_connect', 'close'),
  'aiohttp.ClientResponse': set('text', 'json', 'read'),
  // The test client of pytest-aiohttp's `aiohttp_client` and `AioHTTPTestCase.client`: a ClientSession
  // bound to a test server.
  'aiohttp.test_utils.TestClient': set(HTTP_VERBS, 'ws_connect', 'close', 'start_server'),
  'aiohttp.StreamReader': set('read', 'readline', 'readany', 'readexactly', 'readchunk', 'readuntil'),
  'aiohttp.ClientWebSocketResponse': set('send_str', 'send_bytes', 'send_json', 'receive', 'receive_str', 'receive_bytes', 'receive_json', 'ping', 'pong', 'close'),
  'aiohttp.web.WebSocketResponse': set('prepare', 'send_str', 'send_bytes', 'send_json', 'receive', 'receive_str', 'receive_bytes', 'receive_json', 'ping', 'pong', 'close'),
  'aiohttp.web.Request': set('json', 'text', 'read', 'post', 'multipart'),
  'aiohttp.web.StreamResponse': set('prepare', 'write', 'write_eof'),
  // `reader = await request.multipart()`: the parts of a multipart body, read asynchronously.
  'aiohttp.MultipartReader': set('next', 'release'),
  'aiohttp.BodyPartReader': set('read', 'read_chunk', 'readline', 'release', 'text', 'json', 'form'),
  'aiohttp.web.Application': set('startup', 'shutdown', 'cleanup'),
  'aiohttp.web.AppRunner': set('setup', 'cleanup'),
  'aiohttp.web.TCPSite': set('start', 'stop'),
  // httpx (`stream()` is an async context manager, not an awaitable)
  'httpx.AsyncClient': set(HTTP_VERBS, 'send', 'aclose'),
  'httpx.Response': set('aread', 'aclose'),
  // files and paths
  'aiofiles.threadpool.AsyncFile': set(FILE_METHODS, 'close'),
  'anyio.AsyncFile': set(FILE_METHODS, 'aclose'),
  'anyio.Path': set(ASYNC_PATH_METHODS),
  'trio.Path': set(ASYNC_PATH_METHODS),
  // websockets (asyncio implementation)
  [WEBSOCKET]: set('send', 'recv', 'close', 'wait_closed', 'ping', 'pong'),
  // databases
  'asyncpg.Connection': set(
    'execute', 'executemany', 'fetch', 'fetchrow', 'fetchval', 'prepare', 'close', 'copy_from_table',
    'copy_to_table', 'copy_records_to_table', 'set_type_codec', 'reload_schema_state', 'add_listener', 'remove_listener',
  ),
  'asyncpg.Pool': set('execute', 'executemany', 'fetch', 'fetchrow', 'fetchval', 'acquire', 'release', 'close', 'expire_connections'),
  'asyncpg.transaction.Transaction': set('start', 'commit', 'rollback'),
  'aiosqlite.Connection': set('execute', 'executemany', 'executescript', 'execute_fetchall', 'execute_insert', 'commit', 'rollback', 'close', 'cursor', 'backup', 'create_function'),
  'aiosmtplib.SMTP': set(
    'connect', 'send_message', 'sendmail', 'quit', 'login', 'starttls', 'ehlo', 'helo', 'noop', 'rset', 'vrfy', 'expn',
    'mail', 'rcpt', 'data', 'auth_plain', 'auth_login', 'auth_crammd5', 'execute_command',
  ),
  'aiosqlite.Cursor': set('execute', 'executemany', 'executescript', 'fetchone', 'fetchall', 'fetchmany', 'close'),
  'aiomysql.Connection': set('cursor', 'commit', 'rollback', 'begin', 'ping', 'select_db', 'ensure_closed'),
  'aiomysql.Cursor': set('execute', 'executemany', 'fetchone', 'fetchall', 'fetchmany', 'callproc', 'close'),
  'aiomysql.Pool': set('acquire', 'clear', 'wait_closed'),
  'psycopg.AsyncConnection': set('execute', 'commit', 'rollback', 'close'),
  'psycopg.AsyncCursor': set('execute', 'executemany', 'fetchone', 'fetchall', 'fetchmany', 'close', 'scroll'),
  'psycopg_pool.AsyncConnectionPool': set('open', 'close', 'wait', 'getconn', 'putconn', 'check', 'resize'),
  'sqlalchemy.ext.asyncio.AsyncSession': set(SQLA_SESSION),
  'sqlmodel.ext.asyncio.session.AsyncSession': set(SQLA_SESSION, 'exec'),
  // `Session = async_scoped_session(factory, scopefunc=asyncio.current_task)`: proxies the task's session, and `remove()` closes it.
  'sqlalchemy.ext.asyncio.async_scoped_session': set(SQLA_SESSION, 'remove'),
  // encode/databases: `database = Database(url)`, its queries and its connection (`transaction()` is also a context manager).
  'databases.Database': set('connect', 'disconnect', 'execute', 'execute_many', 'fetch_all', 'fetch_one', 'fetch_val'),
  // A session factory held as a value (`session_factory: async_sessionmaker[AsyncSession]`): calling it makes a session
  // (FACTORY_INSTANCE_RESULTS); `begin()` is a context manager, not an awaitable.
  'sqlalchemy.ext.asyncio.async_sessionmaker': set(),
  'sqlalchemy.ext.asyncio.AsyncEngine': set('dispose', 'connect', 'begin'),
  'sqlalchemy.ext.asyncio.AsyncConnection': set(
    'execute', 'scalar', 'scalars', 'commit', 'rollback', 'close', 'run_sync', 'stream', 'stream_scalars', 'exec_driver_sql',
    'invalidate', 'get_raw_connection', 'start',
  ),
  'redis.asyncio.Redis': set(REDIS_COMMANDS),
  'redis.asyncio.client.Pipeline': set('execute', 'watch'),
  'redis.asyncio.client.PubSub': set('subscribe', 'unsubscribe', 'psubscribe', 'punsubscribe', 'get_message', 'aclose'),
  'redis.asyncio.lock.Lock': set('acquire', 'release', 'extend', 'reacquire'),
  'motor.motor_asyncio.AsyncIOMotorClient': set('server_info', 'list_database_names', 'drop_database', 'start_session'),
  // PyMongo's own asyncio client: its databases and collections are motor's shape, but its close() is a coroutine.
  'pymongo.AsyncMongoClient': set('server_info', 'list_database_names', 'drop_database', 'start_session', 'close', 'aclose', 'aconnect'),
  'motor.motor_asyncio.AsyncIOMotorDatabase': set('command', 'list_collection_names', 'drop_collection', 'create_collection', 'validate_collection'),
  'motor.motor_asyncio.AsyncIOMotorCollection': set(
    'find_one', 'insert_one', 'insert_many', 'update_one', 'update_many', 'replace_one', 'delete_one', 'delete_many',
    'count_documents', 'estimated_document_count', 'create_index', 'create_indexes', 'drop_index', 'drop', 'find_one_and_update',
    'find_one_and_delete', 'find_one_and_replace', 'bulk_write', 'distinct', 'index_information',
  ),
  'motor.motor_asyncio.AsyncIOMotorCursor': set('to_list'),
  'django.db.models.Model': set(asyncTwins(DJANGO_INSTANCE_QUERIES)),
  'django.db.models.Manager': set(asyncTwins(DJANGO_QUERIES)),
  'tortoise.models.Model': set('save', 'delete', 'fetch_related', 'refresh_from_db', 'create', 'get', 'get_or_none', 'get_or_create', 'update_or_create', 'bulk_create', 'bulk_update'),
  'beanie.Document': set('insert', 'save', 'delete', 'replace', 'save_changes', 'get', 'insert_one', 'insert_many', 'find_one', 'set', 'inc', 'delete_all', 'fetch_link', 'fetch_all_links'),
  'beanie.odm.queries.find.FindMany': set('to_list', 'count', 'first_or_none', 'delete', 'update'),
  'tortoise.queryset.QuerySet': set('delete', 'update', 'count', 'exists', 'first', 'get', 'get_or_none'),
  // brokers and RPC
  'aiokafka.AIOKafkaProducer': set('start', 'stop', 'send', 'send_and_wait', 'flush', 'send_batch'),
  'aiokafka.AIOKafkaConsumer': set(
    'start', 'stop', 'getone', 'getmany', 'commit', 'committed', 'position', 'seek_to_beginning', 'seek_to_end',
    'seek_to_committed', 'end_offsets', 'beginning_offsets',
  ),
  'aio_pika.abc.AbstractConnection': set('channel', 'close'),
  'aio_pika.abc.AbstractChannel': set('declare_queue', 'declare_exchange', 'set_qos', 'close', 'get_exchange', 'get_queue', 'queue_delete', 'exchange_delete'),
  'aio_pika.abc.AbstractQueue': set('bind', 'unbind', 'consume', 'cancel', 'get', 'purge', 'delete'),
  'aio_pika.abc.AbstractExchange': set('publish', 'bind', 'unbind', 'delete'),
  'aio_pika.abc.AbstractIncomingMessage': set('ack', 'nack', 'reject'),
  'aio_pika.abc.AbstractQueueIterator': set('close'),
  'nats.aio.client.Client': set('connect', 'publish', 'subscribe', 'request', 'flush', 'drain', 'close'),
  'nats.js.JetStreamContext': set('publish', 'subscribe', 'pull_subscribe', 'key_value', 'create_key_value', 'object_store', 'add_stream', 'update_stream', 'delete_stream', 'stream_info'),
  'nats.aio.msg.Msg': set('respond', 'ack', 'nak', 'term', 'in_progress'),
  'nats.aio.subscription.Subscription': set('unsubscribe', 'next_msg', 'drain'),
  'nats.js.JetStreamContext.PullSubscription': set('fetch', 'unsubscribe', 'consumer_info'),
  'aiomqtt.Client': set('publish', 'subscribe', 'unsubscribe'),
  // FastStream's brokers (one class per transport, same API).
  'faststream.rabbit.RabbitBroker': set('publish', 'request', 'connect', 'start', 'close', 'stop', 'declare_queue', 'declare_exchange', 'ping'),
  // Temporal's client, workflow handles and worker (`get_workflow_handle(...)`, `list_workflows(...)` are plain calls).
  'temporalio.client.Client': set(
    'start_workflow', 'execute_workflow', 'count_workflows', 'create_schedule', 'start_update_with_start_workflow',
    'execute_update_with_start_workflow',
  ),
  'temporalio.client.WorkflowHandle': set('result', 'cancel', 'describe', 'query', 'signal', 'terminate', 'execute_update', 'start_update', 'fetch_history'),
  'temporalio.client.ScheduleHandle': set('backfill', 'delete', 'describe', 'pause', 'trigger', 'unpause', 'update'),
  'temporalio.client.AsyncActivityHandle': set('heartbeat', 'complete', 'fail', 'report_cancellation'),
  'temporalio.workflow.ChildWorkflowHandle': set('signal'),
  'temporalio.workflow.ExternalWorkflowHandle': set('signal', 'cancel'),
  'temporalio.worker.Worker': set('run', 'shutdown'),
  'temporalio.testing.WorkflowEnvironment': set('shutdown', 'sleep', 'get_current_time'),
  // arq's Redis client: redis.asyncio's commands and its job queue.
  'arq.connections.ArqRedis': set(REDIS_COMMANDS, 'enqueue_job', 'all_job_results', 'queued_jobs'),
  'arq.jobs.Job': set('result', 'status', 'info', 'result_info', 'abort'),
  // SAQ's queue (`Queue.from_url(url)`; `batch()` is an async context manager, not a coroutine).
  'saq.Queue': set(
    'connect', 'disconnect', 'enqueue', 'apply', 'map', 'job', 'abort', 'retry', 'finish', 'count', 'info', 'stats', 'sweep', 'schedule',
    'dequeue', 'listen', 'notify', 'update', 'version',
  ),
  // taskiq's brokers (started and stopped by coroutines; `kick()` sends a message).
  'taskiq.AsyncBroker': set('startup', 'shutdown', 'kick'),
  // APScheduler 4's asynchronous scheduler (3.x's AsyncIOScheduler is synchronous to drive).
  'apscheduler.AsyncScheduler': set(
    'add_schedule', 'add_job', 'get_job_result', 'run_job', 'remove_schedule', 'get_schedule', 'get_schedules', 'pause_schedule',
    'unpause_schedule', 'configure_task', 'get_jobs', 'get_tasks', 'start_in_background', 'stop', 'wait_until_stopped',
    'run_until_stopped', 'cleanup',
  ),
  'grpc.aio.Server': set('start', 'stop', 'wait_for_termination'),
  'grpc.aio.Channel': set('close', 'channel_ready'),
  'grpc.aio.ServicerContext': set('abort', 'send_initial_metadata', 'read', 'write'),
  // The call object a generated stub's method gives over a grpc.aio channel (`call = stub.BulkAdjust()`):
  // streaming calls are written to and read from by coroutines; `cancel()`, `done()` and friends are plain.
  'grpc.aio.Call': set('write', 'done_writing', 'read', 'code', 'details', 'initial_metadata', 'trailing_metadata', 'wait_for_connection'),
  'asyncssh.SSHClientConnection': set('run', 'create_process', 'create_session', 'start_sftp_client', 'open_session', 'create_connection', 'forward_local_port', 'forward_remote_port', 'wait_closed'),
  'asyncssh.SFTPClient': set('get', 'put', 'mget', 'mput', 'copy', 'listdir', 'readdir', 'remove', 'rename', 'mkdir', 'makedirs', 'rmdir', 'rmtree', 'stat', 'exists', 'isdir', 'isfile', 'open', 'realpath', 'chdir', 'getcwd', 'glob', 'wait_closed'),
  // web frameworks
  'fastapi.WebSocket': set('accept', 'receive', 'receive_text', 'receive_bytes', 'receive_json', 'send', 'send_text', 'send_bytes', 'send_json', 'close'),
  'fastapi.Request': set('json', 'body', 'form', 'is_disconnected'),
  'fastapi.UploadFile': set('read', 'write', 'seek', 'close'),
  // fastapi-mail's sender: `await fm.send_message(message)`.
  'fastapi_mail.FastMail': set('send_message'),
  // authlib's Starlette client apps (`oauth.github` after `oauth.register(name="github", ...)`, `oauth.create_client("github")`).
  'authlib.integrations.starlette_client.StarletteOAuth2App': set(
    'authorize_redirect', 'authorize_access_token', 'fetch_access_token', 'create_authorization_url', 'userinfo', 'parse_id_token',
    'load_server_metadata', 'fetch_jwk_set', 'get', 'post', 'put', 'patch', 'delete', 'request',
  ),
  // httpx-oauth's clients (GitHubOAuth2, GoogleOAuth2, OpenID, ...): every call is a request to the provider.
  'httpx_oauth.oauth2.BaseOAuth2': set('get_authorization_url', 'get_access_token', 'refresh_token', 'revoke_token', 'get_id_email', 'get_profile'),
  // Litestar's connections (`iter_json()` and the like are async iterators, not coroutines).
  'litestar.WebSocket': set(
    'accept', 'close', 'receive_data', 'receive_text', 'receive_bytes', 'receive_json', 'receive_msgpack',
    'send_data', 'send_text', 'send_bytes', 'send_json', 'send_msgpack',
  ),
  'litestar.Request': set('json', 'body', 'form', 'msgpack', 'send_push_promise'),
  // Sanic's websocket (`request.json` is a plain property there).
  'sanic.Websocket': set('send', 'recv', 'ping', 'pong', 'close'),
  // Sanic's request (`respond()` starts a streamed response, `receive_body()` reads a streamed body), its
  // streamed body (`request.stream.read()`), the application (`dispatch()` runs a signal's handlers, as do
  // `event()` and `cancel_task()`; `add_task()` is plain) and the response `respond()` gives (`send()`, `eof()`).
  'sanic.Request': set('respond', 'receive_body'),
  'sanic.http.Http': set('read'),
  'sanic.Sanic': set('dispatch', 'event', 'cancel_task', 'create_server'),
  'sanic.HTTPResponse': set('send', 'eof'),
  'channels.generic.websocket.AsyncWebsocketConsumer': set('accept', 'send', 'close'),
  'channels.generic.websocket.AsyncJsonWebsocketConsumer': set('accept', 'send', 'send_json', 'close'),
  'channels.generic.http.AsyncHttpConsumer': set('send_response', 'send_headers', 'send_body'),
  'channels.consumer.AsyncConsumer': set('send'),
  'channels.layers.BaseChannelLayer': set('group_send', 'group_add', 'group_discard', 'send', 'receive', 'new_channel', 'flush'),
  // Channels' and asgiref's test communicators (`await communicator.connect()`), Django's async test client
  // (`await self.async_client.get(...)`), and a signal's async dispatch (`await order_placed.asend(...)`).
  'channels.testing.WebsocketCommunicator': set(
    'connect', 'disconnect', 'send_to', 'send_json_to', 'receive_from', 'receive_json_from', 'receive_nothing', 'send_input', 'receive_output', 'wait',
  ),
  'channels.testing.HttpCommunicator': set('get_response', 'send_input', 'receive_output', 'receive_nothing', 'wait'),
  'channels.testing.ApplicationCommunicator': set('send_input', 'receive_output', 'receive_nothing', 'wait'),
  'django.test.AsyncClient': set('get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'trace', 'generic', 'request', 'alogin', 'aforce_login', 'alogout'),
  'django.dispatch.Signal': set('asend', 'asend_robust'),
  // browser automation (the async API; playwright.sync_api is synchronous)
  'playwright.async_api.Playwright': set('stop'),
  'playwright.async_api.PlaywrightContextManager': set('start'),
  'playwright.async_api.BrowserType': set('launch', 'launch_persistent_context', 'connect', 'connect_over_cdp'),
  'playwright.async_api.Browser': set('new_page', 'new_context', 'close'),
  'playwright.async_api.BrowserContext': set(
    'new_page', 'close', 'add_cookies', 'cookies', 'clear_cookies', 'storage_state', 'add_init_script', 'grant_permissions',
    'clear_permissions', 'route', 'unroute', 'set_extra_http_headers', 'set_geolocation', 'set_offline', 'expose_function',
    'expose_binding', 'wait_for_event',
  ),
  'playwright.async_api.Page': set(
    PAGE_ACTIONS, 'goto', 'reload', 'go_back', 'go_forward', 'wait_for_selector', 'wait_for_timeout', 'wait_for_load_state',
    'wait_for_url', 'wait_for_function', 'wait_for_event', 'pdf', 'content', 'title', 'evaluate_handle', 'close', 'set_content',
    'set_viewport_size', 'set_extra_http_headers', 'query_selector', 'query_selector_all', 'drag_and_drop', 'add_script_tag',
    'add_style_tag', 'add_init_script', 'route', 'unroute', 'expose_function', 'bring_to_front', 'emulate_media',
    'eval_on_selector', 'eval_on_selector_all',
  ),
  'playwright.async_api.Locator': set(
    PAGE_ACTIONS, 'press_sequentially', 'wait_for', 'count', 'all', 'all_text_contents', 'all_inner_texts', 'evaluate_all',
    'scroll_into_view_if_needed', 'clear', 'blur', 'bounding_box', 'drag_to', 'highlight', 'select_text', 'element_handle',
    'element_handles',
  ),
  'playwright.async_api.FrameLocator': set(),
  'playwright.async_api.Keyboard': set('down', 'up', 'press', 'type', 'insert_text'),
  'playwright.async_api.Mouse': set('click', 'dblclick', 'down', 'up', 'move', 'wheel'),
  'playwright.async_api.LocatorAssertions': set(PW_ASSERTIONS, PW_ASSERTIONS.map((m) => `not_${m}`)),
  // chat bots
  'discord.Client': set(
    'login', 'connect', 'start', 'close', 'change_presence', 'fetch_user', 'fetch_channel', 'fetch_guild', 'wait_for',
    'wait_until_ready', 'fetch_invite', 'fetch_webhook', 'create_guild', 'application_info', 'fetch_sticker', 'delete_invite',
  ),
  'discord.ext.commands.Bot': set(
    'login', 'connect', 'start', 'close', 'change_presence', 'fetch_user', 'fetch_channel', 'fetch_guild', 'wait_for',
    'wait_until_ready', 'fetch_invite', 'fetch_webhook', 'create_guild', 'application_info', 'add_cog', 'remove_cog',
    'load_extension', 'unload_extension', 'reload_extension', 'process_commands', 'get_context', 'invoke', 'is_owner', 'get_prefix',
  ),
  'discord.app_commands.CommandTree': set('sync', 'fetch_commands', 'fetch_command'),
  'discord.TextChannel': set(
    DISCORD_MESSAGEABLE, 'purge', 'delete', 'edit', 'set_permissions', 'create_thread', 'create_webhook', 'webhooks',
    'create_invite', 'delete_messages', 'clone', 'move',
  ),
  'discord.Message': set('reply', 'add_reaction', 'remove_reaction', 'clear_reaction', 'clear_reactions', 'delete', 'edit', 'pin', 'unpin', 'publish', 'create_thread', 'fetch'),
  'discord.Member': set(DISCORD_MESSAGEABLE, 'create_dm', 'add_roles', 'remove_roles', 'ban', 'kick', 'edit', 'timeout', 'move_to'),
  'discord.User': set(DISCORD_MESSAGEABLE, 'create_dm'),
  'discord.Guild': set(
    'fetch_member', 'fetch_channel', 'fetch_channels', 'fetch_roles', 'fetch_ban', 'ban', 'unban', 'kick', 'leave', 'delete',
    'edit', 'create_text_channel', 'create_voice_channel', 'create_category', 'create_role', 'chunk', 'query_members',
    'fetch_emoji', 'create_custom_emoji', 'prune_members', 'invites', 'webhooks',
  ),
  'discord.ext.commands.Context': set(DISCORD_MESSAGEABLE, 'reply', 'defer', 'send_help', 'invoke', 'reinvoke'),
  'discord.Interaction': set('original_response', 'edit_original_response', 'delete_original_response'),
  'discord.InteractionResponse': set('send_message', 'defer', 'edit_message', 'send_modal', 'pong', 'autocomplete'),
  'discord.Webhook': set('send', 'edit_message', 'delete_message', 'fetch_message', 'delete', 'edit', 'fetch'),
  'discord.Role': set('delete', 'edit'),
  'discord.VoiceClient': set('disconnect', 'move_to'),
  'discord.Reaction': set('remove', 'clear'),
  'aiogram.Bot': set(
    TG_SENDS, 'delete_message', 'delete_messages', 'edit_message_text', 'edit_message_caption', 'edit_message_reply_markup',
    'edit_message_media', 'forward_message', 'copy_message', 'answer_callback_query', 'answer_inline_query', 'get_me', 'get_chat',
    'get_chat_member', 'get_chat_administrators', 'get_file', 'download_file', 'download', 'ban_chat_member', 'unban_chat_member',
    'restrict_chat_member', 'promote_chat_member', 'set_my_commands', 'delete_my_commands', 'set_webhook', 'delete_webhook',
    'get_updates', 'get_webhook_info', 'pin_chat_message', 'unpin_chat_message', 'leave_chat', 'set_chat_title', 'close',
    'log_out', 'create_chat_invite_link', 'set_message_reaction', 'approve_chat_join_request', 'decline_chat_join_request',
    'send_invoice', 'get_user_profile_photos',
  ),
  'aiogram.types.Message': set(
    'answer', 'reply', 'delete', 'edit_text', 'edit_caption', 'edit_reply_markup', 'edit_media', 'delete_reply_markup', 'forward',
    'copy_to', 'send_copy', 'pin', 'unpin', 'react', 'answer_photo', 'answer_document', 'answer_video', 'answer_audio',
    'answer_voice', 'answer_sticker', 'answer_animation', 'answer_location', 'answer_contact', 'answer_poll', 'answer_dice',
    'answer_media_group', 'reply_photo', 'reply_document', 'reply_video', 'edit_live_location', 'stop_live_location',
  ),
  'aiogram.types.CallbackQuery': set('answer'),
  'aiogram.types.InlineQuery': set('answer'),
  'aiogram.fsm.context.FSMContext': set('set_state', 'get_state', 'set_data', 'get_data', 'update_data', 'clear', 'get_value'),
  'aiogram.dispatcher.FSMContext': set('set_state', 'get_state', 'set_data', 'get_data', 'update_data', 'reset_state', 'finish', 'reset_data'),
  'aiogram.Dispatcher': set('start_polling', 'stop_polling', 'feed_update', 'feed_raw_update', 'feed_webhook_update'),
  'aiogram.client.session.base.BaseSession': set('close'),
  'telegram.Bot': set(
    TG_SENDS, 'delete_message', 'edit_message_text', 'edit_message_reply_markup', 'forward_message', 'copy_message',
    'answer_callback_query', 'answer_inline_query', 'get_me', 'get_chat', 'get_chat_member', 'get_file', 'set_webhook',
    'delete_webhook', 'get_updates', 'set_my_commands', 'ban_chat_member', 'pin_chat_message', 'leave_chat', 'initialize', 'shutdown',
  ),
  'telegram.Message': set(
    'reply_text', 'reply_html', 'reply_markdown', 'reply_markdown_v2', 'reply_photo', 'reply_document', 'reply_video',
    'reply_audio', 'reply_voice', 'reply_sticker', 'reply_animation', 'reply_location', 'reply_contact', 'reply_poll', 'reply_dice',
    'reply_media_group', 'reply_chat_action', 'reply_copy', 'delete', 'edit_text', 'edit_caption', 'edit_reply_markup',
    'edit_media', 'forward', 'copy', 'pin', 'unpin', 'set_reaction',
  ),
  'telegram.Chat': set('send_message', 'send_photo', 'send_document', 'send_action', 'leave', 'get_administrators', 'get_member', 'ban_member', 'unban_member', 'pin_message', 'unpin_message'),
  'telegram.User': set('send_message', 'send_photo', 'send_document'),
  'telegram.CallbackQuery': set('answer', 'edit_message_text', 'edit_message_reply_markup', 'edit_message_caption', 'delete_message'),
  'telegram.InlineQuery': set('answer'),
  // A message's media (`await update.message.photo[-1].get_file()`, `message.document.get_file()`).
  ...Object.fromEntries(['PhotoSize', 'Document', 'Audio', 'Video', 'Voice', 'VideoNote', 'Animation', 'Sticker'].map((c) => [`telegram.${c}`, set('get_file')])),
  'telegram.File': set('download_to_drive', 'download_as_bytearray', 'download_to_memory'),
  'telegram.ext.Application': set('initialize', 'start', 'stop', 'shutdown', 'update_persistence', 'process_update'),
  'telegram.ext.Updater': set('initialize', 'start_polling', 'start_webhook', 'stop', 'shutdown'),
  'telethon.TelegramClient': set(
    'send_message', 'send_file', 'get_messages', 'get_entity', 'get_input_entity', 'get_me', 'get_dialogs', 'get_participants',
    'delete_messages', 'edit_message', 'forward_messages', 'download_media', 'download_profile_photo', 'connect', 'disconnect',
    'sign_in', 'send_code_request', 'log_out', 'is_user_authorized', 'upload_file', 'pin_message', 'send_read_acknowledge',
    'kick_participant', 'edit_permissions', 'get_permissions', 'catch_up',
  ),
  // Telethon's events and messages (`event.reply(...)` in a `@client.on(events.NewMessage)` handler).
  ...Object.fromEntries(
    ['telethon.events.NewMessage.Event', 'telethon.events.MessageEdited.Event', 'telethon.events.Album.Event', 'telethon.tl.custom.Message', 'telethon.tl.patched.Message'].map((c) => [
      c,
      set('reply', 'respond', 'edit', 'delete', 'forward_to', 'download_media', 'get_sender', 'get_chat', 'get_reply_message', 'get_input_sender', 'get_input_chat', 'mark_read', 'pin', 'unpin', 'click'),
    ]),
  ),
  'telethon.events.CallbackQuery.Event': set('answer', 'respond', 'reply', 'edit', 'delete', 'get_message', 'get_sender', 'get_chat'),
  'telethon.events.ChatAction.Event': set('respond', 'reply', 'delete', 'get_pinned_message', 'get_added_by', 'get_kicked_by', 'get_user', 'get_input_user', 'get_users', 'get_sender', 'get_chat'),
  'telethon.events.InlineQuery.Event': set('answer'),
  // Pyrogram (inside `async def` only: it runs its methods synchronously elsewhere).
  'pyrogram.Client': set(
    TG_SENDS, 'start', 'stop', 'restart', 'get_me', 'get_chat', 'get_users', 'get_messages', 'delete_messages', 'edit_message_text',
    'forward_messages', 'copy_message', 'download_media', 'answer_callback_query', 'get_chat_member', 'ban_chat_member', 'join_chat',
    'leave_chat', 'send_chat_action', 'read_chat_history',
  ),
  'pyrogram.types.Message': set(
    'reply', 'reply_text', 'reply_photo', 'reply_document', 'reply_video', 'reply_audio', 'reply_voice', 'reply_sticker', 'reply_animation',
    'edit', 'edit_text', 'edit_caption', 'edit_reply_markup', 'delete', 'forward', 'copy', 'download', 'pin', 'unpin', 'react', 'click', 'reply_chat_action',
  ),
  'pyrogram.types.CallbackQuery': set('answer', 'edit_message_text', 'edit_message_reply_markup', 'edit_message_caption'),
  // matrix-nio's asyncio client: every request method is a coroutine (`load_store()`, `add_event_callback()` are not).
  'nio.AsyncClient': set(
    'login', 'login_raw', 'logout', 'sync', 'sync_forever', 'close', 'room_send', 'room_typing', 'room_read_markers', 'room_redact',
    'room_create', 'room_invite', 'room_kick', 'room_ban', 'room_unban', 'room_leave', 'room_forget', 'join', 'joined_rooms',
    'joined_members', 'room_messages', 'room_get_state', 'room_get_state_event', 'room_put_state', 'room_get_event', 'upload', 'download',
    'thumbnail', 'get_displayname', 'set_displayname', 'get_avatar', 'set_avatar', 'get_profile', 'set_presence', 'to_device',
    'keys_upload', 'keys_query', 'keys_claim', 'whoami', 'update_receipt_marker', 'room_resolve_alias', 'share_group_session',
    'receive_response', 'run_response_callbacks', 'get_timeout_retry_wait_time',
  ),
  // TwitchIO 2: a command's context, channels and the bot's API calls.
  'twitchio.ext.commands.Context': set('send', 'reply'),
  'twitchio.Channel': set('send', 'whisper', 'user', 'fetch_bits_leaderboard', 'fetch_chatters'),
  'twitchio.ext.commands.Bot': set(
    'start', 'close', 'connect', 'handle_commands', 'get_context', 'wait_for', 'wait_for_ready', 'join_channels', 'part_channels',
    'fetch_users', 'fetch_streams', 'fetch_channel', 'fetch_channels', 'fetch_clips', 'fetch_games', 'fetch_videos', 'fetch_chatters_colors',
    'search_channels', 'search_categories', 'create_user',
  ),
  // Crypto exchanges and chains: ccxt's asyncio exchanges (`import ccxt.async_support as ccxt; ccxt.binance()`, and
  // ccxt.pro's streaming ones), python-binance's AsyncClient, solana-py's AsyncClient, web3.py's AsyncWeb3 and its
  // contract functions (`await contract.functions.balanceOf(owner).call()`). Their synchronous twins are not here.
  'ccxt.async_support.Exchange': new CcxtExchangeCalls(false),
  'ccxt.pro.Exchange': new CcxtExchangeCalls(true),
  'binance.AsyncClient': new BinanceAsyncCalls(),
  'solana.rpc.async_api.AsyncClient': new SolanaAsyncCalls(),
  'web3.AsyncWeb3': set('is_connected'),
  'web3.eth.AsyncEth': set(WEB3_ASYNC_ETH),
  'web3.contract.AsyncContractFunction': set('call', 'transact', 'estimate_gas', 'build_transaction'),
  // python-socketio's asyncio server, client and namespaces.
  'socketio.AsyncServer': set('emit', 'send', 'call', 'enter_room', 'leave_room', 'close_room', 'get_session', 'save_session', 'disconnect', 'shutdown', 'sleep', 'wait'),
  'socketio.AsyncClient': set('connect', 'emit', 'send', 'call', 'disconnect', 'wait', 'sleep', 'shutdown'),
  'socketio.AsyncNamespace': set('emit', 'send', 'call', 'enter_room', 'leave_room', 'close_room', 'get_session', 'save_session', 'disconnect'),
  'socketio.AsyncClientNamespace': set('emit', 'send', 'call', 'disconnect'),
  // slack_sdk's async Web API client.
  'slack_sdk.web.async_client.AsyncWebClient': set(...SLACK_WEB_METHODS),
  // contextlib's async exit stack.
  'contextlib.AsyncExitStack': set('enter_async_context', 'aclose', '__aenter__', '__aexit__'),
  // Home Assistant (its `async_` prefix marks event-loop functions, not coroutines: only these are)
  'homeassistant.core.HomeAssistant': set('async_add_executor_job', 'async_add_import_executor_job', 'async_block_till_done', 'async_stop', 'async_start'),
  'homeassistant.core.ServiceRegistry': set('async_call'),
  'homeassistant.config_entries.ConfigEntries': set(
    'async_forward_entry_setups', 'async_forward_entry_setup', 'async_unload_platforms', 'async_forward_entry_unload',
    'async_reload', 'async_setup', 'async_remove', 'async_unload',
  ),
  'homeassistant.helpers.update_coordinator.DataUpdateCoordinator': set('async_refresh', 'async_request_refresh', 'async_config_entry_first_refresh'),
  'homeassistant.helpers.update_coordinator.CoordinatorEntity': set('async_update', ...HA_ENTITY_COROUTINES),
  'homeassistant.helpers.entity.Entity': set(HA_ENTITY_COROUTINES),
  'homeassistant.config_entries.ConfigFlow': set('async_set_unique_id'),
  'homeassistant.config_entries.ConfigEntriesFlowManager': set('async_init', 'async_configure'),
  // Vector stores and search engines of RAG code.
  'qdrant_client.AsyncQdrantClient': set(
    'upsert', 'search', 'search_batch', 'query_points', 'query_batch_points', 'query', 'retrieve', 'delete', 'scroll', 'count',
    'create_collection', 'recreate_collection', 'delete_collection', 'get_collection', 'get_collections', 'collection_exists',
    'update_collection', 'set_payload', 'overwrite_payload', 'delete_payload', 'clear_payload', 'create_payload_index',
    'delete_vectors', 'update_vectors', 'recommend', 'discover', 'close',
  ),
  'elasticsearch.AsyncElasticsearch': set(
    'search', 'index', 'get', 'delete', 'update', 'bulk', 'count', 'exists', 'create', 'mget', 'msearch', 'update_by_query',
    'delete_by_query', 'scroll', 'clear_scroll', 'close', 'ping', 'info', 'knn_search',
  ),
  'elasticsearch.client.AsyncIndicesClient': set('create', 'delete', 'exists', 'refresh', 'put_mapping', 'get_mapping', 'get', 'put_settings', 'get_alias', 'put_alias', 'delete_alias'),
  // LLM SDKs: the async clients' resources (`client.chat.completions.create(...)`,
  // `client.messages.create(...)`, `client.aio.models.generate_content(...)`).
  'openai.AsyncOpenAI': set('close'),
  'openai.resources.AsyncAPIResource': set(LLM_RESOURCE_METHODS),
  // The SDKs' async streams: what `await ....create(..., stream=True)` gives (`close()` is a
  // coroutine), and the helper streams entered from `.stream(...)` (`async with
  // client.messages.stream(...) as stream:`), whose final-result methods wait for the end.
  'openai.AsyncStream': set('close'),
  'openai.lib.streaming.AsyncStreamHelper': set('close', 'until_done', 'get_final_completion', 'get_final_response', 'get_final_run', 'get_final_messages', 'get_final_run_steps'),
  'anthropic.AsyncStream': set('close'),
  'anthropic.lib.streaming.AsyncMessageStream': set('close', 'until_done', 'get_final_message', 'get_final_text'),
  'groq.AsyncStream': set('close'),
  'anthropic.AsyncAnthropic': set('close'),
  'anthropic.resources.AsyncAPIResource': set(LLM_RESOURCE_METHODS),
  'google.genai.resources.AsyncResource': set('generate_content', 'generate_content_stream', 'embed_content', 'count_tokens', 'compute_tokens', 'generate_images', 'get', 'delete', 'upload', 'download', 'send_message', 'send_message_stream'),
  // Groq's SDK has OpenAI's shape (`client.chat.completions.create(...)`); its `list()` is a coroutine too.
  'groq.AsyncGroq': set('close'),
  'groq.resources.AsyncAPIResource': set(LLM_RESOURCE_METHODS, 'list', 'info'),
  'litellm.Router': set(LITELLM_COROUTINES),
  // aiolimiter's leaky bucket: `await limiter.acquire()` (or `async with limiter:`) waits for capacity.
  'aiolimiter.AsyncLimiter': set('acquire'),
  // structlog's async logging methods (`await log.ainfo(...)`) run the processors in a thread: each is a coroutine.
  'structlog.stdlib.BoundLogger': set(...STRUCTLOG_ASYNC_METHODS),
  'structlog.typing.FilteringBoundLogger': set(...STRUCTLOG_ASYNC_METHODS),
  // aioprometheus' metrics endpoint: `await service.start(addr=..., port=...)` starts its aiohttp server, `await service.stop()` stops it.
  'aioprometheus.service.Service': set('start', 'stop'),
  // vLLM's async engine (`AsyncLLMEngine.from_engine_args(args)`): `abort(request_id)` and the health and config getters are
  // coroutines; `generate(...)` is an async generator (see ASYNC_GENERATOR_METHODS).
  'vllm.AsyncLLMEngine': set('abort', 'check_health', 'get_model_config'),
  // Ollama's AsyncClient (`await client.chat(...)`; with `stream=True` the awaited result is an async iterator).
  'ollama.AsyncClient': set('chat', 'generate', 'embed', 'embeddings', 'pull', 'push', 'create', 'delete', 'list', 'copy', 'show', 'ps'),
  // Hugging Face Hub's AsyncInferenceClient: every task method is a coroutine (with `stream=True` the awaited result is an async iterator).
  'huggingface_hub.AsyncInferenceClient': set(
    'text_generation', 'chat_completion', 'feature_extraction', 'text_classification', 'token_classification', 'zero_shot_classification',
    'summarization', 'translation', 'question_answering', 'fill_mask', 'sentence_similarity', 'text_to_image', 'text_to_speech',
    'automatic_speech_recognition', 'image_classification', 'image_segmentation', 'image_to_text', 'object_detection',
    'get_endpoint_info', 'health_check', 'close',
  ),
  // NVIDIA Triton's asyncio clients (`tritonclient.grpc.aio` / `tritonclient.http.aio`); grpc's `stream_infer` is an async iterator, not a coroutine.
  'tritonclient.grpc.aio.InferenceServerClient': set(...TRITON_AIO_METHODS),
  'tritonclient.http.aio.InferenceServerClient': set(...TRITON_AIO_METHODS),
  // Chroma's async client (`await chromadb.AsyncHttpClient(...)`) and its collections.
  'chromadb.api.AsyncClientAPI': set(
    'heartbeat', 'list_collections', 'count_collections', 'create_collection', 'get_collection', 'get_or_create_collection',
    'delete_collection', 'reset', 'get_version',
  ),
  'chromadb.api.models.AsyncCollection.AsyncCollection': set('add', 'get', 'query', 'upsert', 'update', 'delete', 'count', 'peek', 'modify'),
  // Devices: Bluetooth LE (bleak), Modbus (pymodbus 3's async clients; `close()` is synchronous since 3.1), mDNS (zeroconf).
  'bleak.BleakClient': set(
    'connect', 'disconnect', 'pair', 'unpair', 'read_gatt_char', 'write_gatt_char', 'read_gatt_descriptor', 'write_gatt_descriptor',
    'start_notify', 'stop_notify', 'get_services',
  ),
  'bleak.BleakScanner': set('start', 'stop', 'get_discovered_devices', BLEAK_SCANNER_CLASS_COROUTINES),
  'pymodbus.client.AsyncModbusTcpClient': set(
    'connect', 'execute', 'read_coils', 'read_discrete_inputs', 'read_holding_registers', 'read_input_registers', 'write_coil',
    'write_coils', 'write_register', 'write_registers', 'readwrite_registers', 'mask_write_register', 'read_exception_status',
    'read_device_information', 'report_device_id', 'read_fifo_queue', 'read_file_record', 'write_file_record',
  ),
  'zeroconf.asyncio.AsyncZeroconf': set(
    'async_close', 'async_register_service', 'async_unregister_service', 'async_update_service', 'async_unregister_all_services',
    'async_get_service_info', 'async_add_service_listener', 'async_remove_service_listener', 'async_remove_all_service_listeners',
  ),
  // The underlying Zeroconf: only these `async_` methods are coroutines (`async_notify_all`, `async_send`... are plain).
  'zeroconf.Zeroconf': set('async_register_service', 'async_unregister_service', 'async_update_service', 'async_unregister_all_services', 'async_wait_for_start', 'async_wait', 'async_check_service'),
  'zeroconf.asyncio.AsyncServiceBrowser': set('async_cancel'),
  'zeroconf.asyncio.AsyncServiceInfo': set('async_request'),
  // MCP (the official `mcp` SDK): a client session, a FastMCP tool's request Context and the server session behind it,
  // the low-level server's `run()` and FastMCP's async runners.
  'mcp.ClientSession': set(MCP_CLIENT_SESSION, 'send_discover', 'discover'),
  'mcp.server.fastmcp.Context': set(MCP_CONTEXT),
  'mcp.server.session.ServerSession': set(MCP_SERVER_SESSION, 'elicit_form', 'elicit_url', 'report_progress', 'send_elicit_complete'),
  // mcp 2.x: FastMCP became `MCPServer` (its Context notifies list changes itself), and `mcp.Client` wraps a session.
  'mcp.server.mcpserver.Context': set(
    MCP_CONTEXT, 'elicit_url', 'notify_tools_changed', 'notify_prompts_changed', 'notify_resources_changed', 'notify_resource_updated',
    'close_sse_stream', 'close_standalone_sse_stream',
  ),
  'mcp.server.mcpserver.MCPServer': set(
    'run_stdio_async', 'run_sse_async', 'run_streamable_http_async', 'list_tools', 'call_tool', 'list_resources', 'list_resource_templates',
    'read_resource', 'list_prompts', 'get_prompt',
  ),
  'mcp.Client': set(MCP_CLIENT_SESSION.filter((m) => m !== 'initialize' && m !== 'send_request' && m !== 'send_notification')),
  'mcp.server.lowlevel.Server': set('run'),
  // The SDK's group of sessions (`async with ClientSessionGroup() as group: await group.connect_to_server(params)`).
  'mcp.client.session_group.ClientSessionGroup': set('connect_to_server', 'connect_with_session', 'disconnect_from_server', 'call_tool'),
  // langchain-mcp-adapters: the tools, prompts and resources of several MCP servers, as LangChain objects.
  'langchain_mcp_adapters.client.MultiServerMCPClient': set('get_tools', 'get_prompt', 'get_resources'),
  'mcp.server.fastmcp.FastMCP': set(
    'run_stdio_async', 'run_sse_async', 'run_streamable_http_async', 'list_tools', 'call_tool', 'list_resources', 'list_resource_templates',
    'read_resource', 'list_prompts', 'get_prompt',
  ),
  // fastmcp 2.x: its Context also samples the client's model; its Client's requests; a server's composition and async runners.
  // (Its `set_state`/`get_state` are plain in 2.x and coroutines since 3.0: not judged.)
  'fastmcp.Context': set(
    MCP_CONTEXT, 'sample', 'list_roots', 'send_tool_list_changed', 'send_resource_list_changed', 'send_prompt_list_changed', 'list_resources',
    'list_prompts', 'get_prompt', 'send_notification', 'close_sse_stream', 'enable_components', 'disable_components', 'reset_visibility',
  ),
  'fastmcp.Client': set(
    MCP_CLIENT_SESSION.filter((m) => m !== 'initialize' && m !== 'send_request' && m !== 'send_notification'),
    ['list_tools', 'call_tool', 'list_resources', 'list_resource_templates', 'read_resource', 'list_prompts', 'get_prompt', 'complete'].map((m) => `${m}_mcp`),
    'ping', 'progress', 'cancel', 'close', 'initialize',
  ),
  'fastmcp.FastMCP': set(
    'import_server', 'get_tools', 'get_resources', 'get_resource_templates', 'get_prompts', 'run_async', 'run_stdio_async', 'run_http_async', 'run_sse_async',
    // The later releases' server-side API.
    'list_tools', 'get_tool', 'call_tool', 'list_resources', 'get_resource', 'read_resource', 'list_resource_templates', 'get_resource_template',
    'list_prompts', 'get_prompt', 'render_prompt',
  ),
  // The OpenAI Agents SDK's MCP servers (`await server.connect()`, `cleanup()`; `async with` does both).
  ...Object.fromEntries(
    ['MCPServerStdio', 'MCPServerSse', 'MCPServerStreamableHttp'].map((c) => [`agents.mcp.${c}`, set('connect', 'cleanup', 'list_tools', 'call_tool', 'list_prompts', 'get_prompt')]),
  ),
  // pydantic-ai: `await agent.run(...)` (`run_stream()` and `iter()` are async context managers, `run_sync()` runs a loop of its own).
  'pydantic_ai.Agent': set('run'),
  // LangGraph's checkpointers and stores, annotated or made (`checkpointer: BaseCheckpointSaver`, `store: BaseStore` given to a node):
  // their `a`-prefixed API is async (`alist()` and `asearch()`... `alist()` is an async generator).
  'langgraph.checkpoint.base.BaseCheckpointSaver': set(LANGGRAPH_SAVER),
  'langgraph.checkpoint.memory.InMemorySaver': set(LANGGRAPH_SAVER),
  'langgraph.store.base.BaseStore': set('aget', 'aput', 'adelete', 'asearch', 'alist_namespaces', 'abatch'),
  // LangGraph's async checkpointers (`async with AsyncPostgresSaver.from_conn_string(uri) as saver`): set-up and the `a`-prefixed API.
  ...Object.fromEntries(
    ['langgraph.checkpoint.postgres.aio.AsyncPostgresSaver', 'langgraph.checkpoint.sqlite.aio.AsyncSqliteSaver'].map((c) => [
      c,
      set('setup', LANGGRAPH_SAVER),
    ]),
  ),
  // AutoGen AgentChat (0.4+): agents, teams and model clients.
  ...Object.fromEntries(
    ['AssistantAgent', 'CodeExecutorAgent', 'UserProxyAgent', 'SocietyOfMindAgent'].map((c) => [`autogen_agentchat.agents.${c}`, set(AUTOGEN_RUNNABLE, 'on_messages', 'on_reset', 'close')]),
  ),
  ...Object.fromEntries(
    ['RoundRobinGroupChat', 'SelectorGroupChat', 'Swarm', 'MagenticOneGroupChat'].map((c) => [`autogen_agentchat.teams.${c}`, set(AUTOGEN_RUNNABLE, 'pause', 'resume')]),
  ),
  ...Object.fromEntries(AUTOGEN_MODEL_CLIENTS.map((c) => [c, set('create', 'close')])),
  // AutoGen's MCP workbench (`async with McpWorkbench(server_params) as workbench`).
  'autogen_ext.tools.mcp.McpWorkbench': set('list_tools', 'call_tool', 'start', 'stop', 'reset', 'save_state', 'load_state'),
  // CrewAI's crews (`kickoff()` runs the whole crew synchronously; these are its async twins).
  'crewai.Crew': set('kickoff_async', 'kickoff_for_each_async'),
  // A CrewAI Flow (a subclass of `Flow[State]`): `await flow.kickoff_async()` (its `kickoff()` runs asyncio.run).
  'crewai.flow.flow.Flow': set('kickoff_async'),
  // The LangGraph SDK's client of a deployed graph (`client = get_client(url=...)`): `await client.threads.create()`,
  // `await client.runs.wait(...)`; `runs.stream(...)` is an async iterator.
  'langgraph_sdk.client.LangGraphClient': set('aclose'),
  'langgraph_sdk.client.RunsClient': set('create', 'create_batch', 'wait', 'get', 'list', 'cancel', 'cancel_many', 'join', 'delete'),
  'langgraph_sdk.client.ThreadsClient': set('create', 'get', 'update', 'delete', 'search', 'count', 'copy', 'prune', 'get_state', 'update_state', 'get_history'),
  'langgraph_sdk.client.AssistantsClient': set('create', 'get', 'update', 'delete', 'search', 'count', 'get_graph', 'get_schemas', 'get_subgraphs', 'get_versions', 'set_latest'),
  'langgraph_sdk.client.CronClient': set('create', 'create_for_thread', 'delete', 'search', 'count', 'update'),
  'langgraph_sdk.client.StoreClient': set('put_item', 'get_item', 'delete_item', 'search_items', 'list_namespaces'),
  // The Agents SDK's streamed run (`Runner.run_streamed(...)`, given at once): its events are an async generator.
  'agents.result.RunResultStreaming': set(),
  // pydantic-ai's streamed run (`async with agent.run_stream(prompt) as result`): `await result.get_output()`.
  'pydantic_ai.result.StreamedRunResult': set('get_output', 'get_data', 'validate_structured_output'),
};

/** Other names of the classes above (re-exports, submodules, older releases): name → canonical name. */
const ALIASES: Readonly<Record<string, readonly string[]>> = {
  'prompt_toolkit.application.Application': ['prompt_toolkit.Application', 'prompt_toolkit.application.application.Application'],
  'prompt_toolkit.PromptSession': ['prompt_toolkit.shortcuts.PromptSession', 'prompt_toolkit.shortcuts.prompt.PromptSession'],
  'qdrant_client.AsyncQdrantClient': ['qdrant_client.async_qdrant_client.AsyncQdrantClient'],
  'channels.testing.WebsocketCommunicator': ['channels.testing.websocket.WebsocketCommunicator'],
  'channels.testing.HttpCommunicator': ['channels.testing.http.HttpCommunicator'],
  'channels.testing.ApplicationCommunicator': ['asgiref.testing.ApplicationCommunicator', 'channels.testing.application.ApplicationCommunicator'],
  'django.test.AsyncClient': ['django.test.client.AsyncClient'],
  'django.dispatch.Signal': ['django.dispatch.dispatcher.Signal'],
  'elasticsearch.AsyncElasticsearch': ['elasticsearch._async.client.AsyncElasticsearch'],
  'openai.AsyncOpenAI': ['openai.AsyncAzureOpenAI', 'openai.lib.azure.AsyncAzureOpenAI', 'openai._client.AsyncOpenAI'],
  'groq.AsyncGroq': ['groq.AsyncClient', 'groq._client.AsyncGroq'],
  'litellm.Router': ['litellm.router.Router'],
  'ollama.AsyncClient': ['ollama._client.AsyncClient'],
  'aioprometheus.service.Service': ['aioprometheus.Service'],
  // The V1 engine (`AsyncLLM`), which recent releases give under the old name too.
  'vllm.AsyncLLMEngine': ['vllm.engine.async_llm_engine.AsyncLLMEngine', 'vllm.v1.engine.async_llm.AsyncLLM'],
  'huggingface_hub.AsyncInferenceClient': ['huggingface_hub.inference._generated._async_client.AsyncInferenceClient'],
  'chromadb.api.AsyncClientAPI': ['chromadb.AsyncClientAPI'],
  'chromadb.api.models.AsyncCollection.AsyncCollection': ['chromadb.api.AsyncCollection'],
  'bleak.BleakClient': ['bleak_retry_connector.BleakClientWithServiceCache'],
  'pymodbus.client.AsyncModbusTcpClient': [
    'pymodbus.client.AsyncModbusSerialClient', 'pymodbus.client.AsyncModbusUdpClient', 'pymodbus.client.AsyncModbusTlsClient',
    'pymodbus.client.tcp.AsyncModbusTcpClient', 'pymodbus.client.serial.AsyncModbusSerialClient', 'pymodbus.client.udp.AsyncModbusUdpClient',
    'pymodbus.client.tls.AsyncModbusTlsClient',
  ],
  'zeroconf.Zeroconf': ['zeroconf._core.Zeroconf'],
  'anthropic.AsyncAnthropic': ['anthropic.AsyncAnthropicBedrock', 'anthropic.AsyncAnthropicVertex', 'anthropic._client.AsyncAnthropic', 'anthropic.AsyncClient'],
  'asyncio.Queue': ['asyncio.queues.Queue'],
  'asyncio.Lock': ['asyncio.locks.Lock'],
  'asyncio.Event': ['asyncio.locks.Event'],
  'asyncio.Semaphore': ['asyncio.locks.Semaphore'],
  'asyncio.Condition': ['asyncio.locks.Condition'],
  'asyncio.StreamReader': ['asyncio.streams.StreamReader'],
  'asyncio.StreamWriter': ['asyncio.streams.StreamWriter'],
  'asyncio.subprocess.Process': ['asyncio.Process'],
  'asyncio.Server': ['asyncio.base_events.Server', 'asyncio.AbstractServer', 'asyncio.events.AbstractServer'],
  'aiohttp.ClientSession': ['aiohttp.client.ClientSession'],
  'aiohttp.ClientResponse': ['aiohttp.client_reqrep.ClientResponse'],
  'aiohttp.StreamReader': ['aiohttp.streams.StreamReader'],
  'aiohttp.web.WebSocketResponse': ['aiohttp.web_ws.WebSocketResponse'],
  'aiohttp.web.Request': ['aiohttp.web.BaseRequest', 'aiohttp.web_request.Request', 'aiohttp.web_request.BaseRequest'],
  'aiohttp.web.StreamResponse': ['aiohttp.web.Response', 'aiohttp.web_response.StreamResponse', 'aiohttp.web_response.Response'],
  'aiohttp.web.Application': ['aiohttp.web_app.Application'],
  'aiohttp.MultipartReader': ['aiohttp.multipart.MultipartReader'],
  'faststream.rabbit.RabbitBroker': [
    'faststream.kafka.KafkaBroker', 'faststream.confluent.KafkaBroker', 'faststream.nats.NatsBroker', 'faststream.redis.RedisBroker',
    'faststream.rabbit.broker.RabbitBroker', 'faststream.kafka.broker.KafkaBroker', 'faststream.nats.broker.NatsBroker', 'faststream.redis.broker.RedisBroker',
  ],
  'aiohttp.BodyPartReader': ['aiohttp.multipart.BodyPartReader'],
  'temporalio.worker.Worker': ['temporalio.worker._worker.Worker'],
  'arq.connections.ArqRedis': ['arq.ArqRedis'],
  'arq.jobs.Job': ['arq.Job'],
  'taskiq.AsyncBroker': [
    'taskiq.InMemoryBroker', 'taskiq.ZeroMQBroker', 'taskiq.brokers.inmemory_broker.InMemoryBroker', 'taskiq_redis.ListQueueBroker',
    'taskiq_redis.RedisStreamBroker', 'taskiq_redis.PubSubBroker', 'taskiq_redis.ListQueueClusterBroker', 'taskiq_aio_pika.AioPikaBroker',
    'taskiq_nats.NatsBroker', 'taskiq_nats.PullBasedJetStreamBroker', 'taskiq_nats.PushBasedJetStreamBroker',
  ],
  'saq.Queue': ['saq.queue.Queue', 'saq.queue.base.Queue', 'saq.queue.redis.RedisQueue', 'saq.queue.postgres.PostgresQueue'],
  'apscheduler.AsyncScheduler': ['apscheduler._schedulers.async_.AsyncScheduler'],
  'aiofiles.threadpool.AsyncFile': [
    'aiofiles.threadpool.text.AsyncTextIOWrapper', 'aiofiles.threadpool.binary.AsyncBufferedIOBase',
    'aiofiles.threadpool.binary.AsyncBufferedReader', 'aiofiles.threadpool.binary.AsyncFileIO',
  ],
  [WEBSOCKET]: [
    'websockets.ClientConnection', 'websockets.ServerConnection', 'websockets.asyncio.client.ClientConnection',
    'websockets.asyncio.server.ServerConnection', 'websockets.WebSocketClientProtocol', 'websockets.WebSocketServerProtocol',
    'websockets.WebSocketCommonProtocol', 'websockets.client.WebSocketClientProtocol', 'websockets.server.WebSocketServerProtocol',
    'websockets.legacy.client.WebSocketClientProtocol', 'websockets.legacy.server.WebSocketServerProtocol',
    'websockets.legacy.protocol.WebSocketCommonProtocol',
  ],
  'asyncpg.Connection': ['asyncpg.connection.Connection'],
  'asyncpg.Pool': ['asyncpg.pool.Pool'],
  'aiosqlite.Connection': ['aiosqlite.core.Connection'],
  'aiosqlite.Cursor': ['aiosqlite.cursor.Cursor'],
  'aiomysql.Connection': ['aiomysql.connection.Connection'],
  'aiomysql.Cursor': ['aiomysql.cursors.Cursor', 'aiomysql.DictCursor', 'aiomysql.cursors.DictCursor'],
  'aiomysql.Pool': ['aiomysql.pool.Pool'],
  'psycopg.AsyncConnection': ['psycopg.connection_async.AsyncConnection'],
  'sqlalchemy.ext.asyncio.async_scoped_session': ['sqlalchemy.ext.asyncio.scoping.async_scoped_session'],
  'databases.Database': ['databases.core.Database'],
  'sqlalchemy.ext.asyncio.async_sessionmaker': ['sqlalchemy.ext.asyncio.session.async_sessionmaker'],
  'psycopg.AsyncCursor': ['psycopg.cursor_async.AsyncCursor'],
  'psycopg_pool.AsyncConnectionPool': ['psycopg_pool.pool_async.AsyncConnectionPool'],
  'sqlalchemy.ext.asyncio.AsyncSession': ['sqlalchemy.ext.asyncio.session.AsyncSession'],
  'sqlalchemy.ext.asyncio.AsyncEngine': ['sqlalchemy.ext.asyncio.engine.AsyncEngine'],
  'sqlalchemy.ext.asyncio.AsyncConnection': ['sqlalchemy.ext.asyncio.engine.AsyncConnection'],
  'redis.asyncio.Redis': ['redis.asyncio.StrictRedis', 'redis.asyncio.client.Redis', 'redis.asyncio.client.StrictRedis', 'aioredis.Redis', 'aioredis.StrictRedis', 'aioredis.client.Redis'],
  'redis.asyncio.client.Pipeline': ['aioredis.client.Pipeline'],
  'redis.asyncio.client.PubSub': ['aioredis.client.PubSub'],
  'pymongo.AsyncMongoClient': ['pymongo.asynchronous.mongo_client.AsyncMongoClient'],
  'motor.motor_asyncio.AsyncIOMotorDatabase': ['pymongo.asynchronous.database.AsyncDatabase'],
  'motor.motor_asyncio.AsyncIOMotorCollection': ['pymongo.asynchronous.collection.AsyncCollection'],
  'motor.motor_asyncio.AsyncIOMotorCursor': ['motor.motor_asyncio.AsyncIOMotorCommandCursor', 'pymongo.asynchronous.cursor.AsyncCursor'],
  'django.db.models.Model': ['django.db.models.base.Model', 'django.contrib.auth.models.User', 'django.contrib.auth.models.AbstractUser', 'django.contrib.auth.models.AbstractBaseUser'],
  'django.db.models.Manager': ['django.db.models.manager.Manager', 'django.db.models.QuerySet', 'django.db.models.query.QuerySet'],
  'tortoise.models.Model': ['tortoise.Model'],
  'beanie.Document': ['beanie.odm.documents.Document'],
  'aiokafka.AIOKafkaProducer': ['aiokafka.producer.AIOKafkaProducer'],
  'aiokafka.AIOKafkaConsumer': ['aiokafka.consumer.AIOKafkaConsumer'],
  'aio_pika.abc.AbstractConnection': ['aio_pika.Connection', 'aio_pika.RobustConnection', 'aio_pika.abc.AbstractRobustConnection'],
  'aio_pika.abc.AbstractChannel': ['aio_pika.Channel', 'aio_pika.RobustChannel', 'aio_pika.abc.AbstractRobustChannel'],
  'aio_pika.abc.AbstractQueue': ['aio_pika.Queue', 'aio_pika.RobustQueue'],
  'aio_pika.abc.AbstractExchange': ['aio_pika.Exchange', 'aio_pika.RobustExchange'],
  'aio_pika.abc.AbstractIncomingMessage': ['aio_pika.IncomingMessage', 'aio_pika.message.IncomingMessage'],
  'nats.aio.client.Client': ['nats.NATS', 'nats.aio.client.NATS'],
  'nats.js.JetStreamContext': ['nats.js.client.JetStreamContext'],
  'nats.aio.msg.Msg': ['nats.aio.client.Msg'],
  'aiomqtt.Client': ['asyncio_mqtt.Client'],
  'grpc.aio.Server': ['grpc.aio._server.Server'],
  'grpc.aio.Channel': ['grpc.aio._channel.Channel'],
  'grpc.aio.ServicerContext': ['grpc.aio._base_server.ServicerContext'],
  'asyncssh.SSHClientConnection': ['asyncssh.connection.SSHClientConnection'],
  'aioboto3.Session': ['aioboto3.session.Session'],
  'google.cloud.firestore.AsyncClient': ['google.cloud.firestore_v1.AsyncClient', 'google.cloud.firestore_v1.async_client.AsyncClient'],
  'google.cloud.firestore.AsyncDocumentReference': ['google.cloud.firestore_v1.async_document.AsyncDocumentReference'],
  'google.cloud.firestore.AsyncCollectionReference': ['google.cloud.firestore_v1.async_collection.AsyncCollectionReference'],
  'aiodocker.Docker': ['aiodocker.docker.Docker'],
  'asyncssh.SFTPClient': ['asyncssh.sftp.SFTPClient'],
  'fastapi.WebSocket': ['starlette.websockets.WebSocket', 'fastapi.websockets.WebSocket'],
  'fastapi.Request': ['starlette.requests.Request', 'fastapi.requests.Request'],
  'litestar.WebSocket': ['litestar.connection.WebSocket', 'litestar.connection.websocket.WebSocket'],
  'litestar.Request': ['litestar.connection.Request', 'litestar.connection.request.Request'],
  'sanic.Websocket': ['sanic.server.websockets.impl.WebsocketImplProtocol'],
  'sanic.Request': ['sanic.request.Request', 'sanic.request.types.Request'],
  'sanic.Sanic': ['sanic.app.Sanic'],
  'sanic.HTTPResponse': ['sanic.response.HTTPResponse', 'sanic.response.types.HTTPResponse'],
  'fastapi.UploadFile': ['starlette.datastructures.UploadFile', 'fastapi.datastructures.UploadFile'],
  'fastapi_mail.FastMail': ['fastapi_mail.fastmail.FastMail'],
  'authlib.integrations.starlette_client.StarletteOAuth2App': ['authlib.integrations.starlette_client.StarletteOAuth1App', 'authlib.integrations.starlette_client.apps.StarletteOAuth2App'],
  'httpx_oauth.oauth2.BaseOAuth2': [
    'httpx_oauth.oauth2.OAuth2', 'httpx_oauth.clients.github.GitHubOAuth2', 'httpx_oauth.clients.google.GoogleOAuth2',
    'httpx_oauth.clients.microsoft.MicrosoftGraphOAuth2', 'httpx_oauth.clients.discord.DiscordOAuth2', 'httpx_oauth.clients.facebook.FacebookOAuth2',
    'httpx_oauth.clients.linkedin.LinkedInOAuth2', 'httpx_oauth.clients.openid.OpenID', 'httpx_oauth.clients.reddit.RedditOAuth2',
    'httpx_oauth.clients.shopify.ShopifyOAuth2', 'httpx_oauth.clients.okta.OktaOAuth2', 'httpx_oauth.clients.franceconnect.FranceConnectOAuth2',
    'httpx_oauth.clients.kakao.KakaoOAuth2', 'httpx_oauth.clients.naver.NaverOAuth2',
  ],
  'discord.Client': ['discord.AutoShardedClient', 'discord.client.Client'],
  'discord.ext.commands.Bot': ['discord.ext.commands.AutoShardedBot', 'discord.ext.commands.bot.Bot'],
  'discord.TextChannel': ['discord.channel.TextChannel', 'discord.Thread', 'discord.DMChannel', 'discord.VoiceChannel', 'discord.abc.Messageable'],
  'discord.Message': ['discord.message.Message'],
  'discord.Member': ['discord.member.Member'],
  'discord.User': ['discord.user.User', 'discord.abc.User', 'discord.ClientUser'],
  'discord.Guild': ['discord.guild.Guild'],
  'discord.ext.commands.Context': ['discord.ext.commands.context.Context'],
  'nio.AsyncClient': ['nio.client.AsyncClient', 'nio.client.async_client.AsyncClient'],
  'ccxt.async_support.Exchange': ['ccxt.async_support.base.exchange.Exchange'],
  'ccxt.pro.Exchange': ['ccxt.pro.base.exchange.Exchange'],
  'binance.AsyncClient': ['binance.client.AsyncClient', 'binance.async_client.AsyncClient'],
  'web3.AsyncWeb3': ['web3.main.AsyncWeb3'],
  'web3.eth.AsyncEth': ['web3.eth.async_eth.AsyncEth'],
  'web3.contract.AsyncContract': ['web3.contract.async_contract.AsyncContract'],
  'twitchio.ext.commands.Context': ['twitchio.ext.commands.core.Context'],
  'twitchio.Channel': ['twitchio.channel.Channel'],
  'twitchio.ext.commands.Bot': ['twitchio.ext.commands.bot.Bot'],
  'discord.Interaction': ['discord.interactions.Interaction'],
  'discord.Webhook': ['discord.webhook.Webhook', 'discord.webhook.async_.Webhook'],
  'aiogram.Bot': ['aiogram.client.bot.Bot'],
  'aiogram.types.Message': ['aiogram.types.message.Message'],
  'aiogram.types.CallbackQuery': ['aiogram.types.callback_query.CallbackQuery'],
  'aiogram.Dispatcher': ['aiogram.dispatcher.dispatcher.Dispatcher'],
  'aiogram.dispatcher.FSMContext': ['aiogram.dispatcher.storage.FSMContext'],
  'telegram.Bot': ['telegram.ext.ExtBot'],
  'telegram.Update': ['telegram.update.Update'],
  'telegram.ext.CallbackContext': ['telegram.ext.ContextTypes.DEFAULT_TYPE'],
  'telethon.TelegramClient': ['telethon.client.telegramclient.TelegramClient'],
  'telethon.events.NewMessage.Event': ['telethon.events.newmessage.NewMessage.Event'],
  'telethon.events.CallbackQuery.Event': ['telethon.events.callbackquery.CallbackQuery.Event'],
  'telethon.tl.custom.Message': ['telethon.tl.custom.message.Message'],
  'pyrogram.Client': ['pyrogram.client.Client'],
  'pyrogram.types.Message': ['pyrogram.types.messages_and_media.message.Message'],
  'socketio.AsyncServer': ['socketio.async_server.AsyncServer'],
  'socketio.AsyncClient': ['socketio.async_client.AsyncClient'],
  'socketio.AsyncNamespace': ['socketio.async_namespace.AsyncNamespace'],
  'slack_sdk.web.async_client.AsyncWebClient': ['slack_sdk.AsyncWebClient', 'slack_sdk.web.AsyncWebClient', 'slack.web.async_client.AsyncWebClient'],
  'homeassistant.helpers.update_coordinator.DataUpdateCoordinator': ['homeassistant.helpers.update_coordinator.TimestampDataUpdateCoordinator'],
  'trio.abc.HalfCloseableStream': ['trio.SocketStream', 'trio.SSLStream'],
  'anyio.abc.ByteStream': ['anyio.abc.SocketStream', 'anyio.abc.UNIXSocketStream', 'anyio.streams.tls.TLSStream', 'anyio.streams.stapled.StapledByteStream'],
  'anyio.abc.ObjectStream': ['anyio.streams.stapled.StapledObjectStream'],
  'mcp.ClientSession': ['mcp.client.session.ClientSession'],
  'mcp.Client': ['mcp.client.client.Client', 'mcp.client.Client'],
  'mcp.server.mcpserver.Context': ['mcp.server.mcpserver.context.Context'],
  'mcp.server.mcpserver.MCPServer': ['mcp.server.mcpserver.server.MCPServer'],
  'mcp.server.fastmcp.Context': ['mcp.server.fastmcp.server.Context'],
  'mcp.server.fastmcp.FastMCP': ['mcp.server.fastmcp.server.FastMCP', 'mcp.server.FastMCP'],
  'mcp.server.lowlevel.Server': ['mcp.server.lowlevel.server.Server', 'mcp.server.Server'],
  'fastmcp.Context': ['fastmcp.server.Context', 'fastmcp.server.context.Context'],
  'fastmcp.Client': ['fastmcp.client.Client', 'fastmcp.client.client.Client'],
  'fastmcp.FastMCP': ['fastmcp.server.FastMCP', 'fastmcp.server.server.FastMCP'],
  'pydantic_ai.Agent': ['pydantic_ai.agent.Agent'],
  'crewai.Crew': ['crewai.crew.Crew'],
  'crewai.flow.flow.Flow': ['crewai.flow.Flow', 'crewai.Flow'],
  'langgraph_sdk.client.LangGraphClient': ['langgraph_sdk._async.client.LangGraphClient'],
  'langgraph.checkpoint.memory.InMemorySaver': ['langgraph.checkpoint.memory.MemorySaver'],
  'langgraph.store.base.BaseStore': ['langgraph.store.memory.InMemoryStore'],
};

export const CLASS_ALIASES: ReadonlyMap<string, string> = new Map(Object.entries(ALIASES).flatMap(([canonical, names]) => names.map((n) => [n, canonical] as const)));

/**
 * What a library method gives once awaited (or entered with `async with`):
 * `resp = await session.get(url)`, `async with session.get(url) as resp`.
 */
export const METHOD_RESULTS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  // `async with agent.run_stream(prompt) as result`.
  'pydantic_ai.Agent': { run_stream: 'pydantic_ai.result.StreamedRunResult' },
  'aiohttp.ClientSession': {
    ...Object.fromEntries(HTTP_VERBS.map((m) => [m, 'aiohttp.ClientResponse'])),
    ws_connect: 'aiohttp.ClientWebSocketResponse',
  },
  'aiohttp.test_utils.TestClient': {
    ...Object.fromEntries(HTTP_VERBS.map((m) => [m, 'aiohttp.ClientResponse'])),
    ws_connect: 'aiohttp.ClientWebSocketResponse',
  },
  'httpx.AsyncClient': Object.fromEntries([...HTTP_VERBS, 'send', 'stream'].map((m) => [m, 'httpx.Response'])),
  'asyncpg.Pool': { acquire: 'asyncpg.Connection' },
  'asyncio.AbstractEventLoop': { create_server: 'asyncio.Server', create_unix_server: 'asyncio.Server' },
  'aiosqlite.Connection': { execute: 'aiosqlite.Cursor', executemany: 'aiosqlite.Cursor', executescript: 'aiosqlite.Cursor', cursor: 'aiosqlite.Cursor' },
  'aiomysql.Connection': { cursor: 'aiomysql.Cursor' },
  'aiomysql.Pool': { acquire: 'aiomysql.Connection' },
  'psycopg.AsyncConnection': { execute: 'psycopg.AsyncCursor' },
  'psycopg_pool.AsyncConnectionPool': { connection: 'psycopg.AsyncConnection', getconn: 'psycopg.AsyncConnection' },
  'sqlalchemy.ext.asyncio.AsyncEngine': { connect: 'sqlalchemy.ext.asyncio.AsyncConnection', begin: 'sqlalchemy.ext.asyncio.AsyncConnection' },
  'aio_pika.abc.AbstractConnection': { channel: 'aio_pika.abc.AbstractChannel' },
  'nats.aio.client.Client': { subscribe: 'nats.aio.subscription.Subscription' },
  'nats.js.JetStreamContext': { subscribe: 'nats.aio.subscription.Subscription', pull_subscribe: 'nats.js.JetStreamContext.PullSubscription' },
  'aiohttp.web.Request': { multipart: 'aiohttp.MultipartReader' },
  'sanic.Request': { respond: 'sanic.HTTPResponse' },
  'aiohttp.MultipartReader': { next: 'aiohttp.BodyPartReader' },
  'aio_pika.abc.AbstractChannel': { declare_queue: 'aio_pika.abc.AbstractQueue', declare_exchange: 'aio_pika.abc.AbstractExchange', get_queue: 'aio_pika.abc.AbstractQueue', get_exchange: 'aio_pika.abc.AbstractExchange' },
  'aio_pika.abc.AbstractQueue': { iterator: 'aio_pika.abc.AbstractQueueIterator' },
  'asyncssh.SSHClientConnection': { start_sftp_client: 'asyncssh.SFTPClient' },
  'aiodocker.containers.DockerContainers': { get: 'aiodocker.containers.DockerContainer', run: 'aiodocker.containers.DockerContainer', create: 'aiodocker.containers.DockerContainer', create_or_replace: 'aiodocker.containers.DockerContainer' },
  'azure.storage.blob.aio.BlobClient': { download_blob: 'azure.storage.blob.aio.StorageStreamDownloader' },
  'azure.storage.blob.aio.ContainerClient': { download_blob: 'azure.storage.blob.aio.StorageStreamDownloader' },
  // Entered: `async with bus.get_queue_sender("jobs") as sender` gives the sender.
  'azure.servicebus.aio.ServiceBusClient': {
    get_queue_sender: 'azure.servicebus.aio.ServiceBusSender', get_topic_sender: 'azure.servicebus.aio.ServiceBusSender',
    get_queue_receiver: 'azure.servicebus.aio.ServiceBusReceiver', get_subscription_receiver: 'azure.servicebus.aio.ServiceBusReceiver',
  },
  // Entered: `async with session.client("s3") as s3` gives the client.
  'aioboto3.Session': { client: 'aiobotocore.client.AioBaseClient' },
  // Entered: `async with app.run_test() as pilot` gives Textual's pilot.
  'textual.app.App': { run_test: 'textual.pilot.Pilot' },
  'aiobotocore.session.AioSession': { create_client: 'aiobotocore.client.AioBaseClient' },
  'playwright.async_api.PlaywrightContextManager': { start: 'playwright.async_api.Playwright' },
  'playwright.async_api.BrowserType': {
    launch: 'playwright.async_api.Browser', connect: 'playwright.async_api.Browser', connect_over_cdp: 'playwright.async_api.Browser',
    launch_persistent_context: 'playwright.async_api.BrowserContext',
  },
  'playwright.async_api.Browser': { new_page: 'playwright.async_api.Page', new_context: 'playwright.async_api.BrowserContext' },
  'playwright.async_api.BrowserContext': { new_page: 'playwright.async_api.Page' },
  'discord.Client': { fetch_channel: 'discord.TextChannel', fetch_user: 'discord.User', fetch_guild: 'discord.Guild' },
  'discord.ext.commands.Bot': { fetch_channel: 'discord.TextChannel', fetch_user: 'discord.User', fetch_guild: 'discord.Guild' },
  'discord.Guild': { fetch_member: 'discord.Member', fetch_channel: 'discord.TextChannel' },
  'discord.TextChannel': { fetch_message: 'discord.Message', send: 'discord.Message' },
  'discord.ext.commands.Context': { send: 'discord.Message', reply: 'discord.Message', fetch_message: 'discord.Message' },
  'discord.Interaction': { original_response: 'discord.Message', edit_original_response: 'discord.Message' },
  'discord.Webhook': { send: 'discord.Message', fetch_message: 'discord.Message' },
  'aiogram.Bot': { send_message: 'aiogram.types.Message' },
  'aiogram.types.Message': { answer: 'aiogram.types.Message', reply: 'aiogram.types.Message' },
  'telegram.Bot': { send_message: 'telegram.Message', get_file: 'telegram.File' },
  'telegram.Message': { reply_text: 'telegram.Message' },
  ...Object.fromEntries(['PhotoSize', 'Document', 'Audio', 'Video', 'Voice', 'VideoNote', 'Animation', 'Sticker'].map((c) => [`telegram.${c}`, { get_file: 'telegram.File' }])),
  'chromadb.api.AsyncClientAPI': Object.fromEntries(
    ['create_collection', 'get_collection', 'get_or_create_collection'].map((m) => [m, 'chromadb.api.models.AsyncCollection.AsyncCollection']),
  ),
  // Entered: `async with client.messages.stream(...) as stream:` (see also STREAMED_RESULTS).
  'openai.resources.AsyncAPIResource': { stream: 'openai.lib.streaming.AsyncStreamHelper' },
  'anthropic.resources.AsyncAPIResource': { stream: 'anthropic.lib.streaming.AsyncMessageStream' },
  'temporalio.client.Client': { start_workflow: 'temporalio.client.WorkflowHandle', create_schedule: 'temporalio.client.ScheduleHandle' },
  'arq.connections.ArqRedis': { enqueue_job: 'arq.jobs.Job' },
};

/** What an LLM SDK resource's `create(..., stream=True)` gives once awaited, by the resource's class. */
export const STREAMED_RESULTS: Readonly<Record<string, string>> = {
  'openai.resources.AsyncAPIResource': 'openai.AsyncStream',
  'anthropic.resources.AsyncAPIResource': 'anthropic.AsyncStream',
  'groq.resources.AsyncAPIResource': 'groq.AsyncStream',
};

/** The RPC methods of a generated gRPC stub, as protoc spells them (`stub.GetOrder`). */
export const GRPC_STUB_METHOD = /^[A-Z]\w*$/;

/** What a library method gives when called without await (a builder, a sub-object): `r.pipeline()`, `page.locator(...)`. */
const LOCATOR_BUILDERS = ['locator', 'get_by_role', 'get_by_text', 'get_by_label', 'get_by_placeholder', 'get_by_test_id', 'get_by_alt_text', 'get_by_title'];
export const CALL_METHOD_RESULTS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  // web3.py: `w3.eth.contract(address=..., abi=...)`, and `contract.functions.balanceOf(owner)` (`*`: any function of its ABI).
  'web3.eth.AsyncEth': { contract: 'web3.contract.AsyncContract' },
  'web3.contract.AsyncContractFunctions': { '*': 'web3.contract.AsyncContractFunction' },
  'openai.AsyncOpenAI': { with_options: 'openai.AsyncOpenAI', copy: 'openai.AsyncOpenAI' },
  'authlib.integrations.starlette_client.OAuth': {
    create_client: 'authlib.integrations.starlette_client.StarletteOAuth2App',
    register: 'authlib.integrations.starlette_client.StarletteOAuth2App',
  },
  // httpx's sync client, known as a class (unclosed-resource follows its streamed responses); nothing of it is awaitable.
  'httpx.Client': {},
  // A generated gRPC stub made over a grpc.aio channel: its RPC methods (capitalised) give a 'grpc.aio.Call' (see GRPC_STUB_METHOD).
  'grpc.aio.Stub': {},
  'azure.storage.blob.aio.BlobServiceClient': { get_container_client: 'azure.storage.blob.aio.ContainerClient', get_blob_client: 'azure.storage.blob.aio.BlobClient' },
  'azure.storage.blob.aio.ContainerClient': { get_blob_client: 'azure.storage.blob.aio.BlobClient' },
  'azure.cosmos.aio.CosmosClient': { get_database_client: 'azure.cosmos.aio.DatabaseProxy' },
  'azure.cosmos.aio.DatabaseProxy': { get_container_client: 'azure.cosmos.aio.ContainerProxy' },
  'azure.servicebus.aio.ServiceBusClient': { get_queue_sender: 'azure.servicebus.aio.ServiceBusSender', get_queue_receiver: 'azure.servicebus.aio.ServiceBusReceiver', get_topic_sender: 'azure.servicebus.aio.ServiceBusSender', get_subscription_receiver: 'azure.servicebus.aio.ServiceBusReceiver' },
  'google.cloud.firestore.AsyncClient': { collection: 'google.cloud.firestore.AsyncCollectionReference', document: 'google.cloud.firestore.AsyncDocumentReference' },
  'google.cloud.firestore.AsyncCollectionReference': {
    document: 'google.cloud.firestore.AsyncDocumentReference',
    ...Object.fromEntries(['where', 'order_by', 'limit', 'offset', 'select', 'start_at', 'start_after', 'end_at', 'end_before'].map((m) => [m, 'google.cloud.firestore.AsyncQuery'])),
  },
  'google.cloud.firestore.AsyncDocumentReference': { collection: 'google.cloud.firestore.AsyncCollectionReference' },
  'google.cloud.firestore.AsyncQuery': Object.fromEntries(['where', 'order_by', 'limit', 'offset', 'select', 'start_at', 'start_after', 'end_at', 'end_before'].map((m) => [m, 'google.cloud.firestore.AsyncQuery'])),
  // Sessions whose `client(...)`/`create_client(...)` make a client context manager (see METHOD_RESULTS).
  'aioboto3.Session': {},
  'aiobotocore.session.AioSession': {},
  'groq.AsyncGroq': { with_options: 'groq.AsyncGroq', copy: 'groq.AsyncGroq' },
  'anthropic.AsyncAnthropic': { with_options: 'anthropic.AsyncAnthropic', copy: 'anthropic.AsyncAnthropic' },
  'redis.asyncio.Redis': { pipeline: 'redis.asyncio.client.Pipeline', pubsub: 'redis.asyncio.client.PubSub', lock: 'redis.asyncio.lock.Lock' },
  'asyncpg.Connection': { transaction: 'asyncpg.transaction.Transaction' },
  'psycopg.AsyncConnection': { cursor: 'psycopg.AsyncCursor' },
  'motor.motor_asyncio.AsyncIOMotorClient': { get_database: 'motor.motor_asyncio.AsyncIOMotorDatabase', get_default_database: 'motor.motor_asyncio.AsyncIOMotorDatabase' },
  'pymongo.AsyncMongoClient': { get_database: 'motor.motor_asyncio.AsyncIOMotorDatabase', get_default_database: 'motor.motor_asyncio.AsyncIOMotorDatabase' },
  'motor.motor_asyncio.AsyncIOMotorDatabase': { get_collection: 'motor.motor_asyncio.AsyncIOMotorCollection' },
  'motor.motor_asyncio.AsyncIOMotorCollection': { find: 'motor.motor_asyncio.AsyncIOMotorCursor', aggregate: 'motor.motor_asyncio.AsyncIOMotorCursor' },
  'motor.motor_asyncio.AsyncIOMotorCursor': { sort: 'motor.motor_asyncio.AsyncIOMotorCursor', limit: 'motor.motor_asyncio.AsyncIOMotorCursor', skip: 'motor.motor_asyncio.AsyncIOMotorCursor' },
  'django.db.models.Manager': Object.fromEntries(DJANGO_QUERYSET_BUILDERS.map((m) => [m, 'django.db.models.Manager'])),
  'beanie.Document': { find: 'beanie.odm.queries.find.FindMany', find_all: 'beanie.odm.queries.find.FindMany', find_many: 'beanie.odm.queries.find.FindMany' },
  'tortoise.models.Model': Object.fromEntries(TORTOISE_BUILDERS.map((m) => [m, 'tortoise.queryset.QuerySet'])),
  'tortoise.queryset.QuerySet': Object.fromEntries(TORTOISE_BUILDERS.map((m) => [m, 'tortoise.queryset.QuerySet'])),
  'beanie.odm.queries.find.FindMany': { sort: 'beanie.odm.queries.find.FindMany', limit: 'beanie.odm.queries.find.FindMany', skip: 'beanie.odm.queries.find.FindMany' },
  'nats.aio.client.Client': { jetstream: 'nats.js.JetStreamContext' },
  'aio_pika.abc.AbstractQueue': { iterator: 'aio_pika.abc.AbstractQueueIterator' },
  'playwright.async_api.Page': { ...Object.fromEntries(LOCATOR_BUILDERS.map((m) => [m, 'playwright.async_api.Locator'])), frame_locator: 'playwright.async_api.FrameLocator' },
  'playwright.async_api.Locator': { ...Object.fromEntries([...LOCATOR_BUILDERS, 'nth', 'filter', 'and_', 'or_'].map((m) => [m, 'playwright.async_api.Locator'])), frame_locator: 'playwright.async_api.FrameLocator' },
  'playwright.async_api.FrameLocator': { ...Object.fromEntries([...LOCATOR_BUILDERS, 'nth'].map((m) => [m, 'playwright.async_api.Locator'])), frame_locator: 'playwright.async_api.FrameLocator' },
  'discord.Client': { get_channel: 'discord.TextChannel', get_user: 'discord.User', get_guild: 'discord.Guild' },
  'discord.ext.commands.Bot': { get_channel: 'discord.TextChannel', get_user: 'discord.User', get_guild: 'discord.Guild' },
  'discord.Guild': { get_member: 'discord.Member', get_channel: 'discord.TextChannel', get_role: 'discord.Role' },
  'temporalio.client.Client': {
    get_workflow_handle: 'temporalio.client.WorkflowHandle', get_workflow_handle_for: 'temporalio.client.WorkflowHandle',
    get_schedule_handle: 'temporalio.client.ScheduleHandle', get_async_activity_handle: 'temporalio.client.AsyncActivityHandle',
  },
  'arq.connections.ArqRedis': { pipeline: 'redis.asyncio.client.Pipeline', pubsub: 'redis.asyncio.client.PubSub', lock: 'redis.asyncio.lock.Lock' },
  // A taskiq broker configured in a chain: `ListQueueBroker(url).with_result_backend(backend)`.
  'taskiq.AsyncBroker': Object.fromEntries(['with_result_backend', 'with_middlewares', 'with_id_generator', 'with_serializer', 'with_formatter'].map((m) => [m, 'taskiq.AsyncBroker'])),
};

/**
 * What a library object's attribute holds: `proc.stdout`, `message.channel`. `*` stands for any
 * attribute not listed (`client.mydb` on a Mongo client), `[]` for a subscript (`client["mydb"]`).
 */
const MESSAGE_PARTS = { channel: 'discord.TextChannel', author: 'discord.Member', guild: 'discord.Guild' };
export const LIBRARY_ATTRIBUTES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'web3.AsyncWeb3': { eth: 'web3.eth.AsyncEth' },
  'web3.contract.AsyncContract': { functions: 'web3.contract.AsyncContractFunctions' },
  // An MCP tool's request Context: the server session, and the request context that holds it (`ctx.request_context.session`),
  // as the low-level server's `server.request_context` does.
  'mcp.server.fastmcp.Context': { session: 'mcp.server.session.ServerSession', request_context: 'mcp.server.context.ServerRequestContext' },
  'fastmcp.Context': { session: 'mcp.server.session.ServerSession', request_context: 'mcp.server.context.ServerRequestContext' },
  'mcp.server.lowlevel.Server': { request_context: 'mcp.server.context.ServerRequestContext' },
  'langgraph_sdk.client.LangGraphClient': {
    runs: 'langgraph_sdk.client.RunsClient', threads: 'langgraph_sdk.client.ThreadsClient', assistants: 'langgraph_sdk.client.AssistantsClient',
    crons: 'langgraph_sdk.client.CronClient', store: 'langgraph_sdk.client.StoreClient',
  },
  'mcp.server.mcpserver.Context': { session: 'mcp.server.session.ServerSession', request_context: 'mcp.server.context.ServerRequestContext' },
  'mcp.server.context.ServerRequestContext': { session: 'mcp.server.session.ServerSession' },
  'sanic.Request': { app: 'sanic.Sanic', stream: 'sanic.http.Http' },
  // `oauth.github`: the client registered under that name.
  'authlib.integrations.starlette_client.OAuth': { '*': 'authlib.integrations.starlette_client.StarletteOAuth2App' },
  'temporalio.testing.WorkflowEnvironment': { client: 'temporalio.client.Client' },
  'elasticsearch.AsyncElasticsearch': { indices: 'elasticsearch.client.AsyncIndicesClient' },
  'aiodocker.Docker': {
    containers: 'aiodocker.containers.DockerContainers',
    images: 'aiodocker.images.DockerImages',
    volumes: 'aiodocker.volumes.DockerVolumes',
    networks: 'aiodocker.networks.DockerNetworks',
    system: 'aiodocker.system.DockerSystem',
  },
  // `.with_streaming_response.create(...)` gives an async context manager, not a coroutine.
  'openai.AsyncOpenAI': { '*': 'openai.resources.AsyncAPIResource', with_streaming_response: 'openai.resources.AsyncStreamingResponse' },
  'openai.resources.AsyncAPIResource': { '*': 'openai.resources.AsyncAPIResource', with_streaming_response: 'openai.resources.AsyncStreamingResponse' },
  'openai.resources.AsyncStreamingResponse': { '*': 'openai.resources.AsyncStreamingResponse' },
  'anthropic.AsyncAnthropic': { '*': 'anthropic.resources.AsyncAPIResource', with_streaming_response: 'anthropic.resources.AsyncStreamingResponse' },
  'anthropic.resources.AsyncAPIResource': { '*': 'anthropic.resources.AsyncAPIResource', with_streaming_response: 'anthropic.resources.AsyncStreamingResponse' },
  'anthropic.resources.AsyncStreamingResponse': { '*': 'anthropic.resources.AsyncStreamingResponse' },
  'google.genai.Client': { aio: 'google.genai.client.AsyncClient' },
  'google.genai.client.AsyncClient': { '*': 'google.genai.resources.AsyncResource' },
  'groq.AsyncGroq': { '*': 'groq.resources.AsyncAPIResource', with_streaming_response: 'groq.resources.AsyncStreamingResponse' },
  'groq.resources.AsyncAPIResource': { '*': 'groq.resources.AsyncAPIResource', with_streaming_response: 'groq.resources.AsyncStreamingResponse' },
  'groq.resources.AsyncStreamingResponse': { '*': 'groq.resources.AsyncStreamingResponse' },
  'zeroconf.asyncio.AsyncZeroconf': { zeroconf: 'zeroconf.Zeroconf' },
  'asyncio.subprocess.Process': { stdout: 'asyncio.StreamReader', stderr: 'asyncio.StreamReader', stdin: 'asyncio.StreamWriter' },
  'aiohttp.ClientResponse': { content: 'aiohttp.StreamReader' },
  'aiohttp.web.Request': { content: 'aiohttp.StreamReader' },
  'motor.motor_asyncio.AsyncIOMotorClient': { '*': 'motor.motor_asyncio.AsyncIOMotorDatabase', '[]': 'motor.motor_asyncio.AsyncIOMotorDatabase' },
  'pymongo.AsyncMongoClient': { '*': 'motor.motor_asyncio.AsyncIOMotorDatabase', '[]': 'motor.motor_asyncio.AsyncIOMotorDatabase' },
  'motor.motor_asyncio.AsyncIOMotorDatabase': { '*': 'motor.motor_asyncio.AsyncIOMotorCollection', '[]': 'motor.motor_asyncio.AsyncIOMotorCollection' },
  // The default manager under its other names too (`Order._default_manager`, `_base_manager`).
  'django.db.models.Model': { objects: 'django.db.models.Manager', _default_manager: 'django.db.models.Manager', _base_manager: 'django.db.models.Manager' },
  'aio_pika.abc.AbstractChannel': { default_exchange: 'aio_pika.abc.AbstractExchange' },
  'nats.aio.subscription.Subscription': { messages: 'nats.aio.subscription.Subscription' },
  'playwright.async_api.Playwright': { chromium: 'playwright.async_api.BrowserType', firefox: 'playwright.async_api.BrowserType', webkit: 'playwright.async_api.BrowserType' },
  'playwright.async_api.Page': { keyboard: 'playwright.async_api.Keyboard', mouse: 'playwright.async_api.Mouse', context: 'playwright.async_api.BrowserContext' },
  'playwright.async_api.Locator': { first: 'playwright.async_api.Locator', last: 'playwright.async_api.Locator', page: 'playwright.async_api.Page' },
  'playwright.async_api.FrameLocator': { first: 'playwright.async_api.FrameLocator', last: 'playwright.async_api.FrameLocator', owner: 'playwright.async_api.Locator' },
  'channels.consumer.AsyncConsumer': { channel_layer: 'channels.layers.BaseChannelLayer' },
  'channels.generic.websocket.AsyncWebsocketConsumer': { channel_layer: 'channels.layers.BaseChannelLayer' },
  // A synchronous consumer calls the layer through async_to_sync(); a bare call makes a coroutine.
  'channels.generic.websocket.WebsocketConsumer': { channel_layer: 'channels.layers.BaseChannelLayer' },
  'channels.generic.websocket.JsonWebsocketConsumer': { channel_layer: 'channels.layers.BaseChannelLayer' },
  'channels.generic.websocket.AsyncJsonWebsocketConsumer': { channel_layer: 'channels.layers.BaseChannelLayer' },
  'channels.generic.http.AsyncHttpConsumer': { channel_layer: 'channels.layers.BaseChannelLayer' },
  ...Object.fromEntries(
    ['SimpleTestCase', 'TransactionTestCase', 'TestCase', 'LiveServerTestCase'].map((c) => [`django.test.${c}`, { async_client: 'django.test.AsyncClient' }]),
  ),
  'discord.Message': MESSAGE_PARTS,
  'discord.ext.commands.Context': { ...MESSAGE_PARTS, message: 'discord.Message', bot: 'discord.ext.commands.Bot' },
  'discord.Interaction': {
    response: 'discord.InteractionResponse', followup: 'discord.Webhook', channel: 'discord.TextChannel', user: 'discord.Member',
    guild: 'discord.Guild', message: 'discord.Message', client: 'discord.Client',
  },
  'discord.ext.commands.Bot': { tree: 'discord.app_commands.CommandTree' },
  'discord.Member': { guild: 'discord.Guild' },
  'discord.Guild': { system_channel: 'discord.TextChannel', public_updates_channel: 'discord.TextChannel', rules_channel: 'discord.TextChannel', owner: 'discord.Member', me: 'discord.Member' },
  'aiogram.types.Message': { bot: 'aiogram.Bot' },
  'aiogram.types.CallbackQuery': { message: 'aiogram.types.Message', bot: 'aiogram.Bot' },
  'aiogram.Bot': { session: 'aiogram.client.session.base.BaseSession' },
  'telegram.Update': {
    message: 'telegram.Message', effective_message: 'telegram.Message', edited_message: 'telegram.Message', channel_post: 'telegram.Message',
    effective_chat: 'telegram.Chat', effective_user: 'telegram.User', callback_query: 'telegram.CallbackQuery', inline_query: 'telegram.InlineQuery',
  },
  'telegram.Message': {
    chat: 'telegram.Chat', from_user: 'telegram.User', reply_to_message: 'telegram.Message', document: 'telegram.Document', audio: 'telegram.Audio',
    video: 'telegram.Video', voice: 'telegram.Voice', video_note: 'telegram.VideoNote', animation: 'telegram.Animation', sticker: 'telegram.Sticker',
  },
  'telegram.CallbackQuery': { message: 'telegram.Message', from_user: 'telegram.User' },
  'telegram.ext.CallbackContext': { bot: 'telegram.Bot' },
  'telegram.ext.Application': { bot: 'telegram.Bot', updater: 'telegram.ext.Updater' },
  'homeassistant.core.HomeAssistant': { services: 'homeassistant.core.ServiceRegistry', config_entries: 'homeassistant.config_entries.ConfigEntries' },
  'homeassistant.config_entries.ConfigEntries': { flow: 'homeassistant.config_entries.ConfigEntriesFlowManager' },
  // What Home Assistant's base classes set on their instances.
  'homeassistant.helpers.entity.Entity': { hass: 'homeassistant.core.HomeAssistant' },
  'homeassistant.helpers.update_coordinator.CoordinatorEntity': { hass: 'homeassistant.core.HomeAssistant' },
  'homeassistant.helpers.update_coordinator.DataUpdateCoordinator': { hass: 'homeassistant.core.HomeAssistant' },
  'homeassistant.config_entries.ConfigFlow': { hass: 'homeassistant.core.HomeAssistant' },
};
/** What `async for x in f(...)` gives for library functions iterated directly (websockets' reconnecting `connect`). */
export const ASYNC_ITERATION_FACTORIES: Readonly<Record<string, string>> = Object.fromEntries(WEBSOCKET_CONNECTS.map((f) => [f, WEBSOCKET]));

/**
 * Library methods that are async generators: their calls are iterated with `async for` (a plain
 * `for` raises TypeError) and never awaited.
 */
export const ASYNC_GENERATOR_METHODS: Readonly<Record<string, ReadonlySet<string>>> = {
  'discord.TextChannel': set('history', 'archived_threads'),
  'discord.Member': set('history'),
  'discord.User': set('history'),
  'discord.ext.commands.Context': set('history'),
  'discord.Guild': set('fetch_members', 'audit_logs', 'bans'),
  // `[u async for u in reaction.users()]`.
  'discord.Reaction': set('users'),
  'discord.Client': set('fetch_guilds'),
  'discord.ext.commands.Bot': set('fetch_guilds'),
  'httpx.Response': set('aiter_bytes', 'aiter_text', 'aiter_lines', 'aiter_raw'),
  'redis.asyncio.Redis': set('scan_iter', 'sscan_iter', 'hscan_iter', 'zscan_iter'),
  'redis.asyncio.client.PubSub': set('listen'),
  // vLLM: `async for output in engine.generate(prompt, params, request_id)`.
  'vllm.AsyncLLMEngine': set('generate'),
  // Agent frameworks' streams: AutoGen's `async for message in team.run_stream(task=...)` (agents, teams, model clients),
  // the Agents SDK's `result.stream_events()` of `Runner.run_streamed(...)`, pydantic-ai's streamed result.
  ...Object.fromEntries(
    ['AssistantAgent', 'CodeExecutorAgent', 'UserProxyAgent', 'SocietyOfMindAgent'].map((c) => [`autogen_agentchat.agents.${c}`, set('run_stream', 'on_messages_stream')]),
  ),
  ...Object.fromEntries(['RoundRobinGroupChat', 'SelectorGroupChat', 'Swarm', 'MagenticOneGroupChat'].map((c) => [`autogen_agentchat.teams.${c}`, set('run_stream')])),
  ...Object.fromEntries(AUTOGEN_MODEL_CLIENTS.map((c) => [c, set('create_stream')])),
  'agents.result.RunResultStreaming': set('stream_events'),
  'langgraph_sdk.client.RunsClient': set('stream', 'join_stream'),
  'langgraph_sdk.client.ThreadsClient': set('stream'),
  // LangGraph's checkpointers: `async for checkpoint in saver.alist(config)`.
  ...Object.fromEntries(
    ['langgraph.checkpoint.base.BaseCheckpointSaver', 'langgraph.checkpoint.memory.InMemorySaver', 'langgraph.checkpoint.postgres.aio.AsyncPostgresSaver', 'langgraph.checkpoint.sqlite.aio.AsyncSqliteSaver'].map((c) => [c, set('alist')]),
  ),
  'pydantic_ai.result.StreamedRunResult': set('stream', 'stream_output', 'stream_text', 'stream_structured', 'stream_responses'),
};

/** What each item of a library object's collection attribute is: `for member in guild.members`. */
export const ITERATED_ATTRIBUTES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'discord.Guild': { members: 'discord.Member', text_channels: 'discord.TextChannel', roles: 'discord.Role' },
  'discord.Client': { guilds: 'discord.Guild', users: 'discord.User' },
  'discord.ext.commands.Bot': { guilds: 'discord.Guild', users: 'discord.User' },
  'discord.Message': { mentions: 'discord.Member', reactions: 'discord.Reaction' },
  // `update.message.photo[-1]`: the largest size.
  'telegram.Message': { photo: 'telegram.PhotoSize' },
  'discord.TextChannel': { members: 'discord.Member' },
  'discord.Role': { members: 'discord.Member' },
};

/** What `async for x in obj` gives, by the class of `obj`. */
export const ASYNC_ITERATION_ELEMENTS: Readonly<Record<string, string>> = {
  'aio_pika.abc.AbstractQueueIterator': 'aio_pika.abc.AbstractIncomingMessage',
  'nats.aio.subscription.Subscription': 'nats.aio.msg.Msg',
  'aiohttp.MultipartReader': 'aiohttp.BodyPartReader',
};

/** What each item of the list a library method gives once awaited is: `for msg in await sub.fetch(10)`. */
export const AWAITED_ITEMS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'nats.js.JetStreamContext.PullSubscription': { fetch: 'nats.aio.msg.Msg' },
};

/** Attributes of generic library base classes typed by a type argument: attribute → its index. */
export const GENERIC_ATTRIBUTES: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  'homeassistant.helpers.update_coordinator.CoordinatorEntity': { coordinator: 0 },
};

/**
 * Attributes of library classes typed by a type argument of the annotation that declares the value: attribute → its
 * index (`entry.runtime_data` with `entry: ConfigEntry[RuntimeData]`, `ctx.deps` with `ctx: RunContext[Deps]`).
 */
export const DECLARED_GENERIC_ATTRIBUTES: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  'homeassistant.config_entries.ConfigEntry': { runtime_data: 0 },
  // An MCP tool's `ctx: Context[ServerSession, AppContext]`: what the server's lifespan yielded (`ctx.request_context.lifespan_context.db`).
  'mcp.server.fastmcp.Context': { 'request_context.lifespan_context': 1 },
  // mcp 2.x's `ctx: Context[AppContext]` (the server session is no longer a type argument).
  'mcp.server.mcpserver.Context': { 'request_context.lifespan_context': 0 },
  'mcp.server.mcpserver.context.Context': { 'request_context.lifespan_context': 0 },
  // A low-level handler's request context: mcp 2.x's `ctx: ServerRequestContext[AppContext]`, 1.x's `RequestContext[ServerSession, AppContext]`
  // (also a client's sampling callback's `RequestContext[ClientSession, Any]`: its session is a ClientSession).
  'mcp.server.context.ServerRequestContext': { lifespan_context: 0 },
  'mcp.shared.context.RequestContext': { session: 0, lifespan_context: 1 },
  // pydantic-ai's tools and prompts (`async def get_weather(ctx: RunContext[Deps], ...)`: `ctx.deps.client.get(...)`).
  'pydantic_ai.RunContext': { deps: 0 },
  'pydantic_ai.tools.RunContext': { deps: 0 },
  // The OpenAI Agents SDK's function tools (`ctx: RunContextWrapper[UserInfo]`: `ctx.context.db.fetch(...)`).
  'agents.RunContextWrapper': { context: 0 },
  'agents.run_context.RunContextWrapper': { context: 0 },
};

/** The canonical name of a library class known here, or undefined. */
/** Home Assistant's entity classes (`homeassistant.components.sensor.SensorEntity`, ...): entities alike. */
const HA_ENTITY_CLASS = /^homeassistant\.(components\.\w+(\.\w+)?|helpers\.entity)\.\w*Entity$/;

/**
 * ccxt's exchange classes: each exchange is a lower-case class of its package (`ccxt.binance`, `ccxt.kraken`), in
 * `ccxt` (synchronous), `ccxt.async_support` and `ccxt.pro` (asyncio). The package's other lower-case names are not exchanges.
 */
export const CCXT_EXCHANGE = /^ccxt\.(?:(async_support|pro)\.)?(?!(async_support|pro|base|exchanges|decimal_to_precision|number_to_string|static_dependencies)$)([a-z][a-z0-9_]*)$/;

/** The class of a ccxt exchange (`ccxt.async_support.binance` → 'ccxt.async_support.Exchange'), `ccxt.Exchange` for a synchronous one. */
export function ccxtExchangeClass(name: string): string | undefined {
  const m = CCXT_EXCHANGE.exec(name);
  return m ? (m[1] ? `ccxt.${m[1]}.Exchange` : 'ccxt.Exchange') : undefined;
}

/** What a library builder method gives (`*` stands for any method name not listed). */
export function callMethodResult(cls: string, method: string): string | undefined {
  const table = CALL_METHOD_RESULTS[cls];
  return table?.[method] ?? (method.startsWith('_') ? undefined : table?.['*']);
}

/** kubernetes_asyncio's API classes: `client.CoreV1Api`, `kubernetes_asyncio.client.api.apps_v1_api.AppsV1Api`. */
const KUBE_ASYNC_API_CLASS = /^kubernetes_asyncio\.client\.(api\.\w+\.)?\w+Api$/;

export function knownLibraryClass(name: string): string | undefined {
  const canonical =
    CLASS_ALIASES.get(name) ??
    ccxtExchangeClass(name) ??
    (HA_ENTITY_CLASS.test(name) && !AWAITABLE_METHODS[name] ? 'homeassistant.helpers.entity.Entity' : KUBE_ASYNC_API_CLASS.test(name) ? 'kubernetes_asyncio.client.Api' : name);
  return AWAITABLE_METHODS[canonical] || LIBRARY_ATTRIBUTES[canonical] || CALL_METHOD_RESULTS[canonical] ? canonical : undefined;
}

/**
 * Library awaitables that are not coroutine objects: futures (scheduled when made), request and
 * connection context managers, query and API-method objects. `asyncio.wait()` takes them, and
 * `ensure_future()` is the right call for them (`create_task()` would raise). Names as
 * AwaitableCall.name gives them; `Class.*` stands for every method of a class.
 */
const NOT_COROUTINES: ReadonlySet<string> = new Set([
  'asyncio.gather', 'asyncio.shield', 'asyncio.ensure_future', 'asyncio.wrap_future', 'asyncio.AbstractEventLoop.run_in_executor', 'builtins.anext',
  'homeassistant.core.HomeAssistant.async_add_executor_job', 'homeassistant.core.HomeAssistant.async_add_import_executor_job',
  'aiohttp.request', 'aiohttp.ClientSession.*', 'asyncpg.create_pool', 'asyncpg.Pool.acquire', 'aiosqlite.connect',
  'aiomysql.connect', 'aiomysql.create_pool', 'aiomysql.Pool.acquire', 'asyncssh.connect', 'asyncssh.listen',
  ...WEBSOCKET_CONNECTS,
  ...WEBSOCKET_SERVES,
  'sqlalchemy.ext.asyncio.AsyncEngine.connect', 'sqlalchemy.ext.asyncio.AsyncEngine.begin',
  'sqlalchemy.ext.asyncio.AsyncSession.begin', 'sqlalchemy.ext.asyncio.AsyncSession.begin_nested',
  'aio_pika.abc.AbstractConnection.channel', 'aiogram.Bot.*', 'aiogram.types.Message.*', 'aiogram.types.CallbackQuery.*',
  'aiogram.types.InlineQuery.*', 'tortoise.models.Model.*', 'tortoise.queryset.QuerySet.*', 'beanie.Document.*', 'beanie.odm.queries.find.FindMany.*',
  'motor.motor_asyncio.AsyncIOMotorClient.*', 'motor.motor_asyncio.AsyncIOMotorDatabase.*',
  'motor.motor_asyncio.AsyncIOMotorCollection.*', 'motor.motor_asyncio.AsyncIOMotorCursor.*',
  // A generated gRPC stub's RPC over a grpc.aio channel: a call object, started when made.
  'grpc.aio.Stub.*',
  // discord.py's `typing()`: a Typing context manager that is also awaitable.
  ...['discord.TextChannel', 'discord.Member', 'discord.User', 'discord.ext.commands.Context'].map((c) => `${c}.typing`),
]);

/** Whether a library awaitable (by AwaitableCall.name) is known not to be a coroutine object. */
export function isNotCoroutine(name: string): boolean {
  if (NOT_COROUTINES.has(name)) return true;
  const dot = name.lastIndexOf('.');
  return dot > 0 && NOT_COROUTINES.has(`${name.slice(0, dot)}.*`);
}

/** The calls that give the event loop. */
export const LOOP_GETTERS: ReadonlySet<string> = new Set([
  'asyncio.get_running_loop', 'asyncio.get_event_loop', 'asyncio.new_event_loop', 'asyncio.events.get_running_loop', 'asyncio.events.get_event_loop',
]);

/** Factories whose awaited result is a tuple: the class of each element (`reader, writer = await ...`). */
export const FACTORY_TUPLE_RESULTS: Readonly<Record<string, readonly string[]>> = {
  'asyncio.open_connection': ['asyncio.StreamReader', 'asyncio.StreamWriter'],
  'asyncio.open_unix_connection': ['asyncio.StreamReader', 'asyncio.StreamWriter'],
  'asyncio.streams.open_connection': ['asyncio.StreamReader', 'asyncio.StreamWriter'],
  ...Object.fromEntries(SERIAL_ASYNCIO.map((m) => [`${m}.open_serial_connection`, ['asyncio.StreamReader', 'asyncio.StreamWriter']])),
};

/** Synchronous factories whose result is a tuple: the class of each element (`send, receive = trio.open_memory_channel(0)`). */
export const CALL_TUPLE_RESULTS: Readonly<Record<string, readonly string[]>> = {
  'trio.open_memory_channel': ['trio.MemorySendChannel', 'trio.MemoryReceiveChannel'],
  'anyio.create_memory_object_stream': ['anyio.streams.memory.MemoryObjectSendStream', 'anyio.streams.memory.MemoryObjectReceiveStream'],
};

/** What a library function gives once awaited, or entered with `async with`. */
export const FACTORY_RESULTS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(BINANCE_ASYNC_CLIENTS.map((c) => [`${c}.create`, 'binance.AsyncClient'])),
  // web3.py 7 over a persistent connection: `w3 = await AsyncWeb3(WebSocketProvider(url))` connects it.
  'web3.AsyncWeb3': 'web3.AsyncWeb3',
  'web3.main.AsyncWeb3': 'web3.AsyncWeb3',
  // LangGraph's async checkpointers, entered: `async with AsyncPostgresSaver.from_conn_string(uri) as checkpointer`.
  'langgraph.checkpoint.postgres.aio.AsyncPostgresSaver.from_conn_string': 'langgraph.checkpoint.postgres.aio.AsyncPostgresSaver',
  'langgraph.checkpoint.sqlite.aio.AsyncSqliteSaver.from_conn_string': 'langgraph.checkpoint.sqlite.aio.AsyncSqliteSaver',
  'asyncpg.connect': 'asyncpg.Connection',
  'asyncpg.create_pool': 'asyncpg.Pool',
  'asyncio.create_subprocess_exec': 'asyncio.subprocess.Process',
  'asyncio.create_subprocess_shell': 'asyncio.subprocess.Process',
  'asyncio.start_server': 'asyncio.Server',
  'asyncio.start_unix_server': 'asyncio.Server',
  'aiofiles.open': 'aiofiles.threadpool.AsyncFile',
  'aiofiles.threadpool.open': 'aiofiles.threadpool.AsyncFile',
  'aiofiles.tempfile.NamedTemporaryFile': 'aiofiles.threadpool.AsyncFile',
  'aiofiles.tempfile.TemporaryFile': 'aiofiles.threadpool.AsyncFile',
  'anyio.open_file': 'anyio.AsyncFile',
  // Entered: the nursery / task group, whose `start()` waits for the task to signal it started.
  'trio.open_nursery': 'trio.Nursery',
  'anyio.create_task_group': 'anyio.abc.TaskGroup',
  ...Object.fromEntries(WEBSOCKET_CONNECTS.map((f) => [f, WEBSOCKET])),
  'aiosqlite.connect': 'aiosqlite.Connection',
  'aiomysql.connect': 'aiomysql.Connection',
  'aiomysql.create_pool': 'aiomysql.Pool',
  'psycopg.AsyncConnection.connect': 'psycopg.AsyncConnection',
  'asyncssh.connect': 'asyncssh.SSHClientConnection',
  'aio_pika.connect': 'aio_pika.abc.AbstractConnection',
  'aio_pika.connect_robust': 'aio_pika.abc.AbstractConnection',
  'nats.connect': 'nats.aio.client.Client',
  'playwright.async_api.async_playwright': 'playwright.async_api.Playwright',
  'chromadb.AsyncHttpClient': 'chromadb.api.AsyncClientAPI',
  'temporalio.client.Client.connect': 'temporalio.client.Client',
  'temporalio.testing.WorkflowEnvironment.start_local': 'temporalio.testing.WorkflowEnvironment',
  'temporalio.testing.WorkflowEnvironment.start_time_skipping': 'temporalio.testing.WorkflowEnvironment',
  'temporalio.workflow.start_child_workflow': 'temporalio.workflow.ChildWorkflowHandle',
  'arq.create_pool': 'arq.connections.ArqRedis',
  'arq.connections.create_pool': 'arq.connections.ArqRedis',
};

/** What a synchronous library function gives (a client made without await, a loop getter). */
export const CALL_RESULTS: Readonly<Record<string, string>> = {
  // The project's user model (`User = get_user_model()`; `get_user_model().objects.get(...)`).
  'django.contrib.auth.get_user_model': 'django.db.models.Model',
  'langgraph_sdk.get_client': 'langgraph_sdk.client.LangGraphClient',
  'langgraph_sdk.client.get_client': 'langgraph_sdk.client.LangGraphClient',
  // The Agents SDK's streamed run, given at once (`result = Runner.run_streamed(agent, input)`).
  'agents.Runner.run_streamed': 'agents.result.RunResultStreaming',
  'agents.run.Runner.run_streamed': 'agents.result.RunResultStreaming',
  ...Object.fromEntries([...LOOP_GETTERS].map((f) => [f, 'asyncio.AbstractEventLoop'])),
  ...Object.fromEntries(
    ['redis.asyncio.from_url', 'redis.asyncio.utils.from_url', 'redis.asyncio.Redis.from_url', 'redis.asyncio.StrictRedis.from_url', 'aioredis.from_url', 'aioredis.Redis.from_url'].map((f) => [f, 'redis.asyncio.Redis']),
  ),
  'sqlalchemy.ext.asyncio.create_async_engine': 'sqlalchemy.ext.asyncio.AsyncEngine',
  'sqlalchemy.ext.asyncio.engine.create_async_engine': 'sqlalchemy.ext.asyncio.AsyncEngine',
  'grpc.aio.server': 'grpc.aio.Server',
  'aiobotocore.session.get_session': 'aiobotocore.session.AioSession',
  'grpc.aio.insecure_channel': 'grpc.aio.Channel',
  'grpc.aio.secure_channel': 'grpc.aio.Channel',
  'channels.layers.get_channel_layer': 'channels.layers.BaseChannelLayer',
  'discord.Webhook.from_url': 'discord.Webhook',
  'playwright.async_api.async_playwright': 'playwright.async_api.PlaywrightContextManager',
  'playwright.async_api.expect': 'playwright.async_api.LocatorAssertions',
  'temporalio.workflow.get_external_workflow_handle': 'temporalio.workflow.ExternalWorkflowHandle',
  'temporalio.workflow.get_external_workflow_handle_for': 'temporalio.workflow.ExternalWorkflowHandle',
  'temporalio.testing.WorkflowEnvironment.from_client': 'temporalio.testing.WorkflowEnvironment',
  'saq.Queue.from_url': 'saq.Queue',
  // A logger from structlog's default configuration (or `structlog.stdlib`): its `a`-prefixed methods are coroutines.
  'structlog.get_logger': 'structlog.typing.FilteringBoundLogger',
  'structlog.stdlib.get_logger': 'structlog.stdlib.BoundLogger',
  'saq.queue.Queue.from_url': 'saq.Queue',
  // vLLM's engine, made from its arguments by a class method.
  ...Object.fromEntries(
    ['vllm.AsyncLLMEngine', 'vllm.engine.async_llm_engine.AsyncLLMEngine', 'vllm.v1.engine.async_llm.AsyncLLM'].map((c) => [`${c}.from_engine_args`, 'vllm.AsyncLLMEngine']),
  ),
};

/**
 * Wrappers that patch an LLM client and give it back with the same API (`instructor.from_openai(AsyncOpenAI())`:
 * `await client.chat.completions.create(..., response_model=M)`): the result has the class of the first argument.
 */
export const CLIENT_PATCHERS: ReadonlySet<string> = new Set(['instructor.from_openai', 'instructor.from_anthropic', 'instructor.from_groq', 'instructor.patch', 'instructor.apatch']);

/** Type aliases of libraries for callables whose call gives an awaitable (`call_next: RequestResponseEndpoint`). */
export const LIBRARY_COROUTINE_CALLABLES: Readonly<Record<string, 'coroutine' | 'awaitable'>> = {
  'starlette.middleware.base.RequestResponseEndpoint': 'awaitable',
  'starlette.types.ASGIApp': 'awaitable',
  'starlette.types.Receive': 'awaitable',
  'starlette.types.Send': 'awaitable',
  // Slack Bolt's listener arguments (`async def handler(ack: AsyncAck, say: AsyncSay, respond: AsyncRespond)`): `async def __call__`.
  ...Object.fromEntries(
    [['ack', 'AsyncAck'], ['say', 'AsyncSay'], ['respond', 'AsyncRespond'], ['complete', 'AsyncComplete'], ['fail', 'AsyncFail']].flatMap(([mod, cls]) => [
      [`slack_bolt.async_app.${cls}`, 'coroutine'],
      [`slack_bolt.context.${mod}.async_${mod}.${cls}`, 'coroutine'],
    ]),
  ),
};

/** Library classes whose instances are called to make another (`self.session_factory()` with `session_factory: async_sessionmaker`). */
export const FACTORY_INSTANCE_RESULTS: Readonly<Record<string, string>> = {
  'sqlalchemy.ext.asyncio.async_sessionmaker': 'sqlalchemy.ext.asyncio.AsyncSession',
};

/** Factories of session factories: calling what they return makes an instance of the class (`async_sessionmaker(engine)()`). */
export const FACTORY_FACTORIES: Readonly<Record<string, string>> = {
  'sqlalchemy.ext.asyncio.async_sessionmaker': 'sqlalchemy.ext.asyncio.AsyncSession',
  'sqlalchemy.ext.asyncio.session.async_sessionmaker': 'sqlalchemy.ext.asyncio.AsyncSession',
  'sqlalchemy.ext.asyncio.async_scoped_session': 'sqlalchemy.ext.asyncio.AsyncSession',
  'sqlalchemy.ext.asyncio.scoping.async_scoped_session': 'sqlalchemy.ext.asyncio.AsyncSession',
};
