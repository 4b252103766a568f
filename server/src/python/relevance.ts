/**
 * Which Python modules a rule can report in at all, told from text alone, before any parse.
 *
 * Every Python rule reports about asynchronous code: an `async def` (or an `await`), an asyncio,
 * trio or anyio API, the asynchronous API of a library the knowledge tables name,
 * or a project function, class or task defined in a module that is about such code. A module
 * that mentions none of them, and imports (through any chain of project imports) no module that
 * does, has nothing for a rule to find: a scan need not parse it. Most modules of an ordinary
 * project (models, utilities, CLI code) are such modules.
 */
import * as awaitables from './knowledge/awaitables';

/** A name that says it is asynchronous: writing it writes one of MENTIONS_ASYNC's words. */
const MARKED = /async|Async|aio|await/;

/**
 * What a module must write to reach a library the knowledge tables name, as a word list:
 * - `packages`: the top-level packages with an entry whose qualified name says nothing of async
 *   (`websockets.connect`, `discord.Client`, `httpx.Client`): an import of the package. A package
 *   whose every entry says it (`redis.asyncio.Redis`, `sqlalchemy.ext.asyncio.AsyncSession`,
 *   `openai.AsyncOpenAI`) needs no word of its own: its synchronous users (most of them) are
 *   not analysed for it;
 * - `names`: Django's async API, reached only through its `a`-prefixed twins (`aget`, `asave`,
 *   `aget_object_or_404`; the rest say `Async`), and the builtins (`anext`), which need no import.
 */
function knownLibraries(): { packages: string[]; names: string[] } {
  const unmarked = new Set<string>(['asyncio', 'trio', 'anyio', 'curio', 'telegram', 'telethon', 'pyrogram', 'homeassistant']);
  const names = new Set<string>(['anext', 'aiter']);
  const add = (qualified: string) => {
    const m = /^([A-Za-z_]\w*)\.[\w.*]+$/.exec(qualified);
    if (!m) return;
    if (m[1] === 'builtins') names.add(qualified.slice('builtins.'.length));
    else if (m[1] === 'django') {
      if (awaitables.AWAITABLE_FUNCTIONS.has(qualified)) names.add(qualified.slice(qualified.lastIndexOf('.') + 1));
    } else if (!MARKED.test(qualified)) unmarked.add(m[1]);
  };
  const tables: Iterable<string>[] = [
    awaitables.AWAITABLE_FUNCTIONS,
    awaitables.AWAITABLE_FUNCTION_FACTORIES,
    awaitables.LOOP_GETTERS,
    awaitables.CLIENT_PATCHERS,
    Object.keys(awaitables.AWAITABLE_METHODS),
    [...awaitables.CLASS_ALIASES.keys()],
    [...awaitables.CLASS_ALIASES.values()],
    ...[
      awaitables.METHOD_RESULTS,
      awaitables.STREAMED_RESULTS,
      awaitables.CALL_METHOD_RESULTS,
      awaitables.ASYNC_ITERATION_FACTORIES,
      awaitables.ASYNC_GENERATOR_METHODS,
      awaitables.ITERATED_ATTRIBUTES,
      awaitables.ASYNC_ITERATION_ELEMENTS,
      awaitables.AWAITED_ITEMS,
      awaitables.GENERIC_ATTRIBUTES,
      awaitables.DECLARED_GENERIC_ATTRIBUTES,
      awaitables.FACTORY_TUPLE_RESULTS,
      awaitables.CALL_TUPLE_RESULTS,
      awaitables.FACTORY_RESULTS,
      awaitables.CALL_RESULTS,
      awaitables.LIBRARY_COROUTINE_CALLABLES,
      awaitables.FACTORY_FACTORIES,
    ].map((table) => Object.keys(table)),
  ];
  for (const table of tables) for (const name of table) add(name);
  // A class reached only through attributes that say async (`genai.Client().aio`).
  for (const [cls, attributes] of Object.entries(awaitables.LIBRARY_ATTRIBUTES)) {
    if (!Object.keys(attributes).every((a) => MARKED.test(a))) add(cls);
  }
  // Django's classes (`Model`, `Manager`, querysets, the cache, signals) are reached by their
  // `a`-prefixed methods; the classes that say `Async` need no word.
  for (const [cls, methods] of Object.entries(awaitables.AWAITABLE_METHODS)) {
    if (cls.startsWith('django.') && !MARKED.test(cls)) for (const m of methods) names.add(m);
  }
  return { packages: [...unmarked].sort(), names: [...names].sort() };
}

const { packages, names } = knownLibraries();

