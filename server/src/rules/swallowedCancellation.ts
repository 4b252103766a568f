import type { Rule } from '../engine/types';
import { checkSwallowedCancellation } from '../python/rules/cancellation';

export const swallowedCancellation: Rule = {
  id: 'swallowed-cancellation',
  family: 'cancellation',
  languages: ['python'],
  defaultSeverity: 'warning',
  anchors: ['ASYNC103', 'ASYNC104'],
  fixable: 'safe',
  docs: {
    summary: 'Async code catches CancelledError (directly, with a bare `except:` or `except BaseException`) and does not re-raise it.',
    what: [
      'Inside an `async def`, around code that awaits:',
      '',
      '- an `except asyncio.CancelledError:` handler that neither re-raises nor returns;',
      '- a bare `except:` or `except BaseException:` handler that does not re-raise (since',
      '  Python 3.8, `CancelledError` is a `BaseException`, so `except Exception:` is fine);',
      '- `return`, `break` or `continue` in a `finally` block, which silently drop the exception',
      '  being propagated, cancellation included.',
      '',
      'Not reported: the "cancel, then wait" pattern, where the function cancels a task itself and',
      'then awaits it inside `try/except CancelledError` to wait for its clean-up; a handler that',
      'returns deliberately (the task ends on purpose); a `try` whose body cannot be interrupted',
      'because it never awaits.',
    ].join('\n'),
    why: [
      'Cancellation is how asyncio stops work: `task.cancel()`, `asyncio.timeout()`, `wait_for`,',
      '`TaskGroup` when a sibling fails, and `asyncio.run` at shutdown all deliver a',
      '`CancelledError` at the next `await`. Swallowing it makes the task carry on as if nothing',
      'happened: timeouts no longer fire, task groups hang, and shutdown waits forever.',
    ].join('\n'),
    examples: [
      {
        language: 'python',
        bad: [
          'async def consume(queue):',
          '    while True:',
          '        try:',
          '            item = await queue.get()',
          '            await handle(item)',
          '        except asyncio.CancelledError:',
          '            log.info("consumer stopping")',
        ].join('\n'),
        good: [
          'async def consume(queue):',
          '    while True:',
          '        try:',
          '            item = await queue.get()',
          '            await handle(item)',
          '        except asyncio.CancelledError:',
          '            log.info("consumer stopping")',
          '            raise',
        ].join('\n'),
      },
    ],
    fix: [
      '- `except CancelledError:` handlers get a `raise` at their end. Safe.',
      '- A bare `except:` / `except BaseException:` gets an `except asyncio.CancelledError: raise`',
      '  clause in front of it, so every other exception is still handled as before. Safe.',
      '- `return`/`break` in `finally` has no automatic fix: move it out of the `finally` block.',
    ].join('\n'),
  },
  check: { python: checkSwallowedCancellation },
};
