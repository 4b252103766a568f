/**
 * The Python project index: which functions and methods of the workspace are coroutine
 * functions, so that calling one without `await` can be recognised across modules.
 *
 * Modules are summarised lazily, on the first import that needs them, and cached by the file's
 * size and modification time (or by the editor's text for open documents); a changed file is
 * re-summarised alone. Nothing is executed: summaries come from the syntax tree.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DeclaredTypes } from './declared';
import type { SyntaxNode as Node, SyntaxTree as Tree } from './syntax';
import { digest } from '../engine/text';
import { type ImportedModule, importedModules, mentionsAsync } from './relevance';
import { SCOPE_OPENERS, isAbstractStub, nodesOfType } from './util';

export interface FunctionSummary {
  name: string;
  isAsync: boolean;
  /** An `async def` that yields: calling it makes an async generator, not a coroutine. */
  isGenerator: boolean;
  /** A stub that raises NotImplementedError: the overrides decide what a call gives. */
  abstractStub?: boolean;
  /** Decorator expressions as written, without call arguments (`functools.wraps`, `app.get`). */
  decorators: string[];
  kind: 'function' | 'instance' | 'static' | 'class';
  /** A decorator defined here returns an inner `async def` (directly, or through a factory). */
  wrapsAsync: boolean;
  /** Returns a task it creates and keeps nowhere (`return asyncio.create_task(coro)`): a task factory. */
  returnsTask: boolean;
  /** The class its return annotation names, as written (`asyncio.AbstractEventLoop`). */
  returns: string | undefined;
  /** A plain `def` annotated to return a coroutine (`-> Coroutine[Any, Any, T]`): calling it makes one. */
  returnsCoroutine: boolean;
  /** Whether it has a return annotation at all (an overloaded implementation often has none). */
  returnAnnotated: boolean;
  /** A method whose every `return` gives `self` or a chain on it (`return self.filter(active=True)`). */
  returnsSelfChain: boolean;
  /**
   * A plain `def` whose own body starts an event loop with nothing in it that looks for a running
   * one (`asyncio.run(...)`, `loop.run_until_complete(...)`; see loopRunnerIn): called inside a
   * coroutine, it raises RuntimeError. What it calls, as written.
   */
  runsLoop?: string;
  /**
   * A plain, undecorated module-level `def` (not a generator) whose own body makes a well-known blocking call, as
   * written (`requests.get`, `time.sleep`, `open`; see blockingCallIn): called inside a coroutine, it blocks the loop.
   */
  blocks?: string;
  /** The class a generator annotated `-> AsyncIterator[X]` (`AsyncGenerator[X, None]`, `Iterator[X]`, `Generator[X, ...]`) yields. */
  yields?: string;
  /** A `@contextmanager` that only translates errors (see translatesErrorsOnly): leaving it early runs nothing. */
  translatesErrors?: true;
  /**
   * A plain, unannotated, undecorated module-level `def` whose every `return` gives a queryset of one class's default
   * manager (`return Order.objects.filter(active=True)`): that class, as written (see querySetReturn).
   */
  returnsQuerySetOf?: string;
}

export interface ClassSummary {
  name: string;
  /** Base classes as written (`Base`, `mod.Base`). */
  bases: string[];
  /** The type arguments of subscripted bases, as class names written (`CoordinatorEntity[MyCoordinator]`). */
  baseArguments: Map<string, string[]>;
  methods: Map<string, FunctionSummary>;
  /**
   * What each instance attribute holds, as a class name written in the class's module: from
   * `self.x = Ctor(...)`, `self.x: T = ...`, `self.x = param` with `param: T`, or a class-level
   * `x: T`; `items:X`/`values:X` for containers (see annotationText); `await:f` for
   * `self.x = await f(...)` (what the awaited factory gives);
   * `call:T:m` for `self.x = p.m(...)` with a parameter `p: T`; `selfcall:y:m` for `self.x = self.y.m(...)`;
   * `stub:self:y` / `stub:T` for a generated gRPC stub made over `self.y` / a parameter `p: T`.
   * Empty when two sources disagree.
   */
  attributes: Map<string, string>;
  /**
   * Class variables made by a call in the class body, by name: `live = LiveManager()` →
   * `LiveManager`, `objects = PublishedQuerySet.as_manager()` → `PublishedQuerySet.as_manager`
   * (the callee as written). What the class object holds, for Django's custom managers.
   */
  classCalls: Map<string, string>;
  /** `related_name="reviews"` of the relation fields declared in the class body (Django). */
  relatedNames: string[];
  /**
   * Django relation fields declared in the class body (`customer = models.ForeignKey(Customer, ...)`):
   * the field's kind (`ForeignKey`, `OneToOneField`), the target model as written (`Customer`,
   * `"shop.Customer"`, `self`), and whether it is declared `null=True`.
   */
  relations?: Map<string, DjangoRelation>;
  /** Django fields that model validation checks against the database: `unique=True`, relations. */
  dbValidatedFields?: string[];
  /** A nested `class Meta:` with `model = X` (a ModelForm, a DRF ModelSerializer): X as written, and `fields` when a list of names. */
  meta?: { model: string; fields?: string[] };
}

/** A Django relation field: its kind, its target model as written, `null=True`, `related_name`. */
export interface DjangoRelation {
  kind: string;
  target: string;
  nullable: boolean;
  relatedName?: string;
}

export interface ImportBinding {
  /** Module as written (`pkg.mod`), empty for `from . import x`. */
  module: string;
  /** Imported member, or undefined for `import pkg.mod [as m]`. */
  name?: string;
  /** Number of leading dots of a relative import. */
  level: number;
}

export interface ModuleSummary {
  path: string;
  functions: Map<string, FunctionSummary>;
  classes: Map<string, ClassSummary>;
  /** Top-level import bindings by local name (also the re-exports of an `__init__.py`). */
  imports: Map<string, ImportBinding>;
  /** Top-level names rebound by something else than `def`/`class`/`import`. */
  otherBindings: Set<string>;
  /** Top-level names bound once to another top-level name: `fetch = _fetch_impl` → `_fetch_impl`. */
  functionAliases: Map<string, string>;
  /** Top-level `from m import *` statements, in order (bindings without a name). */
  starImports: ImportBinding[];
  /** The names of a literal `__all__` (`__all__ = [...]`, `+= [...]`): all a star import of the module binds. Undefined without one. */
  exportedNames?: Set<string>;
  /** Imports under `if TYPE_CHECKING:`: names for annotations, bound at type-checking time only. */
  typeImports: Map<string, ImportBinding>;
  /** Top-level `name = Ctor(...)`: name → constructor as written (empty when bound otherwise too). */
  instances: Map<string, string>;
  /** Top-level type aliases of a class: `SessionDep = Annotated[AsyncSession, Depends(...)]` → `AsyncSession`. */
  typeAliases: Map<string, string>;
  /** Top-level aliases of a generic class with its type arguments, as written: `MyConfigEntry = ConfigEntry[RuntimeData]` → [`ConfigEntry`, `RuntimeData`]. */
  genericAliases: Map<string, string[]>;
  /** Top-level aliases of a callable that makes a coroutine or an awaitable: `Handler = Callable[[Event], Awaitable[None]]`. */
  coroutineCallables: Map<string, 'coroutine' | 'awaitable'>;
  /**
   * Top-level SQLAlchemy session factories by the sessions they make: `SessionLocal =
   * async_sessionmaker(engine)` (or `sessionmaker(..., class_=AsyncSession)`) → 'async',
   * `sessionmaker(bind=engine)` → 'sync'. From the text as written.
   */
  sessionFactories: Map<string, 'async' | 'sync'>;
  /**
   * Top-level typed keys of aiohttp's application state: `db_key = web.AppKey("db", asyncpg.Pool)`
   * (or `AppKey[asyncpg.Pool]("db")`, or annotated `db_key: AppKey[asyncpg.Pool] = ...`) → what
   * `app[db_key]` holds, as annotationText writes it (`asyncpg.Pool`, `items:web.WebSocketResponse`).
   * Keyed by the constructor as written; its module is checked where the key is used.
   */
  appKeys: Map<string, { ctor: string; held: string }>;
}

interface CacheEntry {
  key: string;
  summary: ModuleSummary;
}

/** What one top-level `def`/`class` statement (decorators included) contributes to its module's summary. */
type DefinitionEntry = { kind: 'function'; name: string; fn: FunctionSummary } | { kind: 'class'; name: string; cls: ClassSummary } | null;

/**
 * Summaries of the definitions of a file's previous version, by their source text: summaries hold
 * no positions, so a definition whose text did not change is not summarised again (an edit inside
 * one function body re-summarises that function alone).
 */
interface DefinitionCache {
  text: string;
  /** The whole tree is free of syntax errors (then no statement needs checking on its own). */
  clean: boolean;
  /**
   * By the statement's text. The keys of `next` are slices of the current text only (an entry
   * carried over is re-keyed), so that they keep no earlier version of the file alive.
   */
  previous: Map<string, CachedDefinition> | undefined;
  next: Map<string, CachedDefinition>;
}

/** The same lines parse alike only at the same indentation: the column is part of the key. */
interface CachedDefinition {
  column: number;
  entry: DefinitionEntry;
}

/** Files whose definition summaries are kept between analyses. */
const MAX_DEFINITION_CACHES = 32;

/** Decorators that keep an `async def` a coroutine function, by qualified or final name. */
const ASYNC_PRESERVING_DECORATORS = new Set([
  'staticmethod', 'classmethod', 'abc.abstractmethod', 'abstractmethod', 'typing.override', 'typing_extensions.override',
  'override', 'functools.cache', 'functools.lru_cache', 'functools.wraps', 'wraps', 'typing.final', 'final',
  'tenacity.retry', 'backoff.on_exception', 'backoff.on_predicate', 'async_lru.alru_cache', 'alru_cache',
  'aiocache.cached', 'pytest.fixture', 'pytest_asyncio.fixture', 'deprecated', 'typing_extensions.deprecated',
  'warnings.deprecated',
  // Prefect's tasks and flows: calling an async one makes a coroutine, which the flow awaits.
  'prefect.task', 'prefect.flow',
  // Temporal's activity and workflow-method markers return the function itself.
  'temporalio.activity.defn', 'temporalio.workflow.run', 'temporalio.workflow.signal', 'temporalio.workflow.update',
]);
/** Route/handler registration decorators (`@app.get("/")`, `@router.post`, `@routes.get`) return the function. */
const ROUTE_METHODS = new Set([
  'get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'trace', 'route', 'api_route', 'websocket',
  'websocket_route', 'middleware', 'exception_handler', 'on_event', 'view',
]);

export class PythonProjectIndex {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly overlay = new Map<string, { text: string; version: number }>();
  /** Module resolutions, forgotten whenever a file appears, changes on disk or disappears. */
  private readonly resolutions = new Map<string, string | undefined>();
  private version = 0;
  /** Definition summaries of the last version of each recently analysed file (see DefinitionCache). */
  private readonly definitions = new Map<string, Map<string, CachedDefinition>>();
  /**
   * The summary of each file analysed as it is on disk (not open in an editor), by a digest of the
   * analysed text: a module imported after it was analysed (a scan) is not parsed a second time.
   */
  private readonly analysed = new Map<string, { digest: string; summary: ModuleSummary }>();

  /** Handlers registered by call in each module read by routesOf(), by the file's version. */
  private readonly routes = new Map<string, { key: string; refs: Route[] }>();
  /** The functions each module read by dependenciesOf() gives to FastAPI's `Depends(...)`, by the file's version. */
  private readonly dependencies = new Map<string, { key: string; refs: { file: string; name: string }[] }>();
  /** The project functions each module read by arqSettingsOf() lists in arq's worker settings, by the file's version. */
  private readonly arqSettings = new Map<string, { key: string; refs: { file: string; name: string }[] }>();
  /** File stats taken during the current pass (the analysis of one file), by absolute path. */
  private readonly stats = new Map<string, fs.Stats | null>();
  /** Search roots of absolute imports, by importing folder; forgotten with the resolutions. */
  private readonly roots = new Map<string, string[]>();
  /** Folder listings for module lookups; forgotten with the resolutions. */
  private readonly listings = new Map<string, Set<string> | null>();

  constructor(private readonly parse: (filePath: string, text: string) => Tree) {}

  /**
   * Starts a pass: the analysis of one file. Module files are looked up on disk once per pass,
   * so that a file changed on disk is seen by the next analysis without a watcher event.
   */
  beginPass(): void {
    this.stats.clear();
  }

