import type { Rule } from '../engine/types';
import { checkAsyncWithoutAwait, checkBusyWait, checkLongSleep, checkTimeoutParameter, checkZeroSleep } from '../python/rules/hygiene';

export const asyncWithoutAwait: Rule = {
  id: 'async-without-await',
  family: 'hygiene',
  languages: ['python'],
  defaultSeverity: 'info',
  optIn: true,
  anchors: ['RUF029'],
  fixable: 'none',
  docs: {
    summary: 'An `async def` that never awaits, iterates or enters anything asynchronously.',
    what: [
      'An `async def` whose own body contains no `await`, `async for` or `async with` (nested',
      'functions do not count). Decorated functions (often registered with a framework that',
      'requires coroutines), protocol methods such as `__aenter__`, and stubs (`...`, `pass`,',
      '`raise NotImplementedError`) are not reported, nor are methods that may override a base',
      'class\'s (a project base in the resolution order defines the name, or a base is a library',
      'class other than `ABC`, `Protocol`, `Enum`, ...): callers await them through the base.',
      'Nor are module-level functions the file registers with aiohttp by a call (`app.router.add_get("/", healthz)`,',
      '`web.get("/", healthz)`, `app.on_startup.append(init)`), or that a routing module next to the file registers',
      'with aiohttp through an import (`app.router.add_get("/", handlers.healthz)` in `app.py`, `routes.py`, ... of',
      'the file\'s folder or the one above), or a method its class registers (`app.router.add_get("/metrics",',
      'self._metrics)`), which must be coroutine functions there (frameworks that also take',
      'plain functions, such as Starlette\'s `Route(...)`, do not count). Likewise aiohttp_jinja2\'s',
      '`context_processors=[...]` and BlackSheep\'s `app.on_start += init` (also `after_start`/`on_stop`), in the file',
      'or a routing module next to it, and methods of Falcon\'s shape, which its ASGI app awaits: responders',
      '(`on_get(self, req, resp)`, `on_post_item(...)`, ...), middleware (`process_request(self, req, resp)`, ...)',
      'and `process_startup(self, scope, event)`/`process_shutdown`. Nor are tests that need a running loop',
      '(`test_...` functions calling `asyncio.get_running_loop()`, `current_task()`, `create_task(...)`: the runner',
      'gives an async test a loop, a plain one would raise; other functions that only start tasks are reported),',
      'functions handed on by name to a call (`every(1, job)`, `monkeypatch.setattr("asyncio.sleep", no_sleep)`, also in a list or',
      'dict given to it, such as httpx\'s `AsyncClient(event_hooks={"request": [log_request]})`; methods',
      'their class hands on, `await queue.consume(self.on_response)`; in a file that imports arq, the functions a class',
      'body lists, `functions = [download]`, `on_startup = startup`, which arq\'s worker awaits, also from a module of',
      'the same folder or the one above that imports them, `functions = [jobs.download]` in `worker.py`):',
      'the receiver awaits them; not registrations that also take plain functions, such as Starlette\'s',
      '`Route(...)` and `add_event_handler(...)`, `add_task(...)`, `add_job(...)`), and the async methods of abstract classes (a `Protocol` base or abstract methods) or of',
      'classes the file subclasses with an override: defaults that callers await through the base.',
      'Nor are the module-level hooks Home Assistant looks up by name and awaits (`async_setup_entry`,',
      '`async_unload_entry`, `async_get_config_entry_diagnostics`, ...), in files that use it.',
      'Nor are methods whose docstring offers them for overriding ("override it to restrict access",',
      '"can be overridden", "subclasses can replace it"): a library\'s default hooks, which its users replace and it awaits.',
      'Off by default: select it to use it.',
    ].join('\n'),
    why: [
      'Callers must await it and pay for creating and scheduling a coroutine, yet it never yields',
      'to the event loop; worse, a blocking body hides behind an `async` signature, and',
      'readers assume it does I/O.',
    ].join('\n'),
    examples: [
      {
        language: 'python',
        bad: ['async def total(prices):', '    return sum(prices)'].join('\n'),
        good: ['def total(prices):', '    return sum(prices)'].join('\n'),
      },
    ],
  },
  check: { python: checkAsyncWithoutAwait },
};

