/**
 * The pre-parse gate of the Python front end: a module with no async code in it, and none in the
 * project modules it imports (through any chain), is not parsed and has no findings; a module
 * that reaches async code through its imports is analysed as before.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../server/src/engine/engine';
import { PythonFrontEnd } from '../server/src/python/parser';
import { importedModules, mentionsAsync } from '../server/src/python/relevance';
import { allRules } from '../server/src/rules';
import { allRulesConfig } from './helpers/engine';
import { tempDir } from './helpers/temp';

describe('Python relevance gate', () => {
  it('tells async mentions from plain code', () => {
    const yes = [
      'async def f():\n    pass\n',
      'x = await_result()\n',
      'from aiohttp import web\n',
      'client = httpx.AsyncClient()\n',
      'import os, httpx\n',
      'from websockets import connect\n',
      '    import redis.asyncio as redis\n',
      // Django's async API is its `a`-prefixed twins.
      'book = Book.objects.aget(pk=1)\n',
      'user = aauthenticate(request)\n',
      'step = anext(it)\n',
      'def f() -> Awaitable[int]:\n    ...\n',
      'x = 1  # asyncsense: ignore[dangling-task]\n',
      'loop.run_until_complete(main())\n',
      'except CancelledError:\n',
    ];
    const no = [
      'import os\nimport json\n\ndef main():\n    print(json.dumps({}))\n',
      // A package name as a plain word is no import of it.
      'channels = [1, 2]\nredis_url = "redis://localhost"\n',
      'from .redis_helpers import connect\n',
      'from myapp.django_utils import slug\n',
      // Libraries whose async API says so in its names (`redis.asyncio`, `AsyncSession`,
      // `AsyncOpenAI`): their synchronous users have nothing to find.
      'from django.db import models\nbook = Book.objects.get(pk=1)\n',
      'import os, redis\nr = redis.Redis()\n',
      'from sqlalchemy.orm import Session\n',
      'from openai import OpenAI\n',
    ];
    for (const text of yes) assert.ok(mentionsAsync(text), text);
    for (const text of no) assert.ok(!mentionsAsync(text), text);
  });

  it('reads every module an import names, parenthesised names on the next lines too', () => {
    const text = [
      'import os, pkg.sub as sub',
      'from . import (',
      '    views,  # the views',
      '    handlers,',
      ')',
      'from ..core.api import fetch, Client as C',
      'if TYPE_CHECKING:',
      '    from pkg.types import T',
      'def f():',
      '    from .lazy import later',
    ].join('\n');
    assert.deepEqual(
      importedModules(text).map((m) => `${'.'.repeat(m.level)}${m.module}`),
      ['os', 'pkg.sub', '.', '.views', '.handlers', '..core.api', '..core.api.fetch', '..core.api.Client', 'pkg.types', 'pkg.types.T', '.lazy', '.lazy.later'],
    );
  });

  describe('in a project', () => {
    let dir: string;
    const at = (rel: string) => path.join(dir, rel);
    const write = (files: Record<string, string>) => {
      for (const [rel, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(at(rel)), { recursive: true });
        fs.writeFileSync(at(rel), text);
      }
    };

    beforeEach(() => {
      dir = tempDir('asyncsense-relevance-');
      write({
        'pyproject.toml': '[project]\nname = "pkg"\n',
        'pkg/__init__.py': 'from .core import fetch, schedule\n',
        'pkg/core.py': 'import asyncio\n\nasync def fetch():\n    await asyncio.sleep(0)\n\ndef schedule():\n    return asyncio.ensure_future(fetch())\n',
        'pkg/facade.py': 'from . import (\n    version,\n    core,\n)\n',
        'pkg/version.py': 'VERSION = "1.0"\n',
        // No async word in any of these modules: the pitfalls are reached through imports.
        'app/cli.py': 'from pkg import fetch, schedule\n\n\ndef main():\n    fetch()\n    schedule()\n',
        'app/nested.py': 'def main():\n    from pkg import core\n    core.fetch()\n',
        // The submodule is named on the line after the parenthesis.
        'tools/__init__.py': '',
        'tools/core.py': 'async def fetch():\n    return 1\n',
        'tools/use.py': 'from . import (\n    core,\n)\n\n\ndef go():\n    core.fetch()\n',
        'app/plain.py': 'import json\nfrom pkg.version import VERSION\n\n\ndef main():\n    print(json.dumps({"version": VERSION}))\n',
        'app/noted.py': 'VALUE = 1  # asyncsense: ignore[unawaited-coroutine]\n',
      });
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    async function engineCountingParses(): Promise<{ engine: Engine; parsed: string[] }> {
      const fe = new PythonFrontEnd();
      const engine = new Engine({ rules: allRules, frontEnds: [fe] });
      await engine.init();
      const parsed: string[] = [];
      const parseTree = fe.parseTree.bind(fe);
      fe.parseTree = (text, previous) => {
        parsed.push(text);
        return parseTree(text, previous);
      };
      return { engine, parsed };
    }

    const analyse = (engine: Engine, rel: string, text = fs.readFileSync(at(rel), 'utf8')) =>
      engine.analyze({ filePath: at(rel), text }, allRulesConfig(dir)).findings.map((f) => `${f.rule}@${f.range.start.line}`);

    it('analyses a module that reaches async code through re-exports, submodule imports and imports inside functions', async () => {
      const { engine } = await engineCountingParses();
      assert.deepEqual(analyse(engine, 'app/cli.py'), ['unawaited-coroutine@4', 'dangling-task@5']);
      assert.deepEqual(analyse(engine, 'app/nested.py'), ['unawaited-coroutine@2']);
      assert.deepEqual(analyse(engine, 'tools/use.py'), ['unawaited-coroutine@6']);
    });

    it('does not parse a module with no async code in it or behind its imports', async () => {
      const { engine, parsed } = await engineCountingParses();
      const plain = fs.readFileSync(at('app/plain.py'), 'utf8');
      assert.deepEqual(analyse(engine, 'app/plain.py', plain), []);
      assert.equal(parsed.length, 0);
      // The same text under a path whose imports reach async code is parsed.
      write({ 'app/version.py': 'from pkg import fetch as VERSION\n', 'app/plain2.py': plain.replace('pkg.version', 'app.version') });
      // New files, as the editor's file watcher reports them.
      engine.updateFile(at('app/version.py'), undefined);
      assert.deepEqual(analyse(engine, 'app/plain2.py'), []);
      assert.ok(parsed.includes(fs.readFileSync(at('app/plain2.py'), 'utf8')));
    });

    it('still reports an unused suppression in a module with no async code', async () => {
      const { engine } = await engineCountingParses();
      assert.deepEqual(analyse(engine, 'app/noted.py'), ['unused-suppression@0']);
    });

    it('follows an imported module as the editor changes it', async () => {
      const { engine, parsed } = await engineCountingParses();
      write({ 'jobs/helpers.py': 'def refresh():\n    return 1\n', 'jobs/job.py': 'from helpers import refresh\n\n\ndef run():\n    refresh()\n' });
      assert.deepEqual(analyse(engine, 'jobs/job.py'), []);
      assert.equal(parsed.length, 0);
      engine.updateFile(at('jobs/helpers.py'), 'async def refresh():\n    return 1\n');
      assert.deepEqual(analyse(engine, 'jobs/job.py'), ['unawaited-coroutine@4']);
      engine.updateFile(at('jobs/helpers.py'), undefined);
      assert.deepEqual(analyse(engine, 'jobs/job.py'), []);
    });
  });
});