  private stat(abs: string): fs.Stats | null {
    let stat = this.stats.get(abs);
    if (stat === undefined) {
      try {
        stat = fs.statSync(abs);
      } catch {
        stat = null;
      }
      this.stats.set(abs, stat);
    }
    return stat;
  }

  /** An open document's text (or `undefined` when closed or deleted: back to the disk). */
  updateFile(filePath: string, text: string | undefined): void {
    const key = path.resolve(filePath);
    this.analysed.delete(key);
    this.stats.delete(key);
    if (text === undefined || !this.overlay.has(key)) {
      this.resolutions.clear();
      this.facts.clear();
      this.roots.clear();
      this.listings.clear();
    }
    if (text === undefined) {
      this.overlay.delete(key);
      this.definitions.delete(key);
    } else this.overlay.set(key, { text, version: ++this.version });
  }

  /** The summary of a module file, from the editor's text or the disk; undefined if unreadable. */
  summary(filePath: string): ModuleSummary | undefined {
    const abs = path.resolve(filePath);
    const open = this.overlay.get(abs);
    let key: string;
    let text: string | undefined;
    if (open) {
      key = `v${open.version}`;
      text = open.text;
    } else {
      const stat = this.stat(abs);
      if (!stat) {
        this.cache.delete(abs);
        return undefined;
      }
      if (!stat.isFile() || stat.size > 2 * 1024 * 1024) return undefined;
      key = `d${stat.size}:${stat.mtimeMs}`;
    }
    const hit = this.cache.get(abs);
    if (hit && hit.key === key) return hit.summary;
    if (text === undefined) {
      try {
        text = fs.readFileSync(abs, 'utf8');
      } catch {
        return undefined;
      }
    }
    if (text.indexOf('\u0000') !== -1) return undefined;
    const analysed = this.analysed.get(abs);
    if (analysed && analysed.digest === digest(text)) {
      this.cache.set(abs, { key, summary: analysed.summary });
      return analysed.summary;
    }
    let tree: Tree;
    try {
      tree = this.parse(abs, text);
    } catch {
      return undefined; // e.g. over the parse time budget: the module stays unknown
    }
    const summary = summarizeModule(abs, tree.rootNode);
    this.cache.set(abs, { key, summary });
    return summary;
  }

  /**
   * The request handlers a module registers by a call (`app.router.add_get('/x', views.index)`,
   * `web.get(...)`, `Route('/x', endpoint=...)`, Django's `path('x/', views.index)`): each handler
   * as the import it names (`views.index` through `from . import views`), resolved to its file.
   * Read on demand, for the handler modules next to it; cached by the file's version.
   */
  routesOf(filePath: string): readonly Route[] {
    return this.readReferences(this.routes, filePath, ROUTE_HINT, (tree, imported) => {
      const routes: Route[] = [];
      const refs = [
        ...routeReferences(tree.rootNode.descendantsOfType('call')).map((r) => ({ ...r, signal: false })),
        ...awaitedHookReferences(tree.rootNode).map((r) => ({ ...r, coroutine: true, signal: true })),
      ];
      for (const ref of refs) {
        const target = imported(ref.local, ref.attribute);
        if (target) routes.push({ ...target, coroutine: ref.coroutine, signal: ref.signal });
      }
      return routes;
    });
  }

  /**
   * The project functions a module gives to FastAPI's `Depends(...)` (`Depends(get_es)` with `from
   * .deps import get_es`, `Depends(deps.get_es)`), each as the import it names resolved to its file.
   * Read on demand; cached by the file's version.
   */
  dependenciesOf(filePath: string): readonly { file: string; name: string }[] {
    return this.readReferences(this.dependencies, filePath, /\bDepends\s*\(/, (tree, imported) => {
      const refs: { file: string; name: string }[] = [];
      for (const call of tree.rootNode.descendantsOfType('call')) {
        if (!call || !/(^|\.)Depends$/.test(call.childForFieldName('function')?.text ?? '')) continue;
        const arg = call.childForFieldName('arguments')?.namedChildren[0];
        const object = arg?.type === 'attribute' ? arg.childForFieldName('object') : null;
        const target =
          arg?.type === 'identifier'
            ? imported(arg.text, undefined)
            : object?.type === 'identifier'
              ? imported(object.text, arg!.childForFieldName('attribute')?.text ?? '')
              : undefined;
        if (target) refs.push(target);
      }
      return refs;
    });
  }

  /**
   * What `collect` finds in a module that mentions `hint`, cached in `cache` by the file's version
   * (open document or disk). `collect` gets the module's tree and `imported(local, attribute)`,
   * which gives the project function a name of the module stands for as its resolved file and
   * name: `from .views import index` → `index`; `from . import views` or `import app.views as
   * views` → `views.index` (attribute `index`; an empty attribute is no function).
   */
  private readReferences<T>(
    cache: Map<string, { key: string; refs: T[] }>,
    filePath: string,
    hint: RegExp,
    collect: (tree: Tree, imported: (local: string, attribute: string | undefined) => { file: string; name: string } | undefined) => T[],
  ): readonly T[] {
    const abs = path.resolve(filePath);
    const key = this.versionKey(abs);
    if (key === undefined) return [];
    const hit = cache.get(abs);
    if (hit?.key === key) return hit.refs;
    const text = this.read(abs)?.text;
    if (text === undefined) return [];
    let refs: T[] = [];
    if (hint.test(text) && text.indexOf('\u0000') === -1) {
      try {
        const tree = this.parse(abs, text);
        const imports = new Map<string, ImportBinding>();
        for (const stmt of tree.rootNode.descendantsOfType(['import_statement', 'import_from_statement'])) {
          if (stmt) for (const [local, binding] of importBindings(stmt)) imports.set(local, binding);
        }
        refs = collect(tree, (local, attribute) => {
          const binding = imports.get(local);
          if (!binding) return undefined;
          const [module, name] =
            attribute === undefined ? [binding.module, binding.name] : [binding.name ? (binding.module ? `${binding.module}.${binding.name}` : binding.name) : binding.module, attribute];
          if (!name) return undefined;
          const file = this.resolveModule(abs, module, binding.level);
          return file ? { file: path.resolve(file), name } : undefined;
        });
      } catch {
        // unparsable: nothing known
      }
    }
    cache.set(abs, { key, refs });
    return refs;
  }

  /**
   * Whether a module near `filePath` (in its folder, the folders below it two levels down, where
   * FastAPI apps keep their routers, or the folder above) gives its function `name` to
   * `Depends(...)`: FastAPI calls it for every request that depends on it.
   */
  dependedOnNearby(filePath: string, name: string): boolean {
    const self = path.resolve(filePath);
    const here = path.dirname(self);
    const files: string[] = [];
    const list = (dir: string, depth: number): void => {
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        if (files.length >= 200) return;
        if (e.isFile() && e.name.endsWith('.py')) files.push(path.join(dir, e.name));
        else if (e.isDirectory() && depth > 0 && !/^(\.|__pycache__$|node_modules$|site-packages$|venv$|env$)/.test(e.name)) list(path.join(dir, e.name), depth - 1);
      }
    };
    list(here, 2);
    list(path.dirname(here), 0);
    return files.some((file) => file !== self && this.dependenciesOf(file).some((d) => d.file === self && d.name === name));
  }

  /**
   * Whether a module in the folder of `filePath` or the folder above that imports arq lists its
   * function `name` in a class body (`functions = [download]`, `on_startup = startup`, `cron_jobs =
   * [cron(jobs.report, hour=1)]` with `from .jobs import download, startup` or `from . import jobs`):
   * arq's worker settings, whose worker awaits those functions.
   */
  arqListedNearby(filePath: string, name: string): boolean {
    const self = path.resolve(filePath);
    const here = path.dirname(self);
    for (const dir of [here, path.dirname(here)]) {
      let entries: string[];
      try {
        entries = fs.readdirSync(dir).filter((e) => e.endsWith('.py')).slice(0, 200);
      } catch {
        continue;
      }
      for (const entry of entries) {
        const file = path.join(dir, entry);
        if (file !== self && this.arqSettingsOf(file).some((f) => f.file === self && f.name === name)) return true;
      }
    }
    return false;
  }

  /** The project functions that the class bodies of a module importing arq name (see arqListedNearby), by the file's version. */
  private arqSettingsOf(filePath: string): readonly { file: string; name: string }[] {
    return this.readReferences(this.arqSettings, filePath, /^\s*(from|import)\s+arq\b/m, (tree, imported) => {
      const refs: { file: string; name: string }[] = [];
      for (const cls of tree.rootNode.descendantsOfType('class_definition')) {
        for (const stmt of cls?.childForFieldName('body')?.namedChildren ?? []) {
          const assignment = stmt?.type === 'expression_statement' ? stmt.namedChildren[0] : null;
          const right = assignment?.type === 'assignment' ? assignment.childForFieldName('right') : null;
          if (!right) continue;
          const named = [right, ...right.descendantsOfType(['identifier', 'attribute'])].filter((n): n is NonNullable<typeof n> => !!n);
          for (const n of named) {
            const object = n.type === 'attribute' ? n.childForFieldName('object') : null;
            const target =
              n.type === 'identifier'
                ? imported(n.text, undefined)
                : object?.type === 'identifier'
                  ? imported(object.text, n.childForFieldName('attribute')?.text ?? '')
                  : undefined;
            if (target) refs.push(target);
          }
        }
      }
      return refs;
    });
  }

  /**
   * Whether a routing module next to `filePath` (in its folder or the folder above: `routes.py`,
   * Django's `urls.py`, `app.py`, ...) registers its function `name` as a request handler by a
   * call (`app.router.add_get('/x', handlers.index)`, `path('x/', views.index)`); with
   * `coroutineOnly`, by any registration that requires a coroutine function (aiohttp's routes
   * and application signals).
   */
  registeredNextDoor(filePath: string, name: string, coroutineOnly = false): boolean {
    const self = path.resolve(filePath);
    const here = path.dirname(self);
    for (const dir of [here, path.dirname(here)]) {
      for (const file of ROUTING_MODULES) {
        const candidate = path.join(dir, file);
        if (candidate === self) continue;
        if (this.routesOf(candidate).some((r) => r.file === self && r.name === name && (coroutineOnly ? r.coroutine : !r.signal))) return true;
      }
    }
    return false;
  }

  /** Each module's own mention of async code and the project modules it imports, by file version (see mayReport). */
  private readonly facts = new Map<string, { key: string; mentions: boolean; imports?: string[] }>();

  /** The version of a module file: the editor's, or its size and time on disk; undefined if it is no readable module. */
  private versionKey(abs: string): string | undefined {
    const open = this.overlay.get(abs);
    if (open) return `v${open.version}`;
    const stat = this.stat(abs);
    return stat && stat.isFile() && stat.size <= 2 * 1024 * 1024 ? `d${stat.size}:${stat.mtimeMs}` : undefined;
  }

  /** The version key and text of a module file (the editor's text or the disk); undefined if unreadable. */
  private read(abs: string): { key: string; text: string } | undefined {
    const key = this.versionKey(abs);
    if (key === undefined) return undefined;
    try {
      return { key, text: this.overlay.get(abs)?.text ?? fs.readFileSync(abs, 'utf8') };
    } catch {
      return undefined;
    }
  }

  /** The project files (absolute) a module's import statements name (see importedModules). */
  importedFiles(filePath: string, text?: string, imports?: readonly ImportedModule[]): string[] {
    const abs = path.resolve(filePath);
    if (!imports) {
      text ??= this.read(abs)?.text;
      if (text === undefined) return [];
      imports = importedModules(text);
    }
    const out = new Set<string>();
    for (const { module, level } of imports) {
      const found = this.resolveModule(abs, module, level);
      if (found) out.add(path.resolve(found));
    }
    out.delete(abs);
    return [...out];
  }

  /**
   * Whether a rule can report anything in a module (see relevance.ts): it mentions async code
   * itself, or a project module it imports does, directly or through other project modules.
   * Reads import lines and texts only; nothing is parsed.
   */
  mayReport(filePath: string, text: string): boolean {
    const imports = importedModules(text);
    if (mentionsAsync(text, imports)) return true;
    const start = path.resolve(filePath);
    const seen = new Set([start]);
    const queue = this.importedFiles(start, text, imports);
    while (queue.length) {
      const file = queue.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      const key = this.versionKey(file);
      if (key === undefined) continue;
      let facts = this.facts.get(file);
      if (facts?.key !== key) {
        const module = this.read(file);
        if (!module) continue;
        const moduleImports = importedModules(module.text);
        facts = { key: module.key, mentions: mentionsAsync(module.text, moduleImports) };
        if (!facts.mentions) facts.imports = this.importedFiles(file, module.text, moduleImports);
        this.facts.set(file, facts);
      }
      if (facts.mentions) return true;
      for (const next of facts.imports ?? []) if (!seen.has(next)) queue.push(next);
    }
    return false;
  }

