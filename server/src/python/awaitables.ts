/**
 * Knows which calls produce a coroutine or another awaitable that must be awaited: `async def`
 * functions and methods of this file and of the project (through the project index), and the
 * well-known library awaitables of knowledge/awaitables.ts, with light receiver inference
 * (constructor calls, `async with ... as x`, annotations, `self.x = Ctor()`).
 *
 * Every answer errs on the side of "unknown": a call is only said to be awaitable when the
 * callee is resolved with certainty.
 */
import * as path from 'path';
import type { SyntaxNode as Node } from './syntax';
import type { PythonRuleContext } from './context';
import { isLoopReceiver } from './tasks';
import { DeclaredTypes } from './declared';
import { TEST_MODULE, assignedValue, callArguments, ccxtModuleOfExchangeGetter, decoratorTarget, definitionsIn, enclosingClassNode, field, importsModule, isAbstractStub, mentions, nodesOfType, parameterAnnotation, parentOf, textOf, typeOf, valueBoundOnce } from './util';
import {
  AWAITABLE_FUNCTION_FACTORIES,
  AWAITABLE_FUNCTIONS,
  AWAITABLE_FUNCTION_PATTERN,
  AWAITABLE_METHODS,
  CALL_METHOD_RESULTS,
  GRPC_STUB_METHOD,
  CALL_RESULTS,
  CALL_TUPLE_RESULTS,
  CLIENT_PATCHERS,
  DJANGO_QUERIES,
  FACTORY_FACTORIES,
  FACTORY_INSTANCE_RESULTS,
  LIBRARY_COROUTINE_CALLABLES,
  FACTORY_RESULTS,
  ASYNC_ITERATION_ELEMENTS,
  ASYNC_GENERATOR_METHODS,
  ITERATED_ATTRIBUTES,
  ASYNC_ITERATION_FACTORIES,
  AWAITED_ITEMS,
  FACTORY_TUPLE_RESULTS,
  GENERIC_ATTRIBUTES,
  DECLARED_GENERIC_ATTRIBUTES,
  LIBRARY_ATTRIBUTES,
  METHOD_RESULTS,
  STREAMED_RESULTS,
  SYNC_PAST,
  isNotCoroutine,
  knownLibraryClass,
  callMethodResult,
} from './knowledge/awaitables';
import {
  annotatedCoroutine,
  classNameOfAnnotation,
  constructedReturn,
  type ClassSummary,
  type DjangoRelation,
  type FunctionSummary,
  type ModuleSummary,
  decoratorName,
  decoratorsKeepAsync,
  genericWritten,
  importedBinding,
  isAsyncFunction,
  returnsAsyncWrapper,
  returnsItsArgument,
  returnsPassThroughWrapper,
  qualifiedThroughImports,
  typeAliasParts,
  returnsNewTask,
  singleTypeArgument,
  subscriptParts,
  yieldsInOwnBody,
  yieldedClass,
  annotatedType,
  annotationText,
} from './project';

/** What the file mentions, asked per node (see mentions()). */
const FRAMEWORK_MENTION = /\b(langchain\w*|langgraph|llama_index)\b/;
/** The attributes DECLARED_GENERIC_ATTRIBUTES types (`runtime_data`, `deps`, `context`). */
const DECLARED_GENERIC_NAMES = new Set(Object.values(DECLARED_GENERIC_ATTRIBUTES).flatMap((attributes) => Object.keys(attributes).map((a) => a.slice(a.lastIndexOf('.') + 1))));
const ASYNC_ONLY_MIDDLEWARE = /sync_capable|async_only_middleware/;
const MOCK_MENTION = /Mock|create_autospec/;
const HOMEASSISTANT_MENTION = /\bhomeassistant\b/;
const PYROGRAM_MENTION = /\bpyrogram\b/;
const SANIC_MENTION = importsModule('sanic');
const SANIC_REQUEST_DECORATORS = /^(get|post|put|patch|delete|head|options|route|websocket|on_request|on_response|middleware)$/;
const SANIC_LISTENER_DECORATORS = /^(listener|(before|after)_server_(start|stop)|main_process_(start|ready|stop)|reload_process_(start|stop))$/;
const WEBSOCKETS_MENTION = /\bwebsockets\b/;

export interface AwaitableCall {
  /** How the callee reads in messages (`save`, `self.flush`, `session.close`). */
  display: string;
  /** Library awaitable (true) or an `async def` of the project (false). */
  library: boolean;
  /** For a library awaitable, its qualified name (`asyncio.sleep`, `asyncio.Queue.get`). */
  name?: string;
  /** An `async def` that yields: the call makes an async generator, not a coroutine. */
  generator?: boolean;
  /** A callable declared to return an `Awaitable` (not a `Coroutine`): what it gives may be a future. */
  mayBeFuture?: boolean;
  /** A method of the project left for subclasses (it raises NotImplementedError): an override may be a generator. */
  abstractStub?: boolean;
}

/** A class known by the analysis: a project class (with its module) or a library class name. */
export type KnownClass = { kind: 'project'; summary: ClassSummary; module: ModuleSummary } | { kind: 'library'; name: string };

const MAX_HOPS = 4;
const GRPC_AIO_STUB = 'grpc.aio.Stub';
const GRPC_AIO_CALL = 'grpc.aio.Call';

/** Decorators that turn a plain function into a coroutine function (asgiref, Channels). */
const MAKES_COROUTINE_FUNCTION = /(^|\.)(sync_to_async|database_sync_to_async)$/;

/** Django manager methods that give one instance of the model: synchronous, and their awaited twins. */
const DJANGO_INSTANCES = new Set(['get', 'create', 'first', 'last', 'earliest', 'latest']);
const DJANGO_AWAITED_INSTANCES = new Set([...DJANGO_INSTANCES].map((m) => `a${m}`));
/** QuerySet methods that give a queryset of the same model. */
const DJANGO_CHAINS = new Set([
  'all', 'filter', 'exclude', 'order_by', 'select_related', 'prefetch_related', 'only', 'defer', 'annotate', 'alias', 'using', 'distinct',
  'reverse', 'select_for_update', 'values', 'values_list', 'iterator', 'get_queryset', 'raw',
]);
const DJANGO_MODEL = 'django.db.models.Model';
/** Manager methods that run their query at once (not part of a chain). */
const DJANGO_QUERY_NAMES = new Set(DJANGO_QUERIES);
const DJANGO_MANAGER = 'django.db.models.Manager';
/** Class methods of ODM/ORM model bases that give an instance of the model once awaited. */
const MODEL_FACTORIES: Readonly<Record<string, ReadonlySet<string>>> = {
  'tortoise.models.Model': new Set(['get', 'get_or_none', 'create', 'first', 'last']),
  'beanie.Document': new Set(['get', 'find_one']),
};

/** Event loop classes, as an annotation names them. */
const EVENT_LOOP_CLASS = /^((asyncio\.)?(events\.)?(AbstractEventLoop|BaseEventLoop)|(asyncio\.)?(SelectorEventLoop|ProactorEventLoop)|uvloop\.Loop)$/;

/**
 * Whether a resolved name can be trusted: bound by an import or a definition, or one of the
 * well-known async libraries (recognised even when a snippet omits their import).
 */
function knownName(r: { name: string; via: string }): boolean {
  return r.via !== 'unbound' || /^(asyncio|aiohttp|httpx|asyncpg|motor)\./.test(r.name);
}

/** The `related_name`s of the relation fields declared in a module's classes (Django). */
function relatedNamesIn(module: ModuleSummary): string[] {
  return [...module.classes.values()].flatMap((c) => c.relatedNames);
}

/** Whether a binding's statement (a `def`, possibly decorated, or an import) sits at the top of the module. */
function topLevelStatement(node: Node): boolean {
  let n: Node | null = node;
  while (n && n.parent && n.parent.type !== 'module') {
    if (n.type === 'function_definition' && n.parent.type !== 'decorated_definition') return false;
    if (/^(if|for|while|try|with|match)_statement$|^(block|class_definition)$/.test(n.parent.type)) return false;
    n = n.parent;
  }
  return n?.parent?.type === 'module';
}

/**
 * The coroutine twins LangChain and LlamaIndex give their runnables, models, retrievers and
 * engines (`ainvoke`, `aget_relevant_documents`, `aquery`...), called on objects whose class the
 * analysis cannot follow (chains built with `|`, factories). Async iterators (`astream`) are left out.
 */
const FRAMEWORK_ASYNC_METHODS = new Set([
  'ainvoke', 'abatch', 'apredict', 'apredict_messages', 'arun', 'acall', 'agenerate', 'agenerate_prompt', 'aget_relevant_documents',
  'aembed_documents', 'aembed_query', 'asimilarity_search', 'asimilarity_search_with_score', 'asimilarity_search_with_relevance_scores',
  'amax_marginal_relevance_search', 'aadd_documents', 'aadd_texts', 'adelete', 'aretrieve', 'aquery', 'achat', 'acomplete',
  'aload', 'atransform_documents', 'aevaluate', 'arun_step',
  // LangGraph's compiled graphs: a thread's state, read and changed (`await graph.aget_state(config)`).
  'aget_state', 'aupdate_state', 'abulk_update_state',
]);

/** LangChain's and LangGraph's async streams, async generators on any runnable or compiled graph (`async for chunk in chain.astream(q)`). */
const FRAMEWORK_ASYNC_GENERATORS = new Set(['astream', 'astream_events', 'astream_log', 'aget_state_history']);

/**
 * Library packages whose names projects also give their own packages (`agents/` in an AI app): a name under one is taken
 * for the library's only when no package of that name is found next to the importer.
 */
const SHADOWABLE_PACKAGES = new Set(['agents']);

/** `type(self)` / `type(cls)`. */
function typeOfSelf(node: Node): boolean {
  if (typeOf(node) !== 'call') return false;
  const fn = field(node, 'function');
  const args = callArguments(node);
  return !!fn && typeOf(fn) === 'identifier' && textOf(fn) === 'type' && args.length === 1 && /^(self|cls)$/.test(textOf(args[0]));
}

/** What a name written in a module (`sync_to_async`, `sync.sync_to_async`) is imported as, in full (`asgiref.sync.sync_to_async`). */
function importedName(written: string, module: ModuleSummary): string | undefined {
  const [head, ...rest] = written.split('.');
  const b = module.imports.get(head);
  if (!b || b.level > 0) return undefined;
  return [b.name ? `${b.module}.${b.name}` : b.module, ...rest].join('.');
}

/** Whether a class name, as an annotation writes it, names an event loop class. */
export function isEventLoopClassName(name: string): boolean {
  return EVENT_LOOP_CLASS.test(name);
}

/**
 * The file's resolver, shared by all its rules: its answers and caches depend only on the file and
 * the project, so each is worked out once per analysis.
 */
export function awaitablesOf(ctx: PythonRuleContext): AwaitableResolver {
  return (ctx.shared.awaitables ??= new AwaitableResolver(ctx));
}

export class AwaitableResolver {
  private readonly here: ModuleSummary;
  /** Whether the project function the last answer of awaitableCall() found is an async generator. */
  private matchedGenerator = false;
  /** Whether that project function is a stub raising NotImplementedError. */
  private matchedAbstract = false;
  /** Whether each local `async def` met so far yields, by node id. */
  private readonly generatorDefs = new Map<number, boolean>();
  /** Names the file passes to `isinstance(name, ...)`. */
  private isinstanceNames: Set<string> | undefined;
  /** Type aliases being followed (a bound on aliases that refer to each other). */
  private aliasHops = 0;
  /** Bindings whose class is being worked out (a guard against bindings that refer to themselves). */
  private readonly resolvingBindings = new Set<number>();
  /** Each project class's resolution order, once worked out. */
  private readonly mroCache = new Map<ClassSummary, MroEntry[]>();
  private declaredTypes: DeclaredTypes | undefined;
  /** Whether the last declared callable found makes an `Awaitable` (perhaps a future) rather than a coroutine. */
  private declaredAwaitable = false;
  /** Top-level names of this file bound once, with their value (type aliases among them). */
  private aliasValues: Map<string, Node> | undefined;
  /** The Django `related_name`s of this module and of the modules it imports classes from (see relatedNameNear). */
  private importedRelatedNames: Set<string> | undefined;
  /** Annotated attributes of each class of this file, by node id. */
  private readonly declaredAttributes = new Map<number, Map<string, Node>>();
  /** Functions of this file given to `websockets.serve(handler, ...)` (by node id of their definition). */
  private servedHandlers: Set<number> | undefined;

  constructor(private readonly ctx: PythonRuleContext) {
    this.here = ctx.project.summaryOfTree(ctx.filePath, ctx.tree.rootNode, ctx.text);
  }

  /**
   * Whether `call` returns a coroutine/awaitable that must be awaited, or (`generator: true`) an
   * async generator of the project, which is iterated with `async for` and never awaited.
   */
  awaitableCall(call: Node): AwaitableCall | undefined {
    this.declaredAwaitable = false;
    const found = this.findAwaitable(call);
    if (found && !found.library && this.matchedGenerator) found.generator = true;
    if (found && !found.library && this.matchedAbstract) found.abstractStub = true;
    if (found && this.declaredAwaitable) found.mayBeFuture = true;
    this.matchedGenerator = false;
    this.matchedAbstract = false;
    return found;
  }

  private findAwaitable(call: Node): AwaitableCall | undefined {
    const fn = field(call, 'function');
    if (!fn) return undefined;
    // Line breaks (and the indentation after them) dropped; spaces inside string literals kept.
    const display = textOf(fn).replace(/\s*\n\s*/g, '');
    const type = typeOf(fn);
    if (type === 'identifier') {
      if (this.nameIsCoroutineFunction(fn)) return { display, library: false };
      if (this.asyncOnlyGetResponse(fn)) return { display, library: false };
      if (this.mockMakesCoroutine(fn)) return { display, library: true, name: 'unittest.mock.AsyncMock' };
      return (
        this.libraryFunction(fn, display) ??
        (this.heldCoroutineFunction(fn, 0) || this.declaredCoroutineFunction(fn) || this.callsAsyncDunder(fn) ? { display, library: false } : undefined)
      );
    }
    if (type === 'subscript') return this.heldCoroutineFunction(fn, 0) || this.declaredCoroutineFunction(fn) ? { display, library: false } : undefined;
    if (type === 'call') {
      // `sync_to_async(fn)(...)`: the wrapper makes a coroutine.
      const factory = field(fn, 'function');
      const r = factory && (typeOf(factory) === 'identifier' || typeOf(factory) === 'attribute') ? this.ctx.scope.resolve(factory) : undefined;
      if (r && r.via !== 'unbound' && AWAITABLE_FUNCTION_FACTORIES.has(r.name)) return { display, library: true, name: `${r.name}()` };
      // `functools.partial(fetch, url)()`, `HANDLERS.get(kind)()`, `getattr(self, f"on_{event}")()`.
      return this.heldCoroutineFunction(fn, 0) || this.declaredCoroutineFunction(fn) || this.dispatchedByName(fn) ? { display, library: false } : undefined;
    }
    if (type !== 'attribute') return undefined;
    const lib = this.libraryFunction(fn, display);
    if (lib) return lib;
    const receiver = field(fn, 'object');
    const attribute = field(fn, 'attribute');
    const method = attribute ? textOf(attribute) : undefined;
    if (!receiver || !method) return undefined;
    if (this.mockMakesCoroutine(fn)) return { display, library: true, name: 'unittest.mock.AsyncMock' };
    // `mod.f()` through a project import.
    const resolved = this.ctx.scope.resolve(fn);
    if (resolved && resolved.via === 'import') {
      const f = this.projectFunctionByQualifiedName(resolved.name);
      if (f !== undefined) return f ? { display, library: false } : undefined;
    }
    // `transcode.kiq(src)`: a taskiq task (a project function decorated `@broker.task`) is sent by a coroutine.
    if (method === 'kiq' && this.decoratorsOf(receiver)?.some((d) => /(^|\.)task$/.test(d))) return { display, library: true, name: 'taskiq.AsyncTaskiqDecoratedTask.kiq' };
    // `super().close()`: the method the base classes define.
    const inherited = this.superMethod(receiver, method, display);
    if (inherited !== undefined) return inherited ?? undefined;
    const cls = this.classOfReceiver(receiver);
    if (!cls) {
      if (this.declaredCoroutineFunction(fn)) return { display, library: false };
      // `chain.ainvoke(...)`: LangChain's and LlamaIndex's async twins, on objects of any class; their streams
      // (`chain.astream(...)`, a graph's `astream_events(...)`) are async generators.
      const framework = (FRAMEWORK_ASYNC_METHODS.has(method) || FRAMEWORK_ASYNC_GENERATORS.has(method)) && (mentions(this.ctx.text, FRAMEWORK_MENTION) || this.fromFrameworkModule(receiver));
      if (!framework) return undefined;
      return FRAMEWORK_ASYNC_GENERATORS.has(method) ? { display, library: true, name: `langchain.${method}`, generator: true } : { display, library: true, name: `langchain.${method}` };
    }
    if (cls.kind === 'library') return this.libraryMethod(cls.name, method, call, display);
    const m = this.findMethod(cls.summary, cls.module, method, 0);
    if (!m && this.asyncOnlyGetResponse(fn)) return { display, library: false };
    if (!m) {
      // `self.on_done()` with `on_done: Callable[[], Awaitable[None]]` declared in the class.
      if (this.declaredCoroutineFunction(fn)) return { display, library: false };
      // A method inherited from a library base class (`class Chat(AsyncWebsocketConsumer)`: `self.send()`).
      const lib = this.inLibraryBases(cls.summary, cls.module, (name) => (AWAITABLE_METHODS[name]?.has(method) ? name : undefined));
      return lib ? this.libraryMethod(lib, method, call, display) : undefined;
    }
    // Calling an instance method through the class itself passes no `self`: unusual, skip.
    const viaClassObject = (receiver.type === 'identifier' && this.classByName(receiver.text, receiver) !== undefined && receiver.text !== 'self') || typeOfSelf(receiver);
    if (viaClassObject && m.fn.kind === 'instance') return undefined;
    return this.functionIsCoroutine(m.fn, m.module) ? { display, library: false } : undefined;
  }

  /**
   * The next handler of an async-only Django middleware, called from its `async def`: Django
   * hands such a middleware an async `get_response`. A class declaring `sync_capable = False`
   * (`self.get_response(request)` with `self.get_response = get_response` in `__init__`), or a
   * factory decorated `@async_only_middleware` (its parameter called in the nested `async def`).
   */
  private asyncOnlyGetResponse(fn: Node): boolean {
    if (!mentions(this.ctx.text, ASYNC_ONLY_MIDDLEWARE)) return false;
    const owner = this.ctx.scope.enclosingFunction(fn);
    if (!owner?.isAsync) return false;
    if (typeOf(fn) === 'identifier') {
      const found = this.ctx.scope.lookup(textOf(fn), fn);
      if (found?.bindings.length !== 1 || found.bindings[0].kind !== 'param' || found.scope === owner) return false;
      const factory = found.scope.node;
      if (factory.type !== 'function_definition' || factory.parent?.type !== 'decorated_definition') return false;
      const params = field(factory, 'parameters')?.namedChildren ?? [];
      if (params[0]?.id !== found.bindings[0].node.id) return false;
      return factory.parent.namedChildren.some((d) => {
        const e = d?.type === 'decorator' ? d.namedChildren[0] : null;
        const r = e && (e.type === 'identifier' || e.type === 'attribute') ? this.ctx.scope.resolve(e) : undefined;
        return !!r && r.via !== 'unbound' && /^django\.utils\.decorators\.async_only_middleware$/.test(r.name);
      });
    }
    const receiver = field(fn, 'object');
    const attribute = field(fn, 'attribute')?.text;
    const cls = owner.parent;
    if (receiver?.text !== 'self' || !attribute || cls?.kind !== 'class' || owner.node.childForFieldName('parameters')?.namedChildren[0]?.text !== 'self') return false;
    const body = field(cls.node, 'body');
    if (!body) return false;
    let syncIncapable = false;
    for (const statement of body.namedChildren) {
      const a = statement.type === 'expression_statement' ? statement.namedChildren[0] : null;
      if (a?.type === 'assignment' && field(a, 'left')?.text === 'sync_capable' && field(a, 'right')?.text === 'False') syncIncapable = true;
    }
    const inits = definitionsIn(body, 'function_definition', '__init__');
    const init = inits[inits.length - 1];
    if (!syncIncapable || !init) return false;
    const handler = field(init, 'parameters')?.namedChildren[1];
    const param = handler?.type === 'identifier' ? handler.text : handler ? field(handler, 'name')?.text ?? handler.namedChildren[0]?.text : undefined;
    if (!param) return false;
    return nodesOfType(init, 'assignment').some((a) => field(a, 'left')?.text === `self.${attribute}` && field(a, 'right')?.text === param);
  }

