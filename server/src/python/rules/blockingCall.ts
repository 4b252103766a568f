/**
 * blocking-call-in-async (Python): synchronous calls that block the thread, made directly in an
 * `async def`. Callees are resolved through imports, aliases and shadowing (PythonScope), so
 * `from time import sleep as nap; nap(1)` is found and a local `def sleep()` is not.
 */
import type { SyntaxNode as Node } from '../syntax';
import type { Fix, TextEdit } from '../../engine/types';
import type { PythonRuleContext } from '../context';
import { type AwaitableResolver, awaitablesOf } from '../awaitables';
import { hasCheckpoint } from './cancellation';
import { DECLARED_GENERIC_ATTRIBUTES, DJANGO_INSTANCE_QUERIES, DJANGO_QUERIES, REDIS_COMMANDS, SLACK_WEB_METHODS, ccxtExchangeClass } from '../knowledge/awaitables';
import { classNameOfAnnotation, firstAtOrAfter, isAsyncFunction, qualifiedThroughImports, subscriptParts, type ModuleSummary } from '../project';
import type { Binding } from '../scope';
import { qasyncSlot, textualLoopMethod } from '../textual';
import { argumentFor, assignedValue, awaitEdits, valueBoundOnce, builtinCalled, callArguments, calleeName, canInsertAwait, enclosingClassNode, eventLoopModule, localBaseClasses, field, mentions, moduleAt, nodesOfType, parentOf, textOf, typeOf, withItemValues } from '../util';

/** What the file mentions, asked per node (see mentions()). */
const CHANNELS_MENTION = /\bchannels\b/;
const CELERY_MENTION = /celery|shared_task|\.task\b|AsyncResult/;
const LLAMA_INDEX_MENTION = /\bllama_index\b/;

type FixKind = 'asyncio-sleep' | 'to-thread' | 'none';

interface BlockingApi {
  /** Equivalent ruff / flake8-async code. */
  anchor?: string;
  /** What to say after "blocks the event loop". */
  what: string;
  fix: FixKind;
}

const SLEEP: BlockingApi = { anchor: 'ASYNC251', what: 'sleeps the whole thread', fix: 'asyncio-sleep' };
const HTTP: BlockingApi = { anchor: 'ASYNC210', what: 'makes a synchronous HTTP request', fix: 'to-thread' };
const PROC_CREATE: BlockingApi = { anchor: 'ASYNC220', what: 'starts a process synchronously', fix: 'none' };
const PROC_RUN: BlockingApi = { anchor: 'ASYNC221', what: 'runs a process and waits for it', fix: 'to-thread' };
const PROC_WAIT: BlockingApi = { anchor: 'ASYNC222', what: 'waits for a process', fix: 'to-thread' };
const FILE_OPEN: BlockingApi = { anchor: 'ASYNC230', what: 'opens a file synchronously', fix: 'none' };
const PATH_STAT: BlockingApi = { anchor: 'ASYNC240', what: 'touches the file system synchronously', fix: 'to-thread' };
const FILE_COPY: BlockingApi = { what: 'copies or removes files synchronously', fix: 'to-thread' };
/** TLS contexts loading certificates and keys from disk. */
const SSL_LOAD: BlockingApi = { what: 'loads certificates from disk synchronously', fix: 'to-thread' };
const INPUT: BlockingApi = { anchor: 'ASYNC250', what: 'waits for console input', fix: 'to-thread' };
const DNS: BlockingApi = { what: 'resolves or connects synchronously', fix: 'to-thread' };
const AWS: BlockingApi = { what: 'makes a synchronous AWS API call', fix: 'to-thread' };
/** boto3 client operations met in async services (the client is synchronous; aioboto3/aiobotocore are not). */
const AWS_OPERATIONS = [
  'put_object', 'get_object', 'delete_object', 'delete_objects', 'head_object', 'copy_object', 'list_objects', 'list_objects_v2',
  'list_buckets', 'create_bucket', 'upload_file', 'upload_fileobj', 'download_file', 'download_fileobj', 'get_item', 'put_item',
  'update_item', 'delete_item', 'query', 'scan', 'batch_get_item', 'batch_write_item', 'transact_write_items', 'send_message',
  'send_message_batch', 'receive_message', 'delete_message', 'publish', 'invoke', 'start_execution', 'put_events', 'put_record',
  'put_records', 'get_secret_value', 'get_parameter', 'get_parameters', 'put_parameter', 'describe_instances', 'send_email',
  'send_raw_email', 'get_caller_identity', 'assume_role', 'put_metric_data',
];
/** A boto3 waiter's `wait()`: it polls the API, sleeping between calls, until the resource is ready. */
const AWS_WAIT: BlockingApi = { what: 'polls the AWS API synchronously until the resource is ready', fix: 'to-thread' };
const SSH: BlockingApi = { what: 'talks to an SSH server synchronously', fix: 'to-thread' };
const KUBE: BlockingApi = { what: 'makes a synchronous Kubernetes API call (kubernetes_asyncio has the async client)', fix: 'to-thread' };
/** The API classes of the synchronous Kubernetes client (`client.CoreV1Api()`, `client.AppsV1Api(api_client)`). */
const KUBE_API = /^kubernetes\.client\.(api\.\w+\.)?\w+Api$/;
/** Their API calls, by the client generator's naming: `list_namespaced_pod`, `read_namespaced_pod_log`, `patch_...`. */
const KUBE_METHOD = /^(list|read|create|patch|replace|delete|connect)_\w+$/;
/** Brokers' and RPC frameworks' synchronous clients, each with an asyncio twin. */
const RABBIT: BlockingApi = { what: 'talks to RabbitMQ synchronously (pika\'s BlockingConnection; aio-pika is the asyncio client)', fix: 'none' };
const KAFKA: BlockingApi = { what: 'waits for the Kafka broker on this thread (aiokafka is the asyncio client)', fix: 'to-thread' };
const GRPC_SYNC: BlockingApi = { what: 'makes a blocking gRPC call through a stub over a synchronous channel (grpc.aio channels give awaitable calls)', fix: 'to-thread' };
/** gRPC method names, as generated stubs spell them. */
const GRPC_METHOD = /^[A-Z]\w*$/;
/**
 * Methods of a boto3 client (or resource) that make no request (presigning, paginators and waiters
 * are made locally; a table's batch writer buffers until it is left).
 */
const AWS_LOCAL = new Set(['generate_presigned_url', 'generate_presigned_post', 'get_paginator', 'get_waiter', 'can_paginate', 'close', 'exceptions', 'meta', 'batch_writer', 'get_available_subresources']);
const MAIL: BlockingApi = { what: 'talks to a mail server synchronously', fix: 'none' };
/** Model API calls of the LLM SDKs' synchronous clients: each has an async client to await instead. */
const llmCall = (asyncClient: string): BlockingApi => ({ what: `calls the model API synchronously (the SDK's ${asyncClient} client awaits it)`, fix: 'none' });
// `stream()` too: entered with `with`, it makes the request and reads the response synchronously.
const LLM_METHODS = ['create', 'retrieve', 'update', 'delete', 'cancel', 'parse', 'generate', 'edit', 'upload', 'count_tokens', 'create_and_poll', 'poll', 'create_variation', 'wait_for_processing', 'stream'];
const GENAI_METHODS = ['generate_content', 'generate_content_stream', 'embed_content', 'count_tokens', 'generate_images', 'upload', 'send_message'];
/** The resources of an LLM SDK's synchronous client, reached by attributes (`client.chat.completions`): the client class → the resource class. */
const SDK_RESOURCES: Readonly<Record<string, string>> = {
  'openai.OpenAI': 'openai.resources.SyncAPIResource',
  'openai.resources.SyncAPIResource': 'openai.resources.SyncAPIResource',
  'anthropic.Anthropic': 'anthropic.resources.SyncAPIResource',
  'anthropic.resources.SyncAPIResource': 'anthropic.resources.SyncAPIResource',
  'google.genai.Client': 'google.genai.resources.Resource',
  'groq.Groq': 'groq.resources.SyncAPIResource',
  'groq.resources.SyncAPIResource': 'groq.resources.SyncAPIResource',
  // `client.customers`, `client.checkout.sessions`, `client.v1.payment_intents` on a StripeClient.
  'stripe.StripeClient': 'stripe.StripeService',
  'stripe.StripeService': 'stripe.StripeService',
  // `client.messages`, `client.verify.v2.services(sid).verification_checks` on a Twilio client.
  'twilio.rest.Client': 'twilio.Resource',
  'twilio.Resource': 'twilio.Resource',
  'razorpay.Client': 'razorpay.Resource',
};
/** LiteLLM's synchronous calls (module-level and on a `Router`): each has an `a`-prefixed coroutine twin. */
const LITELLM: BlockingApi = { what: 'calls the model API synchronously (its a-prefixed twin, litellm.acompletion/aembedding/..., awaits it)', fix: 'none' };
const LITELLM_CALLS = ['completion', 'embedding', 'text_completion', 'image_generation', 'transcription', 'speech', 'moderation'];
/**
 * Model inference run in-process (transformers, diffusers, sentence-transformers, llama.cpp,
 * Whisper, Ultralytics, vLLM's offline engine): seconds of CPU or GPU work on the calling thread.
 * Loading a model (`from_pretrained`, `pipeline(...)`) is left alone: it belongs to start-up, where
 * a lifespan handler loads models before any request arrives.
 */
const INFERENCE: BlockingApi = { what: 'runs model inference on this thread (CPU or GPU work that can take seconds)', fix: 'to-thread' };
/** Libraries whose model objects are called directly (`classifier(text)`, `pipe(prompt)`). */
const MODEL_LIBRARIES = /\b(transformers|diffusers|sentence_transformers|llama_cpp|ultralytics|whisper|vllm)\b/;
/** transformers classes loaded with `from_pretrained` that are models (not tokenizers, processors or configs). */
const TRANSFORMERS_MODEL = /^transformers\.(?!\w*(Tokenizer|Processor|Config|FeatureExtractor|Extractor)\b)(AutoModel\w*|\w+Model|\w+For[A-Z]\w*|\w+LMHeadModel)\.from_pretrained$/;
const DIFFUSERS_PIPELINE = /^diffusers\.(\w*Pipeline\w*)\.(from_pretrained|from_single_file|from_pipe)$/;
const HF_INFERENCE: BlockingApi = { what: "calls the inference API synchronously (huggingface_hub's AsyncInferenceClient awaits it)", fix: 'none' };
/** The task calls of huggingface_hub's synchronous InferenceClient: each is an HTTP request to the inference server. */
const HF_INFERENCE_CALLS = [
  'text_generation', 'chat_completion', 'feature_extraction', 'text_to_image', 'text_to_speech', 'automatic_speech_recognition',
  'summarization', 'translation', 'sentence_similarity', 'question_answering', 'zero_shot_classification', 'text_classification',
  'token_classification', 'fill_mask', 'image_classification', 'image_segmentation', 'image_to_text', 'object_detection',
  'audio_classification', 'visual_question_answering', 'document_question_answering', 'table_question_answering', 'post',
];
const OLLAMA: BlockingApi = { what: "calls the Ollama server synchronously (ollama's AsyncClient awaits it)", fix: 'none' };
/** The calls of Ollama's synchronous client, also bound at module level (`ollama.chat(...)`). */
const OLLAMA_CALLS = ['chat', 'generate', 'embed', 'embeddings', 'pull', 'push', 'create', 'delete', 'list', 'copy', 'show', 'ps'];
/** CrewAI: a crew's kickoff runs every task, with each agent's model calls and tools, on this thread. */
const CREW: BlockingApi = { what: "runs the whole crew synchronously, each agent's model calls and tools on this thread (await its kickoff_async(...) twin instead)", fix: 'none' };
const VECTOR_DB = (asyncClient: string): BlockingApi => ({ what: `runs a synchronous vector-store call (${asyncClient} awaits it)`, fix: 'none' });
const QDRANT_CALLS = [
  'upsert', 'search', 'search_batch', 'query_points', 'query_batch_points', 'query_points_groups', 'query', 'retrieve', 'delete', 'scroll',
  'count', 'create_collection', 'recreate_collection', 'delete_collection', 'get_collection', 'get_collections', 'collection_exists',
  'update_collection', 'set_payload', 'overwrite_payload', 'delete_payload', 'clear_payload', 'create_payload_index', 'delete_vectors',
  'update_vectors', 'recommend', 'discover', 'upload_points', 'upload_collection',
];
/** A Chroma client's collection calls: over HTTP (`HttpClient`) or on disk (`PersistentClient`). */
const CHROMA_CLIENT_CALLS = ['heartbeat', 'list_collections', 'count_collections', 'create_collection', 'get_collection', 'get_or_create_collection', 'delete_collection', 'reset', 'get_version'];
const CHROMA_COLLECTION_CALLS = ['add', 'get', 'query', 'upsert', 'update', 'delete', 'count', 'peek', 'modify'];
const HF_DOWNLOAD: BlockingApi = { what: 'downloads from the Hugging Face Hub synchronously', fix: 'to-thread' };
/** pyserial: reads wait for data until the port's timeout (forever without one); writes wait for the port. */
const SERIAL: BlockingApi = { what: 'reads or writes the serial port synchronously (pyserial-asyncio gives asyncio streams)', fix: 'to-thread' };
/** Sentry's flush waits on this thread (up to its timeout, 2 s by default) for the transport to send the queued events. */
const SENTRY_FLUSH: BlockingApi = { what: "waits on this thread for Sentry's transport to send queued events", fix: 'to-thread' };
/** prometheus_client's Pushgateway helpers make a synchronous HTTP request. */
const PUSHGATEWAY: BlockingApi = { what: 'makes a synchronous HTTP request to the Pushgateway', fix: 'to-thread' };
const MQTT: BlockingApi = { what: "talks to the MQTT broker synchronously (paho's loop_start()/connect_async() do it on its own thread; aiomqtt is an asyncio client)", fix: 'to-thread' };
const MODBUS: BlockingApi = { what: 'talks to the Modbus device synchronously (pymodbus has AsyncModbusTcpClient/AsyncModbusSerialClient)', fix: 'to-thread' };
const MODBUS_CALLS = [
  'connect', 'execute', 'read_coils', 'read_discrete_inputs', 'read_holding_registers', 'read_input_registers', 'write_coil', 'write_coils',
  'write_register', 'write_registers', 'readwrite_registers', 'mask_write_register', 'read_exception_status', 'read_device_information',
  'report_device_id', 'read_fifo_queue', 'read_file_record', 'write_file_record',
];
/** websocket-client, the synchronous websocket library (websockets is the asyncio one). */
const WS_CLIENT: BlockingApi = { what: 'talks over a websocket synchronously (websocket-client; the websockets library is the asyncio one)', fix: 'to-thread' };
/** websockets' own threading client (`websockets.sync.client.connect`), next to its asyncio one. */
const WS_SYNC: BlockingApi = { what: 'talks over a websocket synchronously (websockets.sync; websockets.asyncio.client.connect is the asyncio client)', fix: 'none' };
/** Playwright's synchronous API inside a coroutine: it raises at once ("using Playwright Sync API inside the asyncio loop"). */
const PLAYWRIGHT_SYNC: BlockingApi = { what: "starts Playwright's sync API, which runs its own loop on this thread and raises inside a running asyncio loop (playwright.async_api.async_playwright is the asyncio API)", fix: 'none' };
const XML_PARSE: BlockingApi = { what: 'reads the file or fetches the URL it is given synchronously (read or fetch it asynchronously, then parse the bytes with fromstring())', fix: 'to-thread' };
/** Pillow reading an image or a font file it is given by name (`Image.open(path)`, `ImageFont.truetype("font.ttf", 32)`), or saving an image to one. */
const IMAGE_FILE: BlockingApi = { what: 'reads or writes the image (or font) file it is given synchronously', fix: 'to-thread' };
/** yt-dlp / youtube-dl: extracting or downloading fetches pages and media over HTTP on this thread (and may run ffmpeg). */
const YTDL: BlockingApi = { what: 'extracts or downloads media synchronously (HTTP requests, and ffmpeg for some formats)', fix: 'to-thread' };
/** psutil's CPU sampling given an interval sleeps for it. */
const CPU_SAMPLE: BlockingApi = { what: 'sleeps for its interval to sample CPU usage (interval=None compares with the previous call and returns at once)', fix: 'to-thread' };
const FEED_PARSE: BlockingApi = { what: 'fetches or reads the feed it is given synchronously (fetch it with the async client and pass the text to feedparser.parse)', fix: 'to-thread' };
const MDNS: BlockingApi = { what: "waits for mDNS on this thread (zeroconf.asyncio's AsyncZeroconf has async_ twins)", fix: 'none' };
/** A socket that `socket.create_connection()`/`create_server()` made: blocking (or with a timeout) unless set otherwise. */
const SOCKET_IO: BlockingApi = { what: 'waits on a blocking socket (asyncio streams or loop.sock_* do not block)', fix: 'none' };
/** Cloud and infrastructure SDKs' synchronous clients, each with an async twin (or a thread to run in). */
const SEARCH: BlockingApi = { what: 'makes a synchronous search-cluster request (AsyncElasticsearch/AsyncOpenSearch await it)', fix: 'to-thread' };
const SEARCH_CALLS = [
  'search', 'index', 'get', 'get_source', 'update', 'delete', 'bulk', 'count', 'exists', 'exists_source', 'mget', 'msearch', 'scroll',
  'clear_scroll', 'delete_by_query', 'update_by_query', 'reindex', 'ping', 'info', 'create', 'open_point_in_time', 'close_point_in_time',
  'search_template', 'msearch_template', 'termvectors', 'mtermvectors', 'explain', 'field_caps', 'knn_search', 'rank_eval',
];
/** The namespaced APIs of a search client (`es.indices.refresh(...)`, `es.cluster.health()`), each a request. */
const SEARCH_NAMESPACES = new Set(['indices', 'cluster', 'cat', 'nodes', 'tasks', 'snapshot', 'ingest', 'security', 'ml', 'transform', 'sql', 'ilm', 'enrich', 'async_search', 'license', 'watcher']);
const SEARCH_NAMESPACE_CALLS = [
  'refresh', 'create', 'delete', 'exists', 'exists_alias', 'get', 'put_mapping', 'get_mapping', 'put_settings', 'get_settings', 'health', 'stats',
  'put_alias', 'get_alias', 'delete_alias', 'update_aliases', 'flush', 'forcemerge', 'put_index_template', 'get_index_template',
  'delete_index_template', 'put_template', 'get_template', 'state', 'open', 'close', 'rollover', 'analyze', 'indices', 'shards', 'allocation',
  'put_pipeline', 'get_pipeline', 'delete_pipeline', 'create_repository', 'restore', 'cancel', 'list', 'info', 'pending_tasks', 'reroute', 'query',
];
const AZURE_STORAGE: BlockingApi = { what: 'makes a synchronous Azure Storage request (azure.storage.blob.aio has the async client)', fix: 'to-thread' };
const AZURE_BLOB_CALLS = [
  'upload_blob', 'download_blob', 'delete_blob', 'exists', 'get_blob_properties', 'set_blob_metadata', 'set_http_headers', 'start_copy_from_url',
  'abort_copy', 'create_snapshot', 'stage_block', 'commit_block_list', 'get_block_list', 'set_blob_tags', 'get_blob_tags', 'undelete_blob',
  'acquire_lease', 'set_standard_blob_tier', 'upload_blob_from_url', 'create_append_blob', 'append_block',
];
const AZURE_CONTAINER_CALLS = [
  'create_container', 'delete_container', 'exists', 'get_container_properties', 'set_container_metadata', 'upload_blob', 'download_blob',
  'delete_blob', 'delete_blobs', 'set_container_access_policy', 'get_container_access_policy', 'acquire_lease',
];
const AZURE_SERVICE_CALLS = [
  'create_container', 'delete_container', 'get_service_properties', 'set_service_properties', 'get_service_stats', 'get_account_information',
  'get_user_delegation_key', 'undelete_container',
];
const GCS: BlockingApi = { what: 'makes a synchronous Cloud Storage request (run it in a thread, or use gcloud-aio-storage)', fix: 'to-thread' };
const GCS_BUCKET_CALLS = [
  'exists', 'reload', 'patch', 'update', 'delete', 'create', 'get_blob', 'delete_blob', 'delete_blobs', 'copy_blob', 'rename_blob', 'make_public',
  'get_iam_policy', 'set_iam_policy',
];
const GCS_BLOB_CALLS = [
  'upload_from_file', 'upload_from_filename', 'upload_from_string', 'download_as_bytes', 'download_as_string', 'download_as_text',
  'download_to_filename', 'download_to_file', 'exists', 'reload', 'delete', 'patch', 'update', 'rewrite', 'compose', 'make_public', 'make_private',
  'create_resumable_upload_session',
];
const PUBSUB: BlockingApi = { what: 'makes a synchronous Pub/Sub request (the SubscriberAsyncClient/PublisherAsyncClient await it)', fix: 'to-thread' };
const DOCKER: BlockingApi = { what: 'talks to the Docker daemon synchronously (aiodocker is the asyncio client)', fix: 'to-thread' };
/** The calls of the docker SDK's collections (`client.containers.run(...)`) and of what they give (`container.restart()`). */
const DOCKER_COLLECTION_CALLS = ['list', 'get', 'run', 'create', 'prune', 'pull', 'push', 'build', 'remove', 'load', 'search', 'import_image'];
const DOCKER_MODEL_CALLS = ['start', 'stop', 'restart', 'kill', 'remove', 'wait', 'logs', 'exec_run', 'reload', 'pause', 'unpause', 'commit', 'top', 'stats', 'tag', 'history', 'save', 'attach', 'put_archive', 'get_archive'];
const VAULT: BlockingApi = { what: 'makes a synchronous Vault request (hvac is synchronous: run it in a thread)', fix: 'to-thread' };
/** hvac's calls, on the client (`client.read(path)`) and on its API groups (`client.secrets.kv.v2.read_secret_version(...)`). */
const VAULT_CALLS = [
  'read', 'write', 'list', 'delete', 'is_authenticated', 'is_initialized', 'is_sealed', 'lookup_token', 'renew_token', 'revoke_token', 'login', 'auth_approle',
  'auth_kubernetes', 'read_secret_version', 'read_secret', 'create_or_update_secret', 'patch', 'delete_latest_version_of_secret', 'delete_secret_versions',
  'destroy_secret_versions', 'list_secrets', 'read_secret_metadata', 'delete_metadata_and_all_versions', 'read_health_status', 'read_seal_status',
  'lookup_self', 'renew_self', 'create', 'generate_credentials', 'encrypt_data', 'decrypt_data', 'sign_data', 'verify_signed_data', 'generate_certificate',
  'issue_certificate',
];
/**
 * Airflow's hooks are synchronous (a `BaseTrigger.run` that calls one blocks the triggerer, which runs
 * every deferred task's trigger on one event loop): every method talks to the service or the metadata
 * database (`get_connection`, `get_conn`, `get_records`, `check_for_key`, `run`, ...).
 */
const AIRFLOW_HOOK: BlockingApi = {
  what: "calls a synchronous Airflow hook (run it in a thread, `await sync_to_async(hook.method)(...)`, or use the provider's async hook)",
  fix: 'to-thread',
};
/** A hook class of Airflow or of a provider (`airflow.providers.amazon.aws.hooks.s3.S3Hook`); not the async ones (`HttpAsyncHook`). */
const AIRFLOW_HOOK_CLASS = /^airflow\.([\w.]+\.)?(?!\w*Async)\w*Hook$/;
/** Hook methods that only describe the hook (its connection form in the UI): no I/O. */
const AIRFLOW_HOOK_LOCAL = new Set(['get_ui_field_behaviour', 'get_connection_form_widgets']);
/**
 * Password hashing and key derivation: CPU work made slow on purpose (bcrypt, argon2, PBKDF2, scrypt:
 * tens to hundreds of milliseconds per call). The libraries release the GIL, so a worker thread runs it
 * while the loop serves other requests. Cheap digests (`hashlib.sha256`, `hmac`) are not reported.
 */
