import type { Rule } from '../engine/types';
import { checkSessionPerRequest, checkUnclosedResources } from '../python/rules/resources';

export const unclosedResource: Rule = {
  id: 'unclosed-resource',
  family: 'resources',
  languages: ['python'],
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
      'helper that owns it), or entered as a context manager later. Module-level and `self.x`',
      'clients are long-lived by design and not reported.',
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
    ],
    fix: 'A suggestion rewrites `x = Ctor(...)` and the rest of its block into `async with Ctor(...) as x:` (not applied by fix-all: the resource is then closed at the end of the block).',
  },
  check: { python: checkUnclosedResources },
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
    what: '`aiohttp.ClientSession()` or `httpx.AsyncClient()` created (with or without `async with`) inside a `for`/`while` loop, or inside a function registered as a request handler (`@app.get(...)`, `@router.post(...)`, `@routes.get(...)`).',
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