  /**
   * A call of a mock that makes a coroutine, inside `async def` (an async test): `charge()` with
   * `charge = AsyncMock(...)` or `MagicMock(spec=fetch)` (`fetch` an `async def`); `m.fetch()` with
   * `m = AsyncMock()` (its attributes are AsyncMocks, except the mock's own API), or with
   * `m = AsyncMock(spec=Client)` / `MagicMock(spec=Client)` where `Client.fetch` is an `async def`
   * of the project (a spec's coroutine methods are AsyncMocks, the others plain mocks).
   */
  private mockMakesCoroutine(fn: Node): boolean {
    const attribute = typeOf(fn) === 'attribute' ? field(fn, 'attribute') : null;
    const holder = attribute ? field(fn, 'object') : fn;
    if (!holder || typeOf(holder) !== 'identifier' || !mentions(this.ctx.text, MOCK_MENTION)) return false;
    const made = valueBoundOnce(this.ctx, holder);
    const ctor = made?.type === 'call' ? field(made, 'function') : null;
    if (!ctor || (typeOf(ctor) !== 'identifier' && typeOf(ctor) !== 'attribute')) return false;
    const r = this.ctx.scope.resolve(ctor);
    const kind = r && r.via !== 'unbound' ? /^(unittest\.mock|mock)\.(AsyncMock|MagicMock|Mock)$/.exec(r.name)?.[2] : /^mocker\.(AsyncMock|MagicMock|Mock)$/.exec(textOf(ctor))?.[1];
    if (!kind || !this.ctx.scope.isAsyncContext(fn)) return false;
    const args = callArguments(made!);
    const keyword = args.find((a) => a.type === 'keyword_argument' && /^spec(_set)?$/.test(field(a, 'name')?.text ?? ''));
    const spec = keyword ? field(keyword, 'value') : args[0]?.type !== 'keyword_argument' ? args[0] : undefined;
    if (!attribute) {
      // Calling an AsyncMock gives a coroutine whatever its spec; another mock, when specced by a coroutine function.
      if (kind === 'AsyncMock') return true;
      return !!spec && (spec.type === 'identifier' || spec.type === 'attribute') && this.isCoroutineFunctionRef(spec);
    }
    const method = textOf(attribute);
    if (!spec) return kind === 'AsyncMock' && !/^(assert_\w+|reset_mock|configure_mock|attach_mock|mock_add_spec|_\w*)$/.test(method);
    if (spec.type !== 'identifier' && spec.type !== 'attribute') return false;
    const cls = this.classByName(spec.text.replace(/\s+/g, ''), spec);
    const m = cls?.kind === 'project' ? this.findMethod(cls.summary, cls.module, method, 0) : undefined;
    const coroutine = !!m && this.functionIsCoroutine(m.fn, m.module) && !this.matchedGenerator;
    this.matchedGenerator = false;
    this.matchedAbstract = false;
    return coroutine;
  }

  /** A method of a known library class: awaitable per the tables (inside `async def` only, for libraries that used to be synchronous). */
  private libraryMethod(cls: string, method: string, call: Node, display: string): AwaitableCall | undefined {
    // `channel.history(limit=50)`: an async generator, iterated with `async for`.
    if (ASYNC_GENERATOR_METHODS[cls]?.has(method)) return { display, library: true, name: `${cls}.${method}`, generator: true };
    // `stub.GetOrder(request)` over a grpc.aio channel: a call object, awaited for the reply (or iterated, when streaming).
    if (cls === GRPC_AIO_STUB && GRPC_STUB_METHOD.test(method)) return { display, library: true, name: `${cls}.${method}` };
    if (!AWAITABLE_METHODS[cls]?.has(method)) return undefined;
    if (SYNC_PAST.test(cls) && !this.ctx.scope.isAsyncContext(call)) return undefined;
    return { display, library: true, name: `${cls}.${method}` };
  }

  /** The first answer `own` gives for a library class among the bases of a project class (and of its project bases). */
  private inLibraryBases<T>(cls: ClassSummary, module: ModuleSummary, own: (libraryClass: string) => T | undefined): T | undefined {
    return this.inClassOrBases(cls, module, 0, (c, m) => {
      for (const base of c.bases) {
        if (this.classInModule(base, m)) continue;
        const lib = this.classFromText(base, m);
        const found = lib?.kind === 'library' ? own(lib.name) : undefined;
        if (found !== undefined) return found;
      }
      return undefined;
    });
  }

  private libraryFunction(fn: Node, display: string): AwaitableCall | undefined {
    const r = this.ctx.scope.resolve(fn);
    if (!r) return undefined;
    if (r.via === 'unbound' && !r.name.startsWith('asyncio.')) return undefined;
    if (!AWAITABLE_FUNCTIONS.has(r.name) && !AWAITABLE_FUNCTION_PATTERN.test(r.name)) return undefined;
    return this.shadowedByProject(r.name) ? undefined : { display, library: true, name: r.name };
  }

  /**
   * Whether the top-level package of a library name is one of the project's own (`agents/` next to the
   * importer, an app's package of agents, not the OpenAI Agents SDK): its names are not the library's.
   */
  shadowedByProject(name: string): boolean {
    const top = name.slice(0, name.indexOf('.'));
    return SHADOWABLE_PACKAGES.has(top) && !!this.ctx.project.resolveModule(this.ctx.filePath, top, 0);
  }

  /**
   * The display name of a project function called here that creates a task and hands it back
   * without keeping it (`utils.create_task(coro)`, see FunctionSummary.returnsTask).
   */
  projectTaskFactory(call: Node): string | undefined {
    const callee = this.projectFunctionCalled(call);
    if (!callee) return undefined;
    const makesTask = callee.def ? !isAsyncFunction(callee.def) && returnsNewTask(callee.def) : callee.summary.returnsTask;
    return makesTask ? textOf(field(call, 'function')!).replace(/\s+/g, '') : undefined;
  }

  /**
   * Whether `call` calls a plain `def` of the project that makes no coroutine (a tornado
   * `@gen.coroutine`, a function returning `loop.run_in_executor(...)`): what it gives is no coroutine.
   */
  callsPlainProjectFunction(call: Node): boolean {
    const callee = this.projectFunctionCalled(call);
    if (!callee || (callee.def ? isAsyncFunction(callee.def) : callee.summary.isAsync)) return false;
    const awaitable = this.awaitableCall(call);
    return !awaitable || !!awaitable.mayBeFuture;
  }

  /** Whether `call` is a synchronous project function annotated to return an event loop (`util.get_loop()`). */
  returnsEventLoop(call: Node): boolean {
    const callee = this.projectFunctionCalled(call);
    if (!callee) return false;
    if (callee.def) return !isAsyncFunction(callee.def) && isEventLoopClassName(classNameOfAnnotation(callee.def.childForFieldName('return_type')) ?? '');
    return !callee.summary.isAsync && isEventLoopClassName(callee.summary.returns ?? '');
  }

  /**
   * Whether `call` surely gives an awaitable that is not a coroutine: a library function that
   * returns a future (`asyncio.wrap_future`), or a plain `def` of the project (a function, or a
   * method of the receiver's class, Protocols included) annotated to return a `Future`, a `Task`
   * or an `Awaitable`.
   */
  givesOtherAwaitable(call: Node): boolean {
    const fn = field(call, 'function');
    if (!fn) return false;
    const type = typeOf(fn);
    if (type === 'identifier' || type === 'attribute') {
      const r = this.ctx.scope.resolve(fn);
      if (r && r.via !== 'unbound' && isNotCoroutine(r.name)) return true;
    }
    const other = (isAsync: boolean, returns: string | undefined): boolean => !isAsync && !!returns && /(^|\.)(Future|Task|Awaitable)$/.test(returns);
    const callee = this.projectFunctionCalled(call);
    if (callee) return callee.def ? other(isAsyncFunction(callee.def), classNameOfAnnotation(callee.def.childForFieldName('return_type'))) : other(callee.summary.isAsync, callee.summary.returns);
    if (type !== 'attribute') return false;
    const receiver = field(fn, 'object');
    const method = field(fn, 'attribute');
    // `loop.create_future()`, `loop.create_task(...)`: a future, a task.
    if (receiver && method && /^(create_future|create_task|run_in_executor)$/.test(textOf(method)) && isLoopReceiver(this.ctx, receiver)) return true;
    const cls = receiver && method ? this.classOfReceiver(receiver) : undefined;
    if (cls?.kind !== 'project') return false;
    const m = this.findMethod(cls.summary, cls.module, textOf(method!), 0);
    return !!m && other(m.fn.isAsync, m.fn.returns);
  }

  /** The project function a call names: a `def` of this file (its node) or of another module (its summary). */
  projectFunctionCalled(call: Node): { def: Node } | { def?: undefined; summary: FunctionSummary; module: ModuleSummary } | undefined {
    const fn = field(call, 'function');
    if (!fn) return undefined;
    if (typeOf(fn) === 'identifier') {
      const found = this.ctx.scope.lookup(fn.text, fn);
      if (!found || found.bindings.length !== 1) return undefined;
      const b = found.bindings[0];
      if (b.kind === 'def' && b.node.type === 'function_definition') return { def: b.node };
      if (b.kind !== 'import') return undefined;
      const target = this.importedMember(fn, b.node);
      return target?.kind === 'function' ? { summary: target.fn, module: target.module } : undefined;
    }
    if (typeOf(fn) !== 'attribute') return undefined;
    // `mod.create_task(...)` through a project import.
    const resolved = this.ctx.scope.resolve(fn);
    if (!resolved || resolved.via !== 'import') return undefined;
    const target = this.memberByImportedName(resolved.name);
    return target?.kind === 'function' ? { summary: target.fn, module: target.module } : undefined;
  }

  /**
   * What awaiting a call of the project's own coroutine function gives, by its return annotation:
   * `db = await self._conn()` with `async def _conn(self) -> aiosqlite.Connection`, `r = await
   * get_redis()` with `-> Redis`.
   */
  private awaitedProjectResult(call: Node): KnownClass | undefined {
    const m = this.projectMethodCalled(call);
    if (m !== undefined) return m?.fn.isAsync && !m.fn.isGenerator && m.fn.returns ? this.classFromText(m.fn.returns, m.module) : undefined;
    const callee = this.projectFunctionCalled(call);
    if (!callee) return undefined;
    if (callee.def) {
      const returns = isAsyncFunction(callee.def) ? callee.def.childForFieldName('return_type') : null;
      return returns ? this.classOfTypeExpr(returns.namedChildren[0] ?? returns) : undefined;
    }
    const { summary, module } = callee;
    return summary.isAsync && !summary.isGenerator && summary.returns ? this.classFromText(summary.returns, module) : undefined;
  }

  /**
   * The method of a project class a call makes on its receiver (`self._conn()`, `db.transaction()`):
   * null when the receiver is of a project class without that method, undefined when the receiver's
   * class is not the project's (or the call is not a method call).
   */
  private projectMethodCalled(call: Node): { fn: FunctionSummary; module: ModuleSummary } | null | undefined {
    const fn = field(call, 'function');
    if (!fn || typeOf(fn) !== 'attribute') return undefined;
    const receiver = field(fn, 'object');
    const method = field(fn, 'attribute');
    const cls = receiver && method ? this.classOfReceiver(receiver, 1) : undefined;
    if (cls?.kind !== 'project') return undefined;
    return this.findMethod(cls.summary, cls.module, textOf(method!), 0) ?? null;
  }

  /** The project member a name resolved through an import stands for (`.services.cache`, `pkg.mod.f`). */
  private memberByImportedName(qualified: string): ReturnType<AwaitableResolver['projectMember']> {
    const level = /^\.*/.exec(qualified)![0].length;
    const parts = qualified.slice(level).split('.');
    if (parts.length < 2) return undefined;
    return this.projectMember(parts.slice(0, -1).join('.'), level, parts[parts.length - 1], 0);
  }

  /**
   * `rag_chain` with `from app.chains import rag_chain`, where that project module imports
   * LangChain or LlamaIndex and binds `rag_chain` by something else than `def`/`class`
   * (`rag_chain = prompt | llm | parser`): an object of the framework built there.
   */
  fromFrameworkModule(receiver: Node): boolean {
    if (typeOf(receiver) !== 'identifier') return false;
    const found = this.ctx.scope.lookup(textOf(receiver), receiver);
    if (found?.bindings.length !== 1 || found.bindings[0].kind !== 'import') return false;
    const binding = importedBinding(found.bindings[0].node, receiver.text);
    if (!binding?.name) return false;
    const file = this.ctx.project.resolveModule(this.ctx.filePath, binding.module, binding.level);
    const summary = file ? this.ctx.project.summary(file) : undefined;
    if (!summary || summary.functions.has(binding.name) || summary.classes.has(binding.name) || summary.imports.has(binding.name)) return false;
    return [...summary.imports.values()].some((i) => /^(langchain\w*|langgraph|llama_index)(\.|$)/.test(i.module));
  }

  /** The class of a module-level instance of the project (`cache = Cache()` in services.py). */
  private instanceClass(member: ReturnType<AwaitableResolver['projectMember']>): KnownClass | undefined {
    return member?.kind === 'instance' && member.ctor ? this.classFromText(member.ctor, member.module) : undefined;
  }

  /**
   * `super().m()` in a method of a project class: whether the bases' `m` is a coroutine function
   * (null: it is not, or it cannot be told); undefined when the receiver is not `super()`.
   */
  private superMethod(receiver: Node, method: string, display: string): AwaitableCall | null | undefined {
    if (typeOf(receiver) !== 'call' || field(receiver, 'function')?.text !== 'super') return undefined;
    const cls = this.enclosingClass(receiver);
    if (!cls) return null;
    for (const base of cls.bases) {
      const b = this.classInModule(base, this.here);
      if (b) {
        const m = this.findMethod(b.cls, b.module, method, 0);
        if (m) return this.functionIsCoroutine(m.fn, m.module) ? { display, library: false } : null;
        continue;
      }
      const lib = this.classFromText(base, this.here);
      if (lib?.kind === 'library' && AWAITABLE_METHODS[lib.name]?.has(method)) return this.libraryMethod(lib.name, method, receiver, display) ?? null;
    }
    return null;
  }

  /**
   * The decorators (as written, without call arguments) of the project function an expression
   * names: defined in this file (`send_mail`), imported from the project (`from .tasks import
   * send_mail`), or through an imported module (`tasks.send_mail`). Undefined when it names none.
   */
  decoratorsOf(expr: Node): string[] | undefined {
    if (typeOf(expr) === 'attribute') {
      const resolved = this.ctx.scope.resolve(expr);
      const member = resolved?.via === 'import' ? this.memberByImportedName(resolved.name) : undefined;
      return member?.kind === 'function' ? member.fn.decorators : undefined;
    }
    if (typeOf(expr) !== 'identifier') return undefined;
    const found = this.ctx.scope.lookup(textOf(expr), expr);
    if (!found || found.bindings.length !== 1) return undefined;
    const b = found.bindings[0];
    if (b.kind === 'def' && b.node.type === 'function_definition') {
      const decorated = b.node.parent?.type === 'decorated_definition' ? b.node.parent : null;
      return (decorated?.namedChildren ?? []).filter((d): d is Node => d?.type === 'decorator').map(decoratorName);
    }
    if (b.kind !== 'import') return undefined;
    const target = this.importedMember(expr, b.node);
    return target?.kind === 'function' ? target.fn.decorators : undefined;
  }

  /** The project member an imported name stands for (`from .utils import spawn`). */
  private importedMember(id: Node, importNode: Node): ReturnType<AwaitableResolver['projectMember']> {
    const binding = importedBinding(importNode, id.text);
    if (!binding || binding.name === undefined) return undefined;
    return this.projectMember(binding.module, binding.level, binding.name, 0);
  }

  /**
   * Whether an expression names a coroutine function without calling it (`handle`, `self.flush`,
   * `Repo.save`): a project `async def`, for callbacks handed to APIs that will not await them.
   */
  isCoroutineFunctionRef(expr: Node): boolean {
    let found: boolean;
    if (typeOf(expr) === 'identifier') found = this.nameIsCoroutineFunction(expr);
    else if (typeOf(expr) === 'attribute') {
      const receiver = field(expr, 'object');
      const name = field(expr, 'attribute');
      const cls = receiver ? this.classOfReceiver(receiver) : undefined;
      const m = cls?.kind === 'project' && name ? this.findMethod(cls.summary, cls.module, textOf(name), 0) : undefined;
      // `queue.put` on an `asyncio.Queue`: a library method whose call gives an awaitable.
      found = m ? this.functionIsCoroutine(m.fn, m.module) : cls?.kind === 'library' && !!name && !!this.libraryMethod(cls.name, textOf(name), expr, '');
    } else found = false;
    const generator = this.matchedGenerator;
    this.matchedGenerator = false;
    this.matchedAbstract = false;
    return found && !generator;
  }