const PASSWORD_HASH: BlockingApi = { what: 'hashes a password on the event loop (key stretching is slow on purpose: tens to hundreds of milliseconds of CPU per call)', fix: 'to-thread' };
/** passlib's password handlers, used through their module (`from passlib.hash import bcrypt; bcrypt.hash(pw)`). */
const PASSLIB_HANDLER = /^passlib\.hash\.\w+\.(hash|verify|encrypt|genhash)$/;
/** stripe-python's API calls: each is a synchronous HTTP request, with an `_async` twin to await (stripe-python 10+). */
const STRIPE: BlockingApi = { what: "makes a synchronous Stripe API request (its _async twin awaits it: create_async, retrieve_async, ...)", fix: 'to-thread' };
/** `stripe.Customer.create(...)`, `stripe.checkout.Session.retrieve(...)`: a resource class's API method, under its namespace if any. */
const STRIPE_RESOURCE_CALL = /^stripe\.([a-z_]+\.)?[A-Z]\w*\.([a-z][a-z0-9_]*)$/;
/** Resource class methods that make no request: building objects, signing and checking webhooks, URLs. */
const STRIPE_LOCAL = new Set(['construct_from', 'construct_event', 'verify_header', 'compute_signature', 'class_url', 'instance_url', 'refresh_from', 'to_dict', 'to_dict_recursive', 'serialize', 'get', 'keys', 'values', 'items']);
/** The methods of a `StripeClient` service (`client.customers`, `client.checkout.sessions`, `client.v1.invoices`). */
const STRIPE_SERVICE_METHODS = [
  'create', 'retrieve', 'update', 'delete', 'list', 'search', 'cancel', 'capture', 'confirm', 'finalize_invoice', 'pay', 'void_invoice',
  'send_invoice', 'mark_uncollectible', 'upcoming', 'upcoming_lines', 'expire', 'attach', 'detach', 'verify_microdeposits',
  'apply_customer_balance', 'increment_authorization', 'reject', 'resume', 'approve', 'decline', 'preview', 'create_preview',
  'list_line_items', 'reverse', 'release', 'migrate',
];
/** Whether a resolved name is a module-level Stripe API call (not an `_async` twin, nor local work). */
function stripeResourceCall(name: string): boolean {
  const m = STRIPE_RESOURCE_CALL.exec(name);
  return !!m && !m[2].endsWith('_async') && !STRIPE_LOCAL.has(m[2]) && !/^stripe\.(Webhook|WebhookSignature|StripeClient|StripeObject|error|util)\./.test(name);
}
/** Notification SDKs' synchronous clients, each call an HTTPS request. */
const TWILIO: BlockingApi = { what: "makes a synchronous Twilio API request (its _async twin awaits it, over an AsyncTwilioHttpClient)", fix: 'to-thread' };
/** The calls of a Twilio resource list or context (`client.messages.create(...)`, `client.calls("CA...").fetch()`). */
const TWILIO_METHODS = ['create', 'fetch', 'update', 'delete', 'list', 'stream', 'page'];
const SENDGRID: BlockingApi = { what: 'sends the mail through the SendGrid API synchronously', fix: 'to-thread' };
const SLACK_SYNC: BlockingApi = { what: "makes a synchronous Slack API request (slack_sdk's AsyncWebClient awaits it)", fix: 'to-thread' };
/** PyJWT's JWKS client fetches the key set with urllib when its cache is cold or a token names a new key. */
const JWKS_FETCH: BlockingApi = { what: 'may fetch the JWKS with a synchronous HTTP request (urllib; on a cold cache or an unknown key id)', fix: 'to-thread' };
/** firebase_admin's messaging and user management: synchronous HTTPS requests (the Admin SDK has no asyncio API). */
const FIREBASE: BlockingApi = { what: 'makes a synchronous request to Firebase (the Admin SDK has no asyncio API)', fix: 'to-thread' };
const FIREBASE_MESSAGING = ['send', 'send_all', 'send_each', 'send_multicast', 'send_each_for_multicast', 'subscribe_to_topic', 'unsubscribe_from_topic'];
const FIREBASE_AUTH = [
  'get_user', 'get_user_by_email', 'get_user_by_phone_number', 'get_users', 'list_users', 'create_user', 'update_user', 'delete_user',
  'delete_users', 'import_users', 'set_custom_user_claims', 'revoke_refresh_tokens', 'create_session_cookie', 'generate_password_reset_link',
  'generate_email_verification_link', 'generate_sign_in_with_email_link',
];
/** Token checks that fetch Google's public certificates over HTTP (google-auth fetches them on every call; firebase_admin when its cache is stale). */
const GOOGLE_TOKEN: BlockingApi = { what: "verifies the token against Google's public certificates, fetched with a synchronous HTTP request", fix: 'to-thread' };
/** Identity providers' synchronous clients: each call is an HTTPS request to the provider. */
const KEYCLOAK: BlockingApi = { what: "makes a synchronous request to Keycloak (python-keycloak's a_-prefixed twins await it: a_token, a_userinfo, ...)", fix: 'to-thread' };
const KEYCLOAK_OPENID = ['token', 'refresh_token', 'userinfo', 'introspect', 'logout', 'public_key', 'well_known', 'certs', 'exchange_token', 'uma_permissions', 'has_uma_access', 'entitlement'];
const KEYCLOAK_ADMIN = [
  'create_user', 'get_user', 'get_users', 'get_user_id', 'update_user', 'delete_user', 'set_user_password', 'send_verify_email',
  'send_update_account', 'get_realm_roles', 'assign_realm_roles', 'get_realm_roles_of_user', 'get_groups', 'get_group', 'group_user_add',
  'group_user_remove', 'get_user_groups', 'get_clients', 'get_client_id', 'assign_client_role', 'get_client_roles_of_user', 'user_logout',
  'get_sessions', 'count_users',
];
const MSAL: BlockingApi = { what: 'asks the identity provider for a token with a synchronous HTTP request (MSAL has no asyncio API)', fix: 'to-thread' };
const MSAL_ACQUIRE = [
  'acquire_token_for_client', 'acquire_token_by_authorization_code', 'acquire_token_by_auth_code_flow', 'acquire_token_on_behalf_of',
  'acquire_token_by_username_password', 'acquire_token_by_refresh_token', 'acquire_token_silent', 'acquire_token_silent_with_error',
  'acquire_token_by_device_flow', 'initiate_device_flow', 'acquire_token_interactive',
];
const DB: BlockingApi = { what: 'opens a synchronous database connection', fix: 'none' };
const DB_QUERY: BlockingApi = { what: 'runs a synchronous database query', fix: 'none' };
const REDIS: BlockingApi = { what: 'makes a synchronous Redis call (redis.asyncio has the async client)', fix: 'none' };
const MONGO: BlockingApi = { what: "runs a synchronous MongoDB operation (motor, or pymongo's AsyncMongoClient, awaits it)", fix: 'none' };
const ORM: BlockingApi = { what: 'runs a synchronous SQLAlchemy query (an AsyncSession awaits it)', fix: 'none' };
const DATAFRAME_READ: BlockingApi = { what: 'reads a file, URL or database synchronously', fix: 'to-thread' };
const DATAFRAME_WRITE: BlockingApi = { what: 'writes a file or database synchronously', fix: 'to-thread' };
/** A DataFrame's writers: to a path or a database they block (to an in-memory buffer, or with no target, giving a string or bytes, they do not). */
const DATAFRAME_WRITERS = ['to_csv', 'to_parquet', 'to_excel', 'to_json', 'to_feather', 'to_pickle', 'to_sql', 'to_hdf', 'to_stata', 'to_orc', 'to_xml', 'to_html'];
/** The keyword a writer takes its target by. */
const DATAFRAME_TARGETS = new Set(['path_or_buf', 'path', 'excel_writer', 'buf', 'fname']);
const byName = (api: BlockingApi, ...methods: string[]): ReadonlyMap<string, BlockingApi> => new Map(methods.map((m): [string, BlockingApi] => [m, api]));
/** A DB-API connection's and cursor's calls that talk to the server. */
const DBAPI_CONNECTION = ['execute', 'executemany', 'executescript', 'commit', 'rollback'];
// Not `fetchone()`/`fetchall()`: the default (client-side) cursors hold the rows once `execute()` returned.
const DBAPI_CURSOR = ['execute', 'executemany', 'executescript', 'callproc', 'copy_expert', 'copy_from', 'copy_to'];
/** pandas readers: a path, a URL or a database each block (an in-memory buffer does not). */
const DATAFRAME_READERS = ['read_csv', 'read_table', 'read_excel', 'read_json', 'read_parquet', 'read_feather', 'read_pickle', 'read_orc', 'read_xml', 'read_html', 'read_sql', 'read_sql_query', 'read_sql_table', 'read_hdf', 'read_stata', 'read_sas', 'read_spss', 'read_fwf'];

/** numpy's file I/O: loading or saving an array by path (or open file) reads or writes it on this thread (an in-memory buffer does not). */
const ARRAY_READ: BlockingApi = { what: 'reads an array from a file synchronously', fix: 'to-thread' };
const ARRAY_WRITE: BlockingApi = { what: 'writes an array to a file synchronously', fix: 'to-thread' };
const NUMPY_READERS = ['load', 'loadtxt', 'genfromtxt', 'fromfile', 'fromregex'];
const NUMPY_WRITERS = ['save', 'savez', 'savez_compressed', 'savetxt'];
/** numpy calls that make an array (`arr.tofile(path)` on one writes the file). */
const NUMPY_ARRAY_MAKERS = ['array', 'asarray', 'zeros', 'ones', 'empty', 'full', 'arange', 'linspace', 'frombuffer', 'concatenate', 'stack', 'vstack', 'hstack', 'zeros_like', 'ones_like', 'empty_like'];
/** A synchronous ccxt exchange (`import ccxt; ccxt.binance()`): each API call is an HTTP request made with requests. */
const CCXT_SYNC: BlockingApi = { what: 'makes a synchronous HTTP request to the exchange (ccxt.async_support has the asyncio exchanges)', fix: 'to-thread' };
/** ccxt's unified API calls that talk to the exchange. */
const CCXT_CALLS = [
  'load_markets', 'fetch_markets', 'fetch_currencies', 'fetch_status', 'fetch_time', 'fetch_ticker', 'fetch_tickers', 'fetch_order_book',
  'fetch_order_books', 'fetch_l2_order_book', 'fetch_ohlcv', 'fetch_trades', 'fetch_balance', 'fetch_order', 'fetch_orders', 'fetch_open_orders',
  'fetch_closed_orders', 'fetch_canceled_orders', 'fetch_my_trades', 'fetch_deposits', 'fetch_withdrawals', 'fetch_transactions', 'fetch_ledger',
  'fetch_deposit_address', 'fetch_positions', 'fetch_position', 'fetch_funding_rate', 'fetch_funding_rates', 'fetch_trading_fee',
  'fetch_trading_fees', 'fetch_open_interest', 'fetch_leverage', 'create_order', 'create_orders', 'create_limit_order', 'create_market_order',
  'create_limit_buy_order', 'create_limit_sell_order', 'create_market_buy_order', 'create_market_sell_order', 'create_stop_order',
  'create_stop_limit_order', 'create_stop_market_order', 'edit_order', 'cancel_order', 'cancel_orders', 'cancel_all_orders', 'withdraw',
  'transfer', 'set_leverage', 'set_margin_mode', 'set_position_mode',
];

/** Qualified names of blocking calls. */
const BLOCKING: ReadonlyMap<string, BlockingApi> = new Map<string, BlockingApi>([
  ['time.sleep', SLEEP],
  ...['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request'].flatMap((m): [string, BlockingApi][] => [
    [`requests.${m}`, HTTP],
    [`requests.api.${m}`, HTTP],
    [`httpx.${m}`, HTTP],
  ]),
  ['httpx.stream', { ...HTTP, fix: 'none' }],
  ['urllib.request.urlopen', HTTP],
  ['urllib.request.urlretrieve', HTTP],
  ['urllib3.request', HTTP],
  ['subprocess.Popen', PROC_CREATE],
  ['os.popen', PROC_CREATE],
  ...['run', 'call', 'check_call', 'check_output', 'getoutput', 'getstatusoutput'].map((m): [string, BlockingApi] => [`subprocess.${m}`, PROC_RUN]),
  ['os.system', PROC_RUN],
  ...['spawnl', 'spawnle', 'spawnlp', 'spawnlpe', 'spawnv', 'spawnve', 'spawnvp', 'spawnvpe', 'posix_spawn', 'posix_spawnp'].map(
    (m): [string, BlockingApi] => [`os.${m}`, { ...PROC_RUN, fix: 'none' }],
  ),
  ...['wait', 'wait3', 'wait4', 'waitid', 'waitpid', 'waitstatus_to_exitcode'].filter((m) => m !== 'waitstatus_to_exitcode').map(
    (m): [string, BlockingApi] => [`os.${m}`, PROC_WAIT],
  ),
  ['builtins.open', FILE_OPEN],
  ['io.open', FILE_OPEN],
  ['io.open_code', FILE_OPEN],
  ['codecs.open', FILE_OPEN],
  ['os.fdopen', { ...FILE_OPEN, anchor: 'ASYNC231' }],
  ['gzip.open', FILE_OPEN],
  ['bz2.open', FILE_OPEN],
  ['lzma.open', FILE_OPEN],
  // Temporary files are opened (and created) on disk. SpooledTemporaryFile is not: it stays in
  // memory until it grows past its max_size.
  ['tempfile.TemporaryFile', FILE_OPEN],
  ['tempfile.NamedTemporaryFile', FILE_OPEN],
  ['tempfile.mkstemp', PATH_STAT],
  ['tempfile.mkdtemp', PATH_STAT],
  // Creates the directory now, removes the tree (shutil.rmtree) when closed.
  ['tempfile.TemporaryDirectory', { ...PATH_STAT, fix: 'none' }],
  ...['exists', 'lexists', 'isfile', 'isdir', 'islink', 'ismount', 'getsize', 'getmtime', 'getatime', 'getctime', 'samefile'].map(
    (m): [string, BlockingApi] => [`os.path.${m}`, PATH_STAT],
  ),
  ...['stat', 'lstat', 'listdir', 'makedirs', 'mkdir', 'remove', 'unlink', 'rename', 'renames', 'replace', 'rmdir', 'removedirs', 'chmod', 'chown', 'utime', 'access', 'readlink', 'symlink', 'link', 'truncate', 'open'].map(
    (m): [string, BlockingApi] => [`os.${m}`, PATH_STAT],
  ),
  // Lazy iterators: running them in a thread would only move their creation off the loop.
  ['os.walk', { ...PATH_STAT, fix: 'none' }],
  ['os.scandir', { ...PATH_STAT, fix: 'none' }],
  // realpath resolves symbolic links on disk (normpath and abspath are string work only).
  ['os.path.realpath', PATH_STAT],
  ['glob.glob', PATH_STAT],
  ['glob.iglob', { ...PATH_STAT, fix: 'none' }],
  ...['copy', 'copy2', 'copyfile', 'copytree', 'move', 'rmtree'].map((m): [string, BlockingApi] => [`shutil.${m}`, FILE_COPY]),
  // Reads the system's CA bundle from disk (Home Assistant reports it in its event loop too).
  ['ssl.create_default_context', SSL_LOAD],
  // Finds, reads and runs the module's files the first time (Home Assistant imports integrations in its executor).
  ['importlib.import_module', { what: 'imports a module synchronously (finding, reading and running its files the first time)', fix: 'to-thread' }],
  // Reads every file of a tree and compresses it into an archive on disk (or the reverse).
  ['shutil.make_archive', { what: 'packs a directory into an archive on disk synchronously', fix: 'to-thread' }],
  ['shutil.unpack_archive', { what: 'unpacks an archive onto disk synchronously', fix: 'to-thread' }],
  ['builtins.input', INPUT],
  ['getpass.getpass', INPUT],
  ...['prompt', 'confirm', 'getchar', 'pause'].flatMap((m): [string, BlockingApi][] => [[`click.${m}`, INPUT], [`click.termui.${m}`, INPUT], [`typer.${m}`, INPUT]]),
  ['rich.prompt.Prompt.ask', INPUT],
  ['rich.prompt.Confirm.ask', INPUT],
  ['rich.prompt.IntPrompt.ask', INPUT],
  ['sys.stdin.readline', INPUT],
  ['sys.stdin.readlines', INPUT],
  ['sys.stdin.read', INPUT],
  ['sys.stdin.buffer.read', INPUT],
  ['sys.stdin.buffer.readline', INPUT],
  ['socket.create_connection', DNS],
  ['socket.getaddrinfo', DNS],
  ['socket.gethostbyname', DNS],
  ['socket.gethostbyname_ex', DNS],
  ['socket.gethostbyaddr', DNS],
  ['ssl.get_server_certificate', DNS],
  ['select.select', { what: 'waits on file descriptors synchronously', fix: 'none' }],
  // Waits on this thread for futures of an executor (not with `timeout=0`, which only polls).
  ['concurrent.futures.wait', { what: 'waits on this thread for work handed to an executor (await asyncio.wait() over asyncio.wrap_future(f) for each future waits without blocking)', fix: 'none' }],
  ...['hashpw', 'checkpw', 'kdf'].map((m): [string, BlockingApi] => [`bcrypt.${m}`, PASSWORD_HASH]),
  ['hashlib.pbkdf2_hmac', PASSWORD_HASH],
  ['hashlib.scrypt', PASSWORD_HASH],
  ['argon2.low_level.hash_secret', PASSWORD_HASH],
  ['argon2.low_level.hash_secret_raw', PASSWORD_HASH],
  ['argon2.low_level.verify_secret', PASSWORD_HASH],
  // Django's hashers (PBKDF2 with hundreds of thousands of iterations by default); Django 5.0 has acheck_password.
  ['django.contrib.auth.hashers.make_password', PASSWORD_HASH],
  ['django.contrib.auth.hashers.check_password', PASSWORD_HASH],
  // SMTP connects in its constructor when given a host.
  ['smtplib.SMTP', MAIL],
  ['smtplib.SMTP_SSL', MAIL],
  // pywebpush sends the push message with requests.
  ['pywebpush.webpush', HTTP],
  ...FIREBASE_MESSAGING.map((m): [string, BlockingApi] => [`firebase_admin.messaging.${m}`, FIREBASE]),
  ...FIREBASE_AUTH.map((m): [string, BlockingApi] => [`firebase_admin.auth.${m}`, FIREBASE]),
  // Resend's email API (requests underneath).
  ...['Emails.send', 'Emails.get', 'Emails.update', 'Emails.cancel', 'Batch.send'].map((m): [string, BlockingApi] => [`resend.${m}`, HTTP]),
  ['firebase_admin.auth.verify_id_token', GOOGLE_TOKEN],
  ['firebase_admin.auth.verify_session_cookie', GOOGLE_TOKEN],
  ...['verify_oauth2_token', 'verify_token', 'verify_firebase_token', 'fetch_id_token'].map((m): [string, BlockingApi] => [`google.oauth2.id_token.${m}`, GOOGLE_TOKEN]),
  ['sqlite3.connect', DB],
  ['psycopg2.connect', DB],
  ['psycopg.connect', DB],
  ['psycopg.Connection.connect', DB],
  ['pymysql.connect', DB],
  ['MySQLdb.connect', DB],
  ...DATAFRAME_READERS.map((m): [string, BlockingApi] => [`pandas.${m}`, DATAFRAME_READ]),
  ...NUMPY_READERS.map((m): [string, BlockingApi] => [`numpy.${m}`, ARRAY_READ]),
  ...NUMPY_WRITERS.map((m): [string, BlockingApi] => [`numpy.${m}`, ARRAY_WRITE]),
  ...LITELLM_CALLS.map((m): [string, BlockingApi] => [`litellm.${m}`, LITELLM]),
  ...OLLAMA_CALLS.map((m): [string, BlockingApi] => [`ollama.${m}`, OLLAMA]),
  ['huggingface_hub.hf_hub_download', HF_DOWNLOAD],
  ['huggingface_hub.file_download.hf_hub_download', HF_DOWNLOAD],
  ['huggingface_hub.snapshot_download', HF_DOWNLOAD],
  ['huggingface_hub._snapshot_download.snapshot_download', HF_DOWNLOAD],
  ['sentry_sdk.flush', SENTRY_FLUSH],
  ['sentry_sdk.api.flush', SENTRY_FLUSH],
  ...['push_to_gateway', 'pushadd_to_gateway', 'delete_from_gateway'].flatMap((m): [string, BlockingApi][] => [
    [`prometheus_client.${m}`, PUSHGATEWAY],
    [`prometheus_client.exposition.${m}`, PUSHGATEWAY],
  ]),
  // paho-mqtt's one-shot helpers connect, publish (or subscribe) and disconnect on the calling thread.
  ['paho.mqtt.publish.single', MQTT],
  ['paho.mqtt.publish.multiple', MQTT],
  ['paho.mqtt.subscribe.simple', MQTT],
  ['paho.mqtt.subscribe.callback', { ...MQTT, fix: 'none' }],
  ['websocket.create_connection', WS_CLIENT],
  ['websocket._core.create_connection', WS_CLIENT],
  ['websockets.sync.client.connect', WS_SYNC],
  ['websockets.sync.client.unix_connect', WS_SYNC],
  // The search clients' synchronous bulk helpers send every batch on this thread (async_bulk awaits them).
  ['elasticsearch.helpers.bulk', SEARCH],
  ['elasticsearch.helpers.reindex', SEARCH],
  ['opensearchpy.helpers.bulk', SEARCH],
  ['opensearchpy.helpers.reindex', SEARCH],
  // Playwright's sync API runs its own loop on this thread, and refuses to start inside a running one.
  ['playwright.sync_api.sync_playwright', PLAYWRIGHT_SYNC],
  // Parsers given a file name or a URL read or fetch it (see LOCATION_PARSERS); parsing a document in memory is plain CPU work.
  ['lxml.etree.parse', XML_PARSE],
  ['lxml.html.parse', XML_PARSE],
  ['xml.etree.ElementTree.parse', XML_PARSE],
  ['feedparser.parse', FEED_PARSE],
  // Pillow: `Image.open(path)` reads the file (not `Image.open(io.BytesIO(data))`), and so does a font.
  ['PIL.Image.open', IMAGE_FILE],
  ['PIL.ImageFont.truetype', IMAGE_FILE],
  ['psutil.cpu_percent', CPU_SAMPLE],
  ['psutil.cpu_times_percent', CPU_SAMPLE],
  // pika's BlockingConnection connects in its constructor.
  ['pika.BlockingConnection', RABBIT],
  ['pika.adapters.blocking_connection.BlockingConnection', RABBIT],
]);

/** Modules whose name, used without any import in the file, is taken to be the module. */
const WELL_KNOWN_MODULES = new Set(['gzip', 'bz2', 'lzma', 'time', 'requests', 'httpx', 'urllib', 'urllib3', 'subprocess', 'os', 'io', 'shutil', 'glob', 'socket', 'select', 'sqlite3', 'psycopg2', 'pymysql', 'codecs', 'pathlib', 'threading', 'queue', 'tempfile']);

const LAZY_PATH_METHODS = new Set(['iterdir', 'glob', 'rglob', 'walk']);
const URLLIB3_METHODS: ReadonlyMap<string, BlockingApi> = new Map(['request', 'urlopen', 'request_encode_url', 'request_encode_body'].map((m): [string, BlockingApi] => [m, HTTP]));

