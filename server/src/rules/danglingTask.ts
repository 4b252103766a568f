import type { Rule } from '../engine/types';
import { checkDanglingTasks } from '../python/rules/danglingTask';

export const danglingTask: Rule = {
  id: 'dangling-task',
  family: 'unawaited',
  languages: ['python'],
  defaultSeverity: 'warning',
  anchors: ['RUF006', 'ASYNC300'],
  fixable: 'suggestion',
  docs: {
    summary: 'A task is started and its only reference dropped: it can vanish mid-flight and its error is lost.',
    what: [
      'A call to `asyncio.create_task`, `asyncio.ensure_future`, `loop.create_task` (the loop from',
      '`asyncio.get_running_loop()`, a parameter or attribute named `loop` — `self.bot.loop` too —',
      'unless its annotation or assignment names another class, or a project function annotated',
      '`-> asyncio.AbstractEventLoop`) whose result is discarded — a bare statement, or a name that is',
      'never used again (not inside `with pytest.raises(...)`/`self.assertRaises(...)`, where the call is',
      'expected to raise and makes no task). Also a bare-statement call of a project helper that creates a task and',
      'hands it back without keeping it (`def spawn(coro): return asyncio.create_task(coro)`, in',
      'this file or an imported module); a helper that adds the task to a set, or gives it a',
      'callback, keeps it and is not reported. A statement that only gives the new task a done',
      'callback (`asyncio.create_task(job()).add_done_callback(log_errors)`) is reported too: the',
      'callback retrieves the exception, but nothing holds the task. And a task made by a lambda',
      'handed to a loop or signal API that ignores what its callback returns',
      '(`loop.add_signal_handler(sig, lambda: asyncio.create_task(shutdown()))`, `call_soon`,',
      '`call_later`, `add_done_callback`, `signal.signal`): the task is dropped as soon as it is made.',
      'The same when the factory itself is the callback (`loop.call_soon_threadsafe(asyncio.create_task,',
      'coro)`), and when a task kept in a name is only given a done callback',
      '(`task = asyncio.create_task(...)`; `task.add_done_callback(log_errors)`), or only added to a',
      'weak container (`_recent = weakref.WeakSet()`; `_recent.add(task)`; also a `WeakValueDictionary`). And a task kept',
      'in a local name that the very next statement binds again before anything reads it',
      '(`t = asyncio.create_task(warm("eu"))`; `t = asyncio.create_task(warm("us"))`; `await t`):',
      'the first task has lost its only reference.',
    ].join('\n'),
    why: [
      'The event loop keeps only a weak reference to tasks. A task nobody references can be',
      'garbage-collected before it finishes ("Task was destroyed but it is pending!"), and an',
      'exception it raises is never retrieved: it is logged, if at all, when the task is collected,',
      'and the caller never learns the work failed.',
    ].join('\n'),
    examples: [
      {
        language: 'python',
        bad: [
          'async def handle(event):',
          '    asyncio.create_task(notify_subscribers(event))',
          '    return "accepted"',
        ].join('\n'),
        good: [
          'background_tasks: set[asyncio.Task] = set()',
          '',
          'async def handle(event):',
          '    task = asyncio.create_task(notify_subscribers(event))',
          '    background_tasks.add(task)',
          '    task.add_done_callback(background_tasks.discard)',
          '    return "accepted"',
        ].join('\n'),
      },
    ],
    fix: [
      'A suggestion (not applied by fix-all): keep a strong reference in a module-level set and',
      'discard it when the task is done. When the tasks belong to one operation, an',
      '`asyncio.TaskGroup` (Python 3.11+) is better still: it waits for them and propagates errors.',
    ].join('\n'),
    notes: [
      'Tasks created through a `TaskGroup` (`tg.create_task`) or an `anyio`/`trio` nursery are',
      'owned by the group and are not reported.',
    ].join('\n'),
  },
  check: { python: checkDanglingTasks },
};
