import type { Rule } from '../engine/types';
import { checkCancelledNotAwaited, checkTimeoutWithoutAwait, checkYieldInContextManager } from '../python/rules/cancelScopes';

export const cancelledTaskNotAwaited: Rule = {
  id: 'cancelled-task-not-awaited',
  family: 'cancellation',
  languages: ['python'],
  defaultSeverity: 'warning',
  anchors: [],
  fixable: 'none',
  docs: {
    summary: 'A task is cancelled and then forgotten: nothing waits for its clean-up.',
    what: [
      'Inside an `async def`, `task.cancel()` on a local task (from `asyncio.create_task`, `ensure_future`',
      'or `loop.create_task`, whatever the loop variable is called when it comes from',
      '`asyncio.get_running_loop()`, `get_event_loop()` or `new_event_loop()`) with no later `await task`,',
      '`gather(...)`, `wait(...)` or other hand-off of the task in the same function. Returning the',
      'task, storing it or passing it to another call counts as a hand-off; mentioning it in a log',
      'line or a `print()` (`logging.info("cancelled %s", task)`) does not, since nothing waits for it, nor',
      'does looking at its state right after the cancel (`task.cancelled()`, `task.cancelling()`, `task.done()`,',
      '`task.result()`, `task in done` after `done, pending = await asyncio.wait(...)`;',
      'after an `await`, which lets the task run its clean-up, or polled in a `while` loop, it counts).',
      'A cancel followed at once by `return` or by raising a new exception (`task.cancel(); raise',
      'TimeoutError`) is reported whatever other paths do with the task, and so is a bare `raise` in a',
      'handler of ordinary errors (`except Exception: task.cancel(); raise`); in a handler of the',
      'function\'s own cancellation (`except CancelledError`, `BaseException`, bare `except:`) it passes',
      'that cancellation on and is not reported (with or without clean-up awaited before the `raise`).',
      'Also `for w in workers: w.cancel()` over a list, set or dict (`.values()`) of new tasks that',
      'is never awaited afterwards — built by a comprehension or filled by the function with tasks',
      'only (`workers.append(create_task(...))`, `workers[name] = create_task(...)`) — and the same over the',
      '`pending` set of `done, pending = await asyncio.wait(tasks, return_when=FIRST_COMPLETED)`',
      'when `tasks` are new tasks of the function (awaiting `pending` or `tasks` afterwards is enough).',
      'Also a task an application keeps under a key, started by the file (`app["listener"] = asyncio.create_task(...)`,',
      'or under an aiohttp `AppKey`) and cancelled in an async clean-up that never mentions the entry again',
      '(`app["listener"].cancel()` in an `on_cleanup` handler, with no `await app["listener"]` after it).',
    ].join('\n'),
    why: [
      '`cancel()` only requests cancellation: the task runs its `except CancelledError`/`finally`',
      'clean-up the next time it is scheduled. If nobody awaits it, the function moves on while the',
      'clean-up is still pending, errors raised during clean-up are lost, and at shutdown asyncio',
      'reports "Task was destroyed but it is pending!".',
    ].join('\n'),
    examples: [
      {
        language: 'python',
        bad: ['async def stop(worker_task):', '    task = asyncio.create_task(worker())', '    ...', '    task.cancel()'].join('\n'),
        good: [
          'async def stop():',
          '    task = asyncio.create_task(worker())',
          '    ...',
          '    task.cancel()',
          '    with contextlib.suppress(asyncio.CancelledError):',
          '        await task',
        ].join('\n'),
      },
    ],
  },
  check: { python: checkCancelledNotAwaited },
};