/** Methods that block, by the class of their receiver (inferred from construction or annotation). */
const BLOCKING_METHODS: Readonly<Record<string, ReadonlyMap<string, BlockingApi>>> = {
  'pathlib.Path': new Map(
    [
      'read_text', 'read_bytes', 'write_text', 'write_bytes', 'open', 'exists', 'is_file', 'is_dir', 'stat', 'lstat', 'mkdir',
      'unlink', 'rmdir', 'rename', 'replace', 'touch', 'iterdir', 'glob', 'rglob', 'walk', 'samefile', 'chmod', 'lchmod',
      'resolve', 'readlink', 'symlink_to', 'hardlink_to', 'is_symlink', 'is_mount', 'is_socket', 'is_fifo',
      'is_block_device', 'is_char_device', 'owner', 'group',
    ]
      // iterdir, glob, rglob and walk are lazy generators: in a worker thread only their creation would run.
      .map((m): [string, BlockingApi] => [m, m === 'open' ? FILE_OPEN : LAZY_PATH_METHODS.has(m) ? { ...PATH_STAT, fix: 'none' } : PATH_STAT]),
  ),
  'threading.Lock': new Map([['acquire', { what: 'waits for a thread lock', fix: 'none' } as BlockingApi]]),
  'threading.Event': new Map([['wait', { what: 'waits for a thread event', fix: 'to-thread' } as BlockingApi]]),
  'threading.Thread': new Map([['join', { what: 'waits for a thread to finish', fix: 'to-thread' } as BlockingApi]]),
  'threading.Condition': byName({ what: 'waits for a thread condition', fix: 'none' }, 'acquire', 'wait', 'wait_for'),
  'threading.Barrier': byName({ what: 'waits at a thread barrier for the other threads', fix: 'none' }, 'wait'),
  // `executor.shutdown()` waits for every task handed to it (not with `wait=False`).
  'concurrent.futures.Executor': byName({ what: 'waits for every task handed to the executor to finish (shutdown(wait=False) returns at once)', fix: 'none' }, 'shutdown'),
  // `executor.submit(fn).result()`: the future of work running in another thread or process.
  'concurrent.futures.ExecutorFuture': byName(
    { what: 'waits on this thread for work handed to an executor (await asyncio.wrap_future(future), or use loop.run_in_executor(), which waits without blocking)', fix: 'none' },
    'result',
    'exception',
  ),
  // multiprocessing's pools: map()/starmap()/apply() wait for the results; the *_async() variants give an AsyncResult.
  'multiprocessing.Pool': byName({ what: 'waits on this thread for work handed to a process pool (loop.run_in_executor() with a ProcessPoolExecutor waits without blocking)', fix: 'none' }, 'map', 'starmap', 'apply', 'join'),
  'multiprocessing.AsyncResult': byName({ what: 'waits on this thread for work handed to a process pool', fix: 'none' }, 'get', 'wait'),
  'multiprocessing.Process': byName({ what: 'waits for a process to finish', fix: 'to-thread' }, 'join'),
  'requests.Session': new Map(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request', 'send'].map((m): [string, BlockingApi] => [m, HTTP])),
  'httpx.Client': new Map([
    ...['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request', 'send'].map((m): [string, BlockingApi] => [m, HTTP]),
    // Entered with `with`: a thread cannot hold the context open for the caller.
    ['stream', { ...HTTP, fix: 'none' }],
  ]),
  // `http = urllib3.PoolManager(); http.request(...)`, and the same on a ProxyManager or a connection pool.
  'urllib3.PoolManager': URLLIB3_METHODS,
  'urllib3.HTTPConnectionPool': URLLIB3_METHODS,
  'subprocess.Popen': new Map([
    ['wait', PROC_WAIT],
    ['communicate', PROC_WAIT],
  ]),
  // A file object given to the coroutine (`f: TextIO`): its reads and writes block.
  'io.IOBase': new Map(
    ['read', 'readline', 'readlines', 'write', 'writelines', 'flush', 'readinto', 'truncate'].map((m): [string, BlockingApi] => [
      m,
      { anchor: 'ASYNC232', what: 'reads or writes a file synchronously', fix: 'to-thread' },
    ]),
  ),
  // passlib's CryptContext and argon2-cffi's PasswordHasher (not `needs_update()`/`identify()`/`check_needs_rehash()`, which only parse).
  'passlib.context.CryptContext': byName(PASSWORD_HASH, 'hash', 'verify', 'verify_and_update', 'encrypt', 'genhash', 'dummy_verify'),
  'argon2.PasswordHasher': byName(PASSWORD_HASH, 'hash', 'verify'),
  // pwdlib (the FastAPI tutorial's `PasswordHash.recommended()`) and its hashers; fastapi-users' PasswordHelper over it.
  'pwdlib.PasswordHash': byName(PASSWORD_HASH, 'hash', 'verify', 'verify_and_update'),
  'stripe.StripeService': byName(STRIPE, ...STRIPE_SERVICE_METHODS),
  'twilio.Resource': byName(TWILIO, ...TWILIO_METHODS),
  'sendgrid.SendGridAPIClient': byName(SENDGRID, 'send'),
  'keycloak.KeycloakOpenID': byName(KEYCLOAK, ...KEYCLOAK_OPENID),
  'keycloak.KeycloakAdmin': byName(KEYCLOAK, ...KEYCLOAK_ADMIN),
  'msal.ClientApplication': byName(MSAL, ...MSAL_ACQUIRE),
  // Apprise sends to every configured service on this thread (`async_notify` awaits them).
  'apprise.Apprise': byName({ what: "sends the notification to every configured service synchronously (Apprise's async_notify awaits it)", fix: 'to-thread' }, 'notify'),
  // yagmail connects and sends over SMTP on this thread.
  'yagmail.SMTP': byName({ ...MAIL, fix: 'to-thread' }, 'send', 'login'),
  // Expo's push service client (exponent_server_sdk): requests underneath.
  'exponent_server_sdk.PushClient': byName(HTTP, 'publish', 'publish_multiple', 'check_receipts', 'check_receipts_multiple'),
  // Pusher Channels' server client: `trigger` posts the event (`authenticate` only signs).
  'pusher.Pusher': byName(HTTP, 'trigger', 'trigger_batch', 'channels_info', 'channel_info', 'users_info', 'terminate_user_connections'),
  // razorpay's resources (`client.order.create(...)`, `client.payment.capture(...)`); `client.utility` checks signatures locally.
  'razorpay.Resource': byName(HTTP, 'create', 'fetch', 'all', 'edit', 'capture', 'refund', 'cancel', 'delete', 'fetch_payments', 'fetch_card_details', 'transfer', 'bank_transfer'),
  // slack_sdk's incoming-webhook client (`AsyncWebhookClient` awaits it).
  'slack_sdk.webhook.WebhookClient': byName(SLACK_SYNC, 'send', 'send_dict'),
  // authlib's synchronous OAuth clients (over httpx.Client or requests.Session): token calls and requests.
  'authlib.OAuthClient': byName(
    HTTP,
    'get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request', 'send', 'fetch_token', 'fetch_access_token', 'fetch_request_token',
    'refresh_token', 'revoke_token', 'introspect_token', 'ensure_active_token',
  ),
  'slack_sdk.WebClient': byName(SLACK_SYNC, ...SLACK_WEB_METHODS),
  'jwt.PyJWKClient': byName(JWKS_FETCH, 'get_signing_key_from_jwt', 'get_signing_key', 'get_signing_keys', 'get_jwk_set', 'fetch_data'),
  'smtplib.SMTP': new Map(['connect', 'login', 'starttls', 'ehlo', 'helo', 'sendmail', 'send_message', 'quit', 'noop'].map((m): [string, BlockingApi] => [m, { ...MAIL, fix: 'to-thread' }])),
  'boto3.client': new Map(AWS_OPERATIONS.map((m): [string, BlockingApi] => [m, AWS])),
  'boto3.Waiter': new Map([['wait', AWS_WAIT]]),
  'boto3.PageIterator': new Map([['build_full_result', { what: 'fetches every page with synchronous AWS API calls', fix: 'to-thread' } as BlockingApi]]),
  'paramiko.SSHClient': new Map(['connect', 'exec_command', 'open_sftp', 'invoke_shell'].map((m): [string, BlockingApi] => [m, SSH])),
  'paramiko.SFTPClient': new Map(['get', 'put', 'listdir', 'listdir_attr', 'stat', 'lstat', 'remove', 'rename', 'mkdir', 'rmdir', 'chmod', 'getfo', 'putfo'].map((m): [string, BlockingApi] => [m, SSH])),
  'openai.resources.SyncAPIResource': new Map(LLM_METHODS.map((m): [string, BlockingApi] => [m, llmCall('AsyncOpenAI')])),
  'anthropic.resources.SyncAPIResource': new Map(LLM_METHODS.map((m): [string, BlockingApi] => [m, llmCall('AsyncAnthropic')])),
  'google.genai.resources.Resource': new Map(GENAI_METHODS.map((m): [string, BlockingApi] => [m, llmCall('client.aio')])),
  // Fetches robots.txt with urlopen.
  'urllib.robotparser.RobotFileParser': new Map([['read', HTTP]]),
  'sqlite3.Connection': byName(DB_QUERY, ...DBAPI_CONNECTION),
  'dbapi.Connection': byName(DB_QUERY, ...DBAPI_CONNECTION),
  'dbapi.Cursor': byName(DB_QUERY, ...DBAPI_CURSOR),
  // The synchronous redis client (`redis.Redis`, `redis.from_url(...)`) and its pipelines.
  'redis.Redis': byName(REDIS, ...REDIS_COMMANDS.filter((c) => !['aclose', 'close', 'initialize'].includes(c))),
  'redis.Pipeline': byName(REDIS, 'execute', 'watch'),
  // pymongo's synchronous client, its databases and collections (`find()` only makes a cursor).
  'pymongo.MongoClient': byName(MONGO, 'list_database_names', 'list_databases', 'server_info', 'drop_database'),
  'pymongo.Database': byName(MONGO, 'command', 'list_collection_names', 'list_collections', 'create_collection', 'drop_collection'),
  'pymongo.Collection': byName(
    MONGO,
    'find_one', 'insert_one', 'insert_many', 'update_one', 'update_many', 'replace_one', 'delete_one', 'delete_many', 'count_documents',
    'estimated_document_count', 'aggregate', 'distinct', 'find_one_and_update', 'find_one_and_replace', 'find_one_and_delete', 'bulk_write',
    'create_index', 'create_indexes', 'drop_index', 'drop',
  ),
  // A synchronous SQLAlchemy Session (SQLModel's too): `query()` and `add()` only build, the rest talk to the database.
  'sqlalchemy.orm.Session': byName(ORM, 'execute', 'scalar', 'scalars', 'get', 'commit', 'flush', 'refresh', 'merge', 'rollback', 'exec', 'connection'),
  'sqlalchemy.orm.Query': byName(ORM, 'all', 'first', 'one', 'one_or_none', 'scalar', 'count', 'get', 'delete', 'update'),
  'sqlalchemy.engine.Engine': byName(
    { what: 'checks out a database connection synchronously (create_async_engine makes an async engine)', fix: 'none' },
    'connect', 'begin', 'raw_connection',
  ),
  'sqlalchemy.engine.Connection': byName(ORM, 'execute', 'scalar', 'scalars', 'commit', 'rollback', 'exec_driver_sql'),
  'groq.resources.SyncAPIResource': new Map([...LLM_METHODS, 'list', 'info', 'content'].map((m): [string, BlockingApi] => [m, llmCall('AsyncGroq')])),
  'litellm.Router': byName(LITELLM, 'completion', 'embedding', 'text_completion', 'image_generation'),
  'ollama.Client': byName(OLLAMA, ...OLLAMA_CALLS),
  'crewai.Crew': byName(CREW, 'kickoff', 'kickoff_for_each'),
  'qdrant_client.QdrantClient': byName(VECTOR_DB('AsyncQdrantClient'), ...QDRANT_CALLS),
  'chromadb.ClientAPI': byName(VECTOR_DB("a Chroma server's chromadb.AsyncHttpClient"), ...CHROMA_CLIENT_CALLS),
  'chromadb.Collection': byName(VECTOR_DB("a Chroma server's chromadb.AsyncHttpClient"), ...CHROMA_COLLECTION_CALLS),
  'serial.Serial': byName(SERIAL, 'read', 'read_until', 'readline', 'readlines', 'write'),
  'paho.mqtt.Client': new Map([
    ...['connect', 'connect_srv', 'reconnect'].map((m): [string, BlockingApi] => [m, MQTT]),
    // Runs the network loop until disconnected: loop_start() runs it on a thread of its own.
    ['loop_forever', { ...MQTT, fix: 'none' }],
  ]),
  'paho.mqtt.MQTTMessageInfo': byName({ ...MQTT, what: 'waits on this thread for the MQTT broker to acknowledge the message' }, 'wait_for_publish'),
  'pymodbus.ModbusSyncClient': byName(MODBUS, ...MODBUS_CALLS),
  'websocket.WebSocket': byName(WS_CLIENT, 'connect', 'recv', 'recv_data', 'recv_data_frame', 'recv_frame', 'send', 'send_text', 'send_bytes', 'send_binary', 'ping'),
  'websocket.WebSocketApp': byName({ ...WS_CLIENT, fix: 'none' }, 'run_forever'),
  'websockets.sync.ClientConnection': byName(WS_SYNC, 'recv', 'recv_streaming', 'send', 'ping', 'close'),
  // Sync wrappers that wait for zeroconf's own loop: on that loop's thread they wait for themselves.
  'zeroconf.Zeroconf': byName(MDNS, 'get_service_info', 'register_service', 'unregister_service', 'update_service', 'unregister_all_services'),
  'zeroconf.ServiceInfo': byName(MDNS, 'request'),
  'socket.socket': byName(SOCKET_IO, 'recv', 'recvfrom', 'recv_into', 'recvfrom_into', 'accept', 'connect', 'sendall'),
  'ssl.SSLContext': byName(SSL_LOAD, 'load_verify_locations', 'load_cert_chain', 'load_default_certs', 'set_default_verify_paths'),
  // `asyncio.run_coroutine_threadsafe(coro, loop).result()`: right on a worker thread; on the loop's own
  // thread the coroutine cannot run while it waits (a deadlock until the timeout).
  'concurrent.futures.Future': byName(
    {
      what: 'waits on this thread for a coroutine handed to an event loop by run_coroutine_threadsafe() (on its own loop it cannot run meanwhile: await asyncio.wrap_future(fut), or await the coroutine)',
      fix: 'none',
    },
    'result',
    'exception',
  ),
  'pika.BlockingConnection': byName(RABBIT, 'channel', 'process_data_events', 'sleep', 'close'),
  // confluent-kafka: flush() waits for every delivery, poll()/consume() for messages (poll(0) does not wait).
  'confluent_kafka.Producer': byName(KAFKA, 'flush', 'poll'),
  'confluent_kafka.Consumer': byName(KAFKA, 'poll', 'consume', 'close'),
  // kafka-python: `producer.send(...).get()` waits for the broker's acknowledgement.
  'kafka.KafkaProducer': byName(KAFKA, 'flush', 'close'),
  'kafka.KafkaConsumer': byName(KAFKA, 'poll', 'commit', 'close'),
  'kafka.FutureRecordMetadata': byName(KAFKA, 'get'),
  'elasticsearch.Elasticsearch': byName(SEARCH, ...SEARCH_CALLS),
  'elasticsearch.Namespace': byName(SEARCH, ...SEARCH_NAMESPACE_CALLS),
  'azure.storage.blob.BlobServiceClient': byName(AZURE_STORAGE, ...AZURE_SERVICE_CALLS),
  'azure.storage.blob.ContainerClient': byName(AZURE_STORAGE, ...AZURE_CONTAINER_CALLS),
  'azure.storage.blob.BlobClient': byName(AZURE_STORAGE, ...AZURE_BLOB_CALLS),
  // Reading what download_blob() gave streams the rest of the blob.
  'azure.storage.blob.StorageStreamDownloader': byName(AZURE_STORAGE, 'readall', 'readinto', 'content_as_bytes', 'content_as_text', 'download_to_stream'),
  'google.cloud.storage.Client': byName(GCS, 'get_bucket', 'create_bucket', 'lookup_bucket'),
  'google.cloud.storage.Bucket': byName(GCS, ...GCS_BUCKET_CALLS),
  'google.cloud.storage.Blob': byName(GCS, ...GCS_BLOB_CALLS),
  // `publisher.publish(...)` only queues the message; its future's result() waits for the server.
  'google.cloud.pubsub_v1.SubscriberClient': byName(PUBSUB, 'pull', 'acknowledge', 'modify_ack_deadline', 'get_subscription', 'create_subscription', 'delete_subscription', 'update_subscription', 'seek'),
  'google.cloud.pubsub_v1.PublisherClient': byName(PUBSUB, 'create_topic', 'get_topic', 'delete_topic', 'update_topic'),
  'google.cloud.pubsub_v1.PublishFuture': byName(
    { what: 'waits on this thread for Pub/Sub to acknowledge the message (await asyncio.wrap_future(future) waits without blocking)', fix: 'none' },
    'result',
    'exception',
  ),
  'docker.DockerClient': byName(DOCKER, 'ping', 'info', 'version', 'df', 'login'),
  'docker.Collection': byName(DOCKER, ...DOCKER_COLLECTION_CALLS),
  'docker.Model': byName(DOCKER, ...DOCKER_MODEL_CALLS),
  'hvac.Client': byName(VAULT, ...VAULT_CALLS),
  'pandas.DataFrame': byName(DATAFRAME_WRITE, ...DATAFRAME_WRITERS),
  'numpy.ndarray': byName(ARRAY_WRITE, 'tofile'),
  'ccxt.Exchange': byName(CCXT_SYNC, ...CCXT_CALLS),
  'transformers.PreTrainedModel': byName(INFERENCE, '__call__', 'generate', 'forward'),
  'transformers.Pipeline': byName(INFERENCE, '__call__'),
  'diffusers.DiffusionPipeline': byName(INFERENCE, '__call__'),
  'sentence_transformers.SentenceTransformer': byName(INFERENCE, 'encode', 'encode_query', 'encode_document'),
  'sentence_transformers.CrossEncoder': byName(INFERENCE, 'predict', 'rank'),
  'llama_cpp.Llama': byName(INFERENCE, '__call__', 'create_completion', 'create_chat_completion', 'embed', 'create_embedding'),
  'whisper.Whisper': byName(INFERENCE, 'transcribe'),
  'ultralytics.Model': byName(INFERENCE, '__call__', 'predict', 'track', 'train', 'val'),
  'vllm.LLM': byName(INFERENCE, 'generate', 'chat', 'encode', 'embed', 'classify', 'score', 'beam_search'),
  'huggingface_hub.InferenceClient': byName(HF_INFERENCE, ...HF_INFERENCE_CALLS),
  // rich's console reads a line from the terminal, as input() does.
  'rich.console.Console': new Map([['input', INPUT]]),
  // `with yt_dlp.YoutubeDL(opts) as ydl: ydl.extract_info(url)`.
  'yt_dlp.YoutubeDL': byName(YTDL, 'extract_info', 'download', 'download_with_info_file', 'process_ie_result', 'urlopen'),
  // `img.save(path)` (not `img.save(io.BytesIO())`).
  'PIL.Image.Image': byName(IMAGE_FILE, 'save'),
  'queue.Queue': new Map([
    ['get', { what: 'waits on a thread queue', fix: 'none' } as BlockingApi],
    ['put', { what: 'waits on a thread queue', fix: 'none' } as BlockingApi],
    ['join', { what: 'waits on a thread queue', fix: 'none' } as BlockingApi],
  ]),
};
const BLOCKING_METHOD_NAMES: ReadonlySet<string> = new Set(Object.values(BLOCKING_METHODS).flatMap((m) => [...m.keys()]));
const CLASS_OF_CONSTRUCTOR: Readonly<Record<string, string>> = {
  'yt_dlp.YoutubeDL': 'yt_dlp.YoutubeDL',
  'yt_dlp.YoutubeDL.YoutubeDL': 'yt_dlp.YoutubeDL',
  'youtube_dl.YoutubeDL': 'yt_dlp.YoutubeDL',
  'youtube_dl.YoutubeDL.YoutubeDL': 'yt_dlp.YoutubeDL',
  'PIL.Image.open': 'PIL.Image.Image',
  'PIL.Image.new': 'PIL.Image.Image',
  'PIL.Image.Image': 'PIL.Image.Image',
  'pathlib.Path': 'pathlib.Path',
  'pathlib.PurePath': '',
  'threading.Lock': 'threading.Lock',
  'threading.Event': 'threading.Event',
  'multiprocessing.Event': 'threading.Event',
  'threading.Thread': 'threading.Thread',
  'threading.Condition': 'threading.Condition',
  'threading.Barrier': 'threading.Barrier',
  'requests.Session': 'requests.Session',
  'requests.session': 'requests.Session',
  'requests.sessions.Session': 'requests.Session',
  'httpx.Client': 'httpx.Client',
  'urllib3.PoolManager': 'urllib3.PoolManager',
  'urllib3.poolmanager.PoolManager': 'urllib3.PoolManager',
  'urllib3.ProxyManager': 'urllib3.PoolManager',
  'urllib3.poolmanager.ProxyManager': 'urllib3.PoolManager',
  'urllib3.proxy_from_url': 'urllib3.PoolManager',
  'urllib3.HTTPConnectionPool': 'urllib3.HTTPConnectionPool',
  'urllib3.HTTPSConnectionPool': 'urllib3.HTTPConnectionPool',
  'urllib3.connectionpool.HTTPConnectionPool': 'urllib3.HTTPConnectionPool',
  'urllib3.connectionpool.HTTPSConnectionPool': 'urllib3.HTTPConnectionPool',
  'urllib3.connection_from_url': 'urllib3.HTTPConnectionPool',
  'subprocess.Popen': 'subprocess.Popen',
  'sqlite3.connect': 'sqlite3.Connection',
  'sqlite3.Connection': 'sqlite3.Connection',
  'sqlite3.Cursor': 'dbapi.Cursor',
  'psycopg2.connect': 'dbapi.Connection',
  'psycopg2.extensions.connection': 'dbapi.Connection',
  'psycopg2.extensions.cursor': 'dbapi.Cursor',
  'psycopg2.pool.SimpleConnectionPool': 'psycopg2.pool',
  'psycopg2.pool.ThreadedConnectionPool': 'psycopg2.pool',
  'psycopg.connect': 'dbapi.Connection',
  'psycopg.Connection': 'dbapi.Connection',
  'psycopg.Connection.connect': 'dbapi.Connection',
  'psycopg.Cursor': 'dbapi.Cursor',
  'pymysql.connect': 'dbapi.Connection',
  'pymysql.connections.Connection': 'dbapi.Connection',
  'MySQLdb.connect': 'dbapi.Connection',
  'redis.Redis': 'redis.Redis',
  'redis.StrictRedis': 'redis.Redis',
  'redis.client.Redis': 'redis.Redis',
  'redis.client.StrictRedis': 'redis.Redis',
  'redis.from_url': 'redis.Redis',
  'redis.Redis.from_url': 'redis.Redis',
  'redis.StrictRedis.from_url': 'redis.Redis',
  'redis.client.Redis.from_url': 'redis.Redis',
  'redis.RedisCluster': 'redis.Redis',
  'redis.cluster.RedisCluster': 'redis.Redis',
  'redis.client.Pipeline': 'redis.Pipeline',
  'pymongo.MongoClient': 'pymongo.MongoClient',
  'pymongo.mongo_client.MongoClient': 'pymongo.MongoClient',
  'pymongo.database.Database': 'pymongo.Database',
  'pymongo.collection.Collection': 'pymongo.Collection',
  'sqlalchemy.orm.Session': 'sqlalchemy.orm.Session',
  'sqlalchemy.orm.session.Session': 'sqlalchemy.orm.Session',
  'sqlmodel.Session': 'sqlalchemy.orm.Session',
  'sqlalchemy.orm.Query': 'sqlalchemy.orm.Query',
  'sqlalchemy.create_engine': 'sqlalchemy.engine.Engine',
  'sqlalchemy.engine.create_engine': 'sqlalchemy.engine.Engine',
  'sqlmodel.create_engine': 'sqlalchemy.engine.Engine',
  'sqlalchemy.Engine': 'sqlalchemy.engine.Engine',
  'sqlalchemy.engine.Engine': 'sqlalchemy.engine.Engine',
  'sqlalchemy.Connection': 'sqlalchemy.engine.Connection',
  'sqlalchemy.engine.Connection': 'sqlalchemy.engine.Connection',
  'smtplib.SMTP': 'smtplib.SMTP',
  'passlib.context.CryptContext': 'passlib.context.CryptContext',
  'passlib.context.LazyCryptContext': 'passlib.context.CryptContext',
  'argon2.PasswordHasher': 'argon2.PasswordHasher',
  'argon2.PasswordHasher.from_parameters': 'argon2.PasswordHasher',
  'argon2._password_hasher.PasswordHasher': 'argon2.PasswordHasher',
  'pwdlib.PasswordHash': 'pwdlib.PasswordHash',
  'pwdlib.PasswordHash.recommended': 'pwdlib.PasswordHash',
  'pwdlib._hash.PasswordHash': 'pwdlib.PasswordHash',
  'pwdlib.hashers.argon2.Argon2Hasher': 'pwdlib.PasswordHash',
  'pwdlib.hashers.bcrypt.BcryptHasher': 'pwdlib.PasswordHash',
  'fastapi_users.password.PasswordHelper': 'pwdlib.PasswordHash',
  'stripe.StripeClient': 'stripe.StripeClient',
  'stripe._stripe_client.StripeClient': 'stripe.StripeClient',
  'twilio.rest.Client': 'twilio.rest.Client',
  'keycloak.KeycloakOpenID': 'keycloak.KeycloakOpenID',
  'keycloak.keycloak_openid.KeycloakOpenID': 'keycloak.KeycloakOpenID',
  'keycloak.KeycloakAdmin': 'keycloak.KeycloakAdmin',
  'keycloak.keycloak_admin.KeycloakAdmin': 'keycloak.KeycloakAdmin',
  'msal.ConfidentialClientApplication': 'msal.ClientApplication',
  'msal.PublicClientApplication': 'msal.ClientApplication',
  'msal.application.ConfidentialClientApplication': 'msal.ClientApplication',
  'msal.application.PublicClientApplication': 'msal.ClientApplication',
  'pusher.Pusher': 'pusher.Pusher',
  'apprise.Apprise': 'apprise.Apprise',
  'yagmail.SMTP': 'yagmail.SMTP',
  'yagmail.sender.SMTP': 'yagmail.SMTP',
  'exponent_server_sdk.PushClient': 'exponent_server_sdk.PushClient',
  'pusher.pusher.Pusher': 'pusher.Pusher',
  'razorpay.Client': 'razorpay.Client',
  'razorpay.client.Client': 'razorpay.Client',
  'sendgrid.SendGridAPIClient': 'sendgrid.SendGridAPIClient',
  'sendgrid.sendgrid.SendGridAPIClient': 'sendgrid.SendGridAPIClient',
  'slack_sdk.WebClient': 'slack_sdk.WebClient',
  'slack_sdk.webhook.WebhookClient': 'slack_sdk.webhook.WebhookClient',
  'slack_sdk.webhook.client.WebhookClient': 'slack_sdk.webhook.WebhookClient',
  ...Object.fromEntries(
    ['httpx_client.OAuth2Client', 'httpx_client.OAuth1Client', 'requests_client.OAuth2Session', 'requests_client.OAuth1Session'].map((c) => [
      `authlib.integrations.${c}`,
      'authlib.OAuthClient',
    ]),
  ),
  'slack_sdk.web.WebClient': 'slack_sdk.WebClient',
  'slack_sdk.web.client.WebClient': 'slack_sdk.WebClient',
  'slack.WebClient': 'slack_sdk.WebClient',
  'jwt.PyJWKClient': 'jwt.PyJWKClient',
  'jwt.jwks_client.PyJWKClient': 'jwt.PyJWKClient',
  'boto3.client': 'boto3.client',
  // A resource's actions and its sub-resources' (`s3.Bucket(b).Object(k).get()`, `table.put_item(...)`) are API calls too.
  'boto3.resource': 'boto3.client',
  'paramiko.SSHClient': 'paramiko.SSHClient',
  'paramiko.client.SSHClient': 'paramiko.SSHClient',
  'paramiko.SFTPClient': 'paramiko.SFTPClient',
  'paramiko.sftp_client.SFTPClient': 'paramiko.SFTPClient',
  'openai.OpenAI': 'openai.OpenAI',
  'openai.AzureOpenAI': 'openai.OpenAI',
  'openai.Client': 'openai.OpenAI',
  'anthropic.Anthropic': 'anthropic.Anthropic',
  'anthropic.Client': 'anthropic.Anthropic',
  'anthropic.AnthropicBedrock': 'anthropic.Anthropic',
  'anthropic.AnthropicVertex': 'anthropic.Anthropic',
  'google.genai.Client': 'google.genai.Client',
  'boto3.session.Session.client': 'boto3.client',
  'boto3.Session': 'boto3.Session',
  'boto3.session.Session': 'boto3.Session',
  'smtplib.SMTP_SSL': 'smtplib.SMTP',
  'smtplib.LMTP': 'smtplib.SMTP',
  'urllib.robotparser.RobotFileParser': 'urllib.robotparser.RobotFileParser',
  // File objects, as annotations name them (what `open()` returns is reported at the open).
  // `typing.TextIO`/`BinaryIO` are left out: an in-memory `StringIO`/`BytesIO` is one too.
  'io.TextIOWrapper': 'io.IOBase',
  'io.BufferedReader': 'io.IOBase',
  'io.BufferedWriter': 'io.IOBase',
  'io.BufferedRandom': 'io.IOBase',
  'io.FileIO': 'io.IOBase',
  'threading.RLock': 'threading.Lock',
  'threading.Semaphore': 'threading.Lock',
  'threading.BoundedSemaphore': 'threading.Lock',
  'queue.Queue': 'queue.Queue',
  'queue.LifoQueue': 'queue.Queue',
  'queue.PriorityQueue': 'queue.Queue',
  'queue.SimpleQueue': 'queue.Queue',
  'multiprocessing.Queue': 'queue.Queue',
  'groq.Groq': 'groq.Groq',
  'groq.Client': 'groq.Groq',
  'groq._client.Groq': 'groq.Groq',
  'litellm.Router': 'litellm.Router',
  'litellm.router.Router': 'litellm.Router',
  'ollama.Client': 'ollama.Client',
  'crewai.Crew': 'crewai.Crew',
  'crewai.crew.Crew': 'crewai.Crew',
  'ollama._client.Client': 'ollama.Client',
  'qdrant_client.QdrantClient': 'qdrant_client.QdrantClient',
  'qdrant_client.qdrant_client.QdrantClient': 'qdrant_client.QdrantClient',
  // Chroma's server and on-disk clients (not the in-memory EphemeralClient).
  'chromadb.HttpClient': 'chromadb.ClientAPI',
  'chromadb.PersistentClient': 'chromadb.ClientAPI',
  'chromadb.CloudClient': 'chromadb.ClientAPI',
  'chromadb.ClientAPI': 'chromadb.ClientAPI',
  'chromadb.api.ClientAPI': 'chromadb.ClientAPI',
  'chromadb.Collection': 'chromadb.Collection',
  'chromadb.api.models.Collection.Collection': 'chromadb.Collection',
  'serial.Serial': 'serial.Serial',
  'serial.serial_for_url': 'serial.Serial',
  'serial.serialposix.Serial': 'serial.Serial',
  'serial.serialwin32.Serial': 'serial.Serial',
  'serial.rs485.RS485': 'serial.Serial',
  'paho.mqtt.client.Client': 'paho.mqtt.Client',
  'paho.mqtt.client.MQTTMessageInfo': 'paho.mqtt.MQTTMessageInfo',
  ...Object.fromEntries(
    [
      'pymodbus.client.ModbusTcpClient', 'pymodbus.client.ModbusSerialClient', 'pymodbus.client.ModbusUdpClient', 'pymodbus.client.ModbusTlsClient',
      'pymodbus.client.tcp.ModbusTcpClient', 'pymodbus.client.serial.ModbusSerialClient', 'pymodbus.client.udp.ModbusUdpClient',
      'pymodbus.client.tls.ModbusTlsClient', 'pymodbus.client.sync.ModbusTcpClient', 'pymodbus.client.sync.ModbusSerialClient',
      'pymodbus.client.sync.ModbusUdpClient',
    ].map((c) => [c, 'pymodbus.ModbusSyncClient']),
  ),
  'websocket.WebSocket': 'websocket.WebSocket',
  'websocket._core.WebSocket': 'websocket.WebSocket',
  'websocket.create_connection': 'websocket.WebSocket',
  'websocket._core.create_connection': 'websocket.WebSocket',
  'websocket.WebSocketApp': 'websocket.WebSocketApp',
  'websocket._app.WebSocketApp': 'websocket.WebSocketApp',
  'websockets.sync.client.connect': 'websockets.sync.ClientConnection',
  'websockets.sync.client.unix_connect': 'websockets.sync.ClientConnection',
  'websockets.sync.client.ClientConnection': 'websockets.sync.ClientConnection',
  'zeroconf.Zeroconf': 'zeroconf.Zeroconf',
  'zeroconf._core.Zeroconf': 'zeroconf.Zeroconf',
  'zeroconf.ServiceInfo': 'zeroconf.ServiceInfo',
  'zeroconf.asyncio.AsyncServiceInfo': 'zeroconf.ServiceInfo',
  // Only what these make is known to block: a `socket.socket` made here or annotated may have been set non-blocking
  // (so `socket.socket` itself is no key here).
  'socket.create_connection': 'socket.socket',
  'socket.create_server': 'socket.socket',
  'ssl.SSLContext': 'ssl.SSLContext',
  'ssl.create_default_context': 'ssl.SSLContext',
  'asyncio.run_coroutine_threadsafe': 'concurrent.futures.Future',
  'asyncio.tasks.run_coroutine_threadsafe': 'concurrent.futures.Future',
  ...Object.fromEntries(
    [
      'concurrent.futures.ThreadPoolExecutor', 'concurrent.futures.ProcessPoolExecutor', 'concurrent.futures.thread.ThreadPoolExecutor',
      'concurrent.futures.process.ProcessPoolExecutor', 'concurrent.futures.InterpreterPoolExecutor', 'loky.get_reusable_executor',
    ].map((c) => [c, 'concurrent.futures.Executor']),
  ),
  // Iterating these waits for each result in turn (see checkResultIteration).
  'concurrent.futures.as_completed': 'concurrent.futures.ResultIterator',
  ...Object.fromEntries(
    ['multiprocessing.Pool', 'multiprocessing.pool.Pool', 'multiprocessing.pool.ThreadPool', 'multiprocessing.dummy.Pool'].map((c) => [c, 'multiprocessing.Pool']),
  ),
  'multiprocessing.Process': 'multiprocessing.Process',
  'multiprocessing.context.Process': 'multiprocessing.Process',
  // `ctx = multiprocessing.get_context("spawn")`: its `Pool(...)` and `Process(...)` are the same.
  'multiprocessing.get_context': 'multiprocessing.Context',
  'pika.BlockingConnection': 'pika.BlockingConnection',
  'pika.adapters.blocking_connection.BlockingConnection': 'pika.BlockingConnection',
  'confluent_kafka.Producer': 'confluent_kafka.Producer',
  'confluent_kafka.Consumer': 'confluent_kafka.Consumer',
  'kafka.KafkaProducer': 'kafka.KafkaProducer',
  'kafka.KafkaConsumer': 'kafka.KafkaConsumer',
  'kafka.producer.kafka.KafkaProducer': 'kafka.KafkaProducer',
  'kafka.consumer.group.KafkaConsumer': 'kafka.KafkaConsumer',
  'elasticsearch.Elasticsearch': 'elasticsearch.Elasticsearch',
  'elasticsearch.client.Elasticsearch': 'elasticsearch.Elasticsearch',
  'opensearchpy.OpenSearch': 'elasticsearch.Elasticsearch',
  ...Object.fromEntries(
    ['BlobServiceClient', 'ContainerClient', 'BlobClient'].flatMap((c) =>
      ['', '.from_connection_string', '.from_container_url', '.from_blob_url'].map((f): [string, string] => [`azure.storage.blob.${c}${f}`, `azure.storage.blob.${c}`]),
    ),
  ),
  'azure.storage.blob.StorageStreamDownloader': 'azure.storage.blob.StorageStreamDownloader',
  'google.cloud.storage.Client': 'google.cloud.storage.Client',
  'google.cloud.storage.client.Client': 'google.cloud.storage.Client',
  'google.cloud.storage.Bucket': 'google.cloud.storage.Bucket',
  'google.cloud.storage.Blob': 'google.cloud.storage.Blob',
  'google.cloud.pubsub_v1.SubscriberClient': 'google.cloud.pubsub_v1.SubscriberClient',
  'google.cloud.pubsub.SubscriberClient': 'google.cloud.pubsub_v1.SubscriberClient',
  'google.cloud.pubsub_v1.PublisherClient': 'google.cloud.pubsub_v1.PublisherClient',
  'google.cloud.pubsub.PublisherClient': 'google.cloud.pubsub_v1.PublisherClient',
  'docker.from_env': 'docker.DockerClient',
  'docker.DockerClient': 'docker.DockerClient',
  'docker.client.from_env': 'docker.DockerClient',
  'docker.client.DockerClient': 'docker.DockerClient',
  'hvac.Client': 'hvac.Client',
  'hvac.v1.Client': 'hvac.Client',
  // A DataFrame, annotated or made here (its writers block: see dataFrameWritesOut).
  'pandas.DataFrame': 'pandas.DataFrame',
  'pandas.core.frame.DataFrame': 'pandas.DataFrame',
  ...Object.fromEntries(['read_csv', 'read_excel', 'read_json', 'read_parquet', 'read_feather', 'read_pickle', 'read_sql', 'read_sql_query', 'read_sql_table'].map((m) => [`pandas.${m}`, 'pandas.DataFrame'])),
  // A numpy array, annotated or made here (`arr.tofile(path)` writes the file).
  'numpy.ndarray': 'numpy.ndarray',
  ...Object.fromEntries(NUMPY_ARRAY_MAKERS.map((m) => [`numpy.${m}`, 'numpy.ndarray'])),
  // A synchronous ccxt exchange, annotated (`ccxt.Exchange`) or made (`ccxt.binance()`, see constructedClass).
  'ccxt.Exchange': 'ccxt.Exchange',
  'ccxt.base.exchange.Exchange': 'ccxt.Exchange',
  'rich.console.Console': 'rich.console.Console',
  'rich.Console': 'rich.console.Console',
  'rich.get_console': 'rich.console.Console',
  // In-process models (see INFERENCE); transformers' and diffusers' `from_pretrained` by pattern (see constructedClass).
  'transformers.pipeline': 'transformers.Pipeline',
  'transformers.pipelines.pipeline': 'transformers.Pipeline',
  'transformers.PreTrainedModel': 'transformers.PreTrainedModel',
  'transformers.Pipeline': 'transformers.Pipeline',
  'sentence_transformers.SentenceTransformer': 'sentence_transformers.SentenceTransformer',
  'sentence_transformers.SentenceTransformer.SentenceTransformer': 'sentence_transformers.SentenceTransformer',
  'sentence_transformers.CrossEncoder': 'sentence_transformers.CrossEncoder',
  'sentence_transformers.cross_encoder.CrossEncoder': 'sentence_transformers.CrossEncoder',
  'llama_cpp.Llama': 'llama_cpp.Llama',
  'llama_cpp.Llama.from_pretrained': 'llama_cpp.Llama',
  'llama_cpp.llama.Llama': 'llama_cpp.Llama',
  'whisper.load_model': 'whisper.Whisper',
  'whisper.model.Whisper': 'whisper.Whisper',
  ...Object.fromEntries(['YOLO', 'YOLOWorld', 'YOLOE', 'RTDETR', 'SAM', 'FastSAM', 'NAS'].map((c) => [`ultralytics.${c}`, 'ultralytics.Model'])),
  'vllm.LLM': 'vllm.LLM',
  'huggingface_hub.InferenceClient': 'huggingface_hub.InferenceClient',
  // A synchronous gRPC channel (not `grpc.aio`'s): the stubs made over it block.
  'grpc.insecure_channel': 'grpc.Channel',
  'grpc.secure_channel': 'grpc.Channel',
};

/** Classes whose waiting methods take `block=False`/`blocking=False`/`timeout=` to not wait. */
const WAIT_PRIMITIVES = new Set([
  'threading.Lock', 'threading.Event', 'threading.Thread', 'subprocess.Popen', 'queue.Queue', 'concurrent.futures.Future',
  'confluent_kafka.Producer', 'confluent_kafka.Consumer', 'kafka.KafkaProducer', 'kafka.KafkaConsumer', 'kafka.FutureRecordMetadata',
  'concurrent.futures.ExecutorFuture', 'multiprocessing.AsyncResult', 'multiprocessing.Process', 'threading.Condition', 'threading.Barrier',
]);

/** Path methods and properties that give another path (without touching the file system). */
const PATH_TO_PATH = new Set(['joinpath', 'with_name', 'with_suffix', 'with_stem', 'relative_to', 'expanduser', 'absolute', 'resolve']);

/** The method `name` defined (once) in the class whose method contains `node`. */
function ownMethod(node: Node, name: string): Node | undefined {
  return methodOfClass(enclosingClassNode(node), name);
}

/** The method `name` defined (once) in a class definition. */
function methodOfClass(cls: Node | null | undefined, name: string): Node | undefined {
  const found = (cls?.childForFieldName('body')?.namedChildren ?? [])
    .map((stmt) => (stmt?.type === 'decorated_definition' ? stmt.childForFieldName('definition') : stmt))
    .filter((def): def is Node => def?.type === 'function_definition' && def.childForFieldName('name')?.text === name);
  return found.length === 1 ? found[0] : undefined;
}

/** The class of a receiver expression among the few this rule knows, or undefined. */
function receiverClass(ctx: PythonRuleContext, receiver: Node, depth = 0): string | undefined {
  if (depth > 6) return undefined;
  const type = typeOf(receiver);
  if (type === 'attribute') {
    // `path.parent` is a path too.
    const object = field(receiver, 'object');
    if (object && typeOf(object) === 'identifier' && textOf(object) === 'self') {
      const own = instanceAttributeClass(ctx, receiver, depth + 1);
      if (own) return own;
    }
    // `deps.legacy_llm` with `deps: AgentDeps` and `legacy_llm: OpenAI` declared in that class of this file; also
    // `ctx.deps.legacy_llm` with `ctx: RunContext[AgentDeps]` (a pydantic-ai tool's run context).
    if (object && ((typeOf(object) === 'identifier' && textOf(object) !== 'self') || typeOf(object) === 'attribute')) {
      const classNode = typeOf(object) === 'identifier' ? annotatedLocalClass(ctx, object) : declaredGenericLocalClass(ctx, object);
      const held = classNode ? attributeClassOf(ctx, classNode, field(receiver, 'attribute')?.text ?? '', depth + 1) : undefined;
      if (held) return held;
    }
    // `aws.s3` with `from app import aws` and `s3 = boto3.client("s3")` at the top of that module.
    if (object && typeOf(object) === 'identifier' && textOf(object) !== 'self') {
      const found = ctx.scope.lookup(textOf(object), object);
      const imported = found?.bindings.length === 1 && found.bindings[0].kind === 'import' ? importedInstanceClass(ctx, receiver) : undefined;
      if (imported) return imported;
    }
    // `client.chat.completions` on an LLM SDK's synchronous client (`client.aio...` is its async side).
    const owner = object ? receiverClass(ctx, object, depth + 1) : undefined;
    if (owner && SDK_RESOURCES[owner] && field(receiver, 'attribute')?.text !== 'aio') return SDK_RESOURCES[owner];
    // `client.shop.orders` on a pymongo client: a database, then a collection.
    if (owner && MONGO_CHILD[owner]) return MONGO_CHILD[owner];
    const child = owner ? NAMESPACE_CHILD[owner] : undefined;
    if (child && (!child.names || child.names.has(field(receiver, 'attribute')?.text ?? ''))) return child.cls;
    if (object && typeOf(object) === 'identifier' && textOf(object) === 'self') return undefined;
    return field(receiver, 'attribute')?.text === 'parent' && object && receiverClass(ctx, object, depth + 1) === 'pathlib.Path' ? 'pathlib.Path' : undefined;
  }
  if (type === 'call') {
    const fn = field(receiver, 'function');
    if (fn && typeOf(fn) === 'attribute' && PATH_TO_PATH.has(field(fn, 'attribute')?.text ?? '')) {
      const object = field(fn, 'object');
      if (object && receiverClass(ctx, object, depth + 1) === 'pathlib.Path') return 'pathlib.Path';
    }
    // `boto3.Session(profile_name=p).client("s3")`, `session.resource("s3")`: a client of that session.
    if (fn && typeOf(fn) === 'attribute' && /^(client|resource)$/.test(field(fn, 'attribute')?.text ?? '')) {
      const object = field(fn, 'object');
      if (object && receiverClass(ctx, object, depth + 1) === 'boto3.Session') return 'boto3.client';
    }
    // `client.calls("CA...")`, `client.verify.v2.services("VA...")`: a Twilio instance context, whose calls are requests too.
    if (fn && typeOf(fn) === 'attribute' && receiverClass(ctx, fn, depth + 1) === 'twilio.Resource') return 'twilio.Resource';
    // `s3.Bucket(name)`, `dynamodb.Table(name)`: a sub-resource of a boto3 resource, whose actions are API calls too.
    if (fn && typeOf(fn) === 'attribute' && /^[A-Z]\w*$/.test(field(fn, 'attribute')?.text ?? '')) {
      const object = field(fn, 'object');
      if (object && receiverClass(ctx, object, depth + 1) === 'boto3.client') return 'boto3.client';
    }
    // `greeter_pb2_grpc.GreeterStub(channel)` over a synchronous channel: a blocking stub.
    if (fn && /(^|\.)\w+Stub$/.test(textOf(fn))) {
      const channel = callArguments(receiver)[0];
      if (channel && channel.type !== 'keyword_argument' && receiverClass(ctx, channel, depth + 1) === 'grpc.Channel') return 'grpc.SyncStub';
    }
    // `s3.get_waiter("object_exists")`, `ssh.open_sftp()`, `conn.cursor()`: what the client makes;
    // `db.query(User).filter(...)`: the same kind of query.
    const method = fn && typeOf(fn) === 'attribute' ? (field(fn, 'attribute')?.text ?? '') : '';
    const made = MADE_BY[method];
    const object = method ? field(fn!, 'object') : null;
    if ((made || Object.values(SAME_CLASS).some((m) => m.has(method))) && object) {
      const owner = receiverClass(ctx, object, depth + 1);
      const product = made?.find(([from]) => from === owner)?.[1];
      if (product) return product;
      if (owner && SAME_CLASS[owner]?.has(method)) return owner;
    }
    // `cache_path(root, url)` with `def cache_path(...) -> Path` in this file, `self._file(room)`
    // with `def _file(self, room) -> Path` in the class: what it is annotated to return.
    if (fn && (typeOf(fn) === 'identifier' || typeOf(fn) === 'attribute')) {
      let def: Node | undefined;
      if (typeOf(fn) === 'identifier') {
        const found = ctx.scope.lookup(textOf(fn), fn);
        def = found?.bindings.length === 1 && found.bindings[0].kind === 'def' ? found.bindings[0].node : undefined;
      } else if (field(fn, 'object')?.text === 'self') def = ownMethod(fn, field(fn, 'attribute')?.text ?? '');
      // `ResearchCrew().crew()` with `def crew(self) -> Crew` in that class of this file (CrewAI's `@CrewBase` template).
      else def = methodOfClass(localInstanceClass(ctx, field(fn, 'object')), field(fn, 'attribute')?.text ?? '');
      const returns = def?.type === 'function_definition' && !isAsyncFunction(def) ? def.childForFieldName('return_type') : null;
      if (returns) return annotationClass(ctx, returns);
    }
    // `ApiSession()` with `class ApiSession(requests.Session)` in this file.
    const subclassed = fn && typeOf(fn) === 'identifier' ? (libraryBaseOfLocalClass(ctx, fn) ?? libraryBaseOfImportedClass(ctx, fn)) : undefined;
    if (subclassed) return subclassed;
    // `SessionLocal()` with `SessionLocal = sessionmaker(bind=engine)` in this file.
    if (fn && typeOf(fn) === 'identifier' && syncSessionFactory(ctx, fn)) return 'sqlalchemy.orm.Session';
    const r = fn && (typeOf(fn) === 'identifier' || typeOf(fn) === 'attribute') ? ctx.scope.resolve(fn) : undefined;
    if (!r || (r.via === 'unbound' && !WELL_KNOWN_MODULES.has(r.name.split('.')[0]))) return undefined;
    // `contextlib.closing(sqlite3.connect(p))`: entered, it gives the object it wraps.
    if (r.name === 'contextlib.closing') {
      const wrapped = callArguments(receiver)[0];
      return wrapped ? receiverClass(ctx, wrapped, depth + 1) : undefined;
    }
    return constructedClass(r.name);
  }
  // `df = await load_frame(url)` with `async def load_frame(url) -> pd.DataFrame` in this file (or the class).
  if (type === 'await') {
    const inner = receiver.namedChildren[0];
    const fn = inner?.type === 'call' ? field(inner, 'function') : null;
    let def: Node | undefined;
    if (fn && typeOf(fn) === 'identifier') {
      const found = ctx.scope.lookup(textOf(fn), fn);
      def = found?.bindings.length === 1 && found.bindings[0].kind === 'def' ? found.bindings[0].node : undefined;
    } else if (fn && typeOf(fn) === 'attribute' && field(fn, 'object')?.text === 'self') def = ownMethod(fn, field(fn, 'attribute')?.text ?? '');
    const returns = def?.type === 'function_definition' && isAsyncFunction(def) ? def.childForFieldName('return_type') : null;
    return returns ? annotationClass(ctx, returns) : undefined;
  }
  if (type === 'binary_operator' && receiver.children.some((c) => c?.type === '/')) {
    const left = receiver.childForFieldName('left');
    return left && receiverClass(ctx, left, depth + 1) === 'pathlib.Path' ? 'pathlib.Path' : undefined;
  }
  if (type === 'parenthesized_expression' && receiver.namedChildren[0]) return receiverClass(ctx, receiver.namedChildren[0], depth + 1);
  // `client["shop"]["orders"]`.
  if (type === 'subscript') {
    const value = field(receiver, 'value');
    const owner = value ? receiverClass(ctx, value, depth + 1) : undefined;
    return owner ? MONGO_CHILD[owner] : undefined;
  }
  if (type !== 'identifier') return undefined;
  const found = ctx.scope.lookup(textOf(receiver), receiver);
  if (!found) return undefined;
  // `from app.clients import publisher` with `publisher = PublisherClient()` at the top of that module.
  if (found.bindings.length === 1 && found.bindings[0].kind === 'import') return importedInstanceClass(ctx, receiver);
  const target = reachingBinding(found.bindings, receiver);
  if (!target) return undefined;
  const parent = parentOf(target);
  const parentType = parent ? typeOf(parent) : undefined;
  if (parent && (parentType === 'typed_parameter' || parentType === 'typed_default_parameter')) {
    const type = parent.childForFieldName('type');
    return type ? annotationClass(ctx, type) : undefined;
  }
  if (parent && parentType === 'assignment' && field(parent, 'left')?.id === target.id) {
    // `p: Path = registry.lookup("spec")`: the annotation says what the value is.
    const annotation = field(parent, 'type');
    const declared = annotation ? annotationClass(ctx, annotation) : undefined;
    if (declared) return declared;
    const right = field(parent, 'right');
    return right ? receiverClass(ctx, right, depth + 1) : undefined;
  }
  // `for path in folder.iterdir():`, `for path in sorted(root.glob("*.sql")):`, `for path in paths:`
  // with `paths: list[Path]`: each item is a path.
  if (parent && (parentType === 'for_statement' || parentType === 'for_in_clause') && field(parent, 'left')?.id === target.id && parent.child(0)?.type !== 'async') {
    const iterable = field(parent, 'right');
    return iterable && pathItems(ctx, iterable, depth + 1) ? 'pathlib.Path' : undefined;
  }
  if (parent && parentType === 'as_pattern_target') {
    // `with requests.Session() as s:`: these classes return themselves from __enter__.
    const pattern = parentOf(parent);
    const value = pattern && typeOf(pattern) === 'as_pattern' ? pattern.namedChildren[0] : null;
    return value && typeOf(value) === 'call' ? receiverClass(ctx, value, depth + 1) : undefined;
  }
  return undefined;
}

/**
 * Whether `node` (a loop's condition) makes a call this rule reports as blocking: it reads the file
 * system, a database, a service (`hook.check_for_key(key)`, `os.path.exists(path)`), state outside the
 * program that no event of it could stand for.
 */
export function makesBlockingCall(ctx: PythonRuleContext, node: Node): boolean {
  const usesBoto3 = ctx.text.includes('boto3');
  const usesAirflow = /Hook\b/.test(ctx.text);
  return [node, ...node.descendantsOfType('call')].some((call) => {
    if (!call || typeOf(call) !== 'call') return false;
    const fn = field(call, 'function');
    if (!fn || (typeOf(fn) !== 'identifier' && typeOf(fn) !== 'attribute')) return false;
    const resolved = ctx.scope.resolve(fn);
    if (resolved && (resolved.via !== 'unbound' || WELL_KNOWN_MODULES.has(resolved.name.split('.')[0])) && BLOCKING.has(resolved.name)) return true;
    return !!methodApi(ctx, fn, call, usesBoto3, false, usesAirflow);
  });
}

/** Whether an expression holds a `threading.Event` (or a multiprocessing one), as this rule knows receivers. */
export function holdsThreadEvent(ctx: PythonRuleContext, receiver: Node): boolean {
  return receiverClass(ctx, receiver) === 'threading.Event';
}

/** Path methods that list paths: iterating what they give yields paths. */
const PATH_LISTINGS = new Set(['iterdir', 'glob', 'rglob']);

/** Whether iterating `iterable` yields `pathlib.Path` objects. */
function pathItems(ctx: PythonRuleContext, iterable: Node, depth: number): boolean {
  if (depth > 6) return false;
  if (typeOf(iterable) === 'call') {
    const fn = field(iterable, 'function');
    const args = callArguments(iterable);
    // `sorted(...)`, `list(...)`: the same items.
    if (fn && typeOf(fn) === 'identifier' && /^(sorted|list|tuple|reversed|set)$/.test(textOf(fn)) && args.length >= 1) return pathItems(ctx, args[0], depth + 1);
    if (fn && typeOf(fn) === 'attribute' && PATH_LISTINGS.has(field(fn, 'attribute')?.text ?? '')) {
      const object = field(fn, 'object');
      return !!object && receiverClass(ctx, object, depth + 1) === 'pathlib.Path';
    }
    return false;
  }
  if (typeOf(iterable) !== 'identifier') return false;
  // A parameter annotated as a container of paths: `paths: list[Path]`, `Sequence[pathlib.Path]`.
  const found = ctx.scope.lookup(textOf(iterable), iterable);
  const binding = found?.bindings.length === 1 ? found.bindings[0].node : undefined;
  const param = binding ? parentOf(binding) : undefined;
  if (!param || (typeOf(param) !== 'typed_parameter' && typeOf(param) !== 'typed_default_parameter')) return false;
  const annotation = param.childForFieldName('type');
  const parts = subscriptParts(annotation?.namedChildren[0] ?? annotation!);
  if (!parts?.head || !/(^|\.)(list|List|set|Set|frozenset|FrozenSet|Sequence|Iterable|Collection)$/.test(parts.head.text) || parts.args.length !== 1) return false;
  const item = parts.args[0].type === 'type' ? parts.args[0].namedChildren[0] : parts.args[0];
  return !!item && annotationClass(ctx, item) === 'pathlib.Path';
}

/**
 * The class of an annotation (`Path`, `pathlib.Path`, `Path | None`, `Optional[Path]`,
 * `queue.Queue[Job]`, quoted `"queue.Queue[Job]"`), or undefined.
 */
function annotationClass(ctx: PythonRuleContext, annotation: Node): string | undefined {
  const quoted = quotedAnnotation(annotation);
  if (quoted) return quotedAnnotationClass(ctx, quoted);
  let t = annotatedClassNode(annotation, 0);
  // `ClientDep = Annotated[OpenAI, Depends(get_client)]` in the file: the alias's class.
  for (let hops = 0; t && typeOf(t) === 'identifier' && hops < 3; hops++) {
    const found = ctx.scope.lookup(textOf(t), t);
    const value = found?.bindings.length === 1 ? assignedValue(found.bindings[0].node) : null;
    if (!value || (typeOf(value) !== 'subscript' && typeOf(value) !== 'generic_type')) break;
    t = annotatedClassNode(value, 0);
  }
  // `p: Poller` with `class Poller(threading.Thread)` in this file.
  const local = t && typeOf(t) === 'identifier' ? libraryBaseOfLocalClass(ctx, t) : undefined;
  if (local) return local;
  const r = t ? ctx.scope.resolve(t) : undefined;
  if (!r || (r.via === 'unbound' && !WELL_KNOWN_MODULES.has(r.name.split('.')[0]))) return undefined;
  return constructedClass(r.name) ?? (r.via === 'import' && t && typeOf(t) === 'identifier' ? importedAliasClass(ctx, r.name) : undefined);
}

/** The string node of a quoted annotation (`q: "queue.Queue[int]"`), if it is one. */
function quotedAnnotation(annotation: Node): Node | undefined {
  const t = typeOf(annotation) === 'type' ? annotation.namedChildren[0] : annotation;
  return t && typeOf(t) === 'string' ? t : undefined;
}

/**
 * The library class a quoted annotation names: `"queue.Queue[float]"` (quoted because
 * `queue.Queue` is not subscriptable at run time before Python 3.9), `"Optional[Path]"`,
 * `"Path | None"`. The dotted head is resolved through the file's imports where the annotation
 * is written; a name bound in the file by anything but an import (a class of the file) is not read.
 */
function quotedAnnotationClass(ctx: PythonRuleContext, str: Node): string | undefined {
  const head = classNameOfAnnotation(str);
  if (!head) return undefined;
  const r = ctx.scope.resolveText(head, str);
  if (!r || r.via === 'star' || (r.via === 'unbound' && !WELL_KNOWN_MODULES.has(r.name.split('.')[0]))) return undefined;
  return constructedClass(r.name);
}

/**
 * The class of a type alias imported from another module of the project: `LegacyHttp` from
 * `app.deps`, where `LegacyHttp = Annotated[requests.Session, Depends(get_legacy)]`.
 */
function importedAliasClass(ctx: PythonRuleContext, qualified: string): string | undefined {
  let summary: ModuleSummary | undefined;
  let written: string | undefined;
  importedSummaryMember(ctx, qualified, (s, member) => {
    summary = s;
    written = s.typeAliases.get(member);
    return true;
  });
  if (!summary || !written) return undefined;
  const found = qualifiedThroughImports(written, summary, true);
  return found && found.binding.level === 0 ? constructedClass(found.name) : undefined;
}

/** What `test` says of the member a qualified name imported from a project module names (`app.db.SessionLocal`). */
function importedSummaryMember(ctx: PythonRuleContext, qualified: string, test: (summary: ModuleSummary, member: string) => boolean): boolean {
  const level = /^\.*/.exec(qualified)![0].length;
  const parts = qualified.slice(level).split('.');
  if (parts.length < 2) return false;
  const file = ctx.project.resolveModule(ctx.filePath, parts.slice(0, -1).join('.'), level);
  const summary = file ? ctx.project.summary(file) : undefined;
  return !!summary && test(summary, parts[parts.length - 1]);
}

/** The class (among those this rule knows) of a client a project module makes at its top level and `name` imports from it. */
function importedInstanceClass(ctx: PythonRuleContext, name: Node): string | undefined {
  const r = ctx.scope.resolve(name);
  if (!r || r.via !== 'import') return undefined;
  let made: string | undefined;
  importedSummaryMember(ctx, r.name, (summary, member) => {
    made = instanceClassIn(summary, member, 0);
    return !!made;
  });
  return made;
}

/**
 * The class (among those this rule knows) of what the top level of a module binds `member` to:
 * `s3 = boto3.client("s3")`, or a sub-resource of such a resource, `orders = dynamodb.Table("orders")`.
 */
function instanceClassIn(summary: ModuleSummary, member: string, depth: number): string | undefined {
  const ctor = summary.instances.get(member);
  if (!ctor || depth > 2) return undefined;
  // `model = AutoModel.from_pretrained(name).to("cuda").eval()`: made, then given back by methods that return it.
  const chained = /^([\w.]+)\(/.exec(ctor);
  if (chained) {
    const head = qualifiedThroughImports(chained[1], summary, false);
    const cls = head?.binding.level === 0 ? constructedClass(head.name) : undefined;
    const methods = [...ctor.matchAll(/\)\.(\w+)/g)].map((m) => m[1]);
    return cls && methods.length > 0 && methods.every((m) => SAME_CLASS[cls]?.has(m)) ? cls : undefined;
  }
  const qualified = qualifiedThroughImports(ctor, summary, false);
  if (qualified) return qualified.binding.level === 0 ? constructedClass(qualified.name) : undefined;
  const [head, ...rest] = ctor.split('.');
  return rest.length === 1 && /^[A-Z]\w*$/.test(rest[0]) && instanceClassIn(summary, head, depth + 1) === 'boto3.client' ? 'boto3.client' : undefined;
}

/** The class (among those this rule knows) that a constructor or factory, by its resolved name, makes. */
function constructedClass(name: string): string | undefined {
  if (CLASS_OF_CONSTRUCTOR[name]) return CLASS_OF_CONSTRUCTOR[name];
  if (KUBE_API.test(name)) return 'kubernetes.client.Api';
  if (AIRFLOW_HOOK_CLASS.test(name)) return 'airflow.Hook';
  if (TRANSFORMERS_MODEL.test(name)) return 'transformers.PreTrainedModel';
  if (ccxtExchangeClass(name) === 'ccxt.Exchange') return 'ccxt.Exchange';
  return DIFFUSERS_PIPELINE.test(name) ? 'diffusers.DiffusionPipeline' : undefined;
}

/**
 * A name bound once in this file to `sessionmaker(...)` (or `scoped_session(sessionmaker(...))`)
 * that makes synchronous sessions (no `class_=AsyncSession`).
 */
function syncSessionFactory(ctx: PythonRuleContext, name: Node): boolean {
  const found = ctx.scope.lookup(textOf(name), name);
  // `from app.db import SessionLocal`: the factory as its module made it.
  if (found?.bindings.length === 1 && found.bindings[0].kind === 'import') {
    const r = ctx.scope.resolve(name);
    return !!r && r.via === 'import' && importedSummaryMember(ctx, r.name, (summary, member) => summary.sessionFactories.get(member) === 'sync');
  }
  let value = found?.bindings.length === 1 ? assignedValue(found.bindings[0].node) : null;
  for (let hops = 0; value && typeOf(value) === 'call' && hops < 2; hops++) {
    const fn = field(value, 'function');
    const r = fn && (typeOf(fn) === 'identifier' || typeOf(fn) === 'attribute') ? ctx.scope.resolve(fn) : undefined;
    if (r?.name === 'sqlalchemy.orm.scoped_session') {
      value = callArguments(value)[0] ?? null;
      continue;
    }
    if (r?.name !== 'sqlalchemy.orm.sessionmaker' && r?.name !== 'sqlalchemy.orm.session.sessionmaker') return false;
    return !callArguments(value).some((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'class_');
  }
  return false;
}

/** `class ApiSession(requests.Session)` in this file: the known library class it extends. */
function libraryBaseOfLocalClass(ctx: PythonRuleContext, name: Node): string | undefined {
  const found = ctx.scope.lookup(textOf(name), name);
  const cls = found?.bindings.length === 1 && found.bindings[0].kind === 'class' ? found.bindings[0].node : undefined;
  const node = cls?.type === 'class_definition' ? cls : cls?.parent?.type === 'class_definition' ? cls.parent : undefined;
  // A subclass with coroutine methods of its own may have turned the blocking ones async: not judged.
  if (!node || /\basync\s+def\b/.test(node.childForFieldName('body')?.text ?? '')) return undefined;
  for (const base of node.childForFieldName('superclasses')?.namedChildren ?? []) {
    if (base?.type !== 'identifier' && base?.type !== 'attribute') continue;
    const known = constructedClass(ctx.scope.resolve(base)?.name ?? '');
    if (known) return known;
  }
  return undefined;
}

/**
 * `WarehouseHook()` with `from .hooks import WarehouseHook` and `class WarehouseHook(BaseHook)` in that
 * project module: the known library class it extends (through classes of that module too). As for a class
 * of this file, a class with coroutine methods of its own is not judged.
 */
function libraryBaseOfImportedClass(ctx: PythonRuleContext, name: Node): string | undefined {
  const r = ctx.scope.resolve(name);
  if (!r || r.via !== 'import') return undefined;
  let known: string | undefined;
  importedSummaryMember(ctx, r.name, (summary, member) => {
    const visit = (className: string, depth: number): string | undefined => {
      const cls = summary.classes.get(className);
      if (!cls || depth > 3 || [...cls.methods.values()].some((m) => m.isAsync)) return undefined;
      for (const base of cls.bases) {
        const own = summary.classes.has(base) ? visit(base, depth + 1) : undefined;
        if (own) return own;
        const found = qualifiedThroughImports(base, summary, false);
        const lib = found && found.binding.level === 0 ? constructedClass(found.name) : undefined;
        if (lib) return lib;
      }
      return undefined;
    };
    known = visit(member, 0);
    return !!known;
  });
  return known;
}

/** Methods that make another object of a known class: method → [receiver class, result class]. */
const MADE_BY: Readonly<Record<string, readonly (readonly [string, string])[]>> = {
  get_waiter: [['boto3.client', 'boto3.Waiter']],
  // A paginator is local; iterating what paginate() gives fetches the pages (see checkBoto3PageIteration).
  get_paginator: [['boto3.client', 'boto3.Paginator']],
  paginate: [['boto3.Paginator', 'boto3.PageIterator']],
  search: [['boto3.PageIterator', 'boto3.PageIterator']],
  get_container_client: [['azure.storage.blob.BlobServiceClient', 'azure.storage.blob.ContainerClient']],
  get_blob_client: [['azure.storage.blob.BlobServiceClient', 'azure.storage.blob.BlobClient'], ['azure.storage.blob.ContainerClient', 'azure.storage.blob.BlobClient']],
  download_blob: [['azure.storage.blob.BlobClient', 'azure.storage.blob.StorageStreamDownloader'], ['azure.storage.blob.ContainerClient', 'azure.storage.blob.StorageStreamDownloader']],
  bucket: [['google.cloud.storage.Client', 'google.cloud.storage.Bucket']],
  get_bucket: [['google.cloud.storage.Client', 'google.cloud.storage.Bucket']],
  blob: [['google.cloud.storage.Bucket', 'google.cloud.storage.Blob']],
  get_blob: [['google.cloud.storage.Bucket', 'google.cloud.storage.Blob']],
  get: [['docker.Collection', 'docker.Model']],
  open_sftp: [['paramiko.SSHClient', 'paramiko.SFTPClient']],
  cursor: [['dbapi.Connection', 'dbapi.Cursor'], ['sqlite3.Connection', 'dbapi.Cursor']],
  getconn: [['psycopg2.pool', 'dbapi.Connection']],
  pipeline: [['redis.Redis', 'redis.Pipeline']],
  get_database: [['pymongo.MongoClient', 'pymongo.Database']],
  get_default_database: [['pymongo.MongoClient', 'pymongo.Database']],
  get_collection: [['pymongo.Database', 'pymongo.Collection'], ['chromadb.ClientAPI', 'chromadb.Collection']],
  query: [['sqlalchemy.orm.Session', 'sqlalchemy.orm.Query']],
  connect: [['sqlalchemy.engine.Engine', 'sqlalchemy.engine.Connection']],
  begin: [['sqlalchemy.engine.Engine', 'sqlalchemy.engine.Connection']],
  get_or_create_collection: [['chromadb.ClientAPI', 'chromadb.Collection']],
  create_collection: [['chromadb.ClientAPI', 'chromadb.Collection']],
  publish: [['paho.mqtt.Client', 'paho.mqtt.MQTTMessageInfo'], ['google.cloud.pubsub_v1.PublisherClient', 'google.cloud.pubsub_v1.PublishFuture']],
  send: [['kafka.KafkaProducer', 'kafka.FutureRecordMetadata']],
  submit: [['concurrent.futures.Executor', 'concurrent.futures.ExecutorFuture']],
  Pool: [['multiprocessing.Context', 'multiprocessing.Pool']],
  Process: [['multiprocessing.Context', 'multiprocessing.Process']],
  // Lazy: iterating what they give waits for each result (see checkResultIteration).
  map: [['concurrent.futures.Executor', 'concurrent.futures.ResultIterator']],
  imap: [['multiprocessing.Pool', 'concurrent.futures.ResultIterator']],
  imap_unordered: [['multiprocessing.Pool', 'concurrent.futures.ResultIterator']],
  apply_async: [['multiprocessing.Pool', 'multiprocessing.AsyncResult']],
  map_async: [['multiprocessing.Pool', 'multiprocessing.AsyncResult']],
  starmap_async: [['multiprocessing.Pool', 'multiprocessing.AsyncResult']],
};

/** A torch module's methods that return the module itself. */
const TORCH_MODULE_SELF: ReadonlySet<string> = new Set(['to', 'eval', 'train', 'cuda', 'cpu', 'half', 'float', 'bfloat16', 'requires_grad_']);

/** Methods that give another object of their receiver's class (a query refined, a model moved to a device). */
const SAME_CLASS: Readonly<Record<string, ReadonlySet<string>>> = {
  // `Image.open(p).convert("RGB").resize(size)`: Pillow images give new images.
  'PIL.Image.Image': new Set(['convert', 'resize', 'rotate', 'crop', 'copy', 'filter', 'transpose', 'quantize', 'reduce']),
  // `AutoModel.from_pretrained(name).to(device).eval()`: torch modules return themselves.
  'transformers.PreTrainedModel': TORCH_MODULE_SELF,
  'sentence_transformers.SentenceTransformer': TORCH_MODULE_SELF,
  'sentence_transformers.CrossEncoder': TORCH_MODULE_SELF,
  'diffusers.DiffusionPipeline': new Set(['to']),
  'ultralytics.Model': new Set(['to', 'fuse']),
  'sqlalchemy.orm.Query': new Set([
    'filter', 'filter_by', 'order_by', 'limit', 'offset', 'join', 'outerjoin', 'options', 'where', 'group_by', 'having', 'distinct',
    'with_entities', 'select_from', 'execution_options', 'populate_existing', 'with_for_update', 'yield_per',
  ]),
};

/** What an attribute of a pymongo client or database is: a database, a collection. */
const MONGO_CHILD: Readonly<Record<string, string>> = { 'pymongo.MongoClient': 'pymongo.Database', 'pymongo.Database': 'pymongo.Collection' };
/**
 * The API groups an SDK client reaches by attribute (of those `names`, or any): a search client's
 * `es.indices`, the docker SDK's `client.containers`, hvac's `client.secrets.kv.v2`.
 */
const NAMESPACE_CHILD: Readonly<Record<string, { cls: string; names?: ReadonlySet<string> }>> = {
  'elasticsearch.Elasticsearch': { cls: 'elasticsearch.Namespace', names: SEARCH_NAMESPACES },
  'docker.DockerClient': { cls: 'docker.Collection', names: new Set(['containers', 'images', 'volumes', 'networks', 'services', 'nodes', 'secrets', 'configs', 'plugins']) },
  'hvac.Client': { cls: 'hvac.Client' },
};

/** The name node an annotation's class is written with: through `type`, `X | None`, `Optional[X]`, `Annotated[X, ...]` and `X[...]`. */
function annotatedClassNode(annotation: Node | null | undefined, depth: number): Node | undefined {
  if (!annotation || depth > 4) return undefined;
  switch (typeOf(annotation)) {
    case 'identifier':
    case 'attribute':
      return annotation.text === 'None' ? undefined : annotation;
    case 'type':
      return annotatedClassNode(annotation.namedChildren[0], depth + 1);
    case 'binary_operator': {
      const sides = [field(annotation, 'left'), field(annotation, 'right')].filter((n): n is Node => !!n && n.text !== 'None');
      return sides.length === 1 ? annotatedClassNode(sides[0], depth + 1) : undefined;
    }
    case 'subscript':
    case 'generic_type': {
      const parts = subscriptParts(annotation);
      if (!parts?.head) return undefined;
      if (/(^|\.)Optional$/.test(parts.head.text)) return parts.args.length === 1 ? annotatedClassNode(parts.args[0], depth + 1) : undefined;
      // `Annotated[OpenAI, Depends(get_client)]`: the annotated type.
      if (/(^|\.)Annotated$/.test(parts.head.text)) return parts.args.length >= 1 ? annotatedClassNode(parts.args[0], depth + 1) : undefined;
      return /(^|\.)(Union|Annotated|Literal|Callable|ClassVar|Final)$/.test(parts.head.text) ? undefined : annotatedClassNode(parts.head, depth + 1);
    }
    default:
      return undefined;
  }
}

/** Per file: the class of `self.<attr>` by class definition and attribute (null: not known). */
const instanceClasses = new WeakMap<PythonRuleContext, Map<string, string | null>>();

/**
 * `self.root` in a method, where the class declares `root: Path` (in its body or as
 * `self.root: Path = ...`), or every assignment to `self.root` in its methods gives the same known
 * class (`self.root = root` with `root: Path` a parameter). Any other way of storing it (a tuple
 * target, `with ... as self.root`, an augmented assignment) makes it unknown.
 */
function instanceAttributeClass(ctx: PythonRuleContext, receiver: Node, depth: number): string | undefined {
  const attr = field(receiver, 'attribute');
  const method = ctx.scope.enclosingFunction(receiver);
  const cls = method?.parent;
  if (!attr || !method || method.kind !== 'function' || cls?.kind !== 'class') return undefined;
  // `self` must be the method's first parameter, not a local or a closure's.
  const first = method.node.childForFieldName('parameters')?.namedChildren[0];
  if (!first || first.text !== 'self' || ctx.scope.lookup('self', receiver)?.scope !== method) return undefined;
  let cache = instanceClasses.get(ctx);
  if (!cache) instanceClasses.set(ctx, (cache = new Map()));
  const key = `${cls.node.id}:${textOf(attr)}`;
  if (cache.has(key)) return cache.get(key) ?? undefined;
  cache.set(key, null); // while it is being worked out: `self.root = self.root / "x"`
  const found = workOutInstanceAttribute(ctx, cls.node, textOf(attr), depth);
  cache.set(key, found ?? null);
  return found;
}

/** The class of this file a local instance was made from: `ResearchCrew()`, or a name bound once to it (`crew = ResearchCrew()`). */
function localInstanceClass(ctx: PythonRuleContext, node: Node | null): Node | undefined {
  let made = node;
  if (made && typeOf(made) === 'identifier') {
    const found = ctx.scope.lookup(textOf(made), made);
    const target = found?.bindings.length === 1 && found.bindings[0].kind === 'assign' ? found.bindings[0].node : undefined;
    const assignment = target ? parentOf(target) : undefined;
    made = assignment?.type === 'assignment' && field(assignment, 'left')?.id === target!.id ? field(assignment, 'right') : null;
  }
  const fn = made && typeOf(made) === 'call' ? field(made, 'function') : null;
  return fn && typeOf(fn) === 'identifier' ? localClassNamed(ctx, fn) : undefined;
}

/** The class definition of this file an identifier names (bound once, to a class), or undefined. */
function localClassNamed(ctx: PythonRuleContext, name: Node): Node | undefined {
  const cls = ctx.scope.lookup(textOf(name), name);
  const def = cls?.bindings.length === 1 && cls.bindings[0].kind === 'class' ? cls.bindings[0].node : undefined;
  const node = def?.type === 'class_definition' ? def : def?.parent;
  return node?.type === 'class_definition' ? node : undefined;
}

/** The class of this file a parameter is annotated with (`deps: AgentDeps`, also `AgentDeps | None`), or undefined. */
function annotatedLocalClass(ctx: PythonRuleContext, name: Node): Node | undefined {
  const found = ctx.scope.lookup(textOf(name), name);
  const binding = found?.bindings.length === 1 && found.bindings[0].kind === 'param' ? found.bindings[0].node : undefined;
  const param = binding ? parentOf(binding) : undefined;
  if (!param || (typeOf(param) !== 'typed_parameter' && typeOf(param) !== 'typed_default_parameter')) return undefined;
  let t = param.childForFieldName('type')?.namedChildren[0] ?? null;
  // `AgentDeps | None`: the class.
  if (t?.type === 'binary_operator' && field(t, 'right')?.text === 'None') t = field(t, 'left');
  return t?.type === 'identifier' ? localClassNamed(ctx, t) : undefined;
}

/**
 * The class of this file that a library class's attribute holds by the type argument of the owner's annotation
 * (DECLARED_GENERIC_ATTRIBUTES): `ctx.deps` with the parameter `ctx: RunContext[AgentDeps]`, or undefined.
 */
function declaredGenericLocalClass(ctx: PythonRuleContext, attribute: Node): Node | undefined {
  const owner = field(attribute, 'object');
  const name = field(attribute, 'attribute')?.text ?? '';
  if (!owner || typeOf(owner) !== 'identifier') return undefined;
  const found = ctx.scope.lookup(textOf(owner), owner);
  const binding = found?.bindings.length === 1 && found.bindings[0].kind === 'param' ? found.bindings[0].node : undefined;
  const param = binding ? parentOf(binding) : undefined;
  if (!param || (typeOf(param) !== 'typed_parameter' && typeOf(param) !== 'typed_default_parameter')) return undefined;
  const annotation = param.childForFieldName('type')?.namedChildren[0];
  const parts = annotation ? subscriptParts(annotation) : undefined;
  const head = parts?.head && (parts.head.type === 'identifier' || parts.head.type === 'attribute') ? ctx.scope.resolve(parts.head)?.name : undefined;
  const index = head ? DECLARED_GENERIC_ATTRIBUTES[head]?.[name] : undefined;
  const argument = index === undefined ? undefined : parts?.args[index];
  const t = argument?.type === 'type' ? argument.namedChildren[0] : argument;
  return t?.type === 'identifier' ? localClassNamed(ctx, t) : undefined;
}

/** What an attribute of instances of a class of this file holds, per its declarations and assignments (cached). */
function attributeClassOf(ctx: PythonRuleContext, classNode: Node, attr: string, depth: number): string | undefined {
  if (!attr) return undefined;
  let cache = instanceClasses.get(ctx);
  if (!cache) instanceClasses.set(ctx, (cache = new Map()));
  const key = `${classNode.id}:${attr}`;
  if (cache.has(key)) return cache.get(key) ?? undefined;
  cache.set(key, null);
  const found = workOutInstanceAttribute(ctx, classNode, attr, depth);
  cache.set(key, found ?? null);
  return found;
}

function workOutInstanceAttribute(ctx: PythonRuleContext, classNode: Node, attr: string, depth: number): string | undefined {
  // The class's own stores, and those of its base classes of this file (`self.executor` set up in the base's `__init__`).
  const all = [classNode, ...localBaseClasses(ctx, classNode)].map((c) => attributeSources(ctx, c).get(attr)).filter((s): s is AttributeSources => !!s);
  if (all.length === 0 || all.some((s) => s.unknown)) return undefined;
  const sources = { declared: all.flatMap((s) => s.declared), assigned: all.flatMap((s) => s.assigned) };
  const declared = new Set<string>();
  const assigned = new Set<string | undefined>();
  for (const type of sources.declared) {
    // An annotation this rule cannot read (a class of the project) leaves the assignments to decide.
    const c = annotationClass(ctx, type);
    if (c) declared.add(c);
  }
  for (const { type, right } of sources.assigned) {
    const c = type ? annotationClass(ctx, type) : undefined;
    if (c) declared.add(c);
    else assigned.add(right ? receiverClass(ctx, right, depth + 1) : undefined);
  }
  const known: Set<string | undefined> = declared.size > 0 ? declared : assigned;
  if (known.size !== 1) return undefined;
  return known.values().next().value;
}

interface AttributeSources {
  /** Class-level annotations (`root: Path`). */
  declared: Node[];
  /** `self.root[: T] = value` in the class's own methods. */
  assigned: { type: Node | null; right: Node | null }[];
  /** Stored some other way (a tuple target, `with ... as`, a loop target, `+=`): unknown. */
  unknown: boolean;
}

const attributeSourcesCache = new WeakMap<PythonRuleContext, Map<number, Map<string, AttributeSources>>>();

/**
 * How a class stores each of its instance attributes, gathered in one pass over the file's shared
 * lists of assignments and targets (asking each attribute's uses of the tree would cross into the
 * WASM module once per attribute).
 */
function attributeSources(ctx: PythonRuleContext, classNode: Node): Map<string, AttributeSources> {
  let perClass = attributeSourcesCache.get(ctx);
  if (!perClass) attributeSourcesCache.set(ctx, (perClass = new Map()));
  const cached = perClass.get(classNode.id);
  if (cached) return cached;
  const out = new Map<string, AttributeSources>();
  perClass.set(classNode.id, out);
  const entry = (name: string): AttributeSources => {
    let e = out.get(name);
    if (!e) out.set(name, (e = { declared: [], assigned: [], unknown: false }));
    return e;
  };
  for (const statement of classNode.childForFieldName('body')?.namedChildren ?? []) {
    const a = statement?.type === 'expression_statement' ? statement.namedChildren[0] : null;
    const type = a?.type === 'assignment' ? a.childForFieldName('type') : null;
    const left = a?.childForFieldName('left');
    if (type && left?.type === 'identifier') entry(left.text).declared.push(type);
  }
  const root = ctx.tree.rootNode;
  const start = classNode.startIndex;
  const end = classNode.endIndex;
  // Only this class's own methods (not a nested class's).
  const own = (n: Node): boolean => ctx.scope.enclosingFunction(n)?.parent?.node.id === classNode.id;
  const selfAttribute = (n: Node | null | undefined): string | undefined =>
    n?.type === 'attribute' && n.childForFieldName('object')?.text === 'self' ? n.childForFieldName('attribute')?.text : undefined;
  // A target `self.x` itself, or an element of a target pattern (`self.a, self.b = ...`); not an
  // attribute read on the way (`self.http.headers[...] = ...` stores nothing in `self.http`).
  const poison = (target: Node | null | undefined): void => {
    if (!target || !target.text.includes('self')) return;
    const direct = selfAttribute(target);
    if (direct) entry(direct).unknown = true;
    else if (TARGET_PATTERNS.has(target.type)) for (const c of target.namedChildren) poison(c);
  };
  for (const a of within(nodesOfType(root, 'assignment'), start, end)) {
    const left = a.childForFieldName('left');
    if (!left || !left.text.includes('self')) continue;
    const name = selfAttribute(left);
    if (name) {
      if (own(a)) entry(name).assigned.push({ type: a.childForFieldName('type'), right: a.childForFieldName('right') });
    } else if (left && left.type !== 'identifier' && own(a)) poison(left);
  }
  const targets: [string | readonly string[], string][] = [['augmented_assignment', 'left'], [['for_statement', 'for_in_clause'], 'left'], ['as_pattern', 'alias']];
  for (const [types, fieldName] of targets) {
    for (const n of within(nodesOfType(root, types), start, end)) {
      const target = n.childForFieldName(fieldName);
      if (target?.text.includes('self') && own(n)) poison(target);
    }
  }
  return out;
}

const TARGET_PATTERNS = new Set(['pattern_list', 'tuple_pattern', 'list_pattern', 'as_pattern_target', 'parenthesized_expression', 'list_splat_pattern']);

/** The nodes of a list in document order that start inside [start, end). */
function* within(nodes: readonly Node[], start: number, end: number): Generator<Node> {
  for (let i = firstAtOrAfter(nodes, start); i < nodes.length && nodes[i].startIndex < end; i++) yield nodes[i];
}

/**
 * The binding a use most likely sees: the only one, or, for a name bound several times in the
 * same function, the last one written before the use (`path = Path(f)` ... `path.stat()`, with
 * `path` bound again by a later loop).
 */
function reachingBinding(bindings: readonly Binding[], use: Node): Node | undefined {
  if (bindings.length === 1) return bindings[0].node;
  let best: Node | undefined;
  for (const b of bindings) {
    if (b.kind === 'param' || b.kind === 'import') return undefined;
    if (b.node.startIndex < use.startIndex && (!best || b.node.startIndex > best.startIndex)) best = b.node;
  }
  return best;
}

/**
 * `lock.acquire(blocking=False)`, `q.get(block=False)`, `q.get(timeout=0)`: not waiting. A
 * non-zero timeout only bounds the wait (`proc.wait(timeout=5)` blocks for up to five seconds).
 */
function nonBlockingCall(call: Node, valueFirst = false): boolean {
  const args = call.childForFieldName('arguments')?.namedChildren ?? [];
  return args.some((a) => {
    if (a?.type === 'keyword_argument') {
      const name = a.childForFieldName('name')?.text;
      const value = a.childForFieldName('value')?.text;
      return ((name === 'blocking' || name === 'block') && value === 'False') || (name === 'timeout' && /^0(\.0*)?$/.test(value ?? ''));
    }
    // `producer.poll(0)`, `event.wait(0)`, `lock.acquire(0)`: a zero timeout (or a falsy `blocking`) polls
    // (not `q.put(0)`, whose first argument is the item).
    return a?.text === 'False' || (!valueFirst && a?.id === args[0]?.id && /^0(\.0*)?$/.test(a?.text ?? ''));
  });
}

/**
 * `loop.run_in_executor(None, time.sleep(s))`: the call sits where a callable is expected (its
 * result is handed over); the mistake is calling it there, which no rewrite of the call mends.
 */
function givenAsCallable(call: Node): boolean {
  const args = parentOf(call);
  const outer = args && typeOf(args) === 'argument_list' ? parentOf(args) : null;
  const fn = outer && typeOf(outer) === 'call' ? field(outer, 'function') : null;
  const name = fn && typeOf(fn) === 'attribute' ? field(fn, 'attribute')?.text : fn && typeOf(fn) === 'identifier' ? textOf(fn) : undefined;
  return !!name && /^(run_in_executor|to_thread|submit|call_soon|call_soon_threadsafe|call_later|Thread)$/.test(name);
}

/**
 * The iteration count of `hashlib.pbkdf2_hmac(hash_name, password, salt, iterations)` is an integer
 * literal below 10 000: well under a millisecond of CPU (OWASP asks 600 000 of SHA-256 for passwords).
 */
function fewIterations(call: Node): boolean {
  const count = argumentFor(call, 3, 'iterations');
  if (!count || count.type !== 'integer') return false;
  const value = Number(count.text.replace(/_/g, ''));
  return Number.isInteger(value) && value < 10_000;
}

/** `event.wait(0)`, `select.select(r, w, x, 0)`: a zero timeout at argument `index` polls, it does not wait. */
function zeroTimeout(call: Node, index: number): boolean {
  const args = callArguments(call);
  const arg = args[index];
  return !!arg && arg.type !== 'keyword_argument' && /^0(\.0*)?$/.test(arg.text);
}

/** Whether the queue a name holds was made here with a positive `maxsize`. */
function boundedQueue(ctx: PythonRuleContext, receiver: Node): boolean {
  if (typeOf(receiver) !== 'identifier') return false;
  const found = ctx.scope.lookup(textOf(receiver), receiver);
  const target = found && reachingBinding(found.bindings, receiver);
  const assignment = target && parentOf(target);
  const made = assignment && typeOf(assignment) === 'assignment' ? field(assignment, 'right') : null;
  if (!made || typeOf(made) !== 'call') return false;
  const args = made.childForFieldName('arguments')?.namedChildren ?? [];
  const size = args.find((a) => a?.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'maxsize')?.childForFieldName('value') ?? (args[0]?.type !== 'keyword_argument' ? args[0] : null);
  return !!size && !/^0+$/.test(size.text);
}

/** `socket.getaddrinfo(host, port, flags=AI_NUMERICHOST | AI_NUMERICSERV)` only parses numbers. */
function numericOnly(call: Node): boolean {
  const args = call.childForFieldName('arguments')?.namedChildren ?? [];
  // `flags=` or the sixth positional argument.
  return args.some((a, i) => (a?.type === 'keyword_argument' ? a.childForFieldName('name')?.text === 'flags' : i === 5) && /NUMERIC/.test(a!.text));
}

const SOCKET_WAITS: Readonly<Record<string, true>> = { recv: true, recvfrom: true, recv_into: true, recvfrom_into: true, accept: true, connect: true, sendall: true };

/**
 * `sock = socket.socket(AF_INET, SOCK_DGRAM)` (or `with socket.socket(...) as sock:`) in this function, and nothing here makes it
 * non-blocking: no `setblocking(...)`, no `settimeout(0)`, not handed to any call (asyncio's
 * `loop.sock_recv(sock, n)`, `create_datagram_endpoint(sock=sock)` and helpers may set it up).
 * A timeout set with `settimeout(5)` only bounds the wait. Not in test modules. `connect()` of a
 * datagram socket (`SOCK_DGRAM`) sends nothing and waits for no one: it only records the peer
 * (a local route lookup), as done to learn which local address reaches a host.
 */
function blockingSocketMadeHere(ctx: PythonRuleContext, receiver: Node, method: string): boolean {
  if (typeOf(receiver) !== 'identifier') return false;
  // Tests drive both ends of a local socket pair on purpose (accept() of a connection already made).
  if (/(^|\/)(test_[^/]*|[^/]*_test|conftest)\.py$/.test(ctx.filePath.split(/[\\/]/).join('/'))) return false;
  const found = ctx.scope.lookup(textOf(receiver), receiver);
  if (!found || found.bindings.length !== 1) return false;
  const holder = parentOf(found.bindings[0].node);
  // `sock = socket.socket(...)` or `with socket.socket(...) as sock:`.
  const pattern = holder && typeOf(holder) === 'as_pattern_target' ? parentOf(holder) : null;
  const made =
    holder && typeOf(holder) === 'assignment' && field(holder, 'left')?.id === found.bindings[0].node.id
      ? field(holder, 'right')
      : pattern && typeOf(pattern) === 'as_pattern'
        ? pattern.namedChildren[0]
        : null;
  const ctor = made && typeOf(made) === 'call' ? field(made, 'function') : null;
  if (!ctor || ctx.scope.resolve(ctor)?.name !== 'socket.socket') return false;
  if (method === 'connect' && /\bSOCK_DGRAM\b/.test(field(made!, 'arguments')?.text ?? '')) return false;
  const fn = ctx.scope.enclosingFunction(receiver);
  if (!fn || fn.kind !== 'function' || ctx.scope.enclosingFunction(made!)?.node.id !== fn.node.id) return false;
  for (const use of fn.node.descendantsOfType('identifier')) {
    if (!use || use.text !== receiver.text || use.id === found.bindings[0].node.id) continue;
    const parent = parentOf(use);
    if (!parent) return false;
    if (typeOf(parent) === 'argument_list' || typeOf(parent) === 'keyword_argument') return false;
    if (typeOf(parent) !== 'attribute' || field(parent, 'object')?.id !== use.id) continue;
    const attr = field(parent, 'attribute')?.text;
    const call = parentOf(parent);
    if (attr === 'setblocking') return false;
    if (attr === 'settimeout' && call && typeOf(call) === 'call' && zeroTimeout(call, 0)) return false;
  }
  return true;
}

/** In an `if` statement (of this function) whose condition calls `<receiver>.done()` (`if fut.done():`, `if not fut.done(): ... else:`). */
function checkedDone(call: Node, receiver: Node): boolean {
  const done = `${textOf(receiver)}.done()`;
  for (let n = parentOf(call); n; n = parentOf(n)) {
    const type = typeOf(n);
    if (type === 'function_definition' || type === 'lambda') return false;
    if (type === 'if_statement' && (field(n, 'condition')?.text ?? '').replace(/\s+/g, '').includes(done)) return true;
  }
  return false;
}

/**
 * An awaiting loop on `receiver.probe()` ends right before `call` (`while t.is_alive(): await
 * sleep(0.1)`, then `t.join()`): the loop has no `break`, so the condition no longer holds, and
 * nothing awaits in between for another task to change it back.
 */
function polledUntil(call: Node, receiver: Node, probe: string): boolean {
  const condition = `${textOf(receiver).replace(/\s+/g, '')}.${probe}()`;
  for (let stmt: Node | null = call; stmt; stmt = parentOf(stmt)) {
    const type = typeOf(stmt);
    if (type === 'function_definition' || type === 'lambda') return false;
    const holder = parentOf(stmt);
    if (!holder || (typeOf(holder) !== 'block' && typeOf(holder) !== 'module')) continue;
    // What runs before `call` in its own statement must not await either.
    if (nodesOfType(stmt, 'await').some((a) => a.endIndex <= call.startIndex)) return false;
    for (let prev = stmt.previousNamedSibling; prev; prev = prev.previousNamedSibling) {
      if (typeOf(prev) === 'while_statement' && (field(prev, 'condition')?.text ?? '').replace(/\s+/g, '') === condition) {
        const body = field(prev, 'body');
        return !!body && nodesOfType(body, 'await').length > 0 && nodesOfType(body, 'break_statement').length === 0 && !field(prev, 'alternative');
      }
      if (nodesOfType(prev, 'await').length > 0) return false;
    }
  }
  return false;
}

/**
 * `while q.qsize(): item = q.get()`, `if not q.empty(): q.get()`: the queue held an item when its
 * test ran, right before `call` with no await in between (the drain of a queue filled by threads).
 */
function checkedNotEmpty(call: Node, receiver: Node): boolean {
  const q = textOf(receiver).replace(/\s+/g, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const test = new RegExp(`^(${q}\\.qsize\\(\\)(>0|!=0|>=1)?|not${q}\\.empty\\(\\))$`);
  for (let stmt: Node | null = call; stmt; stmt = parentOf(stmt)) {
    const type = typeOf(stmt);
    if (type === 'function_definition' || type === 'lambda') return false;
    const block = parentOf(stmt);
    if (!block || typeOf(block) !== 'block') continue;
    // What runs before `call` in its own statement, or in the statements before it, must not await.
    if (nodesOfType(stmt, 'await').some((a) => a.endIndex <= call.startIndex)) return false;
    if (stmt.previousNamedSibling) return false;
    // The first statement of the loop's body, or of the `if`'s own branch.
    const owner = parentOf(block);
    const ownerType = owner ? typeOf(owner) : '';
    const slot = ownerType === 'while_statement' ? 'body' : ownerType === 'if_statement' ? 'consequence' : undefined;
    if (!owner || !slot || field(owner, slot)?.id !== block.id) return false;
    return test.test((field(owner, 'condition')?.text ?? '').replace(/\s+/g, ''));
  }
  return false;
}

/** `await asyncio.wrap_future(fut)` (or `asyncio.wait`/`gather` over it) before `call` in the same function: `fut` is done. */
function awaitedBefore(ctx: PythonRuleContext, call: Node, receiver: Node): boolean {
  if (typeOf(receiver) !== 'identifier') return false;
  const fn = ctx.scope.enclosingFunction(call);
  if (!fn) return false;
  const name = textOf(receiver);
  return nodesOfType(fn.node, 'await').some(
    (a) => a.endIndex <= call.startIndex && nodesOfType(a, 'call').some((c) => /(^|\.)wrap_future$/.test(field(c, 'function')?.text ?? '') && callArguments(c)[0]?.text === name),
  );
}

/**
 * `pool = ProcessPoolExecutor()` in the coroutine, each other use of `pool` inside an `await`
 * (`await loop.run_in_executor(pool, fn)`): by the time of `pool.shutdown()` its work is done.
 */
function onlyAwaitedWork(ctx: PythonRuleContext, call: Node, receiver: Node): boolean {
  if (typeOf(receiver) !== 'identifier') return false;
  const fn = ctx.scope.enclosingFunction(call);
  const found = ctx.scope.lookup(textOf(receiver), receiver);
  if (!fn || !found || found.bindings.length !== 1 || ctx.scope.enclosingFunction(found.bindings[0].node) !== fn) return false;
  const binding = found.bindings[0].node;
  const uses = nodesOfType(fn.node, 'identifier').filter((n) => n.text === receiver.text && n.id !== binding.id && n.id !== receiver.id);
  return uses.every((n) => {
    for (let p = parentOf(n); p && p.id !== fn.node.id; p = parentOf(p)) if (typeOf(p) === 'await') return p.endIndex <= call.startIndex;
    return false;
  });
}

/** `usesBoto3`: the file mentions boto3, whose clients' API calls all block. */
function methodApi(ctx: PythonRuleContext, fn: Node, call: Node, usesBoto3: boolean, usesGrpc = false, usesAirflow = false): { api: BlockingApi; qualified: string } | undefined {
  if (typeOf(fn) !== 'attribute') return undefined;
  // The attribute is the callee's last token: when its text cannot be a blocking method, the
  // receiver's class does not matter (except on a boto3 client, whose every API call blocks).
  const last = /[A-Za-z0-9_]+$/.exec(textOf(fn))?.[0];
  if (last === undefined) return undefined;
  if (
    !BLOCKING_METHOD_NAMES.has(last) &&
    !KUBE_METHOD.test(last) &&
    !(usesBoto3 && /^[a-z][a-z0-9_]*$/.test(last) && !AWS_LOCAL.has(last)) &&
    !(usesGrpc && GRPC_METHOD.test(last)) &&
    !(usesAirflow && /^[a-z_][a-z0-9_]*$/.test(last))
  )
    return undefined;
  const attribute = field(fn, 'attribute');
  const method = attribute ? textOf(attribute) : '';
  const receiver = field(fn, 'object');
  if (!receiver) return undefined;
  const cls = receiverClass(ctx, receiver) ?? (method in SOCKET_WAITS && blockingSocketMadeHere(ctx, receiver, method) ? 'socket.socket' : undefined);
  const api =
    cls === 'boto3.client' && !AWS_LOCAL.has(method)
      ? AWS
      : cls === 'kubernetes.client.Api'
        ? KUBE_METHOD.test(method)
          ? KUBE
          : undefined
        : cls === 'grpc.SyncStub'
          ? GRPC_METHOD.test(method)
            ? GRPC_SYNC
            : undefined
          : cls === 'airflow.Hook'
            ? airflowHookCall(call, method)
              ? AIRFLOW_HOOK
              : undefined
          : cls
            ? BLOCKING_METHODS[cls]?.get(method)
            : undefined;
  if (!api || !cls) return undefined;
  // `r = await s.get(url)`: the library method gives no awaitable, so the receiver is not the plain
  // library object (a subclass that hands the request to a thread, or a class inferred wrongly).
  const up = parentOf(call);
  if (up && typeOf(up) === 'await') return undefined;
  // `blocking=False`, `timeout=`: a thread primitive that does not wait. An HTTP `timeout=` only
  // bounds the wait.
  if (WAIT_PRIMITIVES.has(cls) && nonBlockingCall(call, method === 'put')) return undefined;
  if (cls === 'threading.Event' && zeroTimeout(call, 0)) return undefined;
  // `if fut.done(): fut.result()`: finished, so it does not wait.
  if ((cls === 'concurrent.futures.Future' || cls === 'concurrent.futures.ExecutorFuture' || cls === 'google.cloud.pubsub_v1.PublishFuture') && checkedDone(call, receiver)) return undefined;
  // `await asyncio.wrap_future(fut)` earlier in the function: done by now.
  if (cls === 'concurrent.futures.ExecutorFuture' && awaitedBefore(ctx, call, receiver)) return undefined;
  // `while t.is_alive(): await asyncio.sleep(0.1)` then `t.join()`, `while q.empty(): await
  // anyio.sleep(0)` then `q.get()`: the coroutine waited without blocking, so the call returns at once.
  if ((cls === 'threading.Thread' || cls === 'multiprocessing.Process') && method === 'join' && polledUntil(call, receiver, 'is_alive')) return undefined;
  if (cls === 'queue.Queue' && method === 'get' && (polledUntil(call, receiver, 'empty') || checkedNotEmpty(call, receiver))) return undefined;
  // `executor.shutdown(wait=False)` does not wait for the tasks.
  if (cls === 'concurrent.futures.Executor' && callArguments(call).some((a) => a.type === 'keyword_argument' ? a.childForFieldName('name')?.text === 'wait' && a.childForFieldName('value')?.text === 'False' : a.text === 'False')) return undefined;
  // An executor the coroutine made itself and only handed awaited work: nothing is left to wait for.
  if (cls === 'concurrent.futures.Executor' && method === 'shutdown' && onlyAwaitedWork(ctx, call, receiver)) return undefined;
  // `df.to_csv(path)`, `df.to_sql("t", engine)`: not `df.to_csv()` (a string) nor `df.to_csv(io.StringIO())`.
  if (cls === 'pandas.DataFrame' && !dataFrameWritesOut(ctx, call, method)) return undefined;
  // `img.save(path)`, not `img.save(buf, "PNG")` into memory.
  if (cls === 'PIL.Image.Image' && !givenLocation(ctx, call, false)) return undefined;
  // put() waits only on a bounded queue: `queue.Queue()` without a maxsize never blocks.
  if (cls === 'queue.Queue' && method === 'put' && !boundedQueue(ctx, receiver)) return undefined;
  // The future of `executor.submit(...)` is a plain concurrent.futures.Future.
  return { api, qualified: `${cls === 'concurrent.futures.ExecutorFuture' ? 'concurrent.futures.Future' : cls}.${method}` };
}

/** Whether a DataFrame writer call writes to a path or a database (not to memory, nor giving back a string or bytes). */
function dataFrameWritesOut(ctx: PythonRuleContext, call: Node, method: string): boolean {
  if (method === 'to_sql') return true;
  const args = callArguments(call);
  const first = args[0];
  const target = first && first.type !== 'keyword_argument' && first.type !== 'list_splat' && first.type !== 'dictionary_splat'
    ? first
    : args.find((a) => a.type === 'keyword_argument' && DATAFRAME_TARGETS.has(a.childForFieldName('name')?.text ?? ''))?.childForFieldName('value');
  if (!target || target.type === 'none') return false;
  return !inMemoryBuffer(ctx, target);
}

/**
 * Whether a method call on an Airflow hook talks to something: not an awaited one (`await
 * hook.get_async_conn()`, a coroutine method some sync hooks have), nor a method named for its async
 * side, nor one that only describes the hook.
 */
function airflowHookCall(call: Node, method: string): boolean {
  if (AIRFLOW_HOOK_LOCAL.has(method) || /async/.test(method)) return false;
  // `hook.get_waiter("job_complete", deferrable=True, client=client)` in an AWS trigger: a waiter over the
  // async client it is given (without one, the hook makes its boto3 client, a connection lookup).
  if (method === 'get_waiter' && callArguments(call).some((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'client')) return false;
  const parent = parentOf(call);
  return !(parent && typeOf(parent) === 'await');
}

const DJANGO_QUERY_SET = new Set(DJANGO_QUERIES);
/** A related manager's changes, whose twins came with Django 4.2. */
const RELATED_CHANGES = new Set(['add', 'remove', 'clear', 'set']);
const DJANGO_INSTANCE_QUERY_SET = new Set(DJANGO_INSTANCE_QUERIES);

/**
 * `Article.objects.get(...)`, `article.save()` in an async function: Django refuses synchronous
 * ORM calls from a running event loop (SynchronousOnlyOperation). Each has an `a`-prefixed
 * async twin (Django 4.1+; 4.2 for model instances).
 */
function checkDjangoQuery(ctx: PythonRuleContext, call: Node, fn: Node, resolver: () => AwaitableResolver): boolean {
  if (typeOf(fn) !== 'attribute') return false;
  const attribute = field(fn, 'attribute');
  const receiver = field(fn, 'object');
  const method = attribute ? textOf(attribute) : '';
  if (!receiver || !attribute) return false;
  if (DJANGO_VALIDATION.has(method) || method === 'is_valid' || method === 'save') {
    if (ctx.scope.isAsyncContext(call) && checkDjangoValidation(ctx, call, fn, receiver, method, resolver)) return true;
  }
  if (DJANGO_USER_CREATION.has(method)) return ctx.scope.isAsyncContext(call) && checkDjangoUserCreation(ctx, call, fn, receiver, resolver);
  if (!DJANGO_QUERY_SET.has(method) && !DJANGO_INSTANCE_QUERY_SET.has(method)) return false;
  if (!ctx.scope.isAsyncContext(call)) return false;
  const cls = resolver().libraryClassOfReceiver(
    receiver,
    (lib) => (lib === 'django.db.models.Manager' && DJANGO_QUERY_SET.has(method)) || (lib === 'django.db.models.Model' && DJANGO_INSTANCE_QUERY_SET.has(method)),
  );
  if (!cls) return false;
  const owner = ctx.scope.enclosingFunction(call);
  const twin = `a${method}`;
  // Querysets and managers have their twins since Django 4.1; model instances and related managers' changes since 4.2.
  const since = cls === 'django.db.models.Model' || RELATED_CHANGES.has(method) ? '4.2' : '4.1';
  ctx.report({
    message: `${fn.text.replace(/\s+/g, '')}() runs a synchronous Django ORM query inside async function '${owner?.name ?? '?'}': Django raises SynchronousOnlyOperation there; await its async twin ${twin}() (Django ${since}+), or run the code through sync_to_async`,
    range: ctx.rangeOf(call),
    anchors: [],
    suggestions: asyncTwinSuggestion(ctx, call, attribute, twin),
  });
  return true;
}

/** A user manager's helpers that hash the password and save the new user (no async twin). */
const DJANGO_USER_CREATION = new Set(['create_user', 'create_superuser']);

/** `User.objects.create_user(...)` in an async function: a synchronous insert (and a password hash) with no a-prefixed twin. */
function checkDjangoUserCreation(ctx: PythonRuleContext, call: Node, fn: Node, receiver: Node, resolver: () => AwaitableResolver): boolean {
  if (!resolver().libraryClassOfReceiver(receiver, (lib) => lib === 'django.db.models.Manager')) return false;
  const owner = ctx.scope.enclosingFunction(call);
  ctx.report({
    message: `${fn.text.replace(/\s+/g, '')}() hashes the password and saves the user with a synchronous Django ORM query inside async function '${owner?.name ?? '?'}': Django raises SynchronousOnlyOperation there; it has no async twin, so run it through sync_to_async`,
    range: ctx.rangeOf(call),
    anchors: [],
  });
  return true;
}

/**
 * `user.check_password(raw)` / `user.set_password(raw)` on an instance of a project user model in async code: the
 * password is hashed on the loop (PBKDF2 with hundreds of thousands of iterations by default), and check_password
 * also saves the user with a synchronous query when the stored hash needs upgrading (after a Django upgrade raises
 * its iteration count), which Django refuses from a running event loop. Django 5.0 has `acheck_password`.
 */
function checkDjangoUserPasswords(ctx: PythonRuleContext, call: Node, fn: Node, resolver: () => AwaitableResolver): boolean {
  if (typeOf(fn) !== 'attribute') return false;
  const attribute = field(fn, 'attribute');
  const receiver = field(fn, 'object');
  const method = attribute ? textOf(attribute) : '';
  if (!receiver || !attribute || (method !== 'check_password' && method !== 'set_password')) return false;
  if (!ctx.scope.isAsyncContext(call)) return false;
  const model = resolver().djangoInstanceModel(receiver);
  // A model of the project that defines the method itself is not Django's user model method.
  if (model ? model.summary.methods.has(method) : !djangoUserValue(ctx, receiver)) return false;
  const owner = ctx.scope.enclosingFunction(call);
  const shown = fn.text.replace(/\s+/g, '');
  if (method === 'check_password') {
    ctx.report({
      message: `${shown}() hashes the password on the event loop inside async function '${owner?.name ?? '?'}', and saves the user with a synchronous query when the stored hash needs upgrading (Django raises SynchronousOnlyOperation there); await ${receiver.text.replace(/\s+/g, '')}.acheck_password(...) (Django 5.0+)`,
      range: ctx.rangeOf(call),
      anchors: [],
      suggestions: asyncTwinSuggestion(ctx, call, attribute, 'acheck_password'),
    });
    return true;
  }
  ctx.report({
    message: `${shown}() ${PASSWORD_HASH.what}: it blocks the event loop inside async function '${owner?.name ?? '?'}'`,
    range: ctx.rangeOf(call),
    anchors: [],
    ...fixFor(ctx, call, fn, PASSWORD_HASH),
  });
  return true;
}

/** Async lookups of one model instance on a manager. */
const AWAITED_LOOKUP = /^a(get|first|last|earliest|latest)$/;

/**
 * A name bound once to a Django user: `user = await request.auser()`, or an awaited lookup on the manager of
 * `django.contrib.auth.models.User` or of a module name bound to `get_user_model()` (`await User.objects.aget(...)`).
 */
function djangoUserValue(ctx: PythonRuleContext, receiver: Node): boolean {
  if (receiver.type !== 'identifier') return false;
  const value = valueBoundOnce(ctx, receiver);
  const call = value?.type === 'await' ? value.namedChildren[0] : null;
  const fn = call?.type === 'call' ? field(call, 'function') : null;
  if (!fn || fn.type !== 'attribute') return false;
  const method = field(fn, 'attribute')?.text ?? '';
  if (method === 'auser') return true;
  const manager = field(fn, 'object');
  const model = manager?.type === 'attribute' && field(manager, 'attribute')?.text === 'objects' ? field(manager, 'object') : null;
  if (!model || !AWAITED_LOOKUP.test(method)) return false;
  if (ctx.scope.resolve(model)?.name === 'django.contrib.auth.models.User') return true;
  const made = model.type === 'identifier' ? valueBoundOnce(ctx, model) : null;
  return calleeName(ctx, made) === 'django.contrib.auth.get_user_model';
}

/** Model methods that validate the instance: its unique fields and relations are checked with queries. */
const DJANGO_VALIDATION = new Set(['full_clean', 'validate_unique', 'validate_constraints']);

/**
 * Synchronous validation and saving that query the database, in async code:
 * `product.full_clean()` on a model with unique fields or relations, `form.is_valid()` /
 * `form.save()` on a ModelForm, `serializer.is_valid()` / `serializer.save()` on a DRF
 * ModelSerializer. None has an async twin.
 */
function checkDjangoValidation(ctx: PythonRuleContext, call: Node, fn: Node, receiver: Node, method: string, resolver: () => AwaitableResolver): boolean {
  const owner = ctx.scope.enclosingFunction(call);
  const where = `inside async function '${owner?.name ?? '?'}': Django raises SynchronousOnlyOperation there; run it through sync_to_async`;
  const shown = fn.text.replace(/\s+/g, '');
  const report = (what: string): true => {
    ctx.report({ message: `${shown}() ${what} ${where}`, range: ctx.rangeOf(call), anchors: [] });
    return true;
  };
  if (DJANGO_VALIDATION.has(method)) {
    const model = resolver().djangoInstanceModel(receiver);
    if (!model || !resolver().djangoValidationQueries(model)) return false;
    return report(`checks the unique fields and relations of ${model.summary.name} with synchronous queries`);
  }
  // `form.is_valid()` / `form.save()`; not when the class defines the method itself.
  const form = resolver().djangoModelFormOf(receiver, method === 'save' ? ['save', 'create', 'update'] : [method]);
  if (!form || form.overrides || form.kind === 'plain-serializer') return false;
  const noun = form.kind === 'form' ? 'ModelForm' : 'ModelSerializer';
  if (method === 'save') {
    // `form.save(commit=False)` builds the instance without saving it.
    if (callArguments(call).some((a) => a.type === 'keyword_argument' && field(a, 'name')?.text === 'commit' && field(a, 'value')?.text === 'False')) return false;
    if (form.kind === 'form' && callArguments(call).some((a) => a.type !== 'keyword_argument')) return false;
    return report(`saves the ${noun}'s instance with a synchronous query`);
  }
  // `Serializer(obj, data=..., partial=True)`: only the fields sent are validated.
  const made = madeBy(ctx, receiver);
  if (made && callArguments(made).some((a) => a.type === 'keyword_argument' && field(a, 'name')?.text === 'partial' && field(a, 'value')?.text !== 'False')) return false;
  // Validation queries when the form's fields include a unique field or a relation of the model.
  if (!form.model || !resolver().djangoValidationQueries(form.model, form.fields)) return false;
  return report(`validates the ${noun} against the database (unique fields, related objects of ${form.model.summary.name}) with synchronous queries`);
}

/** `await x.aget(...)` for `x.get(...)`: the call with its method renamed to the `a`-prefixed twin, awaited (a suggestion). */
function asyncTwinSuggestion(ctx: PythonRuleContext, call: Node, attribute: Node, twin: string): Fix[] | undefined {
  if (!canInsertAwait(ctx, call)) return undefined;
  const renamed = `${call.text.slice(0, attribute.startIndex - call.startIndex)}${twin}${call.text.slice(attribute.endIndex - call.startIndex)}`;
  return [{ title: `Use await ...${twin}()`, safe: false, edits: awaitEdits(ctx, call, renamed) }];
}

/** Django's synchronous helpers that query the database (or the session store) at once. */
const DJANGO_SYNC: ReadonlyMap<string, { what: string; orm: boolean; twin?: string }> = new Map([
  ['django.shortcuts.get_object_or_404', { what: 'runs a synchronous Django ORM query', orm: true }],
  ['django.shortcuts.get_list_or_404', { what: 'runs a synchronous Django ORM query', orm: true }],
  ['django.contrib.auth.authenticate', { what: 'checks credentials against the database synchronously', orm: true, twin: 'aauthenticate' }],
  ['django.contrib.auth.login', { what: 'writes the session and the user synchronously', orm: true, twin: 'alogin' }],
  ['django.contrib.auth.logout', { what: 'flushes the session synchronously', orm: true, twin: 'alogout' }],
  ['django.contrib.auth.get_user', { what: 'loads the user from the session and the database synchronously', orm: true, twin: 'aget_user' }],
  ['django.core.mail.send_mail', { what: 'talks to a mail server synchronously', orm: false }],
  ['django.core.mail.send_mass_mail', { what: 'talks to a mail server synchronously', orm: false }],
  ['django.core.mail.mail_admins', { what: 'talks to a mail server synchronously', orm: false }],
  ['django.core.mail.mail_managers', { what: 'talks to a mail server synchronously', orm: false }],
  ['django.db.transaction.atomic', { what: 'opens a database transaction synchronously', orm: true }],
  ['django.db.connection.cursor', { what: 'opens a database cursor synchronously', orm: true }],
]);

/** Django's email messages: `send()` talks to the mail server. */
const DJANGO_EMAIL = /^django\.core\.mail\.(message\.)?(EmailMessage|EmailMultiAlternatives)$/;

/** The call that made a value: the expression itself, or the value of a name bound once (`p = Paginator(qs, 25)`). */
function madeBy(ctx: PythonRuleContext, expr: Node): Node | undefined {
  let made: Node | null | undefined = expr;
  if (made.type === 'identifier') {
    const found = ctx.scope.lookup(made.text, made);
    made = found?.bindings.length === 1 ? assignedValue(found.bindings[0].node) : null;
  }
  return made?.type === 'call' ? made : undefined;
}

/**
 * `EmailMessage(...).send()` (talks to the mail server) and `Paginator(qs, 25).page(n)` /
 * `.get_page(n)` over a queryset (counts its rows) in async code.
 */
function checkDjangoObjects(ctx: PythonRuleContext, call: Node, fn: Node, resolver: () => AwaitableResolver): boolean {
  if (typeOf(fn) !== 'attribute') return false;
  const method = field(fn, 'attribute')?.text ?? '';
  const receiver = field(fn, 'object');
  if (!receiver || !ctx.scope.isAsyncContext(call)) return false;
  // `self.scope["session"].save()` in a Channels consumer: the session store writes synchronously.
  if (method === 'save' && receiver.type === 'subscript' && /^(self\.)?scope$/.test(field(receiver, 'value')?.text ?? '') && /^["']session["']$/.test(field(receiver, 'subscript')?.text ?? '') && mentions(ctx.text, CHANNELS_MENTION)) {
    const owner = ctx.scope.enclosingFunction(call);
    ctx.report({
      message: `${fn.text.replace(/\s+/g, '')}() writes the session store synchronously inside async function '${owner?.name ?? '?'}': with a database session backend Django raises SynchronousOnlyOperation there; call it through database_sync_to_async`,
      range: ctx.rangeOf(call),
      anchors: [],
    });
    return true;
  }
  if (method !== 'send' && method !== 'page' && method !== 'get_page') return false;
  const made = madeBy(ctx, receiver);
  const maker = made ? calleeName(ctx, made) : undefined;
  if (!made || !maker) return false;
  const owner = ctx.scope.enclosingFunction(call);
  const shown = receiver.type === 'call' ? `${field(receiver, 'function')?.text.replace(/\s+/g, '')}(...).${method}` : fn.text.replace(/\s+/g, '');
  if (method === 'send' && DJANGO_EMAIL.test(maker)) {
    ctx.report({ message: `${shown}() talks to a mail server synchronously: it blocks the event loop inside async function '${owner?.name ?? '?'}'; run it through sync_to_async`, range: ctx.rangeOf(call), anchors: [] });
    return true;
  }
  if (method !== 'send' && maker === 'django.core.paginator.Paginator') {
    const items = callArguments(made)[0];
    if (!items || items.type === 'keyword_argument' || !resolver().djangoQuerySet(items)) return false;
    ctx.report({
      message: `${shown}() counts and slices the queryset ${items.text.replace(/\s+/g, '')} with synchronous Django ORM queries inside async function '${owner?.name ?? '?'}': Django raises SynchronousOnlyOperation there; run the paging through sync_to_async`,
      range: ctx.rangeOf(call),
      anchors: [],
    });
    return true;
  }
  return false;
}

/** Decorators that make a function a Celery task (`@shared_task`, `@app.task`, `@celery.task(...)`). */
const CELERY_TASK = /(^|\.)(shared_task|task)$/;

/**
 * Django's synchronous helpers, and Celery from async code: `task.delay(...)`/`apply_async(...)`
 * publish to the broker synchronously, and `AsyncResult.get()` waits for the result.
 */
function checkDjangoAndCelery(ctx: PythonRuleContext, call: Node, fn: Node, resolver: () => AwaitableResolver): boolean {
  if (!ctx.scope.isAsyncContext(call)) return false;
  const owner = ctx.scope.enclosingFunction(call);
  const where = `inside async function '${owner?.name ?? '?'}'`;
  const resolved = typeOf(fn) === 'identifier' || typeOf(fn) === 'attribute' ? ctx.scope.resolve(fn) : undefined;
  const django = resolved && resolved.via !== 'unbound' ? DJANGO_SYNC.get(resolved.name) : undefined;
  // `@transaction.atomic()` on a function defined here: decorating opens nothing.
  if (django && parentOf(call)?.type !== 'decorator') {
    const twin = django.twin ? `; await its async twin ${django.twin}() (Django 5.0+)` : '; run it through sync_to_async';
    const raises = django.orm ? ', and Django raises SynchronousOnlyOperation for ORM access there' : '';
    ctx.report({ message: `${fn.text.replace(/\s+/g, '')}() ${django.what}: it blocks the event loop ${where}${raises}${twin}`, range: ctx.rangeOf(call), anchors: [] });
    return true;
  }
  if (typeOf(fn) !== 'attribute' || !mentions(ctx.text, CELERY_MENTION)) return false;
  const method = field(fn, 'attribute')?.text ?? '';
  const receiver = field(fn, 'object');
  if (!receiver) return false;
  const celeryTask = (expr: Node): boolean => !!resolver().decoratorsOf(expr)?.some((d) => CELERY_TASK.test(d));
  if (method === 'delay' || method === 'apply_async') {
    if (!celeryTask(receiver)) return false;
    ctx.report({
      message: `${fn.text.replace(/\s+/g, '')}() publishes the Celery task to the broker synchronously: it blocks the event loop ${where} (a slow or unreachable broker stalls every request); run it through asyncio.to_thread or sync_to_async`,
      range: ctx.rangeOf(call),
      anchors: [],
    });
    return true;
  }
  if (method === 'get' || method === 'wait') {
    // `res.get()` on `res = task.delay(...)` or an `AsyncResult(...)`.
    let made: Node | null | undefined = receiver;
    if (made.type === 'identifier') {
      const found = ctx.scope.lookup(made.text, made);
      made = found?.bindings.length === 1 ? assignedValue(found.bindings[0].node) : null;
    }
    if (made?.type !== 'call') return false;
    const maker = field(made, 'function');
    const r = maker && (maker.type === 'identifier' || maker.type === 'attribute') ? ctx.scope.resolve(maker) : undefined;
    const isResult =
      (r && r.via !== 'unbound' && /^celery\.(result\.)?AsyncResult$/.test(r.name)) ||
      (maker?.type === 'attribute' && /^(delay|apply_async)$/.test(field(maker, 'attribute')?.text ?? '') && celeryTask(field(maker, 'object')!));
    if (!isResult) return false;
    ctx.report({ message: `${fn.text.replace(/\s+/g, '')}() waits for a Celery task's result synchronously: it blocks the event loop ${where}`, range: ctx.rangeOf(call), anchors: [] });
    return true;
  }
  return false;
}

/** Decorators that make a function a dramatiq actor (`@dramatiq.actor`, `@actor(max_retries=3)`). */
const DRAMATIQ_ACTOR = /(^|\.)actor$/;

/**
 * `send_email.send(...)` / `send_with_options(...)` on a dramatiq actor (of this file or imported from
 * the project) in async code: it enqueues the message on the broker (Redis, RabbitMQ) synchronously.
 */
function checkDramatiqSend(ctx: PythonRuleContext, call: Node, fn: Node, resolver: () => AwaitableResolver): boolean {
  if (typeOf(fn) !== 'attribute' || !ctx.scope.isAsyncContext(call)) return false;
  const method = field(fn, 'attribute')?.text ?? '';
  const receiver = field(fn, 'object');
  if ((method !== 'send' && method !== 'send_with_options') || !receiver) return false;
  if (!resolver().decoratorsOf(receiver)?.some((d) => DRAMATIQ_ACTOR.test(d))) return false;
  const owner = ctx.scope.enclosingFunction(call);
  ctx.report({
    message: `${fn.text.replace(/\s+/g, '')}() enqueues the dramatiq message on the broker synchronously: it blocks the event loop inside async function '${owner?.name ?? '?'}' (a slow or unreachable broker stalls it); run it through asyncio.to_thread`,
    range: ctx.rangeOf(call),
    anchors: [],
    ...fixFor(ctx, call, fn, { what: '', fix: 'to-thread' }),
  });
  return true;
}

/**
 * LangChain's and LlamaIndex's synchronous entry points, each with an `a`-prefixed async twin:
 * distinctive names, judged on any receiver of unknown class in a file that uses the framework.
 */
const FRAMEWORK_SYNC_METHODS = new Set([
  'invoke', 'batch', 'stream', 'predict', 'predict_messages', 'get_relevant_documents', 'similarity_search', 'similarity_search_with_score',
  'similarity_search_with_relevance_scores', 'max_marginal_relevance_search', 'embed_documents', 'embed_query', 'add_documents', 'add_texts',
]);
/** LlamaIndex's engines and retrievers (`query_engine.query(q)`): only on receivers named after them. */
const LLAMA_INDEX_SYNC_METHODS = new Set(['query', 'chat', 'retrieve']);
const LLAMA_INDEX_RECEIVER = /(engine|retriever|index)$/i;
const LOCAL_RUNNABLE = /(prompt|template|parser|splitter)s?$/i;

function checkFrameworkSyncCall(ctx: PythonRuleContext, call: Node, fn: Node, resolver: () => AwaitableResolver, usesFramework: boolean): boolean {
  if (typeOf(fn) !== 'attribute') return false;
  const attribute = field(fn, 'attribute');
  const receiver = field(fn, 'object');
  if (!attribute || !receiver) return false;
  const method = attribute.text;
  // Not in a file that uses the framework: only on a chain imported from a project module that builds it.
  if (!usesFramework && !(FRAMEWORK_SYNC_METHODS.has(method) && resolver().fromFrameworkModule(receiver))) return false;
  if (!ctx.scope.isAsyncContext(call)) return false;
  // The receiver's last name (`query_engine` of `self.query_engine`).
  const named = /(\w+)\s*$/.exec(receiver.text)?.[1] ?? '';
  const llama = LLAMA_INDEX_SYNC_METHODS.has(method) && mentions(ctx.text, LLAMA_INDEX_MENTION) && LLAMA_INDEX_RECEIVER.test(named);
  if (!FRAMEWORK_SYNC_METHODS.has(method) && !llama) return false;
  // A prompt template, an output parser or a text splitter formats locally: no model, no store.
  if (LOCAL_RUNNABLE.test(named)) return false;
  // Awaited, or entered with `async with` (`async with client.stream(...)`): an async API.
  const parent = parentOf(call);
  // (`async with client.stream(...) as response:`: the call sits in the item's `as` pattern.)
  const item = parent?.type === 'as_pattern' && parentOf(parent)?.type === 'with_item' ? parentOf(parent) : parent;
  if (parent?.type === 'await' || (item?.type === 'with_item' && item.parent?.parent?.child(0)?.type === 'async')) return false;
  // Iterated with `async for` (`async for chunk in client.runs.stream(...)` of the LangGraph SDK): an async generator.
  if ((parent?.type === 'for_statement' || parent?.type === 'for_in_clause') && parent.childForFieldName('right')?.id === call.id && parent.child(0)?.type === 'async') return false;
  // A class the analysis knows (the project's own, or another library's) says what the call does.
  if (resolver().classOfReceiver(receiver)) return false;
  const owner = ctx.scope.enclosingFunction(call);
  ctx.report({
    message: `${fn.text.replace(/\s+/g, '')}() calls the model or the store synchronously: it blocks the event loop inside async function '${owner?.name ?? '?'}'; await its async twin a${method}()`,
    range: ctx.rangeOf(call),
    anchors: [],
    suggestions: method === 'stream' ? asyncStreamSuggestion(ctx, call, attribute) : asyncTwinSuggestion(ctx, call, attribute, `a${method}`),
  });
  return true;
}

/**
 * `for chunk in chain.stream(q):` → `async for chunk in chain.astream(q):`: `astream()` gives an
 * async iterator, not an awaitable. Only for the iterable of a `for` statement.
 */
function asyncStreamSuggestion(ctx: PythonRuleContext, call: Node, attribute: Node): Fix[] | undefined {
  const loop = parentOf(call);
  if (loop?.type !== 'for_statement' || loop.childForFieldName('right')?.id !== call.id || loop.child(0)?.type !== 'for') return undefined;
  const at = ctx.rangeOf(loop).start;
  return [
    {
      title: 'Iterate its async twin: async for ... in ...astream()',
      safe: false,
      edits: [
        { range: { start: at, end: at }, newText: 'async ' },
        { range: ctx.rangeOf(attribute), newText: 'astream' },
      ],
    },
  ];
}

/** Openers of compressed files that also take a file object to wrap. */
const COMPRESSED_OPENERS = new Set(['gzip.open', 'bz2.open', 'lzma.open']);

/** Parsers that take a file name, a URL or a file object, as well as (feedparser) the document's text. */
const LOCATION_PARSERS = new Set(['lxml.etree.parse', 'lxml.html.parse', 'xml.etree.ElementTree.parse', 'feedparser.parse']);
const STR_BUILTIN: ReadonlySet<string> = new Set(['str']);
/** Names that hold a location: `url`, `feed_url`, `path`, `self.config_file`, `filename`. */
const LOCATION_NAME = /(^|_)(url|uri|href|link|path|file|filename|fname)s?$/i;

/**
 * Whether a parser is given a location it reads or fetches: a string literal (for feedparser, one
 * that names a URL or a file, not the document itself), an f-string, `os.path.join(...)` or a
 * `pathlib` path, or a name like `url` or `path`. A name of another kind (`source`, `body`, a
 * parameter of unknown type) may hold the document in memory and is left alone, and so is an
 * `io.BytesIO`/`io.StringIO`.
 */
function givenLocation(ctx: PythonRuleContext, call: Node, textToo: boolean): boolean {
  let arg: Node | undefined = callArguments(call)[0];
  // `etree.parse(str(path))`, `os.fspath(path)`: the path itself.
  while (arg?.type === 'call' && callArguments(arg).length === 1 && (builtinCalled(ctx, arg, STR_BUILTIN) || calleeName(ctx, arg) === 'os.fspath')) arg = callArguments(arg)[0];
  if (!arg || arg.type === 'keyword_argument' || inMemoryBuffer(ctx, arg)) return false;
  if (arg.type === 'string') {
    const body = arg.text.replace(/^[rRbBfFuU]*("{3}|'{3}|"|')/, '');
    return !textToo || /^(https?:\/\/|\/|\.{1,2}\/|[\w-]+\.(xml|rss|atom|html?)\b)/i.test(body);
  }
  if (arg.type === 'call') {
    const callee = arg.childForFieldName('function');
    const r = callee && (callee.type === 'identifier' || callee.type === 'attribute') ? ctx.scope.resolve(callee) : undefined;
    return !!r && /^(os\.path\.join|pathlib\.(Pure)?(Posix|Windows)?Path)$/.test(r.name);
  }
  const name = arg.type === 'identifier' ? arg.text : arg.type === 'attribute' ? arg.childForFieldName('attribute')?.text : undefined;
  return !!name && LOCATION_NAME.test(name);
}

/** `gzip.open(io.BytesIO(raw))`, or a name bound to one: a file in memory, nothing touches the disk. */
function inMemoryFile(ctx: PythonRuleContext, call: Node): boolean {
  return inMemoryBuffer(ctx, callArguments(call)[0]);
}

/** Whether an expression is (or a name bound once to) an `io.BytesIO`/`io.StringIO`. */
function inMemoryBuffer(ctx: PythonRuleContext, expr: Node | null | undefined): boolean {
  let arg = expr;
  if (arg?.type === 'identifier') {
    const found = ctx.scope.lookup(arg.text, arg);
    arg = found?.bindings.length === 1 ? assignedValue(found.bindings[0].node) : null;
  }
  const fn = arg?.type === 'call' ? arg.childForFieldName('function') : null;
  const r = fn && (fn.type === 'identifier' || fn.type === 'attribute') ? ctx.scope.resolve(fn) : undefined;
  return !!r && (r.name === 'io.BytesIO' || r.name === 'io.StringIO');
}

/**
 * `for page in paginator.paginate(Bucket=b):` (or a list comprehension over it, `list(pages)`) on a
 * boto3 paginator in an async function: each turn fetches a page with a synchronous API call.
 */
function checkBoto3PageIteration(ctx: PythonRuleContext): void {
  const report = (iterated: Node): void => {
    if (!ctx.scope.isAsyncContext(iterated) || receiverClass(ctx, iterated) !== 'boto3.PageIterator') return;
    const owner = ctx.scope.enclosingFunction(iterated);
    ctx.report({
      message: `Iterating ${iterated.text.replace(/\s*\n\s*/g, '')} fetches each page with a synchronous AWS API call: it blocks the event loop inside async function '${owner?.name ?? '?'}' (collect the pages in a worker thread, or use aioboto3's paginator with 'async for')`,
      range: ctx.rangeOf(iterated),
      anchors: [],
    });
  };
  forEachSyncIteration(ctx, report);
}

/**
 * `for attempt in Retrying(wait=wait_fixed(2), ...):` in an async function: tenacity's synchronous
 * retrier sleeps between attempts with `time.sleep`; `async for attempt in AsyncRetrying(...)`
 * sleeps on the loop. Without `wait=` (or with `wait_none()`) it does not sleep; with `sleep=` it
 * sleeps as it is told.
 */
function checkTenacityIteration(ctx: PythonRuleContext): void {
  for (const loop of nodesOfType(ctx.tree.rootNode, 'for_statement')) {
    const call = field(loop, 'right');
    if (!call || typeOf(call) !== 'call' || loop.child(0)?.type === 'async' || !ctx.scope.isAsyncContext(loop)) continue;
    const fn = field(call, 'function');
    const r = fn && (typeOf(fn) === 'identifier' || typeOf(fn) === 'attribute') ? ctx.scope.resolve(fn) : undefined;
    if (!fn || !r || r.via === 'unbound' || (r.name !== 'tenacity.Retrying' && r.name !== 'tenacity.retrying.Retrying')) continue;
    const keyword = (name: string): Node | undefined =>
      callArguments(call).find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === name)?.childForFieldName('value') ?? undefined;
    const wait = keyword('wait');
    if (!wait || /^(tenacity\.)?wait_none\(\)$/.test(wait.text) || keyword('sleep')) continue;
    const owner = ctx.scope.enclosingFunction(loop);
    const tenacity = eventLoopModule(ctx, loop)?.library === 'asyncio' ? moduleAt(ctx, 'tenacity', call) : null;
    ctx.report({
      message: `tenacity's Retrying sleeps between attempts with time.sleep: it blocks the event loop inside async function '${owner?.name ?? '?'}' (use 'async for attempt in AsyncRetrying(...)', which sleeps on the loop)`,
      range: ctx.rangeOf(call),
      anchors: [],
      suggestions: tenacity
        ? [
            {
              title: "Use 'async for attempt in AsyncRetrying(...)'",
              safe: false,
              edits: [
                { range: ctx.lines.range(loop.startIndex, loop.startIndex), newText: 'async ' },
                { range: ctx.rangeOf(fn), newText: `${tenacity.name}.AsyncRetrying` },
                ...tenacity.importEdits,
              ],
            },
          ]
        : undefined,
    });
  }
}

/**
 * `for f in concurrent.futures.as_completed(futures):`, `list(executor.map(fn, items))`, `for r in pool.imap(fn, items)`
 * in an async function: each turn waits on this thread for the next result of work handed to an executor.
 */
function checkResultIteration(ctx: PythonRuleContext): void {
  const report = (iterated: Node): void => {
    if (!ctx.scope.isAsyncContext(iterated) || receiverClass(ctx, iterated) !== 'concurrent.futures.ResultIterator') return;
    const owner = ctx.scope.enclosingFunction(iterated);
    ctx.report({
      message: `Iterating ${iterated.text.replace(/\s*\n\s*/g, '')} waits on this thread for each result of work handed to an executor: it blocks the event loop inside async function '${owner?.name ?? '?'}' (await asyncio.gather() over loop.run_in_executor(executor, fn, item) for each item, or asyncio.as_completed())`,
      range: ctx.rangeOf(iterated),
      anchors: [],
    });
  };
  forEachSyncIteration(ctx, report);
}

/**
 * Each expression the file iterates synchronously: the iterable of a plain `for` or of a
 * comprehension (not a generator expression's, which runs where it is consumed, perhaps a worker
 * thread), and the argument of `list(x)`, `len(x)` and the other QUERY_RUNNERS.
 */
function forEachSyncIteration(ctx: PythonRuleContext, visit: (iterated: Node) => void): void {
  for (const loop of [...nodesOfType(ctx.tree.rootNode, 'for_statement'), ...nodesOfType(ctx.tree.rootNode, 'for_in_clause')]) {
    const right = field(loop, 'right');
    if (!right || loop.child(0)?.type === 'async') continue;
    if (loop.type === 'for_in_clause' && loop.parent?.type === 'generator_expression') continue;
    visit(right);
  }
  for (const call of nodesOfType(ctx.tree.rootNode, 'call')) {
    const args = callArguments(call);
    if (args.length === 1 && builtinCalled(ctx, call, QUERY_RUNNERS)) visit(args[0]);
  }
}

/** Builtins that iterate (or count) what they are given: on a queryset, they run its query. */
const QUERY_RUNNERS = new Set(['list', 'tuple', 'len', 'sorted', 'set', 'frozenset', 'dict', 'sum', 'min', 'max', 'any', 'all']);
/** Builtins that wrap an iterable for a loop (`for i, row in enumerate(qs)`): looping over them runs the queryset's query. */
const LOOP_WRAPPERS = new Set(['enumerate', 'reversed']);

/**
 * `for a in Article.objects.filter(...)` (or `list(qs)`) in an async function: iterating a
 * queryset runs its query synchronously (SynchronousOnlyOperation); `async for` runs it on the loop.
 */
function checkDjangoIteration(ctx: PythonRuleContext, resolver: () => AwaitableResolver): void {
  if (!ctx.text.includes('objects') && !/\bdjango\b/.test(ctx.text)) return;
  const report = (iterated: Node, loop: Node | undefined): void => {
    if (!ctx.scope.isAsyncContext(iterated) || !resolver().djangoQuerySet(iterated) || duckTypedFallback(iterated)) return;
    const owner = ctx.scope.enclosingFunction(iterated);
    // `qs.iterator()` gives a plain generator: its async twin is `qs.aiterator()`.
    const fn = iterated.type === 'call' ? field(iterated, 'function') : null;
    const iterator = fn?.type === 'attribute' ? field(fn, 'attribute') : null;
    const twin = iterator?.text === 'iterator' ? iterator : null;
    const edits: TextEdit[] = loop ? [{ range: ctx.lines.range(loop.startIndex, loop.startIndex), newText: 'async ' }] : [];
    if (twin) edits.push({ range: ctx.rangeOf(twin), newText: 'aiterator' });
    ctx.report({
      message: `Iterating ${iterated.text.replace(/\s+/g, '')} runs a synchronous Django ORM query inside async function '${owner?.name ?? '?'}': Django raises SynchronousOnlyOperation there; iterate it with 'async for'${twin ? ' over aiterator()' : ''} (Django 4.1+)`,
      range: ctx.rangeOf(iterated),
      anchors: [],
      suggestions: loop ? [{ title: twin ? "Use 'async for' over aiterator()" : "Use 'async for'", safe: false, edits }] : undefined,
    });
  };
  for (const loop of [...nodesOfType(ctx.tree.rootNode, 'for_statement'), ...nodesOfType(ctx.tree.rootNode, 'for_in_clause')]) {
    const right = field(loop, 'right');
    if (!right || loop.child(0)?.type === 'async') continue;
    // `for i, row in enumerate(qs)`: the queryset is iterated all the same ('async for' alone would not do).
    const wrapped = right.type === 'call' && builtinCalled(ctx, right, LOOP_WRAPPERS) ? callArguments(right)[0] : undefined;
    if (wrapped && wrapped.type !== 'keyword_argument') report(wrapped, undefined);
    else report(right, loop);
  }
  // `if not qs:` (or `bool(qs)`) runs the query to see whether it has rows; `qs[0]` runs it for one.
  const runs = (expr: Node, subject: string, twin: string): void => {
    if (!ctx.scope.isAsyncContext(expr) || !resolver().djangoQuerySet(expr) || duckTypedFallback(expr)) return;
    const owner = ctx.scope.enclosingFunction(expr);
    ctx.report({
      message: `${subject} runs a synchronous Django ORM query inside async function '${owner?.name ?? '?'}': Django raises SynchronousOnlyOperation there; use ${twin}`,
      range: ctx.rangeOf(expr),
      anchors: [],
    });
  };
  const tested = (condition: Node | null | undefined): void => {
    let c = condition;
    while (c?.type === 'not_operator' || c?.type === 'parenthesized_expression') c = c.type === 'not_operator' ? c.childForFieldName('argument') : c.namedChildren[0];
    if (c && (c.type === 'identifier' || c.type === 'call')) runs(c, `Testing ${c.text.replace(/\s+/g, '')} for truth`, "'await qs.aexists()' (Django 4.1+)");
  };
  for (const statement of [...nodesOfType(ctx.tree.rootNode, 'if_statement'), ...nodesOfType(ctx.tree.rootNode, 'while_statement'), ...nodesOfType(ctx.tree.rootNode, 'elif_clause')]) {
    tested(statement.childForFieldName('condition'));
  }
  for (const call of nodesOfType(ctx.tree.rootNode, 'call')) {
    const arg = callArguments(call)[0];
    if (!arg || arg.type === 'keyword_argument') continue;
    if (builtinCalled(ctx, call, QUERY_RUNNERS) || stringJoin(call)) report(arg, undefined);
    else if (builtinCalled(ctx, call, TRUTH)) runs(arg, `Testing ${arg.text.replace(/\s+/g, '')} for truth`, "'await qs.aexists()' (Django 4.1+)");
  }
  // `order in qs` runs the query (or fetches every row) to look for the instance.
  for (const test of nodesOfType(ctx.tree.rootNode, 'comparison_operator')) {
    const operators = test.children.filter((c) => c && !c.isNamed).map((c) => c!.type);
    const right = test.namedChildren[1];
    if (test.namedChildren.length === 2 && right && (operators.join(' ') === 'in' || operators.join(' ') === 'not in')) {
      runs(right, `Testing membership in ${right.text.replace(/\s+/g, '')}`, "'await qs.acontains(obj)' (Django 4.1+)");
    }
  }
  for (const sub of nodesOfType(ctx.tree.rootNode, 'subscript')) {
    const index = sub.childForFieldName('subscript');
    const value = sub.childForFieldName('value');
    if (value && index?.type === 'integer') runs(value, sub.text.replace(/\s+/g, ''), "'await qs.afirst()' (or a slice, then 'async for')");
  }
}

const TRUTH = new Set(['bool']);

/** Django's async twins (`acount`, `aexists`, `aiterator`, `asave`, ...): an object without them is no queryset. */
const DJANGO_ASYNC_TWINS = new Set([...DJANGO_QUERIES, ...DJANGO_INSTANCE_QUERIES, 'iterator'].map((m) => `a${m}`));

/** What a queryset expression is built on: `items` for `items.all()` or `items[:10]`, `self.rows` for `self.rows.filter(...)`. */
function querySetBase(expr: Node | null): string | undefined {
  let e = expr;
  for (let i = 0; i < 8 && e; i++) {
    if (e.type === 'call' && field(e, 'function')?.type === 'attribute') e = field(field(e, 'function')!, 'object');
    else if (e.type === 'subscript') e = field(e, 'value');
    else break;
  }
  return e && (e.type === 'identifier' || e.type === 'attribute') ? e.text : undefined;
}

/**
 * `try: return await items.acount()` then `except AttributeError: return len(items)`: the handler is
 * the fallback for an object without Django's async twins (a list given where a queryset was
 * expected), so what it does with that object runs no query. The `try` must call a twin on the
 * same object, and the handler must catch AttributeError.
 */
function duckTypedFallback(expr: Node): boolean {
  const base = querySetBase(expr);
  if (!base) return false;
  for (let n = expr.parent; n && n.type !== 'function_definition' && n.type !== 'lambda'; n = n.parent) {
    if (n.type !== 'except_clause') continue;
    const caught = n.namedChildren.filter((c): c is Node => !!c && c.type !== 'block' && c.type !== 'comment');
    const types = caught.map((c) => (c.type === 'as_pattern' ? c.namedChildren[0] : c));
    if (!types.some((t) => t && (t.text === 'AttributeError' || nodesOfType(t, 'identifier').some((i) => i.text === 'AttributeError')))) continue;
    const body = n.parent?.type === 'try_statement' ? field(n.parent, 'body') : null;
    const twin = body ? nodesOfType(body, 'attribute').some((a) => DJANGO_ASYNC_TWINS.has(field(a, 'attribute')?.text ?? '') && querySetBase(field(a, 'object')) === base) : false;
    if (twin) return true;
  }
  return false;
}

/** `", ".join(names)`: a string's join iterates what it is given. */
function stringJoin(call: Node): boolean {
  const fn = field(call, 'function');
  const object = fn?.type === 'attribute' ? field(fn, 'object') : null;
  return field(fn!, 'attribute')?.text === 'join' && object?.type === 'string';
}

/** Queryset methods that load related objects with the rows (then reading a relation runs no query). */
const PRELOADS = /\b(select_related|prefetch_related)\s*\(/;
/** Awaited manager methods that give one instance of the model. */
const AWAITED_INSTANCE = /^a(get|first|last|earliest|latest)$/;

/**
 * Django attribute reads that run a query in async code:
 * - `order.customer` (a ForeignKey or OneToOneField of the model, not `null=True`) on an instance
 *   fetched in this function with `await Order.objects.aget(...)` (or `async for` over a queryset)
 *   without `select_related`/`prefetch_related`: the related object is loaded lazily, with a
 *   synchronous query; reported at the first read in the function.
 * - `SomeSerializer(qs, many=True).data` (DRF): serializing a queryset iterates it.
 * - `request.user.is_staff` in an async Django view: `request.user` is loaded lazily from the session and the database.
 */
function checkDjangoAttributes(ctx: PythonRuleContext, resolver: () => AwaitableResolver): void {
  const serializers = /rest_framework|[sS]erializer/.test(ctx.text);
  const requestUser = /\brequest\.user\.\w/.test(ctx.text) && /^\s*(from|import)\s+django\b/m.test(ctx.text) && !/^\s*(from|import)\s+(starlette|fastapi|adrf|aiohttp|sanic|quart|litestar)\b/m.test(ctx.text);
  const seen = new Set<string>();
  for (const attr of nodesOfType(ctx.tree.rootNode, 'attribute')) {
    const object = field(attr, 'object');
    const name = field(attr, 'attribute')?.text ?? '';
    if (!object) continue;
    const parent = parentOf(attr);
    // Written, not read: `order.customer = c`, `del order.customer`.
    if ((parent?.type === 'assignment' || parent?.type === 'augmented_assignment') && field(parent, 'left')?.id === attr.id) continue;
    if (parent?.type === 'delete_statement') continue;
    if (name === 'data' && serializers) {
      if (!ctx.scope.isAsyncContext(attr)) continue;
      const made = madeBy(ctx, object);
      const instance = made ? callArguments(made).find((a) => a.type !== 'keyword_argument') ?? callArguments(made).find((a) => a.type === 'keyword_argument' && field(a, 'name')?.text === 'instance') : undefined;
      const items = instance?.type === 'keyword_argument' ? field(instance, 'value') : instance;
      const many = made && callArguments(made).some((a) => a.type === 'keyword_argument' && field(a, 'name')?.text === 'many' && field(a, 'value')?.text === 'True');
      const fn = made ? field(made, 'function') : null;
      if (!made || !many || !items || !fn || !resolver().djangoModelFormOf(made, [])) continue;
      if (!resolver().djangoQuerySet(items)) continue;
      const owner = ctx.scope.enclosingFunction(attr);
      ctx.report({
        message: `${object.type === 'call' ? `${fn.text.replace(/\s+/g, '')}(...)` : object.text}.data serializes the queryset ${items.text.replace(/\s+/g, '')} with synchronous Django ORM queries inside async function '${owner?.name ?? '?'}': Django raises SynchronousOnlyOperation there; build the data through sync_to_async`,
        range: ctx.rangeOf(attr),
        anchors: [],
      });
      continue;
    }
    if (requestUser && name === 'user' && object.type === 'identifier' && object.text === 'request' && parent?.type === 'attribute' && field(parent, 'object')?.id === attr.id) {
      const owner = ctx.scope.enclosingFunction(attr);
      if (!owner || !ctx.scope.isAsyncContext(attr) || !djangoRequestParameter(ctx, object)) continue;
      const key = `user:${owner.node?.id ?? owner.name}`;
      if (seen.has(key)) continue;
      // `request.user = await get_user(request)` earlier in the function: a loaded user.
      if (/\brequest\.user\s*=[^=]/.test(ctx.text.slice(owner.node?.startIndex ?? 0, attr.startIndex))) continue;
      seen.add(key);
      ctx.report({
        message: `${parent.text.replace(/\s+/g, '')} loads request.user from the session and the database synchronously inside async function '${owner.name ?? '?'}': Django raises SynchronousOnlyOperation there; use 'user = await request.auser()' (Django 5.0+)`,
        range: ctx.rangeOf(attr),
        anchors: [],
      });
      continue;
    }
    if (object.type !== 'identifier' || name.startsWith('_') || !ctx.scope.isAsyncContext(attr)) continue;
    // The instance: bound once in this function by an awaited fetch without select_related.
    const found = ctx.scope.lookup(object.text, object);
    if (found?.bindings.length !== 1) continue;
    const binding = found.bindings[0].node;
    const fetched = fetchedWithoutRelations(ctx, binding, resolver);
    if (!fetched) continue;
    const relation = resolver().djangoForwardRelation(attr);
    if (!relation || relation.nullable) continue;
    const owner = ctx.scope.enclosingFunction(attr);
    if (!owner || ctx.scope.enclosingFunction(binding)?.node?.id !== owner.node?.id) continue;
    const key = `${binding.id}:${name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    // Set (or loaded) earlier in the function: `order.customer = c`, `await order.arefresh_from_db()`.
    const body = owner.node ?? ctx.tree.rootNode;
    const before = ctx.text.slice(body.startIndex, attr.startIndex);
    if (new RegExp(`\\b${object.text}\\.${name}\\s*=[^=]|\\b${object.text}\\.(a?refresh_from_db|_state)\\b|\\bprefetch_related_objects\\b`).test(before)) continue;
    ctx.report({
      message: `${attr.text.replace(/\s+/g, '')} loads the related ${relation.target.summary.name} with a synchronous query inside async function '${owner.name ?? '?'}' (${object.text} was fetched without select_related): Django raises SynchronousOnlyOperation there; add select_related("${name}") to the query that fetches ${object.text}`,
      range: ctx.rangeOf(attr),
      anchors: [],
    });
  }
}

/**
 * `order = await Order.objects.filter(...).aget(...)` (or `async for order in qs`) with no
 * select_related/prefetch_related in the query: an instance whose relations are not loaded.
 */
function fetchedWithoutRelations(ctx: PythonRuleContext, binding: Node, resolver: () => AwaitableResolver): boolean {
  const parent = parentOf(binding);
  let query: Node | null | undefined;
  // A loop over a queryset (a plain `for` is reported for the iteration, and each row's relation queries again).
  if ((parent?.type === 'for_statement' || parent?.type === 'for_in_clause') && field(parent, 'left')?.id === binding.id) query = field(parent, 'right');
  else {
    const value = assignedValue(binding);
    const call = value?.type === 'await' ? value.namedChildren[0] : null;
    const fn = call?.type === 'call' ? field(call, 'function') : null;
    if (fn?.type !== 'attribute' || !AWAITED_INSTANCE.test(field(fn, 'attribute')?.text ?? '')) return false;
    query = field(fn, 'object');
  }
  if (!query) return false;
  const texts = [query.text];
  // `qs = Order.objects.select_related("customer")`, then `await qs.aget(...)`.
  let head: Node | null | undefined = query;
  while (head && (head.type === 'call' || head.type === 'attribute')) head = head.type === 'call' ? field(head, 'function') : field(head, 'object');
  let instance = false;
  if (head?.type === 'identifier') {
    const bindings = ctx.scope.lookup(head.text, head)?.bindings ?? [];
    for (const b of bindings) if (b.kind !== 'class' && b.kind !== 'import') texts.push(assignedValue(b.node)?.text ?? 'select_related(');
    // `order.items.all()`: a related manager of an instance (the related model's default manager).
    instance = bindings.length === 1 && head.id !== query.id && !!resolver().djangoInstanceModel(head) && query.text.startsWith(`${head.text}.`);
  }
  // The default manager `objects` (a custom one may select related objects itself), or a related manager.
  return !texts.some((t) => PRELOADS.test(t)) && (/\.objects\b/.test(texts.join(' ')) || (instance && resolver().djangoQuerySet(query)));
}

/** `request` as a parameter of the enclosing function, unannotated or annotated as Django's HttpRequest (or ASGIRequest). */
function djangoRequestParameter(ctx: PythonRuleContext, request: Node): boolean {
  const found = ctx.scope.lookup(request.text, request);
  if (found?.bindings.length !== 1) return false;
  const param = parentOf(found.bindings[0].node);
  if (param?.type === 'parameters') return true;
  if (param?.type !== 'typed_parameter') return false;
  return /^(\w+\.)*(HttpRequest|ASGIRequest)$/.test(field(param, 'type')?.text ?? '');
}

/** Classes (and their aliases, see CLASS_ALIASES) whose `with` acquires a thread lock. */
const THREAD_LOCKS = /^threading\.(Lock|RLock|Semaphore|BoundedSemaphore|Condition)$/;

/** The thread lock a synchronous `with` statement holds (`with self._lock:`, `with threading.Lock():`), if any. */
function heldThreadLock(ctx: PythonRuleContext, statement: Node): Node | undefined {
  if (statement.child(0)?.type === 'async') return undefined;
  for (const value of withItemValues(statement)) {
    if (value.type === 'call') {
      const fn = field(value, 'function');
      const r = fn && (fn.type === 'identifier' || fn.type === 'attribute') ? ctx.scope.resolve(fn) : undefined;
      if (r && r.via !== 'unbound' && THREAD_LOCKS.test(r.name)) return value;
      continue;
    }
    if (value.type === 'identifier' || value.type === 'attribute') {
      const cls = receiverClass(ctx, value);
      if (cls === 'threading.Lock' || cls === 'threading.Condition') return value;
    }
  }
  return undefined;
}

/** Whether a node sits in the body of a `with torch.no_grad():` (or `inference_mode()`, `autocast()`), in the same function. */
function underGradMode(node: Node): boolean {
  for (let n = node.parent; n && n.type !== 'function_definition' && n.type !== 'lambda'; n = n.parent) {
    if (n.type === 'with_statement' && /\b(no_grad|inference_mode|enable_grad|set_grad_enabled|autocast)\b/.test(n.namedChildren.find((c) => c?.type === 'with_clause')?.text ?? '')) return true;
  }
  return false;
}

/** Whether a callee is a name imported from another module (`from .ml import classifier`). */
function importedName(ctx: PythonRuleContext, fn: Node): boolean {
  if (typeOf(fn) !== 'identifier') return false;
  const found = ctx.scope.lookup(textOf(fn), fn);
  return found?.bindings.length === 1 && found.bindings[0].kind === 'import';
}

/** Whether a node sits in the body of a `with` on a thread lock, in the same function. */
function underThreadLock(ctx: PythonRuleContext, node: Node): boolean {
  for (let n = node.parent; n && n.type !== 'function_definition' && n.type !== 'lambda'; n = n.parent) {
    if (n.type === 'with_statement' && heldThreadLock(ctx, n)) return true;
  }
  return false;
}

/**
 * `with self._lock:` (a threading lock) around an `await` in async code: while this task waits,
 * another task of the loop that takes the lock blocks the loop's thread, and the holder never
 * resumes to release it.
 */
/**
 * `with ThreadPoolExecutor() as pool:` in async code whose body hands work over and drops its future
 * (`pool.submit(fn, x)` or `pool.map(fn, xs)` as a statement): leaving the block shuts the executor
 * down with `wait=True`, which waits on this thread for all of that work.
 */
function checkExecutorBlocks(ctx: PythonRuleContext): void {
  for (const statement of nodesOfType(ctx.tree.rootNode, 'with_statement')) {
    if (statement.child(0)?.type === 'async' || !ctx.scope.isAsyncContext(statement)) continue;
    const clause = statement.namedChildren.find((c) => c?.type === 'with_clause');
    const body = statement.childForFieldName('body');
    const owner = ctx.scope.enclosingFunction(statement);
    if (!body || !owner) continue;
    for (const item of clause?.namedChildren ?? []) {
      const value = item?.type === 'with_item' ? item.childForFieldName('value') : null;
      if (value?.type !== 'as_pattern') continue;
      const made = value.namedChildren[0];
      const name = value.childForFieldName('alias')?.namedChildren[0] ?? value.namedChildren[1]?.namedChildren[0];
      if (!made || made.type !== 'call' || name?.type !== 'identifier' || receiverClass(ctx, made) !== 'concurrent.futures.Executor') continue;
      const dropped = nodesOfType(body, 'call').find((call) => {
        const fn = field(call, 'function');
        if (fn?.type !== 'attribute' || field(fn, 'object')?.text !== name.text || !/^(submit|map)$/.test(field(fn, 'attribute')?.text ?? '')) return false;
        return parentOf(call)?.type === 'expression_statement' && ctx.scope.enclosingFunction(call) === owner;
      });
      if (!dropped) continue;
      const method = field(field(dropped, 'function')!, 'attribute')?.text;
      ctx.report({
        message: `Leaving 'with ${made.text.replace(/\s*\n\s*/g, '')}' waits for the work handed to it with ${method}() (the executor shuts down with wait=True): it blocks the event loop inside async function '${owner.name}' (await each piece with loop.run_in_executor(...), or run the whole block in asyncio.to_thread())`,
        range: ctx.rangeOf(made),
        anchors: [],
      });
    }
  }
}

function checkThreadLocksAcrossAwait(ctx: PythonRuleContext): void {
  for (const statement of nodesOfType(ctx.tree.rootNode, 'with_statement')) {
    if (!ctx.scope.isAsyncContext(statement)) continue;
    const lock = heldThreadLock(ctx, statement);
    const body = statement.childForFieldName('body');
    if (!lock || !body || !hasCheckpoint(body)) continue;
    const owner = ctx.scope.enclosingFunction(statement);
    ctx.report({
      message: `'with ${lock.text.replace(/\s+/g, '')}' holds a thread lock across an await inside async function '${owner?.name ?? '?'}': another task taking it blocks the event loop, and this one never resumes to release it; use asyncio.Lock`,
      range: ctx.rangeOf(lock),
      anchors: [],
    });
  }
}

interface CallFlags {
  usesBoto3: boolean;
  usesGrpc: boolean;
  usesAirflow: boolean;
  usesModels: boolean;
}

/** The blocking API a call makes, as this rule knows them (see BLOCKING and BLOCKING_METHODS), with the calls that do not wait left out. */
function blockingApiOf(ctx: PythonRuleContext, call: Node, fn: Node, flags: CallFlags, inAsync: boolean): { api: BlockingApi; qualifiedName: string } | undefined {
  const { scope } = ctx;
  const resolved = scope.resolve(fn);
  let api: BlockingApi | undefined;
  let qualifiedName: string | undefined;
  if (resolved && (resolved.via !== 'unbound' || WELL_KNOWN_MODULES.has(resolved.name.split('.')[0]))) {
    api = BLOCKING.get(resolved.name) ?? (PASSLIB_HANDLER.test(resolved.name) ? PASSWORD_HASH : stripeResourceCall(resolved.name) ? STRIPE : undefined);
    qualifiedName = resolved.name;
  }
  if (!api) {
    const byMethod = methodApi(ctx, fn, call, flags.usesBoto3, flags.usesGrpc, flags.usesAirflow);
    api = byMethod?.api;
    qualifiedName = byMethod?.qualified;
  }
  if (!api && (flags.usesModels || importedName(ctx, fn)) && inAsync) {
    // `classifier(text)`, `self.pipe(prompt)`: a model object called.
    const cls = receiverClass(ctx, fn);
    api = cls ? BLOCKING_METHODS[cls]?.get('__call__') : undefined;
    qualifiedName = cls && `${cls}.__call__`;
  }
  if (!api || !qualifiedName) return undefined;
  if (qualifiedName === 'socket.getaddrinfo' && numericOnly(call)) return undefined;
  if (qualifiedName === 'select.select' && zeroTimeout(call, 3)) return undefined;
  // `hashlib.pbkdf2_hmac("sha256", secret, salt, 1000)`: a handful of iterations (a device's login
  // hash, a legacy format) is cheap; only a real work factor costs milliseconds of CPU.
  if (qualifiedName === 'hashlib.pbkdf2_hmac' && fewIterations(call)) return undefined;
  // `smtplib.SMTP()` without a host connects nothing yet (its `connect()` does, and is reported).
  if (/^smtplib\.(SMTP|SMTP_SSL|LMTP)$/.test(qualifiedName) && !smtpHostGiven(call)) return undefined;
  if (qualifiedName === 'concurrent.futures.wait' && (zeroTimeout(call, 1) || nonBlockingCall(call, true))) return undefined;
  if ((COMPRESSED_OPENERS.has(qualifiedName) || qualifiedName.startsWith('pandas.read_') || qualifiedName.startsWith('numpy.')) && inMemoryFile(ctx, call)) return undefined;
  // `np.loadtxt(["1 2", "3 4"])`, `np.genfromtxt(lines)`: text readers also parse lines given in memory.
  if (/^numpy\.(loadtxt|genfromtxt)$/.test(qualifiedName) && /^(list|list_comprehension|generator_expression|tuple)$/.test(callArguments(call)[0]?.type ?? '')) return undefined;
  if (LOCATION_PARSERS.has(qualifiedName) && !givenLocation(ctx, call, qualifiedName === 'feedparser.parse')) return undefined;
  if (/^PIL\.(Image\.open|ImageFont\.truetype)$/.test(qualifiedName) && !givenLocation(ctx, call, false)) return undefined;
  // `psutil.cpu_percent()` / `cpu_percent(interval=None)` returns at once.
  if (/^psutil\.cpu_(times_)?percent$/.test(qualifiedName) && !cpuSampleWaits(call)) return undefined;
  // `os.waitpid(pid, os.WNOHANG)`: returns at once when no child has exited.
  if (/^os\.wait(pid|3|4|id)$/.test(qualifiedName) && callArguments(call).some((a) => /\bWNOHANG\b/.test(a.text))) return undefined;
  return { api, qualifiedName };
}

/** A plain function of a project module whose summary records a well-known blocking call, the names of which its module imports. */
function importedBlockingHelper(call: Node, resolver: AwaitableResolver): { written: string; api: BlockingApi; qualifiedName: string } | undefined {
  const callee = resolver.projectFunctionCalled(call);
  if (!callee || callee.def || !callee.summary.blocks || callee.summary.kind !== 'function') return undefined;
  const written = callee.summary.blocks;
  const { module } = callee;
  let qualifiedName: string;
  if (written === 'open') {
    // The builtin, unless the module binds `open` itself.
    if (module.imports.has('open') || module.functions.has('open') || module.otherBindings.has('open')) return undefined;
    qualifiedName = 'builtins.open';
  } else {
    const head = written.split('.')[0];
    const imported = module.imports.get(head);
    // `import requests`, `import urllib.request`: the module itself.
    if (!imported || imported.name !== undefined || imported.level !== 0 || imported.module.split('.')[0] !== head) return undefined;
    qualifiedName = written;
  }
  const api = BLOCKING.get(qualifiedName);
  return api ? { written, api, qualifiedName } : undefined;
}

/**
 * `creds = load_creds()` in a coroutine, with `def load_creds(): with open(CREDS) as fh: ...` in this file (or
 * `self._extract(url)`, a plain method of the class): a plain function (not decorated, not a generator)
 * that makes a blocking call itself, outside nested functions and lambdas. What it calls, and how.
 */
function blockingHelper(
  ctx: PythonRuleContext,
  call: Node,
  fn: Node,
  flags: CallFlags,
  memo: Map<number, { call: Node; api: BlockingApi; qualifiedName: string } | null>,
  getResolver: () => AwaitableResolver,
): { call?: Node; written?: string; api: BlockingApi; qualifiedName: string } | undefined {
  let def: Node | undefined;
  // `lat, lon = geocode(city)` with `from .weather import geocode`: what its module's summary says it calls.
  if (typeOf(fn) === 'identifier') {
    const found = ctx.scope.lookup(textOf(fn), fn);
    if (found?.bindings.length === 1 && found.bindings[0].kind === 'import') return importedBlockingHelper(call, getResolver());
  }
  if (typeOf(fn) === 'identifier') {
    const found = ctx.scope.lookup(textOf(fn), fn);
    def = found?.bindings.length === 1 && found.bindings[0].kind === 'def' ? found.bindings[0].node : undefined;
  } else if (typeOf(fn) === 'attribute' && field(fn, 'object')?.text === 'self') def = ownMethod(fn, field(fn, 'attribute')?.text ?? '');
  if (def?.type !== 'function_definition' || isAsyncFunction(def) || def.parent?.type === 'decorated_definition') return undefined;
  const known = memo.get(def.id);
  if (known !== undefined) return known ?? undefined;
  memo.set(def.id, null);
  const body = def.childForFieldName('body');
  const own = (n: Node): boolean => {
    for (let p = n.parent; p; p = p.parent) {
      if (p.id === def!.id) return true;
      if (p.type === 'function_definition' || p.type === 'lambda' || p.type === 'class_definition') return false;
    }
    return false;
  };
  if (!body || nodesOfType(body, 'yield').some(own)) return undefined;
  for (const inner of nodesOfType(body, 'call')) {
    const innerFn = field(inner, 'function');
    if (!innerFn || (typeOf(innerFn) !== 'identifier' && typeOf(innerFn) !== 'attribute') || !own(inner)) continue;
    const found = blockingApiOf(ctx, inner, innerFn, flags, false);
    if (found) {
      const result = { call: inner, ...found };
      memo.set(def.id, result);
      return result;
    }
  }
  return undefined;
}

export function checkPythonBlockingCalls(ctx: PythonRuleContext): void {
  if (ctx.text.includes('threading') || ctx.text.includes('Lock')) checkThreadLocksAcrossAwait(ctx);
  if (ctx.text.includes('Executor')) checkExecutorBlocks(ctx);
  const { scope } = ctx;
  // Models are often imported from the project's own modules: `from .models import Article`.
  const usesDjango = /django|models|objects/.test(ctx.text);
  const usesBoto3 = ctx.text.includes('boto3');
  const usesGrpc = /\bgrpc\.(insecure|secure)_channel\b/.test(ctx.text);
  const usesChannels = /\bchannels\b/.test(ctx.text);
  const usesCelery = /celery|\.delay\(|apply_async/.test(ctx.text);
  const usesFramework = /\b(langchain\w*|langgraph|llama_index)\b/.test(ctx.text);
  const usesAirflow = /Hook\b/.test(ctx.text);
  const usesModels = MODEL_LIBRARIES.test(ctx.text);
  const usesDramatiq = /\bdramatiq\b/.test(ctx.text) || /\.send(_with_options)?\(/.test(ctx.text);
  let resolver: AwaitableResolver | undefined;
  const getResolver = (): AwaitableResolver => (resolver ??= awaitablesOf(ctx));
  const helpers = new Map<number, { call: Node; api: BlockingApi; qualifiedName: string } | null>();
  if (usesDjango) checkDjangoIteration(ctx, getResolver);
  if (usesBoto3) checkBoto3PageIteration(ctx);
  if (ctx.text.includes('Retrying')) checkTenacityIteration(ctx);
  if (/\b(as_completed|map|imap|imap_unordered)\(/.test(ctx.text) && /concurrent|multiprocessing|Executor|\bPool\b/.test(ctx.text)) checkResultIteration(ctx);
  if (usesDjango && /django|rest_framework/.test(ctx.text)) checkDjangoAttributes(ctx, getResolver);
  for (const call of nodesOfType(ctx.tree.rootNode, 'call')) {
    const fn = field(call, 'function');
    if (!fn || (typeOf(fn) !== 'identifier' && typeOf(fn) !== 'attribute')) continue;
    if (usesDjango && checkDjangoQuery(ctx, call, fn, getResolver)) continue;
    if (usesDjango && checkDjangoUserPasswords(ctx, call, fn, getResolver)) continue;
    if ((usesDjango || usesCelery) && checkDjangoAndCelery(ctx, call, fn, getResolver)) continue;
    if ((usesDjango || usesChannels) && checkDjangoObjects(ctx, call, fn, getResolver)) continue;
    if (usesDramatiq && checkDramatiqSend(ctx, call, fn, getResolver)) continue;
    if (checkFrameworkSyncCall(ctx, call, fn, getResolver, usesFramework)) continue;
    const flags: CallFlags = { usesBoto3, usesGrpc, usesAirflow, usesModels };
    let found = blockingApiOf(ctx, call, fn, flags, scope.isAsyncContext(call));
    // `info = extract(url)` with a plain helper of this file that blocks.
    const helper = found || !scope.isAsyncContext(call) || !(typeOf(fn) === 'identifier' || field(fn, 'object')?.text === 'self') ? undefined : blockingHelper(ctx, call, fn, flags, helpers, getResolver);
    if (helper) found = { api: helper.api, qualifiedName: helper.qualifiedName };
    if (!found) continue;
    const { api, qualifiedName } = found;
    // A synchronous handler of a Textual app runs on its event loop too (no `await` can go there),
    // and so does a synchronous Qt slot of an app running on qasync's QEventLoop.
    const textualHandler = scope.isAsyncContext(call) ? undefined : textualLoopMethod(ctx, call);
    const slot = scope.isAsyncContext(call) || textualHandler ? undefined : qasyncSlot(ctx, call);
    const handler = textualHandler ?? slot;
    if (!scope.isAsyncContext(call) && !handler) continue;
    const owner = scope.enclosingFunction(call);
    // Line breaks (and the indentation after them) dropped; `f(a, b).read()` keeps its spaces.
    const written = fn.text.replace(/\s*\n\s*/g, '');
    const qualified = qualifiedName.replace(/^builtins\./, '');
    const compact = written.replace(/\s+/g, '');
    const innerWritten = helper ? (helper.written ?? field(helper.call!, 'function')!.text.replace(/\s+/g, '')) : '';
    const shown = helper
      ? `${written}() calls ${innerWritten === qualified || innerWritten.endsWith(`.${qualified}`) ? `${innerWritten}()` : `${innerWritten}() (${qualified})`}, which`
      : compact === qualified || compact.endsWith(`.${qualified}`) ? `${written}()` : `${written}() (${qualified})`;
    ctx.report({
      message: textualHandler
        ? `${shown} ${api.what}: it blocks the event loop inside '${textualHandler}', which Textual runs on its event loop (the UI freezes meanwhile: move the work to a @work(thread=True) worker, or make the handler async and await the work in a thread)`
        : slot
        ? `${shown} ${api.what}: it blocks the event loop inside '${slot}', a Qt slot that runs inside qasync's event loop (the window and every pending coroutine freeze meanwhile: make it an @asyncSlot() coroutine and await the work, in a thread if it has no async form)`
        : `${shown} ${api.what}: it blocks the event loop inside async function '${owner?.name ?? '?'}'`,
      range: ctx.rangeOf(call),
      // flake8-async's codes name the call itself, not a helper that makes it.
      anchors: api.anchor && !helper ? [api.anchor] : [],
      // The helper itself goes to a worker thread (not `asyncio.sleep` in its place).
      ...(handler ? {} : fixFor(ctx, call, fn, helper && api.fix !== 'none' ? { ...api, fix: 'to-thread' } : api)),
    });
  }
}

/** Whether psutil's `cpu_percent(interval)` is given an interval other than None or 0, for which it sleeps. */
function cpuSampleWaits(call: Node): boolean {
  const args = callArguments(call);
  const interval = args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'interval')?.childForFieldName('value') ?? (args[0] && args[0].type !== 'keyword_argument' ? args[0] : undefined);
  return !!interval && !/^(None|0|0\.0*)$/.test(interval.text);
}

/** Whether `smtplib.SMTP(...)` is given a host, which it connects to at once (not `SMTP()`, `SMTP("")`, `SMTP(host=None)`). */
function smtpHostGiven(call: Node): boolean {
  const args = callArguments(call);
  const host = args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'host')?.childForFieldName('value') ?? (args[0] && args[0].type !== 'keyword_argument' ? args[0] : undefined);
  if (!host) return args.some((a) => a.type === 'list_splat' || a.type === 'dictionary_splat');
  return !/^(None|""|'')$/.test(host.text);
}

function fixFor(ctx: PythonRuleContext, call: Node, fn: Node, api: BlockingApi): { fix?: Fix; suggestions?: Fix[] } {
  if (api.fix === 'none' || !canInsertAwait(ctx, call) || givenAsCallable(call)) return {};
  // Under `with thread_lock:`, an `await` would hold the lock across it (see heldThreadLock).
  if (underThreadLock(ctx, call)) return {};
  // torch's grad mode (`with torch.no_grad():`) is per thread: a worker thread would run the model with gradients on.
  if (api === INFERENCE && underGradMode(call)) return {};
  // The sleep and the worker thread of the library the code runs on: `asyncio.sleep` under trio
  // (or anyio's trio backend) raises at once.
  const module = eventLoopModule(ctx, call);
  if (!module) return {};
  const { library, name, importEdits } = module;
  const args = call.childForFieldName('arguments');
  if (!args || args.type !== 'argument_list') return {};
  if (api.fix === 'asyncio-sleep') {
    return {
      fix: {
        title: `Replace with await ${name}.sleep(...)`,
        safe: true,
        edits: [...awaitEdits(ctx, call, `${name}.sleep${args.text}`), ...importEdits],
      },
    };
  }
  const toThread = library === 'asyncio' ? `${name}.to_thread` : `${name}.to_thread.run_sync`;
  const inner = args.text.slice(1, -1).trim();
  let callText = `${toThread}(${fn.text}${inner ? `, ${inner}` : ''})`;
  const edits = [...importEdits];
  // trio's and anyio's `to_thread.run_sync(fn, *args)` pass no keyword arguments on to `fn`:
  // `functools.partial` binds them (evaluated here, as in the call it replaces).
  if (library !== 'asyncio' && args.namedChildren.some((a) => a?.type === 'keyword_argument' || a?.type === 'dictionary_splat')) {
    const functools = moduleAt(ctx, 'functools', call);
    if (!functools) return {};
    edits.push(...functools.importEdits);
    callText = `${toThread}(${functools.name}.partial(${fn.text}, ${inner}))`;
  }
  return {
    suggestions: [
      {
        title: `Run it in a worker thread: await ${toThread}(${fn.text}, ...)`,
        safe: false,
        edits: [...awaitEdits(ctx, call, callText), ...edits],
      },
    ],
  };
}