/**
 * Words without which no rule reports in a module (unless a project module it imports has them):
 * `async`/`await` in any case (`AsyncClient`, `asyncpg`, `sync_to_async`), `aio` (`aiohttp`,
 * `grpc.aio`), AsyncSense's own suppression comments (an unused one is a finding), awaitable
 * annotations and decorators, the asyncio calls that take or schedule a coroutine.
 */
const ASYNC_WORDS = /async|Async|ASYNC|await|Await|aio|asyncsense|[Cc]oroutine|create_task|ensure_future|run_until_complete|run_coroutine_threadsafe|CancelledError/;

/** The names of knownLibraries(), all `a`-prefixed (`aget`, `anext`), as whole words. */
const ASYNC_NAMES = new RegExp(`\\ba(?:${names.map((n) => n.slice(1)).join('|')})\\b`);
if (names.some((n) => !n.startsWith('a'))) throw new Error('relevance: a library name without the a- prefix');

const PACKAGES = new Set(packages);

/**
 * Whether a module's own text mentions async code (see ASYNC_WORDS) or reaches a library of the
 * knowledge tables (see knownLibraries). `imports` are the module's imports, when already read.
 */
export function mentionsAsync(text: string, imports: readonly ImportedModule[] = importedModules(text)): boolean {
  if (ASYNC_WORDS.test(text) || ASYNC_NAMES.test(text)) return true;
  return imports.some((m) => m.level === 0 && PACKAGES.has(m.module.split('.', 1)[0]));
}

/** A module an import statement names: `level` leading dots, then the dotted name (may be empty). */
export interface ImportedModule {
  module: string;
  level: number;
}

/**
 * `from <dots><module> import <names>` (groups 1-3) or `import <modules>` (group 4), at the start
 * of a line (indented ones too: imports inside functions or `if TYPE_CHECKING:`) or after a `;`
 * (`import logging; from . import remote`); `from.remote import f` and `import(f)` without the
 * spaces are Python too.
 */
const IMPORT_LINE = /(?:^|;)[ \t]*(?:from(?:[ \t]+|(?=\.))(\.*)([\w.]*)[ \t]*import\b[ \t]*([^\n#;]*)|import[ \t]+([\w., \t]+))/gm;

/** The offset of the `)` closing a parenthesised import whose names start at `from`, comments skipped (they may hold parentheses). */
function closingParen(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x29 /* ) */) return i;
    if (c === 0x23 /* # */) {
      const eol = text.indexOf('\n', i);
      if (eol === -1) break;
      i = eol;
    }
  }
  return text.length;
}

/**
 * The modules a module's import statements name, read from its text: each `from` module, and each
 * name imported from it as a possible submodule (`from . import views`); names of a parenthesised
 * import continued on the next lines are read too, and lines continued by a backslash. `import
 * a.b.c` names the packages `a` and `a.b` as well: it binds `a`, whose `__init__.py` may give
 * `a.f`. A mention in a string is read as an import: an extra module costs a look at it, a missed
 * one could cost a finding.
 */
export function importedModules(text: string): ImportedModule[] {
  // A byte order mark before the first import; `from . import local, \` + `    remote`: one logical line.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.includes('\\')) text = text.replace(/\\\r?\n/g, ' ');
  const out: ImportedModule[] = [];
  IMPORT_LINE.lastIndex = 0;
  for (let m = IMPORT_LINE.exec(text); m; m = IMPORT_LINE.exec(text)) {
    if (m[1] !== undefined) {
      const level = m[1].length;
      const module = m[2];
      out.push({ module, level });
      let names = m[3];
      if (names.trimStart().startsWith('(') && !names.includes(')')) {
        const start = m.index + m[0].length - m[3].length;
        names = text.slice(start, closingParen(text, start)).replace(/#[^\n]*/g, '');
      }
      for (const name of names.replace(/[()\\]/g, ' ').split(',')) {
        const n = /^\s*(\w+)/.exec(name)?.[1];
        if (n && n !== 'import') out.push({ module: module ? `${module}.${n}` : n, level });
      }
    } else {
      for (const part of m[4].split(',')) {
        const named = /^\s*([\w.]+)(\s+as\b)?/.exec(part);
        if (!named) continue;
        const dotted = named[1].split('.').filter(Boolean);
        // `import a.b as m` binds `a.b` only; `import a.b` binds `a`.
        for (let i = named[2] ? dotted.length : 1; i <= dotted.length; i++) out.push({ module: dotted.slice(0, i).join('.'), level: 0 });
      }
    }
  }
  return out;
}