  /**
   * `getattr(self, f"on_{event}")`: a method of the class looked up by a name with a fixed
   * prefix, when every method of the class with that prefix is an `async def` (not a generator).
   */
  private dispatchedByName(call: Node): boolean {
    const f = field(call, 'function');
    const args = callArguments(call);
    if (!f || typeOf(f) !== 'identifier' || textOf(f) !== 'getattr' || args.length !== 2 || textOf(args[0]) !== 'self') return false;
    const prefix = /^[fF]?["']([A-Za-z_]\w*)(\{|["']\s*\+)/.exec(textOf(args[1]))?.[1];
    const cls = prefix ? this.enclosingClass(args[0]) : undefined;
    if (!cls || !prefix) return false;
    const methods = [...cls.methods.values()].filter((m) => m.name.startsWith(prefix));
    return methods.length > 0 && methods.every((m) => m.kind === 'instance' && m.isAsync && !m.isGenerator && this.functionIsCoroutine(m, this.here));
  }

  /** `forward(e)` where `forward` holds an instance of a project class whose `__call__` is an `async def`. */
  private callsAsyncDunder(id: Node): boolean {
    // `cls(...)` makes an instance.
    if (textOf(id) === 'cls') return false;
    const found = this.ctx.scope.lookup(textOf(id), id);
    if (!found || found.bindings.length === 0 || found.bindings.some((b) => b.kind !== 'assign' && b.kind !== 'param' && b.kind !== 'other')) return false;
    const cls = this.classOfReceiver(id);
    const m = cls?.kind === 'project' ? this.findMethod(cls.summary, cls.module, '__call__', 0) : undefined;
    return !!m && m.fn.kind === 'instance' && this.functionIsCoroutine(m.fn, m.module);
  }

  /**
   * Whether `expr` is declared (annotated) as a callable that makes a coroutine or another
   * awaitable (see declared.ts); `declaredAwaitable` tells which was last found.
   */
  private declaredCoroutineFunction(expr: Node): boolean {
    const declared = this.declaredType(expr, 0);
    const result = declared ? this.declared.callResult(declared) : this.callNextOfMiddleware(expr) ? 'awaitable' : undefined;
    this.declaredAwaitable = result === 'awaitable';
    return !!result;
  }

  /**
   * `call_next` of Starlette's `BaseHTTPMiddleware.dispatch(self, request, call_next)` or of a
   * FastAPI `@app.middleware("http")` function, unannotated: calling it gives an awaitable response.
   */
  private callNextOfMiddleware(expr: Node): boolean {
    if (typeOf(expr) !== 'identifier') return false;
    if (textOf(expr) !== 'call_next') return this.aiogramMiddlewareHandler(expr);
    const found = this.ctx.scope.lookup('call_next', expr);
    const b = found?.bindings.length === 1 && found.bindings[0].kind === 'param' ? found.bindings[0].node : undefined;
    const fn = b ? this.ctx.scope.enclosingFunction(b)?.node : undefined;
    if (!fn || fn.childForFieldName('parameters')?.id !== b?.parent?.id) return false;
    if (fn.childForFieldName('name')?.text === 'dispatch') {
      const cls = enclosingClassNode(fn);
      return !!cls && /\bBaseHTTPMiddleware\b/.test(cls.childForFieldName('superclasses')?.text ?? '');
    }
    const decorated = fn.parent?.type === 'decorated_definition' ? fn.parent : null;
    return !!decorated && decorated.namedChildren.some((d) => d?.type === 'decorator' && /\.middleware\(\s*["']http["']\s*\)$/.test(d.text.replace(/^@\s*/, '')));
  }

  /**
   * The `handler` of an aiogram middleware, `async def __call__(self, handler, event, data)` in a subclass of
   * aiogram's `BaseMiddleware`, unannotated: calling it gives the awaitable result of the next handler.
   */
  private aiogramMiddlewareHandler(expr: Node): boolean {
    if (!this.ctx.text.includes('BaseMiddleware')) return false;
    const found = this.ctx.scope.lookup(textOf(expr), expr);
    const b = found?.bindings.length === 1 && found.bindings[0].kind === 'param' ? found.bindings[0].node : undefined;
    const fn = b ? this.ctx.scope.enclosingFunction(b)?.node : undefined;
    const params = fn?.childForFieldName('parameters');
    if (!fn || !params || params.id !== b?.parent?.id || fn.childForFieldName('name')?.text !== '__call__' || params.namedChildren[1]?.id !== b.id) return false;
    const cls = enclosingClassNode(fn);
    return (cls?.childForFieldName('superclasses')?.namedChildren ?? []).some((base) => {
      if (!base || (base.type !== 'identifier' && base.type !== 'attribute')) return false;
      const r = this.ctx.scope.resolve(base);
      return !!r && r.via !== 'unbound' && /^aiogram\.(dispatcher\.middlewares\.base\.)?BaseMiddleware$/.test(r.name);
    });
  }

  private get declared(): DeclaredTypes {
    return (this.declaredTypes ??= new DeclaredTypes(
      (name, at) => this.typeAliasValue(name, at),
      (name) => {
        const imp = this.here.imports.get(name) ?? this.here.typeImports.get(name);
        if (!imp?.name) return undefined;
        const file = this.ctx.project.resolveModule(this.ctx.filePath, imp.module, imp.level);
        if (file) return this.ctx.project.summary(file)?.coroutineCallables.get(imp.name);
        // Library aliases of awaitable callables: `RequestResponseEndpoint`, ASGI's `Send`/`Receive`.
        return imp.level === 0 ? LIBRARY_COROUTINE_CALLABLES[`${imp.module}.${imp.name}`] : undefined;
      },
    ));
  }

  /** The value of a top-level type alias of this file (`Handler = Callable[...]`, `type Handler = ...`), bound once. */
  private typeAliasValue(name: string, at: Node): Node | undefined {
    if (!this.aliasValues) {
      this.aliasValues = new Map();
      const seen = new Set<string>();
      for (const stmt of this.ctx.tree.rootNode.namedChildren) {
        let key: string | undefined;
        let right: Node | null | undefined;
        if (stmt?.type === 'expression_statement' && stmt.namedChildren[0]?.type === 'assignment') {
          const left = stmt.namedChildren[0].childForFieldName('left');
          key = left?.type === 'identifier' ? left.text : undefined;
          right = stmt.namedChildren[0].childForFieldName('right');
        } else if (stmt?.type === 'type_alias_statement') {
          const alias = typeAliasParts(stmt);
          key = alias?.name;
          right = alias?.value;
        }
        if (!key || !right) continue;
        if (seen.has(key)) this.aliasValues.delete(key);
        else this.aliasValues.set(key, right);
        seen.add(key);
      }
    }
    const value = this.aliasValues.get(name);
    // A local name of the same spelling hides the alias.
    const kind = value ? this.ctx.scope.lookup(name, at)?.scope.kind : undefined;
    if (kind && kind !== 'module') return undefined;
    return value;
  }

  /**
   * The annotation that declares what `expr` holds: a parameter's or an annotated name's,
   * `self.x`'s (annotated in its class), an item of a declared container (`x[k]`, `x.get(k)`),
   * a loop variable over one, a name unpacked from a declared tuple.
   */
  private declaredType(expr: Node, depth: number): Node | undefined {
    if (depth > 4) return undefined;
    switch (typeOf(expr)) {
      case 'identifier':
        return this.declaredTypeOfName(expr, depth);
      case 'attribute': {
        const object = field(expr, 'object');
        const attribute = field(expr, 'attribute');
        if (!object || !attribute || typeOf(object) !== 'identifier' || !/^(self|cls)$/.test(textOf(object))) return undefined;
        return this.attributeAnnotation(object, textOf(attribute));
      }
      case 'subscript': {
        const value = field(expr, 'value');
        return value ? this.declared.element(this.declaredType(value, depth + 1), 'item') : undefined;
      }
      case 'call': {
        const f = field(expr, 'function');
        const method = f && typeOf(f) === 'attribute' ? field(f, 'attribute') : null;
        const object = f && typeOf(f) === 'attribute' ? field(f, 'object') : null;
        if (!method || !object || !/^(get|pop)$/.test(textOf(method))) return undefined;
        return this.declared.element(this.declaredType(object, depth + 1), 'item');
      }
      default:
        return undefined;
    }
  }

  private declaredTypeOfName(id: Node, depth: number): Node | undefined {
    const found = this.ctx.scope.lookup(textOf(id), id);
    if (!found || found.bindings.length === 0) return undefined;
    // A declaration wins over the values assigned, as for a type checker.
    for (const b of found.bindings) {
      const annotation = parameterAnnotation(b.node);
      if (annotation) return annotation;
      const p = parentOf(b.node);
      if (p?.type === 'assignment' && field(p, 'left')?.id === b.node.id && field(p, 'type')) return field(p, 'type') ?? undefined;
    }
    if (found.bindings.length !== 1 || found.bindings[0].kind !== 'assign') return undefined;
    const target = found.bindings[0].node;
    const p = parentOf(target);
    if (!p) return undefined;
    const loop = (n: Node | null) => (n?.type === 'for_statement' || n?.type === 'for_in_clause') && n;
    // `for cb in handlers:`, `for cb in handlers.values():`.
    if (loop(p) && field(p, 'left')?.id === target.id) return this.iteratedElement(field(p, 'right'), depth);
    if (p.type === 'pattern_list' || p.type === 'tuple_pattern') {
      const index = p.namedChildren.findIndex((c) => c?.id === target.id);
      const owner = parentOf(p);
      if (index < 0 || !owner || field(owner, 'left')?.id !== p.id) return undefined;
      // `_, fn = self._jobs[name]`.
      if (owner.type === 'assignment') {
        const right = field(owner, 'right');
        return right ? this.declared.element(this.declaredType(right, depth + 1), { index }) : undefined;
      }
      if (loop(owner)) {
        const right = field(owner, 'right');
        // `for name, cb in handlers.items():`.
        const f = right && typeOf(right) === 'call' ? field(right, 'function') : null;
        if (f && typeOf(f) === 'attribute' && textOf(field(f, 'attribute')!) === 'items') {
          const object = field(f, 'object');
          return index === 1 && object ? this.declared.element(this.declaredType(object, depth + 1), 'values') : undefined;
        }
        return this.declared.element(this.iteratedElement(right, depth), { index });
      }
      return undefined;
    }
    // `fn = self._handlers[name]`.
    if (p.type === 'assignment' && field(p, 'left')?.id === target.id) {
      const right = field(p, 'right');
      return right ? this.declaredType(right, depth + 1) : undefined;
    }
    return undefined;
  }

  private iteratedElement(iterable: Node | null, depth: number): Node | undefined {
    if (!iterable) return undefined;
    const f = typeOf(iterable) === 'call' ? field(iterable, 'function') : null;
    if (f && typeOf(f) === 'attribute' && textOf(field(f, 'attribute')!) === 'values') {
      const object = field(f, 'object');
      return object ? this.declared.element(this.declaredType(object, depth + 1), 'values') : undefined;
    }
    return this.declared.element(this.declaredType(iterable, depth + 1), 'iter');
  }

  /** The annotation of `self.name` in the class around `self`: `name: T` in its body, or `self.name: T = ...` in a method. */
  private attributeAnnotation(self: Node, name: string): Node | undefined {
    const cls = enclosingClassNode(self);
    if (!cls) return undefined;
    let attributes = this.declaredAttributes.get(cls.id);
    if (!attributes) {
      attributes = new Map();
      const body = cls.childForFieldName('body');
      for (const a of body ? nodesOfType(body, 'assignment') : []) {
        const left = a.childForFieldName('left');
        // `self.loader = loader` with the parameter `loader: Callable[[str], Awaitable[int]]`.
        const type = a.childForFieldName('type') ?? (left?.type === 'attribute' ? this.assignedParameterAnnotation(a) : null);
        if (!type || !left) continue;
        let key: string | undefined;
        if (left.type === 'identifier' && a.parent?.parent?.id === body!.id) key = left.text;
        else if (left.type === 'attribute' && left.childForFieldName('object')?.text === 'self') key = left.childForFieldName('attribute')?.text;
        if (key && !attributes.has(key)) attributes.set(key, type);
      }
      this.declaredAttributes.set(cls.id, attributes);
    }
    return attributes.get(name);
  }

  /** The annotation of the parameter an assignment's right side names (`self.x = x` in a method with `x: T`). */
  private assignedParameterAnnotation(assignment: Node): Node | null {
    const right = assignment.childForFieldName('right');
    if (right?.type !== 'identifier') return null;
    let fn = assignment.parent;
    while (fn && fn.type !== 'function_definition') fn = fn.parent;
    const params = fn?.childForFieldName('parameters')?.namedChildren ?? [];
    const param = params.find((p) => (p?.type === 'typed_parameter' || p?.type === 'typed_default_parameter') && (p.type === 'typed_parameter' ? p.namedChildren[0] : p.childForFieldName('name'))?.text === right.text);
    return param?.childForFieldName('type') ?? null;
  }

  /**
   * Whether an expression holds a project coroutine function taken from a value rather than
   * named by its definition: an entry of a dispatch table (`HANDLERS[kind]`, `HANDLERS.get(kind)`,
   * a loop over `STEPS`), `functools.partial(fetch, url)`, or a name bound to one of these.
   */
  private heldCoroutineFunction(expr: Node, depth: number): boolean {
    if (depth > 3) return false;
    const type = typeOf(expr);
    if (type === 'subscript') return this.tableOfCoroutineFunctions(field(expr, 'value'));
    if (type === 'call') {
      const f = field(expr, 'function');
      const args = callArguments(expr);
      if (f && typeOf(f) === 'attribute' && textOf(field(f, 'attribute')!) === 'get') return this.tableOfCoroutineFunctions(field(f, 'object'));
      const r = f && (typeOf(f) === 'identifier' || typeOf(f) === 'attribute') ? this.ctx.scope.resolve(f) : undefined;
      if (r?.name === 'functools.partial') return !!args[0] && args[0].type !== 'keyword_argument' && this.isCoroutineFunctionRef(args[0]);
      // `reserve_async = sync_to_async(reserve)`.
      if (r && r.via !== 'unbound' && AWAITABLE_FUNCTION_FACTORIES.has(r.name)) return true;
      // `h = make_handler("> ")` with a factory of this file that returns its inner `async def`.
      const found = f && typeOf(f) === 'identifier' ? this.ctx.scope.lookup(textOf(f), f) : undefined;
      const def = found?.bindings.length === 1 && found.bindings[0].kind === 'def' ? found.bindings[0].node : undefined;
      if (def?.type === 'function_definition' && !isAsyncFunction(def) && returnsAsyncWrapper(def, 1)) return true;
      // `handler = getattr(self, f"on_{event}")`.
      return this.dispatchedByName(expr);
    }
    if (type !== 'identifier') return false;
    const found = this.ctx.scope.lookup(textOf(expr), expr);
    if (!found || found.bindings.length === 0) return false;
    // A loop variable reused by several loops: inside a loop's body, that loop's binding.
    const target = found.bindings.length === 1 ? found.bindings[0].node : this.ownLoopBinding(found.bindings, expr);
    if (!target) return false;
    const parent = parentOf(target);
    const value = found.bindings.length === 1 ? assignedValue(target) : null;
    if (value) return (value.type === 'subscript' || value.type === 'call') && this.heldCoroutineFunction(value, depth + 1);
    // `for step in STEPS: step()`, `for tool in TOOLS.values()`, `for name, tool in TOOLS.items()`.
    if (parent?.type === 'for_statement' && parent.childForFieldName('left')?.id === target.id) return this.iteratedTable(parent.childForFieldName('right'), false);
    const pair = parent?.type === 'pattern_list' || parent?.type === 'tuple_pattern' ? parent : null;
    const loop = pair ? parentOf(pair) : null;
    if (loop?.type === 'for_statement' && loop.childForFieldName('left')?.id === pair!.id && pair!.namedChildren.length === 2 && pair!.namedChildren[1]?.id === target.id) {
      return this.iteratedTable(loop.childForFieldName('right'), true);
    }
    return false;
  }

  /** The table a loop iterates: a list or tuple itself, a dict's `.values()` (or `.items()`, for `items`). */
  private iteratedTable(iterable: Node | null, items: boolean): boolean {
    if (!iterable) return false;
    const f = typeOf(iterable) === 'call' && callArguments(iterable).length === 0 ? field(iterable, 'function') : null;
    const method = f && typeOf(f) === 'attribute' ? field(f, 'attribute')?.text : undefined;
    if (method === (items ? 'items' : 'values')) return this.tableOfCoroutineFunctions(field(f!, 'object'), ['dictionary']);
    return !items && this.tableOfCoroutineFunctions(iterable, ['list', 'tuple']);
  }

  /**
   * Among a name's bindings, the loop variable of the `for` whose body holds `use`, when the name
   * is not bound again between that binding and the use.
   */
  private ownLoopBinding(bindings: readonly { node: Node }[], use: Node): Node | undefined {
    let own: Node | undefined;
    for (const b of bindings) {
      let left: Node | null = b.node;
      if (left.parent?.type === 'pattern_list' || left.parent?.type === 'tuple_pattern') left = left.parent;
      const loop = parentOf(left);
      const body = loop?.type === 'for_statement' && loop.childForFieldName('left')?.id === left.id ? loop.childForFieldName('body') : null;
      if (body && body.startIndex <= use.startIndex && use.endIndex <= body.endIndex && (!own || b.node.startIndex > own.startIndex)) own = b.node;
    }
    if (!own || bindings.some((b) => b.node.startIndex > own!.startIndex && b.node.startIndex < use.startIndex)) return undefined;
    return own;
  }

  /** A name bound once to a dict, list or tuple literal whose every value is a coroutine function (or a lambda calling one). */
  private tableOfCoroutineFunctions(expr: Node | null, kinds: readonly string[] = ['dictionary', 'list', 'tuple']): boolean {
    if (!expr || typeOf(expr) !== 'identifier') return false;
    const found = this.ctx.scope.lookup(textOf(expr), expr);
    if (!found || found.bindings.length !== 1) return false;
    const value = assignedValue(found.bindings[0].node);
    if (!value || !kinds.includes(value.type)) return false;
    const entries = value.namedChildren
      .filter((c): c is Node => !!c && c.type !== 'comment')
      .map((c) => (c.type === 'pair' ? c.childForFieldName('value') : c));
    if (entries.length === 0) return false;
    return entries.every((e) => {
      if (!e) return false;
      if (e.type === 'lambda') {
        const body = e.childForFieldName('body');
        const made = body?.type === 'call' ? this.awaitableCall(body) : undefined;
        return !!made && !made.generator && !made.library;
      }
      return (e.type === 'identifier' || e.type === 'attribute') && this.isCoroutineFunctionRef(e);
    });
  }

  /** How many module-level aliases (`fetch = _fetch_impl`) nameIsCoroutineFunction is following. */
  private aliasDepth = 0;

  /** A plain name called: a local/module `async def`, or an imported project coroutine function, or a module-level alias of one. */
  private nameIsCoroutineFunction(id: Node): boolean {
    const found = this.ctx.scope.lookup(id.text, id);
    if (!found || found.bindings.length === 0) return false;
    let bindings = found.bindings;
    // `@overload` signatures and their unannotated implementation: the signatures say what a call gives.
    const overloads = bindings.filter((b) => b.kind === 'def' && b.node.parent?.type === 'decorated_definition' && /@\s*(typing\.)?overload\b/.test(b.node.parent.text.slice(0, b.node.startIndex - b.node.parent.startIndex)));
    if (overloads.length > 0 && bindings.every((b) => overloads.includes(b) || (b.kind === 'def' && !b.node.childForFieldName('return_type')))) bindings = overloads;
    // Module-level definitions read inside a function, which runs after the module has loaded:
    // the last one wins (`from .api import fetch` then `async def fetch(...)` below it).
    else if (found.scope.kind === 'module' && bindings.length > 1 && this.ctx.scope.scopeAt(id).kind !== 'module' && bindings.every((b) => (b.kind === 'def' || b.kind === 'import') && topLevelStatement(b.node))) {
      bindings = [bindings.reduce((last, b) => (b.node.startIndex > last.node.startIndex ? b : last))];
    }
    let result: boolean | undefined;
    for (const b of bindings) {
      let isCoro: boolean;
      if (b.kind === 'def' && b.node.type === 'function_definition') {
        isCoro = this.defNodeIsCoroutine(b.node);
      } else if (b.kind === 'import') {
        const target = this.importedMember(id, b.node);
        // `from .services import reserve_async` with `reserve_async = sync_to_async(reserve)` there.
        isCoro =
          target?.kind === 'function'
            ? this.functionIsCoroutine(target.fn, target.module)
            : target?.kind === 'instance' && AWAITABLE_FUNCTION_FACTORIES.has(importedName(target.ctor, target.module) ?? '');
      } else if (b.kind === 'assign' && found.scope.kind === 'module' && bindings.length === 1) {
        // `fetch = _fetch_impl` at module level: the function it is another name for.
        const right = b.node.parent?.type === 'assignment' && b.node.parent.childForFieldName('left')?.id === b.node.id ? b.node.parent.childForFieldName('right') : null;
        if (right?.type !== 'identifier' || right.text === id.text || this.aliasDepth > 4) return false;
        this.aliasDepth++;
        try {
          isCoro = this.nameIsCoroutineFunction(right);
        } finally {
          this.aliasDepth--;
        }
      } else {
        return false;
      }
      // Every binding must agree (a name redefined sync elsewhere is ambiguous).
      if (result !== undefined && result !== isCoro) return false;
      result = isCoro;
    }
    return result === true;
  }

  private defNodeIsCoroutine(def: Node): boolean {
    const isAsync = isAsyncFunction(def);
    const decorated = def.parent?.type === 'decorated_definition' ? def.parent : null;
    const decorators = decorated ? decorated.namedChildren.filter((c): c is Node => c?.type === 'decorator') : [];
    // `@sync_to_async def load(pk): ...`: calling it makes a coroutine.
    if (!isAsync && decorators.some((d) => MAKES_COROUTINE_FUNCTION.test(decoratorTarget(d)?.text.replace(/\s+/g, '') ?? ''))) return true;
    if (!isAsync && !annotatedCoroutine(def)) return false;
    if (!decorators.every((d) => this.localDecoratorKeepsAsync(d))) {
      // A module-level function: the summary's view of its decorators (type-preserving
      // decorators of this file, methods of module-level instances, imported ones).
      const top = (decorated ?? def).parent?.type === 'module';
      const summary = top ? this.here.functions.get(def.childForFieldName('name')?.text ?? '') : undefined;
      if (!summary || !this.functionIsCoroutine(summary, this.here)) return false;
    }
    if (!isAsync) return true;
    let generator = this.generatorDefs.get(def.id);
    if (generator === undefined) this.generatorDefs.set(def.id, (generator = yieldsInOwnBody(def)));
    this.matchedGenerator = generator;
    this.matchedAbstract = def.parent?.parent?.type === 'class_definition' || def.parent?.parent?.parent?.type === 'class_definition' ? isAbstractStub(def) : false;
    return true;
  }

  private localDecoratorKeepsAsync(decorator: Node): boolean {
    const expr = decoratorTarget(decorator);
    if (!expr || (expr.type !== 'identifier' && expr.type !== 'attribute')) return false;
    const known = (name: string) => decoratorsKeepAsync([name], () => undefined);
    if (known(expr.text.replace(/\s+/g, ''))) return true;
    const resolved = this.ctx.scope.resolve(expr);
    if (resolved && known(resolved.name)) return true;
    if (expr.type !== 'identifier') return false;
    // A decorator defined in this file or imported from the project that returns an async wrapper.
    const found = this.ctx.scope.lookup(expr.text, expr);
    const b = found?.bindings.length === 1 ? found.bindings[0] : undefined;
    if (b?.kind === 'def' && b.node.type === 'function_definition') return returnsAsyncWrapper(b.node, 2) || returnsItsArgument(b.node, 2) || returnsPassThroughWrapper(b.node, 2);
    if (b?.kind === 'import') {
      const binding = importedBinding(b.node, expr.text);
      if (binding?.name) {
        const target = this.projectMember(binding.module, binding.level, binding.name, 0);
        return target?.kind === 'function' && target.fn.wrapsAsync;
      }
    }
    return false;
  }

  /** Whether a summarised function is a coroutine function once its decorators are applied. */
  private functionIsCoroutine(fn: FunctionSummary, module: ModuleSummary): boolean {
    if (!fn.isAsync && fn.decorators.some((d) => MAKES_COROUTINE_FUNCTION.test(d))) return true;
    if (!fn.isAsync && !fn.returnsCoroutine) return false;
    const keeps = decoratorsKeepAsync(fn.decorators, (dotted) => {
      const found = qualifiedThroughImports(dotted, module, false);
      if (found) {
        const imp = found.binding;
        if (decoratorsKeepAsync([found.name], () => undefined)) return 'preserving';
        if (!imp.name) return undefined;
        const target = this.projectMember(imp.module, imp.level, imp.name, 0, module.path);
        if (target?.kind === 'function' && !dotted.includes('.')) return target.fn;
        // `@parser.quoted(1)` with `parser = ArgParser()` in the project: the method's summary.
        if (target?.kind === 'instance') return this.instanceMethod(target.ctor, target.module, dotted);
        return undefined;
      }
      const ctor = module.instances.get(dotted.split('.')[0]);
      if (ctor) return this.instanceMethod(ctor, module, dotted);
      return module.functions.get(dotted);
    });
    if (keeps) {
      this.matchedGenerator = fn.isGenerator;
      this.matchedAbstract = !!fn.abstractStub;
    }
    return keeps;
  }

  /** The method `dotted` (`instance.method`) names, on an instance made by `ctor` in `module`. */
  private instanceMethod(ctor: string, module: ModuleSummary, dotted: string): FunctionSummary | undefined {
    const parts = dotted.split('.');
    if (parts.length !== 2) return undefined;
    const cls = this.classInModule(ctor, module);
    return cls ? this.findMethod(cls.cls, cls.module, parts[1], 0)?.fn : undefined;
  }

  /** Resolves `module.member` (following re-exports) to a function, class or class instance of the project. */
  private projectMember(
    module: string,
    level: number,
    member: string,
    hops: number,
    fromFile: string = this.ctx.filePath,
  ):
    | { kind: 'function'; fn: FunctionSummary; module: ModuleSummary }
    | { kind: 'class'; cls: ClassSummary; module: ModuleSummary }
    | { kind: 'instance'; ctor: string; module: ModuleSummary; name: string }
    | { kind: 'alias'; cls: string; module: ModuleSummary }
    | undefined {
    if (hops > MAX_HOPS) return undefined;
    const file = this.ctx.project.resolveModule(fromFile, module, level);
    if (!file) return undefined;
    const summary = this.ctx.project.summary(file);
    if (!summary) return undefined;
    return this.memberOfModule(file, summary, member, hops);
  }

  /** `member` of a module of the project, read in its summary (see projectMember). */
  private memberOfModule(file: string, summary: ModuleSummary, member: string, hops: number): ReturnType<AwaitableResolver['projectMember']> {
    if (hops > MAX_HOPS) return undefined;
    const fn = summary.functions.get(member);
    if (fn) return { kind: 'function', fn, module: summary };
    const cls = summary.classes.get(member);
    if (cls) return { kind: 'class', cls, module: summary };
    const ctor = summary.instances.get(member);
    if (ctor) return { kind: 'instance', ctor, module: summary, name: member };
    const alias = summary.typeAliases.get(member);
    if (alias) return { kind: 'alias', cls: alias, module: summary };
    const reexport = summary.imports.get(member);
    if (reexport?.name) return this.projectMember(reexport.module, reexport.level, reexport.name, hops + 1, file);
    if (reexport && !reexport.name) return undefined;
    // `from .payments import *` in a package's `__init__.py`: the member of the module it names.
    const star = summary.otherBindings.has(member) ? undefined : this.ctx.project.starImportOf(file, summary, member);
    if (star) return this.projectMember(star.module, star.level, member, hops + 1, file);
    // `fetch = _fetch_impl`: the function the name is another name for.
    const aliased = summary.functionAliases.get(member);
    if (aliased) return this.memberOfModule(file, summary, aliased, hops + 1);
    // `from pkg import submodule` is a module, not a member.
    return undefined;
  }

  /**
   * `pkg.mod.f` (a qualified name from an import): true/false when it names a project function,
   * undefined when it is not a project function at all.
   */
  private projectFunctionByQualifiedName(qualified: string): boolean | undefined {
    const level = /^\.*/.exec(qualified)![0].length;
    const parts = qualified.slice(level).split('.');
    for (let split = parts.length - 1; split >= 1; split--) {
      const module = parts.slice(0, split).join('.');
      const rest = parts.slice(split);
      if (rest.length === 1) {
        const target = this.projectMember(module, level, rest[0], 0);
        if (target?.kind === 'function') return this.functionIsCoroutine(target.fn, target.module);
        // `reserve_async = sync_to_async(reserve)` in that module.
        if (target?.kind === 'instance' && AWAITABLE_FUNCTION_FACTORIES.has(importedName(target.ctor, target.module) ?? '')) return true;
        if (target) return undefined;
      } else if (rest.length === 2) {
        const target = this.projectMember(module, level, rest[0], 0);
        if (target?.kind === 'class') {
          const m = this.findMethod(target.cls, target.module, rest[1], 0);
          if (m && m.fn.kind !== 'instance') return this.functionIsCoroutine(m.fn, m.module);
          return undefined;
        }
      }
    }
    return undefined;
  }

  private findMethod(cls: ClassSummary, module: ModuleSummary, name: string, depth: number): { fn: FunctionSummary; module: ModuleSummary } | undefined {
    return this.inClassOrBases(cls, module, depth, (c, m) => {
      const own = c.methods.get(name);
      return own ? { fn: own, module: m } : undefined;
    });
  }

  /**
   * The first answer `own` gives for a class or one of its project base classes, in Python's
   * method resolution order (null: that class decides there is none, and the classes after it
   * are not asked).
   */
  private inClassOrBases<T>(cls: ClassSummary, module: ModuleSummary, depth: number, own: (c: ClassSummary, m: ModuleSummary) => T | null | undefined): T | undefined {
    for (const entry of this.mro(cls, module, depth)) {
      const found = own(entry.cls, entry.module);
      if (found !== undefined) return found ?? undefined;
    }
    return undefined;
  }

  /**
   * A project class and its project bases in C3 order (`class D(B, C)` with `B(A)`, `C(A)`: D, B,
   * C, A), so a diamond finds the override in C before A's method. Library bases are left out;
   * an order C3 cannot give (Python rejects such a class) falls back to depth first.
   */
  private mro(cls: ClassSummary, module: ModuleSummary, depth: number): MroEntry[] {
    const cached = this.mroCache.get(cls);
    if (cached) return cached;
    const self: MroEntry = { cls, module };
    let result = [self];
    if (depth <= MAX_HOPS) {
      // Placeholder against cycles (`class A(B)`, `class B(A)` across modules).
      this.mroCache.set(cls, result);
      const bases = cls.bases.map((b) => this.classInModule(b, module)).filter((b): b is MroEntry => !!b && b.cls !== cls);
      const lists = [...bases.map((b) => this.mro(b.cls, b.module, depth + 1)), bases];
      const merged = c3Merge(lists.map((l) => l.slice()));
      result = [self, ...(merged ?? dedupe(lists.flat()))].filter((e, i) => i === 0 || e.cls !== cls);
    }
    this.mroCache.set(cls, result);
    return result;
  }

  /** A class named (as written) inside `module`: defined there or imported into it from the project. */
  private classInModule(written: string, module: ModuleSummary): { cls: ClassSummary; module: ModuleSummary } | undefined {
    const local = written.includes('.') ? undefined : module.classes.get(written);
    if (local) return { cls: local, module };
    const t = this.memberImportedInto(written, module, true);
    return t?.kind === 'class' ? { cls: t.cls, module: t.module } : undefined;
  }

  /**
   * The project member a name written in `module` refers to through its imports: `Repo` with
   * `from .repos import Repo`, `repos.Repo` with `from . import repos`. `typeOnly`: imports
   * under `if TYPE_CHECKING:` count too (for names used in annotations).
   */
  private memberImportedInto(written: string, module: ModuleSummary, typeOnly: boolean): ReturnType<AwaitableResolver['projectMember']> {
    const parts = written.split('.');
    let imp = module.imports.get(parts[0]) ?? (typeOnly ? module.typeImports.get(parts[0]) : undefined);
    // `from app.clients import *` binding `Shipper` (not bound in the module otherwise).
    if (!imp && module.starImports.length && !module.functions.has(parts[0]) && !module.classes.has(parts[0]) && !module.otherBindings.has(parts[0])) {
      const star = this.ctx.project.starImportOf(module.path, module, parts[0]);
      if (star) imp = { module: star.module, level: star.level, name: parts[0] };
    }
    if (!imp) return undefined;
    if (parts.length === 1) return imp.name ? this.projectMember(imp.module, imp.level, imp.name, 0, module.path) : undefined;
    const base = imp.name ? `${imp.module ? `${imp.module}.` : ''}${imp.name}` : imp.module;
    return this.projectMember([base, ...parts.slice(1, -1)].join('.'), imp.level, parts[parts.length - 1], 0, module.path);
  }


  /** A project function named as written in `module` (`build_http`, `factories.build_http`), defined there or imported. */
  private functionInModule(written: string, module: ModuleSummary): { fn: FunctionSummary; module: ModuleSummary } | undefined {
    const local = written.includes('.') ? undefined : module.functions.get(written);
    if (local) return { fn: local, module };
    const t = this.memberImportedInto(written, module, false);
    return t?.kind === 'function' ? { fn: t.fn, module: t.module } : undefined;
  }


  /** The class a name refers to at `at` (project class or library class), if it names one. */
  private classByName(written: string, at: Node): KnownClass | undefined {
    const head = written.split('.')[0];
    const found = this.ctx.scope.lookup(head, at);
    if (found && found.bindings.every((b) => b.kind === 'class') && !written.includes('.')) {
      const cls = this.here.classes.get(written);
      return cls ? { kind: 'project', summary: cls, module: this.here } : undefined;
    }
    const project = this.classInModule(written, this.here);
    if (project) return { kind: 'project', summary: project.cls, module: project.module };
    return undefined;
  }

  /** Library class name for a constructor/factory expression, resolved through imports. */
  private libraryClassOf(expr: Node): string | undefined {
    if (expr.type !== 'identifier' && expr.type !== 'attribute') return undefined;
    const r = this.ctx.scope.resolve(expr);
    // Well-known async libraries are recognised even when a snippet omits their import.
    if (!r || !knownName(r) || this.shadowedByProject(r.name)) return undefined;
    return knownLibraryClass(r.name);
  }

  /**
   * The library class a receiver is an instance of, among those `wanted` accepts: its own class,
   * or a library base class of its project class (`art.save()` on a Django model).
   */
  libraryClassOfReceiver(receiver: Node, wanted: (libraryClass: string) => boolean): string | undefined {
    const cls = this.classOfReceiver(receiver);
    if (!cls) return undefined;
    if (cls.kind === 'library') return wanted(cls.name) ? cls.name : undefined;
    return this.inLibraryBases(cls.summary, cls.module, (lib) => (wanted(lib) ? lib : undefined));
  }

  /** The class a receiver names as a class object: `Banner`, `models.Banner` (`self.x` is no class). */
  private classObject(expr: Node): KnownClass | undefined {
    let head = expr;
    while (typeOf(head) === 'attribute') head = field(head, 'object')!;
    if (typeOf(head) !== 'identifier' || textOf(head) === 'self' || textOf(head) === 'cls') return undefined;
    if (expr !== head && !/^[\w.]+$/.test(textOf(expr))) return undefined;
    return this.classByName(textOf(expr), expr);
  }

  /** Whether a project class is a Django model. */
  private isDjangoModel(cls: KnownClass & { kind: 'project' }): boolean {
    return !!this.inLibraryBases(cls.summary, cls.module, (lib) => (lib === DJANGO_MODEL ? true : undefined));
  }

  /**
   * A custom manager of a Django model, declared in its body (or a base's): `live = LiveManager()`
   * with `class LiveManager(models.Manager)`, `objects = PublishedQuerySet.as_manager()`,
   * `objects = models.Manager.from_queryset(PublishedQuerySet)()`.
   */
  /**
   * A plain method of one of the model's custom QuerySet or Manager classes (`objects =
   * ProductQuerySet.as_manager()`, `live = LiveManager()`, `Manager.from_queryset(QS)()`) that
   * returns a queryset: `return self.filter(...)`, another chain on `self`, or `self`.
   */
  private customQuerySetMethod(model: KnownClass & { kind: 'project' }, method: string): boolean {
    if (method.startsWith('_') || DJANGO_QUERY_NAMES.has(method)) return false;
    for (const callee of model.summary.classCalls.values()) {
      const written = callee.replace(/\.as_manager$/, '');
      const cls = this.classFromText(written, model.module);
      if (cls?.kind !== 'project') continue;
      const m = this.findMethod(cls.summary, cls.module, method, 0);
      if (m && !m.fn.isAsync && m.fn.kind === 'instance' && m.fn.returnsSelfChain) return true;
    }
    return false;
  }

  private customManager(model: KnownClass & { kind: 'project' }, name: string): boolean {
    if (!this.isDjangoModel(model)) return false;
    const made = this.inClassOrBases(model.summary, model.module, 0, (c, m) => {
      const callee = c.classCalls.get(name);
      return callee === undefined ? undefined : callee ? { callee, module: m } : null;
    });
    if (!made) return false;
    if (/(^|\.)(as_manager|from_queryset)$/.test(made.callee)) return true;
    const cls = this.classFromText(made.callee, made.module);
    if (!cls) return false;
    if (cls.kind === 'library') return cls.name === DJANGO_MANAGER;
    return !!this.inLibraryBases(cls.summary, cls.module, (lib) => (lib === DJANGO_MANAGER ? true : undefined));
  }

  /**
   * A forward relation of a Django model (`customer = models.ForeignKey(Customer, ...)`, a
   * `OneToOneField`): the related model's class, and whether the field is declared `null=True`.
   */
  private djangoRelation(owner: KnownClass & { kind: 'project' }, name: string): { target: KnownClass & { kind: 'project' }; nullable: boolean } | undefined {
    if (name.startsWith('_') || !this.isDjangoModel(owner)) return undefined;
    const found = this.declaredRelation(owner, name);
    if (!found || found.r.kind === 'ManyToManyField') return undefined;
    // `"shop.Customer"` (app label and model) names the class `Customer`, imported or declared there.
    const target = this.relationTarget(owner, found.r.target, found.m);
    return target ? { target, nullable: found.r.nullable } : undefined;
  }

  /**
   * The model a related manager of an instance gives rows of: a `ManyToManyField`'s target
   * (`order.tags`), the model declaring a relation with this `related_name` (`order.items` with
   * `order = ForeignKey(Order, related_name="items")` on OrderItem) or named by `<model>_set`,
   * in the owner's module or this one.
   */
  private relatedModel(owner: KnownClass & { kind: 'project' }, name: string): (KnownClass & { kind: 'project' }) | undefined {
    if (name.startsWith('_') || !this.relatedManager(owner, name)) return undefined;
    const forward = this.declaredRelation(owner, name);
    if (forward) return forward.r.kind === 'ManyToManyField' ? this.relationTarget(owner, forward.r.target, forward.m) : undefined;
    const found: (KnownClass & { kind: 'project' })[] = [];
    for (const module of new Set([owner.module, this.here])) {
      for (const cls of module.classes.values()) {
        const known: KnownClass & { kind: 'project' } = { kind: 'project', summary: cls, module };
        const declares = name.endsWith('_set')
          ? cls.name.toLowerCase() === name.slice(0, -4) && [...(cls.relations?.values() ?? [])].some((r) => !r.relatedName && this.relationTarget(known, r.target, module)?.summary === owner.summary)
          : [...(cls.relations?.values() ?? [])].some((r) => r.relatedName === name && this.relationTarget(known, r.target, module)?.summary === owner.summary);
        if (declares && this.isDjangoModel(known) && !found.some((f) => f.summary === cls)) found.push(known);
      }
    }
    return found.length === 1 ? found[0] : undefined;
  }

  /** The relation field `name` declared by a model or its bases (not hidden by another attribute there), with the module declaring it. */
  private declaredRelation(owner: KnownClass & { kind: 'project' }, name: string): { r: DjangoRelation; m: ModuleSummary } | undefined {
    return this.inClassOrBases(owner.summary, owner.module, 0, (c, m) => {
      const r = c.relations?.get(name);
      return r ? { r, m } : c.classCalls.has(name) ? null : undefined;
    });
  }

  /** The model a relation field names (`Customer`, `"Customer"`, `"shop.Customer"`, `"self"`), declared in `module`'s class `owner`. */
  private relationTarget(owner: KnownClass & { kind: 'project' }, written: string, module: ModuleSummary): (KnownClass & { kind: 'project' }) | undefined {
    if (written === 'self') return owner;
    let target = this.classFromText(written, module);
    if (!target && /^\w+\.\w+$/.test(written)) target = this.classFromText(written.split('.').pop()!, module);
    return target?.kind === 'project' && this.isDjangoModel(target) ? target : undefined;
  }

  /**
   * A forward relation read on a model instance (`order.customer`): the related model, whether
   * the field may be null, and the field's name. For the lazy-load check of the blocking rule.
   */
  djangoForwardRelation(expr: Node): { target: KnownClass & { kind: 'project' }; nullable: boolean } | undefined {
    if (expr.type !== 'attribute') return undefined;
    const object = expr.childForFieldName('object');
    const name = expr.childForFieldName('attribute')?.text ?? '';
    const owner = object ? this.classOfReceiver(object) : undefined;
    return owner?.kind === 'project' ? this.djangoRelation(owner, name) : undefined;
  }

  /** The project Django model a receiver is an instance of (`art` for `art = await Article.objects.aget(...)`). */
  djangoInstanceModel(receiver: Node): (KnownClass & { kind: 'project' }) | undefined {
    const cls = this.classOfReceiver(receiver);
    return cls?.kind === 'project' && this.isDjangoModel(cls) ? cls : undefined;
  }

  /** Whether validating a model (or the listed fields of it) checks values against the database: unique fields, relations. */
  djangoValidationQueries(model: KnownClass & { kind: 'project' }, fields?: readonly string[]): boolean {
    return !!this.inClassOrBases(model.summary, model.module, 0, (c) => (c.dbValidatedFields?.some((f) => !fields || fields.includes(f)) ? true : undefined));
  }

  /**
   * A receiver that is an instance of a project ModelForm or DRF ModelSerializer (`form =
   * ProductForm(request.POST)`): which, its `Meta.model`, `Meta.fields` when listed, and whether
   * the class (or a project base) defines one of the given methods itself.
   */
  djangoModelFormOf(receiver: Node, own: readonly string[]): { kind: 'form' | 'serializer' | 'plain-serializer'; model?: KnownClass & { kind: 'project' }; fields?: string[]; overrides: boolean } | undefined {
    const cls = this.classOfReceiver(receiver);
    if (cls?.kind !== 'project') return undefined;
    const kind = this.inClassOrBases(cls.summary, cls.module, 0, (c, m) => {
      for (const base of c.bases) {
        if (this.classInModule(base, m)) continue;
        const q = qualifiedThroughImports(base, m, true)?.name ?? '';
        if (/^django\.forms\.(models\.)?ModelForm$/.test(q)) return 'form' as const;
        if (/^rest_framework\.serializers\.(Hyperlinked)?ModelSerializer$/.test(q)) return 'serializer' as const;
        if (/^rest_framework\.serializers\.(Serializer|ListSerializer)$/.test(q)) return 'plain-serializer' as const;
      }
      return undefined;
    });
    if (!kind) return undefined;
    if (kind === 'plain-serializer') return { kind, overrides: false };
    const meta = this.inClassOrBases(cls.summary, cls.module, 0, (c, m) => (c.meta ? { meta: c.meta, m } : undefined));
    const model = meta ? this.classFromText(meta.meta.model, meta.m) : undefined;
    const overrides = own.some((name) => !!this.findMethod(cls.summary, cls.module, name, 0));
    return { kind, model: model?.kind === 'project' && this.isDjangoModel(model) ? model : undefined, fields: meta?.meta.fields, overrides };
  }

  /**
   * A related manager on an instance of a Django model: `author.book_set`, a `ManyToManyField`
   * of the model (`article.tags`), or the `related_name` of a relation declared in the model's
   * module or this one (`product.reviews` with `ForeignKey(Product, related_name="reviews")`).
   */
  private relatedManager(owner: KnownClass & { kind: 'project' }, name: string): boolean {
    if (name.startsWith('_') || !this.isDjangoModel(owner)) return false;
    const field = this.inClassOrBases(owner.summary, owner.module, 0, (c) => c.classCalls.get(name) ?? undefined);
    if (field !== undefined) return /(^|\.)ManyToManyField$/.test(field);
    if (this.findMethod(owner.summary, owner.module, name, 0)) return false;
    if (name.endsWith('_set')) return true;
    return this.relatedNameNear(owner.module, name);
  }

  /**
   * Whether `name` is a `related_name` declared in the model's module, this module, or the modules
   * of the classes this module imports (`from .models import Review` for `product.reviews`).
   */
  private relatedNameNear(modelModule: ModuleSummary, name: string): boolean {
    if (relatedNamesIn(modelModule).includes(name)) return true;
    if (!this.importedRelatedNames) {
      const names = new Set(relatedNamesIn(this.here));
      const seen = new Set<ModuleSummary>([this.here]);
      for (const [local, imp] of this.here.imports) {
        const found = imp.name ? this.classInModule(local, this.here) : undefined;
        if (!found || seen.has(found.module)) continue;
        seen.add(found.module);
        for (const n of relatedNamesIn(found.module)) names.add(n);
      }
      this.importedRelatedNames = names;
    }
    return this.importedRelatedNames.has(name);
  }

  /** The class of the value a receiver expression holds, when it can be known for sure. */
  classOfReceiver(receiver: Node, depth = 0): KnownClass | undefined {
    const type = typeOf(receiver);
    // `type(self)`: the instance's class (a subclass may override, as for `self`).
    if (typeOfSelf(receiver)) return this.classOfReceiver(callArguments(receiver)[0], depth + 1);
    if (type === 'identifier') {
      const name = textOf(receiver);
      if (name === 'self' || name === 'cls') {
        const cls = this.enclosingClass(receiver);
        if (cls) return { kind: 'project', summary: cls, module: this.here };
      }
      const asClass = this.classByName(name, receiver);
      if (asClass) return asClass;
      const narrowed = this.isinstanceClass(receiver);
      if (narrowed) return narrowed;
      const found = this.ctx.scope.lookup(name, receiver);
      if (!found || found.bindings.length === 0) return undefined;
      if (found.bindings.length === 1 && found.bindings[0].kind === 'import') {
        // `from .services import cache`: a module-level instance of another module.
        return this.instanceClass(this.importedMember(receiver, found.bindings[0].node));
      }
      if (found.bindings.length === 1) return this.classOfBinding(found.bindings[0].node);
      // `_default: AsyncLLM | None = None` at module level, rebound further down (`global _default`,
      // `_default = AsyncLLM()`): the class it is declared with, when one declaration says it.
      const declared = this.declaredClass(found.bindings.map((b) => b.node));
      if (declared) return declared;
      // A loop variable reused by several loops: inside a loop's body, that loop's binding.
      let own: Node | undefined;
      for (const b of found.bindings) {
        const loop = parentOf(b.node);
        const body = loop?.type === 'for_statement' && loop.childForFieldName('left')?.id === b.node.id ? loop.childForFieldName('body') : null;
        if (body && body.startIndex <= receiver.startIndex && receiver.endIndex <= body.endIndex && (!own || b.node.startIndex > own.startIndex)) own = b.node;
      }
      // Not when the name is bound again between the loop's own binding and the use.
      if (!own || found.bindings.some((b) => b.node.startIndex > own!.startIndex && b.node.startIndex < receiver.startIndex)) return undefined;
      return this.classOfBinding(own);
    }
    if (type === 'attribute') {
      // `self.core.command`: what the attribute holds, per the summary of the owner's class.
      const object = field(receiver, 'object');
      const attribute = field(receiver, 'attribute');
      if (!object || !attribute || depth >= MAX_HOPS) return undefined;
      const name = textOf(attribute);
      const classObject = this.classObject(object);
      if (classObject?.kind === 'project') {
        // A class object's own attributes are class variables, not what instances hold; only
        // those a library base class declares are known (`Article.objects` of a Django model),
        // and a model's custom managers (`Banner.live`).
        const held = this.inLibraryBases(classObject.summary, classObject.module, (lib) => LIBRARY_ATTRIBUTES[lib]?.[name]);
        if (held) return { kind: 'library', name: held };
        return this.customManager(classObject, name) ? { kind: 'library', name: DJANGO_MANAGER } : undefined;
      }
      // `User.objects` with Django's own `User` imported: its default manager.
      if (!classObject && typeOf(object) === 'identifier' && this.libraryClassOf(object) === DJANGO_MODEL) return this.libraryAttribute(DJANGO_MODEL, name);
      // `entry.runtime_data` of a Home Assistant `ConfigEntry[RuntimeData]`, `ctx.deps` of a pydantic-ai `RunContext[Deps]`.
      if (DECLARED_GENERIC_NAMES.has(name)) {
        // `ctx.request_context.lifespan_context`: a path of attributes from the declared value.
        const through = typeOf(object) === 'attribute' ? field(object, 'object') : null;
        const data = this.declaredGenericAttribute(object, name) ?? (through ? this.declaredGenericAttribute(through, `${textOf(field(object, 'attribute')!)}.${name}`) : undefined);
        if (data) return data;
      }
      const owner = this.classOfReceiver(object, depth + 1);
      if (owner?.kind === 'library') {
        const held = this.libraryAttribute(owner.name, name);
        // `user.order_set`, `user.orders` on Django's own user model: a related manager of a project model.
        if (!held && owner.name === DJANGO_MODEL && !name.startsWith('_') && (name.endsWith('_set') || this.relatedNameNear(this.here, name))) return { kind: 'library', name: DJANGO_MANAGER };
        return held;
      }
      if (owner?.kind !== 'project') {
        // `services.cache` with `from . import services`: a module-level instance of that module.
        const r = !owner && typeOf(object) === 'identifier' ? this.ctx.scope.resolve(receiver) : undefined;
        return r?.via === 'import' ? this.instanceClass(this.memberByImportedName(r.name)) : undefined;
      }
      const held = this.findAttribute(owner.summary, owner.module, name, 0);
      if (held?.cls.startsWith('selfcall:')) return this.builtFromAttribute(owner, held.cls, depth);
      if (held?.cls.startsWith('stub:self:')) {
        // A generated gRPC stub over another attribute of the instance: a grpc.aio one when that is a grpc.aio channel.
        const channel = this.findAttribute(owner.summary, owner.module, held.cls.slice('stub:self:'.length), 0);
        const channelClass = channel && !/^(stub|selfcall|call|items|values):/.test(channel.cls) ? this.classFromText(channel.cls, channel.module) : undefined;
        return channelClass?.kind === 'library' && channelClass.name === 'grpc.aio.Channel' ? { kind: 'library', name: GRPC_AIO_STUB } : undefined;
      }
      if (held) return this.classFromText(held.cls, held.module);
      // A property (or cached property) annotated with the class it gives.
      const property = this.findMethod(owner.summary, owner.module, name, 0);
      if (property && property.fn.returns && property.fn.decorators.some((d) => /(^|\.)(property|cached_property)$/.test(d))) return this.classFromText(property.fn.returns, property.module);
      const inherited = this.inLibraryBases(owner.summary, owner.module, (lib) => LIBRARY_ATTRIBUTES[lib]?.[name]);
      if (inherited) return { kind: 'library', name: inherited };
      // `line.category` with `category = models.ForeignKey(Category, ...)`: an instance of Category.
      const related = property ? undefined : this.djangoRelation(owner, name);
      if (related) return related.target;
      if (!property && this.relatedManager(owner, name)) return { kind: 'library', name: DJANGO_MANAGER };
      return this.genericBaseAttribute(owner.summary, owner.module, name);
    }
    // `(await current(request)).orders`: what the awaited call gives.
    if (type === 'parenthesized_expression') {
      const inner = receiver.namedChildren.find((c) => c?.type !== 'comment');
      return inner && depth < MAX_HOPS ? this.classOfReceiver(inner, depth + 1) : undefined;
    }
    if (type === 'await') {
      const call = receiver.namedChildren[0];
      const fn = call?.type === 'call' ? field(call, 'function') : null;
      return fn ? (this.awaitedResult(fn) ?? this.awaitedProjectResult(call!)) : undefined;
    }
    if (type === 'subscript') {
      // `request.app[db_key]` with `db_key = web.AppKey("db", asyncpg.Pool)`: what the typed key holds.
      const keyed = this.subscriptHeld(receiver);
      if (keyed) return this.classFromText(keyed.cls, keyed.module);
      // `client["shop"]["orders"]` on a Mongo client.
      const object = field(receiver, 'value');
      const owner = object && depth < MAX_HOPS ? this.classOfReceiver(object, depth + 1) : undefined;
      // `services["api"]` on a TypedDict of the project: the class its key is declared with.
      const key = field(receiver, 'subscript');
      const literal = key?.type === 'string' ? /^["']([A-Za-z_]\w*)["']$/.exec(textOf(key))?.[1] : undefined;
      if (owner?.kind === 'project' && literal && owner.summary.bases.some((b) => /(^|\.)TypedDict$/.test(b))) {
        const held = this.findAttribute(owner.summary, owner.module, literal, 0);
        return held ? this.classFromText(held.cls, held.module) : undefined;
      }
      const held = owner?.kind === 'library' ? LIBRARY_ATTRIBUTES[owner.name]?.['[]'] : undefined;
      if (held) return { kind: 'library', name: held };
      // `message.reactions[0]`, `update.message.photo[-1]`: an item of a library object's collection (see ITERATED_ATTRIBUTES).
      if (object?.type === 'attribute' && key && key.type !== 'slice' && depth < MAX_HOPS) {
        const collection = field(object, 'object');
        const holder = collection ? this.classOfReceiver(collection, depth + 1) : undefined;
        const item = holder?.kind === 'library' ? ITERATED_ATTRIBUTES[holder.name]?.[field(object, 'attribute')?.text ?? ''] : undefined;
        if (item) return { kind: 'library', name: item };
      }
      return undefined;
    }
    if (type === 'call') {
      // `asyncio.get_running_loop().run_in_executor(...)`, `Repo().get()`.
      const fn = field(receiver, 'function');
      if (!fn) return undefined;
      return depth < MAX_HOPS ? this.classOfCallResult(fn, receiver) : undefined;
    }
    return undefined;
  }

  /**
   * `selfcall:_redis:pubsub`, what an attribute holds when the class sets it to `self._redis.pubsub()`:
   * what that builder of the other attribute's library class gives, or that project method's return annotation.
   */
  private builtFromAttribute(owner: KnownClass & { kind: 'project' }, written: string, depth: number): KnownClass | undefined {
    const [, source, method] = written.split(':');
    if (depth >= MAX_HOPS) return undefined;
    const held = this.findAttribute(owner.summary, owner.module, source, 0);
    if (!held || held.cls.startsWith('selfcall:')) return undefined;
    const sourceClass = this.classFromText(held.cls, held.module);
    if (sourceClass?.kind === 'library') {
      const result = callMethodResult(sourceClass.name, method);
      return result ? { kind: 'library', name: result } : undefined;
    }
    if (sourceClass?.kind !== 'project') return undefined;
    const m = this.findMethod(sourceClass.summary, sourceClass.module, method, 0);
    return m && !m.fn.isAsync && m.fn.returns ? this.classFromText(m.fn.returns, m.module) : undefined;
  }

  /**
   * What a subscript holds, as annotationText writes it (`asyncpg.Pool`, `items:X` for a container):
   * an entry of aiohttp's application state under a typed key (`app[db_key]`, `request.app[keys.db_key]`,
   * `request.config_dict[db_key]`, with `db_key = web.AppKey("db", asyncpg.Pool)` in this module or
   * another of the project), or the value of an attribute declared as a mapping
   * (`self.rooms[room]` with `self.rooms: dict[str, set[WebSocketResponse]]`).
   */
  private subscriptHeld(expr: Node): { cls: string; module: ModuleSummary } | undefined {
    const key = field(expr, 'subscript');
    if (key && (typeOf(key) === 'identifier' || typeOf(key) === 'attribute')) {
      let entry: { module: ModuleSummary; name: string } | undefined;
      const r = this.ctx.scope.resolve(key);
      if (typeOf(key) === 'identifier' && this.ctx.scope.lookup(textOf(key), key)?.scope.kind === 'module' && r?.via !== 'import') entry = { module: this.here, name: textOf(key) };
      else if (r?.via === 'import') {
        const member = this.memberByImportedName(r.name);
        if (member?.kind === 'instance') entry = { module: member.module, name: member.name };
      }
      const appKey = entry?.module.appKeys.get(entry.name);
      const ctor = appKey ? qualifiedThroughImports(appKey.ctor, entry!.module, false)?.name : undefined;
      if (appKey && ctor && /^aiohttp(\.web|\.web_app)?\.AppKey$/.test(ctor)) return { cls: appKey.held, module: entry!.module };
    }
    const object = field(expr, 'value');
    if (object && typeOf(object) === 'attribute') {
      const owner = field(object, 'object');
      const ownerClass = owner ? this.classOfReceiver(owner, 1) : undefined;
      const held = ownerClass?.kind === 'project' ? this.findAttribute(ownerClass.summary, ownerClass.module, textOf(field(object, 'attribute')!), 0) : undefined;
      if (held?.cls.startsWith('values:')) return { cls: held.cls.slice('values:'.length), module: held.module };
    }
    return undefined;
  }

  /**
   * The class of an attribute a library class types by a type argument of the annotation that declares its owner
   * (DECLARED_GENERIC_ATTRIBUTES): `entry.runtime_data` (or `self._entry.runtime_data`) when `entry` is declared a Home
   * Assistant `ConfigEntry[RuntimeData]`, directly or through an alias of this file or of the project
   * (`type MyConfigEntry = ConfigEntry[RuntimeData]`, `MyConfigEntry = ConfigEntry[RuntimeData]`); `ctx.deps` of a
   * pydantic-ai tool's `ctx: RunContext[Deps]`; `wrapper.context` of the OpenAI Agents SDK's `RunContextWrapper[T]`.
   */
  private declaredGenericAttribute(entry: Node, name: string): KnownClass | undefined {
    // `entry`, or `self._entry` set from such a parameter (`self._entry = entry`) or annotated in the class.
    const own = typeOf(entry) === 'attribute' && /^(self|cls)$/.test(field(entry, 'object')?.text ?? '');
    if (typeOf(entry) !== 'identifier' && !own) return undefined;
    const annotation = this.declaredType(entry, 0);
    const e = annotation?.type === 'type' ? annotation.namedChildren[0] : annotation;
    if (!e) return undefined;
    let module = this.here;
    let written = genericWritten(e);
    if (!written && e.type === 'identifier') {
      const local = this.here.genericAliases.get(e.text);
      const kind = local ? (this.ctx.scope.lookup(e.text, e)?.scope.kind ?? 'module') : undefined;
      if (local && kind === 'module') written = local;
      else {
        const imp = this.here.imports.get(e.text) ?? this.here.typeImports.get(e.text);
        const file = imp?.name ? this.ctx.project.resolveModule(this.ctx.filePath, imp.module, imp.level) : undefined;
        const summary = file ? this.ctx.project.summary(file) : undefined;
        written = summary?.genericAliases.get(imp!.name!);
        if (summary) module = summary;
      }
    }
    if (!written || written.length < 2) return undefined;
    const head = qualifiedThroughImports(written[0], module, true)?.name;
    const index = head && !this.shadowedByProject(head) ? DECLARED_GENERIC_ATTRIBUTES[head]?.[name] : undefined;
    const argument = index === undefined ? undefined : written[index + 1];
    return argument ? this.classFromText(argument, module) : undefined;
  }

  /**
   * An attribute a generic library base types by its argument: `self.coordinator` in a
   * `class Switch(CoordinatorEntity[MyCoordinator])` is a `MyCoordinator`.
   */
  private genericBaseAttribute(cls: ClassSummary, module: ModuleSummary, name: string): KnownClass | undefined {
    return this.inClassOrBases(cls, module, 0, (c, m) => {
      for (const [base, args] of c.baseArguments) {
        const lib = this.classInModule(base, m) ? undefined : this.classFromText(base, m);
        const index = lib?.kind === 'library' ? GENERIC_ATTRIBUTES[lib.name]?.[name] : undefined;
        if (index !== undefined && args[index]) return this.classFromText(args[index], m);
      }
      return undefined;
    });
  }

  /** A library attribute: `proc.stdout`, `message.channel`, `client.mydb` (see LIBRARY_ATTRIBUTES). */
  private libraryAttribute(owner: string, name: string): KnownClass | undefined {
    const table = LIBRARY_ATTRIBUTES[owner];
    const held = table?.[name] ?? (name.startsWith('_') ? undefined : table?.['*']);
    return held ? { kind: 'library', name: held } : undefined;
  }

  /**
   * The class of what a call gives without await: a library client factory (`redis.from_url()`),
   * a builder method (`r.pipeline()`, `page.locator()`), a session factory, a constructor.
   */
  private classOfCallResult(fn: Node, at: Node): KnownClass | undefined {
    const r = typeOf(fn) === 'identifier' || typeOf(fn) === 'attribute' ? this.ctx.scope.resolve(fn) : undefined;
    if (r && CALL_RESULTS[r.name] && knownName(r) && !this.shadowedByProject(r.name)) return { kind: 'library', name: CALL_RESULTS[r.name] };
    // `instructor.from_openai(AsyncOpenAI())`: the client it is given, patched.
    if (r && CLIENT_PATCHERS.has(r.name) && knownName(r)) {
      const call = parentOf(fn);
      const first = call?.type === 'call' ? callArguments(call)[0] : undefined;
      const patched = first && first.type !== 'keyword_argument' ? this.classOfReceiver(first, 1) : undefined;
      return patched?.kind === 'library' ? patched : undefined;
    }
    if (typeOf(fn) === 'attribute') {
      const owner = field(fn, 'object');
      const method = field(fn, 'attribute');
      const queried = method ? this.textualQueryResult(fn, textOf(method), at) : undefined;
      if (queried) return queried;
      const ownerClass = owner && method ? this.classOfReceiver(owner, 1) : undefined;
      if (ownerClass?.kind === 'library') {
        const result = callMethodResult(ownerClass.name, textOf(method!));
        if (result) return { kind: 'library', name: result };
        if (ownerClass.name === GRPC_AIO_STUB) return GRPC_STUB_METHOD.test(textOf(method!)) ? { kind: 'library', name: GRPC_AIO_CALL } : undefined;
        // `Product.objects.active()`: the model's own queryset method gives a queryset.
        if (ownerClass.name === DJANGO_MANAGER && !DJANGO_INSTANCES.has(textOf(method!))) {
          const model = this.djangoModelOf(owner!);
          return model?.kind === 'project' && this.customQuerySetMethod(model, textOf(method!)) ? ownerClass : undefined;
        }
        return DJANGO_INSTANCES.has(textOf(method!)) ? this.djangoModelOf(owner!) : undefined;
      }
      if (ownerClass?.kind === 'project') {
        const m = this.findMethod(ownerClass.summary, ownerClass.module, textOf(method!), 0);
        // `db.transaction()` with `def transaction(self) -> Transaction`.
        if (m) {
          // `qs = self.get_queryset()` with an unannotated `get_queryset` of this file that returns a queryset.
          if (!m.fn.isAsync && !m.fn.returns && m.module === this.here) return this.returnsQuerySet(ownerClass.summary.name, textOf(method!)) ? { kind: 'library', name: DJANGO_MANAGER } : undefined;
          if (m.fn.isAsync || !m.fn.returns) return undefined;
          return /^(typing\.|typing_extensions\.)?Self$/.test(m.fn.returns) ? ownerClass : this.classFromText(m.fn.returns, m.module);
        }
        // `Product.find(...)` on a model whose library base class builds queries.
        const result = this.inLibraryBases(ownerClass.summary, ownerClass.module, (lib) => CALL_METHOD_RESULTS[lib]?.[textOf(method!)]);
        if (result) return { kind: 'library', name: result };
      }
    }
    // `getattr(ccxt, exchange_id)(config)` with `import ccxt.async_support as ccxt`: an exchange of that module.
    const ccxtModule = ccxtModuleOfExchangeGetter(this.ctx, fn);
    if (ccxtModule && ccxtModule !== 'ccxt') return { kind: 'library', name: `${ccxtModule}.Exchange` };
    return this.grpcAioStub(fn) ?? this.sessionFactoryResult(fn) ?? this.classOfConstructor(fn, at) ?? this.calledFactoryInstance(fn);
  }

  /** `self.session_factory()` with `session_factory: async_sessionmaker[AsyncSession]`: what the held factory makes. */
  private calledFactoryInstance(fn: Node): KnownClass | undefined {
    if (typeOf(fn) !== 'attribute') return undefined;
    const held = this.classOfReceiver(fn, 1);
    const made = held?.kind === 'library' ? FACTORY_INSTANCE_RESULTS[held.name] : undefined;
    return made ? { kind: 'library', name: made } : undefined;
  }

  /**
   * Textual's typed DOM queries: `self.query_one(Ticker)`, `self.query_one("#prices", Ticker)`,
   * `self.app.query_exactly_one(Ticker)`, `self.get_widget_by_id("prices", expect_type=Ticker)` give an
   * instance of the project class named there (in a file that uses Textual).
   */
  private textualQueryResult(fn: Node, method: string, at: Node): KnownClass | undefined {
    if (!/^(query_one|query_exactly_one|get_widget_by_id|get_child_by_id|get_child_by_type)$/.test(method) || !this.ctx.text.includes('textual')) return undefined;
    const call = parentOf(fn);
    if (call?.type !== 'call') return undefined;
    const args = callArguments(call);
    const byKeyword = args.find((a) => a.type === 'keyword_argument' && /^(expect_type|expected_type)$/.test(field(a, 'name')?.text ?? ''));
    const positional = args.filter((a) => a.type !== 'keyword_argument');
    const named = byKeyword ? field(byKeyword, 'value') : method === 'get_widget_by_id' || method === 'get_child_by_id' ? positional[1] : positional[positional.length - 1];
    if (!named || (named.type !== 'identifier' && named.type !== 'attribute')) return undefined;
    const cls = this.classByName(named.text.replace(/\s+/g, ''), at);
    return cls?.kind === 'project' ? cls : undefined;
  }

  /**
   * A generated gRPC stub made over a grpc.aio channel (`orders_pb2_grpc.OrdersStub(channel)`, the
   * channel from `grpc.aio.insecure_channel(...)`, held or given by a factory annotated with it): its
   * RPC methods give call objects whose `write()`, `read()`, `done_writing()`, ... are coroutines.
   */
  private grpcAioStub(fn: Node): KnownClass | undefined {
    if ((fn.type !== 'identifier' && fn.type !== 'attribute') || !/(^|\.)\w+Stub$/.test(fn.text)) return undefined;
    const call = parentOf(fn);
    const channel = call?.type === 'call' ? callArguments(call)[0] : undefined;
    if (!channel || channel.type === 'keyword_argument') return undefined;
    const cls = this.classOfReceiver(channel, 1);
    return cls?.kind === 'library' && cls.name === 'grpc.aio.Channel' ? { kind: 'library', name: GRPC_AIO_STUB } : undefined;
  }

  private inferringReturn = false;

  /**
   * Whether the unannotated method `name` of the class `className` of this file returns a Django
   * queryset from every `return` (`return Product.objects.filter(...)`), and has at least one.
   */
  private returnsQuerySet(className: string, name: string): boolean {
    const cls = definitionsIn(this.ctx.tree.rootNode, 'class_definition', className)[0];
    const def = cls ? definitionsIn(field(cls, 'body'), 'function_definition', name)[0] : undefined;
    return !!def && this.givesQuerySet(def);
  }

  /** Whether a function of this file returns a Django queryset from every `return`, and has at least one. */
  private givesQuerySet(def: Node): boolean {
    if (this.inferringReturn) return false;
    const returns = nodesOfType(def, 'return_statement').filter((r) => this.ctx.scope.enclosingFunction(r)?.node.id === def.id);
    if (returns.length === 0) return false;
    this.inferringReturn = true;
    try {
      return returns.every((r) => {
        const value = r.namedChildren.find((c) => c?.type !== 'comment');
        const c = value ? this.classOfReceiver(value, 1) : undefined;
        return c?.kind === 'library' && c.name === DJANGO_MANAGER;
      });
    } finally {
      this.inferringReturn = false;
    }
  }

  /**
   * The class of an unannotated handler parameter, from the decorator that registers the handler:
   * Telethon's `@client.on(events.NewMessage(...))` (or `@events.register(...)`) gives the event,
   * Pyrogram's `@app.on_message(...)` gives `(client, message)`.
   */
  private handlerParameterClass(param: Node, parameters: Node): KnownClass | undefined {
    const fn = parameters.parent;
    // `async def test_orders(session):` in a test module: what the pytest fixture of that name gives.
    if (fn?.type === 'function_definition' && TEST_MODULE.test(this.ctx.filePath.split(/[\\/]/).join('/'))) {
      const fixture = this.fixtureClass(param.text, fn);
      if (fixture) return fixture;
    }
    // Home Assistant's hooks (`async def async_setup_entry(hass, entry)`, services, listeners):
    // an unannotated `hass` in an integration is the HomeAssistant instance.
    if (param.text === 'hass' && mentions(this.ctx.text, HOMEASSISTANT_MENTION)) return { kind: 'library', name: 'homeassistant.core.HomeAssistant' };
    // `async def handler(websocket)` given to `websockets.serve(handler, ...)`: the connection comes first.
    if (fn?.type === 'function_definition' && this.websocketsHandlers().has(fn.id)) {
      const params = parameters.namedChildren.filter((p): p is Node => !!p && p.type !== 'comment');
      const first = params[0]?.text === 'self' ? params[1] : params[0];
      if (first?.id === param.id) return { kind: 'library', name: 'websockets.asyncio.connection.Connection' };
    }
    // `async def GetOrder(self, request, context)`, an RPC method (capitalised, as protoc names them) of a
    // generated gRPC servicer's subclass: only a grpc.aio server runs coroutine methods, and hands them its
    // ServicerContext third.
    if (fn?.type === 'function_definition' && isAsyncFunction(fn)) {
      const params = parameters.namedChildren.filter((p): p is Node => !!p && p.type !== 'comment');
      const cls = enclosingClassNode(fn);
      const bases = cls && field(cls, 'body')?.id === parentOf(fn.parent?.type === 'decorated_definition' ? fn.parent : fn)?.id ? field(cls, 'superclasses')?.namedChildren ?? [] : [];
      if (params[0]?.text === 'self' && params[2]?.id === param.id && params.length === 3 && GRPC_STUB_METHOD.test(field(fn, 'name')?.text ?? '') && bases.some((b) => !!b && /^[\w.]*\w+Servicer$/.test(b.text))) {
        return { kind: 'library', name: 'grpc.aio.ServicerContext' };
      }
    }
    // Sanic's class-based views: `async def post(self, request)` of an `HTTPMethodView` subclass.
    if (fn?.type === 'function_definition' && SANIC_REQUEST_DECORATORS.test(field(fn, 'name')?.text ?? '') && mentions(this.ctx.text, SANIC_MENTION)) {
      const params = parameters.namedChildren.filter((p): p is Node => !!p && p.type !== 'comment');
      const cls = enclosingClassNode(fn);
      const bases = cls && field(cls, 'body')?.id === parentOf(fn.parent?.type === 'decorated_definition' ? fn.parent : fn)?.id ? field(cls, 'superclasses')?.namedChildren ?? [] : [];
      if (params[0]?.text === 'self' && params[1]?.id === param.id && bases.some((b) => !!b && /(^|\.)HTTPMethodView$/.test(b.text))) return { kind: 'library', name: 'sanic.Request' };
    }
    const decorated = fn?.type === 'function_definition' && fn.parent?.type === 'decorated_definition' ? fn.parent : null;
    if (!decorated) return undefined;
    const params = parameters.namedChildren.filter((p): p is Node => !!p && p.type !== 'comment');
    const index = params.findIndex((p) => p.id === param.id) - (params[0]?.text === 'self' ? 1 : 0);
    for (const d of decorated.namedChildren) {
      if (d?.type !== 'decorator') continue;
      const call = d.namedChildren[0];
      // Sanic's decorators are also written without a call: `@app.on_request`, `@app.before_server_start`.
      if (call?.type === 'attribute' && index === 0 && mentions(this.ctx.text, SANIC_MENTION) && this.maybeSanicApp(call)) {
        const bare = call.childForFieldName('attribute')?.text ?? '';
        if (SANIC_REQUEST_DECORATORS.test(bare)) return { kind: 'library', name: 'sanic.Request' };
        if (SANIC_LISTENER_DECORATORS.test(bare)) return { kind: 'library', name: 'sanic.Sanic' };
      }
      const callee = call?.type === 'call' ? call.childForFieldName('function') : null;
      if (callee?.type !== 'attribute') continue;
      const method = callee.childForFieldName('attribute')?.text ?? '';
      if (method === 'on' || method === 'register') {
        const kind = callArguments(call!)[0];
        const kindFn = kind?.type === 'call' ? kind.childForFieldName('function') : kind;
        const r = kindFn && (kindFn.type === 'attribute' || kindFn.type === 'identifier') ? this.ctx.scope.resolve(kindFn) : undefined;
        const m = r && r.via !== 'unbound' ? /^telethon\.events\.(NewMessage|MessageEdited|Album|CallbackQuery|ChatAction|InlineQuery)$/.exec(r.name) : null;
        if (m && index === 0) return { kind: 'library', name: `telethon.events.${m[1] === 'MessageEdited' || m[1] === 'Album' ? 'NewMessage' : m[1]}.Event` };
      }
      // Sanic's `@app.websocket("/feed")` (or a blueprint's) handler `(request, ws)`: the websocket second.
      if (method === 'websocket' && index === 1 && mentions(this.ctx.text, SANIC_MENTION)) return { kind: 'library', name: 'sanic.Websocket' };
      // Sanic's route handlers and middleware take the request first (`@bp.get("/x")`, `@app.on_request`),
      // its listeners the application (`@app.before_server_start`, `@app.listener("after_server_stop")`).
      if (index === 0 && mentions(this.ctx.text, SANIC_MENTION) && this.maybeSanicApp(callee)) {
        if (SANIC_REQUEST_DECORATORS.test(method)) return { kind: 'library', name: 'sanic.Request' };
        if (SANIC_LISTENER_DECORATORS.test(method)) return { kind: 'library', name: 'sanic.Sanic' };
      }
      const pyrogram = /^on_(message|edited_message|callback_query)$/.exec(method);
      if (pyrogram && mentions(this.ctx.text, PYROGRAM_MENTION)) {
        if (index === 0) return { kind: 'library', name: 'pyrogram.Client' };
        if (index === 1) return { kind: 'library', name: pyrogram[1] === 'callback_query' ? 'pyrogram.types.CallbackQuery' : 'pyrogram.types.Message' };
      }
    }
    return undefined;
  }

  /**
   * The class a pytest fixture named `name` gives, when `fn` (a test, or another fixture) takes it:
   * the fixture of this module or of a `conftest.py` of its folder or the folders above (the
   * nearest wins), by its return annotation (`-> AsyncSession`) or, for a generator, the type it
   * yields (`-> AsyncIterator[AsyncSession]`).
   */
  private fixtureClass(name: string, fn: Node): KnownClass | undefined {
    const fnName = field(fn, 'name')?.text ?? '';
    const decorated = fn.parent?.type === 'decorated_definition' ? fn.parent : null;
    const isFixture = !!decorated && /(^|\.)fixture\b/.test(decorated.namedChildren.filter((c) => c?.type === 'decorator').map((c) => c!.text).join(' '));
    if (!/^test/.test(fnName) && !isFixture) return undefined;
    const given = (module: ModuleSummary | undefined): KnownClass | undefined => {
      const f = module?.functions.get(name);
      if (!f || !f.decorators.some((d) => /(^|\.)fixture$/.test(d))) return undefined;
      const cls = f.yields ?? (f.isGenerator ? undefined : f.returns);
      return cls && !/(^|\.)(AsyncIterator|AsyncGenerator|Iterator|Generator)$/.test(cls) ? this.classFromText(cls, module!) : undefined;
    };
    if (this.here.functions.get(name)) return given(this.here);
    let dir = path.dirname(path.resolve(this.ctx.filePath));
    for (let hops = 0; hops < 6; hops++) {
      const conftest = this.ctx.project.summary(path.join(dir, 'conftest.py'));
      if (conftest?.functions.get(name)) return given(conftest);
      const up = path.dirname(dir);
      if (up === dir) break;
      dir = up;
    }
    return undefined;
  }

  /**
   * Whether the object a decorator belongs to (`app` of `@app.get(...)`) may be a Sanic application or
   * blueprint: one, or an object of no known class (a blueprint, an app imported from another module);
   * not an object of a project class or of another library's.
   */
  private maybeSanicApp(decorator: Node): boolean {
    const owner = field(decorator, 'object');
    const cls = owner ? this.classOfReceiver(owner, 1) : undefined;
    return !cls || (cls.kind === 'library' && cls.name === 'sanic.Sanic');
  }

  /** The definitions of this file's functions handed by name to websockets' `serve(handler, ...)`/`unix_serve(...)`. */
  private websocketsHandlers(): Set<number> {
    if (this.servedHandlers) return this.servedHandlers;
    const out = (this.servedHandlers = new Set<number>());
    if (!mentions(this.ctx.text, WEBSOCKETS_MENTION)) return out;
    for (const call of nodesOfType(this.ctx.tree.rootNode, 'call')) {
      const fn = call.childForFieldName('function');
      if (!fn || (fn.type !== 'identifier' && fn.type !== 'attribute')) continue;
      const r = this.ctx.scope.resolve(fn);
      if (!r || r.via === 'unbound' || !/^websockets(\.asyncio\.server|\.server|\.legacy\.server)?\.(serve|unix_serve)$/.test(r.name)) continue;
      const args = callArguments(call);
      let handler = args[0]?.type === 'keyword_argument' ? args.find((a) => /^(ws_)?handler$/.test(field(a, 'name')?.text ?? ''))?.childForFieldName('value') : args[0];
      // `serve(functools.partial(handler, rooms=rooms), ...)`: the connection still comes first, when the partial binds keywords only.
      if (handler?.type === 'call') {
        const partialFn = field(handler, 'function');
        const bound = callArguments(handler);
        const partial = partialFn && (partialFn.type === 'identifier' || partialFn.type === 'attribute') && this.ctx.scope.resolve(partialFn)?.name === 'functools.partial';
        handler = partial && bound.length > 0 && bound.slice(1).every((a) => a.type === 'keyword_argument') ? bound[0] : undefined;
      }
      let def: Node | undefined;
      if (handler?.type === 'identifier') {
        const found = this.ctx.scope.lookup(handler.text, handler);
        def = found?.bindings.length === 1 && found.bindings[0].kind === 'def' ? found.bindings[0].node : undefined;
      } else if (handler?.type === 'attribute' && field(handler, 'object')?.text === 'self') {
        const name = field(handler, 'attribute')?.text;
        const defs = name ? definitionsIn(enclosingClassNode(handler)?.childForFieldName('body'), 'function_definition', name) : [];
        def = defs.length === 1 ? defs[0] : undefined;
      }
      if (def?.type === 'identifier' && def.parent?.type === 'function_definition') def = def.parent;
      if (def?.type === 'function_definition') out.add(def.id);
    }
    return out;
  }

  /** `Session = async_sessionmaker(engine)` (or `sessionmaker(..., class_=AsyncSession)`): what `Session()` makes. */
  private sessionFactoryResult(fn: Node): KnownClass | undefined {
    if (typeOf(fn) !== 'identifier') return undefined;
    const found = this.ctx.scope.lookup(textOf(fn), fn);
    // `from app.db import SessionLocal`: the factory as its module made it.
    if (found?.bindings.length === 1 && found.bindings[0].kind === 'import') {
      const m = this.importedMember(fn, found.bindings[0].node);
      return m?.kind === 'instance' && m.module.sessionFactories.get(m.name) === 'async' ? { kind: 'library', name: 'sqlalchemy.ext.asyncio.AsyncSession' } : undefined;
    }
    const value = found?.bindings.length === 1 ? assignedValue(found.bindings[0].node) : null;
    const maker = value?.type === 'call' ? value.childForFieldName('function') : null;
    if (!maker || (maker.type !== 'identifier' && maker.type !== 'attribute')) return undefined;
    const r = this.ctx.scope.resolve(maker);
    if (!r || r.via === 'unbound') return undefined;
    if (FACTORY_FACTORIES[r.name]) return { kind: 'library', name: FACTORY_FACTORIES[r.name] };
    if (!/^sqlalchemy\.orm\.(session\.)?sessionmaker$/.test(r.name)) return undefined;
    // `sessionmaker(engine, class_=AsyncSession)`.
    for (const arg of value!.childForFieldName('arguments')?.namedChildren ?? []) {
      if (arg?.type !== 'keyword_argument' || arg.childForFieldName('name')?.text !== 'class_') continue;
      const cls = arg.childForFieldName('value');
      const lib = cls ? this.libraryClassOf(cls) : undefined;
      return lib ? { kind: 'library', name: lib } : undefined;
    }
    return undefined;
  }

  /**
   * `if isinstance(tab, MucTab): tab.kick()`: inside the `if` body (of the same function), the
   * name holds an instance of the one class tested (`isinstance(x, C) and ...` too).
   */
  private isinstanceClass(id: Node): KnownClass | undefined {
    // Walking up the tree crosses into the WASM module at every step: only for names the file
    // tests with isinstance() at all.
    this.isinstanceNames ??= new Set(Array.from(this.ctx.text.matchAll(/isinstance\(\s*([A-Za-z_]\w*)\s*,/g), (m) => m[1]));
    if (!this.isinstanceNames.has(id.text)) return undefined;
    let child: Node = id;
    for (let n = id.parent; n; child = n, n = n.parent) {
      if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition' || n.type === 'module') return undefined;
      if (n.type !== 'if_statement' || n.childForFieldName('consequence')?.id !== child.id) continue;
      let test = n.childForFieldName('condition');
      while (test?.type === 'boolean_operator' && test.childForFieldName('operator')?.type === 'and') test = test.childForFieldName('left');
      if (test?.type !== 'call' || test.childForFieldName('function')?.text !== 'isinstance') continue;
      const args = test.childForFieldName('arguments')?.namedChildren ?? [];
      if (args.length !== 2 || args[0]?.type !== 'identifier' || args[0].text !== id.text) continue;
      const cls = args[1];
      if (cls?.type !== 'identifier' && cls?.type !== 'attribute') return undefined;
      return this.classByName(cls.text.replace(/\s+/g, ''), cls);
    }
    return undefined;
  }

  /** A type alias named (as written) in `module`: defined there or imported from the project (`SessionDep`). */
  private aliasInModule(written: string, module: ModuleSummary): { cls: string; module: ModuleSummary } | undefined {
    if (written.includes('.')) return undefined;
    const local = module.typeAliases.get(written);
    if (local) return { cls: local, module };
    const imp = module.imports.get(written) ?? module.typeImports.get(written);
    if (!imp?.name) return undefined;
    const t = this.projectMember(imp.module, imp.level, imp.name, 0, module.path);
    return t?.kind === 'alias' ? { cls: t.cls, module: t.module } : undefined;
  }

  /** A class (or constructor) named as written in `module`: a project class or a known library class. */
  private classFromText(written: string, module: ModuleSummary): KnownClass | undefined {
    // A container's items (see annotationText) are not an instance of the container's class.
    if (written.startsWith('items:') || written.startsWith('values:') || written.startsWith('selfcall:') || written.startsWith('stub:self:')) return undefined;
    if (written.startsWith('stub:')) {
      // `stub:grpc.aio.Channel`: a generated gRPC stub over a channel of that class.
      const channel = this.classFromText(written.slice('stub:'.length), module);
      return channel?.kind === 'library' && channel.name === 'grpc.aio.Channel' ? { kind: 'library', name: GRPC_AIO_STUB } : undefined;
    }
    if (written.startsWith('call:')) {
      // `call:redis.Redis:pubsub`: what a builder method of a library class gives.
      const [, owner, method] = written.split(':');
      const ownerClass = this.classFromText(owner, module);
      const result = ownerClass?.kind === 'library' ? callMethodResult(ownerClass.name, method) : undefined;
      return result ? { kind: 'library', name: result } : undefined;
    }
    // `self._send, self._receive = trio.open_memory_channel(0)`, recorded as `unpack:0:trio.open_memory_channel`.
    if (written.startsWith('unpack:')) {
      const [, index, factory] = written.split(':');
      const qualified = factory ? qualifiedThroughImports(factory, module, true)?.name : undefined;
      const cls = qualified ? CALL_TUPLE_RESULTS[qualified]?.[Number(index)] : undefined;
      return cls ? { kind: 'library', name: cls } : undefined;
    }
    // `self.pool = await asyncpg.create_pool(...)`, recorded by the summary as `await:asyncpg.create_pool`.
    const awaited = written.startsWith('await:');
    if (awaited) written = written.slice('await:'.length);
    const project = awaited ? undefined : this.classInModule(written, module);
    if (project) return { kind: 'project', summary: project.cls, module: project.module };
    const alias = awaited || this.aliasHops > MAX_HOPS ? undefined : this.aliasInModule(written, module);
    if (alias) {
      // Aliases of aliases, with a bound: `A = Annotated[B, ...]` and `B = Annotated[A, ...]` loop.
      this.aliasHops++;
      try {
        return this.classFromText(alias.cls, alias.module);
      } finally {
        this.aliasHops--;
      }
    }
    // `self.http = build_http(...)` with `def build_http(...) -> HttpClient`: what the factory gives.
    const factory = awaited || this.aliasHops > MAX_HOPS ? undefined : this.functionInModule(written, module);
    if (factory && !factory.fn.isAsync && factory.fn.returns) {
      this.aliasHops++;
      try {
        return this.classFromText(factory.fn.returns, factory.module);
      } finally {
        this.aliasHops--;
      }
    }
    // Library classes: resolve the head through the module's imports.
    const qualified = qualifiedThroughImports(written, module, true)?.name;
    if (!qualified || this.shadowedByProject(qualified)) return undefined;
    const result = awaited ? FACTORY_RESULTS[qualified] : (CALL_RESULTS[qualified] ?? knownLibraryClass(qualified));
    return result ? { kind: 'library', name: result } : undefined;
  }

  /** What an instance attribute holds (a class name written in `module`), looking through base classes. */
  private findAttribute(cls: ClassSummary, module: ModuleSummary, name: string, depth: number): { cls: string; module: ModuleSummary } | undefined {
    return this.inClassOrBases(cls, module, depth, (c, m) => {
      const own = c.attributes.get(name);
      // An empty entry: sources disagree, the attribute's class is unknown.
      return own === undefined ? undefined : own ? { cls: own, module: m } : null;
    });
  }

  /** Class of a variable from its single binding: `x = Ctor()`, `x = await factory()`, `async with Ctor() as x`, `x: Ctor`. */
  private classOfBinding(target: Node): KnownClass | undefined {
    // `pool = await pool.acquire()` (or what a syntax error leaves behind): a binding that
    // depends on itself has no class to find.
    if (this.resolvingBindings.has(target.id)) return undefined;
    this.resolvingBindings.add(target.id);
    try {
      return this.classOfBindingOnce(target);
    } finally {
      this.resolvingBindings.delete(target.id);
    }
  }

  /**
   * The class of every element of the list (or set) a name is bound to, when each is made by a
   * constructor call of the same class: `[Crawler(r) for r in roots]`, `[Worker(1), Worker(2)]`.
   */
  private builtElementsClass(binding: Node): KnownClass | undefined {
    const value = assignedValue(binding);
    if (!value) return undefined;
    let elements: Node[];
    if (value.type === 'list_comprehension' || value.type === 'set_comprehension') {
      const body = value.childForFieldName('body');
      elements = body ? [body] : [];
    } else if (value.type === 'list' || value.type === 'set') elements = value.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
    else return undefined;
    if (elements.length === 0 || elements.some((e) => e.type !== 'call')) return undefined;
    const classes = elements.map((e) => {
      const fn = e.childForFieldName('function');
      return fn && (fn.type === 'identifier' || fn.type === 'attribute') ? this.classOfConstructor(fn, e) : undefined;
    });
    const first = classes[0];
    if (!first) return undefined;
    const key = (c: KnownClass | undefined) => (c?.kind === 'library' ? `lib:${c.name}` : c ? `${c.module.path}:${c.summary.name}` : '');
    return classes.every((c) => key(c) === key(first)) ? first : undefined;
  }

  private classOfBindingOnce(target: Node): KnownClass | undefined {
    const parent = parentOf(target);
    if (!parent) return undefined;
    // `async for ws in websockets.connect(uri):`, `async for message in queue_iter:`.
    // Loops and comprehensions alike (`[c.close() for c in conns]`).
    const loop = (parent.type === 'for_statement' || parent.type === 'for_in_clause') && parent.childForFieldName('left')?.id === target.id;
    if (loop && parent.child(0)?.type === 'async') {
      const iterable = parent.childForFieldName('right');
      if (!iterable) return undefined;
      if (iterable.type === 'call') {
        const fn = iterable.childForFieldName('function');
        const r = fn && (fn.type === 'identifier' || fn.type === 'attribute') ? this.ctx.scope.resolve(fn) : undefined;
        if (r && knownName(r) && ASYNC_ITERATION_FACTORIES[r.name]) return { kind: 'library', name: ASYNC_ITERATION_FACTORIES[r.name] };
      }
      const source = iterable.type === 'call' ? this.classOfCallResult(iterable.childForFieldName('function')!, iterable) : this.classOfReceiver(iterable);
      const element = source?.kind === 'library' ? ASYNC_ITERATION_ELEMENTS[source.name] : undefined;
      return element ? { kind: 'library', name: element } : this.djangoRows(iterable);
    }
    // `for a in Article.objects.filter(...)` (the iteration itself is reported), and `for a in
    // articles` with `articles = [a async for a in Article.objects.filter(...)]`: instances.
    if (loop) {
      const iterable = parent.childForFieldName('right');
      const rows = iterable ? this.djangoRows(iterable) : undefined;
      if (rows) return rows;
      const found = iterable?.type === 'identifier' ? this.ctx.scope.lookup(iterable.text, iterable) : undefined;
      const listed = found?.bindings.length === 1 ? assignedValue(found.bindings[0].node) : null;
      const clauses = listed?.type === 'list_comprehension' ? listed.namedChildren.filter((c) => c?.type === 'for_in_clause') : [];
      const body = listed?.childForFieldName('body');
      const variable = clauses[0]?.childForFieldName('left');
      const source = clauses[0]?.childForFieldName('right');
      if (clauses.length === 1 && body?.type === 'identifier' && variable?.type === 'identifier' && body.text === variable.text && source) return this.djangoRows(source);
    }
    // `for msg in await sub.fetch(10)`, `msgs = await sub.fetch(10)` then `for msg in msgs`.
    if (loop) {
      const items = this.awaitedItems(parent.childForFieldName('right'));
      if (items) return items;
    }
    // `for member in ctx.guild.members:` (see ITERATED_ATTRIBUTES).
    if (loop && parent.child(0)?.type !== 'async') {
      const iterable = parent.childForFieldName('right');
      const object = iterable?.type === 'attribute' ? iterable.childForFieldName('object') : null;
      const owner = object ? this.classOfReceiver(object, 1) : undefined;
      const item = owner?.kind === 'library' ? ITERATED_ATTRIBUTES[owner.name]?.[iterable!.childForFieldName('attribute')?.text ?? ''] : undefined;
      if (item) return { kind: 'library', name: item };
    }
    // `for repo in repos:` where `repos: list[Repo]` (or Sequence, Iterable, set, ...).
    if (loop) {
      const iterable = parent.childForFieldName('right');
      // `accounts = await asyncio.gather(*(Account.load(i) for i in ids))`: what each call gives (also `sorted(accounts)`).
      let named = iterable;
      for (let i = 0; i < 3 && named?.type === 'call' && /^(list|tuple|sorted|set|reversed)$/.test(field(named, 'function')?.text ?? '') && callArguments(named).length === 1; i++) named = callArguments(named)[0];
      const found = named?.type === 'identifier' ? this.ctx.scope.lookup(named.text, named) : undefined;
      const gathered = found?.bindings.length === 1 ? this.gatheredClass(found.bindings[0].node) : undefined;
      if (gathered) return gathered;
      // `crawlers = [Crawler(r) for r in roots]` (or `[Crawler(a), Crawler(b)]`): what each element is made as.
      const built = found?.bindings.length === 1 ? this.builtElementsClass(found.bindings[0].node) : undefined;
      if (built) return built;
      const element = this.iteratedHeld(iterable);
      return element ? this.classFromText(element.cls, element.module) : undefined;
    }
    // An unannotated parameter of a handler registered for one kind of event (Telethon, Pyrogram).
    if (parent.type === 'parameters') return this.handlerParameterClass(target, parent);
    // Parameters and annotated names: `session: aiohttp.ClientSession`.
    if (parent.type === 'typed_parameter' || parent.type === 'typed_default_parameter') {
      const t = parent.childForFieldName('type');
      const e = t?.namedChildren[0] ?? t;
      return e ? this.classOfTypeExpr(e) : undefined;
    }
    // `reader, writer = await asyncio.open_connection(...)`.
    if ((parent.type === 'pattern_list' || parent.type === 'tuple_pattern') && parent.parent?.type === 'assignment' && parent.parent.childForFieldName('left')?.id === parent.id) {
      const index = parent.namedChildren.findIndex((c) => c?.id === target.id);
      const value = parent.parent.childForFieldName('right');
      // `obj, created = Model.objects.get_or_create(...)` (or `await ...aget_or_create(...)`): the instance first.
      const made = value?.type === 'await' ? value.namedChildren[0] : value;
      const maker = made?.type === 'call' ? made.childForFieldName('function') : null;
      const method = maker?.type === 'attribute' ? maker.childForFieldName('attribute')?.text : undefined;
      if (method && /^a?(get_or_create|update_or_create)$/.test(method) && method.startsWith('a') === (value?.type === 'await')) {
        return index === 0 && parent.namedChildren.length === 2 ? this.djangoModelOf(maker!.childForFieldName('object')!) : undefined;
      }
      const call = value?.type === 'await' && value.namedChildren[0] ? this.throughWaitFor(value.namedChildren[0]) : null;
      const fn = call?.type === 'call' ? call.childForFieldName('function') : null;
      const r = fn && (fn.type === 'identifier' || fn.type === 'attribute') ? this.ctx.scope.resolve(fn) : undefined;
      let parts = r && (r.via !== 'unbound' || r.name.startsWith('asyncio.')) ? FACTORY_TUPLE_RESULTS[r.name] : undefined;
      // `send, receive = trio.open_memory_channel[int](0)`: a synchronous factory, subscripted or not.
      if (!parts && made?.type === 'call') {
        let factory = made.childForFieldName('function');
        if (factory?.type === 'subscript') factory = factory.childForFieldName('value');
        const factoryName = factory && (factory.type === 'identifier' || factory.type === 'attribute') ? this.ctx.scope.resolve(factory) : undefined;
        parts = factoryName && factoryName.via === 'import' ? CALL_TUPLE_RESULTS[factoryName.name] : undefined;
      }
      return parts && parts.length === parent.namedChildren.length && parts[index] ? { kind: 'library', name: parts[index] } : undefined;
    }
    if (parent.type === 'assignment' && parent.childForFieldName('left')?.id === target.id) {
      const annotation = parent.childForFieldName('type');
      if (annotation) {
        const e = annotation.namedChildren[0] ?? annotation;
        const c = this.classOfTypeExpr(e);
        if (c) return c;
      }
      let value = parent.childForFieldName('right');
      // `r = self.rooms[name] = Room(name)`: a chained assignment gives every target the last value.
      for (let i = 0; i < 4 && value?.type === 'assignment'; i++) value = value.childForFieldName('right');
      let awaited = false;
      if (value?.type === 'await') {
        awaited = true;
        value = value.namedChildren[0] ? this.throughWaitFor(value.namedChildren[0]) : null;
      }
      // `channel = message.channel`, `db = client["shop"]`.
      if (!awaited && value && (value.type === 'attribute' || value.type === 'subscript')) return this.classOfReceiver(value, 1);
      if (value?.type !== 'call') return undefined;
      const fn = value.childForFieldName('function');
      if (!fn) return undefined;
      if (awaited) {
        const streamed = this.streamedResult(value);
        if (streamed) return streamed;
      }
      return awaited ? (this.awaitedResult(fn) ?? this.awaitedProjectResult(value)) : this.classOfCallResult(fn, target);
    }
    // `async with aiohttp.ClientSession() as session:` / `async with pool.acquire() as conn:`.
    if (parent.type === 'as_pattern_target' || parent.type === 'as_pattern') {
      const asPattern = parent.type === 'as_pattern' ? parent : parent.parent;
      let value = asPattern?.type === 'as_pattern' ? asPattern.namedChildren[0] : null;
      // `async with await anyio.open_file(path) as f:`.
      if (value?.type === 'await') value = value.namedChildren[0] ?? null;
      if (value?.type !== 'call') return undefined;
      const fn = value.childForFieldName('function');
      if (!fn) return undefined;
      return this.awaitedResult(fn) ?? this.managedClass(value) ?? this.classOfCallResult(fn, target);
    }
    return undefined;
  }

  /** The class the one annotated binding among `targets` declares (`name: X | None = None`), if exactly one is annotated. */
  private declaredClass(targets: Node[]): KnownClass | undefined {
    const annotations = targets
      .map((t) => {
        const a = parentOf(t);
        return a?.type === 'assignment' && a.childForFieldName('left')?.id === t.id ? a.childForFieldName('type') : null;
      })
      .filter((t): t is Node => !!t);
    if (annotations.length !== 1) return undefined;
    const annotation = annotations[0];
    return this.classOfTypeExpr(annotation.type === 'type' ? (annotation.namedChildren[0] ?? annotation) : annotation);
  }

  /**
   * What a project generator made a context manager gives to `with ... as x`: `@asynccontextmanager
   * async def fake_client() -> AsyncIterator[BlobClient]` (`AsyncGenerator[X, None]`, `Iterator[X]`, ...) gives X.
   */
  private managedClass(call: Node): KnownClass | undefined {
    const managing = (decorators: readonly string[]) => decorators.some((d) => /(^|\.)(asynccontextmanager|contextmanager)$/.test(d));
    const callee = this.projectFunctionCalled(call);
    if (callee?.def) {
      const decorators = (callee.def.parent?.type === 'decorated_definition' ? callee.def.parent.namedChildren : []).filter((d): d is Node => d?.type === 'decorator');
      if (!managing(decorators.map((d) => decoratorTarget(d)?.text.replace(/\s+/g, '') ?? ''))) return undefined;
      const yields = yieldedClass(callee.def.childForFieldName('return_type'));
      return yields ? this.classFromText(yields, this.here) : undefined;
    }
    if (callee) return callee.summary.yields && managing(callee.summary.decorators) ? this.classFromText(callee.summary.yields, callee.module) : undefined;
    const m = this.projectMethodCalled(call);
    return m && m.fn.yields && managing(m.fn.decorators) ? this.classFromText(m.fn.yields, m.module) : undefined;
  }

  /**
   * The class of each item of a list a library method gives once awaited (see AWAITED_ITEMS),
   * written in place or bound once to a name: `await sub.fetch(10)` on a JetStream pull subscription.
   */
  private awaitedItems(iterable: Node | null): KnownClass | undefined {
    let value = iterable;
    if (value?.type === 'identifier') {
      const found = this.ctx.scope.lookup(value.text, value);
      value = found?.bindings.length === 1 ? assignedValue(found.bindings[0].node) : null;
    }
    const call = value?.type === 'await' ? value.namedChildren[0] : null;
    const fn = call?.type === 'call' ? call.childForFieldName('function') : null;
    if (fn?.type !== 'attribute') return undefined;
    const owner = this.classOfReceiver(fn.childForFieldName('object')!, 1);
    const item = owner?.kind === 'library' ? AWAITED_ITEMS[owner.name]?.[fn.childForFieldName('attribute')?.text ?? ''] : undefined;
    return item ? { kind: 'library', name: item } : undefined;
  }

  /**
   * The class of every result of `name = await asyncio.gather(...)` when the gathered calls are
   * project coroutines annotated with one class: `*(Account.load(i) for i in ids)`, or each listed.
   */
  private gatheredClass(target: Node): KnownClass | undefined {
    const value = assignedValue(target);
    const call = value?.type === 'await' ? value.namedChildren[0] : null;
    const fn = call?.type === 'call' ? field(call, 'function') : null;
    if (!call || !fn || (typeOf(fn) !== 'identifier' && typeOf(fn) !== 'attribute') || this.ctx.scope.resolve(fn)?.name !== 'asyncio.gather') return undefined;
    const made: Node[] = [];
    for (const arg of callArguments(call)) {
      if (arg.type === 'keyword_argument') continue;
      const spread = arg.type === 'list_splat' ? arg.namedChildren[0] : null;
      const element = spread && (spread.type === 'generator_expression' || spread.type === 'list_comprehension') ? spread.childForFieldName('body') : spread ? null : arg;
      if (element?.type !== 'call') return undefined;
      made.push(element);
    }
    let cls: KnownClass | undefined;
    for (const element of made) {
      const c = this.awaitedProjectResult(element);
      if (!c || c.kind !== 'project' || (cls && cls.kind === 'project' && cls.summary !== c.summary)) return undefined;
      cls = c;
    }
    return cls;
  }

  /**
   * The call whose result an awaited `asyncio.wait_for(call, timeout)` / `asyncio.shield(call)`
   * gives (`await asyncio.wait_for(asyncio.open_connection(h, p), 5)`); any other node as it is.
   */
  private throughWaitFor(node: Node): Node {
    let n = node;
    for (let hops = 0; hops < 3 && n.type === 'call'; hops++) {
      const fn = n.childForFieldName('function');
      const r = fn && (fn.type === 'identifier' || fn.type === 'attribute') ? this.ctx.scope.resolve(fn) : undefined;
      if (!r || (r.name !== 'asyncio.wait_for' && r.name !== 'asyncio.shield') || !knownName(r)) break;
      const inner = callArguments(n)[0];
      if (inner?.type !== 'call') break;
      n = inner;
    }
    return n;
  }

  /** `await client.chat.completions.create(..., stream=True)` on an LLM SDK's async client: the SDK's async stream. */
  private streamedResult(call: Node): KnownClass | undefined {
    const fn = call.childForFieldName('function');
    if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'create') return undefined;
    const stream = callArguments(call).find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'stream');
    if (stream?.childForFieldName('value')?.text !== 'True') return undefined;
    const owner = this.classOfReceiver(fn.childForFieldName('object')!);
    const result = owner?.kind === 'library' ? STREAMED_RESULTS[owner.name] : undefined;
    return result ? { kind: 'library', name: result } : undefined;
  }

  /** What a library call gives once awaited or entered: a factory's result (`await asyncpg.connect()`) or a method's. */
  private awaitedResult(fn: Node, depth = 0): KnownClass | undefined {
    // `await stack.enter_async_context(session.client("s3"))`: what entering its argument gives.
    if (fn.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'enter_async_context' && depth < 2) {
      const call = fn.parent;
      const entered = call?.type === 'call' ? callArguments(call)[0] : undefined;
      const enteredFn = entered?.type === 'call' ? entered.childForFieldName('function') : null;
      if (enteredFn) return this.awaitedResult(enteredFn, depth + 1) ?? this.classOfCallResult(enteredFn, entered!);
    }
    const r = fn.type === 'identifier' || fn.type === 'attribute' ? this.ctx.scope.resolve(fn) : undefined;
    if (r && FACTORY_RESULTS[r.name] && knownName(r)) return { kind: 'library', name: FACTORY_RESULTS[r.name] };
    return this.methodResult(fn);
  }

  /** `session.get` on a known library class: the class of what it gives once awaited or entered. */
  private methodResult(fn: Node): KnownClass | undefined {
    if (fn.type !== 'attribute') return undefined;
    const owner = fn.childForFieldName('object');
    const method = fn.childForFieldName('attribute')?.text;
    const ownerClass = owner && method ? this.classOfReceiver(owner) : undefined;
    const result = ownerClass?.kind === 'library' ? METHOD_RESULTS[ownerClass.name]?.[method!] : undefined;
    if (result) return { kind: 'library', name: result };
    // `async with app.run_test() as pilot` on a project subclass of Textual's App: what its library base's method gives.
    if (ownerClass?.kind === 'project' && method && !this.findMethod(ownerClass.summary, ownerClass.module, method, 0)) {
      const inherited = this.inLibraryBases(ownerClass.summary, ownerClass.module, (lib) => METHOD_RESULTS[lib]?.[method]);
      if (inherited) return { kind: 'library', name: inherited };
    }
    // `await Account.get_or_none(...)` (Tortoise), `await Product.get(id)` (Beanie): an instance of the model.
    if (ownerClass?.kind === 'project' && method && owner?.type === 'identifier' && !this.findMethod(ownerClass.summary, ownerClass.module, method, 0)) {
      const model = this.inLibraryBases(ownerClass.summary, ownerClass.module, (lib) => (MODEL_FACTORIES[lib]?.has(method) ? ownerClass : undefined));
      if (model) return model;
    }
    if (!method || !DJANGO_AWAITED_INSTANCES.has(method)) return undefined;
    // `await User.objects.aget(...)` on Django's own user model (or `get_user_model()`): an instance of it.
    return this.djangoModelOf(owner!) ?? (ownerClass?.kind === 'library' && ownerClass.name === DJANGO_MANAGER && this.libraryModelManager(owner!) ? { kind: 'library', name: DJANGO_MODEL } : undefined);
  }

  /** `User.objects` (a library model's default manager, not a queryset of it). */
  private libraryModelManager(manager: Node): boolean {
    const model = manager.type === 'attribute' ? manager.childForFieldName('object') : null;
    if (!model || !/^(objects|_default_manager|_base_manager)$/.test(manager.childForFieldName('attribute')?.text ?? '')) return false;
    if (model.type === 'identifier' && this.libraryClassOf(model) === DJANGO_MODEL) return true;
    const cls = this.classOfReceiver(model, 1);
    return cls?.kind === 'library' && cls.name === DJANGO_MODEL;
  }

  /**
   * A queryset of a project model written in place or bound once to a name
   * (`Article.objects.filter(...)`, `qs = Article.objects.all()`): iterating it runs the query.
   */
  djangoQuerySet(expr: Node): boolean {
    if (expr.type === 'identifier') return !!this.djangoModelOf(expr) || this.isManager(expr);
    // `qs.order_by("name")[:100]`: a slice of a queryset is a queryset.
    if (expr.type === 'subscript') {
      const value = expr.childForFieldName('value');
      return !!value && expr.childForFieldName('subscript')?.type === 'slice' && this.djangoQuerySet(value);
    }
    const fn = expr.type === 'call' ? expr.childForFieldName('function') : null;
    // `for o in active_orders()`: a function that gives a queryset.
    if (fn?.type === 'identifier') return this.isManager(expr);
    if (fn?.type !== 'attribute') return false;
    // `for p in Product.objects.active()`: a queryset method of the model's own.
    if (!DJANGO_CHAINS.has(fn.childForFieldName('attribute')?.text ?? '')) return !!this.djangoModelOf(expr);
    // `product.reviews.all()`: a related manager's queryset.
    return !!this.djangoModelOf(expr) || this.isManager(fn.childForFieldName('object')!);
  }

  /**
   * The model whose instances iterating a queryset gives (`Article.objects.filter(...)`, a name
   * bound to one); not for `values()` / `values_list()` querysets, which give dicts and tuples.
   */
  private djangoRows(expr: Node): (KnownClass & { kind: 'project' }) | undefined {
    if (!this.djangoQuerySet(expr)) return undefined;
    const texts = [expr.text];
    if (expr.type === 'identifier') for (const b of this.ctx.scope.lookup(expr.text, expr)?.bindings ?? []) texts.push(assignedValue(b.node)?.text ?? '.values(');
    if (texts.some((t) => /\.(values|values_list|dates|datetimes|raw)\s*\(/.test(t))) return undefined;
    const model = this.djangoModelOf(expr);
    return model?.kind === 'project' ? model : undefined;
  }

  /** A Django manager or queryset the analysis can follow (a related manager, a queryset bound to a name). */
  private isManager(expr: Node): boolean {
    const cls = this.classOfReceiver(expr);
    return cls?.kind === 'library' && cls.name === DJANGO_MANAGER;
  }

  /**
   * What each item of an iterable holds, as a class name written in a module (see ClassSummary.attributes):
   * `repos` with `repos: list[Repo]`, `self.members.values()`, `list(self.rooms[room])`, `self.subs.get(topic, [])`,
   * and a name bound by an outer loop over such a container (`for conns in self.rooms.values(): for ws in conns`).
   */
  private iteratedHeld(start: Node | null, depth = 0): { cls: string; module: ModuleSummary } | undefined {
    if (!start || depth > MAX_HOPS) return undefined;
    let iterable: Node | null = start;
    // `list(self.members.values())`, `sorted(conns)`, `self.members.values()`: the same items.
    let values = false;
    // `self.subs.get(topic, [])`: one value of a mapping of sequences (`subs: dict[str,
    // list[Subscription]]`), iterated as its items (`self.subs[topic]`: subscriptHeld below).
    let lookup = false;
    for (let i = 0; i < 3 && iterable?.type === 'call' && !lookup; i++) {
      const f: Node | null = iterable.childForFieldName('function');
      const args: Node[] = (iterable.childForFieldName('arguments')?.namedChildren ?? []).filter((a): a is Node => !!a && a.type !== 'comment');
      const method = f?.type === 'attribute' ? f.childForFieldName('attribute')?.text : undefined;
      if (f?.type === 'identifier' && /^(list|tuple|sorted|set|reversed)$/.test(f.text) && args.length === 1) iterable = args[0];
      else if ((method === 'values' || method === 'copy') && args.length === 0) {
        values ||= method === 'values';
        iterable = f!.childForFieldName('object');
      } else if (method === 'get' && !values && (args.length === 1 || args.length === 2) && args.every((a) => a.type !== 'keyword_argument')) {
        lookup = true;
        iterable = f!.childForFieldName('object');
      } else break;
    }
    // What the iterated name or attribute holds: `for ws in self.connections:` with
    // `self.connections: set[ServerConnection]`, `for conn in conns.values()` with `conns: dict[str, Conn]`.
    let held: { cls: string; module: ModuleSummary } | undefined;
    // `for ws in request.app[sockets_key]`, `for peer in self.rooms[room]`.
    if (iterable?.type === 'subscript' || iterable?.type === 'attribute') held = this.heldByExpression(iterable);
    else if (iterable?.type === 'identifier') {
      const found = this.ctx.scope.lookup(iterable.text, iterable);
      const bound = found?.bindings.length === 1 ? found.bindings[0].node : undefined;
      const outer = bound ? parentOf(bound) : null;
      // `for conns in self.rooms.values(): for ws in conns`: the items of what the outer loop's variable holds;
      // `for room, conns in self.rooms.items()` alike, for the second name.
      if (outer?.type === 'for_statement' && field(outer, 'left')?.id === bound!.id) held = this.iteratedHeld(field(outer, 'right'), depth + 1);
      else if (outer?.type === 'pattern_list' && outer.namedChildren.length === 2 && outer.namedChildren[1]?.id === bound!.id && parentOf(outer)?.type === 'for_statement') {
        const items = field(parentOf(outer)!, 'right');
        const f = items?.type === 'call' ? field(items, 'function') : null;
        if (f?.type === 'attribute' && field(f, 'attribute')?.text === 'items' && callArguments(items!).length === 0) {
          const mapping = this.heldByExpression(field(f, 'object'));
          held = mapping?.cls.startsWith('values:') ? { cls: mapping.cls.slice('values:'.length), module: mapping.module } : undefined;
        }
      } else if (outer?.type === 'assignment' && field(outer, 'left')?.id === bound!.id && !field(outer, 'type') && field(outer, 'right')?.type === 'subscript') {
        // `conns = self.rooms[room]`, then `for ws in conns`.
        held = this.subscriptHeld(field(outer, 'right')!);
      }
      if (!held && found?.bindings.length === 1) {
        // A parameter, or a name declared with its type (`CLIENTS: set[ServerConnection] = set()`).
        const param = parentOf(found.bindings[0].node);
        const declared = param?.type === 'assignment' && field(param, 'left')?.id === found.bindings[0].node.id ? field(param, 'type') : null;
        const written =
          param?.type === 'typed_parameter' || param?.type === 'typed_default_parameter' ? annotationText(param.childForFieldName('type')) : declared ? annotationText(declared) : undefined;
        held = written ? { cls: written, module: this.here } : undefined;
      }
    }
    const prefix = held ? (lookup ? /^values:items:/ : values ? /^values:/ : /^items:/).exec(held.cls) : null;
    return prefix ? { cls: held!.cls.slice(prefix[0].length), module: held!.module } : undefined;
  }

  /** What an attribute or subscript holds, as written (`values:items:X` for `self.rooms` with `dict[str, set[X]]`). */
  private heldByExpression(expr: Node | null): { cls: string; module: ModuleSummary } | undefined {
    if (expr?.type === 'subscript') return this.subscriptHeld(expr);
    if (expr?.type !== 'attribute') return undefined;
    const object = expr.childForFieldName('object');
    const owner = object ? this.classOfReceiver(object) : undefined;
    return owner?.kind === 'project' ? this.findAttribute(owner.summary, owner.module, expr.childForFieldName('attribute')?.text ?? '', 0) : undefined;
  }

  /** `Article.objects`, or a queryset made from it (`Article.objects.filter(...)`): the project model class whose default manager it is. */
  private djangoModelOf(manager: Node, depth = 0): KnownClass | undefined {
    if (manager.type === 'call' && depth < 8) {
      const fn = manager.childForFieldName('function');
      if (fn?.type !== 'attribute') return undefined;
      const method = fn.childForFieldName('attribute')?.text ?? '';
      const owner = fn.childForFieldName('object');
      if (!owner) return undefined;
      if (DJANGO_CHAINS.has(method)) return this.djangoModelOf(owner, depth + 1);
      // `Product.objects.active()`: a method of the model's own QuerySet or Manager class, which
      // gives a queryset (`return self.filter(is_active=True)`).
      const model = this.djangoModelOf(owner, depth + 1);
      return model?.kind === 'project' && this.customQuerySetMethod(model, method) ? model : undefined;
    }
    // `qs = Product.objects.filter(...)`, narrowed later by `qs = qs.filter(...)`: the same model.
    if (manager.type === 'identifier' && depth < 8) {
      const bindings = this.ctx.scope.lookup(manager.text, manager)?.bindings ?? [];
      let model: KnownClass | undefined;
      for (const b of bindings) {
        const value = assignedValue(b.node);
        let root = value;
        while (root?.type === 'call' || root?.type === 'attribute') root = root.type === 'call' ? root.childForFieldName('function') : root.childForFieldName('object');
        if (root?.type === 'identifier' && root.text === manager.text) continue;
        const found = value ? this.djangoModelOf(value, depth + 1) : undefined;
        if (!found || found.kind !== 'project' || (model && model.kind === 'project' && model.summary !== found.summary)) return undefined;
        model = found;
      }
      return model;
    }
    // `Product.objects.order_by("-stock")[:3]`: a slice of a queryset.
    if (manager.type === 'subscript' && manager.childForFieldName('subscript')?.type === 'slice' && depth < 8) {
      const value = manager.childForFieldName('value');
      return value ? this.djangoModelOf(value, depth + 1) : undefined;
    }
    if (manager.type !== 'attribute') return undefined;
    const model = manager.childForFieldName('object');
    const cls = model ? this.classObject(model) : undefined;
    // `order.items` (a related manager of an instance): the related model.
    if (!cls && model && depth < 8) {
      const owner = this.classOfReceiver(model, 1);
      return owner?.kind === 'project' ? this.relatedModel(owner, manager.childForFieldName('attribute')?.text ?? '') : undefined;
    }
    if (cls?.kind !== 'project' || !this.isDjangoModel(cls)) return undefined;
    const name = manager.childForFieldName('attribute')?.text ?? '';
    return name === 'objects' || name === '_default_manager' || name === '_base_manager' || this.customManager(cls, name) ? cls : undefined;
  }

  private classOfConstructor(fn: Node, at: Node): KnownClass | undefined {
    if (fn.type !== 'identifier' && fn.type !== 'attribute') return undefined;
    const lib = this.libraryClassOf(fn);
    if (lib) return { kind: 'library', name: lib };
    const cls = this.classByName(fn.text.replace(/\s+/g, ''), at);
    if (cls || fn.type !== 'identifier') return cls;
    // A factory of this file, `def make_repo() -> Repo:`, called without await.
    const found = this.ctx.scope.lookup(fn.text, fn);
    // `User = get_user_model()`, then `User(username=...)`: an instance of the user model.
    const bound = found?.bindings.length === 1 ? assignedValue(found.bindings[0].node) : undefined;
    const maker = bound?.type === 'call' ? bound.childForFieldName('function') : null;
    if (maker && (maker.type === 'identifier' || maker.type === 'attribute') && this.ctx.scope.resolve(maker)?.name === 'django.contrib.auth.get_user_model') return { kind: 'library', name: DJANGO_MODEL };
    const def = found?.bindings.length === 1 && found.bindings[0].kind === 'def' ? found.bindings[0].node : undefined;
    if (!def && found?.bindings.length === 1 && found.bindings[0].kind === 'import') {
      // Or of another module of the project: `from .context import ctx` with `def ctx(request) -> AppContext:`.
      const r = this.ctx.scope.resolve(fn);
      const member = r?.via === 'import' ? this.memberByImportedName(r.name) : undefined;
      // `from .selectors import active_orders` with `def active_orders(): return Order.objects.filter(...)`: a queryset.
      if (member?.kind === 'function' && !member.fn.isAsync && member.fn.returnsQuerySetOf) {
        const model = this.classFromText(member.fn.returnsQuerySetOf, member.module);
        return model?.kind === 'project' && this.isDjangoModel(model) ? { kind: 'library', name: DJANGO_MANAGER } : undefined;
      }
      return member?.kind === 'function' && !member.fn.isAsync && member.fn.returns ? this.classFromText(member.fn.returns, member.module) : undefined;
    }
    if (def?.type !== 'function_definition' || isAsyncFunction(def)) return undefined;
    const returns = def.childForFieldName('return_type');
    if (returns) return this.classOfTypeExpr(returns.namedChildren[0] ?? returns);
    // `def active_orders(): return Order.objects.filter(active=True)`: a queryset.
    if (/\bobjects\b|_set\b/.test(def.text) && parentOf(def)?.type !== 'decorated_definition' && this.givesQuerySet(def)) return { kind: 'library', name: DJANGO_MANAGER };
    // Unannotated: `def make_notifier(): return SlackNotifier(url)`.
    const made = constructedReturn(def);
    return made ? this.classByName(made.text.replace(/\s+/g, ''), made) : undefined;
  }

  /**
   * The class an annotation names: `Repo`, `mod.Repo`, `"Repo"`, `Repo | None`, `Optional[Repo]`
   * (one class besides None, or nothing).
   */
  private classOfTypeExpr(expr: Node, depth = 0): KnownClass | undefined {
    if (depth > 3) return undefined;
    if (expr.type === 'string') {
      // A forward reference: the class name as text (`"Repo"`, `"Repo | None"`).
      const name = classNameOfAnnotation(expr);
      return name ? (this.classByName(name, expr) ?? this.classFromText(name, this.here)) : undefined;
    }
    if (expr.type === 'binary_operator') {
      const sides = [expr.childForFieldName('left'), expr.childForFieldName('right')].filter((n): n is Node => !!n && n.text !== 'None');
      return sides.length === 1 ? this.classOfTypeExpr(sides[0], depth + 1) : undefined;
    }
    if (expr.type === 'subscript' || expr.type === 'generic_type') {
      const only = singleTypeArgument(expr, /(^|\.)Optional$/) ?? annotatedType(expr);
      if (only) return this.classOfTypeExpr(only, depth + 1);
      // `Service[Product]`: a generic class of the project, whatever its type arguments.
      const head = subscriptParts(expr)?.head;
      if (head?.type !== 'identifier' && head?.type !== 'attribute') return undefined;
      const cls = this.classByName(head.text.replace(/\s+/g, ''), head);
      if (cls?.kind === 'project') return cls;
      // `asyncio.Queue[str]`, `asyncio.Future[bytes]`: the library's generic class.
      const lib = this.libraryClassOf(head);
      return lib ? { kind: 'library', name: lib } : undefined;
    }
    if (expr.type === 'type') return expr.namedChildren[0] ? this.classOfTypeExpr(expr.namedChildren[0], depth + 1) : undefined;
    if (expr.type !== 'identifier' && expr.type !== 'attribute') return undefined;
    const lib = this.libraryClassOf(expr);
    if (lib) return { kind: 'library', name: lib };
    // `R = TypeVar("R", bound=Repo)`: a receiver typed `R` has at least Repo's methods.
    const bound = expr.type === 'identifier' ? this.typeVarBound(expr) : undefined;
    if (bound) return this.classOfTypeExpr(bound, depth + 1);
    const written = expr.text.replace(/\s+/g, '');
    // A library class imported for type checkers only (`if TYPE_CHECKING: import aiohttp`).
    return this.classByName(written, expr) ?? this.classFromText(written, this.here);
  }

  /** The `bound=` of the `TypeVar(...)` a name is bound to, if any. */
  private typeVarBound(id: Node): Node | undefined {
    const found = this.ctx.scope.lookup(id.text, id);
    const value = found?.bindings.length === 1 ? assignedValue(found.bindings[0].node) : null;
    const fn = value?.type === 'call' ? value.childForFieldName('function') : null;
    if (!fn || !/(^|\.)TypeVar$/.test(fn.text)) return undefined;
    const bound = value!.childForFieldName('arguments')?.namedChildren.find((a) => a?.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'bound');
    return bound?.childForFieldName('value') ?? undefined;
  }

  /**
   * Whether a call gives something of the project usable only asynchronously: for `with`, what a
   * function or method decorated `@asynccontextmanager` makes, or an instance of a class with
   * `__aenter__` and no `__enter__`; for `for`, an instance of a class with `__aiter__` and no
   * `__iter__` nor `__getitem__`. Classes with a base outside the project are not judged.
   */
  asyncOnly(call: Node, protocol: 'with' | 'for'): boolean {
    const contextManager = (decorators: readonly string[], module: ModuleSummary) =>
      protocol === 'with' &&
      decorators.some((d) => /(^|\.)asynccontextmanager$/.test(d) || (module === this.here && importedName(d, module) === 'contextlib.asynccontextmanager'));
    // `with bucket:` on an instance.
    if (typeOf(call) === 'identifier' || typeOf(call) === 'attribute') return protocol === 'with' && this.asyncOnlyInstance(this.classOfReceiver(call), protocol);
    const m = this.projectMethodCalled(call);
    if (m && contextManager(m.fn.decorators, m.module)) return true;
    const callee = this.projectFunctionCalled(call);
    if (callee) {
      if (callee.def) {
        const decorators = (callee.def.parent?.type === 'decorated_definition' ? callee.def.parent.namedChildren : []).filter((d): d is Node => d?.type === 'decorator');
        return contextManager(decorators.map((d) => decoratorTarget(d)?.text.replace(/\s+/g, '') ?? ''), this.here);
      }
      return contextManager(callee.summary.decorators, callee.module);
    }
    return this.asyncOnlyInstance(this.classOfReceiver(call), protocol);
  }

  /** An instance of a project class usable only asynchronously in `protocol` (see asyncOnly). */
  private asyncOnlyInstance(made: KnownClass | undefined, protocol: 'with' | 'for'): boolean {
    if (made?.kind !== 'project') return false;
    const order = this.mro(made.summary, made.module, 0);
    if (this.baseOutside(order)) return false;
    const has = (name: string) => order.some((e) => e.cls.methods.has(name));
    return protocol === 'with' ? has('__aenter__') && !has('__enter__') : has('__aiter__') && !has('__iter__') && !has('__getitem__');
  }

  /**
   * Whether a method may override one of a base class: a project base in the resolution order
   * defines the name, or a base is not a class of the project (a library's, or unknown).
   */
  mayOverride(fnNode: Node, name: string): boolean {
    const body = fnNode.childForFieldName('body');
    const cls = body ? this.enclosingClass(body) : undefined;
    if (!cls) return false;
    const order = this.mro(cls, this.here, 0);
    if (order.slice(1).some((e) => e.cls.methods.has(name))) return true;
    // A base that is not among the project classes found: it may define the method.
    return this.baseOutside(order);
  }

  /** Whether a class in a resolution order has a base that is not among its project classes (a library's, or unknown). */
  private baseOutside(order: MroEntry[]): boolean {
    const known = new Set(order.map((e) => e.cls));
    return order.some((e) =>
      e.cls.bases.some((b) => {
        if (PLAIN_BASES.test(b)) return false;
        const base = this.classInModule(b, e.module);
        return !base || !known.has(base.cls);
      }),
    );
  }

  /** The class whose method directly contains `node` (for `self`/`cls`). */
  private enclosingClass(node: Node): ClassSummary | undefined {
    let fn = this.ctx.scope.enclosingFunction(node);
    // `lambda: self.process(job)` in a method: the method's `self`.
    while (fn && (fn.kind === 'lambda' || fn.kind === 'comprehension')) fn = fn.parent;
    if (!fn || fn.kind !== 'function') return undefined;
    const parentScope = fn.parent;
    if (parentScope?.kind !== 'class') return undefined;
    // Only top-level classes are in the module summary.
    if (parentScope.parent?.kind !== 'module') return undefined;
    return this.here.classes.get(parentScope.name);
  }
}

/** Library bases that define no async methods a subclass could be overriding. */
const PLAIN_BASES = /^(object|Exception|(abc\.)?ABC|(typing\.)?(Protocol|Generic|NamedTuple|TypedDict)|(enum\.)?(Enum|IntEnum|StrEnum|Flag)|(pydantic\.)?BaseModel)$/;

interface MroEntry {
  cls: ClassSummary;
  module: ModuleSummary;
}

/** C3's merge of base orders (each list is consumed); undefined when no consistent order exists. */
function c3Merge(lists: MroEntry[][]): MroEntry[] | undefined {
  const out: MroEntry[] = [];
  for (;;) {
    const live = lists.filter((l) => l.length > 0);
    if (live.length === 0) return out;
    const head = live.map((l) => l[0]).find((h) => !live.some((l) => l.slice(1).some((e) => e.cls === h.cls)));
    if (!head) return undefined;
    out.push(head);
    for (const l of live) if (l[0].cls === head.cls) l.shift();
  }
}

function dedupe(entries: MroEntry[]): MroEntry[] {
  const seen = new Set<ClassSummary>();
  return entries.filter((e) => !seen.has(e.cls) && !!seen.add(e.cls));
}
