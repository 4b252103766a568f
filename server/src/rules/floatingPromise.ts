import type { Rule } from '../engine/types';
import { checkFloatingPromises } from '../typescript/lazy';

export const floatingPromise: Rule = {
  id: 'floating-promise',
  family: 'unawaited',
  languages: ['typescript'],
  defaultSeverity: 'warning',
  anchors: ['@typescript-eslint/no-floating-promises', '@typescript-eslint/return-await'],
  fixable: 'safe',
  docs: {
    summary: 'A promise is created and dropped: not awaited, returned, voided, nor given a rejection handler.',
    what: [
      'An expression statement whose value is a promise or another thenable, according to the',
      'TypeScript checker (the nearest `tsconfig.json`/`jsconfig.json`, or an inferred project for',
      'loose files): calls, `new Promise(...)`, async IIFEs, optional calls, arrays of promises, and',
      'promises inside `a ? p() : q()`, `a && p()` or comma expressions. Handled forms are silent:',
      '`await p`, `return p`, `void p`, `p.catch(handler)`, `p.then(onFulfilled, onRejected)`,',
      'assignments. Values typed `any` are not reported, except a `.then(onFulfilled)` chain, which is',
      'a promise whatever its receiver. Without type information only calls of async functions',
      'declared in the same file, and `.then(onFulfilled)` chains, are recognised.',
      '',
      'Also a promise stored in a local `const`/`let` that is never read again',
      '(`const saving = store.save(row);` and nothing more): it floats just the same. Names starting',
      'with `_` mark a deliberately unused value and are not reported.',
      '',
      'And a promise returned without `await` from inside the `try` block of an async function that',
      'has a `catch` or `finally` (`@typescript-eslint/return-await`, in-try-catch): its rejection',
      'settles after the `try` is left, so the `catch` never sees it and the `finally` runs first.',
      '',
      'Promises that cannot reject are not reported: an async IIFE, or (outside async functions) a',
      'call of an async function of the program, whose every `await` sits in a `try` whose `catch`',
      'handles the error without rethrowing (the fire-and-forget idiom',
      '`(async () => { try { ... } catch (err) { log(err) } })()`), or of a function that only',
      'forwards to one — inside an async function such a call is still reported, since the caller',
      'could wait for it and may rely on the work being done; `Promise.resolve().then(callback)` with a plain callback',
      '(microtask scheduling) or `p.catch(handler).then(callback)`; `new Promise((resolve) => ...)`, whose executor never takes `reject`, and functions returning one; `Object.defineProperties(p, ...)` and the like, which return the promise they are given; a fluent method that returns its (thenable) receiver; a function whose `finally` calls `process.exit()`; a call in sync mode (`list({ file, sync: true })`); a callback-or-promise API given its callback (a Node-style `(err, ...) =>` last argument, or a result typed as a promise or nothing; its result is a promise',
      'only without one); a method overriding a base member that returns no promise (an `emit()`',
      'override). An async function with nothing to await is still reported: it is usually a stub',
      'whose callers are meant to wait for it.'
    ].join('\n'),
    why: [
      'A dropped promise runs on its own: its rejection becomes an "unhandledRejection" (which',
      'terminates Node by default), and the caller continues before the work is done — a response',
      'is sent before the row is saved, a test passes before its assertion runs.',
    ].join('\n'),
    examples: [
      {
        language: 'typescript',
        bad: ['export async function handler(req: Request) {', '  audit.record(req);', "  return new Response('ok');", '}'].join('\n'),
        good: ['export async function handler(req: Request) {', '  await audit.record(req);', "  return new Response('ok');", '}'].join('\n'),
      },
    ],
    fix: 'Inside an async function, `await` is added (safe; for a stored promise, in front of its initializer). Elsewhere, a suggestion marks the promise as intentionally not awaited with `void` — handle its rejection too.',
  },
  check: { typescript: checkFloatingPromises },
};
