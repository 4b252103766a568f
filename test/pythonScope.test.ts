import { strict as assert } from 'node:assert';
import type { SyntaxNode as Node } from '../server/src/python/syntax';
import { PythonFrontEnd } from '../server/src/python/parser';
import type { PythonRuleContext } from '../server/src/python/context';

let frontEnd: PythonFrontEnd;

async function ctxOf(text: string): Promise<{ ctx: PythonRuleContext; dispose: () => void }> {
  frontEnd ??= new PythonFrontEnd();
  await frontEnd.init();
  const parsed = frontEnd.parse('/tmp/x.py', text);
  return { ctx: parsed.makeContext(() => undefined), dispose: () => parsed.dispose() };
}

/** The callee of the n-th call whose callee text is `text`. */
function callee(ctx: PythonRuleContext, text: string, nth = 0): Node {
  const calls = ctx.tree.rootNode.descendantsOfType('call').filter((c) => c?.childForFieldName('function')?.text === text);
  const fn = calls[nth]?.childForFieldName('function');
  assert.ok(fn, `no call of ${text}`);
  return fn;
}

describe('python scope resolution', () => {
  it('resolves imports and aliases', async () => {
    const { ctx, dispose } = await ctxOf(
      ['import time', 'import time as t', 'from time import sleep as nap', 'import os.path', 'from os import path as p', 'time.sleep(1)', 't.sleep(1)', 'nap(1)', 'os.path.join(1)', 'p.exists(1)'].join('\n'),
    );
    try {
      assert.deepEqual(ctx.scope.resolve(callee(ctx, 'time.sleep')), { name: 'time.sleep', via: 'import' });
      assert.equal(ctx.scope.resolve(callee(ctx, 't.sleep'))?.name, 'time.sleep');
      assert.equal(ctx.scope.resolve(callee(ctx, 'nap'))?.name, 'time.sleep');
      assert.equal(ctx.scope.resolve(callee(ctx, 'os.path.join'))?.name, 'os.path.join');
      assert.equal(ctx.scope.resolve(callee(ctx, 'p.exists'))?.name, 'os.path.exists');
    } finally {
      dispose();
    }
  });

  it('resolves a name a compatibility shim imports from one of two places to the preferred one', async () => {
    const src = [
      'import sys',
      'if sys.version_info >= (3, 11):',
      '    from asyncio import timeout as asyncio_timeout',
      'else:',
      '    from async_timeout import timeout as asyncio_timeout',
      'try:',
      '    import ujson as json',
      'except ImportError:',
      '    import json',
      'try:',
      '    from asyncio import TaskGroup',
      'except ImportError:',
      '    TaskGroup = None',
      'from time import sleep as pause',
      'if sys.platform == "win32":',
      '    from asyncio import sleep as pause',
      'if sys.version_info >= (3, 8):',
      '    from queue import Queue as Q',
      'if sys.version_info >= (3, 9):',
      '    from asyncio import Queue as Q',
      'asyncio_timeout(1)',
      'json.loads(1)',
      'TaskGroup()',
      'pause(1)',
      'Q()',
    ].join('\n');
    const { ctx, dispose } = await ctxOf(src);
    try {
      assert.equal(ctx.scope.resolve(callee(ctx, 'asyncio_timeout'))?.name, 'asyncio.timeout');
      assert.equal(ctx.scope.resolve(callee(ctx, 'json.loads'))?.name, 'ujson.loads');
      // Not a shim: one branch assigns something else, or the imports are not alternatives of one statement.
      assert.equal(ctx.scope.resolve(callee(ctx, 'TaskGroup')), undefined);
      assert.equal(ctx.scope.resolve(callee(ctx, 'pause')), undefined);
      assert.equal(ctx.scope.resolve(callee(ctx, 'Q')), undefined);
    } finally {
      dispose();
    }
  });

  it('honours shadowing by definitions, parameters, assignments and loop targets (LEGB)', async () => {
    const src = [
      'from time import sleep',
      'def sleep(x): pass',
      'sleep(1)',
      'import time',
      'def f(time):',
      '    time.sleep(1)',
      'def g():',
      '    for time in range(3):',
      '        time.sleep(1)',
      'def h():',
      '    time.sleep(1)',
      'class C:',
      '    time = None',
      '    def m(self):',
      '        time.sleep(1)',
    ].join('\n');
    const { ctx, dispose } = await ctxOf(src);
    try {
      assert.equal(ctx.scope.resolve(callee(ctx, 'sleep')), undefined, 'module-level def shadows the import');
      assert.equal(ctx.scope.resolve(callee(ctx, 'time.sleep', 0)), undefined, 'parameter');
      assert.equal(ctx.scope.resolve(callee(ctx, 'time.sleep', 1)), undefined, 'for target');
      assert.equal(ctx.scope.resolve(callee(ctx, 'time.sleep', 2))?.name, 'time.sleep', 'no local binding');
      assert.equal(ctx.scope.resolve(callee(ctx, 'time.sleep', 3))?.name, 'time.sleep', 'class attributes do not enclose methods');
    } finally {
      dispose();
    }
  });

  it('knows star imports, unbound well-known modules and TYPE_CHECKING imports', async () => {
    const src = ['from typing import TYPE_CHECKING', 'if TYPE_CHECKING:', '    import requests', 'from time import *', 'sleep(1)', 'requests.get(1)', 'subprocess.run(1)'].join('\n');
    const { ctx, dispose } = await ctxOf(src);
    try {
      assert.deepEqual(ctx.scope.resolve(callee(ctx, 'sleep')), { name: 'time.sleep', via: 'star' });
      assert.equal(ctx.scope.resolve(callee(ctx, 'requests.get'))?.via, 'star', 'a TYPE_CHECKING import binds nothing at runtime');
      assert.equal(ctx.scope.resolve(callee(ctx, 'subprocess.run'))?.name, 'time.subprocess.run');
    } finally {
      dispose();
    }
    const { ctx: c2, dispose: d2 } = await ctxOf('subprocess.run(1)\n');
    try {
      assert.deepEqual(c2.scope.resolve(callee(c2, 'subprocess.run')), { name: 'subprocess.run', via: 'unbound' });
    } finally {
      d2();
    }
  });

  it('tells async contexts apart from nested sync functions, lambdas and generator expressions', async () => {
    const src = [
      'async def outer():',
      '    a()',
      '    def inner():',
      '        b()',
      '    lambda: c()',
      '    [d() for _ in x]',
      '    list(e() for _ in x)',
      '    async def deeper():',
      '        f()',
      '    gen = (h() for _ in x)',
      '    handle(i() for _ in x)',
      'def sync():',
      '    g()',
    ].join('\n');
    const { ctx, dispose } = await ctxOf(src);
    try {
      const isAsync = (name: string) => ctx.scope.isAsyncContext(callee(ctx, name));
      // A generator expression runs where it is iterated: inside the async function when list(),
      // sum(), any()... iterate it on the spot; later, elsewhere, when it is stored or handed on.
      assert.deepEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].map(isAsync), [true, false, false, true, true, true, false, false, false]);
      assert.equal(ctx.scope.enclosingFunction(callee(ctx, 'f'))?.name, 'deeper');
      assert.equal(ctx.scope.enclosingFunction(callee(ctx, 'a'))?.name, 'outer');
    } finally {
      dispose();
    }
  });

  it('survives deep nesting without recursion', async () => {
    const deep = `x = ${'['.repeat(10_000)}${']'.repeat(10_000)}\nimport time\nasync def f():\n    time.sleep(1)\n`;
    const { ctx, dispose } = await ctxOf(deep);
    try {
      assert.equal(ctx.scope.resolve(callee(ctx, 'time.sleep'))?.name, 'time.sleep');
    } finally {
      dispose();
    }
  });
});
