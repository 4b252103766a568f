import type { Rule } from '../engine/types';
import { checkSessionPerRequest, checkUnclosedResources } from '../python/rules/resources';
import { checkUnclosedTsResources } from '../typescript/lazy';

export const unclosedResource: Rule = {
  id: 'unclosed-resource',
  family: 'resources',
  languages: ['python', 'typescript'],
  defaultSeverity: 'warning',
  anchors: ['ASYNC230'],
  fixable: 'suggestion',
  docs: {
    summary: 'A session, client, pool, connection or file is opened without `async with` and not closed on every path.',
    what: [
      'A local variable holding an `aiohttp.ClientSession`, `aiohttp.TCPConnector`,',
      '`httpx.AsyncClient`/`Client`, an `asyncpg` connection or pool, an `aiofiles` file, or a file',
      'from `open()` in async code, created outside `async with`/`with` and either never closed or',
      'closed only on the success path (no `finally`). Also `resp = await session.get(...)` whose',
      'body is never read and which is never released.',
      '',
      'Not reported when ownership leaves the function: the resource is returned or yielded,',
      'stored on an object or in a container, passed to another call (an `AsyncExitStack`, a',
      'helper that owns it), or entered as a context manager later. Module-level clients are',
      'long-lived by design and not reported.',
      '',
      'A session, client or pool kept in `self.x` is reported when no method of its class (nor of',
      'its bases and subclasses in the same file) closes it, enters it with `with`, or hands it to',
      'anything: every instance then leaks it. Classes with a base defined in another module are',
      'left alone (the base may close it).',
      '',
      'In TypeScript/JavaScript: a `FileHandle` from `fs/promises` `open()`, a `net`/`tls` socket,',
      'a `readline` interface, a file stream from `fs.createReadStream`/`createWriteStream`, a',
      'client checked out of a pool (`await pool.connect()` in `pg`, `pool.getConnection()` in',
      '`mysql2`) and, in test files, an `http` server that listens — held in a local and not',
      'closed (`close()`, `end()`, `destroy()`, `release()`) on every path. Closing in a `finally`',
      'block, in a callback (event-driven code), declaring it with `using`/`await using`, iterating',
      'a stream or interface with `for await`, or handing it to another call or owner are all fine.',
    ].join('\n'),
    why: [
      'An unclosed session keeps its connection pool, sockets and SSL state until the garbage',
      'collector finds it — with "Unclosed client session" warnings at best, exhausted file',
      'descriptors or database connections under load at worst. A response that is never read',
      'keeps its connection checked out of the pool.',
    ].join('\n'),
    examples: [
      {
        language: 'python',
        bad: ['async def fetch(url):', '    session = aiohttp.ClientSession()', '    response = await session.get(url)', '    return await response.text()'].join('\n'),
        good: ['async def fetch(url):', '    async with aiohttp.ClientSession() as session:', '        async with session.get(url) as response:', '            return await response.text()'].join('\n'),
      },
      {
        language: 'typescript',
        bad: [
          'export async function saveRow(pool: Pool, row: Row) {',
          '  const client = await pool.connect();',
          "  await client.query('INSERT INTO rows VALUES ($1)', [row.id]);",
          '  client.release();',
          '}',
        ].join('\n'),
        good: [
          'export async function saveRow(pool: Pool, row: Row) {',
          '  const client = await pool.connect();',
          '  try {',
          "    await client.query('INSERT INTO rows VALUES ($1)', [row.id]);",
          '  } finally {',
          '    client.release();',
          '  }',
          '}',
        ].join('\n'),
      },
    ],
    fix: [
      'A suggestion rewrites `x = Ctor(...)` and the rest of its block into `async with Ctor(...) as x:`.',
      'In TypeScript, `const` becomes `await using` (offered when the checker sees `[Symbol.asyncDispose]`',
      'on the value), or the rest of the block moves into `try { … } finally { x.close(); }`.',
      'Neither is applied by fix-all: the resource is then released at the end of the block.',
    ].join(' '),
  },
  check: { python: checkUnclosedResources, typescript: checkUnclosedTsResources },
};

export const sessionPerRequest: Rule = {
  id: 'session-per-request',
  family: 'resources',
  languages: ['python'],
  defaultSeverity: 'warning',
  anchors: [],
  fixable: 'none',
  docs: {
    summary: 'An HTTP session/client is created inside a loop or a request handler instead of being shared.',
    what: '`aiohttp.ClientSession()` or `httpx.AsyncClient()` created (with or without `async with`) inside a `for`/`while` loop, inside a function registered as a request handler (`@app.get(...)`, `@router.post(...)`, `@routes.get(...)`), or inside a function of the file given to FastAPI\'s `Depends(...)`, which FastAPI calls for every request.',
    why: [
      'A session owns a connection pool. Creating one per request or per iteration throws away',
      'keep-alive connections, repeats DNS and TLS handshakes, and under load opens sockets faster',
      'than they close. Create one client when the application starts and share it.',
    ].join('\n'),
    examples: [
      {
        language: 'python',
        bad: [
          '@app.get("/weather")',
          'async def weather(city: str):',
          '    async with httpx.AsyncClient() as client:',
          '        return (await client.get(API, params={"q": city})).json()',
        ].join('\n'),
        good: [
          '@asynccontextmanager',
          'async def lifespan(app: FastAPI):',
          '    async with httpx.AsyncClient() as client:',
          '        app.state.http = client',
          '        yield',
          '',
          'app = FastAPI(lifespan=lifespan)',
          '',
          '@app.get("/weather")',
          'async def weather(city: str, request: Request):',
          '    return (await request.app.state.http.get(API, params={"q": city})).json()',
        ].join('\n'),
      },
    ],
  },
  check: { python: checkSessionPerRequest },
};