export const busyWaitLoop: Rule = {
  id: 'busy-wait-loop',
  family: 'hygiene',
  languages: ['python'],
  defaultSeverity: 'warning',
  anchors: ['ASYNC110'],
  fixable: 'none',
  docs: {
    summary: 'A `while` loop that only sleeps until a condition becomes true.',
    what: [
      'A `while <condition>:` loop inside async code whose body is only `await asyncio.sleep(...)`',
      '(or `anyio`/`trio` sleep), and a `while True:` loop that only sleeps: a way to wait until',
      'cancelled that wakes up for nothing (and spins when the sleep is `sleep(0)`). A condition',
      'that itself awaits (`while not await service.ready():`) polls something only reachable by',
      'asking it, which no event could stand for: not reported. Nor is a condition that reads a',
      '`threading.Event` (`while not stop.is_set():`, the event made in the file, held by `self` or annotated):',
      'another thread sets it, where an `asyncio.Event` could only be set through `loop.call_soon_threadsafe()`.',
      'Nor is a condition that makes a call blocking-call-in-async reports (`while not path.exists():`,',
      '`while not hook.check_for_key(key, bucket):` in an Airflow trigger): it reads the file system or a',
      'service, state outside the program that no event of it could stand for (the blocking call itself is reported).',
      'Nor is a polling loop in a test module (`test_*.py`, `*_test.py`, `conftest.py`): a test waiting for the code',
      'under test (`while key in scheduler.tasks:`) has no event to wait on, and adding one would change what is tested.',
      'A `while True:` loop that only sleeps is reported there too. A loop whose condition only compares a clock',
      'with a time (`while loop.time() < deadline:`, `while time.monotonic() - start < 5:`) is reported with',
      'the advice to sleep once for the time left (`trio.sleep_until()`/`anyio.sleep_until()` in trio and anyio code).',
    ].join('\n'),
    why: [
      'Polling wastes wake-ups and adds up to one sleep interval of latency every time; with a',
      'short interval it burns CPU, with a long one it is slow. An `asyncio.Event` (or',
      '`Condition`) set by the code that changes the state wakes the waiter exactly when needed.',
      'To wait until cancelled, `await asyncio.Event().wait()` sleeps without waking up at all',
      '(`trio.sleep_forever()`/`anyio.sleep_forever()` in trio and anyio code, whose own `Event`s the',
      'message names there).',
    ].join('\n'),
    examples: [
      {
        language: 'python',
        bad: ['async def wait_ready(worker):', '    while not worker.ready:', '        await asyncio.sleep(0.1)'].join('\n'),
        good: ['async def wait_ready(worker):', '    await worker.ready_event.wait()  # set by the worker when it is ready'].join('\n'),
      },
      {
        language: 'python',
        bad: ['async def settle(deadline):', '    loop = asyncio.get_running_loop()', '    while loop.time() < deadline:', '        await asyncio.sleep(0.05)'].join('\n'),
        good: ['async def settle(deadline):', '    loop = asyncio.get_running_loop()', '    await asyncio.sleep(max(0, deadline - loop.time()))'].join('\n'),
      },
    ],
  },
  check: { python: checkBusyWait },
};

export const asyncTimeoutParameter: Rule = {
  id: 'async-timeout-parameter',
  family: 'hygiene',
  languages: ['python'],
  defaultSeverity: 'info',
  optIn: true,
  anchors: ['ASYNC109'],
  fixable: 'none',
  docs: {
    summary: 'An async function takes its own `timeout` parameter instead of letting callers use a timeout scope.',
    what: 'An `async def` with a parameter named `timeout`. Off by default: select it to use it.',
    why: [
      'Hand-rolled timeout parameters do not compose: each layer re-implements them, and nested',
      'deadlines drift. `async with asyncio.timeout(...)` (Python 3.11+) at the call site cancels',
      'whatever the function is awaiting, however deep, and leaves one place to change it; in trio',
      'and anyio code (the message says so there), `with trio.fail_after(...)` / `anyio.move_on_after(...)`.',
    ].join('\n'),
    examples: [
      {
        language: 'python',
        bad: ['async def fetch(url, timeout=10):', '    return await asyncio.wait_for(get(url), timeout)'].join('\n'),
        good: ['async def fetch(url):', '    return await get(url)', '', 'async def caller(url):', '    async with asyncio.timeout(10):', '        return await fetch(url)'].join('\n'),
      },
    ],
  },
  check: { python: checkTimeoutParameter },
};

