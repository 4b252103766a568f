import type { Rule } from '../engine/types';
import { checkPythonBlockingCalls } from '../python/rules/blockingCall';
import { checkTsBlockingCalls } from '../typescript/lazy';

export const blockingCallInAsync: Rule = {
  id: 'blocking-call-in-async',
  family: 'blocking',
  languages: ['python', 'typescript'],
  defaultSeverity: 'warning',
  anchors: ['ASYNC251', 'n/no-sync'],
  fixable: 'safe',
  docs: {
    summary: 'A synchronous, blocking call inside an async function stalls the event loop.',
    what: [
      'Calls that block the thread while they wait, made directly inside an `async` function:',
      '',
      '- Python: `time.sleep()` inside `async def` (resolved through imports and aliases, e.g.',
      '  `import time as t` or `from time import sleep as nap`).',
      '- TypeScript/JavaScript: synchronous Node APIs inside an `async` function, a function',
      '  declared to return a `Promise`, or a `new Promise` executor: `fs.*Sync` (`readFileSync`,',
      '  `writeFileSync`, ...), `child_process.execSync`/`execFileSync`/`spawnSync`, `zlib.*Sync` and',
      '  `crypto.pbkdf2Sync`/`scryptSync`/`generateKeyPairSync`, whichever way the module is imported',
      '  (`import`, `import * as`, `require`); `Atomics.wait()`; and busy-wait loops whose condition',
      '  reads the clock (`while (Date.now() < deadline) {}`) and whose body never awaits.',
      '',
      'Calls in a nested synchronous function or lambda, functions passed (not called) to',
      '`asyncio.to_thread` or `loop.run_in_executor`, and look-alike methods of unrelated objects',
      'are not reported.',
    ].join('\n'),
    why: [
      'An event loop runs one callback at a time. While a blocking call waits, no other task,',
      'request handler, timer or heartbeat can run: a one-second `time.sleep` in one handler',
      'freezes every concurrent request for that second, and a slow synchronous file read on a',
      'busy server adds its latency to everything else in flight.',
    ].join('\n'),
    examples: [
      {
        language: 'python',
        bad: ['import time', '', 'async def poll(client):', '    while not await client.ready():', '        time.sleep(0.5)'].join('\n'),
        good: ['import asyncio', '', 'async def poll(client):', '    while not await client.ready():', '        await asyncio.sleep(0.5)'].join('\n'),
      },
      {
        language: 'typescript',
        bad: ["import * as fs from 'node:fs';", '', 'export async function loadConfig(path: string) {', "  return JSON.parse(fs.readFileSync(path, 'utf8'));", '}'].join('\n'),
        good: ["import * as fs from 'node:fs';", '', 'export async function loadConfig(path: string) {', "  return JSON.parse(await fs.promises.readFile(path, 'utf8'));", '}'].join('\n'),
      },
    ],
    fix: [
      '- Python: `time.sleep(x)` becomes `await asyncio.sleep(x)`; `import asyncio` is added when',
      '  missing (an existing alias such as `import asyncio as aio` is reused). Safe.',
      '- TypeScript/JavaScript: `fs.xxxSync(...)` becomes `await fs.promises.xxx(...)` (or the',
      '  named `node:fs/promises` import) when the promise API takes the same arguments and returns',
      '  the same value. Safe. Calls without a mechanical equivalent (`existsSync`, `execSync`, ...)',
      '  have no automatic fix: move them off the loop (`asyncio.to_thread`, a worker) or use the',
      '  asynchronous API.',
    ].join('\n'),
  },
  check: {
    python: checkPythonBlockingCalls,
    typescript: checkTsBlockingCalls,
  },
};