  /**
   * Whether `from <star> import *` written in `fromFile` binds `name`: the project module it names
   * lists `name` in its `__all__`, or (without one) binds a public `name` at top level, by a
   * definition, an import, an assignment or a star import of its own (`pkg/__init__.py` with
   * `from .api import *`). False for a module outside the project.
   */
  starExports(fromFile: string, star: ImportBinding, name: string, depth = 0): boolean {
    if (depth > 8) return false;
    const file = this.resolveModule(fromFile, star.module, star.level);
    const summary = file ? this.summary(file) : undefined;
    if (!file || !summary) return false;
    if (summary.exportedNames) return summary.exportedNames.has(name);
    if (name.startsWith('_')) return false;
    return this.bindsName(file, summary, name, depth);
  }

  /** Whether a module binds `name` at top level (see starExports). */
  private bindsName(file: string, summary: ModuleSummary, name: string, depth: number): boolean {
    if (summary.functions.has(name) || summary.classes.has(name) || summary.imports.has(name) || summary.otherBindings.has(name)) return true;
    return summary.starImports.some((star) => this.starExports(file, star, name, depth + 1));
  }

  /** The star import of a module's summary through which `name` is bound there, the last one first. */
  starImportOf(file: string, summary: ModuleSummary, name: string): ImportBinding | undefined {
    for (let i = summary.starImports.length - 1; i >= 0; i--) if (this.starExports(file, summary.starImports[i], name)) return summary.starImports[i];
    return undefined;
  }

  /**
   * The order to analyse the files of a scan in: each module after the modules it imports (as
   * far as a look at its import lines tells; cycles are broken where met), the rest in the given
   * order. A module imported by a file analysed later then has its summary from its own
   * analysis, instead of being parsed once for the summary and once more for its analysis
   * (the last trees kept are too few to bridge the gap on a large project).
   */
  analysisOrder(filePaths: readonly string[]): string[] {
    const byPath = new Map<string, string>();
    for (const f of filePaths) byPath.set(path.resolve(f), f);
    const imported = (file: string): string[] => this.importedFiles(file).filter((f) => byPath.has(f));
    const order: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    for (const start of byPath.keys()) {
      if (state.has(start)) continue;
      // Depth first, post-order, without recursion (import chains can be long).
      const stack: { file: string; deps: string[]; next: number }[] = [{ file: start, deps: imported(start), next: 0 }];
      state.set(start, 'visiting');
      while (stack.length) {
        const top = stack[stack.length - 1];
        if (top.next < top.deps.length) {
          const dep = top.deps[top.next++];
          if (state.has(dep)) continue;
          state.set(dep, 'visiting');
          stack.push({ file: dep, deps: imported(dep), next: 0 });
        } else {
          state.set(top.file, 'done');
          order.push(byPath.get(top.file)!);
          stack.pop();
        }
      }
    }
    return order;
  }

  /**
   * Summary of the current file from an already parsed tree (not cached as a whole: the text may
   * be mid-edit). `text` is the tree's source: definitions unchanged since the file's previous
   * summary reuse theirs.
   */
  summaryOfTree(filePath: string, root: Node, text?: string): ModuleSummary {
    const abs = path.resolve(filePath);
    if (text === undefined) return summarizeModule(abs, root);
    const previous = this.definitions.get(abs);
    const cache: DefinitionCache = { text, clean: !root.hasError, previous, next: new Map() };
    const summary = summarizeModule(abs, root, cache);
    this.definitions.delete(abs);
    this.definitions.set(abs, cache.next);
    if (this.definitions.size > MAX_DEFINITION_CACHES) this.definitions.delete(this.definitions.keys().next().value!);
    if (!this.overlay.has(abs) && !this.cache.has(abs)) this.analysed.set(abs, { digest: digest(text), summary });
    else this.analysed.delete(abs);
    return summary;
  }

  /**
   * The file of `module` imported from `fromFile` (`level` leading dots), looking in the
   * importer's package roots: `pkg/mod.py`, `pkg/mod/__init__.py`, and `.pyi` stubs.
   */
  resolveModule(fromFile: string, module: string, level: number): string | undefined {
    const key = `${path.dirname(path.resolve(fromFile))}\0${level}\0${module}`;
    if (this.resolutions.has(key)) return this.resolutions.get(key);
    const found = this.resolveModuleUncached(fromFile, module, level);
    this.resolutions.set(key, found);
    return found;
  }

  private resolveModuleUncached(fromFile: string, module: string, level: number): string | undefined {
    const parts = module ? module.split('.') : [];
    if (level > 0) {
      let base = path.dirname(path.resolve(fromFile));
      for (let i = 1; i < level; i++) base = path.dirname(base);
      return this.findModuleFile(base, parts);
    }
    const dir = path.dirname(path.resolve(fromFile));
    let roots = this.roots.get(dir);
    if (!roots) this.roots.set(dir, (roots = searchRoots(fromFile)));
    for (const root of roots) {
      const found = this.findModuleFile(root, parts);
      if (found) return found;
    }
    return undefined;
  }

  /**
   * `pkg/mod.py`, `pkg/mod/__init__.py` or a `.pyi` stub under `base`. Folders are listed once
   * (until a file appears or disappears) instead of trying each candidate on disk: most imports
   * (the standard library, installed packages) are not in the project at all.
   */
  private findModuleFile(base: string, parts: string[]): string | undefined {
    let dir = base;
    for (let i = 0; i < parts.length - 1; i++) {
      if (!this.listing(dir)?.has(parts[i])) return undefined;
      dir = path.join(dir, parts[i]);
    }
    const last = parts[parts.length - 1];
    const entries = this.listing(dir);
    if (!entries) return undefined;
    const candidates: [string, string][] = last === undefined
      ? [[dir, '__init__.py'], [dir, '__init__.pyi']]
      : [[dir, `${last}.py`], [path.join(dir, last), '__init__.py'], [dir, `${last}.pyi`], [path.join(dir, last), '__init__.pyi']];
    for (const [folder, name] of candidates) {
      const inFolder = folder === dir ? entries : entries.has(last) ? this.listing(folder) : null;
      if (!inFolder?.has(name)) continue;
      const file = path.join(folder, name);
      if (this.stat(file)?.isFile()) return file;
    }
    return undefined;
  }

  private listing(dir: string): Set<string> | null {
    let names = this.listings.get(dir);
    if (names === undefined) {
      try {
        names = new Set(fs.readdirSync(dir));
      } catch {
        names = null;
      }
      this.listings.set(dir, names);
    }
    return names;
  }
}

const PROJECT_MARKERS = ['pyproject.toml', 'setup.py', 'setup.cfg', '.git', 'asyncsense.json'];

/**
 * Folders an absolute import may start from: the parent of the importer's top-level package
 * (for a script outside any package, its own folder: scripts import their siblings) and, up to
 * the project root, each ancestor above it and its `src/` (namespace packages, src layouts).
 */
function searchRoots(fromFile: string): string[] {
  const roots: string[] = [];
  const add = (d: string) => {
    if (!roots.includes(d)) roots.push(d);
  };
  const dir = path.dirname(path.resolve(fromFile));
  // Inside a package, `import socket` is never the package's own socket.py (absolute imports
  // start above the top-level package); a plain folder of scripts imports its siblings.
  let top = dir;
  while (exists(path.join(top, '__init__.py'))) top = path.dirname(top);
  add(top);
  let cur = top;
  for (let i = 0; i < 8; i++) {
    add(cur);
    add(path.join(cur, 'src'));
    if (PROJECT_MARKERS.some((m) => exists(path.join(cur, m)))) break;
    const parent = path.dirname(cur);
    if (parent === cur) break;
    cur = parent;
  }
  return roots;
}

function exists(p: string): boolean {
  try {
    fs.statSync(p);
    return true;
  } catch {
    return false;
  }
}

/** Dotted text of a decorator's expression without its call arguments. */
export function decoratorName(decorator: Node): string {
  let expr = decorator.namedChildren[0];
  while (expr && expr.type === 'call') expr = expr.childForFieldName('function') ?? undefined as never;
  return expr ? expr.text.replace(/\s+/g, '') : '';
}

export function isAsyncFunction(fn: Node): boolean {
  return fn.child(0)?.type === 'async';
}

/** A function whose return annotation is `Coroutine[...]` (typing or collections.abc). */
export function annotatedCoroutine(fn: Node): boolean {
  const returns = fn.childForFieldName('return_type');
  let r = returns?.type === 'type' ? returns.namedChildren[0] : returns;
  const parts = r ? subscriptParts(r) : undefined;
  if (parts) r = parts.head;
  return !!r && /^((typing|collections\.abc|t)\.)?Coroutine$/.test(r.text.replace(/\s+/g, ''));
}

/**
 * Whether every `return` of a method's own body gives `self` or a chain of calls and attributes
 * on it (`self.filter(...)`, `self.get_queryset().exclude(...)`, `super().get_queryset()`).
 */
function returnsChainOnSelf(fn: Node): boolean {
  const body = fn.childForFieldName('body');
  if (!body || !body.text.includes('return')) return false;
  let any = false;
  for (const r of ownNodesOfType(fn, body, 'return_statement')) {
    let root: Node | null | undefined = r.namedChildren[0];
    while (root && (root.type === 'call' || root.type === 'attribute')) {
      if (root.type === 'call' && root.childForFieldName('function')?.text === 'super') break;
      root = root.type === 'call' ? root.childForFieldName('function') : root.childForFieldName('object');
    }
    const fromSelf = root?.type === 'identifier' ? root.text === 'self' : root?.type === 'call' && root.childForFieldName('function')?.text === 'super';
    if (!fromSelf) return false;
    any = true;
  }
  return any;
}

/** Queryset methods that give a queryset of the same model (Django). */
const QUERYSET_CHAIN = /^(all|filter|exclude|order_by|select_related|prefetch_related|only|defer|annotate|alias|using|distinct|reverse|select_for_update|values|values_list)$/;

/**
 * The class whose default manager every `return` of a function starts a queryset from (`return
 * Order.objects.filter(...).order_by(...)`, `return models.Order.objects.all()`), as written.
 */
function querySetReturn(fn: Node): string | undefined {
  const body = fn.childForFieldName('body');
  if (!body || !body.text.includes('.objects')) return undefined;
  let found: string | undefined;
  for (const r of ownNodesOfType(fn, body, 'return_statement')) {
    let expr: Node | null | undefined = r.namedChildren[0];
    while (expr?.type === 'call') {
      const callee: Node | null = expr.childForFieldName('function');
      if (callee?.type !== 'attribute' || !QUERYSET_CHAIN.test(callee.childForFieldName('attribute')?.text ?? '')) return undefined;
      expr = callee.childForFieldName('object');
    }
    const model = expr?.type === 'attribute' && expr.childForFieldName('attribute')?.text === 'objects' ? expr.childForFieldName('object') : null;
    const written = model && /^[\w.]+$/.test(model.text) ? model.text : undefined;
    if (!written || (found && found !== written)) return undefined;
    found = written;
  }
  return found;
}

/** Whether a function's own body (not nested functions, lambdas or classes) contains `yield`. */
export function yieldsInOwnBody(fn: Node): boolean {
  const body = fn.childForFieldName('body');
  return !!body && ownNodesOfType(fn, body, 'yield').length > 0;
}

/** The nodes of a type in a function's body that belong to it, not to a nested function, lambda or class. */
function ownNodesOfType(fn: Node, body: Node, type: string): Node[] {
  return body.descendantsOfType(type).filter((n): n is Node => {
    let owner: Node | null = n?.parent ?? null;
    while (owner && owner.type !== 'function_definition' && owner.type !== 'lambda' && owner.type !== 'class_definition') owner = owner.parent;
    return owner?.id === fn.id;
  });
}