export const timeoutWithoutAwait: Rule = {
  id: 'timeout-without-await',
  family: 'cancellation',
  languages: ['python'],
  defaultSeverity: 'warning',
  anchors: ['ASYNC100'],
  fixable: 'none',
  docs: {
    summary: 'A timeout scope whose body never awaits, so the timeout can never fire.',
    what: [
      'A timeout or cancel scope whose body contains no `await`, `async for` or `async with`:',
      '',
      '- `async with asyncio.timeout(...)` / `asyncio.timeout_at(...)` / `async_timeout.timeout(...)`;',
      '- the anyio and trio scopes, which are entered with a plain `with`: `fail_after`, `fail_at`,',
      '  `move_on_after`, `move_on_at` and `CancelScope(...)` (a shielded scope without an await',
      '  shields nothing either).',
      '',
      'Names are resolved through imports and aliases (`from anyio import move_on_after as within`).',
      'A body that yields is not reported (as in flake8-async): the code that runs while the generator',
      'is suspended, such as the body of an `@asynccontextmanager` built on `with anyio.fail_after(5): yield`,',
      'can reach a checkpoint. A nested function\'s awaits do not count: they run later, outside the scope.',
      'An async comprehension (`[row async for row in cursor]`) awaits every item and counts.',
    ].join('\n'),
    why: [
      'A timeout cancels the task at its next await. A body without one runs to the end whatever',
      'the deadline — usually because the slow part is a blocking call that should be awaited',
      '(or moved to a thread) instead.',
    ].join('\n'),
    examples: [
      {
        language: 'python',
        bad: ['async def load(path):', '    async with asyncio.timeout(5):', '        return parse(open(path).read())'].join('\n'),
        good: ['async def load(path):', '    async with asyncio.timeout(5):', '        text = await asyncio.to_thread(read_file, path)', '    return parse(text)'].join('\n'),
      },
    ],
  },
  check: { python: checkTimeoutWithoutAwait },
};

export const yieldInContextManager: Rule = {
  id: 'yield-in-context-manager',
  family: 'cancellation',
  languages: ['python'],
  defaultSeverity: 'warning',
  anchors: ['ASYNC119', 'ASYNC101'],
  fixable: 'none',
  docs: {
    summary: 'An async generator yields inside `with`/`async with`, a timeout or a TaskGroup.',
    what: [
      'A `yield` in an async generator inside a `with`/`async with` block (ASYNC119), and especially',
      'inside `asyncio.timeout()` or `asyncio.TaskGroup()` (ASYNC101; also trio/anyio timeouts, cancel',
      'scopes and nurseries). Generators decorated as',
      'context managers (`@asynccontextmanager`) or pytest fixtures (pytest-trio\'s `@trio_fixture` too) are not reported: yielding',
      'there is their purpose. Nor is a generator with a single `yield` outside any loop inside a',
      'plain `with`/`async with`: that is the context-manager shape of FastAPI `Depends(...)`',
      'generators and hand-rolled managers, driven to completion by their caller (inside a timeout,',
      'a task group or a cancel scope it is still reported). Nor is a `yield` inside `async with contextlib.aclosing(...)` (or',
      '`closing`): that block is the remedy, closing the inner generator when this one stops. Nor is the',
      '`async_auth_flow` of an `httpx.Auth` subclass, which httpx drives and always closes (a lock held',
      'across its yields is the documented shape).',
    ].join('\n'),
    why: [
      'While the generator is suspended at `yield`, the consumer runs with the generator\'s context',
      'still open. If the consumer stops iterating early, the clean-up waits until the generator',
      'is garbage-collected, possibly on another task or never. A timeout or TaskGroup spanning',
      'a `yield` cancels or waits in the wrong task.',
    ].join('\n'),
    examples: [
      {
        language: 'python',
        bad: ['async def rows(pool):', '    async with pool.acquire() as conn:', '        async for row in conn.cursor("SELECT ..."):', '            yield row'].join('\n'),
        good: [
          'async def rows(pool):',
          '    async with pool.acquire() as conn:',
          '        return await conn.fetch("SELECT ...")',
          '',
          '# or let the caller own the generator\'s lifetime:',
          '# async with contextlib.aclosing(rows(pool)) as stream: ...',
        ].join('\n'),
      },
    ],
  },
  check: { python: checkYieldInContextManager },
};
