import type { Rule } from '../engine/types';
import { checkUnawaitedCoroutines } from '../python/rules/unawaitedCoroutine';

export const unawaitedCoroutine: Rule = {
  id: 'unawaited-coroutine',
  family: 'unawaited',
  languages: ['python'],
  defaultSeverity: 'warning',
  anchors: ['reportUnusedCoroutine'],
  fixable: 'safe',
  docs: {
    summary: 'A coroutine is created but never awaited, so its body never runs.',
    what: [
      'A call to a coroutine function whose result is thrown away: used as a bare statement, or',
      'assigned to a name that is never used afterwards. AsyncSense knows a call makes a coroutine',
      'when the callee is',
      '',
      '- an `async def` of the same file or of another module of the project (followed through',
      '  `import pkg.mod`, `from pkg.mod import f as g`, relative imports and `__init__.py`',
      '  re-exports), including methods called on `self`/`cls` (searching base classes of the',
      '  project), on the class itself, or on a local instance of a project class;',
      '- a well-known library coroutine or awaitable: `asyncio.sleep`, `wait_for`, `gather`, `Queue.put`/`get`,',
      '  `Lock.acquire`, `Event.wait`, `aiohttp.ClientSession` methods (`close()` included),',
      '  `httpx.AsyncClient` methods, `asyncpg` connections and pools, `motor` collections, when the',
      '  receiver\'s class is known from its construction, an `async with ... as` or an annotation.',
      '',
      'Decorated functions count only when the decorator is known to keep them coroutine functions',
      '(`staticmethod`, `functools.wraps`-style wrappers defined in the project, route decorators',
      'such as `@app.get(...)`, ...). A coroutine that is returned, stored, passed to another call',
      '(`gather`, `create_task`, a list that is gathered later) is not reported.',
    ].join('\n'),
    why: [
      'Calling a coroutine function only creates a coroutine object; nothing in its body runs until',
      'it is awaited or scheduled. The call looks like it did its work — a message sent, a row',
      'written, a session closed — while nothing happened, and Python only prints',
      '"RuntimeWarning: coroutine ... was never awaited" when the object is garbage-collected, far',
      'from the bug. `session.close()` without `await` is the classic source of "Unclosed client',
      'session" warnings.',
    ].join('\n'),
    examples: [
      {
        language: 'python',
        bad: [
          'async def save(db, record):',
          '    await db.execute("INSERT ...", record)',
          '',
          'async def handler(db, record):',
          '    save(db, record)',
          '    return {"status": "saved"}',
        ].join('\n'),
        good: [
          'async def save(db, record):',
          '    await db.execute("INSERT ...", record)',
          '',
          'async def handler(db, record):',
          '    await save(db, record)',
          '    return {"status": "saved"}',
        ].join('\n'),
      },
    ],
    fix: [
      'Inside an `async def`, adds `await` before the call (safe: it is what the code meant).',
      'Outside an async function there is no automatic fix: run it with `asyncio.run(...)` from',
      'synchronous entry points, or make the caller async.',
    ].join('\n'),
    notes: [
      'Callees that cannot be resolved (dynamic attributes, untyped parameters, unknown',
      'decorators) are not reported: a missed case costs less than a false alarm.',
    ].join('\n'),
  },
  check: { python: checkUnawaitedCoroutines },
};