export const sleepForever: Rule = {
  id: 'sleep-forever',
  family: 'hygiene',
  languages: ['python'],
  defaultSeverity: 'info',
  anchors: ['ASYNC116'],
  fixable: 'none',
  docs: {
    summary: 'A sleep longer than a day, used to mean "wait until cancelled".',
    what: '`asyncio.sleep(...)` (or the anyio/trio sleeps) with a constant duration over 24 hours, `float("inf")` or `math.inf` — written in place, as a module-level constant (`FOREVER = 10**9`) or as arithmetic over such constants (`2 * DAY` with `DAY = 24 * 60 * 60`) — passed by position or by keyword (`asyncio.sleep(delay=1e9)`, `anyio.sleep(delay=...)`, `trio.sleep(seconds=...)`). A finite pause between the rounds of a loop that awaits other work too (a weekly job) is a period, not a wait forever, and is not reported; nor is a pause under a year followed by other code than more sleeping (a test on a fake clock that then checks the time): it is meant to end.',
    why: [
      'A huge sleep hides the intent ("park this task until it is cancelled") behind a magic',
      'number, and some values overflow the loop\'s timer (`float("inf")` raises on some',
      'platforms and versions). Waiting on an `asyncio.Event` that is never set says what it does.',
      '`asyncio.sleep(0)` is the asyncio idiom for yielding to the loop and is not reported;',
      'trio\'s and anyio\'s `sleep(0)` are [zero-sleep-checkpoint](zero-sleep-checkpoint.md)\'s.',
    ].join('\n'),
    examples: [
      {
        language: 'python',
        bad: ['async def serve_forever(server):', '    await server.start()', '    await asyncio.sleep(10**9)'].join('\n'),
        good: ['async def serve_forever(server):', '    await server.start()', '    await asyncio.Event().wait()  # until cancelled'].join('\n'),
      },
    ],
  },
  check: { python: checkLongSleep },
};

export const zeroSleepCheckpoint: Rule = {
  id: 'zero-sleep-checkpoint',
  family: 'hygiene',
  languages: ['python'],
  defaultSeverity: 'info',
  anchors: ['ASYNC115'],
  fixable: 'safe',
  docs: {
    summary: 'trio or anyio code sleeps for zero seconds to mean "let other tasks run".',
    what: [
      '`trio.sleep(0)` and `anyio.sleep(0)` (also imported as `sleep`, with `0`, `0.0` or the duration by',
      'keyword: `trio.sleep(seconds=0)`, `anyio.sleep(delay=0)`). A name or expression that only holds zero',
      'is not reported (its value may change), nor is `asyncio.sleep(0)`: asyncio has no `checkpoint()`,',
      'and a zero sleep is how asyncio code yields to the loop.',
    ].join('\n'),
    why: [
      'A zero sleep is a checkpoint in disguise: it yields to the scheduler and lets a pending',
      'cancellation through, and that is all. `trio.lowlevel.checkpoint()` (`anyio.lowlevel.checkpoint()`)',
      'says so, where a sleep reads like a tuning knob someone may "fix" to `sleep(0.1)`, slowing',
      'the loop for nothing; a loop of zero sleeps is easy to mistake for a timed poll.',
    ].join('\n'),
    fix: [
      'Writes the checkpoint call in place of the sleep: through a `checkpoint` or `lowlevel` the file',
      'already imports from the library, else as `trio.lowlevel.checkpoint()` (under the name the file',
      'imports trio by) or `anyio.lowlevel.checkpoint()` with `import anyio.lowlevel` added to the imports.',
      'The behaviour is the same: both yield once and raise if the task is cancelled.',
    ].join('\n'),
    examples: [
      {
        language: 'python',
        bad: ['async def drain(queue):', '    while queue:', '        handle(queue.popleft())', '        await trio.sleep(0)'].join('\n'),
        good: ['async def drain(queue):', '    while queue:', '        handle(queue.popleft())', '        await trio.lowlevel.checkpoint()'].join('\n'),
      },
    ],
  },
  check: { python: checkZeroSleep },
};