function summarizeFunction(fn: Node, decorators: string[], inClass: boolean, mayYield: boolean): FunctionSummary {
  const name = fn.childForFieldName('name')?.text ?? '';
  let kind: FunctionSummary['kind'] = 'function';
  if (inClass) {
    kind = decorators.some((d) => d === 'staticmethod') ? 'static' : decorators.some((d) => d === 'classmethod') ? 'class' : 'instance';
  }
  const isAsync = isAsyncFunction(fn);
  // A decorator is a plain `def`: an `async def` gives a coroutine, whatever it returns.
  const wrapsAsync = returnsAsyncWrapper(fn, 2) || declaresSameType(fn) || (!isAsync && (returnsItsArgument(fn, 2, inClass && kind !== 'static') || (!inClass && returnsPassThroughWrapper(fn, 2))));
  // Unannotated, a factory's `return SlackNotifier(url)` says what it gives.
  const returns = fn.childForFieldName('return_type') ? classNameOfAnnotation(fn.childForFieldName('return_type')) : isAsync ? undefined : constructedReturn(fn)?.text.replace(/\s+/g, '');
  const returnsCoroutine = !isAsync && annotatedCoroutine(fn);
  const returnAnnotated = !!fn.childForFieldName('return_type');
  const returnsSelfChain = kind === 'instance' && !isAsync && returnsChainOnSelf(fn);
  const yields = yieldedClass(fn.childForFieldName('return_type'));
  const runsLoop = isAsync ? undefined : loopRunnerIn(fn);
  const blocks = isAsync || inClass || decorators.length > 0 ? undefined : blockingCallIn(fn);
  const translatesErrors = !isAsync && translatesErrorsOnly(fn, decorators);
  const returnsQuerySetOf = isAsync || inClass || returnAnnotated || decorators.length > 0 ? undefined : querySetReturn(fn);
  return { ...(returnsQuerySetOf ? { returnsQuerySetOf } : {}), ...(runsLoop ? { runsLoop } : {}), ...(blocks ? { blocks } : {}), ...(translatesErrors ? { translatesErrors } : {}), name, isAsync, isGenerator: isAsync && mayYield && yieldsInOwnBody(fn), ...(inClass && isAbstractStub(fn) ? { abstractStub: true } : {}), decorators, kind, wrapsAsync, returnsTask: !isAsync && returnsNewTask(fn), returns, returnsCoroutine, returnAnnotated, returnsSelfChain, ...(yields ? { yields } : {}) };
}

/**
 * A `@contextmanager` generator whose last statement is `try: yield` with handlers for named
 * exception classes only (not BaseException nor GeneratorExit, no `else`, no `finally`), and
 * which yields nowhere else: it maps the errors of the `with` body (`except OSError as e: raise
 * ConnectError(e)`). Closed early (GeneratorExit at its yield), it runs no code at all.
 */
export function translatesErrorsOnly(fn: Node, decorators: readonly string[]): boolean {
  if (!decorators.some((d) => /(^|\.)contextmanager$/.test(d))) return false;
  const body = fn.childForFieldName('body');
  const statements = body?.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment') ?? [];
  const last = statements[statements.length - 1];
  if (!body || !last || last.type !== 'try_statement' || ownNodesOfType(fn, body, 'yield').filter((y) => y.isNamed).length !== 1) return false;
  const tryBody = last.childForFieldName('body')?.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment') ?? [];
  if (tryBody.length !== 1 || tryBody[0].type !== 'expression_statement' || tryBody[0].namedChildren[0]?.type !== 'yield') return false;
  const clauses = last.namedChildren.filter((n): n is Node => n !== null && n.type !== 'block' && n.type !== 'comment');
  return (
    clauses.length > 0 &&
    clauses.every((c) => {
      if (c.type !== 'except_clause') return false;
      const caught = c.namedChildren.find((n) => n !== null && n.type !== 'block' && n.type !== 'comment');
      return !!caught && !/\b(BaseException|GeneratorExit)\b/.test(caught.text);
    })
  );
}

/** `AsyncIterator[X]`, `AsyncGenerator[X, None]`, `Iterator[X]`, `Generator[X, None, None]`: X, as written. */
export function yieldedClass(annotation: Node | null | undefined): string | undefined {
  const e = annotation?.type === 'type' ? annotation.namedChildren[0] : annotation;
  const parts = e && (e.type === 'subscript' || e.type === 'generic_type') ? subscriptParts(e) : undefined;
  if (!parts?.head || !/(^|\.)(AsyncIterator|AsyncGenerator|Iterator|Generator)$/.test(parts.head.text) || parts.args.length === 0) return undefined;
  const arg = parts.args[0];
  return classNameOfAnnotation(arg.type === 'type' ? (arg.namedChildren[0] ?? arg) : arg);
}

const TASK_CALL = /(^|\.)(create_task|ensure_future)$/;

/**
 * A helper that creates a task and hands it back without keeping it: `return
 * asyncio.create_task(coro)`, or `task = loop.create_task(coro)` then `return task` with no other
 * use of `task` (a helper that adds it to a set, or gives it a callback, keeps it alive).
 */
/**
 * The class an unannotated function constructs and returns: the callee of every `return X(...)`
 * of its own body (the same `X`, written in CapWords as classes are; `return None` and a bare
 * `return` aside), also through a local name bound once to `X(...)` (`client = X(...)`, `return
 * client`). Undefined when a return gives anything else.
 */
export function constructedReturn(fn: Node): Node | undefined {
  const body = fn.childForFieldName('body');
  if (!body || !body.text.includes('return')) return undefined;
  const constructed = (n: Node | null | undefined): Node | undefined => {
    const callee = n?.type === 'call' ? n.childForFieldName('function') : null;
    if (!callee || (callee.type !== 'identifier' && callee.type !== 'attribute')) return undefined;
    const last = callee.type === 'attribute' ? callee.childForFieldName('attribute')?.text : callee.text;
    return last && /^_?[A-Z][a-z0-9]\w*$/.test(last) ? callee : undefined;
  };
  let found: Node | undefined;
  for (const ret of ownNodesOfType(fn, body, 'return_statement')) {
    const value = ret.namedChildren[0];
    if (!value || (value.type === 'none')) continue;
    let callee = constructed(value);
    if (!callee && value.type === 'identifier') {
      const bound = body.descendantsOfType(['assignment', 'augmented_assignment']).filter((a) => a?.childForFieldName('left')?.text === value.text);
      callee = bound.length === 1 && bound[0]!.type === 'assignment' ? constructed(bound[0]!.childForFieldName('right')) : undefined;
    }
    if (!callee || (found && found.text.replace(/\s+/g, '') !== callee.text.replace(/\s+/g, ''))) return undefined;
    found = callee;
  }
  return found;
}

/** Text in a function that shows it looks for a running loop, or runs the loop elsewhere: a runner that copes. */
const COPES_WITH_RUNNING_LOOP = /get_running_loop|is_running|nest_asyncio|Thread|Executor|to_thread|run_in_executor/;

/**
 * The loop runner a plain `def` calls in its own body (`asyncio.run(...)`, `<x>.run_until_complete(...)`,
 * as written), when nothing in it looks for a running loop first or runs the loop in another
 * thread. (A loop of its own, `new_event_loop()`, cannot run inside a running one either.)
 * Undefined otherwise.
 */
/** Well-known blocking calls, as written, that a helper's summary records (the module's imports tell what the names are). */
const BLOCKING_WRITTEN = /^(time\.sleep|requests\.(get|post|put|patch|delete|head|request)|subprocess\.(run|call|check_call|check_output)|urllib\.request\.(urlopen|urlretrieve)|open)$/;

