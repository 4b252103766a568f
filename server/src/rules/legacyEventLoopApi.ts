import type { Rule } from '../engine/types';
import { checkLegacyApi } from '../python/rules/legacyApi';

export const legacyEventLoopApi: Rule = {
  id: 'legacy-event-loop-api',
  family: 'legacy-api',
  languages: ['python'],
  defaultSeverity: 'warning',
  anchors: [],
  fixable: 'safe',
  docs: {
    summary: 'Deprecated, removed or misused event-loop APIs: manual loop management, asyncio.run inside a coroutine, removed arguments and decorators.',
    what: [
      '- the pre-3.7 way to start a program: `asyncio.get_event_loop()` where no loop can be',
      '  running (at import time, or in code that then runs that loop), and',
      '  `loop.run_until_complete(...)` on such a loop (as a statement, or with its result kept:',
      '  `count = loop.run_until_complete(main())`). A sync helper or constructor that calls',
      '  `get_event_loop()` is not reported: called from a coroutine, it gets the running loop back',
      '  without a warning. Nor is a loop made with `new_event_loop()` and run by hand inside a',
      '  function (a thread\'s own loop, a test fixture): that is a runner, not a pitfall;',
      '- `asyncio.get_event_loop()` inside a coroutine (use `get_running_loop()`);',
      '- `asyncio.run()` or `loop.run_until_complete()` called inside a coroutine (RuntimeError);',
      '- `asyncio.run(asyncio.gather(...))` (TypeError: `gather` returns a future, not a coroutine);',
      '- `asyncio.ensure_future(coro())` where `asyncio.create_task` is meant (not when the argument is',
      '  known to be a future or another awaitable — `loop.run_in_executor(...)`, `gather(...)`,',
      '  `wrap_future(...)`, an aiohttp request, a plain `def` or method (Protocols included) annotated',
      '  to return a `Future`, `Task` or `Awaitable`, a parameter annotated `Callable[..., Awaitable[T]]`: `ensure_future` is the',
      '  right call for those, and `create_task` would raise);',
      '- `asyncio.wait([coro(), ...])` with bare coroutines (TypeError since 3.11; futures such as',
      '  `loop.run_in_executor(...)`, `gather(...)` or `shield(...)` are accepted and not reported);',
      '- `httpx.AsyncClient(app=...)` (removed in httpx 0.28);',
      '- the `loop=` argument of `asyncio.sleep`, `Queue`, `Lock`, `wait_for`, `gather`, ... (removed in 3.10),',
      '  `asyncio.Task.all_tasks()`/`current_task()` (removed in 3.9), `@asyncio.coroutine` (removed in 3.11);',
      '- FastAPI/Starlette `@app.on_event("startup" | "shutdown")` (deprecated in favour of lifespan).',
    ].join('\n'),
    why: [
      'These either fail at runtime on current Python and library versions (TypeError,',
      'RuntimeError, removed attributes) or keep a program on code paths that emit deprecation',
      'warnings and leak loops: `asyncio.run()` is the one entry point that creates the loop, runs',
      'the coroutine, cancels what is left, shuts down async generators and closes the loop.',
    ].join('\n'),
    examples: [
      {
        language: 'python',
        bad: ['loop = asyncio.get_event_loop()', 'loop.run_until_complete(main())'].join('\n'),
        good: ['asyncio.run(main())'].join('\n'),
      },
    ],
    fix: [
      'Safe fixes: `get_event_loop()` → `get_running_loop()` inside coroutines; removing a `loop=`',
      'argument; `AsyncClient(app=x)` → `AsyncClient(transport=httpx.ASGITransport(app=x))`;',
      '`Task.all_tasks()` → `asyncio.all_tasks()`. Suggestions: `loop.run_until_complete(main())` →',
      '`asyncio.run(main())`, `ensure_future` → `create_task`, and `asyncio.run(asyncio.gather(...))` →',
      'an `async def _main()` that awaits the gather, run by `asyncio.run(_main())`.',
    ].join('\n'),
  },
  check: { python: checkLegacyApi },
};
