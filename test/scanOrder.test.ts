/**
 * The order of a scan: each Python module is analysed after the modules it imports, so that an
 * importer reads their summaries from their analyses instead of parsing them a second time; the
 * findings and the reports keep the walk's order.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../server/src/engine/engine';
import { PythonFrontEnd } from '../server/src/python/parser';
import { allRules } from '../server/src/rules';
import { LazyTsFrontEnd } from '../server/src/typescript/lazy';
import { allRulesConfig, repoRoot } from './helpers/engine';
import { tempDir, writeFiles } from './helpers/temp';

let dir: string;

const write = (files: Record<string, string>): void => writeFiles(dir, files);

const at = (rel: string) => path.join(dir, rel);

/** A package whose walk order (alphabetical) puts every importer before what it imports. */
const PROJECT: Record<string, string> = {
  'pyproject.toml': '[project]\nname = "shop"\n',
  'a_main.py': 'import asyncio\nfrom shop.b_api import handle\n\nasync def main():\n    handle()\n',
  'shop/__init__.py': '',
  'shop/b_api.py': 'from .c_services import (\n    orders,\n)\nfrom . import d_db\n\nasync def handle():\n    await orders.place()\n',
  'shop/c_services/__init__.py': '',
  'shop/c_services/orders.py': 'from shop.d_db import pool  # the pool\n\nasync def place():\n    pool.connect()\n',
  'shop/d_db.py': 'import asyncio, shop.e_cycle as cyc\n\nclass Pool:\n    async def connect(self):\n        await asyncio.sleep(0)\n\npool = Pool()\n',
  'shop/e_cycle.py': 'from shop import d_db\n',
};

beforeEach(() => {
  dir = tempDir('asyncsense-order-');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('scan order', () => {
  it('puts each module after the modules it imports, cycles broken, every file once', async () => {
    write(PROJECT);
    const fe = new PythonFrontEnd();
    await fe.init();
    const walk = Object.keys(PROJECT).filter((f) => f.endsWith('.py')).sort().map(at);
    const order = fe.prepareFiles(walk);
    assert.deepEqual([...order].sort(), [...walk].sort());
    const pos = (rel: string) => order.indexOf(at(rel));
    // `from .c_services import (orders,)`: the package and the submodule named on the next line.
    assert.ok(pos('shop/c_services/__init__.py') < pos('shop/b_api.py'));
    assert.ok(pos('shop/c_services/orders.py') < pos('shop/b_api.py'));
    assert.ok(pos('shop/d_db.py') < pos('shop/b_api.py'), '`from . import d_db` names a submodule');
    assert.ok(pos('shop/d_db.py') < pos('shop/c_services/orders.py'), 'absolute import with a trailing comment');
    assert.ok(pos('shop/b_api.py') < pos('a_main.py'));
    assert.ok(pos('shop/e_cycle.py') < pos('shop/d_db.py') || pos('shop/d_db.py') < pos('shop/e_cycle.py'));
    assert.ok(pos('shop/__init__.py') < pos('a_main.py'), '`from shop.b_api import ...` imports the package too');
  });

  it('keeps each language in its slots of a mixed list', async () => {
    write(PROJECT);
    write({ 'web/x.ts': 'export {};\n', 'web/y.ts': 'export {};\n' });
    const engine = new Engine({ rules: allRules, frontEnds: [new PythonFrontEnd(), new LazyTsFrontEnd({ typeAware: false })] });
    await engine.init();
    const list = [at('a_main.py'), at('web/x.ts'), at('shop/b_api.py'), at('web/y.ts'), at('shop/d_db.py')];
    const order = engine.prepareFiles(list);
    assert.equal(order[1], at('web/x.ts'));
    assert.equal(order[3], at('web/y.ts'));
    assert.deepEqual([order[0], order[2], order[4]], [at('shop/d_db.py'), at('shop/b_api.py'), at('a_main.py')]);
  });

  it('parses each module of a scan once, with the same findings as a scan in the walk order', async () => {
    // Enough modules between an importer and what it imports that the trees kept are gone.
    const fillers = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`shop/m_${String(i).padStart(2, '0')}.py`, `async def f${i}():\n    return ${i}\n`]));
    write({ ...PROJECT, ...fillers, 'a_main.py': `${PROJECT['a_main.py']}from shop.z_last import later\n\nasync def go():\n    later()\n`, 'shop/z_last.py': 'async def later():\n    pass\n' });
    const walk = [...Object.keys(PROJECT), ...Object.keys(fillers), 'shop/z_last.py'].filter((f) => f.endsWith('.py')).sort().map(at);
    const run = async (ordered: boolean) => {
      const fe = new PythonFrontEnd();
      const engine = new Engine({ rules: allRules, frontEnds: [fe] });
      await engine.init();
      let parses = 0;
      const parseTree = fe.parseTree.bind(fe);
      fe.parseTree = (text, previous) => {
        parses++;
        return parseTree(text, previous);
      };
      const order = engine.prepareFiles(walk);
      const findings = new Map<string, string[]>();
      for (const f of ordered ? order : walk) {
        const r = engine.analyze({ filePath: f, text: fs.readFileSync(f, 'utf8') }, allRulesConfig(dir));
        findings.set(f, r.findings.map((x) => `${x.rule}@${x.range.start.line}`));
      }
      return { parses, findings: walk.map((f) => [path.relative(dir, f), findings.get(f)]) };
    };
    const inOrder = await run(true);
    const inWalk = await run(false);
    // At most once each (a module with no async code in it or behind its imports, such as an
    // empty package `__init__.py`, is parsed only when an importer needs its summary: see relevance.ts).
    assert.ok(inOrder.parses <= walk.length, `the scan order parses ${inOrder.parses} times for ${walk.length} files`);
    assert.ok(inWalk.parses > inOrder.parses, `the walk order parses ${inWalk.parses} times`);
    assert.deepEqual(inOrder.findings, inWalk.findings);
    // The pitfalls that need the imported summaries are found either way.
    assert.ok(JSON.stringify(inOrder.findings).includes('unawaited-coroutine'));
  });

  it('the CLI reports files in the walk order', () => {
    write(PROJECT);
    const r = spawnSync(process.execPath, [path.join(repoRoot, 'bin/asyncsense.js'), 'check', '--format', 'json', '.'], { cwd: dir, encoding: 'utf8' });
    const paths = (JSON.parse(r.stdout).findings as { path: string }[]).map((f) => f.path);
    assert.ok(paths.length >= 2, r.stdout);
    assert.deepEqual(paths, [...paths].sort());
  });
});