/** The first well-known blocking call a plain function's own body makes (not a generator's), as written. */
export function blockingCallIn(fn: Node): string | undefined {
  const body = fn.childForFieldName('body');
  if (!body || !/\b(sleep|requests|subprocess|urlopen|urlretrieve|open)\s*\(|requests\./.test(body.text) || yieldsInOwnBody(fn)) return undefined;
  for (const call of ownNodesOfType(fn, body, 'call')) {
    const written = call.childForFieldName('function')?.text.replace(/\s+/g, '') ?? '';
    if (BLOCKING_WRITTEN.test(written)) return written;
  }
  return undefined;
}

export function loopRunnerIn(fn: Node): string | undefined {
  const body = fn.childForFieldName('body');
  if (!body || !/asyncio\.run\s*\(|\.run_until_complete\s*\(/.test(body.text) || COPES_WITH_RUNNING_LOOP.test(body.text)) return undefined;
  for (const call of ownNodesOfType(fn, body, 'call')) {
    const callee = call.childForFieldName('function');
    const written = callee?.text.replace(/\s+/g, '') ?? '';
    if (written === 'asyncio.run' || (callee?.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'run_until_complete')) return written;
  }
  return undefined;
}

export function returnsNewTask(fn: Node): boolean {
  const body = fn.childForFieldName('body');
  if (!body || !/create_task|ensure_future/.test(body.text)) return false;
  const isTaskCall = (n: Node | null | undefined): boolean => !!n && n.type === 'call' && TASK_CALL.test((n.childForFieldName('function')?.text ?? '').replace(/\s+/g, ''));
  let found = false;
  for (const ret of ownNodesOfType(fn, body, 'return_statement')) {
    const value = ret.namedChildren[0];
    if (!value) continue;
    if (isTaskCall(value)) {
      found = true;
      continue;
    }
    if (value.type !== 'identifier') return false;
    // `task = <factory>(...)` in this body, and `task` read nowhere but in this return.
    const uses = body.descendantsOfType('identifier').filter((id) => id?.text === value.text);
    const assigned = uses.filter((id) => id?.parent?.type === 'assignment' && id.parent.childForFieldName('left')?.id === id.id && isTaskCall(id.parent.childForFieldName('right')));
    if (assigned.length !== 1 || uses.length !== 2) return false;
    found = true;
  }
  return found;
}

/**
 * A decorator whose annotations promise to give back what it is given: `def deco(fn: F) -> F`,
 * or a factory `def deco(...) -> Callable[[F], F]`. A coroutine function stays one (as type
 * checkers read it).
 */
export function declaresSameType(fn: Node): boolean {
  const returns = fn.childForFieldName('return_type');
  const r = returns?.type === 'type' ? returns.namedChildren[0] : returns;
  if (!r) return false;
  const callable = callableIdentity(r);
  if (callable !== undefined) return callable;
  // `(fn: F) -> F`: the first parameter's annotation is the return annotation (a type variable,
  // not a plain type such as `Callable`, which forgets the coroutine).
  if (r.type !== 'identifier' || NOT_TYPE_VARIABLES.has(r.text)) return false;
  const first = fn.childForFieldName('parameters')?.namedChildren.find((p) => p?.type === 'typed_parameter' || p?.type === 'typed_default_parameter');
  const t = first?.childForFieldName('type');
  return !!t && t.text === r.text;
}

const NOT_TYPE_VARIABLES = new Set(['Callable', 'Any', 'object', 'Function', 'FunctionType', 'Coroutine', 'Awaitable', 'None']);

/** `Callable[[F], F]`: true; another Callable: false; not a Callable: undefined. */
function callableIdentity(r: Node): boolean | undefined {
  const parts = subscriptParts(r);
  if (!parts?.head || !/^(typing\.|collections\.abc\.)?Callable$/.test(parts.head.text)) return undefined;
  const args = parts.args;
  if (args.length !== 2) return false;
  const params = args[0].type === 'type' ? args[0].namedChildren[0] : args[0];
  const ret = args[1].text;
  return params?.type === 'list' && params.namedChildren.length === 1 && params.namedChildren[0]?.text === ret && /^[A-Za-z_]\w*$/.test(ret) && !NOT_TYPE_VARIABLES.has(ret);
}

/**
 * A registering decorator that gives back the function it is given: `def deco(fn): REGISTRY.append(fn);
 * return fn` (depth 1), or a factory around one (`def on(event): def deco(fn): ...; return fn;
 * return deco`, depth 2). Every `return` returns the first parameter, never rebound. `method`: the
 * first parameter is `self`/`cls`, and the function is the next one.
 */
export function returnsItsArgument(fn: Node, depth: number, method = false): boolean {
  const params = (fn.childForFieldName('parameters')?.namedChildren ?? []).filter((p): p is Node => !!p && p.type !== 'comment');
  const param = params[method ? 1 : 0];
  const named = param?.type === 'typed_parameter' ? param.namedChildren[0] : param;
  const name = named?.type === 'identifier' ? named.text : undefined;
  const body = fn.childForFieldName('body');
  if (!body) return false;
  // Most functions are neither: their text says so without a walk.
  const text = body.text;
  const returnsName = !!name && new RegExp(`\\breturn\\s+${name}\\b`).test(text);
  if (!returnsName && !(depth >= 2 && /\bdef\s/.test(text))) return false;
  const returns: Node[] = [];
  const inner = new Map<string, Node>();
  let rebound = false;
  const visit = (n: Node) => {
    for (const c of n.namedChildren) {
      if (!c) continue;
      if (c.type === 'return_statement') returns.push(c);
      else if (c.type === 'function_definition' || c.type === 'decorated_definition' || c.type === 'class_definition' || c.type === 'lambda') {
        const def = c.type === 'decorated_definition' ? c.childForFieldName('definition') : c;
        const n2 = def?.type === 'function_definition' ? def.childForFieldName('name')?.text : undefined;
        if (n2 && n === body) inner.set(n2, def!);
        if (name && n2 === name) rebound = true;
      } else {
        if (name && (c.type === 'assignment' || c.type === 'augmented_assignment') && c.childForFieldName('left')?.text === name) rebound = true;
        visit(c);
      }
    }
  };
  visit(body);
  if (returns.length === 0 || rebound) return false;
  const returned = returns.map((r) => r.namedChildren[0]);
  if (name && returned.every((r) => r?.type === 'identifier' && r.text === name)) return true;
  if (depth < 2) return false;
  return returned.every((r) => {
    const def = r?.type === 'identifier' ? inner.get(r.text) : undefined;
    return !!def && returnsItsArgument(def, depth - 1);
  });
}

/** `def deco(fn): @wraps(fn) async def w(...): ...; return w` (depth 1), or a factory around it (depth 2). */
export function returnsAsyncWrapper(fn: Node, depth: number): boolean {
  const body = fn.childForFieldName('body');
  // Without the keyword in its text, the body defines no `async def` (one read instead of one per statement).
  if (!body || !body.text.includes('async')) return false;
  const inner = new Map<string, Node>();
  const returned: string[] = [];
  // A dual-mode decorator: `if inspect.iscoroutinefunction(fn): ... return awrapper` (a sync wrapper otherwise).
  const statements = body.namedChildren.flatMap((stmt) =>
    stmt?.type === 'if_statement' && /iscoroutinefunction/.test(stmt.childForFieldName('condition')?.text ?? '') ? (stmt.childForFieldName('consequence')?.namedChildren ?? []) : [stmt],
  );
  for (const stmt of statements) {
    if (!stmt) continue;
    const def = stmt.type === 'decorated_definition' ? stmt.childForFieldName('definition') : stmt;
    if (def?.type === 'function_definition') {
      const n = def.childForFieldName('name')?.text;
      if (n) inner.set(n, def);
    } else if (stmt.type === 'return_statement') {
      const value = stmt.namedChildren[0];
      if (value?.type === 'identifier') returned.push(value.text);
    }
  }
  return returned.some((r) => {
    const def = inner.get(r);
    if (!def) return false;
    if (isAsyncFunction(def)) return true;
    return depth > 1 && returnsAsyncWrapper(def, depth - 1);
  });
}

/**
 * A decorator whose plain wrapper gives back what the wrapped function gives: `def logged(fn)`
 * defining `def wrapper(*args, **kwargs)` whose every `return` is `fn(*args, ...)` (or a local bound
 * once to it, `result = fn(*args, ...)`; `return result`), and returning `wrapper`; through a factory too with
 * `depth` 2 (`def retry(times): def decorate(fn): ...; return decorate`). Around an `async def`, the
 * wrapper's call still makes the coroutine. (`return asyncio.run(fn(...))` is no such wrapper.)
 */
export function returnsPassThroughWrapper(fn: Node, depth: number): boolean {
  const body = fn.childForFieldName('body');
  if (!body || !/\bdef\s/.test(body.text)) return false;
  const params = (fn.childForFieldName('parameters')?.namedChildren ?? []).filter((p): p is Node => !!p && p.type !== 'comment');
  const first = params[0]?.type === 'typed_parameter' ? params[0].namedChildren[0] : params[0];
  const wrapped = params.length === 1 && first?.type === 'identifier' ? first.text : undefined;
  const inner = new Map<string, Node>();
  const returned: string[] = [];
  for (const stmt of body.namedChildren) {
    const def = stmt?.type === 'decorated_definition' ? stmt.childForFieldName('definition') : stmt;
    if (def?.type === 'function_definition') {
      const n = def.childForFieldName('name')?.text;
      if (n) inner.set(n, def);
    } else if (stmt?.type === 'return_statement' && stmt.namedChildren[0]?.type === 'identifier') returned.push(stmt.namedChildren[0].text);
  }
  if (returned.length !== 1) return false;
  const def = inner.get(returned[0]);
  if (!def) return false;
  if (depth > 1 && returnsPassThroughWrapper(def, depth - 1)) return true;
  if (!wrapped || isAsyncFunction(def)) return false;
  const wrapperBody = def.childForFieldName('body');
  // The wrapper takes and hands on the arguments (`def wrapper(*args, **kwargs)`, `fn(*args, ...)`):
  // one with fixed parameters may not even accept the call (a method's `self`).
  const splat = def.childForFieldName('parameters')?.namedChildren.find((p) => p?.type === 'list_splat_pattern')?.namedChildren[0]?.text;
  if (!wrapperBody || !splat) return false;
  const callsWrapped = (n: Node | null | undefined): boolean =>
    n?.type === 'call' &&
    n.childForFieldName('function')?.type === 'identifier' &&
    n.childForFieldName('function')!.text === wrapped &&
    !!n.childForFieldName('arguments')?.namedChildren.some((a) => a?.type === 'list_splat' && a.namedChildren[0]?.text === splat);
  const returns = ownNodesOfType(def, wrapperBody, 'return_statement');
  return (
    returns.length > 0 &&
    returns.every((ret) => {
      const value = ret.namedChildren[0];
      if (callsWrapped(value)) return true;
      if (value?.type !== 'identifier') return false;
      const bound = wrapperBody.descendantsOfType(['assignment', 'augmented_assignment']).filter((a) => a?.childForFieldName('left')?.text === value.text);
      return bound.length === 1 && bound[0]!.type === 'assignment' && callsWrapped(bound[0]!.childForFieldName('right'));
    })
  );
}

/** A request handler a module registers by a call: the function's file and name. */
export interface Route {
  file: string;
  name: string;
  /** Registered by aiohttp (`add_get`, `web.get`, `on_startup.append`...), which requires a coroutine function. */
  coroutine: boolean;
  /** A hook run outside requests (`app.on_startup.append(init)`): no request handler. */
  signal: boolean;
}

/** Modules that usually register the handlers of the modules next to them. */
const ROUTING_MODULES = ['routes.py', 'urls.py', 'routing.py', 'app.py', 'main.py', 'server.py', 'web.py', 'api.py', 'application.py', 'asgi.py', '__init__.py'];

/** Text without which a module registers no handler by a call. */
const ROUTE_HINT = /\badd_\w+\s*\(|\bweb\.\w+\s*\(|Route\s*\(|\b(re_)?path\s*\(|\.on_\w+\.append\s*\(|context_processors|\.(on_start|after_start|on_stop)\s*\+=/;
/** Methods that register a handler given as an argument (aiohttp, Starlette, FastAPI, Flask/Quart). */
const ROUTE_REGISTRARS = new Set([
  'add_get', 'add_post', 'add_put', 'add_patch', 'add_delete', 'add_head', 'add_route', 'add_view', 'add_api_route',
  'add_api_websocket_route', 'add_websocket_route', 'add_url_rule',
]);
/** aiohttp's registering methods and route functions (as written), which require a coroutine function. */
const AIOHTTP_REGISTRARS = new Set(['add_get', 'add_post', 'add_put', 'add_patch', 'add_delete', 'add_head', 'add_view']);
const AIOHTTP_ROUTE_FUNCTIONS = /^web\.(get|post|put|patch|delete|head|route|view)$/;
/** aiohttp application signals, whose handlers it awaits: `app.on_startup.append(init)`. */
const AIOHTTP_SIGNALS = /\.on_(startup|shutdown|cleanup|response_prepare)$/;
/** Functions that make a route from a handler argument: aiohttp's `web.get`, Starlette's `Route`, Django's `path`. */
const ROUTE_FUNCTIONS = /^(web\.(get|post|put|patch|delete|head|route|view)|(routing\.)?(Route|WebSocketRoute|APIRoute|APIWebSocketRoute)|(urls\.)?(path|re_path))$/;

/**
 * Handler arguments of the route registrations among `calls`, as written: `index` or `views.index`.
 * A registration is a registering method (`app.router.add_get(...)`) or a call `makesRoute`
 * accepts: by default a route function as written (`web.get`, `Route`, `path`); a rule that can
 * resolve names passes its own test.
 */
export function routeReferences(
  calls: readonly (Node | null)[],
  makesRoute: (call: Node, fn: Node) => boolean = (_call, fn) => ROUTE_FUNCTIONS.test(fn.text.replace(/\s+/g, '')),
): { local: string; attribute?: string; coroutine: boolean }[] {
  const out: { local: string; attribute?: string; coroutine: boolean }[] = [];
  for (const call of calls) {
    const fn = call?.childForFieldName('function');
    if (!call || !fn) continue;
    const method = fn.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
    if (!(method && ROUTE_REGISTRARS.has(method)) && !makesRoute(call, fn)) continue;
    const coroutine = (method !== undefined && AIOHTTP_REGISTRARS.has(method)) || AIOHTTP_ROUTE_FUNCTIONS.test(fn.text.replace(/\s+/g, ''));
    for (const handler of handlerArguments(call)) out.push({ ...handler, coroutine });
  }
  return out;
}

/**
 * Functions a module hands to a framework that awaits them outside any request: aiohttp's
 * application signals (`app.on_startup.append(init)`), aiohttp_jinja2's
 * `context_processors=[...]` (awaited per render), BlackSheep's events (`app.on_start += init`).
 */
export function awaitedHookReferences(root: Node): { local: string; attribute?: string }[] {
  const out: { local: string; attribute?: string }[] = [];
  const named = (value: Node | null | undefined): void => {
    const ref = handlerReference(value);
    if (ref) out.push(ref);
  };
  for (const call of root.descendantsOfType('call')) {
    const fn = call?.childForFieldName('function');
    if (!call || !fn) continue;
    if (fn.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'append' && AIOHTTP_SIGNALS.test(fn.childForFieldName('object')?.text ?? '')) {
      out.push(...handlerArguments(call));
      continue;
    }
    const processors = call.childForFieldName('arguments')?.namedChildren.find((a) => a?.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'context_processors');
    const list = processors?.childForFieldName('value');
    if (list?.type === 'list' || list?.type === 'tuple') for (const item of list.namedChildren) named(item);
  }
  for (const a of root.descendantsOfType('augmented_assignment')) {
    const left = a?.childForFieldName('left');
    if (left?.type === 'attribute' && BLACKSHEEP_EVENTS.test(left.childForFieldName('attribute')?.text ?? '')) named(a!.childForFieldName('right'));
  }
  return out;
}

const BLACKSHEEP_EVENTS = /^(on_start|after_start|on_stop)$/;

/** The functions a registering call is handed, as written: `index` (`{ local }`) or `views.index` (`{ local, attribute }`). */
export function handlerArguments(call: Node): { local: string; attribute?: string }[] {
  const out: { local: string; attribute?: string }[] = [];
  for (const arg of call.childForFieldName('arguments')?.namedChildren ?? []) {
    const ref = handlerReference(arg?.type === 'keyword_argument' ? arg.childForFieldName('value') : arg);
    if (ref) out.push(ref);
  }
  return out;
}

/** A function named by an expression: `index` (`{ local }`) or `views.index` (`{ local, attribute }`). */
function handlerReference(value: Node | null | undefined): { local: string; attribute?: string } | undefined {
  if (value?.type === 'identifier') return { local: value.text };
  if (value?.type === 'attribute' && value.childForFieldName('object')?.type === 'identifier') {
    return { local: value.childForFieldName('object')!.text, attribute: value.childForFieldName('attribute')?.text };
  }
  return undefined;
}

/**
 * A dotted name written in a module, qualified through the import of its head: `web.Request`
 * with `from aiohttp import web` → `aiohttp.web.Request`. `typeImports`: imports under
 * `if TYPE_CHECKING:` count too.
 */
export function qualifiedThroughImports(written: string, module: ModuleSummary, typeImports: boolean): { name: string; binding: ImportBinding } | undefined {
  const [head, ...rest] = written.split('.');
  const binding = module.imports.get(head) ?? (typeImports ? module.typeImports.get(head) : undefined);
  return binding ? { name: [binding.name ? `${binding.module}.${binding.name}` : binding.module, ...rest].join('.'), binding } : undefined;
}

export function summarizeModule(filePath: string, root: Node, cache?: DefinitionCache): ModuleSummary {
  const summary: ModuleSummary = {
    path: filePath,
    functions: new Map(),
    classes: new Map(),
    imports: new Map(),
    otherBindings: new Set(),
    functionAliases: new Map(),
    starImports: [],
    typeImports: new Map(),
    instances: new Map(),
    typeAliases: new Map(),
    genericAliases: new Map(),
    coroutineCallables: new Map(),
    sessionFactories: new Map(),
    appKeys: new Map(),
  };
  /** Values of the top-level names bound once to a type expression, for `coroutineCallables`. */
  const typeValues = new Map<string, Node | null>();
  const typeValue = (name: string, value: Node | null) => typeValues.set(name, typeValues.has(name) ? null : value);
  // Top-level statements, including those under `if`/`try` (conditional definitions still bind).
  const stack: Node[] = [...root.namedChildren].filter((n): n is Node => n !== null).reverse();
  while (stack.length) {
    const stmt = stack.pop()!;
    switch (stmt.type) {
      case 'function_definition':
      case 'class_definition':
      case 'decorated_definition': {
        const entry = cache ? cachedDefinition(stmt, cache) : summarizeDefinition(stmt);
        if (!entry) break;
        const name = entry.name;
        summary.otherBindings.delete(name);
        summary.instances.delete(name);
        summary.appKeys.delete(name);
        summary.imports.delete(name);
        summary.functionAliases.delete(name);
        if (entry.kind === 'function') {
          summary.classes.delete(name);
          summary.functions.set(name, withOverloads(entry.fn, summary.functions.get(name)));
        } else {
          summary.functions.delete(name);
          summary.classes.set(name, entry.cls);
        }
        break;
      }
      case 'import_statement':
      case 'import_from_statement':
        if (isStarImport(stmt)) summary.starImports.push(fromModule(stmt));
        for (const [local, binding] of importBindings(stmt)) {
          summary.functions.delete(local);
          summary.classes.delete(local);
          summary.instances.delete(local);
          summary.appKeys.delete(local);
          summary.functionAliases.delete(local);
          summary.imports.set(local, binding);
        }
        break;
      case 'if_statement':
      case 'try_statement':
      case 'else_clause':
      case 'elif_clause':
      case 'except_clause':
      case 'finally_clause':
      case 'block': {
        if (stmt.type === 'if_statement' && /TYPE_CHECKING/.test(stmt.childForFieldName('condition')?.text ?? '')) {
          // Only the `else` branch runs; the imports of the other name the classes of annotations.
          for (const c of stmt.namedChildren) if (c && c.type === 'else_clause') stack.push(c);
          for (const c of stmt.childForFieldName('consequence')?.namedChildren ?? []) {
            if (c?.type === 'import_statement' || c?.type === 'import_from_statement') for (const [local, binding] of importBindings(c)) summary.typeImports.set(local, binding);
          }
          break;
        }
        const children = stmt.namedChildren.filter((n): n is Node => n !== null);
        for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
        break;
      }
      case 'expression_statement': {
        const a = stmt.namedChildren[0];
        // `__all__ = ["fetch", "Client"]`, `__all__ += [...]`: what `from module import *` binds.
        if ((a?.type === 'assignment' || a?.type === 'augmented_assignment') && a.childForFieldName('left')?.text === '__all__') {
          const names = literalNames(a.childForFieldName('right'));
          if (!names) summary.exportedNames = undefined;
          else if (a.type === 'assignment' || !summary.exportedNames) summary.exportedNames = new Set(names);
          else for (const n of names) summary.exportedNames.add(n);
        }
        if (a?.type === 'assignment') {
          const left = a.childForFieldName('left');
          for (const name of assignedNames(left)) {
            summary.functions.delete(name);
            summary.classes.delete(name);
            summary.imports.delete(name);
            const rebound = summary.otherBindings.has(name);
            summary.otherBindings.add(name);
            // `parser = ArgParser()`: a module-level instance (its methods may be decorators).
            const right = a.childForFieldName('right');
            // `fetch = _fetch_impl`, bound so once.
            if (left?.type === 'identifier' && right?.type === 'identifier' && !rebound && right.text !== name) summary.functionAliases.set(name, right.text);
            else summary.functionAliases.delete(name);
            const callee = left?.type === 'identifier' && right?.type === 'call' ? right.childForFieldName('function') : null;
            const ctor = callee && (callee.type === 'identifier' || callee.type === 'attribute') ? callee.text.replace(/\s+/g, '') : '';
            const prev = summary.instances.get(name);
            summary.instances.set(name, prev === undefined || prev === ctor ? ctor : '');
            const factory = ctor && right ? sessionFactoryKind(ctor, right) : undefined;
            if (factory && prev === undefined) summary.sessionFactories.set(name, factory);
            else summary.sessionFactories.delete(name);
            summary.typeAliases.delete(name);
            const key = left?.type === 'identifier' && right && prev === undefined ? appKeyOf(right, a.childForFieldName('type')) : undefined;
            if (key) summary.appKeys.set(name, key);
            else summary.appKeys.delete(name);
            const annotated = left?.type === 'identifier' && right && (right.type === 'subscript' || right.type === 'generic_type') ? annotatedType(right) : undefined;
            // `R = TypeVar("R", bound=Repository)`: a name typed `R` holds a `Repository`.
            const aliased = (annotated && classNameOfAnnotation(annotated)) || (left?.type === 'identifier' && right ? typeVarBound(right) : undefined);
            if (aliased) summary.typeAliases.set(name, aliased);
            typeValue(name, left?.type === 'identifier' && right && TYPE_EXPRESSIONS.has(right.type) ? right : null);
          }
        }
        break;
      }
      case 'type_alias_statement': {
        // `type SessionDep = Annotated[AsyncSession, Depends(get_session)]`.
        const { name, value } = typeAliasParts(stmt) ?? {};
        const annotated = value && (value.type === 'subscript' || value.type === 'generic_type') ? annotatedType(value) : undefined;
        const aliased = annotated && classNameOfAnnotation(annotated);
        if (name && aliased) summary.typeAliases.set(name, aliased);
        if (name) typeValue(name, value ?? null);
        break;
      }
      default:
        break;
    }
  }
  if (typeValues.size) {
    const declared = new DeclaredTypes((name) => typeValues.get(name) ?? undefined);
    for (const [name, value] of typeValues) {
      const result = value ? declared.callResult(value) : undefined;
      if (result) summary.coroutineCallables.set(name, result);
      const generic = value ? genericWritten(value) : undefined;
      if (generic && generic.length > 1) summary.genericAliases.set(name, generic);
    }
  }
  return summary;
}

/**
 * `web.AppKey("db", asyncpg.Pool)`, `AppKey[asyncpg.Pool]("db")`, or any of them annotated
 * `AppKey[asyncpg.Pool]`: the constructor as written and what the key's entry holds.
 */
function appKeyOf(value: Node, annotation: Node | null): { ctor: string; held: string } | undefined {
  if (value.type !== 'call') return undefined;
  let callee = value.childForFieldName('function');
  let typeArg: Node | undefined;
  if (callee?.type === 'subscript' || callee?.type === 'generic_type') {
    const parts = subscriptParts(callee);
    typeArg = parts?.args.length === 1 ? parts.args[0] : undefined;
    callee = parts?.head ?? null;
  }
  if (!callee || (callee.type !== 'identifier' && callee.type !== 'attribute') || !/(^|\.)AppKey$/.test(callee.text)) return undefined;
  const positional = (value.childForFieldName('arguments')?.namedChildren ?? []).filter((n): n is Node => !!n && n.type !== 'comment' && n.type !== 'keyword_argument');
  const typed = (value.childForFieldName('arguments')?.namedChildren ?? []).find((n) => n?.type === 'keyword_argument' && n.childForFieldName('name')?.text === 't');
  typeArg ??= positional[1] ?? typed?.childForFieldName('value') ?? undefined;
  if (!typeArg && annotation) {
    const e = annotation.type === 'type' ? annotation.namedChildren[0] : annotation;
    const parts = e ? subscriptParts(e) : undefined;
    if (parts?.head && /(^|\.)AppKey$/.test(parts.head.text) && parts.args.length === 1) typeArg = parts.args[0];
  }
  const held = typeArg ? annotationText(typeArg) : undefined;
  return held ? { ctor: callee.text.replace(/\s+/g, ''), held } : undefined;
}

/** What a session factory written `ctor(...)` makes: `async_sessionmaker(...)`, `sessionmaker(..., class_=AsyncSession)`. */
function sessionFactoryKind(ctor: string, call: Node): 'async' | 'sync' | undefined {
  if (/(^|\.)async_sessionmaker$/.test(ctor)) return 'async';
  if (!/(^|\.)sessionmaker$/.test(ctor)) return undefined;
  const cls = call.childForFieldName('arguments')?.namedChildren.find((a) => a?.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'class_');
  if (!cls) return 'sync';
  return /(^|\.)AsyncSession$/.test(cls.childForFieldName('value')?.text ?? '') ? 'async' : undefined;
}

/** `type Handler = Callable[...]`: the alias's name and its value (without the `type` wrapper). */
export function typeAliasParts(stmt: Node): { name: string; value: Node | null } | undefined {
  const [left, right] = stmt.namedChildren;
  if (!left) return undefined;
  return { name: left.text, value: (right?.type === 'type' ? right.namedChildren[0] : right) ?? null };
}

/** The class a `TypeVar("R", bound=Repository)` call is bound to (`bound="Repository"` too), if any. */
function typeVarBound(value: Node): string | undefined {
  const fn = value.type === 'call' ? value.childForFieldName('function') : null;
  if (!fn || !/^((typing|typing_extensions)\.)?TypeVar$/.test(fn.text)) return undefined;
  const bound = value.childForFieldName('arguments')?.namedChildren.find((a) => a?.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'bound');
  const target = bound?.childForFieldName('value');
  return target ? classNameOfAnnotation(target) : undefined;
}

/** Expressions that can be a type: `Callable[...]`, `A | B`. */
const TYPE_EXPRESSIONS = new Set(['subscript', 'generic_type', 'binary_operator']);

/** `text`: the statement's text when the caller has it (whether it can contain a generator). */
function summarizeDefinition(stmt: Node, text?: string): DefinitionEntry {
  const mayYield = (text ?? stmt.text).includes('yield');
  const def = stmt.type === 'decorated_definition' ? stmt.childForFieldName('definition') : stmt;
  const decorators = stmt.type === 'decorated_definition' ? stmt.namedChildren.filter((c): c is Node => c?.type === 'decorator').map(decoratorName) : [];
  if (!def) return null;
  const name = def.childForFieldName('name')?.text;
  if (!name) return null;
  return def.type === 'function_definition'
    ? { kind: 'function', name, fn: summarizeFunction(def, decorators, false, mayYield) }
    : { kind: 'class', name, cls: summarizeClass(def, mayYield) };
}

/**
 * A definition's summary, reused from the file's previous version when the statement's text (and
 * column: the same lines parse alike only at the same indentation) is unchanged. Statements with
 * a syntax error inside are summarised afresh: error recovery may depend on what surrounds them.
 */
function cachedDefinition(stmt: Node, cache: DefinitionCache): DefinitionEntry {
  if (!cache.clean && stmt.hasError) return summarizeDefinition(stmt);
  const key = cache.text.slice(stmt.startIndex, stmt.endIndex);
  const column = stmt.startPosition.column;
  let hit = cache.next.get(key);
  if (hit?.column !== column) hit = cache.previous?.get(key);
  if (hit?.column !== column) hit = { column, entry: summarizeDefinition(stmt, key) };
  cache.next.set(key, hit);
  return hit.entry;
}

/**
 * An implementation after its `@overload` signatures: when it has no return annotation of its
 * own and the overloads declare a coroutine (`-> Coroutine[Any, Any, dict]`), calling it makes one.
 */
function withOverloads(fn: FunctionSummary, previous: FunctionSummary | undefined): FunctionSummary {
  if (!previous || fn.returnAnnotated || !previous.returnsCoroutine || !previous.decorators.some((d) => /(^|\.)overload$/.test(d))) return fn;
  return { ...fn, returnsCoroutine: true };
}

function assignedNames(left: Node | null): string[] {
  if (!left) return [];
  if (left.type === 'identifier') return [left.text];
  if (left.type === 'pattern_list' || left.type === 'tuple_pattern' || left.type === 'list_pattern') {
    return left.namedChildren.flatMap((c) => assignedNames(c));
  }
  return [];
}

function summarizeClass(cls: Node, mayYield: boolean): ClassSummary {
  const name = cls.childForFieldName('name')?.text ?? '';
  const bases: string[] = [];
  const baseArguments = new Map<string, string[]>();
  const superclasses = cls.childForFieldName('superclasses');
  for (const arg of superclasses?.namedChildren ?? []) {
    // `Repo[Order]` (a subscripted generic base) is a `Repo`; Django's
    // `models.Manager.from_queryset(ActiveQuerySet)` is a `models.Manager`.
    const fromQuerySet = arg?.type === 'call' ? arg.childForFieldName('function') : null;
    const base =
      arg?.type === 'subscript' ? arg.childForFieldName('value') : fromQuerySet?.type === 'attribute' && fromQuerySet.childForFieldName('attribute')?.text === 'from_queryset' ? fromQuerySet.childForFieldName('object') : arg;
    if (!base || (base.type !== 'identifier' && base.type !== 'attribute')) continue;
    const written = base.text.replace(/\s+/g, '');
    bases.push(written);
    if (arg?.type === 'subscript') baseArguments.set(written, (subscriptParts(arg)?.args ?? []).map((a) => classNameOfAnnotation(a) ?? ''));
  }
  const methods = new Map<string, FunctionSummary>();
  const attributes = new Map<string, string>();
  // Declared with an annotation (`x: T` in the class body, `self.x: T = ...`): the declaration
  // wins over what is assigned elsewhere (`self.db: aiosqlite.Connection | None = None`, then
  // `self.db = await aiosqlite.connect(...)`), as for a type checker.
  const declaredAttributes = new Map<string, string>();
  const classCalls = new Map<string, string>();
  const relatedNames: string[] = [];
  const relations = new Map<string, DjangoRelation>();
  const dbValidatedFields: string[] = [];
  let meta: ClassSummary['meta'];
  const body = cls.childForFieldName('body');
  let root: Node | undefined;
  for (const stmt of body?.namedChildren ?? []) {
    if (!stmt) continue;
    // Class-level declarations: `core: Core` (dataclass fields, declared attributes).
    const declared = stmt.type === 'expression_statement' ? stmt.namedChildren[0] : null;
    if (declared?.type === 'assignment' && declared.childForFieldName('left')?.type === 'identifier') {
      const named = annotationText(declared.childForFieldName('type'));
      if (named) addAttribute(declaredAttributes, declared.childForFieldName('left')!.text, named);
      const value = declared.childForFieldName('right');
      let callee = value?.type === 'call' ? value.childForFieldName('function') : null;
      // `objects = models.Manager.from_queryset(PublishedQuerySet)()`: the factory as written.
      if (callee?.type === 'call') callee = callee.childForFieldName('function');
      if (callee && (callee.type === 'identifier' || callee.type === 'attribute')) {
        addAttribute(classCalls, declared.childForFieldName('left')!.text, callee.text.replace(/\s+/g, ''));
        const related = value!.childForFieldName('arguments')?.namedChildren.find((a) => a?.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'related_name');
        const name = /^["']([A-Za-z_]\w*)["']$/.exec(related?.childForFieldName('value')?.text ?? '')?.[1];
        if (name) relatedNames.push(name);
        djangoField(declared.childForFieldName('left')!.text, callee.text.replace(/\s+/g, ''), value!, name, relations, dbValidatedFields);
      }
    }
    if (stmt.type === 'class_definition' && stmt.childForFieldName('name')?.text === 'Meta') meta = metaOf(stmt) ?? meta;
    const def = stmt.type === 'decorated_definition' ? stmt.childForFieldName('definition') : stmt;
    if (def?.type !== 'function_definition') continue;
    const decorators = stmt.type === 'decorated_definition' ? stmt.namedChildren.filter((c): c is Node => c?.type === 'decorator').map(decoratorName) : [];
    const m = summarizeFunction(def, decorators, true, mayYield);
    methods.set(m.name, withOverloads(m, methods.get(m.name)));
    collectSelfAttributes(def, (root ??= cls.tree.rootNode), attributes, declaredAttributes);
  }
  for (const [attr, cls] of declaredAttributes) attributes.set(attr, cls);
  return { name, bases, baseArguments, methods, attributes, classCalls, relatedNames, relations, dbValidatedFields, meta };
}

/** A Django model field declared in a class body: its relation target, and whether validation queries for it. */
function djangoField(name: string, callee: string, value: Node, relatedName: string | undefined, relations: Map<string, DjangoRelation>, dbValidated: string[]): void {
  const kind = /(?:^|\.)(ForeignKey|OneToOneField|ManyToManyField|ParentalKey)$/.exec(callee)?.[1];
  const args = value.childForFieldName('arguments')?.namedChildren.filter((a): a is Node => !!a && a.type !== 'comment') ?? [];
  const keyword = (k: string): Node | undefined => args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === k)?.childForFieldName('value') ?? undefined;
  if (kind) {
    const to = args[0] && args[0].type !== 'keyword_argument' ? args[0] : keyword('to');
    const target = to?.type === 'string' ? /^["']([\w.]+)["']$/.exec(to.text)?.[1] : to && (to.type === 'identifier' || to.type === 'attribute') ? to.text : undefined;
    if (target) relations.set(name, { kind, target, nullable: keyword('null')?.text === 'True', relatedName });
    dbValidated.push(name);
  } else if (keyword('unique')?.text === 'True') dbValidated.push(name);
}

/** `class Meta: model = Product; fields = ["sku"]` (or `"__all__"`). */
function metaOf(cls: Node): ClassSummary['meta'] {
  let model: string | undefined;
  let fields: string[] | undefined;
  for (const stmt of cls.childForFieldName('body')?.namedChildren ?? []) {
    const a = stmt?.type === 'expression_statement' ? stmt.namedChildren[0] : null;
    const left = a?.type === 'assignment' ? a.childForFieldName('left')?.text : undefined;
    const right = a?.childForFieldName('right');
    if (left === 'model' && right && (right.type === 'identifier' || right.type === 'attribute')) model = right.text.replace(/\s+/g, '');
    if (left === 'fields' && right && (right.type === 'list' || right.type === 'tuple')) {
      const names = right.namedChildren.map((c) => (c?.type === 'string' ? /^["'](\w+)["']$/.exec(c.text)?.[1] : undefined));
      if (names.every((n) => n)) fields = names as string[];
    }
  }
  return model ? { model, fields } : undefined;
}

/**
 * `self.x = Ctor(...)` / `self.x: T = Ctor(...)` in a method body (not in nested functions); the
 * annotated ones go to `declared`.
 * The assignments come from the file's shared search, by position: walking every node of every
 * method through the Node API would cost more than the rest of the summary.
 */
function collectSelfAttributes(fn: Node, root: Node, out: Map<string, string>, declared: Map<string, string>): void {
  const body = fn.childForFieldName('body');
  if (!body) return;
  const start = body.startIndex;
  const end = body.endIndex;
  const nested: { start: number; end: number }[] = [];
  const scopes = nodesOfType(root, SCOPE_OPENERS);
  for (let i = firstAtOrAfter(scopes, start); i < scopes.length && scopes[i].startIndex < end; i++) {
    nested.push({ start: scopes[i].startIndex, end: scopes[i].endIndex });
  }
  const assignments = nodesOfType(root, 'assignment');
  let params: Map<string, string> | undefined;
  for (let i = firstAtOrAfter(assignments, start); i < assignments.length && assignments[i].startIndex < end; i++) {
    const n = assignments[i];
    if (nested.some((s) => s.start <= n.startIndex && n.startIndex < s.end)) continue;
    const left = n.childForFieldName('left');
    if (left?.type === 'pattern_list' || left?.type === 'tuple_pattern') {
      collectUnpackedAttributes(left, n.childForFieldName('right'), out);
      continue;
    }
    if (left?.type !== 'attribute' || left.childForFieldName('object')?.text !== 'self') continue;
    const attr = left.childForFieldName('attribute')?.text;
    if (!attr) continue;
    const right = n.childForFieldName('right');
    const annotated = annotationText(n.childForFieldName('type'));
    if (annotated) addAttribute(declared, attr, annotated);
    else if (right?.type === 'call') {
      const callee = right.childForFieldName('function');
      // `self._pubsub = r.pubsub()` with `r: redis.Redis` among the parameters: what the
      // method of that class gives, recorded as `call:redis.Redis:pubsub`.
      const receiver = callee?.type === 'attribute' ? callee.childForFieldName('object') : null;
      const paramClass = receiver?.type === 'identifier' ? (params ??= annotatedParameters(fn)).get(receiver.text) : undefined;
      // `self._pubsub = self._redis.pubsub()`: what that method of another attribute's class gives,
      // recorded as `selfcall:_redis:pubsub`.
      const ownAttribute = receiver?.type === 'attribute' && receiver.childForFieldName('object')?.text === 'self' ? receiver.childForFieldName('attribute')?.text : undefined;
      // `self._stub = pb_grpc.OrdersStub(self._channel)` / `OrdersStub(channel)` with `channel: grpc.aio.Channel`:
      // a generated gRPC stub over that channel, recorded as `stub:self:_channel` / `stub:grpc.aio.Channel`.
      const stubChannel = callee && /(^|\.)\w+Stub$/.test(callee.text) ? right.childForFieldName('arguments')?.namedChildren.find((a) => a?.type !== 'comment') : undefined;
      const stubOverOwn = stubChannel?.type === 'attribute' && stubChannel.childForFieldName('object')?.text === 'self' ? stubChannel.childForFieldName('attribute')?.text : undefined;
      const stubOverParam = stubChannel?.type === 'identifier' ? (params ??= annotatedParameters(fn)).get(stubChannel.text) : undefined;
      if (stubOverOwn && stubOverOwn !== attr) addAttribute(out, attr, `stub:self:${stubOverOwn}`);
      else if (stubOverParam) addAttribute(out, attr, `stub:${stubOverParam}`);
      else if (paramClass) addAttribute(out, attr, `call:${paramClass}:${callee!.childForFieldName('attribute')?.text ?? ''}`);
      else if (ownAttribute && ownAttribute !== attr) addAttribute(out, attr, `selfcall:${ownAttribute}:${callee!.childForFieldName('attribute')?.text ?? ''}`);
      else addAttribute(out, attr, callee && (callee.type === 'identifier' || callee.type === 'attribute') ? callee.text.replace(/\s+/g, '') : '');
    } else if (right?.type === 'boolean_operator' && right.childForFieldName('operator')?.type === 'or' && givenOrMade(right, (params ??= annotatedParameters(fn)))) {
      // `self._client = http_client or httpx.AsyncClient(...)`, `http_client: httpx.AsyncClient | None`:
      // the client given, or one of the same class made here.
      addAttribute(out, attr, givenOrMade(right, params)!);
    } else if (right?.type === 'identifier') {
      // `self.core = core` with `core: Core` among the method's parameters.
      addAttribute(out, attr, (params ??= annotatedParameters(fn)).get(right.text) ?? '');
    } else if (right?.type === 'await' && right.namedChildren[0]?.type === 'call') {
      // `self.pool = await asyncpg.create_pool(...)`: what the awaited factory gives.
      const callee = right.namedChildren[0].childForFieldName('function');
      addAttribute(out, attr, callee && (callee.type === 'identifier' || callee.type === 'attribute') ? `await:${callee.text.replace(/\s+/g, '')}` : '');
    } else if (right && UNKNOWN_VALUES.has(right.type)) addAttribute(out, attr, '');
    // Literals and `None` say nothing about the class the attribute holds otherwise.
  }
}

/**
 * `self._send, self._receive = anyio.create_memory_object_stream[str](100)`: each attribute holds
 * one item of what the factory gives, recorded as `unpack:1:anyio.create_memory_object_stream`.
 * Other values unpacked into attributes are left out, as before.
 */
function collectUnpackedAttributes(left: Node, right: Node | null, out: Map<string, string>): void {
  if (right?.type !== 'call') return;
  let callee = right.childForFieldName('function');
  if (callee?.type === 'subscript') callee = callee.childForFieldName('value');
  if (callee?.type !== 'identifier' && callee?.type !== 'attribute') return;
  const written = callee.text.replace(/\s+/g, '');
  const items = left.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  items.forEach((item, i) => {
    if (item.type !== 'attribute' || item.childForFieldName('object')?.text !== 'self') return;
    const attr = item.childForFieldName('attribute')?.text;
    if (attr) addAttribute(out, attr, `unpack:${i}:${written}`);
  });
}

/**
 * `given or Made(...)`: `given` a parameter annotated with the class `Made` (or `Made | None`), or not
 * annotated at all: the class either way. Undefined for anything else.
 */
function givenOrMade(expr: Node, params: Map<string, string>): string | undefined {
  const left = expr.childForFieldName('left');
  const right = expr.childForFieldName('right');
  if (left?.type !== 'identifier' || right?.type !== 'call') return undefined;
  const callee = right.childForFieldName('function');
  if (callee?.type !== 'identifier' && callee?.type !== 'attribute') return undefined;
  const made = callee.text.replace(/\s+/g, '');
  const declared = params.get(left.text);
  return declared === undefined || declared === made ? made : undefined;
}

/** Values whose class is unknown here: assigned to an attribute, they make its class unknown. */
const UNKNOWN_VALUES = new Set(['attribute', 'await', 'conditional_expression', 'subscript', 'boolean_operator', 'binary_operator']);

/** Records what an attribute holds; two different classes (or an unknown one) make it unknown. */
function addAttribute(out: Map<string, string>, attr: string, cls: string): void {
  const prev = out.get(attr);
  out.set(attr, prev === undefined || prev === cls ? cls : '');
}

/** A function's parameters annotated with a class: name → class name. */
function annotatedParameters(fn: Node): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of fn.childForFieldName('parameters')?.namedChildren ?? []) {
    if (p?.type !== 'typed_parameter' && p?.type !== 'typed_default_parameter') continue;
    const name = p.type === 'typed_parameter' ? p.namedChildren.find((c) => c?.type === 'identifier')?.text : p.childForFieldName('name')?.text;
    const cls = annotationText(p.childForFieldName('type'));
    if (name && cls) out.set(name, cls);
  }
  return out;
}

/** Containers whose iteration gives their one type argument. */
const SEQUENCES = /(^|\.)(list|List|set|Set|frozenset|FrozenSet|Sequence|MutableSequence|MutableSet|AbstractSet|Iterable|Collection|deque|Deque|WeakSet)$/;
/** Mappings: iterating one gives its keys, its `.values()` the second type argument. */
const MAPPINGS = /(^|\.)(dict|Dict|Mapping|MutableMapping|defaultdict|DefaultDict|OrderedDict|WeakValueDictionary)$/;

/**
 * What an annotation says a name or attribute holds, for ClassSummary.attributes: a class name,
 * `items:X` for a container iterated as X (`list[X]`, `set[X]`), or `values:X` for a mapping
 * whose `.values()` are X (`dict[K, X]`; `values:items:X` for `dict[K, set[X]]`).
 */
export function annotationText(annotation: Node | null | undefined, depth = 0): string | undefined {
  const e = annotation?.type === 'type' ? annotation.namedChildren[0] : annotation;
  const parts = e && (e.type === 'subscript' || e.type === 'generic_type') ? subscriptParts(e) : undefined;
  const kind = parts?.head ? (SEQUENCES.test(parts.head.text) && parts.args.length === 1 ? 'items' : MAPPINGS.test(parts.head.text) && parts.args.length === 2 ? 'values' : undefined) : undefined;
  if (parts && kind) {
    const arg = parts.args[parts.args.length - 1];
    // `dict[str, set[WebSocketResponse]]`: the values are containers too (`values:items:WebSocketResponse`).
    const nested = kind === 'values' && depth < 2 ? annotationText(arg, depth + 1) : undefined;
    const element = nested && /^(items|values):/.test(nested) ? nested : classNameOfAnnotation(arg.type === 'type' ? (arg.namedChildren[0] ?? arg) : arg);
    return element ? `${kind}:${element}` : undefined;
  }
  if (parts?.head && (SEQUENCES.test(parts.head.text) || MAPPINGS.test(parts.head.text))) return undefined;
  return classNameOfAnnotation(annotation);
}

/** `Annotated[T, ...]`: T. */
export function annotatedType(expr: Node): Node | undefined {
  const parts = subscriptParts(expr);
  if (!parts?.head || !/(^|\.)Annotated$/.test(parts.head.text) || parts.args.length < 2) return undefined;
  const arg = parts.args[0];
  return arg.type === 'type' ? (arg.namedChildren[0] ?? arg) : arg;
}

/**
 * The one type argument of `Base[X]` (a `subscript` or, in annotations, a `generic_type`) when
 * `Base` matches `base`: `X` of `Optional[X]`, of `list[X]`.
 */
export function singleTypeArgument(expr: Node, base: RegExp): Node | undefined {
  const parts = subscriptParts(expr);
  if (!parts?.head || !base.test(parts.head.text) || parts.args.length !== 1) return undefined;
  const arg = parts.args[0];
  return arg.type === 'type' ? (arg.namedChildren[0] ?? arg) : arg;
}

/**
 * `Base[A, B]` as a `subscript` (in expressions) or a `generic_type` (in annotations): the
 * subscripted name and the arguments; undefined for any other node.
 */
/** A generic class with its type arguments, as written (`ConfigEntry[RuntimeData]` → [`ConfigEntry`, `RuntimeData`]; '' for an argument that names no class). */
export function genericWritten(expr: Node): string[] | undefined {
  const parts = subscriptParts(expr);
  if (!parts?.head || (parts.head.type !== 'identifier' && parts.head.type !== 'attribute')) return undefined;
  return [parts.head.text.replace(/\s+/g, ''), ...parts.args.map((a) => classNameOfAnnotation(a) ?? '')];
}

export function subscriptParts(expr: Node): { head: Node | null; args: Node[] } | undefined {
  if (expr.type === 'subscript') return { head: expr.childForFieldName('value'), args: expr.namedChildren.slice(1).filter((n): n is Node => !!n) };
  if (expr.type === 'generic_type') return { head: expr.namedChildren[0], args: (expr.namedChildren[1]?.namedChildren ?? []).filter((n): n is Node => !!n) };
  return undefined;
}

/**
 * The class an annotation names, as written: `Core`, `mod.Core`, `"Core"`, `Core | None`,
 * `Optional[Core]`, `Repo[Order]` (the generic class); undefined for anything else (unions of
 * classes, `None`).
 */
export function classNameOfAnnotation(annotation: Node | null | undefined, depth = 0): string | undefined {
  if (!annotation || depth > 3) return undefined;
  switch (annotation.type) {
    case 'type':
      return classNameOfAnnotation(annotation.namedChildren[0], depth + 1);
    case 'identifier':
    case 'attribute':
      return annotation.text === 'None' ? undefined : annotation.text.replace(/\s+/g, '');
    case 'string': {
      // `"Repo"`, `"asyncio.Future[bytes]"` (the generic class, as unquoted), `"Repo | None"`, `"Optional[Repo]"`.
      const inner = /^[rRuU]?(["']{1,3})(.*)\1$/s.exec(annotation.text)?.[2].trim();
      if (!inner) return undefined;
      const optional = /^(?:typing\.)?Optional\[(.*)\]$/.exec(inner)?.[1] ?? /^(.*?)\s*\|\s*None$/.exec(inner)?.[1] ?? /^None\s*\|\s*(.*)$/.exec(inner)?.[1] ?? inner;
      return /^([A-Za-z_][\w.]*)(\[[^"'|]*\])?$/.exec(optional.trim())?.[1];
    }
    case 'binary_operator': {
      const sides = [annotation.childForFieldName('left'), annotation.childForFieldName('right')].filter((n): n is Node => !!n && n.text !== 'None');
      return sides.length === 1 ? classNameOfAnnotation(sides[0], depth + 1) : undefined;
    }
    case 'subscript':
    case 'generic_type': {
      const optional = singleTypeArgument(annotation, /(^|\.)Optional$/);
      if (optional) return classNameOfAnnotation(optional, depth + 1);
      // `Annotated[AsyncSession, Depends(get_session)]`: the annotated type.
      const annotated = annotatedType(annotation);
      if (annotated) return classNameOfAnnotation(annotated, depth + 1);
      // `Service[Product]`: the generic class itself (containers such as `list[X]` name no class of interest).
      const head = subscriptParts(annotation)?.head;
      return head && (head.type === 'identifier' || head.type === 'attribute') && !/(^|\.)(Union|Literal|Annotated|Callable|ClassVar|Final)$/.test(head.text) ? head.text.replace(/\s+/g, '') : undefined;
    }
    default:
      return undefined;
  }
}

/** Index of the first node (of a list in document order) starting at or after `offset`. */
export function firstAtOrAfter(nodes: readonly Node[], offset: number): number {
  let lo = 0;
  let hi = nodes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (nodes[mid].startIndex < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Local names bound by an import statement. */
/** Whether an import statement is `from m import *`. */
export function isStarImport(stmt: Node): boolean {
  return stmt.type === 'import_from_statement' && stmt.namedChildren.some((c) => c?.type === 'wildcard_import');
}

/** The module a `from ... import` statement imports from, as a binding without a name. */
export function fromModule(stmt: Node): ImportBinding {
  const moduleNode = stmt.childForFieldName('module_name');
  if (moduleNode?.type === 'relative_import') {
    const prefix = moduleNode.namedChildren.find((c) => c?.type === 'import_prefix');
    return { module: moduleNode.namedChildren.find((c) => c?.type === 'dotted_name')?.text ?? '', level: prefix ? prefix.text.length : 0 };
  }
  return { module: moduleNode ? moduleNode.text.replace(/\s+/g, '') : '', level: 0 };
}

/**
 * What an import statement binds `local` to: its binding (`from .api import fetch as get` →
 * `.api`, `fetch` for `get`), or for `from .api import *` the name itself in that module.
 */
export function importedBinding(stmt: Node, local: string): ImportBinding | undefined {
  if (isStarImport(stmt)) return { ...fromModule(stmt), name: local };
  return importBindings(stmt).find(([l]) => l === local)?.[1];
}

/** The strings of a literal list or tuple of string literals (`["a", "b"]`); undefined for anything else. */
function literalNames(node: Node | null): string[] | undefined {
  if (!node || (node.type !== 'list' && node.type !== 'tuple' && node.type !== 'parenthesized_expression')) return undefined;
  const out: string[] = [];
  for (const c of node.namedChildren) {
    if (!c || c.type === 'comment') continue;
    if (c.type !== 'string' || c.namedChildren.some((p) => p?.type === 'interpolation')) return undefined;
    const content = c.namedChildren.find((p) => p?.type === 'string_content');
    out.push(content?.text ?? '');
  }
  return out;
}

export function importBindings(stmt: Node): [string, ImportBinding][] {
  const out: [string, ImportBinding][] = [];
  if (stmt.type === 'import_statement') {
    for (const c of stmt.namedChildren) {
      if (!c) continue;
      if (c.type === 'dotted_name') {
        // `import a.b.c` binds `a` (to the package `a`).
        out.push([c.namedChildren[0]?.text ?? c.text, { module: c.namedChildren[0]?.text ?? c.text, level: 0 }]);
      } else if (c.type === 'aliased_import') {
        const alias = c.childForFieldName('alias')?.text;
        const name = c.childForFieldName('name')?.text;
        if (alias && name) out.push([alias, { module: name.replace(/\s+/g, ''), level: 0 }]);
      }
    }
    return out;
  }
  const moduleNode = stmt.childForFieldName('module_name');
  const { module, level } = fromModule(stmt);
  for (const c of stmt.namedChildren) {
    if (!c || c === moduleNode || c.startIndex === moduleNode?.startIndex) continue;
    if (c.type === 'dotted_name') out.push([c.text, { module, name: c.text, level }]);
    else if (c.type === 'aliased_import') {
      const alias = c.childForFieldName('alias')?.text;
      const name = c.childForFieldName('name')?.text;
      if (alias && name) out.push([alias, { module, name, level }]);
    }
  }
  return out;
}

/** Whether a function's decorators keep it a coroutine function when called. */
export function decoratorsKeepAsync(decorators: readonly string[], resolve: (dotted: string) => FunctionSummary | 'preserving' | undefined): boolean {
  for (const d of decorators) {
    if (ASYNC_PRESERVING_DECORATORS.has(d)) continue;
    const last = d.split('.').pop() ?? d;
    if (d.includes('.') && ROUTE_METHODS.has(last)) continue;
    if (d.startsWith('pytest.mark.') || d === 'pytest.mark') continue;
    const r = resolve(d);
    if (r === 'preserving') continue;
    if (r && r.wrapsAsync) continue;
    return false;
  }
  return true;
}

export { ASYNC_PRESERVING_DECORATORS };
